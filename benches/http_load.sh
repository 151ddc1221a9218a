#!/usr/bin/env bash
# HTTP load test of `podseek serve` on loopback with wrk (Debian's `wrk`): search requests at
# concurrency 32 against the bundled core.py index, for SECONDS (default 20). Fails unless it
# made at least MIN_REQUESTS (default 20000) requests with zero errors.
# Usage: benches/http_load.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
min_requests=${MIN_REQUESTS:-20000}
command -v wrk >/dev/null || { echo "http_load: needs wrk (Debian: apt-get install wrk)" >&2; exit 2; }

cargo build --release --locked --quiet
work=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Port 0: the server picks a free port and names it on stderr.
./target/release/podseek serve --addr 127.0.0.1:0 --index "$work/index" 2>"$work/server.log" &
pid=$!
addr=""
for _ in $(seq 1 600); do
    addr=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.log" | head -n 1 || true)
    [ -n "$addr" ] && break
    sleep 0.1
done
[ -n "$addr" ] || { echo "http_load: the server did not start:" >&2; cat "$work/server.log" >&2; exit 2; }

curl -fsS "$addr/api/search?q=uvloop" >/dev/null
echo "http_load: wrk -t2 -c32 -d${seconds}s against $addr/api/search ($(nproc) cores)"
wrk -t2 -c32 -d"${seconds}s" --timeout 10s --latency -s benches/http_load.lua "$addr" | tee "$work/wrk.out"

requests=$(sed -n 's/^summary: requests \([0-9]*\),.*/\1/p' "$work/wrk.out")
errors=$(sed -n 's/^summary: requests [0-9]*, errors \([0-9]*\) .*/\1/p' "$work/wrk.out")
logged=$(grep -c '^GET /api/search 200 ' "$work/server.log" || true)
echo "http_load: server logged $logged successful searches"
if [ "${errors:-1}" -ne 0 ] || [ "${requests:-0}" -lt "$min_requests" ]; then
    echo "http_load: FAILED: $requests requests, $errors errors (need >= $min_requests, 0)" >&2
    exit 1
fi
echo "http_load: ok: $requests requests, 0 errors"

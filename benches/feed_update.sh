#!/usr/bin/env bash
# What `podseek update` costs: bytes on the wire and wall time for an unchanged feed (one 304)
# and for a feed that gained one episode. A local feed host (benches/feed_server.py) serves an
# ITEMS-item feed made from fixtures/feeds/night-sky.xml; no network beyond loopback.
# Usage: benches/feed_update.sh [ITEMS] [RUNS]; FEED_GZIP=0 for a host that never gzips.
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-300}
runs=${2:-5}
cargo build --release --quiet
bin=target/release/podseek
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

# An ITEMS-item feed: the fixture's four items repeated with distinct guids and numbers.
python3 - "$items" "$work/feed.xml" <<'PY'
import re, sys
n, out = int(sys.argv[1]), sys.argv[2]
text = open("fixtures/feeds/night-sky.xml").read()
head, rest = text.split("<item>", 1)
items = ["<item>" + i for i in ("<item>" + rest).split("<item>")[1:]]
tail = items[-1][items[-1].index("</item>") + len("</item>"):]
items[-1] = items[-1][: items[-1].index("</item>") + len("</item>")]
body = []
for k in range(n):
    it = items[k % 4]
    it = re.sub(r"<title>(Episode \d+: )?", f"<title>Episode {n - k}: ", it, count=1)
    it = re.sub(r"<guid[^>]*>[^<]*</guid>", "", it)
    it = it.replace("<item>", f"<item>\n      <guid>bench-{n - k}</guid>", 1)
    it = re.sub(r"<itunes:episode>\d+</itunes:episode>", "", it)
    it = re.sub(r"<podcast:chapters[^>]*/>", "", it)
    body.append(it)
open(out, "w").write(head + "\n    ".join(body) + tail)
PY

log="$work/requests.log"
python3 benches/feed_server.py "$work" "$log" > "$work/port" &
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")/feed.xml"
idx="$work/idx"

"$bin" --index "$idx" add "$url" --name bench --quiet 2>/dev/null
echo "feed: $items items, $(wc -c < "$work/feed.xml") bytes uncompressed"

measure() { # label, command to run before each update
    local label=$1 before=$2 total=0
    : > "$log"
    for _ in $(seq "$runs"); do
        eval "$before"
        local t0 t1
        t0=$(date +%s%N)
        "$bin" --index "$idx" update --quiet 2>/dev/null
        t1=$(date +%s%N)
        total=$((total + (t1 - t0) / 1000))
    done
    echo "$label: $(awk '{print $2}' "$log" | sort | uniq -c | xargs) requests over $runs runs;" \
        "per run: $(awk -v r="$runs" '{split($3,a,"=");split($4,b,"=");i+=a[2];o+=b[2]} END {printf "%d bytes sent, %d bytes received", i/r, o/r}' "$log");" \
        "mean wall time $((total / runs / 1000)) ms"
}

measure "unchanged feed (304)" ":"
n=$items
measure "one new episode" 'n=$((n + 1)); python3 - "$work/feed.xml" "$n" <<PY
import sys
p, n = sys.argv[1], sys.argv[2]
t = open(p).read()
item = f"""<item>
      <title>Episode {n}: A new one</title>
      <guid>bench-{n}</guid>
      <description>New this week.

00:00 Intro
05:00 News</description>
    </item>
    """
open(p, "w").write(t.replace("<item>", item + "<item>", 1))
PY'

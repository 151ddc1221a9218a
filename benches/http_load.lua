-- wrk script for benches/http_load.sh: GET /api/search over a rotating set of queries (every
-- fourth one grouped by episode), and a summary line the shell script checks.
local queries = {
  "garbage collection", "uvloop", "reference counting", "free threading", "asyncio",
  "JIT", "PEP", "subinterpreters", "GIL", "pattern matching", "type hints", "release",
}
local n = 0

request = function()
  n = n + 1
  local q = queries[(n % #queries) + 1]:gsub(" ", "+")
  local path = "/api/search?limit=10&q=" .. q
  if n % 4 == 0 then
    path = path .. "&by_episode=1"
  end
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    "summary: requests %d, errors %d (connect %d, read %d, write %d, status %d, timeout %d)\n",
    summary.requests, errors, e.connect, e.read, e.write, e.status, e.timeout))
  io.write(string.format(
    "summary: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f requests/s\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end

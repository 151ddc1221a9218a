#!/usr/bin/env python3
"""A feed host for benches/feed_update.sh: serves one file with ETag / Last-Modified, answers a
matching If-None-Match with 304, gzips when the client accepts it, and appends one line per
request to a log: path, status, request-head bytes, response bytes on the wire."""
import gzip, hashlib, http.server, os, sys

ROOT, LOG = sys.argv[1], sys.argv[2]
GZIP = os.environ.get("FEED_GZIP", "1") != "0"  # FEED_GZIP=0: a host that never compresses


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = os.path.join(ROOT, self.path.lstrip("/").split("?")[0])
        head_in = len(self.requestline) + 2 + len(str(self.headers)) + 2
        try:
            body = open(path, "rb").read()
        except OSError:
            return self.reply(404, b"not found", {}, head_in)
        tag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        headers = {"ETag": tag, "Last-Modified": self.date_time_string(os.path.getmtime(path)),
                   "Content-Type": "application/rss+xml"}
        if self.headers.get("If-None-Match") == tag:
            return self.reply(304, b"", headers, head_in)
        if GZIP and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self.reply(200, body, headers, head_in)

    def reply(self, status, body, headers, head_in):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        head_out = sum(len(l) for l in self._headers_buffer) + 2  # + the blank line
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
        with open(LOG, "a") as f:
            f.write(f"{self.path} {status} in={head_in} out={head_out + (len(body) if status != 304 else 0)}\n")

    def log_message(self, *args):
        pass


PORT = int(sys.argv[3]) if len(sys.argv) > 3 else 0  # 0: a free port, printed on stdout
server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()

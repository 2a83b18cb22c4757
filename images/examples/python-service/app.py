"""The python-service template's sample service: the standard library only.

    GET /health    200 "ok", or 503 once told to fail
    GET /fail      from now on /health answers 503
    GET /recover   /health answers 200 again
    anything else  200 "hello"

Listens on 0.0.0.0:$PORT (default 8080). SIGTERM ends it with status 0, as a
service should end on `docker stop` (lucid-init forwards the signal).
"""
import http.server
import os
import signal
import sys
import threading

failing = threading.Event()


def stop(signum, frame):
    sys.stderr.write("python-service: stopping\n")
    sys.exit(0)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            status, body = (503, b"failing\n") if failing.is_set() else (200, b"ok\n")
        elif self.path == "/fail":
            failing.set()
            status, body = 200, b"/health fails from now on\n"
        elif self.path == "/recover":
            failing.clear()
            status, body = 200, b"/health recovered\n"
        else:
            status, body = 200, b"hello\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("python-service: %s\n" % (fmt % args))


def main():
    port = int(os.environ.get("PORT", "8080"))
    server = http.server.ThreadingHTTPServer(("0.0.0.0", port), Handler)
    # SystemExit from the handler leaves serve_forever at once; request
    # threads are daemons and do not hold the exit up.
    signal.signal(signal.SIGTERM, stop)
    sys.stderr.write("python-service: listening on port %d\n" % port)
    server.serve_forever()


if __name__ == "__main__":
    main()

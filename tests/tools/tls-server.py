"""tls-server.py: an HTTPS server for the lucid-health TLS tests (Python's
ssl + http.server, threaded), on 127.0.0.1 only.

  python3 tests/tools/tls-server.py --cert F --key F (--port N | --port 0)
      [--port-file F] [--tls12-only | --tls13-only] [--client-ca F]
      [--alpn h2,http/1.1] [--log F]

Prints the bound port on stdout (one line, flushed) once it listens, and
writes it to --port-file (atomically) if given. Exits 0 on SIGTERM.

  --tls12-only / --tls13-only  the only protocol version offered
  --client-ca F                a client certificate signed by F is required
                               (mutual TLS); without it the handshake fails
  --alpn LIST                  the ALPN protocols offered, in order; the
                               server always speaks HTTP/1.1 whatever is
                               chosen (a client that picks h2 then fails)
  --log F                      one line per handshake and per request:
                               "tls SNI VERSION ALPN CIPHER [client=CN]",
                               "request METHOD PATH", "handshake failed: WHY"

Paths (any method is answered as GET, HTTP/1.1, with Content-Length):
  /health     200 "ok\\n"
  /fail       503 "failing\\n"
  /redirect   302 to /health
  /stall      200 headers promising 100 bytes, then nothing until the
              client leaves
  anything    404

Usage in a suite (testca.sh makes the certificates):
  spawn python3 tests/tools/tls-server.py --cert "$WORK/pki/server.crt" \\
      --key "$WORK/pki/server.key" --port 0 --port-file "$WORK/tls.port" \\
      --log "$WORK/tls.log"
  wait_for 50 test -s "$WORK/tls.port"
Exit: 0 on SIGTERM, 2 usage or unusable certificate/key."""
import argparse
import http.server
import os
import signal
import ssl
import sys
import threading

log_lock = threading.Lock()
log_path = None


def log(line):
    if not log_path:
        return
    with log_lock, open(log_path, "a") as f:
        f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        # The handshake runs here, in the connection's own thread, so a slow
        # or failing client never holds up the accept loop.
        try:
            self.request.do_handshake()
        except (ssl.SSLError, OSError) as e:
            log(f"handshake failed: {e}")
            raise
        s = self.request
        peer = s.getpeercert()
        client = ""
        if peer:
            cn = [v for rdn in peer.get("subject", ()) for k, v in rdn if k == "commonName"]
            client = f" client={cn[0] if cn else '?'}"
        sni = getattr(s, "lucid_sni", None) or "-"
        log(f"tls {sni} {s.version()} {s.selected_alpn_protocol() or '-'} {s.cipher()[0]}{client}")
        super().setup()

    def handle(self):
        try:
            super().handle()
        except (ssl.SSLError, ConnectionError, TimeoutError):
            pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        log(f"request {self.command} {self.path}")
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self.reply(200, b"ok\n")
        elif path == "/fail":
            self.reply(503, b"failing\n")
        elif path == "/redirect":
            self.reply(302, b"see /health\n", [("Location", "/health")])
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            # Until the client closes: a read returns b"" (or fails) then.
            try:
                while self.connection.recv(1024):
                    pass
            except (ssl.SSLError, OSError):
                pass
            self.close_connection = True
        else:
            self.reply(404, b"not found\n")

    do_HEAD = do_POST = do_GET

    def log_message(self, fmt, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a failed handshake is logged by the handler; no traceback


def make_context(a):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if a.tls12_only:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if a.tls13_only:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    if a.client_ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(a.client_ca)
    if a.alpn:
        ctx.set_alpn_protocols(a.alpn.split(","))

    def remember_sni(sock, name, _ctx):
        sock.lucid_sni = name

    ctx.sni_callback = remember_sni
    return ctx


def main():
    global log_path
    p = argparse.ArgumentParser(description="HTTPS test server (see the module docstring)")
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--port-file")
    v = p.add_mutually_exclusive_group()
    v.add_argument("--tls12-only", action="store_true")
    v.add_argument("--tls13-only", action="store_true")
    p.add_argument("--client-ca")
    p.add_argument("--alpn")
    p.add_argument("--log")
    a = p.parse_args()
    log_path = a.log
    try:
        ctx = make_context(a)
    except (ssl.SSLError, OSError) as e:
        print(f"tls-server: {a.cert}, {a.key}: {e}", file=sys.stderr)
        sys.exit(2)

    server = Server(("127.0.0.1", a.port), Handler, bind_and_activate=True)
    server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)

    def on_term(sig, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    port = server.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.rename(tmp, a.port_file)
    print(port, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A server of scripted HTTP/1.1 behaviours, for tests/integration/kubelet.sh.

    kubelet-server.py PORT_FILE

Listens on two ephemeral ports of 127.0.0.1 (written to PORT_FILE as "A B"
once both are up) and answers by request path with raw bytes, so every
response can be exactly as malformed, slow or large as a case needs. Each
case is named after what the kubelet's prober (Go's net/http client and
pkg/probe/http) does with it; kubelet.sh holds the expected verdicts.
Stops on SIGTERM.
"""
import signal
import socket
import sys
import threading
import time

PORTS = []


def head(status, fields=b"", length=None, version=b"HTTP/1.1"):
    h = version + b" " + status + b"\r\n" + fields
    if length is not None:
        h += b"Content-Length: %d\r\n" % length
    return h + b"\r\n"


def ok(body=b"ok\n"):
    return head(b"200 OK", length=len(body)) + body


def redirect(status, location):
    return head(status, b"Location: " + location + b"\r\n", 0)


def chunks(*parts):
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts)


def chain(path):
    """/chain/N/K: a redirect to /chain/N/K+1 until K reaches N, then 200."""
    _, _, n, k = path.split(b"/")
    n, k = int(n), int(k)
    if k >= n:
        return ok(b"end of chain\n")
    return redirect(b"302 Found", b"/chain/%d/%d" % (n, k + 1))


def respond(conn, path):
    a, b = PORTS
    send = conn.sendall
    if path.startswith(b"/chain/"):
        return send(chain(path))
    if path.startswith(b"/redirect/https/"):
        # http:// to https:// on the same host, to the port the path names
        return send(redirect(b"302 Found", b"https://127.0.0.1:%s/health" % path.split(b"/")[3]))
    # --- the body is read, up to 10 KiB, within the deadline ---
    if path == b"/body/stall":
        send(head(b"200 OK", length=100) + b"only ten..")
        time.sleep(30)
    elif path == b"/body/short":
        send(head(b"200 OK", length=40) + b"12 bytes....")
    elif path == b"/body/bad-chunk":
        send(head(b"200 OK", b"Transfer-Encoding: chunked\r\n") + b"5\r\nhello\r\nzz\r\n")
    elif path == b"/body/no-last-chunk":
        send(head(b"200 OK", b"Transfer-Encoding: chunked\r\n") + chunks(b"hello"))
    elif path == b"/body/no-length-stall":
        send(head(b"200 OK") + b"hello")
        time.sleep(30)
    elif path == b"/body/10k-then-stall":
        send(head(b"200 OK", length=20000) + b"x" * 10240)
        time.sleep(30)
    elif path == b"/body/10k-then-broken":
        send(head(b"200 OK", b"Transfer-Encoding: chunked\r\n") + chunks(b"y" * 6000, b"y" * 6000) + b"garbage\r\n")
    elif path == b"/body/http10-close":
        send(head(b"200 OK", version=b"HTTP/1.0") + b"body to the close\n")
    elif path == b"/body/503-stall":
        send(head(b"503 Service Unavailable", length=100) + b"down")
        time.sleep(30)
    # --- redirects: same host name followed (any port), others judged as 3xx ---
    elif path == b"/redirect/other-port":
        send(redirect(b"302 Found", b"http://127.0.0.1:%d/status/200" % b))
    elif path == b"/redirect/other-port-503":
        send(redirect(b"307 Temporary Redirect", b"http://127.0.0.1:%d/status/503" % b))
    elif path == b"/redirect/other-host":
        send(redirect(b"302 Found", b"http://example.invalid/"))
    elif path == b"/redirect/localhost":
        send(redirect(b"301 Moved Permanently", b"http://localhost:%d/status/503" % a))
    elif path == b"/redirect/to-503":
        send(redirect(b"303 See Other", b"/status/503"))
    elif path == b"/redirect/no-location":
        send(head(b"302 Found", length=0))
    elif path == b"/redirect/300":
        send(redirect(b"300 Multiple Choices", b"/status/503"))
    elif path == b"/redirect/ftp-same-host":
        send(redirect(b"302 Found", b"ftp://127.0.0.1/"))
    elif path == b"/redirect/bad-location":
        send(redirect(b"302 Found", b"/a\x01b"))
    # --- headers: streamed past, folded, spaced ---
    elif path == b"/head/obs-fold":
        send(head(b"200 OK", b"X-Long: part one\r\n part two\r\n\tpart three\r\n", 3) + b"ok\n")
    elif path == b"/head/space-before-colon":
        send(head(b"200 OK", b"Server : lucid-test\r\n", 3) + b"ok\n")
    elif path == b"/head/1000-fields":
        send(head(b"200 OK", b"".join(b"X-F%d: %d\r\n" % (i, i) for i in range(1000)), 3) + b"ok\n")
    elif path == b"/head/64k-line":
        send(head(b"200 OK", b"X-Big: " + b"b" * 65536 + b"\r\n", 3) + b"ok\n")
    elif path == b"/head/200k-cookies":
        send(head(b"200 OK", b"".join(b"Set-Cookie: c%d=%s\r\n" % (i, b"v" * 4000) for i in range(50)) +
                  b"Content-Security-Policy: " + b"d" * 8000 + b"\r\n", 3) + b"ok\n")
    elif path == b"/head/no-colon":
        send(head(b"200 OK", b"Just some words\r\n", 3) + b"ok\n")
    elif path == b"/head/gzip-chunked":
        send(head(b"200 OK", b"Transfer-Encoding: gzip, chunked\r\n") + chunks(b"ok") + b"0\r\n\r\n")
    elif path == b"/head/continue-then-200":
        send(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" + ok())
    elif path == b"/head/101":
        send(head(b"101 Switching Protocols", b"Upgrade: h2c\r\nConnection: Upgrade\r\n"))
    # --- URLs: what the kubelet encodes arrives encoded ---
    elif path in (b"/a%20b", b"/caf%C3%A9", b"/x%0Ay"):
        send(ok(b"encoded\n"))
    elif path.startswith(b"/status/"):
        code = path.split(b"/")[2]
        send(head(code + b" Status", length=0))
    else:
        send(head(b"404 Not Found", length=0))


def handle(conn):
    with conn:
        conn.settimeout(10)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                got = conn.recv(4096)
                if not got:
                    return
                data += got
            path = data.split(b" ", 2)[1]
            respond(conn, path)
        except OSError:
            pass


def serve(sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    socks = []
    for _ in range(2):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        socks.append(s)
        PORTS.append(s.getsockname()[1])
    for s in socks:
        threading.Thread(target=serve, args=(s,), daemon=True).start()
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write("%d %d\n" % tuple(PORTS))
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()

"""h2-hostile.py: an HTTP/2 gRPC health server that misbehaves on purpose,
one way per run, for the lucid-health gRPC tests. Plain sockets and frames
written by hand (RFC 9113, HPACK RFC 7541), no HTTP/2 library: h2c with
prior knowledge, or h2 over TLS (ALPN h2) with --tls. 127.0.0.1 only.

  python3 tests/tools/h2-hostile.py --mode MODE (--port N | --port 0)
      [--port-file F] [--tls CERT KEY] [--log F]

Prints the bound port on stdout (one line, flushed) once it listens, and
writes it to --port-file (atomically) if given. Serves every connection
(each in its own thread) the same way until SIGTERM, then exits 0.

Modes (the server reads the client preface first, except bad-preface):
  serving        a correct response: SETTINGS, SETTINGS ACK, HEADERS
                 (:status 200, content-type application/grpc), DATA
                 00 00000002 0801 (SERVING), trailers grpc-status 0
  not-serving    the same with 0802 (NOT_SERVING)
  not-found      a trailers-only answer: grpc-status 5 (unknown service)
  no-trailers    HEADERS and DATA (SERVING) with END_STREAM, no grpc-status
  http-503       HEADERS :status 503 with END_STREAM
  huge-message   a gRPC message prefix announcing 0x7fffffff bytes, 16379
                 of them, then nothing
  bad-preface    an HTTP/1.1 400 response instead of a SETTINGS frame,
                 then close
  huge-settings  one SETTINGS frame of 120000 bytes (20000 parameters),
                 far beyond the 16384-byte default SETTINGS_MAX_FRAME_SIZE
  bad-frame      a SETTINGS frame whose length (5) is not a multiple of 6
  data-stream0   the serving SETTINGS, then a DATA frame on stream 0
  continuation   HEADERS without END_HEADERS, then CONTINUATION frames
                 of 16317 bytes (under the 16384 default frame size) without
                 END_HEADERS, until the client leaves
  window-0       SETTINGS INITIAL_WINDOW_SIZE=0 and never a WINDOW_UPDATE:
                 the client may not send its request DATA; no answer
  trickle        the whole serving answer, one byte every 200 ms
  goaway         SETTINGS, then GOAWAY (last stream 0, PROTOCOL_ERROR)
                 right after the client preface, then close
  rst            RST_STREAM (INTERNAL_ERROR) on stream 1 once the request
                 headers arrive; the connection stays open
  silent         reads everything, never writes

--log F gets one line per event: "tls ALPN VERSION", "preface ok" or
"preface bad HEX", "frame TYPE flags=0xF stream=N len=N", "header NAME:
VALUE" (HPACK decoded; Huffman strings shown as huffman:HEX), "message
HEX" (the request DATA), "eof" (the client left), "close" (the server
did).

Usage in a suite:
  spawn python3 tests/tools/h2-hostile.py --mode window-0 --port 0 \\
      --port-file "$WORK/h2-window-0.port" --log "$WORK/h2-window-0.log"
  wait_for 50 test -s "$WORK/h2-window-0.port"
Exit: 0 on SIGTERM, 2 usage or unusable certificate/key."""
import argparse
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
TYPE_NAMES = "DATA HEADERS PRIORITY RST_STREAM SETTINGS PUSH_PROMISE PING GOAWAY WINDOW_UPDATE CONTINUATION".split()
END_STREAM = ACK = 0x1
END_HEADERS = 0x4
PADDED = 0x8
PRIORITY_FLAG = 0x20
FRAME_CAP = 1 << 20  # the largest client frame this server reads

# RFC 7541 Appendix A, for logging the client's request headers.
STATIC_TABLE = [
    (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
    (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
    (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
    ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""),
    ("cache-control", ""), ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""),
    ("content-length", ""), ("content-location", ""), ("content-range", ""), ("content-type", ""),
    ("cookie", ""), ("date", ""), ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""),
    ("if-match", ""), ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""),
    ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""),
    ("proxy-authenticate", ""), ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""),
    ("retry-after", ""), ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""),
    ("transfer-encoding", ""), ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
]

log_lock = threading.Lock()
log_path = None


def log(line):
    if not log_path:
        return
    with log_lock, open(log_path, "a") as f:
        f.write(line + "\n")


def frame(ftype, flags, stream, payload=b"", length=None):
    """One frame; length overrides the header's length field (bad-frame)."""
    n = len(payload) if length is None else length
    return struct.pack(">I", n)[1:] + bytes([ftype, flags]) + struct.pack(">I", stream & 0x7FFFFFFF) + payload


def settings(*pairs):
    return frame(SETTINGS, 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in pairs))


def literal(name, value):
    """HPACK literal header field without indexing, new name, no Huffman
    (names and values here are shorter than 127 bytes)."""
    return bytes([0x00, len(name)]) + name + bytes([len(value)]) + value


# :status 200 is static index 8 (0x88); content-type is static index 31, sent
# as a literal without indexing with an indexed name: 0x0f 0x10 (31 = 15 + 16).
RESPONSE_HEADERS = b"\x88" + b"\x0f\x10" + bytes([16]) + b"application/grpc"
TRAILERS_OK = literal(b"grpc-status", b"0")
SERVING_MESSAGE = b"\x00\x00\x00\x00\x02\x08\x01"
NOT_SERVING_MESSAGE = b"\x00\x00\x00\x00\x02\x08\x02"


def answer(message, trailers=TRAILERS_OK):
    """The frames a correct server sends for stream 1 after its preface."""
    out = frame(HEADERS, END_HEADERS, 1, RESPONSE_HEADERS) + frame(DATA, 0, 1, message)
    return out + frame(HEADERS, END_HEADERS | END_STREAM, 1, trailers)


class Hpack:
    """Just enough of a decoder to log what the client asked for."""

    def __init__(self):
        self.dynamic = []

    @staticmethod
    def integer(buf, i, prefix):
        mask = (1 << prefix) - 1
        v = buf[i] & mask
        i += 1
        if v < mask:
            return v, i
        shift = 0
        while True:
            b = buf[i]
            i += 1
            v += (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return v, i

    def string(self, buf, i):
        huffman = buf[i] & 0x80
        n, i = self.integer(buf, i, 7)
        raw = bytes(buf[i : i + n])
        text = "huffman:" + raw.hex() if huffman else raw.decode("latin-1")
        return text, i + n

    def entry(self, index):
        if 1 <= index <= len(STATIC_TABLE):
            return STATIC_TABLE[index - 1]
        d = index - len(STATIC_TABLE) - 1
        return self.dynamic[d] if 0 <= d < len(self.dynamic) else (f"<bad index {index}>", "")

    def decode(self, buf):
        i, out = 0, []
        while i < len(buf):
            b = buf[i]
            if b & 0x80:  # indexed field
                index, i = self.integer(buf, i, 7)
                out.append(self.entry(index))
                continue
            if b & 0xE0 == 0x20:  # dynamic table size update
                _, i = self.integer(buf, i, 5)
                continue
            indexing = b & 0xC0 == 0x40
            index, i = self.integer(buf, i, 6 if indexing else 4)
            name = self.entry(index)[0] if index else None
            if name is None:
                name, i = self.string(buf, i)
            value, i = self.string(buf, i)
            if indexing:
                self.dynamic.insert(0, (name, value))
            out.append((name, value))
        return out


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def read_frame(sock):
    head = read_exact(sock, 9)
    length = int.from_bytes(head[:3], "big")
    if length > FRAME_CAP:
        raise EOFError
    ftype, flags, stream = head[3], head[4], int.from_bytes(head[5:], "big") & 0x7FFFFFFF
    payload = read_exact(sock, length)
    name = TYPE_NAMES[ftype] if ftype < len(TYPE_NAMES) else f"type{ftype}"
    log(f"frame {name} flags=0x{flags:x} stream={stream} len={length}")
    return ftype, flags, stream, payload


def header_block(ftype, flags, payload):
    """The header block fragment of a HEADERS or CONTINUATION payload."""
    if ftype == HEADERS:
        pad = 0
        if flags & PADDED:
            pad, payload = payload[0], payload[1:]
        if flags & PRIORITY_FLAG:
            payload = payload[5:]
        payload = payload[: len(payload) - pad]
    return payload


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.hpack = Hpack()
        self.block = b""

    def send(self, data):
        self.sock.sendall(data)

    def read_preface(self):
        got = read_exact(self.sock, len(PREFACE))
        if got != PREFACE:
            log(f"preface bad {got.hex()}")
            raise EOFError
        log("preface ok")

    def read_until(self, want):
        """Read client frames, acknowledging SETTINGS and PING, until want
        ("headers": stream 1's header block is complete; "end": stream 1
        ended; "eof": the client left)."""
        while True:
            ftype, flags, stream, payload = read_frame(self.sock)
            if ftype == SETTINGS and not flags & ACK:
                self.send(frame(SETTINGS, ACK, 0))
            elif ftype == PING and not flags & ACK:
                self.send(frame(PING, ACK, 0, payload))
            elif ftype in (HEADERS, CONTINUATION):
                self.block += header_block(ftype, flags, payload)
                if flags & END_HEADERS:
                    for name, value in self.hpack.decode(self.block):
                        log(f"header {name}: {value}")
                    self.block = b""
                    if want == "headers" and stream == 1:
                        return
            elif ftype == DATA and payload:
                log(f"message {payload.hex()}")
            if want == "end" and stream == 1 and ftype in (HEADERS, DATA) and flags & END_STREAM:
                return


def trickle(conn, data):
    for i in range(len(data)):
        conn.send(data[i : i + 1])
        time.sleep(0.2)


def serve(conn, mode):
    if mode == "bad-preface":
        conn.sock.recv(4096)
        conn.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\nConnection: close\r\n\r\nbad request")
        log("sent HTTP/1.1 400")
        return
    conn.read_preface()
    if mode == "huge-settings":
        conn.send(settings(*[(0x1, 4096)] * 20000))
        conn.read_until("eof")
    elif mode == "bad-frame":
        conn.send(frame(SETTINGS, 0, 0, b"\x00\x01\x00\x00\x10", length=5))
        conn.read_until("eof")
    elif mode == "goaway":
        conn.send(settings() + frame(GOAWAY, 0, 0, struct.pack(">II", 0, 0x1) + b"lucid test"))
        time.sleep(0.2)
    elif mode == "window-0":
        conn.send(settings((0x4, 0)))
        conn.read_until("eof")
    elif mode == "silent":
        conn.read_until("eof")
    elif mode == "rst":
        conn.send(settings())
        conn.read_until("headers")
        conn.send(frame(RST_STREAM, 0, 1, struct.pack(">I", 0x2)))
        conn.read_until("eof")
    elif mode == "data-stream0":
        conn.send(settings())
        conn.read_until("headers")
        conn.send(frame(DATA, 0, 0, b"\x00\x00\x00\x00\x02\x08\x01"))
        conn.read_until("eof")
    elif mode == "continuation":
        conn.send(settings())
        conn.read_until("end")
        conn.send(frame(HEADERS, 0, 1, RESPONSE_HEADERS))
        # 147 fields of 111 bytes: 16317, within the default 16384 frame size.
        filler = literal(b"x-filler", b"a" * 100) * 147
        while True:
            conn.send(frame(CONTINUATION, 0, 1, filler))
    else:
        conn.send(settings())
        conn.read_until("end")
        if mode == "trickle":
            trickle(conn, answer(SERVING_MESSAGE))
        elif mode == "not-found":
            block = RESPONSE_HEADERS + literal(b"grpc-status", b"5") + literal(b"grpc-message", b"unknown service")
            conn.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, block))
        elif mode == "no-trailers":
            conn.send(frame(HEADERS, END_HEADERS, 1, RESPONSE_HEADERS) + frame(DATA, END_STREAM, 1, SERVING_MESSAGE))
        elif mode == "http-503":
            conn.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, b"\x08\x03503"))
        elif mode == "huge-message":
            prefix = b"\x00\x7f\xff\xff\xff"
            conn.send(frame(HEADERS, END_HEADERS, 1, RESPONSE_HEADERS) + frame(DATA, 0, 1, prefix + b"\x00" * 16379))
        else:
            conn.send(answer(SERVING_MESSAGE if mode == "serving" else NOT_SERVING_MESSAGE))
        conn.read_until("eof")


def handle(sock, mode, ctx):
    try:
        if ctx:
            sock = ctx.wrap_socket(sock, server_side=True)
            log(f"tls {sock.selected_alpn_protocol() or '-'} {sock.version()}")
        serve(Conn(sock), mode)
        log("close")
    except EOFError:
        log("eof")
    except (OSError, ssl.SSLError) as e:
        log(f"eof ({e.__class__.__name__})")
    finally:
        sock.close()


MODES = ("serving not-serving not-found no-trailers http-503 huge-message bad-preface huge-settings bad-frame "
         "data-stream0 continuation window-0 trickle goaway rst silent").split()


def main():
    global log_path
    p = argparse.ArgumentParser(description="hostile HTTP/2 gRPC health server (see the module docstring)")
    p.add_argument("--mode", required=True, choices=MODES)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--port-file")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--log")
    a = p.parse_args()
    log_path = a.log
    ctx = None
    if a.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            ctx.load_cert_chain(*a.tls)
        except (ssl.SSLError, OSError) as e:
            print(f"h2-hostile: {a.tls[0]}, {a.tls[1]}: {e}", file=sys.stderr)
            sys.exit(2)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_alpn_protocols(["h2"])

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", a.port))
    listener.listen(64)
    signal.signal(signal.SIGTERM, lambda sig, frame: sys.exit(0))
    port = listener.getsockname()[1]
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(f"{port}\n")
        os.rename(a.port_file + ".tmp", a.port_file)
    print(port, flush=True)
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=handle, args=(sock, a.mode, ctx), daemon=True).start()


if __name__ == "__main__":
    main()

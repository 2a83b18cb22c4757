"""tests/fuzz/seeds.py HOSTILE_SERVER: write the seeds the suites' hostile
server gives, one per scenario, into tests/fuzz/corpus (http_head/hostile-NAME:
the whole response; chunked/hostile-NAME: its body, after a needle). Run it
when tests/tools/hostile-server.c gains a scenario; tests/fuzz/run replay
checks that every scenario has its seed. Exit: 0, or 1 if a server failed."""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
server = sys.argv[1]
src = open(os.path.join(root, "tests/tools/hostile-server.c")).read()
names = re.findall(r'"([a-z0-9-]+)"', re.search(r"scenarios\[\] = \{(.*?)\};", src, re.S).group(1))
names += ["200", "204", "301", "404", "500", "503"]
NEEDLE = b"ready"


def capture(name):
    with tempfile.TemporaryDirectory() as d:
        pf = os.path.join(d, "port")
        p = subprocess.Popen([server, name, "--port", "0", "--port-file", pf], stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                if os.path.exists(pf) and os.path.getsize(pf):
                    break
                time.sleep(0.05)
            port = int(open(pf).read())
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=1.5)
            except OSError:
                return b""  # backlog: the server never accepts
            s.settimeout(1.5)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: lucid-health\r\n\r\n")
            got = b""
            try:
                while len(got) < 24576:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    got += chunk
            except (socket.timeout, ConnectionResetError):
                pass
            s.close()
            return got[:24576]  # seeds stay small
        finally:
            p.kill()
            p.wait()


for name in names:
    data = capture(name)
    with open(os.path.join(here, "corpus/http_head", "hostile-" + name), "wb") as f:
        f.write(data)
    body = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else data
    with open(os.path.join(here, "corpus/chunked", "hostile-" + name), "wb") as f:
        f.write(bytes([len(NEEDLE)]) + NEEDLE + body)
    print("%-14s %6d bytes" % (name, len(data)))

#!/usr/bin/env python3
"""bench/bench.py PREFIX [--quick] [--out DIR]: lucid against every tool a user
would pick instead, side by side in one run (bench/run calls it).

Areas, each measured interleaved (one run of every tool per round, the order
rotating each round, so drift hits all alike), reported as the median with
p10-p90 and the ratio to lucid in the same run:
  probe    lucid-health, curl -fsS, GNU wget, busybox wget, python requests,
           python urllib: wall and CPU time (user+sys from wait4), peak RSS,
           bytes on disk with every shared library or module each needs;
           against nginx on loopback and against an endpoint that answers
           after 100 ms; the Raspberry Pi line derived from the CPU time
  init     lucid-init, tini, tini-static, dumb-init, catatonit as PID 1 of a
           fresh PID namespace, and bare /bin/true under the same unshare:
           start to exit, idle wake-ups, PID 1's peak RSS, reaping 10,000
           orphans, SIGUSR1 forwarding latency, podman stop
  filters  bench/filters.py: ns per syscall under each filter, BPF paths
  size     stripped bytes per binary and arch; bytes a service image gains
           with lucid against tini + gosu + curl with their libraries

Writes DIR/latest.md, DIR/*.dat and DIR/*.svg (gnuplot). DIR is bench/results
(committed when the numbers are refreshed), or .cache/bench-quick with
--quick (a one-minute pass). A number never fails the run; a compared tool
that did not really run does: exit 1 with one line saying which (curl got a
404, an init exited before the signal), so no ratio comes from a broken run.
"""
import argparse
import json
import os
import platform
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBES_PER_DAY = 86400 // 30  # a HEALTHCHECK every 30 s
SERVICES = 25  # the fleet of the seed reports, on one Raspberry Pi
PYTHON = "/usr/bin/python3"  # Debian's, with python3-requests: what the images run


class Broken(Exception):
    """A compared tool did not really run: no ratio may come from it."""


def native_dir():
    return {"x86_64": "linux-amd64", "aarch64": "linux-arm64"}.get(platform.machine(), "native")


def pct(values, q):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summary(values):
    return {"median": statistics.median(values), "p10": pct(values, 0.1), "p90": pct(values, 0.9), "n": len(values)}


def rotate(items, r):
    r %= len(items)
    return items[r:] + items[:r]


class Bench:
    def __init__(self, prefix, quick, out):
        self.prefix = prefix
        self.quick = quick
        self.out = out
        self.bin = os.path.join(prefix, native_dir())
        self.tools = os.path.join(prefix, "tests", native_dir())
        self.runstat = os.path.join(self.tools, "runstat")
        self.work = tempfile.mkdtemp(prefix="lucid-bench.")
        self.rows = []  # {table, tool, metric, unit, median, p10, p90, ratio}
        self.targets = []  # {name, value, target, pass}
        self.notes = []
        self.procs = []

    # --- measuring -------------------------------------------------------
    def run(self, cmd, want_status=0, what=None, rss=False):
        """One run of CMD through runstat: status, wall_ns, cpu_us, maxrss_kib,
        exit_rss_kib (rss=True: traced, so no timing) and CMD's own output.
        Raises Broken when CMD's exit status is not want_status (None: any)."""
        p = subprocess.run([self.runstat] + (["--rss"] if rss else []) + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = p.stdout.strip().splitlines()
        if p.returncode != 0 or not lines or not lines[-1].startswith("status="):
            raise Broken(f"{what or cmd[0]}: could not be run ({p.stderr.strip()[:200]})")
        r = dict(kv.split("=") for kv in lines[-1].split())
        r = {k: int(v) for k, v in r.items()}
        r["output"] = "\n".join(lines[:-1])
        status = r["status"]
        code = status >> 8 if status & 0x7F == 0 else 128 + (status & 0x7F)
        r["code"] = code
        if want_status is not None and code != want_status:
            raise Broken(f"{what or cmd[0]}: exited {code}, expected {want_status}: {p.stderr.strip()[:200]}")
        return r

    def row(self, table, tool, metric, unit, values, lucid=None):
        s = summary(values)
        self.rows.append(dict(table=table, tool=tool, metric=metric, unit=unit, ratio=None, **s))
        return s

    def target(self, name, value, target, ok):
        self.targets.append({"name": name, "value": value, "target": target, "pass": bool(ok)})
        print(f"{'PASS' if ok else 'MISS'}  {name}: {value} (target {target})", flush=True)

    def ratios(self, table, lucid_tool):
        """Each row's median over lucid's for the same metric, in this run."""
        base = {r["metric"]: r["median"] for r in self.rows if r["table"] == table and r["tool"] == lucid_tool}
        for r in self.rows:
            if r["table"] == table and base.get(r["metric"]):
                r["ratio"] = r["median"] / base[r["metric"]]

    def median_of(self, table, tool, metric):
        for r in self.rows:
            if r["table"] == table and r["tool"] == tool and r["metric"] == metric:
                return r["median"]
        raise Broken(f"no {metric} for {tool}")

    def spawn(self, cmd, **kw):
        p = subprocess.Popen(cmd, **kw)
        self.procs.append(p)
        return p

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(self.work, ignore_errors=True)

    # --- bytes on disk ----------------------------------------------------
    @staticmethod
    def elf_closure(path):
        """The file and every shared library ldd says it loads, real paths."""
        path = shutil.which(path) or path
        files = {os.path.realpath(path)}
        p = subprocess.run(["ldd", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in p.stdout.splitlines():
            parts = line.split()
            for tok in parts:
                if tok.startswith("/") and os.path.exists(tok):
                    files.add(os.path.realpath(tok))
        return files

    def python_closure(self, imports):
        code = f"import sys, {imports}; print('\\n'.join(m.__file__ for m in list(sys.modules.values()) if getattr(m, '__file__', None)))"
        p = subprocess.run([PYTHON, "-c", code], stdout=subprocess.PIPE, text=True, check=True)
        files = self.elf_closure(PYTHON)
        for f in p.stdout.split():
            files.add(os.path.realpath(f))
            for so in self.elf_closure(f) if f.endswith(".so") else ():
                files.add(so)
        return files

    @staticmethod
    def size_of(files):
        return sum(os.path.getsize(f) for f in files)

    # --- probe --------------------------------------------------------------
    def free_port(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        return port

    def wait_port(self, port, what):
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise Broken(f"{what} did not listen on 127.0.0.1:{port}")

    def start_servers(self):
        port = self.free_port()
        conf = os.path.join(self.work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""daemon off; master_process off; pid {self.work}/nginx.pid; error_log {self.work}/nginx.err;
events {{ worker_connections 64; }}
http {{ access_log off; client_body_temp_path {self.work}; proxy_temp_path {self.work};
  fastcgi_temp_path {self.work}; uwsgi_temp_path {self.work}; scgi_temp_path {self.work};
  server {{ listen 127.0.0.1:{port};
    location = /health {{ return 200 "ok\\n"; }}
    location = /fail {{ return 503 "down\\n"; }} }} }}
""")
        self.spawn(["nginx", "-c", conf, "-p", self.work], stderr=subprocess.DEVNULL)
        self.wait_port(port, "nginx")
        slow = self.free_port()
        # One answer per connection, 100 ms after the request: the waiting,
        # separated from each tool's fixed cost.
        server = """
import asyncio, sys
async def answer(r, w):
    try:
        await r.readuntil(b"\\r\\n\\r\\n")
        await asyncio.sleep(0.1)
        w.write(b"HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\nConnection: close\\r\\n\\r\\nok\\n")
        await w.drain()
    except (OSError, asyncio.IncompleteReadError):
        pass  # the readiness check connects and hangs up
    w.close()
async def main():
    s = await asyncio.start_server(answer, "127.0.0.1", int(sys.argv[1]))
    await s.serve_forever()
asyncio.run(main())
"""
        self.spawn(["python3", "-c", server, str(slow)])
        self.wait_port(slow, "the 100 ms server")
        return f"http://127.0.0.1:{port}", f"http://127.0.0.1:{slow}"

    def probe_tools(self):
        req = "import sys, requests; sys.exit(0 if requests.get(sys.argv[1], timeout=5).ok else 1)"
        lib = "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)"
        health = os.path.join(self.bin, "lucid-health")
        plain = os.path.join(self.bin, "lucid-health-http")
        return [
            ("lucid-health", lambda u: [health, u], {health}),
            ("lucid-health-http", lambda u: [plain, u], {plain}),
            # The cost of any exec: a static program that exits at once.
            ("exec floor (static no-op)", lambda u: [self.runstat], {self.runstat}),
            ("curl -fsS", lambda u: ["curl", "-fsS", "-o", "/dev/null", u], self.elf_closure("curl")),
            ("GNU wget", lambda u: ["wget", "-q", "-O", "/dev/null", u], self.elf_closure("wget")),
            ("busybox wget", lambda u: ["busybox", "wget", "-q", "-O", "/dev/null", u], self.elf_closure("busybox")),
            ("python requests", lambda u: [PYTHON, "-c", req, u], self.python_closure("requests")),
            ("python urllib", lambda u: [PYTHON, "-c", lib, u], self.python_closure("urllib.request")),
        ]

    def bench_probe(self):
        print("== probe", flush=True)
        fast, slow = self.start_servers()
        tools = self.probe_tools()
        # Each tool must really probe: healthy on /health, unhealthy on a 503.
        for name, cmd, _ in tools:
            if name.startswith("exec floor"):
                continue
            self.run(cmd(fast + "/health"), 0, f"{name} on {fast}/health")
            r = self.run(cmd(fast + "/fail"), None, f"{name} on {fast}/fail")
            if r["code"] == 0:
                raise Broken(f"{name}: exited 0 on HTTP 503, so it does not check the status")
        for label, base, rounds in (("fast", fast, 10 if self.quick else 100), ("100 ms", slow, 3 if self.quick else 15)):
            data = {name: {"wall": [], "cpu": [], "rss": []} for name, _, _ in tools}
            for rnd in range(rounds):
                for name, cmd, _ in rotate(tools, rnd):
                    r = self.run(cmd(base + "/health"), 2 if name.startswith("exec floor") else 0,
                                 f"{name} on {base}/health")
                    data[name]["wall"].append(r["wall_ns"] / 1e6)
                    data[name]["cpu"].append(r["cpu_us"] / 1e3)
            # Memory from separate, traced runs (runstat --rss): the larger of
            # wait4's peak and the exact RSS at exit.
            for rnd in range(2 if self.quick else 5):
                for name, cmd, _ in rotate(tools, rnd):
                    r = self.run(cmd(base + "/health"), 2 if name.startswith("exec floor") else 0,
                                 f"{name} on {base}/health", rss=True)
                    data[name]["rss"].append(max(r["maxrss_kib"], r["exit_rss_kib"]))
            table = f"probe ({label} endpoint)"
            for name, _, files in tools:
                d = data[name]
                self.row(table, name, "wall per probe", "ms", d["wall"])
                self.row(table, name, "CPU per probe", "ms", d["cpu"])
                self.row(table, name, "peak RSS", "KiB", d["rss"])
                if label == "fast":
                    self.row(table, name, "bytes on disk (with libraries)", "B", [self.size_of(files)])
                    cpu_s = statistics.median(d["cpu"]) / 1e3
                    self.row(table, name, f"CPU-s/day, {SERVICES} services every 30 s (derived)", "s",
                             [cpu_s * PROBES_PER_DAY * SERVICES])
            self.ratios(table, "lucid-health")
        t = "probe (fast endpoint)"
        ours = self.median_of(t, "lucid-health", "wall per probe")
        curl = self.median_of(t, "curl -fsS", "wall per probe")
        self.target("probe wall, lucid-health / curl", round(ours / curl, 3), "<= 0.1", ours <= 0.1 * curl)
        ours = self.median_of(t, "lucid-health", "CPU per probe")
        curl = self.median_of(t, "curl -fsS", "CPU per probe")
        req = self.median_of(t, "python requests", "CPU per probe")
        self.target("CPU per probe, lucid-health / curl", round(ours / curl, 4), "<= 0.05", ours <= 0.05 * curl)
        self.target("CPU per probe, lucid-health / python requests", round(ours / req, 5), "<= 0.002",
                    ours <= 0.002 * req)
        for tool in ("lucid-health", "lucid-health-http"):
            rss = max(r["p90"] for r in self.rows if r["table"] == t and r["tool"] == tool and r["metric"] == "peak RSS")
            self.target(f"peak RSS of {tool} (KiB, p90)", rss, "<= 256", rss <= 256)
        self.notes.append(
            "The Raspberry Pi line is derived, not measured on a Pi: the CPU time per probe measured here, "
            f"times {PROBES_PER_DAY} probes a day (every 30 s), times {SERVICES} services. A Pi's cores are "
            "slower than this machine's, so every tool's figure grows by about the same factor; the ratios hold.")
        self.notes.append(
            "peak RSS is the larger of wait4's ru_maxrss and the exact RSS at exit (smaps_rollup, read with the "
            "process stopped at its exit by ptrace; tests/tools/runstat --rss), in runs apart from the timed ones: "
            "since Linux 6.2 the kernel counts RSS per CPU in 32-page batches, so ru_maxrss alone reads 0 for a "
            "process of about 100 KiB. The python tools' bytes on disk count the interpreter with its libraries "
            "and every module file the import loads.")

    # --- https and grpc -----------------------------------------------------
    def bench_protocols(self):
        """lucid-health over http, https (TLS 1.3) and gRPC next to curl and
        grpcio's own Python client, in one interleaved run."""
        print("== https and grpc", flush=True)
        venv = os.path.join(ROOT, ".cache/venv-grpc/bin/python3")
        if not os.access(venv, os.X_OK):
            raise Broken(f"no {venv} (deps/host-setup grpc makes it)")
        pki = os.path.join(self.work, "pki")
        subprocess.run(["sh", os.path.join(ROOT, "tests/tools/testca.sh"), pki], check=True, stdout=subprocess.DEVNULL)
        http, https = self.free_port(), self.free_port()
        conf = os.path.join(self.work, "nginx-tls.conf")
        with open(conf, "w") as f:
            f.write(f"""daemon off; master_process off; pid {self.work}/nginx-tls.pid; error_log {self.work}/nginx-tls.err;
events {{ worker_connections 64; }}
http {{ access_log off; client_body_temp_path {self.work}; proxy_temp_path {self.work};
  fastcgi_temp_path {self.work}; uwsgi_temp_path {self.work}; scgi_temp_path {self.work};
  server {{ listen 127.0.0.1:{http}; listen 127.0.0.1:{https} ssl;
    ssl_certificate {pki}/server.crt; ssl_certificate_key {pki}/server.key; ssl_protocols TLSv1.2 TLSv1.3;
    location = /health {{ return 200 "ok\\n"; }}
    location = /fail {{ return 503 "down\\n"; }} }} }}
""")
        self.spawn(["nginx", "-c", conf, "-p", self.work], stderr=subprocess.DEVNULL)
        self.wait_port(https, "nginx with TLS")
        grpc = self.free_port()
        self.spawn([venv, os.path.join(ROOT, "tests/tools/grpc-health-server.py"), "--port", str(grpc)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait_port(grpc, "the grpcio health server")
        health = os.path.join(self.bin, "lucid-health")
        check = ("import sys, grpc; from grpc_health.v1 import health_pb2 as p, health_pb2_grpc as g; "
                 "c = grpc.insecure_channel(sys.argv[1]); "
                 "r = g.HealthStub(c).Check(p.HealthCheckRequest(service=sys.argv[2]), timeout=5); "
                 "sys.exit(0 if r.status == p.HealthCheckResponse.SERVING else 1)")
        areas = {
            "http": [("lucid-health", [health, f"http://127.0.0.1:{http}/health"]),
                     ("curl -fsS", ["curl", "-fsS", "-o", "/dev/null", f"http://127.0.0.1:{http}/health"])],
            "https (TLS 1.3, not verified)": [
                ("lucid-health", [health, f"https://127.0.0.1:{https}/health"]),
                ("curl -fsS -k", ["curl", "-fsSk", "-o", "/dev/null", f"https://127.0.0.1:{https}/health"])],
            "https (TLS 1.3, verified)": [
                ("lucid-health", [health, "--cacert", f"{pki}/ca.crt", f"https://localhost:{https}/health"]),
                ("curl -fsS --cacert", ["curl", "-fsS", "--cacert", f"{pki}/ca.crt", "-o", "/dev/null",
                                        f"https://localhost:{https}/health"])],
            "grpc": [("lucid-health", [health, f"grpc://127.0.0.1:{grpc}"]),
                     ("python grpcio", [venv, "-c", check, f"127.0.0.1:{grpc}", ""])],
        }
        # Each must really probe: an unhealthy answer must fail it.
        bad = {"http": f"http://127.0.0.1:{http}/fail", "https": f"https://127.0.0.1:{https}/fail"}
        self.run([health, bad["https"]], 1, "lucid-health on an https 503")
        self.run(["curl", "-fsSk", "-o", "/dev/null", bad["https"]], 22, "curl on an https 503")
        self.run([health, "--service", "nope", f"grpc://127.0.0.1:{grpc}"], 1, "lucid-health on an unknown gRPC service")
        self.run([venv, "-c", check, f"127.0.0.1:{grpc}", "nope"], None, "grpcio on an unknown service")
        rounds = 5 if self.quick else 40
        for area, tools in areas.items():
            data = {name: {"wall": [], "cpu": [], "rss": []} for name, _ in tools}
            for rnd in range(rounds):
                for name, cmd in rotate(tools, rnd):
                    r = self.run(cmd, 0, f"{name} ({area})")
                    data[name]["wall"].append(r["wall_ns"] / 1e6)
                    data[name]["cpu"].append(r["cpu_us"] / 1e3)
            for rnd in range(2 if self.quick else 5):
                for name, cmd in rotate(tools, rnd):
                    r = self.run(cmd, 0, f"{name} ({area})", rss=True)
                    data[name]["rss"].append(max(r["maxrss_kib"], r["exit_rss_kib"]))
            table = f"probe over {area}"
            for name, _ in tools:
                d = data[name]
                self.row(table, name, "wall per probe", "ms", d["wall"])
                self.row(table, name, "CPU per probe", "ms", d["cpu"])
                self.row(table, name, "peak RSS", "KiB", d["rss"])
            self.ratios(table, "lucid-health")
        self.notes.append(
            "https and grpc: nginx with TLS 1.2 and 1.3 (an EC P-256 certificate from tests/tools/testca.sh) and "
            "grpcio's own health servicer (tests/tools/grpc-health-server.py, the pinned venv); the Python "
            "client is grpcio's HealthStub.Check, as grpc_health_probe is not packaged in Debian.")

    # --- init ---------------------------------------------------------------
    def inits(self):
        lucid = os.path.join(self.bin, "lucid-init")
        return [
            ("lucid-init", [lucid, "--"]),
            ("tini", ["tini", "--"]),
            ("tini-static", ["tini-static", "--"]),
            ("dumb-init", ["dumb-init"]),
            ("catatonit", ["catatonit", "--"]),
        ]

    @staticmethod
    def ns(cmd):
        return ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"] + cmd

    @staticmethod
    def child_of(pid):
        for _ in range(200):
            try:
                with open(f"/proc/{pid}/task/{pid}/children") as f:
                    kids = f.read().split()
                if kids:
                    return int(kids[0])
            except OSError:
                pass
            time.sleep(0.01)
        return None

    @staticmethod
    def rss_kib(pid):
        """Exact resident memory (a page-table walk), unlike VmRSS/VmHWM."""
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    return int(line.split()[1])
        raise Broken(f"no Rss in /proc/{pid}/smaps_rollup")

    @staticmethod
    def status_field(pid, key):
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return None

    def bench_init(self):
        print("== init", flush=True)
        inits = self.inits()
        table = "init (PID 1 of a fresh PID namespace)"
        floor = ("bare /bin/true (floor)", [])
        # Start to exit of `X -- /bin/true`.
        starts = {name: [] for name, _ in inits + [floor]}
        for rnd in range(20 if self.quick else 200):
            for name, cmd in rotate(inits + [floor], rnd):
                r = self.run(self.ns(cmd + ["/bin/true"]), 0, f"{name} -- /bin/true")
                starts[name].append(r["wall_ns"] / 1e3)
        for name, _ in inits + [floor]:
            self.row(table, name, "start to exit, X -- /bin/true", "us", starts[name])

        # Idle: every init as PID 1 over a sleeping service, all in the same window.
        window = 3 if self.quick else 10
        running = []
        for name, cmd in inits:
            p = self.spawn(self.ns(cmd + ["sleep", "600"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            running.append((name, p))
        time.sleep(1)
        before = {}
        for name, p in running:
            pid1 = self.child_of(p.pid)
            if not pid1 or p.poll() is not None:
                raise Broken(f"{name}: PID 1 exited before the idle window")
            before[name] = (pid1, self.status_field(pid1, "voluntary_ctxt_switches") +
                            self.status_field(pid1, "nonvoluntary_ctxt_switches"))
        time.sleep(window)
        for name, p in running:
            pid1, b = before[name]
            if p.poll() is not None:
                raise Broken(f"{name}: PID 1 exited during the idle window")
            a = self.status_field(pid1, "voluntary_ctxt_switches") + self.status_field(pid1, "nonvoluntary_ctxt_switches")
            self.row(table, name, f"wake-ups of PID 1 in {window} s idle", "", [a - b])
            self.row(table, name, "RSS of PID 1 (idle)", "KiB", [self.rss_kib(pid1)])
            p.kill()
            p.wait()

        # Reaping 10,000 orphans.
        orphans = os.path.join(self.tools, "orphans")
        reap = {name: [] for name, _ in inits}
        for rnd in range(1 if self.quick else 3):
            for name, cmd in rotate(inits, rnd):
                r = self.run(self.ns(cmd + [orphans, "10000"]), 0, f"{name} reaping 10,000 orphans")
                ms = [int(kv.split("=")[1]) for kv in r["output"].split() if kv.startswith("reap_ms=")]
                if not ms or not ms[0]:
                    raise Broken(f"{name}: orphans reported no reaping time: {r['output']!r}")
                reap[name].append(ms[0])
        for name, _ in inits:
            self.row(table, name, "10,000 orphans reaped", "ms", reap[name])

        self.bench_signals(inits, table)
        self.bench_podman_stop(inits, table)
        self.ratios(table, "lucid-init")

        ours = self.median_of(table, "lucid-init", "start to exit, X -- /bin/true")
        tini = self.median_of(table, "tini", "start to exit, X -- /bin/true")
        bare = self.median_of(table, "bare /bin/true (floor)", "start to exit, X -- /bin/true")
        self.target("init start, lucid-init / tini", round(ours / tini, 3), "<= 0.8", ours <= 0.8 * tini)
        self.target("init start, lucid-init / bare /bin/true", round(ours / bare, 3), "<= 1.3", ours <= 1.3 * bare)
        p99 = {n: pct(v, 0.99) for n, v in self.latency.items()}
        self.target("signal forward p99, lucid-init vs tini (us)", f"{p99['lucid-init']:.1f} vs {p99['tini']:.1f}",
                    "<= tini", p99["lucid-init"] <= p99["tini"])
        r = self.median_of(table, "lucid-init", "10,000 orphans reaped")
        self.target("10,000 orphans reaped by lucid-init (ms)", r, "<= 1000", r <= 1000)
        w = self.median_of(table, "lucid-init", f"wake-ups of PID 1 in {window} s idle")
        self.target(f"idle wake-ups of lucid-init in {window} s", w, "0", w == 0)
        self.notes.append(
            "lucid-init does more than the others on every start: it drops root to 65532 with libcap-ng, "
            "sets no_new_privs and installs two seccomp filters (its own and the service's).")
        self.notes.append(
            "reaping time is from the last fork of tests/tools/orphans to its first /proc scan that finds no "
            "orphan left, not even a zombie; a scan of 10,000 entries takes tens of ms itself.")

    def bench_signals(self, inits, table):
        stamp = os.path.join(self.tools, "sigstamp")
        n = 200 if self.quick else 1000
        live = []
        for name, cmd in inits:
            p = self.spawn(self.ns(cmd + [stamp]), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            live.append((name, p))
        pid1 = {}
        for name, p in live:
            if not self.readline(p, 5).startswith(b"ready"):
                raise Broken(f"{name}: the service never started")
            pid1[name] = self.child_of(p.pid)
        self.latency = {name: [] for name, _ in inits}
        for rnd in range(n):
            for name, p in rotate(live, rnd):
                t0 = time.monotonic_ns()
                os.kill(pid1[name], signal.SIGUSR1)
                line = self.readline(p, 2)
                if not line.strip().isdigit():
                    raise Broken(f"{name}: SIGUSR1 to PID 1 never reached the service (signal {rnd + 1})")
                self.latency[name].append((int(line) - t0) / 1e3)
        for name, p in live:
            os.kill(pid1[name], signal.SIGTERM)
            p.wait(10)
        for name, _ in inits:
            s = self.row(table, name, "SIGUSR1 forward latency", "us", self.latency[name])
            self.rows[-1]["p99"] = pct(self.latency[name], 0.99)
            print(f"   {name}: signal median {s['median']:.1f} us, p99 {self.rows[-1]['p99']:.1f} us", flush=True)

    @staticmethod
    def readline(p, timeout):
        fd = p.stdout.fileno()
        buf = b""
        end = time.time() + timeout
        while not buf.endswith(b"\n"):
            r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
            if not r:
                return buf
            c = os.read(fd, 1)
            if not c:
                return buf
            buf += c
        return buf

    def bench_podman_stop(self, inits, table):
        """`podman stop` of the same service (busybox sleep) under each init,
        in a FROM scratch image holding the init, its libraries and busybox."""
        if not shutil.which("podman"):
            raise Broken("podman is not installed (deps/host-setup e2e)")
        env = dict(os.environ, CONTAINERS_CONF=os.path.join(ROOT, "tests/e2e/containers.conf"))
        images = {}
        for name, cmd in inits:
            ctx = os.path.join(self.work, "img-" + name)
            os.makedirs(os.path.join(ctx, "root/etc"))
            with open(os.path.join(ctx, "root/etc/passwd"), "w") as f:
                f.write("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")
            with open(os.path.join(ctx, "root/etc/group"), "w") as f:
                f.write("root:x:0:\nnonroot:x:65532:\n")
            for f in self.elf_closure(cmd[0]) | self.elf_closure("busybox"):
                dst = os.path.join(ctx, "root" + f)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy2(f, dst)
            # the init and busybox under their own names, with the loader where ldd put it
            for src, dst in ((shutil.which(cmd[0]) or cmd[0], "/init"), (shutil.which("busybox"), "/busybox")):
                shutil.copy2(src, os.path.join(ctx, "root" + dst))
            for f in self.elf_closure(cmd[0]) | self.elf_closure("busybox"):
                if "/ld-linux" in f:
                    for d in ("/lib64", "/lib"):
                        os.makedirs(os.path.join(ctx, "root" + d), exist_ok=True)
                        shutil.copy2(f, os.path.join(ctx, "root" + d, os.path.basename(f)))
            entry = json.dumps(["/init"] + cmd[1:] + ["/busybox", "sleep", "600"])
            with open(os.path.join(ctx, "Containerfile"), "w") as f:
                f.write(f"FROM scratch\nCOPY root/ /\nENTRYPOINT {entry}\n")
            tag = f"localhost/lucid-bench-{name}:latest"
            p = subprocess.run(["podman", "build", "--format", "docker", "--pull=never", "-q", "-t", tag, ctx],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if p.returncode:
                raise Broken(f"{name}: podman build failed: {p.stderr.strip()[-200:]}")
            images[name] = tag
        stops = {name: [] for name, _ in inits}
        for rnd in range(1 if self.quick else 3):
            for name, _ in rotate(inits, rnd):
                c = f"lucid-bench-{name}-{os.getpid()}"
                subprocess.run(["podman", "rm", "-f", c], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                p = subprocess.run(["podman", "run", "-d", "--name", c, images[name]], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                if p.returncode:
                    raise Broken(f"{name}: podman run failed: {p.stderr.strip()[-200:]}")
                time.sleep(0.5)
                state = subprocess.run(["podman", "inspect", "-f", "{{.State.Running}}", c], env=env,
                                       stdout=subprocess.PIPE, text=True).stdout.strip()
                if state != "true":
                    raise Broken(f"{name}: the container exited before podman stop")
                t0 = time.monotonic()
                subprocess.run(["podman", "stop", "-t", "10", c], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, check=True)
                stops[name].append((time.monotonic() - t0) * 1e3)
                subprocess.run(["podman", "rm", "-f", c], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name, _ in inits:
            self.row(table, name, "podman stop", "ms", stops[name])
        for tag in images.values():
            subprocess.run(["podman", "rmi", "-f", tag], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # --- filters ------------------------------------------------------------
    def bench_filters(self):
        print("== filters", flush=True)
        out = os.path.join(self.work, "filters.json")
        cmd = ["python3", os.path.join(ROOT, "bench/filters.py"), self.prefix, "--out", out]
        if self.quick:
            cmd.append("--quick")
        if subprocess.run(cmd).returncode:
            raise Broken("bench/filters.py failed (its line above says why)")
        with open(out) as f:
            d = json.load(f)
        self.rows += [dict(r, ratio=None) for r in d["rows"]]
        self.ratios("filters", "lucid default (lucid-init)")
        self.targets += d["targets"]  # filters.py printed their verdicts
        self.notes += d.get("notes", [])

    # --- learn --------------------------------------------------------------
    def bench_learn(self):
        """What `lucid-seccomp learn` costs the program it learns: each
        notified syscall is a round trip to the learner (a getppid loop,
        every call notified; with --base static.json none is, as static.json
        allows getppid), and a Python start as a whole."""
        print("== learn", flush=True)
        table = "learn (lucid-seccomp learn, every call notified)"
        seccomp = os.path.join(self.bin, "lucid-seccomp")
        syscost = os.path.join(self.tools, "syscost")
        base = os.path.join(ROOT, "seccomp/static.json")
        rounds = 3 if self.quick else 9
        learn = [seccomp, "learn", "-o", "/dev/null", "--"]
        learn_base = [seccomp, "learn", "-o", "/dev/null", "--base", base, "--"]
        configs = [("no learner", []), ("learn", learn), ("learn --base static.json", learn_base)]
        ns = {c: [] for c, _ in configs}
        wall = {c: [] for c, _ in configs}
        for i in range(rounds):
            for name, pre in rotate(configs, i % len(configs)):
                r = self.run(pre + [syscost, "20000", "getppid"], what=f"syscost under {name}")
                m = re.search(r"ns_per_call=([0-9.]+)", r["output"])
                if not m:
                    raise Broken(f"syscost under {name}: no ns_per_call in {r['output'][:100]!r}")
                ns[name].append(float(m.group(1)))
                r = self.run(pre + ["python3", "-c", "pass"], what=f"python3 under {name}")
                wall[name].append(r["wall_ns"] / 1e6)
        for name, _ in configs:
            self.row(table, name, "getppid", "ns/call", ns[name])
            self.row(table, name, "python3 -c pass", "ms", wall[name])
        self.ratios(table, "no learner")
        self.notes.append("learn: every notified syscall is a round trip to the learner (two context switches and "
                          "two ioctls); with --base, what the base profile allows runs at filter speed. "
                          "The overhead is for the learning run only: the profile it writes is an ordinary filter.")

    # --- size ---------------------------------------------------------------
    def distroless_python3_packages(self):
        p = subprocess.run(["bash", "-c", "source <(sed -n '/^static=/,/^left_out=/p' images/distroless-standin/build); "
                            "echo ${pkgs[python3]}"], cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
        return set(p.stdout.split())

    def bench_size(self):
        print("== size", flush=True)
        table = "size"
        for arch in ("linux-amd64", "linux-arm64"):
            for prog in ("lucid-init", "lucid-health", "lucid-health-http", "lucid-seccomp"):
                self.row(table, f"{prog} {arch}", "stripped bytes", "B", [os.path.getsize(os.path.join(self.prefix, arch, prog))])
        base = self.distroless_python3_packages()

        def added(files):
            """Bytes of FILES not already in distroless python3 (by owning package)."""
            total = 0
            for f in files:
                q = subprocess.run(["dpkg", "-S", f], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                pkg = q.stdout.split(":")[0].strip() if q.returncode == 0 else ""
                if pkg not in base:
                    total += os.path.getsize(f)
            return total

        ours = sum(os.path.getsize(os.path.join(self.bin, p)) for p in ("lucid-init", "lucid-health"))
        old = set()
        for tool in ("tini", "gosu", "curl"):
            old |= self.elf_closure(tool)
        theirs = added(old)
        self.row(table, "lucid-init + lucid-health", "bytes added to distroless python3", "B", [ours])
        self.row(table, "tini + gosu + curl with their libraries", "bytes added to distroless python3", "B", [theirs])
        self.notes.append(
            "Bytes added to distroless python3: the files an old Dockerfile copied (tini, gosu and curl with "
            "every library ldd lists) less those the base already has (by Debian package, from "
            "images/distroless-standin/build).")

    # --- report -------------------------------------------------------------
    @staticmethod
    def version(cmd):
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=10)
            return (p.stdout.strip().splitlines() or ["?"])[0][:80]
        except (OSError, subprocess.TimeoutExpired):
            return "not installed"

    def machine(self):
        cpu = "?"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        commit = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], stdout=subprocess.PIPE,
                                text=True).stdout.strip()
        req = subprocess.run(["python3", "-c", "import requests; print(requests.__version__)"], stdout=subprocess.PIPE,
                             text=True).stdout.strip()
        return {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commit": commit,
            "kernel": platform.release(),
            "machine": f"{platform.machine()}, {cpu}, {os.cpu_count()} cores",
            "versions": {
                "lucid": self.version([os.path.join(self.bin, "lucid-init"), "--version"]),
                "curl": self.version(["curl", "--version"]),
                "GNU wget": self.version(["wget", "--version"]),
                "busybox": self.version(["busybox"]),
                "python3": self.version(["python3", "--version"]),
                "requests": req or "?",
                "nginx": self.version(["nginx", "-v"]),
                "tini": self.version(["tini", "--version"]),
                "tini-static": self.version(["tini-static", "--version"]),
                "dumb-init": self.version(["dumb-init", "--version"]),
                "catatonit": self.version(["catatonit", "--version"]),
                "gosu": self.version(["gosu", "--version"]),
                "runc": self.version(["runc", "--version"]),
                "podman": self.version(["podman", "--version"]),
            },
        }

    @staticmethod
    def fmt(v):
        if v is None or v != v:
            return "-"
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        if abs(v) >= 10:
            return f"{v:.1f}"
        return f"{v:.3g}"

    def write(self):
        os.makedirs(self.out, exist_ok=True)
        m = self.machine()
        lines = [f"# lucid benchmarks, {m['date']}", "",
                 f"{'Quick pass (--quick): few rounds, indicative only. ' if self.quick else ''}"
                 f"Machine: {m['machine']}; kernel {m['kernel']}; commit {m['commit']}. "
                 "Produced by `./zigw build bench` (bench/bench.py); medians with p10-p90 over interleaved rounds; "
                 "ratio = the tool's median over lucid's in the same run.", "",
                 "## Targets", "", "| target | value | goal | verdict |", "|---|---|---|---|"]
        for t in self.targets:
            lines.append(f"| {t['name']} | {t['value']} | {t['target']} | {'PASS' if t['pass'] else 'MISS'} |")
        tables = []
        for r in self.rows:
            if r["table"] not in tables:
                tables.append(r["table"])
        for table in tables:
            lines += ["", f"## {table[0].upper() + table[1:]}", "", "| tool | metric | median | p10-p90 | ratio to lucid |",
                      "|---|---|---|---|---|"]
            for r in (r for r in self.rows if r["table"] == table):
                unit = f" {r['unit']}" if r["unit"] else ""
                spread = f"{self.fmt(r['p10'])}-{self.fmt(r['p90'])}" if r.get("n", 2) > 1 else ""
                if "p99" in r:
                    spread += f" (p99 {self.fmt(r['p99'])})"
                ratio = f"{r['ratio']:.3g}x" if r["ratio"] is not None else ""
                lines.append(f"| {r['tool']} | {r['metric']} | {self.fmt(r['median'])}{unit} | {spread} | {ratio} |")
        lines += ["", "## Notes", ""] + [f"- {n}" for n in self.notes]
        lines += ["", "## Versions", ""] + [f"- {k}: {v}" for k, v in m["versions"].items()]
        with open(os.path.join(self.out, "latest.md"), "w") as f:
            f.write("\n".join(lines) + "\n")
        self.charts(m)
        print(f"wrote {os.path.relpath(self.out, ROOT)}/latest.md and its charts", flush=True)

    def dat(self, name, table, metrics, tools=None):
        """A gnuplot data file: one line per tool, one column per metric."""
        rows = [r for r in self.rows if r["table"] == table]
        names = tools or list(dict.fromkeys(r["tool"] for r in rows))
        path = os.path.join(self.out, name + ".dat")
        with open(path, "w") as f:
            f.write("# tool " + " ".join(f'"{m}"' for m in metrics) + "\n")
            for t in names:
                vals = []
                for m in metrics:
                    v = [r["median"] for r in rows if r["tool"] == t and r["metric"] == m]
                    vals.append(f"{v[0]:.6g}" if v else "NaN")
                f.write(f'"{t}" ' + " ".join(vals) + "\n")
        return path

    def charts(self, m):
        if not shutil.which("gnuplot"):
            raise Broken("gnuplot is not installed (deps/host-setup bench)")
        specs = [
            ("probe", "probe (fast endpoint)", ["wall per probe", "CPU per probe"], None,
             "Probe: wall and CPU time per probe (ms, log scale)"),
            ("init", "init (PID 1 of a fresh PID namespace)", ["start to exit, X -- /bin/true", "SIGUSR1 forward latency"],
             None, "Init: start to exit and signal-forward latency (us, log scale)"),
        ]
        ns_rows = [r for r in self.rows if r["table"] == "filters" and r["metric"].endswith("ns/call")]
        if ns_rows:
            # One cluster per configuration, one bar per syscall.
            calls = list(dict.fromkeys(r["metric"] for r in ns_rows))
            configs = list(dict.fromkeys(r["tool"] for r in ns_rows))
            specs.append(("filters", "filters", calls, configs, "Filters: ns per syscall (log scale)"))
        for name, table, metrics, tools, title in specs:
            if not any(r["table"] == table for r in self.rows):
                continue  # that area was not run (--only)
            dat = self.dat(name, table, metrics, tools)
            cols = ", ".join(f"'{dat}' using {i + 2}:xtic(1) title '{mt}'" for i, mt in enumerate(metrics))
            script = f"""set terminal svg size 900,420 dynamic font 'sans,11'
set output '{os.path.join(self.out, name + '.svg')}'
set title "{title}\\n{m['date']}, {m['commit']}"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set logscale y
set grid ytics
set xtics rotate by -20
set key top left
plot {cols}
"""
            p = subprocess.run(["gnuplot"], input=script, text=True, stderr=subprocess.PIPE)
            if p.returncode:
                raise Broken(f"gnuplot failed on {name}: {p.stderr.strip()[:200]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("prefix")
    ap.add_argument("--quick", action="store_true", help="a one-minute pass with few rounds")
    ap.add_argument("--out", help="where latest.md and the charts go")
    ap.add_argument("--only", action="append", choices=["probe", "protocols", "init", "filters", "learn", "size"], help="one area (repeatable)")
    a = ap.parse_args()
    out = a.out or os.path.join(ROOT, ".cache/bench-quick" if a.quick else "bench/results")
    b = Bench(os.path.abspath(a.prefix), a.quick, os.path.abspath(out))
    try:
        for area in ("probe", "protocols", "init", "filters", "learn", "size"):
            if not a.only or area in a.only:
                getattr(b, "bench_" + area)()
        b.write()
    except Broken as e:
        print(f"bench: {e}; no results written", file=sys.stderr)
        return 1
    finally:
        b.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

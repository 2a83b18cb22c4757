#!/usr/bin/env python3
"""bench/filters.py PREFIX [--quick] --out FILE.json: what a seccomp filter
costs a service per syscall, lucid's default profile against Docker's, in one
run (bench/bench.py calls it; it runs alone as well).

ns per call: tests/tools/syscost makes getppid, personality, socket and clone
(arguments the filters let through and the kernel answers at once; see
syscost.c) in each configuration, the configurations interleaved (one run of
each per round, the order rotating each round, and the calls' order too):
  no filter                   lucid-init --seccomp none: the same process as
                              the next (PID namespace, uid 65532) without a filter
  lucid default (lucid-init)  lucid-init's built-in default filter
  lucid default (runc)        PREFIX/seccomp/default.json as runc applies it
                              (lucid-seccomp flatten), uid 65532, no capabilities
  Docker default (runc)       podman's copy of Docker's profile
                              (/usr/share/containers/seccomp.json) resolved for
                              that container (lucid-seccomp flatten: no
                              capabilities, x86_64 with its x86 and x32 arches)
Median and p10-p90 over the rounds.

BPF instructions per path: tests/tools/bpfpath on the filter each
configuration runs: lucid-init's (PREFIX/seccomp/default-ARCH.bpf) and, for
runc, the program the kernel holds, read back from the running container
(ptrace PTRACE_SECCOMP_GET_FILTER); plus Docker's profile compiled by
lucid-seccomp compile, whose libseccomp builds another tree than runc's.

Target: the argument-checked overhead, ns(config) - ns(no filter) averaged
over personality, socket and clone, of lucid's default under lucid-init at
most half of Docker's default under runc.

Exit 0 with FILE written (rows, targets, notes as bench.py reads them); 1 with
one line on stderr when a configuration did not really run (syscost refused
a call, runc failed, a filter missing, a number missing): no ratio then.
"""
import argparse
import ctypes
import json
import os
import platform
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

CALLS = ["getppid", "personality", "socket", "clone"]
ARG_CHECKED = ["personality", "socket", "clone"]
# The syscalls syscost makes, as bpfpath takes them: number and arguments
# per arch (keep with tests/tools/syscost.c's calls[]).
PATHS = {
    "x86_64": {"getppid": [110], "personality": [135, 0xFFFFFFFF], "socket": [41, 2, 0x101, 0], "clone": [56, 0x800]},
    "aarch64": {"getppid": [173], "personality": [92, 0xFFFFFFFF], "socket": [198, 2, 0x101, 0], "clone": [220, 0x800]},
}
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
NATIVE = {"x86_64": "linux-amd64", "aarch64": "linux-arm64"}
DOCKER_PROFILE = "/usr/share/containers/seccomp.json"
NONE, LUCID_INIT, LUCID_RUNC, DOCKER_RUNC = ("no filter", "lucid default (lucid-init)", "lucid default (runc)",
                                             "Docker default (runc)")
DOCKER_COMPILED = "Docker default (lucid-seccomp compile)"
TARGET = "argument-checked overhead of lucid default (lucid-init) / Docker default (runc)"


class Broken(Exception):
    """A configuration did not really run: no number may come from it."""


def pct(values, q):
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def row(tool, metric, unit, values):
    return {"table": "filters", "tool": tool, "metric": metric, "unit": unit,
            "median": statistics.median(values), "p10": pct(values, 0.1), "p90": pct(values, 0.9)}


def rotate(items, r):
    r %= len(items)
    return items[r:] + items[:r]


def run(cmd, what, **kw):
    """CMD's stdout; Broken with its first stderr line when it fails."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, **kw)
    if p.returncode != 0:
        err = (p.stderr.strip().splitlines() or ["no message"])[-1][:200]
        raise Broken(f"{what}: exit {p.returncode}: {err}")
    return p.stdout


class Filters:
    def __init__(self, prefix, quick):
        self.arch = platform.machine()
        if self.arch not in PATHS:
            raise Broken(f"no syscall table for {self.arch}")
        native = NATIVE[self.arch]
        self.prefix = prefix
        self.init = os.path.join(prefix, native, "lucid-init")
        self.seccomp = os.path.join(prefix, "bin", "lucid-seccomp")
        self.bpfpath = os.path.join(prefix, "tests", native, "bpfpath")
        syscost = os.path.join(prefix, "tests", native, "syscost")
        for f in (self.init, self.seccomp, self.bpfpath, syscost):
            if not os.access(f, os.X_OK):
                raise Broken(f"{f} is missing (./zigw build installs it)")
        for tool in ("runc", "unshare"):
            if not shutil.which(tool):
                raise Broken(f"{tool} is not installed (deps/host-setup bench)")
        if not os.path.isfile(DOCKER_PROFILE):
            raise Broken(f"{DOCKER_PROFILE} is missing (podman's containers-common; deps/host-setup e2e)")
        self.rounds, self.n = (5, 100000) if quick else (21, 400000)
        self.ids = []  # runc containers started, for cleanup
        self.profiles = {}  # runc configuration: its OCI profile
        self.notes = []
        self.work = tempfile.mkdtemp(prefix="lucid-filters.")
        os.chmod(self.work, 0o755)  # lucid-init runs syscost as 65532: stage it where 65532 can
        self.syscost = os.path.join(self.work, "syscost")
        shutil.copy(syscost, self.syscost)

    def cleanup(self):
        """runc run removes a container that exits; what is left failed or was killed."""
        left = subprocess.run(["runc", "list", "-q"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for cid in set(left.stdout.split()) & set(self.ids):
            subprocess.run(["runc", "delete", "-f", cid], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.work, ignore_errors=True)

    # --- the configurations ---------------------------------------------
    def flatten(self, profile, name):
        out = os.path.join(self.work, name + ".json")
        run([self.seccomp, "flatten", profile, "--arch", self.arch, "-o", out], f"lucid-seccomp flatten {profile}")
        return out

    def bundle(self, name, profile, args):
        """A runc bundle running /syscost ARGS as 65532 without capabilities,
        no_new_privs, without a network namespace, under the OCI seccomp
        PROFILE."""
        path = os.path.join(self.work, name)
        if not os.path.exists(os.path.join(path, "config.json")):
            os.makedirs(os.path.join(path, "rootfs"))
            shutil.copy(self.syscost, os.path.join(path, "rootfs", "syscost"))
            run(["runc", "spec"], "runc spec", cwd=path)
        with open(os.path.join(path, "config.json")) as f:
            c = json.load(f)
        p = c["process"]
        p.update(args=["/syscost"] + args, terminal=False, noNewPrivileges=True, user={"uid": 65532, "gid": 65532})
        p["capabilities"] = {k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
        p.pop("rlimits", None)
        c["linux"]["namespaces"] = [ns for ns in c["linux"]["namespaces"] if ns["type"] != "network"]
        with open(profile) as f:
            c["linux"]["seccomp"] = json.load(f)
        with open(os.path.join(path, "config.json"), "w") as f:
            json.dump(c, f)
        return path

    def container_id(self):
        cid = f"lucid-filters-{os.getpid()}-{len(self.ids)}"
        self.ids.append(cid)
        return cid

    def configs(self):
        """(name, how to run syscost ARGS, filters expected on it)."""
        lucid = self.flatten(os.path.join(self.prefix, "seccomp", "default.json"), "lucid")
        docker = self.flatten(DOCKER_PROFILE, "docker")
        self.profiles.update({LUCID_RUNC: lucid, DOCKER_RUNC: docker})
        ns = ["unshare", "--pid", "--fork", "--kill-child"]

        def in_runc(name, profile):
            def cmd(args):
                b = self.bundle(name, profile, args)
                return ["runc", "run", "--bundle", b, self.container_id()]
            return cmd

        return [
            (NONE, lambda args: ns + [self.init, "--seccomp", "none", "--", self.syscost] + args, 0),
            (LUCID_INIT, lambda args: ns + [self.init, "--", self.syscost] + args, 1),
            (LUCID_RUNC, in_runc("lucid", lucid), 1),
            (DOCKER_RUNC, in_runc("docker", docker), 1),
        ]

    def measure(self, name, cmd, filters, n, calls):
        """One syscost run: {call: ns}. Broken unless it ran, answered every
        call, and ran under exactly the filters expected."""
        out = run(cmd([str(n)] + calls), name)
        got, stacked = {}, None
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] in calls and parts[1].startswith("ns_per_call="):
                got[parts[0]] = float(parts[1].split("=", 1)[1])
            elif len(parts) == 1 and parts[0].startswith("seccomp_filters="):
                stacked = parts[0].split("=", 1)[1]
        missing = [c for c in calls if c not in got]
        if missing:
            raise Broken(f"{name}: syscost gave no number for {', '.join(missing)}")
        if stacked != str(filters):
            raise Broken(f"{name}: syscost ran under {stacked} seccomp filters, expected {filters}")
        return got

    def ns_per_call(self):
        configs = self.configs()
        for name, cmd, filters in configs:  # each once, unrecorded: it works, caches are warm
            self.measure(name, cmd, filters, 10000, CALLS)
        values = {(name, c): [] for name, _, _ in configs for c in CALLS}
        for r in range(self.rounds):
            for name, cmd, filters in rotate(configs, r):
                for c, ns in self.measure(name, cmd, filters, self.n, rotate(CALLS, r)).items():
                    values[(name, c)].append(ns)
        return [row(name, f"{c} ns/call", "ns", values[(name, c)]) for name, _, _ in configs for c in CALLS]

    # --- the paths --------------------------------------------------------
    def loaded_filter(self, name):
        """The program runc loaded for NAME, as a LUCIDBPF file: read from a
        running container with PTRACE_SECCOMP_GET_FILTER (root, Linux 4.4+
        with CONFIG_CHECKPOINT_RESTORE). None, with a note, when it cannot be."""
        libc = ctypes.CDLL(None, use_errno=True)
        libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
        libc.ptrace.restype = ctypes.c_long
        seize, interrupt, detach, get_filter = 0x4206, 0x4207, 17, 0x420C
        b = self.bundle(f"loaded-{len(self.ids)}", self.profiles[name], [str(2**32 - 1), "getppid"])
        cid = self.container_id()
        proc = subprocess.Popen(["runc", "run", "--bundle", b, cid], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            pid = None
            for _ in range(100):
                st = subprocess.run(["runc", "state", cid], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                if st.returncode == 0 and json.loads(st.stdout).get("status") == "running":
                    pid = json.loads(st.stdout)["pid"]
                    break
                if proc.poll() is not None:
                    break
                time.sleep(0.05)
            if pid is None:
                raise Broken(f"{name}: the container to read the filter from did not start")
            if libc.ptrace(seize, pid, None, None) < 0 or libc.ptrace(interrupt, pid, None, None) < 0:
                err = os.strerror(ctypes.get_errno())
                self.notes.append(f"{name}: could not read the filter runc loaded (ptrace: {err}).")
                return None
            try:
                os.waitpid(pid, 0x40000000)  # __WALL: the interrupt's stop
            except OSError as e:
                self.notes.append(f"{name}: could not read the filter runc loaded (waitpid: {e.strerror}).")
                return None
            count = libc.ptrace(get_filter, pid, None, None)
            buf = ctypes.create_string_buffer(8 * max(count, 0))
            got = libc.ptrace(get_filter, pid, None, buf) if count > 0 else -1
            err = os.strerror(ctypes.get_errno())
            libc.ptrace(detach, pid, None, None)
            if count <= 0 or got != count:
                self.notes.append(f"{name}: could not read the filter runc loaded (PTRACE_SECCOMP_GET_FILTER: {err}).")
                return None
        finally:
            subprocess.run(["runc", "kill", cid, "KILL"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        out = os.path.join(self.work, f"loaded-{cid}.bpf")
        with open(out, "wb") as f:
            f.write(b"LUCIDBPF" + struct.pack("<4I", 1, AUDIT_ARCH[self.arch], 0, count) + buf.raw)
        return out

    def paths(self, tool, bpf, cached):
        rows = []
        for c in CALLS:
            out = run([self.bpfpath, bpf] + [str(a) for a in PATHS[self.arch][c]], f"bpfpath {tool} {c}")
            f = dict(kv.split("=", 1) for kv in out.split())
            if f.get("action") != "ALLOW" or not f.get("insns", "").isdigit():
                raise Broken(f"bpfpath: {tool} answers {c} with {out.strip()}, not ALLOW: the wrong filter or numbers")
            rows.append(row(tool, f"{c} BPF instructions", "insns", [int(f["insns"])]))
            if f["cached"] == "yes":
                cached.setdefault(tool, []).append(c)
        return rows

    def insns(self):
        compiled = os.path.join(self.work, "docker.bpf")
        run([self.seccomp, "compile", DOCKER_PROFILE, "--arch", self.arch, "--runtime", "-o", compiled],
            "lucid-seccomp compile (Docker's profile)")
        filters = [(LUCID_INIT, os.path.join(self.prefix, "seccomp", f"default-{self.arch}.bpf"))]
        for name in (LUCID_RUNC, DOCKER_RUNC):
            loaded = self.loaded_filter(name)
            if loaded:
                filters.append((name, loaded))
        filters.append((DOCKER_COMPILED, compiled))
        cached, rows = {}, []
        for tool, bpf in filters:
            rows += self.paths(tool, bpf, cached)
        self.notes.append(
            "BPF instructions: classic BPF executed on the call's path (tests/tools/bpfpath, the return included); "
            "the kernel runs them JIT-compiled. Paths Linux 5.11+ answers from its action cache, without "
            "running the filter (ALLOW whatever the arguments): "
            + "; ".join(f"{t}: {', '.join(cs)}" for t, cs in cached.items()) + ".")
        runc_version = subprocess.run(["runc", "--version"], stdout=subprocess.PIPE, text=True).stdout
        libseccomp = next((ln.split(":", 1)[1].strip() for ln in runc_version.splitlines()
                           if ln.startswith("libseccomp")), "?")
        depth = {r["tool"]: r["median"] for r in rows if r["metric"] == "personality BPF instructions"}
        self.notes.append(
            f"The runc rows count the programs runc (libseccomp {libseccomp}) loaded, read back from the "
            f"container; {DOCKER_COMPILED} is the same profile as lucid-seccomp compiles it (its own "
            "libseccomp, a binary tree above 32 syscalls), as lucid-init would load it. The two libseccomp "
            "builds lay out different trees: personality takes "
            + ", ".join(f"{int(v)} instructions in {t}" for t, v in depth.items()) + ".")
        return rows

    # --- the target -------------------------------------------------------
    def target(self, rows):
        med = {(r["tool"], r["metric"]): r["median"] for r in rows}

        def overhead(tool):
            return statistics.mean(med[(tool, f"{c} ns/call")] - med[(NONE, f"{c} ns/call")] for c in ARG_CHECKED)

        over = {t: overhead(t) for t in (LUCID_INIT, LUCID_RUNC, DOCKER_RUNC)}
        if over[DOCKER_RUNC] <= 0:
            raise Broken(f"Docker default (runc) costs {over[DOCKER_RUNC]:.1f} ns over no filter: "
                         "its filter cannot have run")
        ratio = round(over[LUCID_INIT] / over[DOCKER_RUNC], 3)
        self.notes.append(
            "Argument-checked overhead, the median ns per call over no filter's, averaged over "
            f"{', '.join(ARG_CHECKED)}: " + ", ".join(f"{t} {v:.1f} ns" for t, v in over.items()) + ".")
        cached = {t: med[(t, "getppid ns/call")] - med[(NONE, "getppid ns/call")] for t in over}
        self.notes.append(
            "A call the kernel answers from its action cache still pays for the filtered syscall entry: getppid "
            + ", ".join(f"+{v:.1f} ns under {t}" for t, v in cached.items()) + ".")
        self.notes.append(
            f"Docker default is podman's copy of it ({DOCKER_PROFILE}) as Docker would resolve it for this "
            "container (lucid-seccomp flatten: no capabilities, x86_64 with x86 and x32): socket is "
            "argument-checked without CAP_AUDIT_WRITE (Docker's default capabilities include it, and then "
            "socket is allowed outright); this copy allows clone for any flags.")
        self.notes.append(
            f"ns per call: syscost, {self.n} calls per run, {self.rounds} rounds; no filter is lucid-init "
            "--seccomp none, so it differs from lucid default (lucid-init) by the filter alone. socket is "
            "socket(AF_INET, SOCK_STREAM|0x100, 0) and clone is clone(CLONE_SIGHAND): the filters check the "
            "same arguments as on a real call, the kernel refuses both (EINVAL) before creating anything.")
        return [{"name": TARGET, "value": ratio, "target": "<= 0.5", "pass": ratio <= 0.5}]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("prefix")
    ap.add_argument("--quick", action="store_true", help="few rounds, indicative only")
    ap.add_argument("--out", required=True, help="the JSON file to write")
    a = ap.parse_args()
    f = None
    try:
        f = Filters(os.path.abspath(a.prefix), a.quick)
        rows = f.ns_per_call()
        rows += f.insns()
        targets = f.target(rows)
    except Broken as e:
        print(f"filters: {e}", file=sys.stderr)
        return 1
    finally:
        if f:
            f.cleanup()
    with open(a.out, "w") as out:
        json.dump({"rows": rows, "targets": targets, "notes": f.notes}, out, indent=1)
    for t in targets:
        print(f"{'PASS' if t['pass'] else 'MISS'}  {t['name']}: {t['value']} (target {t['target']})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

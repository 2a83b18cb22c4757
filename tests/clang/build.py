"""tests/clang/build.py MANIFEST OUT MODE [--config=DEP=DIR]... [--gen=NAME=FILE]...

Builds lucid's code for this machine with Debian's clang 14 (glibc), for what
Zig's toolchain cannot give a musl target: AddressSanitizer,
UndefinedBehaviorSanitizer and libFuzzer. build.zig remains the one map: it
writes MANIFEST (the component, program, unit-test and fuzz-harness tables,
the dependency sources and flags) and passes the headers it generates
(--config=DEP=DIR: libcap-ng's config.h, libseccomp's seccomp.h, ...,
searched first when compiling DEP or code that uses it) and sources
(--gen NAME=FILE: the filters lucid-init embeds, compiled by the host
lucid-seccomp) as arguments, so nothing here lists a source file.

MODE
  sanitize  the programs and the unit tests, ASan + UBSan (no recovery), in
            OUT/bin and OUT/tests
  fuzz      the fuzz harnesses, libFuzzer + ASan + UBSan, in OUT/fuzz
  coverage  the fuzz harnesses with a replay driver and clang's source-based
            coverage (-fprofile-instr-generate), in OUT/fuzz

Incremental: an object is rebuilt when its source, a header it included
(clang -MMD) or its flags changed. Two compilers at a time (2-core machines).
Exit: 0 built, 1 a compile or link failed (clang's own messages above),
100 bad arguments.
"""
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys

CC = os.environ.get("LUCID_CLANG", "clang-14")
JOBS = 2

SAN = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g", "-O1"]
MODES = {
    # (compile flags for our code and deps, link flags for a program)
    "sanitize": (SAN, SAN),
    "fuzz": (SAN + ["-fsanitize=fuzzer-no-link"], SAN + ["-fsanitize=fuzzer"]),
    "coverage": (["-g", "-O1", "-fprofile-instr-generate", "-fcoverage-mapping"],
                 ["-fprofile-instr-generate", "-fcoverage-mapping"]),
}


def usage(msg):
    sys.stderr.write("tests/clang/build.py: %s\n" % msg)
    sys.exit(100)


def parse_args(argv):
    if len(argv) < 3:
        usage("MANIFEST OUT MODE expected")
    manifest, out, mode = argv[:3]
    if mode not in MODES:
        usage("unknown mode '%s' (sanitize, fuzz, coverage)" % mode)
    configs, gen = {}, {}
    for arg in argv[3:]:
        opt, _, val = arg.partition("=")
        name, _, path = val.partition("=")
        if opt not in ("--config", "--gen") or not name or not path:
            usage("'%s': --config=DEP=DIR or --gen=NAME=FILE expected" % arg)
        (configs if opt == "--config" else gen).setdefault(name, []).append(path)
    with open(manifest) as f:
        m = json.load(f)
    for name, d in m["deps"].items():
        d["configs"] = configs.get(name, [])
    return m, os.path.abspath(out), mode, gen


class Builder:
    def __init__(self, root, out, mode):
        self.root, self.out, self.mode = root, out, mode
        self.cflags, self.ldflags = MODES[mode]
        self.pool = concurrent.futures.ThreadPoolExecutor(JOBS)

    def stale(self, obj, cmd):
        """True when obj must be rebuilt for cmd."""
        stamp = obj + ".cmd"
        try:
            with open(stamp) as f:
                if f.read() != "\0".join(cmd):
                    return True
            t = os.stat(obj).st_mtime
            with open(obj[:-2] + ".d") as f:
                deps = f.read().replace("\\\n", " ").split(":", 1)[1].split()
            return any(os.stat(d).st_mtime > t for d in deps)
        except (OSError, IndexError):
            return True

    def compile_one(self, src, obj, flags):
        cmd = [CC, "-c", src, "-o", obj, "-MMD", "-MF", obj[:-2] + ".d"] + flags
        if not self.stale(obj, cmd):
            return True
        os.makedirs(os.path.dirname(obj), exist_ok=True)
        r = subprocess.run(cmd, cwd=self.root)
        if r.returncode != 0:
            sys.stderr.write("tests/clang/build.py: compiling %s failed\n" % src)
            return False
        with open(obj + ".cmd", "w") as f:
            f.write("\0".join(cmd))
        return True

    def compile_all(self, jobs):
        """jobs: [(src, obj, flags)]; every object, or False."""
        results = list(self.pool.map(lambda j: self.compile_one(*j), jobs))
        return all(results)

    def objdir(self, group):
        return os.path.join(self.out, "obj", group)

    def obj_for(self, group, src):
        tag = hashlib.sha1(src.encode()).hexdigest()[:8]
        base = os.path.basename(src).rsplit(".", 1)[0]
        return os.path.join(self.objdir(group), "%s-%s.o" % (base, tag))

    def archive(self, name, objs):
        lib = os.path.join(self.out, "lib", "lib%s.a" % name)
        os.makedirs(os.path.dirname(lib), exist_ok=True)
        if os.path.exists(lib) and all(os.stat(o).st_mtime <= os.stat(lib).st_mtime for o in objs):
            return lib
        if os.path.exists(lib):
            os.unlink(lib)
        subprocess.run(["ar", "rcs", lib] + objs, check=True)
        return lib

    def link(self, exe, objs, libs):
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        stamp = os.path.join(self.out, "obj", "link", os.path.relpath(exe, self.out).replace("/", "_") + ".cmd")
        os.makedirs(os.path.dirname(stamp), exist_ok=True)
        # --gc-sections as Zig links: a test that uses one function of a
        # component does not need what the rest of its object calls.
        cmd = [CC, "-o", exe] + objs + libs + self.ldflags + ["-Wl,--gc-sections"]
        inputs = objs + libs
        if os.path.exists(exe) and all(os.stat(i).st_mtime <= os.stat(exe).st_mtime for i in inputs):
            try:
                with open(stamp) as f:
                    if f.read() == "\0".join(cmd):
                        return True
            except OSError:
                pass
        r = subprocess.run(cmd, cwd=self.root)
        if r.returncode != 0:
            sys.stderr.write("tests/clang/build.py: linking %s failed\n" % exe)
            return False
        with open(stamp, "w") as f:
            f.write("\0".join(cmd))
        return True


def main():
    m, out, mode, gen = parse_args(sys.argv[1:])
    root = os.getcwd()
    b = Builder(root, out, mode)
    dep_src = m["dep_src"]

    # Include paths a unit of code needs, from the libraries it names.
    def lib_includes(libs):
        inc = ["-I" + root]
        for name in libs:
            d = m["deps"][name]
            inc += ["-I" + c for c in d["configs"]]
            inc += ["-I" + os.path.join(root, dep_src, i) for i in d["public"]]
        return inc

    # Dependency libraries, each with its own generated headers first.
    dep_libs = {}
    jobs, objs = [], {}
    for name, d in m["deps"].items():
        flags = d["flags"] + b.cflags + ["-I" + c for c in d["configs"]] + \
            ["-I" + os.path.join(root, dep_src, i) for i in d["includes"]] + \
            ["-I" + os.path.join(root, i) for i in d.get("own_includes", [])]
        objs[name] = []
        for f in d["files"]:
            src = os.path.join(root, dep_src, d["dir"], f)
            obj = b.obj_for("dep-" + name, src)
            jobs.append((src, obj, flags))
            objs[name].append(obj)
    # Our components.
    for name, c in m["components"].items():
        flags = m["own_flags"] + c.get("flags", []) + b.cflags + lib_includes(c["libs"])
        objs["own-" + name] = []
        for f in c["sources"]:
            src = os.path.join(root, f)
            obj = b.obj_for("own-" + name, src)
            jobs.append((src, obj, flags))
            objs["own-" + name].append(obj)
    if not b.compile_all(jobs):
        return 1
    for name in m["deps"]:
        dep_libs[name] = b.archive(name, objs[name])
    comp_libs = {name: b.archive("lucid-" + name, objs["own-" + name]) for name in m["components"]}

    # Executables: their own sources, then their components, then deps.
    def build_exes(entries, subdir, extra_libs=()):
        jobs, plan = [], []
        for e in entries:
            libs = list(e["libs"]) + [l for l in extra_libs if l not in e["libs"]]
            # What the components it uses link (mbedtls for the health
            # component), unless the entry names it already.
            for u in e["uses"]:
                libs += [l for l in m["components"][u]["libs"] if l not in libs]
            flags = m["own_flags"] + b.cflags + lib_includes(libs) + ["-I" + os.path.join(root, i) for i in e.get("includes", [])]
            srcs = [os.path.join(root, s) for s in e["sources"]] + gen.get(e["name"], [])
            eobjs = []
            for src in srcs:
                obj = b.obj_for("exe-" + e["name"], src)
                jobs.append((src, obj, flags + e.get("cflags", [])))
                eobjs.append(obj)
            # Dependency order: components in reverse use order (init before
            # common), then the third-party libraries.
            archives = [comp_libs[u] for u in reversed(e["uses"])] + [dep_libs[l] for l in libs]
            plan.append((os.path.join(out, subdir, e["name"]), eobjs, archives))
        if not b.compile_all(jobs):
            return False
        return all(b.link(*p) for p in plan)

    ok = True
    if mode == "sanitize":
        ok = build_exes(m["programs"], "bin") and build_exes(m["unit_tests"], "tests", ["cmocka"])
    else:
        harnesses = m["fuzzers"]
        if mode == "coverage":
            driver = os.path.join("tests", "fuzz", "replay.c")
            harnesses = [dict(h, sources=h["sources"] + [driver]) for h in harnesses]
        ok = build_exes(harnesses, "fuzz")
    return 0 if ok else 1


if __name__ == "__main__":
    if not shutil.which(CC):
        sys.stderr.write("tests/clang/build.py: %s is missing (Debian package clang-14; deps/host-setup hardening)\n" % CC)
        sys.exit(111)
    sys.exit(main())

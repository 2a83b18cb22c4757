"""jobctl.py MODE SIG INIT [INIT-OPTIONS...]: job control through lucid-init,
as a shell (or dumb-init's test suite) sees it. The service is a shell that
prints "cont" on SIGCONT and otherwise sleeps in a loop.

  notty SIG   lucid-init without a terminal; SIG (TSTP, TTIN or TTOU) is
              sent to lucid-init, as `kill -s SIG` or `docker kill -s SIG`
              would
  tty SIG     lucid-init leads a session on a pseudo-terminal (as under
              `docker run -it`); SIG is typed (only TSTP: Ctrl-Z)
  tty1 SIG    the same with lucid-init as PID 1 of a new PID namespace
              (`unshare`): it cannot stop, and must say so on the terminal

Then it checks: the service (and, but for tty1, lucid-init) stopped; a
SIGCONT sent to lucid-init resumes both and reaches the service. Prints
one line, "ok: ..." or "FAIL: ...", and exits 0 or 1. Exit 2: usage."""
import os
import pty
import select
import signal
import subprocess
import sys
import time

SERVICE = ["sh", "-c", "trap 'echo cont' CONT; while :; do sleep 0.05; done"]


def state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def wait_state(pid, want, seconds=5.0):
    end = time.time() + seconds
    while time.time() < end:
        if state(pid) in want:
            return True
        time.sleep(0.01)
    return False


def children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def wait_child(pid, seconds=5.0):
    end = time.time() + seconds
    while time.time() < end:
        kids = children(pid)
        if kids:
            return kids[0]
        time.sleep(0.01)
    return None


def read_until(fd, text, seconds=5.0):
    got = b""
    end = time.time() + seconds
    while time.time() < end and text not in got:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                got += os.read(fd, 4096)
            except OSError:
                break
    return got


def finish(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    sys.exit(0 if ok else 1)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("notty", "tty", "tty1"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    mode, sig = sys.argv[1], getattr(signal, "SIG" + sys.argv[2])
    cmd = sys.argv[3:] + ["--"] + SERVICE
    if mode == "tty1":
        cmd = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"] + cmd

    if mode == "notty":
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = proc.stdout.fileno()
        top = proc.pid
    else:
        top, out = pty.fork()  # the child leads a new session on the pty
        if top == 0:
            os.execvp(cmd[0], cmd)
    service = None
    try:
        init = wait_child(top) if mode == "tty1" else top
        service = init and wait_child(init)
        if not service or not wait_state(service, "SR"):
            finish(False, f"the service never started under {cmd[0]}")
        time.sleep(0.2)  # the trap is in place
        if mode == "notty":
            os.kill(init, sig)
        else:
            os.write(out, b"\x1a")  # Ctrl-Z: SIGTSTP to the terminal's foreground group
        if not wait_state(service, "T"):
            finish(False, f"the service did not stop on {sig.name} (state {state(service)})")
        if mode == "tty1":
            said = read_until(out, b"SIGCONT resumes it")
            if b"stopped by signal" not in said:
                finish(False, f"PID 1 did not say the service stopped: {said!r}")
        elif not wait_state(init, "T"):
            finish(False, f"lucid-init did not stop with its service (state {state(init)})")
        os.kill(init, signal.SIGCONT)
        if b"cont" not in read_until(out, b"cont"):
            finish(False, "the service never got SIGCONT")
        if not wait_state(service, "SR") or not wait_state(init, "SR"):
            finish(False, f"not resumed: lucid-init {state(init)}, service {state(service)}")
        finish(True, f"{sig.name} stopped the service{'' if mode == 'tty1' else ' and lucid-init'}; SIGCONT resumed it")
    finally:
        # The service leads its own group: killing lucid-init (not PID 1,
        # no drain) would leave it behind.
        if service:
            try:
                os.killpg(service, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.kill(top, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(top, 0)
        except OSError:
            pass


main()

"""closed-stderr.py TIMEOUT CMD...: run CMD with stderr a pipe nobody reads
(the read end closed), SIGUSR1 it once it runs, and print "EXIT CPU_MS":
its exit status (124 if it outlived TIMEOUT seconds and was killed) and the
CPU time it and its children used. A PID 1 that forwards its own SIGPIPE
and logs each forward spins here: a full core until killed."""
import os
import resource
import signal
import subprocess
import sys
import time

timeout, cmd = float(sys.argv[1]), sys.argv[2:]
r, w = os.pipe()
os.close(r)
child = subprocess.Popen(cmd, stderr=w, stdout=subprocess.DEVNULL)
os.close(w)
time.sleep(0.3)
child.send_signal(signal.SIGUSR1)
try:
    status = child.wait(timeout)
except subprocess.TimeoutExpired:
    child.kill()
    child.wait()
    status = 124
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(status, int((u.ru_utime + u.ru_stime) * 1000))

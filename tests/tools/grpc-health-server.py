"""grpc-health-server.py: a real gRPC health server (grpcio's own
grpc.health.v1 HealthServicer), for the lucid-health gRPC tests, on
127.0.0.1 only. Needs the venv `deps/host-setup grpc` makes:

  .cache/venv-grpc/bin/python3 tests/tools/grpc-health-server.py
      (--port N | --port 0) [--port-file F] [--tls CERT KEY [--client-ca F]]
      [--set SERVICE=STATUS]... [--log F]

Prints the bound port on stdout (one line, flushed) once it serves, and
writes it to --port-file (atomically) if given. Exits 0 on SIGTERM.

Services: "" (the server as a whole) and "app" start SERVING; --set
changes a start state (STATUS: SERVING, NOT_SERVING, UNKNOWN,
SERVICE_UNKNOWN; --set other=SERVING adds a service). Any other service
answers NOT_FOUND, as the servicer does.
  SIGUSR1   "app" becomes NOT_SERVING
  SIGUSR2   "app" becomes SERVING
Each change is logged ("set app NOT_SERVING"), so a test can wait for the
line before probing. --tls serves grpcs (grpcio offers ALPN h2);
--client-ca then requires a client certificate signed by F.
--log F: one line per call, "check SERVICE -> STATUS|NOT_FOUND" (and
"watch SERVICE"), and the set lines.

Usage in a suite:
  venv=$root/.cache/venv-grpc/bin/python3
  spawn "$venv" tests/tools/grpc-health-server.py --port 0 \\
      --port-file "$WORK/grpc.port" --log "$WORK/grpc.log"
  wait_for 100 test -s "$WORK/grpc.port"    # grpcio starts in ~0.5 s
  kill -USR1 "$spawned"; wait_for 20 grep -q 'set app NOT_SERVING' "$WORK/grpc.log"
Exit: 0 on SIGTERM, 2 usage or unreadable certificate/key."""
import argparse
import os
import signal
import sys
import threading
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

log_lock = threading.Lock()
log_path = None


def shown(service):
    return service or '""'


def log(line):
    if not log_path:
        return
    with log_lock, open(log_path, "a") as f:
        f.write(line + "\n")


class LoggingHealth(health.HealthServicer):
    """The stock servicer, with each call logged."""

    def __init__(self):
        super().__init__()
        self.known = set()

    def set(self, service, status):
        self.known.add(service)
        super().set(service, status)
        log(f"set {shown(service)} {health_pb2.HealthCheckResponse.ServingStatus.Name(status)}")

    def Check(self, request, context):
        if request.service not in self.known:
            log(f"check {shown(request.service)} -> NOT_FOUND")
            return super().Check(request, context)  # aborts with NOT_FOUND
        response = super().Check(request, context)
        status = health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
        log(f"check {shown(request.service)} -> {status}")
        return response

    def Watch(self, request, context, *args, **kwargs):
        log(f"watch {shown(request.service)}")
        return super().Watch(request, context, *args, **kwargs)


def parse_status(text):
    try:
        return health_pb2.HealthCheckResponse.ServingStatus.Value(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"unknown status {text}")


def main():
    global log_path
    p = argparse.ArgumentParser(description="gRPC health test server (see the module docstring)")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--port-file")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--client-ca")
    p.add_argument("--set", action="append", default=[], metavar="SERVICE=STATUS")
    p.add_argument("--log")
    a = p.parse_args()
    log_path = a.log
    if a.client_ca and not a.tls:
        p.error("--client-ca needs --tls")

    states = {"": "SERVING", "app": "SERVING"}
    for item in a.set:
        name, sep, status = item.partition("=")
        if not sep:
            p.error(f"--set {item}: want SERVICE=STATUS")
        states[name] = status
    servicer = LoggingHealth()
    for name, status in states.items():
        try:
            servicer.set(name, parse_status(status))
        except argparse.ArgumentTypeError as e:
            p.error(f"--set {name}: {e}")

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    address = f"127.0.0.1:{a.port}"
    if a.tls:
        try:
            with open(a.tls[0], "rb") as f:
                cert = f.read()
            with open(a.tls[1], "rb") as f:
                key = f.read()
            ca = None
            if a.client_ca:
                with open(a.client_ca, "rb") as f:
                    ca = f.read()
        except OSError as e:
            print(f"grpc-health-server: {e}", file=sys.stderr)
            sys.exit(2)
        creds = grpc.ssl_server_credentials([(key, cert)], root_certificates=ca, require_client_auth=ca is not None)
        port = server.add_secure_port(address, creds)
    else:
        port = server.add_insecure_port(address)
    if port == 0:
        print(f"grpc-health-server: cannot listen on {address}", file=sys.stderr)
        sys.exit(2)

    def on_signal(sig, frame):
        if sig == signal.SIGTERM:
            server.stop(0)
            sys.exit(0)
        serving = health_pb2.HealthCheckResponse.SERVING
        servicer.set("app", health_pb2.HealthCheckResponse.NOT_SERVING if sig == signal.SIGUSR1 else serving)

    for s in (signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(s, on_signal)
    server.start()
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(f"{port}\n")
        os.rename(a.port_file + ".tmp", a.port_file)
    print(port, flush=True)
    # wait_for_termination wakes every 0.1 s, so the handlers above run.
    server.wait_for_termination()


if __name__ == "__main__":
    main()

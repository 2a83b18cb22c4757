#!/bin/sh
# tests/tools/nginx-tls.sh DIR PORT CERT KEY: run nginx in the foreground as
# the HTTPS server tests/tools/nginx-tls.conf.in describes (TLS 1.2 + 1.3,
# h2 + http/1.1; /health 200, /fail 503, /redirect 302, /tls echoes the
# negotiated versions and SNI; access.log records the same per request).
# Everything nginx writes goes under DIR; PORT 0 picks a free loopback port.
# DIR/nginx.port holds the port before nginx starts: wait until it accepts.
# SIGTERM stops nginx (fast shutdown) and this script with it (exec).
#
#   spawn sh tests/tools/nginx-tls.sh "$WORK/nginx" 0 "$WORK/pki/server.crt" "$WORK/pki/server.key"
#   wait_for 50 curl -sf --cacert "$WORK/pki/ca.crt" "https://localhost:$(cat "$WORK/nginx/nginx.port")/health"
# Exit: nginx's (0 after SIGTERM), 100 usage.
set -eu
[ $# = 4 ] || { echo "usage: nginx-tls.sh DIR PORT CERT KEY" >&2; exit 100; }
dir=$(mkdir -p "$1" && cd "$1" && pwd)
port=$2
cert=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
key=$(cd "$(dirname "$4")" && pwd)/$(basename "$4")
if [ "$port" = 0 ]; then
	# Bound, read and released: another process could take the port before
	# nginx binds it, and nginx then fails loudly (error.log).
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@CERT@|$cert|g" -e "s|@KEY@|$key|g" \
	"$(dirname "$0")/nginx-tls.conf.in" >"$dir/nginx.conf"
echo "$port" >"$dir/nginx.port"
exec nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"

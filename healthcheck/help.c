/* The --help text: every option, the variable that also sets it, the exit
 * codes. Kept next to nothing else so options.c stays about parsing. */
#include "healthcheck/help.h"

#ifndef LUCID_HEALTH_HTTP_ONLY
#define NAME "lucid-health"
#define URLS                                                                                           \
	"URL: http[s]://host[:port][/path][?query] (IPv6 as [::1]), tcp://host:port (connect only),\n" \
	"     grpc[s]://host:port (grpc.health.v1.Health/Check; healthy only when SERVING)\n"
#define TLS_OPTIONS                                                                                           \
	"      --cacert FILE          LUCID_HEALTH_CACERT           https/grpcs: verify against these CAs\n"  \
	"      --verify               LUCID_HEALTH_VERIFY=1         verify against " TLS_BUNDLE "\n"          \
	"      --server-name NAME     LUCID_HEALTH_SERVER_NAME      SNI and the name verified (URL's host)\n" \
	"      --cert FILE --key FILE LUCID_HEALTH_CERT, _KEY       client certificate (mTLS)\n"              \
	"      --service NAME         LUCID_HEALTH_SERVICE          grpc: the service asked about (\"\")\n"
#define TLS_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
#define TLS_NOTE                                                                                    \
	"\nhttps and grpcs (TLS 1.2 and 1.3) verify nothing unless --cacert or --verify says so,\n" \
	"as the kubelet does for a probe of its own pod.\n"
#else
#define NAME "lucid-health-http"
#define URLS "URL: http://host[:port][/path][?query] (IPv6 as [::1]) or tcp://host:port (connect only)\n"
#define TLS_OPTIONS ""
#define TLS_NOTE "\nhttps, grpc and grpcs: use lucid-health, which has TLS and gRPC.\n"
#endif

const char help_text[] =
	"Usage: " NAME " [OPTIONS] [URL]\n"
	"Probe a service once: exit 0 if healthy, 1 if not or on any error (usage errors\n"
	"included; never 2, which Docker reserves). One result line goes to stdout.\n"
	"By default a URL gets the kubelet's httpGet verdict: GET, redirects to the same host\n"
	"followed (a 10th fails), up to 10 KiB of body read, healthy on 200-399.\n"
	"\n" URLS "\n"
	"Each option can also be set by the variable beside it; the command line wins.\n"
	"  URL                        LUCID_HEALTH_URL\n"
	"  -t, --timeout SECONDS      LUCID_HEALTH_TIMEOUT          whole probe (5; 2.5, 250ms)\n"
	"      --connect-timeout S    LUCID_HEALTH_CONNECT_TIMEOUT  connecting, within --timeout\n"
	"  -s, --status LIST          LUCID_HEALTH_STATUS           healthy codes (200-399): 200,204,301-308\n"
	"      --follow N             LUCID_HEALTH_FOLLOW           redirects followed (9: the 10th fails)\n"
	"      --no-follow            LUCID_HEALTH_NO_FOLLOW=1      judge the first response, redirect or not\n"
	"      --body-contains TEXT   LUCID_HEALTH_BODY_CONTAINS    the body must contain TEXT\n"
	"      --max-body SIZE        LUCID_HEALTH_MAX_BODY         body bytes searched (64k)\n"
	"  -X, --method GET|HEAD      LUCID_HEALTH_METHOD\n"
	"      --host NAME            LUCID_HEALTH_HOST             Host header (from the URL)\n"
	"  -H, --header 'N: value'    LUCID_HEALTH_HEADERS          repeatable; the variable has one per\n"
	"                                                           line, and any -H replaces them all\n"
	"      --unix-socket PATH     LUCID_HEALTH_UNIX_SOCKET      HTTP over this Unix socket\n" TLS_OPTIONS
	"  -q, --quiet                LUCID_HEALTH_QUIET=1          no result line\n"
	"  -v, --verbose              LUCID_HEALTH_VERBOSE=1        debug lines on stderr\n"
	"  -h, --help    -V, --version\n"
	"\n"
	"--status, --no-follow, --body-contains, --max-body and -X HEAD depart from the kubelet.\n"
	"Proxy variables (http_proxy, NO_PROXY, ...) are ignored." TLS_NOTE
	"Example: ENV LUCID_HEALTH_URL=http://127.0.0.1:8080/health\n"
	"         HEALTHCHECK CMD [\"/" NAME "\"]\n";

#include "healthcheck/link.h"

#include <unistd.h>

#include "healthcheck/conn.h"
#include "healthcheck/errors.h"
#ifndef LUCID_HEALTH_HTTP_ONLY
#include "healthcheck/tls.h"
#endif

int link_send(struct link *l, const void *data, size_t n, uint64_t end_us)
{
#ifndef LUCID_HEALTH_HTTP_ONLY
	if (l->tls)
		return tls_send(l, data, n, end_us);
#endif
	return conn_send(l->fd, data, n, end_us);
}

ssize_t link_recv(struct link *l, void *buf, size_t n, uint64_t end_us)
{
#ifndef LUCID_HEALTH_HTTP_ONLY
	if (l->tls)
		return tls_recv(l, buf, n, end_us);
#endif
	return conn_recv(l->fd, buf, n, end_us);
}

void link_error(struct buf *b, const struct link *l, int err)
{
#ifndef LUCID_HEALTH_HTTP_ONLY
	if (l->tls) {
		tls_error(b, l, err);
		return;
	}
#endif
	(void)l;
	error_put(b, err);
}

void link_close(struct link *l)
{
#ifndef LUCID_HEALTH_HTTP_ONLY
	tls_close(l);
#endif
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

/* Signal names as users write them: "TERM", "SIGTERM", "sigterm", "15",
 * "RTMIN+3", "RTMAX-1". RTMIN is 34, glibc's SIGRTMIN, because that is what
 * the services in most containers mean by it (systemd's SIGRTMIN+3 is 37);
 * musl's own SIGRTMIN is 35. */
#ifndef LUCID_INIT_SIGNAMES_H
#define LUCID_INIT_SIGNAMES_H

#define SIGNAL_MAX 64
#define SIGNAL_RTMIN_GLIBC 34

/* The signal number, or -1 for an unknown name or a number out of 1..64. */
int signal_from_name(const char *name);

#endif

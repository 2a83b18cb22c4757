/* What a process holds open, for the audit: how many fds, and how many of
 * them (above 2) are files or directories on a mount that is not in the
 * process's own mount namespace -- a host fd leaked into the container,
 * the shape of runc's CVE-2024-21626. Sockets, pipes and anonymous inodes
 * live on internal mounts and are counted, never judged: nothing in /proc
 * says who created them. */
#ifndef LUCID_INIT_FDSCAN_H
#define LUCID_INIT_FDSCAN_H

#include <stddef.h>
#include <sys/types.h>

struct fd_census {
	long open;	    /* every open fd; -1 unknown */
	long foreign;	    /* fds above 2 on a mount outside the namespace; -1: not inspectable */
	long first_foreign; /* the lowest such fd, -1 none */
};

/* Count PID's fds. Listing them needs ptrace access to PID (the same user
 * and a dumpable process, or CAP_SYS_PTRACE); without it the count comes
 * from the size of /proc/PID/fd (Linux 6.2+) and foreign is -1. 0, or -1
 * with errno when the process is gone. */
int fdscan_census(pid_t pid, struct fd_census *out);

/* The mount IDs (the first field of each line) of mountinfo text, in a
 * malloc'd array the caller frees. 0, or -1 with errno (EINVAL: a line
 * that does not start with a number). */
int fdscan_mount_ids(const char *text, size_t len, unsigned **ids, size_t *n);

#endif

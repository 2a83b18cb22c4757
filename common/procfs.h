/* Reading processes from /proc: lucid-init's audit (credentials and
 * confinement) and drain (who is left), and lucid-seccomp learn's phases
 * (a task's Seccomp_filters). */
#ifndef LUCID_PROCFS_H
#define LUCID_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROC_MAX_GROUPS 32

struct proc_status {
	char name[64];
	char state;
	pid_t pid, ppid;
	uint32_t uid[4]; /* real, effective, saved, filesystem */
	uint32_t gid[4];
	uint32_t groups[PROC_MAX_GROUPS];
	size_t n_groups;
	bool groups_truncated;
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	uint64_t sig_ign, sig_cgt; /* bit N-1: signal N ignored, caught */
	int no_new_privs;	   /* -1 when the kernel does not report it */
	int seccomp;		   /* 0 off, 1 strict, 2 filter; -1 unknown */
	int seccomp_filters;	   /* -1 when not reported */
};

/* Parse the text of /proc/PID/status. Fields the kernel does not report
 * keep their "unknown" values; 0, or -1 with EINVAL when the mandatory
 * Name/Pid/PPid/Uid/Gid lines are missing or malformed. */
int procfs_parse_status(const char *text, struct proc_status *st);

/* The decimal value of a "Key:\tN" line of /proc text (status, fdinfo):
 * 0 with *out set, or -1 when absent or not a number up to INT32_MAX. */
int procfs_int_field(const char *text, const char *key, int *out);

/* "/proc/PID/LEAF", or "/proc/PID/LEAF/SUB" (SUB may be NULL), into dst:
 * the one way this code names a /proc file. dst, for use in a call. */
#define PROCFS_PATH_MAX 64
const char *procfs_path(char *dst, size_t size, pid_t pid, const char *leaf, const char *sub);

/* Read and parse /proc/PID/status. */
int procfs_read_status(pid_t pid, struct proc_status *out);

/* The most processes a PID namespace can hold (the kernel's PID_MAX_LIMIT):
 * a /proc with more entries is refused (E2BIG), never read in part. */
#define PROCFS_MAX_PIDS (4u << 20)

/* Every numeric entry of /proc, in a malloc'd array the caller frees: 0
 * with *pids and *n set, or -1 with errno. Nothing is left out. */
int procfs_list_pids(pid_t **pids, size_t *n);

/* The processes below `ancestor` (not itself), found through PPid links, in
 * a malloc'd array the caller frees: 0 with *out and *n set, or -1. */
int procfs_descendants(pid_t ancestor, pid_t **out, size_t *n);

/* Whether pid is now a descendant of ancestor: its PPid chain reaches it.
 * Judged after a pidfd for pid was opened, it is about that very process. */
bool procfs_is_descendant(pid_t pid, pid_t ancestor);

/* /proc/PID/cmdline with NULs turned into spaces, bounded by size. */
int procfs_read_cmdline(pid_t pid, char *dst, size_t size);

#endif

/* The forwarding rule; see forwarding.h. */
#include "common/forwarding.h"

#include <signal.h>

static bool is_fault_number(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP || sig == SIGSYS;
}

bool signal_for_service(int sig, int code, pid_t sender, pid_t self)
{
	if (sig == SIGCHLD)
		return false;
	if (code == SI_USER && sender == self)
		return false;
	return !(code > 0 && is_fault_number(sig));
}

/* Exit codes, named once for the three binaries (README lists them):
 *   lucid-init     the service's status, or 100/111/126/127 below
 *   lucid-health   0 healthy, 1 anything else, usage errors included
 *                  (Docker reserves 2, and a probe has two answers)
 *   lucid-seccomp  0 ok, 1 invalid profile or failed compile, 100 usage */
#ifndef LUCID_EXITS_H
#define LUCID_EXITS_H

enum {
	EXIT_USAGE = 100,	   /* a bad option, argument or variable */
	EXIT_SETUP = 111,	   /* lucid-init: setup failed, the service never ran */
	EXIT_NOT_EXECUTABLE = 126, /* lucid-init: the command cannot be executed */
	EXIT_NOT_FOUND = 127,	   /* lucid-init: the command was not found */
	EXIT_HEALTHY = 0,	   /* lucid-health */
	EXIT_UNHEALTHY = 1,	   /* lucid-health, usage errors included */
	EXIT_INVALID = 1,	   /* lucid-seccomp: the profile or the compile failed */
};

#endif

/* What tests/unit/fake_sys.c scripts beyond cmocka's queues. */
#ifndef LUCID_TESTS_FAKE_SYS_H
#define LUCID_TESTS_FAKE_SYS_H

/* The pid a scripted signal comes from: another process, or the init
 * itself (set struct supervise_plan.self to FAKE_SELF_PID). */
#define FAKE_SENDER_PID 4242
#define FAKE_SELF_PID 1
/* Or'ed into a sys_sigtimedwait result: the init raised it on itself. */
#define FAKE_SELF_RAISED 0x10000

#endif

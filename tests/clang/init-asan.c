/* lucid-init's one sanitizer setting, in its ASan build only
 * (tests/clang/build.py): no leak check at exit. LeakSanitizer stops the
 * world with a ptrace()ing thread, which PID 1's own seccomp filter rightly
 * kills; a leak in a process that lives as long as its container is not
 * what this build looks for (its heap is bounded by tests/integration/stress.sh). */
const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

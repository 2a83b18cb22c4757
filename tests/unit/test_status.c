#include <cmocka.h>
static void stub(void **state) { (void)state; assert_true(1); }
int main(void) { const struct CMUnitTest tests[] = { cmocka_unit_test(stub) }; return cmocka_run_group_tests(tests, NULL, NULL); }

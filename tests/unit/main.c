/*
 * tests/unit/main.c — runs every Check suite listed in suites.def and prints
 * "unit: N passed, N failed" as its last line. Exit status 1 when any test failed.
 *   unit-tests [suite]     run one suite only
 */
#include "tests/unit/unit.h"

#include <stdlib.h>
#include <string.h>

char *unit_tmpdir(void)
{
    char tmpl[] = "/tmp/relink-unit-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir)
        die("mkdtemp failed");
    return xstrdup(dir);
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    SRunner *runner = NULL;
#define SUITE(name)                                                 \
    if (!only || strcmp(only, #name) == 0) {                        \
        if (!runner)                                                \
            runner = srunner_create(name##_suite());                \
        else                                                        \
            srunner_add_suite(runner, name##_suite());              \
    }
#include "tests/unit/suites.def"
#undef SUITE
    if (!runner) {
        fprintf(stderr, "unit-tests: no suite named `%s`\n", only);
        return 2;
    }
    srunner_run_all(runner, CK_NORMAL);
    int run = srunner_ntests_run(runner), failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    printf("unit: %d passed, %d failed\n", run - failed, failed);
    return failed ? 1 : 0;
}

/* tests/unit/unit.h — shared declarations for the Check unit tests. */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>

#include "common/common.h"

#define SUITE(name) Suite *name##_suite(void);
#include "suites.gen.h"
#undef SUITE

/* A fresh temporary directory for a test (removed by the caller: unit_rmtree). */
char *unit_tmpdir(void);
/* Removes a directory tree (rm -rf); fails the test when it cannot. */
void unit_rmtree(const char *dir);
/* Runs a shell command, appending its stdout to *out; returns its exit status (128 +
 * the signal when a signal ended it). */
int unit_run(const char *cmd, StrBuf *out);

#endif

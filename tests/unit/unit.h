/* tests/unit/unit.h — shared declarations for the Check unit tests. */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>

#include "common/common.h"

#define SUITE(name) Suite *name##_suite(void);
#include "suites.gen.h"
#undef SUITE

/* A fresh temporary directory for a test (removed by the caller with rm -rf). */
char *unit_tmpdir(void);

#endif

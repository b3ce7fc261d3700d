/* SPDX-License-Identifier: MIT */
/* unit.h - cmocka unit tests of tools/: each file exports its test list. */
#ifndef ZEQ_UNIT_H
#define ZEQ_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define N_TESTS(a) (sizeof(a) / sizeof((a)[0]))

extern const struct CMUnitTest parse_tests[];
extern const size_t parse_tests_n;
extern const struct CMUnitTest keyfile_tests[];
extern const size_t keyfile_tests_n;
extern const struct CMUnitTest json_tests[];
extern const size_t json_tests_n;
extern const struct CMUnitTest attrs_tests[];
extern const size_t attrs_tests_n;
extern const struct CMUnitTest nl_tests[];
extern const size_t nl_tests_n;
extern const struct CMUnitTest output_tests[];
extern const size_t output_tests_n;
extern const struct CMUnitTest constants_tests[];
extern const size_t constants_tests_n;
extern const struct CMUnitTest args_tests[];
extern const size_t args_tests_n;

#endif

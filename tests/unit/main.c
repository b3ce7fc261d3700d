// SPDX-License-Identifier: MIT
/* main.c - runs every unit test as one cmocka group (one TAP stream). */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

int main(void)
{
	const struct { const struct CMUnitTest *t; size_t n; } sets[] = {
		{ parse_tests, parse_tests_n },
		{ keyfile_tests, keyfile_tests_n },
		{ json_tests, json_tests_n },
		{ attrs_tests, attrs_tests_n },
		{ nl_tests, nl_tests_n },
		{ output_tests, output_tests_n },
		{ constants_tests, constants_tests_n },
		{ args_tests, args_tests_n },
	};
	struct CMUnitTest *all;
	size_t n = 0, k = 0;
	int ret;

	for (size_t i = 0; i < N_TESTS(sets); i++)
		n += sets[i].n;
	all = calloc(n, sizeof(*all));
	if (!all)
		return 1;
	for (size_t i = 0; i < N_TESTS(sets); i++) {
		memcpy(all + k, sets[i].t, sets[i].n * sizeof(*all));
		k += sets[i].n;
	}
	ret = _cmocka_run_group_tests("zeq", all, n, NULL, NULL);
	free(all);
	return ret;
}

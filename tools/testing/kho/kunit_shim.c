// SPDX-License-Identifier: GPL-2.0-only
/*
 * A userspace runner for KUnit suites built against include/kunit/: runs
 * every registered suite, prints KTAP and exits non-zero on any failure.
 *
 *   ./kho_unit [-v]
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>

#include "kho_sim.h"

#define KUNIT_SHIM_MAX_SUITES	8
#define KUNIT_SHIM_MAX_STUBS	8
/* Pages of simulated memory for the tree nodes of a suite: 256 MiB. */
#define KUNIT_SHIM_SIM_PAGES	65536

struct kunit_shim_alloc {
	struct kunit_shim_alloc *next;
};

struct kunit_shim_stub {
	void *real_fn;
	void *replacement;
};

static struct kunit_suite *kunit_shim_suites[KUNIT_SHIM_MAX_SUITES];
static unsigned int kunit_shim_nr_suites;
static struct kunit_shim_stub kunit_shim_stubs[KUNIT_SHIM_MAX_STUBS];
static struct kunit *kunit_shim_current;

void kunit_shim_register(struct kunit_suite *suite)
{
	if (kunit_shim_nr_suites == KUNIT_SHIM_MAX_SUITES)
		kho_sim_bug("too many KUnit suites\n");
	kunit_shim_suites[kunit_shim_nr_suites++] = suite;
}

struct kunit *kunit_get_current_test(void)
{
	return kunit_shim_current;
}

void *kunit_shim_find_stub(void *real_fn)
{
	unsigned int i;

	if (!kunit_shim_current)
		return NULL;
	for (i = 0; i < KUNIT_SHIM_MAX_STUBS; i++)
		if (kunit_shim_stubs[i].real_fn == real_fn)
			return kunit_shim_stubs[i].replacement;
	return NULL;
}

void kunit_shim_activate_stub(struct kunit *test, void *real_fn,
			      void *replacement)
{
	unsigned int i, free_slot = KUNIT_SHIM_MAX_STUBS;

	for (i = 0; i < KUNIT_SHIM_MAX_STUBS; i++) {
		if (kunit_shim_stubs[i].real_fn == real_fn) {
			kunit_shim_stubs[i].replacement = replacement;
			return;
		}
		if (!kunit_shim_stubs[i].real_fn &&
		    free_slot == KUNIT_SHIM_MAX_STUBS)
			free_slot = i;
	}
	if (free_slot == KUNIT_SHIM_MAX_STUBS)
		kho_sim_bug("too many static stubs\n");
	kunit_shim_stubs[free_slot].real_fn = real_fn;
	kunit_shim_stubs[free_slot].replacement = replacement;
}

void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	struct kunit_shim_alloc *a;

	if (size > SIZE_MAX - sizeof(*a))
		return NULL;
	a = calloc(1, sizeof(*a) + size);
	if (!a)
		return NULL;
	a->next = test->allocs;
	test->allocs = a;
	return a + 1;
}

void kunit_shim_fail(struct kunit *test, bool assert, const char *file,
		     int line, const char *fmt, ...)
{
	va_list ap;

	printf("    # %s: %s FAILED at %s:%d\n    ", test->name,
	       assert ? "ASSERTION" : "EXPECTATION", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (fmt[strlen(fmt) - 1] != '\n')
		printf("\n");
	test->status = KUNIT_FAILURE;
	if (assert)
		longjmp(test->bail, 1);
}

void kunit_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	printf("    # %s: skipped: ", test->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (test->status == KUNIT_SUCCESS)
		test->status = KUNIT_SKIPPED;
	longjmp(test->bail, 1);
}

static double kunit_shim_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run one case in a fresh context; returns its status. */
static enum kunit_status kunit_shim_run_case(struct kunit_suite *suite,
					     struct kunit_case *kcase)
{
	static struct kunit test;
	struct kunit_shim_alloc *a;

	memset(&test, 0, sizeof(test));
	test.name = kcase->name;
	memset(kunit_shim_stubs, 0, sizeof(kunit_shim_stubs));
	kunit_shim_current = &test;

	if (!setjmp(test.bail)) {
		if (suite->init && suite->init(&test))
			KUNIT_FAIL(&test, "suite init failed");
		else
			kcase->run_case(&test);
	}
	/* the exit function runs whatever happened, as in KUnit */
	if (suite->exit && !setjmp(test.bail))
		suite->exit(&test);

	memset(kunit_shim_stubs, 0, sizeof(kunit_shim_stubs));
	kunit_shim_current = NULL;
	while ((a = test.allocs)) {
		test.allocs = a->next;
		free(a);
	}
	return test.status;
}

/* Run a suite as a KTAP subtest; returns its number of failed cases. */
static unsigned int kunit_shim_run_suite(struct kunit_suite *suite,
					 unsigned int nr)
{
	unsigned int i, nr_cases = 0, failed = 0;
	enum kunit_status status;
	double t0, t;

	while (suite->test_cases[nr_cases].run_case)
		nr_cases++;
	printf("    KTAP version 1\n    # Subtest: %s\n    1..%u\n",
	       suite->name, nr_cases);
	for (i = 0; i < nr_cases; i++) {
		t0 = kunit_shim_now();
		status = kunit_shim_run_case(suite, &suite->test_cases[i]);
		t = kunit_shim_now() - t0;
		if (status == KUNIT_FAILURE)
			failed++;
		printf("    %s %u %s%s # %.1f ms\n",
		       status == KUNIT_FAILURE ? "not ok" : "ok", i + 1,
		       suite->test_cases[i].name,
		       status == KUNIT_SKIPPED ? " # SKIP" : "", t * 1e3);
	}
	printf("%s %u %s\n", failed ? "not ok" : "ok", nr, suite->name);
	return failed;
}

int main(int argc, char **argv)
{
	unsigned int i, failed = 0;
	double t0 = kunit_shim_now();

	/* the report of a sanitizer must not overtake the results */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (kho_sim_init(KUNIT_SHIM_SIM_PAGES)) {
		fprintf(stderr, "kho_unit: no memory for the simulation\n");
		return 2;
	}
	printf("KTAP version 1\n1..%u\n", kunit_shim_nr_suites);
	for (i = 0; i < kunit_shim_nr_suites; i++)
		failed += kunit_shim_run_suite(kunit_shim_suites[i], i + 1);
	printf("# %u suites, %u failed cases, %.1f ms\n", kunit_shim_nr_suites,
	       failed, (kunit_shim_now() - t0) * 1e3);
	kho_sim_exit();
	return failed ? 1 : 0;
}

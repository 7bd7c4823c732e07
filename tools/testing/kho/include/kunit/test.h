/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of KUnit that the KHO suites use, for a userspace runner: a
 * failed assertion or a skip leaves the case with longjmp(), memory from
 * kunit_kzalloc() is freed when the case ends.
 */
#ifndef _KHO_TEST_KUNIT_TEST_H
#define _KHO_TEST_KUNIT_TEST_H

#include <setjmp.h>
#include <stdio.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include <kunit/test-bug.h>

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit_shim_alloc;

/**
 * struct kunit - A running test case.
 * @name: Name of the case.
 * @priv: For the suite's own use, usually set by its init function.
 * @status: How the case went so far.
 * @allocs: Memory of kunit_kzalloc(), freed when the case ends.
 * @bail: Where a failed assertion or a skip jumps to.
 */
struct kunit {
	const char *name;
	void *priv;
	enum kunit_status status;
	struct kunit_shim_alloc *allocs;
	jmp_buf bail;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }

void kunit_shim_register(struct kunit_suite *suite);

#define kunit_test_suite(suite)						\
	static void __attribute__((constructor)) kunit_shim_reg_##suite(void) \
	{								\
		kunit_shim_register(&(suite));				\
	}

void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp);

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kunit_kzalloc(test, n * size, gfp);
}

__printf(5, 6)
void kunit_shim_fail(struct kunit *test, bool assert, const char *file,
		     int line, const char *fmt, ...);
__printf(2, 3) __noreturn
void kunit_skip(struct kunit *test, const char *fmt, ...);

#define kunit_info(test, fmt, ...)					\
	printf("    # %s: " fmt, (test)->name, ##__VA_ARGS__)

#define KUNIT_FAIL(test, fmt, ...)					\
	kunit_shim_fail(test, false, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

/* Compare as integers; print both sides and the optional message. */
#define KUNIT_SHIM_BINARY(test, assert, left, op, right, fmt, ...)	\
	do {								\
		const typeof(left) __left = (left);			\
		const typeof(right) __right = (right);			\
									\
		if (!(__left op __right))				\
			kunit_shim_fail(test, assert, __FILE__, __LINE__, \
					"Expected %s %s %s, but %s == %lld (%#llx), " \
					"%s == %lld (%#llx)\n" fmt,	\
					#left, #op, #right,		\
					#left, (long long)__left,	\
					(unsigned long long)__left,	\
					#right, (long long)__right,	\
					(unsigned long long)__right,	\
					##__VA_ARGS__);			\
	} while (0)

#define KUNIT_SHIM_TRUE(test, assert, cond, want, fmt, ...)		\
	do {								\
		if (!!(cond) != (want))					\
			kunit_shim_fail(test, assert, __FILE__, __LINE__, \
					"Expected %s to be " #want "\n" fmt, \
					#cond, ##__VA_ARGS__);		\
	} while (0)

#define KUNIT_SHIM_NULL(test, assert, ptr, op, fmt, ...)		\
	do {								\
		const void *__ptr = (ptr);				\
									\
		if (!(__ptr op NULL))					\
			kunit_shim_fail(test, assert, __FILE__, __LINE__, \
					"Expected %s " #op " NULL, but it is %p\n" \
					fmt, #ptr, __ptr, ##__VA_ARGS__); \
	} while (0)

#define KUNIT_EXPECT_EQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_BINARY(test, false, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ(test, l, r)	KUNIT_EXPECT_EQ_MSG(test, l, r, "")
#define KUNIT_EXPECT_NE(test, l, r)				\
	KUNIT_SHIM_BINARY(test, false, l, !=, r, "")
#define KUNIT_EXPECT_LT(test, l, r)				\
	KUNIT_SHIM_BINARY(test, false, l, <, r, "")
#define KUNIT_EXPECT_GT(test, l, r)				\
	KUNIT_SHIM_BINARY(test, false, l, >, r, "")
#define KUNIT_EXPECT_TRUE(test, c)	KUNIT_SHIM_TRUE(test, false, c, true, "")
#define KUNIT_EXPECT_FALSE_MSG(test, c, fmt, ...)			\
	KUNIT_SHIM_TRUE(test, false, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE(test, c)	KUNIT_EXPECT_FALSE_MSG(test, c, "")
#define KUNIT_EXPECT_NULL(test, p)	KUNIT_SHIM_NULL(test, false, p, ==, "")
#define KUNIT_EXPECT_NOT_NULL(test, p)				\
	KUNIT_SHIM_NULL(test, false, p, !=, "")

#define KUNIT_ASSERT_EQ(test, l, r)				\
	KUNIT_SHIM_BINARY(test, true, l, ==, r, "")
#define KUNIT_ASSERT_NE_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_BINARY(test, true, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE(test, l, r)	KUNIT_ASSERT_NE_MSG(test, l, r, "")
#define KUNIT_ASSERT_TRUE(test, c)	KUNIT_SHIM_TRUE(test, true, c, true, "")
#define KUNIT_ASSERT_NOT_NULL(test, p)				\
	KUNIT_SHIM_NULL(test, true, p, !=, "")

#endif /* _KHO_TEST_KUNIT_TEST_H */

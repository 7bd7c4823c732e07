/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_KUNIT_TEST_BUG_H
#define _KHO_TEST_KUNIT_TEST_BUG_H

struct kunit;

/* The running test case, %NULL outside of one (e.g. in the fuzzer). */
struct kunit *kunit_get_current_test(void);

#endif /* _KHO_TEST_KUNIT_TEST_BUG_H */

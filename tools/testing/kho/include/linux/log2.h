/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_LOG2_H
#define _KHO_TEST_LINUX_LOG2_H

#include_next <linux/log2.h>

/* tools/include lacks it; usable in constant expressions, @n > 0 */
#define const_ilog2(n)	(63 - __builtin_clzll(n))

#endif /* _KHO_TEST_LINUX_LOG2_H */

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_SORT_H
#define _KHO_TEST_LINUX_SORT_H

#include <stdlib.h>
#include <linux/types.h>

/* libc's qsort() swaps elements itself: @swap_func is not needed. */
static inline void sort(void *base, size_t num, size_t size,
			int (*cmp_func)(const void *, const void *),
			void (*swap_func)(void *, void *, int))
{
	qsort(base, num, size, cmp_func);
}

#endif /* _KHO_TEST_LINUX_SORT_H */

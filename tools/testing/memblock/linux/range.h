/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MEMBLOCK_TEST_RANGE_H
#define _MEMBLOCK_TEST_RANGE_H

#include <linux/types.h>

/* The kernel's struct range, all the simulator needs of <linux/range.h>. */
struct range {
	u64 start;
	u64 end;
};

#endif

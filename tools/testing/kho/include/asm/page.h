/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_ASM_PAGE_H
#define _KHO_TEST_ASM_PAGE_H

#include <linux/bits.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	BIT(PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#endif /* _KHO_TEST_ASM_PAGE_H */

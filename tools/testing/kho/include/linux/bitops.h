/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_BITOPS_H
#define _KHO_TEST_LINUX_BITOPS_H

#include_next <linux/bitops.h>

/* The kernel's bitops.h gets the bitmap helpers along. */
#include <linux/bitmap.h>

#endif /* _KHO_TEST_LINUX_BITOPS_H */

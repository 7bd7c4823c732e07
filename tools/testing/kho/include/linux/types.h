/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_TYPES_H
#define _KHO_TEST_LINUX_TYPES_H

#include_next <linux/types.h>

/* In the kernel's types.h, in the tools' bitmap.h: the same definition */
#define DECLARE_BITMAP(name, bits) \
	unsigned long name[BITS_TO_LONGS(bits)]

#endif /* _KHO_TEST_LINUX_TYPES_H */

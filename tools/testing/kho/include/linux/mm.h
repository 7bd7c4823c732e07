/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_MM_H
#define _KHO_TEST_LINUX_MM_H

#include <linux/align.h>
#include <linux/types.h>
#include <asm/page.h>

#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)

#endif /* _KHO_TEST_LINUX_MM_H */

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_MMZONE_H
#define _KHO_TEST_LINUX_MMZONE_H

#include <linux/mm.h>

/* x86_64 with 4 KiB pages */
#define MAX_PAGE_ORDER	10

#endif /* _KHO_TEST_LINUX_MMZONE_H */

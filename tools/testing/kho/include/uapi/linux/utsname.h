/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_UAPI_LINUX_UTSNAME_H
#define _KHO_TEST_UAPI_LINUX_UTSNAME_H

/* The system's uapi header is the kernel's. */
#include <linux/utsname.h>

#endif /* _KHO_TEST_UAPI_LINUX_UTSNAME_H */

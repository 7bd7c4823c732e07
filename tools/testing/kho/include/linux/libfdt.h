/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_LIBFDT_H
#define _KHO_TEST_LINUX_LIBFDT_H

/* scripts/dtc/libfdt, with its userspace libfdt_env.h */
#include <libfdt.h>

#endif /* _KHO_TEST_LINUX_LIBFDT_H */

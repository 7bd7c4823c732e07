/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_LOCKDEP_H
#define _KHO_TEST_LINUX_LOCKDEP_H

#include <linux/mutex.h>

#endif /* _KHO_TEST_LINUX_LOCKDEP_H */

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_GFP_H
#define _KHO_TEST_LINUX_GFP_H

#include <linux/types.h>

/* Pages come from the simulated physical memory, see kho_sim.c. */
#include "../../kho_sim.h"

#endif /* _KHO_TEST_LINUX_GFP_H */

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_IO_H
#define _KHO_TEST_LINUX_IO_H

/* The linear map of the simulated physical memory, see kho_sim.c. */
#include "../../kho_sim.h"

#endif /* _KHO_TEST_LINUX_IO_H */

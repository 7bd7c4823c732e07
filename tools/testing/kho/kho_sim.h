/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated physical memory for the userspace KHO tests: one host buffer
 * holds physical addresses 0 to kho_sim_size(), phys_to_virt() and
 * virt_to_phys() map between the two, and pages for tree nodes come from
 * a window of it.
 */
#ifndef _KHO_TEST_SIM_H
#define _KHO_TEST_SIM_H

#include <linux/compiler.h>
#include <linux/types.h>

__printf(1, 2) __noreturn
void kho_sim_bug(const char *fmt, ...);

int kho_sim_init(unsigned long nr_pages);
void kho_sim_exit(void);
u64 kho_sim_size(void);
void kho_sim_alloc_window(unsigned long start_pfn, unsigned long end_pfn);
unsigned long kho_sim_live_pages(void);
void kho_sim_poison(u64 phys, u64 size);
void kho_sim_unpoison(u64 phys, u64 size);

void *phys_to_virt(phys_addr_t phys);
phys_addr_t virt_to_phys(const void *virt);
unsigned long get_zeroed_page(gfp_t gfp);
void free_page(unsigned long addr);

#endif /* _KHO_TEST_SIM_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kexec HandOver (KHO) hooks for its test module (lib/test_kho*.c), built
 * only with CONFIG_TEST_KEXEC_HANDOVER: they look at or break the
 * outgoing hand-over in ways no real user of KHO may.
 */
#ifndef _LINUX_KHO_TEST_H
#define _LINUX_KHO_TEST_H

#include <linux/types.h>

struct kho_kexec_metadata;
struct kho_scratch;

const struct kho_scratch *kho_test_scratch(unsigned int *nr);
bool kho_test_is_preserved(unsigned long pfn, unsigned int order);
struct kho_kexec_metadata *kho_test_metadata_out(void);
int kho_test_emit_v2(void);
int kho_test_corrupt(const char *kind);
long kho_test_check_placement(void);
phys_addr_t kho_test_fdt_phys(void);

#endif /* _LINUX_KHO_TEST_H */

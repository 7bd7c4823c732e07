/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef LINUX_KEXEC_HANDOVER_INTERNAL_H
#define LINUX_KEXEC_HANDOVER_INTERNAL_H

#include <linux/kexec_handover.h>
#include <linux/types.h>

extern struct kho_scratch *kho_scratch;
extern unsigned int kho_scratch_cnt;

struct kho_kexec_metadata;

struct kho_kexec_metadata *kho_kexec_metadata_out(void);

struct kho_radix_tree;

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
void kho_debug_check_preserve(struct kho_radix_tree *tree, unsigned long pfn,
			      unsigned int order);
#else
static inline void kho_debug_check_preserve(struct kho_radix_tree *tree,
					    unsigned long pfn,
					    unsigned int order) { }
#endif /* CONFIG_KEXEC_HANDOVER_DEBUG */

/* Test hook, with KEXEC_HANDOVER_DEBUG or TEST_KEXEC_HANDOVER only */
int kho_debug_emit_v2(void);

#ifdef CONFIG_KEXEC_HANDOVER_DEBUGFS
void kho_debugfs_init(void);
void kho_debugfs_in_init(const void *fdt);
void kho_debugfs_out_init(const void *fdt);
void kho_debugfs_blob_add(bool incoming, const char *name, const void *blob,
			  size_t size);
void kho_debugfs_blob_remove(const char *name);
#else
static inline void kho_debugfs_init(void) { }
static inline void kho_debugfs_in_init(const void *fdt) { }
static inline void kho_debugfs_out_init(const void *fdt) { }
static inline void kho_debugfs_blob_add(bool incoming, const char *name,
					const void *blob, size_t size) { }
static inline void kho_debugfs_blob_remove(const char *name) { }
#endif /* CONFIG_KEXEC_HANDOVER_DEBUGFS */

#endif /* LINUX_KEXEC_HANDOVER_INTERNAL_H */

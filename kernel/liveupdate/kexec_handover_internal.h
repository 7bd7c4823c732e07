/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef LINUX_KEXEC_HANDOVER_INTERNAL_H
#define LINUX_KEXEC_HANDOVER_INTERNAL_H

#include <linux/kexec_handover.h>
#include <linux/types.h>

extern struct kho_scratch *kho_scratch;
extern unsigned int kho_scratch_cnt;

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

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef LINUX_KEXEC_HANDOVER_INTERNAL_H
#define LINUX_KEXEC_HANDOVER_INTERNAL_H

#include <linux/kexec_handover.h>
#include <linux/kho_radix_tree.h>
#include <linux/mutex.h>
#include <linux/types.h>

/**
 * struct kho_out - The hand-over this kernel passes on.
 * @tree: The preserved memory.
 * @fdt_lock: Serializes changes of @fdt.
 * @fdt: The root FDT, one preserved page; %NULL until kho_init() is done.
 */
struct kho_out {
	struct kho_radix_tree tree;
	struct mutex fdt_lock;	/* protects the content of @fdt */
	void *fdt;
};

extern struct kho_out kho_out;
extern struct kho_scratch *kho_scratch;
extern unsigned int kho_scratch_cnt;
extern const struct kho_scratch *kho_scratch_out;

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

/* Test hooks, with KEXEC_HANDOVER_DEBUG or TEST_KEXEC_HANDOVER only */
int kho_debug_emit_v2(void);
int kho_test_corrupt(const char *kind);

#ifdef CONFIG_KEXEC_HANDOVER_DEBUGFS
void kho_debugfs_init(void);
void kho_debugfs_in_init(const void *fdt);
void kho_debugfs_out_init(const void *fdt, struct kho_radix_tree *tree);
void kho_debugfs_blob_add(bool incoming, const char *name, const void *blob,
			  size_t size);
void kho_debugfs_blob_remove(const char *name);
#else
static inline void kho_debugfs_init(void) { }
static inline void kho_debugfs_in_init(const void *fdt) { }
static inline void kho_debugfs_out_init(const void *fdt,
					struct kho_radix_tree *tree) { }
static inline void kho_debugfs_blob_add(bool incoming, const char *name,
					const void *blob, size_t size) { }
static inline void kho_debugfs_blob_remove(const char *name) { }
#endif /* CONFIG_KEXEC_HANDOVER_DEBUGFS */

#endif /* LINUX_KEXEC_HANDOVER_INTERNAL_H */

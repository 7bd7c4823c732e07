/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The private interface between the files of Kexec HandOver (KHO):
 * kexec_handover.c (enabling, boot and init glue), kexec_handover_scratch.c
 * (the scratch regions), kexec_handover_out.c (what this kernel hands over)
 * and kexec_handover_in.c (what it received).
 */
#ifndef LINUX_KEXEC_HANDOVER_INTERNAL_H
#define LINUX_KEXEC_HANDOVER_INTERNAL_H

#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/kho_radix_tree.h>
#include <linux/mutex.h>
#include <linux/types.h>

/**
 * struct kho_out - The hand-over this kernel passes on.
 * @tree: The preserved memory.
 * @fdt_lock: Serializes changes of @fdt.
 * @fdt: The root FDT, one preserved page; %NULL until kho_out_init() is
 *	done.
 * @scratch: The scratch array kho_fill_kimage() passes on, %kho_scratch_cnt
 *	entries: this kernel's own scratch.
 */
struct kho_out {
	struct kho_radix_tree tree;
	struct mutex fdt_lock;	/* protects the content of @fdt */
	void *fdt;
	const struct kho_scratch *scratch;
};

/* Slots of the scratch array, see struct kho_scratch. */
enum kho_scratch_slot {
	KHO_SCRATCH_LOW,
	KHO_SCRATCH_GLOBAL,
	KHO_SCRATCH_NODES,
};

extern struct kho_out kho_out;
extern struct kho_scratch *kho_scratch;
extern unsigned int kho_scratch_cnt;

/* kexec_handover_scratch.c */
int __init kho_scratch_place(void);
int __init kho_scratch_hold(void);
bool kho_overlaps_scratch(phys_addr_t phys, phys_addr_t size);

/* kexec_handover_out.c */
bool kho_out_active(void);
int kho_fdt_err(int fdt_err);
int __init kho_out_init(void);

/* kexec_handover_in.c */
void __init kho_in_memory_init(void);
void __init kho_in_debugfs_init(void);

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
void kho_debug_check_preserve(struct kho_radix_tree *tree, unsigned long pfn,
			      unsigned int order);
#else
static inline void kho_debug_check_preserve(struct kho_radix_tree *tree,
					    unsigned long pfn,
					    unsigned int order) { }
#endif /* CONFIG_KEXEC_HANDOVER_DEBUG */

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

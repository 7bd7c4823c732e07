/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks of an incoming Kexec HandOver (KHO).
 *
 * Kept free of everything but the KHO ABI, libfdt and the tracker, so that
 * tools/testing/kho builds the same code in user space to fuzz it.
 */
#ifndef LINUX_KEXEC_HANDOVER_CHECK_H
#define LINUX_KEXEC_HANDOVER_CHECK_H

#include <linux/types.h>

struct kho_scratch;

/**
 * struct kho_check - An incoming hand-over and what it is checked against.
 * @is_ram: Returns true if the @size bytes at @phys are all RAM, in a single
 *	region of memory (so on a single NUMA node).
 * @scratch: The scratch regions the hand-over came with.
 * @nr_scratch: Number of entries of @scratch.
 * @in_use: Optional; returns true if any of the @size bytes at @phys may
 *	have been used by this kernel before the checks, e.g. what it
 *	allocated from besides @scratch.  No node or block may lie there.
 * @image_start: Physical address of the first byte of the running kernel.
 * @image_end: Physical address just after its last byte.
 * @max_pfn: No page frame at or above it is RAM.
 * @visited: Zeroed bitmap of @max_pfn bits; the checks mark the tree nodes
 *	they have seen in it.
 * @why: Returns the name of the check that failed, %NULL if none did.
 * @bad_addr: Returns the physical address a failed check was about.
 * @root: Returns the root of the preserved memory tree.
 * @orders: Returns a mask with bit n set if blocks of order n were found.
 * @nodes: Returns the number of tree nodes, the root included.
 * @leaves: Returns how many of them are leaves.
 * @min_leaves: Returns the fewest leaves that can hold the blocks: a leaf
 *	holds %BIT(KHO_BITMAP_SIZE_LOG2) keys of a single order.
 * @order_blocks: Blocks found so far of the order of the last block.
 * @last_order: Order of the last block found.
 * @blocks: Returns the number of preserved blocks.
 * @pages: Returns the number of pages in them.
 * @blobs: Returns the number of usable blobs.
 */
struct kho_check {
	bool (*is_ram)(phys_addr_t phys, u64 size);
	bool (*in_use)(phys_addr_t phys, u64 size);
	const struct kho_scratch *scratch;
	unsigned int nr_scratch;
	phys_addr_t image_start;
	phys_addr_t image_end;
	unsigned long max_pfn;
	unsigned long *visited;

	const char *why;
	u64 bad_addr;
	const void *root;
	unsigned long orders;
	unsigned long nodes;
	unsigned long leaves;
	unsigned long min_leaves;
	unsigned long order_blocks;
	unsigned int last_order;
	unsigned long blocks;
	u64 pages;
	unsigned int blobs;
};

const char *kho_check_fdt(const void *fdt, u64 fdt_len);
const char *kho_check_scratch(struct kho_check *c);
const char *kho_blob_record(const void *fdt, int off, u64 *phys, u64 *size,
			    bool *sized);
u64 kho_v2_blob_size(const void *blob);
const char *kho_check_handover(struct kho_check *c, phys_addr_t fdt_phys,
			       u64 fdt_len);

#endif /* LINUX_KEXEC_HANDOVER_CHECK_H */

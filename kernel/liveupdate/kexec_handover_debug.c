// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO) debug checks, built with CONFIG_KEXEC_HANDOVER_DEBUG:
 * warn about callers that preserve memory they do not hold, or memory that
 * is preserved already.  Both bugs make the next kernel restore the wrong
 * data or restore it twice, far from where the mistake was made.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/bug.h>
#include <linux/io.h>
#include <linux/kho_radix_tree.h>
#include <linux/mm.h>
#include <linux/mutex.h>

#include "kexec_handover_internal.h"

/* Is the bit of @key set? The caller holds the tree's lock. */
static bool kho_debug_key_set(const struct kho_radix_node *root, u64 key)
{
	const struct kho_radix_node *table = root;
	const struct kho_radix_leaf *leaf;
	unsigned int level, shift, slot;
	u64 child = 0;

	for (level = KHO_TREE_MAX_DEPTH - 1; level > 0; level--) {
		shift = KHO_BITMAP_SIZE_LOG2 + KHO_TABLE_SIZE_LOG2 * (level - 1);
		slot = (key >> shift) & ((1 << KHO_TABLE_SIZE_LOG2) - 1);
		child = table->table[slot];
		if (!child)
			return false;
		table = phys_to_virt(child);
	}

	leaf = phys_to_virt(child);
	return test_bit(key & ((1 << KHO_BITMAP_SIZE_LOG2) - 1), leaf->bitmap);
}

/*
 * Is a block of any order preserved that starts at @pfn or contains it?
 * Smaller blocks elsewhere inside the block are not looked for.
 */
static bool kho_debug_preserved(struct kho_radix_tree *tree,
				unsigned long pfn)
{
	bool found = false;
	unsigned long start;
	unsigned int order;

	mutex_lock(&tree->lock);
	for (order = 0; order < KHO_ORDER_0_LOG2 && !found; order++) {
		start = round_down(pfn, 1UL << order);
		found = kho_debug_key_set(tree->root,
					  kho_radix_encode_key(PFN_PHYS(start),
							       order));
	}
	mutex_unlock(&tree->lock);
	return found;
}

/**
 * kho_debug_check_preserve - Check a block before it is preserved.
 * @tree: The tree of preserved memory.
 * @pfn: First page frame of the block.
 * @order: Order of the block.
 *
 * Warn if the block's first page is free, or if a block starting at @pfn
 * or containing it is preserved already.
 *
 * Context: Process context, may sleep; the caller does not hold the lock
 * of @tree.
 */
void kho_debug_check_preserve(struct kho_radix_tree *tree, unsigned long pfn,
			      unsigned int order)
{
	WARN(!pfn_valid(pfn) || !page_count(pfn_to_page(pfn)),
	     "KHO: preserving free memory at pfn %#lx, order %u\n", pfn, order);
	WARN(kho_debug_preserved(tree, pfn),
	     "KHO: pfn %#lx, order %u, is preserved already\n", pfn, order);
}

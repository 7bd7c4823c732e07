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

/*
 * Is a block of any order preserved that starts at @pfn or contains it?
 * Smaller blocks elsewhere inside the block are not looked for.
 */
static bool kho_debug_preserved(struct kho_radix_tree *tree,
				unsigned long pfn)
{
	int order;

	mutex_lock(&tree->lock);
	/* the tree holds no block larger than MAX_PAGE_ORDER */
	order = kho_radix_root_find_block(tree->root, pfn,
					  GENMASK(MAX_PAGE_ORDER, 0));
	mutex_unlock(&tree->lock);
	return order >= 0;
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

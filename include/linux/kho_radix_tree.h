/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Radix tree of preserved memory blocks for Kexec HandOver (KHO).
 *
 * The tree layout is part of the KHO wire ABI, see
 * <linux/kho/abi/kexec_handover.h>.
 */

#ifndef _LINUX_KHO_RADIX_TREE_H
#define _LINUX_KHO_RADIX_TREE_H

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/kho/abi/kexec_handover.h>

/**
 * struct kho_radix_tree - A tree of preserved memory blocks.
 * @root: The root table, allocated by kho_radix_tree_init() and never freed
 *	before kho_radix_tree_destroy().
 * @lock: Serializes every change of the tree and the locked walk.
 * @orders: Bit n set once a block of order n was recorded; never cleared.
 *	The overlap checks of kho_radix_add_page_excl() look only at these
 *	orders: preserving order-0 pages costs one lookup, not one per order.
 */
struct kho_radix_tree {
	struct kho_radix_node *root;
	struct mutex lock;	/* protects the nodes below @root and @orders */
	unsigned long orders;
};

/**
 * typedef kho_radix_tree_walk_callback_t - Called for each preserved block.
 * @phys: Physical address of the block.
 * @order: The block spans 2^@order pages.
 * @arg: The argument given to the walk.
 *
 * Return: 0 to continue the walk, anything else to stop it and have the
 * walk return that value.
 */
typedef int (*kho_radix_tree_walk_callback_t)(phys_addr_t phys,
					      unsigned int order, void *arg);

/**
 * typedef kho_radix_node_callback_t - Called for each node below the root.
 * @phys: Physical address of the node, not yet dereferenced.
 * @level: Level of the node: %KHO_TREE_MAX_DEPTH - 2 for the children of
 *	the root down to 0 for leaves.
 * @arg: The argument given to the walk.
 *
 * Return: 0 to descend into the node, anything else to stop the walk and
 * have it return that value.
 */
typedef int (*kho_radix_node_callback_t)(phys_addr_t phys, unsigned int level,
					 void *arg);

/**
 * kho_radix_encode_key - Compute the tree key of a block.
 * @phys: Physical address of the block, aligned to its size.
 * @order: The block spans 2^@order pages; less than %KHO_ORDER_0_LOG2.
 *
 * Context: Any context.
 * Return: the key, never 0.
 */
static inline u64 kho_radix_encode_key(phys_addr_t phys, unsigned int order)
{
	return BIT_ULL(KHO_ORDER_0_LOG2 - order) |
	       ((u64)phys >> (PAGE_SHIFT + order));
}

/**
 * kho_radix_decode_key - Compute the block a tree key stands for.
 * @key: A key made by kho_radix_encode_key().
 * @order: Returns the order of the block.
 *
 * Context: Any context.
 * Return: the physical address of the block.
 */
static inline phys_addr_t kho_radix_decode_key(u64 key, unsigned int *order)
{
	unsigned int order_bit = fls64(key) - 1;

	*order = KHO_ORDER_0_LOG2 - order_bit;
	return (key & ~BIT_ULL(order_bit)) << (PAGE_SHIFT + *order);
}

/**
 * DOC: KHO radix tree locking
 *
 * kho_radix_add_page(), kho_radix_del_page() and kho_radix_walk_tree() take
 * &kho_radix_tree.lock themselves and may sleep.  kho_radix_add_page()
 * allocates the nodes it needs with the lock dropped.
 * __kho_radix_del_page() and __kho_radix_page_is_set() expect the caller to
 * hold the lock, e.g. to undo several insertions at once.
 * __kho_radix_walk_tree() takes no lock and allocates nothing: it walks a
 * tree nobody changes, such as the one handed over by the previous kernel,
 * and works in early boot.  A walk callback
 * must not change the tree being walked.  kho_radix_tree_init() and
 * kho_radix_tree_destroy() must not race with any other user of the tree.
 */

int kho_radix_tree_init(struct kho_radix_tree *tree);
void kho_radix_tree_destroy(struct kho_radix_tree *tree);
int kho_radix_add_page(struct kho_radix_tree *tree, unsigned long pfn,
		       unsigned int order);
int kho_radix_add_page_excl(struct kho_radix_tree *tree, unsigned long pfn,
			    unsigned int order);
void __kho_radix_del_page(struct kho_radix_tree *tree, unsigned long pfn,
			  unsigned int order);
void kho_radix_del_page(struct kho_radix_tree *tree, unsigned long pfn,
			unsigned int order);
bool __kho_radix_page_is_set(struct kho_radix_tree *tree, unsigned long pfn,
			     unsigned int order);
bool kho_radix_root_has_block(const struct kho_radix_node *root,
			      unsigned long pfn, unsigned int order);
int kho_radix_root_find_block(const struct kho_radix_node *root,
			      unsigned long pfn, unsigned long orders);
int kho_radix_walk_tree(struct kho_radix_tree *tree,
			kho_radix_tree_walk_callback_t cb, void *arg);
int __kho_radix_walk_tree(const struct kho_radix_node *root,
			  kho_radix_node_callback_t node_cb,
			  kho_radix_tree_walk_callback_t cb, void *arg);

#if IS_ENABLED(CONFIG_KUNIT)
/* Node allocation, visible so that tests can stub it. */
void *kho_radix_alloc_node(void);
void kho_radix_free_node(void *node);
#endif

#endif /* _LINUX_KHO_RADIX_TREE_H */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Radix tree of preserved memory blocks for Kexec HandOver (KHO).
 *
 * The tree is the record of every memory block the next kernel must keep.
 * Its layout is wire ABI (see <linux/kho/abi/kexec_handover.h>): it is
 * built from plain pages linked by physical addresses, so that the next
 * kernel can walk it before it has set up anything but the linear map.
 *
 * Glossary of the names used throughout this file:
 *
 * block:  2^order naturally aligned pages, the unit that is preserved.
 * key:    kho_radix_encode_key() of a block; one bit in the tree.
 * level:  height of a node above the leaves: 0 for a leaf,
 *         KHO_RADIX_ROOT_LEVEL for the root.
 * node:   one zeroed page of the tree, a table (level > 0) or a leaf.
 * slot:   entry of a table: physical address of a child node, 0 if empty.
 * path:   the tables from the root down to a key's leaf, indexed by level.
 * spare:  a node allocated before taking the lock, used by an insertion.
 *
 * Keep this file free of anything a userspace test harness could not
 * provide: nodes come only from kho_radix_alloc_node() and go back only
 * through kho_radix_free_node().
 */

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kho_radix_tree.h>
#include <linux/lockdep.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/pfn.h>
#include <linux/string.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#define KHO_RADIX_ROOT_LEVEL	(KHO_TREE_MAX_DEPTH - 1)
#define KHO_RADIX_TABLE_SLOTS	BIT(KHO_TABLE_SIZE_LOG2)
#define KHO_RADIX_LEAF_BITS	BIT(KHO_BITMAP_SIZE_LOG2)

/* Nodes an insertion may need: every level below the root. */
#define KHO_RADIX_MAX_SPARES	KHO_RADIX_ROOT_LEVEL

/**
 * struct kho_radix_spares - Nodes allocated ahead of an insertion.
 * @nodes: The allocated nodes, @nodes[0..@nr - 1] are valid.
 * @nr: Number of nodes not used yet.
 */
struct kho_radix_spares {
	void *nodes[KHO_RADIX_MAX_SPARES];
	unsigned int nr;
};

/**
 * struct kho_radix_walk - What to call during a walk.
 * @node_cb: Called before descending into a node; may be %NULL.
 * @key_cb: Called for each key found.
 * @arg: Passed to both callbacks.
 */
struct kho_radix_walk {
	kho_radix_node_callback_t node_cb;
	kho_radix_tree_walk_callback_t key_cb;
	void *arg;
};

/**
 * kho_radix_alloc_node - Allocate one zeroed node page.
 *
 * The only place the tree gets memory from, so that tests can make it fail.
 * GFP_KERNEL memory is never movable, hence never in KHO scratch.
 *
 * Context: Process context, may sleep.
 * Return: the node, or %NULL if out of memory.
 */
VISIBLE_IF_KUNIT void *kho_radix_alloc_node(void)
{
	KUNIT_STATIC_STUB_REDIRECT(kho_radix_alloc_node);
	return (void *)get_zeroed_page(GFP_KERNEL);
}
EXPORT_SYMBOL_IF_KUNIT(kho_radix_alloc_node);

/**
 * kho_radix_free_node - Free a node page from kho_radix_alloc_node().
 * @node: The node.
 *
 * Context: Any context.
 */
VISIBLE_IF_KUNIT void kho_radix_free_node(void *node)
{
	KUNIT_STATIC_STUB_REDIRECT(kho_radix_free_node, node);
	free_page((unsigned long)node);
}
EXPORT_SYMBOL_IF_KUNIT(kho_radix_free_node);

/* The low bits of the key select the bit in the leaf. */
static unsigned int kho_radix_leaf_bit(u64 key)
{
	return key & (KHO_RADIX_LEAF_BITS - 1);
}

/* Position of the key bits that index the tables at @level. */
static unsigned int kho_radix_level_shift(unsigned int level)
{
	return KHO_BITMAP_SIZE_LOG2 + KHO_TABLE_SIZE_LOG2 * (level - 1);
}

static unsigned int kho_radix_slot(u64 key, unsigned int level)
{
	return (key >> kho_radix_level_shift(level)) &
	       (KHO_RADIX_TABLE_SLOTS - 1);
}

static void *kho_radix_child(const struct kho_radix_node *table,
			     unsigned int slot)
{
	u64 phys = table->table[slot];

	return phys ? phys_to_virt(phys) : NULL;
}

static bool kho_radix_node_empty(const void *node)
{
	return !memchr_inv(node, 0, PAGE_SIZE);
}

/*
 * A key found in a tree must have its order bit in 1..KHO_ORDER_0_LOG2, so
 * that the order is in 0..KHO_ORDER_0_LOG2 - 1 and the block fits in 64
 * bits: a corrupted tree could hold one whose order would be negative.
 */
static bool kho_radix_key_valid(u64 key)
{
	return key > 1 && fls64(key) - 1 <= KHO_ORDER_0_LOG2;
}

/* Can the block be stored in the tree at all? */
static int kho_radix_check_block(unsigned long pfn, unsigned int order)
{
	if (order > MAX_PAGE_ORDER)
		return -EINVAL;
	if (!IS_ALIGNED(pfn, 1UL << order))
		return -EINVAL;
	if ((u64)pfn >> KHO_ORDER_0_LOG2)
		return -EINVAL;
	return 0;
}

static u64 kho_radix_pfn_key(unsigned long pfn, unsigned int order)
{
	return kho_radix_encode_key(PFN_PHYS(pfn), order);
}

/*
 * The leaf that holds @key, or %NULL with the number of nodes missing on
 * its path in @missing: one walk serves the overlap check and the insertion.
 */
static struct kho_radix_leaf *
kho_radix_lookup(const struct kho_radix_node *root, u64 key,
		 unsigned int *missing)
{
	const struct kho_radix_node *table = root;
	unsigned int level;
	void *node = NULL;

	for (level = KHO_RADIX_ROOT_LEVEL; level > 0; level--, table = node) {
		node = kho_radix_child(table, kho_radix_slot(key, level));
		if (!node) {
			*missing = level;
			return NULL;
		}
	}
	*missing = 0;
	return node;
}

/* Allocate nodes until @spares holds @want of them. */
static int kho_radix_fill_spares(struct kho_radix_spares *spares,
				 unsigned int want)
{
	while (spares->nr < want) {
		void *node = kho_radix_alloc_node();

		if (!node)
			return -ENOMEM;
		spares->nodes[spares->nr++] = node;
	}
	return 0;
}

static void kho_radix_free_spares(struct kho_radix_spares *spares)
{
	while (spares->nr)
		kho_radix_free_node(spares->nodes[--spares->nr]);
}

/*
 * Create the missing nodes on the path to @key from @spares and return its
 * leaf.  The caller holds the lock and made sure @spares has enough.
 */
static struct kho_radix_leaf *
kho_radix_build_path(struct kho_radix_tree *tree, u64 key,
		     struct kho_radix_spares *spares)
{
	struct kho_radix_node *table;
	unsigned int level, slot;
	void *node = tree->root;

	for (level = KHO_RADIX_ROOT_LEVEL; level > 0; level--) {
		table = node;
		slot = kho_radix_slot(key, level);
		if (!table->table[slot])
			table->table[slot] =
				virt_to_phys(spares->nodes[--spares->nr]);
		node = kho_radix_child(table, slot);
	}
	return node;
}

/* The leaf that holds @key, or %NULL. */
static const struct kho_radix_leaf *
kho_radix_find_leaf(const struct kho_radix_node *root, u64 key)
{
	unsigned int missing;

	return kho_radix_lookup(root, key, &missing);
}

/*
 * Is a block of @order recorded inside the block (@pfn, @span)?  Their keys
 * are 2^(@span - @order) consecutive bits aligned to their number, which is
 * at most 2^MAX_PAGE_ORDER: they all lie in one leaf.
 */
static bool kho_radix_any_inside(const struct kho_radix_node *root,
				 unsigned long pfn, unsigned int span,
				 unsigned int order)
{
	u64 first = kho_radix_pfn_key(pfn, order);
	unsigned int bit = kho_radix_leaf_bit(first);
	unsigned int end = bit + (1U << (span - order));
	const struct kho_radix_leaf *leaf = kho_radix_find_leaf(root, first);

	return leaf && find_next_bit(leaf->bitmap, end, bit) < end;
}

/*
 * Is the block (@pfn, @order), or a block overlapping it, recorded?  @leaf
 * is the leaf of the block's own key, %NULL if there is none yet.  Only
 * orders the tree ever held can overlap: a constant number of lookups per
 * block, none beyond @leaf for a tree of blocks of one order.
 */
static bool kho_radix_overlaps(const struct kho_radix_tree *tree,
			       unsigned long pfn, unsigned int order,
			       const struct kho_radix_leaf *leaf, u64 key)
{
	unsigned long smaller = tree->orders & (BIT(order) - 1);
	unsigned long bigger = tree->orders & GENMASK(MAX_PAGE_ORDER, 0) &
			       ~GENMASK(order, 0);
	unsigned int other;

	if (leaf && test_bit(kho_radix_leaf_bit(key), leaf->bitmap))
		return true;
	for_each_set_bit(other, &smaller, order)
		if (kho_radix_any_inside(tree->root, pfn, order, other))
			return true;
	return bigger && kho_radix_root_find_block(tree->root, pfn, bigger) >= 0;
}

/*
 * Record @key, which stands for a valid block.  With @excl, the call fails
 * with -EEXIST if any recorded block overlaps it.
 */
static int __kho_radix_add_key(struct kho_radix_tree *tree, u64 key,
			       bool excl)
{
	struct kho_radix_spares spares = { .nr = 0 };
	struct kho_radix_leaf *leaf;
	unsigned int missing, order;
	unsigned long pfn;
	int err = 0;

	pfn = PHYS_PFN(kho_radix_decode_key(key, &order));

	/*
	 * A deletion may free nodes while the lock is dropped, so look up
	 * again after each allocation round.  This ends: at most
	 * KHO_RADIX_MAX_SPARES nodes can be missing.
	 */
	mutex_lock(&tree->lock);
	while (!(leaf = kho_radix_lookup(tree->root, key, &missing)) &&
	       missing > spares.nr) {
		mutex_unlock(&tree->lock);
		err = kho_radix_fill_spares(&spares, missing);
		if (err)
			goto free_spares;
		mutex_lock(&tree->lock);
	}
	if (excl && kho_radix_overlaps(tree, pfn, order, leaf, key))
		err = -EEXIST;
	if (!err) {
		if (!leaf)
			leaf = kho_radix_build_path(tree, key, &spares);
		tree->orders |= BIT(order);
		__set_bit(kho_radix_leaf_bit(key), leaf->bitmap);
	}
	mutex_unlock(&tree->lock);

free_spares:
	kho_radix_free_spares(&spares);
	return err;
}

static int kho_radix_add_block(struct kho_radix_tree *tree, unsigned long pfn,
			       unsigned int order, bool excl)
{
	int err;

	err = kho_radix_check_block(pfn, order);
	if (err)
		return err;
	return __kho_radix_add_key(tree, kho_radix_pfn_key(pfn, order), excl);
}

/**
 * kho_radix_add_page - Record a preserved block in a tree.
 * @tree: The tree.
 * @pfn: First page frame of the block, aligned to 2^@order.
 * @order: The block spans 2^@order pages, at most %MAX_PAGE_ORDER.
 *
 * Recording a block twice is not an error.  Missing nodes are allocated
 * with the lock dropped; on failure the tree is left as it was.
 *
 * Context: Process context.  Takes and releases @tree->lock; may sleep.
 * Return: 0 on success, -EINVAL for a bad @order or a misaligned or too
 * large @pfn, -ENOMEM if a node could not be allocated.
 */
int kho_radix_add_page(struct kho_radix_tree *tree, unsigned long pfn,
		       unsigned int order)
{
	return kho_radix_add_block(tree, pfn, order, false);
}
EXPORT_SYMBOL_IF_KUNIT(kho_radix_add_page);

/**
 * kho_radix_add_page_excl - Record a block that is not recorded yet.
 * @tree: The tree.
 * @pfn: First page frame of the block, aligned to 2^@order.
 * @order: The block spans 2^@order pages, at most %MAX_PAGE_ORDER.
 *
 * Like kho_radix_add_page(), but a block that is recorded already, or
 * that overlaps a recorded block of another order, is an error: so that
 * a caller undoing its own insertions never deletes someone else's, and
 * so that the tree never holds overlapping blocks, which the next kernel
 * would refuse.
 *
 * Context: Process context.  Takes and releases @tree->lock; may sleep.
 * Return: 0 on success, -EEXIST if a recorded block overlaps the block or
 * is the block, -EINVAL for a bad @order or a misaligned or too large
 * @pfn, -ENOMEM if a node could not be allocated.  The tree changes only
 * on success.
 */
int kho_radix_add_page_excl(struct kho_radix_tree *tree, unsigned long pfn,
			    unsigned int order)
{
	return kho_radix_add_block(tree, pfn, order, true);
}
EXPORT_SYMBOL_IF_KUNIT(kho_radix_add_page_excl);

/*
 * Free @node (the leaf, then its tables upwards) while it is empty and
 * unlink it from its parent on @path.  The root is never freed.
 */
static void kho_radix_prune(struct kho_radix_node **path, u64 key,
			    void *node)
{
	unsigned int level;

	for (level = 1; level <= KHO_RADIX_ROOT_LEVEL; level++) {
		if (!kho_radix_node_empty(node))
			return;
		path[level]->table[kho_radix_slot(key, level)] = 0;
		kho_radix_free_node(node);
		node = path[level];
	}
}

/**
 * __kho_radix_del_page - Forget a preserved block, lock held.
 * @tree: The tree.
 * @pfn: First page frame of the block.
 * @order: Order of the block.
 *
 * Nodes left empty are freed, except the root.  Forgetting a block that
 * is not recorded, or an invalid one, does nothing.
 *
 * Context: Process context.  The caller holds @tree->lock.  Does not sleep.
 */
void __kho_radix_del_page(struct kho_radix_tree *tree, unsigned long pfn,
			  unsigned int order)
{
	struct kho_radix_node *path[KHO_RADIX_ROOT_LEVEL + 1];
	struct kho_radix_leaf *leaf;
	unsigned int level;
	void *node;
	u64 key;

	lockdep_assert_held(&tree->lock);

	if (kho_radix_check_block(pfn, order))
		return;
	key = kho_radix_pfn_key(pfn, order);

	node = tree->root;
	for (level = KHO_RADIX_ROOT_LEVEL; level > 0; level--) {
		path[level] = node;
		node = kho_radix_child(path[level], kho_radix_slot(key, level));
		if (!node)
			return;
	}
	leaf = node;

	__clear_bit(kho_radix_leaf_bit(key), leaf->bitmap);
	kho_radix_prune(path, key, leaf);
}

/**
 * kho_radix_del_page - Forget a preserved block.
 * @tree: The tree.
 * @pfn: First page frame of the block.
 * @order: Order of the block.
 *
 * The exact inverse of kho_radix_add_page(): nodes left empty are freed,
 * except the root.  Forgetting a block that is not recorded does nothing.
 *
 * Context: Process context.  Takes and releases @tree->lock.
 */
void kho_radix_del_page(struct kho_radix_tree *tree, unsigned long pfn,
			unsigned int order)
{
	mutex_lock(&tree->lock);
	__kho_radix_del_page(tree, pfn, order);
	mutex_unlock(&tree->lock);
}
EXPORT_SYMBOL_IF_KUNIT(kho_radix_del_page);

/**
 * kho_radix_root_has_block - Is a block in the tree given by its root?
 * @root: Root node of the tree.
 * @pfn: First page frame of the block.
 * @order: Order of the block.
 *
 * Context: Any context; takes no lock.  Nobody may change the tree, or the
 * caller holds its lock.  Does not sleep.
 * Return: true if exactly this block (@pfn, @order) is recorded, false
 * otherwise, also for a block the tree cannot hold.
 */
bool kho_radix_root_has_block(const struct kho_radix_node *root,
			      unsigned long pfn, unsigned int order)
{
	const struct kho_radix_leaf *leaf;
	u64 key;

	/* any order a key encodes: an incoming tree may hold big blocks */
	if (order >= KHO_ORDER_0_LOG2 || !IS_ALIGNED(pfn, 1UL << order) ||
	    (u64)pfn >> KHO_ORDER_0_LOG2)
		return false;

	key = kho_radix_pfn_key(pfn, order);
	leaf = kho_radix_find_leaf(root, key);
	return leaf && test_bit(kho_radix_leaf_bit(key), leaf->bitmap);
}

/**
 * kho_radix_root_find_block - Find the recorded block that holds a page.
 * @root: The root of the tree.
 * @pfn: The page frame.
 * @orders: Mask of the orders to look for: bit n for order n.
 *
 * Blocks of one order never overlap, so at most one block of each order
 * holds @pfn: the one starting at @pfn rounded down to that order.
 *
 * Context: Any context; takes no lock.  Nobody may change the tree, or the
 * caller holds its lock.  Does not sleep.
 * Return: the smallest order in @orders of a recorded block holding @pfn,
 * or -1 if there is none.
 */
int kho_radix_root_find_block(const struct kho_radix_node *root,
			      unsigned long pfn, unsigned long orders)
{
	unsigned int order;

	for_each_set_bit(order, &orders, KHO_ORDER_0_LOG2)
		if (kho_radix_root_has_block(root,
					     round_down(pfn, 1UL << order),
					     order))
			return order;
	return -1;
}

/**
 * __kho_radix_page_is_set - Is a block in the tree? Lock held.
 * @tree: The tree.
 * @pfn: First page frame of the block.
 * @order: Order of the block.
 *
 * Context: The caller holds @tree's lock. Does not sleep.
 * Return: true if exactly this block (@pfn, @order) was added and not
 * deleted since, false otherwise, also for a block the tree cannot hold.
 */
bool __kho_radix_page_is_set(struct kho_radix_tree *tree, unsigned long pfn,
			     unsigned int order)
{
	lockdep_assert_held(&tree->lock);
	return kho_radix_root_has_block(tree->root, pfn, order);
}
EXPORT_SYMBOL_IF_KUNIT(__kho_radix_page_is_set);

static int kho_radix_walk_leaf(const struct kho_radix_leaf *leaf, u64 prefix,
			       const struct kho_radix_walk *walk)
{
	unsigned int bit, order;
	phys_addr_t phys;
	u64 key;
	int err;

	for_each_set_bit(bit, leaf->bitmap, KHO_RADIX_LEAF_BITS) {
		key = prefix | bit;
		if (!kho_radix_key_valid(key))
			return -EINVAL;
		phys = kho_radix_decode_key(key, &order);
		err = walk->key_cb(phys, order, walk->arg);
		if (err)
			return err;
	}
	return 0;
}

/* Walk the children of @table, whose keys all start with @prefix. */
static int kho_radix_walk_table(const struct kho_radix_node *table,
				unsigned int level, u64 prefix,
				const struct kho_radix_walk *walk)
{
	unsigned int slot;
	u64 child_prefix;
	void *child;
	int err;

	for (slot = 0; slot < KHO_RADIX_TABLE_SLOTS; slot++) {
		if (!table->table[slot])
			continue;
		if (walk->node_cb) {
			err = walk->node_cb(table->table[slot], level - 1,
					    walk->arg);
			if (err)
				return err;
		}

		child = kho_radix_child(table, slot);
		child_prefix = prefix |
			       (u64)slot << kho_radix_level_shift(level);
		if (level == 1)
			err = kho_radix_walk_leaf(child, child_prefix, walk);
		else
			err = kho_radix_walk_table(child, level - 1,
						   child_prefix, walk);
		if (err)
			return err;
	}
	return 0;
}

/**
 * __kho_radix_walk_tree - Visit every block of a tree given by its root.
 * @root: Root node of the tree.
 * @node_cb: Called with the physical address and level of every node below
 *	the root before it is read, e.g. to check that an incoming node is
 *	in usable memory; may be %NULL.
 * @cb: Called for every recorded block.
 * @arg: Passed to @node_cb and @cb.
 *
 * Blocks are visited in ascending key order: highest order first, and in
 * ascending address order within an order.  Nodes are visited in the same
 * order, each just before the blocks below it.  The walk stops at the
 * first non-zero return of a callback.  Orders above %MAX_PAGE_ORDER are
 * reported as they are: whether such a block is acceptable is up to @cb.
 *
 * Context: Any context; takes no lock and allocates nothing, so it works in
 * early boot once the linear map is up.  Nobody may change the tree during
 * the walk.
 * Return: 0 after visiting every block, -EINVAL if the tree holds a key that
 * does not decode to an order below %KHO_ORDER_0_LOG2, or the first
 * non-zero return of a callback.
 */
int __kho_radix_walk_tree(const struct kho_radix_node *root,
			  kho_radix_node_callback_t node_cb,
			  kho_radix_tree_walk_callback_t cb, void *arg)
{
	const struct kho_radix_walk walk = {
		.node_cb = node_cb,
		.key_cb = cb,
		.arg = arg,
	};

	return kho_radix_walk_table(root, KHO_RADIX_ROOT_LEVEL, 0, &walk);
}
EXPORT_SYMBOL_IF_KUNIT(__kho_radix_walk_tree);

/**
 * kho_radix_walk_tree - Visit every block of a tree.
 * @tree: The tree.
 * @cb: Called for every recorded block; must not change @tree.
 * @arg: Passed to @cb.
 *
 * Blocks are visited in ascending key order: highest order first, and in
 * ascending address order within an order.  The walk stops at the first
 * non-zero return of @cb.
 *
 * Context: Process context.  Takes and releases @tree->lock, which is held
 * while @cb runs.
 * Return: 0 after visiting every block, or the first non-zero return of
 * @cb.
 */
int kho_radix_walk_tree(struct kho_radix_tree *tree,
			kho_radix_tree_walk_callback_t cb, void *arg)
{
	int err;

	mutex_lock(&tree->lock);
	err = __kho_radix_walk_tree(tree->root, NULL, cb, arg);
	mutex_unlock(&tree->lock);

	return err;
}
EXPORT_SYMBOL_IF_KUNIT(kho_radix_walk_tree);

/* Free @node, a node at @level, and everything below it. */
static void kho_radix_free_subtree(void *node, unsigned int level)
{
	unsigned int slot;
	void *child;

	for (slot = 0; level && slot < KHO_RADIX_TABLE_SLOTS; slot++) {
		child = kho_radix_child(node, slot);
		if (child)
			kho_radix_free_subtree(child, level - 1);
	}
	kho_radix_free_node(node);
}

/**
 * kho_radix_tree_init - Initialize an empty tree.
 * @tree: The tree.
 *
 * Allocates the root node, which lives until kho_radix_tree_destroy().
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -ENOMEM if the root could not be allocated.
 */
int kho_radix_tree_init(struct kho_radix_tree *tree)
{
	tree->root = kho_radix_alloc_node();
	if (!tree->root)
		return -ENOMEM;
	tree->orders = 0;
	mutex_init(&tree->lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kho_radix_tree_init);

/**
 * kho_radix_tree_destroy - Free every node of a tree.
 * @tree: The tree, initialized by kho_radix_tree_init().
 *
 * Context: Process context.  Nobody else may use @tree any more.
 */
void kho_radix_tree_destroy(struct kho_radix_tree *tree)
{
	kho_radix_free_subtree(tree->root, KHO_RADIX_ROOT_LEVEL);
	tree->root = NULL;
	mutex_destroy(&tree->lock);
}
EXPORT_SYMBOL_IF_KUNIT(kho_radix_tree_destroy);

// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the KHO radix tree page tracker.
 *
 * Every case starts with an empty tree whose nodes come from counting
 * stubs of kho_radix_alloc_node() and kho_radix_free_node().  The stubs let
 * a case fail an allocation on demand, check that the tree lock is never
 * held while allocating, and check when it ends that no node leaked.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kho_radix_tree.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pfn.h>
#include <linux/prandom.h>
#include <linux/sort.h>
#include <linux/string.h>

#define KHO_RADIX_TEST_ROOT_LEVEL	(KHO_TREE_MAX_DEPTH - 1)
/* Random blocks in kho_radix_test_random(); also the walk record size. */
#define KHO_RADIX_TEST_BLOCKS		4096
#define KHO_RADIX_TEST_SEED		0x4b484f5254524545ULL
/* Operations and live blocks of kho_radix_test_churn(). */
#define KHO_RADIX_TEST_CHURN_OPS	100000
#define KHO_RADIX_TEST_CHURN_LIVE	64

/**
 * struct kho_radix_test_ctx - State of one test case, in &kunit.priv.
 * @tree: The tree under test.
 * @live_nodes: Nodes allocated through the stub and not freed yet.
 * @allocs: Allocation attempts so far.
 * @fail_alloc: Allocation attempt that fails (1-based), 0 for none.
 * @alloc_hook: Run once by the next allocation attempt.
 * @hook_pfn: Argument of @alloc_hook.
 * @keys: Keys recorded by kho_radix_test_record_key(), in walk order.
 * @nr_keys: Number of valid entries in @keys.
 * @stop_after: Visit after which the walk callback returns @stop_ret.
 * @stop_ret: See @stop_after.
 * @nodes: Nodes below the root seen by kho_radix_test_count_node().
 */
struct kho_radix_test_ctx {
	struct kho_radix_tree tree;
	long live_nodes;
	unsigned int allocs;
	unsigned int fail_alloc;
	void (*alloc_hook)(struct kho_radix_test_ctx *ctx, unsigned long pfn);
	unsigned long hook_pfn;
	u64 *keys;
	unsigned int nr_keys;
	unsigned int stop_after;
	int stop_ret;
	unsigned long nodes;
};

static struct kho_radix_test_ctx *kho_radix_test_ctx(void)
{
	return kunit_get_current_test()->priv;
}

/* Replacement of kho_radix_alloc_node() for the running test. */
static void *kho_radix_test_alloc_node(void)
{
	struct kho_radix_test_ctx *ctx = kho_radix_test_ctx();
	void *node;

	KUNIT_EXPECT_FALSE_MSG(kunit_get_current_test(),
			       mutex_is_locked(&ctx->tree.lock),
			       "node allocated with the tree lock held");

	ctx->allocs++;
	if (ctx->alloc_hook) {
		void (*hook)(struct kho_radix_test_ctx *ctx,
			     unsigned long pfn) = ctx->alloc_hook;

		ctx->alloc_hook = NULL;
		hook(ctx, ctx->hook_pfn);
	}
	if (ctx->allocs == ctx->fail_alloc)
		return NULL;

	node = (void *)get_zeroed_page(GFP_KERNEL);
	if (node)
		ctx->live_nodes++;
	return node;
}

/* Replacement of kho_radix_free_node() for the running test. */
static void kho_radix_test_free_node(void *node)
{
	kho_radix_test_ctx()->live_nodes--;
	free_page((unsigned long)node);
}

static int kho_radix_test_record_key(phys_addr_t phys, unsigned int order,
				     void *arg)
{
	struct kho_radix_test_ctx *ctx = kho_radix_test_ctx();

	if (ctx->nr_keys == KHO_RADIX_TEST_BLOCKS)
		return -ENOSPC;
	ctx->keys[ctx->nr_keys++] = kho_radix_encode_key(phys, order);
	if (ctx->nr_keys == ctx->stop_after)
		return ctx->stop_ret;
	return 0;
}

static int kho_radix_test_count_node(phys_addr_t phys, unsigned int level,
				     void *arg)
{
	kho_radix_test_ctx()->nodes++;
	return 0;
}

static int kho_radix_test_ignore_key(phys_addr_t phys, unsigned int order,
				     void *arg)
{
	return 0;
}

static int kho_radix_test_cmp_key(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Walk the tree, recording its keys in ctx->keys. */
static int kho_radix_test_walk(struct kho_radix_test_ctx *ctx)
{
	ctx->nr_keys = 0;
	return kho_radix_walk_tree(&ctx->tree, kho_radix_test_record_key, NULL);
}

/* Nodes reachable from the root, the root included. */
static unsigned long kho_radix_test_count_nodes(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	int err;

	ctx->nodes = 0;
	err = __kho_radix_walk_tree(ctx->tree.root, kho_radix_test_count_node,
				    kho_radix_test_ignore_key, NULL);
	KUNIT_EXPECT_EQ(test, err, 0);
	return ctx->nodes + 1;
}

static int kho_radix_test_add_key(struct kho_radix_test_ctx *ctx, u64 key)
{
	unsigned int order;
	phys_addr_t phys = kho_radix_decode_key(key, &order);

	return kho_radix_add_page(&ctx->tree, PHYS_PFN(phys), order);
}

static void kho_radix_test_del_key(struct kho_radix_test_ctx *ctx, u64 key)
{
	unsigned int order;
	phys_addr_t phys = kho_radix_decode_key(key, &order);

	kho_radix_del_page(&ctx->tree, PHYS_PFN(phys), order);
}

/* Expect the walk to visit exactly @expected[0..@nr - 1], in that order. */
static void kho_radix_test_expect_keys(struct kunit *test, const u64 *expected,
				       unsigned int nr)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, kho_radix_test_walk(ctx), 0);
	KUNIT_ASSERT_EQ(test, ctx->nr_keys, nr);
	for (i = 0; i < nr; i++) {
		if (ctx->keys[i] != expected[i]) {
			KUNIT_FAIL(test, "walk visit %u: key %#llx, expected %#llx",
				   i, ctx->keys[i], expected[i]);
			return;
		}
	}
}

/* Expect @nr nodes in the tree, and as many allocated. */
static void kho_radix_test_expect_nodes(struct kunit *test, unsigned long nr)
{
	struct kho_radix_test_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ(test, kho_radix_test_count_nodes(test), nr);
	KUNIT_EXPECT_EQ(test, ctx->live_nodes, (long)nr);
}

static u64 kho_radix_test_key(unsigned long pfn, unsigned int order)
{
	return kho_radix_encode_key(PFN_PHYS(pfn), order);
}

static void kho_radix_test_key_round_trip(struct kunit *test)
{
	unsigned int order, decoded_order, i;
	phys_addr_t decoded;
	u64 key;

	for (order = 0; order < KHO_ORDER_0_LOG2; order++) {
		unsigned int shift = PAGE_SHIFT + order;
		/* lowest, second, high (64 TiB) and highest block */
		const phys_addr_t addrs[] = {
			0,
			BIT_ULL(shift),
			BIT_ULL(46) & GENMASK_ULL(63, shift),
			GENMASK_ULL(63, shift),
		};

		for (i = 0; i < ARRAY_SIZE(addrs); i++) {
			key = kho_radix_encode_key(addrs[i], order);
			/* one order bit at 52 - order, key bits 63..60 clear */
			KUNIT_EXPECT_EQ(test, fls64(key) - 1,
					KHO_ORDER_0_LOG2 - order);
			KUNIT_EXPECT_LT(test, key, BIT_ULL(60));

			decoded = kho_radix_decode_key(key, &decoded_order);
			KUNIT_EXPECT_EQ_MSG(test, decoded, addrs[i],
					    "order %u", order);
			KUNIT_EXPECT_EQ(test, decoded_order, order);
		}
	}
}

/*
 * Find the leaf that @slots (the indices from the root down to level 1)
 * lead to, asserting that every table on the way is present.
 */
static struct kho_radix_leaf *kho_radix_test_leaf_at(struct kunit *test,
						     const unsigned int *slots)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	struct kho_radix_node *table = ctx->tree.root;
	unsigned int i;
	u64 phys;

	for (i = 0; i < KHO_RADIX_TEST_ROOT_LEVEL; i++) {
		phys = table->table[slots[i]];
		KUNIT_ASSERT_NE_MSG(test, phys, 0, "no node at depth %u", i + 1);
		table = phys_to_virt(phys);
	}
	return (struct kho_radix_leaf *)table;
}

/* The tree matches the kho-v3 layout, computed by hand for 4 KiB pages. */
static void kho_radix_test_key_abi_layout(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	static const unsigned int low_slots[] = { 0x2, 0x0, 0x0, 0x0, 0x24 };
	static const unsigned int huge_slots[] = { 0x0, 0x2, 0x0, 0x0, 0x4 };
	static const unsigned int top_slots[] = { 0x3, 0x1ff, 0x1ff, 0x1ff,
						  0x1ff };
	struct kho_radix_leaf *leaf;

	if (PAGE_SHIFT != 12)
		kunit_skip(test, "the ABI vectors are for 4 KiB pages");

	KUNIT_EXPECT_EQ(test, kho_radix_test_key(0x123456, 0),
			0x10000000123456ULL);
	KUNIT_EXPECT_EQ(test, kho_radix_test_key(0x4000000, 9),
			0x80000020000ULL);
	KUNIT_EXPECT_EQ(test, kho_radix_test_key(0xfffffffffffffUL, 0),
			0x1fffffffffffffULL);

	KUNIT_ASSERT_EQ(test, kho_radix_add_page(&ctx->tree, 0x123456, 0), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_add_page(&ctx->tree, 0x4000000, 9), 0);
	KUNIT_ASSERT_EQ(test,
			kho_radix_add_page(&ctx->tree, 0xfffffffffffffUL, 0), 0);

	/* each leaf holds exactly the expected bit */
	leaf = kho_radix_test_leaf_at(test, low_slots);
	KUNIT_EXPECT_EQ(test, bitmap_weight(leaf->bitmap, 32768), 1);
	KUNIT_EXPECT_TRUE(test, test_bit(0x3456, leaf->bitmap));
	leaf = kho_radix_test_leaf_at(test, huge_slots);
	KUNIT_EXPECT_EQ(test, bitmap_weight(leaf->bitmap, 32768), 1);
	KUNIT_EXPECT_TRUE(test, test_bit(0x0, leaf->bitmap));
	leaf = kho_radix_test_leaf_at(test, top_slots);
	KUNIT_EXPECT_EQ(test, bitmap_weight(leaf->bitmap, 32768), 1);
	KUNIT_EXPECT_TRUE(test, test_bit(0x7fff, leaf->bitmap));

	/* root, 3 disjoint paths of 4 tables and a leaf each */
	kho_radix_test_expect_nodes(test, 1 + 3 * 5);
}

/* Blocks that cannot be encoded are refused and change nothing. */
static void kho_radix_test_invalid_block(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	struct kho_radix_tree *tree = &ctx->tree;
	const u64 key = kho_radix_test_key(0, 1);
	unsigned int allocs = ctx->allocs;

	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, 0, MAX_PAGE_ORDER + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, 1, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test,
			kho_radix_add_page(tree, BIT_ULL(KHO_ORDER_0_LOG2), 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->allocs, allocs);
	kho_radix_test_expect_keys(test, NULL, 0);

	/* the largest order is fine */
	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, 0, MAX_PAGE_ORDER), 0);
	kho_radix_del_page(tree, 0, MAX_PAGE_ORDER);

	/* a misaligned block does not hit the aligned one with its key */
	KUNIT_ASSERT_EQ(test, kho_radix_add_page(tree, 0, 1), 0);
	kho_radix_del_page(tree, 1, 1);
	kho_radix_del_page(tree, 0, MAX_PAGE_ORDER + 1);
	kho_radix_test_expect_keys(test, &key, 1);
}

/* The walk visits keys in ascending order, whatever the insertion order. */
static void kho_radix_test_walk_order(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	/* highest order first, then ascending address within an order */
	const u64 expected[] = {
		kho_radix_test_key(0, MAX_PAGE_ORDER),
		kho_radix_test_key(1UL << 30, MAX_PAGE_ORDER),
		kho_radix_test_key(0x200, 9),
		kho_radix_test_key(0x400, 1),
		kho_radix_test_key(1, 0),
		kho_radix_test_key(5, 0),
		kho_radix_test_key(0x8000, 0),
		kho_radix_test_key(1UL << 36, 0),
	};
	static const unsigned int insert_order[] = { 6, 3, 0, 7, 5, 2, 4, 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(insert_order); i++)
		KUNIT_ASSERT_EQ(test,
				kho_radix_test_add_key(ctx,
						       expected[insert_order[i]]),
				0);

	kho_radix_test_expect_keys(test, expected, ARRAY_SIZE(expected));
}

static int kho_radix_test_stop_node(phys_addr_t phys, unsigned int level,
				    void *arg)
{
	return -ESTALE;
}

/* The walk stops at the first non-zero callback return and returns it. */
static void kho_radix_test_walk_stop(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	unsigned long pfn;

	for (pfn = 0; pfn < 10; pfn++)
		KUNIT_ASSERT_EQ(test, kho_radix_add_page(&ctx->tree, pfn, 0), 0);

	ctx->stop_after = 3;
	ctx->stop_ret = 42;
	KUNIT_EXPECT_EQ(test, kho_radix_test_walk(ctx), 42);
	KUNIT_EXPECT_EQ(test, ctx->nr_keys, 3);

	ctx->stop_after = 1;
	ctx->stop_ret = -EIO;
	KUNIT_EXPECT_EQ(test, kho_radix_test_walk(ctx), -EIO);
	KUNIT_EXPECT_EQ(test, ctx->nr_keys, 1);

	/* a node callback can refuse a node before any key below it */
	ctx->nr_keys = 0;
	KUNIT_EXPECT_EQ(test,
			__kho_radix_walk_tree(ctx->tree.root,
					      kho_radix_test_stop_node,
					      kho_radix_test_record_key, NULL),
			-ESTALE);
	KUNIT_EXPECT_EQ(test, ctx->nr_keys, 0);
}

/* Link a path of new nodes below the root and set bit @bit of its leaf. */
static void kho_radix_test_forge_path(struct kunit *test,
				      const unsigned int *slots,
				      unsigned int bit)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	struct kho_radix_node *table = ctx->tree.root;
	struct kho_radix_leaf *leaf;
	unsigned int i;
	void *node;

	for (i = 0; i < KHO_RADIX_TEST_ROOT_LEVEL; i++) {
		node = kho_radix_alloc_node();
		KUNIT_ASSERT_NOT_NULL(test, node);
		table->table[slots[i]] = virt_to_phys(node);
		table = node;
	}
	leaf = node;
	__set_bit(bit, leaf->bitmap);
}

/* A walk refuses keys whose order would be out of range. */
static void kho_radix_test_walk_invalid_key(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	/* root slot 4 puts bit 53 in the key: order -1 */
	static const unsigned int high_slots[] = { 4, 0, 0, 0, 0 };
	static const unsigned int zero_slots[] = { 0, 0, 0, 0, 0 };

	kho_radix_test_forge_path(test, high_slots, 0);
	KUNIT_EXPECT_EQ(test, kho_radix_test_walk(ctx), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->nr_keys, 0);
	kho_radix_tree_destroy(&ctx->tree);
	KUNIT_ASSERT_EQ(test, kho_radix_tree_init(&ctx->tree), 0);

	/* key 1 has order KHO_ORDER_0_LOG2: a block of 2^64 bytes */
	kho_radix_test_forge_path(test, zero_slots, 1);
	KUNIT_EXPECT_EQ(test, kho_radix_test_walk(ctx), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->nr_keys, 0);
}

/* The lookup finds exactly the blocks that were added. */
static void kho_radix_test_is_set(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	struct kho_radix_tree *tree = &ctx->tree;

	KUNIT_ASSERT_EQ(test, kho_radix_add_page(tree, 0x200, 9), 0);
	mutex_lock(&tree->lock);
	KUNIT_EXPECT_TRUE(test, __kho_radix_page_is_set(tree, 0x200, 9));
	/* same pfn, other order; same leaf, other bit; absent path */
	KUNIT_EXPECT_FALSE(test, __kho_radix_page_is_set(tree, 0x200, 0));
	KUNIT_EXPECT_FALSE(test, __kho_radix_page_is_set(tree, 0x400, 9));
	KUNIT_EXPECT_FALSE(test, __kho_radix_page_is_set(tree, 1UL << 40, 9));
	/* blocks the tree cannot hold */
	KUNIT_EXPECT_FALSE(test, __kho_radix_page_is_set(tree, 0x201, 9));
	KUNIT_EXPECT_FALSE(test, __kho_radix_page_is_set(tree, 0, 52));
	mutex_unlock(&tree->lock);

	kho_radix_del_page(tree, 0x200, 9);
	mutex_lock(&tree->lock);
	KUNIT_EXPECT_FALSE(test, __kho_radix_page_is_set(tree, 0x200, 9));
	mutex_unlock(&tree->lock);
}

/*
 * An exclusive insertion refuses the same block and any block overlapping
 * one of another order, inside or around it, and changes nothing then.
 */
static void kho_radix_test_add_excl(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	struct kho_radix_tree *tree = &ctx->tree;
	const u64 expected[] = {
		kho_radix_encode_key(PFN_PHYS(0x400), 10),
		kho_radix_encode_key(PFN_PHYS(0x2), 1),
		kho_radix_encode_key(PFN_PHYS(0x4), 0),
	};

	KUNIT_ASSERT_EQ(test, kho_radix_add_page_excl(tree, 0x2, 1), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page_excl(tree, 0x2, 1), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page_excl(tree, 0x3, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page_excl(tree, 0x0, 2), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page_excl(tree, 0x0, 10), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page_excl(tree, 0x4, 0), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page_excl(tree, 0x400, 10), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page_excl(tree, 0x7ff, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page_excl(tree, 0x600, 9), -EEXIST);
	/* a neighbour of the order 10 block is fine */
	KUNIT_EXPECT_EQ(test, kho_radix_add_page_excl(tree, 0x800, 0), 0);
	kho_radix_del_page(tree, 0x800, 0);

	kho_radix_test_expect_keys(test, expected, ARRAY_SIZE(expected));
}

/* Deleting every key frees every node but the root. */
static void kho_radix_test_del_frees_nodes(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	struct kho_radix_tree *tree = &ctx->tree;
	const u64 keys[] = {
		kho_radix_test_key(0, 0),
		kho_radix_test_key(1, 0),		/* same leaf */
		kho_radix_test_key(0x8000, 0),		/* same level-1 table */
		kho_radix_test_key(1UL << 40, 0),	/* same level-3 table */
		kho_radix_test_key(0, MAX_PAGE_ORDER),	/* other root slot */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		KUNIT_ASSERT_EQ(test, kho_radix_test_add_key(ctx, keys[i]), 0);
	kho_radix_test_expect_nodes(test, 1 + 5 + 0 + 1 + 3 + 5);

	/* absent blocks, in a present leaf or not, change nothing */
	kho_radix_del_page(tree, 2, 0);
	kho_radix_del_page(tree, 1UL << 41, 0);
	kho_radix_test_expect_nodes(test, 15);

	/* a leaf still holding a key stays */
	kho_radix_test_del_key(ctx, keys[1]);
	kho_radix_test_expect_nodes(test, 15);
	/* an emptied leaf goes, its still used table stays */
	kho_radix_test_del_key(ctx, keys[2]);
	kho_radix_test_expect_nodes(test, 14);
	/* emptied tables go up to the first one still in use */
	kho_radix_test_del_key(ctx, keys[3]);
	kho_radix_test_expect_nodes(test, 11);
	/* up to the root, which stays */
	kho_radix_test_del_key(ctx, keys[4]);
	kho_radix_test_expect_nodes(test, 6);
	kho_radix_test_del_key(ctx, keys[0]);
	kho_radix_test_expect_nodes(test, 1);

	KUNIT_EXPECT_NULL(test, memchr_inv(tree->root, 0, PAGE_SIZE));
	kho_radix_test_expect_keys(test, NULL, 0);
}

/* Make each allocation of an insertion fail in turn. */
static void kho_radix_test_fail_each_alloc(struct kunit *test, u64 key,
					   unsigned int nr_allocs,
					   const u64 *keys, unsigned int nr_keys,
					   unsigned long nr_nodes)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	unsigned int fail;

	for (fail = 1; fail <= nr_allocs; fail++) {
		ctx->allocs = 0;
		ctx->fail_alloc = fail;
		KUNIT_EXPECT_EQ(test, kho_radix_test_add_key(ctx, key), -ENOMEM);
		/* no retry after a failure, the tree is as before */
		KUNIT_EXPECT_EQ(test, ctx->allocs, fail);
		kho_radix_test_expect_keys(test, keys, nr_keys);
		kho_radix_test_expect_nodes(test, nr_nodes);
	}
	ctx->fail_alloc = 0;
}

/* -ENOMEM in the middle of an insertion leaves the tree unchanged. */
static void kho_radix_test_add_nomem(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	/* in walk order */
	const u64 keys[] = {
		kho_radix_test_key(0, 1),		/* other root slot */
		kho_radix_test_key(0, 0),
		kho_radix_test_key(1UL << 24, 0),	/* other level-2 slot */
	};

	KUNIT_ASSERT_EQ(test, kho_radix_test_add_key(ctx, keys[1]), 0);
	kho_radix_test_fail_each_alloc(test, keys[0], 5, &keys[1], 1, 1 + 5);
	kho_radix_test_fail_each_alloc(test, keys[2], 2, &keys[1], 1, 1 + 5);

	ctx->allocs = 0;
	KUNIT_EXPECT_EQ(test, kho_radix_test_add_key(ctx, keys[2]), 0);
	KUNIT_EXPECT_EQ(test, ctx->allocs, 2);
	KUNIT_EXPECT_EQ(test, kho_radix_test_add_key(ctx, keys[0]), 0);
	kho_radix_test_expect_keys(test, keys, ARRAY_SIZE(keys));
	kho_radix_test_expect_nodes(test, 1 + 5 + 2 + 5);
}

static void kho_radix_test_del_hook(struct kho_radix_test_ctx *ctx,
				    unsigned long pfn)
{
	/* the lock is dropped while allocating, see the stub */
	if (!mutex_is_locked(&ctx->tree.lock))
		kho_radix_del_page(&ctx->tree, pfn, 0);
}

/* An insertion copes with nodes freed while it allocated. */
static void kho_radix_test_add_races_del(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	const u64 key = kho_radix_test_key(0x8000, 0);

	/* pfn 0 and 0x8000 differ only in their leaf */
	KUNIT_ASSERT_EQ(test, kho_radix_add_page(&ctx->tree, 0, 0), 0);

	/* the add needs one leaf; while it gets it, the whole path goes */
	ctx->allocs = 0;
	ctx->alloc_hook = kho_radix_test_del_hook;
	ctx->hook_pfn = 0;
	KUNIT_EXPECT_EQ(test, kho_radix_test_add_key(ctx, key), 0);
	KUNIT_EXPECT_NULL(test, ctx->alloc_hook);
	KUNIT_EXPECT_EQ(test, ctx->allocs, 5);

	kho_radix_test_expect_keys(test, &key, 1);
	kho_radix_test_expect_nodes(test, 1 + 5);
}

static u64 kho_radix_test_random_key(struct rnd_state *rnd)
{
	unsigned int order = prandom_u32_state(rnd) % (MAX_PAGE_ORDER + 1);
	u64 pfn = prandom_u32_state(rnd);

	/* mostly dense in 16 GiB to share nodes, some anywhere */
	if (prandom_u32_state(rnd) % 8)
		pfn &= GENMASK_ULL(21, 0);
	else
		pfn = (pfn << 20 ^ prandom_u32_state(rnd)) &
		      GENMASK_ULL(KHO_ORDER_0_LOG2 - 1, 0);

	return kho_radix_test_key(pfn & ~(BIT_ULL(order) - 1), order);
}

/* Sort @keys and drop duplicates; return how many are left. */
static unsigned int kho_radix_test_sort_unique(u64 *keys, unsigned int nr)
{
	unsigned int i, nr_unique = 0;

	sort(keys, nr, sizeof(*keys), kho_radix_test_cmp_key, NULL);
	for (i = 0; i < nr; i++)
		if (!nr_unique || keys[nr_unique - 1] != keys[i])
			keys[nr_unique++] = keys[i];
	return nr_unique;
}

/*
 * Nodes a tree holding exactly @keys needs, @keys sorted and distinct: the
 * root, and one node per level for each distinct prefix above that level.
 */
static unsigned long kho_radix_test_nodes_for(const u64 *keys, unsigned int nr)
{
	unsigned long nodes = 1;
	unsigned int level, shift, i;

	for (level = 0; level < KHO_TREE_MAX_DEPTH - 1; level++) {
		shift = KHO_BITMAP_SIZE_LOG2 + KHO_TABLE_SIZE_LOG2 * level;
		for (i = 0; i < nr; i++)
			if (!i || keys[i] >> shift != keys[i - 1] >> shift)
				nodes++;
	}
	return nodes;
}

/* Add, walk and delete agree with a reference set of random blocks. */
static void kho_radix_test_random(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	unsigned int i, nr, nr_kept = 0;
	struct rnd_state rnd;
	u64 *ref, *kept;

	ref = kunit_kcalloc(test, KHO_RADIX_TEST_BLOCKS, sizeof(*ref),
			    GFP_KERNEL);
	kept = kunit_kcalloc(test, KHO_RADIX_TEST_BLOCKS, sizeof(*kept),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	KUNIT_ASSERT_NOT_NULL(test, kept);

	prandom_seed_state(&rnd, KHO_RADIX_TEST_SEED);
	for (i = 0; i < KHO_RADIX_TEST_BLOCKS; i++) {
		ref[i] = kho_radix_test_random_key(&rnd);
		KUNIT_ASSERT_EQ(test, kho_radix_test_add_key(ctx, ref[i]), 0);
	}
	nr = kho_radix_test_sort_unique(ref, KHO_RADIX_TEST_BLOCKS);
	kho_radix_test_expect_keys(test, ref, nr);
	kho_radix_test_expect_nodes(test, kho_radix_test_nodes_for(ref, nr));

	/* delete about half, in ascending order */
	for (i = 0; i < nr; i++) {
		if (prandom_u32_state(&rnd) & 1)
			kho_radix_test_del_key(ctx, ref[i]);
		else
			kept[nr_kept++] = ref[i];
	}
	kho_radix_test_expect_keys(test, kept, nr_kept);
	kho_radix_test_expect_nodes(test,
				    kho_radix_test_nodes_for(kept, nr_kept));

	/* and the rest in descending order */
	for (i = nr_kept; i > 0; i--)
		kho_radix_test_del_key(ctx, kept[i - 1]);
	kho_radix_test_expect_keys(test, NULL, 0);
	kho_radix_test_expect_nodes(test, 1);

	kunit_info(test, "%u blocks, %u distinct, %u kept by the first pass\n",
		   KHO_RADIX_TEST_BLOCKS, nr, nr_kept);
}

/* Destroying a populated tree frees every node, the root included. */
/*
 * Preserve/unpreserve churn leaks nothing: KHO_RADIX_TEST_CHURN_OPS adds
 * and as many deletes, with a window of 64 live blocks spread over
 * 256 GiB, end with the root as the only node.
 */
static void kho_radix_test_churn(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	u64 live[KHO_RADIX_TEST_CHURN_LIVE];
	unsigned long i, peak = 0;

	for (i = 0; i < KHO_RADIX_TEST_CHURN_OPS; i++) {
		/* an odd multiplier is a bijection on 22 bits: keys differ */
		unsigned long pfn = (i * 2654435761UL) & GENMASK(21, 0);
		unsigned int slot = i % KHO_RADIX_TEST_CHURN_LIVE;

		if (i >= KHO_RADIX_TEST_CHURN_LIVE)
			kho_radix_test_del_key(ctx, live[slot]);
		live[slot] = kho_radix_test_key(pfn << 4, i % 5);
		KUNIT_ASSERT_EQ(test, kho_radix_test_add_key(ctx, live[slot]), 0);
		peak = max_t(unsigned long, peak, ctx->live_nodes);
	}
	for (i = 0; i < KHO_RADIX_TEST_CHURN_LIVE; i++)
		kho_radix_test_del_key(ctx, live[i]);

	/* only the root is left */
	kho_radix_test_expect_keys(test, NULL, 0);
	kho_radix_test_expect_nodes(test, 1);
	kunit_info(test, "%u adds and deletes, at most %lu nodes live\n",
		   KHO_RADIX_TEST_CHURN_OPS, peak);
}

static void kho_radix_test_destroy(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;
	unsigned long pfn;

	for (pfn = 0; pfn < BIT(20); pfn += BIT(14))
		KUNIT_ASSERT_EQ(test, kho_radix_add_page(&ctx->tree, pfn, 0), 0);
	KUNIT_EXPECT_GT(test, ctx->live_nodes, 1);

	kho_radix_tree_destroy(&ctx->tree);
	KUNIT_EXPECT_NULL(test, ctx->tree.root);
	KUNIT_EXPECT_EQ(test, ctx->live_nodes, 0);
}

static int kho_radix_test_init(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->keys = kunit_kcalloc(test, KHO_RADIX_TEST_BLOCKS,
				  sizeof(*ctx->keys), GFP_KERNEL);
	if (!ctx->keys)
		return -ENOMEM;
	test->priv = ctx;

	kunit_activate_static_stub(test, kho_radix_alloc_node,
				   kho_radix_test_alloc_node);
	kunit_activate_static_stub(test, kho_radix_free_node,
				   kho_radix_test_free_node);

	return kho_radix_tree_init(&ctx->tree);
}

static void kho_radix_test_exit(struct kunit *test)
{
	struct kho_radix_test_ctx *ctx = test->priv;

	if (!ctx)
		return;
	if (ctx->tree.root)
		kho_radix_tree_destroy(&ctx->tree);
	KUNIT_EXPECT_EQ_MSG(test, ctx->live_nodes, 0, "nodes leaked");
}

static struct kunit_case kho_radix_test_cases[] = {
	KUNIT_CASE(kho_radix_test_key_round_trip),
	KUNIT_CASE(kho_radix_test_key_abi_layout),
	KUNIT_CASE(kho_radix_test_invalid_block),
	KUNIT_CASE(kho_radix_test_walk_order),
	KUNIT_CASE(kho_radix_test_walk_stop),
	KUNIT_CASE(kho_radix_test_walk_invalid_key),
	KUNIT_CASE(kho_radix_test_is_set),
	KUNIT_CASE(kho_radix_test_add_excl),
	KUNIT_CASE(kho_radix_test_del_frees_nodes),
	KUNIT_CASE(kho_radix_test_add_nomem),
	KUNIT_CASE(kho_radix_test_add_races_del),
	KUNIT_CASE(kho_radix_test_random),
	KUNIT_CASE(kho_radix_test_churn),
	KUNIT_CASE(kho_radix_test_destroy),
	{}
};

static struct kunit_suite kho_radix_test_suite = {
	.name = "kho_radix_tree",
	.init = kho_radix_test_init,
	.exit = kho_radix_test_exit,
	.test_cases = kho_radix_test_cases,
};

kunit_test_suite(kho_radix_test_suite);

MODULE_DESCRIPTION("KUnit tests for the KHO radix tree page tracker");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

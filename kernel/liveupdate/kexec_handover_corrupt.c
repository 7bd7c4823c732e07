// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO): damage the outgoing hand-over on purpose.
 *
 * Built only with CONFIG_TEST_KEXEC_HANDOVER.  Each corruption breaks the
 * hand-over in one named way that a buggy or hostile previous kernel could,
 * so that tests can check that the next kernel refuses the hand-over,
 * boots with all of its memory and says why.  The damage cannot be undone:
 * the corruption is meant to be the last thing before the kexec.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/gfp.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/test.h>
#include <linux/kho_radix_tree.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "kexec_handover_internal.h"

/* An address well past the end of RAM, page aligned. */
static u64 kho_corrupt_beyond_ram(void)
{
	return PFN_PHYS(max_pfn) + SZ_1G;
}

static struct kho_radix_node *kho_corrupt_root(void)
{
	return kho_out.tree.root;
}

/* The first used slot of a table, or -1. */
static int kho_corrupt_used_slot(struct kho_radix_node *table)
{
	unsigned int slot;

	for (slot = 0; slot < ARRAY_SIZE(table->table); slot++)
		if (table->table[slot])
			return slot;
	return -1;
}

/* The last unused slot of a table, or -1. */
static int kho_corrupt_free_slot(struct kho_radix_node *table)
{
	int slot;

	for (slot = ARRAY_SIZE(table->table) - 1; slot >= 0; slot--)
		if (!table->table[slot])
			return slot;
	return -1;
}

static int kho_corrupt_fdt_magic(void *fdt)
{
	fdt_set_magic(fdt, ~FDT_MAGIC);
	return 0;
}

/* The FDT says it is larger than the page it is passed in. */
static int kho_corrupt_fdt_truncated(void *fdt)
{
	fdt_set_totalsize(fdt, 2 * PAGE_SIZE);
	return 0;
}

static int kho_corrupt_fdt_compatible(void *fdt)
{
	/* as long as the real one, so that the FDT cannot run out of space */
	return fdt_setprop_string(fdt, 0, "compatible", "kho-v9") ? -EINVAL : 0;
}

static int kho_corrupt_map_missing(void *fdt)
{
	return fdt_delprop(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME) ? -EINVAL : 0;
}

static int kho_corrupt_map_short(void *fdt)
{
	u32 map = 0;

	return fdt_setprop(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, &map,
			   sizeof(map)) ? -EINVAL : 0;
}

static int kho_corrupt_set_map(void *fdt, u64 map)
{
	return fdt_setprop_inplace(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, &map,
				   sizeof(map)) ? -EINVAL : 0;
}

static int kho_corrupt_map_zero(void *fdt)
{
	return kho_corrupt_set_map(fdt, 0);
}

static int kho_corrupt_map_outside_ram(void *fdt)
{
	return kho_corrupt_set_map(fdt, kho_corrupt_beyond_ram());
}

static int kho_corrupt_map_unaligned(void *fdt)
{
	return kho_corrupt_set_map(fdt, virt_to_phys(kho_corrupt_root()) + 8);
}

static int kho_corrupt_node_unaligned(void *fdt)
{
	struct kho_radix_node *root = kho_corrupt_root();
	int slot = kho_corrupt_used_slot(root);

	if (slot < 0)
		return -ENOENT;
	root->table[slot] += 8;
	return 0;
}

static int kho_corrupt_set_free_slot(u64 phys)
{
	struct kho_radix_node *root = kho_corrupt_root();
	int slot = kho_corrupt_free_slot(root);

	if (slot < 0)
		return -ENOSPC;
	root->table[slot] = phys;
	return 0;
}

static int kho_corrupt_node_outside_ram(void *fdt)
{
	return kho_corrupt_set_free_slot(kho_corrupt_beyond_ram());
}

static int kho_corrupt_node_in_scratch(void *fdt)
{
	return kho_corrupt_set_free_slot(kho_scratch[0].addr);
}

/* A table below the root points back at the root. */
static int kho_corrupt_tree_cycle(void *fdt)
{
	struct kho_radix_node *root = kho_corrupt_root();
	struct kho_radix_node *child;
	int slot = kho_corrupt_used_slot(root);

	if (slot < 0)
		return -ENOENT;
	child = phys_to_virt(root->table[slot]);
	slot = kho_corrupt_free_slot(child);
	if (slot < 0)
		return -ENOSPC;
	child->table[slot] = virt_to_phys(root);
	return 0;
}

/*
 * The leaf of the smallest keys, index 0 at every level: no block a kernel
 * can preserve has its key there.  Missing tables come from @spares, which
 * holds %KHO_TREE_MAX_DEPTH - 1 zeroed pages; used ones are set to NULL.
 */
static struct kho_radix_leaf *kho_corrupt_low_leaf(struct kho_radix_node *root,
						   void **spares)
{
	struct kho_radix_node *node = root;
	unsigned int level;

	for (level = KHO_TREE_MAX_DEPTH - 1; level > 0; level--) {
		if (!node->table[0]) {
			node->table[0] = virt_to_phys(spares[level - 1]);
			spares[level - 1] = NULL;
		}
		node = phys_to_virt(node->table[0]);
	}
	return (struct kho_radix_leaf *)node;
}

/*
 * A leaf bit that decodes to no order at all: key 1, whose order bit lies
 * below that of order 51.  The tracker refuses to record such a key, so
 * the path to it is built here.
 */
static int kho_corrupt_block_order(void *fdt)
{
	void *spares[KHO_TREE_MAX_DEPTH - 1] = { };
	struct kho_radix_leaf *leaf;
	unsigned int i;
	int err = 0;

	/* GFP_KERNEL memory is never movable, hence never in scratch */
	for (i = 0; i < ARRAY_SIZE(spares) && !err; i++) {
		spares[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!spares[i])
			err = -ENOMEM;
	}

	if (!err) {
		mutex_lock(&kho_out.tree.lock);
		leaf = kho_corrupt_low_leaf(kho_out.tree.root, spares);
		__set_bit(1, leaf->bitmap);
		mutex_unlock(&kho_out.tree.lock);
	}

	for (i = 0; i < ARRAY_SIZE(spares); i++)
		free_page((unsigned long)spares[i]);
	return err;
}

static int kho_corrupt_block_outside_ram(void *fdt)
{
	return kho_radix_add_page(&kho_out.tree,
				  PHYS_PFN(kho_corrupt_beyond_ram()), 0);
}

static int kho_corrupt_block_in_scratch(void *fdt)
{
	return kho_radix_add_page(&kho_out.tree,
				  PHYS_PFN(kho_scratch[kho_scratch_cnt - 1].addr),
				  0);
}

/* A block in the first MiB, which x86 gives to the real-mode trampoline. */
static int kho_corrupt_block_low(void *fdt)
{
	return kho_radix_add_page(&kho_out.tree, PHYS_PFN(SZ_64K), 0);
}

/* An order 1 block holding the root FDT, preserved as order 0. */
static int kho_corrupt_block_overlap(void *fdt)
{
	return kho_radix_add_page(&kho_out.tree,
				  round_down(PHYS_PFN(virt_to_phys(fdt)), 2), 1);
}

static int kho_corrupt_fdt_unpreserved(void *fdt)
{
	kho_radix_del_page(&kho_out.tree, PHYS_PFN(virt_to_phys(fdt)), 0);
	return 0;
}

/* A blob in this kernel's image, which nobody preserves. */
static u8 kho_corrupt_blob[64];

static int kho_corrupt_blob_outside(void *fdt)
{
	return kho_add_subtree("corrupt-blob", kho_corrupt_blob,
			       sizeof(kho_corrupt_blob));
}

/* A preserved blob whose recorded size wraps around the address space. */
static int kho_corrupt_blob_size(void *fdt)
{
	const u64 size = U64_MAX;
	void *blob;
	int off, err;

	blob = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	err = kho_add_subtree("corrupt-blob", blob, PAGE_SIZE);
	if (err) {
		kho_unpreserve_free(blob);
		return err;
	}

	/* behind the back of debugfs, which must not read that much */
	mutex_lock(&kho_out.fdt_lock);
	off = fdt_subnode_offset(fdt, 0, "corrupt-blob");
	err = fdt_setprop_inplace(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP_NAME,
				  &size, sizeof(size));
	mutex_unlock(&kho_out.fdt_lock);
	return err ? -EINVAL : 0;
}

/* Pass a damaged copy of the scratch array with the next kexec load. */
static int kho_corrupt_scratch_copy(struct kho_scratch **copy)
{
	*copy = kmemdup(kho_scratch, kho_scratch_cnt * sizeof(**copy),
			GFP_KERNEL);
	if (!*copy)
		return -ENOMEM;
	/* never freed: a load may pass it on any time later */
	kho_out.scratch = *copy;
	return 0;
}

static int kho_corrupt_scratch_outside_ram(void *fdt)
{
	struct kho_scratch *s;
	int err = kho_corrupt_scratch_copy(&s);

	if (!err)
		s[kho_scratch_cnt - 1].addr = kho_corrupt_beyond_ram();
	return err;
}

static int kho_corrupt_scratch_overlap(void *fdt)
{
	struct kho_scratch *s;
	int err = kho_corrupt_scratch_copy(&s);

	if (!err)
		s[kho_scratch_cnt - 1] = s[0];
	return err;
}

/* Locks a corruption needs: it edits the FDT or the tree directly. */
#define KHO_CORRUPT_FDT		BIT(0)
#define KHO_CORRUPT_TREE	BIT(1)

/**
 * struct kho_corruption - One way to damage the outgoing hand-over.
 * @name: Name tests use.
 * @apply: Damages the hand-over whose root FDT is the argument; returns
 *	0 or an error.
 * @locks: %KHO_CORRUPT_FDT and %KHO_CORRUPT_TREE if @apply must run with
 *	the FDT's or the tree's lock held; otherwise @apply goes through the
 *	KHO API, which takes the locks itself.
 */
struct kho_corruption {
	const char *name;
	int (*apply)(void *fdt);
	unsigned int locks;
};

#define FDT	KHO_CORRUPT_FDT
#define TREE	KHO_CORRUPT_TREE

static const struct kho_corruption kho_corruptions[] = {
	{ "fdt-magic", kho_corrupt_fdt_magic, FDT },
	{ "fdt-truncated", kho_corrupt_fdt_truncated, FDT },
	{ "fdt-compatible", kho_corrupt_fdt_compatible, FDT },
	{ "fdt-unpreserved", kho_corrupt_fdt_unpreserved, 0 },
	{ "map-missing", kho_corrupt_map_missing, FDT },
	{ "map-short", kho_corrupt_map_short, FDT },
	{ "map-zero", kho_corrupt_map_zero, FDT },
	{ "map-outside-ram", kho_corrupt_map_outside_ram, FDT },
	{ "map-unaligned", kho_corrupt_map_unaligned, FDT },
	{ "node-unaligned", kho_corrupt_node_unaligned, TREE },
	{ "node-outside-ram", kho_corrupt_node_outside_ram, TREE },
	{ "node-in-scratch", kho_corrupt_node_in_scratch, TREE },
	{ "tree-cycle", kho_corrupt_tree_cycle, TREE },
	{ "block-order", kho_corrupt_block_order, 0 },
	{ "block-outside-ram", kho_corrupt_block_outside_ram, 0 },
	{ "block-in-scratch", kho_corrupt_block_in_scratch, 0 },
	{ "block-low", kho_corrupt_block_low, 0 },
	{ "block-overlap", kho_corrupt_block_overlap, 0 },
	{ "blob-outside", kho_corrupt_blob_outside, 0 },
	{ "blob-size", kho_corrupt_blob_size, 0 },
	{ "scratch-outside-ram", kho_corrupt_scratch_outside_ram, 0 },
	{ "scratch-overlap", kho_corrupt_scratch_overlap, 0 },
};

#undef FDT
#undef TREE

static int kho_corrupt_apply(const struct kho_corruption *c)
{
	int err;

	if (c->locks & KHO_CORRUPT_FDT)
		mutex_lock(&kho_out.fdt_lock);
	if (c->locks & KHO_CORRUPT_TREE)
		mutex_lock(&kho_out.tree.lock);
	err = c->apply(kho_out.fdt);
	if (c->locks & KHO_CORRUPT_TREE)
		mutex_unlock(&kho_out.tree.lock);
	if (c->locks & KHO_CORRUPT_FDT)
		mutex_unlock(&kho_out.fdt_lock);
	return err;
}

/**
 * kho_test_corrupt - Damage the outgoing hand-over on purpose.
 * @kind: Name of the corruption, e.g. "tree-cycle".
 *
 * For tests only.  The scratch corruptions take effect at the next
 * kexec_file_load(), all others at once, and none can be undone.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EOPNOTSUPP if KHO is off, -ENOENT for an unknown
 * @kind, or the error that stopped the corruption.
 */
int kho_test_corrupt(const char *kind)
{
	unsigned int i;
	int err;

	if (!kho_out_active())
		return -EOPNOTSUPP;

	for (i = 0; i < ARRAY_SIZE(kho_corruptions); i++) {
		if (strcmp(kind, kho_corruptions[i].name))
			continue;
		err = kho_corrupt_apply(&kho_corruptions[i]);
		if (err)
			return err;
		pr_warn("corrupted the outgoing hand-over: %s\n", kind);
		return 0;
	}
	return -ENOENT;
}

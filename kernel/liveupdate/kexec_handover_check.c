// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO): check an incoming hand-over before trusting it.
 *
 * The previous kernel may be buggy, foreign or corrupted on purpose, so
 * nothing it passed is used before all of it was checked: the root FDT,
 * the scratch regions, every node and every block of the preserved memory
 * tree, and every blob.  Any violation rejects the whole hand-over, so
 * that the kernel either keeps exactly what was preserved or boots as if
 * there had been no hand-over, with all of its memory.
 *
 * The checks read the tree through the linear map and allocate nothing;
 * all they know about memory comes from struct kho_check.  That keeps this
 * file buildable in user space, where tools/testing/kho fuzzes it.
 */

#include <linux/align.h>
#include <linux/bitops.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho_radix_tree.h>
#include <linux/libfdt.h>
#include <linux/mmzone.h>
#include <linux/pfn.h>
#include <linux/unaligned.h>

#include "kexec_handover_check.h"

/* Does [@start, @start + @size) overlap [@other, @other_end)? */
static bool kho_check_overlaps(u64 start, u64 size, u64 other, u64 other_end)
{
	return start < other_end && other < start + size;
}

/* Is the range, already known not to wrap, inside RAM? */
static bool kho_check_in_ram(struct kho_check *c, u64 phys, u64 size)
{
	return PHYS_PFN(phys + size - 1) < c->max_pfn && c->is_ram(phys, size);
}

static bool kho_check_in_scratch(struct kho_check *c, u64 phys, u64 size)
{
	unsigned int i;

	for (i = 0; i < c->nr_scratch; i++)
		if (kho_check_overlaps(phys, size, c->scratch[i].addr,
				       c->scratch[i].addr + c->scratch[i].size))
			return true;
	return false;
}

static bool kho_check_in_image(struct kho_check *c, u64 phys, u64 size)
{
	return kho_check_overlaps(phys, size, c->image_start, c->image_end);
}

static bool kho_check_in_use(struct kho_check *c, u64 phys, u64 size)
{
	return c->in_use && c->in_use(phys, size);
}

/* Fail check @c with @why about @phys; returns -EINVAL to stop a walk. */
static int kho_check_fail(struct kho_check *c, const char *why, u64 phys)
{
	c->why = why;
	c->bad_addr = phys;
	return -EINVAL;
}

/**
 * kho_check_fdt - Check the header and the root node of a root FDT.
 * @fdt: The FDT, @fdt_len bytes of it readable.
 * @fdt_len: Size of the buffer the previous kernel passed the FDT in.
 *
 * Context: Any context.
 * Return: %NULL if @fdt is a KHO root FDT ("kho-v3" or "kho-v2") that fits
 * in @fdt_len and names a preserved memory map, otherwise why it is not.
 * The map is never at physical address 0: no kernel hands out page 0.
 */
const char *kho_check_fdt(const void *fdt, u64 fdt_len)
{
	const void *map;
	int err, len;

	if (fdt_len < sizeof(struct fdt_header))
		return "FDT smaller than its header";
	err = fdt_check_header(fdt);
	if (err == -FDT_ERR_BADMAGIC)
		return "bad FDT magic";
	if (err)
		return "bad FDT header";
	if (fdt_totalsize(fdt) > fdt_len)
		return "truncated FDT";
	if (fdt_node_check_compatible(fdt, 0, KHO_FDT_COMPATIBLE) &&
	    fdt_node_check_compatible(fdt, 0, KHO_FDT_COMPATIBLE_V2))
		return "unknown FDT compatible";

	map = fdt_getprop(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, &len);
	if (!map)
		return "no preserved memory map";
	if (len != sizeof(u64) || !get_unaligned((const u64 *)map))
		return "bad preserved memory map";
	return NULL;
}

/**
 * kho_check_scratch - Check the scratch regions of a hand-over.
 * @c: The hand-over; uses @c->scratch, @c->nr_scratch, @c->is_ram and
 *	@c->max_pfn.
 *
 * Every region must be non-empty, page aligned, inside RAM and apart from
 * the others.
 *
 * Context: Any context.
 * Return: %NULL if the regions are fine, otherwise why they are not; then
 * @c->bad_addr is the start of the first bad region.
 */
const char *kho_check_scratch(struct kho_check *c)
{
	const struct kho_scratch *s = c->scratch;
	unsigned int i, j;

	for (i = 0; i < c->nr_scratch; i++) {
		c->bad_addr = s[i].addr;
		if (!s[i].size || !IS_ALIGNED(s[i].addr, PAGE_SIZE) ||
		    !IS_ALIGNED(s[i].size, PAGE_SIZE) ||
		    s[i].addr + s[i].size < s[i].addr)
			return "bad scratch region";
		if (!kho_check_in_ram(c, s[i].addr, s[i].size))
			return "scratch region outside RAM";
		for (j = 0; j < i; j++)
			if (kho_check_overlaps(s[i].addr, s[i].size, s[j].addr,
					       s[j].addr + s[j].size))
				return "scratch regions overlap";
	}
	return NULL;
}

/**
 * struct kho_check_place - Why a tree node or a block is misplaced.
 * @outside_ram: Not entirely in RAM, or wrapping around.
 * @in_scratch: Overlapping a scratch region.
 * @in_image: Overlapping the running kernel.
 * @in_use: Overlapping memory this kernel may have used already.
 */
struct kho_check_place {
	const char *outside_ram;
	const char *in_scratch;
	const char *in_image;
	const char *in_use;
};

static const struct kho_check_place kho_check_node_place = {
	.outside_ram = "tree node outside RAM",
	.in_scratch = "tree node inside scratch",
	.in_image = "tree node inside the kernel",
	.in_use = "tree node inside memory in use",
};

static const struct kho_check_place kho_check_block_place = {
	.outside_ram = "block outside RAM",
	.in_scratch = "block inside scratch",
	.in_image = "block inside the kernel",
	.in_use = "block inside memory in use",
};

/* Nodes and blocks alike must be RAM that nothing else may be using. */
static int kho_check_placed(struct kho_check *c,
			    const struct kho_check_place *why, u64 phys,
			    u64 size)
{
	if (phys + size < phys || !kho_check_in_ram(c, phys, size))
		return kho_check_fail(c, why->outside_ram, phys);
	if (kho_check_in_scratch(c, phys, size))
		return kho_check_fail(c, why->in_scratch, phys);
	if (kho_check_in_image(c, phys, size))
		return kho_check_fail(c, why->in_image, phys);
	if (kho_check_in_use(c, phys, size))
		return kho_check_fail(c, why->in_use, phys);
	return 0;
}

/*
 * A tree node must be a page of RAM that nothing else uses early in boot,
 * and appear only once in the tree: a node reachable twice could make the
 * walk exponential, so marking nodes in @c->visited bounds the walk by the
 * number of pages of RAM.
 */
static int kho_check_node(phys_addr_t phys, unsigned int level, void *arg)
{
	struct kho_check *c = arg;
	int err;

	if (!IS_ALIGNED(phys, PAGE_SIZE))
		return kho_check_fail(c, "tree node not page aligned", phys);
	err = kho_check_placed(c, &kho_check_node_place, phys, PAGE_SIZE);
	if (err)
		return err;
	if (__test_and_set_bit(PHYS_PFN(phys), c->visited))
		return kho_check_fail(c, "tree node reached twice", phys);
	c->nodes++;
	c->leaves += !level;
	return 0;
}

/*
 * The tracker's lower bound, for the restore line: the walk yields blocks
 * order by order, and a leaf holds keys of one order only.
 */
static void kho_check_count_leaves(struct kho_check *c, unsigned int order)
{
	if (!c->blocks || order != c->last_order) {
		c->last_order = order;
		c->order_blocks = 0;
	}
	if (!(c->order_blocks++ % BIT(KHO_BITMAP_SIZE_LOG2)))
		c->min_leaves++;
}

static int kho_check_block(phys_addr_t phys, unsigned int order, void *arg)
{
	struct kho_check *c = arg;
	int err;

	/*
	 * Any order a key encodes: upstream preserves page ranges in blocks
	 * above MAX_PAGE_ORDER, which kho_restore_pages() takes as well.
	 */
	if (order >= KHO_ORDER_0_LOG2)
		return kho_check_fail(c, "block order out of range", phys);
	err = kho_check_placed(c, &kho_check_block_place, phys,
			       (u64)PAGE_SIZE << order);
	if (err)
		return err;

	kho_check_count_leaves(c, order);
	c->orders |= BIT(order);
	c->blocks++;
	c->pages += 1UL << order;
	return 0;
}

/*
 * Blocks of one order never overlap, so a block can only overlap a larger
 * one containing it: look that up for every larger order in the tree.
 */
static int kho_check_no_overlap(phys_addr_t phys, unsigned int order,
				void *arg)
{
	struct kho_check *c = arg;
	unsigned long bigger = c->orders & ~GENMASK(order, 0);

	if (kho_radix_root_find_block(c->root, PHYS_PFN(phys), bigger) >= 0)
		return kho_check_fail(c, "preserved blocks overlap", phys);
	return 0;
}

/* Is every page of the range inside a preserved block? */
static bool kho_check_preserved(struct kho_check *c, u64 phys, u64 size)
{
	unsigned long pfn, end;
	int order;

	if (!size || phys + size < phys ||
	    PHYS_PFN(phys + size - 1) >= c->max_pfn)
		return false;

	pfn = PHYS_PFN(phys);
	end = PHYS_PFN(phys + size - 1) + 1;
	while (pfn < end) {
		order = kho_radix_root_find_block(c->root, pfn, c->orders);
		if (order < 0)
			return false;
		pfn = round_down(pfn, 1UL << order) + (1UL << order);
	}
	return true;
}

/**
 * kho_v2_blob_size - The size of a blob recorded without one.
 * @blob: The blob; at least a struct fdt_header of it is readable.
 *
 * A blob with no size, as in "kho-v2", can only be an FDT, which says its
 * own size.
 *
 * Context: Any context.
 * Return: the size of the FDT, 0 if @blob is no FDT.
 */
u64 kho_v2_blob_size(const void *blob)
{
	return fdt_check_header(blob) ? 0 : fdt_totalsize(blob);
}

/*
 * If a size-less blob is no FDT, kho_retrieve_subtree() refuses it: there
 * is nothing to check, but no reason to drop the rest of the hand-over.
 */
static const char *kho_check_blob_size(struct kho_check *c, u64 phys,
				       u64 *size)
{
	if (!kho_check_preserved(c, phys, sizeof(struct fdt_header)))
		return "blob outside preserved memory";
	*size = kho_v2_blob_size(phys_to_virt(phys));
	return NULL;
}

/**
 * kho_blob_record - Read where a blob record of a root FDT points.
 * @fdt: The root FDT, checked with kho_check_fdt().
 * @off: Offset of the blob's node.
 * @phys: Returns the physical address of the blob.
 * @size: Returns its size, if @sized.
 * @sized: Returns false for a record without a size, as in "kho-v2": the
 *	blob is then an FDT, which says its own size.
 *
 * Context: Any context.  Reads only @fdt.
 * Return: %NULL, or why the record is malformed.
 */
const char *kho_blob_record(const void *fdt, int off, u64 *phys, u64 *size,
			    bool *sized)
{
	const void *prop;
	int len;

	prop = fdt_getprop(fdt, off, KHO_FDT_SUB_TREE_PROP_NAME, &len);
	if (!prop || len != sizeof(u64))
		return "bad blob address";
	*phys = get_unaligned((const u64 *)prop);

	prop = fdt_getprop(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP_NAME, &len);
	*sized = prop;
	if (prop && len != sizeof(u64))
		return "bad blob size";
	if (prop)
		*size = get_unaligned((const u64 *)prop);
	return NULL;
}

static const char *kho_check_blob(struct kho_check *c, const void *fdt,
				  int off)
{
	const char *why;
	u64 phys, size;
	bool sized;

	why = kho_blob_record(fdt, off, &phys, &size, &sized);
	if (why)
		return why;
	c->bad_addr = phys;
	if (!sized) {
		why = kho_check_blob_size(c, phys, &size);
		if (why || !size)
			return why;
	}

	if (!kho_check_preserved(c, phys, size))
		return "blob outside preserved memory";
	c->blobs++;
	return NULL;
}

static const char *kho_check_blobs(struct kho_check *c, const void *fdt)
{
	const char *why;
	int off;

	fdt_for_each_subnode(off, fdt, 0) {
		why = kho_check_blob(c, fdt, off);
		if (why)
			return why;
	}
	return off == -FDT_ERR_NOTFOUND ? NULL : "bad FDT structure";
}

static const char *kho_check_tree(struct kho_check *c, const void *fdt)
{
	u64 root_phys;
	int err;

	root_phys = get_unaligned((const u64 *)
		fdt_getprop(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, NULL));
	if (kho_check_node(root_phys, KHO_TREE_MAX_DEPTH - 1, c))
		return c->why;
	c->root = phys_to_virt(root_phys);

	/* first every node, so that the lookups below see only checked ones */
	err = __kho_radix_walk_tree(c->root, kho_check_node, kho_check_block,
				    c);
	if (err)
		return c->why ?: "block order out of range";
	if (__kho_radix_walk_tree(c->root, NULL, kho_check_no_overlap, c))
		return c->why;
	return NULL;
}

/**
 * kho_check_handover - Check everything an incoming hand-over holds.
 * @c: What to check against; also returns what was found.
 * @fdt_phys: Physical address of the root FDT.
 * @fdt_len: Size of the buffer the previous kernel passed the FDT in.
 *
 * Check the scratch regions and the root FDT with kho_check_scratch() and
 * kho_check_fdt(); the preserved memory tree: every node page aligned,
 * in RAM, outside scratch, the kernel and memory in use, reached once;
 * every block of an order a key can encode, in RAM, outside scratch,
 * the kernel and memory in use, not overlapping another; and that the
 * root FDT and every blob lie inside preserved memory.  All sizes are
 * computed in 64 bits.
 *
 * Context: Any context; the linear map must cover RAM.  Allocates nothing.
 * Return: %NULL if the hand-over can be used, otherwise the name of the
 * first check that failed; then @c->bad_addr is the address it was about.
 */
const char *kho_check_handover(struct kho_check *c, phys_addr_t fdt_phys,
			       u64 fdt_len)
{
	const void *fdt;
	const char *why;

	why = kho_check_scratch(c);
	if (why)
		return why;

	c->bad_addr = fdt_phys;
	if (!fdt_len || fdt_phys + fdt_len < fdt_phys ||
	    !kho_check_in_ram(c, fdt_phys, fdt_len))
		return "FDT outside RAM";
	fdt = phys_to_virt(fdt_phys);
	why = kho_check_fdt(fdt, fdt_len);
	if (why)
		return why;

	why = kho_check_tree(c, fdt);
	if (why)
		return why;

	c->bad_addr = fdt_phys;
	if (!kho_check_preserved(c, fdt_phys, fdt_totalsize(fdt)))
		return "FDT outside preserved memory";
	return kho_check_blobs(c, fdt);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO), the outgoing side: the API that preserves memory
 * and blobs for the next kernel, the root FDT that describes them, and the
 * glue that puts the hand-over into a kexec image.
 *
 * Nothing is serialized at kexec time: the tracker and the root FDT are
 * always the hand-over as it stands.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho_radix_tree.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/unaligned.h>

#include "kexec_handover_internal.h"

struct kho_out kho_out = {
	.fdt_lock = __MUTEX_INITIALIZER(kho_out.fdt_lock),
};

/**
 * kho_out_active - Can callers preserve memory and add blobs?
 *
 * Context: Any context.
 * Return: true if KHO is on and kho_out_init() succeeded.
 */
bool kho_out_active(void)
{
	return kho_is_enabled() && READ_ONCE(kho_out.fdt);
}

/**
 * kho_preserve_folio - Preserve a folio across kexec.
 * @folio: The folio.
 *
 * Record @folio, with its order, so that the next kernel keeps its memory
 * away from the page allocator and kho_restore_folio() can rebuild it.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL if the folio lies in scratch memory,
 * -EEXIST if any of its memory is preserved already, -EOPNOTSUPP if KHO
 * is off, -ENOMEM if the tree cannot grow.  Nothing changes on failure.
 */
int kho_preserve_folio(struct folio *folio)
{
	unsigned long pfn = folio_pfn(folio);

	if (!kho_out_active())
		return -EOPNOTSUPP;
	if (kho_overlaps_scratch(PFN_PHYS(pfn), folio_size(folio)))
		return -EINVAL;
	kho_debug_check_preserve(&kho_out.tree, pfn, folio_order(folio));
	return kho_radix_add_page_excl(&kho_out.tree, pfn, folio_order(folio));
}
EXPORT_SYMBOL_GPL(kho_preserve_folio);

/**
 * kho_unpreserve_folio - Stop preserving a folio.
 * @folio: A folio preserved with kho_preserve_folio().
 *
 * Context: Process context, may sleep.
 */
void kho_unpreserve_folio(struct folio *folio)
{
	if (kho_out_active())
		kho_radix_del_page(&kho_out.tree, folio_pfn(folio),
				   folio_order(folio));
}
EXPORT_SYMBOL_GPL(kho_unpreserve_folio);

/*
 * The largest naturally aligned block at @pfn that ends at or before @end,
 * lies on a single node and is not larger than a buddy allocation, the
 * largest block the tracker records.
 */
static unsigned int kho_block_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = min_t(unsigned int, ilog2(end - pfn),
				   MAX_PAGE_ORDER);

	if (pfn)
		order = min_t(unsigned int, order, __ffs(pfn));
	while (order &&
	       pfn_to_nid(pfn) != pfn_to_nid(pfn + (1UL << order) - 1))
		order--;
	return order;
}

/* Remove the blocks that preserving [@pfn, @end) added below @stop. */
static void kho_del_blocks(unsigned long pfn, unsigned long end,
			   unsigned long stop)
{
	unsigned int order;

	for (; pfn < stop; pfn += 1UL << order) {
		order = kho_block_order(pfn, end);
		kho_radix_del_page(&kho_out.tree, pfn, order);
	}
}

/**
 * kho_preserve_pages - Preserve a range of pages across kexec.
 * @page: The first page.
 * @nr_pages: Number of pages.
 *
 * Split the range into maximal naturally aligned blocks that never cross
 * a NUMA node boundary and preserve them, all or none. The pages need not
 * form a folio; kho_restore_pages() gives them back as order-0 pages.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL if the range is empty or overlaps scratch
 * memory, -EEXIST if any of its memory is preserved already, -EOPNOTSUPP
 * if KHO is off, -ENOMEM if the tree cannot grow.  Nothing changes on
 * failure.
 */
int kho_preserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long start = page_to_pfn(page);
	unsigned long end = start + nr_pages;
	unsigned long pfn;
	unsigned int order;
	int err;

	if (!kho_out_active())
		return -EOPNOTSUPP;
	if (!nr_pages || kho_overlaps_scratch(PFN_PHYS(start),
					      PFN_PHYS(nr_pages)))
		return -EINVAL;

	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = kho_block_order(pfn, end);
		kho_debug_check_preserve(&kho_out.tree, pfn, order);
		/* exclusive: the undo below only removes our own blocks */
		err = kho_radix_add_page_excl(&kho_out.tree, pfn, order);
		if (err)
			goto err_del_blocks;
	}
	return 0;

err_del_blocks:
	kho_del_blocks(start, end, pfn);
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_pages);

/**
 * kho_unpreserve_pages - Stop preserving a range of pages.
 * @page: The first page, as passed to kho_preserve_pages().
 * @nr_pages: Number of pages, as passed to kho_preserve_pages().
 *
 * Context: Process context, may sleep.
 */
void kho_unpreserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long start = page_to_pfn(page);

	if (kho_out_active())
		kho_del_blocks(start, start + nr_pages, start + nr_pages);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_pages);

/**
 * kho_alloc_preserve - Allocate zeroed memory and preserve it.
 * @size: Size in bytes; the memory is one folio of get_order(@size).
 *
 * Context: Process context, may sleep.
 * Return: the memory, or ERR_PTR(-EINVAL) for a zero @size, -E2BIG if
 * @size exceeds the largest folio, -ENOMEM, or an error of
 * kho_preserve_folio().
 */
void *kho_alloc_preserve(size_t size)
{
	unsigned int order = get_order(size);
	struct folio *folio;
	int err;

	if (!size)
		return ERR_PTR(-EINVAL);
	if (order > MAX_PAGE_ORDER)
		return ERR_PTR(-E2BIG);

	folio = folio_alloc(GFP_KERNEL | __GFP_ZERO, order);
	if (!folio)
		return ERR_PTR(-ENOMEM);

	err = kho_preserve_folio(folio);
	if (err) {
		folio_put(folio);
		return ERR_PTR(err);
	}
	return folio_address(folio);
}
EXPORT_SYMBOL_GPL(kho_alloc_preserve);

/**
 * kho_unpreserve_free - Unpreserve and free kho_alloc_preserve() memory.
 * @mem: The memory; %NULL is ignored.
 *
 * Context: Process context, may sleep.
 */
void kho_unpreserve_free(void *mem)
{
	struct folio *folio;

	if (!mem)
		return;
	folio = virt_to_folio(mem);
	kho_unpreserve_folio(folio);
	folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_free);

/**
 * kho_fdt_err - Turn a libfdt error into an errno.
 * @fdt_err: A negative libfdt error.
 *
 * Context: Any context.
 * Return: the matching negative errno, -EINVAL for any other error.
 */
int kho_fdt_err(int fdt_err)
{
	switch (fdt_err) {
	case -FDT_ERR_EXISTS:
		return -EEXIST;
	case -FDT_ERR_NOSPACE:
		return -ENOSPC;
	case -FDT_ERR_NOTFOUND:
		return -ENOENT;
	default:
		return -EINVAL;
	}
}

/*
 * Zero the free space at the end of the root FDT. Deleting a node moves
 * the strings block down and leaves a stale copy of its end behind it;
 * clearing that makes the FDT after removing a blob byte for byte what it
 * was before adding it.
 */
static void kho_fdt_clear_free(void *fdt)
{
	u32 end = fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt);

	if (end < fdt_totalsize(fdt))
		memset(fdt + end, 0, fdt_totalsize(fdt) - end);
}

static int kho_fdt_set_blob(void *fdt, int off, void *blob, size_t size)
{
	u64 phys = virt_to_phys(blob), len = size;
	int err;

	err = fdt_setprop(fdt, off, KHO_FDT_SUB_TREE_PROP_NAME, &phys,
			  sizeof(phys));
	if (!err)
		err = fdt_setprop(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP_NAME,
				  &len, sizeof(len));
	return err;
}

/**
 * kho_add_subtree - Hand a named blob over to the next kernel.
 * @name: Name of the blob, unique among all blobs.
 * @blob: The blob, in preserved memory of the caller.
 * @size: Size of the blob in bytes.
 *
 * Record the blob's physical address and size in the root FDT. KHO does
 * not preserve the blob's memory: its owner must.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EEXIST if @name is taken, -ENOSPC if the root
 * FDT is full, -EOPNOTSUPP if KHO is off, -EINVAL for a bad name.
 */
int kho_add_subtree(const char *name, void *blob, size_t size)
{
	void *fdt = kho_out.fdt;
	int off, err;

	if (!kho_out_active())
		return -EOPNOTSUPP;
	if (!blob || !size)
		return -EINVAL;

	mutex_lock(&kho_out.fdt_lock);
	off = fdt_add_subnode(fdt, 0, name);
	if (off < 0) {
		err = kho_fdt_err(off);
		goto out_unlock;
	}
	err = kho_fdt_set_blob(fdt, off, blob, size);
	if (err) {
		fdt_del_node(fdt, off);
		kho_fdt_clear_free(fdt);
		err = kho_fdt_err(err);
		goto out_unlock;
	}
	kho_debugfs_blob_add(false, name, blob, size);
out_unlock:
	mutex_unlock(&kho_out.fdt_lock);
	return err;
}
EXPORT_SYMBOL_GPL(kho_add_subtree);

/**
 * kho_remove_subtree - Stop handing a blob over.
 * @blob: A blob added with kho_add_subtree().
 *
 * Context: Process context, may sleep.
 */
void kho_remove_subtree(void *blob)
{
	u64 phys = virt_to_phys(blob);
	void *fdt = kho_out.fdt;
	const void *val;
	int off, len;

	if (!kho_out_active())
		return;

	mutex_lock(&kho_out.fdt_lock);
	fdt_for_each_subnode(off, fdt, 0) {
		val = fdt_getprop(fdt, off, KHO_FDT_SUB_TREE_PROP_NAME, &len);
		if (!val || len != sizeof(u64) ||
		    get_unaligned((const u64 *)val) != phys)
			continue;
		kho_debugfs_blob_remove(fdt_get_name(fdt, off, NULL));
		fdt_del_node(fdt, off);
		kho_fdt_clear_free(fdt);
		break;
	}
	mutex_unlock(&kho_out.fdt_lock);
}
EXPORT_SYMBOL_GPL(kho_remove_subtree);

/**
 * kho_fill_kimage - Add the hand-over to a kexec image.
 * @image: The image being loaded by kexec_file_load().
 *
 * Add the scratch array as a segment and record the root FDT, for the
 * architecture's loader to pass on.
 *
 * Context: Process context, with kexec_lock held.
 * Return: 0 on success (also when KHO is off or for crash kernels), or
 * the error of kexec_add_buffer().
 */
int kho_fill_kimage(struct kimage *image)
{
	size_t size = kho_scratch_cnt * sizeof(*kho_scratch);
	struct kexec_buf kbuf = {
		.image = image,
		.buffer = (void *)kho_out.scratch,
		.bufsz = size,
		.mem = KEXEC_BUF_MEM_UNKNOWN,
		.memsz = size,
		.buf_align = PAGE_SIZE,
		.buf_max = ULONG_MAX,
		.top_down = true,
	};
	int err;

	if (!kho_out_active() || image->type == KEXEC_TYPE_CRASH)
		return 0;

	err = kexec_add_buffer(&kbuf);
	if (err)
		return err;

	image->kho.scratch = &image->segment[image->nr_segments - 1];
	image->kho.fdt = virt_to_phys(kho_out.fdt);
	return 0;
}

/**
 * kho_locate_mem_hole - Place a kexec segment inside scratch memory.
 * @kbuf: The segment.
 * @func: Callback trying to place @kbuf inside a memory resource; returns
 *	1 when it did.
 *
 * Everything outside scratch may hold preserved memory, so the segments
 * of an image loaded with KHO on all go to scratch.
 *
 * Context: Process context, with kexec_lock held.
 * Return: 0 if the segment was placed, -EADDRNOTAVAIL if it does not fit,
 * 1 if KHO does not apply and the caller should search as usual.
 */
int kho_locate_mem_hole(struct kexec_buf *kbuf,
			int (*func)(struct resource *res, void *arg))
{
	unsigned int i;

	if (!kho_out_active() || kbuf->image->type == KEXEC_TYPE_CRASH)
		return 1;

	for (i = 0; i < kho_scratch_cnt; i++) {
		/* keep low memory for last, as the page allocator does */
		const struct kho_scratch *s = kbuf->top_down ?
			&kho_scratch[kho_scratch_cnt - 1 - i] : &kho_scratch[i];
		struct resource res = DEFINE_RES_MEM(s->addr, s->size);

		if (func(&res, kbuf))
			return 0;
	}
	return -EADDRNOTAVAIL;
}

static int __init kho_fdt_create(void *fdt, struct kho_radix_tree *tree)
{
	u64 map = virt_to_phys(tree->root);
	int err;

	err = fdt_create_empty_tree(fdt, PAGE_SIZE);
	if (!err)
		err = fdt_setprop_string(fdt, 0, "compatible",
					 KHO_FDT_COMPATIBLE);
	if (!err)
		err = fdt_setprop(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, &map,
				  sizeof(map));
	return err ? kho_fdt_err(err) : 0;
}

/**
 * kho_out_init - Set up the outgoing hand-over.
 *
 * Create the tracker and the root FDT, preserve the FDT's page, hand this
 * kernel's scratch on, and show the hand-over in debugfs.
 *
 * Context: Process context, from kho_init(), with KHO enabled.
 * Return: 0 on success, or an error; then nothing is left allocated.
 */
int __init kho_out_init(void)
{
	struct folio *folio;
	int err;

	err = kho_radix_tree_init(&kho_out.tree);
	if (err)
		return err;

	folio = folio_alloc(GFP_KERNEL | __GFP_ZERO, 0);
	if (!folio) {
		err = -ENOMEM;
		goto err_destroy_tree;
	}
	err = kho_fdt_create(folio_address(folio), &kho_out.tree);
	if (err)
		goto err_free_fdt;
	err = kho_radix_add_page(&kho_out.tree, folio_pfn(folio), 0);
	if (err)
		goto err_free_fdt;

	kho_out.scratch = kho_scratch;
	WRITE_ONCE(kho_out.fdt, folio_address(folio));
	kho_debugfs_out_init(kho_out.fdt, &kho_out.tree);
	return 0;

err_free_fdt:
	folio_put(folio);
err_destroy_tree:
	kho_radix_tree_destroy(&kho_out.tree);
	return err;
}

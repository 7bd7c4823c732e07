// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test Kexec HandOver (KHO) end to end.
 *
 * A user space driver writes to files in /sys/kernel/debug/test_kho/:
 *
 * preserve		allocate at least size_mb MiB laid out as the layout
 *			parameter says (folios of random orders by default)
 *			plus one range of pages, fill them with pseudo-random
 *			data, preserve them and describe them in the "kho-test"
 *			blob; data restored by "verify" is preserved again, so
 *			a chain of kexecs carries every generation's data.
 *			status shows how long preserving took, next to setting
 *			one bit per block in a preallocated bitmap.
 * verify		restore everything the previous kernel described and
 *			check every byte.
 * free			free the restored memory and check that the page
 *			allocator got it.
 * preserve_scratch	check that scratch memory cannot be preserved.
 * metadata_bad_version	hand the kexec metadata over with an unknown version.
 * metadata_short	hand it over one field short.
 * reserve_mem_fill	fill the reserve_mem region reserve_mem_name with
 *			pseudo-random data; status shows its address and the
 *			checksum of its current contents.
 * corrupt		damage the outgoing hand-over in the way named by the
 *			string written, see kernel/liveupdate/
 *			kexec_handover_corrupt.c; the next kernel must refuse it.
 * status		counters, one key=value per line.
 *
 * Words used in this file: an "item" is one folio or one range of pages;
 * the "blob" is the preserved description of all items.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/test.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

#include "test_kho.h"

#define KHO_TEST_BLOB_NAME	"kho-test"
#define KHO_TEST_MAGIC		0x4b484f54	/* "KHOT" */
#define KHO_TEST_VERSION	2

/* pages in the one preserved range: odd, so it splits into several blocks */
#define KHO_TEST_RANGE_PAGES	37

/* pages others may allocate while "free" measures free memory */
#define KHO_TEST_FREE_SLACK	64

/* pages of the chunks the page-by-page layouts are made of */
#define KHO_TEST_CHUNK_ORDER	MAX_PAGE_ORDER

/* the dense layout starts at a leaf of the tracker: 2^15 order-0 keys */
#define KHO_TEST_DENSE_ALIGN	BIT(KHO_BITMAP_SIZE_LOG2)

/* report only this many mismatches in the log */
#define KHO_TEST_MAX_REPORTS	8

static unsigned int size_mb = 64;
module_param(size_mb, uint, 0644);
MODULE_PARM_DESC(size_mb, "Memory to preserve per generation, in MiB");

/**
 * enum kho_test_layout - How "preserve" lays out its size_mb MiB.
 * @KHO_TEST_RANDOM: Folios of random orders.
 * @KHO_TEST_DENSE: Contiguous pages, each preserved as an order-0 folio.
 * @KHO_TEST_SCATTERED: Every other page, each an order-0 folio: no two
 *	preserved pages touch.
 * @KHO_TEST_ORDER9: Order-9 folios.
 */
enum kho_test_layout {
	KHO_TEST_RANDOM,
	KHO_TEST_DENSE,
	KHO_TEST_SCATTERED,
	KHO_TEST_ORDER9,
};

static const char * const kho_test_layouts[] = {
	[KHO_TEST_RANDOM] = "random",
	[KHO_TEST_DENSE] = "dense",
	[KHO_TEST_SCATTERED] = "scattered",
	[KHO_TEST_ORDER9] = "order9",
};

static char *layout = "random";
module_param(layout, charp, 0444);
MODULE_PARM_DESC(layout, "Layout of the preserved memory: random, dense, scattered or order9");

static ulong seed = 1;
module_param(seed, ulong, 0644);
MODULE_PARM_DESC(seed, "Seed of the pseudo-random data");

static char *reserve_mem_name = "khotest";
module_param(reserve_mem_name, charp, 0444);
MODULE_PARM_DESC(reserve_mem_name, "reserve_mem region to fill and check");

/**
 * struct kho_test_entry - One item as handed over in the blob.
 * @phys: Physical address of the folio or the first page.
 * @nr_pages: Number of pages in the item.
 * @seed: Seed of the item's data.
 * @order: Order of the folio.
 * @is_folio: The item is a folio, not a range of pages.
 * @generation: Kernel generation that wrote the data.
 * @stride: Pages from one page of the item to the next: 0 or 1 for
 *	contiguous pages, 2 for every other page.  A strided item's pages
 *	are filled one by one, page i with seed @seed + (i << 32).
 * @per_page: Each page is preserved as an order-0 folio.
 */
struct kho_test_entry {
	u64 phys;
	u64 nr_pages;
	u64 seed;
	u32 order;
	u32 is_folio;
	u64 generation;
	u32 stride;
	u32 per_page;
};

/**
 * struct kho_test_blob - The preserved description of all items.
 * @magic: %KHO_TEST_MAGIC.
 * @version: %KHO_TEST_VERSION.
 * @generation: Kernel generation that wrote the blob, 1 after a cold boot.
 * @nr_entries: Number of entries.
 * @entries: The items.
 */
struct kho_test_blob {
	u32 magic;
	u32 version;
	u64 generation;
	u64 nr_entries;
	struct kho_test_entry entries[];
};

/**
 * struct kho_test_item - One item in this kernel.
 * @entry: Its description, also what goes into the blob.
 * @page: Its first page.
 */
struct kho_test_item {
	struct kho_test_entry entry;
	struct page *page;
};

/**
 * struct kho_test_items - A set of items.
 * @items: The items.
 * @nr: Number of items used.
 * @max: Number of items allocated.
 */
struct kho_test_items {
	struct kho_test_item *items;
	unsigned long nr;
	unsigned long max;
};

/**
 * struct kho_test_state - Everything the test holds.
 * @lock: Serializes the debugfs commands.
 * @preserved: Items allocated and preserved by "preserve".
 * @restored: Items restored by "verify", kept for "preserve" or "free".
 * @blob: The outgoing blob, %NULL until "preserve" succeeded.
 * @blob_size: Size of @blob in bytes.
 * @in_generation: Generation of the incoming blob, 0 if none was verified.
 * @verified: "verify" ran in this boot.
 * @preserved_folios: Folios preserved.
 * @preserved_pages: Pages preserved, in folios and ranges.
 * @restored_folios: Folios restored.
 * @restored_pages: Pages restored.
 * @verified_bytes: Bytes checked by "verify".
 * @mismatches: Items that failed to restore or held wrong data.
 * @freed_pages: Pages freed by "free".
 * @free_delta_pages: How much the free page count grew during "free".
 * @preserve_blocks: Blocks "preserve" preserved for its new items.
 * @preserve_ns: Time it took to preserve them.
 * @bitmap_ns: Time it took to set one bit per block in a bitmap.
 */
struct kho_test_state {
	struct mutex lock;	/* serializes the debugfs commands */
	struct kho_test_items preserved;
	struct kho_test_items restored;
	void *blob;
	size_t blob_size;
	u64 in_generation;
	bool verified;
	unsigned long preserved_folios;
	unsigned long preserved_pages;
	unsigned long restored_folios;
	unsigned long restored_pages;
	unsigned long verified_bytes;
	unsigned long mismatches;
	unsigned long freed_pages;
	long free_delta_pages;
	unsigned long preserve_blocks;
	u64 preserve_ns;
	u64 bitmap_ns;
};

static struct kho_test_state kho_test = {
	.lock = __MUTEX_INITIALIZER(kho_test.lock),
};

static u64 kho_test_item_seed(u64 generation, unsigned long idx)
{
	return ((seed + generation) * 0x9e3779b97f4a7c15ULL) ^ (idx << 1) ^ 1;
}

/**
 * kho_test_fill - Fill memory with the pseudo-random data of a seed.
 * @mem: The memory, 8-byte aligned.
 * @size: Its size in bytes.
 * @seed: The seed, see kho_test_seed().
 *
 * The one data pattern of the test module: kho_test_bad() checks it.
 */
void kho_test_fill(void *mem, size_t size, u64 seed)
{
	size_t i, words = size / sizeof(u64);
	u64 *p = mem, v;

	for (i = 0; i < words; i++)
		p[i] = kho_test_next(&seed);
	if (size % sizeof(v)) {
		v = kho_test_next(&seed);
		memcpy(p + words, &v, size % sizeof(v));
	}
}

static unsigned long kho_test_bytes_differ(const void *a, const void *b,
					   size_t n)
{
	const u8 *x = a, *y = b;
	unsigned long bad = 0;
	size_t i;

	for (i = 0; i < n; i++)
		bad += x[i] != y[i];
	return bad;
}

/**
 * kho_test_bad - Check memory filled by kho_test_fill().
 * @mem: The memory, 8-byte aligned.
 * @size: Its size in bytes.
 * @seed: The seed it was filled with.
 *
 * Return: the number of bytes that differ from what kho_test_fill() wrote.
 */
unsigned long kho_test_bad(const void *mem, size_t size, u64 seed)
{
	size_t i, words = size / sizeof(u64);
	unsigned long bad = 0;
	const u64 *p = mem;
	u64 v;

	for (i = 0; i < words; i++) {
		v = kho_test_next(&seed);
		if (p[i] != v)
			bad += kho_test_bytes_differ(&p[i], &v, sizeof(v));
	}
	if (size % sizeof(v)) {
		v = kho_test_next(&seed);
		bad += kho_test_bytes_differ(p + words, &v, size % sizeof(v));
	}
	return bad;
}

static unsigned int kho_test_stride(const struct kho_test_entry *e)
{
	return e->stride ?: 1;
}

/* Page @i of an item. */
static struct page *kho_test_item_page(const struct kho_test_item *item,
				       unsigned long i)
{
	return item->page + i * kho_test_stride(&item->entry);
}

/*
 * An item is filled in pieces contiguous in the linear map: the whole
 * item, or each page of a strided one.
 */
static unsigned long kho_test_pieces(const struct kho_test_entry *e)
{
	return kho_test_stride(e) > 1 ? e->nr_pages : 1;
}

static void *kho_test_piece(const struct kho_test_item *item,
			    unsigned long i, size_t *size)
{
	*size = kho_test_stride(&item->entry) > 1 ? PAGE_SIZE :
		item->entry.nr_pages << PAGE_SHIFT;
	return page_address(kho_test_item_page(item, i));
}

static void kho_test_item_fill(struct kho_test_item *item)
{
	unsigned long i;
	size_t size;
	void *mem;

	for (i = 0; i < kho_test_pieces(&item->entry); i++) {
		mem = kho_test_piece(item, i, &size);
		kho_test_fill(mem, size, item->entry.seed + ((u64)i << 32));
	}
}

/* Check every byte of an item; return the number of bad bytes. */
static unsigned long kho_test_item_bad(const struct kho_test_item *item)
{
	unsigned long i, bad = 0;
	size_t size;
	void *mem;

	for (i = 0; i < kho_test_pieces(&item->entry); i++) {
		mem = kho_test_piece(item, i, &size);
		bad += kho_test_bad(mem, size, item->entry.seed + ((u64)i << 32));
	}
	return bad;
}

static struct kho_test_item *kho_test_add(struct kho_test_items *set)
{
	if (set->nr == set->max) {
		unsigned long max = max(set->max * 2, 64UL);
		struct kho_test_item *items;

		items = krealloc_array(set->items, max, sizeof(*items),
				       GFP_KERNEL | __GFP_ZERO);
		if (!items)
			return NULL;
		set->items = items;
		set->max = max;
	}
	return &set->items[set->nr++];
}

/* Is the caller's reference the only one left on every page of @item? */
static bool kho_test_item_freeable(const struct kho_test_item *item)
{
	unsigned long i;

	if (item->entry.is_folio)
		return folio_ref_count(page_folio(item->page)) == 1;
	for (i = 0; i < item->entry.nr_pages; i++)
		if (page_ref_count(kho_test_item_page(item, i)) != 1)
			return false;
	return true;
}

static void kho_test_free_item(struct kho_test_item *item)
{
	unsigned long i;

	if (item->entry.is_folio)
		folio_put(page_folio(item->page));
	else if (kho_test_stride(&item->entry) == 1)
		free_pages_exact(page_address(item->page),
				 item->entry.nr_pages << PAGE_SHIFT);
	else
		for (i = 0; i < item->entry.nr_pages; i++)
			__free_page(kho_test_item_page(item, i));
}

/* Unpreserve the first @nr pages of an item preserved page by page. */
static void kho_test_unpreserve_pages(struct kho_test_item *item,
				      unsigned long nr)
{
	while (nr--)
		kho_unpreserve_folio(page_folio(kho_test_item_page(item, nr)));
}

static void kho_test_unpreserve_item(struct kho_test_item *item)
{
	if (item->entry.per_page)
		kho_test_unpreserve_pages(item, item->entry.nr_pages);
	else if (item->entry.is_folio)
		kho_unpreserve_folio(page_folio(item->page));
	else
		kho_unpreserve_pages(item->page, item->entry.nr_pages);
}

/* Each page an order-0 folio: what the page cache preserves looks so. */
static int kho_test_preserve_pages(struct kho_test_item *item)
{
	unsigned long i;
	int err;

	for (i = 0; i < item->entry.nr_pages; i++) {
		err = kho_preserve_folio(page_folio(kho_test_item_page(item, i)));
		if (err) {
			kho_test_unpreserve_pages(item, i);
			return err;
		}
	}
	return 0;
}

static int kho_test_preserve_item(struct kho_test_item *item)
{
	if (item->entry.per_page)
		return kho_test_preserve_pages(item);
	if (item->entry.is_folio)
		return kho_preserve_folio(page_folio(item->page));
	return kho_preserve_pages(item->page, item->entry.nr_pages);
}

static void kho_test_items_free(struct kho_test_items *set)
{
	unsigned long i;

	for (i = 0; i < set->nr; i++)
		kho_test_free_item(&set->items[i]);
	kfree(set->items);
	memset(set, 0, sizeof(*set));
}

/* A folio of @order, or of a lower order if memory is fragmented. */
static struct folio *kho_test_alloc_folio(unsigned int order)
{
	struct folio *folio;

	for (;;) {
		folio = folio_alloc(GFP_KERNEL | __GFP_NOWARN, order);
		if (folio || !order)
			return folio;
		order--;
	}
}

static void kho_test_set_entry(struct kho_test_item *item, u64 generation,
			       unsigned long idx)
{
	item->entry.phys = page_to_phys(item->page);
	item->entry.generation = generation;
	item->entry.seed = kho_test_item_seed(generation, idx);
	kho_test_item_fill(item);
}

static int kho_test_alloc_range(struct kho_test_items *set, u64 generation)
{
	struct kho_test_item *item = kho_test_add(set);
	void *mem;

	if (!item)
		return -ENOMEM;
	mem = alloc_pages_exact(KHO_TEST_RANGE_PAGES << PAGE_SHIFT,
				GFP_KERNEL | __GFP_NOWARN);
	if (!mem) {
		set->nr--;
		return -ENOMEM;
	}
	item->page = virt_to_page(mem);
	item->entry.nr_pages = KHO_TEST_RANGE_PAGES;
	kho_test_set_entry(item, generation, set->nr - 1);
	return 0;
}

static int kho_test_alloc_folios(struct kho_test_items *set, u64 generation,
				 enum kho_test_layout how)
{
	unsigned long want = (unsigned long)size_mb << (20 - PAGE_SHIFT);
	unsigned long pages = 0;
	u64 state = kho_test_item_seed(generation, ULONG_MAX >> 1);

	while (pages < want) {
		unsigned int order = how == KHO_TEST_ORDER9 ? 9 :
				     kho_test_next(&state) %
				     (MAX_PAGE_ORDER + 1);
		struct kho_test_item *item = kho_test_add(set);
		struct folio *folio;

		if (!item)
			return -ENOMEM;
		folio = kho_test_alloc_folio(order);
		if (!folio) {
			set->nr--;
			return -ENOMEM;
		}
		item->page = &folio->page;
		item->entry.is_folio = 1;
		item->entry.order = folio_order(folio);
		item->entry.nr_pages = folio_nr_pages(folio);
		kho_test_set_entry(item, generation, set->nr - 1);
		pages += item->entry.nr_pages;
	}
	return 0;
}

/*
 * Dense data should fill the tracker's leaves: keep the chunks below the
 * first leaf boundary aside while allocating, as long as the allocator
 * hands out ascending chunks that soon reach one.
 */
static bool kho_test_skip_chunk(struct page *page, struct list_head *skipped,
				unsigned int *nr_skipped)
{
	const unsigned int max_skip = KHO_TEST_DENSE_ALIGN >>
				      KHO_TEST_CHUNK_ORDER;

	if (IS_ALIGNED(page_to_pfn(page), KHO_TEST_DENSE_ALIGN) ||
	    *nr_skipped >= max_skip)
		return false;
	list_add(&page->lru, skipped);
	(*nr_skipped)++;
	return true;
}

/* A chunk as an item of order-0 pages: all of them, or every other one. */
static int kho_test_add_chunk(struct kho_test_items *set, struct page *page,
			      unsigned int stride, u64 generation)
{
	const unsigned long nr = 1UL << KHO_TEST_CHUNK_ORDER;
	struct kho_test_item *item = kho_test_add(set);
	unsigned long i;

	if (!item)
		return -ENOMEM;
	split_page(page, KHO_TEST_CHUNK_ORDER);
	for (i = 0; i < nr; i++)
		if (i % stride)
			__free_page(page + i);
	item->page = page;
	item->entry.nr_pages = nr / stride;
	item->entry.stride = stride;
	item->entry.per_page = 1;
	kho_test_set_entry(item, generation, set->nr - 1);
	return 0;
}

/* The dense and scattered layouts: order-0 pages out of big chunks. */
static int kho_test_alloc_pagewise(struct kho_test_items *set, u64 generation,
				   enum kho_test_layout how)
{
	unsigned long want = (unsigned long)size_mb << (20 - PAGE_SHIFT);
	unsigned int stride = how == KHO_TEST_SCATTERED ? 2 : 1;
	unsigned long pages = 0;
	unsigned int nr_skipped = 0;
	struct page *page, *tmp;
	LIST_HEAD(skipped);
	int err = 0;

	while (pages < want) {
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN,
				   KHO_TEST_CHUNK_ORDER);
		if (!page) {
			err = -ENOMEM;
			break;
		}
		if (how == KHO_TEST_DENSE && !pages &&
		    kho_test_skip_chunk(page, &skipped, &nr_skipped))
			continue;
		err = kho_test_add_chunk(set, page, stride, generation);
		if (err) {
			__free_pages(page, KHO_TEST_CHUNK_ORDER);
			break;
		}
		pages += set->items[set->nr - 1].entry.nr_pages;
	}

	list_for_each_entry_safe(page, tmp, &skipped, lru) {
		list_del(&page->lru);
		__free_pages(page, KHO_TEST_CHUNK_ORDER);
	}
	return err;
}

static int kho_test_alloc_layout(struct kho_test_items *set, u64 generation)
{
	int how = match_string(kho_test_layouts, ARRAY_SIZE(kho_test_layouts),
			       layout);

	switch (how) {
	case KHO_TEST_RANDOM:
	case KHO_TEST_ORDER9:
		return kho_test_alloc_folios(set, generation, how);
	case KHO_TEST_DENSE:
	case KHO_TEST_SCATTERED:
		return kho_test_alloc_pagewise(set, generation, how);
	default:
		return -EINVAL;
	}
}

/*
 * Order of the block kho_preserve_pages() makes at @pfn of a range ending
 * at @end, NUMA nodes aside: the largest aligned one that fits.
 */
static unsigned int kho_test_block_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = min_t(unsigned int, ilog2(end - pfn),
				   MAX_PAGE_ORDER);

	return pfn ? min_t(unsigned int, order, __ffs(pfn)) : order;
}

/* Blocks kho_preserve_pages() makes of a range. */
static unsigned long kho_test_range_blocks(unsigned long pfn,
					   unsigned long nr_pages)
{
	unsigned long end = pfn + nr_pages, n = 0;

	for (; pfn < end; pfn += 1UL << kho_test_block_order(pfn, end))
		n++;
	return n;
}

/*
 * The baseline of the preserve fast path: one bit per block, set in a
 * preallocated bitmap, for the same blocks in the same order.
 */
static u64 kho_test_bitmap_ns(const struct kho_test_items *set)
{
	unsigned long *bitmap, i, j, pfn, end;
	const struct kho_test_item *item;
	unsigned int order;
	u64 start, ns;

	bitmap = vzalloc(BITS_TO_LONGS(max_pfn) * sizeof(long));
	if (!bitmap)
		return 0;
	start = ktime_get_ns();
	for (i = 0; i < set->nr; i++) {
		item = &set->items[i];
		if (item->entry.per_page) {
			for (j = 0; j < item->entry.nr_pages; j++)
				__set_bit(page_to_pfn(kho_test_item_page(item, j)),
					  bitmap);
			continue;
		}
		pfn = page_to_pfn(item->page);
		end = pfn + item->entry.nr_pages;
		for (; pfn < end; pfn += 1UL << order) {
			order = item->entry.is_folio ? item->entry.order :
				kho_test_block_order(pfn, end);
			__set_bit(pfn, bitmap);
		}
	}
	ns = ktime_get_ns() - start;
	vfree(bitmap);
	return ns;
}

static unsigned long kho_test_blocks(const struct kho_test_items *set)
{
	const struct kho_test_entry *e;
	unsigned long i, n = 0;

	for (i = 0; i < set->nr; i++) {
		e = &set->items[i].entry;
		if (e->per_page)
			n += e->nr_pages;
		else if (e->is_folio)
			n++;
		else
			n += kho_test_range_blocks(PHYS_PFN(e->phys),
						   e->nr_pages);
	}
	return n;
}

/* Preserve @set[0, @nr) or nothing. */
static int kho_test_preserve_items(struct kho_test_items *set)
{
	unsigned long i;
	int err;

	for (i = 0; i < set->nr; i++) {
		err = kho_test_preserve_item(&set->items[i]);
		if (err)
			goto err_unpreserve;
	}
	return 0;

err_unpreserve:
	while (i--)
		kho_test_unpreserve_item(&set->items[i]);
	return err;
}

static void kho_test_unpreserve_items(struct kho_test_items *set)
{
	unsigned long i;

	for (i = 0; i < set->nr; i++)
		kho_test_unpreserve_item(&set->items[i]);
}

/* Preserve @set and time it against the bitmap baseline. */
static int kho_test_preserve_timed(struct kho_test_items *set)
{
	u64 start = ktime_get_ns();
	int err;

	err = kho_test_preserve_items(set);
	if (err)
		return err;
	kho_test.preserve_ns = ktime_get_ns() - start;
	kho_test.preserve_blocks = kho_test_blocks(set);
	kho_test.bitmap_ns = kho_test_bitmap_ns(set);
	return 0;
}

static void kho_test_blob_fill(struct kho_test_blob *blob, u64 generation)
{
	const struct kho_test_items *sets[] = {
		&kho_test.preserved, &kho_test.restored,
	};
	unsigned long i, j, n = 0;

	blob->magic = KHO_TEST_MAGIC;
	blob->version = KHO_TEST_VERSION;
	blob->generation = generation;
	for (i = 0; i < ARRAY_SIZE(sets); i++)
		for (j = 0; j < sets[i]->nr; j++)
			blob->entries[n++] = sets[i]->items[j].entry;
	blob->nr_entries = n;
}

static int kho_test_blob_add(u64 generation)
{
	unsigned long nr = kho_test.preserved.nr + kho_test.restored.nr;
	size_t size = struct_size_t(struct kho_test_blob, entries, nr);
	void *blob;
	int err;

	blob = kho_alloc_preserve(size);
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	kho_test_blob_fill(blob, generation);

	err = kho_add_subtree(KHO_TEST_BLOB_NAME, blob, size);
	if (err) {
		kho_unpreserve_free(blob);
		return err;
	}
	kho_test.blob = blob;
	kho_test.blob_size = size;
	return 0;
}

static void kho_test_count_preserved(const struct kho_test_items *set)
{
	unsigned long i;

	for (i = 0; i < set->nr; i++) {
		kho_test.preserved_folios += set->items[i].entry.is_folio;
		kho_test.preserved_pages += set->items[i].entry.nr_pages;
	}
}

static int kho_test_preserve(void)
{
	struct kho_test_items *set = &kho_test.preserved;
	u64 generation = kho_test.in_generation + 1;
	int err;

	if (kho_test.blob)
		return -EBUSY;

	err = kho_test_alloc_layout(set, generation);
	if (!err)
		err = kho_test_alloc_range(set, generation);
	if (err)
		goto err_free;

	err = kho_test_preserve_timed(set);
	if (err)
		goto err_free;
	err = kho_test_preserve_items(&kho_test.restored);
	if (err)
		goto err_unpreserve;
	err = kho_test_blob_add(generation);
	if (err)
		goto err_unpreserve_restored;

	kho_test_count_preserved(set);
	kho_test_count_preserved(&kho_test.restored);
	return 0;

err_unpreserve_restored:
	kho_test_unpreserve_items(&kho_test.restored);
err_unpreserve:
	kho_test_unpreserve_items(set);
err_free:
	kho_test_items_free(set);
	return err;
}

/*
 * Does a restored page's struct page name the node and zone its frame lies
 * in, going by the node and zone spans alone?  With deferred struct page
 * init it would not if nothing had initialised it.
 */
static bool kho_test_page_placed(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *zone = page_zone(page);
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (pfn < pgdat->node_start_pfn || pfn >= pgdat_end_pfn(pgdat))
			continue;
		return page_to_nid(page) == nid && zone->zone_pgdat == pgdat &&
		       zone_spans_pfn(zone, pfn);
	}
	return false;
}

static bool kho_test_pages_placed(struct page *page, unsigned long nr_pages)
{
	unsigned long i;

	for (i = 0; i < nr_pages; i++) {
		if (!kho_test_page_placed(page + i)) {
			pr_err("page %#lx: its struct page says node %d, zone %s\n",
			       page_to_pfn(page + i), page_to_nid(page + i),
			       page_zone(page + i)->name);
			return false;
		}
	}
	return true;
}

/**
 * kho_test_restore - Restore a folio or a page range of the test data.
 * @phys: Its physical address.
 * @nr_pages: Its number of pages.
 * @order: The folio's order, if @is_folio.
 * @is_folio: Restore a folio of @order rather than a range of pages.
 *
 * Context: Process context.
 * Return: the first page, or %NULL if it does not restore as preserved or
 * a struct page names another node or zone than its frame lies in.
 */
struct page *kho_test_restore(phys_addr_t phys, unsigned long nr_pages,
			      unsigned int order, bool is_folio)
{
	struct folio *folio;
	struct page *page;
	unsigned long i;

	if (!is_folio) {
		page = kho_restore_pages(phys, nr_pages);
		if (!page || kho_test_pages_placed(page, nr_pages))
			return page;
		for (i = 0; i < nr_pages; i++)
			__free_page(page + i);
		return NULL;
	}

	folio = kho_restore_folio(phys);
	if (!folio)
		return NULL;
	if (folio_order(folio) != order) {
		pr_err("folio at %#llx: order %u, expected %u\n", (u64)phys,
		       folio_order(folio), order);
		folio_put(folio);
		return NULL;
	}
	if (!kho_test_pages_placed(&folio->page, folio_nr_pages(folio))) {
		folio_put(folio);
		return NULL;
	}
	return &folio->page;
}

/* Restore every page of a strided item; all or none. */
static struct page *kho_test_restore_strided(const struct kho_test_entry *e)
{
	unsigned long first = PHYS_PFN(e->phys), i;
	unsigned int stride = kho_test_stride(e);

	for (i = 0; i < e->nr_pages; i++)
		if (!kho_test_restore(PFN_PHYS(first + i * stride), 1, 0, false))
			goto err_free;
	return pfn_to_page(first);

err_free:
	while (i--)
		__free_page(pfn_to_page(first + i * stride));
	return NULL;
}

static struct page *kho_test_restore_entry(const struct kho_test_entry *e)
{
	if (kho_test_stride(e) > 1)
		return kho_test_restore_strided(e);
	return kho_test_restore(e->phys, e->nr_pages, e->order, e->is_folio);
}

static void kho_test_verify_entry(const struct kho_test_entry *e)
{
	struct kho_test_item *item;
	unsigned long bad;
	struct page *page;

	page = kho_test_restore_entry(e);
	if (!page) {
		if (kho_test.mismatches++ < KHO_TEST_MAX_REPORTS)
			pr_err("cannot restore %llu pages at %#llx\n",
			       e->nr_pages, e->phys);
		return;
	}

	item = kho_test_add(&kho_test.restored);
	if (!item) {
		/* cannot keep it: account it as a failure, but free it */
		struct kho_test_item tmp = { .entry = *e, .page = page };

		kho_test_free_item(&tmp);
		kho_test.mismatches++;
		return;
	}
	item->entry = *e;
	item->page = page;

	kho_test.restored_folios += e->is_folio;
	kho_test.restored_pages += e->nr_pages;
	bad = kho_test_item_bad(item);
	kho_test.verified_bytes += (e->nr_pages << PAGE_SHIFT) - bad;
	if (bad && kho_test.mismatches++ < KHO_TEST_MAX_REPORTS)
		pr_err("%lu bad bytes in %llu pages at %#llx (generation %llu)\n",
		       bad, e->nr_pages, e->phys, e->generation);
}

static int kho_test_blob_check(const struct kho_test_blob *blob, size_t size)
{
	if (size < sizeof(*blob) || blob->magic != KHO_TEST_MAGIC ||
	    blob->version != KHO_TEST_VERSION)
		return -EINVAL;
	if (blob->nr_entries > (size - sizeof(*blob)) / sizeof(blob->entries[0]))
		return -EINVAL;
	return 0;
}

static int kho_test_verify(void)
{
	const struct kho_test_blob *blob;
	unsigned long i, mismatches = kho_test.mismatches;
	phys_addr_t phys;
	size_t size;
	int err;

	if (kho_test.verified)
		return -EBUSY;

	err = kho_retrieve_subtree(KHO_TEST_BLOB_NAME, &phys, &size);
	if (err)
		return err;
	blob = phys_to_virt(phys);
	err = kho_test_blob_check(blob, size);
	if (err) {
		pr_err("malformed blob of %zu bytes\n", size);
		return err;
	}

	kho_test.verified = true;
	kho_test.in_generation = blob->generation;
	for (i = 0; i < blob->nr_entries; i++)
		kho_test_verify_entry(&blob->entries[i]);
	kho_restore_free((void *)blob);

	pr_info("generation %llu: %lu folios, %lu pages restored, %lu mismatches\n",
		kho_test.in_generation, kho_test.restored_folios,
		kho_test.restored_pages, kho_test.mismatches);
	return kho_test.mismatches != mismatches ? -EIO : 0;
}

static int kho_test_free(void)
{
	unsigned long freed = 0, i;
	long before, after;

	if (kho_test.blob)
		return -EBUSY;	/* the restored memory is preserved again */

	for (i = 0; i < kho_test.restored.nr; i++)
		freed += kho_test.restored.items[i].entry.nr_pages;

	/* Only our reference may be left, or the pages cannot become free. */
	for (i = 0; i < kho_test.restored.nr; i++)
		if (!kho_test_item_freeable(&kho_test.restored.items[i]))
			return -EBUSY;

	drain_all_pages(NULL);
	before = global_zone_page_state(NR_FREE_PAGES);
	kho_test_items_free(&kho_test.restored);
	drain_all_pages(NULL);
	after = global_zone_page_state(NR_FREE_PAGES);

	kho_test.freed_pages += freed;
	kho_test.free_delta_pages = after - before;
	/* The rest of the system may allocate a few pages meanwhile. */
	if (after - before + KHO_TEST_FREE_SLACK < (long)freed) {
		pr_err("freed %lu pages, but only %ld became free\n", freed,
		       after - before);
		return -EIO;
	}
	return 0;
}

/* Try to preserve @phys in scratch; true if KHO refused with -EINVAL. */
static bool kho_test_refuses(phys_addr_t phys, bool folio)
{
	struct page *page = pfn_to_page(PHYS_PFN(phys));
	int err;

	if (folio) {
		err = kho_preserve_folio(page_folio(page));
		if (!err)
			kho_unpreserve_folio(page_folio(page));
	} else {
		err = kho_preserve_pages(page, 1);
		if (!err)
			kho_unpreserve_pages(page, 1);
	}
	if (err != -EINVAL)
		pr_err("preserving scratch at %pa gave %d\n", &phys, err);
	return err == -EINVAL;
}

static int kho_test_preserve_scratch(void)
{
	const struct kho_scratch *scratch;
	bool refused = true;
	unsigned int nr;

	scratch = kho_test_scratch(&nr);
	if (nr < 2)
		return -ENODEV;

	refused &= kho_test_refuses(scratch[1].addr, false);
	refused &= kho_test_refuses(scratch[0].addr, false);
	refused &= kho_test_refuses(scratch[1].addr + PAGE_SIZE, true);
	return refused ? 0 : -EIO;
}

/* Everything handed over lies outside scratch and KFENCE's pool. */
static int kho_test_placement(void)
{
	long pages = kho_test_check_placement();

	if (pages < 0)
		return pages;
	pr_info("placement: %ld pages checked, none in scratch, none from KFENCE\n",
		pages);
	return 0;
}

/* Break the outgoing kexec metadata: the next kernel must refuse it. */
static int kho_test_metadata_bad_version(void)
{
	struct kho_kexec_metadata *meta = kho_test_metadata_out();

	if (!meta)
		return -ENODEV;
	meta->version = KHO_KEXEC_METADATA_VERSION + 1;
	return 0;
}

static int kho_test_metadata_short(void)
{
	struct kho_kexec_metadata *meta = kho_test_metadata_out();

	if (!meta)
		return -ENODEV;
	kho_remove_subtree(meta);
	return kho_add_subtree(KHO_KEXEC_METADATA_NAME, meta,
			       offsetof(struct kho_kexec_metadata,
					kexec_count));
}

/* The reserve_mem region of the test, mapped; NULL if there is none. */
static u64 *kho_test_reserve_mem(phys_addr_t *phys, phys_addr_t *size)
{
	if (!reserve_mem_find_by_name(reserve_mem_name, phys, size) ||
	    *size < sizeof(u64))
		return NULL;
	return phys_to_virt(*phys);
}

static u64 kho_test_reserve_mem_csum(const u64 *mem, phys_addr_t size)
{
	u64 csum = 0;
	size_t i;

	for (i = 0; i < size / sizeof(*mem); i++)
		csum = rol64(csum, 1) ^ mem[i];
	return csum;
}

static int kho_test_reserve_mem_fill(void)
{
	u64 state = kho_test_seed();
	phys_addr_t phys, size;
	size_t i;
	u64 *mem;

	mem = kho_test_reserve_mem(&phys, &size);
	if (!mem)
		return -ENOENT;
	for (i = 0; i < size / sizeof(*mem); i++)
		mem[i] = kho_test_next(&state);
	return 0;
}

static void kho_test_reserve_mem_show(struct seq_file *m)
{
	phys_addr_t phys, size;
	u64 *mem;

	mem = kho_test_reserve_mem(&phys, &size);
	if (!mem)
		return;
	seq_printf(m, "reserve_mem_phys=%#llx\n", (u64)phys);
	seq_printf(m, "reserve_mem_size=%#llx\n", (u64)size);
	seq_printf(m, "reserve_mem_csum=%#llx\n",
		   kho_test_reserve_mem_csum(mem, size));
}

static ssize_t kho_test_run(struct file *file, const char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct kho_test_cmd *cmd = file->private_data;
	char arg[KHO_TEST_ARG_MAX];
	int err = -EBUSY;

	if (cmd->run_arg) {
		if (!count || count >= sizeof(arg))
			return -EINVAL;
		if (copy_from_user(arg, buf, count))
			return -EFAULT;
		arg[count] = '\0';
	}

	mutex_lock(cmd->lock);
	if (!cmd->done) {
		err = cmd->run_arg ? cmd->run_arg(strim(arg)) : cmd->run();
		cmd->done = cmd->once;
	}
	mutex_unlock(cmd->lock);
	return err ? err : count;
}

static const struct file_operations kho_test_cmd_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = kho_test_run,
	.llseek = noop_llseek,
};

/**
 * kho_test_add_cmds - Add command files to test_kho/.
 * @dir: The test_kho debugfs directory.
 * @cmds: The commands; they must live as long as the files.
 * @nr: Number of commands.
 *
 * Context: Process context, during boot.
 */
void __init kho_test_add_cmds(struct dentry *dir, struct kho_test_cmd *cmds,
			      unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		debugfs_create_file(cmds[i].name, 0200, dir, &cmds[i],
				    &kho_test_cmd_fops);
}

static int kho_test_status_show(struct seq_file *m, void *v)
{
	mutex_lock(&kho_test.lock);
	seq_printf(m, "kho_boot=%d\n", is_kho_boot());
	/* what the loader writes into the next kernel's hand-off */
	seq_printf(m, "out_fdt_phys=%#llx\n", (u64)kho_test_fdt_phys());
	seq_printf(m, "preserved_folios=%lu\n", kho_test.preserved_folios);
	seq_printf(m, "preserved_pages=%lu\n", kho_test.preserved_pages);
	seq_printf(m, "restored_folios=%lu\n", kho_test.restored_folios);
	seq_printf(m, "restored_pages=%lu\n", kho_test.restored_pages);
	seq_printf(m, "verified_bytes=%lu\n", kho_test.verified_bytes);
	seq_printf(m, "mismatches=%lu\n", kho_test.mismatches);
	seq_printf(m, "freed_pages=%lu\n", kho_test.freed_pages);
	seq_printf(m, "free_delta_pages=%ld\n", kho_test.free_delta_pages);
	seq_printf(m, "preserve_blocks=%lu\n", kho_test.preserve_blocks);
	seq_printf(m, "preserve_ns=%llu\n", kho_test.preserve_ns);
	seq_printf(m, "bitmap_ns=%llu\n", kho_test.bitmap_ns);
	kho_test_reserve_mem_show(m);
	mutex_unlock(&kho_test.lock);
	kho_test_api_status(m);
	kho_test_stress_status(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kho_test_status);

static struct kho_test_cmd kho_test_cmds[] = {
	{ "preserve", kho_test_preserve, &kho_test.lock },
	{ "verify", kho_test_verify, &kho_test.lock },
	{ "free", kho_test_free, &kho_test.lock },
	{ "preserve_scratch", kho_test_preserve_scratch, &kho_test.lock },
	{ "placement", kho_test_placement, &kho_test.lock },
	{ "metadata_bad_version", kho_test_metadata_bad_version,
	  &kho_test.lock },
	{ "metadata_short", kho_test_metadata_short, &kho_test.lock },
	{ "reserve_mem_fill", kho_test_reserve_mem_fill, &kho_test.lock },
	{ .name = "corrupt", .run_arg = kho_test_corrupt,
	  .lock = &kho_test.lock },
};

static int __init kho_test_init(void)
{
	struct dentry *dir;

	dir = debugfs_create_dir("test_kho", NULL);
	kho_test_add_cmds(dir, kho_test_cmds, ARRAY_SIZE(kho_test_cmds));
	debugfs_create_file("status", 0400, dir, NULL,
			    &kho_test_status_fops);
	kho_test_api_init(dir);
	kho_test_stress_init(dir);
	return 0;
}
late_initcall(kho_test_init);

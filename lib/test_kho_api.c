// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test single areas of the Kexec HandOver (KHO) API, one generation
 * preserving and the next one restoring. Commands in
 * /sys/kernel/debug/test_kho/; a write fails with -EIO if any check of the
 * command failed, which the kernel log names, and the "status" file shows
 * the counts behind them:
 *
 * vmalloc_preserve	preserve a vmalloc() area, a vmalloc_huge() area and
 *			kho_alloc_preserve() buffers of several sizes, all
 *			filled with random data, in the "kho-test-vmalloc"
 *			blob.
 * vmalloc_verify	restore them all, check sizes, orders and every byte.
 * numa_preserve	preserve a range of pages that straddles the start of
 *			the last NUMA node, reserved at boot with
 *			test_kho_numa=SIZE@START.
 * numa_verify		check that no preserved block of it crossed the
 *			boundary, restore it and check every byte.
 * v2_preserve		make this kernel hand over a "kho-v2" root FDT, with
 *			an FDT blob describing preserved data and a raw blob.
 * v2_verify		the FDT blob is found with its FDT size and its data
 *			restores; the raw blob is refused.
 * api_errors		check the error returns of the API for bad arguments.
 *
 * Every command may run once per boot.
 */

#define pr_fmt(fmt) "test_kho: " fmt

#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/test.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include "test_kho.h"

#define KHO_TEST_VM_BLOB	"kho-test-vmalloc"
#define KHO_TEST_NUMA_BLOB	"kho-test-numa"
#define KHO_TEST_FDT_BLOB	"kho-test-fdt"
#define KHO_TEST_RAW_BLOB	"kho-test-raw"
#define KHO_TEST_FDT_COMPAT	"kho-test-fdt-v1"
#define KHO_TEST_API_MAGIC	0x4b484f41	/* "KHOA" */

/* The plain area is not a multiple of a huge page on purpose. */
#define KHO_TEST_VM_SIZE	(3 * SZ_1M + 5 * PAGE_SIZE)
#define KHO_TEST_VM_HUGE_SIZE	(4 * PMD_SIZE)

/* pages of data behind the FDT blob: odd, to split into several blocks */
#define KHO_TEST_FDT_PAGES	5

enum kho_test_area {
	KHO_TEST_AREA_PLAIN,
	KHO_TEST_AREA_HUGE,
	KHO_TEST_NR_AREAS,
};

static const size_t kho_test_buf_sizes[] = {
	1, 100, PAGE_SIZE, PAGE_SIZE + 1, 3 * PAGE_SIZE + 5, SZ_64K + 1,
};

#define KHO_TEST_NR_BUFS	ARRAY_SIZE(kho_test_buf_sizes)

/**
 * struct kho_test_vm_area - A preserved vmalloc area, as handed over.
 * @desc: Its KHO descriptor.
 * @size: Bytes of random data in it.
 * @seed: Seed of the data.
 */
struct kho_test_vm_area {
	struct kho_vmalloc desc;
	u64 size;
	u64 seed;
};

/**
 * struct kho_test_buf - A kho_alloc_preserve() buffer, as handed over.
 * @phys: Its physical address.
 * @size: The size it was allocated with, all of it random data.
 * @seed: Seed of the data.
 */
struct kho_test_buf {
	u64 phys;
	u64 size;
	u64 seed;
};

/**
 * struct kho_test_vm_blob - The "kho-test-vmalloc" blob.
 * @magic: %KHO_TEST_API_MAGIC.
 * @nr_bufs: %KHO_TEST_NR_BUFS.
 * @areas: The vmalloc areas, indexed by &enum kho_test_area.
 * @bufs: The kho_alloc_preserve() buffers.
 */
struct kho_test_vm_blob {
	u32 magic;
	u32 nr_bufs;
	struct kho_test_vm_area areas[KHO_TEST_NR_AREAS];
	struct kho_test_buf bufs[KHO_TEST_NR_BUFS];
};

/**
 * struct kho_test_range - A preserved range of pages, as handed over.
 * @magic: %KHO_TEST_API_MAGIC.
 * @boundary_pfn: First PFN of the last NUMA node.
 * @pfn: First PFN of the range.
 * @nr_pages: Number of pages.
 * @seed: Seed of the data in them.
 */
struct kho_test_range {
	u32 magic;
	u64 boundary_pfn;
	u64 pfn;
	u64 nr_pages;
	u64 seed;
};

/**
 * struct kho_test_api - Results of the commands, see the "status" file.
 * @lock: Serializes the commands.
 * @vm_preserved: vmalloc areas preserved.
 * @vm_huge: The preserved huge area is mapped with huge pages.
 * @vm_restored: vmalloc areas restored.
 * @vm_restored_huge: The restored huge area is mapped with huge pages.
 * @vm_restored_order: Page order of the restored huge area.
 * @vm_bad: vmalloc areas that failed to restore or differed.
 * @vm_bytes: Bytes of vmalloc areas found intact.
 * @bufs_preserved: kho_alloc_preserve() buffers preserved.
 * @bufs_restored: Buffers restored with intact contents.
 * @bufs_bad: Buffers that failed to restore or differed.
 * @numa_boundary: First PFN of the last node in the preserving kernel.
 * @numa_pages: Pages of the straddling range preserved or restored.
 * @numa_meaningful: Without the node boundary, one block would cover it.
 * @numa_blocks: Preserved blocks found in the range by the next kernel.
 * @numa_crossing: Blocks among them that cross a node boundary.
 * @numa_nodes: Nodes the range spans.
 * @numa_bad: Bad bytes in the restored range, or 1 if it did not restore.
 * @v2_fdt_size: Size of the FDT blob reported by kho_retrieve_subtree().
 * @v2_raw_err: What kho_retrieve_subtree() said about the raw blob.
 * @v2_pages: Pages of data restored through the FDT blob.
 * @v2_bad: Bad bytes in them, or 1 if they did not restore.
 * @checks: Checks of error returns run.
 * @checks_failed: Checks of error returns that failed.
 */
struct kho_test_api {
	struct mutex lock;	/* serializes the commands */
	unsigned long vm_preserved;
	unsigned long vm_huge;
	unsigned long vm_restored;
	unsigned long vm_restored_huge;
	unsigned long vm_restored_order;
	unsigned long vm_bad;
	unsigned long vm_bytes;
	unsigned long bufs_preserved;
	unsigned long bufs_restored;
	unsigned long bufs_bad;
	unsigned long numa_boundary;
	unsigned long numa_pages;
	unsigned long numa_meaningful;
	unsigned long numa_blocks;
	unsigned long numa_crossing;
	unsigned long numa_nodes;
	unsigned long numa_bad;
	unsigned long v2_fdt_size;
	long v2_raw_err;
	unsigned long v2_pages;
	unsigned long v2_bad;
	unsigned long checks;
	unsigned long checks_failed;
};

static struct kho_test_api kho_test_api = {
	.lock = __MUTEX_INITIALIZER(kho_test_api.lock),
};

/* --- data ------------------------------------------------------------- */

static void kho_test_api_check(bool ok, const char *what)
{
	kho_test_api.checks++;
	if (!ok) {
		kho_test_api.checks_failed++;
		pr_err("check failed: %s\n", what);
	}
}

#define KHO_TEST_CHECK(cond)	kho_test_api_check(cond, #cond)

/*
 * Every command checks its own outcome with KHO_TEST_CHECK(): 0 if no
 * check failed since @failed was read from &kho_test_api.checks_failed,
 * else -EIO.  User space then only needs the command's result; the log
 * names each failed check.
 */
static int kho_test_api_verdict(unsigned long failed)
{
	return kho_test_api.checks_failed != failed ? -EIO : 0;
}

/* The incoming blob @name of at least @min_size bytes, or an ERR_PTR(). */
static void *kho_test_api_in_blob(const char *name, size_t min_size)
{
	phys_addr_t phys;
	size_t size;
	u32 *magic;
	int err;

	err = kho_retrieve_subtree(name, &phys, &size);
	if (err)
		return ERR_PTR(err);
	magic = phys_to_virt(phys);
	if (size < min_size || *magic != KHO_TEST_API_MAGIC) {
		pr_err("malformed blob %s of %zu bytes\n", name, size);
		return ERR_PTR(-EINVAL);
	}
	return magic;
}

/* --- vmalloc and kho_alloc_preserve() ------------------------------------ */

static void *kho_test_vm_alloc(enum kho_test_area i, struct kho_test_vm_area *a)
{
	void *mem;

	a->size = i == KHO_TEST_AREA_HUGE ? KHO_TEST_VM_HUGE_SIZE :
					    KHO_TEST_VM_SIZE;
	a->seed = kho_test_seed();
	mem = i == KHO_TEST_AREA_HUGE ? vmalloc_huge(a->size, GFP_KERNEL) :
					vmalloc(a->size);
	if (mem)
		kho_test_fill(mem, a->size, a->seed);
	return mem;
}

static void kho_test_vm_free(void **areas, unsigned int nr,
			     struct kho_test_vm_blob *blob)
{
	while (nr--) {
		kho_unpreserve_vmalloc(&blob->areas[nr].desc);
		vfree(areas[nr]);
	}
}

/* Allocate, fill and preserve both @areas, or none. */
static int kho_test_vm_preserve_areas(struct kho_test_vm_blob *blob,
				      void **areas)
{
	unsigned int i;
	int err;

	for (i = 0; i < KHO_TEST_NR_AREAS; i++) {
		areas[i] = kho_test_vm_alloc(i, &blob->areas[i]);
		if (!areas[i]) {
			err = -ENOMEM;
			goto err_free;
		}
		err = kho_preserve_vmalloc(areas[i], &blob->areas[i].desc);
		if (err) {
			vfree(areas[i]);
			goto err_free;
		}
	}
	kho_test_api.vm_preserved = KHO_TEST_NR_AREAS;
	kho_test_api.vm_huge = is_vm_area_hugepages(areas[KHO_TEST_AREA_HUGE]);
	return 0;

err_free:
	kho_test_vm_free(areas, i, blob);
	return err;
}

static void kho_test_bufs_free(struct kho_test_vm_blob *blob, unsigned int nr)
{
	while (nr--)
		kho_unpreserve_free(phys_to_virt(blob->bufs[nr].phys));
}

static int kho_test_bufs_preserve(struct kho_test_vm_blob *blob)
{
	unsigned int i;
	void *buf;

	for (i = 0; i < KHO_TEST_NR_BUFS; i++) {
		struct kho_test_buf *b = &blob->bufs[i];

		buf = kho_alloc_preserve(kho_test_buf_sizes[i]);
		if (IS_ERR(buf)) {
			kho_test_bufs_free(blob, i);
			return PTR_ERR(buf);
		}
		b->phys = virt_to_phys(buf);
		b->size = kho_test_buf_sizes[i];
		b->seed = kho_test_seed();
		kho_test_fill(buf, b->size, b->seed);
	}
	kho_test_api.bufs_preserved = KHO_TEST_NR_BUFS;
	return 0;
}

static int kho_test_vm_preserve(void)
{
	unsigned long failed = kho_test_api.checks_failed;
	void *areas[KHO_TEST_NR_AREAS];
	struct kho_test_vm_blob *blob;
	int err;

	blob = kho_alloc_preserve(sizeof(*blob));
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	blob->magic = KHO_TEST_API_MAGIC;
	blob->nr_bufs = KHO_TEST_NR_BUFS;

	err = kho_test_bufs_preserve(blob);
	if (err)
		goto err_free_blob;
	err = kho_test_vm_preserve_areas(blob, areas);
	if (err)
		goto err_free_bufs;
	err = kho_add_subtree(KHO_TEST_VM_BLOB, blob, sizeof(*blob));
	if (err)
		goto err_free_areas;
	/* the next kernel owns the areas now */
	KHO_TEST_CHECK(kho_test_api.vm_huge);
	return kho_test_api_verdict(failed);

err_free_areas:
	kho_test_vm_free(areas, KHO_TEST_NR_AREAS, blob);
	kho_test_api.vm_preserved = 0;
err_free_bufs:
	kho_test_bufs_free(blob, KHO_TEST_NR_BUFS);
err_free_blob:
	kho_unpreserve_free(blob);
	return err;
}

/* Restore one area and check its shape and every byte. */
static void kho_test_vm_restore(enum kho_test_area i,
				const struct kho_test_vm_area *a)
{
	struct vm_struct *vm;
	unsigned long bad;
	void *mem;

	mem = kho_restore_vmalloc(&a->desc);
	vm = mem ? find_vm_area(mem) : NULL;
	if (!vm || vm->nr_pages != a->desc.total_pages ||
	    vm_area_page_order(vm) != a->desc.order ||
	    vm->nr_pages < PFN_UP(a->size)) {
		pr_err("area %u: restored %p, %u pages of order %u, want %u of order %u\n",
		       i, mem, vm ? vm->nr_pages : 0,
		       vm ? vm_area_page_order(vm) : 0,
		       a->desc.total_pages, a->desc.order);
		kho_test_api.vm_bad++;
		vfree(mem);
		return;
	}

	kho_test_api.vm_restored++;
	if (i == KHO_TEST_AREA_HUGE) {
		kho_test_api.vm_restored_huge = is_vm_area_hugepages(mem);
		kho_test_api.vm_restored_order = vm_area_page_order(vm);
	}
	bad = kho_test_bad(mem, a->size, a->seed);
	kho_test_api.vm_bytes += a->size - bad;
	if (bad) {
		pr_err("area %u: %lu bad bytes\n", i, bad);
		kho_test_api.vm_bad++;
	}
	vfree(mem);
}

/* Restore a buffer; the first one also checks a second restore fails. */
static void kho_test_buf_restore(unsigned int i, const struct kho_test_buf *b)
{
	void *buf = phys_to_virt(b->phys);
	struct folio *folio;

	folio = kho_restore_folio(b->phys);
	if (!folio || folio_size(folio) < b->size) {
		pr_err("buffer %u at %#llx did not restore\n", i, b->phys);
		kho_test_api.bufs_bad++;
		if (folio)
			folio_put(folio);
		return;
	}
	if (!i)
		KHO_TEST_CHECK(!kho_restore_folio(b->phys));

	if (kho_test_bad(buf, b->size, b->seed)) {
		pr_err("buffer %u at %#llx differs\n", i, b->phys);
		kho_test_api.bufs_bad++;
	} else {
		kho_test_api.bufs_restored++;
	}
	folio_put(folio);
}

static int kho_test_vm_verify(void)
{
	unsigned long failed = kho_test_api.checks_failed;
	struct kho_test_vm_blob *blob;
	unsigned int i;

	blob = kho_test_api_in_blob(KHO_TEST_VM_BLOB, sizeof(*blob));
	if (IS_ERR(blob))
		return PTR_ERR(blob);

	for (i = 0; i < KHO_TEST_NR_AREAS; i++)
		kho_test_vm_restore(i, &blob->areas[i]);
	for (i = 0; i < min(blob->nr_bufs, KHO_TEST_NR_BUFS); i++)
		kho_test_buf_restore(i, &blob->bufs[i]);
	kho_restore_free(blob);

	KHO_TEST_CHECK(kho_test_api.vm_restored == KHO_TEST_NR_AREAS);
	KHO_TEST_CHECK(!kho_test_api.vm_bad);
	KHO_TEST_CHECK(kho_test_api.vm_bytes ==
		       KHO_TEST_VM_SIZE + KHO_TEST_VM_HUGE_SIZE);
	KHO_TEST_CHECK(kho_test_api.vm_restored_huge);
	KHO_TEST_CHECK(kho_test_api.vm_restored_order == PMD_SHIFT - PAGE_SHIFT);
	KHO_TEST_CHECK(kho_test_api.bufs_restored == KHO_TEST_NR_BUFS);
	KHO_TEST_CHECK(!kho_test_api.bufs_bad);
	return kho_test_api_verdict(failed);
}

/* --- NUMA ---------------------------------------------------------------- */

/*
 * The page allocator fills the first pageblocks of every node with
 * unmovable allocations early, so not even alloc_contig_range() can own a
 * range across the start of a node. "test_kho_numa=SIZE@START" reserves
 * one on a cold boot, before the page allocator exists.
 */
static phys_addr_t kho_test_numa_start __ro_after_init;
static phys_addr_t kho_test_numa_size __ro_after_init;

static int __init kho_test_numa_param(char *p)
{
	phys_addr_t start, size;

	if (!p)
		return -EINVAL;
	size = memparse(p, &p);
	if (*p != '@')
		return -EINVAL;
	start = memparse(p + 1, &p);
	if (*p || !size || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(size))
		return -EINVAL;

	/* a hand-over boot gets the range back through KHO */
	if (kho_handover_pending() || memblock_is_region_reserved(start, size) ||
	    memblock_reserve(start, size))
		return 0;
	kho_test_numa_start = start;
	kho_test_numa_size = size;
	return 0;
}
early_param("test_kho_numa", kho_test_numa_param);

/*
 * The first PFN of the last node with memory, and through @half the size
 * of the range to take on each side of it: as aligned as the boundary, so
 * that one naturally aligned block would cover the range if nodes did not
 * matter, but no larger than half the largest block.
 */
static unsigned long kho_test_numa_boundary(unsigned long *half)
{
	unsigned long boundary;
	int nid, last = NUMA_NO_NODE;

	for_each_node_state(nid, N_MEMORY)
		last = nid;
	if (last == NUMA_NO_NODE || last == first_memory_node)
		return 0;

	boundary = node_start_pfn(last);
	*half = min(1UL << __ffs(boundary), MAX_ORDER_NR_PAGES / 2);
	return boundary;
}

/* Is [@pfn, @pfn + @nr) inside the range reserved at boot? */
static bool kho_test_numa_reserved(unsigned long pfn, unsigned long nr)
{
	return kho_test_numa_size && PFN_PHYS(pfn) >= kho_test_numa_start &&
	       PFN_PHYS(pfn + nr) <= kho_test_numa_start + kho_test_numa_size;
}

static int kho_test_numa_preserve(void)
{
	unsigned long failed = kho_test_api.checks_failed;
	unsigned long boundary, half, nr;
	struct kho_test_range *blob;
	struct page *page;
	int err;

	boundary = kho_test_numa_boundary(&half);
	if (!boundary)
		return -ENODEV;
	nr = 2 * half;

	if (!kho_test_numa_reserved(boundary - half, nr))
		return -ENOENT;
	page = pfn_to_page(boundary - half);

	blob = kho_alloc_preserve(sizeof(*blob));
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	blob->magic = KHO_TEST_API_MAGIC;
	blob->boundary_pfn = boundary;
	blob->pfn = page_to_pfn(page);
	blob->nr_pages = nr;
	blob->seed = kho_test_seed();
	kho_test_fill(page_address(page), nr << PAGE_SHIFT, blob->seed);

	err = kho_preserve_pages(page, nr);
	if (err)
		goto err_free_blob;
	err = kho_add_subtree(KHO_TEST_NUMA_BLOB, blob, sizeof(*blob));
	if (err)
		goto err_unpreserve;
	kho_test_api.numa_boundary = boundary;
	kho_test_api.numa_pages = nr;
	/* one block would cover the range if nodes did not matter */
	kho_test_api.numa_meaningful = IS_ALIGNED(page_to_pfn(page), nr) &&
				       nr <= MAX_ORDER_NR_PAGES;
	KHO_TEST_CHECK(kho_test_api.numa_meaningful);
	return kho_test_api_verdict(failed);

err_unpreserve:
	kho_unpreserve_pages(page, nr);
err_free_blob:
	kho_unpreserve_free(blob);
	return err;
}

/*
 * Walk the stamps the previous kernel's tree left on the range: the blocks
 * must tile it and none may span two nodes.
 */
static bool kho_test_numa_blocks(unsigned long pfn, unsigned long end)
{
	union kho_page_info info;
	int nid = NUMA_NO_NODE;

	while (pfn < end) {
		info.page_private = pfn_to_page(pfn)->private;
		if (info.magic != KHO_PAGE_MAGIC || info.order > MAX_PAGE_ORDER)
			return false;
		kho_test_api.numa_blocks++;
		if (pfn_to_nid(pfn) != pfn_to_nid(pfn + (1UL << info.order) - 1))
			kho_test_api.numa_crossing++;
		if (pfn_to_nid(pfn) != nid)
			kho_test_api.numa_nodes++;
		nid = pfn_to_nid(pfn);
		pfn += 1UL << info.order;
	}
	return pfn == end;
}

static int kho_test_numa_verify(void)
{
	unsigned long failed = kho_test_api.checks_failed;
	struct kho_test_range *blob;
	struct page *page;
	unsigned long nr;

	blob = kho_test_api_in_blob(KHO_TEST_NUMA_BLOB, sizeof(*blob));
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	nr = blob->nr_pages;
	kho_test_api.numa_boundary = blob->boundary_pfn;

	kho_test_api.numa_bad = 1;
	if (!kho_test_numa_blocks(blob->pfn, blob->pfn + nr)) {
		pr_err("range at pfn %#llx: stamps do not tile it\n", blob->pfn);
		goto out_free_blob;
	}
	/* only the exact range restores */
	KHO_TEST_CHECK(!kho_restore_pages(PFN_PHYS(blob->pfn), nr - 1));
	page = kho_restore_pages(PFN_PHYS(blob->pfn), nr);
	if (!page)
		goto out_free_blob;

	kho_test_api.numa_pages = nr;
	kho_test_api.numa_bad = kho_test_bad(page_address(page),
					     nr << PAGE_SHIFT, blob->seed);
	free_contig_range(page_to_pfn(page), nr);
out_free_blob:
	kho_restore_free(blob);
	KHO_TEST_CHECK(kho_test_api.numa_pages);
	KHO_TEST_CHECK(!kho_test_api.numa_bad);
	/* the range straddles the start of the last node */
	KHO_TEST_CHECK(kho_test_api.numa_nodes == 2);
	KHO_TEST_CHECK(kho_test_api.numa_blocks >= 2);
	KHO_TEST_CHECK(!kho_test_api.numa_crossing);
	return kho_test_api_verdict(failed);
}

/* --- kho-v2 input -------------------------------------------------------- */

/* An FDT describing the preserved range of @nr pages at @page. */
static int kho_test_fdt_build(void *fdt, struct page *page, unsigned long nr,
			      u64 seed)
{
	int err;

	err = fdt_create(fdt, PAGE_SIZE);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible",
					 KHO_TEST_FDT_COMPAT);
	err = err ?: fdt_property_u64(fdt, "phys", page_to_phys(page));
	err = err ?: fdt_property_u64(fdt, "nr-pages", nr);
	err = err ?: fdt_property_u64(fdt, "seed", seed);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	return err ? -EINVAL : 0;
}

/* A raw blob that a "kho-v2" reader must refuse. */
static int kho_test_raw_add(void)
{
	void *raw;
	int err;

	raw = kho_alloc_preserve(SZ_1K);
	if (IS_ERR(raw))
		return PTR_ERR(raw);
	memset(raw, 0x5a, SZ_1K);
	err = kho_add_subtree(KHO_TEST_RAW_BLOB, raw, SZ_1K);
	if (err)
		kho_unpreserve_free(raw);
	return err;
}

static int kho_test_v2_preserve(void)
{
	unsigned long nr = KHO_TEST_FDT_PAGES;
	u64 seed = kho_test_seed();
	void *fdt, *data;
	int err;

	data = alloc_pages_exact(nr << PAGE_SHIFT, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	kho_test_fill(data, nr << PAGE_SHIFT, seed);
	err = kho_preserve_pages(virt_to_page(data), nr);
	if (err)
		goto err_free_data;

	fdt = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(fdt)) {
		err = PTR_ERR(fdt);
		goto err_unpreserve_data;
	}
	err = kho_test_fdt_build(fdt, virt_to_page(data), nr, seed);
	if (err)
		goto err_free_fdt;
	/* the next kernel must see fdt_totalsize(), not this size */
	err = kho_add_subtree(KHO_TEST_FDT_BLOB, fdt, PAGE_SIZE);
	if (err)
		goto err_free_fdt;
	err = kho_test_raw_add();
	if (err)
		goto err_remove_fdt;
	return kho_test_emit_v2();

err_remove_fdt:
	kho_remove_subtree(fdt);
err_free_fdt:
	kho_unpreserve_free(fdt);
err_unpreserve_data:
	kho_unpreserve_pages(virt_to_page(data), nr);
err_free_data:
	free_pages_exact(data, nr << PAGE_SHIFT);
	return err;
}

static u64 kho_test_fdt_u64(const void *fdt, const char *name)
{
	const void *val;
	int len;

	val = fdt_getprop(fdt, 0, name, &len);
	return val && len == sizeof(u64) ? get_unaligned_be64(val) : 0;
}

/* Restore and check the range the FDT blob describes. */
static void kho_test_v2_restore(const void *fdt)
{
	u64 phys = kho_test_fdt_u64(fdt, "phys");
	u64 nr = kho_test_fdt_u64(fdt, "nr-pages");
	struct page *page;

	kho_test_api.v2_bad = 1;
	if (fdt_node_check_compatible(fdt, 0, KHO_TEST_FDT_COMPAT) || !nr)
		return;
	page = kho_restore_pages(phys, nr);
	if (!page)
		return;
	kho_test_api.v2_pages = nr;
	kho_test_api.v2_bad = kho_test_bad(page_address(page),
					   nr << PAGE_SHIFT,
					   kho_test_fdt_u64(fdt, "seed"));
	free_contig_range(page_to_pfn(page), nr);
}

static int kho_test_v2_verify(void)
{
	unsigned long failed = kho_test_api.checks_failed;
	phys_addr_t phys;
	size_t size;
	void *fdt;
	int err;

	kho_test_api.v2_raw_err = kho_retrieve_subtree(KHO_TEST_RAW_BLOB,
						       &phys, &size);
	err = kho_retrieve_subtree(KHO_TEST_FDT_BLOB, &phys, &size);
	if (err)
		return err;
	fdt = phys_to_virt(phys);
	kho_test_api.v2_fdt_size = size;
	if (fdt_check_header(fdt) || size != fdt_totalsize(fdt))
		return -EINVAL;

	kho_test_v2_restore(fdt);
	kho_restore_free(fdt);

	/* the raw blob has no size and is no FDT: a kho-v2 reader refuses it */
	KHO_TEST_CHECK(kho_test_api.v2_raw_err == -EINVAL);
	KHO_TEST_CHECK(size > 0 && size < PAGE_SIZE);
	KHO_TEST_CHECK(kho_test_api.v2_pages == KHO_TEST_FDT_PAGES);
	KHO_TEST_CHECK(!kho_test_api.v2_bad);
	return kho_test_api_verdict(failed);
}

/* --- error returns ------------------------------------------------------- */

static void kho_test_errors_alloc(void)
{
	KHO_TEST_CHECK(kho_alloc_preserve(0) == ERR_PTR(-EINVAL));
	KHO_TEST_CHECK(kho_alloc_preserve(PAGE_SIZE << (MAX_PAGE_ORDER + 1)) ==
		       ERR_PTR(-E2BIG));
}

static void kho_test_errors_vmalloc_desc(struct page *page)
{
	struct kho_vmalloc desc = {
		.total_pages = 1,
		.flags = KHO_VMALLOC_VMALLOC,
	};

	/* nothing was preserved at these addresses */
	KHO_TEST_CHECK(!kho_restore_vmalloc(&desc));
	desc.first.phys = page_to_phys(page);
	KHO_TEST_CHECK(!kho_restore_vmalloc(&desc));
	desc.flags = 0;
	KHO_TEST_CHECK(!kho_restore_vmalloc(&desc));
	desc.flags = KHO_VMALLOC_VMALLOC;
	desc.order = 1;
	KHO_TEST_CHECK(!kho_restore_vmalloc(&desc));
}

static void kho_test_errors_vmalloc(struct page *page)
{
	struct kho_vmalloc desc;
	void *mapped, *area, *kmem;

	mapped = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	area = vmalloc(2 * PAGE_SIZE);
	kmem = kmalloc(64, GFP_KERNEL);
	if (mapped && area && kmem) {
		KHO_TEST_CHECK(kho_preserve_vmalloc(mapped, &desc) ==
			       -EOPNOTSUPP);
		KHO_TEST_CHECK(kho_preserve_vmalloc(kmem, &desc) == -EINVAL);
		KHO_TEST_CHECK(kho_preserve_vmalloc(area + PAGE_SIZE, &desc) ==
			       -EINVAL);
		KHO_TEST_CHECK(!kho_preserve_vmalloc(area, &desc));
		kho_unpreserve_vmalloc(&desc);
		KHO_TEST_CHECK(!desc.first.phys && !desc.total_pages);
	} else {
		KHO_TEST_CHECK(false);
	}
	kfree(kmem);
	vfree(area);
	if (mapped)
		vunmap(mapped);
	kho_test_errors_vmalloc_desc(page);
}

static void kho_test_errors_subtree(void)
{
	phys_addr_t phys;
	size_t size;
	void *blob;

	blob = kho_alloc_preserve(64);
	if (IS_ERR(blob)) {
		KHO_TEST_CHECK(false);
		return;
	}
	KHO_TEST_CHECK(!kho_add_subtree("kho-test-dup", blob, 64));
	KHO_TEST_CHECK(kho_add_subtree("kho-test-dup", blob, 64) == -EEXIST);
	KHO_TEST_CHECK(kho_add_subtree("kho-test-null", NULL, 64) == -EINVAL);
	KHO_TEST_CHECK(kho_add_subtree("kho-test-empty", blob, 0) == -EINVAL);
	kho_remove_subtree(blob);
	/* the name is free again */
	KHO_TEST_CHECK(!kho_add_subtree("kho-test-dup", blob, 64));
	kho_remove_subtree(blob);
	kho_unpreserve_free(blob);

	KHO_TEST_CHECK(kho_retrieve_subtree("kho-test-absent", &phys, &size) ==
		       -ENOENT);
}

static void kho_test_errors_pages(struct page *page)
{
	phys_addr_t phys = page_to_phys(page);

	KHO_TEST_CHECK(kho_preserve_pages(page, 0) == -EINVAL);
	/* never preserved, or not a page boundary, or no pages */
	KHO_TEST_CHECK(!kho_restore_folio(phys));
	KHO_TEST_CHECK(!kho_restore_pages(phys, 1));
	KHO_TEST_CHECK(!kho_restore_pages(phys + 8, 1));
	KHO_TEST_CHECK(!kho_restore_pages(phys, 0));
}

/*
 * Preserving memory that is preserved already, as the same block or as
 * part of another one, fails with -EEXIST; a range that fails half way
 * removes only its own blocks: here [pfn, pfn + 3) adds an order 1 block,
 * then finds the order 0 block at pfn + 2 preserved.
 */
static void kho_test_errors_twice(struct page *pages)
{
	unsigned long pfn = page_to_pfn(pages);
	struct folio *third = page_folio(pages + 2);
	int err = kho_preserve_folio(third);

	KHO_TEST_CHECK(!err);
	if (err)
		return;
	KHO_TEST_CHECK(kho_preserve_folio(third) == -EEXIST);
	KHO_TEST_CHECK(kho_preserve_pages(pages, 3) == -EEXIST);
	KHO_TEST_CHECK(!kho_test_is_preserved(pfn, 1));
	KHO_TEST_CHECK(kho_test_is_preserved(pfn + 2, 0));
	/* an order 2 block around it, an order 1 block holding it */
	KHO_TEST_CHECK(kho_preserve_pages(pages, 4) == -EEXIST);
	KHO_TEST_CHECK(kho_preserve_pages(pages + 2, 2) == -EEXIST);
	kho_unpreserve_folio(third);
	KHO_TEST_CHECK(!kho_test_is_preserved(pfn + 2, 0));

	/* and the other way round: a page inside a preserved order 1 block */
	err = kho_preserve_pages(pages, 2);
	KHO_TEST_CHECK(!err);
	if (err)
		return;
	KHO_TEST_CHECK(kho_preserve_folio(page_folio(pages + 1)) == -EEXIST);
	KHO_TEST_CHECK(kho_test_is_preserved(pfn, 1));
	kho_unpreserve_pages(pages, 2);
	KHO_TEST_CHECK(!kho_test_is_preserved(pfn, 1));
}

static int kho_test_errors(void)
{
	unsigned long failed = kho_test_api.checks_failed;
	struct page *page;
	unsigned int i;

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	kho_test_errors_alloc();
	kho_test_errors_vmalloc(page);
	kho_test_errors_subtree();
	kho_test_errors_pages(page);
	__free_page(page);

	/* four naturally aligned pages, each with its own reference */
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	if (!page)
		return -ENOMEM;
	split_page(page, 2);
	kho_test_errors_twice(page);
	for (i = 0; i < 4; i++)
		__free_page(page + i);
	return kho_test_api_verdict(failed);
}

/* --- debugfs ------------------------------------------------------------- */

/* Each command runs once per boot: they set up or check one-shot state. */
#define KHO_TEST_API_CMD(_name, _run)					\
	{ .name = _name, .run = _run, .lock = &kho_test_api.lock, .once = true }

static struct kho_test_cmd kho_test_api_cmds[] = {
	KHO_TEST_API_CMD("vmalloc_preserve", kho_test_vm_preserve),
	KHO_TEST_API_CMD("vmalloc_verify", kho_test_vm_verify),
	KHO_TEST_API_CMD("numa_preserve", kho_test_numa_preserve),
	KHO_TEST_API_CMD("numa_verify", kho_test_numa_verify),
	KHO_TEST_API_CMD("v2_preserve", kho_test_v2_preserve),
	KHO_TEST_API_CMD("v2_verify", kho_test_v2_verify),
	KHO_TEST_API_CMD("api_errors", kho_test_errors),
};

/**
 * kho_test_api_status - Print the results as key=value lines.
 * @m: The "status" file being read.
 *
 * Context: Process context, may sleep.
 */
void kho_test_api_status(struct seq_file *m)
{
	const struct kho_test_api *t = &kho_test_api;

	mutex_lock(&kho_test_api.lock);
	seq_printf(m, "vm_preserved=%lu\nvm_huge=%lu\n", t->vm_preserved,
		   t->vm_huge);
	seq_printf(m, "vm_restored=%lu\nvm_restored_huge=%lu\n",
		   t->vm_restored, t->vm_restored_huge);
	seq_printf(m, "vm_restored_order=%lu\nvm_bad=%lu\nvm_bytes=%lu\n",
		   t->vm_restored_order, t->vm_bad, t->vm_bytes);
	seq_printf(m, "bufs_preserved=%lu\nbufs_restored=%lu\nbufs_bad=%lu\n",
		   t->bufs_preserved, t->bufs_restored, t->bufs_bad);
	seq_printf(m, "numa_boundary=%lu\nnuma_pages=%lu\n", t->numa_boundary,
		   t->numa_pages);
	seq_printf(m, "numa_blocks=%lu\nnuma_crossing=%lu\nnuma_nodes=%lu\n",
		   t->numa_blocks, t->numa_crossing, t->numa_nodes);
	seq_printf(m, "numa_bad=%lu\nnuma_meaningful=%lu\n", t->numa_bad,
		   t->numa_meaningful);
	seq_printf(m, "v2_fdt_size=%lu\nv2_raw_err=%ld\n", t->v2_fdt_size,
		   t->v2_raw_err);
	seq_printf(m, "v2_pages=%lu\nv2_bad=%lu\n", t->v2_pages, t->v2_bad);
	seq_printf(m, "api_checks=%lu\napi_failed=%lu\n", t->checks,
		   t->checks_failed);
	mutex_unlock(&kho_test_api.lock);
}

/**
 * kho_test_api_init - Add the commands of this file to test_kho's directory.
 * @dir: /sys/kernel/debug/test_kho.
 *
 * Context: Process context, at boot.
 */
void __init kho_test_api_init(struct dentry *dir)
{
	kho_test_add_cmds(dir, kho_test_api_cmds,
			  ARRAY_SIZE(kho_test_api_cmds));
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO) scratch: the memory regions a kernel booted by a
 * hand-over allocates from until it knows what was preserved.
 *
 * A cold-booted kernel sizes the regions from its own early allocations
 * (or kho_scratch=) and places them; a kernel booted by a hand-over takes
 * the previous kernel's regions.  Either way the regions then become CMA
 * memory, movable allocations only, so that no preserved data can ever
 * lie in them and the next kernel can boot from them again.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/cma.h>
#include <linux/kexec_handover.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/page-isolation.h>

/* set_pageblock_cma() */
#include "../../mm/internal.h"

#include "kexec_handover_internal.h"

struct kho_scratch *kho_scratch __ro_after_init;
unsigned int kho_scratch_cnt __ro_after_init;

/*
 * The scratch size is either a percentage of the memory memblock allocated
 * for the kernel itself, or fixed sizes for the low, the global and each
 * per-node region.
 */
static unsigned int kho_scratch_scale __initdata = 200;
static phys_addr_t kho_scratch_fixed[KHO_SCRATCH_NODES + 1] __initdata;
static bool kho_scratch_is_fixed __initdata;

static int __init kho_parse_scratch_scale(const char *p, size_t len)
{
	char buf[12];

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return kstrtouint(buf, 10, &kho_scratch_scale);
}

static int __init kho_parse_scratch_sizes(char *p)
{
	phys_addr_t sizes[ARRAY_SIZE(kho_scratch_fixed)];
	unsigned int i;
	char *end;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		sizes[i] = memparse(p, &end);
		if (end == p)
			return -EINVAL;
		if (i + 1 < ARRAY_SIZE(sizes) && *end != ',')
			return -EINVAL;
		p = end + 1;
	}
	if (*end)
		return -EINVAL;

	memcpy(kho_scratch_fixed, sizes, sizeof(sizes));
	kho_scratch_is_fixed = true;
	return 0;
}

static int __init kho_parse_scratch_size(char *p)
{
	size_t len;

	if (!p)
		return -EINVAL;

	len = strlen(p);
	if (len && p[len - 1] == '%')
		return kho_parse_scratch_scale(p, len - 1);
	return kho_parse_scratch_sizes(p);
}
early_param("kho_scratch", kho_parse_scratch_size);

/**
 * kho_overlaps_scratch - Does a range overlap a scratch region?
 * @phys: Physical start address.
 * @size: Size in bytes.
 *
 * Context: Any context.
 * Return: true if any byte of the range lies in scratch memory.
 */
bool kho_overlaps_scratch(phys_addr_t phys, phys_addr_t size)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++) {
		const struct kho_scratch *s = &kho_scratch[i];

		if (phys < s->addr + s->size && s->addr < phys + size)
			return true;
	}
	return false;
}

static phys_addr_t __init kho_scratch_size(enum kho_scratch_slot slot,
					   phys_addr_t limit, int nid)
{
	phys_addr_t size;

	if (kho_scratch_is_fixed)
		size = kho_scratch_fixed[slot];
	else
		size = div_u64(memblock_reserved_kern_size(limit, nid) *
			       kho_scratch_scale, 100);

	/* CMA works in whole pageblocks */
	size = round_up(size, CMA_MIN_ALIGNMENT_BYTES);
	return max_t(phys_addr_t, size, CMA_MIN_ALIGNMENT_BYTES);
}

/* Size every region first: each allocation adds to the kernel's share. */
static void __init kho_scratch_size_all(void)
{
	unsigned int i = KHO_SCRATCH_NODES;
	int nid;

	kho_scratch[KHO_SCRATCH_LOW].size =
		kho_scratch_size(KHO_SCRATCH_LOW, ARCH_LOW_ADDRESS_LIMIT,
				 NUMA_NO_NODE);
	kho_scratch[KHO_SCRATCH_GLOBAL].size =
		kho_scratch_size(KHO_SCRATCH_GLOBAL, PHYS_ADDR_MAX,
				 NUMA_NO_NODE);
	for_each_node_state(nid, N_MEMORY)
		kho_scratch[i++].size = kho_scratch_size(KHO_SCRATCH_NODES,
							 PHYS_ADDR_MAX, nid);
}

static int __init kho_scratch_alloc(struct kho_scratch *s, phys_addr_t limit,
				    int nid)
{
	s->addr = memblock_alloc_range_nid(s->size, CMA_MIN_ALIGNMENT_BYTES, 0,
					   limit, nid, true);
	return s->addr ? 0 : -ENOMEM;
}

static int __init kho_scratch_alloc_all(void)
{
	unsigned int i = KHO_SCRATCH_NODES;
	int err, nid;

	err = kho_scratch_alloc(&kho_scratch[KHO_SCRATCH_LOW],
				ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE);
	if (err)
		return err;
	err = kho_scratch_alloc(&kho_scratch[KHO_SCRATCH_GLOBAL],
				MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	if (err)
		return err;
	for_each_node_state(nid, N_MEMORY) {
		err = kho_scratch_alloc(&kho_scratch[i++],
					MEMBLOCK_ALLOC_ACCESSIBLE, nid);
		if (err)
			return err;
	}
	return 0;
}

/* Give back what kho_scratch_alloc_all() allocated. */
static void __init kho_scratch_free_all(void)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++)
		if (kho_scratch[i].addr)
			memblock_phys_free(kho_scratch[i].addr,
					   kho_scratch[i].size);
}

/**
 * kho_scratch_place - Place the scratch regions on a cold boot.
 *
 * Size and place the regions the next kernel will boot from.  memblock
 * allocates them only to find room on the right nodes and below the right
 * limits: they are free memory again afterwards, for kho_scratch_hold() to
 * keep until they can become CMA.  Nothing allocates from memblock in
 * between.
 *
 * Context: Early boot, from memblock_free_all() before it frees memory.
 * Return: 0 on success, -ENOMEM if the regions do not fit.
 */
int __init kho_scratch_place(void)
{
	unsigned int i, cnt = KHO_SCRATCH_NODES + num_node_state(N_MEMORY);
	size_t array_size = cnt * sizeof(*kho_scratch);
	phys_addr_t total = 0;
	int err;

	kho_scratch = memblock_alloc(array_size, PAGE_SIZE);
	if (!kho_scratch)
		goto err_warn;
	kho_scratch_cnt = cnt;

	kho_scratch_size_all();
	err = kho_scratch_alloc_all();
	kho_scratch_free_all();
	if (err)
		goto err_free_array;

	for (i = 0; i < cnt; i++)
		total += kho_scratch[i].size;
	pr_info("reserved %u scratch regions, %llu MiB\n", cnt,
		(u64)total >> 20);
	return 0;

err_free_array:
	memblock_free(kho_scratch, array_size);
	kho_scratch = NULL;
	kho_scratch_cnt = 0;
err_warn:
	pr_warn("disabled: cannot reserve %u scratch regions\n", cnt);
	return -ENOMEM;
}

/*
 * The free parts of the scratch regions, kept from memblock_free_all() by
 * kho_scratch_hold() until kho_scratch_release() makes them CMA, and where
 * memblock's reserved array was when they were recorded.
 */
static struct kho_scratch *kho_scratch_held __initdata;
static void __init kho_scratch_make_cma(void);
static unsigned int kho_scratch_held_cnt __initdata;
static unsigned int kho_scratch_held_max __initdata;
static struct kho_scratch kho_scratch_memblock __initdata;

/* Room for the parts that placing memblock's reserved array may split. */
#define KHO_SCRATCH_HELD_SLACK	8

/*
 * Record the free memblock ranges inside the scratch regions in
 * kho_scratch_held, as far as there is room; return how many there are.
 */
static unsigned int __init kho_scratch_find_free(void)
{
	phys_addr_t start, end;
	unsigned int i, cnt = 0;
	u64 j;

	for_each_free_mem_range(j, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end,
				NULL) {
		for (i = 0; i < kho_scratch_cnt; i++) {
			const struct kho_scratch *s = &kho_scratch[i];
			phys_addr_t lo = max(start, s->addr);
			phys_addr_t hi = min(end, s->addr + s->size);

			if (lo >= hi)
				continue;
			if (cnt < kho_scratch_held_max)
				kho_scratch_held[cnt] = (struct kho_scratch) {
					.addr = lo,
					.size = hi - lo,
				};
			cnt++;
		}
	}
	kho_scratch_memblock = (struct kho_scratch) {
		.addr = __pa(memblock.reserved.regions),
		.size = memblock.reserved.max *
			sizeof(*memblock.reserved.regions),
	};
	return cnt;
}

/* Free [@start, @end) to the page allocator, or only unreserve it. */
static void __init kho_scratch_drop(phys_addr_t start, phys_addr_t end,
				    bool to_buddy)
{
	if (to_buddy)
		free_reserved_area(phys_to_virt(start), phys_to_virt(end), -1,
				   NULL);
	else
		memblock_phys_free(start, end - start);
}

/*
 * Drop every held range, less memblock's reserved array if it lies in one
 * (it can only after memblock moved it there: see
 * kho_scratch_reserve_held()): free it to the page allocator, or only
 * unreserve it.
 */
static void __init kho_scratch_drop_held(bool to_buddy)
{
	phys_addr_t skip_lo = kho_scratch_memblock.addr;
	phys_addr_t skip_hi = skip_lo + kho_scratch_memblock.size;
	unsigned int i;

	for (i = 0; i < kho_scratch_held_cnt; i++) {
		phys_addr_t start = kho_scratch_held[i].addr;
		phys_addr_t end = start + kho_scratch_held[i].size;

		if (skip_hi <= start || end <= skip_lo) {
			kho_scratch_drop(start, end, to_buddy);
			continue;
		}
		if (start < skip_lo)
			kho_scratch_drop(start, skip_lo, to_buddy);
		if (skip_hi < end)
			kho_scratch_drop(skip_hi, end, to_buddy);
	}
}

/*
 * Reserve the recorded free parts.  Each reservation may make memblock grow
 * its reserved array, and memblock then places the new array in free
 * memory: in scratch-only mode, in a part recorded as free.  Releasing
 * that part later would free memblock's array, which memblock frees (or,
 * with ARCH_KEEP_MEMBLOCK, uses) itself.  So if the array moved, undo the
 * reservations, the array's excepted, and let the caller record again.
 * Return: 0, -EAGAIN to record again, or -ENOMEM.
 */
static int __init kho_scratch_reserve_held(void)
{
	void *regions = memblock.reserved.regions;
	unsigned int i;
	int err = 0;

	for (i = 0; i < kho_scratch_held_cnt && !err; i++)
		err = memblock_reserve(kho_scratch_held[i].addr,
				       kho_scratch_held[i].size);
	if (!err && memblock.reserved.regions == regions)
		return 0;

	kho_scratch_memblock = (struct kho_scratch) {
		.addr = __pa(memblock.reserved.regions),
		.size = memblock.reserved.max *
			sizeof(*memblock.reserved.regions),
	};
	kho_scratch_drop_held(false);
	return err ?: -EAGAIN;
}

/**
 * kho_scratch_hold - Keep the free scratch for kho_scratch_release().
 *
 * With DEFERRED_STRUCT_PAGE_INIT most struct pages are initialised only
 * after memblock_free_all(), by threads that free memory as movable: a
 * scratch pageblock marked CMA now would be marked through an uninitialised
 * struct page and turned movable again later.  So reserve the free parts of
 * the scratch regions instead: memblock_free_all() initialises the struct
 * pages of reserved memory, deferred or not, and every later pass leaves
 * reserved memory alone.  kho_scratch_release() gives them to the page
 * allocator as CMA once all struct pages are initialised.  What this kernel
 * allocated in scratch while it booted (on a hand-over boot) stays
 * allocated.  Cold and hand-over boots both come here.
 *
 * Context: Early boot, from memblock_free_all() before it frees memory.
 * Return: 0 on success, -ENOMEM if the free ranges cannot be recorded or
 * reserved (then nothing is held).
 */
int __init kho_scratch_hold(void)
{
	unsigned int cnt = kho_scratch_find_free();
	int err;

	kho_scratch_held_max = cnt + KHO_SCRATCH_HELD_SLACK;
	kho_scratch_held = memblock_alloc(kho_scratch_held_max *
					  sizeof(*kho_scratch_held),
					  SMP_CACHE_BYTES);
	if (!kho_scratch_held)
		goto err_cma_now;

	/* each round at least doubles memblock's reserved array */
	do {
		kho_scratch_held_cnt = 0;
		cnt = kho_scratch_find_free();
		if (cnt > kho_scratch_held_max) {
			err = -ENOMEM;
			break;
		}
		kho_scratch_held_cnt = cnt;
		err = kho_scratch_reserve_held();
	} while (err == -EAGAIN);
	if (!err)
		return 0;

	kho_scratch_held_cnt = 0;
	memblock_free(kho_scratch_held,
		      kho_scratch_held_max * sizeof(*kho_scratch_held));
	kho_scratch_held = NULL;
err_cma_now:
	/*
	 * Without deferred struct pages the scratch can be marked CMA right
	 * away instead, for memblock_free_all() to free.
	 */
	if (IS_ENABLED(CONFIG_DEFERRED_STRUCT_PAGE_INIT))
		return -ENOMEM;
	kho_scratch_make_cma();
	return 0;
}

/*
 * Mark every pageblock of every scratch region MIGRATE_CMA, with the pages
 * of it that are free already: see set_pageblock_cma().
 */
static void __init kho_scratch_make_cma(void)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++) {
		unsigned long pfn = PHYS_PFN(kho_scratch[i].addr);
		unsigned long end = PHYS_PFN(kho_scratch[i].addr +
					     kho_scratch[i].size);

		for (pfn = pageblock_start_pfn(pfn); pfn < end;
		     pfn += pageblock_nr_pages) {
			struct page *page = pfn_to_page(pfn);

			set_pageblock_cma(page);
			page_zone(page)->cma_pages += pageblock_nr_pages;
		}
		totalcma_pages += PHYS_PFN(kho_scratch[i].size);
	}
}

/*
 * Give the scratch kho_scratch_hold() kept to the page allocator as CMA
 * memory, movable allocations only, so that no preserved data can ever lie
 * in it and the next kernel can boot from it again.  This runs before KHO
 * allocates anything (kho_init() is an fs_initcall) and after the deferred
 * struct page init (page_alloc_init_late() runs before the initcalls), so
 * every struct page of scratch is initialised.
 */
static int __init kho_scratch_release(void)
{
	if (!kho_scratch_held)
		return 0;

	kho_scratch_make_cma();
	kho_scratch_drop_held(true);
	memblock_free_late(__pa(kho_scratch_held),
			   kho_scratch_held_max * sizeof(*kho_scratch_held));
	kho_scratch_held = NULL;
	return 0;
}
core_initcall(kho_scratch_release);

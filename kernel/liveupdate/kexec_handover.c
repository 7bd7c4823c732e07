// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO): keep memory and data across a kexec.
 *
 * Words used throughout this file:
 *
 * block:	2^order naturally aligned pages, preserved as one unit and
 *		recorded as one key in the radix tree.
 * run:		physically adjacent blocks that the next kernel reserves with
 *		one memblock call.
 * scratch:	memory regions a kernel booted by a hand-over allocates from
 *		until it knows what was preserved; they are CMA (movable only)
 *		memory afterwards, so that they stay free of preserved data.
 * stamp:	order and magic the next kernel writes into page->private of
 *		the head page of each preserved block; restoring a block checks
 *		and clears it.
 * in / out:	the hand-over this kernel received / will pass on.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/cma.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho_radix_tree.h>
#include <linux/kmemleak.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/page-isolation.h>
#include <linux/sched/clock.h>
#include <linux/unaligned.h>

#include <asm/early_ioremap.h>

/* init_cma_reserved_pageblock() and prep_compound_page() */
#include "../../mm/internal.h"

#include "kexec_handover_check.h"
#include "kexec_handover_internal.h"

/* Largest incoming root FDT we map; ours is one page. */
#define KHO_FDT_MAX_SIZE	SZ_64K

/* Slots of the scratch array, see struct kho_scratch. */
enum kho_scratch_slot {
	KHO_SCRATCH_LOW,
	KHO_SCRATCH_GLOBAL,
	KHO_SCRATCH_NODES,
};

static bool kho_enable __ro_after_init =
	IS_ENABLED(CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT);

struct kho_scratch *kho_scratch __ro_after_init;
unsigned int kho_scratch_cnt __ro_after_init;

/* The scratch array kho_fill_kimage() passes on, if not kho_scratch: tests */
const struct kho_scratch *kho_scratch_out;

/* Set when this kernel reserved its own scratch in a cold boot. */
static bool kho_scratch_reserved __initdata;

/**
 * struct kho_in - The hand-over this kernel received.
 * @fdt_phys: Physical address of the root FDT, 0 if there is none (or it
 *	was rejected).
 * @fdt_len: Size of the buffer the previous kernel passed the FDT in.
 * @scratch_phys: Physical address of the scratch array.
 */
struct kho_in {
	phys_addr_t fdt_phys;
	u64 fdt_len;
	phys_addr_t scratch_phys;
};

static struct kho_in kho_in __ro_after_init;

struct kho_out kho_out = {
	.fdt_lock = __MUTEX_INITIALIZER(kho_out.fdt_lock),
};

static int __init kho_parse_enable(char *p)
{
	if (!p)
		return -EINVAL;
	return kstrtobool(p, &kho_enable);
}
early_param("kho", kho_parse_enable);

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

/* The outgoing state is usable: KHO is on and kho_init() succeeded. */
static bool kho_out_active(void)
{
	return kho_enable && READ_ONCE(kho_out.fdt);
}

static bool kho_overlaps_scratch(phys_addr_t phys, phys_addr_t size)
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

static int __init kho_scratch_alloc(struct kho_scratch *s, phys_addr_t limit,
				    int nid)
{
	s->addr = memblock_alloc_range_nid(s->size, CMA_MIN_ALIGNMENT_BYTES, 0,
					   limit, nid, true);
	if (!s->addr)
		return -ENOMEM;
	/*
	 * The region becomes page allocator memory (CMA): kmemleak must not
	 * scan it as one object, its free pages may be unmapped.
	 */
	kmemleak_ignore_phys(s->addr);
	return 0;
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

/* Cold boot: reserve the scratch regions the next kernel will boot from. */
static void __init kho_reserve_scratch(void)
{
	unsigned int i, cnt = KHO_SCRATCH_NODES + num_node_state(N_MEMORY);
	size_t array_size = cnt * sizeof(*kho_scratch);
	phys_addr_t total = 0;

	kho_scratch = memblock_alloc(array_size, PAGE_SIZE);
	if (!kho_scratch)
		goto err_disable;
	kho_scratch_cnt = cnt;

	kho_scratch_size_all();
	if (kho_scratch_alloc_all())
		goto err_free_scratch;

	for (i = 0; i < cnt; i++)
		total += kho_scratch[i].size;
	kho_scratch_reserved = true;
	pr_info("reserved %u scratch regions, %llu MiB\n", cnt,
		(u64)total >> 20);
	return;

err_free_scratch:
	for (i = 0; i < cnt; i++)
		if (kho_scratch[i].addr)
			memblock_phys_free(kho_scratch[i].addr,
					   kho_scratch[i].size);
	memblock_free(kho_scratch, array_size);
	kho_scratch = NULL;
	kho_scratch_cnt = 0;
err_disable:
	pr_warn("disabled: cannot reserve %u scratch regions\n", cnt);
	kho_enable = false;
}

/* Cold boot: hand the reserved scratch to the page allocator as CMA. */
static void __init kho_scratch_init_cma(void)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++) {
		unsigned long pfn = PHYS_PFN(kho_scratch[i].addr);
		unsigned long end = PHYS_PFN(kho_scratch[i].addr +
					     kho_scratch[i].size);

		for (; pfn < end; pfn += pageblock_nr_pages)
			init_cma_reserved_pageblock(pfn_to_page(pfn));
		totalcma_pages += PHYS_PFN(kho_scratch[i].size);
	}
}

/*
 * Hand-over boot: make the scratch CMA before memblock_free_all() gives it
 * to the page allocator, so that only movable allocations land there and
 * it can serve as scratch again for the next kexec.
 */
static void __init kho_scratch_release(void)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++) {
		unsigned long pfn = PHYS_PFN(kho_scratch[i].addr);
		unsigned long end = PHYS_PFN(kho_scratch[i].addr +
					     kho_scratch[i].size);

		for (pfn = pageblock_start_pfn(pfn); pfn < end;
		     pfn += pageblock_nr_pages) {
			struct page *page = pfn_to_page(pfn);

			set_pageblock_migratetype(page, MIGRATE_CMA);
			page_zone(page)->cma_pages += pageblock_nr_pages;
		}
		totalcma_pages += PHYS_PFN(kho_scratch[i].size);
	}
}

/**
 * kho_arch_is_ram - Is a range RAM, before memblock knows?
 * @phys: Physical start address.
 * @size: Size in bytes.
 *
 * kho_populate() checks the hand-over against the firmware's memory map,
 * which the architecture may not have given to memblock yet.
 *
 * Context: Early boot.
 * Return: true if the whole range is RAM.
 */
bool __init __weak kho_arch_is_ram(phys_addr_t phys, u64 size)
{
	return memblock_is_region_memory(phys, size);
}

static const char * __init kho_map_check_fdt(phys_addr_t fdt_phys,
					     u64 fdt_len)
{
	const char *why;
	void *fdt;

	if (!fdt_phys || fdt_len < sizeof(struct fdt_header) ||
	    fdt_len > KHO_FDT_MAX_SIZE)
		return "bad FDT location";
	if (!kho_arch_is_ram(fdt_phys, fdt_len))
		return "FDT outside RAM";

	fdt = early_memremap(fdt_phys, fdt_len);
	if (!fdt)
		return "cannot map the FDT";
	why = kho_check_fdt(fdt, fdt_len);
	early_memunmap(fdt, fdt_len);
	return why;
}

static const char * __init kho_add_scratch(const struct kho_scratch *s,
					   unsigned int cnt)
{
	struct kho_check c = {
		.is_ram = kho_arch_is_ram,
		.scratch = s,
		.nr_scratch = cnt,
		.max_pfn = ULONG_MAX,	/* not known yet */
	};
	const char *why;
	unsigned int i;

	why = kho_check_scratch(&c);
	if (why)
		return why;

	for (i = 0; i < cnt; i++) {
		if (memblock_add(s[i].addr, s[i].size) ||
		    memblock_mark_kho_scratch(s[i].addr, s[i].size))
			goto err_clear;
	}
	return NULL;

err_clear:
	while (i--)
		memblock_clear_kho_scratch(s[i].addr, s[i].size);
	return "cannot add scratch memory";
}

static const char * __init kho_map_add_scratch(phys_addr_t scratch_phys,
					       u64 scratch_len)
{
	const u64 max_len = (KHO_SCRATCH_NODES + MAX_NUMNODES) *
			    sizeof(struct kho_scratch);
	struct kho_scratch *s;
	const char *why;

	if (!scratch_phys || !scratch_len || scratch_len > max_len ||
	    scratch_len % sizeof(*s))
		return "bad scratch array location";
	if (!kho_arch_is_ram(scratch_phys, scratch_len))
		return "scratch array outside RAM";

	s = early_memremap(scratch_phys, scratch_len);
	if (!s)
		return "cannot map the scratch array";
	why = kho_add_scratch(s, scratch_len / sizeof(*s));
	early_memunmap(s, scratch_len);
	return why;
}

/**
 * kho_populate - Take the hand-over passed by the previous kernel.
 * @fdt_phys: Physical address of the root FDT.
 * @fdt_len: Size of the root FDT in bytes.
 * @scratch_phys: Physical address of the scratch array.
 * @scratch_len: Size of the scratch array in bytes.
 *
 * Called by the architecture's boot code as soon as it finds the hand-over,
 * before memblock allocates anything. Check the FDT, make the scratch
 * regions memblock memory marked %MEMBLOCK_KHO_SCRATCH and restrict
 * memblock to them until kho_memory_init() has reserved the preserved
 * memory. If anything is wrong, log why and boot without the hand-over.
 *
 * Context: Early boot, before memblock allocations.
 */
void __init kho_populate(phys_addr_t fdt_phys, u64 fdt_len,
			 phys_addr_t scratch_phys, u64 scratch_len)
{
	const char *why;

	why = kho_map_check_fdt(fdt_phys, fdt_len);
	if (!why)
		why = kho_map_add_scratch(scratch_phys, scratch_len);
	if (!why && memblock_reserve(scratch_phys, scratch_len))
		why = "cannot reserve the scratch array";
	if (why) {
		pr_warn("ignoring the hand-over: %s\n", why);
		return;
	}

	memblock_set_kho_scratch_only();
	kho_in.fdt_phys = fdt_phys;
	kho_in.fdt_len = fdt_len;
	kho_in.scratch_phys = scratch_phys;
	kho_scratch_cnt = scratch_len / sizeof(*kho_scratch);
	pr_info("found a hand-over with %u scratch regions\n",
		kho_scratch_cnt);
}

/**
 * struct kho_restore_state - Progress of the walk over incoming blocks.
 * @run_start: Start of the run of adjacent blocks not reserved yet.
 * @run_end: End of that run.
 * @runs: Number of runs reserved.
 */
struct kho_restore_state {
	phys_addr_t run_start;
	phys_addr_t run_end;
	unsigned long runs;
};

static struct kho_restore_state kho_restore_state __initdata;

static int __init kho_reserve_run(void)
{
	struct kho_restore_state *st = &kho_restore_state;
	phys_addr_t size = st->run_end - st->run_start;
	int err;

	if (!size)
		return 0;

	st->runs++;
	err = memblock_reserve(st->run_start, size);
	if (err)
		return err;
	/* memblock_free_all() must leave the stamps alone */
	return memblock_reserved_mark_noinit(st->run_start, size);
}

static void __init kho_stamp(phys_addr_t phys, unsigned int order)
{
	union kho_page_info info = {
		.order = order,
		.magic = KHO_PAGE_MAGIC,
	};

	pfn_to_page(PHYS_PFN(phys))->private = info.page_private;
}

static int __init kho_reserve_block(phys_addr_t phys, unsigned int order,
				    void *arg)
{
	struct kho_restore_state *st = &kho_restore_state;
	phys_addr_t size = (phys_addr_t)PAGE_SIZE << order;
	int err = 0;

	kho_stamp(phys, order);

	/* blocks of one order come in ascending address order */
	if (phys != st->run_end) {
		err = kho_reserve_run();
		st->run_start = phys;
	}
	st->run_end = phys + size;
	return err;
}

/*
 * For a hand-over dropped half way: remove the stamps, so that nothing can
 * be restored.  What was reserved stays reserved: freeing it could free a
 * range someone else reserved too, such as a revived reserve_mem region.
 */
static int __init kho_unstamp_block(phys_addr_t phys, unsigned int order,
				    void *arg)
{
	pfn_to_page(PHYS_PFN(phys))->private = 0;
	return 0;
}

static bool __init kho_memblock_is_ram(phys_addr_t phys, u64 size)
{
	return memblock_is_region_memory(phys, size);
}

/*
 * Until now this kernel allocated only from memory memblock marks as
 * scratch: the incoming scratch regions and what the architecture added,
 * like the first MiB on x86.
 */
static bool __init kho_memblock_in_use(phys_addr_t phys, u64 size)
{
	struct memblock_region *r;

	for_each_mem_region(r)
		if (memblock_is_kho_scratch(r) && phys < r->base + r->size &&
		    r->base < phys + size)
			return true;
	return false;
}

/* Check the whole hand-over; on success @c->root is the tree's root. */
static const char * __init kho_check_incoming(struct kho_check *c)
{
	size_t size = BITS_TO_LONGS(max_pfn) * sizeof(long);
	const char *why;

	*c = (struct kho_check) {
		.is_ram = kho_memblock_is_ram,
		.in_use = kho_memblock_in_use,
		.scratch = kho_scratch,
		.nr_scratch = kho_scratch_cnt,
		.image_start = __pa_symbol(_text),
		.image_end = __pa_symbol(_end),
		.max_pfn = max_pfn,
	};
	c->visited = memblock_alloc(size, SMP_CACHE_BYTES);
	if (!c->visited)
		return "cannot allocate the node bitmap";
	why = kho_check_handover(c, kho_in.fdt_phys, kho_in.fdt_len);
	memblock_free(c->visited, size);
	return why;
}

/* Reserve every preserved block; on failure none can be restored. */
static int __init kho_reserve_preserved(const void *root)
{
	int err;

	err = __kho_radix_walk_tree(root, NULL, kho_reserve_block, NULL);
	if (!err)
		err = kho_reserve_run();
	if (err)
		__kho_radix_walk_tree(root, NULL, kho_unstamp_block, NULL);
	return err;
}

static void __init kho_restore_preserved(void)
{
	struct kho_restore_state *st = &kho_restore_state;
	u64 start = local_clock();
	struct kho_check check;
	const char *why;
	int err;

	why = kho_check_incoming(&check);
	if (why) {
		pr_warn("ignoring the hand-over: %s (at %#llx)\n", why,
			check.bad_addr);
		kho_in.fdt_phys = 0;
		return;
	}

	err = kho_reserve_preserved(check.root);
	if (err) {
		pr_warn("ignoring the hand-over: cannot reserve preserved memory (%d)\n",
			err);
		kho_in.fdt_phys = 0;
		return;
	}

	pr_info("restored %lu blocks (%llu pages) in %lu ranges, %llu us\n",
		check.blocks, check.pages, st->runs,
		div_u64(local_clock() - start, NSEC_PER_USEC));
}

/**
 * kho_memory_init - Reserve scratch or preserved memory before the buddy.
 *
 * On a cold boot with KHO enabled, reserve the scratch regions the next
 * kernel will boot from. On a hand-over boot, reserve every block the
 * previous kernel preserved and stamp it for kho_restore_folio(), make
 * the scratch regions CMA memory, and keep them as this kernel's scratch.
 *
 * Context: Early boot, called by memblock_free_all() before it releases
 * memory to the page allocator; the memory map is initialised.
 */
void __init kho_memory_init(void)
{
	if (kho_in.fdt_phys) {
		kho_scratch = phys_to_virt(kho_in.scratch_phys);
		kho_restore_preserved();
		kho_scratch_release();
	} else if (kho_enable) {
		kho_reserve_scratch();
	}
}

/**
 * kho_is_enabled - Is KHO on?
 *
 * Context: Any context.
 * Return: true if KHO was enabled on the command line (or by default)
 * and its setup succeeded.
 */
bool kho_is_enabled(void)
{
	return kho_enable;
}
EXPORT_SYMBOL_GPL(kho_is_enabled);

/**
 * is_kho_boot - Did this kernel receive a hand-over?
 *
 * Context: Any context.
 * Return: true if the previous kernel handed over state and it was valid.
 */
bool is_kho_boot(void)
{
	return !!kho_in.fdt_phys;
}
EXPORT_SYMBOL_GPL(is_kho_boot);

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

/* The stamped head page of a block at @phys, or NULL. */
static struct page *kho_stamped_page(phys_addr_t phys, unsigned int *order)
{
	union kho_page_info info;
	struct page *page;

	if (!PAGE_ALIGNED(phys) || !pfn_valid(PHYS_PFN(phys)))
		return NULL;

	page = pfn_to_page(PHYS_PFN(phys));
	info.page_private = READ_ONCE(page->private);
	if (info.magic != KHO_PAGE_MAGIC || info.order >= KHO_ORDER_0_LOG2)
		return NULL;

	*order = info.order;
	return page;
}

/* With KEXEC_HANDOVER_DEBUG, complain loudly about a failed restore. */
static void kho_debug_warn(phys_addr_t phys, unsigned int order)
{
	WARN(IS_ENABLED(CONFIG_KEXEC_HANDOVER_DEBUG),
	     "KHO: cannot restore %pa (order %u)\n", &phys, order);
}

/* Make a block's pages usable again and count them as managed memory. */
static void kho_init_block(struct page *page, unsigned int order, bool folio)
{
	unsigned long i, nr = 1UL << order;

	page->private = 0;
	for (i = 0; i < nr; i++)
		set_page_count(page + i, folio && i ? 0 : 1);
	if (folio && order)
		prep_compound_page(page, order);
	adjust_managed_page_count(page, nr);
}

/**
 * kho_restore_folio - Take back a folio preserved by the previous kernel.
 * @phys: Physical address of the folio.
 *
 * Context: Process context.
 * Return: the folio with one reference, or %NULL if no folio of a valid
 * order was preserved at @phys or it was restored already.
 */
struct folio *kho_restore_folio(phys_addr_t phys)
{
	struct page *page;
	unsigned int order;

	page = kho_stamped_page(phys, &order);
	if (!page || order > MAX_PAGE_ORDER) {
		kho_debug_warn(phys, page ? order : 0);
		return NULL;
	}

	kho_init_block(page, order, true);
	return page_folio(page);
}
EXPORT_SYMBOL_GPL(kho_restore_folio);

/**
 * kho_restore_pages - Take back pages preserved by the previous kernel.
 * @phys: Physical address of the first page.
 * @nr_pages: Number of pages, as passed to kho_preserve_pages().
 *
 * The range must consist of exactly the blocks preserved; either all of
 * them are restored or none.
 *
 * Context: Process context.
 * Return: the first page of @nr_pages order-0 pages with one reference
 * each, or %NULL on failure.
 */
struct page *kho_restore_pages(phys_addr_t phys, unsigned long nr_pages)
{
	unsigned long start = PHYS_PFN(phys), end = start + nr_pages, pfn;
	unsigned int order;
	struct page *page;

	if (!nr_pages || !PAGE_ALIGNED(phys))
		return NULL;

	for (pfn = start; pfn < end; pfn += 1UL << order) {
		if (!kho_stamped_page(PFN_PHYS(pfn), &order)) {
			kho_debug_warn(PFN_PHYS(pfn), 0);
			return NULL;
		}
	}
	if (pfn != end) {
		kho_debug_warn(phys, order);
		return NULL;
	}

	for (pfn = start; pfn < end; pfn += 1UL << order) {
		page = kho_stamped_page(PFN_PHYS(pfn), &order);
		kho_init_block(page, order, false);
	}
	return pfn_to_page(start);
}
EXPORT_SYMBOL_GPL(kho_restore_pages);

/**
 * kho_restore_free - Restore and free kho_alloc_preserve() memory.
 * @mem: The memory, as mapped by the previous kernel; %NULL is ignored.
 *
 * Context: Process context.
 */
void kho_restore_free(void *mem)
{
	struct folio *folio;

	if (!mem)
		return;
	folio = kho_restore_folio(virt_to_phys(mem));
	if (!WARN_ON(!folio))
		folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_restore_free);

static int kho_fdt_err(int fdt_err)
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

/* Test hook: hand over a "kho-v2" root FDT, see kho_debug_emit_v2(). */
static bool kho_out_v2;

static int kho_fdt_set_blob(void *fdt, int off, void *blob, size_t size)
{
	u64 phys = virt_to_phys(blob), len = size;
	int err;

	err = fdt_setprop(fdt, off, KHO_FDT_SUB_TREE_PROP_NAME, &phys,
			  sizeof(phys));
	if (!err && !kho_out_v2)
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

#if IS_ENABLED(CONFIG_KEXEC_HANDOVER_DEBUG) || IS_ENABLED(CONFIG_TEST_KEXEC_HANDOVER)
/**
 * kho_debug_emit_v2 - Hand a "kho-v2" root FDT over instead of "kho-v3".
 *
 * Lets a test check that the next kernel still accepts the previous ABI:
 * the root FDT becomes compatible with %KHO_FDT_COMPATIBLE_V2 and no blob
 * carries its size any more, neither the blobs added so far nor the ones
 * added later. Only FDT blobs remain usable for the next kernel.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EOPNOTSUPP if KHO is off.
 */
int kho_debug_emit_v2(void)
{
	void *fdt = kho_out.fdt;
	int off, err;

	if (!kho_out_active())
		return -EOPNOTSUPP;

	mutex_lock(&kho_out.fdt_lock);
	/* same length as KHO_FDT_COMPATIBLE: the FDT cannot run out of space */
	err = fdt_setprop_string(fdt, 0, "compatible", KHO_FDT_COMPATIBLE_V2);
	fdt_for_each_subnode(off, fdt, 0) {
		if (err)
			break;
		err = fdt_delprop(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP_NAME);
		if (err == -FDT_ERR_NOTFOUND)
			err = 0;
	}
	if (!err)
		kho_out_v2 = true;
	mutex_unlock(&kho_out.fdt_lock);
	return err ? kho_fdt_err(err) : 0;
}
#endif

static bool kho_blob_in_ram(u64 phys, u64 size)
{
	return size && phys + size > phys && pfn_valid(PHYS_PFN(phys)) &&
	       pfn_valid(PHYS_PFN(phys + size - 1));
}

/* "kho-v2" has no blob size: only FDT blobs can tell theirs. */
static int kho_v2_blob_size(u64 phys, u64 *size)
{
	const void *blob;

	if (!kho_blob_in_ram(phys, sizeof(struct fdt_header)))
		return -EINVAL;
	blob = phys_to_virt(phys);
	if (fdt_check_header(blob))
		return -EINVAL;
	*size = fdt_totalsize(blob);
	return 0;
}

static int kho_in_blob(const void *fdt, int off, u64 *phys, u64 *size)
{
	bool sized;

	if (kho_blob_record(fdt, off, phys, size, &sized))
		return -EINVAL;
	if (!sized && kho_v2_blob_size(*phys, size))
		return -EINVAL;
	/* reserve_mem asks before kho_memory_init() checked the blobs */
	return kho_blob_in_ram(*phys, *size) ? 0 : -EINVAL;
}

/**
 * kho_retrieve_subtree - Find a blob the previous kernel handed over.
 * @name: Name of the blob.
 * @phys: Returns the physical address of the blob.
 * @size: Returns the size of the blob in bytes; may be %NULL.
 *
 * Context: Any context.
 * Return: 0 on success, -ENOENT if there is no such blob or no hand-over,
 * -EINVAL if the blob's record is malformed.
 */
int kho_retrieve_subtree(const char *name, phys_addr_t *phys, size_t *size)
{
	const void *fdt;
	u64 addr, len;
	int off, err;

	if (!is_kho_boot())
		return -ENOENT;

	fdt = phys_to_virt(kho_in.fdt_phys);
	off = fdt_subnode_offset(fdt, 0, name);
	if (off < 0)
		return -ENOENT;

	err = kho_in_blob(fdt, off, &addr, &len);
	if (err)
		return err;

	*phys = addr;
	if (size)
		*size = len;
	return 0;
}
EXPORT_SYMBOL_GPL(kho_retrieve_subtree);

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
		.buffer = (void *)(kho_scratch_out ?: kho_scratch),
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

static int __init kho_out_init(void)
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

	WRITE_ONCE(kho_out.fdt, folio_address(folio));
	return 0;

err_free_fdt:
	folio_put(folio);
err_destroy_tree:
	kho_radix_tree_destroy(&kho_out.tree);
	return err;
}

static void __init kho_in_debugfs_init(void)
{
	const void *fdt = phys_to_virt(kho_in.fdt_phys);
	u64 phys, size;
	int off;

	kho_debugfs_in_init(fdt);
	fdt_for_each_subnode(off, fdt, 0)
		if (!kho_in_blob(fdt, off, &phys, &size))
			kho_debugfs_blob_add(true, fdt_get_name(fdt, off, NULL),
					     phys_to_virt(phys), size);
}

static int __init kho_init(void)
{
	int err;

	if (kho_scratch_reserved)
		kho_scratch_init_cma();

	kho_debugfs_init();
	if (is_kho_boot())
		kho_in_debugfs_init();

	if (!kho_enable)
		return 0;

	err = kho_out_init();
	if (err) {
		pr_warn("disabled: cannot set up the hand-over (%d)\n", err);
		kho_enable = false;
		return 0;
	}
	kho_debugfs_out_init(kho_out.fdt, &kho_out.tree);
	return 0;
}
fs_initcall(kho_init);

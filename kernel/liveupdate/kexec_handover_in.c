// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO), the incoming side: take the hand-over the previous
 * kernel passed, check all of it, reserve what it preserved, and give it
 * back to its owners through the restore API and the blob lookup.
 *
 * Early boot: kho_populate() checks the root FDT and the scratch array and
 * limits memblock to scratch.  kho_memory_init() then checks the whole
 * hand-over (kexec_handover_check.c) and reserves every preserved block,
 * stamping its head page.  Later, kho_restore_folio() and friends check
 * and clear the stamp and turn the block into pages again.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho_radix_tree.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/page-isolation.h>
#include <linux/range.h>
#include <linux/sched/clock.h>
#include <linux/string.h>
#include <linux/timex.h>

#include <asm/early_ioremap.h>

/* prep_compound_page(), init_deferred_page() */
#include "../../mm/internal.h"

#include "kexec_handover_check.h"
#include "kexec_handover_internal.h"

/* Largest incoming root FDT we map; ours is one page. */
#define KHO_FDT_MAX_SIZE	SZ_64K

/**
 * struct kho_in - The hand-over this kernel received.
 * @fdt_phys: Physical address of the root FDT, 0 if there is none (or it
 *	was rejected).
 * @fdt_len: Size of the buffer the previous kernel passed the FDT in.
 * @scratch_phys: Physical address of the scratch array.
 * @checked: kho_in_memory_init() has checked the whole hand-over; until
 *	then nothing of it is served, only its scratch is used.
 */
struct kho_in {
	phys_addr_t fdt_phys;
	u64 fdt_len;
	phys_addr_t scratch_phys;
	bool checked;
};

static struct kho_in kho_in __ro_after_init;

/*
 * The cycle counter at points of a hand-over boot, for the blackout line:
 * when kho_populate() took the hand-over, a few milliseconds into boot,
 * and when the preserved memory was reserved.
 */
enum { KHO_AT_FOUND, KHO_AT_RESTORED, KHO_AT_NR };
static u64 kho_boot_cycles[KHO_AT_NR] __initdata;

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
	kho_boot_cycles[KHO_AT_FOUND] = get_cycles();
	kho_in.fdt_phys = fdt_phys;
	kho_in.fdt_len = fdt_len;
	kho_in.scratch_phys = scratch_phys;
	kho_scratch_cnt = scratch_len / sizeof(*kho_scratch);
	pr_info("found a hand-over with %u scratch regions\n",
		kho_scratch_cnt);
}

/**
 * DOC: Reserving preserved memory
 *
 * Every preserved block must be in memblock.reserved before
 * memblock_free_all() hands memory to the buddy allocator, flagged
 * %MEMBLOCK_RSRV_NOINIT so that the stamps survive.  One memblock_reserve()
 * per block, as upstream does it, scans and shifts the whole reserved array
 * each time: quadratic in the number of ranges, minutes for a GiB of
 * scattered pages.  Instead, the walk collects the runs of adjacent blocks
 * into an array, in ascending address order within each order (the order
 * in which the tree yields them), the per-order lists are merged into one
 * sorted list, and memblock_reserve_sorted() merges that into the reserved
 * array in one linear pass.  The cost is linear in blocks plus tree nodes
 * whatever the layout; the arrays are taken from scratch memory and freed
 * again.  Keeping preserved memory out of memblock altogether was the
 * alternative; it would have made every later user of memblock.reserved
 * (the memory map's reserved pages, debugfs, the scratch hold) aware of
 * the tree, for no measured gain: merging costs about as much per range as
 * stamping the block (make bench).
 *
 * kho_restore=per-block reserves one block per memblock_reserve() instead,
 * as upstream does, so that the two can be compared on identical input.
 */

/**
 * enum kho_restore_mode - How preserved blocks are reserved (kho_restore=).
 * @KHO_RESTORE_SORTED: Collect, sort and reserve all runs in one pass.
 * @KHO_RESTORE_PER_BLOCK: One memblock_reserve() per block, for comparison.
 */
enum kho_restore_mode {
	KHO_RESTORE_SORTED,
	KHO_RESTORE_PER_BLOCK,
};

static const char * const kho_restore_mode_names[] __initconst = {
	[KHO_RESTORE_SORTED] = "sorted",
	[KHO_RESTORE_PER_BLOCK] = "per-block",
};

static enum kho_restore_mode kho_restore_mode __initdata;

static int __init kho_parse_restore(char *p)
{
	int mode;

	if (!p)
		return -EINVAL;
	mode = match_string(kho_restore_mode_names,
			    ARRAY_SIZE(kho_restore_mode_names), p);
	if (mode < 0)
		return mode;
	kho_restore_mode = mode;
	return 0;
}
early_param("kho_restore", kho_parse_restore);

/* Orders a key can encode: at most this many sorted lists to merge. */
#define KHO_RESTORE_MAX_LISTS	KHO_ORDER_0_LOG2

/**
 * struct kho_restore_state - Progress of the walk over incoming blocks.
 * @mode: How the blocks are reserved.
 * @runs: Runs of adjacent blocks, in ascending address order within each
 *	of @nr_lists lists, one per order; %NULL in per-block mode.
 * @nr_runs: Entries of @runs used.
 * @max_runs: Entries of @runs allocated: the number of blocks.
 * @list_start: Index in @runs of the first run of each list.
 * @nr_lists: Number of lists.
 * @order: Order of the last block collected.
 * @reserved: Ranges reserved: one per memblock_reserve() call in per-block
 *	mode, the merged runs otherwise.
 * @deferred: Pages whose struct page the walk initialised because
 *	memmap_init() had deferred it.
 */
struct kho_restore_state {
	enum kho_restore_mode mode;
	struct range *runs;
	unsigned long nr_runs;
	unsigned long max_runs;
	unsigned long list_start[KHO_RESTORE_MAX_LISTS];
	unsigned int nr_lists;
	unsigned int order;
	unsigned long reserved;
	unsigned long deferred;
};

/**
 * struct kho_restore_report - What the boot-time restore did, for its log
 *	line.
 * @blocks: Preserved blocks reserved.
 * @pages: Pages in them.
 * @ranges: Ranges of adjacent blocks reserved (blocks, per block).
 * @regions: Regions in memblock.reserved afterwards.
 * @nodes: Pages of the incoming tree.
 * @leaves: How many of them are leaves.
 * @min_leaves: The fewest leaves that could hold the blocks.
 * @deferred: Struct pages initialised early for them.
 * @mode: How they were reserved.
 * @ns: Time taken by the check and by the reservation, by local_clock(),
 *	0 if it did not run yet.
 * @cycles: The same by get_cycles(), 0 if the architecture has none.
 */
struct kho_restore_report {
	unsigned long blocks;
	u64 pages;
	unsigned long ranges;
	unsigned long regions;
	unsigned long nodes;
	unsigned long leaves;
	unsigned long min_leaves;
	unsigned long deferred;
	enum kho_restore_mode mode;
	u64 ns[2];
	u64 cycles[2];
};

/* Index of @kho_restore_report.ns and .cycles. */
enum { KHO_TIME_CHECK, KHO_TIME_RESERVE };

static struct kho_restore_report kho_report __initdata;

static void __init kho_stamp(phys_addr_t phys, unsigned int order)
{
	union kho_page_info info = {
		.order = order,
		.magic = KHO_PAGE_MAGIC,
	};

	pfn_to_page(PHYS_PFN(phys))->private = info.page_private;
}

/*
 * With DEFERRED_STRUCT_PAGE_INIT, memmap_init() leaves most struct pages to
 * threads that run after memblock_free_all() and initialise free memory
 * only, so nothing would ever initialise those of a preserved block: they
 * would keep whatever the memory map held, zone and node included.  They
 * must be right before anything reads them (the stamp below, zone
 * contiguity checks, page_ext, the restore), so initialise the deferred
 * ones now, once, and give their pageblocks the movable type memmap_init()
 * gives everything it initialises.
 */
static unsigned long __init kho_init_deferred_block(unsigned long pfn,
						    unsigned int order)
{
	unsigned long end = pfn + (1UL << order), done = 0;
	int nid;

	if (!IS_ENABLED(CONFIG_DEFERRED_STRUCT_PAGE_INIT))
		return 0;

	/* blocks never cross a node */
	nid = early_pfn_to_nid(pfn);
	for (; pfn < end; pfn++) {
		if (!init_deferred_page(pfn, nid))
			continue;
		done++;
		if (pageblock_aligned(pfn))
			set_pageblock_migratetype(pfn_to_page(pfn),
						  MIGRATE_MOVABLE);
	}
	return done;
}

/* upstream's way: one reservation per block, to compare against */
static int __init kho_reserve_one(struct kho_restore_state *st,
				  phys_addr_t phys, phys_addr_t size)
{
	int err;

	st->reserved++;
	err = memblock_reserve(phys, size);
	if (err)
		return err;
	/* memblock_free_all() must leave the stamps alone */
	return memblock_reserved_mark_noinit(phys, size);
}

/* Add the block to its order's list, joined to the last run if adjacent. */
static int __init kho_collect_run(struct kho_restore_state *st,
				  phys_addr_t phys, phys_addr_t size,
				  unsigned int order)
{
	struct range *last = st->nr_runs ? &st->runs[st->nr_runs - 1] : NULL;

	if (last && last->end + 1 == phys) {
		last->end += size;
		return 0;
	}
	if (WARN_ON_ONCE(st->nr_runs == st->max_runs))
		return -ENOSPC;
	if (!st->nr_lists || order != st->order) {
		if (WARN_ON_ONCE(st->nr_lists == KHO_RESTORE_MAX_LISTS))
			return -ENOSPC;
		st->list_start[st->nr_lists++] = st->nr_runs;
		st->order = order;
	}
	st->runs[st->nr_runs++] = (struct range) {
		.start = phys,
		.end = phys + size - 1,
	};
	return 0;
}

static int __init kho_reserve_block(phys_addr_t phys, unsigned int order,
				    void *arg)
{
	struct kho_restore_state *st = arg;
	phys_addr_t size = (phys_addr_t)PAGE_SIZE << order;

	st->deferred += kho_init_deferred_block(PHYS_PFN(phys), order);
	kho_stamp(phys, order);

	if (st->mode == KHO_RESTORE_PER_BLOCK)
		return kho_reserve_one(st, phys, size);
	return kho_collect_run(st, phys, size, order);
}

/* End of list @i of @st->runs. */
static unsigned long __init kho_list_end(const struct kho_restore_state *st,
					 unsigned int i)
{
	return i + 1 < st->nr_lists ? st->list_start[i + 1] : st->nr_runs;
}

/*
 * Merge the sorted lists of @st->runs into @out, joining adjacent runs of
 * different orders; return the number of runs in @out.  Each step picks
 * the lowest head among at most %KHO_RESTORE_MAX_LISTS lists: linear in
 * the number of runs.
 */
static unsigned long __init kho_merge_lists(struct kho_restore_state *st,
					    struct range *out)
{
	unsigned long head[KHO_RESTORE_MAX_LISTS], n = 0;
	const struct range *r;
	unsigned int i, best;

	for (i = 0; i < st->nr_lists; i++)
		head[i] = st->list_start[i];

	for (;;) {
		best = st->nr_lists;
		for (i = 0; i < st->nr_lists; i++)
			if (head[i] < kho_list_end(st, i) &&
			    (best == st->nr_lists ||
			     st->runs[head[i]].start < st->runs[head[best]].start))
				best = i;
		if (best == st->nr_lists)
			return n;

		r = &st->runs[head[best]++];
		if (n && out[n - 1].end + 1 == r->start)
			out[n - 1].end = r->end;
		else
			out[n++] = *r;
	}
}

/*
 * Without memory for the one-pass merge, reserve run by run: slow on
 * scattered memory, but the hand-over is kept.
 */
static int __init kho_reserve_runs_one_by_one(struct kho_restore_state *st)
{
	unsigned long i;
	int err;

	pr_info("no memory to merge %lu ranges at once, reserving them one by one\n",
		st->nr_runs);
	st->reserved = 0;
	for (i = 0; i < st->nr_runs; i++) {
		err = kho_reserve_one(st, st->runs[i].start,
				      range_len(&st->runs[i]));
		if (err)
			return err;
	}
	return 0;
}

/* Reserve the collected runs, sorted, with one pass over memblock. */
static int __init kho_reserve_runs(struct kho_restore_state *st)
{
	size_t size = array_size(st->nr_runs, sizeof(struct range));
	struct range *sorted = st->runs;
	unsigned long nr = st->nr_runs;
	int err;

	/* one order, or none: the walk's order is the address order */
	if (st->nr_lists > 1) {
		sorted = memblock_alloc_raw(size, SMP_CACHE_BYTES);
		if (!sorted)
			return kho_reserve_runs_one_by_one(st);
		nr = kho_merge_lists(st, sorted);
	}
	err = memblock_reserve_sorted(sorted, nr, MEMBLOCK_RSRV_NOINIT);
	if (sorted != st->runs)
		memblock_free(sorted, size);
	/* nothing changed: no memory for the new reserved array */
	if (err == -ENOMEM)
		return kho_reserve_runs_one_by_one(st);
	st->reserved = nr;
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
static int __init kho_reserve_preserved(const struct kho_check *check,
					struct kho_restore_state *st)
{
	size_t size = array_size(check->blocks, sizeof(struct range));
	int err;

	if (st->mode == KHO_RESTORE_SORTED && check->blocks) {
		/* scratch memory, which no block can be in */
		st->runs = memblock_alloc_raw(size, SMP_CACHE_BYTES);
		st->max_runs = check->blocks;
		if (!st->runs) {
			pr_info("no memory to sort %lu blocks, reserving them one by one\n",
				check->blocks);
			st->mode = KHO_RESTORE_PER_BLOCK;
		}
	}

	err = __kho_radix_walk_tree(check->root, NULL, kho_reserve_block, st);
	if (!err && st->runs)
		err = kho_reserve_runs(st);
	if (st->runs)
		memblock_free(st->runs, size);
	if (err)
		__kho_radix_walk_tree(check->root, NULL, kho_unstamp_block, NULL);
	return err;
}

static void __init kho_print_restore(const u64 us[2])
{
	struct kho_restore_report *r = &kho_report;
	char deferred[64] = "";

	if (r->deferred)
		snprintf(deferred, sizeof(deferred),
			 ", %lu deferred struct pages initialised",
			 r->deferred);
	pr_info("restored %lu blocks (%llu pages) in %lu ranges, %llu us: check %llu us, reserve %llu us, %lu reserved regions (%s), tree of %lu pages (%lu leaves, at least %lu)%s\n",
		r->blocks, r->pages, r->ranges,
		us[KHO_TIME_CHECK] + us[KHO_TIME_RESERVE],
		us[KHO_TIME_CHECK], us[KHO_TIME_RESERVE], r->regions,
		kho_restore_mode_names[r->mode], r->nodes, r->leaves,
		r->min_leaves, deferred);
}

/* A reference point of the cycle counter and timekeeping, taken early. */
static u64 kho_ref_cycles __initdata;
static u64 kho_ref_ns __initdata;

static int __init kho_in_clock_ref(void)
{
	kho_ref_cycles = get_cycles();
	kho_ref_ns = ktime_get_ns();
	return 0;
}
early_initcall(kho_in_clock_ref);

/*
 * On some machines no clock runs yet when the preserved memory is reserved
 * (x86 before its TSC is calibrated falls back to jiffies, which do not
 * tick yet; arm64 before time_init()): local_clock() says 0.  The cycle
 * counter runs, though.  Convert its counts once timekeeping runs, by the
 * rate of both since the early_initcall reference, at least 10 ms: long
 * enough for a clocksource as coarse as jiffies, which a millisecond is
 * not.  By the late initcalls that takes no wait.
 */
static u64 __init kho_cycles_to_ns(u64 cycles)
{
	u64 c1 = 0, t1 = 0;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		c1 = get_cycles();
		t1 = ktime_get_ns();
		if (t1 - kho_ref_ns >= 10 * NSEC_PER_MSEC)
			break;
		usleep_range(100, 200);
	}
	if (c1 <= kho_ref_cycles || t1 <= kho_ref_ns)
		return 0;
	return mul_u64_u64_div_u64(cycles, t1 - kho_ref_ns,
				   c1 - kho_ref_cycles);
}

/* Log the boot-time restore if it could not be timed then. */
static void __init kho_report_late(void)
{
	struct kho_restore_report *r = &kho_report;
	u64 us[2];
	int i;

	if (r->ns[KHO_TIME_CHECK])
		return;
	if (!r->cycles[KHO_TIME_CHECK]) {
		pr_info("restored %lu blocks (%llu pages) in %lu ranges, time unknown: no clock ran yet\n",
			r->blocks, r->pages, r->ranges);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(us); i++)
		us[i] = div_u64(kho_cycles_to_ns(r->cycles[i]), NSEC_PER_USEC);
	kho_print_restore(us);
}

/*
 * The part of the blackout KHO can see: from taking the hand-over to the
 * last initcalls, just before user space, and the restore's share of it.
 */
static void __init kho_report_blackout(void)
{
	struct kho_restore_report *r = &kho_report;
	u64 now = get_cycles(), restored, total, spent, share;

	if (!kho_boot_cycles[KHO_AT_FOUND] || !now)
		return;
	restored = kho_cycles_to_ns(kho_boot_cycles[KHO_AT_RESTORED] -
				    kho_boot_cycles[KHO_AT_FOUND]);
	total = kho_cycles_to_ns(now - kho_boot_cycles[KHO_AT_FOUND]);
	spent = kho_cycles_to_ns(r->cycles[KHO_TIME_CHECK] +
				 r->cycles[KHO_TIME_RESERVE]);
	if (!total)
		return;
	share = div64_u64(spent * 10000, total);
	pr_info("boot: restored %llu us and last initcalls %llu us after the hand-over was found; the restore took %llu us, %llu.%02llu%%\n",
		div_u64(restored, NSEC_PER_USEC), div_u64(total, NSEC_PER_USEC),
		div_u64(spent, NSEC_PER_USEC), share / 100, share % 100);
}

static int __init kho_in_report(void)
{
	if (!is_kho_boot())
		return 0;
	kho_report_late();
	kho_report_blackout();
	return 0;
}
late_initcall(kho_in_report);

/* Time since @t, by local_clock() and by get_cycles(); restart @t. */
static void __init kho_lap(u64 t[2], u64 *ns, u64 *cycles)
{
	u64 now = local_clock(), now_cycles = get_cycles();

	*ns = t[0] ? now - t[0] : 0;
	*cycles = now_cycles - t[1];
	t[0] = now;
	t[1] = now_cycles;
}

static void __init kho_restore_preserved(void)
{
	/* with its list heads, too big for a stack frame of early boot */
	static struct kho_restore_state st __initdata;
	struct kho_restore_report *r = &kho_report;
	u64 t[2] = { local_clock(), get_cycles() };
	struct kho_check check;
	const char *why;
	u64 us[2];
	int err;

	why = kho_check_incoming(&check);
	kho_lap(t, &r->ns[KHO_TIME_CHECK], &r->cycles[KHO_TIME_CHECK]);
	if (why) {
		pr_warn("ignoring the hand-over: %s (at %#llx)\n", why,
			check.bad_addr);
		kho_in.fdt_phys = 0;
		return;
	}

	st.mode = kho_restore_mode;
	err = kho_reserve_preserved(&check, &st);
	kho_lap(t, &r->ns[KHO_TIME_RESERVE], &r->cycles[KHO_TIME_RESERVE]);
	if (err) {
		pr_warn("ignoring the hand-over: cannot reserve preserved memory (%d)\n",
			err);
		kho_in.fdt_phys = 0;
		return;
	}

	r->blocks = check.blocks;
	r->pages = check.pages;
	r->ranges = st.reserved;
	r->regions = memblock.reserved.cnt;
	r->nodes = check.nodes;
	r->leaves = check.leaves;
	r->min_leaves = check.min_leaves;
	r->deferred = st.deferred;
	r->mode = st.mode;
	kho_boot_cycles[KHO_AT_RESTORED] = get_cycles();
	/* without a running clock, kho_in_report() logs it later */
	if (!r->ns[KHO_TIME_CHECK])
		return;
	us[KHO_TIME_CHECK] = div_u64(r->ns[KHO_TIME_CHECK], NSEC_PER_USEC);
	us[KHO_TIME_RESERVE] = div_u64(r->ns[KHO_TIME_RESERVE], NSEC_PER_USEC);
	kho_print_restore(us);
}

/**
 * kho_in_memory_init - Reserve the memory the previous kernel preserved.
 *
 * Take the scratch regions of the hand-over as this kernel's own, check
 * the whole hand-over and reserve and stamp every preserved block.  If the
 * hand-over is refused, this kernel boots as if it had none.
 *
 * Context: Early boot, from kho_memory_init().
 */
void __init kho_in_memory_init(void)
{
	kho_scratch = phys_to_virt(kho_in.scratch_phys);
	kho_restore_preserved();
	kho_in.checked = true;
}

/**
 * kho_handover_pending - Is a hand-over being taken but not checked yet?
 *
 * From kho_populate() accepting the hand-over's FDT and scratch array until
 * kho_memory_init() has checked the rest, this kernel allocates only from
 * scratch and must not use anything else of the hand-over: early users
 * that would (the reserve_mem revival) wait, architecture code keeps its
 * early allocations in scratch.
 *
 * Context: Early boot.
 * Return: true while the hand-over is pending.
 */
bool __init kho_handover_pending(void)
{
	return kho_in.fdt_phys && !kho_in.checked;
}

/**
 * is_kho_boot - Did this kernel receive a hand-over?
 *
 * False until kho_memory_init() has checked the whole hand-over, and for
 * good if it refused it.
 *
 * Context: Any context.
 * Return: true if the previous kernel handed over state and it was valid.
 */
bool is_kho_boot(void)
{
	return kho_in.checked && kho_in.fdt_phys;
}
EXPORT_SYMBOL_GPL(is_kho_boot);

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

static bool kho_blob_in_ram(u64 phys, u64 size)
{
	return size && phys + size > phys && pfn_valid(PHYS_PFN(phys)) &&
	       pfn_valid(PHYS_PFN(phys + size - 1));
}

static int kho_in_blob(const void *fdt, int off, u64 *phys, u64 *size)
{
	bool sized;

	if (kho_blob_record(fdt, off, phys, size, &sized))
		return -EINVAL;
	if (!sized) {
		if (!kho_blob_in_ram(*phys, sizeof(struct fdt_header)))
			return -EINVAL;
		*size = kho_v2_blob_size(phys_to_virt(*phys));
	}
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
 * kho_in_debugfs_init - Show the incoming root FDT and blobs in debugfs.
 *
 * Context: Process context, from kho_init(), on a hand-over boot only.
 */
void __init kho_in_debugfs_init(void)
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

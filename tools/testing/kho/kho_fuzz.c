// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: kho_check_handover() on a simulated machine.
 *
 * The input (kho_input.h) gives the RAM, the scratch regions, the kernel
 * image and the bytes of memory holding the root FDT, the preserved memory
 * tree and the blobs.  Memory that is not RAM is poisoned, so a check that
 * reads it is an AddressSanitizer report.
 *
 * A naive reference decides on its own whether the hand-over is usable:
 * it walks the tree with plain loops, marks every page of every block in a
 * byte per page and looks every blob up there.  kho_check_handover() must
 * come to the same verdict and the same counts, or the target aborts.  An
 * accepted hand-over is then consumed as the kernel would: every block is
 * reserved once, and with everything but the preserved pages poisoned the
 * root FDT and every blob are read in full.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitmap.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho_radix_tree.h>
#include <linux/libfdt.h>
#include <linux/mmzone.h>
#include <linux/pfn.h>

#include "kexec_handover_check.h"
#include "kho_input.h"
#include "kho_sim.h"

#define KHO_FUZZ_MAX_BLOBS	64

struct kho_fuzz_blob {
	u64 phys;
	u64 size;
};

/**
 * struct kho_fuzz - The machine of the current input and what the
 *	reference found in it.
 * @m: The machine.
 * @nid: NUMA node of each page, -1 if the page is not RAM.
 * @used: Pages in use before the checks.
 * @max_pfn: One more than the last page of RAM.
 * @dirty: Pages the input wrote.
 * @node_seen: Pages the reference met as tree nodes.
 * @preserved: Pages the reference found preserved.
 * @reserved: Pages the consumer reserved.
 * @root: Physical address of the root of the tree.
 * @nodes: Tree nodes found by the reference, the root included.
 * @blocks: Preserved blocks found by the reference.
 * @pages: Pages in them.
 * @orders: Mask of the orders of the blocks.
 * @nr_blobs: Usable blobs found by the reference.
 * @blobs: The first %KHO_FUZZ_MAX_BLOBS of them.
 */
struct kho_fuzz {
	struct kho_in_machine m;
	int nid[KHO_IN_PAGES];
	u8 used[KHO_IN_PAGES];
	unsigned long max_pfn;
	u8 dirty[KHO_IN_PAGES];
	u8 node_seen[KHO_IN_PAGES];
	u8 preserved[KHO_IN_PAGES];
	u8 reserved[KHO_IN_PAGES];
	u64 root;
	unsigned long nodes;
	unsigned long blocks;
	u64 pages;
	unsigned long orders;
	unsigned int nr_blobs;
	struct kho_fuzz_blob blobs[KHO_FUZZ_MAX_BLOBS];
};

static struct kho_fuzz f;
static bool kho_fuzz_verbose;
static unsigned int kho_fuzz_sum;

/* RAM as memblock_is_region_memory() sees it: one run of one node. */
static bool kho_fuzz_ram(u64 phys, u64 size)
{
	u64 first = PHYS_PFN(phys), last, pfn;

	if (!size || phys + size < phys)
		return false;
	last = PHYS_PFN(phys + size - 1);
	if (last >= KHO_IN_PAGES || f.nid[first] < 0)
		return false;
	for (pfn = first + 1; pfn <= last; pfn++)
		if (f.nid[pfn] != f.nid[first])
			return false;
	return true;
}

/* The is_ram callback of the checks; they never ask about nothing. */
static bool kho_fuzz_is_ram(phys_addr_t phys, u64 size)
{
	if (!size)
		kho_sim_bug("is_ram() of an empty range at %#llx\n",
			    (unsigned long long)phys);
	return kho_fuzz_ram(phys, size);
}

/* Does the non-empty, non-wrapping range meet memory in use? */
static bool kho_fuzz_used(u64 phys, u64 size)
{
	u64 pfn;

	for (pfn = PHYS_PFN(phys); pfn <= PHYS_PFN(phys + size - 1); pfn++)
		if (pfn < KHO_IN_PAGES && f.used[pfn])
			return true;
	return false;
}

/* The in_use callback of the checks, only for what they found in RAM. */
static bool kho_fuzz_in_use(phys_addr_t phys, u64 size)
{
	if (!kho_fuzz_ram(phys, size))
		kho_sim_bug("in_use() of %#llx+%#llx, not RAM\n",
			    (unsigned long long)phys, (unsigned long long)size);
	return kho_fuzz_used(phys, size);
}

/* Does the non-empty, non-wrapping range meet [start, end)? */
static bool kho_fuzz_meets(u64 phys, u64 size, u64 start, u64 end)
{
	return start < end && phys < end && start < phys + size;
}

static bool kho_fuzz_in_scratch(u64 phys, u64 size)
{
	unsigned int i;

	for (i = 0; i < f.m.nr_scratch; i++)
		if (kho_fuzz_meets(phys, size, f.m.scratch[i].addr,
				   f.m.scratch[i].addr + f.m.scratch[i].size))
			return true;
	return false;
}

static bool kho_fuzz_in_image(u64 phys, u64 size)
{
	return kho_fuzz_meets(phys, size, f.m.image_start, f.m.image_end);
}

/* Is every page of the range preserved? */
static bool kho_fuzz_preserved(u64 phys, u64 size)
{
	u64 pfn, last;

	if (!size || phys + size < phys)
		return false;
	last = PHYS_PFN(phys + size - 1);
	if (last >= KHO_IN_PAGES)
		return false;
	for (pfn = PHYS_PFN(phys); pfn <= last; pfn++)
		if (!f.preserved[pfn])
			return false;
	return true;
}

static const char *kho_fuzz_ref_scratch(void)
{
	const struct kho_scratch *s = f.m.scratch;
	unsigned int i, j;

	for (i = 0; i < f.m.nr_scratch; i++) {
		if (!s[i].size || s[i].addr % PAGE_SIZE ||
		    s[i].size % PAGE_SIZE || !kho_fuzz_ram(s[i].addr, s[i].size))
			return "bad scratch region";
		for (j = 0; j < i; j++)
			if (kho_fuzz_meets(s[i].addr, s[i].size, s[j].addr,
					   s[j].addr + s[j].size))
				return "scratch regions overlap";
	}
	return NULL;
}

static const char *kho_fuzz_ref_node(u64 phys)
{
	u64 pfn = PHYS_PFN(phys);

	if (phys % PAGE_SIZE || !kho_fuzz_ram(phys, PAGE_SIZE))
		return "bad node address";
	if (kho_fuzz_in_scratch(phys, PAGE_SIZE) ||
	    kho_fuzz_in_image(phys, PAGE_SIZE) || kho_fuzz_used(phys, PAGE_SIZE))
		return "node in scratch, the image or memory in use";
	if (f.node_seen[pfn])
		return "node seen twice";
	f.node_seen[pfn] = 1;
	f.nodes++;
	return NULL;
}

static const char *kho_fuzz_ref_block(u64 key)
{
	unsigned int top, order;
	u64 phys, size, pfn;

	if (key <= 1)
		return "bad key";
	top = 63 - __builtin_clzll(key);
	if (top > KHO_ORDER_0_LOG2)
		return "bad key";
	/* any order a key encodes: upstream preserves ranges in big blocks */
	order = KHO_ORDER_0_LOG2 - top;
	phys = (key ^ BIT_ULL(top)) << (PAGE_SHIFT + order);
	size = (u64)PAGE_SIZE << order;
	if (!kho_fuzz_ram(phys, size))
		return "block outside RAM";
	if (kho_fuzz_in_scratch(phys, size) || kho_fuzz_in_image(phys, size) ||
	    kho_fuzz_used(phys, size))
		return "block in scratch, the image or memory in use";
	for (pfn = PHYS_PFN(phys); pfn < PHYS_PFN(phys + size); pfn++) {
		if (f.preserved[pfn])
			return "blocks overlap";
		f.preserved[pfn] = 1;
	}
	f.blocks++;
	f.pages += BIT_ULL(order);
	f.orders |= BIT(order);
	return NULL;
}

static const char *kho_fuzz_ref_leaf(u64 phys, u64 prefix)
{
	const u8 *leaf = phys_to_virt(phys);
	const char *why;
	unsigned int i, bit;

	for (i = 0; i < PAGE_SIZE; i++) {
		if (!leaf[i])
			continue;
		for (bit = 0; bit < 8; bit++) {
			if (!(leaf[i] & BIT(bit)))
				continue;
			why = kho_fuzz_ref_block(prefix | (i * 8 + bit));
			if (why)
				return why;
		}
	}
	return NULL;
}

/* Table levels count down to 1, whose children are leaves. */
static const char *kho_fuzz_ref_table(u64 phys, unsigned int level,
				      u64 prefix)
{
	const u64 *table = phys_to_virt(phys);
	unsigned int slot, shift = 15 + 9 * (level - 1);
	const char *why;
	u64 child;

	for (slot = 0; slot < 512; slot++) {
		child = table[slot];
		if (!child)
			continue;
		why = kho_fuzz_ref_node(child);
		if (why)
			return why;
		if (level == 1)
			why = kho_fuzz_ref_leaf(child, prefix |
						(u64)slot << shift);
		else
			why = kho_fuzz_ref_table(child, level - 1, prefix |
						 (u64)slot << shift);
		if (why)
			return why;
	}
	return NULL;
}

static const char *kho_fuzz_ref_blob(const void *fdt, int off)
{
	const void *prop;
	u64 phys, size;
	int len;

	prop = fdt_getprop(fdt, off, "preserved-data", &len);
	if (!prop || len != 8)
		return "bad blob address";
	memcpy(&phys, prop, 8);
	prop = fdt_getprop(fdt, off, "blob-size", &len);
	if (!prop) {
		/* kho-v2: an FDT says its size, anything else is ignored */
		if (!kho_fuzz_preserved(phys, sizeof(struct fdt_header)))
			return "blob header not preserved";
		if (fdt_check_header(phys_to_virt(phys)))
			return NULL;
		size = fdt_totalsize(phys_to_virt(phys));
	} else {
		if (len != 8)
			return "bad blob size";
		memcpy(&size, prop, 8);
	}
	if (!kho_fuzz_preserved(phys, size))
		return "blob not preserved";
	if (f.nr_blobs < KHO_FUZZ_MAX_BLOBS)
		f.blobs[f.nr_blobs] = (struct kho_fuzz_blob){ phys, size };
	f.nr_blobs++;
	return NULL;
}

/* The reference: NULL if the hand-over may be used. */
static const char *kho_fuzz_reference(void)
{
	const void *fdt, *prop;
	const char *why;
	int off, len;

	why = kho_fuzz_ref_scratch();
	if (why)
		return why;
	if (!kho_fuzz_ram(f.m.fdt_phys, f.m.fdt_len) ||
	    f.m.fdt_len < sizeof(struct fdt_header))
		return "bad FDT location";
	fdt = phys_to_virt(f.m.fdt_phys);
	if (fdt_check_header(fdt) || fdt_totalsize(fdt) > f.m.fdt_len)
		return "bad FDT header";
	if (fdt_node_check_compatible(fdt, 0, "kho-v3") &&
	    fdt_node_check_compatible(fdt, 0, "kho-v2"))
		return "bad FDT compatible";
	prop = fdt_getprop(fdt, 0, "preserved-memory-map", &len);
	if (!prop || len != 8)
		return "bad memory map";
	memcpy(&f.root, prop, 8);
	if (!f.root)
		return "memory map at address 0";
	why = kho_fuzz_ref_node(f.root);
	if (why)
		return why;
	why = kho_fuzz_ref_table(f.root, KHO_TREE_MAX_DEPTH - 1, 0);
	if (why)
		return why;
	if (!kho_fuzz_preserved(f.m.fdt_phys, fdt_totalsize(fdt)))
		return "FDT not preserved";
	fdt_for_each_subnode(off, fdt, 0) {
		why = kho_fuzz_ref_blob(fdt, off);
		if (why)
			return why;
	}
	return off == -FDT_ERR_NOTFOUND ? NULL : "bad FDT structure";
}

static int kho_fuzz_reserve(phys_addr_t phys, unsigned int order, void *arg)
{
	u64 pfn;

	for (pfn = PHYS_PFN(phys); pfn < PHYS_PFN(phys) + BIT(order); pfn++) {
		if (pfn >= KHO_IN_PAGES || f.reserved[pfn])
			kho_sim_bug("page %#llx reserved twice or not RAM\n",
				    (unsigned long long)pfn);
		f.reserved[pfn] = 1;
	}
	return 0;
}

/* Read every byte, as a user of the memory would. */
static void kho_fuzz_read(u64 phys, u64 size)
{
	const u8 *p = phys_to_virt(phys);

	while (size--)
		kho_fuzz_sum += *p++;
}

/* Use an accepted hand-over as the next kernel would. */
static void kho_fuzz_consume(const struct kho_check *c)
{
	const void *fdt = phys_to_virt(f.m.fdt_phys);
	unsigned long pfn, end;
	unsigned int i;

	if (__kho_radix_walk_tree(c->root, NULL, kho_fuzz_reserve, NULL))
		kho_sim_bug("the walk of an accepted tree failed\n");
	if (memcmp(f.reserved, f.preserved, sizeof(f.reserved)))
		kho_sim_bug("reserved pages differ from the reference\n");

	/* from now on only preserved memory may be read */
	for (pfn = 0; pfn < f.max_pfn; pfn = end) {
		for (end = pfn + 1; end < f.max_pfn; end++)
			if (f.preserved[end] != f.preserved[pfn])
				break;
		if (!f.preserved[pfn])
			kho_sim_poison(PFN_PHYS(pfn), PFN_PHYS(end - pfn));
	}
	kho_fuzz_read(f.m.fdt_phys, fdt_totalsize(fdt));
	for (i = 0; i < f.nr_blobs && i < KHO_FUZZ_MAX_BLOBS; i++)
		kho_fuzz_read(f.blobs[i].phys, f.blobs[i].size);
}

static void kho_fuzz_disagree(const char *why, const char *ref,
			      const struct kho_check *c)
{
	fprintf(stderr, "kho_fuzz: kho_check_handover(): %s (at %#llx)\n",
		why ?: "accepted", (unsigned long long)c->bad_addr);
	fprintf(stderr, "kho_fuzz: reference: %s\n", ref ?: "accepted");
	fprintf(stderr,
		"kho_fuzz: nodes %lu/%lu blocks %lu/%lu pages %llu/%llu orders %#lx/%#lx blobs %u/%u\n",
		c->nodes, f.nodes, c->blocks, f.blocks,
		(unsigned long long)c->pages, (unsigned long long)f.pages,
		c->orders, f.orders, c->blobs, f.nr_blobs);
	abort();
}

static bool kho_fuzz_pfn_ram(unsigned long pfn)
{
	return f.nid[pfn] >= 0;
}

/* Decode the RAM of the machine; false if it has none. */
static bool kho_fuzz_setup_ram(void)
{
	unsigned long pfn, end;
	unsigned int i;

	memset(f.used, 0, sizeof(f.used));
	for (pfn = 0; pfn < KHO_IN_PAGES; pfn++)
		f.nid[pfn] = -1;
	for (i = 0; i < f.m.nr_ram; i++) {
		end = min_t(unsigned long, KHO_IN_PAGES,
			    (unsigned long)f.m.ram[i].start_pfn +
			    f.m.ram[i].nr_pages);
		for (pfn = f.m.ram[i].start_pfn; pfn < end; pfn++)
			f.nid[pfn] = f.m.ram[i].nid;
	}
	for (i = 0; i < f.m.nr_used; i++) {
		end = min_t(unsigned long, KHO_IN_PAGES,
			    (unsigned long)f.m.used[i].start_pfn +
			    f.m.used[i].nr_pages);
		for (pfn = f.m.used[i].start_pfn; pfn < end; pfn++)
			f.used[pfn] = 1;
	}
	/* only RAM is readable: unpoison it a run at a time */
	f.max_pfn = 0;
	for (pfn = 0; pfn < KHO_IN_PAGES; pfn = end) {
		for (end = pfn + 1; end < KHO_IN_PAGES; end++)
			if (kho_fuzz_pfn_ram(end) != kho_fuzz_pfn_ram(pfn))
				break;
		if (!kho_fuzz_pfn_ram(pfn))
			continue;
		f.max_pfn = end;
		kho_sim_unpoison(PFN_PHYS(pfn), PFN_PHYS(end - pfn));
	}
	return f.max_pfn;
}

/* Write the bytes of a record that land in RAM. */
static void kho_fuzz_write(const struct kho_in_record *r)
{
	u64 phys = r->phys, pfn;
	unsigned int done = 0, n;

	while (done < r->len) {
		pfn = PHYS_PFN(phys);
		if (pfn >= KHO_IN_PAGES)
			return;
		n = min_t(u64, r->len - done, PAGE_SIZE - phys % PAGE_SIZE);
		if (f.nid[pfn] >= 0) {
			memcpy(phys_to_virt(phys), r->data + done, n);
			f.dirty[pfn] = 1;
		}
		done += n;
		phys += n;
	}
}

/* Zero what the input wrote and make all memory unreadable again. */
static void kho_fuzz_reset(void)
{
	unsigned long pfn;

	for (pfn = 0; pfn < KHO_IN_PAGES; pfn++) {
		if (!f.dirty[pfn])
			continue;
		kho_sim_unpoison(PFN_PHYS(pfn), PAGE_SIZE);
		memset(phys_to_virt(PFN_PHYS(pfn)), 0, PAGE_SIZE);
	}
	/* nothing above the last page of RAM was unpoisoned */
	kho_sim_poison(0, PFN_PHYS(f.max_pfn));
}

/* libFuzzer's LLVMFuzzerInitialize(), see the Makefile */
int kho_fuzz_init(int *argc, char ***argv)
{
	if (kho_sim_init(KHO_IN_PAGES))
		kho_sim_bug("no memory for the simulation\n");
	kho_sim_poison(0, kho_sim_size());
	kho_fuzz_verbose = getenv("KHO_FUZZ_VERBOSE");
	return 0;
}

/* libFuzzer's LLVMFuzzerTestOneInput() */
int kho_fuzz_one_input(const u8 *data, size_t size)
{
	const u8 *pos = data + KHO_IN_HDR_SIZE, *end = data + size;
	struct kho_in_record r;
	struct kho_check c;
	const char *why, *ref;

	if (kho_in_get_header(data, size, &f.m))
		return -1;
	memset(&f.dirty, 0, sizeof(f) - offsetof(struct kho_fuzz, dirty));
	/* a kernel image is never empty */
	if (f.m.image_start >= f.m.image_end) {
		f.m.image_start = 0;
		f.m.image_end = 0;
	}
	if (!kho_fuzz_setup_ram()) {
		kho_fuzz_reset();
		return -1;
	}
	while (kho_in_get_record(&pos, end, &r))
		kho_fuzz_write(&r);

	c = (struct kho_check) {
		.is_ram = kho_fuzz_is_ram,
		.in_use = f.m.nr_used ? kho_fuzz_in_use : NULL,
		.scratch = f.m.scratch,
		.nr_scratch = f.m.nr_scratch,
		.image_start = f.m.image_start,
		.image_end = f.m.image_end,
		.max_pfn = f.max_pfn,
		.visited = bitmap_zalloc(f.max_pfn),
	};
	if (!c.visited)
		kho_sim_bug("out of memory\n");
	why = kho_check_handover(&c, f.m.fdt_phys, f.m.fdt_len);
	free(c.visited);

	ref = kho_fuzz_reference();
	if (kho_fuzz_verbose)
		fprintf(stderr,
			"kho_fuzz: %s (at %#llx); %lu nodes, %lu blocks, %llu pages, %u blobs\n",
			why ?: "accepted", (unsigned long long)c.bad_addr,
			c.nodes, c.blocks, (unsigned long long)c.pages,
			c.blobs);
	if (!why != !ref)
		kho_fuzz_disagree(why, ref, &c);
	if (!why) {
		if (c.root != phys_to_virt(f.root) ||
		    c.nodes != f.nodes || c.blocks != f.blocks ||
		    c.pages != f.pages || c.orders != f.orders ||
		    c.blobs != f.nr_blobs)
			kho_fuzz_disagree(why, ref, &c);
		kho_fuzz_consume(&c);
	}
	kho_fuzz_reset();
	return 0;
}

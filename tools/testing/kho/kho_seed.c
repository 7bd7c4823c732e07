// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seeds of the KHO fuzzer, kept as text in corpus/.
 *
 *   kho_seed gen DIR             write the generated seeds as DIR/gen-*.hex
 *   kho_seed unhex DIR FILE...   write each FILE.hex as binary DIR/FILE
 *   kho_seed hex FILE            print a binary input (a crash) as hex
 *
 * A generated seed is a hand-over built like a kernel builds it: blocks
 * recorded with the real tracker, whose nodes are pages of the simulated
 * memory, and a root FDT made with libfdt.  The whole memory is then
 * written out as records of its non-zero bytes.  Most seeds are valid; the
 * bad-* ones each break one rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho_radix_tree.h>
#include <linux/libfdt.h>
#include <linux/mmzone.h>
#include <linux/pfn.h>
#include <linux/prandom.h>

#include "kho_input.h"
#include "kho_sim.h"

#define KHO_SEED_MAX		(256 * 1024)
/* Zero runs shorter than this do not split a record. */
#define KHO_SEED_GAP		16
/* Where the default machine keeps what. */
#define KHO_SEED_IMAGE_PFN	256
#define KHO_SEED_IMAGE_PAGES	256
#define KHO_SEED_NODE_PFN	512
#define KHO_SEED_NODE_PAGES	128
#define KHO_SEED_FDT_PFN	640
#define KHO_SEED_BLOB_PFN	641

/**
 * struct kho_seed - A seed being built.
 * @m: The machine.
 * @tree: The tracker holding the preserved blocks.
 * @fdt: The root FDT, in the simulated memory.
 * @blob_pfn: Next free page for a blob.
 */
struct kho_seed {
	struct kho_in_machine m;
	struct kho_radix_tree tree;
	void *fdt;
	unsigned long blob_pfn;
};

static u8 kho_seed_buf[KHO_SEED_MAX];

static void kho_seed_fdt_ok(int err, const char *what)
{
	if (err < 0)
		kho_sim_bug("%s: %s\n", what, fdt_strerror(err));
}

static void kho_seed_preserve(struct kho_seed *s, unsigned long pfn,
			      unsigned int order)
{
	if (kho_radix_add_page(&s->tree, pfn, order))
		kho_sim_bug("cannot preserve %#lx order %u\n", pfn, order);
}

/*
 * The default machine: 16 MiB of RAM, the first 512 KiB in use before the
 * checks, two scratch regions.
 */
static void kho_seed_begin(struct kho_seed *s, const char *compatible)
{
	memset(s, 0, sizeof(*s));
	kho_sim_unpoison(0, kho_sim_size());
	memset(phys_to_virt(0), 0, kho_sim_size());

	s->m.nr_ram = 1;
	s->m.ram[0] = (struct kho_in_ram){ 0, KHO_IN_PAGES, 0 };
	s->m.nr_used = 1;
	s->m.used[0] = (struct kho_in_used){ 0, 128 };
	s->m.nr_scratch = 2;
	s->m.scratch[0] = (struct kho_scratch){ PFN_PHYS(128), PFN_PHYS(128) };
	s->m.scratch[1] = (struct kho_scratch){ PFN_PHYS(3584), PFN_PHYS(512) };
	s->m.image_start = PFN_PHYS(KHO_SEED_IMAGE_PFN);
	s->m.image_end = PFN_PHYS(KHO_SEED_IMAGE_PFN + KHO_SEED_IMAGE_PAGES);
	s->m.fdt_phys = PFN_PHYS(KHO_SEED_FDT_PFN);
	s->m.fdt_len = PAGE_SIZE;

	kho_sim_alloc_window(KHO_SEED_NODE_PFN,
			     KHO_SEED_NODE_PFN + KHO_SEED_NODE_PAGES);
	if (kho_radix_tree_init(&s->tree))
		kho_sim_bug("no root node\n");

	s->fdt = phys_to_virt(s->m.fdt_phys);
	kho_seed_fdt_ok(fdt_create_empty_tree(s->fdt, PAGE_SIZE), "fdt");
	kho_seed_fdt_ok(fdt_setprop_string(s->fdt, 0, "compatible",
					   compatible), "compatible");
	kho_seed_preserve(s, KHO_SEED_FDT_PFN, 0);
	s->blob_pfn = KHO_SEED_BLOB_PFN;
}

/*
 * Copy @size bytes to the next free pages, preserve them as order-0
 * blocks and name them in the root FDT, without blob-size for kho-v2.
 */
static u64 kho_seed_blob(struct kho_seed *s, const char *name,
			 const void *data, u64 size, bool with_size)
{
	u64 phys = PFN_PHYS(s->blob_pfn);
	unsigned long pfn;
	int node;

	memcpy(phys_to_virt(phys), data, size);
	for (pfn = s->blob_pfn; pfn < PHYS_PFN(phys + size - 1) + 1; pfn++)
		kho_seed_preserve(s, pfn, 0);
	s->blob_pfn = pfn;

	node = fdt_add_subnode(s->fdt, 0, name);
	kho_seed_fdt_ok(node, name);
	kho_seed_fdt_ok(fdt_setprop(s->fdt, node, KHO_FDT_SUB_TREE_PROP_NAME,
				    &phys, sizeof(phys)), name);
	if (with_size)
		kho_seed_fdt_ok(fdt_setprop(s->fdt, node,
					    KHO_FDT_SUB_TREE_SIZE_PROP_NAME,
					    &size, sizeof(size)), name);
	return phys;
}

static void kho_seed_metadata(struct kho_seed *s)
{
	struct kho_kexec_metadata md = {
		.version = KHO_KEXEC_METADATA_VERSION,
		.previous_release = "6.12.117-kho",
		.kexec_count = 1,
	};

	kho_seed_blob(s, KHO_KEXEC_METADATA_NAME, &md, sizeof(md), true);
}

/* A memblock blob: an FDT with one reserve_mem region. */
static void kho_seed_memblock(struct kho_seed *s, bool with_size)
{
	u64 start = PFN_PHYS(1024), size = PFN_PHYS(16);
	char fdt[512];
	int node;

	kho_seed_fdt_ok(fdt_create_empty_tree(fdt, sizeof(fdt)), "memblock");
	kho_seed_fdt_ok(fdt_setprop_string(fdt, 0, "compatible",
					   MEMBLOCK_KHO_NODE_COMPATIBLE), "mb");
	node = fdt_add_subnode(fdt, 0, "khotest");
	kho_seed_fdt_ok(node, "khotest");
	kho_seed_fdt_ok(fdt_setprop_string(fdt, node, "compatible",
					   RESERVE_MEM_KHO_NODE_COMPATIBLE),
			"khotest");
	kho_seed_fdt_ok(fdt_setprop_u64(fdt, node, "start", start), "start");
	kho_seed_fdt_ok(fdt_setprop_u64(fdt, node, "size", size), "size");
	kho_seed_fdt_ok(fdt_pack(fdt), "pack");
	kho_seed_blob(s, MEMBLOCK_KHO_FDT, fdt, fdt_totalsize(fdt), with_size);
}

static void kho_seed_hex(FILE *out, const u8 *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(out, "%02x%s", buf[i],
			i % 32 == 31 || i == len - 1 ? "\n" : "");
}

/* Append records of the non-zero bytes of memory to @buf. */
static size_t kho_seed_records(u8 *buf, size_t len)
{
	unsigned long pfn;
	unsigned int start, end, zeros;
	const u8 *page;

	for (pfn = 0; pfn < KHO_IN_PAGES; pfn++) {
		page = phys_to_virt(PFN_PHYS(pfn));
		start = 0;
		while (start < PAGE_SIZE) {
			if (!page[start]) {
				start++;
				continue;
			}
			/* extend over short runs of zeroes */
			end = start + 1;
			zeros = 0;
			while (end + zeros < PAGE_SIZE && zeros < KHO_SEED_GAP) {
				if (page[end + zeros]) {
					end += zeros + 1;
					zeros = 0;
				} else {
					zeros++;
				}
			}
			if (len + KHO_IN_REC_SIZE + end - start > KHO_SEED_MAX)
				kho_sim_bug("seed too large\n");
			len += kho_in_put_record(buf + len, pfn, start,
						 page + start, end - start);
			start = end;
		}
	}
	return len;
}

/* Finish the FDT and write the seed to @dir/@name.hex. */
static void kho_seed_write(struct kho_seed *s, const char *dir,
			   const char *name)
{
	u64 root = virt_to_phys(s->tree.root);
	char path[4096];
	size_t len;
	FILE *out;

	if (!fdt_getprop(s->fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, NULL))
		kho_seed_fdt_ok(fdt_setprop(s->fdt, 0,
					    KHO_FDT_MEMORY_MAP_PROP_NAME,
					    &root, sizeof(root)), "map");
	kho_seed_fdt_ok(fdt_pack(s->fdt), "pack");

	len = kho_in_put_header(kho_seed_buf, &s->m);
	len = kho_seed_records(kho_seed_buf, len);

	snprintf(path, sizeof(path), "%s/%s.hex", dir, name);
	out = fopen(path, "w");
	if (!out)
		kho_sim_bug("%s: %s\n", path, strerror(errno));
	fprintf(out, "# %s: written by kho_seed, see kho_input.h\n", name);
	kho_seed_hex(out, kho_seed_buf, len);
	if (fclose(out))
		kho_sim_bug("%s: %s\n", path, strerror(errno));
}

static void kho_seed_forget(struct kho_seed *s, const char *name)
{
	kho_radix_tree_destroy(&s->tree);
	if (kho_sim_live_pages())
		kho_sim_bug("%s: %lu tree nodes leaked\n", name,
			    kho_sim_live_pages());
}

static void kho_seed_end(struct kho_seed *s, const char *dir,
			 const char *name)
{
	kho_seed_write(s, dir, name);
	kho_seed_forget(s, name);
}

/* Blocks of random orders in [@start, @end), never overlapping. */
static void kho_seed_random_blocks(struct kho_seed *s, unsigned long start,
				   unsigned long end, unsigned int nr,
				   u64 seed)
{
	struct rnd_state rnd;
	unsigned int order;
	unsigned long pfn;

	prandom_seed_state(&rnd, seed);
	for (pfn = start; nr && pfn < end; nr--) {
		order = prandom_u32_state(&rnd) % 5;
		pfn = ALIGN(pfn, 1UL << order);
		if (pfn + (1UL << order) > end)
			break;
		kho_seed_preserve(s, pfn, order);
		pfn += (1UL << order) + prandom_u32_state(&rnd) % 4;
	}
}

static void kho_seed_generate(const char *dir)
{
	struct kho_seed s;
	unsigned long pfn;
	unsigned int order;
	u8 pattern[3 * PAGE_SIZE + 100];
	u64 *root;

	/* a little of everything */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_preserve(&s, 1024, 0);
	kho_seed_preserve(&s, 1026, 1);
	kho_seed_preserve(&s, 1536, 9);
	kho_seed_preserve(&s, 2048, MAX_PAGE_ORDER);
	kho_seed_metadata(&s);
	kho_seed_memblock(&s, true);
	kho_seed_end(&s, dir, "gen-basic");

	/* one block of every order */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	for (pfn = 1024, order = MAX_PAGE_ORDER + 1; order--;
	     pfn += 1UL << order)
		kho_seed_preserve(&s, pfn, order);
	kho_seed_end(&s, dir, "gen-orders");

	/* no blocks but the FDT page, no blobs */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_end(&s, dir, "gen-empty");

	/* many blocks, a blob of several pages */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_random_blocks(&s, 1024, 3584, 300, 0x4b484f);
	/* mostly zero, so that the seed stays small */
	memset(pattern, 0, sizeof(pattern));
	for (pfn = 0; pfn < sizeof(pattern); pfn += 509)
		pattern[pfn] = pfn % 251 + 1;
	pattern[sizeof(pattern) - 1] = 0xff;
	kho_seed_blob(&s, "pages", pattern, sizeof(pattern), true);
	kho_seed_metadata(&s);
	kho_seed_end(&s, dir, "gen-many");

	/* kho-v2: blobs sized by their FDT header, a raw blob ignored */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE_V2);
	kho_seed_preserve(&s, 1024, 2);
	kho_seed_memblock(&s, false);
	kho_seed_blob(&s, "raw", "not an FDT", 11, false);
	kho_seed_end(&s, dir, "gen-v2");

	/* two NUMA nodes, blocks on both sides of the boundary */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	s.m.nr_ram = 2;
	s.m.ram[0] = (struct kho_in_ram){ 0, 2048, 0 };
	s.m.ram[1] = (struct kho_in_ram){ 2048, 2048, 1 };
	kho_seed_preserve(&s, 1024, 9);
	kho_seed_preserve(&s, 2048, 3);
	kho_seed_preserve(&s, 2047, 0);
	kho_seed_metadata(&s);
	kho_seed_end(&s, dir, "gen-numa");

	/* RAM with holes, four scratch regions */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	s.m.nr_ram = 3;
	s.m.ram[0] = (struct kho_in_ram){ 0, 1536, 0 };
	s.m.ram[1] = (struct kho_in_ram){ 2048, 1024, 0 };
	s.m.ram[2] = (struct kho_in_ram){ 3200, 896, 0 };
	s.m.nr_scratch = 4;
	s.m.scratch[2] = (struct kho_scratch){ PFN_PHYS(1500), PFN_PHYS(36) };
	s.m.scratch[3] = (struct kho_scratch){ PFN_PHYS(3200), PFN_PHYS(64) };
	kho_seed_preserve(&s, 1280, 7);
	kho_seed_preserve(&s, 2048, MAX_PAGE_ORDER);
	kho_seed_preserve(&s, 3264, 6);
	kho_seed_metadata(&s);
	kho_seed_end(&s, dir, "gen-holes");

	/* invalid ones, each breaking one rule */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_preserve(&s, 3600, 0);
	kho_seed_end(&s, dir, "gen-bad-block-in-scratch");

	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_preserve(&s, 64, 2);
	kho_seed_end(&s, dir, "gen-bad-block-in-use");

	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_preserve(&s, KHO_SEED_IMAGE_PFN + 8, 3);
	kho_seed_end(&s, dir, "gen-bad-block-in-image");

	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_preserve(&s, 1024, 0);
	kho_seed_preserve(&s, 1024, 4);
	kho_seed_end(&s, dir, "gen-bad-overlap");

	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_preserve(&s, 1024, 0);
	root = (u64 *)s.tree.root;
	root[3] = virt_to_phys(s.tree.root);
	kho_seed_write(&s, dir, "gen-bad-cycle");
	root[3] = 0;
	kho_seed_forget(&s, "gen-bad-cycle");

	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_metadata(&s);
	kho_radix_del_page(&s.tree, KHO_SEED_BLOB_PFN, 0);
	kho_seed_end(&s, dir, "gen-bad-blob-outside");

	/* a blob-size of 4 bytes */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	kho_seed_metadata(&s);
	kho_seed_fdt_ok(fdt_setprop_u32(s.fdt, fdt_first_subnode(s.fdt, 0),
					KHO_FDT_SUB_TREE_SIZE_PROP_NAME,
					sizeof(struct kho_kexec_metadata)),
			"blob-size");
	kho_seed_end(&s, dir, "gen-bad-blob-size");

	/* a table pointing at the last page of the 64-bit space */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	root = (u64 *)s.tree.root;
	root[5] = 0ULL - PAGE_SIZE;
	kho_seed_write(&s, dir, "gen-bad-node-wrap");
	root[5] = 0;
	kho_seed_forget(&s, "gen-bad-node-wrap");

	/*
	 * The map at physical address 0, which the ABI rules out: page 0
	 * holds a copy of the root and is not in use.
	 */
	kho_seed_begin(&s, KHO_FDT_COMPATIBLE);
	s.m.nr_used = 0;
	memcpy(phys_to_virt(0), s.tree.root, PAGE_SIZE);
	pfn = 0;
	kho_seed_fdt_ok(fdt_setprop(s.fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME,
				    &pfn, sizeof(u64)), "map");
	kho_seed_end(&s, dir, "gen-bad-map-zero");
}

static int kho_seed_unhex(const char *dir, int nr, char **files)
{
	char path[4096], line[1024];
	const char *base;
	unsigned int byte;
	size_t len, i;
	FILE *in, *out;

	for (; nr; nr--, files++) {
		in = fopen(*files, "r");
		if (!in)
			kho_sim_bug("%s: %s\n", *files, strerror(errno));
		len = 0;
		while (fgets(line, sizeof(line), in)) {
			if (line[0] == '#')
				continue;
			for (i = 0; line[i] && line[i + 1] &&
			     sscanf(line + i, "%2x", &byte) == 1; i += 2) {
				if (len == KHO_SEED_MAX)
					kho_sim_bug("%s: too large\n", *files);
				kho_seed_buf[len++] = byte;
			}
		}
		fclose(in);
		base = strrchr(*files, '/') ? strrchr(*files, '/') + 1 : *files;
		snprintf(path, sizeof(path), "%s/%.*s", dir,
			 (int)strcspn(base, "."), base);
		out = fopen(path, "w");
		if (!out || fwrite(kho_seed_buf, 1, len, out) != len ||
		    fclose(out))
			kho_sim_bug("%s: %s\n", path, strerror(errno));
	}
	return 0;
}

static int kho_seed_tohex(const char *file)
{
	FILE *in = fopen(file, "r");
	size_t len;

	if (!in)
		kho_sim_bug("%s: %s\n", file, strerror(errno));
	len = fread(kho_seed_buf, 1, sizeof(kho_seed_buf), in);
	fclose(in);
	printf("# %s\n", file);
	kho_seed_hex(stdout, kho_seed_buf, len);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "gen")) {
		if (kho_sim_init(KHO_IN_PAGES))
			kho_sim_bug("no memory for the simulation\n");
		kho_seed_generate(argv[2]);
		kho_sim_exit();
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "unhex"))
		return kho_seed_unhex(argv[2], argc - 3, argv + 3);
	if (argc == 3 && !strcmp(argv[1], "hex"))
		return kho_seed_tohex(argv[2]);
	fprintf(stderr,
		"usage: kho_seed gen DIR | unhex DIR FILE.hex... | hex FILE\n");
	return 2;
}

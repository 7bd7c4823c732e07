/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The input of the KHO fuzzer: a simulated machine and the contents of its
 * memory.  All numbers are little endian.
 *
 *   header (KHO_IN_HDR_SIZE bytes)
 *	u8 nr_ram, u8 nr_scratch, u8 nr_used (each modulo its maximum + 1),
 *	u8 unused
 *	KHO_IN_MAX_RAM     x { u16 start_pfn, u16 nr_pages, u16 nid }
 *	KHO_IN_MAX_USED    x { u16 start_pfn, u16 nr_pages }
 *	KHO_IN_MAX_SCRATCH x { u64 addr, u64 size }
 *	u64 image_start, u64 image_end, u64 fdt_phys, u64 fdt_len
 *   records, up to the end of the input
 *	u16 pfn, u16 offset, u16 len, then len bytes written at physical
 *	address pfn * PAGE_SIZE + offset (only bytes that land in RAM)
 *
 * Memory not written by a record is zero; memory that is not RAM is not
 * readable.
 */
#ifndef _KHO_TEST_INPUT_H
#define _KHO_TEST_INPUT_H

#include <linux/kexec_handover.h>
#include <linux/types.h>

/* Simulated memory: 16 MiB, room for a few blocks of MAX_PAGE_ORDER. */
#define KHO_IN_PAGES		4096
#define KHO_IN_MAX_RAM		4
#define KHO_IN_MAX_SCRATCH	4
#define KHO_IN_MAX_USED		2
#define KHO_IN_RAM_SIZE		6
#define KHO_IN_HDR_SIZE		(4 + KHO_IN_MAX_RAM * KHO_IN_RAM_SIZE + \
				 KHO_IN_MAX_USED * 4 + \
				 KHO_IN_MAX_SCRATCH * 16 + 4 * 8)
#define KHO_IN_REC_SIZE		6

/**
 * struct kho_in_ram - A region of RAM.
 * @start_pfn: First page frame.
 * @nr_pages: Number of pages.
 * @nid: NUMA node; adjacent regions of different nodes stay apart.
 */
struct kho_in_ram {
	u16 start_pfn;
	u16 nr_pages;
	u16 nid;
};

/**
 * struct kho_in_used - Memory the kernel may have used before the checks.
 * @start_pfn: First page frame.
 * @nr_pages: Number of pages.
 */
struct kho_in_used {
	u16 start_pfn;
	u16 nr_pages;
};

/**
 * struct kho_in_machine - The machine an input describes.
 * @nr_ram: Number of entries of @ram.
 * @ram: The RAM regions, possibly overlapping; later ones win.
 * @nr_used: Number of entries of @used; without any, the checks get no
 *	in_use callback.
 * @used: Memory in use before the checks, e.g. the first MiB on x86.
 * @nr_scratch: Number of entries of @scratch.
 * @scratch: The scratch regions of the hand-over.
 * @image_start: Physical address of the running kernel's image.
 * @image_end: Physical address just after it.
 * @fdt_phys: Physical address of the root FDT.
 * @fdt_len: Size of the buffer holding it.
 */
struct kho_in_machine {
	unsigned int nr_ram;
	struct kho_in_ram ram[KHO_IN_MAX_RAM];
	unsigned int nr_used;
	struct kho_in_used used[KHO_IN_MAX_USED];
	unsigned int nr_scratch;
	struct kho_scratch scratch[KHO_IN_MAX_SCRATCH];
	u64 image_start;
	u64 image_end;
	u64 fdt_phys;
	u64 fdt_len;
};

/**
 * struct kho_in_record - Bytes to write into memory.
 * @phys: Physical address of the first byte.
 * @data: The bytes, inside the input.
 * @len: Their number.
 */
struct kho_in_record {
	u64 phys;
	const u8 *data;
	unsigned int len;
};

int kho_in_get_header(const u8 *in, size_t size, struct kho_in_machine *m);
bool kho_in_get_record(const u8 **pos, const u8 *end,
		       struct kho_in_record *r);
size_t kho_in_put_header(u8 *out, const struct kho_in_machine *m);
size_t kho_in_put_record(u8 *out, unsigned long pfn, unsigned int offset,
			 const void *data, unsigned int len);

#endif /* _KHO_TEST_INPUT_H */

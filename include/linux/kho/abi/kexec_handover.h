/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kexec HandOver (KHO) wire ABI, version "kho-v3".
 *
 * Everything in this file is read by a different kernel than the one that
 * wrote it, possibly a newer or an older one.  Do not change a layout or a
 * name here without bumping the compatible string.
 */

#ifndef _LINUX_KHO_ABI_KEXEC_HANDOVER_H
#define _LINUX_KHO_ABI_KEXEC_HANDOVER_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/stddef.h>
#include <linux/typecheck.h>
#include <linux/types.h>
#include <uapi/linux/utsname.h>
#include <asm/page.h>

/**
 * DOC: KHO root FDT
 *
 * The outgoing kernel hands the next kernel one page holding a flattened
 * device tree.  Its root node carries:
 *
 * - ``compatible`` = %KHO_FDT_COMPATIBLE.  A reader may also accept
 *   %KHO_FDT_COMPATIBLE_V2, which differs only by the missing blob size.
 * - %KHO_FDT_MEMORY_MAP_PROP_NAME: a native-endian u64, the physical
 *   address of the root node of the preserved memory radix tree.  Never 0.
 *
 * Each blob added by a subsystem is one child node named after the blob,
 * holding %KHO_FDT_SUB_TREE_PROP_NAME (u64 physical address of the blob)
 * and %KHO_FDT_SUB_TREE_SIZE_PROP_NAME (u64 size of the blob in bytes).
 * The pages of a blob are preserved by its owner, not by KHO.
 */
#define KHO_FDT_COMPATIBLE			"kho-v3"
#define KHO_FDT_COMPATIBLE_V2			"kho-v2"
#define KHO_FDT_MEMORY_MAP_PROP_NAME		"preserved-memory-map"
#define KHO_FDT_SUB_TREE_PROP_NAME		"preserved-data"
#define KHO_FDT_SUB_TREE_SIZE_PROP_NAME		"blob-size"

/**
 * DOC: KHO preserved memory radix tree
 *
 * Every preserved block of 2^order pages is one bit in a radix tree built
 * from whole pages.  The bit's key encodes both the order and the address:
 *
 *   key = (1 << (%KHO_ORDER_0_LOG2 - order)) | (phys >> (PAGE_SHIFT + order))
 *
 * The single high "order bit" gives the order, the bits below it are the
 * block's PFN divided by its size.  Keys of higher orders are therefore
 * smaller than keys of lower orders.
 *
 * The low %KHO_BITMAP_SIZE_LOG2 bits of the key select a bit in a leaf
 * (&struct kho_radix_leaf).  Each table level L (1 to %KHO_TREE_MAX_DEPTH -
 * 1, the root being the highest) consumes the next %KHO_TABLE_SIZE_LOG2 bits:
 *
 *   index(L) = (key >> (%KHO_BITMAP_SIZE_LOG2 + %KHO_TABLE_SIZE_LOG2 *
 *   (L - 1))) & ((1 << %KHO_TABLE_SIZE_LOG2) - 1)
 *
 * A table (&struct kho_radix_node) holds physical addresses of the nodes
 * one level down, 0 meaning empty.  The pages of the tree itself are not
 * recorded in the tree.  With 4 KiB pages, a leaf covers 128 MiB of
 * order-0 memory and key bits 63 to 60 are always zero.
 */

/**
 * enum kho_radix_consts - Geometry of the preserved memory radix tree.
 * @KHO_ORDER_0_LOG2: Bit position of the order bit of an order-0 key: the
 *	number of PFN bits of a 64-bit physical address.
 * @KHO_TABLE_SIZE_LOG2: log2 of the number of entries in a table node.
 * @KHO_BITMAP_SIZE_LOG2: log2 of the number of bits in a leaf.
 * @KHO_TREE_MAX_DEPTH: Number of levels, the leaf level included.
 */
enum kho_radix_consts {
	KHO_ORDER_0_LOG2 = 64 - PAGE_SHIFT,
	KHO_TABLE_SIZE_LOG2 = const_ilog2(PAGE_SIZE / sizeof(u64)),
	KHO_BITMAP_SIZE_LOG2 = PAGE_SHIFT + const_ilog2(BITS_PER_BYTE),
	KHO_TREE_MAX_DEPTH = DIV_ROUND_UP(KHO_ORDER_0_LOG2 -
					  KHO_BITMAP_SIZE_LOG2,
					  KHO_TABLE_SIZE_LOG2) + 1,
};

/**
 * struct kho_radix_node - A table node of the radix tree.
 * @table: Physical addresses of the child nodes, 0 for an empty slot.
 */
struct kho_radix_node {
	u64 table[1 << KHO_TABLE_SIZE_LOG2];
};

/**
 * struct kho_radix_leaf - A leaf of the radix tree.
 * @bitmap: One bit per key, indexed by the low bits of the key.
 */
struct kho_radix_leaf {
	DECLARE_BITMAP(bitmap, 1 << KHO_BITMAP_SIZE_LOG2);
};

static_assert(sizeof(struct kho_radix_node) == PAGE_SIZE);
static_assert(sizeof(struct kho_radix_leaf) == PAGE_SIZE);
#if PAGE_SHIFT == 12
static_assert(KHO_ORDER_0_LOG2 == 52);
static_assert(KHO_TABLE_SIZE_LOG2 == 9);
static_assert(KHO_BITMAP_SIZE_LOG2 == 15);
static_assert(KHO_TREE_MAX_DEPTH == 6);
#endif

/**
 * DOC: KHO page stamp
 *
 * While the next kernel keeps the preserved blocks away from the page
 * allocator, it stamps the head page of every block: ``page->private``
 * holds a &union kho_page_info with the block's order and
 * %KHO_PAGE_MAGIC.  Restoring a block checks and clears the stamp, so a
 * block can be restored only once.  The stamp never crosses a kexec.
 */
#define KHO_PAGE_MAGIC		0x4b484f50U	/* ASCII for "KHOP" */

/**
 * union kho_page_info - Stamp of a preserved head page.
 * @page_private: The stamp as stored in ``page->private``.
 * @order: Order of the preserved block.
 * @magic: %KHO_PAGE_MAGIC.
 */
union kho_page_info {
	unsigned long page_private;
	struct {
		u32 order;
		u32 magic;
	};
};

/**
 * DOC: KHO serializable pointers
 *
 * A structure handed over to the next kernel cannot hold virtual addresses.
 * DECLARE_KHOSER_PTR() declares a member that the writer fills with
 * KHOSER_STORE_PTR(), which stores the physical address of the object (0
 * for %NULL), and that the reader turns back into a pointer of the right
 * type with KHOSER_LOAD_PTR().  The object must live in the linear map.
 * Users of the two accessors need virt_to_phys() and phys_to_virt().
 */

/**
 * DECLARE_KHOSER_PTR - Declare a pointer that survives a kexec.
 * @name: Name of the member.
 * @type: Pointer type of the member, e.g. ``struct foo *``.
 */
#define DECLARE_KHOSER_PTR(name, type)	\
	union {				\
		phys_addr_t phys;	\
		type ptr;		\
	} name

/**
 * KHOSER_STORE_PTR - Store a pointer in a serializable pointer.
 * @dest: Member declared with DECLARE_KHOSER_PTR().
 * @val: Pointer to store, of the member's type; may be %NULL.
 */
#define KHOSER_STORE_PTR(dest, val)					\
	({								\
		typeof(val) __khoser_val = (val);			\
									\
		typecheck(typeof((dest).ptr), __khoser_val);		\
		(dest).phys = __khoser_val ?				\
			virt_to_phys(__khoser_val) : 0;			\
	})

/**
 * KHOSER_LOAD_PTR - Load a pointer from a serializable pointer.
 * @src: Member declared with DECLARE_KHOSER_PTR().
 *
 * Return: the stored pointer with its declared type, %NULL if none.
 */
#define KHOSER_LOAD_PTR(src)						\
	({								\
		typeof(src) __khoser_src = (src);			\
									\
		(typeof(__khoser_src.ptr))(__khoser_src.phys ?		\
			phys_to_virt(__khoser_src.phys) : NULL);	\
	})

/**
 * DOC: KHO vmalloc preservation
 *
 * A preserved vmalloc area is described by a &struct kho_vmalloc, which
 * its owner stores in its own handed-over data.  The physical pages of the
 * area are listed in a chain of &struct kho_vmalloc_chunk pages: each chunk
 * holds the physical address of the next chunk and up to
 * %KHO_VMALLOC_SIZE physical addresses of the starts of 2^order page runs,
 * in virtual address order.  A zero entry ends the list early.
 */
#define KHO_VMALLOC_VMALLOC	0x1	/* a plain vmalloc() area */
#define KHO_VMALLOC_HUGE_VMAP	0x2	/* huge mappings were allowed */

struct kho_vmalloc_chunk;

/*
 * The serializable pointers below are what DECLARE_KHOSER_PTR() expands to,
 * spelled out so that kernel-doc can parse the structures.
 */

/**
 * struct kho_vmalloc_hdr - Header of a &struct kho_vmalloc_chunk.
 * @next: The next chunk, %NULL for the last one (a serializable pointer).
 * @next.phys: Physical address of the next chunk.
 * @next.ptr: Typed view for KHOSER_STORE_PTR() and KHOSER_LOAD_PTR().
 */
struct kho_vmalloc_hdr {
	union {
		phys_addr_t phys;
		struct kho_vmalloc_chunk *ptr;
	} next;
};

#define KHO_VMALLOC_SIZE						\
	((PAGE_SIZE - sizeof(struct kho_vmalloc_hdr)) / sizeof(u64))

/**
 * struct kho_vmalloc_chunk - One page of a vmalloc area's page list.
 * @hdr: Link to the next chunk.
 * @phys: Physical addresses of the page runs, zero-terminated if short.
 */
struct kho_vmalloc_chunk {
	struct kho_vmalloc_hdr hdr;
	u64 phys[KHO_VMALLOC_SIZE];
};

/**
 * struct kho_vmalloc - Descriptor of a preserved vmalloc area.
 * @first: The first chunk of the page list (a serializable pointer).
 * @first.phys: Physical address of the first chunk.
 * @first.ptr: Typed view for KHOSER_STORE_PTR() and KHOSER_LOAD_PTR().
 * @total_pages: Number of order-0 pages in the area.
 * @flags: %KHO_VMALLOC_VMALLOC and %KHO_VMALLOC_HUGE_VMAP.
 * @order: Order of each page run listed in the chunks.
 */
struct kho_vmalloc {
	union {
		phys_addr_t phys;
		struct kho_vmalloc_chunk *ptr;
	} first;
	unsigned int total_pages;
	u16 flags;
	u16 order;
};

/*
 * KHO exists only on 64-bit architectures (see ARCH_SUPPORTS_KEXEC_HANDOVER);
 * these layouts contain native longs and pointers, so pin them there only.
 */
#ifdef CONFIG_64BIT
static_assert(sizeof(union kho_page_info) == sizeof(u64));
static_assert(offsetof(union kho_page_info, order) == 0);
static_assert(offsetof(union kho_page_info, magic) == 4);

static_assert(sizeof(struct kho_vmalloc_hdr) == sizeof(u64));
static_assert(sizeof(struct kho_vmalloc_chunk) == PAGE_SIZE);
static_assert(offsetof(struct kho_vmalloc_chunk, phys) == 8);

static_assert(sizeof(struct kho_vmalloc) == 16);
static_assert(offsetof(struct kho_vmalloc, first) == 0);
static_assert(offsetof(struct kho_vmalloc, total_pages) == 8);
static_assert(offsetof(struct kho_vmalloc, flags) == 12);
static_assert(offsetof(struct kho_vmalloc, order) == 14);
#if PAGE_SHIFT == 12
static_assert(KHO_VMALLOC_SIZE == 511);
#endif
#endif

/**
 * DOC: KHO kexec metadata
 *
 * Every kernel that does a KHO kexec adds a blob named
 * %KHO_KEXEC_METADATA_NAME holding a raw &struct kho_kexec_metadata (not an
 * FDT).  A reader must check that the blob covers @version, that @version is
 * %KHO_KEXEC_METADATA_VERSION, and only then that the blob covers the whole
 * structure.
 */
#define KHO_KEXEC_METADATA_NAME		"kexec-metadata"
#define KHO_KEXEC_METADATA_VERSION	1

/**
 * struct kho_kexec_metadata - What a kernel tells its successor about itself.
 * @version: %KHO_KEXEC_METADATA_VERSION.
 * @previous_release: NUL-terminated ``uname -r`` of the writing kernel.
 * @kexec_count: Number of kexec boots since the last cold boot, counting
 *	the boot of the writing kernel: 0 for a cold-booted writer.
 */
struct kho_kexec_metadata {
	u32 version;
	char previous_release[__NEW_UTS_LEN + 1];
	u32 kexec_count;
} __packed;

static_assert(sizeof(struct kho_kexec_metadata) == 73);
static_assert(offsetof(struct kho_kexec_metadata, version) == 0);
static_assert(offsetof(struct kho_kexec_metadata, previous_release) == 4);
static_assert(offsetof(struct kho_kexec_metadata, kexec_count) == 69);

/**
 * DOC: KHO memblock reserve_mem preservation
 *
 * Memblock hands the ``reserve_mem=`` regions over in a blob named
 * %MEMBLOCK_KHO_FDT: an FDT whose root is compatible with
 * %MEMBLOCK_KHO_NODE_COMPATIBLE and has one child per region, named after
 * the region, compatible with %RESERVE_MEM_KHO_NODE_COMPATIBLE and holding
 * the u64 properties ``start`` and ``size``.
 */
#define MEMBLOCK_KHO_FDT			"memblock"
#define MEMBLOCK_KHO_NODE_COMPATIBLE		"memblock-v1"
#define RESERVE_MEM_KHO_NODE_COMPATIBLE		"reserve-mem-v1"

#endif /* _LINUX_KHO_ABI_KEXEC_HANDOVER_H */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO): keep vmalloc() areas across a kexec.
 *
 * Words used throughout this file:
 *
 * area:	a vmalloc() or vmalloc_huge() allocation.
 * run:		2^order physically contiguous pages backing the area, order
 *		being the area's page order; the area consists of runs only.
 * chunk:	one preserved page listing the physical addresses of runs,
 *		see &struct kho_vmalloc_chunk; chunks form a singly linked
 *		list in the order of the runs in the area.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/* vmap_pages_as_vmalloc() */
#include "../../mm/internal.h"

/* The only VM_* flags vmalloc() and vmalloc_huge() leave on an area. */
#define KHO_VMALLOC_VM_FLAGS	(VM_ALLOC | VM_ALLOW_HUGE_VMAP)
#define KHO_VMALLOC_FLAGS	(KHO_VMALLOC_VMALLOC | KHO_VMALLOC_HUGE_VMAP)

/* Runs are whole buddy allocations; their order must fit vm_struct too. */
#define KHO_VMALLOC_MAX_ORDER	MAX_PAGE_ORDER

/* Append a zeroed, preserved chunk to @prev, or start a list. */
static struct kho_vmalloc_chunk *
kho_vmalloc_new_chunk(struct kho_vmalloc_chunk *prev)
{
	struct kho_vmalloc_chunk *chunk;

	chunk = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(chunk))
		return chunk;
	if (prev)
		KHOSER_STORE_PTR(prev->hdr.next, chunk);
	return chunk;
}

/* Unpreserve every run listed in the chunks and free the chunks. */
static void kho_vmalloc_unpreserve_chunks(struct kho_vmalloc_chunk *chunk,
					  unsigned int order)
{
	struct kho_vmalloc_chunk *next;
	unsigned int i;

	for (; chunk; chunk = next) {
		for (i = 0; i < KHO_VMALLOC_SIZE && chunk->phys[i]; i++)
			kho_unpreserve_pages(pfn_to_page(PHYS_PFN(chunk->phys[i])),
					     1UL << order);
		next = KHOSER_LOAD_PTR(chunk->hdr.next);
		kho_unpreserve_free(chunk);
	}
}

static int kho_vmalloc_check_area(const struct vm_struct *vm)
{
	if (!vm)
		return -EINVAL;
	/* vmap(), ioremap(), vm_map_ram() and the like own no page list */
	if ((vm->flags & ~KHO_VMALLOC_VM_FLAGS) || !(vm->flags & VM_ALLOC) ||
	    !vm->pages || !vm->nr_pages)
		return -EOPNOTSUPP;
	return 0;
}

/* Preserve the runs of @vm and list them in a new chain of chunks. */
static int kho_vmalloc_preserve_runs(struct vm_struct *vm, unsigned int order,
				     struct kho_vmalloc_chunk **first)
{
	unsigned long nr_run = 1UL << order;
	struct kho_vmalloc_chunk *chunk;
	unsigned int i, idx = 0;
	int err;

	chunk = kho_vmalloc_new_chunk(NULL);
	if (IS_ERR(chunk))
		return PTR_ERR(chunk);
	*first = chunk;

	for (i = 0; i < vm->nr_pages; i += nr_run) {
		if (idx == KHO_VMALLOC_SIZE) {
			chunk = kho_vmalloc_new_chunk(chunk);
			if (IS_ERR(chunk)) {
				err = PTR_ERR(chunk);
				goto err_unpreserve;
			}
			idx = 0;
		}
		err = kho_preserve_pages(vm->pages[i], nr_run);
		if (err)
			goto err_unpreserve;
		chunk->phys[idx++] = page_to_phys(vm->pages[i]);
	}
	return 0;

err_unpreserve:
	kho_vmalloc_unpreserve_chunks(*first, order);
	*first = NULL;
	return err;
}

/**
 * kho_preserve_vmalloc - Preserve a vmalloc() area across kexec.
 * @ptr: Start of an area returned by vmalloc(), vmalloc_huge() or their
 *	variants that allocate plain kernel memory.
 * @preservation: Filled with the descriptor of the preserved area, which
 *	the caller passes on to the next kernel in its own data.
 *
 * Preserve every page of the area, all or none, and the chunks listing
 * them. In the next kernel, kho_restore_vmalloc() rebuilds the area.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL if @ptr is not the start of a vmalloc
 * area, -EOPNOTSUPP if the area is not plain vmalloc() memory (vmap(),
 * ioremap(), ...) or KHO is off, -ENOMEM if memory runs out, or another
 * error of kho_preserve_pages().
 */
int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *preservation)
{
	struct vm_struct *vm = find_vm_area(ptr);
	struct kho_vmalloc_chunk *first;
	unsigned int order;
	int err;

	err = kho_vmalloc_check_area(vm);
	if (err)
		return err;
	if (vm->addr != ptr)
		return -EINVAL;

	order = vm_area_page_order(vm);
	if (order > KHO_VMALLOC_MAX_ORDER ||
	    !IS_ALIGNED(vm->nr_pages, 1U << order))
		return -EOPNOTSUPP;

	err = kho_vmalloc_preserve_runs(vm, order, &first);
	if (err)
		return err;

	memset(preservation, 0, sizeof(*preservation));
	KHOSER_STORE_PTR(preservation->first, first);
	preservation->total_pages = vm->nr_pages;
	preservation->order = order;
	preservation->flags = KHO_VMALLOC_VMALLOC;
	if (vm->flags & VM_ALLOW_HUGE_VMAP)
		preservation->flags |= KHO_VMALLOC_HUGE_VMAP;
	return 0;
}
EXPORT_SYMBOL_GPL(kho_preserve_vmalloc);

/**
 * kho_unpreserve_vmalloc - Stop preserving a vmalloc() area.
 * @preservation: The descriptor filled by kho_preserve_vmalloc().
 *
 * Unpreserve the pages of the area and free the chunks; the area itself
 * stays allocated. The descriptor is cleared.
 *
 * Context: Process context, may sleep.
 */
void kho_unpreserve_vmalloc(struct kho_vmalloc *preservation)
{
	kho_vmalloc_unpreserve_chunks(KHOSER_LOAD_PTR(preservation->first),
				      preservation->order);
	memset(preservation, 0, sizeof(*preservation));
}
EXPORT_SYMBOL_GPL(kho_unpreserve_vmalloc);

static bool kho_vmalloc_valid(const struct kho_vmalloc *preservation)
{
	unsigned int order = preservation->order;

	if (!preservation->first.phys || !preservation->total_pages)
		return false;
	if (!(preservation->flags & KHO_VMALLOC_VMALLOC) ||
	    (preservation->flags & ~KHO_VMALLOC_FLAGS))
		return false;
	/* only vmalloc_huge() areas are backed by more than order 0 */
	if (order > KHO_VMALLOC_MAX_ORDER ||
	    (order && !(preservation->flags & KHO_VMALLOC_HUGE_VMAP)))
		return false;
	return IS_ALIGNED(preservation->total_pages, 1U << order);
}

static void kho_vmalloc_free_pages(struct page **pages, unsigned int nr)
{
	while (nr)
		__free_page(pages[--nr]);
}

/*
 * Restore one run into @pages[*nr, *nr + 2^@order). The run must exist
 * and be the size the descriptor announced.
 */
static int kho_vmalloc_restore_run(phys_addr_t phys, unsigned int order,
				   struct page **pages, unsigned int *nr,
				   unsigned int total)
{
	unsigned int i, nr_run = 1U << order;
	struct page *page;

	if (!phys || !IS_ALIGNED(phys, PAGE_SIZE << order) ||
	    total - *nr < nr_run)
		return -EINVAL;
	page = kho_restore_pages(phys, nr_run);
	if (!page)
		return -EINVAL;
	for (i = 0; i < nr_run; i++)
		pages[(*nr)++] = page + i;
	return 0;
}

/*
 * Take back the chunk at @phys and restore its runs; return the address
 * of the next chunk through @next. Restoring the chunk first also stops a
 * corrupted list that loops: a page is restored only once.
 */
static int kho_vmalloc_restore_chunk(phys_addr_t phys, unsigned int order,
				     struct page **pages, unsigned int *nr,
				     unsigned int total, phys_addr_t *next)
{
	const struct kho_vmalloc_chunk *chunk;
	struct folio *folio;
	unsigned int i;
	int err = 0;

	folio = kho_restore_folio(phys);
	if (!folio)
		return -EINVAL;
	if (folio_order(folio)) {
		err = -EINVAL;
		goto out_put;
	}

	chunk = folio_address(folio);
	for (i = 0; i < KHO_VMALLOC_SIZE && *nr < total && !err; i++)
		err = kho_vmalloc_restore_run(chunk->phys[i], order, pages, nr,
					      total);
	*next = chunk->hdr.next.phys;
out_put:
	folio_put(folio);
	return err;
}

/* Restore every run of the area into @pages, or none. */
static int kho_vmalloc_restore_pages(const struct kho_vmalloc *preservation,
				     struct page **pages)
{
	unsigned int total = preservation->total_pages;
	phys_addr_t phys = preservation->first.phys;
	unsigned int nr = 0;
	int err = 0;

	while (phys && !err)
		err = kho_vmalloc_restore_chunk(phys, preservation->order,
						pages, &nr, total, &phys);
	if (!err && nr != total)
		err = -EINVAL;
	if (err) {
		pr_warn("vmalloc area at %pa: restored %u of %u pages\n",
			&preservation->first.phys, nr, total);
		kho_vmalloc_free_pages(pages, nr);
	}
	return err;
}

/**
 * kho_restore_vmalloc - Rebuild a vmalloc() area preserved before kexec.
 * @preservation: The descriptor kho_preserve_vmalloc() filled in the
 *	previous kernel.
 *
 * Take back the pages and the chunks of the area and map the pages into a
 * new vmalloc area of the same size, page order and flags. The chunks are
 * freed. The area belongs to the caller, who frees it with vfree().
 *
 * Context: Process context, may sleep.
 * Return: the start of the area, or %NULL if the descriptor is malformed,
 * a page cannot be restored or memory runs out.
 */
void *kho_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	unsigned long vm_flags = 0;
	struct page **pages;
	void *addr;

	if (!kho_vmalloc_valid(preservation))
		return NULL;
	if (preservation->flags & KHO_VMALLOC_HUGE_VMAP)
		vm_flags |= VM_ALLOW_HUGE_VMAP;

	pages = kvmalloc_array(preservation->total_pages, sizeof(*pages),
			       GFP_KERNEL);
	if (!pages)
		return NULL;
	if (kho_vmalloc_restore_pages(preservation, pages))
		goto err_free_array;

	addr = vmap_pages_as_vmalloc(pages, preservation->total_pages,
				     preservation->order, vm_flags,
				     __builtin_return_address(0));
	if (!addr)
		goto err_free_pages;
	return addr;

err_free_pages:
	kho_vmalloc_free_pages(pages, preservation->total_pages);
err_free_array:
	kvfree(pages);
	return NULL;
}
EXPORT_SYMBOL_GPL(kho_restore_vmalloc);

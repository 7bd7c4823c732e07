// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test Kexec HandOver (KHO) at run time: allocation failures, long runs,
 * an image loaded and unloaded, and concurrent callers. Commands in
 * /sys/kernel/debug/test_kho/, results in its "status" file:
 *
 * fault_prepare	allocate what the fault_* commands preserve: a folio,
 *			a range of pages, a plain and a huge vmalloc area and
 *			a blob.
 * fault_folio, fault_pages, fault_alloc, fault_vmalloc, fault_vmalloc_huge,
 * fault_subtree	one call of kho_preserve_folio(), kho_preserve_pages(),
 *			kho_alloc_preserve(), kho_preserve_vmalloc() (plain,
 *			huge) or kho_add_subtree(); the write fails with its
 *			error.  Meant to run with /proc/thread-self/fail-nth
 *			set, allocating nothing else.
 * fault_undo		undo the fault_* commands that succeeded.
 * fault_release	fault_undo, then free what fault_prepare allocated.
 * churn		preserve and unpreserve random folios and page ranges,
 *			now and then a vmalloc area, a kho_alloc_preserve()
 *			buffer and a blob, churn_ops / 2 operations, leaving
 *			some preserved.
 * churn_done		the other half, then unpreserve and free everything.
 * set_build		allocate a set of folios and page ranges filled with
 *			pseudo-random data, preserve them and describe them in
 *			the "kho-test-set" blob.
 * set_mutate		unpreserve and free every third item, add new ones,
 *			describe the new set.
 * stress		one kernel thread per online CPU preserves and
 *			unpreserves its own items and items shared by all
 *			threads, now and then its vmalloc area, buffer and
 *			blob, for stress_ms milliseconds; the items left
 *			preserved become the set.
 * set_verify		restore the set the previous kernel described, check
 *			every byte, free it.
 * fdt_fill		write a name: add a blob of that name; the write fails
 *			with the error of kho_add_subtree(), e.g. -ENOSPC when
 *			the root FDT is full.
 * fdt_unfill		remove every blob fdt_fill added.
 *
 * churn_done, stress and set_verify check their own outcome: they fail
 * with -EIO, and log why, if an operation failed or went missing.
 */

#define pr_fmt(fmt) "test_kho: " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "test_kho.h"

#define KHO_STRESS_SET_BLOB	"kho-test-set"
#define KHO_STRESS_FAULT_BLOB	"kho-test-fault"
#define KHO_STRESS_MAGIC	0x4b484f53	/* "KHOS" */
/* room for "kho-test-stress-" and any unsigned int */
#define KHO_STRESS_NAME_MAX	32

/* fault_pages: odd, so that the range splits into blocks of 3 orders */
#define KHO_FAULT_PAGES		37
/* fault_vmalloc: more runs than one chunk lists */
#define KHO_FAULT_VM_PAGES	(KHO_VMALLOC_SIZE + 9)
#define KHO_FAULT_VM_HUGE_SIZE	(2 * PMD_SIZE)
#define KHO_FAULT_ALLOC_SIZE	(3 * PAGE_SIZE + 5)

/* items of the churn, set_build, set_mutate and each stress thread */
#define KHO_CHURN_ITEMS		256
#define KHO_SET_ITEMS		96
#define KHO_MUTATE_ITEMS	24
#define KHO_STRESS_THREAD_ITEMS	48
#define KHO_STRESS_SHARED_ITEMS	64

/* folios up to this order, page ranges up to this many pages */
#define KHO_ITEM_MAX_ORDER	5
#define KHO_ITEM_MAX_PAGES	40

static unsigned int churn_ops = 100000;
module_param(churn_ops, uint, 0644);
MODULE_PARM_DESC(churn_ops, "Preserve and unpreserve operations of the churn");

static unsigned int stress_ms = 2000;
module_param(stress_ms, uint, 0644);
MODULE_PARM_DESC(stress_ms, "How long the stress threads run, in ms");

/**
 * struct kho_stress_item - A folio or a range of pages.
 * @page: Its first page.
 * @nr_pages: Number of pages.
 * @seed: Seed of its data, 0 if it holds none.
 * @order: Order of the folio.
 * @is_folio: The item is a folio, not a range of pages.
 * @preserved: The item is preserved now.
 */
struct kho_stress_item {
	struct page *page;
	unsigned long nr_pages;
	u64 seed;
	unsigned int order;
	bool is_folio;
	bool preserved;
};

/**
 * struct kho_stress_entry - A preserved item, as handed over.
 * @phys: Physical address of its first page.
 * @nr_pages: Number of pages.
 * @seed: Seed of its data.
 * @order: Order of the folio.
 * @is_folio: The item is a folio.
 */
struct kho_stress_entry {
	u64 phys;
	u64 nr_pages;
	u64 seed;
	u32 order;
	u32 is_folio;
};

/**
 * struct kho_stress_blob - The "kho-test-set" blob.
 * @magic: %KHO_STRESS_MAGIC.
 * @nr_entries: Number of entries.
 * @entries: The preserved items.
 */
struct kho_stress_blob {
	u32 magic;
	u32 nr_entries;
	struct kho_stress_entry entries[];
};

/**
 * struct kho_stress_set - Items, some of them preserved.
 * @items: The items.
 * @nr: Number of items.
 * @blob: The blob describing the preserved ones, %NULL if none.
 */
struct kho_stress_set {
	struct kho_stress_item *items;
	unsigned long nr;
	struct kho_stress_blob *blob;
};

/**
 * struct kho_stress_extra - The other preservations a churn or thread mixes in.
 * @vm: A vmalloc() area, preserved now and then.
 * @vm_desc: Its descriptor while preserved.
 * @vm_preserved: @vm is preserved.
 * @mem: A kho_alloc_preserve() buffer, %NULL while there is none.
 * @blob: A preserved page, added as a blob now and then.
 * @blob_added: @blob is added with kho_add_subtree().
 * @name: The name of the blob.
 */
struct kho_stress_extra {
	void *vm;
	struct kho_vmalloc vm_desc;
	bool vm_preserved;
	void *mem;
	void *blob;
	bool blob_added;
	char name[KHO_STRESS_NAME_MAX];
};

/**
 * struct kho_stress_thread - One stress thread.
 * @task: The thread.
 * @items: Its own items.
 * @nr_own: Number of its own items.
 * @shared: The items shared by all threads.
 * @nr_shared: Number of shared items.
 * @busy: One bit per shared item, set while a thread works on it.
 * @rng: Its pseudo-random state.
 * @extra: Its vmalloc area, buffer and blob.
 * @ops: Operations done.
 * @errors: Failed preserve calls.
 */
struct kho_stress_thread {
	struct task_struct *task;
	struct kho_stress_item *items;
	unsigned long nr_own;
	struct kho_stress_item *shared;
	unsigned long nr_shared;
	unsigned long *busy;
	u64 rng;
	struct kho_stress_extra extra;
	unsigned long ops;
	unsigned long errors;
};

/**
 * struct kho_fault_state - What the fault_* commands work on.
 * @prepared: fault_prepare ran and fault_release did not since.
 * @folio: Folio for fault_folio.
 * @pages: Range of %KHO_FAULT_PAGES pages for fault_pages.
 * @vm: Areas for fault_vmalloc and fault_vmalloc_huge.
 * @vm_desc: Their descriptors.
 * @vm_preserved: Which of them are preserved.
 * @blob: Preserved page for fault_subtree.
 * @blob_added: @blob was added with kho_add_subtree().
 * @alloc: What fault_alloc got from kho_alloc_preserve(), or %NULL.
 * @folio_preserved: @folio is preserved.
 * @pages_preserved: @pages is preserved.
 */
struct kho_fault_state {
	bool prepared;
	struct folio *folio;
	void *pages;
	void *vm[2];
	struct kho_vmalloc vm_desc[2];
	bool vm_preserved[2];
	void *blob;
	bool blob_added;
	void *alloc;
	bool folio_preserved;
	bool pages_preserved;
};

/**
 * struct kho_stress_state - Everything this file holds.
 * @lock: Serializes the commands.
 * @fault: State of the fault_* commands.
 * @churn: Items of the churn.
 * @churn_extra: Vmalloc area, buffer and blob of the churn.
 * @churn_rng: Pseudo-random state of the churn.
 * @churn_done: Operations of the churn done.
 * @churn_errors: Failed preserve calls in the churn.
 * @churn_max_preserved: Most items preserved at once in the churn.
 * @set: The set handed over.
 * @set_items: Items of @set preserved.
 * @set_pages: Pages in them.
 * @stress_threads: Threads of the last stress run.
 * @stress_ops: Operations they did.
 * @stress_errors: Failed preserve calls among them.
 * @in_items: Items in the incoming blob.
 * @in_pages: Pages in them.
 * @in_restored: Items restored.
 * @in_restored_pages: Pages restored.
 * @in_bad: Items that did not restore or held wrong data.
 * @fill_blob: The page every fdt_fill blob points to, %NULL until needed.
 * @fill_nr: Blobs added by fdt_fill and not removed.
 */
struct kho_stress_state {
	struct mutex lock;	/* serializes the commands */
	struct kho_fault_state fault;
	struct kho_stress_set churn;
	struct kho_stress_extra churn_extra;
	u64 churn_rng;
	unsigned long churn_done;
	unsigned long churn_errors;
	unsigned long churn_max_preserved;
	struct kho_stress_set set;
	unsigned long set_items;
	unsigned long set_pages;
	unsigned int stress_threads;
	unsigned long stress_ops;
	unsigned long stress_errors;
	unsigned long in_items;
	unsigned long in_pages;
	unsigned long in_restored;
	unsigned long in_restored_pages;
	unsigned long in_bad;
	void *fill_blob;
	unsigned long fill_nr;
};

static struct kho_stress_state kho_stress = {
	.lock = __MUTEX_INITIALIZER(kho_stress.lock),
};

static int kho_stress_item_alloc(struct kho_stress_item *item, u64 *rng,
				 bool fill)
{
	u64 r = kho_test_next(rng);

	memset(item, 0, sizeof(*item));
	if (r & 1) {
		struct folio *folio;

		item->order = (r >> 1) % (KHO_ITEM_MAX_ORDER + 1);
		folio = folio_alloc(GFP_KERNEL | __GFP_NOWARN, item->order);
		if (!folio)
			return -ENOMEM;
		item->page = &folio->page;
		item->nr_pages = folio_nr_pages(folio);
		item->is_folio = true;
	} else {
		void *mem;

		item->nr_pages = 1 + (r >> 1) % KHO_ITEM_MAX_PAGES;
		mem = alloc_pages_exact(item->nr_pages << PAGE_SHIFT,
					GFP_KERNEL | __GFP_NOWARN);
		if (!mem)
			return -ENOMEM;
		item->page = virt_to_page(mem);
	}
	if (fill) {
		item->seed = kho_test_seed();
		kho_test_fill(page_address(item->page),
			      item->nr_pages << PAGE_SHIFT, item->seed);
	}
	return 0;
}

static void kho_stress_item_free(struct kho_stress_item *item)
{
	if (item->is_folio)
		folio_put(page_folio(item->page));
	else
		free_pages_exact(page_address(item->page),
				 item->nr_pages << PAGE_SHIFT);
	item->page = NULL;
}

static int kho_stress_item_preserve(struct kho_stress_item *item)
{
	int err;

	if (item->is_folio)
		err = kho_preserve_folio(page_folio(item->page));
	else
		err = kho_preserve_pages(item->page, item->nr_pages);
	if (!err)
		item->preserved = true;
	return err;
}

static void kho_stress_item_unpreserve(struct kho_stress_item *item)
{
	if (item->is_folio)
		kho_unpreserve_folio(page_folio(item->page));
	else
		kho_unpreserve_pages(item->page, item->nr_pages);
	item->preserved = false;
}

/* Preserve the item if it is not, unpreserve it if it is. */
static int kho_stress_item_toggle(struct kho_stress_item *item)
{
	if (!item->preserved)
		return kho_stress_item_preserve(item);
	kho_stress_item_unpreserve(item);
	return 0;
}

/* Grow @set by @nr new items; on failure @set is unchanged. */
static int kho_stress_set_grow(struct kho_stress_set *set, unsigned long nr,
			       u64 *rng, bool fill)
{
	struct kho_stress_item *items;
	unsigned long i;
	int err;

	items = krealloc_array(set->items, set->nr + nr, sizeof(*items),
			       GFP_KERNEL);
	if (!items)
		return -ENOMEM;
	set->items = items;

	for (i = 0; i < nr; i++) {
		err = kho_stress_item_alloc(&items[set->nr + i], rng, fill);
		if (err)
			goto err_free;
	}
	set->nr += nr;
	return 0;

err_free:
	while (i--)
		kho_stress_item_free(&items[set->nr + i]);
	return err;
}

/* Forget the blob of @set: no longer handed over, freed. */
static void kho_stress_set_unpublish(struct kho_stress_set *set)
{
	if (!set->blob)
		return;
	kho_remove_subtree(set->blob);
	kho_unpreserve_free(set->blob);
	set->blob = NULL;
}

static void kho_stress_set_destroy(struct kho_stress_set *set)
{
	unsigned long i;

	kho_stress_set_unpublish(set);
	for (i = 0; i < set->nr; i++) {
		if (set->items[i].preserved)
			kho_stress_item_unpreserve(&set->items[i]);
		kho_stress_item_free(&set->items[i]);
	}
	kfree(set->items);
	set->items = NULL;
	set->nr = 0;
}

/* Drop the items that are not preserved, keeping the order of the rest. */
static void kho_stress_set_compact(struct kho_stress_set *set)
{
	unsigned long i, n = 0;

	for (i = 0; i < set->nr; i++) {
		if (set->items[i].preserved)
			set->items[n++] = set->items[i];
		else
			kho_stress_item_free(&set->items[i]);
	}
	set->nr = n;
}

/* Describe the preserved items of @set in a new blob instead of the old. */
static int kho_stress_set_publish(struct kho_stress_set *set)
{
	struct kho_stress_blob *blob;
	unsigned long i, n = 0, pages = 0;
	size_t size;
	int err;

	size = struct_size(blob, entries, set->nr);
	blob = kho_alloc_preserve(size);
	if (IS_ERR(blob))
		return PTR_ERR(blob);

	blob->magic = KHO_STRESS_MAGIC;
	for (i = 0; i < set->nr; i++) {
		const struct kho_stress_item *item = &set->items[i];

		if (!item->preserved)
			continue;
		blob->entries[n++] = (struct kho_stress_entry) {
			.phys = page_to_phys(item->page),
			.nr_pages = item->nr_pages,
			.seed = item->seed,
			.order = item->order,
			.is_folio = item->is_folio,
		};
		pages += item->nr_pages;
	}
	blob->nr_entries = n;

	kho_stress_set_unpublish(set);
	err = kho_add_subtree(KHO_STRESS_SET_BLOB, blob, size);
	if (err) {
		kho_unpreserve_free(blob);
		return err;
	}
	set->blob = blob;
	kho_stress.set_items = n;
	kho_stress.set_pages = pages;
	return 0;
}

/* pages of the vmalloc area of a churn or a stress thread */
#define KHO_EXTRA_VM_PAGES	19
#define KHO_EXTRA_ALLOC_SIZE	(PAGE_SIZE + 1)

static int kho_stress_extra_init(struct kho_stress_extra *x, const char *name)
{
	memset(x, 0, sizeof(*x));
	strscpy(x->name, name);
	x->vm = vmalloc(KHO_EXTRA_VM_PAGES << PAGE_SHIFT);
	if (!x->vm)
		return -ENOMEM;
	x->blob = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(x->blob)) {
		vfree(x->vm);
		return PTR_ERR(x->blob);
	}
	return 0;
}

/* Preserve or unpreserve one of the area, the buffer and the blob. */
static int kho_stress_extra_toggle(struct kho_stress_extra *x, u64 r)
{
	void *mem;
	int err;

	switch (r % 3) {
	case 0:
		if (x->vm_preserved) {
			kho_unpreserve_vmalloc(&x->vm_desc);
			x->vm_preserved = false;
			return 0;
		}
		err = kho_preserve_vmalloc(x->vm, &x->vm_desc);
		x->vm_preserved = !err;
		return err;
	case 1:
		if (x->mem) {
			kho_unpreserve_free(x->mem);
			x->mem = NULL;
			return 0;
		}
		mem = kho_alloc_preserve(KHO_EXTRA_ALLOC_SIZE);
		if (IS_ERR(mem))
			return PTR_ERR(mem);
		x->mem = mem;
		return 0;
	default:
		if (x->blob_added) {
			kho_remove_subtree(x->blob);
			x->blob_added = false;
			return 0;
		}
		err = kho_add_subtree(x->name, x->blob, PAGE_SIZE);
		x->blob_added = !err;
		return err;
	}
}

static void kho_stress_extra_fini(struct kho_stress_extra *x)
{
	if (!x->vm)
		return;
	if (x->blob_added)
		kho_remove_subtree(x->blob);
	kho_unpreserve_free(x->blob);
	kho_unpreserve_free(x->mem);
	if (x->vm_preserved)
		kho_unpreserve_vmalloc(&x->vm_desc);
	vfree(x->vm);
	memset(x, 0, sizeof(*x));
}

/* --- fault_* --------------------------------------------------------------- */

static void kho_fault_release(void);

static int kho_fault_prepare(void)
{
	struct kho_fault_state *f = &kho_stress.fault;

	if (f->prepared)
		return -EBUSY;
	f->prepared = true;

	f->folio = folio_alloc(GFP_KERNEL, 3);
	f->pages = alloc_pages_exact(KHO_FAULT_PAGES << PAGE_SHIFT, GFP_KERNEL);
	f->vm[0] = vmalloc(KHO_FAULT_VM_PAGES << PAGE_SHIFT);
	f->vm[1] = vmalloc_huge(KHO_FAULT_VM_HUGE_SIZE, GFP_KERNEL);
	f->blob = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(f->blob))
		f->blob = NULL;
	if (!f->folio || !f->pages || !f->vm[0] || !f->vm[1] || !f->blob) {
		kho_fault_release();
		return -ENOMEM;
	}
	memset(f->blob, 0x5a, PAGE_SIZE);
	return 0;
}

static int kho_fault_folio(void)
{
	struct kho_fault_state *f = &kho_stress.fault;
	int err;

	if (!f->prepared || f->folio_preserved)
		return -EBUSY;
	err = kho_preserve_folio(f->folio);
	f->folio_preserved = !err;
	return err;
}

static int kho_fault_pages(void)
{
	struct kho_fault_state *f = &kho_stress.fault;
	int err;

	if (!f->prepared || f->pages_preserved)
		return -EBUSY;
	err = kho_preserve_pages(virt_to_page(f->pages), KHO_FAULT_PAGES);
	f->pages_preserved = !err;
	return err;
}

static int kho_fault_alloc(void)
{
	struct kho_fault_state *f = &kho_stress.fault;
	void *mem;

	if (!f->prepared || f->alloc)
		return -EBUSY;
	mem = kho_alloc_preserve(KHO_FAULT_ALLOC_SIZE);
	if (IS_ERR(mem))
		return PTR_ERR(mem);
	f->alloc = mem;
	return 0;
}

static int kho_fault_vmalloc_one(unsigned int i)
{
	struct kho_fault_state *f = &kho_stress.fault;
	int err;

	if (!f->prepared || f->vm_preserved[i])
		return -EBUSY;
	err = kho_preserve_vmalloc(f->vm[i], &f->vm_desc[i]);
	f->vm_preserved[i] = !err;
	return err;
}

static int kho_fault_vmalloc(void)
{
	return kho_fault_vmalloc_one(0);
}

static int kho_fault_vmalloc_huge(void)
{
	return kho_fault_vmalloc_one(1);
}

static int kho_fault_subtree(void)
{
	struct kho_fault_state *f = &kho_stress.fault;
	int err;

	if (!f->prepared || f->blob_added)
		return -EBUSY;
	err = kho_add_subtree(KHO_STRESS_FAULT_BLOB, f->blob, PAGE_SIZE);
	f->blob_added = !err;
	return err;
}

/* Undo the fault_* commands that succeeded. */
static void kho_fault_undo(void)
{
	struct kho_fault_state *f = &kho_stress.fault;
	unsigned int i;

	if (f->blob_added)
		kho_remove_subtree(f->blob);
	f->blob_added = false;
	kho_unpreserve_free(f->alloc);
	f->alloc = NULL;
	for (i = 0; i < ARRAY_SIZE(f->vm); i++) {
		if (f->vm_preserved[i])
			kho_unpreserve_vmalloc(&f->vm_desc[i]);
		f->vm_preserved[i] = false;
	}
	if (f->pages_preserved)
		kho_unpreserve_pages(virt_to_page(f->pages), KHO_FAULT_PAGES);
	f->pages_preserved = false;
	if (f->folio_preserved)
		kho_unpreserve_folio(f->folio);
	f->folio_preserved = false;
}

static void kho_fault_release(void)
{
	struct kho_fault_state *f = &kho_stress.fault;
	unsigned int i;

	kho_fault_undo();
	kho_unpreserve_free(f->blob);
	for (i = 0; i < ARRAY_SIZE(f->vm); i++)
		vfree(f->vm[i]);
	if (f->pages)
		free_pages_exact(f->pages, KHO_FAULT_PAGES << PAGE_SHIFT);
	if (f->folio)
		folio_put(f->folio);
	memset(f, 0, sizeof(*f));
}

static int kho_fault_undo_cmd(void)
{
	if (!kho_stress.fault.prepared)
		return -ENOENT;
	kho_fault_undo();
	return 0;
}

static int kho_fault_release_cmd(void)
{
	if (!kho_stress.fault.prepared)
		return -ENOENT;
	kho_fault_release();
	return 0;
}

/* --- churn ----------------------------------------------------------------- */

static void kho_churn_run(unsigned long ops)
{
	struct kho_stress_set *set = &kho_stress.churn;
	unsigned long i, preserved = 0;

	for (i = 0; i < set->nr; i++)
		preserved += set->items[i].preserved;

	for (i = 0; i < ops; i++) {
		u64 r = kho_test_next(&kho_stress.churn_rng);
		struct kho_stress_item *item;

		/* one in 32 goes to the vmalloc area, buffer or blob */
		if (!(r % 32)) {
			if (kho_stress_extra_toggle(&kho_stress.churn_extra,
						    r >> 5))
				kho_stress.churn_errors++;
			cond_resched();
			continue;
		}
		item = &set->items[(r >> 5) % set->nr];
		if (item->preserved) {
			kho_stress_item_unpreserve(item);
			preserved--;
		} else if (kho_stress_item_preserve(item)) {
			kho_stress.churn_errors++;
		} else {
			preserved++;
		}
		kho_stress.churn_max_preserved =
			max(kho_stress.churn_max_preserved, preserved);
		cond_resched();
	}
	kho_stress.churn_done += ops;
}

static int kho_churn(void)
{
	int err;

	if (kho_stress.churn.nr)
		return -EBUSY;
	kho_stress.churn_rng = kho_test_seed();
	err = kho_stress_extra_init(&kho_stress.churn_extra, "kho-test-churn");
	if (err)
		return err;
	err = kho_stress_set_grow(&kho_stress.churn, KHO_CHURN_ITEMS,
				  &kho_stress.churn_rng, false);
	if (err) {
		kho_stress_extra_fini(&kho_stress.churn_extra);
		return err;
	}
	kho_churn_run(churn_ops / 2);
	return 0;
}

static int kho_churn_done(void)
{
	if (!kho_stress.churn.nr)
		return -ENOENT;
	kho_churn_run(churn_ops - churn_ops / 2);
	kho_stress_set_destroy(&kho_stress.churn);
	kho_stress_extra_fini(&kho_stress.churn_extra);
	if (kho_stress.churn_errors || kho_stress.churn_done != churn_ops) {
		pr_err("churn: %lu of %u operations, %lu failed\n",
		       kho_stress.churn_done, churn_ops,
		       kho_stress.churn_errors);
		return -EIO;
	}
	return 0;
}

/* --- set_build, set_mutate ------------------------------------------------ */

static int kho_set_build(void)
{
	struct kho_stress_set *set = &kho_stress.set;
	u64 rng = kho_test_seed();
	unsigned long i;
	int err;

	if (set->nr)
		return -EBUSY;
	err = kho_stress_set_grow(set, KHO_SET_ITEMS, &rng, true);
	if (err)
		return err;
	for (i = 0; i < set->nr; i++) {
		err = kho_stress_item_preserve(&set->items[i]);
		if (err)
			goto err_destroy;
	}
	err = kho_stress_set_publish(set);
	if (err)
		goto err_destroy;
	return 0;

err_destroy:
	kho_stress_set_destroy(set);
	return err;
}

static int kho_set_mutate(void)
{
	struct kho_stress_set *set = &kho_stress.set;
	unsigned long i, old = set->nr;
	u64 rng = kho_test_seed();
	int err;

	if (!set->blob)
		return -ENOENT;
	err = kho_stress_set_grow(set, KHO_MUTATE_ITEMS, &rng, true);
	if (err)
		return err;
	for (i = old; i < set->nr; i++) {
		err = kho_stress_item_preserve(&set->items[i]);
		if (err)
			return err;
	}
	for (i = 0; i < old; i += 3)
		kho_stress_item_unpreserve(&set->items[i]);
	kho_stress_set_compact(set);
	return kho_stress_set_publish(set);
}

/* --- stress ---------------------------------------------------------------- */

static int kho_stress_thread_fn(void *arg)
{
	struct kho_stress_thread *t = arg;

	while (!kthread_should_stop()) {
		u64 r = kho_test_next(&t->rng);
		unsigned long idx;

		/* a few go to the vmalloc area, buffer and blob */
		if (!(r % 64)) {
			if (kho_stress_extra_toggle(&t->extra, r >> 6))
				t->errors++;
		/* a quarter of the rest to the shared items */
		} else if (r & 3) {
			idx = (r >> 2) % t->nr_own;
			if (kho_stress_item_toggle(&t->items[idx]))
				t->errors++;
		} else {
			idx = (r >> 2) % t->nr_shared;
			if (test_and_set_bit_lock(idx, t->busy)) {
				cond_resched();
				continue;
			}
			if (kho_stress_item_toggle(&t->shared[idx]))
				t->errors++;
			clear_bit_unlock(idx, t->busy);
		}
		t->ops++;
		cond_resched();
	}
	return 0;
}

/* Run one thread per online CPU on the items of @set, then stop them. */
static int kho_stress_run(struct kho_stress_set *set,
			  struct kho_stress_thread *threads, unsigned int nr,
			  unsigned long *busy)
{
	/* the shared items follow the threads' own ones */
	struct kho_stress_item *shared = &set->items[nr *
						     KHO_STRESS_THREAD_ITEMS];
	unsigned int i = 0, cpu, started;
	char name[KHO_STRESS_NAME_MAX];
	int err = 0;

	for_each_online_cpu(cpu) {
		struct kho_stress_thread *t = &threads[i];

		if (i == nr)
			break;
		t->items = &set->items[i * KHO_STRESS_THREAD_ITEMS];
		t->nr_own = KHO_STRESS_THREAD_ITEMS;
		t->shared = shared;
		t->nr_shared = KHO_STRESS_SHARED_ITEMS;
		t->busy = busy;
		t->rng = kho_test_seed();
		snprintf(name, sizeof(name), "kho-test-stress-%u", i);
		err = kho_stress_extra_init(&t->extra, name);
		if (err)
			break;
		t->task = kthread_create_on_cpu(kho_stress_thread_fn, t, cpu,
						"kho_stress/%u");
		if (IS_ERR(t->task)) {
			err = PTR_ERR(t->task);
			kho_stress_extra_fini(&t->extra);
			break;
		}
		get_task_struct(t->task);
		i++;
	}
	started = i;

	for (i = 0; i < started && !err; i++)
		wake_up_process(threads[i].task);
	if (!err)
		msleep(stress_ms);

	for (i = 0; i < started; i++) {
		kthread_stop(threads[i].task);
		put_task_struct(threads[i].task);
		/* not part of the set handed over */
		kho_stress_extra_fini(&threads[i].extra);
		kho_stress.stress_ops += threads[i].ops;
		kho_stress.stress_errors += threads[i].errors;
	}
	kho_stress.stress_threads = started;
	return err;
}

static int kho_stress_start(void)
{
	struct kho_stress_set *set = &kho_stress.set;
	unsigned int nr = num_online_cpus();
	struct kho_stress_thread *threads;
	unsigned long *busy;
	u64 rng = kho_test_seed();
	int err;

	if (set->nr)
		return -EBUSY;

	threads = kcalloc(nr, sizeof(*threads), GFP_KERNEL);
	busy = bitmap_zalloc(KHO_STRESS_SHARED_ITEMS, GFP_KERNEL);
	if (!threads || !busy) {
		err = -ENOMEM;
		goto out_free;
	}
	err = kho_stress_set_grow(set, nr * KHO_STRESS_THREAD_ITEMS +
				  KHO_STRESS_SHARED_ITEMS, &rng, true);
	if (err)
		goto out_free;

	err = kho_stress_run(set, threads, nr, busy);
	if (!err && (kho_stress.stress_errors || !kho_stress.stress_ops ||
		     kho_stress.stress_threads != nr)) {
		pr_err("stress: %lu operations on %u of %u threads, %lu failed\n",
		       kho_stress.stress_ops, kho_stress.stress_threads, nr,
		       kho_stress.stress_errors);
		err = -EIO;
	}
	if (err) {
		kho_stress_set_destroy(set);
		goto out_free;
	}

	kho_stress_set_compact(set);
	/* the next kernel must have something to restore */
	err = set->nr ? kho_stress_set_publish(set) : -EIO;
	if (err)
		kho_stress_set_destroy(set);
out_free:
	bitmap_free(busy);
	kfree(threads);
	return err;
}

/* --- set_verify ------------------------------------------------------------ */

static void kho_stress_verify_entry(const struct kho_stress_entry *e)
{
	struct kho_stress_item item = {
		.nr_pages = e->nr_pages,
		.seed = e->seed,
		.order = e->order,
		.is_folio = e->is_folio,
	};
	unsigned long bad;

	kho_stress.in_items++;
	kho_stress.in_pages += e->nr_pages;
	item.page = kho_test_restore(e->phys, e->nr_pages, e->order,
				     e->is_folio);
	if (!item.page) {
		pr_err("cannot restore %llu pages at %#llx\n", e->nr_pages,
		       e->phys);
		kho_stress.in_bad++;
		return;
	}
	bad = kho_test_bad(page_address(item.page),
			   item.nr_pages << PAGE_SHIFT, item.seed);
	if (bad) {
		pr_err("%lu bad bytes in %llu pages at %#llx\n", bad,
		       e->nr_pages, e->phys);
		kho_stress.in_bad++;
	}
	kho_stress.in_restored++;
	kho_stress.in_restored_pages += e->nr_pages;
	kho_stress_item_free(&item);
}

static int kho_set_verify(void)
{
	const struct kho_stress_blob *blob;
	phys_addr_t phys;
	unsigned long i;
	size_t size;
	int err;

	if (kho_stress.in_items)
		return -EBUSY;
	err = kho_retrieve_subtree(KHO_STRESS_SET_BLOB, &phys, &size);
	if (err)
		return err;
	blob = phys_to_virt(phys);
	if (size < sizeof(*blob) || blob->magic != KHO_STRESS_MAGIC ||
	    blob->nr_entries > (size - sizeof(*blob)) / sizeof(blob->entries[0]))
		return -EINVAL;

	for (i = 0; i < blob->nr_entries; i++)
		kho_stress_verify_entry(&blob->entries[i]);
	kho_restore_free((void *)blob);
	return kho_stress.in_bad ? -EIO : 0;
}

/* --- fdt_fill, fdt_unfill --------------------------------------------------- */

/* Add a blob named @name; all of them share one preserved page. */
static int kho_fdt_fill(const char *name)
{
	void *blob;
	int err;

	if (!kho_stress.fill_blob) {
		blob = kho_alloc_preserve(PAGE_SIZE);
		if (IS_ERR(blob))
			return PTR_ERR(blob);
		kho_stress.fill_blob = blob;
	}
	err = kho_add_subtree(name, kho_stress.fill_blob, PAGE_SIZE);
	if (!err) {
		kho_stress.fill_nr++;
	} else if (!kho_stress.fill_nr) {
		kho_unpreserve_free(kho_stress.fill_blob);
		kho_stress.fill_blob = NULL;
	}
	return err;
}

static int kho_fdt_unfill(void)
{
	if (!kho_stress.fill_blob)
		return -ENOENT;
	/* every fill blob points to the same page: one node per call */
	for (; kho_stress.fill_nr; kho_stress.fill_nr--)
		kho_remove_subtree(kho_stress.fill_blob);
	kho_unpreserve_free(kho_stress.fill_blob);
	kho_stress.fill_blob = NULL;
	return 0;
}

/* --- debugfs --------------------------------------------------------------- */

#define KHO_STRESS_CMD(_name, _run)					\
	{ .name = _name, .run = _run, .lock = &kho_stress.lock }

static struct kho_test_cmd kho_stress_cmds[] = {
	KHO_STRESS_CMD("fault_prepare", kho_fault_prepare),
	KHO_STRESS_CMD("fault_folio", kho_fault_folio),
	KHO_STRESS_CMD("fault_pages", kho_fault_pages),
	KHO_STRESS_CMD("fault_alloc", kho_fault_alloc),
	KHO_STRESS_CMD("fault_vmalloc", kho_fault_vmalloc),
	KHO_STRESS_CMD("fault_vmalloc_huge", kho_fault_vmalloc_huge),
	KHO_STRESS_CMD("fault_subtree", kho_fault_subtree),
	KHO_STRESS_CMD("fault_undo", kho_fault_undo_cmd),
	KHO_STRESS_CMD("fault_release", kho_fault_release_cmd),
	KHO_STRESS_CMD("churn", kho_churn),
	KHO_STRESS_CMD("churn_done", kho_churn_done),
	KHO_STRESS_CMD("set_build", kho_set_build),
	KHO_STRESS_CMD("set_mutate", kho_set_mutate),
	KHO_STRESS_CMD("stress", kho_stress_start),
	KHO_STRESS_CMD("set_verify", kho_set_verify),
	KHO_STRESS_CMD("fdt_unfill", kho_fdt_unfill),
	{ .name = "fdt_fill", .run_arg = kho_fdt_fill,
	  .lock = &kho_stress.lock },
};

/**
 * kho_test_stress_status - Show the results of this file's commands.
 * @m: The status file.
 *
 * Context: Process context.
 */
void kho_test_stress_status(struct seq_file *m)
{
	struct kho_stress_state *s = &kho_stress;

	mutex_lock(&s->lock);
	seq_printf(m, "churn_done=%lu\n", s->churn_done);
	seq_printf(m, "churn_errors=%lu\n", s->churn_errors);
	seq_printf(m, "churn_max_preserved=%lu\n", s->churn_max_preserved);
	seq_printf(m, "set_items=%lu\n", s->set_items);
	seq_printf(m, "set_pages=%lu\n", s->set_pages);
	seq_printf(m, "stress_threads=%u\n", s->stress_threads);
	seq_printf(m, "stress_ops=%lu\n", s->stress_ops);
	seq_printf(m, "stress_errors=%lu\n", s->stress_errors);
	seq_printf(m, "in_items=%lu\n", s->in_items);
	seq_printf(m, "in_pages=%lu\n", s->in_pages);
	seq_printf(m, "in_restored=%lu\n", s->in_restored);
	seq_printf(m, "in_restored_pages=%lu\n", s->in_restored_pages);
	seq_printf(m, "in_bad=%lu\n", s->in_bad);
	seq_printf(m, "fill_nr=%lu\n", s->fill_nr);
	mutex_unlock(&s->lock);
}

/**
 * kho_test_stress_init - Create the command files of this file.
 * @dir: The test_kho debugfs directory.
 *
 * Context: Process context, during boot.
 */
void __init kho_test_stress_init(struct dentry *dir)
{
	kho_test_add_cmds(dir, kho_stress_cmds, ARRAY_SIZE(kho_stress_cmds));
}

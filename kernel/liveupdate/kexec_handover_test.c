// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO) hooks for the test module, built only with
 * CONFIG_TEST_KEXEC_HANDOVER: read-only views of the outgoing state, and
 * a "kho-v2" root FDT instead of "kho-v3" so that the next kernel's
 * support of the previous ABI can be tested.  Production code never
 * calls them.
 */

#include <linux/io.h>
#include <linux/kfence.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/test.h>
#include <linux/libfdt.h>
#include <linux/mutex.h>
#include <linux/unaligned.h>

#include "kexec_handover_internal.h"

/**
 * kho_test_scratch - This kernel's scratch regions.
 * @nr: Returns the number of regions.
 *
 * Context: Any context, after boot.
 * Return: the regions, %NULL (and 0 in @nr) if there are none.
 */
const struct kho_scratch *kho_test_scratch(unsigned int *nr)
{
	*nr = kho_scratch_cnt;
	return kho_scratch;
}

/**
 * kho_test_fdt_phys - Where this kernel's root FDT is.
 *
 * What the kexec loader writes into the next kernel's hand-off (the
 * devicetree's /chosen on arm64), for a test to compare.
 *
 * Context: Any context, after boot.
 * Return: the physical address, 0 if KHO is off.
 */
phys_addr_t kho_test_fdt_phys(void)
{
	return kho_out_active() ? virt_to_phys(kho_out.fdt) : 0;
}

/**
 * kho_test_is_preserved - Is exactly this block preserved?
 * @pfn: First page frame of the block.
 * @order: Order of the block.
 *
 * Context: Process context, may sleep.
 * Return: true if the tracker records the block, with this order.
 */
bool kho_test_is_preserved(unsigned long pfn, unsigned int order)
{
	bool set;

	mutex_lock(&kho_out.tree.lock);
	set = __kho_radix_page_is_set(&kho_out.tree, pfn, order);
	mutex_unlock(&kho_out.tree.lock);
	return set;
}

/**
 * kho_test_metadata_out - This kernel's kexec metadata for the next one.
 *
 * Found through the root FDT, as the next kernel finds it, so that a test
 * can break it on purpose.
 *
 * Context: Process context, may sleep.
 * Return: the outgoing blob, %NULL if there is none.
 */
struct kho_kexec_metadata *kho_test_metadata_out(void)
{
	const void *val = NULL;
	int off, len = 0;

	if (!kho_out_active())
		return NULL;

	mutex_lock(&kho_out.fdt_lock);
	off = fdt_subnode_offset(kho_out.fdt, 0, KHO_KEXEC_METADATA_NAME);
	if (off >= 0)
		val = fdt_getprop(kho_out.fdt, off, KHO_FDT_SUB_TREE_PROP_NAME,
				  &len);
	mutex_unlock(&kho_out.fdt_lock);

	if (!val || len != sizeof(u64))
		return NULL;
	return phys_to_virt(get_unaligned((const u64 *)val));
}

/**
 * kho_test_emit_v2 - Hand a "kho-v2" root FDT over instead of "kho-v3".
 *
 * Lets a test check that the next kernel still accepts the previous ABI:
 * the root FDT becomes compatible with %KHO_FDT_COMPATIBLE_V2 and no blob
 * added so far carries its size any more.  Only FDT blobs remain usable
 * for the next kernel.  Blobs added later keep their size: call this
 * after the last kho_add_subtree() before the kexec.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EOPNOTSUPP if KHO is off.
 */
int kho_test_emit_v2(void)
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
	mutex_unlock(&kho_out.fdt_lock);
	return err ? kho_fdt_err(err) : 0;
}

/**
 * struct kho_placement - Progress of kho_test_check_placement().
 * @checked: Pages checked so far.
 * @bad: The first misplaced object.
 * @what: What it is.
 * @why: What is wrong with it.
 */
struct kho_placement {
	unsigned long checked;
	phys_addr_t bad;
	const char *what;
	const char *why;
};

static int kho_placement_check(struct kho_placement *p, const char *what,
			       phys_addr_t phys, phys_addr_t size)
{
	p->bad = phys;
	p->what = what;
	if (kho_overlaps_scratch(phys, size))
		p->why = "lies in scratch";
	else if (is_kfence_address(phys_to_virt(phys)))
		p->why = "is a KFENCE object";
	else
		p->why = NULL;
	if (p->why)
		return -EFAULT;
	p->checked += PHYS_PFN(size) ?: 1;
	return 0;
}

static int kho_placement_node(phys_addr_t phys, unsigned int level,
			      void *arg)
{
	return kho_placement_check(arg, "tree node", phys, PAGE_SIZE);
}

static int kho_placement_block(phys_addr_t phys, unsigned int order,
			       void *arg)
{
	return kho_placement_check(arg, "preserved block", phys,
				(phys_addr_t)PAGE_SIZE << order);
}

/**
 * kho_test_check_placement - Is everything KHO hands over where it may be?
 *
 * The next kernel boots from scratch before it knows what was preserved,
 * so nothing handed over may lie there; and with KFENCE, whose pool a
 * hand-over boot allocates from scratch, nothing may be a KFENCE object.
 * Check the tree's nodes, every preserved block (blobs, vmalloc chunks,
 * the root FDT and data alike), the root FDT and the scratch array.
 *
 * Context: Process context, may sleep.
 * Return: the number of pages checked, -EOPNOTSUPP if KHO is off, or
 * -EFAULT (and a log line naming it) for the first misplaced object.
 */
long kho_test_check_placement(void)
{
	struct kho_placement p = { };
	int err;

	if (!kho_out_active())
		return -EOPNOTSUPP;

	mutex_lock(&kho_out.tree.lock);
	err = kho_placement_check(&p, "tree root",
				  virt_to_phys(kho_out.tree.root), PAGE_SIZE);
	if (!err)
		err = __kho_radix_walk_tree(kho_out.tree.root, kho_placement_node,
					    kho_placement_block, &p);
	mutex_unlock(&kho_out.tree.lock);
	if (!err)
		err = kho_placement_check(&p, "root FDT",
					  virt_to_phys(kho_out.fdt), PAGE_SIZE);
	/* a slab object could be KFENCE's; its place is kexec's business */
	if (!err && is_kfence_address(kho_out.scratch)) {
		p.what = "scratch array";
		p.why = "is a KFENCE object";
		p.bad = __pa(kho_out.scratch);
		err = -EFAULT;
	}
	if (err) {
		pr_err("KHO: %s at %pa %s\n", p.what, &p.bad, p.why);
		return err;
	}
	return p.checked;
}

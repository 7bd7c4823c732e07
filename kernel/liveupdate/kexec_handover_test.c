// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO) hooks for the test module, built only with
 * CONFIG_TEST_KEXEC_HANDOVER: read-only views of the outgoing state, and
 * a "kho-v2" root FDT instead of "kho-v3" so that the next kernel's
 * support of the previous ABI can be tested.  Production code never
 * calls them.
 */

#include <linux/io.h>
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

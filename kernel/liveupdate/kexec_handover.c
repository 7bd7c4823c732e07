// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO): keep memory and data across a kexec.
 *
 * This file turns KHO on and ties its parts into boot:
 * kexec_handover_scratch.c places the scratch regions and makes them CMA,
 * kexec_handover_out.c is what this kernel hands over (the preserve API,
 * the root FDT, the kexec glue), kexec_handover_in.c is what it received
 * (taking the hand-over, its checks, the restore API, the blob lookup).
 *
 * Words used throughout these files:
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

#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/kstrtox.h>

#include "kexec_handover_internal.h"

static bool kho_enable __ro_after_init =
	IS_ENABLED(CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT);

static int __init kho_parse_enable(char *p)
{
	if (!p)
		return -EINVAL;
	return kstrtobool(p, &kho_enable);
}
early_param("kho", kho_parse_enable);

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
 * kho_memory_init - Reserve scratch or preserved memory before the buddy.
 *
 * On a cold boot with KHO enabled, place the scratch regions the next
 * kernel will boot from. On a hand-over boot, reserve every block the
 * previous kernel preserved and stamp it for kho_restore_folio(), and keep
 * the incoming scratch regions as this kernel's scratch. Either way the
 * free scratch is held back and becomes CMA memory in a core_initcall.
 *
 * Context: Early boot, called by memblock_free_all() before it releases
 * memory to the page allocator; the memory map is initialised, except what
 * DEFERRED_STRUCT_PAGE_INIT defers.
 */
void __init kho_memory_init(void)
{
	if (kho_handover_pending()) {
		kho_in_memory_init();
	} else if (!kho_enable) {
		return;
	} else if (kho_scratch_place()) {
		kho_enable = false;
		return;
	}
	/* scratch that cannot become CMA could take preserved data */
	if (kho_scratch_hold()) {
		pr_warn("disabled: cannot keep the scratch regions for CMA\n");
		kho_enable = false;
	}
}

static int __init kho_init(void)
{
	int err;

	kho_debugfs_init();
	if (is_kho_boot())
		kho_in_debugfs_init();

	if (!kho_enable)
		return 0;

	err = kho_out_init();
	if (err) {
		pr_warn("disabled: cannot set up the hand-over (%d)\n", err);
		kho_enable = false;
	}
	return 0;
}
fs_initcall(kho_init);

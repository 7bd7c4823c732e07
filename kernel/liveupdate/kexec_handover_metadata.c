// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO) kexec metadata: every kernel tells its successor
 * which release it was and how many kexec boots led to it, so that a chain
 * of kexecs can be followed in the kernel log.
 *
 * Words used in this file: the "incoming" metadata was written by the
 * previous kernel, the "outgoing" metadata is this kernel's, for the next.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/err.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/string.h>
#include <linux/utsname.h>

/* Number of kexec boots since the last cold boot, this one included. */
static u32 kho_kexec_count __ro_after_init;

/**
 * kho_metadata_refusal - Check kexec metadata handed over to us.
 * @meta: The incoming blob.
 * @size: Size of the blob in bytes.
 *
 * Check the fields in the order the ABI asks for: the blob covers the
 * version, the version is known, and only then the blob covers the
 * structure of that version. The release string must be NUL-terminated.
 *
 * Context: Any context.
 * Return: %NULL if @meta is usable, else why it is not.
 */
static const char *kho_metadata_refusal(const struct kho_kexec_metadata *meta,
					size_t size)
{
	if (size < offsetofend(struct kho_kexec_metadata, version))
		return "too short for a version";
	if (meta->version != KHO_KEXEC_METADATA_VERSION)
		return "unknown version";
	if (size < sizeof(*meta))
		return "too short for version 1";
	if (strnlen(meta->previous_release, sizeof(meta->previous_release)) ==
	    sizeof(meta->previous_release))
		return "release not terminated";
	return NULL;
}

/*
 * Log where this kernel came from and take the incoming count + 1 as our
 * own. A hand-over without usable metadata still proves one kexec boot.
 */
static void __init kho_metadata_in(void)
{
	const struct kho_kexec_metadata *meta;
	const char *why;
	phys_addr_t phys;
	size_t size;
	int err;

	if (!is_kho_boot())
		return;
	kho_kexec_count = 1;

	err = kho_retrieve_subtree(KHO_KEXEC_METADATA_NAME, &phys, &size);
	if (err) {
		pr_info("no kexec metadata in the hand-over (%d)\n", err);
		return;
	}

	meta = phys_to_virt(phys);
	why = kho_metadata_refusal(meta, size);
	if (why) {
		pr_warn("ignoring the kexec metadata: %s\n", why);
		return;
	}

	kho_kexec_count = meta->kexec_count + 1;
	pr_info("exec from: %s (count %u)\n", meta->previous_release,
		kho_kexec_count);
}

static int __init kho_metadata_add(void)
{
	struct kho_kexec_metadata *meta;
	int err;

	meta = kho_alloc_preserve(sizeof(*meta));
	if (IS_ERR(meta))
		return PTR_ERR(meta);

	meta->version = KHO_KEXEC_METADATA_VERSION;
	strscpy(meta->previous_release, init_utsname()->release);
	meta->kexec_count = kho_kexec_count;

	err = kho_add_subtree(KHO_KEXEC_METADATA_NAME, meta, sizeof(*meta));
	if (err)
		kho_unpreserve_free(meta);
	return err;
}

/* After kho_init(): the incoming blobs are known, the outgoing FDT exists. */
static int __init kho_metadata_init(void)
{
	int err;

	kho_metadata_in();
	if (!kho_is_enabled())
		return 0;

	err = kho_metadata_add();
	if (err)
		pr_warn("cannot hand the kexec metadata over (%d)\n", err);
	return 0;
}
fs_initcall_sync(kho_metadata_init);

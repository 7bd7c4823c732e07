// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver (KHO) state in debugfs:
 *
 * kho/out/fdt			the root FDT this kernel passes on
 * kho/out/scratch_phys		start of each scratch region, one per line
 * kho/out/scratch_len		size of each scratch region, one per line
 * kho/out/sub_fdts/<name>	each blob added with kho_add_subtree()
 * kho/out/tracker		"nodes=N blocks=N pages=N hash=0x..." of the
 *				tracker of preserved memory, as it is now
 * kho/in/fdt			the root FDT the previous kernel passed on
 * kho/in/sub_fdts/<name>	each blob it handed over
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/debugfs.h>
#include <linux/kho_radix_tree.h>
#include <linux/libfdt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "kexec_handover_internal.h"

/**
 * struct kho_debugfs_blob - A blob shown in debugfs.
 * @list: Link in kho_debugfs_blobs.
 * @wrapper: What debugfs reads.
 * @dentry: The file.
 */
struct kho_debugfs_blob {
	struct list_head list;
	struct debugfs_blob_wrapper wrapper;
	struct dentry *dentry;
};

static struct dentry *kho_debugfs_root;
static struct dentry *kho_debugfs_in_blobs;
static struct dentry *kho_debugfs_out_blobs;

/* outgoing blobs, which kho_remove_subtree() may remove again */
static LIST_HEAD(kho_debugfs_blobs);
static DEFINE_MUTEX(kho_debugfs_lock);

static struct kho_debugfs_blob *kho_debugfs_blob_create(struct dentry *dir,
							const char *name,
							const void *data,
							size_t size)
{
	struct kho_debugfs_blob *blob;

	blob = kzalloc(sizeof(*blob), GFP_KERNEL);
	if (!blob)
		return NULL;

	blob->wrapper.data = (void *)data;
	blob->wrapper.size = size;
	blob->dentry = debugfs_create_blob(name, 0400, dir, &blob->wrapper);
	if (IS_ERR(blob->dentry)) {
		kfree(blob);
		return NULL;
	}
	return blob;
}

/* One field of every scratch region; the file's data says which. */
static int scratch_show(struct seq_file *m, void *v)
{
	bool show_size = m->private;
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++)
		seq_printf(m, "0x%llx\n", show_size ? (u64)kho_scratch[i].size :
						    (u64)kho_scratch[i].addr);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scratch);

/* FNV-1a over the keys: equal trees give equal hashes */
#define KHO_TRACKER_HASH_INIT	0xcbf29ce484222325ULL
#define KHO_TRACKER_HASH_PRIME	0x100000001b3ULL

/**
 * struct kho_tracker_summary - What tracker_show() reports.
 * @nodes: Nodes of the tree, the root included.
 * @blocks: Preserved blocks.
 * @pages: Pages in them.
 * @hash: FNV-1a hash of the keys of the blocks, in walk order.
 */
struct kho_tracker_summary {
	unsigned long nodes;
	unsigned long blocks;
	unsigned long pages;
	u64 hash;
};

static int kho_tracker_count_node(phys_addr_t phys, unsigned int level,
				  void *arg)
{
	struct kho_tracker_summary *sum = arg;

	sum->nodes++;
	return 0;
}

static int kho_tracker_count_block(phys_addr_t phys, unsigned int order,
				   void *arg)
{
	struct kho_tracker_summary *sum = arg;
	u64 key = kho_radix_encode_key(phys, order);
	unsigned int i;

	sum->blocks++;
	sum->pages += 1UL << order;
	for (i = 0; i < sizeof(key); i++, key >>= 8)
		sum->hash = (sum->hash ^ (key & 0xff)) * KHO_TRACKER_HASH_PRIME;
	return 0;
}

/* One line that tells whether two states of the tracker differ. */
static int tracker_show(struct seq_file *m, void *v)
{
	struct kho_radix_tree *tree = m->private;
	struct kho_tracker_summary sum = {
		.nodes = 1,
		.hash = KHO_TRACKER_HASH_INIT,
	};
	int err;

	mutex_lock(&tree->lock);
	err = __kho_radix_walk_tree(tree->root, kho_tracker_count_node,
				    kho_tracker_count_block, &sum);
	mutex_unlock(&tree->lock);
	if (err)
		return err;

	seq_printf(m, "nodes=%lu blocks=%lu pages=%lu hash=%#llx\n",
		   sum.nodes, sum.blocks, sum.pages, sum.hash);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tracker);

/**
 * kho_debugfs_init - Create the kho directory.
 *
 * Context: Process context, during boot.
 */
void __init kho_debugfs_init(void)
{
	kho_debugfs_root = debugfs_create_dir("kho", NULL);
}

/**
 * kho_debugfs_in_init - Show the incoming hand-over.
 * @fdt: The incoming root FDT, already checked.
 *
 * Context: Process context, during boot.
 */
void __init kho_debugfs_in_init(const void *fdt)
{
	struct dentry *dir = debugfs_create_dir("in", kho_debugfs_root);

	/* the incoming files stay for good: nothing to track */
	kho_debugfs_blob_create(dir, "fdt", fdt, fdt_totalsize(fdt));
	kho_debugfs_in_blobs = debugfs_create_dir("sub_fdts", dir);
}

/**
 * kho_debugfs_out_init - Show the outgoing hand-over.
 * @fdt: The outgoing root FDT.
 * @tree: The tracker of the memory preserved for the next kernel.
 *
 * Context: Process context, during boot.
 */
void __init kho_debugfs_out_init(const void *fdt, struct kho_radix_tree *tree)
{
	struct dentry *dir = debugfs_create_dir("out", kho_debugfs_root);

	kho_debugfs_blob_create(dir, "fdt", fdt, fdt_totalsize(fdt));
	debugfs_create_file("scratch_phys", 0400, dir, (void *)false,
			    &scratch_fops);
	debugfs_create_file("scratch_len", 0400, dir, (void *)true,
			    &scratch_fops);
	debugfs_create_file("tracker", 0400, dir, tree, &tracker_fops);
	kho_debugfs_out_blobs = debugfs_create_dir("sub_fdts", dir);
}

/**
 * kho_debugfs_blob_add - Show a blob.
 * @incoming: The blob was handed over by the previous kernel.
 * @name: Name of the blob.
 * @blob: The blob.
 * @size: Size of the blob in bytes.
 *
 * Debugfs is a debugging aid: failures are ignored.
 *
 * Context: Process context, may sleep.
 */
void kho_debugfs_blob_add(bool incoming, const char *name, const void *blob,
			  size_t size)
{
	struct kho_debugfs_blob *b;

	if (incoming) {
		kho_debugfs_blob_create(kho_debugfs_in_blobs, name, blob, size);
		return;
	}

	b = kho_debugfs_blob_create(kho_debugfs_out_blobs, name, blob, size);
	if (!b)
		return;
	mutex_lock(&kho_debugfs_lock);
	list_add(&b->list, &kho_debugfs_blobs);
	mutex_unlock(&kho_debugfs_lock);
}

/**
 * kho_debugfs_blob_remove - Stop showing an outgoing blob.
 * @name: Name of the blob.
 *
 * Context: Process context, may sleep.
 */
void kho_debugfs_blob_remove(const char *name)
{
	struct kho_debugfs_blob *b;

	mutex_lock(&kho_debugfs_lock);
	list_for_each_entry(b, &kho_debugfs_blobs, list) {
		if (strcmp(b->dentry->d_name.name, name))
			continue;
		list_del(&b->list);
		debugfs_remove(b->dentry);
		kfree(b);
		break;
	}
	mutex_unlock(&kho_debugfs_lock);
}

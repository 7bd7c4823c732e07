// SPDX-License-Identifier: GPL-2.0-only
/*
 * memfd_luo: keep a memfd across a kexec with the Live Update Orchestrator.
 *
 * Preserving a memfd freezes its size (ftruncate, growing writes and
 * fallocate fail with -EPERM), pins every page below its size -- which
 * reads swapped-out pages back, fills holes with zeroed pages and migrates
 * pages out of movable and CMA memory such as KHO scratch -- and preserves
 * each folio with KHO at its order.  The folios themselves cross the
 * kexec; nothing is copied.  The next kernel puts them into a new memfd of
 * the same size, file position and seals.  Layouts: <linux/kho/abi/luo.h>.
 */

#define pr_fmt(fmt) "memfd_luo: " fmt

#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo.h>
#include <linux/liveupdate.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>

#include "internal.h"

#define MEMFD_LUO_SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
			 F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)
#define MEMFD_LUO_FOLIO_FLAGS	(MEMFD_LUO_FOLIO_DIRTY | MEMFD_LUO_FOLIO_UPTODATE)
#define MEMFD_LUO_PFN_MASK	GENMASK_ULL(MEMFD_LUO_PFN_BITS - 1, 0)

/**
 * struct memfd_luo_private - A preserved memfd in the old kernel.
 * @ser:        Its KHO-preserved record.
 * @folios_ser: The folio array (KHO-preserved vmalloc area).
 * @folios:     The pinned folios.
 * @nr_folios:  How many.
 */
struct memfd_luo_private {
	struct memfd_luo_ser *ser;
	struct memfd_luo_folio_ser *folios_ser;
	struct folio **folios;
	unsigned long nr_folios;
};

static bool memfd_luo_can_preserve(struct liveupdate_file_handler *fh,
				   struct file *file)
{
	return shmem_file(file) && !file_inode(file)->i_nlink;
}

static unsigned long memfd_luo_get_id(struct file *file)
{
	return (unsigned long)file_inode(file);
}

static void memfd_luo_set_frozen(struct inode *inode, bool frozen)
{
	struct shmem_inode_info *info = SHMEM_I(inode);

	spin_lock(&info->lock);
	if (frozen)
		info->flags |= SHMEM_F_MAPPING_FROZEN;
	else
		info->flags &= ~SHMEM_F_MAPPING_FROZEN;
	spin_unlock(&info->lock);
}

/* Pin every folio of [0, @size): swap-in, hole fill, migration from CMA. */
static int memfd_luo_pin(struct file *file, loff_t size,
			 struct memfd_luo_private *priv)
{
	unsigned long max = DIV_ROUND_UP(size, PAGE_SIZE), n = 0;
	struct folio **folios;
	loff_t start = 0;
	pgoff_t offset;
	long ret;

	folios = kvmalloc_array(max, sizeof(*folios), GFP_KERNEL);
	if (!folios)
		return -ENOMEM;
	while (start < size) {
		ret = memfd_pin_folios(file, start, size - 1, folios + n,
				       max - n, &offset);
		if (ret <= 0) {
			unpin_folios(folios, n);
			kvfree(folios);
			return ret ? ret : -EINVAL;
		}
		n += ret;
		start = (loff_t)folio_next_index(folios[n - 1]) << PAGE_SHIFT;
	}
	priv->folios = folios;
	priv->nr_folios = n;
	return 0;
}

/* Dirty and uptodate: a page clean now may be written before the kexec. */
static void memfd_luo_normalize(struct folio *folio)
{
	folio_lock(folio);
	if (!folio_test_uptodate(folio)) {
		folio_zero_range(folio, 0, folio_size(folio));
		folio_mark_uptodate(folio);
	}
	folio_mark_dirty(folio);
	folio_unlock(folio);
}

static void memfd_luo_unpreserve_folios(struct memfd_luo_private *priv,
					unsigned long nr)
{
	while (nr)
		kho_unpreserve_folio(priv->folios[--nr]);
}

static int memfd_luo_preserve_folios(struct memfd_luo_private *priv)
{
	struct memfd_luo_folio_ser *fs;
	unsigned long i;
	int err;

	fs = vcalloc(priv->nr_folios, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	for (i = 0; i < priv->nr_folios; i++) {
		struct folio *folio = priv->folios[i];

		err = kho_preserve_folio(folio);
		if (err)
			goto err_unpreserve;
		memfd_luo_normalize(folio);
		fs[i].pfn_flags = folio_pfn(folio) |
			((u64)MEMFD_LUO_FOLIO_FLAGS << MEMFD_LUO_PFN_BITS);
		fs[i].index = folio->index;
	}
	err = kho_preserve_vmalloc(fs, &priv->ser->folios);
	if (err)
		goto err_unpreserve;
	priv->ser->nr_folios = priv->nr_folios;
	priv->folios_ser = fs;
	return 0;

err_unpreserve:
	memfd_luo_unpreserve_folios(priv, i);
	vfree(fs);
	return err;
}

static int memfd_luo_preserve_locked(struct file *file,
				     struct memfd_luo_private *priv)
{
	struct inode *inode = file_inode(file);
	unsigned int seals = SHMEM_I(inode)->seals;
	loff_t size = i_size_read(inode);
	int err;

	if (seals & ~MEMFD_LUO_SEALS)
		return -EOPNOTSUPP;
	if (DIV_ROUND_UP_ULL(size, PAGE_SIZE) > U32_MAX)
		return -EFBIG;
	priv->ser = kho_alloc_preserve(sizeof(*priv->ser));
	if (IS_ERR(priv->ser))
		return PTR_ERR(priv->ser);
	priv->ser->pos = file->f_pos;
	priv->ser->size = size;
	priv->ser->seals = seals;
	memfd_luo_set_frozen(inode, true);
	if (!size)
		return 0;
	err = memfd_luo_pin(file, size, priv);
	if (err)
		goto err_thaw;
	err = memfd_luo_preserve_folios(priv);
	if (err)
		goto err_unpin;
	return 0;

err_unpin:
	unpin_folios(priv->folios, priv->nr_folios);
	kvfree(priv->folios);
err_thaw:
	memfd_luo_set_frozen(inode, false);
	kho_unpreserve_free(priv->ser);
	return err;
}

static int memfd_luo_preserve(struct liveupdate_file_op_args *args)
{
	struct inode *inode = file_inode(args->file);
	struct memfd_luo_private *priv;
	int err;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	inode_lock(inode);
	err = memfd_luo_preserve_locked(args->file, priv);
	inode_unlock(inode);
	if (err) {
		kfree(priv);
		return err;
	}
	args->private_data = priv;
	args->serialized_data = virt_to_phys(priv->ser);
	return 0;
}

static void memfd_luo_unpreserve(struct liveupdate_file_op_args *args)
{
	struct inode *inode = file_inode(args->file);
	struct memfd_luo_private *priv = args->private_data;

	inode_lock(inode);
	if (priv->nr_folios) {
		kho_unpreserve_vmalloc(&priv->ser->folios);
		vfree(priv->folios_ser);
		memfd_luo_unpreserve_folios(priv, priv->nr_folios);
		unpin_folios(priv->folios, priv->nr_folios);
		kvfree(priv->folios);
	}
	kho_unpreserve_free(priv->ser);
	memfd_luo_set_frozen(inode, false);
	inode_unlock(inode);
	kfree(priv);
}

/* The position may have moved since preserve: take it at kexec time. */
static int memfd_luo_freeze(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_private *priv = args->private_data;

	priv->ser->pos = READ_ONCE(args->file->f_pos);
	return 0;
}

/* --- next kernel ---------------------------------------------------------- */

/* Copy out and give back the record; false if it is not one. */
static bool memfd_luo_take_record(u64 data, struct memfd_luo_ser *ser)
{
	struct folio *folio;

	if (!PAGE_ALIGNED(data))
		return false;
	folio = kho_restore_folio(data);
	if (!folio)
		return false;
	memcpy(ser, folio_address(folio), sizeof(*ser));
	folio_put(folio);
	return true;
}

static struct memfd_luo_folio_ser *
memfd_luo_take_folio_array(const struct memfd_luo_ser *ser)
{
	u64 room = (u64)ser->folios.total_pages << PAGE_SHIFT;

	if (ser->nr_folios > room / sizeof(struct memfd_luo_folio_ser))
		return NULL;
	return kho_restore_vmalloc(&ser->folios);
}

/* Free the preserved folios of entries [from, nr). */
static void memfd_luo_discard(const struct memfd_luo_folio_ser *fs,
			      u64 from, u64 nr)
{
	struct folio *folio;
	u64 pfn;

	for (; from < nr; from++) {
		pfn = fs[from].pfn_flags & MEMFD_LUO_PFN_MASK;
		if (!pfn)
			continue;
		folio = kho_restore_folio(PFN_PHYS(pfn));
		if (folio)
			folio_put(folio);
	}
}

static int memfd_luo_add_folio(struct inode *inode, struct folio *folio,
			       pgoff_t index)
{
	struct address_space *mapping = inode->i_mapping;
	long nr = folio_nr_pages(folio);
	gfp_t gfp = mapping_gfp_mask(mapping);
	int err;

	err = mem_cgroup_charge(folio, NULL, gfp);
	if (err)
		return err;
	err = shmem_inode_acct_blocks(inode, nr);
	if (err)
		return err;
	__folio_set_locked(folio);
	__folio_set_swapbacked(folio);
	err = shmem_add_to_page_cache(folio, mapping, index, NULL, gfp);
	if (err) {
		__folio_clear_locked(folio);
		shmem_inode_unacct_blocks(inode, nr);
		return err;
	}
	folio_mark_uptodate(folio);
	folio_mark_dirty(folio);
	shmem_recalc_inode(inode, nr, 0);
	folio_add_lru(folio);
	folio_unlock(folio);
	return 0;
}

/* Put one preserved folio into the new memfd at its index. */
static int memfd_luo_restore_folio(struct inode *inode,
				   const struct memfd_luo_folio_ser *fs,
				   pgoff_t nr_pages)
{
	u64 pfn = fs->pfn_flags & MEMFD_LUO_PFN_MASK;
	struct folio *folio;
	unsigned long nr;
	int err;

	if (!pfn)
		return 0;
	folio = kho_restore_folio(PFN_PHYS(pfn));
	if (!folio)
		return -EIO;
	nr = folio_nr_pages(folio);
	err = -EINVAL;
	if (fs->index >= nr_pages || nr > nr_pages - fs->index ||
	    !IS_ALIGNED(fs->index, nr))
		goto out;
	if (folio_test_large(folio))
		folio_set_large_rmappable(folio);
	err = memfd_luo_add_folio(inode, folio, fs->index);
out:
	folio_put(folio);
	return err;
}

static int memfd_luo_restore_folios(struct inode *inode,
				    const struct memfd_luo_ser *ser)
{
	pgoff_t nr_pages = DIV_ROUND_UP_ULL(ser->size, PAGE_SIZE);
	struct memfd_luo_folio_ser *fs;
	u64 i;
	int err = 0;

	fs = memfd_luo_take_folio_array(ser);
	if (!fs)
		return -EINVAL;
	for (i = 0; i < ser->nr_folios && !err; i++)
		err = memfd_luo_restore_folio(inode, &fs[i], nr_pages);
	/* after a failure, free what was not put into the file */
	memfd_luo_discard(fs, i, ser->nr_folios);
	vfree(fs);
	return err;
}

/* A new, empty memfd of the preserved seals (memfd_create() "memfd:"). */
static struct file *memfd_luo_new_file(const struct memfd_luo_ser *ser)
{
	struct file *file;

	file = shmem_file_setup("memfd:", 0, VM_NORESERVE);
	if (IS_ERR(file))
		return file;
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	file->f_flags |= O_LARGEFILE;
	SHMEM_I(file_inode(file))->seals = ser->seals;
	return file;
}

static int memfd_luo_retrieve(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_ser ser;
	struct inode *inode;
	struct file *file;
	int err;

	if (!memfd_luo_take_record(args->serialized_data, &ser))
		return -EIO;
	if ((ser.seals & ~MEMFD_LUO_SEALS) || ser.flags ||
	    DIV_ROUND_UP_ULL(ser.size, PAGE_SIZE) > U32_MAX) {
		err = -EOPNOTSUPP;
		goto err_discard;
	}
	file = memfd_luo_new_file(&ser);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_discard;
	}
	inode = file_inode(file);
	inode_lock(inode);
	i_size_write(inode, ser.size);
	file->f_pos = ser.pos;
	err = ser.nr_folios ? memfd_luo_restore_folios(inode, &ser) : 0;
	inode_unlock(inode);
	if (err) {
		fput(file);
		return err;
	}
	args->file = file;
	return 0;

err_discard:
	if (ser.nr_folios) {
		struct memfd_luo_folio_ser *fs = memfd_luo_take_folio_array(&ser);

		if (fs) {
			memfd_luo_discard(fs, 0, ser.nr_folios);
			vfree(fs);
		}
	}
	return err;
}

/* Never retrieved: the preserved pages return to this kernel. */
static void memfd_luo_finish(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_folio_ser *fs;
	struct memfd_luo_ser ser;

	if (args->retrieve_status)
		return;
	if (!memfd_luo_take_record(args->serialized_data, &ser))
		return;
	if (!ser.nr_folios)
		return;
	fs = memfd_luo_take_folio_array(&ser);
	if (!fs)
		return;
	memfd_luo_discard(fs, 0, ser.nr_folios);
	vfree(fs);
}

static const struct liveupdate_file_ops memfd_luo_ops = {
	.can_preserve	= memfd_luo_can_preserve,
	.preserve	= memfd_luo_preserve,
	.unpreserve	= memfd_luo_unpreserve,
	.freeze		= memfd_luo_freeze,
	.retrieve	= memfd_luo_retrieve,
	.finish		= memfd_luo_finish,
	.get_id		= memfd_luo_get_id,
	.owner		= THIS_MODULE,
};

static struct liveupdate_file_handler memfd_luo_handler = {
	.ops		= &memfd_luo_ops,
	.compatible	= MEMFD_LUO_COMPATIBLE,
};

static int __init memfd_luo_init(void)
{
	int err = liveupdate_register_file_handler(&memfd_luo_handler);

	if (err && err != -EOPNOTSUPP)
		pr_warn("cannot register: %d\n", err);
	return 0;
}
late_initcall(memfd_luo_init);

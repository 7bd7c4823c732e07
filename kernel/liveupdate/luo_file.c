// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator: file handlers and the files of a session.
 *
 * A file handler preserves one kind of file.  LUO asks the handlers, in
 * registration order, which one takes a file; it keeps its own reference
 * to every preserved file, and refuses to preserve one object twice (the
 * handler's get_id() names the object).  Preserve, freeze and retrieve run
 * oldest first; unpreserve and finish newest first.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "luo_internal.h"

static LIST_HEAD(luo_file_handlers);
static DEFINE_MUTEX(luo_file_handlers_mutex);
/* Every file preserved in an outgoing session, by its handler's id. */
static DEFINE_XARRAY(luo_preserved_ids);

/* Tokens index an xarray. */
static_assert(sizeof(unsigned long) == sizeof(u64));

/**
 * luo_file_handler_find - The handler of a compatible string.
 * @compatible: NUL-terminated.
 *
 * Context: Process context.
 * Return: the handler or %NULL.
 */
struct liveupdate_file_handler *luo_file_handler_find(const char *compatible)
{
	struct liveupdate_file_handler *fh, *found = NULL;

	mutex_lock(&luo_file_handlers_mutex);
	list_for_each_entry(fh, &luo_file_handlers, list) {
		if (!strcmp(fh->compatible, compatible)) {
			found = fh;
			break;
		}
	}
	mutex_unlock(&luo_file_handlers_mutex);
	return found;
}

/**
 * liveupdate_register_file_handler - Teach LUO a kind of file.
 * @fh: The handler; it stays registered for the life of the kernel.
 *
 * Handlers of files the previous kernel handed over must register before
 * late_initcall_sync, when LUO takes the incoming sessions over.
 *
 * Context: Process context.
 * Return: 0, -EOPNOTSUPP if LUO is off, -EINVAL if a required callback is
 * missing or the compatible string is not terminated, -EEXIST if the
 * compatible string is taken.
 */
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	const struct liveupdate_file_ops *ops = fh->ops;

	if (!liveupdate_enabled())
		return -EOPNOTSUPP;
	if (!ops || !ops->can_preserve || !ops->preserve || !ops->unpreserve ||
	    !ops->retrieve || !ops->finish ||
	    !memchr(fh->compatible, '\0', sizeof(fh->compatible)))
		return -EINVAL;
	if (luo_file_handler_find(fh->compatible))
		return -EEXIST;
	mutex_lock(&luo_file_handlers_mutex);
	list_add_tail(&fh->list, &luo_file_handlers);
	mutex_unlock(&luo_file_handlers_mutex);
	return 0;
}

static struct liveupdate_file_handler *luo_file_handler_for(struct file *file)
{
	struct liveupdate_file_handler *fh, *found = NULL;

	mutex_lock(&luo_file_handlers_mutex);
	list_for_each_entry(fh, &luo_file_handlers, list) {
		if (fh->ops->can_preserve(fh, file)) {
			found = fh;
			break;
		}
	}
	mutex_unlock(&luo_file_handlers_mutex);
	return found;
}

/**
 * luo_file_set_init - Initialise an empty set of files.
 * @set: The set.
 *
 * Context: Any context.
 */
void luo_file_set_init(struct luo_file_set *set)
{
	INIT_LIST_HEAD(&set->files);
	xa_init(&set->tokens);
	set->count = 0;
}

static void luo_file_args(struct luo_file *lf,
			  struct liveupdate_file_op_args *args)
{
	*args = (struct liveupdate_file_op_args) {
		.handler = lf->fh,
		.file = lf->file,
		.serialized_data = lf->data,
		.private_data = lf->private,
		.retrieve_status = lf->retrieve_status,
	};
}

static void luo_file_add(struct luo_file_set *set, struct luo_file *lf)
{
	list_add_tail(&lf->list, &set->files);
	set->count++;
}

static void luo_file_del(struct luo_file_set *set, struct luo_file *lf)
{
	xa_erase(&set->tokens, lf->token);
	list_del(&lf->list);
	set->count--;
	kfree(lf);
}

/* Claim @lf's token in @set and its object among all preserved files. */
static int luo_file_claim(struct luo_file_set *set, struct luo_file *lf)
{
	int err;

	err = xa_insert(&luo_preserved_ids, lf->id, lf, GFP_KERNEL);
	if (err)
		return err;	/* -EBUSY: preserved already */
	err = xa_insert(&set->tokens, lf->token, lf, GFP_KERNEL);
	if (err) {
		xa_erase(&luo_preserved_ids, lf->id);
		return err == -EBUSY ? -EEXIST : err;
	}
	return 0;
}

static void luo_file_unclaim(struct luo_file_set *set, struct luo_file *lf)
{
	xa_erase(&set->tokens, lf->token);
	xa_erase(&luo_preserved_ids, lf->id);
}

/**
 * luo_file_preserve - Preserve the file of @fd in an outgoing set.
 * @set:   The session's files; the session mutex is held.
 * @token: The user's token for it.
 * @fd:    A file descriptor of the caller.
 *
 * Context: Process context.
 * Return: 0; -EEXIST token in use; -EBADF; -ENOENT no handler takes the
 * file; -EBUSY the file is preserved already; -ENOMEM; a handler error.
 */
int luo_file_preserve(struct luo_file_set *set, u64 token, int fd)
{
	struct liveupdate_file_op_args args;
	struct liveupdate_file_handler *fh;
	struct luo_file *lf;
	struct file *file;
	int err;

	if (xa_load(&set->tokens, token))
		return -EEXIST;
	file = fget(fd);
	if (!file)
		return -EBADF;
	err = -ENOENT;
	fh = luo_file_handler_for(file);
	if (!fh)
		goto err_fput;
	err = -ENOMEM;
	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf)
		goto err_fput;
	lf->fh = fh;
	lf->file = file;
	lf->token = token;
	lf->id = fh->ops->get_id ? fh->ops->get_id(file) : (unsigned long)file;
	err = luo_file_claim(set, lf);
	if (err)
		goto err_free;
	luo_file_args(lf, &args);
	err = fh->ops->preserve(&args);
	if (err)
		goto err_unclaim;
	lf->data = args.serialized_data;
	lf->private = args.private_data;
	luo_file_add(set, lf);
	return 0;

err_unclaim:
	luo_file_unclaim(set, lf);
err_free:
	kfree(lf);
err_fput:
	fput(file);
	return err;
}

/**
 * luo_file_unpreserve_all - Drop every file of an outgoing set.
 * @set: The files of a session being closed.
 *
 * Context: Process context.
 */
void luo_file_unpreserve_all(struct luo_file_set *set)
{
	struct liveupdate_file_op_args args;
	struct luo_file *lf, *tmp;

	list_for_each_entry_safe_reverse(lf, tmp, &set->files, list) {
		luo_file_args(lf, &args);
		lf->fh->ops->unpreserve(&args);
		xa_erase(&luo_preserved_ids, lf->id);
		fput(lf->file);
		luo_file_del(set, lf);
	}
}

/**
 * luo_file_freeze - Last update of a preserved file at kexec time.
 * @lf: The file.
 *
 * Context: Process context, at kexec.
 * Return: 0 or the handler's error.
 */
int luo_file_freeze(struct luo_file *lf)
{
	struct liveupdate_file_op_args args;
	int err;

	if (!lf->fh->ops->freeze)
		return 0;
	luo_file_args(lf, &args);
	err = lf->fh->ops->freeze(&args);
	if (!err)
		lf->data = args.serialized_data;
	return err;
}

/**
 * luo_file_unfreeze - Undo luo_file_freeze() when the kexec is abandoned.
 * @lf: The file.
 *
 * Context: Process context, at kexec.
 */
void luo_file_unfreeze(struct luo_file *lf)
{
	struct liveupdate_file_op_args args;

	if (!lf->fh->ops->unfreeze)
		return;
	luo_file_args(lf, &args);
	lf->fh->ops->unfreeze(&args);
}

/**
 * luo_file_retrieve - Recreate an incoming file, once.
 * @set:   The session's files; the session mutex is held.
 * @token: The token it was preserved under.
 * @filep: Receives the file with a reference for the caller.
 *
 * The handler runs on the first call only; later calls return the same
 * file, or the same error.
 *
 * Context: Process context.
 * Return: 0, -ENOENT for an unknown token, or the handler's error.
 */
int luo_file_retrieve(struct luo_file_set *set, u64 token,
		      struct file **filep)
{
	struct liveupdate_file_op_args args;
	struct luo_file *lf = xa_load(&set->tokens, token);
	int err;

	if (!lf)
		return -ENOENT;
	if (lf->retrieve_status < 0)
		return lf->retrieve_status;
	if (!lf->retrieve_status) {
		luo_file_args(lf, &args);
		err = lf->fh->ops->retrieve(&args);
		if (err) {
			lf->retrieve_status = err;
			return err;
		}
		lf->file = args.file;
		lf->private = args.private_data;
		lf->retrieve_status = 1;
	}
	*filep = get_file(lf->file);
	return 0;
}

/**
 * luo_file_finish - Let go of every file of an incoming set.
 * @set: The session's files; the session mutex is held.
 *
 * All or nothing: if a handler says a file cannot finish yet, nothing
 * changes.  Files never retrieved are discarded by their handler.
 *
 * Context: Process context.
 * Return: 0 or -EBUSY.
 */
int luo_file_finish(struct luo_file_set *set)
{
	struct liveupdate_file_op_args args;
	struct luo_file *lf, *tmp;

	list_for_each_entry(lf, &set->files, list) {
		if (!lf->fh->ops->can_finish)
			continue;
		luo_file_args(lf, &args);
		if (!lf->fh->ops->can_finish(&args))
			return -EBUSY;
	}
	list_for_each_entry_safe_reverse(lf, tmp, &set->files, list) {
		luo_file_args(lf, &args);
		lf->fh->ops->finish(&args);
		if (lf->file)
			fput(lf->file);
		luo_file_del(set, lf);
	}
	return 0;
}

/**
 * luo_file_add_incoming - Add a file the previous kernel handed over.
 * @set:        The incoming session's files.
 * @compatible: Its handler's compatible string, NUL-terminated.
 * @data:       The handler's description of it.
 * @token:      Its token.
 *
 * Context: Process context, at boot.
 * Return: 0, -ENOENT for an unknown handler, -EEXIST for a token twice,
 * -ENOMEM.
 */
int luo_file_add_incoming(struct luo_file_set *set, const char *compatible,
			  u64 data, u64 token)
{
	struct liveupdate_file_handler *fh = luo_file_handler_find(compatible);
	struct luo_file *lf;
	int err;

	if (!fh)
		return -ENOENT;
	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf)
		return -ENOMEM;
	lf->fh = fh;
	lf->data = data;
	lf->token = token;
	err = xa_insert(&set->tokens, token, lf, GFP_KERNEL);
	if (err) {
		kfree(lf);
		return err == -EBUSY ? -EEXIST : err;
	}
	luo_file_add(set, lf);
	return 0;
}

/**
 * luo_file_drop_incoming - Forget incoming files without their handlers.
 * @set: The files of a session whose hand-over was refused.
 *
 * Their preserved memory stays reserved until the next kexec.
 *
 * Context: Process context, at boot.
 */
void luo_file_drop_incoming(struct luo_file_set *set)
{
	struct luo_file *lf, *tmp;

	list_for_each_entry_safe(lf, tmp, &set->files, list)
		luo_file_del(set, lf);
}

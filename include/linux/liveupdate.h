/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live Update Orchestrator (LUO): the interface of file handlers.
 *
 * A file handler teaches LUO to keep one kind of file across a kexec: it
 * preserves the file's state in KHO memory and describes it with one
 * 64-bit value, which the next kernel gives back to it to recreate the
 * file.
 */
#ifndef _LINUX_LIVEUPDATE_H
#define _LINUX_LIVEUPDATE_H

#include <linux/list.h>
#include <linux/types.h>
#include <uapi/linux/liveupdate.h>

/* Length of a handler's compatible string, including the NUL. */
#define LIVEUPDATE_HNDL_COMPAT_LENGTH	48

struct file;
struct module;
struct liveupdate_file_handler;

/**
 * struct liveupdate_file_op_args - What a handler callback works on.
 * @handler:         The handler called.
 * @file:            The file: the preserved one in the old kernel, the
 *                   recreated one (set by @retrieve) in the new kernel.
 * @serialized_data: The handler's 64-bit description of the file, set by
 *                   @preserve (and maybe @freeze), given to @retrieve and
 *                   @finish in the next kernel.
 * @private_data:    The handler's own per-file state in this kernel.
 * @retrieve_status: For @finish: 0 retrieve was never called, 1 it
 *                   succeeded, a negative errno it failed.
 */
struct liveupdate_file_op_args {
	struct liveupdate_file_handler *handler;
	struct file *file;
	u64 serialized_data;
	void *private_data;
	int retrieve_status;
};

/**
 * struct liveupdate_file_ops - The callbacks of a file handler.
 * @can_preserve: Required.  Whether this handler preserves @file.
 * @preserve:     Required.  Preserve the file; set @serialized_data.
 * @unpreserve:   Required.  Undo @preserve (session closed before kexec).
 * @freeze:       Optional.  Last update at kexec time; may fail.
 * @unfreeze:     Optional.  Undo @freeze when the kexec is abandoned.
 * @retrieve:     Required.  Next kernel: recreate the file into @file.
 * @can_finish:   Optional.  Whether @finish may run now.
 * @finish:       Required.  Next kernel: release what the handler still
 *                holds; discard the preserved state if never retrieved.
 * @get_id:       Optional.  Identity of the preserved object, to refuse
 *                preserving it twice; the struct file by default.
 * @owner:        The module of the handler.
 */
struct liveupdate_file_ops {
	bool (*can_preserve)(struct liveupdate_file_handler *handler,
			     struct file *file);
	int (*preserve)(struct liveupdate_file_op_args *args);
	void (*unpreserve)(struct liveupdate_file_op_args *args);
	int (*freeze)(struct liveupdate_file_op_args *args);
	void (*unfreeze)(struct liveupdate_file_op_args *args);
	int (*retrieve)(struct liveupdate_file_op_args *args);
	bool (*can_finish)(struct liveupdate_file_op_args *args);
	void (*finish)(struct liveupdate_file_op_args *args);
	unsigned long (*get_id)(struct file *file);
	struct module *owner;
};

/**
 * struct liveupdate_file_handler - A kind of file LUO can preserve.
 * @ops:        The callbacks.
 * @compatible: Names the serialized form; the next kernel picks the
 *              handler for a file by it.
 * @list:       LUO's list of handlers.
 */
struct liveupdate_file_handler {
	const struct liveupdate_file_ops *ops;
	const char compatible[LIVEUPDATE_HNDL_COMPAT_LENGTH];
	struct list_head list;
};

#ifdef CONFIG_LIVEUPDATE

bool liveupdate_enabled(void);
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh);
int liveupdate_reboot(void);

#else

static inline bool liveupdate_enabled(void)
{
	return false;
}

static inline int
liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	return -EOPNOTSUPP;
}

static inline int liveupdate_reboot(void)
{
	return 0;
}

#endif /* CONFIG_LIVEUPDATE */

#endif /* _LINUX_LIVEUPDATE_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live Update Orchestrator: what its files share.
 *
 * luo_core.c     boot parameter, /dev/liveupdate, the kexec hook
 * luo_session.c  sessions and their file descriptors
 * luo_file.c     file handlers and the files of a session
 * luo_handover.c the blob: written at kexec, checked at boot
 */
#ifndef _KERNEL_LIVEUPDATE_LUO_INTERNAL_H
#define _KERNEL_LIVEUPDATE_LUO_INTERNAL_H

#include <linux/liveupdate.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>

struct luo_ser;

/**
 * struct luo_file - A file preserved in, or handed over with, a session.
 * @list:    In the session's list, oldest first.
 * @fh:      Its handler.
 * @file:    The file: LUO's reference in the old kernel; in the new one
 *           the recreated file once retrieved, else %NULL.
 * @data:    The handler's description of the file.
 * @private: The handler's per-file state in this kernel.
 * @token:   The user's token.
 * @id:      Identity in the table of preserved files (outgoing only).
 * @retrieve_status: 0 never retrieved, 1 retrieved, <0 the failure.
 */
struct luo_file {
	struct list_head list;
	struct liveupdate_file_handler *fh;
	struct file *file;
	u64 data;
	void *private;
	u64 token;
	unsigned long id;
	int retrieve_status;
};

/**
 * struct luo_file_set - The files of a session.
 * @files:  &struct luo_file, oldest first.
 * @tokens: The same files by token.
 * @count:  How many.
 */
struct luo_file_set {
	struct list_head files;
	struct xarray tokens;
	unsigned long count;
};

/**
 * struct luo_session - A named set of preserved files.
 * @name:      NUL-terminated name.
 * @incoming:  Handed over by the previous kernel (else outgoing).
 * @retrieved: Incoming: handed to user space already.
 * @list:      In the outgoing or the incoming list.
 * @mutex:     Serializes the ioctls of the session.
 * @set:       Its files.
 */
struct luo_session {
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	bool incoming;
	bool retrieved;
	struct list_head list;
	struct mutex mutex;	/* serializes the session's ioctls */
	struct luo_file_set set;
};

/* Taken for reading by every session operation, for writing at kexec. */
extern struct rw_semaphore luo_serialize_rwsem;
/* Protects the session lists. */
extern struct mutex luo_sessions_mutex;
extern struct list_head luo_outgoing_sessions;
extern struct list_head luo_incoming_sessions;

/**
 * struct luo_ucmd - An ioctl being served.
 * @ubuffer:   The user's argument struct.
 * @user_size: Its size as user space gave it.
 * @cmd:       The kernel's copy of it.
 */
struct luo_ucmd {
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

/**
 * struct luo_ioctl_op - One command of /dev/liveupdate or a session.
 * @cmd:      The exact command word.
 * @size:     Size of the kernel's argument struct.
 * @min_size: Smallest size user space may give.
 * @check:    Optional; refuses the command for this context (-EINVAL).
 * @execute:  Runs the command on the copied-in struct.
 */
struct luo_ioctl_op {
	unsigned int cmd;
	size_t size;
	size_t min_size;
	int (*check)(void *ctx);
	int (*execute)(struct luo_ucmd *ucmd, void *ctx);
};

int luo_ucmd_respond(struct luo_ucmd *ucmd, size_t kernel_size);
long luo_ioctl_dispatch(const struct luo_ioctl_op *ops, unsigned int nr,
			unsigned int base, unsigned int cmd, unsigned long arg,
			void *ctx);

/* luo_session.c */
int luo_session_create(struct luo_ucmd *ucmd);
int luo_session_retrieve(struct luo_ucmd *ucmd);
struct luo_session *luo_session_alloc(const char *name, bool incoming);
void luo_session_free(struct luo_session *session);
unsigned long luo_session_incoming_unretrieved(void);

/* luo_file.c */
void luo_file_set_init(struct luo_file_set *set);
int luo_file_preserve(struct luo_file_set *set, u64 token, int fd);
void luo_file_unpreserve_all(struct luo_file_set *set);
int luo_file_retrieve(struct luo_file_set *set, u64 token,
		      struct file **filep);
int luo_file_finish(struct luo_file_set *set);
int luo_file_freeze(struct luo_file *lf);
void luo_file_unfreeze(struct luo_file *lf);
int luo_file_add_incoming(struct luo_file_set *set, const char *compatible,
			  u64 data, u64 token);
void luo_file_drop_incoming(struct luo_file_set *set);
struct liveupdate_file_handler *luo_file_handler_find(const char *compatible);

/* luo_handover.c */
int luo_handover_init(void);
int luo_handover_serialize(void);
int luo_handover_instantiate(void);
struct luo_ser *luo_handover_outgoing(void);
void *luo_handover_outgoing_table(void);

#endif /* _KERNEL_LIVEUPDATE_LUO_INTERNAL_H */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator: sessions.
 *
 * A session is a named set of preserved files with a file descriptor of
 * its own.  An outgoing session (CREATE_SESSION) lives as long as its file
 * is open and is handed to the next kernel at kexec; closing it before the
 * kexec unpreserves its files.  An incoming session was handed over by the
 * previous kernel; user space takes it once (RETRIEVE_SESSION), gets its
 * files back by token and finishes it (FINISH, or closing it).
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "luo_internal.h"

DECLARE_RWSEM(luo_serialize_rwsem);
/* Protects both session lists and the sessions' retrieved flags. */
DEFINE_MUTEX(luo_sessions_mutex);
LIST_HEAD(luo_outgoing_sessions);
LIST_HEAD(luo_incoming_sessions);

static const struct file_operations luo_session_fops;

/**
 * luo_session_alloc - Allocate a session, on no list yet.
 * @name:     Its name, NUL-terminated within LIVEUPDATE_SESSION_NAME_LENGTH.
 * @incoming: Whether the previous kernel handed it over.
 *
 * Context: Process context.
 * Return: the session or %NULL.
 */
struct luo_session *luo_session_alloc(const char *name, bool incoming)
{
	struct luo_session *session = kzalloc(sizeof(*session), GFP_KERNEL);

	if (!session)
		return NULL;
	strscpy(session->name, name, sizeof(session->name));
	session->incoming = incoming;
	INIT_LIST_HEAD(&session->list);
	mutex_init(&session->mutex);
	luo_file_set_init(&session->set);
	return session;
}

/**
 * luo_session_free - Free a session that has no files and is on no list.
 * @session: The session.
 *
 * Context: Process context.
 */
void luo_session_free(struct luo_session *session)
{
	xa_destroy(&session->set.tokens);
	mutex_destroy(&session->mutex);
	kfree(session);
}

static struct luo_session *luo_session_find(struct list_head *head,
					    const char *name)
{
	struct luo_session *session;

	list_for_each_entry(session, head, list) {
		if (!strncmp(session->name, name, sizeof(session->name)))
			return session;
	}
	return NULL;
}

/**
 * luo_session_incoming_unretrieved - Incoming sessions still held.
 *
 * Context: Process context, luo_serialize_rwsem held.
 * Return: how many sessions of the previous kernel were not finished.
 */
unsigned long luo_session_incoming_unretrieved(void)
{
	struct luo_session *session;
	unsigned long n = 0;

	list_for_each_entry(session, &luo_incoming_sessions, list)
		n++;
	return n;
}

static struct file *luo_session_getfile(struct luo_session *session)
{
	struct file *file;
	char *name;

	name = kasprintf(GFP_KERNEL, "[luo_session] %s", session->name);
	if (!name)
		return ERR_PTR(-ENOMEM);
	file = anon_inode_getfile(name, &luo_session_fops, session, O_RDWR);
	kfree(name);
	return file;
}

/* Hand @file to user space as @fd if the result reaches it. */
static int luo_session_install(struct luo_ucmd *ucmd, size_t size, int fd,
			       struct file *file)
{
	int err = luo_ucmd_respond(ucmd, size);

	if (err) {
		fput(file);
		put_unused_fd(fd);
		return err;
	}
	fd_install(fd, file);
	return 0;
}

static int luo_session_add_outgoing(const char *name,
				    struct luo_session **sessionp)
{
	struct luo_session *session;
	int err = 0;

	down_read(&luo_serialize_rwsem);
	mutex_lock(&luo_sessions_mutex);
	if (luo_session_find(&luo_outgoing_sessions, name)) {
		err = -EEXIST;
		goto out;
	}
	session = luo_session_alloc(name, false);
	if (!session) {
		err = -ENOMEM;
		goto out;
	}
	list_add_tail(&session->list, &luo_outgoing_sessions);
	*sessionp = session;
out:
	mutex_unlock(&luo_sessions_mutex);
	up_read(&luo_serialize_rwsem);
	return err;
}

static void luo_session_remove(struct luo_session *session)
{
	mutex_lock(&luo_sessions_mutex);
	list_del(&session->list);
	mutex_unlock(&luo_sessions_mutex);
}

/**
 * luo_session_create - LIVEUPDATE_IOCTL_CREATE_SESSION.
 * @ucmd: The ioctl; its struct is copied in.
 *
 * Context: Process context.
 * Return: 0 or a negative errno (see the uapi header).
 */
int luo_session_create(struct luo_ucmd *ucmd)
{
	struct liveupdate_ioctl_create_session *args = ucmd->cmd;
	size_t len = strnlen(args->name, sizeof(args->name));
	struct luo_session *session;
	struct file *file;
	int fd, err;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	err = -EINVAL;
	if (!len || len == sizeof(args->name))
		goto err_fd;
	err = luo_session_add_outgoing(args->name, &session);
	if (err)
		goto err_fd;
	file = luo_session_getfile(session);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_session;
	}
	args->fd = fd;
	/* on failure, the file's release drops the session */
	return luo_session_install(ucmd, sizeof(*args), fd, file);

err_session:
	luo_session_remove(session);
	luo_session_free(session);
err_fd:
	put_unused_fd(fd);
	return err;
}

static int luo_session_take_incoming(const char *name,
				     struct luo_session **sessionp)
{
	struct luo_session *session;
	int err = 0;

	down_read(&luo_serialize_rwsem);
	mutex_lock(&luo_sessions_mutex);
	session = luo_session_find(&luo_incoming_sessions, name);
	if (!session)
		err = -ENOENT;
	else if (session->retrieved)
		err = -EINVAL;
	else
		session->retrieved = true;
	mutex_unlock(&luo_sessions_mutex);
	up_read(&luo_serialize_rwsem);
	*sessionp = session;
	return err;
}

/**
 * luo_session_retrieve - LIVEUPDATE_IOCTL_RETRIEVE_SESSION.
 * @ucmd: The ioctl; its struct is copied in.
 *
 * Context: Process context.
 * Return: 0 or a negative errno (see the uapi header).
 */
int luo_session_retrieve(struct luo_ucmd *ucmd)
{
	struct liveupdate_ioctl_retrieve_session *args = ucmd->cmd;
	struct luo_session *session;
	struct file *file;
	int fd, err;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	err = luo_session_take_incoming(args->name, &session);
	if (err)
		goto err_fd;
	file = luo_session_getfile(session);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_untake;
	}
	args->fd = fd;
	/* on failure, the file's release finishes the session */
	return luo_session_install(ucmd, sizeof(*args), fd, file);

err_untake:
	mutex_lock(&luo_sessions_mutex);
	session->retrieved = false;
	mutex_unlock(&luo_sessions_mutex);
err_fd:
	put_unused_fd(fd);
	return err;
}

static void luo_session_release_outgoing(struct luo_session *session)
{
	luo_session_remove(session);
	luo_file_unpreserve_all(&session->set);
	luo_session_free(session);
}

/* Finish implicitly; a session whose files refuse stays, stuck. */
static void luo_session_release_incoming(struct luo_session *session)
{
	int err;

	mutex_lock(&session->mutex);
	err = luo_file_finish(&session->set);
	mutex_unlock(&session->mutex);
	if (err) {
		pr_warn("session '%s' cannot finish (%d); held until the next kexec\n",
			session->name, err);
		return;
	}
	luo_session_remove(session);
	luo_session_free(session);
}

static int luo_session_release(struct inode *inode, struct file *file)
{
	struct luo_session *session = file->private_data;

	down_read(&luo_serialize_rwsem);
	if (session->incoming)
		luo_session_release_incoming(session);
	else
		luo_session_release_outgoing(session);
	up_read(&luo_serialize_rwsem);
	return 0;
}

static int luo_session_check_outgoing(void *ctx)
{
	struct luo_session *session = ctx;

	return session->incoming ? -EINVAL : 0;
}

static int luo_session_check_incoming(void *ctx)
{
	struct luo_session *session = ctx;

	return session->incoming ? 0 : -EINVAL;
}

static int luo_session_preserve_fd(struct luo_ucmd *ucmd, void *ctx)
{
	struct liveupdate_session_preserve_fd *args = ucmd->cmd;
	struct luo_session *session = ctx;
	int err;

	err = luo_file_preserve(&session->set, args->token, args->fd);
	if (err)
		return err;
	/* a failed copy-out leaves the file preserved, as upstream does */
	return luo_ucmd_respond(ucmd, sizeof(*args));
}

static int luo_session_retrieve_fd(struct luo_ucmd *ucmd, void *ctx)
{
	struct liveupdate_session_retrieve_fd *args = ucmd->cmd;
	struct luo_session *session = ctx;
	struct file *file;
	int fd, err;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	err = luo_file_retrieve(&session->set, args->token, &file);
	if (err) {
		put_unused_fd(fd);
		return err;
	}
	args->fd = fd;
	return luo_session_install(ucmd, sizeof(*args), fd, file);
}

static int luo_session_finish(struct luo_ucmd *ucmd, void *ctx)
{
	struct liveupdate_session_finish *args = ucmd->cmd;
	struct luo_session *session = ctx;
	int err;

	if (args->reserved)
		return -EINVAL;
	err = luo_file_finish(&session->set);
	if (err)
		return err;
	return luo_ucmd_respond(ucmd, sizeof(*args));
}

static int luo_session_get_name(struct luo_ucmd *ucmd, void *ctx)
{
	struct liveupdate_session_get_name *args = ucmd->cmd;
	struct luo_session *session = ctx;

	if (args->reserved)
		return -EINVAL;
	memset(args->name, 0, sizeof(args->name));
	strscpy(args->name, session->name, sizeof(args->name));
	return luo_ucmd_respond(ucmd, sizeof(*args));
}

static const struct luo_ioctl_op luo_session_ops[] = {
	{
		.cmd = LIVEUPDATE_SESSION_PRESERVE_FD,
		.size = sizeof(struct liveupdate_session_preserve_fd),
		.min_size = offsetofend(struct liveupdate_session_preserve_fd,
					token),
		.check = luo_session_check_outgoing,
		.execute = luo_session_preserve_fd,
	},
	{
		.cmd = LIVEUPDATE_SESSION_RETRIEVE_FD,
		.size = sizeof(struct liveupdate_session_retrieve_fd),
		.min_size = offsetofend(struct liveupdate_session_retrieve_fd,
					token),
		.check = luo_session_check_incoming,
		.execute = luo_session_retrieve_fd,
	},
	{
		.cmd = LIVEUPDATE_SESSION_FINISH,
		.size = sizeof(struct liveupdate_session_finish),
		.min_size = offsetofend(struct liveupdate_session_finish,
					reserved),
		.check = luo_session_check_incoming,
		.execute = luo_session_finish,
	},
	{
		.cmd = LIVEUPDATE_SESSION_GET_NAME,
		.size = sizeof(struct liveupdate_session_get_name),
		.min_size = offsetofend(struct liveupdate_session_get_name,
					name),
		.execute = luo_session_get_name,
	},
};

static long luo_session_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct luo_session *session = file->private_data;
	long ret;

	down_read(&luo_serialize_rwsem);
	mutex_lock(&session->mutex);
	ret = luo_ioctl_dispatch(luo_session_ops, ARRAY_SIZE(luo_session_ops),
				 LIVEUPDATE_CMD_SESSION_BASE, cmd, arg,
				 session);
	mutex_unlock(&session->mutex);
	up_read(&luo_serialize_rwsem);
	return ret;
}

static const struct file_operations luo_session_fops = {
	.owner		= THIS_MODULE,
	.release	= luo_session_release,
	.unlocked_ioctl	= luo_session_ioctl,
};

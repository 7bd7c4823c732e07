/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Live Update Orchestrator (LUO): keep open files across a kexec.
 *
 * User space opens /dev/liveupdate (one opener at a time), creates named
 * sessions and preserves file descriptors in them under 64-bit tokens.
 * After a kexec the next kernel hands the sessions back by name and the
 * files by token.  See Documentation/userspace-api/liveupdate.rst.
 */
#ifndef _UAPI_LINUX_LIVEUPDATE_H
#define _UAPI_LINUX_LIVEUPDATE_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: General ioctl format
 *
 * Every command is encoded as _IO(LIVEUPDATE_IOCTL_TYPE, nr), without
 * direction or size bits.  Its argument struct starts with a __u32 size,
 * set by user space to the size of the struct it was built with: smaller
 * than the kernel's minimum gives EINVAL, larger is accepted if the bytes
 * the kernel does not know are zero (E2BIG otherwise).
 *
 * Errors: ENOTTY unknown encoding, EINVAL a wrong field or a command
 * number out of range, E2BIG non-zero unknown trailing bytes, ENOENT a
 * token or name not found, ENOMEM out of memory, EFAULT bad user memory.
 */
#define LIVEUPDATE_IOCTL_TYPE		0xBA

/* Length of a session name, including the terminating NUL. */
#define LIVEUPDATE_SESSION_NAME_LENGTH	64

/* The commands of /dev/liveupdate. */
enum {
	LIVEUPDATE_CMD_BASE = 0x00,
	LIVEUPDATE_CMD_CREATE_SESSION = LIVEUPDATE_CMD_BASE,
	LIVEUPDATE_CMD_RETRIEVE_SESSION = 0x01,
};

/* The commands of a session file descriptor. */
enum {
	LIVEUPDATE_CMD_SESSION_BASE = 0x40,
	LIVEUPDATE_CMD_SESSION_PRESERVE_FD = LIVEUPDATE_CMD_SESSION_BASE,
	LIVEUPDATE_CMD_SESSION_RETRIEVE_FD = 0x41,
	LIVEUPDATE_CMD_SESSION_FINISH = 0x42,
	LIVEUPDATE_CMD_SESSION_GET_NAME = 0x43,
};

/**
 * struct liveupdate_ioctl_create_session - LIVEUPDATE_IOCTL_CREATE_SESSION
 * @size: Input; sizeof(struct liveupdate_ioctl_create_session).
 * @fd:   Output; the new session's file descriptor (close-on-exec).
 * @name: Input; the session name, NUL-terminated, not empty, unique among
 *        the sessions this kernel will hand over.
 *
 * Creates an outgoing session: the files preserved in it are handed to the
 * next kernel at kexec.  Closing its last file descriptor before the kexec
 * drops the session and everything preserved in it.
 *
 * Return: 0, or -1 with errno EINVAL (bad name), EEXIST (name in use),
 * ENOMEM, EMFILE, EFAULT.
 */
struct liveupdate_ioctl_create_session {
	__u32 size;
	__s32 fd;
	__u8 name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_CREATE_SESSION \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_CREATE_SESSION)

/**
 * struct liveupdate_ioctl_retrieve_session - LIVEUPDATE_IOCTL_RETRIEVE_SESSION
 * @size: Input; sizeof(struct liveupdate_ioctl_retrieve_session).
 * @fd:   Output; the session's file descriptor (close-on-exec).
 * @name: Input; the name the previous kernel's session had.
 *
 * Hands out a session of the previous kernel, once.
 *
 * Return: 0, or -1 with errno ENOENT (no such session), EINVAL (retrieved
 * already), ENOMEM, EMFILE, EFAULT.
 */
struct liveupdate_ioctl_retrieve_session {
	__u32 size;
	__s32 fd;
	__u8 name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_RETRIEVE_SESSION \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_RETRIEVE_SESSION)

/**
 * struct liveupdate_session_preserve_fd - LIVEUPDATE_SESSION_PRESERVE_FD
 * @size:  Input; sizeof(struct liveupdate_session_preserve_fd).
 * @fd:    Input; the file descriptor to preserve.
 * @token: Input; the caller's name for the file, unique in the session.
 *
 * Preserves a file in an outgoing session.  The session keeps its own
 * reference: the caller may close @fd.
 *
 * Return: 0, or -1 with errno EINVAL (not an outgoing session), EEXIST
 * (token in use), EBADF, ENOENT (no handler for this kind of file), EBUSY
 * (the file is preserved already), ENOMEM, or the handler's error.
 */
struct liveupdate_session_preserve_fd {
	__u32 size;
	__s32 fd;
	__aligned_u64 token;
};

#define LIVEUPDATE_SESSION_PRESERVE_FD \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_PRESERVE_FD)

/**
 * struct liveupdate_session_retrieve_fd - LIVEUPDATE_SESSION_RETRIEVE_FD
 * @size:  Input; sizeof(struct liveupdate_session_retrieve_fd).
 * @fd:    Output; a new file descriptor for the file (close-on-exec).
 * @token: Input; the token the file was preserved under.
 *
 * Recreates a file of a retrieved session.  Asking again for the same
 * token gives another descriptor of the same open file; a failure is
 * final and repeated for every later call.
 *
 * Return: 0, or -1 with errno EINVAL (not a retrieved session), ENOENT
 * (no such token), EMFILE, EFAULT, or the handler's error.
 */
struct liveupdate_session_retrieve_fd {
	__u32 size;
	__s32 fd;
	__aligned_u64 token;
};

#define LIVEUPDATE_SESSION_RETRIEVE_FD \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_RETRIEVE_FD)

/**
 * struct liveupdate_session_finish - LIVEUPDATE_SESSION_FINISH
 * @size:     Input; sizeof(struct liveupdate_session_finish).
 * @reserved: Input; must be 0.
 *
 * Ends the kernel's hold on a retrieved session: files not retrieved are
 * discarded, retrieved ones stay usable through their descriptors.
 *
 * Return: 0, or -1 with errno EINVAL (not a retrieved session, reserved
 * not 0), EBUSY (a file cannot finish yet; nothing changed).
 */
struct liveupdate_session_finish {
	__u32 size;
	__u32 reserved;
};

#define LIVEUPDATE_SESSION_FINISH \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_FINISH)

/**
 * struct liveupdate_session_get_name - LIVEUPDATE_SESSION_GET_NAME
 * @size:     Input; sizeof(struct liveupdate_session_get_name).
 * @reserved: Input; must be 0.
 * @name:     Output; the session's name, NUL-terminated.
 *
 * Return: 0, or -1 with errno EINVAL (reserved not 0), EFAULT.
 */
struct liveupdate_session_get_name {
	__u32 size;
	__u32 reserved;
	__u8 name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_SESSION_GET_NAME \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_GET_NAME)

#endif /* _UAPI_LINUX_LIVEUPDATE_H */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator (LUO): the switch, /dev/liveupdate and the kexec
 * hook.
 *
 * With liveupdate=on (and KHO on), user space opens /dev/liveupdate -- one
 * opener at a time -- and creates sessions, in which it preserves files.
 * At kexec, liveupdate_reboot() writes every open session into LUO's KHO
 * blob; the next kernel hands them back by name (see luo_session.c).
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/miscdevice.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "luo_internal.h"

static bool luo_param_on;
static bool luo_on;
/* Result of taking the incoming sessions over; every open returns it. */
static int luo_incoming_err;
static atomic_t luo_device_busy = ATOMIC_INIT(0);

static int __init luo_parse_param(char *arg)
{
	return kstrtobool(arg, &luo_param_on);
}
early_param("liveupdate", luo_parse_param);

/**
 * liveupdate_enabled - Whether LUO is on in this boot.
 *
 * Context: Any context.
 * Return: true with liveupdate=on on a kernel with KHO enabled.
 */
bool liveupdate_enabled(void)
{
	return luo_on;
}

/**
 * luo_ucmd_respond - Copy an ioctl's result back to user space.
 * @ucmd:        The ioctl being served.
 * @kernel_size: The size of the kernel's argument struct.
 *
 * Writes as much of the struct as both sides know, never more than the
 * user gave.
 *
 * Context: Process context.
 * Return: 0 or -EFAULT.
 */
int luo_ucmd_respond(struct luo_ucmd *ucmd, size_t kernel_size)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, kernel_size)))
		return -EFAULT;
	return 0;
}

union luo_ioctl_buffer {
	struct liveupdate_ioctl_create_session create;
	struct liveupdate_ioctl_retrieve_session retrieve;
	struct liveupdate_session_preserve_fd preserve;
	struct liveupdate_session_retrieve_fd retrieve_fd;
	struct liveupdate_session_finish finish;
	struct liveupdate_session_get_name get_name;
};

/**
 * luo_ioctl_dispatch - Serve one LUO ioctl by the extensible-struct rules.
 * @ops:   The command table, indexed by number - @base.
 * @nr:    Entries in @ops.
 * @base:  Number of the first command.
 * @cmd:   The ioctl command word.
 * @arg:   The user's argument pointer.
 * @ctx:   Passed to the command (and its check).
 *
 * Order of checks: command number in range (-EINVAL), size readable
 * (-EFAULT), exact encoding (-ENOTTY), @ops' kind check, minimum size
 * (-EINVAL), unknown trailing bytes zero (-E2BIG).
 *
 * Context: Process context.
 * Return: the command's result or the error of a failed check.
 */
long luo_ioctl_dispatch(const struct luo_ioctl_op *ops, unsigned int nr,
			unsigned int base, unsigned int cmd, unsigned long arg,
			void *ctx)
{
	union luo_ioctl_buffer buf;
	const struct luo_ioctl_op *op;
	struct luo_ucmd ucmd = {
		.ubuffer = (void __user *)arg,
		.cmd = &buf,
	};
	unsigned int index = _IOC_NR(cmd) - base;
	int ret;

	if (_IOC_NR(cmd) < base || index >= nr)
		return -EINVAL;
	op = &ops[index];
	if (get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer))
		return -EFAULT;
	if (cmd != op->cmd)
		return -ENOTTY;
	if (op->check) {
		ret = op->check(ctx);
		if (ret)
			return ret;
	}
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	ret = copy_struct_from_user(&buf, op->size, ucmd.ubuffer,
				    ucmd.user_size);
	if (ret)
		return ret;
	return op->execute(&ucmd, ctx);
}

static int luo_create_session(struct luo_ucmd *ucmd, void *ctx)
{
	return luo_session_create(ucmd);
}

static int luo_retrieve_session(struct luo_ucmd *ucmd, void *ctx)
{
	return luo_session_retrieve(ucmd);
}

/* Every argument struct is extensible; today its minimum is all of it. */
static const struct luo_ioctl_op luo_device_ops[] = {
	{
		.cmd = LIVEUPDATE_IOCTL_CREATE_SESSION,
		.size = sizeof(struct liveupdate_ioctl_create_session),
		.min_size = offsetofend(struct liveupdate_ioctl_create_session,
					name),
		.execute = luo_create_session,
	},
	{
		.cmd = LIVEUPDATE_IOCTL_RETRIEVE_SESSION,
		.size = sizeof(struct liveupdate_ioctl_retrieve_session),
		.min_size = offsetofend(struct liveupdate_ioctl_retrieve_session,
					name),
		.execute = luo_retrieve_session,
	},
};

static long luo_device_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	return luo_ioctl_dispatch(luo_device_ops, ARRAY_SIZE(luo_device_ops),
				  LIVEUPDATE_CMD_BASE, cmd, arg, NULL);
}

static int luo_device_open(struct inode *inode, struct file *file)
{
	if (luo_incoming_err)
		return luo_incoming_err;
	if (atomic_cmpxchg(&luo_device_busy, 0, 1))
		return -EBUSY;
	return 0;
}

static int luo_device_release(struct inode *inode, struct file *file)
{
	atomic_set(&luo_device_busy, 0);
	return 0;
}

static const struct file_operations luo_device_fops = {
	.owner		= THIS_MODULE,
	.open		= luo_device_open,
	.release	= luo_device_release,
	.unlocked_ioctl	= luo_device_ioctl,
};

static struct miscdevice luo_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "liveupdate",
	.fops	= &luo_device_fops,
};

/* Decide whether LUO is on; file handlers register after this. */
static int __init luo_early_init(void)
{
	if (!luo_param_on)
		return 0;
	if (!kho_is_enabled()) {
		pr_warn("disabling liveupdate because KHO is disabled\n");
		return 0;
	}
	luo_on = true;
	return 0;
}
early_initcall(luo_early_init);

/*
 * Runs after every built-in file handler registered (late_initcall): take
 * the previous kernel's sessions over, then offer the device.
 */
static int __init luo_late_init(void)
{
	int err;

	if (!luo_on)
		return 0;
	luo_incoming_err = luo_handover_instantiate();
	err = luo_handover_init();
	if (!err)
		err = misc_register(&luo_miscdev);
	if (err) {
		pr_err("cannot start: %d\n", err);
		luo_on = false;
	}
	return 0;
}
late_initcall_sync(luo_late_init);

/**
 * liveupdate_reboot - Write the sessions for the next kernel.
 *
 * Called by kernel_kexec() once a kexec image is loaded, before devices
 * shut down.  On success every session operation blocks from now on; on
 * failure nothing changed and the kexec must not go on.
 *
 * Context: Process context.
 * Return: 0, or the error of a file handler's freeze or of an allocation.
 */
int liveupdate_reboot(void)
{
	if (!luo_on)
		return 0;
	return luo_handover_serialize();
}

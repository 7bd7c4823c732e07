// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator: damage the outgoing hand-over on purpose.
 *
 * Built only with CONFIG_LIVEUPDATE_TEST.  Writing a corruption's name to
 * /sys/kernel/debug/luo_test/corrupt arms it; at the next kexec, once LUO
 * has written its blob (reboot notifiers run after that), the blob is
 * damaged in that one way, so that tests can check what the next kernel
 * makes of it: no panic, one log line, nothing retrievable -- or, for a
 * damaged file record, a retrieve that fails.
 */

#define pr_fmt(fmt) "luo_test: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/kho/abi/luo.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "luo_internal.h"

struct luo_test_corruption {
	const char *name;
	/* 0, or -EINVAL if the hand-over lacks what it damages */
	int (*apply)(struct luo_ser *ser, void *table);
};

static const struct luo_test_corruption *luo_test_armed;

static struct luo_session_ser *luo_test_sessions(void *table)
{
	return table;
}

static struct luo_file_ser *luo_test_files(struct luo_ser *ser, void *table)
{
	return table + ser->nr_sessions * sizeof(struct luo_session_ser);
}

static int luo_test_compatible(struct luo_ser *ser, void *table)
{
	ser->compatible[4] = '9';
	return 0;
}

static int luo_test_table_size(struct luo_ser *ser, void *table)
{
	ser->table_size += sizeof(struct luo_file_ser);
	return 0;
}

static int luo_test_count(struct luo_ser *ser, void *table)
{
	ser->nr_sessions = U64_MAX / 2;
	return 0;
}

static int luo_test_table_pointer(struct luo_ser *ser, void *table)
{
	if (!table)
		return -EINVAL;
	ser->table.first.phys = PFN_PHYS(max_pfn) + SZ_1G;
	return 0;
}

static int luo_test_session_name(struct luo_ser *ser, void *table)
{
	if (!ser->nr_sessions)
		return -EINVAL;
	memset(luo_test_sessions(table)->name, 'A',
	       LIVEUPDATE_SESSION_NAME_LENGTH);
	return 0;
}

static int luo_test_session_twice(struct luo_ser *ser, void *table)
{
	struct luo_session_ser *ss = luo_test_sessions(table);

	if (ser->nr_sessions < 2)
		return -EINVAL;
	memcpy(ss[1].name, ss[0].name, sizeof(ss[0].name));
	return 0;
}

static int luo_test_file_count(struct luo_ser *ser, void *table)
{
	if (!ser->nr_sessions)
		return -EINVAL;
	luo_test_sessions(table)->nr_files++;
	return 0;
}

static int luo_test_file_handler(struct luo_ser *ser, void *table)
{
	if (!ser->nr_files)
		return -EINVAL;
	strscpy_pad(luo_test_files(ser, table)->compatible, "nosuch-v1");
	return 0;
}

static int luo_test_token_twice(struct luo_ser *ser, void *table)
{
	struct luo_session_ser *ss = luo_test_sessions(table);
	struct luo_file_ser *fs = luo_test_files(ser, table);

	if (!ser->nr_sessions || ss->nr_files < 2)
		return -EINVAL;
	fs[1].token = fs[0].token;
	return 0;
}

static int luo_test_file_record(struct luo_ser *ser, void *table)
{
	if (!ser->nr_files)
		return -EINVAL;
	luo_test_files(ser, table)->data = PFN_PHYS(max_pfn) + SZ_1G;
	return 0;
}

static const struct luo_test_corruption luo_test_corruptions[] = {
	{ "compatible", luo_test_compatible },
	{ "table-size", luo_test_table_size },
	{ "count", luo_test_count },
	{ "table-pointer", luo_test_table_pointer },
	{ "session-name", luo_test_session_name },
	{ "session-twice", luo_test_session_twice },
	{ "file-count", luo_test_file_count },
	{ "file-handler", luo_test_file_handler },
	{ "token-twice", luo_test_token_twice },
	{ "file-record", luo_test_file_record },
};

static int luo_test_reboot(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct luo_ser *ser = luo_handover_outgoing();
	int err;

	if (!luo_test_armed || !ser)
		return NOTIFY_DONE;
	err = luo_test_armed->apply(ser, luo_handover_outgoing_table());
	pr_info("corruption %s: %s\n", luo_test_armed->name,
		err ? "nothing to damage" : "applied");
	return NOTIFY_DONE;
}

static struct notifier_block luo_test_reboot_nb = {
	.notifier_call = luo_test_reboot,
};

static ssize_t luo_test_corrupt_write(struct file *file,
				      const char __user *ubuf, size_t len,
				      loff_t *ppos)
{
	char name[32];
	size_t i;

	if (len >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, len))
		return -EFAULT;
	name[len] = '\0';
	strim(name);
	for (i = 0; i < ARRAY_SIZE(luo_test_corruptions); i++) {
		if (!strcmp(name, luo_test_corruptions[i].name)) {
			luo_test_armed = &luo_test_corruptions[i];
			return len;
		}
	}
	return -EINVAL;
}

static const struct file_operations luo_test_corrupt_fops = {
	.owner	= THIS_MODULE,
	.write	= luo_test_corrupt_write,
};

static int __init luo_test_init(void)
{
	struct dentry *dir;

	if (!liveupdate_enabled())
		return 0;
	dir = debugfs_create_dir("luo_test", NULL);
	debugfs_create_file("corrupt", 0200, dir, NULL, &luo_test_corrupt_fops);
	return register_reboot_notifier(&luo_test_reboot_nb);
}
late_initcall_sync(luo_test_init);

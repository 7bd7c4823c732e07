// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator: the hand-over blob (<linux/kho/abi/luo.h>).
 *
 * Outgoing: at boot LUO adds its blob to KHO, empty.  At kexec,
 * luo_handover_serialize() blocks every session operation, lets each file
 * handler freeze its files, and writes the session table -- sized for what
 * is open then, so nothing is limited but memory -- into a KHO-preserved
 * vmalloc area that the blob points at.
 *
 * Incoming: every byte is checked before it is believed.  A blob that
 * fails a check is refused with one log line: this kernel boots without
 * it and nothing of it can be retrieved.  Its memory stays reserved until
 * the next kexec, which does not hand it on.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/err.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "luo_internal.h"

static struct luo_ser *luo_out;
static void *luo_out_table;
static u64 luo_in_liveupdate_num;

/**
 * luo_handover_outgoing - The outgoing blob, for test code.
 *
 * Context: Any context.
 * Return: the blob, or %NULL before luo_handover_init().
 */
struct luo_ser *luo_handover_outgoing(void)
{
	return luo_out;
}

/**
 * luo_handover_outgoing_table - The session table written at kexec.
 *
 * Context: Any context.
 * Return: the table, or %NULL before serialization or if it is empty.
 */
void *luo_handover_outgoing_table(void)
{
	return luo_out_table;
}

/**
 * luo_handover_init - Add LUO's (still empty) blob to KHO.
 *
 * Context: Process context, at boot.
 * Return: 0 or a negative errno.
 */
int luo_handover_init(void)
{
	int err;

	luo_out = kho_alloc_preserve(sizeof(*luo_out));
	if (IS_ERR(luo_out)) {
		err = PTR_ERR(luo_out);
		luo_out = NULL;
		return err;
	}
	strscpy_pad(luo_out->compatible, LUO_ABI_COMPATIBLE);
	luo_out->liveupdate_num = luo_in_liveupdate_num + 1;
	err = kho_add_subtree(LUO_KHO_ENTRY_NAME, luo_out, sizeof(*luo_out));
	if (err) {
		kho_unpreserve_free(luo_out);
		luo_out = NULL;
	}
	return err;
}

static void luo_count(u64 *nr_sessions, u64 *nr_files)
{
	struct luo_session *session;

	*nr_sessions = 0;
	*nr_files = 0;
	list_for_each_entry(session, &luo_outgoing_sessions, list) {
		(*nr_sessions)++;
		*nr_files += session->set.count;
	}
}

/* Unfreeze the first @nr files (in table order) after a failed freeze. */
static void luo_unfreeze(u64 nr)
{
	struct luo_session *session;
	struct luo_file *lf;

	list_for_each_entry(session, &luo_outgoing_sessions, list) {
		list_for_each_entry(lf, &session->set.files, list) {
			if (!nr--)
				return;
			luo_file_unfreeze(lf);
		}
	}
}

/* Freeze every file and write its entry; all or nothing. */
static int luo_freeze(struct luo_session_ser *ss, struct luo_file_ser *fs)
{
	struct luo_session *session;
	struct luo_file *lf;
	u64 done = 0;
	int err;

	list_for_each_entry(session, &luo_outgoing_sessions, list) {
		list_for_each_entry(lf, &session->set.files, list) {
			err = luo_file_freeze(lf);
			if (err) {
				pr_warn("session '%s': token %llu (%s) cannot freeze: %d\n",
					session->name, lf->token,
					lf->fh->compatible, err);
				luo_unfreeze(done);
				return err;
			}
			strscpy_pad(fs->compatible, lf->fh->compatible);
			fs->data = lf->data;
			fs->token = lf->token;
			fs++;
			done++;
		}
		strscpy_pad(ss->name, session->name);
		ss->nr_files = session->set.count;
		ss++;
	}
	return 0;
}

static int luo_write_table(u64 nr_sessions, u64 nr_files)
{
	size_t size = nr_sessions * sizeof(struct luo_session_ser) +
		      nr_files * sizeof(struct luo_file_ser);
	struct luo_session_ser *ss;
	void *table;
	int err;

	if (!size)
		return 0;
	table = vzalloc(size);
	if (!table)
		return -ENOMEM;
	ss = table;
	err = luo_freeze(ss, table + nr_sessions * sizeof(*ss));
	if (err)
		goto err_free;
	err = kho_preserve_vmalloc(table, &luo_out->table);
	if (err)
		goto err_unfreeze;
	luo_out->table_size = size;
	luo_out_table = table;
	return 0;

err_unfreeze:
	luo_unfreeze(nr_files);
err_free:
	vfree(table);
	return err;
}

/**
 * luo_handover_serialize - Write every outgoing session into the blob.
 *
 * On success every session operation blocks for good: the machine is
 * about to jump to the next kernel.  Sessions the previous kernel handed
 * over and that were not finished are not handed on; their memory returns
 * to the next kernel as free memory.
 *
 * Context: Process context, at kexec.
 * Return: 0 or a negative errno; nothing changed then.
 */
int luo_handover_serialize(void)
{
	u64 nr_sessions, nr_files;
	unsigned long left;
	int err;

	if (!luo_out)
		return 0;
	down_write(&luo_serialize_rwsem);
	luo_count(&nr_sessions, &nr_files);
	err = luo_write_table(nr_sessions, nr_files);
	if (err) {
		up_write(&luo_serialize_rwsem);
		return err;
	}
	luo_out->nr_sessions = nr_sessions;
	luo_out->nr_files = nr_files;
	left = luo_session_incoming_unretrieved();
	if (left)
		pr_info("%lu sessions of the previous kernel were not finished; their memory returns to the next kernel\n",
			left);
	pr_info("handing over %llu sessions with %llu files\n",
		nr_sessions, nr_files);
	return 0;
}

/* --- incoming ----------------------------------------------------------- */

static bool luo_name_ok(const char *name, size_t size)
{
	return name[0] && memchr(name, '\0', size);
}

static const char *luo_check_blob(const struct luo_ser *in)
{
	static const char compat[LUO_ABI_COMPAT_LEN] = LUO_ABI_COMPATIBLE;
	u64 size;

	if (memcmp(in->compatible, compat, sizeof(compat)))
		return "unknown compatible";
	/* bounds that keep the products below from overflowing */
	if (in->nr_sessions > U32_MAX || in->nr_files > U32_MAX)
		return "bad session table size";
	size = in->nr_sessions * sizeof(struct luo_session_ser) +
	       in->nr_files * sizeof(struct luo_file_ser);
	if (size != in->table_size || (!in->nr_sessions && in->nr_files))
		return "bad session table size";
	if ((u64)in->table.total_pages != PAGE_ALIGN(size) >> PAGE_SHIFT)
		return "bad session table size";
	return NULL;
}

static const char *luo_check_sessions(const struct luo_ser *in,
				      const struct luo_session_ser *ss)
{
	u64 i, j, files = 0;

	for (i = 0; i < in->nr_sessions; i++) {
		if (!luo_name_ok(ss[i].name, sizeof(ss[i].name)))
			return "bad session name";
		if (ss[i].nr_files > in->nr_files - files)
			return "bad file count";
		files += ss[i].nr_files;
		for (j = 0; j < i; j++) {
			if (!strcmp(ss[i].name, ss[j].name))
				return "session name twice";
		}
	}
	if (files != in->nr_files)
		return "bad file count";
	return NULL;
}

static const char *luo_check_files(const struct luo_ser *in,
				   const struct luo_file_ser *fs)
{
	u64 i;

	for (i = 0; i < in->nr_files; i++) {
		if (!luo_name_ok(fs[i].compatible, sizeof(fs[i].compatible)))
			return "bad file handler name";
	}
	return NULL;
}

static void luo_drop_incoming(void)
{
	struct luo_session *session, *tmp;

	list_for_each_entry_safe(session, tmp, &luo_incoming_sessions, list) {
		list_del(&session->list);
		luo_file_drop_incoming(&session->set);
		luo_session_free(session);
	}
}

/* Build the incoming sessions of a checked table. */
static int luo_add_incoming(const struct luo_ser *in, void *table,
			    const char **why)
{
	const struct luo_session_ser *ss = table;
	const struct luo_file_ser *fs = table + in->nr_sessions * sizeof(*ss);
	struct luo_session *session;
	u64 i, j;
	int err;

	for (i = 0; i < in->nr_sessions; i++, ss++) {
		session = luo_session_alloc(ss->name, true);
		if (!session)
			return -ENOMEM;
		list_add_tail(&session->list, &luo_incoming_sessions);
		for (j = 0; j < ss->nr_files; j++, fs++) {
			err = luo_file_add_incoming(&session->set,
						    fs->compatible, fs->data,
						    fs->token);
			if (err == -ENOENT)
				*why = fs->compatible;
			if (err == -EEXIST)
				*why = "token twice in a session";
			if (err)
				return err;
		}
	}
	return 0;
}

static int luo_take_table(const struct luo_ser *in)
{
	const char *why = NULL;
	void *table;
	int err;

	if (!in->nr_sessions)
		return 0;
	table = kho_restore_vmalloc(&in->table);
	if (!table) {
		pr_warn("ignoring the incoming sessions: session table cannot be restored\n");
		return 0;
	}
	why = luo_check_sessions(in, table);
	if (!why)
		why = luo_check_files(in, table + in->nr_sessions *
				      sizeof(struct luo_session_ser));
	if (why) {
		pr_warn("ignoring the incoming sessions: %s\n", why);
		vfree(table);
		return 0;
	}
	err = luo_add_incoming(in, table, &why);
	vfree(table);
	if (!err)
		return 0;
	luo_drop_incoming();
	if (err == -EEXIST) {
		pr_warn("ignoring the incoming sessions: %s\n", why);
		return 0;
	}
	if (err == -ENOENT)
		pr_warn("cannot take the incoming sessions: no file handler '%s'\n",
			why);
	else
		pr_warn("cannot take the incoming sessions: %d\n", err);
	return -EIO;
}

/**
 * luo_handover_instantiate - Take the previous kernel's sessions over.
 *
 * A blob that fails a check is ignored with one log line.
 *
 * Context: Process context, at boot, before luo_handover_init().
 * Return: 0, or -EIO if a checked blob names a file handler this kernel
 * lacks or memory ran out: then /dev/liveupdate cannot be opened.
 */
int luo_handover_instantiate(void)
{
	struct luo_ser in;
	struct folio *folio;
	const char *why;
	phys_addr_t phys;
	size_t size;
	int err;

	if (kho_retrieve_subtree(LUO_KHO_ENTRY_NAME, &phys, &size))
		return 0;
	if (size < sizeof(in)) {
		pr_warn("ignoring the incoming sessions: blob too short\n");
		return 0;
	}
	memcpy(&in, phys_to_virt(phys), sizeof(in));
	/* the page of the blob, if it is one KHO can give back */
	folio = kho_restore_folio(phys);
	if (folio)
		folio_put(folio);
	why = luo_check_blob(&in);
	if (why) {
		pr_warn("ignoring the incoming sessions: %s\n", why);
		return 0;
	}
	err = luo_take_table(&in);
	if (!list_empty(&luo_incoming_sessions) || !in.nr_sessions) {
		luo_in_liveupdate_num = in.liveupdate_num;
		pr_info("Retrieved live update data, liveupdate number: %llu\n",
			in.liveupdate_num);
	}
	return err;
}

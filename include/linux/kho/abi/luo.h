/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live Update Orchestrator (LUO) hand-over ABI, version "luo-612-v1".
 *
 * Read by a different kernel than the one that wrote it: every field is
 * checked before use.  Do not change a layout without bumping the
 * compatible string.
 */
#ifndef _LINUX_KHO_ABI_LUO_H
#define _LINUX_KHO_ABI_LUO_H

#include <linux/build_bug.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/liveupdate.h>
#include <linux/stddef.h>
#include <linux/types.h>

/**
 * DOC: LUO hand-over
 *
 * LUO adds one KHO blob named %LUO_KHO_ENTRY_NAME holding &struct luo_ser.
 * It points at a KHO-preserved vmalloc area, the session table: first
 * @nr_sessions &struct luo_session_ser in creation order, then @nr_files
 * &struct luo_file_ser.  The files of each session follow those of the
 * sessions before it, in preservation order, so a session needs only its
 * file count.  The table is written at kexec time; its size grows with
 * what is preserved, there is no fixed limit.
 */
#define LUO_KHO_ENTRY_NAME	"LUO"
#define LUO_ABI_COMPATIBLE	"luo-612-v1"
#define LUO_ABI_COMPAT_LEN	16

/**
 * struct luo_ser - The LUO blob.
 * @compatible:     %LUO_ABI_COMPATIBLE, NUL-padded.
 * @liveupdate_num: Live updates since the last cold boot, this one
 *                  included.
 * @nr_sessions:    Number of &struct luo_session_ser in the table.
 * @nr_files:       Number of &struct luo_file_ser in the table.
 * @table_size:     Bytes used in the table; 0 if there are no sessions.
 * @table:          The table's KHO vmalloc descriptor (zero if empty).
 */
struct luo_ser {
	char compatible[LUO_ABI_COMPAT_LEN];
	u64 liveupdate_num;
	u64 nr_sessions;
	u64 nr_files;
	u64 table_size;
	struct kho_vmalloc table;
} __packed;

/**
 * struct luo_session_ser - A session in the table.
 * @name:     The session name, NUL-terminated, not empty, unique.
 * @nr_files: How many of the following &struct luo_file_ser are its own.
 */
struct luo_session_ser {
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	u64 nr_files;
} __packed;

/**
 * struct luo_file_ser - A preserved file in the table.
 * @compatible: The file handler's compatible string, NUL-terminated.
 * @data:       The handler's description of the file.
 * @token:      The user's token, unique in its session.
 */
struct luo_file_ser {
	char compatible[LIVEUPDATE_HNDL_COMPAT_LENGTH];
	u64 data;
	u64 token;
} __packed;

static_assert(sizeof(struct luo_ser) == 64);
static_assert(offsetof(struct luo_ser, table) == 48);
static_assert(sizeof(struct luo_session_ser) == 72);
static_assert(sizeof(struct luo_file_ser) == 64);
static_assert(offsetof(struct luo_file_ser, token) == 56);

/**
 * DOC: memfd hand-over
 *
 * A preserved memfd is described by the physical address of a
 * &struct memfd_luo_ser (KHO-preserved).  Its folios are handed over as
 * they are, each preserved with its order; a KHO-preserved vmalloc area
 * lists them as &struct memfd_luo_folio_ser.
 */
#define MEMFD_LUO_COMPATIBLE	"memfd-v2"

/* Folio flags recorded in &struct memfd_luo_folio_ser. */
#define MEMFD_LUO_FOLIO_DIRTY		BIT(0)
#define MEMFD_LUO_FOLIO_UPTODATE	BIT(1)

/**
 * struct memfd_luo_ser - A preserved memfd.
 * @pos:       File position at kexec time.
 * @size:      File size in bytes.
 * @seals:     F_SEAL_* bits at preserve time.
 * @flags:     Reserved, 0.
 * @nr_folios: Entries in the folio array.
 * @folios:    KHO vmalloc descriptor of the folio array (zero if none).
 */
struct memfd_luo_ser {
	u64 pos;
	u64 size;
	u32 seals;
	u32 flags;
	u64 nr_folios;
	struct kho_vmalloc folios;
} __packed;

/**
 * struct memfd_luo_folio_ser - A folio of a preserved memfd.
 * @pfn_flags: Bits 0-51 the head page's PFN, bits 52-63 MEMFD_LUO_FOLIO_*.
 * @index:     Page offset of the folio in the file.
 */
struct memfd_luo_folio_ser {
	u64 pfn_flags;
	u64 index;
} __packed;

#define MEMFD_LUO_PFN_BITS	52

static_assert(sizeof(struct memfd_luo_ser) == 48);
static_assert(sizeof(struct memfd_luo_folio_ser) == 16);

#endif /* _LINUX_KHO_ABI_LUO_H */

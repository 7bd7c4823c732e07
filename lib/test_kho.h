/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parts of the Kexec HandOver test module: lib/test_kho.c holds the
 * data set carried along kexec chains and the command files,
 * lib/test_kho_api.c the tests of single API areas, lib/test_kho_stress.c
 * the run-time robustness tests.
 */
#ifndef _LIB_TEST_KHO_H
#define _LIB_TEST_KHO_H

#include <linux/random.h>
#include <linux/types.h>

struct dentry;
struct mutex;
struct page;
struct seq_file;

#define KHO_TEST_ARG_MAX	64

/**
 * struct kho_test_cmd - A file in test_kho/ that runs a command when written.
 * @name: Name of the file.
 * @run: The command; its error, if any, is what the write returns.
 * @lock: Held while @run or @run_arg runs.
 * @run_arg: Instead of @run, a command that takes the string written,
 *	without surrounding white space, shorter than %KHO_TEST_ARG_MAX.
 * @once: Run @run only once; later writes fail with -EBUSY.
 * @done: Set once a @once command has run.
 */
struct kho_test_cmd {
	const char *name;
	int (*run)(void);
	struct mutex *lock;	/* protects what @run works on */
	int (*run_arg)(const char *arg);
	bool once;
	bool done;
};

/* xorshift64: fast, and plenty for telling test data apart */
static inline u64 kho_test_next(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* A random seed for kho_test_next(), never 0, which it would keep. */
static inline u64 kho_test_seed(void)
{
	return get_random_u64() | 1;
}

void kho_test_fill(void *mem, size_t size, u64 seed);
unsigned long kho_test_bad(const void *mem, size_t size, u64 seed);
struct page *kho_test_restore(phys_addr_t phys, unsigned long nr_pages,
			      unsigned int order, bool is_folio);
void kho_test_add_cmds(struct dentry *dir, struct kho_test_cmd *cmds,
		       unsigned int nr);

void kho_test_api_init(struct dentry *dir);
void kho_test_api_status(struct seq_file *m);
void kho_test_stress_init(struct dentry *dir);
void kho_test_stress_status(struct seq_file *m);

#endif /* _LIB_TEST_KHO_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parts of the Kexec HandOver test module: lib/test_kho.c holds the
 * data set carried along kexec chains, lib/test_kho_api.c the tests of
 * single API areas.
 */
#ifndef _LIB_TEST_KHO_H
#define _LIB_TEST_KHO_H

struct dentry;
struct seq_file;

void kho_test_api_init(struct dentry *dir);
void kho_test_api_status(struct seq_file *m);
void kho_test_stress_init(struct dentry *dir);
void kho_test_stress_status(struct seq_file *m);

#endif /* _LIB_TEST_KHO_H */

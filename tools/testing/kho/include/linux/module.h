/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_MODULE_H
#define _KHO_TEST_LINUX_MODULE_H

#include <linux/compiler.h>

/* Keep the information as a string, like .modinfo does. */
#define KHO_TEST_MODINFO(tag, info)					\
	static const char kho_test_modinfo_##tag[] __maybe_unused =	\
		#tag "=" info

#define MODULE_DESCRIPTION(desc)	KHO_TEST_MODINFO(description, desc)
#define MODULE_LICENSE(lic)		KHO_TEST_MODINFO(license, lic)
#define MODULE_IMPORT_NS(ns)		KHO_TEST_MODINFO(import_ns, #ns)

#endif /* _KHO_TEST_LINUX_MODULE_H */

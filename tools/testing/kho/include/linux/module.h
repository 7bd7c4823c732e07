/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_MODULE_H
#define _KHO_TEST_LINUX_MODULE_H

#define MODULE_DESCRIPTION(desc)
#define MODULE_LICENSE(license)
#define MODULE_IMPORT_NS(ns)

#endif /* _KHO_TEST_LINUX_MODULE_H */

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_KUNIT_VISIBILITY_H
#define _KHO_TEST_KUNIT_VISIBILITY_H

#ifdef CONFIG_KUNIT
#define VISIBLE_IF_KUNIT
#else
#define VISIBLE_IF_KUNIT static
#endif
#define EXPORT_SYMBOL_IF_KUNIT(symbol)	EXPORT_SYMBOL(symbol)

#endif /* _KHO_TEST_KUNIT_VISIBILITY_H */

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_KUNIT_STATIC_STUB_H
#define _KHO_TEST_KUNIT_STATIC_STUB_H

#include <kunit/test-bug.h>

#ifndef CONFIG_KUNIT

#define KUNIT_STATIC_STUB_REDIRECT(real_fn_name, args...)	((void)(real_fn_name))

#else

void *kunit_shim_find_stub(void *real_fn);
void kunit_shim_activate_stub(struct kunit *test, void *real_fn,
			      void *replacement);

/* Call the replacement of @real_fn_name if the running test set one. */
#define KUNIT_STATIC_STUB_REDIRECT(real_fn_name, args...)		\
	do {								\
		typeof(real_fn_name) *real_fn_name##_stub =		\
			kunit_shim_find_stub(real_fn_name);		\
									\
		if (real_fn_name##_stub)				\
			return real_fn_name##_stub(args);		\
	} while (0)

#define kunit_activate_static_stub(test, real_fn_addr, replacement_addr) \
	kunit_shim_activate_stub(test, real_fn_addr, replacement_addr)

#endif /* CONFIG_KUNIT */

#endif /* _KHO_TEST_KUNIT_STATIC_STUB_H */

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_MUTEX_H
#define _KHO_TEST_LINUX_MUTEX_H

#include <linux/types.h>

/*
 * The tests are single threaded: a mutex only records whether it is held,
 * and taking it twice or releasing it unheld is a bug that stops the test.
 */
struct mutex {
	bool locked;
};

void kho_sim_bug(const char *fmt, ...);

static inline void mutex_init(struct mutex *lock)
{
	lock->locked = false;
}

static inline void mutex_destroy(struct mutex *lock)
{
	if (lock->locked)
		kho_sim_bug("mutex destroyed while held\n");
}

static inline void mutex_lock(struct mutex *lock)
{
	if (lock->locked)
		kho_sim_bug("mutex taken twice: a deadlock\n");
	lock->locked = true;
}

static inline void mutex_unlock(struct mutex *lock)
{
	if (!lock->locked)
		kho_sim_bug("mutex released but not held\n");
	lock->locked = false;
}

static inline bool mutex_is_locked(struct mutex *lock)
{
	return lock->locked;
}

#define lockdep_assert_held(l)						\
	do {								\
		if (!mutex_is_locked(l))				\
			kho_sim_bug("%s: lock not held\n", __func__);	\
	} while (0)

#endif /* _KHO_TEST_LINUX_MUTEX_H */

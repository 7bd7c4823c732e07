/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KHO_TEST_LINUX_PRANDOM_H
#define _KHO_TEST_LINUX_PRANDOM_H

#include <linux/types.h>

/* L'Ecuyer's four component Tausworthe generator (LFSR113). */
struct rnd_state {
	u32 s1, s2, s3, s4;
};

static inline u32 prandom_taus(u32 s, unsigned int a, unsigned int b,
			       u32 mask, unsigned int c)
{
	return ((s & mask) << c) ^ (((s << a) ^ s) >> b);
}

static inline u32 prandom_u32_state(struct rnd_state *st)
{
	st->s1 = prandom_taus(st->s1, 6, 13, 0xfffffffeU, 18);
	st->s2 = prandom_taus(st->s2, 2, 27, 0xfffffff8U, 2);
	st->s3 = prandom_taus(st->s3, 13, 21, 0xfffffff0U, 7);
	st->s4 = prandom_taus(st->s4, 3, 12, 0xffffff80U, 13);
	return st->s1 ^ st->s2 ^ st->s3 ^ st->s4;
}

/* Each component needs a seed above its minimum. */
static inline u32 prandom_seed_min(u32 x, u32 min)
{
	return x < min ? x + min : x;
}

static inline void prandom_seed_state(struct rnd_state *st, u64 seed)
{
	u32 i = (seed >> 32) ^ (seed << 10) ^ seed;

	st->s1 = prandom_seed_min(i, 2);
	st->s2 = prandom_seed_min(i, 8);
	st->s3 = prandom_seed_min(i, 16);
	st->s4 = prandom_seed_min(i, 128);
}

#endif /* _KHO_TEST_LINUX_PRANDOM_H */

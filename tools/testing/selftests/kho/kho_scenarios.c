// SPDX-License-Identifier: GPL-2.0
/*
 * The scenarios of kho_guest: one function per scenario, run once per
 * generation, reading guest.gen to know which part of the story it is in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "kho_guest.h"

/* A plain kexec chain: each generation proves it is the one it claims. */
static void scenario_kexec(void)
{
	char token[32];
	const char *seen = param("kho_token");
	unsigned int rnd = 0;

	check(guest.gen >= 1 && guest.gen <= guest.gens, "generation",
	      "kho_gen=%d outside 1..%d", guest.gen, guest.gens);
	if (guest.gen == 1) {
		check(!seen, "cold_boot", "kho_token=%s on a cold boot", seen);
	} else {
		/* Only the previous generation's kexec can have set it. */
		check(seen && strlen(seen) == 8, "kexec_token",
		      "kho_token missing or malformed");
	}
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		rnd = ts.tv_nsec ^ guest.gen;
	}
	snprintf(token, sizeof(token), "%08x", rnd);
	next_param("kho_token", token);
}

/* The story of make demo; it grows with the KHO features. */
static void scenario_demo(void)
{
	if (guest.gen == 1)
		diag("demo: cold boot: loading this kernel again with kexec_file_load");
	else
		diag("demo: booted by kexec from generation %d", guest.gen - 1);
	scenario_kexec();
}

/* Negative control: never kexec, never finish. The runner must fail it. */
static void scenario_hang(void)
{
	diag("hanging on purpose");
	for (;;)
		pause();
}

/* Negative control: init exits, the kernel panics. The runner must fail it. */
static void scenario_crash(void)
{
	diag("exiting init on purpose");
	exit(0);
}

static const struct scenario scenarios[] = {
	{ "kexec", scenario_kexec },
	{ "demo", scenario_demo },
	{ "hang", scenario_hang },
	{ "crash", scenario_crash },
};

const struct scenario *find_scenario(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}

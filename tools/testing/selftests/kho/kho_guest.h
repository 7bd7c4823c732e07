/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KHO_GUEST_H
#define KHO_GUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "../kselftest.h"	/* __printf, ARRAY_SIZE */

/**
 * struct guest - what this boot knows about itself
 * @gen:          this boot's generation, 1 on the cold boot
 * @gens:         the last generation of the chain
 * @cmdline:      this boot's kernel command line
 * @next_cmdline: the command line the next generation will get
 */
struct guest {
	int gen;
	int gens;
	char cmdline[4096];
	char next_cmdline[4096];
};

extern struct guest guest;

/**
 * struct scenario - one named scenario
 * @name: the value of kho_scenario= that selects it
 * @run:  this generation's work; the caller kexecs afterwards
 */
struct scenario {
	const char *name;
	void (*run)(void);
};

const struct scenario *find_scenario(const char *name);

__printf(3, 4) bool check(bool ok, const char *name, const char *fmt, ...);
void skip(const char *name, const char *why);
__printf(1, 2) void diag(const char *fmt, ...);

long read_file(const char *path, void *buf, size_t size);
long read_text(const char *path, char *buf, size_t size);
int write_text(const char *path, const char *text);

/**
 * struct phys_range - a range of physical addresses
 * @start: its first byte
 * @end:   the byte after its last
 */
struct phys_range {
	unsigned long long start;
	unsigned long long end;
};

int scratch_regions(struct phys_range *r, int max);
bool in_scratch(unsigned long long start, unsigned long long end);

const char *param(const char *key);
long param_long(const char *key, long def);
void next_param(const char *key, const char *value);

int kexec_load_next(void);
int kexec_unload(void);

#endif /* KHO_GUEST_H */

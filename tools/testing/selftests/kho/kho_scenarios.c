// SPDX-License-Identifier: GPL-2.0
/*
 * The scenarios of kho_guest: one function per scenario, run once per
 * generation, reading guest.gen to know which part of the story it is in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/klog.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "kho_guest.h"

#define KHO_DEBUGFS	"/sys/kernel/debug/kho"
#define TEST_DEBUGFS	"/sys/kernel/debug/test_kho"
#define KLOG_SIZE	(1024 * 1024)

/* --- helpers of the KHO scenarios ----------------------------------------- */

/* 64-bit FNV-1a of a file's bytes; 0 if it cannot be read. */
static unsigned long long file_hash(const char *path, long *len)
{
	static unsigned char buf[1024 * 1024];
	unsigned long long h = 0xcbf29ce484222325ULL;
	long i;

	*len = read_file(path, buf, sizeof(buf));
	if (*len <= 0)
		return 0;
	for (i = 0; i < *len; i++)
		h = (h ^ buf[i]) * 0x100000001b3ULL;
	return h;
}

/* A "key=value" number of test_kho's status file, or -1. */
static long test_status(const char *key)
{
	char buf[4096], *p;
	size_t klen = strlen(key);

	if (read_text(TEST_DEBUGFS "/status", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return strtol(p + klen + 1, NULL, 0);
	return -1;
}

/* A field of /proc/meminfo in kB, or -1. */
static long meminfo_kb(const char *field)
{
	char buf[8192], *p;

	if (read_text("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, field);
	if (!p || p[strlen(field)] != ':')
		return -1;
	return strtol(p + strlen(field) + 1, NULL, 10);
}

/* The sum of the hexadecimal numbers of a debugfs file, one per line. */
static long long sum_lines(const char *path, int *count)
{
	char buf[4096], *p = buf;
	long long sum = 0;

	*count = 0;
	if (read_text(path, buf, sizeof(buf)) < 0)
		return -1;
	while (*p) {
		sum += strtoll(p, &p, 0);
		(*count)++;
		while (*p == '\n' || *p == ' ')
			p++;
	}
	return sum;
}

/* Is text in the kernel log? The matching line is copied to line. */
static bool klog_has(const char *text, char *line, size_t size)
{
	static char buf[KLOG_SIZE];
	char *hit, *end;
	int len;

	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);
	if (len < 0)
		return false;
	buf[len] = '\0';
	hit = strstr(buf, text);
	if (!hit)
		return false;
	if (line) {
		end = strchr(hit, '\n');
		len = end ? end - hit : (int)strlen(hit);
		if ((size_t)len >= size)
			len = size - 1;
		memcpy(line, hit, len);
		line[len] = '\0';
	}
	return true;
}

static bool path_exists(const char *path)
{
	return !access(path, F_OK);
}

/* Run a test_kho command; its errno, or 0. */
static int test_cmd(const char *cmd)
{
	char path[128];

	snprintf(path, sizeof(path), TEST_DEBUGFS "/%s", cmd);
	return write_text(path, "1");
}

/* CmaTotal must be exactly the scratch regions: they are its only CMA. */
static void check_scratch_is_cma(void)
{
	long long scratch;
	long cma;
	int n;

	scratch = sum_lines(KHO_DEBUGFS "/out/scratch_len", &n);
	cma = meminfo_kb("CmaTotal");
	check(scratch > 0 && n >= 2, "scratch_regions",
	      "%d scratch regions, %lld bytes", n, scratch);
	check(cma * 1024LL == scratch, "scratch_is_cma",
	      "CmaTotal %ld kB, scratch %lld kB", cma, scratch / 1024);
}

/* Remember what the outgoing FDT looks like at kexec time. */
static void pass_fdt_hash(void)
{
	char val[40];
	long len;
	unsigned long long h = file_hash(KHO_DEBUGFS "/out/fdt", &len);

	check(h && len > 0, "out_fdt", "kho/out/fdt unreadable (%ld)", len);
	snprintf(val, sizeof(val), "%llx:%ld", h, len);
	next_param("kho_fdt", val);
}

/* The incoming FDT must be byte for byte the one the last kernel had. */
static void check_fdt_hash(void)
{
	const char *want = param("kho_fdt");
	char got[40];
	long len;
	unsigned long long h = file_hash(KHO_DEBUGFS "/in/fdt", &len);

	snprintf(got, sizeof(got), "%llx:%ld", h, len);
	check(want && !strcmp(want, got), "in_fdt_identical",
	      "kho/in/fdt hash:len %s, previous out/fdt %s", got,
	      want ?: "(none)");
}

/* This boot received the hand-over and logged the restore line. */
static void check_kho_boot(void)
{
	char line[256] = "";

	check(klog_has("KHO: restored ", line, sizeof(line)), "restore_line",
	      "no 'KHO: restored' line in the kernel log");
	check(test_status("kho_boot") == 1, "is_kho_boot",
	      "test_kho status kho_boot=%ld", test_status("kho_boot"));
}

/* Preserve this generation's data set; hand its size to the next one. */
static void preserve_data(void)
{
	/* test_kho's size_mb, 64 by default; the page layouts have no folio */
	long want_mb = param_long("test_kho.size_mb", 64);
	const char *layout = param("test_kho.layout") ?: "random";
	bool folio_layout = !strcmp(layout, "random") ||
			    !strcmp(layout, "order9");
	char val[32];
	long folios, pages;
	int ret = test_cmd("preserve");

	check(!ret, "preserve", "test_kho preserve: %s", strerror(-ret));
	folios = test_status("preserved_folios");
	pages = test_status("preserved_pages");
	check((folios > 0 || !folio_layout) && pages * 4096 >= want_mb << 20,
	      "preserved_all", "%ld folios, %ld pages preserved, %ld MiB asked",
	      folios, pages, want_mb);
	diag("demo: preserved %ld folios, %ld MiB, filled from a seeded PRNG",
	     folios, pages >> 8);
	/* make bench reads this line */
	diag("preserve: %ld blocks in %ld ns, one bit each in a bitmap %ld ns",
	     test_status("preserve_blocks"), test_status("preserve_ns"),
	     test_status("bitmap_ns"));
	snprintf(val, sizeof(val), "%ld", folios);
	next_param("kho_expect_folios", val);
	snprintf(val, sizeof(val), "%ld", pages);
	next_param("kho_expect_pages", val);
}

/* Restore and compare what the previous generation preserved. */
static void verify_data(void)
{
	long want_folios = param_long("kho_expect_folios", -1);
	long want_pages = param_long("kho_expect_pages", -1);
	long folios, pages, bytes;
	int ret = test_cmd("verify");

	check(!ret, "verify", "test_kho verify: %s", strerror(-ret));
	folios = test_status("restored_folios");
	pages = test_status("restored_pages");
	bytes = test_status("verified_bytes");
	/* the previous generation's counts come by the command line */
	check(folios == want_folios && pages == want_pages, "restored_all",
	      "restored %ld folios / %ld pages, preserved %ld / %ld",
	      folios, pages, want_folios, want_pages);
	diag("demo: restored %ld folios (%ld MiB), %ld bytes as preserved",
	     folios, pages >> 8, bytes);
}

/* test_kho free fails unless the free page count grew by what it freed. */
static void free_data(void)
{
	int ret = test_cmd("free");

	check(!ret, "freed", "test_kho free: %s", strerror(-ret));
}

static bool kho_ready(void)
{
	return check(path_exists(KHO_DEBUGFS "/out/fdt") &&
		     path_exists(TEST_DEBUGFS "/status"), "kho_enabled",
		     "no %s or %s", KHO_DEBUGFS "/out/fdt", TEST_DEBUGFS);
}

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

/* Preserve 64 MiB in gen 1, restore and verify every byte in gen 2. */
static void scenario_kho_preserve(void)
{
	if (!kho_ready())
		return;
	if (guest.gen == 1) {
		preserve_data();
		return;
	}
	check_kho_boot();
	verify_data();
	free_data();
}

/*
 * One link of a chain: verify what the previous generation preserved, then
 * free it in the last generation, or preserve it again plus new data.
 * Return: true if this generation preserved data for the next one.
 */
static bool chain_link(void)
{
	long carried;

	if (!kho_ready())
		return false;
	if (guest.gen > 1) {
		check_kho_boot();
		verify_data();
	}
	if (guest.gen == guest.gens) {
		free_data();
		return false;
	}
	carried = test_status("restored_pages");
	preserve_data();
	if (guest.gen > 1)
		check(test_status("preserved_pages") > carried, "preserved_more",
		      "%ld pages preserved, %ld carried over",
		      test_status("preserved_pages"), carried);
	return true;
}

/* Gen 2 preserves again what it restored, plus new data; gen 3 sees all. */
static void scenario_kho_chain(void)
{
	chain_link();
}

/* The FDT gen 2 receives is byte-identical to gen 1's at kexec time. */
static void scenario_kho_fdt(void)
{
	if (!kho_ready())
		return;
	if (guest.gen == 1) {
		preserve_data();
		pass_fdt_hash();
		return;
	}
	check_kho_boot();
	check_fdt_hash();
}

/* Scratch is CMA after a cold boot and after a hand-over boot. */
static void scenario_kho_cma(void)
{
	if (!kho_ready())
		return;
	check_scratch_is_cma();
	if (guest.gen > 1)
		check_kho_boot();
}

/*
 * Preserving memory inside scratch is refused with -EINVAL: the command
 * fails with -EIO if any attempt was not, and logs what it got.
 */
static void scenario_kho_scratch(void)
{
	int ret;

	if (!kho_ready())
		return;
	ret = test_cmd("preserve_scratch");
	check(!ret, "scratch_einval",
	      "preserving scratch pages was not refused with -EINVAL: %d (%s)",
	      ret, strerror(-ret));
}

/* kho=off: no KHO state, the test module refuses, kexec still works. */
static void scenario_kho_off(void)
{
	check(!path_exists(KHO_DEBUGFS "/out/fdt"), "no_kho_debugfs",
	      "%s exists with kho=off", KHO_DEBUGFS "/out/fdt");
	if (path_exists(TEST_DEBUGFS "/preserve"))
		check(test_cmd("preserve") != 0, "preserve_refused",
		      "test_kho preserve succeeded with kho=off");
	check(!klog_has("KHO: restored ", NULL, 0), "no_restore",
	      "a KHO restore happened with kho=off");
	scenario_kexec();
}

/* A kernel without the test module hands over its (empty) state. */
static void scenario_kho_nomod(void)
{
	check(!path_exists(TEST_DEBUGFS), "no_test_module",
	      "%s exists", TEST_DEBUGFS);
	check(path_exists(KHO_DEBUGFS "/out/fdt"), "kho_enabled",
	      "no %s", KHO_DEBUGFS "/out/fdt");
	if (guest.gen > 1)
		check(klog_has("KHO: restored ", NULL, 0), "restore_line",
		      "no 'KHO: restored' line in the kernel log");
	scenario_kexec();
}

/* --- kexec metadata ------------------------------------------------------- */

#define EXEC_FROM	"KHO: exec from: "

/* How many lines of the kernel log contain text. */
static int klog_count(const char *text)
{
	static char buf[KLOG_SIZE];
	const char *p;
	int len, n = 0;

	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);
	if (len < 0)
		return -1;
	buf[len] = '\0';
	for (p = strstr(buf, text); p; p = strstr(p + 1, text))
		n++;
	return n;
}

/* Layout of the "kexec-metadata" blob (struct kho_kexec_metadata). */
#define META_SIZE		73
#define META_RELEASE_OFF	4
#define META_RELEASE_LEN	65
#define META_COUNT_OFF		69

/* The outgoing metadata must name this kernel and carry its own count. */
static void check_metadata_out(unsigned int want_count)
{
	unsigned char meta[128];
	unsigned int version, count;
	struct utsname u;
	long len;

	uname(&u);
	len = read_file(KHO_DEBUGFS "/out/sub_fdts/kexec-metadata", meta,
			sizeof(meta));
	if (!check(len == META_SIZE, "metadata_out",
		   "out/sub_fdts/kexec-metadata: %ld bytes, want %d", len,
		   META_SIZE))
		return;
	memcpy(&version, meta, sizeof(version));
	memcpy(&count, meta + META_COUNT_OFF, sizeof(count));
	meta[META_RELEASE_OFF + META_RELEASE_LEN - 1] = '\0';
	check(version == 1 && count == want_count &&
	      !strcmp((char *)meta + META_RELEASE_OFF, u.release),
	      "metadata_out_fields", "version %u, count %u (want %u), '%s'",
	      version, count, want_count, meta + META_RELEASE_OFF);
}

/* The one "exec from" line names the previous release and this count. */
static void check_exec_from(unsigned int count)
{
	const char *release = param("kho_prev_release");
	char want[160], line[256] = "";

	snprintf(want, sizeof(want), EXEC_FROM "%s (count %u)",
		 release ?: "(none)", count);
	check(klog_has(want, line, sizeof(line)), "exec_from",
	      "no '%s' in the kernel log", want);
	check(klog_count(EXEC_FROM) == 1, "exec_from_once",
	      "%d '" EXEC_FROM "' lines", klog_count(EXEC_FROM));
	check(path_exists(KHO_DEBUGFS "/in/sub_fdts/kexec-metadata"),
	      "metadata_in_debugfs", "no in/sub_fdts/kexec-metadata");
}

static void pass_release(void)
{
	struct utsname u;

	uname(&u);
	next_param("kho_prev_release", u.release);
}

/* Each kernel logs where it came from: (count 1) in gen 2, 2 in gen 3. */
static void scenario_kho_metadata(void)
{
	if (!kho_ready())
		return;
	if (guest.gen == 1)
		check(klog_count(EXEC_FROM) == 0, "no_exec_from_cold",
		      "'" EXEC_FROM "' on a cold boot");
	else
		check_exec_from(guest.gen - 1);
	check_metadata_out(guest.gen - 1);
	pass_release();
}

/*
 * Broken metadata is refused with a reason, and the rest of the hand-over
 * still works: gen 1 hands over an unknown version, gen 2 a short blob.
 */
static void scenario_kho_metadata_bad(void)
{
	static const char * const why[] = {
		NULL, "unknown version", "too short for version 1",
	};
	static const char * const cmd[] = {
		"metadata_bad_version", "metadata_short",
	};
	char want[96];
	int ret;

	if (!kho_ready())
		return;
	if (guest.gen > 1) {
		snprintf(want, sizeof(want),
			 "KHO: ignoring the kexec metadata: %s",
			 why[guest.gen - 1]);
		check(klog_has(want, NULL, 0), "metadata_refused",
		      "no '%s' in the kernel log", want);
		check(klog_count(EXEC_FROM) == 0, "no_exec_from",
		      "'" EXEC_FROM "' from refused metadata");
		/* a hand-over without metadata still proves one kexec */
		check_metadata_out(1);
		check_kho_boot();
		verify_data();
	}
	if (guest.gen == guest.gens) {
		free_data();
		return;
	}
	preserve_data();
	ret = test_cmd(cmd[guest.gen - 1]);
	check(!ret, "metadata_break", "test_kho %s: %s", cmd[guest.gen - 1],
	      strerror(-ret));
}

/* --- reserve_mem regions across a kexec ----------------------------------- */

/* A "key=value" string of test_kho's status file, or "" if absent. */
static const char *test_status_str(const char *key)
{
	static char value[64];
	char buf[4096], *p;
	size_t klen = strlen(key);

	value[0] = '\0';
	if (read_text(TEST_DEBUGFS "/status", buf, sizeof(buf)) < 0)
		return value;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) || p[klen] != '=')
			continue;
		snprintf(value, sizeof(value), "%.*s",
			 (int)strcspn(p + klen + 1, "\n"), p + klen + 1);
		break;
	}
	return value;
}

/* Fill the reserve_mem region; the next generation finds the same bytes. */
static void scenario_kho_reserve_mem(void)
{
	char want_phys[64], want_csum[64], phys[64], csum[64], line[256] = "";
	int ret;

	/* param() returns a static buffer: copy each value */
	snprintf(want_phys, sizeof(want_phys), "%s",
		 param("kho_rmem_phys") ?: "(none)");
	snprintf(want_csum, sizeof(want_csum), "%s",
		 param("kho_rmem_csum") ?: "(none)");
	if (!kho_ready())
		return;
	snprintf(phys, sizeof(phys), "%s", test_status_str("reserve_mem_phys"));
	check(phys[0] && !strcmp(test_status_str("reserve_mem_size"), "0x400000"),
	      "reserve_mem_region", "region khotest: phys '%s', size '%s'",
	      phys, test_status_str("reserve_mem_size"));
	if (guest.gen > 1) {
		check(klog_has("reserve_mem: revived khotest at ", line,
			       sizeof(line)), "reserve_mem_revived",
		      "no 'reserve_mem: revived khotest' in the kernel log");
		if (line[0])
			diag("kernel said: %s", line);
		check(!strcmp(phys, want_phys), "reserve_mem_same_phys",
		      "at %s, previous kernel at %s", phys, want_phys);
		snprintf(csum, sizeof(csum), "%s",
			 test_status_str("reserve_mem_csum"));
		check(!strcmp(csum, want_csum), "reserve_mem_same_bytes",
		      "checksum %s, previous %s", csum, want_csum);
	}
	check(path_exists(KHO_DEBUGFS "/out/sub_fdts/memblock"),
	      "memblock_blob_out", "no out/sub_fdts/memblock");
	if (guest.gen == guest.gens)
		return;

	ret = test_cmd("reserve_mem_fill");
	check(!ret, "reserve_mem_fill", "test_kho reserve_mem_fill: %s",
	      strerror(-ret));
	snprintf(csum, sizeof(csum), "%s", test_status_str("reserve_mem_csum"));
	next_param("kho_rmem_phys", phys);
	next_param("kho_rmem_csum", csum);
}

/* --- KASLR inside scratch ------------------------------------------------- */

/* Start and end of the kernel image in /proc/iomem, 0 if not found. */
static int kernel_range(unsigned long long *start, unsigned long long *end)
{
	char buf[16384], *p;
	unsigned long long s, e;
	int n;

	*start = ~0ULL;
	*end = 0;
	if (read_text("/proc/iomem", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		n = 0;
		/* "  01000000-01e02fff : Kernel code", one level deep */
		if (sscanf(p, " %llx-%llx : Kernel %n", &s, &e, &n) != 2 || !n)
			continue;
		if (s < *start)
			*start = s;
		if (e + 1 > *end)
			*end = e + 1;
	}
	return *end ? 0 : -1;
}

/* KASLR on a hand-over boot places the kernel inside scratch. */
static void scenario_kho_kaslr(void)
{
	unsigned long long start, end;
	char val[32];

	if (!kho_ready())
		return;
	if (!check(!kernel_range(&start, &end), "kernel_range",
		   "no Kernel entries in /proc/iomem"))
		return;
	diag("kernel image at %#llx-%#llx, previous generation at %s", start,
	     end, param("kho_kernel_at") ?: "(cold boot)");
	if (guest.gen > 1)
		check(in_scratch(start, end), "kernel_in_scratch",
		      "kernel %#llx-%#llx outside every scratch region", start,
		      end);
	snprintf(val, sizeof(val), "%#llx", start);
	next_param("kho_kernel_at", val);
	scenario_kho_chain();
}

/* --- the devicetree hand-off ---------------------------------------------- */

#define DT_ROOT		"/proc/device-tree"
#define DT_CHOSEN	DT_ROOT "/chosen"

/* The first cells of a devicetree property: big-endian 32-bit words. */
static unsigned long long dt_cells(const unsigned char *p, int cells)
{
	unsigned long long v = 0;
	int i;

	for (i = 0; i < cells * 4; i++)
		v = v << 8 | p[i];
	return v;
}

/* #address-cells or #size-cells of the root node, -1 if unreadable. */
static int dt_root_cells(const char *name)
{
	unsigned char buf[4];
	char path[128];

	snprintf(path, sizeof(path), DT_ROOT "/%s", name);
	if (read_file(path, buf, sizeof(buf)) != sizeof(buf))
		return -1;
	return dt_cells(buf, 1);
}

/* /chosen/PROP must be exactly one address/size pair in the root's cells. */
static bool chosen_pair(const char *prop, const char *name,
			unsigned long long *addr, unsigned long long *size)
{
	int ac = dt_root_cells("#address-cells");
	int sc = dt_root_cells("#size-cells");
	unsigned char buf[64];
	char path[128];
	long len;

	snprintf(path, sizeof(path), DT_CHOSEN "/%s", prop);
	len = read_file(path, buf, sizeof(buf));
	if (!check(ac > 0 && sc > 0 && len == (ac + sc) * 4, name,
		   "%s: %ld bytes, want one pair of %d + %d cells", prop, len,
		   ac, sc))
		return false;
	*addr = dt_cells(buf, ac);
	*size = dt_cells(buf + ac * 4, sc);
	diag("/chosen/%s = <%#llx %#llx>", prop, *addr, *size);
	return true;
}

/*
 * The previous kernel's loader wrote the hand-over into /chosen: the root
 * FDT it had (one page) and its scratch array, a page-aligned segment in
 * scratch of 16 bytes per region. After the second kexec of a chain the
 * properties are still one pair each: the old ones were replaced.
 */
static void check_chosen(void)
{
	const char *prev = param("kho_fdt_phys");
	unsigned long long addr, size, want;
	long long total;
	int n;

	want = prev ? strtoull(prev, NULL, 0) : 0;

	if (chosen_pair("linux,kho-fdt", "chosen_kho_fdt", &addr, &size))
		check(addr == want && size == 4096, "chosen_kho_fdt_value",
		      "<%#llx %#llx>, previous kernel's root FDT %#llx (4096)",
		      addr, size, want);
	if (!chosen_pair("linux,kho-scratch", "chosen_kho_scratch", &addr,
			 &size))
		return;
	total = sum_lines(KHO_DEBUGFS "/out/scratch_len", &n);
	/* n regions of 16 bytes, page aligned, inside scratch */
	check(total > 0 && size == n * 16ULL && !(addr & 4095) &&
	      in_scratch(addr, addr + size), "chosen_kho_scratch_value",
	      "<%#llx %#llx>, %d scratch regions", addr, size, n);
}

/* Pass this kernel's root FDT address on: the loader must write it. */
static void pass_fdt_phys(void)
{
	char val[32];

	snprintf(val, sizeof(val), "%#llx",
		 (unsigned long long)test_status("out_fdt_phys"));
	next_param("kho_fdt_phys", val);
}

/* The devicetree hand-off of a 3-generation chain, with data. */
static void scenario_kho_dt(void)
{
	if (!kho_ready())
		return;
	if (guest.gen == 1)
		check(!path_exists(DT_CHOSEN "/linux,kho-fdt") &&
		      !path_exists(DT_CHOSEN "/linux,kho-scratch"),
		      "chosen_cold", "KHO properties in /chosen on a cold boot");
	else
		check_chosen();
	scenario_kho_chain();
	if (guest.gen < guest.gens)
		pass_fdt_phys();
}

/* The story of make demo: preserve, kexec, restore, verify. */
static void scenario_demo(void)
{
	if (guest.gen == 1)
		diag("demo: cold boot, KHO on: preserving a data set");
	else
		diag("demo: booted by kexec from generation %d", guest.gen - 1);
	scenario_kho_preserve();
	if (guest.gen == 1)
		diag("demo: loading this kernel again with kexec_file_load, rebooting into it");
}

/* Does a (binary) file contain the bytes of text? */
static bool file_has(const char *path, const char *text)
{
	static char buf[1024 * 1024];
	long len = read_file(path, buf, sizeof(buf));

	return len > 0 && memmem(buf, len, text, strlen(text));
}

/*
 * Run a test_kho command that must succeed: the commands of test_kho_api.c
 * check their own outcome and fail with -EIO, the kernel log says why.
 */
static bool run_cmd(const char *cmd)
{
	int ret = test_cmd(cmd);

	return check(!ret, cmd, "test_kho %s: %s", cmd, strerror(-ret));
}

/*
 * Gen 1 preserves a vmalloc() area, a vmalloc_huge() area and
 * kho_alloc_preserve() buffers; gen 2 restores and compares all of them.
 */
static void scenario_kho_vmalloc(void)
{
	if (!kho_ready())
		return;
	if (guest.gen == 1) {
		run_cmd("vmalloc_preserve");
		run_cmd("api_errors");
		return;
	}
	check_kho_boot();
	run_cmd("vmalloc_verify");
	run_cmd("api_errors");
}

/* Allocations KFENCE served since boot, -1 without KFENCE. */
static long kfence_allocations(void)
{
	char text[1024], *p;

	if (read_text("/sys/kernel/debug/kfence/stats", text, sizeof(text)) < 0)
		return -1;
	p = strstr(text, "total allocations:");
	return p ? strtol(p + strlen("total allocations:"), NULL, 10) : -1;
}

/*
 * Nothing handed over lies in scratch or is a KFENCE object: booted with
 * kfence.sample_interval=1, so that KFENCE serves every allocation it can,
 * each generation but the last preserves data (and gen 1 a vmalloc area)
 * and test_kho's placement walks every tree node, preserved block, blob,
 * the root FDT and the scratch array; every later generation verifies what
 * it received byte for byte.
 */
static void scenario_kho_placement(void)
{
	bool preserved = chain_link();
	long kfence;

	if (guest.gen == 2)
		run_cmd("vmalloc_verify");
	if (!preserved)
		return;
	if (guest.gen == 1)
		run_cmd("vmalloc_preserve");
	kfence = kfence_allocations();
	check(kfence > 0, "kfence_active", "KFENCE allocations: %ld", kfence);
	run_cmd("placement");
}

/*
 * A range straddling the start of the last NUMA node is preserved in
 * blocks that each lie on one node. The range is reserved at boot with
 * test_kho_numa=SIZE@START on the command line: the page allocator puts
 * unmovable allocations at the start of every node, so nothing else can
 * own it.
 */
static void scenario_kho_numa(void)
{
	bool preserved = param("kho_numa");
	int ret;

	if (!kho_ready())
		return;
	if (guest.gen > 1)
		check_kho_boot();
	if (preserved) {
		run_cmd("numa_verify");
		return;
	}
	check(guest.gen < guest.gens, "numa_range",
	      "the last generation has nothing to verify");
	ret = test_cmd("numa_preserve");
	if (!check(!ret, "numa_preserve",
		   "test_kho numa_preserve: %s (test_kho_numa= missing?)",
		   strerror(-ret)))
		return;
	next_param("kho_numa", "1");
}

/* Gen 1 hands over a "kho-v2" root FDT; gen 2 accepts it. */
static void scenario_kho_v2(void)
{
	if (!kho_ready())
		return;
	if (guest.gen == 1) {
		run_cmd("v2_preserve");
		check(file_has(KHO_DEBUGFS "/out/fdt", "kho-v2"), "out_fdt_v2",
		      "kho/out/fdt is not compatible with kho-v2");
		return;
	}
	check_kho_boot();
	/* "blob-size" may stay in the strings block, unused */
	check(file_has(KHO_DEBUGFS "/in/fdt", "kho-v2") &&
	      !file_has(KHO_DEBUGFS "/in/fdt", "kho-v3"), "in_fdt_v2",
	      "kho/in/fdt is not a kho-v2 FDT");
	run_cmd("v2_verify");
}

/* --- corrupt hand-overs --------------------------------------------------- */

#define IGNORING	"KHO: ignoring the hand-over: "

/* MemTotal may differ between two boots by this much without a leak. */
#define MEMTOTAL_SLACK_KB	(8 << 10)

/*
 * Gen 1 preserves its data set and then damages the hand-over in the way
 * kho_corrupt= names (see kernel/liveupdate/kexec_handover_corrupt.c).
 * Gen 2 must boot without the hand-over: no restore, the refusal logged
 * in one line (tests.py checks its reason), and all of its memory. Both
 * have reserve_mem=4M:4096:khotest: gen 2 must not revive it from the
 * refused hand-over, but allocate it anew.
 */
static void scenario_kho_corrupt(void)
{
	const char *kind = param("kho_corrupt");
	long memtotal = meminfo_kb("MemTotal");
	char val[32];
	int ret;

	if (!kho_ready())
		return;
	if (guest.gen == 1) {
		preserve_data();
		snprintf(val, sizeof(val), "%ld", memtotal);
		next_param("kho_memtotal", val);
		ret = write_text(TEST_DEBUGFS "/corrupt", kind ?: "");
		check(kind && !ret, "corrupt", "corrupt '%s': %s",
		      kind ?: "(no kho_corrupt=)", strerror(-ret));
		return;
	}

	check(test_status("kho_boot") == 0, "no_hand_over",
	      "test_kho status kho_boot=%ld", test_status("kho_boot"));
	check(!klog_has("KHO: restored ", NULL, 0), "nothing_restored",
	      "'KHO: restored' in the kernel log");
	check(klog_count(IGNORING) == 1, "refused_once",
	      "%d '" IGNORING "' lines", klog_count(IGNORING));
	check(klog_count(EXEC_FROM) == 0, "no_metadata",
	      "'" EXEC_FROM "' logged from a refused hand-over");
	check(!klog_has("reserve_mem: revived", NULL, 0), "no_revived_region",
	      "a reserve_mem region revived from a refused hand-over");
	check(test_status_str("reserve_mem_phys")[0], "region_allocated",
	      "no reserve_mem region khotest");
	ret = test_cmd("verify");
	check(ret == -ENOENT, "verify_finds_nothing",
	      "test_kho verify: %s, want -ENOENT", strerror(-ret));
	check(memtotal + MEMTOTAL_SLACK_KB >= param_long("kho_memtotal", 0),
	      "full_memory", "MemTotal %ld kB, gen 1 had %ld kB", memtotal,
	      param_long("kho_memtotal", 0));
}

/* --- run-time robustness: faults, churn, unload, concurrency ------------- */

/**
 * struct tracker - a line of kho/out/tracker
 * @nodes:  nodes of the tracker, the root included
 * @blocks: preserved blocks
 * @pages:  pages in them
 * @hash:   hash of their keys
 */
struct tracker {
	unsigned long nodes;
	unsigned long blocks;
	unsigned long pages;
	unsigned long long hash;
};

static bool tracker_read(struct tracker *t)
{
	char buf[256];

	memset(t, 0, sizeof(*t));
	if (read_text(KHO_DEBUGFS "/out/tracker", buf, sizeof(buf)) < 0)
		return false;
	return sscanf(buf, "nodes=%lu blocks=%lu pages=%lu hash=%llx",
		      &t->nodes, &t->blocks, &t->pages, &t->hash) == 4;
}

static bool tracker_equal(const struct tracker *a, const struct tracker *b)
{
	return a->nodes == b->nodes && a->blocks == b->blocks &&
	       a->pages == b->pages && a->hash == b->hash;
}

/* The tracker line again, for messages; one of two buffers in turn. */
static const char *tracker_str(const struct tracker *t)
{
	static char bufs[2][128];
	static int next;
	char *buf = bufs[next++ % 2];

	snprintf(buf, sizeof(bufs[0]), "nodes=%lu blocks=%lu pages=%lu hash=%llx",
		 t->nodes, t->blocks, t->pages, t->hash);
	return buf;
}

/**
 * struct kho_state - what a failed call must leave untouched
 * @tracker: the tracker's line
 * @fdt:     the bytes of kho/out/fdt
 * @fdt_len: their number
 */
struct kho_state {
	struct tracker tracker;
	unsigned char fdt[8192];
	long fdt_len;
};

static bool state_read(struct kho_state *s)
{
	s->fdt_len = read_file(KHO_DEBUGFS "/out/fdt", s->fdt, sizeof(s->fdt));
	return tracker_read(&s->tracker) && s->fdt_len > 0;
}

static bool state_equal(const struct kho_state *a, const struct kho_state *b)
{
	return tracker_equal(&a->tracker, &b->tracker) &&
	       a->fdt_len == b->fdt_len && !memcmp(a->fdt, b->fdt, a->fdt_len);
}

/* Hand the final tracker and the set's size over to the next generation. */
static void pass_final_set(void)
{
	struct tracker t;
	char val[64];

	check(tracker_read(&t), "tracker_final", "kho/out/tracker unreadable");
	diag("final tracker %s", tracker_str(&t));
	snprintf(val, sizeof(val), "%lu:%lu", t.blocks, t.pages);
	next_param("kho_tracker", val);
	snprintf(val, sizeof(val), "%ld:%ld", test_status("set_items"),
		 test_status("set_pages"));
	next_param("kho_set", val);
}

/* Gen 2: exactly the blocks gen 1 left, and every byte of the set. */
static void verify_final_set(void)
{
	unsigned long want_blocks = 0, want_pages = 0, blocks = 0, pages = 0;
	long items = -1, set_pages = -1;
	const char *val;
	char line[256] = "";
	int ret;

	check_kho_boot();
	if (klog_has("KHO: restored ", line, sizeof(line)))
		sscanf(strstr(line, "restored "), "restored %lu blocks (%lu pages)",
		       &blocks, &pages);
	/* param() returns a buffer that its next call reuses */
	val = param("kho_tracker");
	if (val)
		sscanf(val, "%lu:%lu", &want_blocks, &want_pages);
	val = param("kho_set");
	if (val)
		sscanf(val, "%ld:%ld", &items, &set_pages);
	check(blocks && blocks == want_blocks && pages == want_pages,
	      "exact_blocks", "restored %lu blocks (%lu pages), gen %d left %lu (%lu)",
	      blocks, pages, guest.gen - 1, want_blocks, want_pages);

	/* fails unless every item restored with every byte intact */
	ret = test_cmd("set_verify");
	check(!ret, "set_verify", "test_kho set_verify: %s", strerror(-ret));
	check(items > 0 && test_status("in_items") == items &&
	      test_status("in_pages") == set_pages, "exact_set",
	      "blob lists %ld items (%ld pages), gen %d preserved %ld (%ld)",
	      test_status("in_items"), test_status("in_pages"), guest.gen - 1,
	      items, set_pages);
}

#define FAIL_NTH_MAX	1000

/**
 * struct fault_op - one preserve call to fail allocation by allocation
 * @name:      the test_kho command, fault_@name
 * @may_fail:  the call has allocations whose failure it must report;
 *             if not, no injected failure may make it fail
 */
struct fault_op {
	const char *name;
	bool may_fail;
};

static const struct fault_op fault_ops[] = {
	{ "folio", true },
	{ "pages", true },
	{ "alloc", true },
	{ "vmalloc", true },
	{ "vmalloc_huge", true },
	/* only debugfs allocates, and its failures are ignored */
	{ "subtree", false },
};

/* Run fault_<op> with the n-th allocation failing; 0 or -errno. */
static int fault_run(int opfd, int nthfd, int n, bool *injected)
{
	char buf[16];
	long len;
	int ret = 0;

	len = snprintf(buf, sizeof(buf), "%d", n);
	if (pwrite(nthfd, buf, len, 0) != len)
		return -EIO;
	if (write(opfd, "1", 1) < 0)
		ret = -errno;
	len = pread(nthfd, buf, sizeof(buf) - 1, 0);
	buf[len > 0 ? len : 0] = '\0';
	*injected = len > 0 && !strtol(buf, NULL, 10);
	pwrite(nthfd, "0", 1, 0);
	return ret;
}

/* Fail each allocation of one preserve call in turn. */
static void fault_op_check(const struct fault_op *op, int nthfd)
{
	int n, ret, failed = 0, bad_err = 0, changed = 0, first_changed = 0;
	struct kho_state *before = malloc(sizeof(*before));
	struct kho_state *after = malloc(sizeof(*after));
	bool injected, done = false;
	char path[128], name[64];
	int opfd;

	snprintf(path, sizeof(path), TEST_DEBUGFS "/fault_%s", op->name);
	opfd = open(path, O_WRONLY);
	if (!before || !after || opfd < 0 || !state_read(before)) {
		snprintf(name, sizeof(name), "fault_%s", op->name);
		check(false, name, "cannot set up (%s)", strerror(errno));
		goto out;
	}

	for (n = 1; n <= FAIL_NTH_MAX && !done; n++) {
		ret = fault_run(opfd, nthfd, n, &injected);
		if (!ret)
			done = !injected;
		if (ret) {
			failed++;
			bad_err += ret != -ENOMEM || !injected;
		} else if (test_cmd("fault_undo")) {
			bad_err++;
		}
		if (!state_read(after) || !state_equal(before, after)) {
			if (!changed++)
				first_changed = n;
		}
	}

	snprintf(name, sizeof(name), "fault_%s_completes", op->name);
	check(done, name, "still failing after %d injected faults", n - 1);
	if (op->may_fail) {
		snprintf(name, sizeof(name), "fault_%s_fails", op->name);
		check(failed, name, "%d allocations, none made the call fail",
		      n - 2);
	} else {
		snprintf(name, sizeof(name), "fault_%s_ignores", op->name);
		check(!failed && n - 2 > 0, name,
		      "%d allocations, %d made the call fail", n - 2, failed);
	}
	snprintf(name, sizeof(name), "fault_%s_enomem", op->name);
	check(!bad_err, name, "%d of %d failures were not -ENOMEM", bad_err,
	      failed);
	snprintf(name, sizeof(name), "fault_%s_unchanged", op->name);
	check(!changed, name,
	      "tracker or FDT changed after %d calls, first with fault %d",
	      changed, first_changed);
	diag("fault_%s: %d allocations, %d failed calls", op->name, n - 2,
	     failed);
out:
	if (opfd >= 0)
		close(opfd);
	free(before);
	free(after);
}

/* Reports of kmemleak whose backtrace mentions KHO; -1 if none ran. */
static int kmemleak_kho_leaks(int *total)
{
	static char buf[KLOG_SIZE];
	char *p;
	int kho = 0;
	long len;

	*total = 0;
	/*
	 * Stale pointers on the stacks would hide recent leaks, and an object
	 * whose contents changed since the previous scan is not reported:
	 * scan twice.
	 */
	if (write_text("/sys/kernel/debug/kmemleak", "stack=off") ||
	    write_text("/sys/kernel/debug/kmemleak", "scan") ||
	    write_text("/sys/kernel/debug/kmemleak", "scan"))
		return -1;
	len = read_text("/sys/kernel/debug/kmemleak", buf, sizeof(buf));
	if (len < 0)
		return -1;
	for (p = strstr(buf, "unreferenced object"); p;
	     p = strstr(p + 1, "unreferenced object")) {
		char *end = strstr(p + 1, "unreferenced object");
		char saved = 0;

		(*total)++;
		if (end) {
			saved = *end;
			*end = '\0';
		}
		if (strstr(p, "kho"))
			kho++;
		if (end)
			*end = saved;
	}
	return kho;
}

/* Every allocation of every preserve call fails once, cleanly. */
static void scenario_kho_fault_inject(void)
{
	static const char * const knobs[][2] = {
		{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/failslab/verbose", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
	};
	struct kho_state *start = malloc(sizeof(*start));
	struct kho_state *end = malloc(sizeof(*end));
	int i, ret, bad = 0, leaks, total, nthfd;
	bool ok;

	if (!kho_ready() || !start || !end)
		return;
	for (i = 0; i < (int)ARRAY_SIZE(knobs); i++)
		bad += !!write_text(knobs[i][0], knobs[i][1]);
	check(!bad, "fault_knobs", "%d fault injection knobs not set", bad);
	check(!write_text("/sys/kernel/debug/kmemleak", "clear"),
	      "kmemleak_clear", "no kmemleak in this kernel");

	check(state_read(start), "state_start", "kho/out unreadable");
	ret = test_cmd("fault_prepare");
	check(!ret, "fault_prepare", "test_kho fault_prepare: %s",
	      strerror(-ret));
	nthfd = open("/proc/thread-self/fail-nth", O_RDWR);
	check(nthfd >= 0, "fail_nth", "/proc/thread-self/fail-nth: %s",
	      strerror(errno));
	if (ret || nthfd < 0)
		return;
	for (i = 0; i < (int)ARRAY_SIZE(fault_ops); i++)
		fault_op_check(&fault_ops[i], nthfd);
	close(nthfd);

	ret = test_cmd("fault_release");
	ok = !ret && state_read(end) && state_equal(start, end);
	check(ok, "state_restored", "after fault_release (%s): %s, at start %s",
	      strerror(-ret), tracker_str(&end->tracker),
	      tracker_str(&start->tracker));

	/* kmemleak reports objects unreferenced for 5 s and more */
	sleep(6);
	leaks = kmemleak_kho_leaks(&total);
	check(!leaks, "kmemleak_no_kho_leak",
	      "%d kmemleak reports involve KHO (%d in total)", leaks, total);
	diag("kmemleak: %d reports in total, %d involve KHO", total, leaks);
	free(start);
	free(end);
}

/* 100k preserve/unpreserve operations leave the tracker and FDT as they were. */
static void scenario_kho_churn(void)
{
	unsigned long long fdt0, fdt2;
	struct tracker t0, t1, t2;
	long len0, len2;
	int ret;

	if (!kho_ready())
		return;
	check(tracker_read(&t0), "tracker", "kho/out/tracker unreadable");
	fdt0 = file_hash(KHO_DEBUGFS "/out/fdt", &len0);
	ret = test_cmd("churn");
	check(!ret, "churn", "test_kho churn: %s", strerror(-ret));
	tracker_read(&t1);
	check(t1.nodes > t0.nodes && t1.blocks > t0.blocks, "churn_grew",
	      "mid-churn %s, at start %s",
	      tracker_str(&t1), tracker_str(&t0));
	/* fails unless all churn_ops operations ran and none failed */
	ret = test_cmd("churn_done");
	check(!ret, "churn_100k", "test_kho churn_done: %s", strerror(-ret));
	tracker_read(&t2);
	fdt2 = file_hash(KHO_DEBUGFS "/out/fdt", &len2);
	check(fdt0 && fdt0 == fdt2 && len0 == len2, "fdt_back",
	      "out/fdt hash %llx (%ld bytes), at start %llx (%ld bytes)", fdt2,
	      len2, fdt0, len0);
	check(tracker_equal(&t0, &t2), "tracker_back",
	      "after churn %s, at start %s",
	      tracker_str(&t2), tracker_str(&t0));
	diag("churn: up to %ld items and %lu nodes preserved, back to %lu nodes",
	     test_status("churn_max_preserved"), t1.nodes, t2.nodes);
}

static long image_loaded(void)
{
	char buf[16];

	if (read_text("/sys/kernel/kexec_loaded", buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

/* Load an image, unload it, change the set: the successor sees the last. */
static void scenario_kho_unload(void)
{
	struct tracker built, mutated;
	long items;
	int ret;

	if (!kho_ready())
		return;
	if (guest.gen > 1) {
		verify_final_set();
		return;
	}
	ret = test_cmd("set_build");
	check(!ret, "set_build", "test_kho set_build: %s", strerror(-ret));
	items = test_status("set_items");
	tracker_read(&built);

	ret = kexec_load_next();
	check(!ret && image_loaded() == 1, "kexec_load",
	      "kexec_file_load: %s, kexec_loaded %ld", strerror(-ret),
	      image_loaded());
	ret = kexec_unload();
	check(!ret && image_loaded() == 0, "kexec_unload",
	      "KEXEC_FILE_UNLOAD: %s, kexec_loaded %ld", strerror(-ret),
	      image_loaded());

	ret = test_cmd("set_mutate");
	check(!ret, "set_mutate", "test_kho set_mutate: %s", strerror(-ret));
	tracker_read(&mutated);
	check(test_status("set_items") != items &&
	      !tracker_equal(&built, &mutated), "set_changed",
	      "set of %ld items now %ld, tracker %s",
	      items, test_status("set_items"), tracker_str(&mutated));
	pass_final_set();
}

/* Concurrent preserve/unpreserve on every CPU; the successor sees the rest. */
static void scenario_kho_stress(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct tracker t;
	pid_t child;
	int ret, status = 0;

	if (!kho_ready())
		return;
	if (guest.gen > 1) {
		verify_final_set();
		return;
	}
	/* a reader walks the tracker while the threads change it */
	child = fork();
	if (!child) {
		while (tracker_read(&t) && getppid() != 1)
			;
		_exit(0);
	}
	ret = test_cmd("stress");
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	/* fails unless a thread ran per CPU and left items, none failing */
	check(!ret, "stress", "test_kho stress: %s", strerror(-ret));
	diag("stress: %ld operations on %ld CPUs, %ld items (%ld pages) left",
	     test_status("stress_ops"), cpus, test_status("set_items"),
	     test_status("set_pages"));
	pass_final_set();
}

/* Add a blob named @name with test_kho's fdt_fill; 0 or -errno. */
static int add_fill_blob(const char *name)
{
	return write_text(TEST_DEBUGFS "/fdt_fill", name);
}

/* The name of the @n-th fill blob, @len characters long; false if none. */
static bool fill_name(char *buf, int len, unsigned int n)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char tmp[16];
	int i = 0, j;

	do {
		tmp[i++] = digits[n % 36];
		n /= 36;
	} while (n && i < (int)sizeof(tmp));
	if (i > len)
		return false;
	for (j = 0; j < len - i; j++)
		buf[j] = 'n';
	while (i)
		buf[j++] = tmp[--i];
	buf[j] = '\0';
	return true;
}

/* A full root FDT refuses more blobs with -ENOSPC and stays as it was. */
static void scenario_kho_fdt_full(void)
{
	struct kho_state *start = malloc(sizeof(*start));
	struct kho_state *before = malloc(sizeof(*before));
	struct kho_state *after = malloc(sizeof(*after));
	int len, ret, added = 0, nospc = 0, other = 0, changed = 0;
	unsigned int n = 0;
	char name[32];
	bool ok;

	if (!kho_ready() || !start || !before || !after)
		return;
	check(state_read(start), "state_start", "kho/out unreadable");
	/* long names first, then shorter ones fill what they left */
	for (len = 24; len > 0; len--) {
		for (;;) {
			if (!fill_name(name, len, n++))
				break;
			state_read(before);
			ret = add_fill_blob(name);
			if (!ret) {
				added++;
				continue;
			}
			nospc += ret == -ENOSPC;
			other += ret != -ENOSPC;
			if (!state_read(after) || !state_equal(before, after))
				changed++;
			break;
		}
	}
	check(added > 10 && nospc > 0 && !other, "fdt_full",
	      "%d blobs added, %d -ENOSPC, %d other errors", added, nospc,
	      other);
	check(!changed, "fdt_full_unchanged",
	      "%d of %d failed calls changed the tracker or the FDT", changed,
	      nospc + other);
	ret = test_cmd("fdt_unfill");
	ok = !ret && state_read(after) && state_equal(start, after);
	check(ok, "fdt_unfill_restores",
	      "fdt_unfill: %s; FDT %ld bytes, tracker %s, at start %s",
	      strerror(-ret), after->fdt_len, tracker_str(&after->tracker),
	      tracker_str(&start->tracker));
	diag("fdt-full: %d blobs fit, %d calls refused with -ENOSPC", added,
	     nospc);
	free(start);
	free(before);
	free(after);
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
	{ "kho-preserve", scenario_kho_preserve },
	{ "kho-chain", scenario_kho_chain },
	{ "kho-fdt", scenario_kho_fdt },
	{ "kho-cma", scenario_kho_cma },
	{ "kho-scratch", scenario_kho_scratch },
	{ "kho-off", scenario_kho_off },
	{ "kho-nomod", scenario_kho_nomod },
	{ "kho-metadata", scenario_kho_metadata },
	{ "kho-metadata-bad", scenario_kho_metadata_bad },
	{ "kho-reserve-mem", scenario_kho_reserve_mem },
	{ "kho-kaslr", scenario_kho_kaslr },
	{ "kho-dt", scenario_kho_dt },
	{ "kho-vmalloc", scenario_kho_vmalloc },
	{ "kho-placement", scenario_kho_placement },
	{ "kho-numa", scenario_kho_numa },
	{ "kho-v2", scenario_kho_v2 },
	{ "kho-corrupt", scenario_kho_corrupt },
	/* run-time robustness */
	{ "kho-fault-inject", scenario_kho_fault_inject },
	{ "kho-churn", scenario_kho_churn },
	{ "kho-unload", scenario_kho_unload },
	{ "kho-stress", scenario_kho_stress },
	{ "kho-fdt-full", scenario_kho_fdt_full },
	{ "hang", scenario_hang },
	{ "crash", scenario_crash },
};

/* The Live Update Orchestrator's scenarios, when built in (../liveupdate). */
const struct scenario *luo_find_scenario(const char *name);
#pragma weak luo_find_scenario

const struct scenario *find_scenario(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return luo_find_scenario ? luo_find_scenario(name) : NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * kho_guest - /init of the Kexec HandOver QEMU scenarios.
 *
 * The kernel command line names the scenario and the generation:
 *
 *   kho_scenario=NAME  which scenario to run (see scenarios[] below)
 *   kho_gen=N          this boot's generation, 1 on the cold boot
 *   kho_gens=M         the last generation; every earlier one kexecs
 *   kho_loader=kexec-tools
 *                      load and boot the next kernel with kexec-tools'
 *                      "kexec -s -l" and "kexec -e", as a user would,
 *                      instead of calling kexec_file_load() directly
 *
 * Each generation does its scenario's work and reports every check as a
 * KTAP line on the console, named "genN.check".  Every generation but the
 * last then loads the same kernel with kexec_file_load(), with an initramfs
 * it writes itself (this program and the kernel image, so chains can be as
 * long as wanted) and a command line whose kho_gen is incremented, and
 * reboots into it.  The last generation prints "# kho-guest: done" and
 * powers the machine off: through QEMU's isa-debug-exit device on x86,
 * with the exit code, through PSCI SYSTEM_OFF elsewhere.  A guest that
 * hangs or crashes never prints the marker: the runner counts that as a
 * failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#ifdef __x86_64__
#include <sys/io.h>
#endif

#include "kho_guest.h"

/* the image kexec_file_load() takes on this architecture */
#ifdef __x86_64__
#define KERNEL_NAME	"kho/bzImage"
#else
#define KERNEL_NAME	"kho/Image"
#endif
#define KERNEL_PATH	"/" KERNEL_NAME
#define NEXT_INITRD	"/next-initrd.cpio"
/* What else the next initramfs needs: "d PATH" and "f PATH" lines. */
#define EXTRA_LIST	"/kho/extra"
#define KEXEC_TOOL	"/usr/sbin/kexec"
#define DEBUG_EXIT_PORT	0xf4

static int console_fd = -1;
static int tests_run;
static int tests_failed;

struct guest guest;

/* One write per line keeps guest lines whole among kernel messages. */
static void out(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if (len > (int)sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	if (write(console_fd, line, len) < 0)
		return;
}

void diag(const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out("# %s", msg);
}

static void report(const char *result, const char *name, const char *why)
{
	tests_run++;
	out("%s %d gen%d.%s%s%s", result, tests_run, guest.gen, name,
	    why ? " # " : "", why ? why : "");
}

bool check(bool ok, const char *name, const char *fmt, ...)
{
	char why[512] = "";
	va_list ap;

	if (!ok) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
		tests_failed++;
	}
	report(ok ? "ok" : "not ok", name, ok ? NULL : why);
	return ok;
}

void skip(const char *name, const char *why)
{
	char reason[512];

	snprintf(reason, sizeof(reason), "SKIP %s", why);
	report("ok", name, reason);
}

/* --- files ------------------------------------------------------------- */

long read_file(const char *path, void *buf, size_t size)
{
	size_t done = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (done < size) {
		n = read(fd, (char *)buf + done, size - done);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		done += n;
	}
	close(fd);
	return done;
}

/* Read a text file into buf, NUL terminated, trailing newline removed. */
long read_text(const char *path, char *buf, size_t size)
{
	long len = read_file(path, buf, size - 1);

	if (len < 0) {
		buf[0] = '\0';
		return len;
	}
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return len;
}

/*
 * This boot's scratch regions from KHO's debugfs, at most max of them;
 * their number, or -1 if KHO's debugfs is not there.
 */
int scratch_regions(struct phys_range *r, int max)
{
	char phys[4096], len[4096], *p = phys, *q = len;
	int n = 0;

	if (read_text("/sys/kernel/debug/kho/out/scratch_phys", phys,
		      sizeof(phys)) < 0 ||
	    read_text("/sys/kernel/debug/kho/out/scratch_len", len,
		      sizeof(len)) < 0)
		return -1;
	while (*p && *q && n < max) {
		r[n].start = strtoull(p, &p, 0);
		r[n].end = r[n].start + strtoull(q, &q, 0);
		n++;
		while (*p == '\n')
			p++;
		while (*q == '\n')
			q++;
	}
	return n;
}

/* Is [start, end) inside one of the scratch regions? */
bool in_scratch(unsigned long long start, unsigned long long end)
{
	struct phys_range r[64];
	int i, n = scratch_regions(r, ARRAY_SIZE(r));

	for (i = 0; i < n; i++)
		if (start >= r[i].start && end <= r[i].end)
			return true;
	return false;
}

/* Write text to a control file; 0 or the negative errno of write(). */
int write_text(const char *path, const char *text)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		n = -errno;
	else
		n = 0;
	close(fd);
	return n;
}

/* --- kernel command line ----------------------------------------------- */

/* The value of "key=" on the command line, or NULL. */
const char *param(const char *key)
{
	static char value[256];
	size_t klen = strlen(key);
	const char *p = guest.cmdline;

	while (p && *p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			size_t len = strcspn(p + klen + 1, " ");

			if (len >= sizeof(value))
				len = sizeof(value) - 1;
			memcpy(value, p + klen + 1, len);
			value[len] = '\0';
			return value;
		}
		p = strchr(p, ' ');
	}
	return NULL;
}

long param_long(const char *key, long def)
{
	const char *v = param(key);

	return v ? strtol(v, NULL, 0) : def;
}

/* Remove every "key" or "key=..." word from a command line. */
static void cmdline_del(char *cmdline, const char *key)
{
	size_t klen = strlen(key);
	char *p = cmdline;

	while (*p) {
		size_t wlen = strcspn(p, " ");

		if (!strncmp(p, key, klen) && (p[klen] == '=' || p[klen] == ' ' ||
					       !p[klen])) {
			char *next = p + wlen;

			while (*next == ' ')
				next++;
			memmove(p, next, strlen(next) + 1);
			continue;
		}
		p += wlen;
		while (*p == ' ')
			p++;
	}
	while (p > cmdline && p[-1] == ' ')
		*--p = '\0';
}

/* Set "key=value" (or drop key if value is NULL) on the next command line. */
void next_param(const char *key, const char *value)
{
	size_t len;

	cmdline_del(guest.next_cmdline, key);
	if (!value)
		return;
	len = strlen(guest.next_cmdline);
	snprintf(guest.next_cmdline + len, sizeof(guest.next_cmdline) - len,
		 "%s%s=%s", len ? " " : "", key, value);
}

/* --- initramfs for the next generation ---------------------------------- */

static int cpio_pad(FILE *f)
{
	while (ftell(f) % 4)
		if (fputc(0, f) == EOF)
			return -1;
	return 0;
}

static int cpio_entry(FILE *f, const char *name, unsigned int mode,
		      const void *data, size_t size)
{
	static unsigned int ino = 1000;

	fprintf(f, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		ino++, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, strlen(name) + 1, 0);
	fwrite(name, strlen(name) + 1, 1, f);
	if (cpio_pad(f))
		return -1;
	if (size && fwrite(data, size, 1, f) != 1)
		return -1;
	return cpio_pad(f);
}

static int cpio_file(FILE *f, const char *src, const char *name,
		     unsigned int mode)
{
	struct stat st;
	void *data;
	long len;
	int ret;

	if (stat(src, &st))
		return -errno;
	data = malloc(st.st_size + 1);
	if (!data)
		return -ENOMEM;
	len = read_file(src, data, st.st_size);
	ret = len == st.st_size ? cpio_entry(f, name, mode, data, len) : -EIO;
	free(data);
	return ret;
}

/* The directories and files of EXTRA_LIST (kexec-tools and its libraries). */
static int cpio_extra(FILE *out)
{
	FILE *list = fopen(EXTRA_LIST, "r");
	char line[512];
	int ret = 0;

	if (!list)
		return 0;
	while (!ret && fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "d /", 3))
			ret = cpio_entry(out, line + 3, 040755, NULL, 0);
		else if (!strncmp(line, "f /", 3))
			ret = cpio_file(out, line + 2, line + 3, 0100755);
	}
	fclose(list);
	return ret;
}

/* This program, the kernel image and the extras: all the next one needs. */
static int write_next_initrd(void)
{
	FILE *f = fopen(NEXT_INITRD, "w");
	int ret;

	if (!f)
		return -errno;
	ret = cpio_entry(f, "kho", 040755, NULL, 0);
	if (!ret)
		ret = cpio_file(f, "/init", "init", 0100755);
	if (!ret)
		ret = cpio_file(f, KERNEL_PATH, KERNEL_NAME, 0100644);
	if (!ret)
		ret = cpio_file(f, EXTRA_LIST, "kho/extra", 0100644);
	if (!ret)
		ret = cpio_extra(f);
	if (!ret)
		ret = cpio_entry(f, "TRAILER!!!", 0, NULL, 0);
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/* --- kexec --------------------------------------------------------------- */

/* The next generation's kho_gen= and initramfs. */
static int prepare_next(void)
{
	char gen[16];

	snprintf(gen, sizeof(gen), "%d", guest.gen + 1);
	next_param("kho_gen", gen);
	return write_next_initrd();
}

int kexec_load_next(void)
{
	int kfd, ifd;
	long ret;

	ret = prepare_next();
	if (ret)
		return ret;
	kfd = open(KERNEL_PATH, O_RDONLY);
	if (kfd < 0)
		return -errno;
	ifd = open(NEXT_INITRD, O_RDONLY);
	if (ifd < 0) {
		ret = -errno;
		close(kfd);
		return ret;
	}
	ret = syscall(SYS_kexec_file_load, kfd, ifd,
		      strlen(guest.next_cmdline) + 1, guest.next_cmdline, 0UL);
	if (ret)
		ret = -errno;
	close(ifd);
	close(kfd);
	return ret;
}

int kexec_unload(void)
{
	long ret = syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL,
			   (unsigned long)KEXEC_FILE_UNLOAD);

	return ret ? -errno : 0;
}

static void finish(void)
{
	out("1..%d", tests_run);
	out("# kho-guest: gen%d %d checks, %d failed", guest.gen, tests_run,
	    tests_failed);
}

static void power_off(int code)
{
	/* Let the console drain: QEMU exits the moment the port is written. */
	tcdrain(console_fd);
	usleep(200 * 1000);
	sync();
#ifdef __x86_64__
	/* isa-debug-exit: QEMU exits with status (code << 1) | 1. */
	if (!ioperm(DEBUG_EXIT_PORT, 4, 1))
		outb(code, DEBUG_EXIT_PORT);
#endif
	/* the runner judges by the marker and the checks printed before */
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* End this generation's report; power off if loading the next failed. */
static void kexec_announce(int ret, const char *how)
{
	finish();
	if (ret)
		power_off(2);
	out("# kho-guest: %s to gen%d: %s", how, guest.gen + 1,
	    guest.next_cmdline);
	tcdrain(console_fd);
}

/* Run a program and wait for it: its exit status, or -errno. */
static int run_program(char *const argv[])
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (!pid) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static bool use_kexec_tools(void)
{
	const char *loader = param("kho_loader");

	return loader && !strcmp(loader, "kexec-tools");
}

/*
 * The next generation through kexec-tools, with exactly the commands the
 * README gives users: "kexec -s -l IMAGE --initrd=... --append=...", then
 * "kexec -e". Returns only if one of them failed.
 */
static void kexec_tools_next(void)
{
	char initrd[64], append[sizeof(guest.next_cmdline) + 16];
	char *const load[] = { KEXEC_TOOL, "-s", "-l", KERNEL_PATH, initrd, append,
			 NULL };
	char *const exec[] = { KEXEC_TOOL, "-e", NULL };
	int ret;

	ret = prepare_next();
	check(!ret, "next_initrd", "writing %s: %s", NEXT_INITRD,
	      strerror(-ret));
	snprintf(initrd, sizeof(initrd), "--initrd=%s", NEXT_INITRD);
	snprintf(append, sizeof(append), "--append=%s", guest.next_cmdline);
	ret = run_program(load);
	check(!ret, "kexec_tools_load", "kexec -s -l exited with %d", ret);
	kexec_announce(ret, "kexec -e");
	ret = run_program(exec);
	check(false, "kexec_tools_exec", "kexec -e returned %d", ret);
	power_off(3);
}

static void kexec_next(void)
{
	int ret;

	if (use_kexec_tools())
		kexec_tools_next();
	ret = kexec_load_next();

	check(!ret, "kexec_file_load", "kexec_file_load: %s", strerror(-ret));
	kexec_announce(ret, "kexec");
	sync();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	check(false, "kexec_reboot", "reboot(KEXEC): %s", strerror(errno));
	power_off(3);
}

static void setup(void)
{
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	console_fd = open("/dev/console", O_WRONLY | O_NOCTTY);
	if (console_fd < 0)
		console_fd = 2;
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/tmp", 01777);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);

	read_text("/proc/cmdline", guest.cmdline, sizeof(guest.cmdline));
	snprintf(guest.next_cmdline, sizeof(guest.next_cmdline), "%s",
		 guest.cmdline);
	guest.gen = param_long("kho_gen", 1);
	guest.gens = param_long("kho_gens", 1);
}

int main(void)
{
	const struct scenario *s;
	char *name;

	setup();
	name = strdup(param("kho_scenario") ?: "kexec");
	out("KTAP version 1");
	out("# kho-guest: scenario %s gen%d/%d", name, guest.gen, guest.gens);

	s = find_scenario(name);
	if (!s) {
		check(false, "scenario", "unknown scenario '%s'", name);
		finish();
		power_off(4);
	}
	s->run();

	if (guest.gen < guest.gens)
		kexec_next();
	finish();
	out("# kho-guest: done %s: %d failed", name, tests_failed);
	power_off(tests_failed ? 1 : 0);
	return 0;
}

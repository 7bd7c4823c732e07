// SPDX-License-Identifier: GPL-2.0
/*
 * luo_scenarios - the Live Update Orchestrator scenarios of the KHO guest.
 *
 * Linked into tools/testing/selftests/kho/kho_guest (which boots, reports
 * KTAP checks and kexecs); built against <linux/liveupdate.h> as upstream
 * ships it, so these are also what a user-space program of upstream's
 * interface sees.  Every kexec scenario keeps its session fds open in this
 * process (PID 1) across the kexec, as a live update agent would.
 *
 *   luo-off      no /dev/liveupdate
 *   luo-demo     make demo's story: a 64 MiB memfd kept, read back
 *   luo-api      gen 1 only: every ioctl and every error without a kexec
 *   luo-memfd    a 256 MiB memfd with a seeded pattern, also written through
 *                mmap() after preserve; size, position, seals, every byte
 *   luo-multi    several sessions of several memfds: sparse, sealed, empty;
 *                an abandoned session, a partly retrieved one finished away
 *   luo-thp      a memfd of transparent huge pages comes back huge
 *   luo-chain    3 generations: retrieved files preserved again each time
 *   luo-corrupt  luo_corrupt=A,B,..: each generation's kexec damages the
 *                blob in the next way (luo_test), the next one checks
 *   luo-stress   4 threads, 1000 sessions, a session of 300 files
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/liveupdate.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "../kho/kho_guest.h"

#define LUO_DEV		"/dev/liveupdate"
#define MiB		(1024UL * 1024)

/* --- small helpers ------------------------------------------------------ */

static int luo_errno(int ret)
{
	return ret < 0 ? errno : 0;
}

static int luo_open(void)
{
	return open(LUO_DEV, O_RDWR | O_CLOEXEC);
}

static int create_session(int dev, const char *name)
{
	struct liveupdate_ioctl_create_session args = { .size = sizeof(args) };

	snprintf((char *)args.name, sizeof(args.name), "%s", name);
	if (ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &args))
		return -errno;
	return args.fd;
}

static int retrieve_session(int dev, const char *name)
{
	struct liveupdate_ioctl_retrieve_session args = { .size = sizeof(args) };

	snprintf((char *)args.name, sizeof(args.name), "%s", name);
	if (ioctl(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &args))
		return -errno;
	return args.fd;
}

static int preserve_fd(int session, int fd, uint64_t token)
{
	struct liveupdate_session_preserve_fd args = {
		.size = sizeof(args), .fd = fd, .token = token,
	};

	return ioctl(session, LIVEUPDATE_SESSION_PRESERVE_FD, &args) ? -errno : 0;
}

static int retrieve_fd(int session, uint64_t token)
{
	struct liveupdate_session_retrieve_fd args = {
		.size = sizeof(args), .token = token,
	};

	if (ioctl(session, LIVEUPDATE_SESSION_RETRIEVE_FD, &args))
		return -errno;
	return args.fd;
}

static int finish_session(int session)
{
	struct liveupdate_session_finish args = { .size = sizeof(args) };

	return ioctl(session, LIVEUPDATE_SESSION_FINISH, &args) ? -errno : 0;
}

static int session_name(int session, char *name)
{
	struct liveupdate_session_get_name args = { .size = sizeof(args) };

	if (ioctl(session, LIVEUPDATE_SESSION_GET_NAME, &args))
		return -errno;
	memcpy(name, args.name, sizeof(args.name));
	return 0;
}

/* The pattern of (seed, word index): cheap, and differs everywhere. */
static inline uint64_t pattern(uint64_t seed, uint64_t i)
{
	uint64_t x = (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (i * 0xbf58476d1ce4e5b9ULL);

	x ^= x >> 31;
	return x * 0x94d049bb133111ebULL;
}

static void fill(void *buf, size_t len, uint64_t seed, uint64_t first)
{
	uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = pattern(seed, first + i);
}

/* The first differing byte offset, or -1. */
static long compare(const void *buf, size_t len, uint64_t seed, uint64_t first)
{
	const uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != pattern(seed, first + i))
			return i * 8;
	return -1;
}

static bool all_zero(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* A memfd of @size bytes holding pattern(seed) throughout. */
static int make_memfd(const char *name, size_t size, uint64_t seed,
		      unsigned int flags)
{
	int fd = memfd_create(name, MFD_CLOEXEC | flags);
	void *map;

	if (fd < 0)
		return -errno;
	if (!size)
		return fd;
	if (ftruncate(fd, size))
		goto err;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		goto err;
	fill(map, size, seed, 0);
	munmap(map, size);
	return fd;
err:
	close(fd);
	return -errno;
}

/* Whether the memfd holds pattern(seed) in [off, off + len). */
static long check_memfd(int fd, size_t off, size_t len, uint64_t seed)
{
	void *map;
	long bad;

	if (!len)
		return -1;
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off);
	if (map == MAP_FAILED)
		return -2;
	bad = compare(map, len, seed, off / 8);
	munmap(map, len);
	return bad;
}

static off_t file_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

static long meminfo_kb(const char *key)
{
	char buf[4096], *p;

	if (read_text("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key) + 1, NULL, 10) : -1;
}

/* The device for this generation's work; fails the run without it. */
static int need_device(void)
{
	int dev = luo_open();

	check(dev >= 0, "open_dev", "open %s: %s", LUO_DEV, strerror(errno));
	return dev;
}

/* --- luo-api: every ioctl and error without a kexec --------------------- */

static void api_device(int dev)
{
	struct liveupdate_ioctl_create_session c = { .size = sizeof(c) };
	struct {
		struct liveupdate_ioctl_create_session c;
		uint64_t tail;
	} big = { .c.size = sizeof(big), .c.name = "big" };
	int fd, err;

	err = luo_errno(luo_open());
	check(err == EBUSY, "open_exclusive", "second open: %s", strerror(err));
	err = luo_errno(ioctl(dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0x02), &c));
	check(err == EINVAL, "dev_nr_range", "nr 2: %s", strerror(err));
	err = luo_errno(ioctl(dev, LIVEUPDATE_SESSION_FINISH, &c));
	check(err == EINVAL, "dev_session_cmd", "0xBA42 on dev: %s",
	      strerror(err));
	err = luo_errno(ioctl(dev, _IOWR(LIVEUPDATE_IOCTL_TYPE, 0, c), &c));
	check(err == ENOTTY, "dev_encoding", "_IOWR: %s", strerror(err));
	err = luo_errno(ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, NULL));
	check(err == EFAULT, "dev_efault", "NULL arg: %s", strerror(err));
	c.size = sizeof(c) - 1;
	snprintf((char *)c.name, sizeof(c.name), "small");
	err = luo_errno(ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &c));
	check(err == EINVAL, "size_small", "size 71: %s", strerror(err));
	big.tail = 1;
	err = luo_errno(ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &big));
	check(err == E2BIG, "size_e2big", "non-zero tail: %s", strerror(err));
	big.tail = 0;
	big.c.fd = -1;
	err = luo_errno(ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &big));
	check(!err && big.c.fd >= 0 && !big.tail, "size_bigger",
	      "zero tail: %s, fd %d", strerror(err), big.c.fd);
	close(big.c.fd);

	err = -create_session(dev, "");
	check(err == EINVAL, "name_empty", "empty name: %s", strerror(err));
	c.size = sizeof(c);
	memset(c.name, 'x', sizeof(c.name));
	err = luo_errno(ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &c));
	check(err == EINVAL, "name_unterminated", "64 bytes: %s",
	      strerror(err));
	err = -retrieve_session(dev, "nothing");
	check(err == ENOENT, "retrieve_cold", "cold boot: %s", strerror(err));

	fd = create_session(dev, "dup");
	err = -create_session(dev, "dup");
	check(fd >= 0 && err == EEXIST, "name_eexist", "fd %d, second: %s", fd,
	      strerror(err));
	check((fcntl(fd, F_GETFD) & FD_CLOEXEC), "session_cloexec",
	      "no FD_CLOEXEC");
	close(fd);
	fd = create_session(dev, "dup");
	check(fd >= 0, "name_reuse", "after close: %s", strerror(-fd));
	close(fd);
}

static void api_proc_name(int session)
{
	char path[64], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", session);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	check(!strcmp(link, "anon_inode:[luo_session] api"), "proc_name",
	      "link '%s'", link);
}

static void api_session_cmds(int session)
{
	struct liveupdate_session_get_name g = { .size = sizeof(g) };
	struct liveupdate_session_finish f = { .size = sizeof(f) };
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	int err;

	err = luo_errno(ioctl(session, LIVEUPDATE_IOCTL_CREATE_SESSION, &g));
	check(err == EINVAL, "session_dev_cmd", "0xBA00: %s", strerror(err));
	err = luo_errno(ioctl(session, _IO(LIVEUPDATE_IOCTL_TYPE, 0x44), &g));
	check(err == EINVAL, "session_nr_range", "0x44: %s", strerror(err));
	err = luo_errno(ioctl(session, _IOR(LIVEUPDATE_IOCTL_TYPE, 0x43, g), &g));
	check(err == ENOTTY, "session_encoding", "_IOR: %s", strerror(err));
	err = -retrieve_fd(session, 1);
	check(err == EINVAL, "retrieve_fd_outgoing", "%s", strerror(err));
	err = luo_errno(ioctl(session, LIVEUPDATE_SESSION_FINISH, &f));
	check(err == EINVAL, "finish_outgoing", "%s", strerror(err));
	err = session_name(session, name);
	check(!err && !strcmp(name, "api"), "get_name", "%s '%s'",
	      strerror(-err), err ? "" : name);
	g.reserved = 1;
	err = luo_errno(ioctl(session, LIVEUPDATE_SESSION_GET_NAME, &g));
	check(err == EINVAL, "get_name_reserved", "%s", strerror(err));
	g.reserved = 0;
	g.size = 16;
	err = luo_errno(ioctl(session, LIVEUPDATE_SESSION_GET_NAME, &g));
	check(err == EINVAL, "get_name_small", "size 16: %s", strerror(err));
}

static void api_preserve_errors(int dev, int session, int memfd)
{
	int null = open("/dev/null", O_RDWR), other, dup_fd, err, huge;

	err = -preserve_fd(session, 1000, 1);
	check(err == EBADF, "preserve_ebadf", "%s", strerror(err));
	err = -preserve_fd(session, null, 1);
	check(err == ENOENT, "preserve_devnull", "%s", strerror(err));
	close(null);
	huge = memfd_create("huge", MFD_HUGETLB);
	if (huge < 0) {
		skip("preserve_hugetlb", "no hugetlb memfd in this kernel");
	} else {
		err = -preserve_fd(session, huge, 1);
		check(err == ENOENT, "preserve_hugetlb", "%s", strerror(err));
		close(huge);
	}
	err = preserve_fd(session, memfd, 1);
	check(!err, "preserve", "%s", strerror(-err));
	err = -preserve_fd(session, memfd, 1);
	check(err == EEXIST, "preserve_token_eexist", "%s", strerror(err));
	err = -preserve_fd(session, memfd, 2);
	check(err == EBUSY, "preserve_twice_ebusy", "%s", strerror(err));
	other = create_session(dev, "other");
	dup_fd = dup(memfd);
	err = -preserve_fd(other, dup_fd, 1);
	check(err == EBUSY, "preserve_other_session_ebusy", "%s",
	      strerror(err));
	close(dup_fd);
	close(other);
}

/* While preserved, the size is frozen; closing the session thaws it. */
static void api_frozen(int dev, int session, int memfd)
{
	char byte = 'x';
	off_t size = file_size(memfd);
	int err, s2;

	err = luo_errno(ftruncate(memfd, size * 2));
	check(err == EPERM, "frozen_grow", "%s", strerror(err));
	err = luo_errno(ftruncate(memfd, size / 2));
	check(err == EPERM, "frozen_shrink", "%s", strerror(err));
	err = luo_errno(ftruncate(memfd, size));
	check(!err, "frozen_same_size", "%s", strerror(err));
	err = luo_errno(pwrite(memfd, &byte, 1, size));
	check(err == EPERM, "frozen_write_past_eof", "%s", strerror(err));
	err = luo_errno(pwrite(memfd, &byte, 1, size - 1));
	check(!err, "frozen_write_inside", "%s", strerror(err));
	err = luo_errno(fallocate(memfd, 0, 0, size * 2));
	check(err == EPERM, "frozen_fallocate", "%s", strerror(err));
	err = luo_errno(fallocate(memfd, FALLOC_FL_PUNCH_HOLE |
				  FALLOC_FL_KEEP_SIZE, 0, 4096));
	check(err == EPERM, "frozen_punch_hole", "%s", strerror(err));

	close(session);
	err = luo_errno(ftruncate(memfd, size * 2));
	check(!err && file_size(memfd) == size * 2, "thawed_after_close",
	      "%s", strerror(err));
	s2 = create_session(dev, "again");
	err = preserve_fd(s2, memfd, 7);
	check(!err, "preserve_after_close", "%s", strerror(-err));
	close(s2);
}

static void scenario_luo_api(void)
{
	int dev = need_device(), session, memfd;

	if (dev < 0)
		return;
	api_device(dev);
	session = create_session(dev, "api");
	check(session >= 0, "create", "%s", strerror(-session));
	api_proc_name(session);
	api_session_cmds(session);
	memfd = make_memfd("api", 64 * 1024, 1, 0);
	api_preserve_errors(dev, session, memfd);
	api_frozen(dev, session, memfd);
	close(memfd);
	close(dev);
	dev = luo_open();
	check(dev >= 0, "reopen", "after close: %s", strerror(errno));
	close(dev);
}

/* --- luo-memfd: one big memfd ------------------------------------------- */

#define BIG_SIZE	(256 * MiB)
#define BIG_SEED	0x1234
#define BIG_POS		12345
/* written through mmap() after preserve: the first 4 KiB of every MiB */
#define BIG_LATE_SEED	0x5678

static void big_write_late(int fd)
{
	char *map = mmap(NULL, BIG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
	size_t off;

	check(map != MAP_FAILED, "big_mmap", "%s", strerror(errno));
	if (map == MAP_FAILED)
		return;
	for (off = 0; off < BIG_SIZE; off += MiB)
		fill(map + off, 4096, BIG_LATE_SEED, off / 8);
	munmap(map, BIG_SIZE);
}

static long big_compare(int fd)
{
	char *map = mmap(NULL, BIG_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	size_t off;
	long bad;

	if (map == MAP_FAILED)
		return -2;
	for (off = 0; off < BIG_SIZE; off += MiB) {
		bad = compare(map + off, 4096, BIG_LATE_SEED, off / 8);
		if (bad < 0)
			bad = compare(map + off + 4096, MiB - 4096, BIG_SEED,
				      (off + 4096) / 8);
		if (bad >= 0) {
			munmap(map, BIG_SIZE);
			return off + bad;
		}
	}
	munmap(map, BIG_SIZE);
	return -1;
}

/*
 * Movable pages may sit in CMA, and KHO scratch is CMA: a preserved page
 * there would be overwritten by the next kernel, so preserving must move
 * them out (KHO itself refuses to preserve scratch).  The page allocator
 * serves movable memory from CMA once CMA holds more than half of the free
 * memory: a filler memfd (fallocated, so nothing is written) takes the
 * rest down to there, so that the next memfd lands in CMA in good part.
 */
static int cma_pressure(void)
{
	long free_kb = meminfo_kb("MemFree:"), cma_kb = meminfo_kb("CmaFree:");
	long fill_kb = free_kb - 2 * cma_kb + 64 * 1024;
	int fd;

	if (cma_kb <= 0)
		return -1;
	fd = memfd_create("filler", MFD_CLOEXEC);
	if (fd >= 0 && fill_kb > 0 && fallocate(fd, 0, 0, fill_kb * 1024L)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

#define PAGEMAP_PRESENT		0x8000000000000000ULL
#define PAGEMAP_PFN_MASK	((1ULL << 55) - 1)
#define PAGEMAP_BATCH		4096

/* How many of the n frames in entries[] lie in one of the r[] ranges. */
static long frames_in(const uint64_t *entries, size_t n,
		      const struct phys_range *r, int nr)
{
	unsigned long long phys;
	long count = 0;
	size_t i;
	int j;

	for (i = 0; i < n; i++) {
		if (!(entries[i] & PAGEMAP_PRESENT) ||
		    !(entries[i] & PAGEMAP_PFN_MASK))
			return -1;
		phys = (entries[i] & PAGEMAP_PFN_MASK) * getpagesize();
		for (j = 0; j < nr; j++)
			if (phys >= r[j].start && phys < r[j].end)
				count++;
	}
	return count;
}

/*
 * How many pages of the memfd lie in KHO scratch, from the frames that
 * /proc/self/pagemap gives for a mapping of it (every page mapped first);
 * -1 if that cannot be known.
 */
static long pages_in_scratch(int fd, size_t size)
{
	static uint64_t entries[PAGEMAP_BATCH];
	size_t page = getpagesize(), off, n;
	struct phys_range r[64];
	int nr = scratch_regions(r, ARRAY_SIZE(r)), pagemap;
	long count = 0, part;
	char *map;

	if (nr <= 0)
		return -1;
	map = mmap(NULL, size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED)
		return -1;
	pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	for (off = 0; pagemap >= 0 && off < size; off += n * page) {
		n = (size - off) / page;
		if (n > PAGEMAP_BATCH)
			n = PAGEMAP_BATCH;
		part = -1;
		if (pread(pagemap, entries, n * sizeof(entries[0]),
			  ((uintptr_t)map + off) / page * sizeof(entries[0])) ==
		    (ssize_t)(n * sizeof(entries[0])))
			part = frames_in(entries, n, r, nr);
		if (part < 0) {
			count = -1;
			break;
		}
		count += part;
	}
	if (pagemap < 0)
		count = -1;
	else
		close(pagemap);
	munmap(map, size);
	return count;
}

static void luo_memfd_gen1(int dev)
{
	int session = create_session(dev, "big"), fd, err, filler;
	long before, after;

	filler = cma_pressure();
	fd = make_memfd("big", BIG_SIZE, BIG_SEED, MFD_ALLOW_SEALING);
	check(fd >= 0, "big_memfd", "%s", strerror(-fd));
	if (filler >= 0)
		close(filler);
	if (fd < 0)
		return;
	before = pages_in_scratch(fd, BIG_SIZE);
	err = luo_errno(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
	check(!err, "big_seal", "%s", strerror(err));
	err = preserve_fd(session, fd, 42);
	check(!err, "big_preserve", "%s", strerror(-err));
	after = pages_in_scratch(fd, BIG_SIZE);
	/* Under CMA pressure the memfd must start partly in scratch ... */
	check(before > 0, "big_in_scratch",
	      "%ld of the memfd's pages in scratch before preserve", before);
	/* ... and preserving must have moved every one of them out. */
	check(after == 0, "big_out_of_scratch",
	      "%ld of the memfd's pages in scratch after preserve", after);
	diag("memfd pages in scratch: %ld before preserve, %ld after", before,
	     after);
	big_write_late(fd);
	check(lseek(fd, BIG_POS, SEEK_SET) == BIG_POS, "big_lseek", "%s",
	      strerror(errno));
	close(fd);
	close(dev);
	diag("session 'big' holds a %lu MiB memfd; kexec", BIG_SIZE / MiB);
}

static void luo_memfd_gen2(int dev)
{
	int session = retrieve_session(dev, "big"), fd, err;
	long bad;

	check(session >= 0, "big_retrieve_session", "%s", strerror(-session));
	fd = retrieve_fd(session, 42);
	check(fd >= 0, "big_retrieve_fd", "%s", strerror(-fd));
	if (fd < 0)
		return;
	check(file_size(fd) == (off_t)BIG_SIZE, "big_size", "size %ld",
	      (long)file_size(fd));
	check(lseek(fd, 0, SEEK_CUR) == BIG_POS, "big_pos", "pos %ld",
	      (long)lseek(fd, 0, SEEK_CUR));
	err = fcntl(fd, F_GET_SEALS);
	check(err == (F_SEAL_SHRINK | F_SEAL_GROW), "big_seals", "seals %#x",
	      err);
	check(fcntl(fd, F_GETFD) & FD_CLOEXEC, "big_cloexec", "no cloexec");
	bad = big_compare(fd);
	check(bad == -1, "big_bytes", "first bad byte at %ld", bad);
	err = finish_session(session);
	check(!err, "big_finish", "%s", strerror(-err));
	bad = big_compare(fd);
	check(bad == -1, "big_bytes_after_finish", "first bad byte at %ld",
	      bad);
	close(fd);
	close(session);
}

static void scenario_luo_memfd(void)
{
	int dev = need_device();

	if (dev < 0)
		return;
	if (guest.gen == 1)
		luo_memfd_gen1(dev);
	else
		luo_memfd_gen2(dev);
}

/* --- luo-multi: sessions of several memfds ------------------------------ */

struct multi_file {
	uint64_t token;
	size_t size;
	unsigned int seals;
	off_t pos;
	bool sparse;	/* only its first and last page written */
};

static const struct multi_file multi_files[] = {
	{ 11, 3 * MiB, 0, 0, false },
	{ 12, 64 * MiB, 0, 4096, true },
	{ 13, 8192 + 100, F_SEAL_SEAL | F_SEAL_WRITE, 7, false },
	{ 14, 0, 0, 0, false },
};

#define MULTI_SESSIONS	3

static uint64_t multi_seed(int s, int f)
{
	return s * 100 + f;
}

static int multi_make(int s, int f)
{
	const struct multi_file *mf = &multi_files[f];
	int fd;

	if (mf->sparse) {
		char page[4096];

		fd = memfd_create("sparse", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd < 0 || ftruncate(fd, mf->size))
			return -errno;
		fill(page, sizeof(page), multi_seed(s, f), 0);
		pwrite(fd, page, sizeof(page), 0);
		fill(page, sizeof(page), multi_seed(s, f),
		     (mf->size - 4096) / 8);
		pwrite(fd, page, sizeof(page), mf->size - 4096);
	} else {
		fd = make_memfd("multi", mf->size, multi_seed(s, f),
				MFD_ALLOW_SEALING);
	}
	if (fd >= 0 && mf->seals)
		fcntl(fd, F_ADD_SEALS, mf->seals);
	if (fd >= 0)
		lseek(fd, mf->pos, SEEK_SET);
	return fd;
}

static bool multi_check(int fd, int s, int f)
{
	const struct multi_file *mf = &multi_files[f];
	size_t round = mf->size & ~4095UL;
	long bad = -1;
	int seals = fcntl(fd, F_GET_SEALS);
	char *map;

	if (file_size(fd) != (off_t)mf->size ||
	    lseek(fd, 0, SEEK_CUR) != mf->pos || seals != (int)mf->seals) {
		diag("s%d f%d: size %ld pos %ld seals %#x", s, f,
		     (long)file_size(fd), (long)lseek(fd, 0, SEEK_CUR), seals);
		return false;
	}
	if (!mf->size)
		return true;
	if (!mf->sparse)
		return check_memfd(fd, 0, round, multi_seed(s, f)) == -1;
	bad = check_memfd(fd, 0, 4096, multi_seed(s, f));
	if (bad == -1)
		bad = check_memfd(fd, mf->size - 4096, 4096, multi_seed(s, f));
	map = mmap(NULL, mf->size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return false;
	if (!all_zero(map + 4096, mf->size - 8192))
		bad = 1;
	munmap(map, mf->size);
	return bad == -1;
}

static void luo_multi_gen1(int dev)
{
	char name[32];
	int s, f, session, fd, err, ok = 1;
	long before, after;

	for (s = 0; s < MULTI_SESSIONS; s++) {
		snprintf(name, sizeof(name), "multi-%d", s);
		session = create_session(dev, name);
		for (f = 0; f < (int)ARRAY_SIZE(multi_files); f++) {
			fd = multi_make(s, f);
			err = fd < 0 ? fd : preserve_fd(session, fd, multi_files[f].token);
			if (err) {
				diag("%s token %lu: %s", name,
				     (unsigned long)multi_files[f].token,
				     strerror(-err));
				ok = 0;
			}
			close(fd);
		}
	}
	check(ok, "multi_preserve", "see above");

	/* the sparse file now costs its full size: holes were filled */
	before = meminfo_kb("Shmem:");
	session = create_session(dev, "abandoned");
	fd = multi_make(0, 1);
	err = preserve_fd(session, fd, 1);
	after = meminfo_kb("Shmem:");
	check(!err && after - before >= 60 * 1024, "sparse_filled",
	      "%s, Shmem grew by %ld kB", strerror(-err), after - before);
	close(fd);
	close(session);
	after = meminfo_kb("Shmem:");
	check(after - before < 4 * 1024, "abandoned_freed",
	      "Shmem %ld kB above the start after close", after - before);
	/* a session kept only to be finished unretrieved in gen 2 */
	session = create_session(dev, "finish-away");
	fd = make_memfd("away", 32 * MiB, 99, 0);
	preserve_fd(session, fd, 1);
	close(fd);
	close(dev);
}

/* A second RETRIEVE_FD gives the same open file; FINISH checks its args. */
static void multi_retrieve_again(int session)
{
	struct liveupdate_session_finish f = { .size = sizeof(f), .reserved = 1 };
	int fd1 = retrieve_fd(session, 11), fd2 = retrieve_fd(session, 11), err;
	struct stat st1, st2;

	check(fd1 >= 0 && fd2 >= 0 && fd1 != fd2 && !fstat(fd1, &st1) &&
	      !fstat(fd2, &st2) && st1.st_ino == st2.st_ino &&
	      lseek(fd1, 4096, SEEK_SET) == 4096 &&
	      lseek(fd2, 0, SEEK_CUR) == 4096, "retrieve_fd_same_file",
	      "fds %d %d", fd1, fd2);
	lseek(fd1, 0, SEEK_SET);
	close(fd1);
	close(fd2);
	err = luo_errno(ioctl(session, LIVEUPDATE_SESSION_FINISH, &f));
	check(err == EINVAL, "finish_reserved", "%s", strerror(err));
	f.reserved = 0;
	f.size = 4;
	err = luo_errno(ioctl(session, LIVEUPDATE_SESSION_FINISH, &f));
	check(err == EINVAL, "finish_size_small", "%s", strerror(err));
	err = luo_errno(ioctl(session, LIVEUPDATE_SESSION_PRESERVE_FD, &f));
	check(err == EINVAL, "preserve_fd_incoming_kind", "%s", strerror(err));
}

static void luo_multi_gen2_sessions(int dev)
{
	char name[32];
	int s, f, session, fd, ok = 1, again;

	for (s = 0; s < MULTI_SESSIONS; s++) {
		snprintf(name, sizeof(name), "multi-%d", s);
		session = retrieve_session(dev, name);
		if (session < 0) {
			diag("%s: %s", name, strerror(-session));
			ok = 0;
			continue;
		}
		/* the last file first: any order works */
		for (f = ARRAY_SIZE(multi_files) - 1; f >= 0; f--) {
			fd = retrieve_fd(session, multi_files[f].token);
			if (fd < 0 || !multi_check(fd, s, f)) {
				diag("%s token %lu: %s", name,
				     (unsigned long)multi_files[f].token,
				     fd < 0 ? strerror(-fd) : "bad content");
				ok = 0;
			}
			if (fd >= 0)
				close(fd);
		}
		if (s == 0) {
			multi_retrieve_again(session);
			again = -retrieve_session(dev, name);
			check(again == EINVAL, "retrieve_session_twice", "%s",
			      strerror(again));
			again = -preserve_fd(session, 0, 5);
			check(again == EINVAL, "preserve_incoming", "%s",
			      strerror(again));
		}
		close(session);	/* finishes it */
	}
	check(ok, "multi_bytes", "see above");
	session = retrieve_session(dev, "multi-0");
	check(session == -ENOENT, "retrieve_after_finish", "%d", session);
}

static void luo_multi_gen2(int dev)
{
	int session, fd1, err;
	long before, after;

	luo_multi_gen2_sessions(dev);
	err = -retrieve_session(dev, "abandoned");
	check(err == ENOENT, "abandoned_gone", "%s", strerror(err));

	session = retrieve_session(dev, "finish-away");
	fd1 = retrieve_fd(session, 2);
	check(fd1 == -ENOENT, "retrieve_fd_enoent", "%d", fd1);
	before = meminfo_kb("MemFree:");
	err = finish_session(session);
	after = meminfo_kb("MemFree:");
	/* the file is 32 MiB; freed pages may wait in per-CPU lists */
	check(!err && after - before >= 16 * 1024, "finish_frees_unretrieved",
	      "%s, MemFree grew by %ld kB", strerror(-err), after - before);
	fd1 = retrieve_fd(session, 1);
	check(fd1 == -ENOENT, "retrieve_fd_after_finish", "%d", fd1);
	err = finish_session(session);
	check(!err, "finish_again", "%s", strerror(-err));
	close(session);

	/* a name of the previous kernel may be used for a new session */
	session = create_session(dev, "multi-1");
	fd1 = make_memfd("x", 4096, 5, 0);
	err = preserve_fd(session, fd1, 1);
	check(session >= 0 && !err, "incoming_name_reused", "%d %s", session,
	      strerror(-err));
	close(fd1);
	close(session);
	close(dev);
}

static void scenario_luo_multi(void)
{
	int dev = need_device();

	if (dev < 0)
		return;
	if (guest.gen == 1)
		luo_multi_gen1(dev);
	else
		luo_multi_gen2(dev);
}

/* --- luo-chain: 3 generations ------------------------------------------- */

#define CHAIN_SIZE	(16 * MiB)

/* Each generation rewrites its own MiB; earlier ones must persist. */
static void chain_stamp(int fd, int gen)
{
	char *map = mmap(NULL, CHAIN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);

	if (map == MAP_FAILED)
		return;
	fill(map + gen * MiB, MiB, 1000 + gen, 0);
	munmap(map, CHAIN_SIZE);
}

static bool chain_verify(int fd, int last)
{
	int g;

	if (file_size(fd) != (off_t)CHAIN_SIZE)
		return false;
	for (g = 1; g <= last; g++) {
		char *map = mmap(NULL, MiB, PROT_READ, MAP_SHARED, fd, g * MiB);
		long bad;

		if (map == MAP_FAILED)
			return false;
		bad = compare(map, MiB, 1000 + g, 0);
		munmap(map, MiB);
		if (bad >= 0) {
			diag("generation %d's MiB differs at %ld", g, bad);
			return false;
		}
	}
	return check_memfd(fd, 8 * MiB, 8 * MiB, 77) == -1;
}

static void scenario_luo_chain(void)
{
	int dev = need_device(), in, out, fd = -1, err, ghost;

	if (dev < 0)
		return;
	if (guest.gen == 1) {
		fd = make_memfd("chain", CHAIN_SIZE, 77, 0);
		ghost = create_session(dev, "ghost");
		in = make_memfd("ghost", MiB, 3, 0);
		preserve_fd(ghost, in, 1);
		close(in);
	} else {
		in = retrieve_session(dev, "chain");
		check(in >= 0, "chain_retrieve", "%s", strerror(-in));
		fd = retrieve_fd(in, 1);
		check(fd >= 0 && chain_verify(fd, guest.gen - 1), "chain_bytes",
		      "fd %d", fd);
		/* the next kernel gets it from a new outgoing session */
		out = create_session(dev, "chain");
		err = preserve_fd(out, fd, 1);
		check(!err, "chain_preserve_again", "%s", strerror(-err));
		err = finish_session(in);
		check(!err, "chain_finish", "%s", strerror(-err));
		close(in);
		/* gen 2 leaves "ghost" alone: gen 3 has none */
		if (guest.gen == 3) {
			err = -retrieve_session(dev, "ghost");
			check(err == ENOENT, "ghost_not_handed_on", "%s",
			      strerror(err));
		}
	}
	if (guest.gen == 1) {
		out = create_session(dev, "chain");
		err = preserve_fd(out, fd, 1);
		check(!err, "chain_preserve", "%s", strerror(-err));
	}
	if (guest.gen < guest.gens)
		chain_stamp(fd, guest.gen);
	close(fd);
	close(dev);
}

/* --- luo-corrupt: the blob damaged at kexec ----------------------------- */

static void corrupt_gen1(int dev, const char *how)
{
	int s, f, session, fd, err;
	char name[16];

	for (s = 0; s < 2; s++) {
		snprintf(name, sizeof(name), "corrupt-%d", s);
		session = create_session(dev, name);
		for (f = 0; f < 2; f++) {
			fd = make_memfd("c", MiB, s * 10 + f, 0);
			preserve_fd(session, fd, f);
			close(fd);
		}
	}
	err = write_text("/sys/kernel/debug/luo_test/corrupt", how);
	check(!err, "corrupt_arm", "%s: %s", how, strerror(-err));
	close(dev);
}

static void corrupt_gen2(const char *how)
{
	int dev = luo_open(), session, fd, err;

	if (!strcmp(how, "file-handler")) {
		check(dev < 0 && errno == EIO, "open_eio", "open: %s",
		      dev < 0 ? strerror(errno) : "succeeded");
		return;
	}
	check(dev >= 0, "open_after_corruption", "%s", strerror(errno));
	if (strcmp(how, "file-record")) {
		err = -retrieve_session(dev, "corrupt-0");
		check(err == ENOENT, "nothing_retrievable", "%s", strerror(err));
		err = -retrieve_session(dev, "corrupt-1");
		check(err == ENOENT, "nothing_retrievable_2", "%s",
		      strerror(err));
		close(dev);
		return;
	}
	session = retrieve_session(dev, "corrupt-0");
	err = -retrieve_fd(session, 0);
	check(err == EIO, "record_eio", "%s", strerror(err));
	err = -retrieve_fd(session, 0);
	check(err == EIO, "record_eio_permanent", "%s", strerror(err));
	fd = retrieve_fd(session, 1);
	check(fd >= 0 && check_memfd(fd, 0, MiB, 1) == -1, "record_other_ok",
	      "fd %d", fd);
	close(fd);
	err = finish_session(session);
	check(!err, "record_finish", "%s", strerror(-err));
	close(session);
	close(dev);
}

/* The n-th (from 1) name of the comma-separated luo_corrupt= list. */
static bool corruption_name(int n, char *how, size_t size)
{
	const char *p = param("luo_corrupt");
	size_t len;

	while (p && --n > 0) {
		p = strchr(p, ',');
		if (p)
			p++;
	}
	if (!p || !*p)
		return false;
	len = strcspn(p, ",");
	snprintf(how, size, "%.*s", (int)len, p);
	return true;
}

/*
 * luo_corrupt=A,B,...: generation g checks what the corruption armed by
 * generation g - 1 did to its hand-over, then arms the g-th, so one boot
 * chain tries them all.
 */
static void scenario_luo_corrupt(void)
{
	char how[32];
	int dev;

	if (guest.gen > 1 && corruption_name(guest.gen - 1, how, sizeof(how)))
		corrupt_gen2(how);
	if (guest.gen == guest.gens || !corruption_name(guest.gen, how,
							sizeof(how)))
		return;
	dev = need_device();
	if (dev >= 0)
		corrupt_gen1(dev, how);
}

/*
 * --- luo-stress: many sessions and files from 4 workers ------------------
 *
 * The test kernel has no futexes, so no threads: the workers are processes
 * sharing this one's file table (CLONE_FILES), so the sessions they create
 * stay open here after they exit.
 */

#define STRESS_THREADS	4
#define STRESS_SESSIONS	250	/* per thread */
#define STRESS_BIG_FILES 300

struct stress_thread {
	int dev;
	int id;
	int failed;
	int sessions[STRESS_SESSIONS];
};

static uint64_t stress_seed(int t, int s)
{
	return 50000 + t * 1000 + s;
}

/* Each session: one page memfd; plus churn of sessions closed again. */
static void stress_run(struct stress_thread *st)
{
	char name[32];
	int s, fd, tmp;

	for (s = 0; s < STRESS_SESSIONS; s++) {
		snprintf(name, sizeof(name), "stress-%d-%d", st->id, s);
		st->sessions[s] = create_session(st->dev, name);
		fd = make_memfd("s", 4096, stress_seed(st->id, s), 0);
		if (st->sessions[s] < 0 || fd < 0 ||
		    preserve_fd(st->sessions[s], fd, s))
			st->failed++;
		close(fd);
		snprintf(name, sizeof(name), "churn-%d-%d", st->id, s);
		tmp = create_session(st->dev, name);
		fd = make_memfd("c", 8192, 1, 0);
		if (tmp < 0 || preserve_fd(tmp, fd, 1))
			st->failed++;
		close(fd);
		close(tmp);
	}
}

static void stress_gen1(int dev)
{
	struct stress_thread *st;
	int t, f, session, fd, failed = 0, status;
	pid_t pid[STRESS_THREADS];

	st = mmap(NULL, sizeof(*st) * STRESS_THREADS, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!check(st != MAP_FAILED, "stress_shared", "%s", strerror(errno)))
		return;
	for (t = 0; t < STRESS_THREADS; t++) {
		st[t].dev = dev;
		st[t].id = t;
		pid[t] = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
		if (!pid[t]) {
			stress_run(&st[t]);
			_exit(0);
		}
		if (pid[t] < 0)
			failed++;
	}
	for (t = 0; t < STRESS_THREADS; t++) {
		if (pid[t] > 0 && (waitpid(pid[t], &status, 0) != pid[t] ||
				   !WIFEXITED(status) || WEXITSTATUS(status)))
			failed++;
		failed += st[t].failed;
	}
	check(!failed, "stress_sessions", "%d failures", failed);
	session = create_session(dev, "many-files");
	for (f = 0; f < STRESS_BIG_FILES; f++) {
		fd = make_memfd("f", 4096, 90000 + f, 0);
		if (fd < 0 || preserve_fd(session, fd, f))
			failed++;
		close(fd);
	}
	check(!failed, "stress_many_files", "%d failures", failed);
	close(dev);
}

static void stress_gen2(int dev)
{
	char name[32];
	int t, s, f, session, fd, bad = 0;

	for (t = 0; t < STRESS_THREADS; t++) {
		for (s = 0; s < STRESS_SESSIONS; s++) {
			snprintf(name, sizeof(name), "stress-%d-%d", t, s);
			session = retrieve_session(dev, name);
			fd = retrieve_fd(session, s);
			if (session < 0 || fd < 0 ||
			    check_memfd(fd, 0, 4096, stress_seed(t, s)) != -1)
				bad++;
			close(fd);
			close(session);
		}
	}
	check(!bad, "stress_sessions_back", "%d of %d bad", bad,
	      STRESS_THREADS * STRESS_SESSIONS);
	session = retrieve_session(dev, "churn-0-0");
	check(session == -ENOENT, "stress_churn_gone", "%d", session);
	session = retrieve_session(dev, "many-files");
	for (f = STRESS_BIG_FILES - 1; f >= 0; f--) {
		fd = retrieve_fd(session, f);
		if (fd < 0 || check_memfd(fd, 0, 4096, 90000 + f) != -1)
			bad++;
		close(fd);
	}
	check(!bad, "stress_many_files_back", "%d bad", bad);
	close(session);
	close(dev);
}

static void scenario_luo_stress(void)
{
	struct rlimit rl = { 65536, 65536 };
	int dev;

	setrlimit(RLIMIT_NOFILE, &rl);
	dev = need_device();
	if (dev < 0)
		return;
	if (guest.gen == 1)
		stress_gen1(dev);
	else
		stress_gen2(dev);
}

/* --- luo-demo: what make demo tells -------------------------------------- */

#define DEMO_SIZE	(64 * MiB)
#define DEMO_SEED	2026

static uint64_t demo_checksum(int fd)
{
	uint64_t *w, sum = 0xcbf29ce484222325ULL;
	size_t i;

	w = mmap(NULL, DEMO_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED)
		return 0;
	for (i = 0; i < DEMO_SIZE / 8; i++)
		sum = (sum ^ w[i]) * 0x100000001b3ULL;
	munmap(w, DEMO_SIZE);
	return sum;
}

static void scenario_luo_demo(void)
{
	int dev = need_device(), session, fd;
	uint64_t sum;

	if (dev < 0)
		return;
	if (guest.gen == 1) {
		session = create_session(dev, "demo");
		fd = make_memfd("demo-data", DEMO_SIZE, DEMO_SEED, 0);
		sum = demo_checksum(fd);
		check(session >= 0 && fd >= 0 && !preserve_fd(session, fd, 1),
		      "demo_preserve", "session %d fd %d", session, fd);
		diag("demo: pid %d keeps session 'demo' open: a %lu MiB memfd, checksum %016llx",
		     getpid(), DEMO_SIZE / MiB, (unsigned long long)sum);
		close(fd);
		close(dev);
		return;
	}
	session = retrieve_session(dev, "demo");
	fd = session >= 0 ? retrieve_fd(session, 1) : -1;
	check(fd >= 0, "demo_retrieve", "session %d fd %d", session, fd);
	if (fd < 0)
		return;
	sum = demo_checksum(fd);
	diag("demo: retrieved session 'demo', token 1: %ld MiB memfd, checksum %016llx",
	     (long)(file_size(fd) / MiB), (unsigned long long)sum);
	check(check_memfd(fd, 0, DEMO_SIZE, DEMO_SEED) == -1, "demo_bytes",
	      "the data differs");
	check(!finish_session(session), "demo_finish", "%s", strerror(errno));
	close(fd);
	close(session);
	close(dev);
}

/* --- luo-thp: large folios stay large ----------------------------------- */

#define THP_SIZE	(16 * MiB)
#define THP_SEED	4242
#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/shmem_enabled"

static void luo_thp_gen1(int dev)
{
	long before = meminfo_kb("ShmemHugePages:"), after;
	int session, fd, err;

	if (before < 0 || write_text(THP_ENABLED, "always")) {
		skip("thp_memfd", "no transparent huge pages for shmem");
		return;
	}
	fd = make_memfd("thp", THP_SIZE, THP_SEED, 0);
	after = meminfo_kb("ShmemHugePages:");
	write_text(THP_ENABLED, "never");
	if (after - before < (long)(THP_SIZE / 2 / 1024)) {
		skip("thp_memfd", "the memfd got no huge pages");
		close(fd);
		return;
	}
	diag("ShmemHugePages: %ld kB before the memfd, %ld kB with it", before,
	     after);
	session = create_session(dev, "thp");
	err = preserve_fd(session, fd, 1);
	check(!err, "thp_preserve", "%s", strerror(-err));
	close(fd);
}

static void luo_thp_gen2(int dev)
{
	long before = meminfo_kb("ShmemHugePages:"), after;
	int session = retrieve_session(dev, "thp"), fd;

	if (session == -ENOENT) {
		skip("thp_retrieve", "gen 1 preserved no huge memfd");
		return;
	}
	fd = retrieve_fd(session, 1);
	after = meminfo_kb("ShmemHugePages:");
	check(fd >= 0 && after - before >= (long)(THP_SIZE / 2 / 1024),
	      "thp_still_huge", "fd %d, ShmemHugePages %ld -> %ld kB", fd,
	      before, after);
	check(fd >= 0 && check_memfd(fd, 0, THP_SIZE, THP_SEED) == -1,
	      "thp_bytes", "the data differs");
	check(!finish_session(session), "thp_finish", "%s", strerror(errno));
	close(fd);
	close(session);
}

static void scenario_luo_thp(void)
{
	int dev = need_device();

	if (dev < 0)
		return;
	if (guest.gen == 1)
		luo_thp_gen1(dev);
	else
		luo_thp_gen2(dev);
	close(dev);
}

/* LUO off: no device at all */
static void scenario_luo_off(void)
{
	int dev = luo_open();

	check(dev < 0 && errno == ENOENT, "no_device", "open: %s",
	      dev < 0 ? strerror(errno) : "succeeded");
	if (dev >= 0)
		close(dev);
}

static const struct scenario luo_scenarios[] = {
	{ "luo-off", scenario_luo_off },
	{ "luo-demo", scenario_luo_demo },
	{ "luo-thp", scenario_luo_thp },
	{ "luo-api", scenario_luo_api },
	{ "luo-memfd", scenario_luo_memfd },
	{ "luo-multi", scenario_luo_multi },
	{ "luo-chain", scenario_luo_chain },
	{ "luo-corrupt", scenario_luo_corrupt },
	{ "luo-stress", scenario_luo_stress },
};

/* Looked up by kho_scenarios.c's find_scenario() when linked in. */
const struct scenario *luo_find_scenario(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(luo_scenarios); i++)
		if (!strcmp(luo_scenarios[i].name, name))
			return &luo_scenarios[i];
	return NULL;
}

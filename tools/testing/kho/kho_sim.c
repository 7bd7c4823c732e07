// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated physical memory of the userspace KHO tests.
 *
 * Physical address P is byte P of one anonymous mapping.  Pages handed out
 * by get_zeroed_page() come from a window of it, next fit, so that a freed
 * page is not reused at once; under AddressSanitizer free pages are
 * poisoned, so a tree that touches a node after freeing it is caught.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/pfn.h>

#include "kho_sim.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KHO_SIM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define KHO_SIM_ASAN 1
#endif

#ifdef KHO_SIM_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(addr, size)	((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size)	((void)(addr), (void)(size))
#endif

static u8 *kho_sim_mem;
static unsigned long kho_sim_pages;
static unsigned long *kho_sim_used;
static unsigned long kho_sim_win_start, kho_sim_win_end, kho_sim_next;
static unsigned long kho_sim_live;

void kho_sim_bug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "kho_sim: BUG: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

/**
 * kho_sim_init - Set up @nr_pages of simulated physical memory, zeroed.
 * @nr_pages: Size of the memory in pages.
 *
 * Every page is free for get_zeroed_page() until kho_sim_alloc_window()
 * says otherwise.
 *
 * Return: 0 on success, -1 if the host is out of memory.
 */
int kho_sim_init(unsigned long nr_pages)
{
	size_t size = nr_pages * PAGE_SIZE;

	kho_sim_mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (kho_sim_mem == MAP_FAILED)
		return -1;
	kho_sim_used = calloc(BITS_TO_LONGS(nr_pages), sizeof(long));
	if (!kho_sim_used) {
		munmap(kho_sim_mem, size);
		return -1;
	}
	kho_sim_pages = nr_pages;
	kho_sim_alloc_window(0, nr_pages);
	ASAN_POISON_MEMORY_REGION(kho_sim_mem, size);
	return 0;
}

void kho_sim_exit(void)
{
	ASAN_UNPOISON_MEMORY_REGION(kho_sim_mem, kho_sim_pages * PAGE_SIZE);
	munmap(kho_sim_mem, kho_sim_pages * PAGE_SIZE);
	free(kho_sim_used);
	kho_sim_used = NULL;
	kho_sim_pages = 0;
}

u64 kho_sim_size(void)
{
	return (u64)kho_sim_pages * PAGE_SIZE;
}

/*
 * Allocate pages only from [@start_pfn, @end_pfn) from now on.  Never page
 * 0: x86 reserves it, and a tree node at physical address 0 would read as
 * an empty slot.
 */
void kho_sim_alloc_window(unsigned long start_pfn, unsigned long end_pfn)
{
	start_pfn = max(start_pfn, 1UL);
	if (start_pfn > end_pfn || end_pfn > kho_sim_pages)
		kho_sim_bug("bad allocation window %lx-%lx\n", start_pfn,
			    end_pfn);
	kho_sim_win_start = start_pfn;
	kho_sim_win_end = end_pfn;
	kho_sim_next = start_pfn;
}

/* Pages allocated and not freed yet. */
unsigned long kho_sim_live_pages(void)
{
	return kho_sim_live;
}

static void kho_sim_check_range(u64 phys, u64 size)
{
	if (phys > kho_sim_size() || size > kho_sim_size() - phys)
		kho_sim_bug("range %#llx+%#llx outside the simulated memory\n",
			    (unsigned long long)phys,
			    (unsigned long long)size);
}

/* Make reading or writing the range an AddressSanitizer report. */
void kho_sim_poison(u64 phys, u64 size)
{
	kho_sim_check_range(phys, size);
	ASAN_POISON_MEMORY_REGION(kho_sim_mem + phys, size);
}

void kho_sim_unpoison(u64 phys, u64 size)
{
	kho_sim_check_range(phys, size);
	ASAN_UNPOISON_MEMORY_REGION(kho_sim_mem + phys, size);
}

/*
 * The kernel's linear map covers all of memory; here an address outside
 * the simulated memory can only come from a check that let it through.
 */
void *phys_to_virt(phys_addr_t phys)
{
	if (phys >= kho_sim_size())
		kho_sim_bug("%s(%#llx) outside the simulated memory\n",
			    __func__, (unsigned long long)phys);
	return kho_sim_mem + phys;
}

phys_addr_t virt_to_phys(const void *virt)
{
	const u8 *p = virt;

	if (p < kho_sim_mem || p >= kho_sim_mem + kho_sim_size())
		kho_sim_bug("%s(%p) outside the simulated memory\n", __func__,
			    virt);
	return p - kho_sim_mem;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	unsigned long n = kho_sim_win_end - kho_sim_win_start;
	unsigned long pfn = kho_sim_next;
	void *page;

	while (n--) {
		if (pfn >= kho_sim_win_end)
			pfn = kho_sim_win_start;
		if (!test_bit(pfn, kho_sim_used)) {
			__set_bit(pfn, kho_sim_used);
			kho_sim_next = pfn + 1;
			kho_sim_live++;
			page = kho_sim_mem + PFN_PHYS(pfn);
			ASAN_UNPOISON_MEMORY_REGION(page, PAGE_SIZE);
			memset(page, 0, PAGE_SIZE);
			return (unsigned long)page;
		}
		pfn++;
	}
	return 0;
}

void free_page(unsigned long addr)
{
	phys_addr_t phys;

	if (!addr)
		return;
	phys = virt_to_phys((void *)addr);
	if (phys % PAGE_SIZE || !test_bit(PHYS_PFN(phys), kho_sim_used))
		kho_sim_bug("%s(%#llx): not an allocated page\n", __func__,
			    (unsigned long long)phys);
	__clear_bit(PHYS_PFN(phys), kho_sim_used);
	kho_sim_live--;
	ASAN_POISON_MEMORY_REGION((void *)addr, PAGE_SIZE);
}

/*
 * As in lib/string.c: the first byte that is not @c, or %NULL.  Whole words
 * first: the tracker checks every node it may free, a page at a time.
 */
void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned long pattern = (u8)c * (~0UL / 0xff);
	const u8 *p = start;

	while (bytes && (unsigned long)p % sizeof(long)) {
		if (*p != (u8)c)
			return (void *)p;
		p++;
		bytes--;
	}
	while (bytes >= sizeof(long) && *(const unsigned long *)p == pattern) {
		p += sizeof(long);
		bytes -= sizeof(long);
	}
	for (; bytes; bytes--, p++)
		if (*p != (u8)c)
			return (void *)p;
	return NULL;
}

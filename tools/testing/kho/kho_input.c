// SPDX-License-Identifier: GPL-2.0-only
/*
 * Encoding and decoding of the KHO fuzzer's input, see kho_input.h.
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/pfn.h>

#include "kho_input.h"

static u64 kho_in_get(const u8 *p, unsigned int bytes)
{
	u64 v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

static void kho_in_put(u8 *p, u64 v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++, v >>= 8)
		p[i] = v & 0xff;
}

/**
 * kho_in_get_header - Decode the machine at the start of an input.
 * @in: The input.
 * @size: Its size in bytes.
 * @m: Returns the machine.
 *
 * Return: 0, or -1 if the input is shorter than a header.
 */
int kho_in_get_header(const u8 *in, size_t size, struct kho_in_machine *m)
{
	const u8 *p = in + 4;
	unsigned int i;

	if (size < KHO_IN_HDR_SIZE)
		return -1;
	memset(m, 0, sizeof(*m));
	m->nr_ram = in[0] % (KHO_IN_MAX_RAM + 1);
	m->nr_scratch = in[1] % (KHO_IN_MAX_SCRATCH + 1);
	m->nr_used = in[2] % (KHO_IN_MAX_USED + 1);
	for (i = 0; i < KHO_IN_MAX_RAM; i++, p += KHO_IN_RAM_SIZE) {
		m->ram[i].start_pfn = kho_in_get(p, 2);
		m->ram[i].nr_pages = kho_in_get(p + 2, 2);
		m->ram[i].nid = kho_in_get(p + 4, 2);
	}
	for (i = 0; i < KHO_IN_MAX_USED; i++, p += 4) {
		m->used[i].start_pfn = kho_in_get(p, 2);
		m->used[i].nr_pages = kho_in_get(p + 2, 2);
	}
	for (i = 0; i < KHO_IN_MAX_SCRATCH; i++, p += 16) {
		m->scratch[i].addr = kho_in_get(p, 8);
		m->scratch[i].size = kho_in_get(p + 8, 8);
	}
	m->image_start = kho_in_get(p, 8);
	m->image_end = kho_in_get(p + 8, 8);
	m->fdt_phys = kho_in_get(p + 16, 8);
	m->fdt_len = kho_in_get(p + 24, 8);
	return 0;
}

/**
 * kho_in_get_record - Decode the next record of an input.
 * @pos: Where it starts; advanced past it.
 * @end: End of the input.
 * @r: Returns the record; a record cut short by the end of the input has
 *	the bytes that are there.
 *
 * Return: false if there is no record left.
 */
bool kho_in_get_record(const u8 **pos, const u8 *end, struct kho_in_record *r)
{
	const u8 *p = *pos;
	size_t left = end - p;

	if (left < KHO_IN_REC_SIZE)
		return false;
	left -= KHO_IN_REC_SIZE;
	r->phys = PFN_PHYS(kho_in_get(p, 2)) + kho_in_get(p + 2, 2);
	r->len = min_t(u64, kho_in_get(p + 4, 2), left);
	r->data = p + KHO_IN_REC_SIZE;
	*pos = r->data + r->len;
	return true;
}

/* Encode @m into @out, KHO_IN_HDR_SIZE bytes; returns that size. */
size_t kho_in_put_header(u8 *out, const struct kho_in_machine *m)
{
	u8 *p = out + 4;
	unsigned int i;

	memset(out, 0, KHO_IN_HDR_SIZE);
	out[0] = m->nr_ram;
	out[1] = m->nr_scratch;
	out[2] = m->nr_used;
	for (i = 0; i < KHO_IN_MAX_RAM; i++, p += KHO_IN_RAM_SIZE) {
		kho_in_put(p, m->ram[i].start_pfn, 2);
		kho_in_put(p + 2, m->ram[i].nr_pages, 2);
		kho_in_put(p + 4, m->ram[i].nid, 2);
	}
	for (i = 0; i < KHO_IN_MAX_USED; i++, p += 4) {
		kho_in_put(p, m->used[i].start_pfn, 2);
		kho_in_put(p + 2, m->used[i].nr_pages, 2);
	}
	for (i = 0; i < KHO_IN_MAX_SCRATCH; i++, p += 16) {
		kho_in_put(p, m->scratch[i].addr, 8);
		kho_in_put(p + 8, m->scratch[i].size, 8);
	}
	kho_in_put(p, m->image_start, 8);
	kho_in_put(p + 8, m->image_end, 8);
	kho_in_put(p + 16, m->fdt_phys, 8);
	kho_in_put(p + 24, m->fdt_len, 8);
	return KHO_IN_HDR_SIZE;
}

/* Encode a record of @len bytes at @pfn + @offset; returns its size. */
size_t kho_in_put_record(u8 *out, unsigned long pfn, unsigned int offset,
			 const void *data, unsigned int len)
{
	kho_in_put(out, pfn, 2);
	kho_in_put(out + 2, offset, 2);
	kho_in_put(out + 4, len, 2);
	memcpy(out + KHO_IN_REC_SIZE, data, len);
	return KHO_IN_REC_SIZE + len;
}

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KEXEC_HANDOVER_H
#define _KEXEC_HANDOVER_H

static inline void kho_memory_init(void)
{
}

static inline bool kho_handover_pending(void)
{
	return false;
}

#endif

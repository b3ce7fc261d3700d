/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version conditional of zeq, and nothing else.
 *
 * DKMS builds break when a kernel changes an API under a module; keeping
 * all the version checks here means a new kernel needs one file touched.
 */
#ifndef _ZEQ_COMPAT_H
#define _ZEQ_COMPAT_H

#include <linux/version.h>
#include <crypto/aead.h>

/*
 * Linux 6.3 changed crypto completion callbacks from taking the request to
 * taking its data pointer. ZEQ_CRYPTO_DONE declares a callback and
 * zeq_crypto_data() recovers the data pointer in either form.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define ZEQ_CRYPTO_DONE(name) \
	void name(struct crypto_async_request *areq, int err)
#define zeq_crypto_data() (areq->data)
#else
#define ZEQ_CRYPTO_DONE(name) void name(void *data, int err)
#define zeq_crypto_data() (data)
#endif

/* Linux 6.9 renamed NETIF_F_LLTX to a private flag. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#define zeq_set_lltx(dev) ((dev)->lltx = true)
#else
#define zeq_set_lltx(dev) ((dev)->features |= NETIF_F_LLTX)
#endif

#endif /* _ZEQ_COMPAT_H */

/* SPDX-License-Identifier: MIT */
/*
 * kem.h - whether this machine's OpenSSL offers ML-KEM-768, asked at run
 * time (a newer libssl, or a provider, may bring it without a rebuild).
 *
 * The handshake mixes ML-KEM-768 in only where both sides offer it; the
 * exchange itself (INIT's encapsulation key, RESP's ciphertext, kem = 1)
 * is reserved in docs/protocol.md and not implemented yet: no OpenSSL
 * that has ML-KEM can be installed where zeq is built and tested (Debian
 * 12 ships OpenSSL 3.0, ML-KEM came with 3.5). Until it is, kem is 0 and
 * `zeqctl show` says "ML-KEM no".
 */
#ifndef ZEQD_KEM_H
#define ZEQD_KEM_H

#include <stdbool.h>

#define ZEQ_KEM_NAME	"ML-KEM-768"

/* the default library context offers ZEQ_KEM_NAME */
bool zeq_kem_offered(void);

#endif

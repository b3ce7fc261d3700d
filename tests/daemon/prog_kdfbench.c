// SPDX-License-Identifier: MIT
/*
 * prog_kdfbench - the cost of the key schedule (daemon/kdf.c) on one core
 * (make bench, via tests/bench/kdf.sh): the parts of a handshake that are
 * key derivation, and the ratchet. TLS, signatures and the netlink install
 * are not in these figures (they come with the handshake itself).
 *
 *   prog_kdfbench [SECONDS]   each measurement runs about SECONDS (1)
 *
 * Prints "BENCH name value unit" lines:
 *   x25519      X25519 shared secrets per second
 *   session     handshake key schedules per second, both sides' work:
 *               two ephemeral public keys, two X25519, the mesh share,
 *               two HKDF session derivations
 *   ratchet     ratchet steps per second (one side)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "kdf.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "prog_kdfbench: %s failed\n", what);
	exit(1);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0, t0, t;
	uint8_t a[32], b[32], pa[32], pb[32], dh[32], dh2[32], share[32];
	uint8_t secret[32], ni[32], nr[32], exporter[32], transcript[32];
	struct zeq_session_keys ki, kr;
	EVP_PKEY *ka, *kb;
	struct zeq_kdf_input in = {
		.dh = dh, .mesh_share = share, .exporter = exporter,
		.transcript = transcript,
	};
	long n;

	if (secs <= 0 || RAND_bytes(a, 32) != 1 || RAND_bytes(b, 32) != 1 ||
	    RAND_bytes(secret, 32) != 1 || RAND_bytes(ni, 32) != 1 ||
	    RAND_bytes(nr, 32) != 1 || RAND_bytes(exporter, 32) != 1 ||
	    RAND_bytes(transcript, 32) != 1)
		die("setup");
	ka = zeq_x25519_key(a, pa);
	if (!ka || zeq_x25519_public(b, pb))
		die("x25519 key");

	/* the shared secret from a key made once, as a session does */
	t0 = now_s();
	for (n = 0; (t = now_s()) - t0 < secs; n++)
		if (zeq_x25519_derive(ka, pb, dh))
			die("x25519");
	printf("BENCH x25519 %.0f /s\n", n / (t - t0));
	EVP_PKEY_free(ka);

	t0 = now_s();
	for (n = 0; (t = now_s()) - t0 < secs; n++) {
		ka = zeq_x25519_key(a, pa);
		kb = zeq_x25519_key(b, pb);
		if (zeq_x25519_derive(ka, pb, dh) ||
		    zeq_x25519_derive(kb, pa, dh2) ||
		    zeq_kdf_mesh_share(secret, 32, ni, nr, share) ||
		    zeq_kdf_session(&in, &ki))
			die("session");
		EVP_PKEY_free(ka);
		EVP_PKEY_free(kb);
		in.dh = dh2;
		if (zeq_kdf_session(&in, &kr))
			die("session");
		in.dh = dh;
		if (memcmp(ki.i2r.key, kr.i2r.key, 32))
			die("agreement");
	}
	printf("BENCH session %.0f /s\n", n / (t - t0));

	t0 = now_s();
	for (n = 0; (t = now_s()) - t0 < secs; n++)
		if (zeq_kdf_ratchet(&ki))
			die("ratchet");
	printf("BENCH ratchet %.0f /s\n", n / (t - t0));
	zeq_session_keys_clear(&ki);
	zeq_session_keys_clear(&kr);
	return 0;
}

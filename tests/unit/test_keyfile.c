// SPDX-License-Identifier: MIT
/* test_keyfile.c - key files, hp key files, reverse, genkey format. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "parse.h"

#define TXK "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define TXS "a0a1a2a3"
#define RXK "F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF"
#define RXS "b0b1b2b3"

#define KEY_BITS (ZEQ_BIT(ZEQ_A_KEYCONF_TX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_TX_SALT) | \
		  ZEQ_BIT(ZEQ_A_KEYCONF_RX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_RX_SALT))

static char why[ZEQ_WHY_LEN];

static int parse(const char *text, struct zeq_keyconf *kc)
{
	memset(kc, 0, sizeof(*kc));
	return zeq_parse_keyfile(text, strlen(text), kc, why, sizeof(why));
}

static void bad(const char *text, const char *reason)
{
	struct zeq_keyconf kc;
	static const uint8_t zero[ZEQ_KEY_LEN];

	assert_int_equal(parse(text, &kc), -1);
	assert_string_equal(why, reason);
	/* nothing half-parsed is left behind */
	assert_int_equal(kc.has & KEY_BITS, 0);
	assert_memory_equal(kc.tx_key, zero, ZEQ_KEY_LEN);
	assert_memory_equal(kc.rx_key, zero, ZEQ_KEY_LEN);
}

static void check_forward(const struct zeq_keyconf *kc)
{
	for (int i = 0; i < ZEQ_KEY_LEN; i++) {
		assert_int_equal(kc->tx_key[i], i);
		assert_int_equal(kc->rx_key[i], i < 16 ? 0xf0 + i : 0xe0 + i - 16);
	}
	assert_memory_equal(kc->tx_salt, "\xa0\xa1\xa2\xa3", 4);
	assert_memory_equal(kc->rx_salt, "\xb0\xb1\xb2\xb3", 4);
}

static void good_file(void **state)
{
	struct zeq_keyconf kc;

	(void)state;
	assert_int_equal(parse("# a zeq key\n"
			       "\n"
			       "tx-key  " TXK "\n"
			       "\ttx-salt\t" TXS "   # trailing comment\n"
			       "rx-key " RXK "\r\n"
			       "   \n"
			       "rx-salt " RXS, &kc), 0);
	assert_int_equal(kc.has & KEY_BITS, KEY_BITS);
	check_forward(&kc);
}

static void any_order(void **state)
{
	struct zeq_keyconf kc;

	(void)state;
	assert_int_equal(parse("rx-salt " RXS "\nrx-key " RXK "\n"
			       "tx-salt " TXS "\ntx-key " TXK "\n", &kc), 0);
	check_forward(&kc);
}

static void each_key_missing(void **state)
{
	(void)state;
	bad("tx-salt " TXS "\nrx-key " RXK "\nrx-salt " RXS "\n", "missing tx-key");
	bad("tx-key " TXK "\nrx-key " RXK "\nrx-salt " RXS "\n", "missing tx-salt");
	bad("tx-key " TXK "\ntx-salt " TXS "\nrx-salt " RXS "\n", "missing rx-key");
	bad("tx-key " TXK "\ntx-salt " TXS "\nrx-key " RXK "\n", "missing rx-salt");
	bad("", "missing tx-key");
	bad("# only a comment\n", "missing tx-key");
}

static void duplicate(void **state)
{
	(void)state;
	bad("tx-key " TXK "\ntx-salt " TXS "\nrx-key " RXK "\nrx-salt " RXS
	    "\n\ntx-key " TXK "\n",
	    "line 6: duplicate tx-key (first on line 1)");
	bad("tx-salt " TXS "\ntx-salt " TXS "\n",
	    "line 2: duplicate tx-salt (first on line 1)");
}

static void bad_hex(void **state)
{
	(void)state;
	bad("tx-key " TXK "\ntx-salt a0a1a2ag\n", "line 2: tx-salt: invalid hex digit");
	bad("tx-key 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e\n",
	    "line 1: tx-key: invalid hex digit");
	bad("tx-key " TXK "\ntx-salt " TXS "\nrx-key " RXK "\nrx-salt b0-b1b2\n",
	    "line 4: rx-salt: invalid hex digit");
}

static void wrong_length(void **state)
{
	(void)state;
	bad("tx-key 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e\n",
	    "line 1: tx-key must be 64 hex digits, not 62");
	bad("tx-key " TXK "00\n", "line 1: tx-key must be 64 hex digits, not 66");
	bad("tx-key " TXK "\ntx-salt a0a1a2\n",
	    "line 2: tx-salt must be 8 hex digits, not 6");
	bad("tx-key " TXK "\ntx-salt " TXS "\nrx-key " RXK "\nrx-salt b0b1b2b3b4\n",
	    "line 4: rx-salt must be 8 hex digits, not 10");
}

static void extra_garbage(void **state)
{
	(void)state;
	bad("tx-key " TXK " extra\n", "line 1: expected \"tx-key <64 hex digits>\"");
	bad("tx-key\n", "line 1: expected \"tx-key <64 hex digits>\"");
	bad("tx-key " TXK "\nhello world\n", "line 2: unknown field \"hello\"");
	/* a field name that could be key material is not echoed */
	bad(TXK "\n", "line 1: unknown field");
	bad("TX-KEY " TXK "\n", "line 1: unknown field");
	bad("deadbeef\n", "line 1: unknown field");
	bad("salt-cafe\n", "line 1: unknown field");
	bad("tx-kez " TXK "\n", "line 1: unknown field \"tx-kez\"");
	/*
	 * A field glued to its value names the field, and echoes nothing:
	 * "rx-saltb0b1..." used to be echoed whole, salt included.
	 */
	bad("tx-key=" TXK "\n", "line 1: expected \"tx-key <64 hex digits>\"");
	bad("tx-key " TXK "\nrx-saltfafbfcfd\n",
	    "line 2: expected \"rx-salt <8 hex digits>\"");
}

static void line_numbers(void **state)
{
	(void)state;
	/* comments and blank lines count */
	bad("# header\n\n# more\n\ntx-key " TXK "\n\n  rx-key zz\n",
	    "line 7: rx-key: invalid hex digit");
	/* CRLF files count lines the same way */
	bad("tx-key " TXK "\r\n\r\ntx-salt 1\r\n",
	    "line 3: tx-salt must be 8 hex digits, not 1");
}

static void binary_junk(void **state)
{
	struct zeq_keyconf kc = { 0 };
	const char text[] = "tx-key " TXK "\ntx-salt a0a1\0a2a3\n";
	char longline[400];

	(void)state;
	assert_int_equal(zeq_parse_keyfile(text, sizeof(text) - 1, &kc, why,
					   sizeof(why)), -1);
	assert_string_equal(why, "line 2: NUL byte");
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	bad(longline, "line 1: too long");
}

static void same_key_both_ways(void **state)
{
	(void)state;
	bad("tx-key " TXK "\ntx-salt " TXS "\nrx-key " TXK "\nrx-salt " RXS "\n",
	    "tx-key and rx-key are the same");
}

static void reverse(void **state)
{
	struct zeq_keyconf a, b;

	(void)state;
	assert_int_equal(parse("tx-key " TXK "\ntx-salt " TXS "\nrx-key " RXK
			       "\nrx-salt " RXS "\n", &a), 0);
	b = a;
	zeq_keyconf_reverse(&b);
	assert_memory_equal(b.tx_key, a.rx_key, ZEQ_KEY_LEN);
	assert_memory_equal(b.rx_key, a.tx_key, ZEQ_KEY_LEN);
	assert_memory_equal(b.tx_salt, a.rx_salt, ZEQ_SALT_LEN);
	assert_memory_equal(b.rx_salt, a.tx_salt, ZEQ_SALT_LEN);
	zeq_keyconf_reverse(&b);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void genkey_format_round_trip(void **state)
{
	struct zeq_keyconf a = { 0 }, b;
	char text[512];
	int len;

	(void)state;
	for (int i = 0; i < ZEQ_KEY_LEN; i++) {
		a.tx_key[i] = (uint8_t)(i * 7 + 1);
		a.rx_key[i] = (uint8_t)(255 - i);
	}
	memcpy(a.tx_salt, "\x01\x02\x03\x04", 4);
	memcpy(a.rx_salt, "\xfd\xfe\xff\x00", 4);
	len = zeq_format_keyfile(&a, text, sizeof(text));
	assert_true(len > 0);
	assert_int_equal((size_t)len, strlen(text));
	assert_non_null(strstr(text, "\ntx-salt 01020304\n"));
	assert_non_null(strstr(text, "\nrx-salt fdfeff00\n"));
	assert_int_equal(parse(text, &b), 0);
	assert_memory_equal(a.tx_key, b.tx_key, ZEQ_KEY_LEN);
	assert_memory_equal(a.rx_key, b.rx_key, ZEQ_KEY_LEN);
	assert_memory_equal(a.tx_salt, b.tx_salt, ZEQ_SALT_LEN);
	assert_memory_equal(a.rx_salt, b.rx_salt, ZEQ_SALT_LEN);
	/* too small a buffer is refused, not truncated */
	assert_int_equal(zeq_format_keyfile(&a, text, 100), -1);
}

/* --- header protection key files (zeq_parse_secret) --------------------- */

#define HPK_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="	/* TXK */

static int parse_secret(const char *text, uint8_t *key)
{
	memset(key, 0xee, ZEQ_HP_KEY_LEN);
	memset(why, 0, sizeof(why));
	return zeq_parse_secret(text, strlen(text), key, ZEQ_HP_KEY_LEN, why,
				sizeof(why));
}

static void check_counting(const uint8_t *key)
{
	for (int i = 0; i < ZEQ_HP_KEY_LEN; i++)
		assert_int_equal(key[i], i);
}

static void hp_key_good(void **state)
{
	static const char *const good[] = {
		TXK, TXK "\n", "  " TXK " \r\n", HPK_B64, HPK_B64 "\n",
		"000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	};
	uint8_t key[ZEQ_HP_KEY_LEN];

	(void)state;
	for (size_t i = 0; i < N_TESTS(good); i++) {
		assert_int_equal(parse_secret(good[i], key), 0);
		check_counting(key);
	}
	/* every bit pattern: all ones */
	assert_int_equal(parse_secret("////////////////////////////////"
				      "//////////8=", key), 0);
	for (int i = 0; i < ZEQ_HP_KEY_LEN; i++)
		assert_int_equal(key[i], 0xff);
}

/* Refused with a reason that never quotes the file; the key untouched. */
static void hp_key_bad(void **state)
{
	static const struct { const char *text, *why; } bad_keys[] = {
		{ "", "must be 64 hex digits or 44 base64 characters, not 0 "
		      "characters" },
		{ TXK "0", "must be 64 hex digits or 44 base64 characters, not "
			   "65 characters" },
		{ "tx-key " TXK, "must be 64 hex digits or 44 base64 characters, "
				 "not 71 characters" },
		{ "g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		  "invalid hex digit (want 64 hex digits)" },
		{ "00010203 405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		  "invalid hex digit (want 64 hex digits)" },
		/* no padding, padding in the middle, bits past the key, '-' */
		{ "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A",
		  "invalid base64 character or padding" },
		{ "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH=8=",
		  "invalid base64 character or padding" },
		{ "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=",
		  "invalid base64 character or padding" },
		{ "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh-=",
		  "invalid base64 character or padding" },
		{ HPK_B64 "=", "must be 64 hex digits or 44 base64 characters, "
			       "not 45 characters" },
	};
	uint8_t key[ZEQ_HP_KEY_LEN], untouched[ZEQ_HP_KEY_LEN];

	(void)state;
	memset(untouched, 0xee, sizeof(untouched));
	for (size_t i = 0; i < N_TESTS(bad_keys); i++) {
		assert_int_equal(parse_secret(bad_keys[i].text, key), -1);
		assert_string_equal(why, bad_keys[i].why);
		assert_memory_equal(key, untouched, ZEQ_HP_KEY_LEN);
	}
}

const struct CMUnitTest keyfile_tests[] = {
	cmocka_unit_test(good_file),
	cmocka_unit_test(any_order),
	cmocka_unit_test(each_key_missing),
	cmocka_unit_test(duplicate),
	cmocka_unit_test(bad_hex),
	cmocka_unit_test(wrong_length),
	cmocka_unit_test(extra_garbage),
	cmocka_unit_test(line_numbers),
	cmocka_unit_test(binary_junk),
	cmocka_unit_test(same_key_both_ways),
	cmocka_unit_test(reverse),
	cmocka_unit_test(genkey_format_round_trip),
	cmocka_unit_test(hp_key_good),
	cmocka_unit_test(hp_key_bad),
};
const size_t keyfile_tests_n = N_TESTS(keyfile_tests);

// SPDX-License-Identifier: MIT
/*
 * fuzz_json.c - the JSON string writer (json_write_string), through which
 * every string from the kernel (device names, crypto driver names) reaches
 * `zeqctl -j` output: it decodes UTF-8 and escapes.
 *
 * Input: the string's bytes (up to the first NUL, as the kernel's
 * NUL-terminated attributes arrive).
 * Checks: the output is one valid JSON string (RFC 8259, valid UTF-8);
 * decoded, it is the input when the input is valid UTF-8, and otherwise
 * the input with U+FFFD in place of each byte that starts no valid
 * sequence (checked against an independent UTF-8 decoder, fuzz.h).
 */
#include "fuzz.h"

#include "json.h"

/* Decodes the JSON string at s (validated) into out; returns its length. */
static size_t decode(const char *s, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 1; i + 1 < len; i++) {
		unsigned int cp;

		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			FUZZ_CHECK(sscanf(s + i + 1, "%4x", &cp) == 1, "\\u");
			i += 4;
			if (cp == 0xfffd) {	/* as UTF-8 */
				memcpy(out + o, "\xef\xbf\xbd", 3);
				o += 3;
			} else {
				FUZZ_CHECK(cp < 0x80 && cp != 0, "\\u%04x", cp);
				out[o++] = (char)cp;
			}
			break;
		default: out[o++] = s[i]; break;	/* " \ / */
		}
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = strndup((const char *)data, size);
	size_t n = strlen(in), o = 0;
	char *want = malloc(3 * n + 1), *got;
	struct fuzz_mem m;

	if (!in || !want)
		abort();
	/* expected: valid sequences kept, each other byte U+FFFD */
	for (size_t i = 0; i < n;) {
		size_t k = fuzz_utf8_len((const unsigned char *)in + i,
					 (const unsigned char *)in + n);

		if (k) {
			memcpy(want + o, in + i, k);
			o += k;
			i += k;
		} else {
			memcpy(want + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}

	json_write_string(fuzz_mem_open(&m), in);
	fuzz_mem_close(&m);
	FUZZ_CHECK(m.len >= 2 && m.buf[0] == '"' &&
		   fuzz_json_valid(m.buf, m.len), "invalid JSON string: %s",
		   m.buf);
	got = malloc(m.len + 1);
	if (!got)
		abort();
	FUZZ_CHECK(decode(m.buf, m.len, got) == o && !memcmp(got, want, o),
		   "decodes to something else than the input: %s", m.buf);
	free(got);
	free(m.buf);
	free(want);
	free(in);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the padding rules: bucket, mtu and random amounts, and the
 * integer -ln used for exponential padding. Included by padding.c.
 */
#ifdef ZEQ_SELFTEST

#define ZEQ_PAD_TEST_SAMPLES 20000U

static bool zeq_padding_selftest_modes(void)
{
	struct zeq_padding pd = {
		.mode = ZEQ_PADDING_BUCKET, .n_buckets = 3,
		.buckets = { 128, 512, 2000 },
	};
	static const struct {
		unsigned int len, want;
	} bucket[] = {
		{ 0, 128 }, { 1, 128 }, { 128, 128 }, { 129, 512 },
		{ 512, 512 }, { 513, 1400 }, { 1400, 1400 }, { 1500, 1500 },
	};
	unsigned int i, failures = 0;

	/* MTU 1400: the 2000 bucket stops at the MTU; above it, nothing. */
	for (i = 0; i < ARRAY_SIZE(bucket); i++) {
		if (bucket[i].len + zeq_padding_amount(&pd, bucket[i].len, 1400) !=
		    bucket[i].want && failures++ < 8)
			pr_err("zeq: padding self-test: bucket %u -> %u\n",
			       bucket[i].len, bucket[i].want);
	}
	pd.mode = ZEQ_PADDING_MTU;
	if (zeq_padding_amount(&pd, 0, 1400) != 1400 ||
	    zeq_padding_amount(&pd, 1400, 1400) != 0 ||
	    zeq_padding_amount(&pd, 1500, 1400) != 0)
		failures++;
	pd.mode = ZEQ_PADDING_OFF;
	if (zeq_padding_amount(&pd, 100, 1400))
		failures++;
	return !failures;
}

static bool zeq_padding_selftest_random(void)
{
	struct zeq_padding pd = {
		.mode = ZEQ_PADDING_RANDOM, .random_max = 1000,
		.dist = ZEQ_PAD_DIST_EXPONENTIAL, .random_mean = 100,
	};
	unsigned int i, x, failures = 0;
	u64 sum = 0;

	/* -ln(1/2) = ln 2; -ln(2^-32) = 32 ln 2; -ln(~1) = 0 */
	if (zeq_neg_ln_q16(1U << 31) != 45426 ||
	    zeq_neg_ln_q16(1) != 32 * 45426 ||
	    zeq_neg_ln_q16(U32_MAX) > 16)
		failures++;
	/* Exponential, mean 100 truncated at 1000: sample mean near 100. */
	for (i = 0; i < ZEQ_PAD_TEST_SAMPLES; i++) {
		x = zeq_padding_amount(&pd, 0, 1400);
		if (x > 1000)
			failures++;
		sum += x;
	}
	if (sum < 90ULL * ZEQ_PAD_TEST_SAMPLES || sum > 110ULL * ZEQ_PAD_TEST_SAMPLES) {
		pr_err("zeq: padding self-test: exponential mean %llu, want 100\n",
		       sum / ZEQ_PAD_TEST_SAMPLES);
		failures++;
	}
	/* Uniform over 0..1000, never past the MTU room. */
	pd.dist = ZEQ_PAD_DIST_UNIFORM;
	sum = 0;
	for (i = 0; i < ZEQ_PAD_TEST_SAMPLES; i++) {
		x = zeq_padding_amount(&pd, 0, 1400);
		if (x > 1000 || zeq_padding_amount(&pd, 1300, 1400) > 100)
			failures++;
		sum += x;
	}
	if (sum < 475ULL * ZEQ_PAD_TEST_SAMPLES || sum > 525ULL * ZEQ_PAD_TEST_SAMPLES)
		failures++;
	return !failures;
}

bool zeq_padding_selftest(void)
{
	return zeq_padding_selftest_modes() & zeq_padding_selftest_random();
}

#endif /* ZEQ_SELFTEST */

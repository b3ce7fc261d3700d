// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module entry: self-tests (ZEQ_SELFTEST builds), the link type,
 * the generic netlink family.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include "cover.h"
#include "device.h"
#include "keys.h"
#include "messages.h"
#include "netlink.h"
#include "obfs.h"
#include "padding.h"
#include "replay.h"
#include "routing.h"

static_assert(sizeof(struct zeq_hdr) == ZEQ_HDR_LEN);
static_assert(offsetof(struct zeq_hdr, key_id) == ZEQ_HDR_KEY_ID_OFF);
static_assert(offsetof(struct zeq_hdr, counter) == ZEQ_HDR_COUNTER_OFF);
static_assert(sizeof(struct zeq_trailer) == ZEQ_TRAILER_LEN);

#ifdef ZEQ_SELFTEST
static int __init zeq_selftests(void)
{
	static const struct {
		const char *name;
		bool (*run)(void);
	} tests[] = {
		{ "replay window", zeq_replay_selftest },
		{ "routing trie", zeq_routing_selftest },
		{ "key slots", zeq_keys_selftest },
		{ "padding", zeq_padding_selftest },
		{ "obfuscation", zeq_obfs_selftest },
		{ "cover schedule", zeq_cover_selftest },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		if (!tests[i].run()) {
			pr_err("zeq: %s self-tests: FAIL\n", tests[i].name);
			return -ENOTRECOVERABLE;
		}
		pr_info("zeq: %s self-tests: pass\n", tests[i].name);
	}
	return 0;
}
#else
static int __init zeq_selftests(void)
{
	return 0;
}
#endif

static int __init zeq_mod_init(void)
{
	int ret;

	ret = zeq_selftests();
	if (ret)
		return ret;
	/* The family first: device teardown sends events on it. */
	ret = zeq_netlink_init();
	if (ret)
		return ret;
	ret = zeq_device_init();
	if (ret) {
		zeq_netlink_uninit();
		return ret;
	}
	pr_info("zeq: loaded\n");
	return 0;
}

static void __exit zeq_mod_exit(void)
{
	zeq_device_uninit();
	zeq_netlink_uninit();
}

module_init(zeq_mod_init);
module_exit(zeq_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zeq: obfuscated, traffic-analysis-resistant VPN device");
MODULE_AUTHOR("The zeq authors");
MODULE_VERSION(ZEQ_VERSION);
MODULE_ALIAS_RTNL_LINK(ZEQ_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(ZEQ_GENL_NAME);

#!/usr/bin/env python3
# tests/unit/docs_sync.py - docs/zeq.yaml, docs/netlink.md and docs/zeqctl.8
# in step with include/zeq.h: the same commands, attributes (names, order),
# drop reasons and events. Prints "ok - ..." / "not ok - ..." lines (run.sh
# numbers them), details as "# " lines.
import os
import re
import sys

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def read(path):
    with open(os.path.join(TOP, path), encoding="utf-8") as f:
        return f.read()


def result(ok, desc, details=()):
    print(("ok - " if ok else "not ok - ") + desc)
    for d in details:
        print("# " + d)


hdr = read("include/zeq.h")


def enum_members(name):
    body = re.search(r"enum %s \{(.*?)\};" % name, hdr, re.S).group(1)
    return [m for m in re.findall(r"^\s*([A-Z][A-Z0-9_]*)\s*,", body, re.M)
            if not m.startswith("__")]


def xmacro(name):
    body = re.search(r"#define %s\(X\)(.*?)\n\n" % name, hdr, re.S).group(1)
    return re.findall(r'X\(\w+,\s*"([^"]+)"\)', body)


ENUMS = {"zeq_cmd": "zeq", "zeq_a": "zeq", "zeq_a_peer": "peer",
         "zeq_a_aip": "aip", "zeq_a_keyconf": "keyconf",
         "zeq_a_stats": "stats", "zeq_a_event": "event",
         "zeq_a_padding": "padding", "zeq_a_obfs": "obfs"}
drops = xmacro("ZEQ_DROP_REASONS")
events = xmacro("ZEQ_EVENTS")

# --- zeq.yaml ---------------------------------------------------------------
try:
    import yaml
except ImportError:
    yaml = None
if yaml is None:
    print("ok - zeq.yaml matches include/zeq.h # SKIP python3-yaml missing")
else:
    spec = yaml.safe_load(read("docs/zeq.yaml"))
    sets = {s["name"]: s for s in spec["attribute-sets"] if "subset-of" not in s}
    problems = []
    for cname, sname in ENUMS.items():
        want = enum_members(cname)[1:]          # without UNSPEC
        if cname == "zeq_cmd":
            got = ["ZEQ_CMD_" + o["name"].upper().replace("-", "_")
                   for o in spec["operations"]["list"]]
        else:
            s = sets[sname]
            pfx = s["name-prefix"].upper().replace("-", "_")
            got = [pfx + a["name"].upper().replace("-", "_")
                   for a in s["attributes"]]
        if got != want:
            problems.append("%s: yaml %s != header %s" % (cname, got, want))
    defs = {d["name"]: d for d in spec["definitions"]}
    for name, want in (("drop-reason", drops), ("event-type", events)):
        got = [e["name"] if isinstance(e, dict) else e
               for e in defs[name]["entries"]]
        if got != want:
            problems.append("%s: yaml %s != header %s" % (name, got, want))
    got = [a["name"] for a in sets["drops"]["attributes"]]
    if got != drops:
        problems.append("drops attribute set %s != %s" % (got, drops))
    result(not problems, "zeq.yaml matches include/zeq.h", problems)

# --- netlink.md ----------------------------------------------------------------
md = read("docs/netlink.md")
missing = [m for c in ENUMS for m in enum_members(c)[1:]
           if not m.endswith("_PAD") and m not in md]
result(not missing, "netlink.md documents every command and attribute",
       ["missing: " + " ".join(missing)] if missing else ())
missing = [n for n in drops + events if "`%s`" % n not in md]
result(not missing, "netlink.md names every drop reason and event",
       ["missing: " + " ".join(missing)] if missing else ())

# --- zeqctl.8 -------------------------------------------------------------------
man = read("docs/zeqctl.8").replace("\\-", "-")
missing = [n for n in drops + events if n not in man]
result(not missing, "zeqctl.8 names every drop reason and event",
       ["missing: " + " ".join(missing)] if missing else ())
sys.exit(0)

#!/usr/bin/env python3
# tests/unit/docs_sync.py - docs/zeq.yaml, docs/netlink.md and docs/zeqctl.8
# in step with include/zeq.h and tools/: the same commands, attributes (names,
# order), value enums, constants, drop reasons and events; every zeqctl
# keyword and every JSON member of "zeqctl show" documented. Prints
# "ok - ..." / "not ok - ..." lines (run.sh numbers them), details as "# "
# lines.
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
consts_hdr = read("include/zeq_constants.h")


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
# value enums: yaml definition -> C enum (every member, none skipped)
VALUE_ENUMS = {"key-slot": "zeq_key_slot", "cover-mode": "zeq_cover_mode",
               "padding-mode": "zeq_padding_mode", "pad-dist": "zeq_pad_dist"}
drops = xmacro("ZEQ_DROP_REASONS")
events = xmacro("ZEQ_EVENTS")


def macro_values():
    """Object-like #defines of both headers, evaluated as integers."""
    text = re.sub(r"/\*.*?\*/", " ", hdr + "\n" + consts_hdr, flags=re.S)
    text = text.replace("\\\n", " ")
    raw = dict(re.findall(r"^#define\s+(ZEQ_[A-Z0-9_]+)[ \t]+(.+)$", text,
                          re.M))
    values = {}

    def value(name, depth=0):
        if name in values or depth > 20:
            return values.get(name)
        expr = re.sub(r"\b(\d+)U?L*L?\b", r"\1", raw[name])
        expr = re.sub(r"\b0x([0-9a-fA-F]+)U?L*\b",
                      lambda m: str(int(m.group(1), 16)), expr)
        for ref in set(re.findall(r"\bZEQ_[A-Z0-9_]+\b", expr)):
            v = value(ref, depth + 1) if ref in raw else None
            if v is None:
                return None
            expr = re.sub(r"\b%s\b" % ref, str(v), expr)
        if not re.fullmatch(r"[\d\s()+\-*/]+", expr):
            return None
        values[name] = eval(expr.replace("/", "//"))
        return values[name]

    for name in raw:
        value(name)
    return values

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
    for yname, cname in VALUE_ENUMS.items():
        pfx = defs[yname]["name-prefix"].upper().replace("-", "_")
        got = [pfx + (e["name"] if isinstance(e, dict) else e).upper()
               .replace("-", "_") for e in defs[yname]["entries"]]
        if got != enum_members(cname):
            problems.append("%s: yaml %s != header %s"
                            % (yname, got, enum_members(cname)))
    result(not problems, "zeq.yaml matches include/zeq.h", problems)

    # every const of the yaml has the header's value
    macros = macro_values()
    problems = []
    for d in spec["definitions"]:
        if d["type"] != "const":
            continue
        cname = (d.get("name-prefix", "") + d["name"]).upper().replace("-", "_")
        if macros.get(cname) != d["value"]:
            problems.append("%s: yaml %s, header %s"
                            % (cname, d["value"], macros.get(cname)))
    result(not problems, "zeq.yaml constants have the values of the headers",
           problems)

# --- netlink.md ----------------------------------------------------------------
md = read("docs/netlink.md")
missing = [m for c in ENUMS for m in enum_members(c)[1:]
           if not m.endswith("_PAD") and m not in md]
result(not missing, "netlink.md documents every command and attribute",
       ["missing: " + " ".join(missing)] if missing else ())
missing = [n for n in drops + events if "`%s`" % n not in md]
result(not missing, "netlink.md names every drop reason and event",
       ["missing: " + " ".join(missing)] if missing else ())
missing = [m for c in VALUE_ENUMS.values() for m in enum_members(c)
           if "`%s`" % m not in md]
result(not missing, "netlink.md lists every value of the value enums",
       ["missing: " + " ".join(missing)] if missing else ())

# the JSON members "zeqctl show -j" prints (tools/show.c)
show_c = read("tools/show.c")
json_keys = sorted(set(re.findall(
    r'json_(?:kv_\w+|key)\(\s*&?j,\s*"([a-z_]+)"', show_c)))
missing = [k for k in json_keys if '"%s"' % k not in md]
result(json_keys and not missing,
       "netlink.md documents every JSON member of zeqctl show",
       ["missing: " + " ".join(missing)] if missing else ())

# --- zeqctl.8 -------------------------------------------------------------------
man = read("docs/zeqctl.8").replace("\\-", "-")
missing = [n for n in drops + events if n not in man]
result(not missing, "zeqctl.8 names every drop reason and event",
       ["missing: " + " ".join(missing)] if missing else ())
missing = [k for k in json_keys if '"%s"' % k not in man]
result(json_keys and not missing,
       "zeqctl.8 documents every JSON member of zeqctl show",
       ["missing: " + " ".join(missing)] if missing else ())

# every keyword of the grammar (tools/args.c keyword tables) and value
# name, in the man page and in zeqctl's usage; "buckets" is the hidden
# name of the sizes after "padding bucket"
args_c = read("tools/args.c")
usage = read("tools/zeqctl.c")
keywords = sorted(set(re.findall(r'\{\s*"([a-z][a-z-]*)",\s*(?:true|false)',
                                 args_c)) - {"buckets"})
names = sorted(set(n for c in ("zeq_cover_mode", "zeq_padding_mode",
                               "zeq_pad_dist")
                   for n in (m.split("_")[-1].lower()
                             for m in enum_members(c))))
problems = []
for where, text in (("zeqctl.8", man), ("usage in tools/zeqctl.c", usage)):
    missing = [k for k in keywords + names
               if not re.search(r"(?<![a-z-])%s(?![a-z-])" % re.escape(k),
                                text)]
    if missing:
        problems.append("%s: missing %s" % (where, " ".join(missing)))
result(len(keywords) > 20 and not problems,
       "zeqctl.8 and the usage name every keyword of the grammar", problems)
sys.exit(0)

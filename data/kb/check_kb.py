#!/usr/bin/env python3
"""Mechanical consistency check of the default knowledge base (data/kb/*.tsv).

Run from anywhere: `python3 data/kb/check_kb.py`. Exits non-zero on any error.
Checks: exact header, 13 columns per line, key syntax and uniqueness across files, valid types,
Wikidata ids well-formed and never repeated, ISO codes well-formed and unique, roles syntax
(Role@key@from-to with known keys and sane years), affiliation keys exist, no empty list items,
no surface form listed twice for the same entity.
"""
import os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ["countries.tsv", "organizations.tsv", "groups.tsv", "people.tsv", "institutions.tsv"]
HEADER = "key type name wikidata iso2 country aliases acronyms demonyms capital epithets roles affiliations".split()
TYPES = {"person", "organization", "country", "group", "location"}
KEY_RE = re.compile(r"^[a-z0-9_]+$")
QID_RE = re.compile(r"^Q[0-9]+$")
ROLE_RE = re.compile(r"^([^@|]+)@([a-z0-9_]+)@(\d{4})?-(\d{4})?$")
LIST_COLS = ["aliases", "acronyms", "demonyms", "capital", "epithets", "roles", "affiliations"]

errors = []
rows = []
for fn in FILES:
    path = os.path.join(HERE, fn)
    if not os.path.exists(path):
        continue
    header_seen = False
    with open(path, encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if not header_seen:
                header_seen = True
                if cells != HEADER:
                    errors.append(f"{fn}:{no}: bad header")
                continue
            if len(cells) != 13:
                errors.append(f"{fn}:{no}: {len(cells)} columns")
                continue
            row = dict(zip(HEADER, cells))
            row["_where"] = f"{fn}:{no}"
            rows.append(row)

keys = Counter(r["key"] for r in rows)
for k, n in keys.items():
    if n > 1:
        errors.append(f"duplicate key {k} ({n}x)")
known = set(keys)
qids = Counter(r["wikidata"] for r in rows if r["wikidata"])
for q, n in qids.items():
    if n > 1:
        errors.append(f"duplicate wikidata {q}")
iso2 = Counter(r["iso2"] for r in rows if r["iso2"])
iso3 = Counter(r["country"] for r in rows if r["iso2"])
for c, n in list(iso2.items()) + list(iso3.items()):
    if n > 1:
        errors.append(f"duplicate ISO code {c}")
iso3_all = {r["country"] for r in rows if r["type"] in ("country", "location") and r["country"]}

for r in rows:
    w = r["_where"]
    if not KEY_RE.match(r["key"]):
        errors.append(f"{w}: bad key {r['key']!r}")
    if r["type"] not in TYPES:
        errors.append(f"{w}: bad type {r['type']!r}")
    if not r["name"].strip() or r["name"] != r["name"].strip():
        errors.append(f"{w}: empty or padded name")
    if r["wikidata"] and not QID_RE.match(r["wikidata"]):
        errors.append(f"{w}: bad wikidata {r['wikidata']!r}")
    if r["iso2"] and not re.match(r"^[A-Z]{2}$", r["iso2"]):
        errors.append(f"{w}: bad iso2")
    if r["country"] and not re.match(r"^[A-Z]{3}$", r["country"]):
        errors.append(f"{w}: bad country {r['country']!r}")
    if r["country"] and r["country"] not in iso3_all:
        errors.append(f"{w}: country code {r['country']} not defined by any country row")
    for col in LIST_COLS:
        if r[col]:
            items = r[col].split("|")
            if any(not i.strip() or i != i.strip() for i in items):
                errors.append(f"{w}: empty/padded item in {col}")
    if r["roles"] and r["type"] != "person":
        errors.append(f"{w}: roles on a non-person")
    for role in filter(None, r["roles"].split("|")):
        m = ROLE_RE.match(role)
        if not m:
            errors.append(f"{w}: bad role {role!r}")
            continue
        if m.group(2) not in known:
            errors.append(f"{w}: role refers to unknown key {m.group(2)}")
        a, b = m.group(3), m.group(4)
        if a and b and int(a) > int(b):
            errors.append(f"{w}: role years reversed {role}")
        for y in (a, b):
            if y and not (1900 <= int(y) <= 2026):
                errors.append(f"{w}: odd year in {role}")
    for a in filter(None, r["affiliations"].split("|")):
        if a not in known:
            errors.append(f"{w}: unknown affiliation {a}")
        if a == r["key"]:
            errors.append(f"{w}: self affiliation")
    forms = [r["name"]] + [x for c in ("aliases", "acronyms", "demonyms", "capital", "epithets") for x in r[c].split("|") if x]
    dup = [f for f, n in Counter(forms).items() if n > 1]
    if dup:
        errors.append(f"{w}: surface form repeated {dup}")

# Surface forms shared by several entities are allowed (the linker disambiguates) but listed.
owners = {}
for r in rows:
    for c in ("name", "aliases", "acronyms", "demonyms", "capital", "epithets"):
        for form in filter(None, r[c].split("|")):
            owners.setdefault(form, set()).add(r["key"])
shared = {f: sorted(k) for f, k in owners.items() if len(k) > 1}
if "-v" in sys.argv:
    for f in sorted(shared):
        print(f"shared surface form {f!r}: {', '.join(shared[f])}")
print(f"surface forms shared by several entities: {len(shared)} (run with -v to list)")

counts = Counter((r["_where"].split(":")[0], r["type"]) for r in rows)
for (fn, t), n in sorted(counts.items()):
    print(f"{fn:20} {t:13} {n}")
print(f"total entities {len(rows)}, with wikidata {sum(1 for r in rows if r['wikidata'])}")
for e in errors:
    print("ERROR", e)
print("OK" if not errors else f"{len(errors)} errors")
sys.exit(1 if errors else 0)

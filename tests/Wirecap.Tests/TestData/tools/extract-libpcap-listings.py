#!/usr/bin/env python3
"""Collect the distinct expected bpf_dump listings of libpcap's filter test suite (TESTrun accept
cases, see /work/shared/libpcap-tests/FORMAT.md) into libpcap-suite-listings.txt.gz: listings
separated by a line holding only "%%". TESTrun compares with trailing blanks removed, so the
listings have none.
Usage: extract-libpcap-listings.py libpcap-filter-cases.jsonl | gzip -9n > libpcap-suite-listings.txt.gz
"""
import json
import sys

seen = []
for line in open(sys.argv[1]):
    case = json.loads(line)
    if case["kind"] != "accept" or case.get("special") or not case["expected"]:
        continue
    if case["expected"] not in seen:
        seen.append(case["expected"])
sys.stdout.write("%%\n".join(seen))

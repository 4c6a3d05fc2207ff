#!/usr/bin/env python3
"""Builds libpcap-cases.jsonl.gz from the extracted libpcap filter test suite
(shared/libpcap-tests): the accept/reject cases for the link types our compiler supports,
every apply case (their savefiles are libpcap's captures in TestData/libpcap-pcap), and the 1.10.3
verdict differences, with only the fields the tests read.
Usage: extract.py /path/to/libpcap-tests"""
import gzip, json, shutil, sys, os

KEY = {'EN10MB', 'LINUX_SLL', 'LINUX_SLL2', 'RAW', 'IPV4', 'IPV6', 'NULL', 'LOOP'}
FIELDS = ['kind', 'name', 'linktype', 'dlt', 'expr', 'opt', 'expected', 'error', 'results', 'snaplen',
          'netmask', 'linuxext', 'offline_filter', 'skip', 'savefile', 'special', 'optimizer_rejects']
src = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
debian = {}
for line in open(os.path.join(src, 'debian-libpcap-1.10.3-verdicts.jsonl')):
    d = json.loads(line)
    debian[d['name']] = d.get('verdict')
with gzip.open(os.path.join(here, 'libpcap-cases.jsonl.gz'), 'wt', compresslevel=9) as out:
    for line in open(os.path.join(src, 'libpcap-filter-cases.jsonl')):
        d = json.loads(line)
        if d['kind'] != 'apply' and (d['kind'] not in ('accept', 'reject') or d['linktype'] not in KEY):
            continue
        row = {k: d[k] for k in FIELDS if d.get(k) not in (None, False, '')}
        if d['kind'] == 'apply':
            row.pop('expected', None)
        row['debian'] = debian.get(d['name'])
        out.write(json.dumps(row, separators=(',', ':')) + '\n')
for f in ('hosts.txt', 'ethers.txt', 'networks.txt'):
    shutil.copyfile(os.path.join(src, f), os.path.join(here, f))

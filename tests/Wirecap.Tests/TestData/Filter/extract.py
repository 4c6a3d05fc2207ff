#!/usr/bin/env python3
"""Builds libpcap-cases.jsonl.gz from the extracted libpcap filter test suite
(shared/libpcap-tests): the accept/reject cases for the link types our compiler supports,
every apply case, and the 1.10.3 verdict differences, with only the fields the tests read.
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
files = set()
with gzip.open(os.path.join(here, 'libpcap-cases.jsonl.gz'), 'wt', compresslevel=9) as out:
    for line in open(os.path.join(src, 'libpcap-filter-cases.jsonl')):
        d = json.loads(line)
        if d['kind'] == 'apply':
            files.add(os.path.basename(d['savefile']))
        elif d['kind'] not in ('accept', 'reject') or d['linktype'] not in KEY:
            continue
        row = {k: d[k] for k in FIELDS if d.get(k) not in (None, False, '')}
        if d['kind'] == 'apply':
            row.pop('expected', None)
        row['debian'] = debian.get(d['name'])
        out.write(json.dumps(row, separators=(',', ':')) + '\n')
os.makedirs(os.path.join(here, 'pcap'), exist_ok=True)
def linktype(path):
    """DLT of a pcap file, or of the first interface of a pcapng file."""
    b = open(path, 'rb').read(64)
    if b[:4] == b'\x0a\x0d\x0d\x0a':
        shb_len = int.from_bytes(b[4:8], 'little')
        rest = open(path, 'rb').read()[shb_len:shb_len + 12]
        return int.from_bytes(rest[8:10], 'little')
    order = 'little' if b[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else 'big'
    return int.from_bytes(b[20:24], order) & 0xffff

for f in sorted(files):
    if linktype(os.path.join(src, 'pcap', f)) not in (0, 1, 12, 101, 108, 113, 228, 229, 276):
        continue
    shutil.copyfile(os.path.join(src, 'pcap', f), os.path.join(here, 'pcap', f))
for f in ('hosts.txt', 'ethers.txt', 'networks.txt'):
    shutil.copyfile(os.path.join(src, f), os.path.join(here, f))

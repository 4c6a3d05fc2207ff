#!/usr/bin/env python3
"""Convert the kernel's classic test_bpf vectors (see /work/shared/kernel-tests/README.md) into
kernel-bpf-vectors.jsonl, the compact form Wirecap.Tests reads.

One JSON object per line:
  test        test_bpf index (#N), name: its description
  program     instructions as "code jt jf k" (decimal, k unsigned); "<insn> *N" repeats an instruction N times
  data        packet bytes as hex; a vector of length L runs over data[0:L]
  fragment    hex of bytes that follow data[0:L] in a second, non-linear segment (FLAG_SKB_FRAG)
  vectors     [[L, expected return], ...]
  skb         true when the program reads skb metadata or header offsets (the harness context applies)
  reject      for programs the kernel refuses: "checker" (bpf_check_classic) or "conversion" (eBPF jump offsets)
Usage: convert-kernel-bpf-vectors.py test_bpf_classic.jsonl > kernel-bpf-vectors.jsonl
"""
import json
import sys


def encode_program(insns):
    out = []
    for insn in insns:
        text = "%d %d %d %d" % tuple(insn)
        if out and out[-1][0] == text:
            out[-1][1] += 1
        else:
            out.append([text, 1])
    return [t if n == 1 else "%s *%d" % (t, n) for t, n in out]


def main(path):
    for line in open(path):
        src = json.loads(line)
        dst = {"test": src["index"], "name": src["description"], "program": encode_program(src["insns"])}
        if "data" in src:
            dst["data"] = bytes(src["data"]).hex()
        if "frag_data" in src:
            dst["fragment"] = bytes(src["frag_data"]).hex()
        if "FLAG_EXPECTED_FAIL" in src["flags"]:
            dst["reject"] = "conversion" if "converted" in src.get("reject_reason", "") else "checker"
        else:
            dst["vectors"] = src["results"]
        if src.get("uses"):
            dst["skb"] = True
        print(json.dumps(dst, separators=(",", ":")))


if __name__ == "__main__":
    main(sys.argv[1])

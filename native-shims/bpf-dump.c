/*
 * bpf-dump: print a classic BPF program with libpcap's own bpf_dump(), the code behind
 * tcpdump -d / -dd / -ddd. Oracle for Wirecap's disassembler.
 *
 * usage: bpf-dump 1|2|3 < program
 * The program on stdin is in tcpdump -ddd form: a count line, then "code jt jf k" per line.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bpf-dump 1|2|3 < program.ddd\n");
        return 2;
    }
    int option = atoi(argv[1]);
    unsigned count;
    if (scanf("%u", &count) != 1 || count == 0 || count > 1000000) {
        fprintf(stderr, "bpf-dump: expected an instruction count\n");
        return 2;
    }
    struct bpf_insn *insns = calloc(count, sizeof *insns);
    if (insns == NULL)
        return 1;
    for (unsigned i = 0; i < count; i++) {
        unsigned code, jt, jf, k;
        if (scanf("%u %u %u %u", &code, &jt, &jf, &k) != 4) {
            fprintf(stderr, "bpf-dump: instruction %u is not \"code jt jf k\"\n", i);
            return 2;
        }
        insns[i].code = (u_short)code;
        insns[i].jt = (u_char)jt;
        insns[i].jf = (u_char)jf;
        insns[i].k = k;
    }
    struct bpf_program program = { count, insns };
    bpf_dump(&program, option);
    free(insns);
    return 0;
}

/*
 * libpcap's C bpf_filter as the baseline for Wirecap's classic BPF benchmarks.
 *
 * Usage: bpf_bench PACKETS.pcap NAME=PROGRAM.ddd [NAME=PROGRAM.ddd ...]
 * Loads every packet of the pcap file into memory, then for each program (tcpdump -ddd form)
 * runs bpf_filter over all packets repeatedly and prints one line:
 *   NAME NS_PER_PACKET KEPT
 * where NS_PER_PACKET is the fastest of several timed runs (clock_gettime, CLOCK_MONOTONIC) and KEPT
 * is how many packets of the file the program keeps (to check that every engine saw the same work).
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct packet { const unsigned char *data; unsigned len; };

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static struct bpf_insn *load_program(const char *path, int *count)
{
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    if (fscanf(f, "%d", count) != 1 || *count <= 0) { fprintf(stderr, "%s: not in tcpdump -ddd form\n", path); exit(2); }
    struct bpf_insn *prog = calloc((size_t)*count, sizeof *prog);
    if (!prog) { perror("calloc"); exit(2); }
    for (int i = 0; i < *count; i++) {
        unsigned code, jt, jf, k;
        if (fscanf(f, "%u %u %u %u", &code, &jt, &jf, &k) != 4) { fprintf(stderr, "%s: short program\n", path); exit(2); }
        prog[i].code = (unsigned short)code;
        prog[i].jt = (unsigned char)jt;
        prog[i].jf = (unsigned char)jf;
        prog[i].k = k;
    }
    fclose(f);
    if (!bpf_validate(prog, *count)) { fprintf(stderr, "%s: bpf_validate refuses the program\n", path); exit(2); }
    return prog;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: %s PACKETS.pcap NAME=PROGRAM.ddd...\n", argv[0]); return 2; }
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pcap = pcap_open_offline(argv[1], errbuf);
    if (!pcap) { fprintf(stderr, "%s\n", errbuf); return 2; }
    size_t count = 0, cap = 1024;
    struct packet *packets = malloc(cap * sizeof *packets);
    struct pcap_pkthdr *header;
    const unsigned char *data;
    while (pcap_next_ex(pcap, &header, &data) == 1) {
        if (count == cap) {
            cap *= 2;
            packets = realloc(packets, cap * sizeof *packets);
            if (!packets) { perror("realloc"); return 2; }
        }
        unsigned char *copy = malloc(header->caplen ? header->caplen : 1);
        if (!copy) { perror("malloc"); return 2; }
        memcpy(copy, data, header->caplen);
        packets[count].data = copy;
        packets[count].len = header->caplen;
        count++;
    }
    pcap_close(pcap);
    if (count == 0) { fprintf(stderr, "%s: no packets\n", argv[1]); return 2; }

    for (int a = 2; a < argc; a++) {
        char *eq = strchr(argv[a], '=');
        if (!eq) { fprintf(stderr, "expected NAME=PROGRAM.ddd, got %s\n", argv[a]); return 2; }
        *eq = '\0';
        int length;
        struct bpf_insn *prog = load_program(eq + 1, &length);

        unsigned kept = 0;
        for (size_t i = 0; i < count; i++)
            if (bpf_filter(prog, packets[i].data, packets[i].len, packets[i].len) != 0) kept++;

        /* Rounds sized to ~50 ms; the fastest of 15 such runs is reported (compared with BenchmarkDotNet's Min):
         * on a shared machine the minimum is the measurement least disturbed by other load. */
        unsigned rounds = 1;
        for (;;) {
            double start = now_ns();
            volatile unsigned sink = 0;
            for (unsigned r = 0; r < rounds; r++)
                for (size_t i = 0; i < count; i++)
                    sink += bpf_filter(prog, packets[i].data, packets[i].len, packets[i].len);
            if (now_ns() - start > 5e7 || rounds > (1u << 24)) break;
            rounds *= 2;
        }
        double runs[15];
        for (int run = 0; run < 15; run++) {
            volatile unsigned sink = 0;
            double start = now_ns();
            for (unsigned r = 0; r < rounds; r++)
                for (size_t i = 0; i < count; i++)
                    sink += bpf_filter(prog, packets[i].data, packets[i].len, packets[i].len);
            runs[run] = (now_ns() - start) / ((double)rounds * (double)count);
        }
        qsort(runs, 15, sizeof runs[0], compare_doubles);
        printf("%s %.3f %u\n", argv[a], runs[0], kept);
        fflush(stdout);
        free(prog);
    }
    return 0;
}

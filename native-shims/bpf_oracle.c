/*
 * libpcap as an oracle for Wirecap's classic BPF engine (libpcap dialect).
 *
 * Reads commands from stdin, one per line, and answers each on stdout:
 *   p N code jt jf k [code jt jf k ...]   set the current program (N instructions)
 *                                          -> "v 1" or "v 0": libpcap's bpf_validate verdict
 *   r WIRELEN HEX                         run bpf_filter on the current program over the packet
 *                                          HEX (its bytes; "-" for an empty packet), reporting
 *                                          WIRELEN as the original length
 *                                          -> "r RESULT", or "r skip" when the program must not
 *                                          be run (see runnable() below)
 * Many cases go through one process, so a test can check thousands of them in well under a second.
 */
#include <pcap/pcap.h>
#include <pcap/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The exact opcodes libpcap's interpreter implements; any other code makes libpcap 1.10.3 abort(). */
static const unsigned short known_codes[] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x14, 0x15, 0x16, 0x1c, 0x1d, 0x20,
    0x24, 0x25, 0x28, 0x2c, 0x2d, 0x30, 0x34, 0x35, 0x3c, 0x3d, 0x40, 0x44, 0x45, 0x48, 0x4c,
    0x4d, 0x50, 0x54, 0x5c, 0x60, 0x61, 0x64, 0x6c, 0x74, 0x7c, 0x80, 0x81, 0x84, 0x87, 0x94,
    0x9c, 0xa4, 0xac, 0xb1,
};

static int known(unsigned short code)
{
    for (size_t i = 0; i < sizeof known_codes / sizeof known_codes[0]; i++)
        if (known_codes[i] == code) return 1;
    return 0;
}

/* Running is safe only for validated programs with known opcodes and forward jumps: libpcap
 * 1.10.3 aborts on unknown opcodes that bpf_validate lets through, and a backward "ja" may loop. */
static int runnable(const struct bpf_insn *prog, int len, int valid)
{
    if (!valid) return 0;
    for (int i = 0; i < len; i++) {
        if (!known(prog[i].code)) return 0;
        if (prog[i].code == (BPF_JMP | BPF_JA) && (int)prog[i].k < 0) return 0;
    }
    return 1;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int main(void)
{
    struct bpf_insn *prog = NULL;
    int len = 0, valid = 0;
    unsigned char *packet = NULL;
    size_t packet_cap = 0;
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t n;

    while ((n = getline(&line, &line_cap, stdin)) > 0) {
        char *cursor = line;
        if (line[0] == 'p') {
            long count = strtol(cursor + 1, &cursor, 10);
            if (count < 0 || count > 1000000) { fprintf(stderr, "bad program length %ld\n", count); return 2; }
            free(prog);
            prog = calloc((size_t)count + 1, sizeof *prog);
            if (!prog) { perror("calloc"); return 2; }
            for (long i = 0; i < count; i++) {
                prog[i].code = (unsigned short)strtoul(cursor, &cursor, 10);
                prog[i].jt = (unsigned char)strtoul(cursor, &cursor, 10);
                prog[i].jf = (unsigned char)strtoul(cursor, &cursor, 10);
                prog[i].k = (bpf_u_int32)strtoul(cursor, &cursor, 10);
            }
            len = (int)count;
            valid = bpf_validate(prog, len) != 0;
            printf("v %d\n", valid);
        } else if (line[0] == 'r') {
            unsigned long wirelen = strtoul(cursor + 1, &cursor, 10);
            while (*cursor == ' ') cursor++;
            size_t buflen = 0;
            if (*cursor != '-') {
                size_t digits = strcspn(cursor, " \r\n");
                if (digits / 2 > packet_cap) {
                    packet_cap = digits / 2;
                    packet = realloc(packet, packet_cap);
                    if (!packet) { perror("realloc"); return 2; }
                }
                for (size_t i = 0; i + 1 < digits; i += 2) {
                    int hi = hexval(cursor[i]), lo = hexval(cursor[i + 1]);
                    if (hi < 0 || lo < 0) { fprintf(stderr, "bad hex\n"); return 2; }
                    packet[buflen++] = (unsigned char)(hi << 4 | lo);
                }
            }
            if (!prog || !runnable(prog, len, valid))
                printf("r skip\n");
            else
                printf("r %u\n", bpf_filter(prog, packet ? packet : (const unsigned char *)"", (u_int)wirelen, (u_int)buflen));
        } else {
            fprintf(stderr, "unknown command: %s", line);
            return 2;
        }
    }
    free(line);
    free(prog);
    free(packet);
    return 0;
}

/*
 * pcap_oracle: libpcap as a reference for the filter compiler tests.
 * Reads commands from stdin, one per line, and answers one line (or block) each:
 *   compile <dlt> <snaplen> <netmask-hex|-> <optimize 0|1> <expression...>
 *       -> "ok <n>" followed by n lines "<code> <jt> <jf> <k>", or "error <message>"
 *   load <n> <code>,<jt>,<jf>,<k> ...      (a second program, for example ours)
 *       -> "ok"
 *   test <wirelen> <hex bytes>
 *       -> "<libpcap program result> <loaded program result>" via bpf_filter
 *   packet <wirelen> <hex bytes>           (adds to a stored corpus; no answer)
 *   clear                                   (empties the corpus; no answer)
 *   runall
 *       -> one line: the libpcap program's results on every stored packet, "|", the loaded one's
 * Expressions use \n escapes for newlines. Exits at end of input.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct bpf_program reference;
static int have_reference;
static struct bpf_insn *loaded;
static u_int loaded_len;

static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] == 'n') { *w++ = '\n'; r++; }
        else if (r[0] == '\\' && r[1] == 't') { *w++ = '\t'; r++; }
        else *w++ = *r;
    }
    *w = 0;
}

static void do_compile(char *args)
{
    int dlt, snaplen, optimize, consumed = 0;
    char mask[64];
    if (sscanf(args, "%d %d %63s %d %n", &dlt, &snaplen, mask, &optimize, &consumed) < 4) {
        printf("error bad compile command\n");
        return;
    }
    char *expr = args + consumed;
    unescape(expr);
    bpf_u_int32 netmask = strcmp(mask, "-") == 0 ? PCAP_NETMASK_UNKNOWN : (bpf_u_int32)strtoul(mask, NULL, 16);
    pcap_t *p = pcap_open_dead(dlt, snaplen);
    if (have_reference) { pcap_freecode(&reference); have_reference = 0; }
    if (pcap_compile(p, &reference, expr, optimize, netmask) != 0) {
        printf("error %s\n", pcap_geterr(p));
        pcap_close(p);
        return;
    }
    have_reference = 1;
    printf("ok %u\n", reference.bf_len);
    for (u_int i = 0; i < reference.bf_len; i++) {
        struct bpf_insn *in = &reference.bf_insns[i];
        printf("%u %u %u %u\n", in->code, in->jt, in->jf, in->k);
    }
    pcap_close(p);
}

static void do_load(char *args)
{
    char *end;
    unsigned long n = strtoul(args, &end, 10);
    free(loaded);
    loaded = calloc(n ? n : 1, sizeof *loaded);
    loaded_len = (u_int)n;
    for (unsigned long i = 0; i < n; i++) {
        unsigned code, jt, jf; unsigned long k;
        int used = 0;
        if (sscanf(end, " %u,%u,%u,%lu%n", &code, &jt, &jf, &k, &used) < 4) {
            printf("error bad load command\n");
            loaded_len = 0;
            return;
        }
        end += used;
        loaded[i].code = (u_short)code; loaded[i].jt = (u_char)jt; loaded[i].jf = (u_char)jf; loaded[i].k = (bpf_u_int32)k;
    }
    printf("ok\n");
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void do_test(char *args)
{
    static u_char packet[70000];
    char *end;
    unsigned long wirelen = strtoul(args, &end, 10);
    while (*end == ' ') end++;
    u_int caplen = 0;
    while (end[0] && end[1] && hexval(end[0]) >= 0 && caplen < sizeof packet) {
        packet[caplen++] = (u_char)(hexval(end[0]) * 16 + hexval(end[1]));
        end += 2;
    }
    u_int ref = have_reference ? bpf_filter(reference.bf_insns, packet, (u_int)wirelen, caplen) : 0;
    u_int ours = loaded_len ? bpf_filter(loaded, packet, (u_int)wirelen, caplen) : 0;
    printf("%u %u\n", ref, ours);
}

struct stored { u_char *data; u_int caplen; u_int wirelen; };
static struct stored *corpus;
static size_t corpus_len, corpus_cap;

static void do_packet(char *args)
{
    char *end;
    unsigned long wirelen = strtoul(args, &end, 10);
    while (*end == ' ') end++;
    size_t hexlen = strlen(end) / 2;
    if (corpus_len == corpus_cap) {
        corpus_cap = corpus_cap ? corpus_cap * 2 : 256;
        corpus = realloc(corpus, corpus_cap * sizeof *corpus);
    }
    struct stored *s = &corpus[corpus_len++];
    s->data = malloc(hexlen ? hexlen : 1);
    s->caplen = 0;
    while (end[0] && end[1] && hexval(end[0]) >= 0) {
        s->data[s->caplen++] = (u_char)(hexval(end[0]) * 16 + hexval(end[1]));
        end += 2;
    }
    s->wirelen = (u_int)wirelen;
}

static void do_clear(void)
{
    for (size_t i = 0; i < corpus_len; i++) free(corpus[i].data);
    corpus_len = 0;
}

static void do_runall(void)
{
    for (size_t i = 0; i < corpus_len; i++)
        printf(i ? " %u" : "%u", have_reference ? bpf_filter(reference.bf_insns, corpus[i].data, corpus[i].wirelen, corpus[i].caplen) : 0);
    printf("|");
    for (size_t i = 0; i < corpus_len; i++)
        printf(i ? " %u" : "%u", loaded_len ? bpf_filter(loaded, corpus[i].data, corpus[i].wirelen, corpus[i].caplen) : 0);
    printf("\n");
}

int main(void)
{
    static char line[1 << 20];
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (strncmp(line, "compile ", 8) == 0) do_compile(line + 8);
        else if (strncmp(line, "load ", 5) == 0) do_load(line + 5);
        else if (strncmp(line, "test ", 5) == 0) do_test(line + 5);
        else if (strncmp(line, "packet ", 7) == 0) { do_packet(line + 7); continue; }
        else if (strcmp(line, "clear") == 0) { do_clear(); continue; }
        else if (strcmp(line, "runall") == 0) do_runall();
        else printf("error unknown command\n");
        fflush(stdout);
    }
    return 0;
}

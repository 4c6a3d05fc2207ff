/* libpcap's live capture loop as a benchmark peer: counts packets on IFACE until SIGINT/SIGTERM,
 * then prints "captured N received R dropped D". Used by bench/live-side-by-side.sh.
 *   live_pcap_count IFACE BUFFER_KIB */
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static pcap_t *handle;
static long captured;

static void on_signal(int signal) { (void)signal; pcap_breakloop(handle); }

static void on_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *data)
{
    (void)user; (void)header; (void)data;
    captured++;
}

int main(int argc, char **argv)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    if (argc != 3) {
        fprintf(stderr, "usage: %s IFACE BUFFER_KIB\n", argv[0]);
        return 1;
    }
    handle = pcap_create(argv[1], errbuf);
    if (handle == NULL) { fprintf(stderr, "%s\n", errbuf); return 2; }
    pcap_set_snaplen(handle, 262144);
    pcap_set_buffer_size(handle, atoi(argv[2]) * 1024);
    pcap_set_timeout(handle, 64);
    if (pcap_activate(handle) < 0) { fprintf(stderr, "%s\n", pcap_geterr(handle)); return 2; }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    fprintf(stderr, "listening on %s\n", argv[1]);
    while (pcap_dispatch(handle, -1, on_packet, NULL) >= 0) { }
    struct pcap_stat stats;
    pcap_stats(handle, &stats);
    printf("captured %ld received %u dropped %u\n", captured, stats.ps_recv, stats.ps_drop);
    return 0;
}

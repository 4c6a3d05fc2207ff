/* Reads a capture file with libpcap's pcap_next_ex loop, touching every packet's first and
 * last byte (as a consumer would), and prints one line:
 *   packets <n> bytes <captured bytes> ns <elapsed nanoseconds>
 * The timing covers open, the read loop and close. Used by bench/side-by-side.sh. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *header;
    const u_char *data;
    unsigned long long packets = 0, bytes = 0, checksum = 0;
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 1;
    }
    long long start = now_ns();
    pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == NULL) {
        fprintf(stderr, "%s\n", errbuf);
        return 2;
    }
    while ((status = pcap_next_ex(p, &header, &data)) == 1) {
        packets++;
        bytes += header->caplen;
        if (header->caplen > 0)
            checksum += data[0] + data[header->caplen - 1];
    }
    if (status == -1) {
        fprintf(stderr, "%s\n", pcap_geterr(p));
        return 3;
    }
    pcap_close(p);
    long long elapsed = now_ns() - start;
    printf("packets %llu bytes %llu ns %lld checksum %llu\n", packets, bytes, elapsed, checksum);
    return 0;
}

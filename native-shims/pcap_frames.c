/* Prints every record of a capture file as libpcap reads it (nanosecond precision):
 *   linktype <dlt> snaplen <n>
 *   <sec>.<nsec> <caplen> <len> <hex bytes>
 * Exit status 0 at a clean end, 2 when the file cannot be opened, 3 on a read error
 * (the message goes to stderr). Used as an oracle by tests/Wirecap.Tests/Formats. */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *header;
    const u_char *data;
    pcap_t *p;
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 1;
    }
    p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == NULL) {
        fprintf(stderr, "%s\n", errbuf);
        return 2;
    }
    printf("linktype %d snaplen %d\n", pcap_datalink(p), pcap_snapshot(p));
    while ((status = pcap_next_ex(p, &header, &data)) == 1) {
        printf("%lld.%09ld %u %u ", (long long)header->ts.tv_sec, (long)header->ts.tv_usec,
               header->caplen, header->len);
        for (bpf_u_int32 i = 0; i < header->caplen; i++)
            printf("%02x", data[i]);
        putchar('\n');
    }
    if (status == -1) {
        fprintf(stderr, "%s\n", pcap_geterr(p));
        pcap_close(p);
        return 3;
    }
    pcap_close(p);
    return 0;
}

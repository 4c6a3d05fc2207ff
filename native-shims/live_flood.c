/* Floods an interface with Ethernet/IPv4/UDP frames through an AF_PACKET socket (sendmmsg in
 * batches), as the traffic generator of bench/live-side-by-side.sh:
 *   live_flood IFACE COUNT FRAME_SIZE [PPS [PORTS]]
 * Each frame carries its sequence number; prints "sent N in S seconds (R pps)". PPS > 0 paces the
 * batches to that rate (so several capturers can be offered the same rate); PORTS > 0 cycles the UDP
 * source port over 40000 … 40000+PORTS-1 (so "udp src port 40000" keeps 1 frame in PORTS). The line
 * ends with the process's CPU time ("cpu N ns", getrusage). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#define BATCH 64

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 6) {
        fprintf(stderr, "usage: %s IFACE COUNT FRAME_SIZE [PPS [PORTS]]\n", argv[0]);
        return 1;
    }
    long count = atol(argv[2]);
    int size = atoi(argv[3]);
    double pps = argc > 4 ? atof(argv[4]) : 0;
    long ports = argc > 5 ? atol(argv[5]) : 0;
    if (size < 60 || size > 1514) {
        fprintf(stderr, "FRAME_SIZE must be 60..1514\n");
        return 1;
    }
    int fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0) { perror("socket"); return 2; }
    struct sockaddr_ll address = { .sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(argv[1]), .sll_halen = 6 };
    if (address.sll_ifindex == 0) { perror("if_nametoindex"); return 2; }

    static unsigned char frames[BATCH][1514];
    struct iovec iov[BATCH];
    struct mmsghdr messages[BATCH];
    for (int i = 0; i < BATCH; i++) {
        unsigned char *f = frames[i];
        memcpy(f, "\x02\x00\x00\x00\x00\x0b\x02\x00\x00\x00\x00\x0a\x08\x00", 14);
        unsigned char *ip = f + 14;
        ip[0] = 0x45; ip[2] = (size - 14) >> 8; ip[3] = (size - 14) & 0xff; ip[8] = 64; ip[9] = 17;
        memcpy(ip + 12, "\x0a\xca\x00\x01\x0a\xca\x00\x02", 8);
        unsigned char *udp = ip + 20;
        udp[0] = 0x9c; udp[1] = 0x40; udp[2] = 0x27; udp[3] = 0x0f;
        udp[4] = (size - 34) >> 8; udp[5] = (size - 34) & 0xff;
        iov[i].iov_base = f;
        iov[i].iov_len = size;
        memset(&messages[i], 0, sizeof messages[i]);
        messages[i].msg_hdr.msg_iov = &iov[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &address;
        messages[i].msg_hdr.msg_namelen = sizeof address;
    }

    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long sent = 0;
    while (sent < count) {
        int batch = count - sent < BATCH ? (int)(count - sent) : BATCH;
        if (pps > 0) {
            /* Sleep until this batch is due: start + sent / pps. */
            double due = start.tv_sec + start.tv_nsec / 1e9 + sent / pps;
            struct timespec at = { .tv_sec = (time_t)due, .tv_nsec = (long)((due - (time_t)due) * 1e9) };
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
        }
        for (int i = 0; i < batch; i++) {
            uint32_t sequence = htonl((uint32_t)(sent + i));
            memcpy(frames[i] + 42, &sequence, 4);
            if (ports > 0) {
                unsigned port = 40000 + (unsigned)((sent + i) % ports);
                frames[i][34] = port >> 8;
                frames[i][35] = port & 0xff;
            }
        }
        int n = sendmmsg(fd, messages, batch, 0);
        if (n < 0) { perror("sendmmsg"); return 3; }
        sent += n;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    /* This process's CPU time includes the receive path the veth peer runs in the sender's softirq context
     * (the kernel here has no IRQ_TIME_ACCOUNTING): TC programs and packet-socket taps on the peer. */
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    long long cpu_ns = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;
    printf("sent %ld in %.3f seconds (%.0f pps) cpu %lld ns\n", sent, seconds, sent / seconds, cpu_ns);
    return 0;
}

/*
 * The Linux kernel as an oracle for Wirecap's classic BPF engine (kernel dialect).
 *
 * Usage (inside a network namespace holding a veth pair):
 *   kernel_oracle SENDER RECEIVER
 * Frames are sent with an AF_PACKET socket on SENDER; on RECEIVER two AF_PACKET sockets listen:
 * "filtered" carries the program under test (SO_ATTACH_FILTER), "clock" has no filter and tells
 * when a batch has been completely delivered (a marker frame sent last reaches it). Delivery to
 * both sockets happens in the same softirq pass, in order, and the process is pinned to one CPU,
 * so once the marker is on "clock", every verdict for the batch is on "filtered".
 *
 * Commands on stdin, one per line; answers on stdout:
 *   p N code jt jf k [...]   attach the program -> "a 0", or "a ERRNO" when the kernel refuses it
 *   f HEX                    queue a frame (14..1514 bytes; lengths must be distinct in a batch)
 *   s                        send the queued frames and the marker, then answer one line per
 *                            frame in queue order: "k N" (kept, N bytes delivered) or "d"
 *                            (dropped); or "e MESSAGE" when the batch could not be judged.
 * Frames are told apart on "filtered" by their original length (PACKET_AUXDATA tp_len), and the
 * delivered bytes are checked against the frame sent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FRAME 1514
#define MAX_BATCH 512
#define MARKER_TYPE 0x88b5 /* IEEE local experimental ethertype */

struct frame { unsigned char bytes[MAX_FRAME]; int len; int kept; };

static struct frame batch[MAX_BATCH];
static int batch_len;
static unsigned marker_seq;

static int packet_socket(const char *dev, int *ifindex)
{
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) { perror("socket"); exit(2); }
    struct sockaddr_ll addr = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
    addr.sll_ifindex = (int)if_nametoindex(dev);
    if (addr.sll_ifindex == 0) { fprintf(stderr, "no such device: %s\n", dev); exit(2); }
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("bind"); exit(2); }
    int size = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    *ifindex = addr.sll_ifindex;
    return fd;
}

static void drain(int fd)
{
    static unsigned char sink[65536];
    while (recv(fd, sink, sizeof sink, MSG_DONTWAIT) >= 0) { }
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void send_frame(int fd, int ifindex, const unsigned char *bytes, int len)
{
    struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = ETH_ALEN };
    memcpy(to.sll_addr, bytes, ETH_ALEN);
    if (sendto(fd, bytes, (size_t)len, 0, (struct sockaddr *)&to, sizeof to) != len) { perror("sendto"); exit(2); }
}

/* Waits for the marker with sequence number seq on the unfiltered socket. */
static int await_marker(int clock_fd, unsigned seq)
{
    unsigned char buf[65536];
    for (;;) {
        struct pollfd p = { .fd = clock_fd, .events = POLLIN };
        if (poll(&p, 1, 2000) <= 0) return 0;
        ssize_t n = recv(clock_fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n >= 18 && buf[12] == (MARKER_TYPE >> 8) && buf[13] == (MARKER_TYPE & 0xff)) {
            unsigned got;
            memcpy(&got, buf + 14, sizeof got);
            if (got == seq) return 1;
        }
    }
}

/* Reads every verdict from the filtered socket and records it on the matching frame. */
static const char *collect(int filtered_fd, int marker_len)
{
    static char error[128];
    unsigned char buf[65536];
    for (;;) {
        char control[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
        struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
        ssize_t n = recvmsg(filtered_fd, &msg, MSG_DONTWAIT);
        if (n < 0) return NULL;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        if (!c || c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) return "no auxdata";
        struct tpacket_auxdata aux;
        memcpy(&aux, CMSG_DATA(c), sizeof aux);
        if ((int)aux.tp_len == marker_len) continue;
        int i;
        for (i = 0; i < batch_len && batch[i].len != (int)aux.tp_len; i++) { }
        if (i == batch_len) { snprintf(error, sizeof error, "unexpected frame of length %u", aux.tp_len); return error; }
        if (batch[i].kept >= 0) { snprintf(error, sizeof error, "frame %d delivered twice", i); return error; }
        if (memcmp(buf, batch[i].bytes, (size_t)n) != 0) { snprintf(error, sizeof error, "frame %d delivered with other bytes", i); return error; }
        batch[i].kept = (int)n;
    }
}

static void send_batch(int sender_fd, int sender_index, int filtered_fd, int clock_fd)
{
    int marker_len = 60;
    for (int again = 1; again; ) {
        again = 0;
        for (int i = 0; i < batch_len; i++)
            if (batch[i].len == marker_len) { marker_len++; again = 1; }
    }
    unsigned char marker[MAX_FRAME] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, MARKER_TYPE >> 8, MARKER_TYPE & 0xff };
    unsigned seq = ++marker_seq;
    memcpy(marker + 14, &seq, sizeof seq);

    for (int i = 0; i < batch_len; i++) {
        batch[i].kept = -1;
        send_frame(sender_fd, sender_index, batch[i].bytes, batch[i].len);
    }
    send_frame(sender_fd, sender_index, marker, marker_len);
    if (!await_marker(clock_fd, seq)) { printf("e marker frame never arrived\n"); batch_len = 0; return; }
    const char *error = collect(filtered_fd, marker_len);
    if (error) { printf("e %s\n", error); drain(filtered_fd); batch_len = 0; return; }
    for (int i = 0; i < batch_len; i++) {
        if (batch[i].kept < 0) printf("d\n");
        else printf("k %d\n", batch[i].kept);
    }
    batch_len = 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: %s SENDER RECEIVER\n", argv[0]); return 2; }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    sched_setaffinity(0, sizeof one, &one);

    int sender_index, receiver_index;
    int sender_fd = packet_socket(argv[1], &sender_index);
    int filtered_fd = packet_socket(argv[2], &receiver_index);
    int clock_fd = packet_socket(argv[2], &receiver_index);
    int on = 1;
    if (setsockopt(filtered_fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on) != 0) { perror("PACKET_AUXDATA"); return 2; }
    /* Replies the receiver's stack might send (ARP, ICMP, RST) must not pass for test frames. */
    if (setsockopt(filtered_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on) != 0) { perror("PACKET_IGNORE_OUTGOING"); return 2; }
    if (setsockopt(clock_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on) != 0) { perror("PACKET_IGNORE_OUTGOING"); return 2; }
    drain(filtered_fd);
    drain(clock_fd);

    struct sock_filter *prog = NULL;
    char *line = NULL;
    size_t line_cap = 0;
    while (getline(&line, &line_cap, stdin) > 0) {
        char *cursor = line;
        if (line[0] == 'p') {
            long count = strtol(cursor + 1, &cursor, 10);
            if (count < 0 || count > 65535) { fprintf(stderr, "bad program length %ld\n", count); return 2; }
            free(prog);
            prog = calloc((size_t)count + 1, sizeof *prog);
            if (!prog) { perror("calloc"); return 2; }
            for (long i = 0; i < count; i++) {
                prog[i].code = (unsigned short)strtoul(cursor, &cursor, 10);
                prog[i].jt = (unsigned char)strtoul(cursor, &cursor, 10);
                prog[i].jf = (unsigned char)strtoul(cursor, &cursor, 10);
                prog[i].k = (unsigned)strtoul(cursor, &cursor, 10);
            }
            struct sock_fprog fprog = { .len = (unsigned short)count, .filter = prog };
            int rc = setsockopt(filtered_fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog);
            printf("a %d\n", rc == 0 ? 0 : errno);
            /* frames that were judged by the previous filter must not be mistaken for new verdicts */
            drain(filtered_fd);
        } else if (line[0] == 'f') {
            if (batch_len == MAX_BATCH) { fprintf(stderr, "batch too large\n"); return 2; }
            struct frame *f = &batch[batch_len];
            cursor++;
            while (*cursor == ' ') cursor++;
            f->len = 0;
            for (; hexval(cursor[0]) >= 0 && hexval(cursor[1]) >= 0; cursor += 2) {
                if (f->len == MAX_FRAME) { fprintf(stderr, "frame too long\n"); return 2; }
                f->bytes[f->len++] = (unsigned char)(hexval(cursor[0]) << 4 | hexval(cursor[1]));
            }
            if (f->len < ETH_HLEN) { fprintf(stderr, "frame too short\n"); return 2; }
            for (int i = 0; i < batch_len; i++)
                if (batch[i].len == f->len) { fprintf(stderr, "two frames of length %d in one batch\n", f->len); return 2; }
            batch_len++;
        } else if (line[0] == 's') {
            send_batch(sender_fd, sender_index, filtered_fd, clock_fd);
        } else {
            fprintf(stderr, "unknown command: %s", line);
            return 2;
        }
        fflush(stdout);
    }
    free(line);
    free(prog);
    return 0;
}

/* A paced traffic generator that outruns the capturers of bench/live-ceiling-side-by-side.sh: each thread
 * owns an AF_PACKET socket with a TPACKET_V2 TX ring and PACKET_QDISC_BYPASS (the frames go from the ring
 * to the driver, no qdisc, one send() per batch instead of one copy-in per frame), sending Ethernet/IPv4/UDP
 * frames on IFACE for SECONDS at PPS packets/s in all (0: as fast as it can):
 *   live_txring IFACE FRAME_SIZE PPS SECONDS [THREADS [FLOWS]]
 * The UDP source port cycles over 40000 … 40000+FLOWS-1 (default 64) so a PACKET_FANOUT hash group spreads
 * the frames; each frame carries a sequence number at offset 42. Thread i runs on CPU i % ncpus.
 * Prints one line:
 *   sent N in S seconds (R pps) cpu C ns errors E threads T [thread cpu ns: c0 c1 ...]
 * where cpu is the process's user + system time (getrusage) and each thread's own in brackets. On veth the
 * peer's receive path (packet-socket taps and their copies into the capturers' rings) runs in the
 * sender's softirq context, so it is in these figures (this kernel has no IRQ_TIME_ACCOUNTING). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_BYTES 2048        /* one ring slot: the tpacket2 header, then up to 1514 bytes of frame */
#define FRAMES 4096             /* slots per ring (8 MiB) */
#define BLOCK_BYTES (1 << 16)
#define BATCH 128               /* frames queued per send() and per pacing step */
#define MAX_THREADS 16
#define DATA_OFFSET (TPACKET_ALIGN(sizeof(struct tpacket2_hdr)))

struct worker {
    pthread_t thread;
    int index, fd;
    unsigned char *ring;
    long target;                /* frames this thread sends */
    double pps;                 /* this thread's share of the rate; 0 = unpaced */
    long sent, errors;
    long long cpu_ns;
};

static const char *device;
static int frame_size, flows = 64, cpus;
static double seconds;
static struct timespec start;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void fill_frame(unsigned char *f)
{
    memcpy(f, "\x02\x00\x00\x00\x00\x0b\x02\x00\x00\x00\x00\x0a\x08\x00", 14);
    unsigned char *ip = f + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45; ip[2] = (frame_size - 14) >> 8; ip[3] = (frame_size - 14) & 0xff; ip[8] = 64; ip[9] = 17;
    memcpy(ip + 12, "\x0a\xca\x00\x01\x0a\xca\x00\x02", 8);
    unsigned char *udp = ip + 20;
    udp[0] = 0x9c; udp[1] = 0x40; udp[2] = 0x27; udp[3] = 0x0f;
    udp[4] = (frame_size - 34) >> 8; udp[5] = (frame_size - 34) & 0xff; udp[6] = 0; udp[7] = 0;
    memset(f + 42, 0, frame_size - 42);
}

static int open_ring(struct worker *w)
{
    w->fd = socket(AF_PACKET, SOCK_RAW, 0);   /* protocol 0: this socket receives nothing */
    if (w->fd < 0) { perror("socket"); return -1; }
    int version = TPACKET_V2, one = 1;
    if (setsockopt(w->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0) { perror("PACKET_VERSION"); return -1; }
    if (setsockopt(w->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) < 0) { perror("PACKET_QDISC_BYPASS"); return -1; }
    struct tpacket_req req = {
        .tp_block_size = BLOCK_BYTES, .tp_block_nr = FRAMES * FRAME_BYTES / BLOCK_BYTES,
        .tp_frame_size = FRAME_BYTES, .tp_frame_nr = FRAMES,
    };
    if (setsockopt(w->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req) < 0) { perror("PACKET_TX_RING"); return -1; }
    w->ring = mmap(NULL, (size_t)FRAMES * FRAME_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, w->fd, 0);
    if (w->ring == MAP_FAILED) { perror("mmap"); return -1; }
    struct sockaddr_ll address = { .sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(device) };
    if (address.sll_ifindex == 0) { perror("if_nametoindex"); return -1; }
    if (bind(w->fd, (struct sockaddr *)&address, sizeof address) < 0) { perror("bind"); return -1; }
    for (int i = 0; i < FRAMES; i++)
        fill_frame(w->ring + (size_t)i * FRAME_BYTES + DATA_OFFSET);
    return 0;
}

/* Waits until slot is free again (the kernel hands it back once the frame has left), counting a frame
 * the kernel refused as an error. */
static void wait_slot(struct worker *w, struct tpacket2_hdr *h)
{
    for (;;) {
        uint32_t status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
        if (status == TP_STATUS_AVAILABLE) return;
        if (status & TP_STATUS_WRONG_FORMAT) {
            w->errors++;
            __atomic_store_n(&h->tp_status, TP_STATUS_AVAILABLE, __ATOMIC_RELEASE);
            return;
        }
        /* Still queued or sending: let the kernel run the queue. */
        if (send(w->fd, NULL, 0, MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != ENOBUFS) { perror("send"); exit(3); }
    }
}

static void *run(void *argument)
{
    struct worker *w = argument;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(w->index % cpus, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    double begin = start.tv_sec + start.tv_nsec / 1e9;
    long slot = 0, queued = 0;
    uint32_t sequence = (uint32_t)w->index << 28;
    while (queued < w->target || (w->target < 0 && now_seconds() - begin < seconds)) {
        long batch = BATCH;
        if (w->target >= 0 && w->target - queued < batch) batch = w->target - queued;
        if (w->pps > 0) {
            double due = begin + queued / w->pps;
            struct timespec at = { .tv_sec = (time_t)due, .tv_nsec = (long)((due - (time_t)due) * 1e9) };
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
        }
        for (long i = 0; i < batch; i++) {
            struct tpacket2_hdr *h = (struct tpacket2_hdr *)(w->ring + (size_t)slot * FRAME_BYTES);
            wait_slot(w, h);
            unsigned char *f = (unsigned char *)h + DATA_OFFSET;
            uint32_t s = htonl(sequence++);
            memcpy(f + 42, &s, 4);
            unsigned port = 40000 + (unsigned)((queued + i) % flows);
            f[34] = port >> 8;
            f[35] = port & 0xff;
            h->tp_len = frame_size;
            __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
            slot = (slot + 1) % FRAMES;
        }
        queued += batch;
        /* Blocking send: with PACKET_QDISC_BYPASS the kernel hands every queued frame to the driver in this call. */
        if (send(w->fd, NULL, 0, 0) < 0 && errno != ENOBUFS) { perror("send"); exit(3); }
    }
    /* Wait for the last frames to leave, so that "sent" counts what the driver took. */
    for (long i = 0; i < FRAMES; i++)
        wait_slot(w, (struct tpacket2_hdr *)(w->ring + (size_t)i * FRAME_BYTES));
    w->sent = queued - w->errors;
    struct rusage usage;
    getrusage(RUSAGE_THREAD, &usage);
    w->cpu_ns = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 7) {
        fprintf(stderr, "usage: %s IFACE FRAME_SIZE PPS SECONDS [THREADS [FLOWS]]\n", argv[0]);
        return 1;
    }
    device = argv[1];
    frame_size = atoi(argv[2]);
    double pps = atof(argv[3]);
    seconds = atof(argv[4]);
    int threads = argc > 5 ? atoi(argv[5]) : 1;
    if (argc > 6) flows = atoi(argv[6]);
    cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (frame_size < 60 || frame_size > 1514) { fprintf(stderr, "FRAME_SIZE must be 60..1514\n"); return 1; }
    if (threads < 1 || threads > MAX_THREADS) { fprintf(stderr, "THREADS must be 1..%d\n", MAX_THREADS); return 1; }
    if (flows < 1 || flows > 25000) { fprintf(stderr, "FLOWS must be 1..25000\n"); return 1; }
    if (seconds <= 0 || pps < 0) { fprintf(stderr, "SECONDS must be > 0 and PPS >= 0\n"); return 1; }
    static struct worker workers[MAX_THREADS];
    long total = pps > 0 ? (long)(pps * seconds) : -1;
    for (int i = 0; i < threads; i++) {
        workers[i].index = i;
        workers[i].pps = pps / threads;
        workers[i].target = total < 0 ? -1 : total / threads + (i < total % threads ? 1 : 0);
        if (open_ring(&workers[i]) < 0) return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < threads; i++)
        if (pthread_create(&workers[i].thread, NULL, run, &workers[i]) != 0) { perror("pthread_create"); return 2; }
    long sent = 0, errors = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(workers[i].thread, NULL);
        sent += workers[i].sent;
        errors += workers[i].errors;
    }
    double elapsed = now_seconds() - (start.tv_sec + start.tv_nsec / 1e9);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    long long cpu_ns = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;
    printf("sent %ld in %.3f seconds (%.0f pps) cpu %lld ns errors %ld threads %d [thread cpu ns:", sent, elapsed, sent / elapsed, cpu_ns, errors, threads);
    for (int i = 0; i < threads; i++) printf(" %lld", workers[i].cpu_ns);
    printf("]\n");
    return 0;
}

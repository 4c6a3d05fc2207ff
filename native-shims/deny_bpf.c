/* Runs a command with the bpf(2) system call refused, as a kernel without it (or a seccomp policy) refuses it:
 *   deny_bpf ERRNO [CMD] -- PROGRAM [ARGS...]
 * Every bpf(2) call fails with ERRNO, or only those whose command (the first argument) is CMD, e.g. 28
 * (BPF_LINK_CREATE) with 95 (EOPNOTSUPP) for a kernel without tcx links. A seccomp filter installed before exec,
 * so the tests can see the library's refusals and fallbacks for kernels this machine is not. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "deny_bpf knows x86_64 and aarch64"
#endif

int main(int argc, char **argv)
{
    int dash = 0;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--") == 0) { dash = i; break; }
    if (dash < 2 || dash > 3 || dash + 1 >= argc) {
        fprintf(stderr, "usage: %s ERRNO [CMD] -- PROGRAM [ARGS...]\n", argv[0]);
        return 2;
    }
    unsigned error = (unsigned)atoi(argv[1]);
    int only = dash == 3;
    unsigned command = only ? (unsigned)atoi(argv[2]) : 0;

    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        /* the command, args[0]'s low word on a little-endian machine; every command when none is given */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, command, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, only ? SECCOMP_RET_ALLOW : SECCOMP_RET_ERRNO | (error & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (error & SECCOMP_RET_DATA)),
    };
    struct sock_fprog program = { .len = sizeof code / sizeof code[0], .filter = code };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) { perror("prctl(PR_SET_NO_NEW_PRIVS)"); return 2; }
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) { perror("prctl(PR_SET_SECCOMP)"); return 2; }
    execvp(argv[dash + 1], argv + dash + 1);
    perror(argv[dash + 1]);
    return 127;
}

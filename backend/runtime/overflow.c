/*
 * backend/runtime/overflow.c — a stack overflow reported as Rust's std does on Linux.
 *
 * rustc's program prints on stderr
 *
 *   <empty line>
 *   thread 'main' (TID) has overflowed its stack
 *   fatal runtime error: stack overflow, aborting
 *
 * and dies by SIGABRT (shell status 134). Its stdout is line-buffered: complete lines
 * were written, an unfinished last line is lost. Any other invalid access dies by the
 * signal it raised (SIGSEGV, SIGBUS).
 *
 * At start, rt_overflow_init computes the main thread's guard region, maps an
 * alternate signal stack (the handler cannot run on the stack that overflowed) with a
 * PROT_NONE page below it, and installs one handler for SIGSEGV and SIGBUS
 * (SA_ONSTACK | SA_SIGINFO, with a restorer that calls rt_sigreturn).
 *
 * The guard region. The main thread's stack is the kernel's [stack] mapping: it grows
 * down on demand until it is RLIMIT_STACK bytes long (rounded down to pages), counted
 * from the mapping's top; a push below that faults. The kernel copies the
 * executable's name (AT_EXECFN) first, right below an 8-byte end marker that ends the
 * mapping, so the top is the end of that string rounded up to a page (glibc finds the
 * same top in /proc/self/maps). Rust's std takes bottom = top - rlimit, and the page
 * below bottom as the guard: its frames are probed page by page, so an overflow first
 * touches that page. ws's code generator does not probe large frames, so an
 * overflowing frame may first touch memory further below; the region is therefore
 * [bottom - 1 MiB, bottom): the kernel's default stack_guard_gap, below which the
 * top-down mmap layout places the other mappings. With RLIMIT_STACK unlimited (or no
 * AT_EXECFN) there is no region and every fault is reported as the signal it is.
 *
 * The handler (on the alternate stack, async-signal-safe: raw system calls and the
 * runtime's own buffers, a few hundred bytes of stack) first writes stdout's complete
 * lines, as Rust's line-buffered stdout would have. Then, for a fault address in the
 * region, it writes the report (one write) and aborts: SIGABRT back to its default
 * action, unblocked, and sent to the thread with tgkill. Otherwise it restores the
 * default action and returns: the faulting instruction runs again and the kernel
 * kills the process with the same signal. (As with Rust's std, a SIGSEGV sent by
 * kill(2) is thus ignored once.)
 *
 * A failing stdout write in the handler panics ("failed printing to stdout"), as
 * rustc's println! would have earlier; the alternate stack has room for that path.
 */
#include "rt_internal.h"

enum {
    SIGBUS_ = 7, SIGSEGV_ = 11, SIGABRT_ = 6,
    SA_SIGINFO_ = 4, SA_ONSTACK_ = 0x08000000, SA_RESTORER_ = 0x04000000,
    SIG_UNBLOCK_ = 1, RLIMIT_STACK_ = 3,
    PROT_NONE_ = 0, PROT_READ_WRITE_ = 3,
    MAP_PRIVATE_ANONYMOUS_STACK_ = 0x02 | 0x20 | 0x20000,
    AT_NULL_ = 0, AT_PAGESZ_ = 6, AT_EXECFN_ = 31, AT_MINSIGSTKSZ_ = 51,
};

/* Below the stack's lowest address, where an overflowing frame may first touch. */
#define GUARD_SPAN (1ul << 20)
/* Room on the alternate stack beyond the kernel's signal frame (AT_MINSIGSTKSZ): the
 * handler itself needs little, a panic on a failed stdout write a few KiB. */
#define HANDLER_STACK (16ul << 10)

/* [guard_lo, guard_hi): a fault there is a stack overflow; empty when unknown. */
static uintptr_t guard_lo, guard_hi;

/* The head of the kernel's siginfo_t (the fault address of SIGSEGV and SIGBUS). */
typedef struct FaultInfo {
    int32_t signo, errno_, code, pad;
    uintptr_t addr;  /* @16 */
} FaultInfo;

/* The kernel's stack_t for sigaltstack(2). */
typedef struct AltStack {
    void *sp;
    int32_t flags;
    uint64_t size;
} AltStack;

/* The restorer the kernel returns to from a handler: rt_sigreturn. */
RT_HIDDEN void rt_signal_restorer(void);
__asm__(".text\n"
        ".globl rt_signal_restorer\n"
        ".hidden rt_signal_restorer\n"
        ".type rt_signal_restorer,@function\n"
        "rt_signal_restorer:\n"
        "    mov $15, %eax\n"
        "    syscall\n"
        "    hlt\n"
        ".size rt_signal_restorer, .-rt_signal_restorer\n");

static void set_action(int sig, unsigned long handler, unsigned long flags)
{
    RtKernelSigaction act = {.handler = handler, .flags = flags};
    if (flags & SA_RESTORER_)
        act.restorer = (unsigned long)rt_signal_restorer;
    rt_syscall4(RT_SYS_RT_SIGACTION, sig, (long)&act, 0, sizeof act.mask);
}

/* abort(3): SIGABRT with its default action, unblocked, sent to this thread. */
_Noreturn static void abort_process(void)
{
    set_action(SIGABRT_, 0, 0);
    uint64_t set = 1ul << (SIGABRT_ - 1);
    rt_syscall4(RT_SYS_RT_SIGPROCMASK, SIG_UNBLOCK_, (long)&set, 0, sizeof set);
    long pid = rt_syscall4(RT_SYS_GETPID, 0, 0, 0, 0);
    rt_syscall4(RT_SYS_TGKILL, pid, rt_sys_gettid(), SIGABRT_, 0);
    rt_sys_exit(128 + SIGABRT_);  /* not reached: SIGABRT is delivered on the way out */
}

_Noreturn static void report_overflow(void)
{
    static const char tail[] =
        " has overflowed its stack\nfatal runtime error: stack overflow, aborting\n";
    char buf[128];
    RtSink err = {.buf = buf, .cap = sizeof buf, .fd = 2};
    rt_sink_thread(&err);
    rt_sink_write(&err, tail, sizeof tail - 1);
    rt_sink_flush(&err);
    abort_process();
}

static void on_fault(int sig, FaultInfo *info, void *context)
{
    (void)context;
    rt_stdout_flush_lines();
    if (info->addr >= guard_lo && info->addr < guard_hi)
        report_overflow();
    set_action(sig, 0, 0);
}

void rt_overflow_init(char **envp)
{
    char **p = envp;
    while (*p)
        p++;
    uint64_t page = 4096, frame = 2048;
    const char *execfn = 0;
    for (const uint64_t *aux = (const uint64_t *)(p + 1); aux[0] != AT_NULL_; aux += 2) {
        if (aux[0] == AT_PAGESZ_)
            page = aux[1];
        else if (aux[0] == AT_MINSIGSTKSZ_ && aux[1] > frame)
            frame = aux[1];
        else if (aux[0] == AT_EXECFN_)
            execfn = (const char *)aux[1];
    }
    struct { uint64_t cur, max; } limit;
    if (execfn && rt_syscall4(RT_SYS_PRLIMIT64, 0, RLIMIT_STACK_, 0, (long)&limit) == 0) {
        const char *end = execfn;
        while (*end)
            end++;
        uintptr_t top = ((uintptr_t)end + page) & ~(page - 1);
        uint64_t size = limit.cur & ~(page - 1);
        if (size < top && top - size > GUARD_SPAN) {
            guard_hi = top - size;
            guard_lo = guard_hi - GUARD_SPAN;
        }
    }

    uint64_t alt_size = (frame + HANDLER_STACK + page - 1) & ~(page - 1);
    long base = rt_syscall6(RT_SYS_MMAP, 0, (long)(alt_size + page), PROT_READ_WRITE_,
                            MAP_PRIVATE_ANONYMOUS_STACK_, -1, 0);
    if ((unsigned long)base > -4096ul)
        return;  /* no alternate stack: faults stay the kernel's */
    rt_syscall4(RT_SYS_MPROTECT, base, (long)page, PROT_NONE_, 0);
    AltStack alt = {.sp = (void *)(base + (long)page), .size = alt_size};
    if (rt_syscall4(RT_SYS_SIGALTSTACK, (long)&alt, 0, 0, 0) != 0)
        return;
    unsigned long flags = SA_SIGINFO_ | SA_ONSTACK_ | SA_RESTORER_;
    set_action(SIGSEGV_, (unsigned long)on_fault, flags);
    set_action(SIGBUS_, (unsigned long)on_fault, flags);
}

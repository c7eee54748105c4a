/*
 * backend/runtime/rt_internal.h — what the runtime's files share and generated code
 * never sees: raw system calls, output sinks, and the formatting primitives.
 *
 * The runtime is freestanding (no libc): everything here is built on the Linux
 * system-call interface. Its state (the stdout buffer, argc/argv, the stack's guard
 * region) is the state of one single-threaded process, so it lives in file-scope
 * statics (of start.c and overflow.c).
 */
#ifndef RT_INTERNAL_H
#define RT_INTERNAL_H

#include "rt.h"

#define RT_HIDDEN __attribute__((visibility("hidden")))

/* ---------------------------------------------------------------- system calls */

/* The x86-64 Linux system calls the runtime makes. */
enum {
    RT_SYS_WRITE = 1, RT_SYS_MMAP = 9, RT_SYS_MPROTECT = 10, RT_SYS_RT_SIGACTION = 13,
    RT_SYS_RT_SIGPROCMASK = 14, RT_SYS_GETPID = 39, RT_SYS_SIGALTSTACK = 131,
    RT_SYS_GETTID = 186, RT_SYS_EXIT_GROUP = 231, RT_SYS_TGKILL = 234, RT_SYS_PRLIMIT64 = 302,
};

/* A raw system call with up to six arguments; returns the result or -errno. */
static inline long rt_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall" : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/* A raw system call with up to four arguments. */
static inline long rt_syscall4(long n, long a, long b, long c, long d)
{
    return rt_syscall6(n, a, b, c, d, 0, 0);
}

/* The kernel's struct sigaction for rt_sigaction(2) (handler 0 = SIG_DFL, 1 = SIG_IGN;
 * the mask is 8 bytes, passed as the call's last argument). */
typedef struct RtKernelSigaction {
    unsigned long handler, flags, restorer, mask;
} RtKernelSigaction;

/* Writes all len bytes to fd (retrying short writes and EINTR); returns 0 or -errno. */
RT_HIDDEN long rt_sys_write_all(int fd, const char *buf, uint64_t len);
/* exit_group(code). */
RT_HIDDEN _Noreturn void rt_sys_exit(int code);
/* The calling thread's id (gettid). */
RT_HIDDEN long rt_sys_gettid(void);

/* Sets up stack-overflow reporting (overflow.c): the guard region of the main thread's
 * stack, an alternate signal stack and the SIGSEGV/SIGBUS handler. envp is the
 * environment as _start found it (the auxiliary vector follows it). */
RT_HIDDEN void rt_overflow_init(char **envp);

/* ---------------------------------------------------------------- sinks */

/* Where formatted text goes: a buffer that is written to fd when full or flushed.
 * depth > 0 while a pretty ({:#?}) composite is being printed: every line then
 * starts with 4 * depth spaces (Rust's PadAdapter). */
struct RtSink {
    char *buf;
    uint32_t len, cap;
    int fd;
    uint32_t depth;         /* pretty-printing nesting */
    bool at_line_start;     /* pretty: the next byte starts a line (indent first) */
};

/* Appends len bytes (indenting lines when depth > 0). */
RT_HIDDEN void rt_sink_write(RtSink *s, const char *p, uint64_t len);
/* Appends one Unicode scalar value as UTF-8. */
RT_HIDDEN void rt_sink_char(RtSink *s, uint32_t c);
/* Writes the buffered bytes to the sink's fd and empties the buffer. */
RT_HIDDEN void rt_sink_flush(RtSink *s);

/* Writes out stdout's complete lines (before anything goes to stderr); a failed write
 * panics as Rust's println! does, once (later output is dropped). */
RT_HIDDEN void rt_stdout_flush_lines(void);
/* Flushes stdout at exit: complete lines as above, then the rest, errors ignored. */
RT_HIDDEN void rt_stdout_flush_at_exit(void);

/* Appends "\nthread 'main' (TID)", how Rust's reports name the (only) thread. */
RT_HIDDEN void rt_sink_thread(RtSink *s);

/* Formats a template with its arguments into a sink. */
RT_HIDDEN void rt_write_fmt(RtSink *s, const RtTemplate *t, const RtArg *args);

/* ---------------------------------------------------------------- formatting */

/* Writes s (len bytes) under f's fill, alignment, width and precision (Rust's
 * Formatter::pad). */
RT_HIDDEN void rt_pad(RtFormatter *f, const char *s, uint64_t len);
/* Writes an integer's digits with its sign and prefix under the spec (Rust's
 * Formatter::pad_integral). */
RT_HIDDEN void rt_pad_integral(RtFormatter *f, bool nonnegative, const char *prefix,
                               const char *digits, uint64_t ndigits);
/* Number of UTF-8 chars in len bytes. */
RT_HIDDEN uint64_t rt_utf8_count(const char *s, uint64_t len);
/* Whether Debug prints c as \u{..} (Rust: not printable, or grapheme-extending). */
RT_HIDDEN bool rt_char_needs_unicode_escape(uint32_t c);
/* Writes the decimal digits of v into the end of buf[40]; returns the first digit. */
RT_HIDDEN char *rt_u128_decimal(unsigned __int128 v, char *end);
/* (hi:lo) / d and its remainder, for hi < d: x86-64's 128-by-64 `divq`. */
static inline uint64_t rt_divq(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
    uint64_t q, r;
    __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
    *rem = r;
    return q;
}
/* 128-bit division with remainder (b != 0), without libgcc. */
RT_HIDDEN unsigned __int128 rt_u128_divmod(unsigned __int128 a, unsigned __int128 b,
                                           unsigned __int128 *rem);

#endif

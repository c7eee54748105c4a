/*
 * backend/runtime/start.c — process start and exit, system calls, output sinks.
 *
 * `_start` aligns the stack as the psABI asks (the kernel leaves %rsp 16-byte aligned
 * on argc; we realign anyway and call with a 16-byte aligned stack), keeps argc, argv
 * and envp, sets SIGPIPE to ignored as Rust's std does (a closed pipe then makes a
 * print panic instead of killing the process), sets up stack-overflow reporting
 * (overflow.c) and calls __ws_main.
 *
 * stdout is a 32 KiB buffer written when full, at exit, at process::exit and around a
 * panic. Before anything goes to stderr, and before a stack overflow's report or a
 * fatal signal, its complete lines are written first: a terminal or a `2>&1` file then
 * shows the two streams in the order Rust's line-buffered stdout would.
 */
#include "rt_internal.h"

/* ---------------------------------------------------------------- system calls */

enum { EINTR_ = 4, EBADF_ = 9, SIGPIPE_ = 13 };

long rt_sys_write_all(int fd, const char *buf, uint64_t len)
{
    while (len > 0) {
        long n = rt_syscall4(RT_SYS_WRITE, fd, (long)buf, (long)len, 0);
        if (n == -EINTR_)
            continue;
        if (n < 0)
            return n;
        buf += n;
        len -= (uint64_t)n;
    }
    return 0;
}

_Noreturn void rt_sys_exit(int code)
{
    for (;;)
        rt_syscall4(RT_SYS_EXIT_GROUP, code, 0, 0, 0);
}

long rt_sys_gettid(void)
{
    return rt_syscall4(RT_SYS_GETTID, 0, 0, 0, 0);
}

/* ---------------------------------------------------------------- start */

static int saved_argc;
static char **saved_argv, **saved_envp;

int rt_argc(void) { return saved_argc; }
char **rt_argv(void) { return saved_argv; }
char **rt_envp(void) { return saved_envp; }

RT_HIDDEN _Noreturn void rt_start_c(long *sp);
_Noreturn void rt_start_c(long *sp)
{
    saved_argc = (int)sp[0];
    saved_argv = (char **)(sp + 1);
    saved_envp = saved_argv + saved_argc + 1;
    RtKernelSigaction ignore = {.handler = 1 /* SIG_IGN */};
    rt_syscall4(RT_SYS_RT_SIGACTION, SIGPIPE_, (long)&ignore, 0, sizeof ignore.mask);
    rt_overflow_init(saved_envp);
    __ws_main();
    rt_stdout_flush_at_exit();
    rt_sys_exit(0);
}

/* %rsp points at argc; %rbp = 0 marks the outermost frame for debuggers. */
__asm__(".text\n"
        ".globl _start\n"
        ".type _start,@function\n"
        "_start:\n"
        "    xor %ebp, %ebp\n"
        "    mov %rsp, %rdi\n"
        "    and $-16, %rsp\n"
        "    call rt_start_c\n"
        "    hlt\n"
        ".size _start, .-_start\n");

_Noreturn void rt_exit(int32_t code)
{
    rt_stdout_flush_at_exit();
    rt_sys_exit(code);
}

/* ---------------------------------------------------------------- sinks */

static void sink_raw(RtSink *s, const char *p, uint64_t len)
{
    while (len > 0) {
        if (s->len == s->cap)
            rt_sink_flush(s);
        uint64_t room = s->cap - s->len;
        uint64_t n = len < room ? len : room;
        memcpy(s->buf + s->len, p, n);
        s->len += (uint32_t)n;
        p += n;
        len -= n;
    }
}

static void sink_indent(RtSink *s)
{
    static const char spaces[] = "                ";
    for (uint32_t i = 0; i < s->depth; i++)
        sink_raw(s, spaces, 4);
}

void rt_sink_write(RtSink *s, const char *p, uint64_t len)
{
    if (s->depth == 0) {
        if (len <= (uint64_t)(s->cap - s->len)) {  /* the common case */
            memcpy(s->buf + s->len, p, len);
            s->len += (uint32_t)len;
        } else {
            sink_raw(s, p, len);
        }
        return;
    }
    /* Pretty printing: indent every line that gets content (Rust's PadAdapter). */
    while (len > 0) {
        uint64_t n = 0;
        while (n < len && p[n] != '\n')
            n++;
        if (n < len)
            n++;  /* include the newline */
        if (s->at_line_start)
            sink_indent(s);
        s->at_line_start = p[n - 1] == '\n';
        sink_raw(s, p, n);
        p += n;
        len -= n;
    }
}

void rt_sink_char(RtSink *s, uint32_t c)
{
    char b[4];
    uint64_t n;
    if (c < 0x80) {
        b[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xc0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xe0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        b[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        b[0] = (char)(0xf0 | (c >> 18));
        b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        b[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    rt_sink_write(s, b, n);
}

/* Rust's std panics when stdout cannot be written (e.g. a closed pipe): "failed
 * printing to stdout: Broken pipe (os error 32)" at its own location. */
_Noreturn static void panic_print_failed(long err)
{
    static const char file[] =
        "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/io/stdio.rs";
    static const RtLocation loc = {file, sizeof file - 1, 1165, 9};
    static const struct { int errno_; const char *text; } names[] = {
        {32, "Broken pipe"}, {28, "No space left on device"}, {5, "Input/output error"},
        {9, "Bad file descriptor"}, {27, "File too large"}, {122, "Disk quota exceeded"},
    };
    const char *what = "Unknown error";
    for (uint64_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].errno_ == err)
            what = names[i].text;
    char num[40], *end = num + sizeof num;
    char *digits = rt_u128_decimal((unsigned __int128)err, end);
    char msg[160];
    RtSink m = {.buf = msg, .cap = sizeof msg, .fd = -1};
    rt_sink_write(&m, "failed printing to stdout: ", 27);
    uint64_t what_len = 0;
    while (what[what_len])
        what_len++;
    rt_sink_write(&m, what, what_len);
    rt_sink_write(&m, " (os error ", 11);
    rt_sink_write(&m, digits, (uint64_t)(end - digits));
    rt_sink_write(&m, ")", 1);
    rt_panic_str(&loc, msg, m.len);
}

static bool stdout_failed;  /* a write failed: later output is dropped */

void rt_sink_flush(RtSink *s)
{
    if (s->len == 0)
        return;
    if (s->fd < 0 || (s->fd == 1 && stdout_failed)) {
        s->len = 0;
        return;
    }
    /* Emptied after the write: a stack overflow that strikes on the way to it finds
     * the bytes still buffered, and its handler writes them. */
    long r = rt_sys_write_all(s->fd, s->buf, s->len);
    s->len = 0;
    /* Rust's std treats a closed descriptor (EBADF) as a sink that swallows everything.
     * A failed write to stderr is dropped: there is nowhere left to report it. */
    if (r < 0 && r != -EBADF_ && s->fd == 1) {
        stdout_failed = true;
        panic_print_failed(-r);
    }
}

static char stdout_buf[32768];
static RtSink stdout_sink = {.buf = stdout_buf, .cap = sizeof stdout_buf, .fd = 1};

void rt_stdout_flush_lines(void)
{
    RtSink *s = &stdout_sink;
    uint32_t n = s->len;
    while (n > 0 && s->buf[n - 1] != '\n')
        n--;
    if (n == 0)
        return;
    uint32_t rest = s->len - n;
    s->len = n;
    rt_sink_flush(s);
    memmove(s->buf, s->buf + n, rest);
    s->len = rest;
}

void rt_stdout_flush_at_exit(void)
{
    /* Rust's println! has written the complete lines already (and panicked if it
     * could not); the last partial line is flushed at exit, errors ignored. */
    rt_stdout_flush_lines();
    RtSink *s = &stdout_sink;
    if (s->len > 0 && !stdout_failed)
        rt_sys_write_all(1, s->buf, s->len);
    s->len = 0;
}

/* ---------------------------------------------------------------- print entry points */

void rt_print(const RtTemplate *t, const RtArg *args)
{
    rt_write_fmt(&stdout_sink, t, args);
}

void rt_print_str(const char *s, uint64_t len)
{
    rt_sink_write(&stdout_sink, s, len);
}

void rt_eprint(const RtTemplate *t, const RtArg *args)
{
    char buf[1024];
    RtSink err = {.buf = buf, .cap = sizeof buf, .fd = 2};
    rt_stdout_flush_lines();
    rt_write_fmt(&err, t, args);
    rt_sink_flush(&err);
}

void rt_eprint_str(const char *s, uint64_t len)
{
    rt_stdout_flush_lines();
    rt_sys_write_all(2, s, len);
}

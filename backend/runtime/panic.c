/*
 * backend/runtime/panic.c — Rust's panic path, with rustc 1.95's texts.
 *
 * A panic writes stdout's complete lines (if that fails, the panic becomes Rust's
 * "failed printing to stdout", which rustc's println! would have raised earlier),
 * then reports on stderr in one write:
 *
 *   <empty line>
 *   thread 'main' (TID) panicked at src/main.rs:3:5:
 *   MESSAGE
 *   note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
 *
 * then writes the rest of stdout (Rust flushes it at exit too) and exits with 101.
 * The message is formatted straight into the report's buffer.
 */
#include "rt_internal.h"

typedef struct Report {
    RtSink sink;
    char buf[2048];
} Report;

static void put(Report *r, const char *s, uint64_t len)
{
    rt_sink_write(&r->sink, s, len);
}

static void put_u64(Report *r, uint64_t v)
{
    char buf[40], *end = buf + sizeof buf;
    char *p = rt_u128_decimal(v, end);
    put(r, p, (uint64_t)(end - p));
}

void rt_sink_thread(RtSink *s)
{
    char buf[40], *end = buf + sizeof buf;
    char *tid = rt_u128_decimal((uint64_t)rt_sys_gettid(), end);
    rt_sink_write(s, "\nthread 'main' (", 16);
    rt_sink_write(s, tid, (uint64_t)(end - tid));
    rt_sink_write(s, ")", 1);
}

static void begin(Report *r, const RtLocation *loc)
{
    r->sink = (RtSink){.buf = r->buf, .cap = sizeof r->buf, .fd = 2};
    rt_stdout_flush_lines();
    rt_sink_thread(&r->sink);
    put(r, " panicked at ", 13);
    put(r, loc->file, loc->file_len);
    put(r, ":", 1);
    put_u64(r, loc->line);
    put(r, ":", 1);
    put_u64(r, loc->col);
    put(r, ":\n", 2);
}

_Noreturn static void finish(Report *r)
{
    static const char note[] =
        "\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
    put(r, note, sizeof note - 1);
    rt_sink_flush(&r->sink);
    rt_stdout_flush_at_exit();
    rt_sys_exit(101);
}

_Noreturn void rt_panic_str(const RtLocation *loc, const char *msg, uint64_t len)
{
    Report r;
    begin(&r, loc);
    put(&r, msg, len);
    finish(&r);
}

#define DEFINE_ARITH_PANIC(name, msg)                   \
    _Noreturn void rt_panic_##name(const RtLocation *loc) \
    {                                                   \
        rt_panic_str(loc, msg, sizeof msg - 1);         \
    }
RT_ARITH_PANICS(DEFINE_ARITH_PANIC)

_Noreturn void rt_panic_bounds(const RtLocation *loc, uint64_t index, uint64_t len)
{
    Report r;
    begin(&r, loc);
    put(&r, "index out of bounds: the len is ", 32);
    put_u64(&r, len);
    put(&r, " but the index is ", 18);
    put_u64(&r, index);
    finish(&r);
}

/* The fixed text of each panicking macro: without a message, and before ": msg". */
static const struct {
    const char *text;
    uint64_t len;
} macro_texts[] = {
    [RT_PANIC_PANIC] = {"explicit panic", 14},
    [RT_PANIC_ASSERT] = {"assertion failed: ", 18},
    [RT_PANIC_UNREACHABLE] = {"internal error: entered unreachable code", 40},
    [RT_PANIC_TODO] = {"not yet implemented", 19},
    [RT_PANIC_UNIMPLEMENTED] = {"not implemented", 15},
};

_Noreturn void rt_panic(const RtLocation *loc, uint32_t macro, const RtTemplate *t,
                        const RtArg *args)
{
    Report r;
    begin(&r, loc);
    if (macro >= sizeof macro_texts / sizeof macro_texts[0])
        macro = RT_PANIC_PANIC;
    if (macro == RT_PANIC_ASSERT) {
        put(&r, macro_texts[macro].text, macro_texts[macro].len);
    } else if (!t) {
        put(&r, macro_texts[macro].text, macro_texts[macro].len);
    } else if (macro != RT_PANIC_PANIC) {
        put(&r, macro_texts[macro].text, macro_texts[macro].len);
        put(&r, ": ", 2);
    }
    if (t)
        rt_write_fmt(&r.sink, t, args);
    finish(&r);
}

_Noreturn void rt_panic_assert_cmp(const RtLocation *loc, bool ne, const RtArg operands[2],
                                   const RtTemplate *t, const RtArg *args)
{
    Report r;
    begin(&r, loc);
    put(&r, ne ? "assertion `left != right` failed" : "assertion `left == right` failed", 32);
    if (t) {
        put(&r, ": ", 2);
        rt_write_fmt(&r.sink, t, args);
    }
    RtFormatter f = {
        .spec = {.fill = ' ', .precision = RT_NO_PRECISION, .kind = RT_KIND_DEBUG},
        .sink = &r.sink,
    };
    put(&r, "\n  left: ", 9);
    operands[0].fmt(operands[0].value, &f, operands[0].ctx);
    put(&r, "\n right: ", 9);
    operands[1].fmt(operands[1].value, &f, operands[1].ctx);
    finish(&r);
}

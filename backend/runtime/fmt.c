/*
 * backend/runtime/fmt.c — Rust's formatting of primitive values (core::fmt).
 *
 * rt_write_fmt walks a template; rt_pad and rt_pad_integral are Formatter::pad and
 * Formatter::pad_integral (fill, alignment, width, precision, sign-aware zero
 * padding); the rt_fmt_<type> formatters of rt.h dispatch on the spec's kind.
 * Decimal digits come two at a time from a table (divisions by constants compile to
 * multiplications); 128-bit values are cut into 19-digit chunks with one `divq` each.
 */
#include "rt_internal.h"

/* ---------------------------------------------------------------- templates */

void rt_write_fmt(RtSink *s, const RtTemplate *t, const RtArg *args)
{
    RtFormatter f = {.sink = s};
    for (uint32_t i = 0; i < t->nspecs; i++) {
        if (i < t->npieces)
            rt_sink_write(s, t->pieces[i].ptr, t->pieces[i].len);
        f.spec = t->specs[i];
        args[i].fmt(args[i].value, &f, args[i].ctx);
    }
    for (uint32_t i = t->nspecs; i < t->npieces; i++)
        rt_sink_write(s, t->pieces[i].ptr, t->pieces[i].len);
}

/* ---------------------------------------------------------------- padding */

uint64_t rt_utf8_count(const char *s, uint64_t len)
{
    uint64_t n = 0;
    for (uint64_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

static void write_fill(RtFormatter *f, uint64_t count)
{
    uint32_t c = f->spec.fill;
    if (c < 0x80) {
        char run[32];
        memset(run, (int)c, sizeof run);
        while (count > 0) {
            uint64_t n = count < sizeof run ? count : sizeof run;
            rt_sink_write(f->sink, run, n);
            count -= n;
        }
        return;
    }
    while (count-- > 0)
        rt_sink_char(f->sink, c);
}

/* Writes the padding before the text and returns how much goes after it
 * (Formatter::padding). */
static uint64_t pre_pad(RtFormatter *f, uint64_t padding, RtAlign default_align)
{
    RtAlign align = f->spec.align == RT_ALIGN_UNKNOWN ? default_align : (RtAlign)f->spec.align;
    uint64_t pre = 0, post = 0;
    switch (align) {
    case RT_ALIGN_LEFT: post = padding; break;
    case RT_ALIGN_CENTER: pre = padding / 2; post = (padding + 1) / 2; break;
    default: pre = padding; break;
    }
    write_fill(f, pre);
    return post;
}

void rt_pad(RtFormatter *f, const char *s, uint64_t len)
{
    if (f->spec.width == 0 && f->spec.precision == RT_NO_PRECISION) {
        rt_sink_write(f->sink, s, len);
        return;
    }
    uint64_t chars;
    if (f->spec.precision != RT_NO_PRECISION) {
        /* Keep at most `precision` chars. */
        uint64_t i = 0;
        chars = 0;
        while (i < len && chars < f->spec.precision) {
            i++;
            while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
                i++;
            chars++;
        }
        len = i;
    } else {
        chars = rt_utf8_count(s, len);
    }
    if (chars >= f->spec.width) {
        rt_sink_write(f->sink, s, len);
        return;
    }
    uint64_t post = pre_pad(f, f->spec.width - chars, RT_ALIGN_LEFT);
    rt_sink_write(f->sink, s, len);
    write_fill(f, post);
}

void rt_pad_integral(RtFormatter *f, bool nonnegative, const char *prefix, const char *digits,
                     uint64_t ndigits)
{
    uint64_t width = ndigits;
    char sign = 0;
    if (!nonnegative)
        sign = '-';
    else if (f->spec.flags & RT_FLAG_PLUS)
        sign = '+';
    width += sign != 0;
    uint64_t prefix_len = 0;
    if ((f->spec.flags & RT_FLAG_ALTERNATE) && prefix) {
        prefix_len = 2;  /* "0x", "0b", "0o" */
        width += prefix_len;
    }
    if (width >= f->spec.width) {
        if (sign)
            rt_sink_write(f->sink, &sign, 1);
        rt_sink_write(f->sink, prefix, prefix_len);
        rt_sink_write(f->sink, digits, ndigits);
        return;
    }
    if (f->spec.flags & RT_FLAG_ZERO) {
        /* Sign and prefix first, then zeros: fill and alignment are ignored. */
        if (sign)
            rt_sink_write(f->sink, &sign, 1);
        rt_sink_write(f->sink, prefix, prefix_len);
        RtSpec saved = f->spec;
        f->spec.fill = '0';
        f->spec.align = RT_ALIGN_RIGHT;
        write_fill(f, f->spec.width - width);
        rt_sink_write(f->sink, digits, ndigits);
        f->spec = saved;
        return;
    }
    uint64_t post = pre_pad(f, f->spec.width - width, RT_ALIGN_RIGHT);
    if (sign)
        rt_sink_write(f->sink, &sign, 1);
    rt_sink_write(f->sink, prefix, prefix_len);
    rt_sink_write(f->sink, digits, ndigits);
    write_fill(f, post);
}

/* ---------------------------------------------------------------- integers */

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Writes v's decimal digits so that they end at end; returns the first one. */
static char *u64_decimal(uint64_t v, char *end)
{
    char *p = end;
    while (v >= 100) {
        uint64_t q = v / 100;
        uint64_t r = v - q * 100;
        p -= 2;
        p[0] = digit_pairs[2 * r];
        p[1] = digit_pairs[2 * r + 1];
        v = q;
    }
    if (v >= 10) {
        p -= 2;
        p[0] = digit_pairs[2 * v];
        p[1] = digit_pairs[2 * v + 1];
    } else {
        *--p = (char)('0' + v);
    }
    return p;
}

char *rt_u128_decimal(unsigned __int128 v, char *end)
{
    const uint64_t chunk = 10000000000000000000ull;  /* 10^19 */
    char *p = end;
    while (v >> 64) {
        uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v, r;
        uint64_t qhi = hi / chunk;
        uint64_t qlo = rt_divq(hi % chunk, lo, chunk, &r);
        v = ((unsigned __int128)qhi << 64) | qlo;
        char *q = u64_decimal(r, p);
        while (q > p - 19)  /* inner chunks keep their leading zeros */
            *--q = '0';
        p = q;
    }
    return u64_decimal((uint64_t)v, p);
}

/* Formats an integer: bits holds the value sign- or zero-extended to 128 bits,
 * type_bits is the type's width (for the two's complement of x/X/b/o). */
static void fmt_int(RtFormatter *f, unsigned __int128 bits, bool is_signed, unsigned type_bits)
{
    unsigned kind = f->spec.kind;
    if (kind == RT_KIND_DEBUG) {
        if (f->spec.flags & RT_FLAG_DEBUG_LOWER_HEX)
            kind = RT_KIND_LOWER_HEX;
        else if (f->spec.flags & RT_FLAG_DEBUG_UPPER_HEX)
            kind = RT_KIND_UPPER_HEX;
        else
            kind = RT_KIND_DISPLAY;
    }
    char buf[130];
    char *end = buf + sizeof buf, *p = end;
    if (kind == RT_KIND_LOWER_HEX || kind == RT_KIND_UPPER_HEX || kind == RT_KIND_BINARY ||
        kind == RT_KIND_OCTAL) {
        if (type_bits < 128)
            bits &= ((unsigned __int128)1 << type_bits) - 1;
        unsigned shift = kind == RT_KIND_BINARY ? 1 : kind == RT_KIND_OCTAL ? 3 : 4;
        const char *digits = kind == RT_KIND_UPPER_HEX ? "0123456789ABCDEF" : "0123456789abcdef";
        unsigned mask = (1u << shift) - 1;
        do {
            *--p = digits[(unsigned)bits & mask];
            bits >>= shift;
        } while (bits);
        const char *prefix = kind == RT_KIND_BINARY ? "0b" : kind == RT_KIND_OCTAL ? "0o" : "0x";
        rt_pad_integral(f, true, prefix, p, (uint64_t)(end - p));
        return;
    }
    bool negative = is_signed && (__int128)bits < 0;
    unsigned __int128 abs = negative ? -bits : bits;
    if ((abs >> 64) == 0)
        p = u64_decimal((uint64_t)abs, end);
    else
        p = rt_u128_decimal(abs, end);
    rt_pad_integral(f, !negative, NULL, p, (uint64_t)(end - p));
}

#define SIGNED_FMT(T, CT, BITS)                                          \
    void rt_fmt_##T(const void *value, RtFormatter *f, const void *ctx)  \
    {                                                                    \
        (void)ctx;                                                       \
        fmt_int(f, (unsigned __int128)(__int128) * (const CT *)value, true, BITS); \
    }
#define UNSIGNED_FMT(T, CT, BITS)                                        \
    void rt_fmt_##T(const void *value, RtFormatter *f, const void *ctx)  \
    {                                                                    \
        (void)ctx;                                                       \
        fmt_int(f, (unsigned __int128) * (const CT *)value, false, BITS); \
    }
SIGNED_FMT(i8, int8_t, 8)
SIGNED_FMT(i16, int16_t, 16)
SIGNED_FMT(i32, int32_t, 32)
SIGNED_FMT(i64, int64_t, 64)
SIGNED_FMT(isize, int64_t, 64)
SIGNED_FMT(i128, __int128, 128)
UNSIGNED_FMT(u8, uint8_t, 8)
UNSIGNED_FMT(u16, uint16_t, 16)
UNSIGNED_FMT(u32, uint32_t, 32)
UNSIGNED_FMT(u64, uint64_t, 64)
UNSIGNED_FMT(usize, uint64_t, 64)
UNSIGNED_FMT(u128, unsigned __int128, 128)

/* ---------------------------------------------------------------- bool, unit */

void rt_fmt_bool(const void *value, RtFormatter *f, const void *ctx)
{
    (void)ctx;
    if (*(const uint8_t *)value)
        rt_pad(f, "true", 4);
    else
        rt_pad(f, "false", 5);
}

void rt_fmt_unit(const void *value, RtFormatter *f, const void *ctx)
{
    (void)value;
    (void)ctx;
    rt_pad(f, "()", 2);
}

/* ---------------------------------------------------------------- char, str */

/* Decodes the UTF-8 char at *p (the input is valid UTF-8) and advances *p. */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    if (c < 0x80) {
        *p = s + 1;
    } else if (c < 0xe0) {
        c = ((c & 0x1f) << 6) | (s[1] & 0x3f);
        *p = s + 2;
    } else if (c < 0xf0) {
        c = ((c & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
        *p = s + 3;
    } else {
        c = ((c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
            ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
        *p = s + 4;
    }
    return c;
}

/* Writes c as char::escape_debug_ext does; quote is the delimiter being escaped
 * ('\'' for a char, '"' for a str). */
static void write_escaped_char(RtSink *s, uint32_t c, uint32_t quote)
{
    char esc[2] = {'\\', 0};
    switch (c) {
    case 0: esc[1] = '0'; break;
    case '\t': esc[1] = 't'; break;
    case '\r': esc[1] = 'r'; break;
    case '\n': esc[1] = 'n'; break;
    case '\\': esc[1] = '\\'; break;
    case '"':
    case '\'':
        if (c == quote)
            esc[1] = (char)c;
        break;
    default: break;
    }
    if (esc[1]) {
        rt_sink_write(s, esc, 2);
    } else if (rt_char_needs_unicode_escape(c)) {
        char buf[10], *end = buf + sizeof buf, *p = end;
        *--p = '}';
        do {
            *--p = "0123456789abcdef"[c & 15];
            c >>= 4;
        } while (c);
        *--p = '{';
        *--p = 'u';
        *--p = '\\';
        rt_sink_write(s, p, (uint64_t)(end - p));
    } else {
        rt_sink_char(s, c);
    }
}

static void write_char_utf8(uint32_t c, char out[4], uint64_t *len)
{
    RtSink tmp = {.buf = out, .cap = 4, .fd = -1};
    rt_sink_char(&tmp, c);
    *len = tmp.len;
}

void rt_fmt_char(const void *value, RtFormatter *f, const void *ctx)
{
    (void)ctx;
    uint32_t c = *(const uint32_t *)value;
    if (f->spec.kind == RT_KIND_DEBUG) {
        rt_sink_write(f->sink, "'", 1);
        write_escaped_char(f->sink, c, '\'');
        rt_sink_write(f->sink, "'", 1);
        return;
    }
    char utf8[4];
    uint64_t len;
    write_char_utf8(c, utf8, &len);
    rt_pad(f, utf8, len);
}

void rt_fmt_str(const void *value, RtFormatter *f, const void *ctx)
{
    (void)ctx;
    const RtStr *str = value;
    if (f->spec.kind != RT_KIND_DEBUG) {
        rt_pad(f, str->ptr, str->len);
        return;
    }
    RtSink *s = f->sink;
    const unsigned char *p = (const unsigned char *)str->ptr, *end = p + str->len;
    rt_sink_write(s, "\"", 1);
    while (p < end) {
        /* A run of printable ASCII goes out in one piece. */
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x7f && *p != '\\' && *p != '"')
            p++;
        if (p > run)
            rt_sink_write(s, (const char *)run, (uint64_t)(p - run));
        if (p < end)
            write_escaped_char(s, utf8_next(&p), '"');
    }
    rt_sink_write(s, "\"", 1);
}

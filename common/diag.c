/*
 * common/diag.c — the source map and rustc-style diagnostics.
 *
 * Columns count characters (UTF-8 scalar values), as rustc's do; tabs in a shown
 * source line are replaced by four spaces, and the caret follows them.
 */
#include "common/common.h"

#include <string.h>

uint32_t srcmap_add(SourceMap *sm, const char *path, const char *text, uint32_t len)
{
    SourceFile f = {.path = path, .text = text, .len = len};
    vec_push(&sm->files, f);
    return sm->files.len - 1;
}

void srcmap_free(SourceMap *sm)
{
    vec_foreach(&sm->files, f) xfree(f->line_starts);
    vec_free(&sm->files);
}

static void build_lines(SourceFile *f)
{
    if (f->line_starts)
        return;
    uint32_t n = 1;
    for (uint32_t i = 0; i < f->len; i++)
        n += f->text[i] == '\n';
    f->line_starts = xmalloc(sizeof(uint32_t) * (n + 1));
    f->line_starts[0] = 0;
    uint32_t k = 1;
    for (uint32_t i = 0; i < f->len; i++)
        if (f->text[i] == '\n')
            f->line_starts[k++] = i + 1;
    f->nlines = n;
}

/* Index of the line holding pos (0-based). */
static uint32_t line_index(SourceFile *f, uint32_t pos)
{
    build_lines(f);
    uint32_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (f->line_starts[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Characters in text[from, to). */
static uint32_t count_chars(const char *text, uint32_t from, uint32_t to)
{
    uint32_t n = 0;
    for (uint32_t i = from; i < to; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

void srcmap_linecol(SourceMap *sm, uint32_t file, uint32_t pos, uint32_t *line, uint32_t *col)
{
    if (file >= sm->files.len)
        die("bad file id %u", file);
    SourceFile *f = &sm->files.data[file];
    if (pos > f->len)
        pos = f->len;
    uint32_t li = line_index(f, pos);
    *line = li + 1;
    *col = count_chars(f->text, f->line_starts[li], pos) + 1;
}

void diag_init(Diag *d, SourceMap *sm)
{
    memset(d, 0, sizeof *d);
    d->sm = sm;
    d->last_gutter = -1;
}

void diag_free(Diag *d) { sb_free(&d->out); }

static const char *level_name(DiagLevel level) { return level == DIAG_ERROR ? "error" : "warning"; }

static bool diag_count(Diag *d, DiagLevel level)
{
    if (level == DIAG_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (level == DIAG_ERROR && d->max_errors && d->errors > d->max_errors) {
        d->last_gutter = -1;
        return false;
    }
    return true;
}

/* Appends the shown form of a source line (tabs as four spaces) and returns, through
 * caret_col/caret_len, the display columns of the byte range [lo, hi) of that line. */
static void show_line(StrBuf *sb, const char *text, uint32_t start, uint32_t end, uint32_t lo,
                      uint32_t hi, uint32_t *caret_col, uint32_t *caret_len)
{
    uint32_t col = 0;
    *caret_col = 0;
    *caret_len = 0;
    for (uint32_t i = start; i <= end; i++) {
        if (i == lo)
            *caret_col = col;
        if (i == end)
            break;
        unsigned char c = (unsigned char)text[i];
        uint32_t width = c == '\t' ? 4 : (c & 0xC0) != 0x80;
        if (c == '\t')
            sb_puts(sb, "    ");
        else if (c != '\r' || i + 1 != end)
            sb_putc(sb, (char)c);
        if (i >= lo && i < hi)
            *caret_len += width;
        col += width;
    }
    if (*caret_len == 0)
        *caret_len = 1;
}

static void emit(Diag *d, DiagLevel level, const char *code, Span span, const char *label,
                 const char *fmt, va_list ap)
{
    if (!diag_count(d, level))
        return;
    StrBuf *sb = &d->out;
    sb_puts(sb, level_name(level));
    if (code)
        sb_printf(sb, "[%s]", code);
    sb_puts(sb, ": ");
    sb_vprintf(sb, fmt, ap);
    sb_putc(sb, '\n');
    if (span.file >= d->sm->files.len)
        die("diagnostic with bad file id %u", span.file);
    SourceFile *f = &d->sm->files.data[span.file];
    uint32_t lo = MIN(span.lo, f->len), hi = MIN(MAX(span.hi, lo), f->len);
    uint32_t line, col;
    srcmap_linecol(d->sm, span.file, lo, &line, &col);
    uint32_t li = line - 1;
    uint32_t start = f->line_starts[li];
    uint32_t end = li + 1 < f->nlines ? f->line_starts[li + 1] - 1 : f->len;
    char num[16];
    int gutter = snprintf(num, sizeof num, "%u", line);
    sb_printf(sb, "%*s--> %s:%u:%u\n", gutter, "", f->path, line, col);
    sb_printf(sb, "%*s |\n", gutter, "");
    sb_printf(sb, "%s | ", num);
    uint32_t caret_col, caret_len;
    show_line(sb, f->text, start, end, lo, MIN(hi, end), &caret_col, &caret_len);
    sb_putc(sb, '\n');
    sb_printf(sb, "%*s | %*s", gutter, "", (int)caret_col, "");
    for (uint32_t i = 0; i < caret_len; i++)
        sb_putc(sb, '^');
    if (label && *label)
        sb_printf(sb, " %s", label);
    sb_puts(sb, "\n\n");
    d->last_gutter = gutter;
}

void diag_vemit(Diag *d, DiagLevel level, Span span, const char *label, const char *fmt, va_list ap)
{
    emit(d, level, NULL, span, label, fmt, ap);
}

void diag_emit_code(Diag *d, DiagLevel level, const char *code, Span span, const char *label,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(d, level, code, span, label, fmt, ap);
    va_end(ap);
}

void diag_emit(Diag *d, DiagLevel level, Span span, const char *label, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(d, level, span, label, fmt, ap);
    va_end(ap);
}

void diag_error(Diag *d, Span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(d, DIAG_ERROR, span, NULL, fmt, ap);
    va_end(ap);
}

void diag_note(Diag *d, const char *kind, const char *fmt, ...)
{
    if (d->last_gutter < 0 || d->out.len == 0)
        return;
    d->out.len--;  /* reopen the message: drop its trailing blank line */
    d->out.data[d->out.len] = 0;
    va_list ap;
    va_start(ap, fmt);
    sb_printf(&d->out, "%*s = %s: ", d->last_gutter, "", kind);
    sb_vprintf(&d->out, fmt, ap);
    va_end(ap);
    sb_puts(&d->out, "\n\n");
}

void diag_plain(Diag *d, DiagLevel level, const char *fmt, ...)
{
    if (!diag_count(d, level))
        return;
    va_list ap;
    va_start(ap, fmt);
    sb_printf(&d->out, "%s: ", level_name(level));
    sb_vprintf(&d->out, fmt, ap);
    va_end(ap);
    sb_puts(&d->out, "\n\n");
    d->last_gutter = 0;
}

void diag_flush(Diag *d, FILE *to)
{
    if (d->out.len) {
        fwrite(d->out.data, 1, d->out.len, to);
        fflush(to);
    }
    sb_clear(&d->out);
}

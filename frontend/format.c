/*
 * frontend/format.c — the built-in macros (print family, panic family, asserts) and
 * their format strings, checked at parse time as rustc expands them.
 *
 * A format string becomes pieces (literal text + one argument with its full spec:
 * fill, alignment, sign, `#`, `0`, width, precision, trait); arguments are the
 * explicit positional ones, then the named ones (`name = expr`), then the names
 * captured from the string (`{x}`), each a PATH expression resolved later. Errors use
 * rustc's wording ("invalid format string: ...", "argument never used", ...).
 */
#include "frontend/parse.h"

#include <string.h>

typedef struct FmtArgs {
    Vec(ExprId) exprs;   /* positional, then named, then captured */
    Vec(Sym) names;      /* parallel: 0 for positional */
    Vec(uint8_t) used;
    uint32_t npos;       /* explicit positional count */
    uint32_t nexplicit;  /* positional + named */
} FmtArgs;

typedef Vec(FeFmtPiece) PieceVec;

typedef struct FmtCtx {
    Parser *p;
    const Token *lit;      /* the format string token */
    const char *s;         /* decoded text */
    uint32_t len;
    bool exact;            /* decoded offsets map 1:1 to the source */
    uint32_t base;         /* source offset of decoded byte 0 when exact */
    FmtArgs *args;
    PieceVec pieces;
    uint32_t next_implicit;
    uint32_t implicit_count;
    Span first_implicit;
    bool bad;
} FmtCtx;

static Span fmt_span(FmtCtx *f, uint32_t lo, uint32_t hi)
{
    if (!f->exact)
        return parse_tok_span(f->p, f->lit);
    return parse_span(f->p, f->base + lo, f->base + hi);
}

static void fmt_error(FmtCtx *f, uint32_t lo, uint32_t hi, const char *label, const char *note,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void fmt_error(FmtCtx *f, uint32_t lo, uint32_t hi, const char *label, const char *note,
                      const char *fmt, ...)
{
    if (f->bad)
        return;
    f->bad = true;
    f->p->errors++;
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(&f->p->sess->diag, DIAG_ERROR, fmt_span(f, lo, hi), label, fmt, ap);
    va_end(ap);
    if (note)
        diag_note(&f->p->sess->diag, "note", "%s", note);
}

/* Finds or adds a named reference: a named argument, else a capture of a variable. */
static uint32_t named_ref(FmtCtx *f, const char *name, uint32_t n, uint32_t at)
{
    Sym sym = intern(&f->p->sess->names, name, n);
    for (uint32_t i = f->args->npos; i < f->args->exprs.len; i++)
        if (f->args->names.data[i] == sym) {
            f->args->used.data[i] = 1;
            return i;
        }
    /* an inline capture: a path expression naming the variable */
    Span sp = fmt_span(f, at, at + n);
    ExprId e = parse_new_expr(f->p, FE_EXPR_PATH, sp);
    FePathSeg seg = {sym, sp};
    fe_expr(f->p->c, e)->path = parse_new_path(f->p, &seg, 1, false, sp);
    vec_push(&f->args->exprs, e);
    vec_push(&f->args->names, sym);
    vec_push(&f->args->used, 1);
    return f->args->exprs.len - 1;
}

static bool is_id_start(char c) { return c == '_' || ((c | 32) >= 'a' && (c | 32) <= 'z') || (unsigned char)c >= 0x80; }
static bool is_id_char(char c) { return is_id_start(c) || (c >= '0' && c <= '9'); }

static uint32_t positional_ref(FmtCtx *f, uint64_t idx, uint32_t at, uint32_t hi)
{
    if (idx >= f->args->npos) {
        const char *note = "positional arguments are zero-based";
        if (f->args->npos == 0)
            fmt_error(f, at, hi, NULL, note, "invalid reference to positional argument %llu (no arguments were given)",
                      (unsigned long long)idx);
        else
            fmt_error(f, at, hi, NULL, note, "invalid reference to positional argument %llu (there %s %u argument%s)",
                      (unsigned long long)idx, f->args->npos == 1 ? "is" : "are", f->args->npos,
                      f->args->npos == 1 ? "" : "s");
        return 0;
    }
    f->args->used.data[idx] = 1;
    return (uint32_t)idx;
}

static uint32_t implicit_ref(FmtCtx *f, uint32_t at, uint32_t hi)
{
    if (f->implicit_count++ == 0)
        f->first_implicit = fmt_span(f, at, hi);
    uint32_t idx = f->next_implicit++;
    if (idx < f->args->npos) {
        f->args->used.data[idx] = 1;
        return idx;
    }
    return 0;  /* counted; reported once all placeholders are known */
}

/* A count (width or precision): integer, or argument `$`. Returns its kind. */
static int parse_count(FmtCtx *f, uint32_t *i, uint32_t *value)
{
    const char *s = f->s;
    uint32_t start = *i;
    if (*i < f->len && s[*i] >= '0' && s[*i] <= '9') {
        uint64_t v = 0;
        while (*i < f->len && s[*i] >= '0' && s[*i] <= '9') {
            v = v * 10 + (uint64_t)(s[*i] - '0');
            if (v > 0xFFFF)
                v = 0x10000;
            (*i)++;
        }
        if (*i < f->len && s[*i] == '$') {
            (*i)++;
            *value = positional_ref(f, v, start, *i - 1);
            return FE_COUNT_ARG;
        }
        if (v > 0xFFFF) {
            fmt_error(f, start, *i, NULL, NULL, "invalid format string: integer `%llu` does not fit into the type `u16` whose range is `0..=65535`", (unsigned long long)v);
            return FE_COUNT_NONE;
        }
        *value = (uint32_t)v;
        return FE_COUNT_LIT;
    }
    if (*i < f->len && is_id_start(s[*i])) {
        uint32_t j = *i;
        while (j < f->len && is_id_char(s[j]))
            j++;
        if (j < f->len && s[j] == '$') {
            *value = named_ref(f, s + *i, j - *i, *i);
            *i = j + 1;
            return FE_COUNT_ARG;
        }
    }
    return FE_COUNT_NONE;
}

static void utf8_at(const char *s, uint32_t len, uint32_t i, uint32_t *cp, uint32_t *w)
{
    *w = lex_utf8_decode((const unsigned char *)s + i, len - i, cp);
    if (!*w)
        *w = 1, *cp = (unsigned char)s[i];
}

/* Parses `{...}` starting after the `{` at open; *i ends after the `}`. */
static void parse_placeholder(FmtCtx *f, uint32_t open, uint32_t *i, FeFmtPiece *pc)
{
    const char *s = f->s;
    pc->has_arg = true;
    pc->fill = ' ';
    /* argument */
    uint32_t j = *i;
    bool have_arg = false;
    if (j < f->len && s[j] >= '0' && s[j] <= '9') {
        uint64_t v = 0;
        while (j < f->len && s[j] >= '0' && s[j] <= '9') {
            v = v * 10 + (uint64_t)(s[j] - '0');
            if (v > ((uint64_t)1 << 40))
                v = (uint64_t)1 << 40;
            j++;
        }
        pc->arg = positional_ref(f, v, *i, j);
        have_arg = true;
    } else if (j < f->len && is_id_start(s[j])) {
        while (j < f->len && is_id_char(s[j]))
            j++;
        if (j - *i == 1 && s[*i] == '_') {
            fmt_error(f, *i, j, NULL, NULL, "invalid format string: invalid argument name `_`");
            return;
        }
        pc->arg = named_ref(f, s + *i, j - *i, *i);
        have_arg = true;
    }
    *i = j;
    uint32_t implicit_at = open;
    if (*i < f->len && s[*i] == ':') {
        (*i)++;
        /* fill and alignment */
        uint32_t cp, w;
        if (*i < f->len) {
            utf8_at(s, f->len, *i, &cp, &w);
            char next = *i + w < f->len ? s[*i + w] : 0;
            if (next == '<' || next == '^' || next == '>') {
                pc->fill = cp;
                *i += w;
            }
        }
        if (*i < f->len && (s[*i] == '<' || s[*i] == '^' || s[*i] == '>')) {
            pc->align = s[*i] == '<' ? FE_ALIGN_LEFT : s[*i] == '^' ? FE_ALIGN_CENTER : FE_ALIGN_RIGHT;
            (*i)++;
        }
        if (*i < f->len && (s[*i] == '+' || s[*i] == '-')) {
            pc->flags |= s[*i] == '+' ? FE_FMT_PLUS : FE_FMT_MINUS;
            (*i)++;
        }
        if (*i < f->len && s[*i] == '#') {
            pc->flags |= FE_FMT_ALT;
            (*i)++;
        }
        if (*i < f->len && s[*i] == '0' && !(*i + 1 < f->len && s[*i + 1] == '$')) {
            pc->flags |= FE_FMT_ZERO;
            (*i)++;
        }
        pc->width_kind = (uint8_t)parse_count(f, i, &pc->width);
        if (*i < f->len && s[*i] == '.') {
            (*i)++;
            if (*i < f->len && s[*i] == '*') {
                /* .* takes the precision from the next positional argument */
                (*i)++;
                pc->prec_kind = FE_COUNT_ARG;
                pc->prec = implicit_ref(f, *i - 2, *i);
            } else {
                pc->prec_kind = (uint8_t)parse_count(f, i, &pc->prec);
                if (pc->prec_kind == FE_COUNT_NONE) {
                    fmt_error(f, *i, *i + 1, "expected `}` in format string", NULL,
                              "invalid format string: expected `}`, found `%c`", *i < f->len ? s[*i] : ' ');
                    return;
                }
            }
        }
        /* trait */
        uint32_t t0 = *i;
        while (*i < f->len && (is_id_char(s[*i]) || s[*i] == '?'))
            (*i)++;
        uint32_t tn = *i - t0;
        const char *ts = s + t0;
        if (tn == 0)
            pc->trait = FE_FMT_DISPLAY;
        else if (tn == 1 && ts[0] == '?')
            pc->trait = FE_FMT_DEBUG;
        else if (tn == 1 && ts[0] == 'x')
            pc->trait = FE_FMT_LOWER_HEX;
        else if (tn == 1 && ts[0] == 'X')
            pc->trait = FE_FMT_UPPER_HEX;
        else if (tn == 1 && ts[0] == 'b')
            pc->trait = FE_FMT_BINARY;
        else if (tn == 1 && ts[0] == 'o')
            pc->trait = FE_FMT_OCTAL;
        else if (tn == 1 && (ts[0] == 'e' || ts[0] == 'E')) {
            f->p->errors++;
            diag_emit(&f->p->sess->diag, DIAG_ERROR, fmt_span(f, t0, *i), NULL,
                      "unsupported: exponent formatting (`{:e}`, `{:E}`)");
            f->bad = true;
            return;
        } else if (tn == 2 && (ts[0] == 'x' || ts[0] == 'X') && ts[1] == '?') {
            f->p->errors++;
            diag_emit(&f->p->sess->diag, DIAG_ERROR, fmt_span(f, t0, *i), NULL,
                      "unsupported: hexadecimal `Debug` formatting (`{:x?}`)");
            f->bad = true;
            return;
        } else if (tn == 1 && ts[0] == 'p') {
            f->p->errors++;
            diag_emit(&f->p->sess->diag, DIAG_ERROR, fmt_span(f, t0, *i), NULL,
                      "unsupported: pointer formatting (`{:p}`)");
            f->bad = true;
            return;
        } else {
            fmt_error(f, t0, *i, NULL,
                      "the only appropriate formatting traits are:\n"
                      "           - ``, which uses the `Display` trait\n"
                      "           - `?`, which uses the `Debug` trait\n"
                      "           - `e`, which uses the `LowerExp` trait\n"
                      "           - `E`, which uses the `UpperExp` trait\n"
                      "           - `o`, which uses the `Octal` trait\n"
                      "           - `p`, which uses the `Pointer` trait\n"
                      "           - `b`, which uses the `Binary` trait\n"
                      "           - `x`, which uses the `LowerHex` trait\n"
                      "           - `X`, which uses the `UpperHex` trait",
                      "unknown format trait `%.*s`", (int)MIN(tn, 40u), ts);
            return;
        }
    }
    if (*i >= f->len) {
        fmt_error(f, f->len, f->len, "expected `}` in format string",
                  "if you intended to print `{`, you can escape it using `{{`",
                  "invalid format string: expected `}` but string was terminated");
        return;
    }
    if (f->s[*i] != '}') {
        uint32_t cp, w;
        utf8_at(s, f->len, *i, &cp, &w);
        fmt_error(f, *i, *i + w, "expected `}` in format string",
                  "if you intended to print `{`, you can escape it using `{{`",
                  "invalid format string: expected `}`, found `%.*s`", (int)w, s + *i);
        return;
    }
    (*i)++;
    if (!have_arg)
        pc->arg = implicit_ref(f, implicit_at, *i);
}

/* Parses a format string literal (the token at lit) into pieces, with args. */
static void parse_format(FmtCtx *f)
{
    Parser *p = f->p;
    StrBuf text = {0};
    const char *s = f->s;
    uint32_t i = 0;
    while (i < f->len && !f->bad) {
        char ch = s[i];
        if (ch == '{') {
            if (i + 1 < f->len && s[i + 1] == '{') {
                sb_putc(&text, '{');
                i += 2;
                continue;
            }
            FeFmtPiece pc = {0};
            uint32_t open = i++;
            parse_placeholder(f, open, &i, &pc);
            pc.text = arena_strndup(&p->sess->arena, text.data ? text.data : "", text.len);
            pc.len = (uint32_t)text.len;
            sb_clear(&text);
            vec_push(&f->pieces, pc);
            continue;
        }
        if (ch == '}') {
            if (i + 1 < f->len && s[i + 1] == '}') {
                sb_putc(&text, '}');
                i += 2;
                continue;
            }
            fmt_error(f, i, i + 1, "unmatched `}` in format string",
                      "if you intended to print `}`, you can escape it using `}}`",
                      "invalid format string: unmatched `}` found");
            break;
        }
        uint32_t j = i;
        while (j < f->len && s[j] != '{' && s[j] != '}')
            j++;
        sb_append(&text, s + i, j - i);
        i = j;
    }
    if (text.len || f->pieces.len == 0) {
        FeFmtPiece pc = {0};
        pc.text = arena_strndup(&p->sess->arena, text.data ? text.data : "", text.len);
        pc.len = (uint32_t)text.len;
        vec_push(&f->pieces, pc);
    }
    sb_free(&text);
}

/* Appends literal text to the last piece (println's newline). */
static void append_text(Parser *p, PieceVec *pieces, const char *add)
{
    FeFmtPiece *last = &pieces->data[pieces->len - 1];
    if (last->has_arg) {
        FeFmtPiece pc = {0};
        pc.text = "";
        vec_push(pieces, pc);
        last = &pieces->data[pieces->len - 1];
    }
    last->text = arena_printf(&p->sess->arena, "%.*s%s", (int)last->len, last->text, add);
    last->len += (uint32_t)strlen(add);
}

static const struct { const char *name; int kind; } macros[] = {
    {"print", FE_MAC_PRINT}, {"println", FE_MAC_PRINTLN}, {"eprint", FE_MAC_EPRINT},
    {"eprintln", FE_MAC_EPRINTLN}, {"panic", FE_MAC_PANIC}, {"assert", FE_MAC_ASSERT},
    {"assert_eq", FE_MAC_ASSERT_EQ}, {"assert_ne", FE_MAC_ASSERT_NE},
    {"unreachable", FE_MAC_UNREACHABLE}, {"todo", FE_MAC_TODO},
};

static void not_a_literal(Parser *p, ExprId e)
{
    p->errors++;
    diag_emit(&p->sess->diag, DIAG_ERROR, fe_expr(p->c, e)->span, NULL,
              "format argument must be a string literal");
}

/* The format string and its arguments, up to the closing delimiter; false after an
 * error. At entry the current token is the string literal. */
static bool format_and_args(Parser *p, FeMacro *m, int close, bool newline)
{
    const Token *lit = parse_next(p);
    FmtArgs args = {0};
    /* arguments first: placeholders refer to them */
    while (parse_eat(p, TK_COMMA) && parse_kind(p) != close && !p->failed) {
        Sym name = 0;
        if (parse_kind(p) == TK_IDENT && parse_peek(p, 1)->kind == TK_EQ &&
            parse_peek(p, 2)->kind != TK_EQ) {
            name = parse_tok_sym(p, parse_next(p));
            parse_next(p);
        } else if (args.exprs.len > args.npos) {
            ExprId bad = parse_expr(p);
            parse_error_at(p, fe_expr(p->c, bad)->span, NULL, "positional arguments cannot follow named arguments");
            continue;
        }
        ExprId e = parse_expr(p);
        vec_push(&args.exprs, e);
        vec_push(&args.names, name);
        vec_push(&args.used, 0);
        if (!name)
            args.npos++;
    }
    args.nexplicit = args.exprs.len;
    if (p->failed || !parse_expect(p, close)) {
        vec_free(&args.exprs), vec_free(&args.names), vec_free(&args.used);
        return false;
    }
    StrBuf text = {0};
    lex_decode(p->text, lit, &text);
    FmtCtx f = {0};
    f.p = p;
    f.lit = lit;
    f.s = text.data ? text.data : "";
    f.len = (uint32_t)text.len;
    f.args = &args;
    /* source offsets map 1:1 when there are no escapes */
    uint32_t open = lit->lo;
    while (p->text[open] != '"')
        open++;
    f.base = open + 1;
    f.exact = (lit->flags & LEX_RAW) || !memchr(p->text + lit->lo, '\\', lit->hi - lit->lo);
    parse_format(&f);
    bool ok = !f.bad;
    if (ok && f.implicit_count > args.npos) {
        p->errors++;
        ok = false;
        char msg[160];
        snprintf(msg, sizeof msg, "%u positional argument%s in format string, but %s", f.implicit_count,
                 f.implicit_count == 1 ? "" : "s",
                 args.npos == 0 ? "no arguments were given"
                 : args.npos == 1 ? "there is 1 argument" : "there are");
        if (args.npos > 1)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg), " %u arguments", args.npos);
        diag_emit(&p->sess->diag, DIAG_ERROR, f.first_implicit, NULL, "%s", msg);
    }
    if (ok) {
        uint32_t unused = 0, first = 0;
        for (uint32_t i = 0; i < args.nexplicit; i++)
            if (!args.used.data[i] && unused++ == 0)
                first = i;
        if (unused) {
            p->errors++;
            ok = false;
            Span sp = fe_expr(p->c, args.exprs.data[first])->span;
            if (unused > 1)
                diag_emit(&p->sess->diag, DIAG_ERROR, sp, "argument never used", "multiple unused formatting arguments");
            else if (args.names.data[first])
                diag_emit(&p->sess->diag, DIAG_ERROR, sp, "named argument never used", "named argument never used");
            else
                diag_emit(&p->sess->diag, DIAG_ERROR, sp, "argument never used", "argument never used");
        }
    }
    if (newline)
        append_text(p, &f.pieces, "\n");
    m->has_format = true;
    m->npieces = f.pieces.len;
    m->pieces = arena_new(&p->sess->arena, FeFmtPiece, f.pieces.len ? f.pieces.len : 1);
    memcpy(m->pieces, f.pieces.data, f.pieces.len * sizeof(FeFmtPiece));
    m->nargs = args.exprs.len;
    m->args = parse_list(p, args.exprs.data, args.exprs.len);
    m->fmt_span = parse_tok_span(p, lit);
    vec_free(&f.pieces);
    sb_free(&text);
    vec_free(&args.exprs), vec_free(&args.names), vec_free(&args.used);
    return ok;
}

static bool at_string(Parser *p) { return parse_kind(p) == TK_STR; }

/* The format string and its arguments, up to close; anything but a string literal in
 * the format's place is an error (rustc's), and the macro is skipped to close. */
static bool format_or_not(Parser *p, FeMacro *m, int close, bool newline)
{
    if (at_string(p))
        return format_and_args(p, m, close, newline);
    ExprId e = parse_expr(p);
    if (!p->failed)
        not_a_literal(p, e);
    while (parse_kind(p) != close && parse_kind(p) != TK_EOF)
        parse_next(p);
    parse_eat(p, close);
    return false;
}

ExprId parse_macro(Parser *p)
{
    const Token *name = parse_next(p);
    parse_next(p);  /* ! */
    uint32_t lo = name->lo;
    int kind = -1;
    for (size_t i = 0; i < ARRAY_LEN(macros); i++)
        if (strlen(macros[i].name) == name->hi - name->lo &&
            memcmp(macros[i].name, p->text + name->lo, name->hi - name->lo) == 0)
            kind = macros[i].kind;
    if (kind < 0) {
        char what[80];
        snprintf(what, sizeof what, "the macro `%.*s!`", (int)MIN(name->hi - name->lo, 40u), p->text + name->lo);
        parse_unsupported(p, parse_span(p, lo, name->hi + 1), what);
        parse_skip_group(p);
        return parse_new_expr(p, FE_EXPR_ERROR, parse_span(p, lo, p->prev_hi));
    }
    int open = parse_kind(p);
    int close = open == TK_LPAREN ? TK_RPAREN : open == TK_LBRACKET ? TK_RBRACKET : TK_RBRACE;
    parse_next(p);
    FeMacro *m = arena_new(&p->sess->arena, FeMacro, 1);
    m->kind = (uint8_t)kind;
    bool ok = true;
    bool newline = kind == FE_MAC_PRINTLN || kind == FE_MAC_EPRINTLN;
    switch (kind) {
    case FE_MAC_PRINT: case FE_MAC_PRINTLN: case FE_MAC_EPRINT: case FE_MAC_EPRINTLN:
    case FE_MAC_PANIC: case FE_MAC_UNREACHABLE: case FE_MAC_TODO:
        if (parse_eat(p, close)) {
            if (kind == FE_MAC_PRINT || kind == FE_MAC_EPRINT) {
                parse_error_at(p, parse_span(p, lo, p->prev_hi), NULL, "requires at least a format string argument");
                ok = false;
            } else if (newline) {
                m->has_format = true;
                m->npieces = 1;
                m->pieces = arena_new(&p->sess->arena, FeFmtPiece, 1);
                m->pieces[0].text = "\n";
                m->pieces[0].len = 1;
            }
            break;
        }
        ok = format_or_not(p, m, close, newline);
        break;
    case FE_MAC_ASSERT: {
        ExprId cond = parse_expr(p);
        m->cond = cond;
        StrBuf sb = {0};
        dump_expr_source(p->c, cond, &sb);
        m->cond_text = arena_strndup(&p->sess->arena, sb.data ? sb.data : "", sb.len);
        m->cond_len = (uint32_t)sb.len;
        sb_free(&sb);
        if (parse_eat(p, TK_COMMA) && parse_kind(p) != close) {
            ok = format_or_not(p, m, close, false);
            break;
        }
        ok = parse_expect(p, close);
        break;
    }
    case FE_MAC_ASSERT_EQ:
    case FE_MAC_ASSERT_NE:
        m->left = parse_expr(p);
        if (!parse_expect(p, TK_COMMA)) {
            ok = false;
            break;
        }
        m->right = parse_expr(p);
        if (parse_eat(p, TK_COMMA) && parse_kind(p) != close) {
            ok = format_or_not(p, m, close, false);
            break;
        }
        ok = parse_expect(p, close);
        break;
    }
    ExprId e = parse_new_expr(p, ok ? FE_EXPR_MACRO : FE_EXPR_ERROR, parse_span(p, lo, p->prev_hi));
    fe_expr(p->c, e)->op = (uint8_t)kind;
    fe_expr(p->c, e)->mac = m;
    return e;
}

/*
 * frontend/parse.c — tokens to the tree: items, module files, types, patterns,
 * statements and expressions with Rust's precedence.
 *
 * Recursive descent with a nesting limit (sess->max_depth): deeper input gets one
 * clear error instead of a stack overflow. Constructs outside the subset are parsed
 * far enough to be skipped and reported as `unsupported: <what>`. After a syntax
 * error the parser skips to the next item, so each item reports its first error.
 * Module files: `mod x;` in a crate root or a mod.rs file loads dir/x.rs or
 * dir/x/mod.rs; in any other file y.rs it loads y/x.rs or y/x/mod.rs; inline
 * modules add their name to the directory, as rustc does.
 */
#include "frontend/parse.h"

#include <string.h>

/* ---------------------------------------------------------------- tokens */

const Token *parse_peek(Parser *p, uint32_t ahead)
{
    uint32_t i = p->pos + ahead;
    return &p->toks[i < p->ntoks ? i : p->ntoks - 1];
}

int parse_kind(Parser *p) { return p->toks[p->pos].kind; }

const Token *parse_next(Parser *p)
{
    const Token *t = &p->toks[p->pos];
    if (p->pos + 1 < p->ntoks)
        p->pos++;
    p->prev_hi = t->hi;
    return t;
}

bool parse_eat(Parser *p, int kind)
{
    if (parse_kind(p) != kind)
        return false;
    parse_next(p);
    return true;
}

Span parse_span(Parser *p, uint32_t lo, uint32_t hi) { return (Span){p->file, lo, hi}; }
Span parse_tok_span(Parser *p, const Token *t) { return parse_span(p, t->lo, t->hi); }

/* Reports a syntax error at the current token, once per item. */
void parse_error_at(Parser *p, Span span, const char *label, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    p->errors++;
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(&p->sess->diag, DIAG_ERROR, span, label, fmt, ap);
    va_end(ap);
}

/* "expected X, found `tok`" at the current token. */
void parse_expected(Parser *p, const char *what)
{
    const Token *t = parse_peek(p, 0);
    char found[96];
    if (t->kind == TK_EOF)
        snprintf(found, sizeof found, "<eof>");
    else if (t->kind == TK_IDENT || t->kind == TK_INT || t->kind == TK_FLOAT || t->kind == TK_LIFETIME)
        snprintf(found, sizeof found, "`%.*s`", (int)MIN(t->hi - t->lo, 40u), p->text + t->lo);
    else if (lex_is_keyword(t->kind))
        snprintf(found, sizeof found, "keyword `%s`", lex_spelling(t->kind));
    else if (t->kind >= TK_CHAR && t->kind <= TK_BYTE_STR)
        snprintf(found, sizeof found, "%s", lex_spelling(t->kind));
    else
        snprintf(found, sizeof found, "`%s`", lex_spelling(t->kind));
    char label[80];
    snprintf(label, sizeof label, "expected %s", what);
    Span sp = parse_tok_span(p, t);
    if (t->kind == TK_EOF && t->lo > 0)
        sp.lo = sp.hi = t->lo;
    if (p->expecting_token && p->pos > 0 && memchr(p->text + p->prev_hi, '\n', t->lo - MIN(p->prev_hi, t->lo)))
        sp.lo = sp.hi = p->prev_hi;  /* rustc: just after the previous token */
    parse_error_at(p, sp, label, "expected %s, found %s", what, found);
}

bool parse_expect(Parser *p, int kind)
{
    if (parse_eat(p, kind))
        return true;
    char what[32];
    snprintf(what, sizeof what, "`%s`", lex_spelling(kind));
    p->expecting_token = true;
    parse_expected(p, what);
    p->expecting_token = false;
    return false;
}

void parse_unsupported(Parser *p, Span span, const char *what)
{
    p->errors++;
    diag_emit(&p->sess->diag, DIAG_ERROR, span, NULL, "unsupported: %s", what);
}

Sym parse_tok_sym(Parser *p, const Token *t)
{
    uint32_t lo = t->lo;
    if (t->kind == TK_IDENT && (t->flags & LEX_RAW))
        lo += 2;
    return intern(&p->sess->names, p->text + lo, t->hi - lo);
}

/* Skips a balanced group starting at an opening delimiter. */
void parse_skip_group(Parser *p)
{
    int depth = 0;
    do {
        int k = parse_kind(p);
        if (k == TK_EOF)
            return;
        if (k == TK_LPAREN || k == TK_LBRACKET || k == TK_LBRACE)
            depth++;
        else if (k == TK_RPAREN || k == TK_RBRACKET || k == TK_RBRACE)
            depth--;
        parse_next(p);
    } while (depth > 0);
}

/* Skips generic arguments <...> (`>>` closes two). */
void parse_skip_angles(Parser *p)
{
    int depth = 0;
    do {
        int k = parse_kind(p);
        if (k == TK_EOF || k == TK_SEMI || k == TK_LBRACE)
            return;
        if (k == TK_LT)
            depth++;
        else if (k == TK_SHL)
            depth += 2;
        else if (k == TK_GT)
            depth--;
        else if (k == TK_SHR)
            depth -= 2;
        else if (k == TK_LPAREN || k == TK_LBRACKET) {
            parse_skip_group(p);
            continue;
        }
        parse_next(p);
    } while (depth > 0);
}

/* At `<`: when the list holds only lifetimes (`<'a, 'b: 'a>`, `<'_>`), the number of
 * tokens through the closing `>`; else 0. Lifetimes are accepted and ignored. */
uint32_t parse_lifetimes_only(Parser *p)
{
    uint32_t i = 1;
    if (parse_peek(p, 0)->kind != TK_LT)
        return 0;
    for (;;) {
        if (parse_peek(p, i)->kind != TK_LIFETIME)
            return 0;
        i++;
        if (parse_peek(p, i)->kind == TK_COLON) {  /* bounds: 'b: 'a + 'c */
            i++;
            if (parse_peek(p, i)->kind != TK_LIFETIME)
                return 0;
            i++;
            while (parse_peek(p, i)->kind == TK_PLUS && parse_peek(p, i + 1)->kind == TK_LIFETIME)
                i += 2;
        }
        if (parse_peek(p, i)->kind == TK_COMMA)
            i++;
        if (parse_peek(p, i)->kind == TK_GT)
            return i + 1;
        if (i > 64)
            return 0;
    }
}

/* Skips n tokens. */
static void skip_tokens(Parser *p, uint32_t n)
{
    while (n--)
        parse_next(p);
}

/* The depth guard: false (after one error) when nesting is too deep. */
bool parse_enter(Parser *p)
{
    if (++p->depth <= p->sess->max_depth)
        return true;
    if (!p->depth_reported) {
        p->depth_reported = true;
        p->failed = false;
        parse_error_at(p, parse_tok_span(p, parse_peek(p, 0)), NULL,
                       "nesting too deep: more than %u levels of expressions, blocks, types or patterns",
                       p->sess->max_depth);
    }
    p->failed = true;
    return false;
}

/* ---------------------------------------------------------------- nodes */

ExprId parse_new_expr(Parser *p, int kind, Span span)
{
    ExprId id = fe_store_new(&p->c->exprs);
    FeExpr *e = fe_expr(p->c, id);
    e->kind = (uint8_t)kind;
    e->span = span;
    return id;
}

static TyxId new_tyx(Parser *p, int kind, Span span)
{
    TyxId id = fe_store_new(&p->c->tyxs);
    FeTyx *t = fe_tyx(p->c, id);
    t->kind = (uint8_t)kind;
    t->span = span;
    return id;
}

static PatId new_pat(Parser *p, int kind, Span span)
{
    PatId id = fe_store_new(&p->c->pats);
    FePat *t = fe_pat(p->c, id);
    t->kind = (uint8_t)kind;
    t->span = span;
    return id;
}

/* Copies a scratch list of ids into the arena. */
uint32_t *parse_list(Parser *p, const uint32_t *ids, uint32_t n)
{
    if (!n)
        return NULL;
    uint32_t *out = arena_alloc(&p->sess->arena, n * sizeof(uint32_t));
    memcpy(out, ids, n * sizeof(uint32_t));
    return out;
}

/* ---------------------------------------------------------------- paths */

FePath *parse_new_path(Parser *p, const FePathSeg *segs, uint32_t n, bool global, Span span)
{
    /* the path and its segments in one allocation */
    FePath *path = arena_alloc(&p->sess->arena, sizeof(FePath) + (n ? n : 1) * sizeof(FePathSeg));
    path->nsegs = n;
    path->global = global;
    path->segs = (FePathSeg *)(path + 1);
    if (n)
        memcpy(path->segs, segs, n * sizeof(FePathSeg));
    path->span = span;
    return path;
}

static bool is_path_start(int k)
{
    return k == TK_IDENT || k == TK_KW_CRATE || k == TK_KW_SELF || k == TK_KW_SUPER ||
           k == TK_KW_SELF_TY || k == TK_PATHSEP;
}

/* A path a::b::c (no generic arguments; `<` after a segment is reported). In
 * expression context `turbofish` marks `::<` as unsupported too. */
FePath *parse_path(Parser *p)
{
    FePathSeg segs[64];
    uint32_t n = 0;
    uint32_t lo = parse_peek(p, 0)->lo;
    bool global = parse_eat(p, TK_PATHSEP);
    for (;;) {
        const Token *t = parse_peek(p, 0);
        if (!(t->kind == TK_IDENT || t->kind == TK_KW_CRATE || t->kind == TK_KW_SELF ||
              t->kind == TK_KW_SUPER || t->kind == TK_KW_SELF_TY)) {
            parse_expected(p, "identifier");
            break;
        }
        parse_next(p);
        if (n == ARRAY_LEN(segs)) {
            parse_error_at(p, parse_tok_span(p, t), NULL, "path has too many segments");
            break;
        }
        segs[n++] = (FePathSeg){parse_tok_sym(p, t), parse_tok_span(p, t)};
        if (parse_kind(p) == TK_PATHSEP && parse_peek(p, 1)->kind == TK_LT) {
            const Token *lt = parse_peek(p, 1);
            parse_unsupported(p, parse_tok_span(p, lt), "generic arguments");
            parse_next(p);
            parse_skip_angles(p);
            if (parse_kind(p) != TK_PATHSEP)
                break;
        }
        if (parse_kind(p) != TK_PATHSEP || !is_path_start(parse_peek(p, 1)->kind) ||
            parse_peek(p, 1)->kind == TK_PATHSEP)
            break;
        parse_next(p);
    }
    return parse_new_path(p, segs, n, global, parse_span(p, lo, p->prev_hi));
}

/* ---------------------------------------------------------------- types */

static const char *unsupported_type_word(const Token *t)
{
    switch (t->kind) {
    case TK_KW_DYN: return "trait objects (`dyn`)";
    case TK_KW_IMPL: return "`impl Trait` types";
    case TK_KW_FN: return "function pointer types";
    case TK_STAR: return "raw pointers";
    case TK_KW_UNSAFE: case TK_KW_EXTERN: return "function pointer types";
    case TK_LT: return "qualified paths";
    default: return NULL;
    }
}

TyxId parse_type(Parser *p)
{
    const Token *t = parse_peek(p, 0);
    if (!parse_enter(p)) {
        p->depth--;
        return new_tyx(p, FE_TYX_ERROR, parse_tok_span(p, t));
    }
    TyxId id = 0;
    uint32_t lo = t->lo;
    switch (t->kind) {
    case TK_AMP:
    case TK_AND_AND: {
        parse_next(p);
        if (parse_kind(p) == TK_LIFETIME)
            parse_next(p);
        bool mut = parse_eat(p, TK_KW_MUT);
        TyxId inner = parse_type(p);
        id = new_tyx(p, FE_TYX_REF, parse_span(p, lo, p->prev_hi));
        fe_tyx(p->c, id)->inner = inner;
        fe_tyx(p->c, id)->mut = mut;
        if (t->kind == TK_AND_AND) {
            TyxId outer = new_tyx(p, FE_TYX_REF, parse_span(p, lo, p->prev_hi));
            fe_tyx(p->c, outer)->inner = id;
            id = outer;
        }
        break;
    }
    case TK_LBRACKET: {
        parse_next(p);
        TyxId inner = parse_type(p);
        if (parse_eat(p, TK_SEMI)) {
            ExprId len = parse_expr(p);
            parse_expect(p, TK_RBRACKET);
            id = new_tyx(p, FE_TYX_ARRAY, parse_span(p, lo, p->prev_hi));
            fe_tyx(p->c, id)->len = len;
        } else {
            parse_expect(p, TK_RBRACKET);
            id = new_tyx(p, FE_TYX_SLICE, parse_span(p, lo, p->prev_hi));
        }
        fe_tyx(p->c, id)->inner = inner;
        break;
    }
    case TK_LPAREN: {
        parse_next(p);
        uint32_t elems[256];
        uint32_t n = 0;
        bool comma = false;
        while (parse_kind(p) != TK_RPAREN && parse_kind(p) != TK_EOF && !p->failed) {
            TyxId e = parse_type(p);
            if (n < ARRAY_LEN(elems))
                elems[n++] = e;
            else
                parse_error_at(p, fe_tyx(p->c, e)->span, NULL, "tuple type has too many elements");
            comma = parse_eat(p, TK_COMMA);
            if (!comma)
                break;
        }
        parse_expect(p, TK_RPAREN);
        if (n == 1 && !comma) {
            id = elems[0];  /* parenthesized type */
            break;
        }
        id = new_tyx(p, FE_TYX_TUPLE, parse_span(p, lo, p->prev_hi));
        fe_tyx(p->c, id)->elems = parse_list(p, elems, n);
        fe_tyx(p->c, id)->n = n;
        break;
    }
    case TK_NOT:
        parse_next(p);
        id = new_tyx(p, FE_TYX_NEVER, parse_tok_span(p, t));
        break;
    case TK_UNDERSCORE:
        parse_next(p);
        id = new_tyx(p, FE_TYX_INFER, parse_tok_span(p, t));
        break;
    default:
        if (is_path_start(t->kind)) {
            FePath *path = parse_path(p);
            uint32_t nlt = parse_lifetimes_only(p);
            if (nlt)
                skip_tokens(p, nlt);  /* View<'a>: lifetimes are ignored */
            if (parse_kind(p) == TK_LT) {
                parse_unsupported(p, parse_span(p, lo, parse_peek(p, 0)->hi), "generic types");
                parse_skip_angles(p);
                id = new_tyx(p, FE_TYX_ERROR, parse_span(p, lo, p->prev_hi));
                break;
            }
            if (parse_kind(p) == TK_NOT) {
                parse_unsupported(p, parse_span(p, lo, parse_peek(p, 0)->hi), "macros in type position");
                parse_next(p);
                parse_skip_group(p);
                id = new_tyx(p, FE_TYX_ERROR, parse_span(p, lo, p->prev_hi));
                break;
            }
            id = new_tyx(p, FE_TYX_PATH, path->span);
            fe_tyx(p->c, id)->path = path;
            break;
        }
        const char *what = unsupported_type_word(t);
        if (what) {
            parse_unsupported(p, parse_tok_span(p, t), what);
            /* skip the rest of the type: up to a delimiter that ends it */
            int depth = 0;
            while (parse_kind(p) != TK_EOF) {
                int k = parse_kind(p);
                if (depth == 0 && (k == TK_COMMA || k == TK_SEMI || k == TK_EQ || k == TK_RPAREN ||
                                   k == TK_RBRACKET || k == TK_LBRACE || k == TK_RBRACE || k == TK_GT))
                    break;
                if (k == TK_LPAREN || k == TK_LBRACKET || k == TK_LT)
                    depth++;
                if (k == TK_RPAREN || k == TK_RBRACKET || k == TK_GT)
                    depth--;
                parse_next(p);
            }
            id = new_tyx(p, FE_TYX_ERROR, parse_span(p, lo, p->prev_hi));
            p->failed = true;
            break;
        }
        parse_expected(p, "type");
        id = new_tyx(p, FE_TYX_ERROR, parse_tok_span(p, t));
    }
    p->depth--;
    return id;
}

/* ---------------------------------------------------------------- patterns */

PatId parse_pattern(Parser *p)
{
    const Token *t = parse_peek(p, 0);
    if (!parse_enter(p)) {
        p->depth--;
        return new_pat(p, FE_PAT_ERROR, parse_tok_span(p, t));
    }
    PatId id;
    switch (t->kind) {
    case TK_UNDERSCORE:
        parse_next(p);
        id = new_pat(p, FE_PAT_WILD, parse_tok_span(p, t));
        break;
    case TK_KW_MUT:
    case TK_IDENT: {
        bool mut = parse_eat(p, TK_KW_MUT);
        const Token *name = parse_peek(p, 0);
        if (name->kind != TK_IDENT) {
            parse_expected(p, "identifier");
            id = new_pat(p, FE_PAT_ERROR, parse_tok_span(p, name));
            break;
        }
        parse_next(p);
        int k = parse_kind(p);
        if (k == TK_PATHSEP || k == TK_LPAREN || k == TK_LBRACE || k == TK_AT) {
            parse_unsupported(p, parse_tok_span(p, name),
                              k == TK_AT ? "`@` bindings" : "struct and enum patterns");
            if (k == TK_PATHSEP) {
                while (parse_eat(p, TK_PATHSEP) && parse_kind(p) == TK_IDENT)
                    parse_next(p);
            }
            if (parse_kind(p) == TK_LPAREN || parse_kind(p) == TK_LBRACE)
                parse_skip_group(p);
            else if (parse_eat(p, TK_AT))
                parse_pattern(p);
            id = new_pat(p, FE_PAT_ERROR, parse_span(p, t->lo, p->prev_hi));
            break;
        }
        id = new_pat(p, FE_PAT_BIND, parse_span(p, t->lo, name->hi));
        fe_pat(p->c, id)->mut = mut;
        fe_pat(p->c, id)->name = parse_tok_sym(p, name);
        break;
    }
    case TK_LPAREN: {
        parse_next(p);
        uint32_t elems[256];
        uint32_t n = 0;
        bool comma = false;
        while (parse_kind(p) != TK_RPAREN && parse_kind(p) != TK_EOF && !p->failed) {
            if (parse_kind(p) == TK_DOT2) {
                parse_unsupported(p, parse_tok_span(p, parse_peek(p, 0)), "`..` in tuple patterns");
                parse_next(p);
            } else {
                PatId e = parse_pattern(p);
                if (n < ARRAY_LEN(elems))
                    elems[n++] = e;
                else
                    parse_error_at(p, fe_pat(p->c, e)->span, NULL, "tuple pattern has too many elements");
            }
            comma = parse_eat(p, TK_COMMA);
            if (!comma)
                break;
        }
        parse_expect(p, TK_RPAREN);
        if (n == 1 && !comma) {
            id = elems[0];
            break;
        }
        id = new_pat(p, FE_PAT_TUPLE, parse_span(p, t->lo, p->prev_hi));
        fe_pat(p->c, id)->elems = parse_list(p, elems, n);
        fe_pat(p->c, id)->n = n;
        break;
    }
    case TK_KW_REF:
        parse_unsupported(p, parse_tok_span(p, t), "`ref` bindings");
        parse_next(p);
        parse_eat(p, TK_KW_MUT);
        parse_eat(p, TK_IDENT);
        id = new_pat(p, FE_PAT_ERROR, parse_span(p, t->lo, p->prev_hi));
        break;
    case TK_AMP:
    case TK_AND_AND:
        parse_unsupported(p, parse_tok_span(p, t), "reference patterns");
        parse_next(p);
        parse_eat(p, TK_KW_MUT);
        parse_pattern(p);
        id = new_pat(p, FE_PAT_ERROR, parse_span(p, t->lo, p->prev_hi));
        break;
    case TK_LBRACKET:
        parse_unsupported(p, parse_tok_span(p, t), "slice patterns");
        parse_skip_group(p);
        id = new_pat(p, FE_PAT_ERROR, parse_span(p, t->lo, p->prev_hi));
        break;
    case TK_INT: case TK_CHAR: case TK_STR: case TK_MINUS: case TK_KW_TRUE: case TK_KW_FALSE:
        parse_unsupported(p, parse_tok_span(p, t), "literal patterns");
        parse_next(p);
        if (t->kind == TK_MINUS)
            parse_next(p);
        id = new_pat(p, FE_PAT_ERROR, parse_span(p, t->lo, p->prev_hi));
        break;
    default:
        if (is_path_start(t->kind)) {
            parse_unsupported(p, parse_tok_span(p, t), "path patterns");
            parse_path(p);
            if (parse_kind(p) == TK_LPAREN || parse_kind(p) == TK_LBRACE)
                parse_skip_group(p);
            id = new_pat(p, FE_PAT_ERROR, parse_span(p, t->lo, p->prev_hi));
            break;
        }
        parse_expected(p, "pattern");
        id = new_pat(p, FE_PAT_ERROR, parse_tok_span(p, t));
    }
    if (parse_kind(p) == TK_PIPE && p->in_let_pattern) {
        parse_unsupported(p, parse_tok_span(p, parse_peek(p, 0)), "or-patterns");
        while (parse_eat(p, TK_PIPE))
            parse_pattern(p);
    }
    p->depth--;
    return id;
}

/* ---------------------------------------------------------------- attributes */

typedef struct Attrs {
    uint16_t flags;   /* FE_ITEM_INLINE, FE_DERIVE_* */
    bool skip;        /* #[cfg(test)], #[test]: the item is dropped */
} Attrs;

static bool tok_is(Parser *p, const Token *t, const char *word)
{
    size_t n = strlen(word);
    return t->kind == TK_IDENT && t->hi - t->lo == n && memcmp(p->text + t->lo, word, n) == 0;
}

/* cfg predicate: 1 true, 0 false, -1 unsupported (reported). Only `test` and
 * not/all/any of it are known: this is a non-test build. */
static int parse_cfg_pred(Parser *p)
{
    const Token *t = parse_peek(p, 0);
    if (tok_is(p, t, "test")) {
        parse_next(p);
        return 0;
    }
    if (tok_is(p, t, "not") || tok_is(p, t, "all") || tok_is(p, t, "any")) {
        parse_next(p);
        if (!parse_expect(p, TK_LPAREN))
            return -1;
        int result = tok_is(p, t, "any") ? 0 : 1, n = 0;
        while (parse_kind(p) != TK_RPAREN && parse_kind(p) != TK_EOF) {
            int v = parse_cfg_pred(p);
            if (v < 0)
                return -1;
            n++;
            if (tok_is(p, t, "not"))
                result = !v;
            else if (tok_is(p, t, "all"))
                result = result && v;
            else
                result = result || v;
            if (!parse_eat(p, TK_COMMA))
                break;
        }
        if (!parse_expect(p, TK_RPAREN))
            return -1;
        return result;
    }
    parse_unsupported(p, parse_tok_span(p, t), "this `cfg` predicate (only `test` is known)");
    return -1;
}

static void parse_derive(Parser *p, Attrs *a)
{
    static const struct { const char *name; uint16_t flag; } derives[] = {
        {"Debug", FE_DERIVE_DEBUG}, {"Clone", FE_DERIVE_CLONE}, {"Copy", FE_DERIVE_COPY},
        {"PartialEq", FE_DERIVE_PARTIAL_EQ}, {"Eq", FE_DERIVE_EQ},
    };
    if (!parse_expect(p, TK_LPAREN))
        return;
    while (parse_kind(p) != TK_RPAREN && parse_kind(p) != TK_EOF && !p->failed) {
        FePath *path = parse_path(p);
        if (p->failed)
            return;
        const char *name = sym_str(&p->sess->names, path->segs[path->nsegs - 1].name);
        uint16_t flag = 0;
        for (size_t i = 0; i < ARRAY_LEN(derives); i++)
            if (strcmp(name, derives[i].name) == 0)
                flag = derives[i].flag;
        if (flag)
            a->flags |= flag;
        else {
            char what[96];
            snprintf(what, sizeof what, "`#[derive(%.60s)]`", name);
            parse_unsupported(p, path->span, what);
        }
        if (!parse_eat(p, TK_COMMA))
            break;
    }
    parse_expect(p, TK_RPAREN);
}

/* One attribute after `#` (and `!` for inner ones), from `[` to `]`. */
static void parse_attr(Parser *p, Attrs *a, bool inner)
{
    if (!parse_expect(p, TK_LBRACKET))
        return;
    const Token *name = parse_peek(p, 0);
    if (tok_is(p, name, "derive") && !inner) {
        parse_next(p);
        parse_derive(p, a);
    } else if (tok_is(p, name, "cfg")) {
        parse_next(p);
        if (parse_expect(p, TK_LPAREN)) {
            int v = parse_cfg_pred(p);
            if (v == 0)
                a->skip = true;
            if (v >= 0)
                parse_expect(p, TK_RPAREN);
        }
    } else if (tok_is(p, name, "test") && !inner) {
        parse_next(p);
        a->skip = true;
    } else if (tok_is(p, name, "inline") && !inner) {
        parse_next(p);
        a->flags |= FE_ITEM_INLINE;
        if (parse_kind(p) == TK_LPAREN)
            parse_skip_group(p);
    } else if (tok_is(p, name, "allow") || tok_is(p, name, "warn") || tok_is(p, name, "deny") ||
               tok_is(p, name, "forbid") || tok_is(p, name, "expect") || tok_is(p, name, "doc") ||
               tok_is(p, name, "must_use") || tok_is(p, name, "rustfmt") ||
               tok_is(p, name, "cold") || tok_is(p, name, "clippy")) {
        /* accepted, no effect: skip to the closing bracket */
        while (parse_kind(p) != TK_RBRACKET && parse_kind(p) != TK_EOF) {
            if (parse_kind(p) == TK_LPAREN || parse_kind(p) == TK_LBRACKET || parse_kind(p) == TK_LBRACE)
                parse_skip_group(p);
            else
                parse_next(p);
        }
    } else {
        char what[96];
        snprintf(what, sizeof what, "the attribute `%.*s`", (int)MIN(name->hi - name->lo, 40u),
                 p->text + name->lo);
        parse_unsupported(p, parse_tok_span(p, name), what);
        while (parse_kind(p) != TK_RBRACKET && parse_kind(p) != TK_EOF) {
            if (parse_kind(p) == TK_LPAREN || parse_kind(p) == TK_LBRACKET || parse_kind(p) == TK_LBRACE)
                parse_skip_group(p);
            else
                parse_next(p);
        }
    }
    parse_expect(p, TK_RBRACKET);
}

static void parse_outer_attrs(Parser *p, Attrs *a)
{
    memset(a, 0, sizeof *a);
    for (;;) {
        int k = parse_kind(p);
        if (k == TK_DOC_OUTER) {
            parse_next(p);
        } else if (k == TK_POUND && parse_peek(p, 1)->kind == TK_LBRACKET) {
            parse_next(p);
            parse_attr(p, a, false);
        } else {
            return;
        }
    }
}

/* Inner attributes and doc comments at the start of a module or file. */
static void parse_inner_attrs(Parser *p)
{
    for (;;) {
        int k = parse_kind(p);
        if (k == TK_DOC_INNER) {
            parse_next(p);
        } else if (k == TK_POUND && parse_peek(p, 1)->kind == TK_NOT &&
                   parse_peek(p, 2)->kind == TK_LBRACKET) {
            Attrs a = {0};
            parse_next(p);
            parse_next(p);
            parse_attr(p, &a, true);
            if (a.skip)
                parse_unsupported(p, parse_span(p, p->prev_hi - 1, p->prev_hi), "`#![cfg]` on a module");
        } else {
            return;
        }
    }
}

/* ---------------------------------------------------------------- items */

static ItemId new_item(Parser *p, int kind, Sym name, int vis, Span span, ItemId parent)
{
    FeItem it = {0};
    it.head_span = parse_span(p, p->item_lo, span.hi);
    it.kind = (uint8_t)kind;
    it.name = name;
    it.vis = (uint8_t)vis;
    it.span = span;
    it.parent = parent;
    vec_push(&p->c->items, it);
    return p->c->items.len - 1;
}

static int parse_vis(Parser *p)
{
    if (!parse_eat(p, TK_KW_PUB))
        return FE_VIS_PRIV;
    if (parse_kind(p) != TK_LPAREN)
        return FE_VIS_PUB;
    const Token *t = parse_peek(p, 1);
    if (t->kind == TK_KW_CRATE && parse_peek(p, 2)->kind == TK_RPAREN) {
        parse_next(p), parse_next(p), parse_next(p);
        return FE_VIS_CRATE;
    }
    if (t->kind == TK_KW_SELF && parse_peek(p, 2)->kind == TK_RPAREN) {
        parse_next(p), parse_next(p), parse_next(p);
        return FE_VIS_PRIV;
    }
    if (t->kind == TK_KW_SUPER || t->kind == TK_KW_IN) {
        uint32_t lo = parse_peek(p, 0)->lo;
        parse_skip_group(p);
        parse_unsupported(p, parse_span(p, lo, p->prev_hi), t->kind == TK_KW_SUPER ? "`pub(super)`" : "`pub(in path)`");
        return FE_VIS_CRATE;
    }
    return FE_VIS_PUB;  /* pub (T) in a tuple struct field */
}

/* Skips the rest of an item from its start: to a `;` or past a `{...}` group. */
static void skip_item(Parser *p)
{
    int depth = 0;
    while (parse_kind(p) != TK_EOF) {
        int k = parse_kind(p);
        if (k == TK_LBRACE && depth == 0) {
            parse_skip_group(p);
            parse_eat(p, TK_SEMI);
            return;
        }
        if (k == TK_SEMI && depth == 0) {
            parse_next(p);
            return;
        }
        if (k == TK_RBRACE && depth == 0)
            return;
        if (k == TK_LPAREN || k == TK_LBRACKET)
            depth++;
        else if (k == TK_RPAREN || k == TK_RBRACKET)
            depth = depth > 0 ? depth - 1 : 0;
        parse_next(p);
    }
}

static Sym ident_or_error(Parser *p, Span *span)
{
    const Token *t = parse_peek(p, 0);
    if (t->kind != TK_IDENT) {
        parse_expected(p, "identifier");
        *span = parse_tok_span(p, t);
        return 0;
    }
    parse_next(p);
    *span = parse_tok_span(p, t);
    return parse_tok_sym(p, t);
}

static void reject_generics(Parser *p, const char *what)
{
    uint32_t n = parse_lifetimes_only(p);
    if (n)
        skip_tokens(p, n);
    else if (parse_kind(p) == TK_LT) {
        parse_unsupported(p, parse_tok_span(p, parse_peek(p, 0)), what);
        parse_skip_angles(p);
    }
    if (parse_kind(p) == TK_KW_WHERE) {
        parse_unsupported(p, parse_tok_span(p, parse_peek(p, 0)), "`where` clauses");
        while (parse_kind(p) != TK_LBRACE && parse_kind(p) != TK_SEMI && parse_kind(p) != TK_EOF)
            parse_next(p);
    }
}

static PatId self_pattern(Parser *p, Span span)
{
    PatId id = new_pat(p, FE_PAT_BIND, span);
    fe_pat(p->c, id)->name = intern_cstr(&p->sess->names, "self");
    return id;
}

static void parse_fn(Parser *p, ItemId item, bool in_impl)
{
    reject_generics(p, "generic functions");
    if (!parse_expect(p, TK_LPAREN))
        return;
    FeParam params[256];
    uint32_t n = 0;
    uint8_t self_kind = FE_SELF_NONE;
    /* self parameter */
    {
        uint32_t i = 0;
        const Token *t0 = parse_peek(p, 0);
        bool ref = false, mut = false;
        if (t0->kind == TK_AMP) {
            ref = true;
            i++;
            if (parse_peek(p, i)->kind == TK_LIFETIME)
                i++;
            if (parse_peek(p, i)->kind == TK_KW_MUT)
                mut = true, i++;
        } else if (t0->kind == TK_KW_MUT && parse_peek(p, 1)->kind == TK_KW_SELF) {
            i++;
        }
        if (parse_peek(p, i)->kind == TK_KW_SELF && parse_peek(p, i + 1)->kind != TK_PATHSEP) {
            const Token *st = parse_peek(p, i);
            for (uint32_t k = 0; k <= i; k++)
                parse_next(p);
            if (!in_impl) {
                parse_error_at(p, parse_span(p, t0->lo, st->hi), "not semantically valid as function parameter",
                               "`self` parameter is only allowed in associated functions");
            }
            if (parse_kind(p) == TK_COLON) {
                parse_unsupported(p, parse_tok_span(p, parse_peek(p, 0)), "typed `self` parameters");
                parse_next(p);
                parse_type(p);
            }
            self_kind = ref ? (mut ? FE_SELF_REF_MUT : FE_SELF_REF) : FE_SELF_VALUE;
            PatId pat = self_pattern(p, parse_span(p, t0->lo, st->hi));
            fe_pat(p->c, pat)->mut = !ref && t0->kind == TK_KW_MUT;
            params[n++] = (FeParam){pat, 0, 0};
            if (!parse_eat(p, TK_COMMA) && parse_kind(p) != TK_RPAREN)
                parse_expect(p, TK_RPAREN);
        }
    }
    while (parse_kind(p) != TK_RPAREN && parse_kind(p) != TK_EOF && !p->failed) {
        Attrs a;
        parse_outer_attrs(p, &a);
        PatId pat = parse_pattern(p);
        if (!parse_expect(p, TK_COLON))
            break;
        TyxId ty = parse_type(p);
        if (n < ARRAY_LEN(params))
            params[n++] = (FeParam){pat, ty, 0};
        else
            parse_error_at(p, fe_tyx(p->c, ty)->span, NULL, "too many parameters");
        if (!parse_eat(p, TK_COMMA))
            break;
    }
    if (!parse_expect(p, TK_RPAREN))
        return;
    TyxId ret = 0;
    if (parse_eat(p, TK_ARROW))
        ret = parse_type(p);
    reject_generics(p, "generic functions");
    ExprId body = 0;
    if (parse_kind(p) == TK_LBRACE) {
        body = parse_block(p);
    } else if (parse_kind(p) == TK_SEMI) {
        Span sp = fe_item(p->c, item)->head_span;
        sp.hi = p->prev_hi;
        parse_next(p);
        parse_error_at(p, sp, NULL, in_impl ? "associated function in `impl` without body"
                                            : "free function without a body");
    } else {
        parse_expected(p, "`{`");
    }
    FeFn *fn = &fe_item(p->c, item)->fn;
    fn->self_kind = self_kind;
    fn->nparams = n;
    fn->params = arena_new(&p->sess->arena, FeParam, n ? n : 1);
    memcpy(fn->params, params, n * sizeof(FeParam));
    fn->ret_tyx = ret;
    fn->body = body;
}

static void parse_struct(Parser *p, ItemId item)
{
    reject_generics(p, "generic structs");
    FeField fields[1024];
    uint32_t n = 0;
    uint8_t shape;
    if (parse_eat(p, TK_SEMI)) {
        shape = 2;
    } else if (parse_kind(p) == TK_LBRACE || parse_kind(p) == TK_LPAREN) {
        bool tuple = parse_kind(p) == TK_LPAREN;
        int close = tuple ? TK_RPAREN : TK_RBRACE;
        shape = tuple;
        parse_next(p);
        while (parse_kind(p) != close && parse_kind(p) != TK_EOF && !p->failed) {
            Attrs a;
            parse_outer_attrs(p, &a);
            FeField f = {0};
            f.vis = (uint8_t)parse_vis(p);
            if (!tuple) {
                f.name = ident_or_error(p, &f.span);
                if (!parse_expect(p, TK_COLON))
                    break;
                f.tyx = parse_type(p);
            } else {
                f.tyx = parse_type(p);
                f.span = fe_tyx(p->c, f.tyx)->span;
            }
            if (n < ARRAY_LEN(fields))
                fields[n++] = f;
            else
                parse_error_at(p, f.span, NULL, "too many fields");
            if (!parse_eat(p, TK_COMMA))
                break;
        }
        parse_expect(p, close);
        if (tuple) {
            reject_generics(p, "generic structs");
            parse_expect(p, TK_SEMI);
        }
    } else {
        parse_expected(p, "`{`, `(`, or `;`");
        return;
    }
    FeStruct *st = &fe_item(p->c, item)->st;
    st->shape = shape;
    st->nfields = n;
    st->fields = arena_new(&p->sess->arena, FeField, n ? n : 1);
    memcpy(st->fields, fields, n * sizeof(FeField));
}

static void parse_const(Parser *p, ItemId item)
{
    if (!parse_expect(p, TK_COLON))
        return;
    TyxId ty = parse_type(p);
    ExprId init = 0;
    if (parse_eat(p, TK_EQ))
        init = parse_expr(p);
    else if (!p->failed)
        parse_error_at(p, fe_item(p->c, item)->span, NULL, "free %s item without body",
                       fe_item(p->c, item)->kind == FE_ITEM_CONST ? "constant" : "static");
    parse_expect(p, TK_SEMI);
    FeConst *k = &fe_item(p->c, item)->cst;
    k->tyx = ty;
    k->init = init;
}

static FeUseTree *parse_use_tree(Parser *p, int depth)
{
    FeUseTree *t = arena_new(&p->sess->arena, FeUseTree, 1);
    uint32_t lo = parse_peek(p, 0)->lo;
    FePathSeg segs[64];
    uint32_t n = 0;
    bool global = parse_eat(p, TK_PATHSEP);
    t->kind = FE_USE_SIMPLE;
    for (;;) {
        const Token *tk = parse_peek(p, 0);
        if (tk->kind == TK_STAR) {
            parse_next(p);
            t->kind = FE_USE_GLOB;
            break;
        }
        if (tk->kind == TK_LBRACE) {
            if (depth > 32) {
                parse_error_at(p, parse_tok_span(p, tk), NULL, "use tree nested too deeply");
                return t;
            }
            parse_next(p);
            t->kind = FE_USE_GROUP;
            FeUseTree *kids[256];
            uint32_t nk = 0;
            while (parse_kind(p) != TK_RBRACE && parse_kind(p) != TK_EOF && !p->failed) {
                FeUseTree *kid = parse_use_tree(p, depth + 1);
                if (nk < ARRAY_LEN(kids))
                    kids[nk++] = kid;
                else
                    parse_error_at(p, kid->span, NULL, "too many names in a use group");
                if (!parse_eat(p, TK_COMMA))
                    break;
            }
            parse_expect(p, TK_RBRACE);
            t->n = nk;
            t->children = arena_new(&p->sess->arena, FeUseTree *, nk ? nk : 1);
            memcpy(t->children, kids, nk * sizeof(FeUseTree *));
            break;
        }
        if (!(tk->kind == TK_IDENT || tk->kind == TK_KW_CRATE || tk->kind == TK_KW_SELF ||
              tk->kind == TK_KW_SUPER || tk->kind == TK_KW_SELF_TY)) {
            parse_expected(p, "identifier");
            return t;
        }
        parse_next(p);
        if (n < ARRAY_LEN(segs))
            segs[n++] = (FePathSeg){parse_tok_sym(p, tk), parse_tok_span(p, tk)};
        if (!parse_eat(p, TK_PATHSEP))
            break;
    }
    if (t->kind == FE_USE_SIMPLE && parse_eat(p, TK_KW_AS)) {
        const Token *r = parse_peek(p, 0);
        if (r->kind == TK_IDENT || r->kind == TK_UNDERSCORE) {
            parse_next(p);
            t->rename = r->kind == TK_UNDERSCORE ? intern_cstr(&p->sess->names, "_") : parse_tok_sym(p, r);
            t->rename_span = parse_tok_span(p, r);
        } else {
            parse_expected(p, "identifier");
        }
    }
    FePath *path = parse_new_path(p, segs, n, global, parse_span(p, lo, p->prev_hi));
    t->prefix = path;
    t->span = path->span;
    return t;
}

static void parse_impl(Parser *p, ItemId item)
{
    reject_generics(p, "generic impls");
    TyxId self_ty = parse_type(p);
    if (parse_kind(p) == TK_KW_FOR) {
        parse_unsupported(p, parse_span(p, fe_item(p->c, item)->span.lo, p->prev_hi), "trait impls");
        p->failed = true;
        return;
    }
    reject_generics(p, "generic impls");
    if (!parse_expect(p, TK_LBRACE))
        return;
    fe_item(p->c, item)->impl.self_tyx = self_ty;
    ItemId kids[4096];
    uint32_t n = 0;
    while (parse_kind(p) != TK_RBRACE && parse_kind(p) != TK_EOF) {
        uint32_t start = p->pos;
        Attrs a;
        parse_outer_attrs(p, &a);
        int vis = parse_vis(p);
        const Token *t = parse_peek(p, 0);
        p->item_lo = t->lo;
        if (t->kind == TK_KW_CONST && parse_peek(p, 1)->kind == TK_KW_FN)
            parse_next(p), t = parse_peek(p, 0);
        if (t->kind == TK_KW_FN) {
            parse_next(p);
            Span sp;
            Sym name = ident_or_error(p, &sp);
            ItemId fn = new_item(p, FE_ITEM_FN, name, vis, sp, item);
            fe_item(p->c, fn)->flags = a.flags & FE_ITEM_INLINE;
            fe_item(p->c, fn)->fn.impl = item;
            parse_fn(p, fn, true);
            if (a.skip)
                fe_item(p->c, fn)->kind = FE_ITEM_USE, fe_item(p->c, fn)->use = NULL;  /* dropped */
            else if (n < ARRAY_LEN(kids))
                kids[n++] = fn;
            else
                parse_error_at(p, sp, NULL, "too many items in one impl");
        } else if (t->kind == TK_KW_CONST || t->kind == TK_KW_TYPE) {
            parse_unsupported(p, parse_tok_span(p, t),
                              t->kind == TK_KW_CONST ? "associated constants" : "associated types");
            p->pos = start;
            skip_item(p);
            continue;
        } else {
            parse_expected(p, "`fn`");
        }
        if (p->failed) {
            p->pos = start;
            skip_item(p);
            p->failed = false;
        }
    }
    parse_expect(p, TK_RBRACE);
    FeImpl *impl = &fe_item(p->c, item)->impl;
    impl->nitems = n;
    impl->items = parse_list(p, kids, n);
}

static void load_module_file(Parser *p, ItemId mod, Sym name, Span span);

static const char *unsupported_item(int k)
{
    switch (k) {
    case TK_KW_ENUM: return "enums";
    case TK_KW_TRAIT: return "traits";
    case TK_KW_TYPE: return "type aliases";
    case TK_KW_EXTERN: return "`extern` items";
    case TK_KW_UNSAFE: return "`unsafe` items";
    case TK_KW_ASYNC: return "`async` functions";
    case TK_KW_MACRO: return "macros by example";
    default: return NULL;
    }
}

/* One item; appends its id (when it makes one) to kids. */
typedef Vec(ItemId) ItemVec;

static void parse_item(Parser *p, ItemId mod, ItemVec *kids)
{
    uint32_t start = p->pos;
    Attrs a;
    parse_outer_attrs(p, &a);
    int vis = parse_vis(p);
    const Token *t = parse_peek(p, 0);
    p->item_lo = t->lo;
    ItemId item = 0;
    Span sp;
    Sym name;
    if (t->kind == TK_KW_CONST && parse_peek(p, 1)->kind == TK_KW_FN)
        parse_next(p), t = parse_peek(p, 0);
    switch (t->kind) {
    case TK_KW_FN:
        parse_next(p);
        name = ident_or_error(p, &sp);
        item = new_item(p, FE_ITEM_FN, name, vis, sp, mod);
        fe_item(p->c, item)->flags = a.flags & FE_ITEM_INLINE;
        parse_fn(p, item, false);
        break;
    case TK_KW_STRUCT:
        parse_next(p);
        name = ident_or_error(p, &sp);
        item = new_item(p, FE_ITEM_STRUCT, name, vis, sp, mod);
        fe_item(p->c, item)->flags = a.flags & (uint16_t)~FE_ITEM_INLINE;
        parse_struct(p, item);
        break;
    case TK_KW_CONST:
    case TK_KW_STATIC:
        parse_next(p);
        if (t->kind == TK_KW_STATIC && parse_kind(p) == TK_KW_MUT) {
            parse_unsupported(p, parse_span(p, t->lo, parse_peek(p, 0)->hi), "`static mut`");
            p->failed = true;
            break;
        }
        if (parse_kind(p) == TK_UNDERSCORE) {
            sp = parse_tok_span(p, parse_next(p));
            name = intern_cstr(&p->sess->names, "_");
        } else {
            name = ident_or_error(p, &sp);
        }
        item = new_item(p, t->kind == TK_KW_CONST ? FE_ITEM_CONST : FE_ITEM_STATIC, name, vis, sp, mod);
        parse_const(p, item);
        break;
    case TK_KW_MOD: {
        parse_next(p);
        name = ident_or_error(p, &sp);
        if (!name)
            break;
        item = new_item(p, FE_ITEM_MOD, name, vis, sp, mod);
        if (parse_eat(p, TK_SEMI)) {
            if (!a.skip)
                load_module_file(p, item, name, parse_span(p, t->lo, p->prev_hi));
        } else if (parse_expect(p, TK_LBRACE)) {
            fe_item(p->c, item)->mod.is_inline = true;
            fe_item(p->c, item)->mod.file = p->file;
            const char *disk = p->disk_dir, *show = p->show_dir;
            const char *nm = sym_str(&p->sess->names, name);
            p->disk_dir = arena_printf(&p->sess->arena, "%s/%s", disk, nm);
            p->show_dir = show[0] ? arena_printf(&p->sess->arena, "%s/%s", show, nm) : nm;
            if (parse_enter(p)) {
                parse_inner_attrs(p);
                parse_items(p, item, false);
            } else {
                skip_item(p);
            }
            p->depth--;
            p->disk_dir = disk, p->show_dir = show;
            parse_expect(p, TK_RBRACE);
        }
        break;
    }
    case TK_KW_USE: {
        parse_next(p);
        FeUseTree *tree = parse_use_tree(p, 0);
        parse_expect(p, TK_SEMI);
        item = new_item(p, FE_ITEM_USE, 0, vis, tree->span, mod);
        fe_item(p->c, item)->use = tree;
        break;
    }
    case TK_KW_IMPL:
        parse_next(p);
        item = new_item(p, FE_ITEM_IMPL, 0, vis, parse_tok_span(p, t), mod);
        parse_impl(p, item);
        break;
    case TK_IDENT:
        if (tok_is(p, t, "union") && parse_peek(p, 1)->kind == TK_IDENT) {
            parse_unsupported(p, parse_tok_span(p, t), "unions");
            p->failed = true;
            break;
        }
        if (tok_is(p, t, "macro_rules") && parse_peek(p, 1)->kind == TK_NOT) {
            parse_unsupported(p, parse_tok_span(p, t), "macros by example");
            p->failed = true;
            break;
        }
        if (parse_peek(p, 1)->kind == TK_NOT) {
            parse_unsupported(p, parse_tok_span(p, t), "macro invocations in item position");
            p->failed = true;
            break;
        }
        parse_expected(p, "item");
        break;
    default: {
        const char *what = unsupported_item(t->kind);
        if (what) {
            if (t->kind == TK_KW_EXTERN && parse_peek(p, 1)->kind == TK_KW_CRATE)
                what = "`extern crate`";
            parse_unsupported(p, parse_tok_span(p, t), what);
            p->failed = true;
        } else {
            parse_expected(p, "item");
        }
    }
    }
    if (p->failed) {
        p->pos = start;
        skip_item(p);
        if (p->pos == start)
            parse_next(p);
        p->failed = false;
        if (item)
            fe_item(p->c, item)->kind = FE_ITEM_USE, fe_item(p->c, item)->use = NULL;
        return;
    }
    if (!item)
        return;
    if (a.skip) {
        fe_item(p->c, item)->kind = FE_ITEM_USE;  /* dropped: an empty use */
        fe_item(p->c, item)->use = NULL;
        return;
    }
    vec_push(kids, item);
}

void parse_items(Parser *p, ItemId mod, bool top)
{
    ItemVec kids = {0};
    while (parse_kind(p) != TK_EOF && (top || parse_kind(p) != TK_RBRACE)) {
        if (parse_kind(p) == TK_RBRACE) {
            parse_error_at(p, parse_tok_span(p, parse_peek(p, 0)), "unexpected closing delimiter",
                           "unexpected closing delimiter: `}`");
            parse_next(p);
            p->failed = false;
            continue;
        }
        parse_item(p, mod, &kids);
    }
    FeMod *m = &fe_item(p->c, mod)->mod;
    m->nitems = kids.len;
    m->items = parse_list(p, kids.data, kids.len);
    vec_free(&kids);
}

/* ---------------------------------------------------------------- files */

/* Delimiters must balance before parsing, as rustc's token trees do. */
static bool check_delimiters(FeSession *sess, uint32_t file, const TokenVec *toks)
{
    Vec(uint32_t) stack = {0};
    bool ok = true;
    for (uint32_t i = 0; i < toks->len && ok; i++) {
        int k = toks->data[i].kind;
        if (k == TK_LPAREN || k == TK_LBRACKET || k == TK_LBRACE) {
            vec_push(&stack, i);
        } else if (k == TK_RPAREN || k == TK_RBRACKET || k == TK_RBRACE) {
            int want = k == TK_RPAREN ? TK_LPAREN : k == TK_RBRACKET ? TK_LBRACKET : TK_LBRACE;
            Span close = {file, toks->data[i].lo, toks->data[i].hi};
            if (!stack.len) {
                diag_emit(&sess->diag, DIAG_ERROR, close, "unexpected closing delimiter",
                          "unexpected closing delimiter: `%s`", lex_spelling(k));
                ok = false;
            } else if (toks->data[vec_last(&stack)].kind != want) {
                const Token *o = &toks->data[vec_last(&stack)];
                diag_emit(&sess->diag, DIAG_ERROR, (Span){file, o->lo, o->hi}, "unclosed delimiter",
                          "mismatched closing delimiter: `%s`", lex_spelling(k));
                ok = false;
            } else {
                stack.len--;
            }
        } else if (k == TK_EOF && stack.len) {
            const Token *o = &toks->data[vec_last(&stack)];
            const Token *eof = &toks->data[i];
            (void)o;
            diag_emit(&sess->diag, DIAG_ERROR, (Span){file, eof->lo, eof->lo}, NULL,
                      "this file contains an unclosed delimiter");
            ok = false;
        }
    }
    vec_free(&stack);
    return ok;
}

/* Reads, registers, lexes and parses one file as the body of module `mod`. */
static bool parse_file(FeCrate *c, ItemId mod, const char *disk_path, const char *show_path,
                       const char *disk_dir, const char *show_dir, Span from, const FeCrateSpec *root)
{
    FeSession *sess = c->sess;
    char *data, *err;
    size_t len;
    if (root && root->root_text) {
        data = xstrndup(root->root_text, root->root_len);
        len = root->root_len;
    } else if (!file_read(disk_path, &data, &len, &err)) {
        if (from.hi)
            diag_error(&sess->diag, from, "couldn't read `%s`: %s", show_path, err);
        else
            diag_plain(&sess->diag, DIAG_ERROR, "couldn't read `%s`: %s", show_path, err);
        xfree(err);
        return false;
    }
    if (len > UINT32_MAX - 16) {
        diag_plain(&sess->diag, DIAG_ERROR, "`%s` is too large", show_path);
        xfree(data);
        return false;
    }
    uint32_t file = srcmap_add(&sess->sources, arena_strdup(&sess->arena, show_path), data, (uint32_t)len);
    fe_item(c, mod)->mod.file = file;
    TokenVec toks = {0};
    bool ok = lex_file(sess, file, &toks);
    if (sess->dump == FE_DUMP_TOKENS) {
        fprintf(sess->dump_to, "# %s\n", show_path);
        lex_dump(sess, file, &toks, sess->dump_to);
    }
    if (!ok) {
        vec_free(&toks);
        return false;
    }
    if (!check_delimiters(sess, file, &toks)) {
        vec_free(&toks);
        return false;
    }
    Parser p = {0};
    p.sess = sess;
    p.c = c;
    p.file = file;
    p.text = data;
    p.toks = toks.data;
    p.ntoks = toks.len;
    p.disk_dir = disk_dir;
    p.show_dir = show_dir;
    parse_inner_attrs(&p);
    parse_items(&p, mod, true);
    vec_free(&toks);
    return p.errors == 0;
}

static void dir_and_base(Arena *a, const char *path, const char **dir, const char **base)
{
    const char *slash = strrchr(path, '/');
    *dir = slash ? arena_strndup(a, path, (size_t)(slash - path)) : arena_strdup(a, ".");
    *base = slash ? slash + 1 : path;
}

static void load_module_file(Parser *p, ItemId mod, Sym name, Span span)
{
    Arena *a = &p->sess->arena;
    const char *nm = sym_str(&p->sess->names, name);
    const char *show_pre = p->show_dir[0] ? arena_printf(a, "%s/", p->show_dir) : "";
    const char *disk1 = arena_printf(a, "%s/%s.rs", p->disk_dir, nm);
    const char *disk2 = arena_printf(a, "%s/%s/mod.rs", p->disk_dir, nm);
    const char *show1 = arena_printf(a, "%s%s.rs", show_pre, nm);
    const char *show2 = arena_printf(a, "%s%s/mod.rs", show_pre, nm);
    bool e1 = file_exists(disk1), e2 = file_exists(disk2);
    if (e1 && e2) {
        p->errors++;
        diag_emit_code(&p->sess->diag, DIAG_ERROR, "E0761", span, NULL,
                       "file for module `%s` found at both \"%s\" and \"%s\"", nm, show1, show2);
        diag_note(&p->sess->diag, "help", "delete or rename one of them to remove the ambiguity");
        return;
    }
    if (!e1 && !e2) {
        p->errors++;
        diag_emit_code(&p->sess->diag, DIAG_ERROR, "E0583", span, NULL, "file not found for module `%s`", nm);
        diag_note(&p->sess->diag, "help", "to create the module `%s`, create file \"%s\" or \"%s\"", nm,
                  show1, show2);
        return;
    }
    if (p->depth > 100) {
        parse_error_at(p, span, NULL, "modules nested too deeply");
        return;
    }
    /* x.rs: its children live in x/; x/mod.rs: in x/ as well */
    const char *disk_dir = arena_printf(a, "%s/%s", p->disk_dir, nm);
    const char *show_dir = arena_printf(a, "%s%s", show_pre, nm);
    p->depth++;
    if (!parse_file(p->c, mod, e1 ? disk1 : disk2, e1 ? show1 : show2, disk_dir, show_dir, span, NULL))
        p->errors++;
    p->depth--;
}

bool parse_crate(FeCrate *c, const FeCrateSpec *spec)
{
    FeSession *sess = c->sess;
    ItemId root = (ItemId)c->items.len;
    vec_push(&c->items, ((FeItem){.kind = FE_ITEM_MOD, .vis = FE_VIS_PUB}));
    c->root = root;
    const char *disk_dir, *show_dir, *base;
    const char *show = spec->display_path ? spec->display_path : spec->root_path;
    dir_and_base(&sess->arena, spec->root_path, &disk_dir, &base);
    dir_and_base(&sess->arena, show, &show_dir, &base);
    if (strcmp(show_dir, ".") == 0)
        show_dir = "";
    int before = sess->diag.errors;
    parse_file(c, root, spec->root_path, show, disk_dir, show_dir, (Span){0, 0, 0}, spec);
    return sess->diag.errors == before;
}

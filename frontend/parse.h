/*
 * frontend/parse.h — the parser's shared state and helpers (internal to parse.c,
 * parse_expr.c and format.c).
 */
#ifndef FRONTEND_PARSE_H
#define FRONTEND_PARSE_H

#include "frontend/stages.h"

typedef struct Parser {
    FeSession *sess;
    FeCrate *c;
    uint32_t file;          /* source file id */
    const char *text;       /* its text */
    const Token *toks;
    uint32_t ntoks, pos;
    uint32_t prev_hi;       /* end of the last consumed token */
    uint32_t depth;         /* current nesting (see parse_enter) */
    bool depth_reported;
    bool failed;            /* an error was reported in the current item */
    bool in_let_pattern;
    uint32_t item_lo;       /* where the current item's keyword starts */
    bool expecting_token;   /* parse_expect: a missing token is shown after the previous one */
    int errors;
    /* module-file context */
    const char *disk_dir;   /* where `mod x;` looks for x.rs, on disk */
    const char *show_dir;   /* the same, as diagnostics show it */
} Parser;

/* Token access. */
const Token *parse_peek(Parser *p, uint32_t ahead);
int parse_kind(Parser *p);
const Token *parse_next(Parser *p);
bool parse_eat(Parser *p, int kind);
bool parse_expect(Parser *p, int kind);
Span parse_span(Parser *p, uint32_t lo, uint32_t hi);
Span parse_tok_span(Parser *p, const Token *t);
Sym parse_tok_sym(Parser *p, const Token *t);
/* Errors: a syntax error (the first of an item only), "expected X, found Y",
 * "unsupported: what" (always reported; parsing goes on). */
void parse_error_at(Parser *p, Span span, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void parse_expected(Parser *p, const char *what);
void parse_unsupported(Parser *p, Span span, const char *what);
void parse_skip_group(Parser *p);
void parse_skip_angles(Parser *p);
/* At `<`: the length of a lifetimes-only list through `>`, else 0. */
uint32_t parse_lifetimes_only(Parser *p);
/* Nesting guard: call on entry of every recursive rule, decrement p->depth on exit. */
bool parse_enter(Parser *p);

ExprId parse_new_expr(Parser *p, int kind, Span span);
uint32_t *parse_list(Parser *p, const uint32_t *ids, uint32_t n);

FePath *parse_path(Parser *p);
/* A path of n segments (copied) in the session arena. */
FePath *parse_new_path(Parser *p, const FePathSeg *segs, uint32_t n, bool global, Span span);
TyxId parse_type(Parser *p);
PatId parse_pattern(Parser *p);
/* An expression (struct literals allowed). */
ExprId parse_expr(Parser *p);
/* A `{ ... }` block expression. */
ExprId parse_block(Parser *p);
/* Parses the macro invocation whose name token is at p->pos (then `!`); returns the
 * expression, or an ERROR expression after reporting an unsupported macro. */
ExprId parse_macro(Parser *p);
/* Items inside a module body up to `}` (or EOF when `top`). */
void parse_items(Parser *p, ItemId mod, bool top);

#endif

/*
 * frontend/parse_expr.c — expressions, statements and blocks.
 *
 * Rust's precedence, lowest first: assignment (right-assoc), ranges, ||, &&,
 * comparisons (non-associative), |, ^, &, << >>, + -, * / %, `as`, unary, postfix
 * (method calls, fields, calls, indexing). In conditions (`if`, `while`, `for ... in`)
 * a path followed by `{` is not a struct literal. In statement position a block-like
 * expression (block, if, loop, while, for) ends the statement without `;`.
 */
#include "frontend/parse.h"

#include <string.h>

enum { R_NO_STRUCT = 1 };

static ExprId expr_res(Parser *p, int r);
static ExprId unary(Parser *p, int r);

static FeExpr *E(Parser *p, ExprId id) { return fe_expr(p->c, id); }

static ExprId new_expr2(Parser *p, int kind, uint32_t lo, ExprId a, ExprId b)
{
    ExprId id = parse_new_expr(p, kind, parse_span(p, lo, p->prev_hi));
    E(p, id)->a = a;
    E(p, id)->b = b;
    return id;
}

static ExprId error_expr(Parser *p, uint32_t lo)
{
    return parse_new_expr(p, FE_EXPR_ERROR, parse_span(p, lo, MAX(lo, p->prev_hi)));
}

/* Can this token start an expression (for `break`/`return` values)? */
static bool starts_expr(int k)
{
    switch (k) {
    case TK_SEMI: case TK_RBRACE: case TK_RPAREN: case TK_RBRACKET: case TK_COMMA: case TK_EOF:
    case TK_FAT_ARROW: case TK_EQ: case TK_KW_ELSE: case TK_KW_AS: case TK_COLON:
        return false;
    default:
        return true;
    }
}

static int binop_of(int k, int *prec)
{
    int op;
    switch (k) {
    case TK_OR_OR: op = FE_BIN_OR; break;
    case TK_AND_AND: op = FE_BIN_AND; break;
    case TK_EQ_EQ: op = FE_BIN_EQ; break;
    case TK_NE: op = FE_BIN_NE; break;
    case TK_LT: op = FE_BIN_LT; break;
    case TK_LE: op = FE_BIN_LE; break;
    case TK_GT: op = FE_BIN_GT; break;
    case TK_GE: op = FE_BIN_GE; break;
    case TK_PIPE: op = FE_BIN_BITOR; break;
    case TK_CARET: op = FE_BIN_BITXOR; break;
    case TK_AMP: op = FE_BIN_BITAND; break;
    case TK_SHL: op = FE_BIN_SHL; break;
    case TK_SHR: op = FE_BIN_SHR; break;
    case TK_PLUS: op = FE_BIN_ADD; break;
    case TK_MINUS: op = FE_BIN_SUB; break;
    case TK_STAR: op = FE_BIN_MUL; break;
    case TK_SLASH: op = FE_BIN_DIV; break;
    case TK_PERCENT: op = FE_BIN_REM; break;
    default: return -1;
    }
    static const int precs[] = {
#define X(k, s, pr) pr,
        FE_BIN_OPS(X)
#undef X
    };
    *prec = precs[op];
    return op;
}

static int assign_op_of(int k)
{
    switch (k) {
    case TK_PLUS_EQ: return FE_BIN_ADD;
    case TK_MINUS_EQ: return FE_BIN_SUB;
    case TK_STAR_EQ: return FE_BIN_MUL;
    case TK_SLASH_EQ: return FE_BIN_DIV;
    case TK_PCT_EQ: return FE_BIN_REM;
    case TK_CARET_EQ: return FE_BIN_BITXOR;
    case TK_AMP_EQ: return FE_BIN_BITAND;
    case TK_PIPE_EQ: return FE_BIN_BITOR;
    case TK_SHL_EQ: return FE_BIN_SHL;
    case TK_SHR_EQ: return FE_BIN_SHR;
    default: return -1;
    }
}

static bool is_comparison(int op) { return op >= FE_BIN_EQ && op <= FE_BIN_GT; }

/* Binary operators and `as` at or above min_prec (precedence climbing). */
static ExprId binary(Parser *p, int r, int min_prec)
{
    uint32_t lo = parse_peek(p, 0)->lo;
    ExprId lhs = unary(p, r);
    int last_cmp = 0;
    uint32_t wraps = 0;  /* each node wrapping lhs deepens the tree: it counts as nesting */
    uint32_t cmp_lo = 0, cmp_hi = 0;
    while (!p->failed) {
        int k = parse_kind(p);
        if (k == TK_KW_AS) {
            if (12 < min_prec)
                break;
            if (!parse_enter(p)) {
                p->depth--;
                break;
            }
            wraps++;
            parse_next(p);
            TyxId ty = parse_type(p);
            lhs = new_expr2(p, FE_EXPR_CAST, lo, lhs, 0);
            E(p, lhs)->tyx = ty;
            continue;
        }
        int prec, op = binop_of(k, &prec);
        if (op < 0 || prec < min_prec)
            break;
        const Token *optok = parse_next(p);
        if (is_comparison(op)) {
            if (last_cmp) {
                parse_error_at(p, parse_span(p, cmp_lo, cmp_hi), NULL, "comparison operators cannot be chained");
                break;
            }
            last_cmp = 1;
            cmp_lo = optok->lo, cmp_hi = optok->hi;
        }
        if (!parse_enter(p)) {
            p->depth--;
            break;
        }
        ExprId rhs = binary(p, r, prec + 1);
        p->depth--;
        lhs = new_expr2(p, FE_EXPR_BINARY, lo, lhs, rhs);
        E(p, lhs)->op = (uint8_t)op;
        if (!parse_enter(p)) {
            p->depth--;
            break;
        }
        wraps++;
        E(p, lhs)->op_lo = optok->lo;  /* the operator, where rustc points for operator errors */
        if (!is_comparison(op))
            last_cmp = 0;
    }
    p->depth -= wraps;
    return lhs;
}

static ExprId range_or_binary(Parser *p, int r)
{
    uint32_t lo = parse_peek(p, 0)->lo;
    ExprId lhs = 0;
    if (parse_kind(p) != TK_DOT2 && parse_kind(p) != TK_DOT2_EQ)
        lhs = binary(p, r, 0);
    int k = parse_kind(p);
    if (k != TK_DOT2 && k != TK_DOT2_EQ)
        return lhs;
    parse_next(p);
    ExprId rhs = 0;
    int next = parse_kind(p);
    if (starts_expr(next) && !(next == TK_LBRACE && (r & R_NO_STRUCT)))
        rhs = binary(p, r, 0);
    else if (k == TK_DOT2_EQ && !p->failed)
        parse_error_at(p, parse_span(p, p->prev_hi - 3, p->prev_hi), NULL,
                       "inclusive range with no end");
    ExprId e = new_expr2(p, FE_EXPR_RANGE, lo, lhs, rhs);
    if (k == TK_DOT2_EQ)
        E(p, e)->flags |= FE_EXPR_INCLUSIVE;
    return e;
}

static ExprId expr_res(Parser *p, int r)
{
    uint32_t lo = parse_peek(p, 0)->lo;
    if (!parse_enter(p)) {
        p->depth--;
        return error_expr(p, lo);
    }
    ExprId lhs = range_or_binary(p, r);
    int k = parse_kind(p);
    if (k == TK_EQ && !p->failed) {
        uint32_t eqlo = parse_next(p)->lo;
        ExprId rhs = expr_res(p, r);
        lhs = new_expr2(p, FE_EXPR_ASSIGN, lo, lhs, rhs);
        E(p, lhs)->op_lo = eqlo;
    } else if (assign_op_of(k) >= 0 && !p->failed) {
        uint32_t oplo = parse_next(p)->lo;
        ExprId rhs = expr_res(p, r);
        lhs = new_expr2(p, FE_EXPR_ASSIGN_OP, lo, lhs, rhs);
        E(p, lhs)->op = (uint8_t)assign_op_of(k);
        E(p, lhs)->op_lo = oplo;
    }
    p->depth--;
    return lhs;
}

ExprId parse_expr(Parser *p) { return expr_res(p, 0); }

/* Comma-separated expressions up to `close`; returns the count (ids in *out, arena). */
static uint32_t expr_list(Parser *p, int close, ExprId **out)
{
    Vec(ExprId) v = {0};
    while (parse_kind(p) != close && parse_kind(p) != TK_EOF && !p->failed) {
        vec_push(&v, parse_expr(p));
        if (!parse_eat(p, TK_COMMA))
            break;
    }
    parse_expect(p, close);
    *out = parse_list(p, v.data, v.len);
    uint32_t n = v.len;
    vec_free(&v);
    return n;
}

static ExprId postfix(Parser *p, ExprId e, uint32_t lo)
{
    uint32_t wraps = 0;  /* as in binary(): chained calls, fields and indexing nest */
    while (!p->failed) {
        int k = parse_kind(p);
        if (k == TK_DOT || k == TK_LPAREN || k == TK_LBRACKET || k == TK_QUESTION) {
            if (!parse_enter(p)) {
                p->depth--;
                break;
            }
            wraps++;
        }
        if (k == TK_DOT) {
            parse_next(p);
            const Token *t = parse_peek(p, 0);
            if (t->kind == TK_IDENT) {
                parse_next(p);
                Sym name = parse_tok_sym(p, t);
                if (parse_kind(p) == TK_PATHSEP && parse_peek(p, 1)->kind == TK_LT) {
                    parse_unsupported(p, parse_tok_span(p, parse_peek(p, 1)), "generic arguments");
                    parse_next(p);
                    parse_skip_angles(p);
                }
                if (parse_kind(p) == TK_LPAREN) {
                    parse_next(p);
                    ExprId *args;
                    uint32_t n = expr_list(p, TK_RPAREN, &args);
                    /* args[0] is the receiver */
                    ExprId *all = arena_new(&p->sess->arena, ExprId, n + 1);
                    all[0] = e;
                    if (n)
                        memcpy(all + 1, args, n * sizeof(ExprId));
                    ExprId m = parse_new_expr(p, FE_EXPR_METHOD_CALL, parse_span(p, lo, p->prev_hi));
                    E(p, m)->args = all;
                    E(p, m)->n = n + 1;
                    E(p, m)->name = name;
                    /* where rustc points for errors about the method: its name */
                    E(p, m)->op_lo = t->lo;
                    e = m;
                } else {
                    e = new_expr2(p, FE_EXPR_FIELD, lo, e, 0);
                    E(p, e)->name = name;
                    E(p, e)->op_lo = t->lo;
                }
                continue;
            }
            if (t->kind == TK_INT && !(t->flags & LEX_SUFFIX_MASK)) {
                parse_next(p);
                u128 v;
                if (!lex_int_value(p->text + t->lo, t->hi - t->lo, &v) || v > UINT32_MAX) {
                    parse_error_at(p, parse_tok_span(p, t), NULL, "invalid tuple index");
                    break;
                }
                e = new_expr2(p, FE_EXPR_FIELD, lo, e, 0);
                E(p, e)->field = (uint32_t)v;
                E(p, e)->op_lo = t->lo;
                continue;
            }
            if (t->kind == TK_FLOAT && !(t->flags & LEX_SUFFIX_MASK)) {
                /* x.0.1 lexes as x . `0.1` */
                const char *s = p->text + t->lo;
                uint32_t n = t->hi - t->lo, dot = 0;
                while (dot < n && s[dot] != '.')
                    dot++;
                u128 v1, v2;
                if (dot == 0 || dot + 1 >= n || !lex_int_value(s, dot, &v1) ||
                    !lex_int_value(s + dot + 1, n - dot - 1, &v2) || v1 > UINT32_MAX || v2 > UINT32_MAX ||
                    memchr(s, 'e', n) || memchr(s, 'E', n)) {
                    parse_error_at(p, parse_tok_span(p, t), NULL, "invalid tuple index");
                    break;
                }
                parse_next(p);
                e = new_expr2(p, FE_EXPR_FIELD, lo, e, 0);
                E(p, e)->field = (uint32_t)v1;
                E(p, e)->op_lo = t->lo;
                E(p, e)->span.hi = t->lo + dot;
                e = new_expr2(p, FE_EXPR_FIELD, lo, e, 0);
                E(p, e)->field = (uint32_t)v2;
                E(p, e)->op_lo = t->lo + dot + 1;
                continue;
            }
            if (t->kind == TK_KW_AWAIT) {
                parse_unsupported(p, parse_tok_span(p, t), "`.await`");
                parse_next(p);
                continue;
            }
            parse_expected(p, "identifier");
            break;
        }
        if (k == TK_LPAREN) {
            parse_next(p);
            ExprId *args;
            uint32_t n = expr_list(p, TK_RPAREN, &args);
            ExprId call = new_expr2(p, FE_EXPR_CALL, lo, e, 0);
            E(p, call)->args = args;
            E(p, call)->n = n;
            e = call;
            continue;
        }
        if (k == TK_LBRACKET) {
            uint32_t bracket = parse_next(p)->lo;
            ExprId idx = parse_expr(p);
            parse_expect(p, TK_RBRACKET);
            e = new_expr2(p, FE_EXPR_INDEX, lo, e, idx);
            E(p, e)->c = bracket;
            continue;
        }
        if (k == TK_QUESTION) {
            parse_unsupported(p, parse_tok_span(p, parse_peek(p, 0)), "the `?` operator");
            parse_next(p);
            continue;
        }
        break;
    }
    p->depth -= wraps;
    return e;
}

static ExprId block_like(Parser *p, int r);

static ExprId int_literal(Parser *p, const Token *t)
{
    uint32_t suffix = t->flags & LEX_SUFFIX_MASK;
    ExprId e = parse_new_expr(p, t->kind == TK_FLOAT ? FE_EXPR_FLOAT : FE_EXPR_INT, parse_tok_span(p, t));
    if (t->kind == TK_FLOAT || (t->flags & LEX_BAD))
        return e;
    u128 v;
    if (!lex_int_value(p->text + t->lo, t->hi - t->lo - t->suffix, &v)) {
        p->errors++;
        diag_emit(&p->sess->diag, DIAG_ERROR, parse_tok_span(p, t), NULL, "integer literal is too large");
        diag_note(&p->sess->diag, "note", "value exceeds limit of `340282366920938463463374607431768211455`");
        v = 0;
    }
    E(p, e)->value = v;
    E(p, e)->op = (uint8_t)suffix;  /* 1 + FeIntKind, or 0: typed by inference */
    return e;
}

static ExprId string_literal(Parser *p, const Token *t)
{
    StrBuf sb = {0};
    lex_decode(p->text, t, &sb);
    int kind = t->kind == TK_STR || t->kind == TK_BYTE_STR ? FE_EXPR_STR : FE_EXPR_CHAR;
    ExprId e = parse_new_expr(p, kind, parse_tok_span(p, t));
    FeExpr *x = E(p, e);
    if (kind == FE_EXPR_STR) {
        x->str = arena_strndup(&p->sess->arena, sb.data ? sb.data : "", sb.len);
        x->n = (uint32_t)sb.len;
        x->op = t->kind == TK_BYTE_STR;
    } else {
        uint32_t cp = 0;
        if (t->kind == TK_BYTE)
            cp = sb.len ? (unsigned char)sb.data[0] : 0;
        else if (sb.len)
            lex_utf8_decode((const unsigned char *)sb.data, (uint32_t)sb.len, &cp);
        x->value = cp;
        x->op = t->kind == TK_BYTE;
    }
    sb_free(&sb);
    return e;
}

/* Path expression, struct literal, or macro call. */
static ExprId path_expr(Parser *p, int r)
{
    const Token *first = parse_peek(p, 0);
    if (first->kind == TK_IDENT && parse_peek(p, 1)->kind == TK_NOT &&
        (parse_peek(p, 2)->kind == TK_LPAREN || parse_peek(p, 2)->kind == TK_LBRACKET ||
         parse_peek(p, 2)->kind == TK_LBRACE))
        return parse_macro(p);
    FePath *path = parse_path(p);
    if (parse_kind(p) == TK_NOT && parse_peek(p, 1)->kind != TK_EQ) {
        parse_unsupported(p, path->span, "macros invoked through a path");
        parse_next(p);
        parse_skip_group(p);
        return error_expr(p, first->lo);
    }
    if (parse_kind(p) == TK_LBRACE && !(r & R_NO_STRUCT)) {
        /* struct literal: Path { field: expr, field, ..base } */
        parse_next(p);
        Vec(ExprId) fields = {0};
        while (parse_kind(p) != TK_RBRACE && parse_kind(p) != TK_EOF && !p->failed) {
            const Token *f = parse_peek(p, 0);
            if (f->kind == TK_DOT2) {
                parse_unsupported(p, parse_tok_span(p, f), "struct update syntax (`..base`)");
                parse_next(p);
                parse_expr(p);
                break;
            }
            if (f->kind != TK_IDENT && !(f->kind == TK_INT && !(f->flags & LEX_SUFFIX_MASK))) {
                parse_expected(p, "identifier");
                break;
            }
            parse_next(p);
            /* each initializer is a FIELD node: name + value in a */
            ExprId init = parse_new_expr(p, FE_EXPR_FIELD, parse_tok_span(p, f));
            if (f->kind == TK_INT) {
                u128 v = 0;
                lex_int_value(p->text + f->lo, f->hi - f->lo, &v);
                E(p, init)->field = (uint32_t)MIN(v, (u128)UINT32_MAX);
                E(p, init)->name = 0;
            } else {
                E(p, init)->name = parse_tok_sym(p, f);
            }
            if (parse_eat(p, TK_COLON)) {
                E(p, init)->a = parse_expr(p);
            } else if (f->kind == TK_IDENT) {
                /* shorthand: the field's name as a path */
                ExprId val = parse_new_expr(p, FE_EXPR_PATH, parse_tok_span(p, f));
                FePathSeg seg = {parse_tok_sym(p, f), parse_tok_span(p, f)};
                E(p, val)->path = parse_new_path(p, &seg, 1, false, seg.span);
                E(p, init)->a = val;
            } else {
                parse_expect(p, TK_COLON);
            }
            vec_push(&fields, init);
            if (!parse_eat(p, TK_COMMA))
                break;
        }
        parse_expect(p, TK_RBRACE);
        ExprId e = parse_new_expr(p, FE_EXPR_STRUCT, parse_span(p, first->lo, p->prev_hi));
        E(p, e)->args = parse_list(p, fields.data, fields.len);
        E(p, e)->n = fields.len;
        E(p, e)->b = 1;  /* marks "written as a struct literal" (path kept in name slot) */
        E(p, e)->name = 0;
        /* the path: kept through a PATH child in a */
        ExprId pe = parse_new_expr(p, FE_EXPR_PATH, path->span);
        E(p, pe)->path = path;
        E(p, e)->a = pe;
        vec_free(&fields);
        return e;
    }
    ExprId e = parse_new_expr(p, FE_EXPR_PATH, path->span);
    E(p, e)->path = path;
    return e;
}

static ExprId primary(Parser *p, int r)
{
    const Token *t = parse_peek(p, 0);
    uint32_t lo = t->lo;
    switch (t->kind) {
    case TK_INT:
    case TK_FLOAT:
        parse_next(p);
        return int_literal(p, t);
    case TK_STR: case TK_BYTE_STR: case TK_CHAR: case TK_BYTE:
        parse_next(p);
        return string_literal(p, t);
    case TK_KW_TRUE:
    case TK_KW_FALSE: {
        parse_next(p);
        ExprId e = parse_new_expr(p, FE_EXPR_BOOL, parse_tok_span(p, t));
        E(p, e)->value = t->kind == TK_KW_TRUE;
        return e;
    }
    case TK_LPAREN: {
        parse_next(p);
        if (parse_eat(p, TK_RPAREN))
            return new_expr2(p, FE_EXPR_TUPLE, lo, 0, 0);
        ExprId first = parse_expr(p);
        if (parse_eat(p, TK_RPAREN))
            return new_expr2(p, FE_EXPR_PAREN, lo, first, 0);
        Vec(ExprId) v = {0};
        vec_push(&v, first);
        if (parse_expect(p, TK_COMMA)) {
            while (parse_kind(p) != TK_RPAREN && parse_kind(p) != TK_EOF && !p->failed) {
                vec_push(&v, parse_expr(p));
                if (!parse_eat(p, TK_COMMA))
                    break;
            }
            parse_expect(p, TK_RPAREN);
        }
        ExprId e = new_expr2(p, FE_EXPR_TUPLE, lo, 0, 0);
        E(p, e)->args = parse_list(p, v.data, v.len);
        E(p, e)->n = v.len;
        vec_free(&v);
        return e;
    }
    case TK_LBRACKET: {
        parse_next(p);
        if (parse_eat(p, TK_RBRACKET))
            return new_expr2(p, FE_EXPR_ARRAY, lo, 0, 0);
        ExprId first = parse_expr(p);
        if (parse_eat(p, TK_SEMI)) {
            ExprId len = parse_expr(p);
            parse_expect(p, TK_RBRACKET);
            return new_expr2(p, FE_EXPR_REPEAT, lo, first, len);
        }
        Vec(ExprId) v = {0};
        vec_push(&v, first);
        if (parse_eat(p, TK_COMMA)) {
            while (parse_kind(p) != TK_RBRACKET && parse_kind(p) != TK_EOF && !p->failed) {
                vec_push(&v, parse_expr(p));
                if (!parse_eat(p, TK_COMMA))
                    break;
            }
        }
        parse_expect(p, TK_RBRACKET);
        ExprId e = new_expr2(p, FE_EXPR_ARRAY, lo, 0, 0);
        E(p, e)->args = parse_list(p, v.data, v.len);
        E(p, e)->n = v.len;
        vec_free(&v);
        return e;
    }
    case TK_LBRACE: case TK_KW_IF: case TK_KW_WHILE: case TK_KW_LOOP: case TK_KW_FOR:
    case TK_KW_MATCH: case TK_KW_UNSAFE: case TK_LIFETIME:
        return block_like(p, r);
    case TK_KW_RETURN: {
        parse_next(p);
        ExprId v = starts_expr(parse_kind(p)) && !(parse_kind(p) == TK_LBRACE && (r & R_NO_STRUCT)) ? parse_expr(p) : 0;
        return new_expr2(p, FE_EXPR_RETURN, lo, v, 0);
    }
    case TK_KW_BREAK:
    case TK_KW_CONTINUE: {
        parse_next(p);
        Sym label = 0;
        uint32_t label_lo = 0;
        if (parse_kind(p) == TK_LIFETIME) {
            label_lo = parse_peek(p, 0)->lo;
            label = parse_tok_sym(p, parse_next(p));
        }
        ExprId v = 0;
        if (t->kind == TK_KW_BREAK && starts_expr(parse_kind(p)) &&
            !(parse_kind(p) == TK_LBRACE && (r & R_NO_STRUCT)))
            v = parse_expr(p);
        ExprId e = new_expr2(p, t->kind == TK_KW_BREAK ? FE_EXPR_BREAK : FE_EXPR_CONTINUE, lo, v, 0);
        E(p, e)->name = label;
        E(p, e)->op_lo = label_lo;
        return e;
    }
    case TK_PIPE:
    case TK_OR_OR:
    case TK_KW_MOVE: {
        parse_unsupported(p, parse_tok_span(p, t), "closures");
        parse_eat(p, TK_KW_MOVE);
        if (parse_eat(p, TK_PIPE)) {
            while (parse_kind(p) != TK_PIPE && parse_kind(p) != TK_EOF && !p->failed) {
                parse_pattern(p);
                if (parse_eat(p, TK_COLON))
                    parse_type(p);
                if (!parse_eat(p, TK_COMMA))
                    break;
            }
            parse_expect(p, TK_PIPE);
        } else {
            parse_eat(p, TK_OR_OR);
        }
        if (parse_eat(p, TK_ARROW))
            parse_type(p);
        parse_expr(p);
        return error_expr(p, lo);
    }
    case TK_KW_LET:
        parse_unsupported(p, parse_tok_span(p, t), "`let` expressions (`if let`, `while let`)");
        parse_next(p);
        p->in_let_pattern = true;
        parse_pattern(p);
        p->in_let_pattern = false;
        if (parse_expect(p, TK_EQ))
            expr_res(p, R_NO_STRUCT);
        return error_expr(p, lo);
    case TK_KW_ASYNC: case TK_KW_BOX: case TK_KW_CONST: case TK_KW_YIELD: case TK_KW_BECOME:
    case TK_KW_DO: case TK_KW_TRY: {
        char what[48];
        snprintf(what, sizeof what, "`%s` expressions", lex_spelling(t->kind));
        parse_unsupported(p, parse_tok_span(p, t), what);
        p->failed = true;
        parse_next(p);
        return error_expr(p, lo);
    }
    default:
        if (t->kind == TK_IDENT || t->kind == TK_KW_SELF || t->kind == TK_KW_SELF_TY ||
            t->kind == TK_KW_CRATE || t->kind == TK_KW_SUPER || t->kind == TK_PATHSEP)
            return path_expr(p, r);
        if (t->kind == TK_LT) {
            parse_unsupported(p, parse_tok_span(p, t), "qualified paths");
            p->failed = true;
            return error_expr(p, lo);
        }
        parse_expected(p, "expression");
        return error_expr(p, lo);
    }
}

static ExprId unary(Parser *p, int r)
{
    const Token *t = parse_peek(p, 0);
    uint32_t lo = t->lo;
    int k = t->kind;
    if (k == TK_MINUS || k == TK_NOT || k == TK_STAR || k == TK_AMP || k == TK_AND_AND) {
        if (!parse_enter(p)) {
            p->depth--;
            return error_expr(p, lo);
        }
        parse_next(p);
        ExprId e;
        if (k == TK_AMP || k == TK_AND_AND) {
            bool mut = false;
            if (parse_kind(p) == TK_KW_MUT) {
                parse_next(p);
                mut = true;
            } else if (parse_kind(p) == TK_IDENT && parse_peek(p, 0)->hi - parse_peek(p, 0)->lo == 3 &&
                       memcmp(p->text + parse_peek(p, 0)->lo, "raw", 3) == 0 &&
                       (parse_peek(p, 1)->kind == TK_KW_CONST || parse_peek(p, 1)->kind == TK_KW_MUT)) {
                parse_unsupported(p, parse_span(p, lo, parse_peek(p, 1)->hi), "raw borrows");
                parse_next(p), parse_next(p);
            }
            ExprId inner = unary(p, r);
            e = new_expr2(p, FE_EXPR_REF, lo, inner, 0);
            if (mut)
                E(p, e)->flags |= FE_EXPR_MUT;
            if (k == TK_AND_AND) {
                /* && is two borrows; the inner one starts after the first & */
                E(p, e)->span.lo = lo + 1;
                e = new_expr2(p, FE_EXPR_REF, lo, e, 0);
            }
        } else {
            ExprId inner = unary(p, r);
            e = new_expr2(p, FE_EXPR_UNARY, lo, inner, 0);
            E(p, e)->op = k == TK_MINUS ? FE_UN_NEG : k == TK_NOT ? FE_UN_NOT : FE_UN_DEREF;
            if (k == TK_MINUS && E(p, inner)->kind == FE_EXPR_INT)
                E(p, e)->flags |= FE_EXPR_NEG_LIT;
        }
        p->depth--;
        return e;
    }
    ExprId e = primary(p, r);
    return postfix(p, e, lo);
}

/* ---------------------------------------------------------------- blocks */

static bool is_block_like(Parser *p)
{
    int k = parse_kind(p);
    return k == TK_LBRACE || k == TK_KW_IF || k == TK_KW_WHILE || k == TK_KW_LOOP || k == TK_KW_FOR ||
           k == TK_KW_MATCH || (k == TK_KW_UNSAFE && parse_peek(p, 1)->kind == TK_LBRACE) ||
           (k == TK_LIFETIME && parse_peek(p, 1)->kind == TK_COLON);
}

static ExprId if_expr(Parser *p)
{
    /* if-else chains are built iteratively: each `else if` is one more nesting level
     * for the limit, without recursion here */
    uint32_t lo = parse_peek(p, 0)->lo;
    parse_next(p);  /* if */
    ExprId cond = expr_res(p, R_NO_STRUCT);
    ExprId then = parse_block(p);
    ExprId first = new_expr2(p, FE_EXPR_IF, lo, cond, then);
    ExprId cur = first;
    uint32_t extra = 0;
    while (!p->failed && parse_eat(p, TK_KW_ELSE)) {
        if (parse_kind(p) == TK_KW_IF) {
            if (!parse_enter(p))
                break;
            extra++;
            uint32_t ilo = parse_peek(p, 0)->lo;
            parse_next(p);
            ExprId c2 = expr_res(p, R_NO_STRUCT);
            ExprId t2 = parse_block(p);
            ExprId next = new_expr2(p, FE_EXPR_IF, ilo, c2, t2);
            E(p, cur)->c = next;
            cur = next;
            continue;
        }
        E(p, cur)->c = parse_block(p);
        break;
    }
    p->depth -= extra;
    /* spans of the chain: each if reaches the end of the chain */
    for (ExprId e = first; e; e = E(p, e)->c && E(p, E(p, e)->c)->kind == FE_EXPR_IF ? E(p, e)->c : 0)
        E(p, e)->span.hi = p->prev_hi;
    return first;
}

static ExprId block_like(Parser *p, int r)
{
    (void)r;
    const Token *t = parse_peek(p, 0);
    uint32_t lo = t->lo;
    Sym label = 0;
    if (t->kind == TK_LIFETIME) {
        label = parse_tok_sym(p, t);
        parse_next(p);
        if (!parse_expect(p, TK_COLON))
            return error_expr(p, lo);
        t = parse_peek(p, 0);
        if (t->kind == TK_LBRACE) {
            parse_unsupported(p, parse_span(p, lo, t->hi), "labelled blocks");
            parse_block(p);
            return error_expr(p, lo);
        }
        if (t->kind != TK_KW_LOOP && t->kind != TK_KW_WHILE && t->kind != TK_KW_FOR) {
            parse_expected(p, "`while`, `for`, `loop` or `{` after a label");
            return error_expr(p, lo);
        }
    }
    ExprId e;
    switch (t->kind) {
    case TK_LBRACE:
        return parse_block(p);
    case TK_KW_UNSAFE:
        parse_unsupported(p, parse_tok_span(p, t), "`unsafe` blocks");
        parse_next(p);
        parse_block(p);
        return error_expr(p, lo);
    case TK_KW_IF:
        return if_expr(p);
    case TK_KW_MATCH:
        parse_unsupported(p, parse_tok_span(p, t), "`match` expressions");
        parse_next(p);
        expr_res(p, R_NO_STRUCT);
        if (parse_kind(p) == TK_LBRACE)
            parse_skip_group(p);
        else
            parse_expect(p, TK_LBRACE);
        return error_expr(p, lo);
    case TK_KW_WHILE: {
        parse_next(p);
        ExprId cond = expr_res(p, R_NO_STRUCT);
        ExprId body = parse_block(p);
        e = new_expr2(p, FE_EXPR_WHILE, lo, cond, body);
        break;
    }
    case TK_KW_LOOP: {
        parse_next(p);
        ExprId body = parse_block(p);
        e = new_expr2(p, FE_EXPR_LOOP, lo, 0, body);
        break;
    }
    case TK_KW_FOR: {
        parse_next(p);
        PatId pat = parse_pattern(p);
        parse_expect(p, TK_KW_IN);
        ExprId iter = expr_res(p, R_NO_STRUCT);
        ExprId body = parse_block(p);
        e = new_expr2(p, FE_EXPR_FOR, lo, iter, body);
        E(p, e)->pat = pat;
        break;
    }
    default:
        unreachable();
    }
    E(p, e)->name = label;
    return e;
}

static bool starts_item(Parser *p)
{
    int k = parse_kind(p);
    switch (k) {
    case TK_KW_FN: case TK_KW_STRUCT: case TK_KW_STATIC: case TK_KW_USE: case TK_KW_MOD:
    case TK_KW_IMPL: case TK_KW_ENUM: case TK_KW_TRAIT: case TK_KW_TYPE: case TK_KW_EXTERN:
    case TK_KW_PUB:
        return true;
    case TK_KW_CONST:
        return parse_peek(p, 1)->kind != TK_LBRACE;
    default:
        return false;
    }
}

static StmtId new_stmt(Parser *p, int kind, uint32_t lo)
{
    StmtId id = fe_store_new(&p->c->stmts);
    FeStmt *s = fe_stmt(p->c, id);
    s->kind = (uint8_t)kind;
    s->span = parse_span(p, lo, p->prev_hi);
    return id;
}

/* Skips an item inside a block (to `;` or past its body). */
static void skip_block_item(Parser *p)
{
    while (parse_kind(p) != TK_EOF && parse_kind(p) != TK_RBRACE) {
        int k = parse_kind(p);
        if (k == TK_LBRACE) {
            parse_skip_group(p);
            return;
        }
        if (k == TK_LPAREN || k == TK_LBRACKET) {
            parse_skip_group(p);
            continue;
        }
        parse_next(p);
        if (k == TK_SEMI)
            return;
    }
}

ExprId parse_block(Parser *p)
{
    uint32_t lo = parse_peek(p, 0)->lo;
    if (!parse_expect(p, TK_LBRACE))
        return error_expr(p, lo);
    if (!parse_enter(p)) {
        p->depth--;
        return error_expr(p, lo);
    }
    Vec(StmtId) stmts = {0};
    ExprId tail = 0;
    while (parse_kind(p) != TK_RBRACE && parse_kind(p) != TK_EOF && !p->failed) {
        const Token *t = parse_peek(p, 0);
        if (t->kind == TK_SEMI) {
            parse_next(p);
            continue;
        }
        while ((t->kind == TK_POUND && parse_peek(p, 1)->kind == TK_LBRACKET) || t->kind == TK_DOC_OUTER) {
            /* attributes on statements: only lint levels are meaningful; skip them */
            if (t->kind == TK_DOC_OUTER) {
                parse_next(p);
            } else {
                parse_next(p);
                parse_skip_group(p);
            }
            t = parse_peek(p, 0);
        }
        if (starts_item(p)) {
            parse_unsupported(p, parse_tok_span(p, t), "items inside function bodies");
            skip_block_item(p);
            continue;
        }
        if (t->kind == TK_KW_LET) {
            parse_next(p);
            p->in_let_pattern = true;
            PatId pat = parse_pattern(p);
            p->in_let_pattern = false;
            TyxId ty = 0;
            ExprId init = 0;
            if (parse_eat(p, TK_COLON))
                ty = parse_type(p);
            if (parse_eat(p, TK_EQ))
                init = parse_expr(p);
            if (parse_kind(p) == TK_KW_ELSE) {
                parse_unsupported(p, parse_tok_span(p, parse_peek(p, 0)), "`let ... else`");
                parse_next(p);
                parse_block(p);
            }
            parse_expect(p, TK_SEMI);
            StmtId s = new_stmt(p, FE_STMT_LET, t->lo);
            fe_stmt(p->c, s)->pat = pat;
            fe_stmt(p->c, s)->tyx = ty;
            fe_stmt(p->c, s)->expr = init;
            vec_push(&stmts, s);
            continue;
        }
        ExprId e;
        bool blocky = is_block_like(p);
        if (blocky) {
            e = block_like(p, 0);
            if (parse_kind(p) == TK_DOT || parse_kind(p) == TK_QUESTION) {
                e = postfix(p, e, t->lo);
                blocky = false;
            }
        } else {
            e = parse_expr(p);
        }
        if (p->failed)
            break;
        if (parse_eat(p, TK_SEMI)) {
            StmtId s = new_stmt(p, FE_STMT_SEMI, t->lo);
            fe_stmt(p->c, s)->expr = e;
            vec_push(&stmts, s);
        } else if (parse_kind(p) == TK_RBRACE) {
            tail = e;
        } else if (blocky) {
            StmtId s = new_stmt(p, FE_STMT_EXPR, t->lo);
            fe_stmt(p->c, s)->expr = e;
            vec_push(&stmts, s);
        } else {
            const Token *n = parse_peek(p, 0);
            char found[64];
            snprintf(found, sizeof found, "`%.*s`", (int)MIN(n->hi - n->lo, 40u), p->text + n->lo);
            if (n->kind == TK_EOF)
                snprintf(found, sizeof found, "<eof>");
            parse_error_at(p, parse_tok_span(p, n), "expected one of `.`, `;`, `?`, `}`, or an operator",
                           "expected one of `.`, `;`, `?`, `}`, or an operator, found %s", found);
        }
    }
    if (!p->failed)
        parse_expect(p, TK_RBRACE);
    p->depth--;
    ExprId b = parse_new_expr(p, FE_EXPR_BLOCK, parse_span(p, lo, p->prev_hi));
    E(p, b)->stmts = parse_list(p, stmts.data, stmts.len);
    E(p, b)->n = stmts.len;
    E(p, b)->a = tail;
    vec_free(&stmts);
    return b;
}

/*
 * calc/parser.c — tokens to a syntax tree, by recursive descent.
 *
 *   program   := stmt*
 *   stmt      := "let" IDENT "=" expr ";" | "fn" IDENT params block | "if" expr block
 *                ("else" (if-stmt | block))? | "while" expr block | "for" IDENT "in" expr block
 *                | "return" expr? ";" | "break" ";" | "continue" ";" | block | expr ";"
 *   expr      := assign;  assign := or (("=" | "+=" | "-=") assign)?
 *   or := and ("or" and)*;  and := not ("and" not)*;  not := "not" not | cmp
 *   cmp := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)*
 *   sum := term (("+" | "-") term)*;  term := unary (("*" | "/" | "%") unary)*
 *   unary := "-" unary | postfix;  postfix := primary ("(" args ")" | "[" expr "]" | "." IDENT)*
 */
#include "calc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
    Lexer lx;
    Token cur, prev;
    jmp_buf fail;
    char *err;
    size_t errlen;
} Parser;

static _Noreturn void perr(Parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void perr(Parser *p, const char *fmt, ...)
{
    int n = snprintf(p->err, p->errlen, "line %d: ", p->cur.line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < p->errlen)
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    longjmp(p->fail, 1);
}

static void advance(Parser *p)
{
    p->prev = p->cur;
    p->cur = lex_next(&p->lx);
    if (p->cur.kind == T_EOF && p->cur.len == -1)
        perr(p, "unterminated string");
    if (p->cur.kind == T_EOF && p->cur.len == -2)
        perr(p, "unexpected character '%c'", *p->cur.start);
}

static bool accept(Parser *p, TokKind k)
{
    if (p->cur.kind != k)
        return false;
    advance(p);
    return true;
}

static void expect(Parser *p, TokKind k, const char *where)
{
    if (!accept(p, k))
        perr(p, "expected '%s' %s, found '%s'", tok_name(k), where, tok_name(p->cur.kind));
}

static Node *node(Parser *p, NodeKind k)
{
    Node *n = xalloc(sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = k;
    n->line = p->prev.line;
    return n;
}

typedef struct NodeList {
    Node **items;
    int n, cap;
} NodeList;

static void nl_push(NodeList *l, Node *n)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->items = xgrow(l->items, sizeof(Node *) * (size_t)l->cap);
    }
    l->items[l->n++] = n;
}

/* Decodes the escapes of a string literal token. */
static char *string_text(Parser *p, const Token *t, int *len)
{
    char *out = xalloc((size_t)t->len);
    int n = 0;
    for (int i = 1; i < t->len - 1; i++) {
        char c = t->start[i];
        if (c == '\\') {
            char e = t->start[++i];
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case '\\': c = '\\'; break;
            case '"': c = '"'; break;
            case '0': c = 0; break;
            default: perr(p, "unknown escape '\\%c'", e);
            }
        }
        out[n++] = c;
    }
    out[n] = 0;
    *len = n;
    return out;
}

static Node *expr(Parser *p);
static Node *block(Parser *p);

static void params(Parser *p, Node *fn)
{
    expect(p, T_LPAREN, "before parameters");
    int cap = 0;
    if (!accept(p, T_RPAREN)) {
        do {
            expect(p, T_IDENT, "as a parameter name");
            if (fn->nparams == cap) {
                cap = cap ? cap * 2 : 4;
                fn->params = xgrow(fn->params, sizeof(char *) * (size_t)cap);
            }
            fn->params[fn->nparams++] = xstrndup_calc(p->prev.start, (size_t)p->prev.len);
        } while (accept(p, T_COMMA));
        expect(p, T_RPAREN, "after parameters");
    }
}

static Node *primary(Parser *p)
{
    if (accept(p, T_INT)) {
        Node *n = node(p, N_INT);
        n->ival = p->prev.ival;
        return n;
    }
    if (accept(p, T_FLOAT)) {
        Node *n = node(p, N_FLOAT);
        n->fval = p->prev.fval;
        return n;
    }
    if (accept(p, T_STRING)) {
        Node *n = node(p, N_STRING);
        n->name = string_text(p, &p->prev, &n->name_len);
        return n;
    }
    if (accept(p, T_TRUE) || accept(p, T_FALSE)) {
        Node *n = node(p, N_BOOL);
        n->ival = p->prev.kind == T_TRUE;
        return n;
    }
    if (accept(p, T_NIL))
        return node(p, N_NIL);
    if (accept(p, T_IDENT)) {
        Node *n = node(p, N_VAR);
        n->name = xstrndup_calc(p->prev.start, (size_t)p->prev.len);
        n->name_len = p->prev.len;
        return n;
    }
    if (accept(p, T_LPAREN)) {
        Node *n = expr(p);
        expect(p, T_RPAREN, "after a parenthesised expression");
        return n;
    }
    if (accept(p, T_LBRACKET)) {
        Node *n = node(p, N_LIST);
        NodeList l = {0};
        if (!accept(p, T_RBRACKET)) {
            do {
                if (p->cur.kind == T_RBRACKET)
                    break;  /* trailing comma */
                nl_push(&l, expr(p));
            } while (accept(p, T_COMMA));
            expect(p, T_RBRACKET, "after list items");
        }
        n->items = l.items;
        n->nitems = l.n;
        return n;
    }
    if (accept(p, T_LBRACE)) {
        Node *n = node(p, N_MAP);
        NodeList l = {0};
        if (!accept(p, T_RBRACE)) {
            do {
                if (p->cur.kind == T_RBRACE)
                    break;
                nl_push(&l, expr(p));
                expect(p, T_COLON, "between a map key and its value");
                nl_push(&l, expr(p));
            } while (accept(p, T_COMMA));
            expect(p, T_RBRACE, "after map entries");
        }
        n->items = l.items;
        n->nitems = l.n;
        return n;
    }
    if (accept(p, T_FN)) {
        Node *n = node(p, N_FN);
        params(p, n);
        n->a = block(p);
        return n;
    }
    perr(p, "expected an expression, found '%s'", tok_name(p->cur.kind));
}

static Node *postfix(Parser *p)
{
    Node *n = primary(p);
    for (;;) {
        if (accept(p, T_LPAREN)) {
            Node *call = node(p, N_CALL);
            call->a = n;
            NodeList l = {0};
            if (!accept(p, T_RPAREN)) {
                do
                    nl_push(&l, expr(p));
                while (accept(p, T_COMMA));
                expect(p, T_RPAREN, "after arguments");
            }
            call->items = l.items;
            call->nitems = l.n;
            n = call;
        } else if (accept(p, T_LBRACKET)) {
            Node *ix = node(p, N_INDEX);
            ix->a = n;
            ix->b = expr(p);
            expect(p, T_RBRACKET, "after an index");
            n = ix;
        } else if (accept(p, T_DOT)) {
            expect(p, T_IDENT, "after '.'");
            Node *f = node(p, N_FIELD);
            f->a = n;
            f->name = xstrndup_calc(p->prev.start, (size_t)p->prev.len);
            f->name_len = p->prev.len;
            n = f;
        } else {
            return n;
        }
    }
}

static Node *unary(Parser *p)
{
    if (accept(p, T_MINUS)) {
        Node *n = node(p, N_UNARY);
        n->op = T_MINUS;
        n->a = unary(p);
        return n;
    }
    return postfix(p);
}

static Node *binary(Parser *p, Node *(*next)(Parser *), const TokKind *ops)
{
    Node *left = next(p);
    for (;;) {
        TokKind found = T_EOF;
        for (const TokKind *o = ops; *o != T_EOF; o++)
            if (p->cur.kind == *o)
                found = *o;
        if (found == T_EOF)
            return left;
        advance(p);
        Node *n = node(p, N_BINARY);
        n->op = found;
        n->a = left;
        n->b = next(p);
        left = n;
    }
}

static Node *term(Parser *p)
{
    static const TokKind ops[] = {T_STAR, T_SLASH, T_PERCENT, T_EOF};
    return binary(p, unary, ops);
}

static Node *sum(Parser *p)
{
    static const TokKind ops[] = {T_PLUS, T_MINUS, T_EOF};
    return binary(p, term, ops);
}

static Node *cmp(Parser *p)
{
    static const TokKind ops[] = {T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_EOF};
    return binary(p, sum, ops);
}

static Node *not_expr(Parser *p)
{
    if (accept(p, T_NOT)) {
        Node *n = node(p, N_UNARY);
        n->op = T_NOT;
        n->a = not_expr(p);
        return n;
    }
    return cmp(p);
}

static Node *and_expr(Parser *p)
{
    Node *left = not_expr(p);
    while (accept(p, T_AND)) {
        Node *n = node(p, N_AND);
        n->a = left;
        n->b = not_expr(p);
        left = n;
    }
    return left;
}

static Node *or_expr(Parser *p)
{
    Node *left = and_expr(p);
    while (accept(p, T_OR)) {
        Node *n = node(p, N_OR);
        n->a = left;
        n->b = and_expr(p);
        left = n;
    }
    return left;
}

static Node *expr(Parser *p)
{
    Node *target = or_expr(p);
    if (p->cur.kind == T_ASSIGN || p->cur.kind == T_PLUS_ASSIGN || p->cur.kind == T_MINUS_ASSIGN) {
        TokKind op = p->cur.kind;
        if (target->kind != N_VAR && target->kind != N_INDEX && target->kind != N_FIELD)
            perr(p, "cannot assign to this expression");
        advance(p);
        Node *n = node(p, N_ASSIGN);
        n->op = op;
        n->a = target;
        n->b = expr(p);
        return n;
    }
    return target;
}

static Node *stmt(Parser *p);

static Node *block(Parser *p)
{
    expect(p, T_LBRACE, "to open a block");
    Node *n = node(p, N_BLOCK);
    NodeList l = {0};
    while (!accept(p, T_RBRACE)) {
        if (p->cur.kind == T_EOF)
            perr(p, "unclosed block");
        nl_push(&l, stmt(p));
    }
    n->items = l.items;
    n->nitems = l.n;
    return n;
}

static Node *if_stmt(Parser *p)
{
    Node *n = node(p, N_IF);
    n->a = expr(p);
    n->b = block(p);
    if (accept(p, T_ELSE)) {
        if (accept(p, T_IF))
            n->c = if_stmt(p);
        else
            n->c = block(p);
    }
    return n;
}

static Node *stmt(Parser *p)
{
    if (accept(p, T_LET)) {
        Node *n = node(p, N_LET);
        expect(p, T_IDENT, "after 'let'");
        n->name = xstrndup_calc(p->prev.start, (size_t)p->prev.len);
        n->name_len = p->prev.len;
        expect(p, T_ASSIGN, "after the variable name");
        n->a = expr(p);
        expect(p, T_SEMI, "after a let statement");
        return n;
    }
    if (p->cur.kind == T_FN) {
        /* "fn name(...)" declares; "fn(...)" is an expression statement. */
        Lexer save = p->lx;
        Token save_cur = p->cur;
        advance(p);
        if (p->cur.kind == T_IDENT) {
            Node *n = node(p, N_FN_DECL);
            n->name = xstrndup_calc(p->cur.start, (size_t)p->cur.len);
            n->name_len = p->cur.len;
            advance(p);
            params(p, n);
            n->a = block(p);
            return n;
        }
        p->lx = save;
        p->cur = save_cur;
    }
    if (accept(p, T_IF))
        return if_stmt(p);
    if (accept(p, T_WHILE)) {
        Node *n = node(p, N_WHILE);
        n->a = expr(p);
        n->b = block(p);
        return n;
    }
    if (accept(p, T_FOR)) {
        Node *n = node(p, N_FOR);
        expect(p, T_IDENT, "after 'for'");
        n->name = xstrndup_calc(p->prev.start, (size_t)p->prev.len);
        n->name_len = p->prev.len;
        expect(p, T_IN, "in a for loop");
        n->a = expr(p);
        n->b = block(p);
        return n;
    }
    if (accept(p, T_RETURN)) {
        Node *n = node(p, N_RETURN);
        if (!accept(p, T_SEMI)) {
            n->a = expr(p);
            expect(p, T_SEMI, "after return");
        }
        return n;
    }
    if (accept(p, T_BREAK)) {
        Node *n = node(p, N_BREAK);
        expect(p, T_SEMI, "after break");
        return n;
    }
    if (accept(p, T_CONTINUE)) {
        Node *n = node(p, N_CONTINUE);
        expect(p, T_SEMI, "after continue");
        return n;
    }
    if (p->cur.kind == T_LBRACE)
        return block(p);
    Node *n = node(p, N_EXPR_STMT);
    n->a = expr(p);
    expect(p, T_SEMI, "after an expression");
    return n;
}

Node *parse_program(const char *src, char *err, size_t errlen)
{
    Parser p;
    memset(&p, 0, sizeof p);
    p.err = err;
    p.errlen = errlen;
    lex_init(&p.lx, src);
    if (setjmp(p.fail))
        return NULL;
    advance(&p);
    Node *prog = node(&p, N_BLOCK);
    NodeList l = {0};
    while (p.cur.kind != T_EOF)
        nl_push(&l, stmt(&p));
    prog->items = l.items;
    prog->nitems = l.n;
    return prog;
}

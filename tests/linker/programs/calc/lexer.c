/* calc/lexer.c — source text to tokens. */
#include "calc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tok_names[T_COUNT] = {
#define X(id, text) text,
    CALC_TOKENS(X)
#undef X
};

const char *tok_name(TokKind k)
{
    return k < T_COUNT ? tok_names[k] : "?";
}

static const struct {
    const char *word;
    TokKind kind;
} keywords[] = {
    {"let", T_LET}, {"fn", T_FN}, {"if", T_IF}, {"else", T_ELSE}, {"while", T_WHILE},
    {"for", T_FOR}, {"in", T_IN}, {"return", T_RETURN}, {"break", T_BREAK},
    {"continue", T_CONTINUE}, {"true", T_TRUE}, {"false", T_FALSE}, {"nil", T_NIL},
    {"and", T_AND}, {"or", T_OR}, {"not", T_NOT},
};

void lex_init(Lexer *lx, const char *src)
{
    lx->src = src;
    lx->p = src;
    lx->line = 1;
}

static void skip_space(Lexer *lx)
{
    for (;;) {
        char c = *lx->p;
        if (c == '\n') {
            lx->line++;
            lx->p++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            lx->p++;
        } else if (c == '#') {
            while (*lx->p && *lx->p != '\n')
                lx->p++;
        } else {
            return;
        }
    }
}

static Token make(Lexer *lx, TokKind k, const char *start)
{
    Token t = {0};
    t.kind = k;
    t.line = lx->line;
    t.start = start;
    t.len = (int)(lx->p - start);
    return t;
}

static Token number(Lexer *lx, const char *start)
{
    bool is_float = false;
    if (start[0] == '0' && (start[1] == 'x' || start[1] == 'X')) {
        lx->p = start + 2;
        while (isxdigit((unsigned char)*lx->p))
            lx->p++;
        Token t = make(lx, T_INT, start);
        t.ival = (int64_t)strtoull(start + 2, NULL, 16);
        return t;
    }
    while (isdigit((unsigned char)*lx->p) || *lx->p == '_')
        lx->p++;
    if (*lx->p == '.' && isdigit((unsigned char)lx->p[1])) {
        is_float = true;
        lx->p++;
        while (isdigit((unsigned char)*lx->p))
            lx->p++;
    }
    if (*lx->p == 'e' || *lx->p == 'E') {
        const char *save = lx->p;
        lx->p++;
        if (*lx->p == '+' || *lx->p == '-')
            lx->p++;
        if (isdigit((unsigned char)*lx->p)) {
            is_float = true;
            while (isdigit((unsigned char)*lx->p))
                lx->p++;
        } else {
            lx->p = save;
        }
    }
    char buf[64];
    int n = 0;
    for (const char *q = start; q < lx->p && n < 63; q++)
        if (*q != '_')
            buf[n++] = *q;
    buf[n] = 0;
    Token t = make(lx, is_float ? T_FLOAT : T_INT, start);
    if (is_float)
        t.fval = strtod(buf, NULL);
    else
        t.ival = (int64_t)strtoull(buf, NULL, 10);
    return t;
}

Token lex_next(Lexer *lx)
{
    skip_space(lx);
    const char *start = lx->p;
    char c = *lx->p;
    if (c == 0)
        return make(lx, T_EOF, start);
    if (isdigit((unsigned char)c))
        return number(lx, start);
    if (isalpha((unsigned char)c) || c == '_') {
        while (isalnum((unsigned char)*lx->p) || *lx->p == '_')
            lx->p++;
        size_t n = (size_t)(lx->p - start);
        for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
            if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, start, n) == 0)
                return make(lx, keywords[i].kind, start);
        return make(lx, T_IDENT, start);
    }
    if (c == '"') {
        lx->p++;
        while (*lx->p && *lx->p != '"') {
            if (*lx->p == '\\' && lx->p[1])
                lx->p++;
            if (*lx->p == '\n')
                lx->line++;
            lx->p++;
        }
        Token t;
        if (*lx->p == '"') {
            lx->p++;
            t = make(lx, T_STRING, start);
        } else {
            t = make(lx, T_EOF, start);
            t.len = -1;  /* unterminated */
        }
        return t;
    }
    lx->p++;
    char d = *lx->p;
    switch (c) {
    case '(': return make(lx, T_LPAREN, start);
    case ')': return make(lx, T_RPAREN, start);
    case '{': return make(lx, T_LBRACE, start);
    case '}': return make(lx, T_RBRACE, start);
    case '[': return make(lx, T_LBRACKET, start);
    case ']': return make(lx, T_RBRACKET, start);
    case ',': return make(lx, T_COMMA, start);
    case ';': return make(lx, T_SEMI, start);
    case ':': return make(lx, T_COLON, start);
    case '.': return make(lx, T_DOT, start);
    case '*': return make(lx, T_STAR, start);
    case '/': return make(lx, T_SLASH, start);
    case '%': return make(lx, T_PERCENT, start);
    case '+':
        if (d == '=') { lx->p++; return make(lx, T_PLUS_ASSIGN, start); }
        return make(lx, T_PLUS, start);
    case '-':
        if (d == '=') { lx->p++; return make(lx, T_MINUS_ASSIGN, start); }
        return make(lx, T_MINUS, start);
    case '=':
        if (d == '=') { lx->p++; return make(lx, T_EQ, start); }
        return make(lx, T_ASSIGN, start);
    case '!':
        if (d == '=') { lx->p++; return make(lx, T_NE, start); }
        break;
    case '<':
        if (d == '=') { lx->p++; return make(lx, T_LE, start); }
        return make(lx, T_LT, start);
    case '>':
        if (d == '=') { lx->p++; return make(lx, T_GE, start); }
        return make(lx, T_GT, start);
    default:
        break;
    }
    Token bad = make(lx, T_EOF, start);
    bad.len = -2;  /* unexpected character */
    return bad;
}

/*
 * frontend/lex.c — source text to tokens.
 *
 * One pass over the bytes of a file: whitespace and comments are dropped (doc
 * comments become DOC tokens), literals are validated here (escapes, digits,
 * suffixes) so that later stages decode them without failing. Errors are reported
 * with rustc's wording and the lexer goes on, so every lexical error of a file is
 * reported. Invalid UTF-8 anywhere in the file is one error ("stream did not contain
 * valid UTF-8"), as rustc reports it, and no tokens.
 */
#include "frontend/stages.h"

#include <string.h>

static const char *const spellings[] = {
#define TOK(kind, spelling, class) spelling,
#include "frontend/tokens.h"
#undef TOK
};

enum { CLASS_X, CLASS_LIT, CLASS_ID, CLASS_KW, CLASS_P };
static const uint8_t classes[] = {
#define TOK(kind, spelling, class) CLASS_##class,
#include "frontend/tokens.h"
#undef TOK
};

const char *lex_spelling(int kind) { return kind >= 0 && kind < TK_COUNT ? spellings[kind] : "?"; }
bool lex_is_keyword(int kind) { return kind >= 0 && kind < TK_COUNT && classes[kind] == CLASS_KW; }

typedef struct Lexer {
    FeSession *sess;
    uint32_t file;
    const unsigned char *s;
    uint32_t len, pos;
    TokenVec *out;
    bool space;  /* whitespace or a comment seen since the last token */
    int errors;
    /* lookup tables built from the token table at the start of each file: token kinds
     * by first character (0-terminated, longest spelling first) and spelling lengths */
    uint8_t spell_len[TK_COUNT];
    uint8_t punct_by_first[128][8];
    uint8_t kw_by_first[128][8];
} Lexer;

static void build_tables(Lexer *lx)
{
    memset(lx->punct_by_first, 0, sizeof lx->punct_by_first);
    memset(lx->kw_by_first, 0, sizeof lx->kw_by_first);
    for (int k = 0; k < TK_COUNT; k++) {
        lx->spell_len[k] = (uint8_t)strlen(spellings[k]);
        uint8_t (*table)[8] = classes[k] == CLASS_P ? lx->punct_by_first : classes[k] == CLASS_KW ? lx->kw_by_first : NULL;
        if (!table)
            continue;
        uint8_t *slot = table[(unsigned char)spellings[k][0] & 127];
        int n = 0;
        while (slot[n])
            n++;
        if (n >= 7)
            die("token table: too many tokens start with `%c`", spellings[k][0]);
        slot[n] = (uint8_t)k;  /* the table lists longer punctuation first */
    }
}

static Span span_of(Lexer *lx, uint32_t lo, uint32_t hi) { return (Span){lx->file, lo, hi}; }

static void lex_error(Lexer *lx, const char *code, uint32_t lo, uint32_t hi, const char *label,
                      const char *msg)
{
    lx->errors++;
    if (code)
        diag_emit_code(&lx->sess->diag, DIAG_ERROR, code, span_of(lx, lo, hi), label, "%s", msg);
    else
        diag_emit(&lx->sess->diag, DIAG_ERROR, span_of(lx, lo, hi), label, "%s", msg);
}

uint32_t lex_utf8_decode(const unsigned char *s, uint32_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    uint32_t need, min;
    uint32_t v;
    if ((c & 0xE0) == 0xC0) {
        need = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        need = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        need = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (uint32_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return need;
}

static bool valid_utf8(const unsigned char *s, uint32_t n)
{
    uint32_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp, k = lex_utf8_decode(s + i, n - i, &cp);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

static bool is_ident_start(uint32_t c) { return (c | 32) - 'a' < 26 || c == '_' || c >= 0x80; }
static bool is_ident_continue(uint32_t c) { return is_ident_start(c) || c - '0' < 10; }
static bool is_digit_in(uint32_t c, int base)
{
    if (c - '0' < 10)
        return (int)(c - '0') < base;
    return base == 16 && (c | 32) - 'a' < 6;
}

/* The code point at pos (ASCII fast path); *w gets its length (1 at EOF). */
static uint32_t peek_cp(Lexer *lx, uint32_t pos, uint32_t *w)
{
    *w = 1;
    if (pos >= lx->len)
        return 0;
    if (lx->s[pos] < 0x80)
        return lx->s[pos];
    uint32_t cp;
    *w = lex_utf8_decode(lx->s + pos, lx->len - pos, &cp);
    if (!*w) {
        *w = 1;
        return 0xFFFD;
    }
    return cp;
}

static bool is_unicode_space(uint32_t c)
{
    return c == 0x85 || c == 0x200E || c == 0x200F || c == 0x2028 || c == 0x2029;
}

static void push(Lexer *lx, int kind, uint32_t lo, uint32_t hi, uint8_t flags, uint16_t suffix)
{
    Token t = {(uint8_t)kind, (uint8_t)(flags | (lx->space ? LEX_AFTER_SPACE : 0)), suffix, lo, hi};
    vec_push(lx->out, t);
    lx->space = false;
}

/* Skips a block comment starting at pos ("/" "*"); returns false when unterminated. */
static bool skip_block_comment(Lexer *lx)
{
    uint32_t start = lx->pos;
    int depth = 0;
    while (lx->pos < lx->len) {
        if (lx->s[lx->pos] == '/' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '*') {
            depth++;
            lx->pos += 2;
        } else if (lx->s[lx->pos] == '*' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '/') {
            depth--;
            lx->pos += 2;
            if (depth == 0)
                return true;
        } else {
            lx->pos++;
        }
    }
    lex_error(lx, "E0758", start, start + 2, "unterminated block comment",
              "unterminated block comment");
    return false;
}

/* Validates one escape at lx->pos (after the backslash's position `bs`). `quote` is
 * the closing quote; byte literals allow \xHH up to FF and no \u. */
static void lex_escape(Lexer *lx, uint32_t bs, bool byte)
{
    uint32_t w;
    uint32_t c = peek_cp(lx, lx->pos, &w);
    switch (c) {
    case 'n': case 'r': case 't': case '\\': case '0': case '\'': case '"':
        lx->pos++;
        return;
    case 'x': {
        lx->pos++;
        uint32_t v = 0, n = 0;
        while (n < 2 && lx->pos < lx->len && is_digit_in(lx->s[lx->pos], 16)) {
            unsigned d = lx->s[lx->pos];
            v = v * 16 + (d <= '9' ? d - '0' : (d | 32) - 'a' + 10);
            lx->pos++, n++;
        }
        if (n < 2)
            lex_error(lx, NULL, bs, lx->pos, "numeric character escape is too short",
                      "numeric character escape is too short");
        else if (!byte && v > 0x7F)
            lex_error(lx, NULL, bs, lx->pos, "must be a character in the range [\\x00-\\x7f]",
                      "out of range hex escape");
        return;
    }
    case 'u': {
        lx->pos++;
        if (lx->pos >= lx->len || lx->s[lx->pos] != '{') {
            lex_error(lx, NULL, bs, lx->pos, "incorrect unicode escape sequence",
                      "incorrect unicode escape sequence");
            return;
        }
        lx->pos++;
        uint32_t v = 0, n = 0;
        bool too_long = false;
        while (lx->pos < lx->len && (is_digit_in(lx->s[lx->pos], 16) || lx->s[lx->pos] == '_')) {
            unsigned d = lx->s[lx->pos++];
            if (d == '_')
                continue;
            if (++n > 6)
                too_long = true;
            else
                v = v * 16 + (d <= '9' ? d - '0' : (d | 32) - 'a' + 10);
        }
        if (lx->pos >= lx->len || lx->s[lx->pos] != '}') {
            lex_error(lx, NULL, bs, lx->pos, "unterminated unicode escape",
                      "unterminated unicode escape");
            return;
        }
        lx->pos++;
        if (byte)
            lex_error(lx, NULL, bs, lx->pos, "unicode escape in byte string",
                      "unicode escape in byte string");
        else if (n == 0)
            lex_error(lx, NULL, bs, lx->pos, "this escape must have at least 1 hex digit",
                      "empty unicode escape");
        else if (too_long)
            lex_error(lx, NULL, bs, lx->pos, "overlong unicode escape",
                      "overlong unicode escape");
        else if (v > 0x10FFFF)
            lex_error(lx, NULL, bs, lx->pos, "invalid escape", "invalid unicode character escape");
        else if (v >= 0xD800 && v <= 0xDFFF)
            lex_error(lx, NULL, bs, lx->pos, "invalid escape",
                      "invalid unicode character escape");
        return;
    }
    case '\n':
        lx->pos++;
        return;  /* line continuation in strings (checked by the caller) */
    default: {
        char msg[64];
        if (c == 0 && lx->pos >= lx->len)
            return;
        if (c >= 0x20 && c < 0x7F)
            snprintf(msg, sizeof msg, "unknown character escape: `%c`", (char)c);
        else
            snprintf(msg, sizeof msg, "unknown character escape: `\\u{%x}`", c);
        lex_error(lx, NULL, lx->pos, lx->pos + w, "unknown character escape", msg);
        lx->pos += w;
    }
    }
}

/* A quoted string body from lx->pos (after the opening quote at `open`). */
static void lex_string(Lexer *lx, uint32_t start, uint32_t open, int kind)
{
    bool byte = kind == TK_BYTE_STR;
    uint8_t bad = 0;
    while (lx->pos < lx->len && lx->s[lx->pos] != '"') {
        unsigned char c = lx->s[lx->pos];
        if (c == '\\') {
            uint32_t bs = lx->pos++;
            int before = lx->errors;
            lex_escape(lx, bs, byte);
            if (lx->errors != before)
                bad = LEX_BAD;
        } else if (c == '\r' && !(lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '\n')) {
            lex_error(lx, NULL, lx->pos, lx->pos + 1, "bare CR not allowed in string",
                      "bare CR not allowed in string, use `\\r` instead");
            bad = LEX_BAD;
            lx->pos++;
        } else if (byte && c >= 0x80) {
            uint32_t w;
            peek_cp(lx, lx->pos, &w);
            lex_error(lx, NULL, lx->pos, lx->pos + w, "must be ASCII",
                      "non-ASCII character in byte string literal");
            bad = LEX_BAD;
            lx->pos += w;
        } else {
            lx->pos++;
        }
    }
    if (lx->pos >= lx->len) {
        lex_error(lx, "E0765", open, open + 1, NULL,
                  byte ? "unterminated double quote byte string" : "unterminated double quote string");
        push(lx, kind, start, lx->len, LEX_BAD, 0);
        return;
    }
    lx->pos++;
    push(lx, kind, start, lx->pos, bad, 0);
}

/* r"..." / r#"..."# / br"..." starting at `start`, lx->pos at the first `#` or `"`. */
static void lex_raw_string(Lexer *lx, uint32_t start, int kind)
{
    uint32_t hashes = 0;
    while (lx->pos < lx->len && lx->s[lx->pos] == '#')
        hashes++, lx->pos++;
    if (lx->pos >= lx->len || lx->s[lx->pos] != '"') {
        lex_error(lx, NULL, start, lx->pos + (lx->pos < lx->len), NULL,
                  "found invalid character; only `#` is allowed in raw string delimitation");
        push(lx, kind, start, lx->pos, LEX_BAD | LEX_RAW, 0);
        return;
    }
    if (hashes > 255) {
        lex_error(lx, NULL, start, lx->pos, NULL, "too many `#` symbols: raw strings may be delimited by up to 255 `#` symbols");
        hashes = 255;
    }
    lx->pos++;
    for (;;) {
        if (lx->pos >= lx->len) {
            lex_error(lx, "E0748", start, start + 1, "unterminated raw string",
                      "unterminated raw string");
            push(lx, kind, start, lx->len, LEX_BAD | LEX_RAW, (uint16_t)hashes);
            return;
        }
        if (lx->s[lx->pos] == '"') {
            uint32_t k = 0;
            while (k < hashes && lx->pos + 1 + k < lx->len && lx->s[lx->pos + 1 + k] == '#')
                k++;
            if (k == hashes) {
                lx->pos += 1 + hashes;
                break;
            }
        }
        if (kind == TK_BYTE_STR && lx->s[lx->pos] >= 0x80) {
            uint32_t w;
            peek_cp(lx, lx->pos, &w);
            lex_error(lx, NULL, lx->pos, lx->pos + w, "must be ASCII",
                      "non-ASCII character in raw byte string literal");
            lx->pos += w;
            continue;
        }
        lx->pos++;
    }
    push(lx, kind, start, lx->pos, LEX_RAW, (uint16_t)hashes);
}

/* 'c' or b'c' (lx->pos after the opening quote), or a lifetime 'a. */
static void lex_quote(Lexer *lx, uint32_t start, bool byte)
{
    uint32_t w;
    uint32_t c = peek_cp(lx, lx->pos, &w);
    if (!byte && c != '\\' && lx->pos + w < lx->len && lx->s[lx->pos + w] != '\'' &&
        is_ident_start(c)) {
        /* a lifetime or label */
        lx->pos += w;
        while (lx->pos < lx->len) {
            c = peek_cp(lx, lx->pos, &w);
            if (!is_ident_continue(c))
                break;
            lx->pos += w;
        }
        if (lx->pos < lx->len && lx->s[lx->pos] == '\'') {
            lex_error(lx, "E0762", start, start + 1, NULL, "character literal may only contain one codepoint");
            lx->pos++;
            push(lx, TK_CHAR, start, lx->pos, LEX_BAD, 0);
            return;
        }
        push(lx, TK_LIFETIME, start, lx->pos, 0, 0);
        return;
    }
    uint8_t bad = 0;
    if (lx->pos >= lx->len || c == '\n' || (c == '\'' )) {
        if (c == '\'') {
            lex_error(lx, NULL, start + 1, lx->pos + 1, "empty character literal", "empty character literal");
            lx->pos++;
            push(lx, byte ? TK_BYTE : TK_CHAR, start, lx->pos, LEX_BAD, 0);
            return;
        }
        lex_error(lx, "E0762", start, start + 1, NULL,
                  byte ? "unterminated byte constant" : "unterminated character literal");
        push(lx, byte ? TK_BYTE : TK_CHAR, start, lx->pos, LEX_BAD, 0);
        return;
    }
    if (c == '\\') {
        uint32_t bs = lx->pos++;
        int before = lx->errors;
        lex_escape(lx, bs, byte);
        if (lx->errors != before)
            bad = LEX_BAD;
    } else {
        if (byte && c >= 0x80) {
            lex_error(lx, NULL, lx->pos, lx->pos + w, "must be ASCII",
                      "non-ASCII character in byte literal");
            bad = LEX_BAD;
        }
        if (c == '\t' || c == '\r') {
            lex_error(lx, NULL, lx->pos, lx->pos + 1, NULL,
                      "character constant must be escaped: `\\t`");
            bad = LEX_BAD;
        }
        lx->pos += w;
    }
    if (lx->pos >= lx->len || lx->s[lx->pos] != '\'') {
        /* more than one char before a closing quote on this line? */
        uint32_t p = lx->pos;
        while (p < lx->len && p - lx->pos < 64 && lx->s[p] != '\'' && lx->s[p] != '\n')
            p++;
        if (p < lx->len && lx->s[p] == '\'') {
            lex_error(lx, NULL, start, p + 1, NULL,
                      byte ? "byte literal may only contain one byte"
                           : "character literal may only contain one codepoint");
            lx->pos = p + 1;
        } else {
            lex_error(lx, "E0762", start, start + 1, NULL,
                      byte ? "unterminated byte constant" : "unterminated character literal");
        }
        push(lx, byte ? TK_BYTE : TK_CHAR, start, lx->pos, LEX_BAD, 0);
        return;
    }
    lx->pos++;
    push(lx, byte ? TK_BYTE : TK_CHAR, start, lx->pos, bad, 0);
}

static const struct { const char *name; uint8_t suffix; } suffixes[] = {
#define X(k, name, size, is_signed) {name, 1 + FE_INT_##k},
    FE_INT_KINDS(X)
#undef X
    {"f32", LEX_SUFFIX_F32},
    {"f64", LEX_SUFFIX_F64},
};

static void lex_number(Lexer *lx, uint32_t start)
{
    int base = 10;
    bool is_float = false;
    uint8_t bad = 0;
    const unsigned char *s = lx->s;
    if (s[lx->pos] == '0' && lx->pos + 1 < lx->len) {
        char b = (char)s[lx->pos + 1];
        base = b == 'x' ? 16 : b == 'o' ? 8 : b == 'b' ? 2 : 10;
        if (base != 10)
            lx->pos += 2;
    }
    uint32_t digits_start = lx->pos;
    uint32_t ndigits = 0;
    /* digits (hex for base 16; all decimals otherwise, checked against the base) */
    while (lx->pos < lx->len) {
        unsigned c = s[lx->pos];
        if (c == '_') {
            lx->pos++;
            continue;
        }
        if (c - '0' < 10 || (base == 16 && is_digit_in(c, 16))) {
            if (!is_digit_in(c, base) && !bad) {
                char msg[64];
                snprintf(msg, sizeof msg, "invalid digit for a base %d literal", base);
                lex_error(lx, NULL, lx->pos, lx->pos + 1, NULL, msg);
                bad = LEX_BAD;
            }
            ndigits++;
            lx->pos++;
            continue;
        }
        break;
    }
    if (base == 10) {
        /* fraction: `.` not followed by `.`, an identifier or another `.` */
        if (lx->pos < lx->len && s[lx->pos] == '.' &&
            !(lx->pos + 1 < lx->len && (s[lx->pos + 1] == '.' || is_ident_start(s[lx->pos + 1])))) {
            is_float = true;
            lx->pos++;
            while (lx->pos < lx->len && ((unsigned)(s[lx->pos] - '0') < 10u || s[lx->pos] == '_'))
                lx->pos++;
        }
        if (lx->pos < lx->len && (s[lx->pos] | 32) == 'e') {
            uint32_t p = lx->pos + 1;
            if (p < lx->len && (s[p] == '+' || s[p] == '-'))
                p++;
            while (p < lx->len && s[p] == '_')
                p++;
            if (p < lx->len && (unsigned)(s[p] - '0') < 10u) {
                is_float = true;
                lx->pos = p;
                while (lx->pos < lx->len && ((unsigned)(s[lx->pos] - '0') < 10u || s[lx->pos] == '_'))
                    lx->pos++;
            }
        }
    }
    if (base != 10 && ndigits == 0 && !bad) {
        lex_error(lx, "E0768", start, lx->pos, NULL, "no valid digits found for number");
        bad = LEX_BAD;
    }
    /* suffix */
    uint32_t suf_start = lx->pos;
    uint32_t w;
    if (lx->pos < lx->len && is_ident_start(peek_cp(lx, lx->pos, &w))) {
        while (lx->pos < lx->len && is_ident_continue(peek_cp(lx, lx->pos, &w)))
            lx->pos += w;
    }
    uint32_t suf_len = lx->pos - suf_start;
    uint8_t suffix = LEX_SUFFIX_NONE;
    if (suf_len) {
        for (size_t i = 0; i < ARRAY_LEN(suffixes); i++)
            if (strlen(suffixes[i].name) == suf_len &&
                memcmp(suffixes[i].name, s + suf_start, suf_len) == 0)
                suffix = suffixes[i].suffix;
        if (suffix >= LEX_SUFFIX_F32 && base != 10 && !bad) {
            lex_error(lx, NULL, start, lx->pos, NULL, "binary float literal is not supported");
            bad = LEX_BAD;
        }
        if (suffix == LEX_SUFFIX_NONE && !bad) {
            char label[96], msg[96];
            int n = (int)MIN(suf_len, 40u);
            snprintf(label, sizeof label, "invalid suffix `%.*s`", n, s + suf_start);
            snprintf(msg, sizeof msg, "invalid suffix `%.*s` for %s literal", n, s + suf_start,
                     is_float ? "float" : "number");
            lex_error(lx, NULL, start, lx->pos, label, msg);
            diag_note(&lx->sess->diag, "help",
                      is_float ? "valid suffixes are `f32` and `f64`"
                               : "the suffix must be one of the numeric types (`u32`, `isize`, `f32`, etc.)");
            bad = LEX_BAD;
        }
        if (is_float && suffix != LEX_SUFFIX_NONE && suffix < LEX_SUFFIX_F32 && !bad) {
            char msg[96];
            snprintf(msg, sizeof msg, "invalid suffix `%.*s` for float literal", (int)suf_len,
                     s + suf_start);
            lex_error(lx, NULL, start, lx->pos, NULL, msg);
            bad = LEX_BAD;
        }
        if (suffix >= LEX_SUFFIX_F32)
            is_float = true;
    }
    (void)digits_start;
    push(lx, is_float ? TK_FLOAT : TK_INT, start, lx->pos, (uint8_t)(suffix | bad),
         (uint16_t)MIN(suf_len, 0xFFFFu));
}

/* Keyword lookup by first character, length and text. */
static int keyword_kind(Lexer *lx, const unsigned char *s, uint32_t len)
{
    if (len < 2 || len > 8 || s[0] >= 128)
        return -1;
    for (const uint8_t *k = lx->kw_by_first[s[0]]; *k; k++)
        if (lx->spell_len[*k] == len && memcmp(spellings[*k], s, len) == 0)
            return *k;
    return -1;
}

static void lex_ident(Lexer *lx, uint32_t start)
{
    uint32_t w;
    while (lx->pos < lx->len && is_ident_continue(peek_cp(lx, lx->pos, &w)))
        lx->pos += w;
    uint32_t len = lx->pos - start;
    if (len == 1 && lx->s[start] == '_') {
        push(lx, TK_UNDERSCORE, start, lx->pos, 0, 0);
        return;
    }
    int kw = keyword_kind(lx, lx->s + start, len);
    push(lx, kw >= 0 ? kw : TK_IDENT, start, lx->pos, 0, 0);
}

/* Punctuation: longest match over the P entries of the table. */
static int punct_kind(Lexer *lx, uint32_t *len)
{
    for (const uint8_t *k = lx->punct_by_first[lx->s[lx->pos] & 127]; *k; k++) {
        uint32_t n = lx->spell_len[*k];
        if (lx->pos + n <= lx->len && memcmp(lx->s + lx->pos, spellings[*k], n) == 0) {
            *len = n;
            return *k;
        }
    }
    return -1;
}

static void lex_comment(Lexer *lx)
{
    const unsigned char *s = lx->s;
    uint32_t start = lx->pos;
    if (s[lx->pos + 1] == '/') {
        uint32_t end = lx->pos;
        while (end < lx->len && s[end] != '\n')
            end++;
        lx->pos = end;
        uint32_t n = end - start;
        if (n >= 3 && s[start + 2] == '!')
            push(lx, TK_DOC_INNER, start, end, 0, 0);
        else if (n >= 3 && s[start + 2] == '/' && !(n >= 4 && s[start + 3] == '/'))
            push(lx, TK_DOC_OUTER, start, end, 0, 0);
        else
            lx->space = true;
        return;
    }
    if (!skip_block_comment(lx)) {
        lx->space = true;
        return;
    }
    uint32_t n = lx->pos - start;
    if (n > 4 && s[start + 2] == '!')
        push(lx, TK_DOC_INNER, start, lx->pos, 0, 0);
    else if (n > 4 && s[start + 2] == '*' && s[start + 3] != '*')
        push(lx, TK_DOC_OUTER, start, lx->pos, 0, 0);
    else
        lx->space = true;
}

bool lex_file(FeSession *sess, uint32_t file, TokenVec *out)
{
    SourceFile *f = &sess->sources.files.data[file];
    Lexer lx = {sess, file, (const unsigned char *)f->text, f->len, 0, out, false, 0, {0}, {{0}}, {{0}}};
    build_tables(&lx);
    if (!valid_utf8(lx.s, lx.len)) {
        diag_plain(&sess->diag, DIAG_ERROR, "couldn't read `%s`: stream did not contain valid UTF-8",
                   f->path);
        Token eof = {TK_EOF, 0, 0, 0, 0};
        vec_push(out, eof);
        return false;
    }
    const unsigned char *s = lx.s;
    if (lx.len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        lx.pos = 3;
    /* shebang line (but not an inner attribute #![...]) */
    if (lx.pos + 1 < lx.len && s[lx.pos] == '#' && s[lx.pos + 1] == '!') {
        uint32_t p = lx.pos + 2;
        while (p < lx.len && (s[p] == ' ' || s[p] == '\t'))
            p++;
        if (p >= lx.len || s[p] != '[')
            while (lx.pos < lx.len && s[lx.pos] != '\n')
                lx.pos++;
    }
    vec_reserve(out, lx.len / 4 + 16);
    while (lx.pos < lx.len) {
        uint32_t start = lx.pos;
        unsigned c = s[lx.pos];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
            lx.pos++;
            lx.space = true;
            continue;
        }
        if (c == '/' && lx.pos + 1 < lx.len && (s[lx.pos + 1] == '/' || s[lx.pos + 1] == '*')) {
            lex_comment(&lx);
            continue;
        }
        if (c - '0' < 10u) {
            lex_number(&lx, start);
            continue;
        }
        if (c == '"') {
            lx.pos++;
            lex_string(&lx, start, start, TK_STR);
            continue;
        }
        if (c == '\'') {
            lx.pos++;
            lex_quote(&lx, start, false);
            continue;
        }
        if (c == 'b' && lx.pos + 1 < lx.len) {
            unsigned d = s[lx.pos + 1];
            if (d == '"') {
                lx.pos += 2;
                lex_string(&lx, start, start + 1, TK_BYTE_STR);
                continue;
            }
            if (d == '\'') {
                lx.pos += 2;
                lex_quote(&lx, start, true);
                continue;
            }
            if (d == 'r' && lx.pos + 2 < lx.len && (s[lx.pos + 2] == '"' || s[lx.pos + 2] == '#')) {
                lx.pos += 2;
                lex_raw_string(&lx, start, TK_BYTE_STR);
                continue;
            }
        }
        if (c == 'r' && lx.pos + 1 < lx.len) {
            unsigned d = s[lx.pos + 1];
            if (d == '"' || (d == '#' && lx.pos + 2 < lx.len && (s[lx.pos + 2] == '"' || s[lx.pos + 2] == '#'))) {
                lx.pos++;
                lex_raw_string(&lx, start, TK_STR);
                continue;
            }
            if (d == '#' && lx.pos + 2 < lx.len && is_ident_start(s[lx.pos + 2])) {
                lx.pos += 2;
                uint32_t w;
                while (lx.pos < lx.len && is_ident_continue(peek_cp(&lx, lx.pos, &w)))
                    lx.pos += w;
                push(&lx, TK_IDENT, start, lx.pos, LEX_RAW, 0);
                continue;
            }
        }
        if (c == 'c' && lx.pos + 1 < lx.len && s[lx.pos + 1] == '"') {
            lx.pos += 1;
            lex_error(&lx, NULL, start, start + 1, NULL, "unsupported: C string literals");
            lx.pos++;
            lex_string(&lx, start, start + 1, TK_STR);
            continue;
        }
        if (c < 0x80 ? is_ident_start(c) : false) {
            lx.pos++;
            lex_ident(&lx, start);
            continue;
        }
        uint32_t plen;
        int kind = c < 0x80 ? punct_kind(&lx, &plen) : -1;
        if (kind >= 0) {
            lx.pos += plen;
            push(&lx, kind, start, lx.pos, 0, 0);
            continue;
        }
        uint32_t w, cp = peek_cp(&lx, lx.pos, &w);
        if (is_unicode_space(cp)) {
            lx.pos += w;
            lx.space = true;
            continue;
        }
        if (cp >= 0x80 && cp != 0xFFFD && !(cp >= 0x2000 && cp <= 0x2BFF) &&
            !(cp >= 0xA0 && cp <= 0xBF) && cp != 0xD7 && cp != 0xF7 && cp != 0xFEFF) {
            lx.pos += w;
            lex_ident(&lx, start);
            continue;
        }
        char msg[64];
        snprintf(msg, sizeof msg, "unknown start of token: \\u{%x}", cp);
        lex_error(&lx, NULL, start, start + w, NULL, msg);
        lx.pos += w;
    }
    push(&lx, TK_EOF, lx.len, lx.len, 0, 0);
    return lx.errors == 0;
}

bool lex_int_value(const char *text, uint32_t len, u128 *value)
{
    int base = 10;
    uint32_t i = 0;
    if (len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o' || text[1] == 'b')) {
        base = text[1] == 'x' ? 16 : text[1] == 'o' ? 8 : 2;
        i = 2;
    }
    u128 v = 0, max = ~(u128)0;
    for (; i < len; i++) {
        unsigned c = (unsigned char)text[i];
        if (c == '_')
            continue;
        unsigned d = c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
        if (v > (max - d) / (unsigned)base)
            return false;
        v = v * (unsigned)base + d;
    }
    *value = v;
    return true;
}

static void put_utf8(StrBuf *out, uint32_t cp)
{
    char b[4];
    uint32_t n;
    if (cp < 0x80)
        b[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        b[0] = (char)(0xC0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xE0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    else
        b[0] = (char)(0xF0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    sb_append(out, b, n);
}

static unsigned hexval(char c) { return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 32) - 'a' + 10); }

void lex_decode(const char *text, const Token *tok, StrBuf *out)
{
    const char *s = text + tok->lo, *end = text + tok->hi;
    while (s < end && *s != '"' && *s != '\'')
        s++;  /* skip b / r / br and the raw #s */
    char quote = *s++;
    if (tok->flags & LEX_RAW) {
        end -= 1 + tok->suffix;
        if (end > s)
            sb_append(out, s, (size_t)(end - s));
        return;
    }
    end--;  /* the closing quote */
    (void)quote;
    while (s < end) {
        if (*s != '\\') {
            const char *p = s;
            while (p < end && *p != '\\')
                p++;
            sb_append(out, s, (size_t)(p - s));
            s = p;
            continue;
        }
        s++;
        char e = *s++;
        switch (e) {
        case 'n': sb_putc(out, '\n'); break;
        case 'r': sb_putc(out, '\r'); break;
        case 't': sb_putc(out, '\t'); break;
        case '0': sb_putc(out, '\0'); break;
        case '\\': case '\'': case '"': sb_putc(out, e); break;
        case 'x': {
            unsigned v = hexval(s[0]) * 16 + hexval(s[1]);
            s += 2;
            if (tok->kind == TK_BYTE_STR || tok->kind == TK_BYTE)
                sb_putc(out, (char)v);
            else
                put_utf8(out, v);
            break;
        }
        case 'u': {
            s++;  /* { */
            uint32_t v = 0;
            while (*s != '}') {
                if (*s != '_')
                    v = v * 16 + hexval(*s);
                s++;
            }
            s++;
            put_utf8(out, v);
            break;
        }
        case '\n':
        case '\r':
            /* line continuation: skip the newline and the next line's leading whitespace */
            while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
                s++;
            break;
        default:
            break;  /* invalid escapes were reported by lex_file */
        }
    }
}

void lex_dump(FeSession *sess, uint32_t file, const TokenVec *toks, FILE *to)
{
    const char *text = sess->sources.files.data[file].text;
    for (uint32_t i = 0; i < toks->len; i++) {
        const Token *t = &toks->data[i];
        uint32_t line, col;
        srcmap_linecol(&sess->sources, file, t->lo, &line, &col);
        fprintf(to, "%u:%u %s", line, col, t->kind == TK_EOF ? "EOF" : lex_spelling(t->kind));
        if (t->kind != TK_EOF && classes[t->kind] != CLASS_P && classes[t->kind] != CLASS_KW) {
            uint32_t n = t->hi - t->lo;
            fprintf(to, " `%.*s%s`", (int)MIN(n, 60u), text + t->lo, n > 60 ? "..." : "");
        }
        fputc('\n', to);
    }
}

/*
 * workspace/toml.c — a TOML reader for Cargo.toml files.
 *
 * Accepts: comments; bare, basic-quoted, literal-quoted and dotted keys; [tables] and
 * [[arrays.of.tables]]; basic, literal and both multi-line string forms with every
 * escape (\b \t \n \f \r \e \" \\ \xHH \uXXXX \UXXXXXXXX); integers (decimal with `_`,
 * sign, 0x/0o/0b); booleans; arrays over several lines with comments and trailing
 * commas; inline tables, also over several lines with a trailing comma (TOML 1.1, which
 * cargo 1.95 accepts). Rejects floating-point and date-time values (no Cargo.toml key
 * that ws reads takes them) and everything else with a diagnostic at file:line:col.
 *
 * Structure rules as TOML: no key defined twice, a [table] defined once (an implicitly
 * created parent may be defined later), tables made by dotted keys are not reopened by
 * a header, inline tables and static arrays are closed, [[x]] appends to an array of
 * tables and [x.y] then extends its last element.
 *
 * Like cargo, parsing stops at the first error. Nesting deeper than MAX_DEPTH arrays or
 * inline tables is an error rather than a stack overflow. The whole document is checked
 * to be UTF-8 first, so strings and keys are always valid UTF-8.
 */
#include "workspace/workspace.h"

#include <string.h>

#define MAX_DEPTH 128

/* TomlValue.flags for tables and arrays. */
enum {
    TF_IMPLICIT = 1 << 0,  /* a table created as the parent of a [header]; may be defined once */
    TF_DOTTED = 1 << 1,    /* a table created by a dotted key */
    TF_CLOSED = 1 << 2,    /* an inline table or static array: nothing may be added */
    TF_AOT = 1 << 3,       /* an array of tables made by [[header]] */
};

typedef struct Parser {
    Arena *arena;
    Diag *diag;
    uint32_t file;
    const char *text;
    uint32_t len, pos;
    int depth;
    bool failed;
} Parser;

/* A dotted key, split into parts. */
typedef struct KeyPart {
    const char *name;
    Span span;
} KeyPart;
typedef struct Key {
    KeyPart *parts;
    uint32_t n, cap;
} Key;

const char *toml_kind_name(TomlKind kind)
{
    switch (kind) {
    case TOML_STRING: return "string";
    case TOML_INTEGER: return "integer";
    case TOML_BOOL: return "boolean";
    case TOML_ARRAY: return "array";
    case TOML_TABLE: return "table";
    }
    unreachable();
}

TomlValue *toml_get(const TomlValue *t, const char *key)
{
    if (!t || t->kind != TOML_TABLE)
        return NULL;
    for (uint32_t i = 0; i < t->nentries; i++)
        if (strcmp(t->entries[i].key, key) == 0)
            return t->entries[i].value;
    return NULL;
}

/* ---------------------------------------------------------------- errors */

static Span span_at(const Parser *p, uint32_t lo, uint32_t hi)
{
    return (Span){.file = p->file, .lo = lo, .hi = hi};
}

/* Reports the error (only the first one counts) and marks the parse failed. */
__attribute__((format(printf, 4, 5))) static void error_at(Parser *p, uint32_t lo, uint32_t hi,
                                                            const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(p->diag, DIAG_ERROR, span_at(p, lo, hi), NULL, fmt, ap);
    va_end(ap);
}

/* Describes the byte at pos for "expected X, found Y". */
static const char *found_name(const Parser *p, uint32_t pos)
{
    if (pos >= p->len)
        return "end of file";
    char c = p->text[pos];
    if (c == '\n' || c == '\r')
        return "newline";
    if (c == '#')
        return "comment";
    return NULL;
}

static void expected(Parser *p, const char *what)
{
    const char *found = found_name(p, p->pos);
    uint32_t hi = p->pos < p->len ? p->pos + 1 : p->pos;
    int c = p->pos < p->len ? (unsigned char)p->text[p->pos] : 0;
    if (found)
        error_at(p, p->pos, hi, "expected %s, found %s", what, found);
    else if (c > ' ' && c < 0x7F)
        error_at(p, p->pos, hi, "expected %s, found `%c`", what, c);
    else
        error_at(p, p->pos, hi, "expected %s", what);
}

/* ---------------------------------------------------------------- characters */

static int peek(const Parser *p, uint32_t ahead)
{
    return p->pos + ahead < p->len ? (unsigned char)p->text[p->pos + ahead] : -1;
}

static bool at(const Parser *p, const char *s)
{
    size_t n = strlen(s);
    return p->len - p->pos >= n && memcmp(p->text + p->pos, s, n) == 0;
}

static bool is_bare_key_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

/* Length of the UTF-8 sequence at s (of n bytes), or 0 when it is not valid UTF-8. */
static uint32_t utf8_len(const unsigned char *s, uint32_t n)
{
    if (s[0] < 0x80)
        return 1;
    uint32_t len, min;
    uint32_t cp;
    if ((s[0] & 0xE0) == 0xC0)
        len = 2, min = 0x80, cp = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        len = 3, min = 0x800, cp = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        len = 4, min = 0x10000, cp = s[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (uint32_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static bool check_utf8(Parser *p)
{
    const unsigned char *s = (const unsigned char *)p->text;
    for (uint32_t i = 0; i < p->len;) {
        uint32_t n = utf8_len(s + i, p->len - i);
        if (!n) {
            error_at(p, i, i + 1, "invalid UTF-8 in the document");
            return false;
        }
        i += n;
    }
    return true;
}

/* Control characters other than tab are not allowed in comments or strings. */
static bool is_control(int c) { return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7F; }

static void skip_spaces(Parser *p)
{
    while (p->pos < p->len && (p->text[p->pos] == ' ' || p->text[p->pos] == '\t'))
        p->pos++;
}

/* At a newline (LF or CRLF)? Returns its length, 0 when not at one. */
static uint32_t newline_len(const Parser *p)
{
    if (peek(p, 0) == '\n')
        return 1;
    if (peek(p, 0) == '\r' && peek(p, 1) == '\n')
        return 2;
    return 0;
}

static void skip_comment(Parser *p)
{
    if (peek(p, 0) != '#')
        return;
    while (p->pos < p->len && !newline_len(p)) {
        int c = peek(p, 0);
        if (is_control(c) && c != '\r') {
            error_at(p, p->pos, p->pos + 1, "control character in a comment");
            return;
        }
        if (c == '\r') {
            error_at(p, p->pos, p->pos + 1, "carriage return not followed by a newline");
            return;
        }
        p->pos++;
    }
}

/* Skips spaces, comments and newlines (inside arrays and inline tables). */
static void skip_blank(Parser *p)
{
    for (;;) {
        skip_spaces(p);
        skip_comment(p);
        uint32_t n = newline_len(p);
        if (!n || p->failed)
            return;
        p->pos += n;
    }
}

/* After a key/value pair or a header: spaces, an optional comment, then newline or EOF. */
static void expect_line_end(Parser *p)
{
    skip_spaces(p);
    skip_comment(p);
    if (p->failed || p->pos >= p->len)
        return;
    uint32_t n = newline_len(p);
    if (n)
        p->pos += n;
    else
        expected(p, "newline");
}

/* ---------------------------------------------------------------- values */

static TomlValue *new_value(Parser *p, TomlKind kind, uint32_t lo, uint32_t hi)
{
    TomlValue *v = arena_new(p->arena, TomlValue, 1);
    v->kind = kind;
    v->span = span_at(p, lo, hi);
    return v;
}

static void array_push(Parser *p, TomlValue *a, TomlValue *item)
{
    if (a->nitems == a->items_cap) {
        uint32_t cap = a->items_cap ? a->items_cap * 2 : 4;
        TomlValue **items = arena_new(p->arena, TomlValue *, cap);
        if (a->nitems)
            memcpy(items, a->items, sizeof(*items) * a->nitems);
        a->items = items;
        a->items_cap = cap;
    }
    a->items[a->nitems++] = item;
}

static void table_insert(Parser *p, TomlValue *t, const KeyPart *key, TomlValue *value)
{
    if (t->nentries == t->entries_cap) {
        uint32_t cap = t->entries_cap ? t->entries_cap * 2 : 8;
        TomlEntry *entries = arena_new(p->arena, TomlEntry, cap);
        if (t->nentries)
            memcpy(entries, t->entries, sizeof(*entries) * t->nentries);
        t->entries = entries;
        t->entries_cap = cap;
    }
    t->entries[t->nentries++] = (TomlEntry){.key = key->name, .key_span = key->span, .value = value};
}

/* Appends the UTF-8 encoding of a code point. */
static void put_utf8(StrBuf *sb, uint32_t cp)
{
    if (cp < 0x80) {
        sb_putc(sb, (char)cp);
    } else if (cp < 0x800) {
        sb_putc(sb, (char)(0xC0 | cp >> 6));
        sb_putc(sb, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        sb_putc(sb, (char)(0xE0 | cp >> 12));
        sb_putc(sb, (char)(0x80 | (cp >> 6 & 0x3F)));
        sb_putc(sb, (char)(0x80 | (cp & 0x3F)));
    } else {
        sb_putc(sb, (char)(0xF0 | cp >> 18));
        sb_putc(sb, (char)(0x80 | (cp >> 12 & 0x3F)));
        sb_putc(sb, (char)(0x80 | (cp >> 6 & 0x3F)));
        sb_putc(sb, (char)(0x80 | (cp & 0x3F)));
    }
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the escape at p->pos (just after the backslash) into sb. */
static bool parse_escape(Parser *p, StrBuf *sb)
{
    uint32_t start = p->pos - 1;
    int c = peek(p, 0);
    const char *simple = "b\bt\tn\nf\fr\re\x1b\"\"\\\\";
    for (const char *s = simple; *s; s += 2)
        if (c == s[0]) {
            sb_putc(sb, s[1]);
            p->pos++;
            return true;
        }
    int digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (!digits) {
        error_at(p, start, p->pos < p->len ? p->pos + 1 : p->pos, "invalid escape sequence");
        return false;
    }
    p->pos++;
    uint32_t cp = 0;
    for (int i = 0; i < digits; i++) {
        int d = hex_digit(peek(p, 0));
        if (d < 0) {
            error_at(p, start, p->pos, "invalid escape sequence: expected %d hex digits", digits);
            return false;
        }
        cp = cp << 4 | (uint32_t)d;
        p->pos++;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        error_at(p, start, p->pos, "escape sequence is not a Unicode scalar value");
        return false;
    }
    put_utf8(sb, cp);
    return true;
}

/* Parses a string of any of the four forms at p->pos into (str, len). */
static bool parse_string(Parser *p, const char **str, uint32_t *len, bool allow_multiline)
{
    uint32_t start = p->pos;
    char quote = p->text[p->pos];
    bool basic = quote == '"';
    bool multi = at(p, basic ? "\"\"\"" : "'''");
    if (multi && !allow_multiline) {
        error_at(p, start, start + 3, "multi-line strings are not allowed as keys");
        return false;
    }
    p->pos += multi ? 3 : 1;
    if (multi) {  /* a newline right after the opening delimiter is trimmed */
        uint32_t n = newline_len(p);
        p->pos += n;
    }
    StrBuf sb = {0};
    for (;;) {
        if (p->pos >= p->len) {
            error_at(p, start, start + (multi ? 3 : 1), "unterminated string");
            goto fail;
        }
        int c = peek(p, 0);
        if (c == quote) {
            if (!multi) {
                p->pos++;
                break;
            }
            uint32_t n = 0;
            while (peek(p, n) == quote)
                n++;
            if (n >= 3) {
                if (n > 5) {
                    error_at(p, p->pos, p->pos + n, "too many quotes at the end of a string");
                    goto fail;
                }
                sb_append(&sb, p->text + p->pos, n - 3);
                p->pos += n;
                break;
            }
            sb_append(&sb, p->text + p->pos, n);
            p->pos += n;
            continue;
        }
        uint32_t nl = newline_len(p);
        if (nl) {
            if (!multi) {
                error_at(p, start, p->pos, "unterminated string (a newline in a one-line string)");
                goto fail;
            }
            sb_putc(&sb, '\n');
            p->pos += nl;
            continue;
        }
        if (c == '\\' && basic) {
            p->pos++;
            if (multi) {  /* a line-ending backslash trims all whitespace after it */
                uint32_t save = p->pos;
                skip_spaces(p);
                if (newline_len(p)) {
                    while (peek(p, 0) == ' ' || peek(p, 0) == '\t' || newline_len(p))
                        p->pos += newline_len(p) ? newline_len(p) : 1;
                    continue;
                }
                p->pos = save;
            }
            if (!parse_escape(p, &sb))
                goto fail;
            continue;
        }
        if (is_control(c)) {
            error_at(p, p->pos, p->pos + 1, "control character in a string (write it as an escape)");
            goto fail;
        }
        sb_putc(&sb, (char)c);
        p->pos++;
    }
    *len = (uint32_t)sb.len;
    *str = arena_strndup(p->arena, sb_str(&sb), sb.len);
    sb_free(&sb);
    return true;
fail:
    sb_free(&sb);
    return false;
}

/* Parses the integer (or rejects the float/date) whose text is [lo, hi). */
static TomlValue *parse_number(Parser *p)
{
    uint32_t lo = p->pos;
    while (p->pos < p->len) {
        int c = peek(p, 0);
        if (is_bare_key_char(c) || c == '+' || c == '.' || c == ':')
            p->pos++;
        else
            break;
    }
    uint32_t hi = p->pos;
    const char *s = p->text + lo;
    uint32_t n = hi - lo;
    /* A date: 4 digits then '-', or 2 digits then ':'. */
    if ((n >= 5 && s[4] == '-' && memchr("0123456789", s[0], 10)) || (n >= 3 && s[2] == ':')) {
        error_at(p, lo, hi, "unsupported: date and time values");
        return NULL;
    }
    uint32_t i = 0;
    bool negative = false, sign = false;
    if (n && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        sign = true;
        i = 1;
    }
    const char *rest = s + i;
    uint32_t rest_len = n - i;
    if ((rest_len == 3 && (memcmp(rest, "inf", 3) == 0 || memcmp(rest, "nan", 3) == 0))) {
        error_at(p, lo, hi, "unsupported: floating-point values");
        return NULL;
    }
    int base = 10;
    if (rest_len >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'o' || rest[1] == 'b')) {
        base = rest[1] == 'x' ? 16 : rest[1] == 'o' ? 8 : 2;
        if (sign) {
            error_at(p, lo, hi, "a sign is not allowed on a hexadecimal, octal or binary integer");
            return NULL;
        }
        i += 2;
    } else if (base == 10 && memchr(rest, '.', rest_len)) {
        error_at(p, lo, hi, "unsupported: floating-point values");
        return NULL;
    } else if (base == 10 && rest_len && rest[0] >= '0' && rest[0] <= '9' &&
               (memchr(rest, 'e', rest_len) || memchr(rest, 'E', rest_len))) {
        error_at(p, lo, hi, "unsupported: floating-point values");
        return NULL;
    }
    if (i >= n) {
        error_at(p, lo, hi > lo ? hi : lo + 1, "invalid value");
        return NULL;
    }
    if (base == 10 && s[i] == '0' && n - i > 1) {
        error_at(p, lo, hi, "leading zeros are not allowed in an integer");
        return NULL;
    }
    /* Accumulate as a negative number so that INT64_MIN fits. */
    int64_t value = 0;
    bool prev_digit = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '_') {
            if (!prev_digit || i + 1 >= n || hex_digit(s[i + 1]) < 0) {
                error_at(p, lo, hi, "an underscore in an integer must be between two digits");
                return NULL;
            }
            prev_digit = false;
            continue;
        }
        int d = hex_digit(c);
        if (d < 0 || d >= base) {
            error_at(p, lo, hi, "invalid value");
            return NULL;
        }
        if (value < (INT64_MIN + d) / base) {
            error_at(p, lo, hi, "integer out of range (it must fit in 64 signed bits)");
            return NULL;
        }
        value = value * base - d;
        prev_digit = true;
    }
    if (!negative) {
        if (value == INT64_MIN) {
            error_at(p, lo, hi, "integer out of range (it must fit in 64 signed bits)");
            return NULL;
        }
        value = -value;
    }
    TomlValue *v = new_value(p, TOML_INTEGER, lo, hi);
    v->integer = value;
    return v;
}

static TomlValue *parse_value(Parser *p);
static bool parse_keyval(Parser *p, TomlValue *table);

/* Parses the elements of an array or inline table after its opening bracket, up to and
 * including `close`: elements separated by commas, a trailing comma allowed, newlines
 * and comments anywhere between them. */
static bool parse_list(Parser *p, char close, const char *what, bool (*element)(Parser *, TomlValue *),
                       TomlValue *into)
{
    for (;;) {
        skip_blank(p);
        if (p->failed)
            return false;
        if (peek(p, 0) == close)
            break;
        if (!element(p, into))
            return false;
        skip_blank(p);
        if (p->failed)
            return false;
        if (peek(p, 0) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p, 0) != close) {
            expected(p, what);
            return false;
        }
        break;
    }
    p->pos++;
    into->span.hi = p->pos;
    return true;
}

static bool array_element(Parser *p, TomlValue *array)
{
    TomlValue *item = parse_value(p);
    if (item)
        array_push(p, array, item);
    return item != NULL;
}

static TomlValue *parse_array(Parser *p)
{
    uint32_t lo = p->pos++;
    TomlValue *a = new_value(p, TOML_ARRAY, lo, lo + 1);
    a->flags = TF_CLOSED;
    return parse_list(p, ']', "`,` or `]` in an array", array_element, a) ? a : NULL;
}

static TomlValue *parse_inline_table(Parser *p)
{
    uint32_t lo = p->pos++;
    TomlValue *t = new_value(p, TOML_TABLE, lo, lo + 1);
    if (!parse_list(p, '}', "`,` or `}` in an inline table", parse_keyval, t))
        return NULL;
    t->flags = TF_CLOSED;
    return t;
}

static TomlValue *parse_value(Parser *p)
{
    int c = peek(p, 0);
    uint32_t lo = p->pos;
    if (c == '"' || c == '\'') {
        TomlValue *v = new_value(p, TOML_STRING, lo, lo);
        if (!parse_string(p, &v->str, &v->str_len, true))
            return NULL;
        v->span.hi = p->pos;
        return v;
    }
    if (c == '[' || c == '{') {
        if (p->depth >= MAX_DEPTH) {
            error_at(p, lo, lo + 1, "arrays and inline tables nested too deeply (more than %d)",
                     MAX_DEPTH);
            return NULL;
        }
        p->depth++;
        TomlValue *v = c == '[' ? parse_array(p) : parse_inline_table(p);
        p->depth--;
        return v;
    }
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || at(p, "inf") || at(p, "nan"))
        return parse_number(p);
    if (c >= 0 && (is_bare_key_char(c))) {
        uint32_t hi = lo;
        while (hi < p->len && is_bare_key_char((unsigned char)p->text[hi]))
            hi++;
        if ((hi - lo == 4 && memcmp(p->text + lo, "true", 4) == 0) ||
            (hi - lo == 5 && memcmp(p->text + lo, "false", 5) == 0)) {
            TomlValue *v = new_value(p, TOML_BOOL, lo, hi);
            v->boolean = hi - lo == 4;
            p->pos = hi;
            return v;
        }
        error_at(p, lo, hi, "invalid value (a string must be quoted)");
        return NULL;
    }
    expected(p, "a value");
    return NULL;
}

/* ---------------------------------------------------------------- keys and tables */

static bool parse_key(Parser *p, Key *key)
{
    key->n = 0;
    for (;;) {
        skip_spaces(p);
        uint32_t lo = p->pos;
        int c = peek(p, 0);
        KeyPart part = {0};
        if (c == '"' || c == '\'') {
            uint32_t len;
            if (!parse_string(p, &part.name, &len, false))
                return false;
            if (strlen(part.name) != len) {
                error_at(p, lo, p->pos, "unsupported: a NUL character in a key");
                return false;
            }
        } else if (c >= 0 && is_bare_key_char(c)) {
            while (p->pos < p->len && is_bare_key_char(peek(p, 0)))
                p->pos++;
            part.name = arena_strndup(p->arena, p->text + lo, p->pos - lo);
        } else {
            expected(p, "a key");
            return false;
        }
        part.span = span_at(p, lo, p->pos);
        if (key->n == key->cap) {
            uint32_t cap = key->cap ? key->cap * 2 : 4;
            KeyPart *parts = arena_new(p->arena, KeyPart, cap);
            if (key->n)
                memcpy(parts, key->parts, sizeof(*parts) * key->n);
            key->parts = parts;
            key->cap = cap;
        }
        key->parts[key->n++] = part;
        skip_spaces(p);
        if (peek(p, 0) != '.')
            return true;
        p->pos++;
    }
}

static TomlValue *new_table(Parser *p, Span span, uint32_t flags)
{
    TomlValue *t = new_value(p, TOML_TABLE, span.lo, span.hi);
    t->flags = flags;
    return t;
}

/* Writes the dotted key's first n parts into a message ("a.b.c"). */
static const char *key_text(Parser *p, const Key *key, uint32_t n)
{
    StrBuf sb = {0};
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            sb_putc(&sb, '.');
        sb_puts(&sb, key->parts[i].name);
    }
    const char *s = arena_strdup(p->arena, sb_str(&sb));
    sb_free(&sb);
    return s;
}

/* Inserts `value` under the dotted key into table (a key = value line). */
static bool define_dotted(Parser *p, TomlValue *table, const Key *key, TomlValue *value)
{
    TomlValue *t = table;
    for (uint32_t i = 0; i + 1 < key->n; i++) {
        const KeyPart *part = &key->parts[i];
        TomlValue *next = toml_get(t, part->name);
        if (!next) {
            next = new_table(p, part->span, TF_DOTTED);
            table_insert(p, t, part, next);
        } else if (next->kind != TOML_TABLE || !(next->flags & TF_DOTTED)) {
            error_at(p, part->span.lo, part->span.hi,
                     "duplicate key `%s`: it is already defined and cannot be extended with a dotted key",
                     key_text(p, key, i + 1));
            return false;
        }
        t = next;
    }
    const KeyPart *last = &key->parts[key->n - 1];
    if (toml_get(t, last->name)) {
        error_at(p, last->span.lo, last->span.hi, "duplicate key `%s`", key_text(p, key, key->n));
        return false;
    }
    table_insert(p, t, last, value);
    return true;
}

static bool parse_keyval(Parser *p, TomlValue *table)
{
    Key key = {0};
    if (!parse_key(p, &key))
        return false;
    skip_spaces(p);
    if (peek(p, 0) != '=') {
        expected(p, "`=` after a key");
        return false;
    }
    p->pos++;
    skip_spaces(p);
    TomlValue *value = parse_value(p);
    if (!value)
        return false;
    return define_dotted(p, table, &key, value);
}

/* Parses a [table] or [[array]] header and returns the table that the following
 * key/value lines go into. */
static TomlValue *parse_header(Parser *p, TomlValue *root)
{
    uint32_t lo = p->pos;
    bool array = at(p, "[[");
    p->pos += array ? 2 : 1;
    Key key = {0};
    if (!parse_key(p, &key))
        return NULL;
    skip_spaces(p);
    if (!at(p, array ? "]]" : "]")) {
        expected(p, array ? "`]]` closing an array-of-tables header" : "`]` closing a table header");
        return NULL;
    }
    p->pos += array ? 2 : 1;
    Span span = span_at(p, lo, p->pos);
    TomlValue *t = root;
    for (uint32_t i = 0; i + 1 < key.n; i++) {
        const KeyPart *part = &key.parts[i];
        TomlValue *next = toml_get(t, part->name);
        if (!next) {
            next = new_table(p, part->span, TF_IMPLICIT);
            table_insert(p, t, part, next);
        } else if (next->kind == TOML_ARRAY && (next->flags & TF_AOT)) {
            next = next->items[next->nitems - 1];  /* [[a]] then [a.b]: the last a */
        } else if (next->kind != TOML_TABLE || (next->flags & TF_CLOSED)) {
            error_at(p, part->span.lo, part->span.hi, "`%s` is %s and cannot be extended by a header",
                     key_text(p, &key, i + 1),
                     next->kind == TOML_TABLE ? "an inline table" : "not a table");
            return NULL;
        }
        t = next;
    }
    const KeyPart *last = &key.parts[key.n - 1];
    TomlValue *existing = toml_get(t, last->name);
    if (array) {
        if (!existing) {
            existing = new_value(p, TOML_ARRAY, span.lo, span.hi);
            existing->flags = TF_AOT;
            table_insert(p, t, last, existing);
        } else if (existing->kind != TOML_ARRAY || !(existing->flags & TF_AOT)) {
            error_at(p, span.lo, span.hi, "`%s` is already defined and is not an array of tables",
                     key_text(p, &key, key.n));
            return NULL;
        }
        TomlValue *elem = new_table(p, span, 0);
        array_push(p, existing, elem);
        return elem;
    }
    if (!existing) {
        TomlValue *fresh = new_table(p, span, 0);
        table_insert(p, t, last, fresh);
        return fresh;
    }
    if (existing->kind == TOML_TABLE && (existing->flags & TF_IMPLICIT)) {
        existing->flags &= ~(uint32_t)TF_IMPLICIT;
        existing->span = span;
        return existing;
    }
    error_at(p, span.lo, span.hi, "duplicate table `[%s]`", key_text(p, &key, key.n));
    return NULL;
}

TomlValue *toml_parse(Arena *arena, Diag *diag, uint32_t file)
{
    const SourceFile *f = &diag->sm->files.data[file];
    Parser p = {.arena = arena, .diag = diag, .file = file, .text = f->text, .len = f->len};
    TomlValue *root = new_table(&p, span_at(&p, 0, 0), 0);
    if (!check_utf8(&p))
        return NULL;
    if (p.len >= 3 && memcmp(p.text, "\xEF\xBB\xBF", 3) == 0)
        p.pos = 3;  /* a byte-order mark */
    TomlValue *current = root;
    while (!p.failed) {
        skip_blank(&p);
        if (p.failed || p.pos >= p.len)
            break;
        if (peek(&p, 0) == '[') {
            current = parse_header(&p, root);
        } else if (!parse_keyval(&p, current)) {
            break;
        }
        if (!p.failed)
            expect_line_end(&p);
    }
    return p.failed ? NULL : root;
}

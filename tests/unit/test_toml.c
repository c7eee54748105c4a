/* tests/unit/test_toml.c — the TOML reader: every form Cargo.toml files use, the
 * structure rules, diagnostics with file:line:col and caret, and hostile input. */
#include "tests/unit/unit.h"

#include "workspace/workspace.h"

#include <stdlib.h>
#include <string.h>

typedef struct Doc {
    Arena arena;
    SourceMap sm;
    Diag diag;
    TomlValue *root;
    char *text;
} Doc;

static Doc *parse_len(const char *text, size_t len)
{
    Doc *d = xcalloc(1, sizeof *d);
    arena_init(&d->arena);
    diag_init(&d->diag, &d->sm);
    d->text = xmalloc(len + 1);
    memcpy(d->text, text, len);
    d->text[len] = 0;
    uint32_t file = srcmap_add(&d->sm, "Cargo.toml", d->text, (uint32_t)len);
    d->root = toml_parse(&d->arena, &d->diag, file);
    return d;
}

static Doc *parse(const char *text) { return parse_len(text, strlen(text)); }

static void doc_free(Doc *d)
{
    diag_free(&d->diag);
    srcmap_free(&d->sm);
    arena_free(&d->arena);
    xfree(d->text);
    xfree(d);
}

/* Parses text expecting failure; returns the rendered message (static copy). */
static const char *parse_error(const char *text)
{
    static char msg[4096];
    Doc *d = parse(text);
    ck_assert_msg(d->root == NULL, "accepted: %s", text);
    ck_assert_int_eq(d->diag.errors, 1);
    snprintf(msg, sizeof msg, "%s", sb_str(&d->diag.out));
    doc_free(d);
    return msg;
}

static const char *str_at(const TomlValue *t, const char *key)
{
    const TomlValue *v = toml_get(t, key);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(v->kind, TOML_STRING);
    return v->str;
}

START_TEST(reads_a_cargo_manifest)
{
    Doc *d = parse("# a package\n"
                   "[package]\n"
                   "name = \"my-app\"   # trailing comment\n"
                   "version = '0.1.0'\n"
                   "edition = \"2021\"\n"
                   "\n"
                   "[dependencies]\n"
                   "util = { path = \"../util\" }\n"
                   "other = { path = \"../other\", package = \"real-other\", }\n"
                   "\n"
                   "[[bin]]\n"
                   "name = \"a\"\n"
                   "[[bin]]\n"
                   "name = \"b\"\n"
                   "path = \"src/b.rs\"\n");
    ck_assert_ptr_nonnull(d->root);
    TomlValue *pkg = toml_get(d->root, "package");
    ck_assert_str_eq(str_at(pkg, "name"), "my-app");
    ck_assert_str_eq(str_at(pkg, "version"), "0.1.0");
    TomlValue *deps = toml_get(d->root, "dependencies");
    ck_assert_uint_eq(deps->nentries, 2);
    ck_assert_str_eq(deps->entries[1].key, "other");
    ck_assert_str_eq(str_at(deps->entries[1].value, "package"), "real-other");
    TomlValue *bins = toml_get(d->root, "bin");
    ck_assert_int_eq(bins->kind, TOML_ARRAY);
    ck_assert_uint_eq(bins->nitems, 2);
    ck_assert_str_eq(str_at(bins->items[1], "path"), "src/b.rs");
    /* The key span points at the key as written. */
    uint32_t line, col;
    srcmap_linecol(&d->sm, 0, deps->entries[1].key_span.lo, &line, &col);
    ck_assert_uint_eq(line, 9);
    ck_assert_uint_eq(col, 1);
    doc_free(d);
}
END_TEST

START_TEST(reads_keys_of_every_form)
{
    Doc *d = parse("bare_key-1 = 1\n"
                   "\"quoted key\" = 2\n"
                   "'lit.eral' = 3\n"
                   "a . b.\"c d\" = 4\n"
                   "a.e = 5\n"
                   "\"\" = 6\n"
                   "1234 = 7\n");
    ck_assert_ptr_nonnull(d->root);
    ck_assert_int_eq(toml_get(d->root, "bare_key-1")->integer, 1);
    ck_assert_int_eq(toml_get(d->root, "quoted key")->integer, 2);
    ck_assert_int_eq(toml_get(d->root, "lit.eral")->integer, 3);
    TomlValue *b = toml_get(toml_get(d->root, "a"), "b");
    ck_assert_int_eq(toml_get(b, "c d")->integer, 4);
    ck_assert_int_eq(toml_get(toml_get(d->root, "a"), "e")->integer, 5);
    ck_assert_int_eq(toml_get(d->root, "")->integer, 6);
    ck_assert_int_eq(toml_get(d->root, "1234")->integer, 7);
    doc_free(d);
}
END_TEST

START_TEST(reads_strings_and_escapes)
{
    Doc *d = parse("a = \"tab\\there \\\"q\\\" \\\\ \\u00e9 \\U0001F600 \\x41 \\e\"\n"
                   "b = 'C:\\no\\escapes'\n"
                   "c = \"\"\"\nline one\nline two\"\"\"\n"
                   "d = \"\"\"trim \\\n     all \\\n\n  this\"\"\"\n"
                   "e = '''\nraw \\n ''' \n"
                   "f = \"\"\"quote\"\"\"\"\"\n"
                   "g = ''''two''''\n"
                   "h = \"nul\\u0000byte\"\n"
                   "i = \"\"\n");
    ck_assert_msg(d->root != NULL, "%s", sb_str(&d->diag.out));
    ck_assert_str_eq(str_at(d->root, "a"), "tab\there \"q\" \\ \xc3\xa9 \xf0\x9f\x98\x80 A \x1b");
    ck_assert_str_eq(str_at(d->root, "b"), "C:\\no\\escapes");
    ck_assert_str_eq(str_at(d->root, "c"), "line one\nline two");
    ck_assert_str_eq(str_at(d->root, "d"), "trim all this");
    ck_assert_str_eq(str_at(d->root, "e"), "raw \\n ");
    ck_assert_str_eq(str_at(d->root, "f"), "quote\"\"");
    ck_assert_str_eq(str_at(d->root, "g"), "'two'");
    ck_assert_uint_eq(toml_get(d->root, "h")->str_len, 8);
    ck_assert_str_eq(str_at(d->root, "i"), "");
    doc_free(d);
}
END_TEST

START_TEST(reads_integers_and_booleans)
{
    Doc *d = parse("a = 42\nb = -17\nc = +3\nd = 1_000_000\ne = 0xDEAD_beef\nf = 0o755\n"
                   "g = 0b1010\nh = 0\ni = -9223372036854775808\nj = 9223372036854775807\n"
                   "t = true\nu = false\n");
    ck_assert_msg(d->root != NULL, "%s", sb_str(&d->diag.out));
    ck_assert_int_eq(toml_get(d->root, "a")->integer, 42);
    ck_assert_int_eq(toml_get(d->root, "b")->integer, -17);
    ck_assert_int_eq(toml_get(d->root, "c")->integer, 3);
    ck_assert_int_eq(toml_get(d->root, "d")->integer, 1000000);
    ck_assert_int_eq(toml_get(d->root, "e")->integer, 0xDEADbeef);
    ck_assert_int_eq(toml_get(d->root, "f")->integer, 0755);
    ck_assert_int_eq(toml_get(d->root, "g")->integer, 10);
    ck_assert_int_eq(toml_get(d->root, "h")->integer, 0);
    ck_assert_int_eq(toml_get(d->root, "i")->integer, INT64_MIN);
    ck_assert_int_eq(toml_get(d->root, "j")->integer, INT64_MAX);
    ck_assert_int_eq(toml_get(d->root, "t")->kind, TOML_BOOL);
    ck_assert(toml_get(d->root, "t")->boolean);
    ck_assert(!toml_get(d->root, "u")->boolean);
    doc_free(d);
}
END_TEST

START_TEST(reads_arrays_over_lines)
{
    Doc *d = parse("members = [\n"
                   "    \"crates/*\",   # all of them\n"
                   "    # a comment line\n"
                   "    'tools/x',\n"
                   "]\n"
                   "empty = []\n"
                   "nested = [[1, 2], [\"a\"], [], {x = 1}]\n"
                   "crlf = [1,\r\n 2]\r\n");
    ck_assert_msg(d->root != NULL, "%s", sb_str(&d->diag.out));
    TomlValue *m = toml_get(d->root, "members");
    ck_assert_uint_eq(m->nitems, 2);
    ck_assert_str_eq(m->items[1]->str, "tools/x");
    ck_assert_uint_eq(toml_get(d->root, "empty")->nitems, 0);
    TomlValue *n = toml_get(d->root, "nested");
    ck_assert_uint_eq(n->nitems, 4);
    ck_assert_int_eq(n->items[0]->items[1]->integer, 2);
    ck_assert_int_eq(toml_get(n->items[3], "x")->integer, 1);
    ck_assert_uint_eq(toml_get(d->root, "crlf")->nitems, 2);
    doc_free(d);
}
END_TEST

START_TEST(reads_tables_and_arrays_of_tables)
{
    Doc *d = parse("[a.b.c]\nx = 1\n"
                   "[a]\ny = 2\n"                      /* defining an implicit parent is fine */
                   "[a.b]\nz = 3\n"
                   "[[fruit]]\nname = \"apple\"\n"
                   "[fruit.physical]\ncolor = \"red\"\n"
                   "[[fruit]]\nname = \"banana\"\n"
                   "[dotted]\nk.l = 1\n"
                   "[dotted.k.m]\nn = 2\n"            /* a sub-table under a dotted table */
                   "[inline]\np = { q = { r = 1 }, s.t = 2 }\n"
                   "[multi-line]\nq = {\n  a = 1, # one\n  b = 2,\n}\n");
    ck_assert_msg(d->root != NULL, "%s", sb_str(&d->diag.out));
    TomlValue *a = toml_get(d->root, "a");
    ck_assert_int_eq(toml_get(a, "y")->integer, 2);
    ck_assert_int_eq(toml_get(toml_get(a, "b"), "z")->integer, 3);
    ck_assert_int_eq(toml_get(toml_get(toml_get(a, "b"), "c"), "x")->integer, 1);
    TomlValue *fruit = toml_get(d->root, "fruit");
    ck_assert_uint_eq(fruit->nitems, 2);
    ck_assert_str_eq(str_at(toml_get(fruit->items[0], "physical"), "color"), "red");
    ck_assert_ptr_null(toml_get(fruit->items[1], "physical"));
    TomlValue *k = toml_get(toml_get(d->root, "dotted"), "k");
    ck_assert_int_eq(toml_get(toml_get(k, "m"), "n")->integer, 2);
    TomlValue *p = toml_get(toml_get(d->root, "inline"), "p");
    ck_assert_int_eq(toml_get(toml_get(p, "q"), "r")->integer, 1);
    ck_assert_int_eq(toml_get(toml_get(p, "s"), "t")->integer, 2);
    ck_assert_int_eq(toml_get(toml_get(toml_get(d->root, "multi-line"), "q"), "b")->integer, 2);
    doc_free(d);
}
END_TEST

START_TEST(diagnostic_has_location_line_and_caret)
{
    const char *msg = parse_error("[package]\nname = \"x\"\nname = \"y\"\n");
    ck_assert_str_eq(msg, "error: duplicate key `name`\n"
                          " --> Cargo.toml:3:1\n"
                          "  |\n"
                          "3 | name = \"y\"\n"
                          "  | ^^^^\n\n");
    msg = parse_error("a = [1, 2\nb = 3\n");
    ck_assert_msg(strstr(msg, "error: expected `,` or `]` in an array, found `b`\n --> Cargo.toml:2:1\n"),
                  "%s", msg);
}
END_TEST

/* Each case must be rejected with a message containing the expected text at line:col. */
START_TEST(rejects_invalid_documents)
{
    static const struct {
        const char *text, *message, *where;
    } cases[] = {
        {"a = 1\na = 2\n", "duplicate key `a`", ":2:1"},
        {"[t]\n[t]\n", "duplicate table `[t]`", ":2:1"},
        {"a.b = 1\n[a]\n", "duplicate table `[a]`", ":2:1"},
        {"a.b = 1\n[a.b]\n", "duplicate table `[a.b]`", ":2:1"},
        {"[a]\nb = 1\n[x]\na.c = 1\n", "", ""},  /* valid: a.c inside [x] */
        {"[a.b]\n[a]\nb.c = 1\n", "cannot be extended with a dotted key", ":3:1"},
        {"a = {x = 1}\n[a]\n", "duplicate table", ":2:1"},
        {"a = {x = 1}\n[a.b]\n", "an inline table", ":2:2"},
        {"a = [1]\n[[a]]\n", "not an array of tables", ":2:1"},
        {"[[a]]\n[a]\n", "duplicate table", ":2:1"},
        {"a = {x = 1, x = 2}\n", "duplicate key `x`", ":1:13"},
        {"a = \"unterminated\n", "unterminated string", ":1:5"},
        {"a = \"\"\"never closed\n\n", "unterminated string", ":1:5"},
        {"a = 'also\n", "unterminated string", ":1:5"},
        {"a = \"bad \\q escape\"\n", "invalid escape sequence", ":1:10"},
        {"a = \"\\uD800\"\n", "not a Unicode scalar value", ":1:6"},
        {"a = \"\\u12\"\n", "expected 4 hex digits", ":1:6"},
        {"a = \"ctl \x01\"\n", "control character", ":1:10"},
        {"a = 1.5\n", "unsupported: floating-point values", ":1:5"},
        {"a = 1e3\n", "unsupported: floating-point values", ":1:5"},
        {"a = -inf\n", "unsupported: floating-point values", ":1:5"},
        {"a = 1979-05-27\n", "unsupported: date and time values", ":1:5"},
        {"a = 07:32:00\n", "unsupported: date and time values", ":1:5"},
        {"a = 012\n", "leading zeros", ":1:5"},
        {"a = 1__0\n", "underscore", ":1:5"},
        {"a = _1\n", "invalid value", ":1:5"},
        {"a = 9223372036854775808\n", "out of range", ":1:5"},
        {"a = 0xG\n", "invalid value", ":1:5"},
        {"a = +0x1\n", "sign is not allowed", ":1:5"},
        {"a = yes\n", "a string must be quoted", ":1:5"},
        {"a =\n", "expected a value, found newline", ":1:4"},
        {"a = 1 b = 2\n", "expected newline, found `b`", ":1:7"},
        {"= 1\n", "expected a key, found `=`", ":1:1"},
        {"a 1\n", "expected `=` after a key, found `1`", ":1:3"},
        {"[a\n", "expected `]` closing a table header, found newline", ":1:3"},
        {"[[a]\n", "expected `]]`", ":1:4"},
        {"[]\n", "expected a key", ":1:2"},
        {"a = [1 2]\n", "expected `,` or `]` in an array", ":1:8"},
        {"a = {x = 1 y = 2}\n", "expected `,` or `}` in an inline table", ":1:12"},
        {"a = [1,,]\n", "expected a value", ":1:8"},
        {"\"\"\"k\"\"\" = 1\n", "multi-line strings are not allowed as keys", ":1:1"},
        {"a = 1\rb = 2\n", "expected newline", ":1:6"},
        {"a = \"x\" # bad \x7f\n", "control character in a comment", ":1:15"},
        {"a = \"\xff\"\n", "invalid UTF-8", ":1:6"},
        {"a = \"\xc0\x80\"\n", "invalid UTF-8", ":1:6"},
        {"a = \"\"\"x\"\"\"\"\"\"\n", "too many quotes", ":1:9"},
        {"\"nul\\u0000\" = 1\n", "NUL character in a key", ":1:1"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        Doc *d = parse(cases[i].text);
        const char *out = sb_str(&d->diag.out);
        if (!*cases[i].message) {
            ck_assert_msg(d->root != NULL, "case %zu rejected: %s", i, out);
        } else {
            ck_assert_msg(d->root == NULL, "case %zu accepted: %s", i, cases[i].text);
            ck_assert_msg(d->diag.errors == 1, "case %zu: %d errors", i, d->diag.errors);
            ck_assert_msg(strstr(out, cases[i].message), "case %zu: %s", i, out);
            char where[64];
            snprintf(where, sizeof where, "Cargo.toml%s\n", cases[i].where);
            ck_assert_msg(strstr(out, where), "case %zu: wanted %s in: %s", i, cases[i].where, out);
        }
        doc_free(d);
    }
}
END_TEST

START_TEST(survives_hostile_input)
{
    /* Deep nesting: an error, not a stack overflow. */
    size_t n = 200000;
    char *deep = xmalloc(n + 8);
    memcpy(deep, "a = ", 4);
    memset(deep + 4, '[', n);
    deep[n + 4] = 0;
    Doc *d = parse(deep);
    ck_assert_ptr_null(d->root);
    ck_assert_ptr_nonnull(strstr(sb_str(&d->diag.out), "nested too deeply"));
    doc_free(d);
    memset(deep + 4, '{', n);
    d = parse(deep);
    ck_assert_ptr_null(d->root);
    doc_free(d);
    /* Within the limit, nesting works. */
    StrBuf sb = {0};
    sb_puts(&sb, "a = ");
    for (int i = 0; i < 100; i++)
        sb_putc(&sb, '[');
    for (int i = 0; i < 100; i++)
        sb_putc(&sb, ']');
    sb_putc(&sb, '\n');
    d = parse(sb_str(&sb));
    ck_assert_ptr_nonnull(d->root);
    doc_free(d);
    sb_free(&sb);
    xfree(deep);

    /* Random bytes and random mixes of TOML punctuation: never a crash, always either a
     * tree or exactly one error. */
    static const char alphabet[] = "[]{}=.,\"'#\n \tab01_-+xe:\\u";
    unsigned seed = 12345;
    char buf[512];
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(rand_r(&seed) % sizeof buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = round % 2 ? (char)(rand_r(&seed) & 0xFF)
                               : alphabet[(size_t)rand_r(&seed) % (sizeof alphabet - 1)];
        d = parse_len(buf, len);
        ck_assert(d->root ? d->diag.errors == 0 : d->diag.errors == 1);
        doc_free(d);
    }
    /* Empty and whitespace-only documents are empty tables. */
    d = parse("");
    ck_assert_ptr_nonnull(d->root);
    ck_assert_uint_eq(d->root->nentries, 0);
    doc_free(d);
    d = parse("\xEF\xBB\xBF# only a BOM and a comment");
    ck_assert_ptr_nonnull(d->root);
    doc_free(d);
}
END_TEST

Suite *toml_suite(void)
{
    Suite *s = suite_create("toml");
    TCase *tc = tcase_create("toml");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, reads_a_cargo_manifest);
    tcase_add_test(tc, reads_keys_of_every_form);
    tcase_add_test(tc, reads_strings_and_escapes);
    tcase_add_test(tc, reads_integers_and_booleans);
    tcase_add_test(tc, reads_arrays_over_lines);
    tcase_add_test(tc, reads_tables_and_arrays_of_tables);
    tcase_add_test(tc, diagnostic_has_location_line_and_caret);
    tcase_add_test(tc, rejects_invalid_documents);
    tcase_add_test(tc, survives_hostile_input);
    suite_add_tcase(s, tc);
    return s;
}

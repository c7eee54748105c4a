/* tests/unit/test_lex.c — the frontend's lexer: token kinds, literal validation and
 * decoding, comments, and lexical errors. */
#include "tests/unit/unit.h"

#include "frontend/stages.h"

#include <string.h>

typedef struct Lexed {
    FeSession sess;
    TokenVec toks;
    bool ok;
} Lexed;

static void lex_text(Lexed *l, const char *text)
{
    fe_session_init(&l->sess);
    memset(&l->toks, 0, sizeof l->toks);
    uint32_t file = srcmap_add(&l->sess.sources, "src/main.rs", xstrdup(text), (uint32_t)strlen(text));
    l->ok = lex_file(&l->sess, file, &l->toks);
}

static void lexed_free(Lexed *l)
{
    vec_free(&l->toks);
    fe_session_free(&l->sess);
}

/* The kinds of all tokens but EOF, as a space-separated list of spellings. */
static char *kinds(Lexed *l)
{
    StrBuf sb = {0};
    for (uint32_t i = 0; i + 1 < l->toks.len; i++) {
        if (i)
            sb_putc(&sb, ' ');
        sb_puts(&sb, lex_spelling(l->toks.data[i].kind));
    }
    return sb.data ? sb.data : xstrdup("");
}

START_TEST(lex_punctuation_longest_match)
{
    Lexed l;
    lex_text(&l, "a<<=b>>=c..=d...e..f::g->h=>i&&j||k!=l==m<=n>=o");
    ck_assert(l.ok);
    char *k = kinds(&l);
    ck_assert_str_eq(k, "identifier <<= identifier >>= identifier ..= identifier ... identifier .. identifier "
                        ":: identifier -> identifier => identifier && identifier || identifier != identifier "
                        "== identifier <= identifier >= identifier");
    xfree(k);
    lexed_free(&l);
}
END_TEST

START_TEST(lex_keywords_and_idents)
{
    Lexed l;
    lex_text(&l, "fn main self Self r#fn _ _x 'a 'static");
    ck_assert(l.ok);
    char *k = kinds(&l);
    ck_assert_str_eq(k, "fn identifier self Self identifier _ identifier lifetime lifetime");
    xfree(k);
    ck_assert(l.toks.data[4].flags & LEX_RAW);
    lexed_free(&l);
}
END_TEST

START_TEST(lex_numbers)
{
    Lexed l;
    lex_text(&l, "1_000u8 0xFF_i64 0o17 0b1010 1.5 2e10 3f32 1..2 x.0.1 7usize 1.");
    ck_assert(l.ok);
    char *k = kinds(&l);
    ck_assert_str_eq(k, "integer literal integer literal integer literal integer literal float literal "
                        "float literal float literal integer literal .. integer literal identifier . "
                        "float literal integer literal float literal");
    xfree(k);
    ck_assert_uint_eq(l.toks.data[0].flags & LEX_SUFFIX_MASK, 1 + FE_INT_U8);
    ck_assert_uint_eq(l.toks.data[0].suffix, 2);
    ck_assert_uint_eq(l.toks.data[1].flags & LEX_SUFFIX_MASK, 1 + FE_INT_I64);
    u128 v;
    ck_assert(lex_int_value("0xFF_", 5, &v));
    ck_assert(v == 255);
    ck_assert(lex_int_value("0b1010", 6, &v) && v == 10);
    ck_assert(lex_int_value("0o17", 4, &v) && v == 15);
    ck_assert(lex_int_value("340282366920938463463374607431768211455", 39, &v) && v == ~(u128)0);
    ck_assert(!lex_int_value("340282366920938463463374607431768211456", 39, &v));
    lexed_free(&l);
}
END_TEST

START_TEST(lex_strings_decode)
{
    Lexed l;
    lex_text(&l, "\"a\\n\\t\\\\\\\"\\x41\\u{1F600}\\u{e9}\" r#\"raw \"q\" \\n\"# b\"\\xff\" 'x' '\\'' b'\\n' \"line\\\n    cont\"");
    ck_assert(l.ok);
    const char *text = l.sess.sources.files.data[0].text;
    StrBuf sb = {0};
    lex_decode(text, &l.toks.data[0], &sb);
    ck_assert_uint_eq(sb.len, 12);
    ck_assert(memcmp(sb.data, "a\n\t\\\"A\xF0\x9F\x98\x80\xC3\xA9", 12) == 0);
    sb_clear(&sb);
    lex_decode(text, &l.toks.data[1], &sb);
    ck_assert_str_eq(sb.data, "raw \"q\" \\n");
    sb_clear(&sb);
    ck_assert_int_eq(l.toks.data[2].kind, TK_BYTE_STR);
    lex_decode(text, &l.toks.data[2], &sb);
    ck_assert_uint_eq(sb.len, 1);
    ck_assert_uint_eq((unsigned char)sb.data[0], 0xFF);
    sb_clear(&sb);
    ck_assert_int_eq(l.toks.data[3].kind, TK_CHAR);
    ck_assert_int_eq(l.toks.data[4].kind, TK_CHAR);
    lex_decode(text, &l.toks.data[4], &sb);
    ck_assert_str_eq(sb.data, "'");
    sb_clear(&sb);
    ck_assert_int_eq(l.toks.data[5].kind, TK_BYTE);
    lex_decode(text, &l.toks.data[6], &sb);
    ck_assert_str_eq(sb.data, "linecont");
    sb_free(&sb);
    lexed_free(&l);
}
END_TEST

START_TEST(lex_comments)
{
    Lexed l;
    lex_text(&l, "a /* x /* nested */ y */ b // line\n/// outer\n//! inner\n/** block doc */ /*! inner */ //// not doc\nc /**/ d");
    ck_assert(l.ok);
    char *k = kinds(&l);
    ck_assert_str_eq(k, "identifier identifier doc comment inner doc comment doc comment inner doc comment identifier identifier");
    xfree(k);
    lexed_free(&l);
}
END_TEST

static void expect_error(const char *text, const char *message)
{
    Lexed l;
    lex_text(&l, text);
    ck_assert(!l.ok);
    const char *out = sb_str(&l.sess.diag.out);
    if (!strstr(out, message))
        ck_abort_msg("expected `%s` in:\n%s", message, out);
    ck_assert_int_eq(l.toks.data[l.toks.len - 1].kind, TK_EOF);
    lexed_free(&l);
}

START_TEST(lex_errors)
{
    expect_error("fn main() { let s = \"abc; }", "error[E0765]: unterminated double quote string");
    expect_error("/* a /* b */", "error[E0758]: unterminated block comment");
    expect_error("let s = r#\"abc\";", "error[E0748]: unterminated raw string");
    expect_error("let c = 'a", "error[E0762]: unterminated character literal");
    expect_error("let x = 5xyz;", "error: invalid suffix `xyz` for number literal");
    expect_error("let y = 0b102;", "error: invalid digit for a base 2 literal");
    expect_error("let h = 0x;", "error[E0768]: no valid digits found for number");
    expect_error("let e = \"\\q\";", "error: unknown character escape: `q`");
    expect_error("let u = \"\\u{110000}\";", "error: invalid unicode character escape");
    expect_error("let b = b\"\\u{41}\";", "error: unicode escape in byte string");
    expect_error("let z = 1 \xC2\xA4 2;", "error: unknown start of token: \\u{a4}");
    expect_error("fn \xFF\xFE main", "error: couldn't read `src/main.rs`: stream did not contain valid UTF-8");
    expect_error("let c = '';", "error: empty character literal");
}
END_TEST

START_TEST(lex_hostile_input)
{
    /* binary garbage and a long line: errors, never a crash */
    char *buf = xmalloc(1 << 20);
    for (int i = 0; i < (1 << 20); i++)
        buf[i] = (char)(((unsigned)i * 7919u) % 127u + 1u);
    buf[(1 << 20) - 1] = 0;
    Lexed l;
    lex_text(&l, buf);
    ck_assert_int_eq(l.toks.data[l.toks.len - 1].kind, TK_EOF);
    lexed_free(&l);
    memset(buf, 'a', (1 << 20) - 1);
    buf[(1 << 20) - 1] = 0;
    lex_text(&l, buf);
    ck_assert(l.ok);
    ck_assert_uint_eq(l.toks.len, 2);
    lexed_free(&l);
    xfree(buf);
}
END_TEST

Suite *lex_suite(void)
{
    Suite *s = suite_create("lex");
    TCase *tc = tcase_create("lex");
    tcase_add_test(tc, lex_punctuation_longest_match);
    tcase_add_test(tc, lex_keywords_and_idents);
    tcase_add_test(tc, lex_numbers);
    tcase_add_test(tc, lex_strings_decode);
    tcase_add_test(tc, lex_comments);
    tcase_add_test(tc, lex_errors);
    tcase_add_test(tc, lex_hostile_input);
    suite_add_tcase(s, tc);
    return s;
}

/* tests/unit/test_common.c — arena, vectors, buffers, interning, hashing, diagnostics
 * and files. */
#include "tests/unit/unit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(arena_aligns_and_grows)
{
    Arena a;
    arena_init(&a);
    ck_assert_ptr_nonnull(arena_zalloc(&a, 0)); /* a fresh arena, zero bytes */
    for (int i = 0; i < 10000; i++) {
        char *p = arena_alloc(&a, (size_t)(i % 37) + 1);
        ck_assert_int_eq((uintptr_t)p % 16, 0);
        memset(p, 0xAB, (size_t)(i % 37) + 1);
    }
    char *big = arena_zalloc(&a, 1 << 20);
    ck_assert_int_eq(big[0], 0);
    ck_assert_int_eq(big[(1 << 20) - 1], 0);
    ck_assert_str_eq(arena_printf(&a, "%d-%s", 42, "x"), "42-x");
    ck_assert_ptr_null(arena_memdup(&a, NULL, 0));
    ck_assert_int_eq(memcmp(arena_memdup(&a, "abc", 3), "abc", 3), 0);
    arena_free(&a);
    ck_assert_ptr_null(a.chunks);
}
END_TEST

START_TEST(vec_push_pop)
{
    Vec(int) v = {0};
    for (int i = 0; i < 1000; i++)
        vec_push(&v, i * 2);
    ck_assert_uint_eq(v.len, 1000);
    ck_assert_int_eq(vec_last(&v), 1998);
    ck_assert_int_eq(vec_pop(&v), 1998);
    int sum = 0;
    vec_foreach(&v, it) sum += *it;
    ck_assert_int_eq(sum, 999 * 998);
    vec_free(&v);
    ck_assert_uint_eq(v.len, 0);
}
END_TEST

START_TEST(strbuf_formats)
{
    StrBuf sb = {0};
    ck_assert_str_eq(sb_str(&sb), "");
    sb_printf(&sb, "%s=%d", "x", 5);
    sb_putc(&sb, ';');
    sb_u32le(&sb, 0x41424344);
    ck_assert_uint_eq(sb.len, 8);
    ck_assert_mem_eq(sb.data, "x=5;DCBA", 8);
    sb_clear(&sb);
    ck_assert_str_eq(sb_str(&sb), "");
    sb_free(&sb);
}
END_TEST

START_TEST(intern_dedups)
{
    Arena a;
    arena_init(&a);
    Interner in;
    intern_init(&in, &a);
    Sym s1 = intern_cstr(&in, "hello");
    Sym s2 = intern(&in, "hello world", 5);
    ck_assert_uint_ne(s1, 0);
    ck_assert_uint_eq(s1, s2);
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "n%d", i);
        Sym s = intern_cstr(&in, name);
        ck_assert_str_eq(sym_str(&in, s), name);
        ck_assert_uint_eq(intern_cstr(&in, name), s);
    }
    ck_assert_uint_eq(intern_cstr(&in, "hello"), s1);
    ck_assert_uint_eq(sym_len(&in, s1), 5);
    ck_assert_uint_ne(intern(&in, "", 0), s1);
    intern_free(&in);
    arena_free(&a);
}
END_TEST

START_TEST(hash_known_values)
{
    char hex[33];
    /* The XXH3-128 of the empty input, from the xxHash reference. */
    hash128_hex(hash128("", 0), hex);
    ck_assert_str_eq(hex, "99aa06d3014798d86001c324468d497f");
    Hash128 back;
    ck_assert(hash128_parse(hex, &back));
    ck_assert(hash128_eq(back, hash128("", 0)));
    ck_assert(!hash128_parse("xyz", &back));

    /* Streaming equals one-shot over the same bytes. */
    Hasher h;
    hasher_init(&h);
    hasher_bytes(&h, "abc", 3);
    hasher_bytes(&h, "def", 3);
    ck_assert(hash128_eq(hasher_final(&h), hash128("abcdef", 6)));

    /* Length prefixes keep ("ab","c") and ("a","bc") apart. */
    Hasher h1, h2;
    hasher_init(&h1);
    hasher_str(&h1, "ab", 2);
    hasher_str(&h1, "c", 1);
    hasher_init(&h2);
    hasher_str(&h2, "a", 1);
    hasher_str(&h2, "bc", 2);
    ck_assert(!hash128_eq(hasher_final(&h1), hasher_final(&h2)));
}
END_TEST

static const char demo_src[] = "fn main() {\n\tlet x: i32 = true;\n    let é = y;\n}\n";

START_TEST(diag_rustc_layout)
{
    SourceMap sm = {0};
    uint32_t f = srcmap_add(&sm, "src/main.rs", demo_src, sizeof demo_src - 1);
    Diag d;
    diag_init(&d, &sm);
    const char *t = strstr(demo_src, "true");
    uint32_t lo = (uint32_t)(t - demo_src);
    diag_emit(&d, DIAG_ERROR, (Span){f, lo, lo + 4}, "expected `i32`, found `bool`",
              "mismatched types");
    const char *y = strstr(demo_src, "y;");
    uint32_t ylo = (uint32_t)(y - demo_src);
    diag_emit_code(&d, DIAG_ERROR, "E0425", (Span){f, ylo, ylo + 1}, NULL,
                   "cannot find value `y` in this scope");
    diag_note(&d, "help", "a local variable with a similar name exists");
    ck_assert_int_eq(d.errors, 2);
    ck_assert_str_eq(sb_str(&d.out),
        "error: mismatched types\n"
        " --> src/main.rs:2:15\n"
        "  |\n"
        "2 |     let x: i32 = true;\n"
        "  |                  ^^^^ expected `i32`, found `bool`\n"
        "\n"
        "error[E0425]: cannot find value `y` in this scope\n"
        " --> src/main.rs:3:13\n"
        "  |\n"
        "3 |     let é = y;\n"
        "  |             ^\n"
        "  = help: a local variable with a similar name exists\n"
        "\n");
    uint32_t line, col;
    srcmap_linecol(&sm, f, sizeof demo_src - 1, &line, &col);
    ck_assert_uint_eq(line, 5);
    ck_assert_uint_eq(col, 1);
    diag_free(&d);
    srcmap_free(&sm);
}
END_TEST

START_TEST(diag_wide_gutter_and_empty_span)
{
    StrBuf src = {0};
    for (int i = 0; i < 11; i++)
        sb_puts(&src, "x\n");
    SourceMap sm = {0};
    uint32_t f = srcmap_add(&sm, "a.rs", src.data, (uint32_t)src.len);
    Diag d;
    diag_init(&d, &sm);
    diag_error(&d, (Span){f, 20, 20}, "eleven");
    ck_assert_str_eq(sb_str(&d.out),
        "error: eleven\n"
        "  --> a.rs:11:1\n"
        "   |\n"
        "11 | x\n"
        "   | ^\n"
        "\n");
    diag_free(&d);
    srcmap_free(&sm);
    sb_free(&src);
}
END_TEST

START_TEST(files_atomic_and_checked)
{
    char *dir = unit_tmpdir();
    char *path = xasprintf("%s/sub/dir/state", dir);
    char *err = NULL, *why = NULL, *data;
    size_t len;
    char *parent = xasprintf("%s/sub/dir", dir);
    ck_assert(file_mkdirs(parent, &err));
    ck_assert(file_write_checked(path, "TESTMAG1", 3, "payload", 7, &err));
    ck_assert(file_read_checked(path, "TESTMAG1", 3, &data, &len, &why));
    ck_assert_uint_eq(len, 7);
    ck_assert_mem_eq(data, "payload", 7);
    xfree(data);

    ck_assert(!file_read_checked(path, "TESTMAG1", 4, &data, &len, &why));
    ck_assert_str_eq(why, "version 3, expected 4");
    xfree(why);
    ck_assert(!file_read_checked(path, "OTHERMAG", 3, &data, &len, &why));
    ck_assert_str_eq(why, "bad magic");
    xfree(why);

    /* Flip one payload byte: the checksum catches it. */
    char *raw;
    ck_assert(file_read(path, &raw, &len, &err));
    raw[len - 1] ^= 1;
    ck_assert(file_write_atomic(path, raw, len, false, &err));
    ck_assert(!file_read_checked(path, "TESTMAG1", 3, &data, &len, &why));
    ck_assert_str_eq(why, "checksum mismatch");
    xfree(why);
    /* Cut it short. */
    ck_assert(file_write_atomic(path, raw, 20, false, &err));
    ck_assert(!file_read_checked(path, "TESTMAG1", 3, &data, &len, &why));
    ck_assert_str_eq(why, "truncated");
    xfree(why);
    xfree(raw);

    char *missing = xasprintf("%s/nope", dir);
    ck_assert(!file_read_checked(missing, "TESTMAG1", 3, &data, &len, &why));
    ck_assert_str_eq(why, "missing");
    xfree(why);
    ck_assert(!file_read(missing, &data, &len, &err));
    ck_assert(strstr(err, "No such file") != NULL);
    xfree(err);

    /* A write into a directory that does not exist fails and leaves nothing behind. */
    char *bad = xasprintf("%s/no/such/file", dir);
    ck_assert(!file_write_atomic(bad, "x", 1, false, &err));
    xfree(err);
    ck_assert(!file_exists(bad));

    /* A cache write replaces the file with a new one (a new inode: a hard link to the
     * old one keeps the old bytes), leaves no temp file, and fails as cleanly. */
    char *old_name = xasprintf("%s/sub/dir/old", dir);
    ck_assert(file_write_cache(path, "first", 5, &err));
    ck_assert_int_eq(link(path, old_name), 0);
    ck_assert(file_write_cache(path, "second", 6, &err));
    ck_assert(file_read(path, &data, &len, &err));
    ck_assert_uint_eq(len, 6);
    ck_assert_mem_eq(data, "second", 6);
    xfree(data);
    ck_assert(file_read(old_name, &data, &len, &err));
    ck_assert_mem_eq(data, "first", 5);
    xfree(data);
    char *ls = xasprintf("test $(ls %s/sub/dir | wc -l) -eq 2", dir);
    ck_assert_int_eq(system(ls), 0);
    xfree(ls);
    ck_assert(!file_write_cache(bad, "x", 1, &err));
    xfree(err);
    ck_assert(!file_exists(bad));
    xfree(old_name);

    unit_rmtree(dir);
    xfree(bad);
    xfree(missing);
    xfree(parent);
    xfree(path);
    xfree(dir);
}
END_TEST

Suite *common_suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, arena_aligns_and_grows);
    tcase_add_test(tc, vec_push_pop);
    tcase_add_test(tc, strbuf_formats);
    tcase_add_test(tc, intern_dedups);
    tcase_add_test(tc, hash_known_values);
    tcase_add_test(tc, diag_rustc_layout);
    tcase_add_test(tc, diag_wide_gutter_and_empty_span);
    tcase_add_test(tc, files_atomic_and_checked);
    suite_add_tcase(s, tc);
    return s;
}

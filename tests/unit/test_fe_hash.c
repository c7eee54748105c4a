/* tests/unit/test_fe_hash.c — per-function hashes (fe_fn_hash, fe_fn_hashes): one
 * edit at a time, and exactly the functions whose code can differ get a new hash. */
#include "tests/unit/unit.h"

#include "frontend/frontend.h"

#include <string.h>

/* The program every case edits: callees, a struct with derives, consts (one through
 * another), a static, an #[inline] function and the private function it calls. */
static const char base_src[] =
    "const K: u32 = 3;\n"
    "const A: [u32; 2] = [K, 4];\n"
    "static S: u32 = 9;\n"
    "#[derive(Debug, PartialEq)]\n"
    "struct P {\n"
    "    x: u32,\n"
    "    y: u32,\n"
    "}\n"
    "fn leaf(v: u8) -> u32 {\n"
    "    v as u32 + 1\n"
    "}\n"
    "fn uses_leaf() -> u32 {\n"
    "    let r = leaf(3);\n"
    "    r * 2\n"
    "}\n"
    "fn uses_p(p: &P) -> u32 {\n"
    "    p.x + 1\n"
    "}\n"
    "fn uses_k() -> u32 {\n"
    "    A[1] + A[0]\n"
    "}\n"
    "fn uses_s() -> u32 {\n"
    "    S\n"
    "}\n"
    "fn lonely() -> u32 {\n"
    "    5\n"
    "}\n"
    "#[inline]\n"
    "fn inl(v: u32) -> u32 {\n"
    "    helper(v)\n"
    "}\n"
    "fn helper(v: u32) -> u32 {\n"
    "    v * 7\n"
    "}\n"
    "fn uses_inl() -> u32 {\n"
    "    inl(2)\n"
    "}\n"
    "fn main() {\n"
    "    let p = P { x: 1, y: 2 };\n"
    "    println!(\"{} {} {} {} {} {} {:?}\", uses_leaf(), uses_p(&p), uses_k(), uses_s(), lonely(), uses_inl(), p);\n"
    "}\n";

typedef struct Hashes {
    char *names[64];  /* "fn uses_p", "debug P", "eq P" */
    Hash128 hash[64];
    uint32_t n;
} Hashes;

static void hashes_of(const char *src, Hashes *out)
{
    FeSession sess;
    fe_session_init(&sess);
    FeCrateSpec spec = {.name = "t", .root_path = "/nonexistent/src/main.rs", .display_path = "src/main.rs",
                        .is_bin = true, .root_text = src, .root_len = (uint32_t)strlen(src)};
    FeCrate *c = fe_check_crate(&sess, &spec);
    if (!c)
        ck_abort_msg("rejected:\n%s\n%s", sb_str(&sess.diag.out), src);
    const FeFnHash *list;
    uint32_t n = fe_fn_hashes(c, &list);
    ck_assert_uint_le(n, 64);
    static const char *const kinds[] = {"fn", "debug", "eq", "data", "entry"};
    out->n = n;
    for (uint32_t i = 0; i < n; i++) {
        StrBuf path = {0};
        fe_item_path(c, list[i].item, &path);
        out->names[i] = xasprintf("%s %s", kinds[list[i].kind], sb_str(&path));
        out->hash[i] = list[i].hash;
        if (list[i].kind == FE_CODE_FN)
            ck_assert(hash128_eq(list[i].hash, fe_fn_hash(c, list[i].item)));
        sb_free(&path);
    }
    fe_session_free(&sess);
}

static void hashes_free(Hashes *h)
{
    for (uint32_t i = 0; i < h->n; i++)
        xfree(h->names[i]);
}

/* Replaces the first occurrence of `from` in base_src by `to` (heap). */
static char *edit(const char *src, const char *from, const char *to)
{
    const char *at = strstr(src, from);
    ck_assert_msg(at != NULL, "no `%s` in the program", from);
    return xasprintf("%.*s%s%s", (int)(at - src), src, to, at + strlen(from));
}

/* Asserts that between the two programs exactly the hashes named in `changed`
 * (comma-separated, "" for none) differ; functions present in one only count as
 * changed. */
static void expect_changed(const char *before, const char *after, const char *changed)
{
    Hashes a, b;
    hashes_of(before, &a);
    hashes_of(after, &b);
    StrBuf got = {0};
    for (uint32_t i = 0; i < b.n; i++) {
        bool same = false;
        for (uint32_t j = 0; j < a.n; j++)
            if (strcmp(a.names[j], b.names[i]) == 0)
                same = hash128_eq(a.hash[j], b.hash[i]);
        if (!same)
            sb_printf(&got, "%s%s", got.len ? "," : "", b.names[i]);
    }
    for (uint32_t j = 0; j < a.n; j++) {
        bool found = false;
        for (uint32_t i = 0; i < b.n; i++)
            found |= strcmp(a.names[j], b.names[i]) == 0;
        if (!found)
            sb_printf(&got, "%s%s", got.len ? "," : "", a.names[j]);
    }
    ck_assert_msg(strcmp(sb_str(&got), changed) == 0, "changed [%s], expected [%s]", sb_str(&got), changed);
    sb_free(&got);
    hashes_free(&a);
    hashes_free(&b);
}

static void expect_edit(const char *from, const char *to, const char *changed)
{
    char *after = edit(base_src, from, to);
    expect_changed(base_src, after, changed);
    xfree(after);
}

START_TEST(fn_hash_is_deterministic)
{
    expect_changed(base_src, base_src, "");
}
END_TEST

START_TEST(fn_hash_body_edit)
{
    expect_edit("v as u32 + 1", "v as u32 + 2", "fn leaf");
    expect_edit("    5\n", "    6\n", "fn lonely");
}
END_TEST

START_TEST(fn_hash_callee_signature)
{
    /* leaf(3): the literal follows the parameter's type, so only leaf and its caller */
    expect_edit("fn leaf(v: u8)", "fn leaf(v: u16)", "fn leaf,fn uses_leaf");
    /* a parameter that becomes mutable: a binding, not the signature */
    expect_edit("fn leaf(v: u8)", "fn leaf(mut v: u8)", "fn leaf");
}
END_TEST

START_TEST(fn_hash_struct_field)
{
    /* a field added: the users of P (and its derived impls) */
    char *a = edit(base_src, "    y: u32,\n}", "    y: u32,\n    z: u32,\n}");
    char *b = edit(a, "P { x: 1, y: 2 }", "P { x: 1, y: 2, z: 3 }");
    expect_changed(base_src, b, "debug P,eq P,fn uses_p,fn main");
    xfree(a);
    xfree(b);
    /* a field's type (the layout): likewise */
    expect_edit("    y: u32,", "    y: u8,", "debug P,eq P,fn uses_p,fn main");
}
END_TEST

START_TEST(fn_hash_const_value)
{
    /* K reaches uses_k through A's initializer */
    expect_edit("const K: u32 = 3;", "const K: u32 = 4;", "data K,data A,fn uses_k");
    expect_edit("[K, 4]", "[K, 5]", "data A,fn uses_k");
    /* the same value written otherwise: no function changes */
    expect_edit("const K: u32 = 3;", "const K: u32 = 1 + 2;", "");
}
END_TEST

START_TEST(fn_hash_evaluation_order)
{
    /* a struct literal evaluates its fields as written: another order is other code */
    expect_edit("P { x: 1, y: 2 }", "P { y: 2, x: 1 }", "fn main");
}
END_TEST

START_TEST(fn_hash_static)
{
    expect_edit("static S: u32 = 9;", "static S: u32 = 10;", "data S,fn uses_s");
}
END_TEST

START_TEST(fn_hash_inline_bodies)
{
    /* an #[inline] body reaches its callers; so does a private function it calls */
    expect_edit("    helper(v)\n", "    helper(v) + 1\n", "fn inl,fn uses_inl");
    /* (inl's own code calls helper by its symbol: only inl's callers see helper's body) */
    expect_edit("    v * 7\n", "    v * 8\n", "fn helper,fn uses_inl");
}
END_TEST

START_TEST(fn_hash_layout_only_edits)
{
    /* nothing that only moves text or renames what does not reach the program */
    expect_edit("const K", "// a comment\nconst K", "");
    expect_edit("const K", "\n\n\nconst K", "");
    expect_edit("fn uses_p(p: &P) -> u32 {\n    p.x + 1", "fn uses_p(q: &P) -> u32 {\n    q.x + 1", "");
    expect_edit("let r = leaf(3);\n    r * 2", "let res = leaf(3);\n    res * 2", "");
    expect_edit("    p.x + 1\n", "        p.x   +   1   // spaced\n", "");
    /* moving a function elsewhere in the file */
    char *a = edit(base_src, "fn lonely() -> u32 {\n    5\n}\n", "");
    char *b = edit(a, "fn main()", "fn lonely() -> u32 {\n    5\n}\nfn main()");
    expect_changed(base_src, b, "");
    xfree(a);
    xfree(b);
}
END_TEST

START_TEST(fn_hash_added_and_removed)
{
    expect_edit("fn main()", "fn extra() -> u8 {\n    1\n}\nfn main()", "fn extra");
    /* a derive added: the struct's users and the new impl */
    expect_edit("#[derive(Debug, PartialEq)]", "#[derive(Debug, PartialEq, Clone)]",
                "debug P,eq P,fn uses_p,fn main");
}
END_TEST

START_TEST(fn_hash_symbol)
{
    /* a function's symbol is part of its hash: the same body in a module */
    expect_changed("fn f() -> u32 { 1 }\nfn main() { f(); }\n",
                   "mod m { pub fn f() -> u32 { 1 } }\nuse m::f;\nfn main() { f(); }\n", "fn m::f,fn main,fn f");
    /* methods: the impl's position in its module is in the symbol */
    expect_changed("struct T;\nimpl T { fn a() {} }\nimpl T { fn b() {} }\nfn main() { T::a(); T::b(); }\n",
                   "struct T;\nimpl T { fn b() {} }\nimpl T { fn a() {} }\nfn main() { T::a(); T::b(); }\n",
                   "fn T::b,fn T::a,fn main");
}
END_TEST

Suite *fe_hash_suite(void)
{
    Suite *s = suite_create("fe_hash");
    TCase *tc = tcase_create("fe_hash");
    tcase_add_test(tc, fn_hash_is_deterministic);
    tcase_add_test(tc, fn_hash_body_edit);
    tcase_add_test(tc, fn_hash_callee_signature);
    tcase_add_test(tc, fn_hash_struct_field);
    tcase_add_test(tc, fn_hash_const_value);
    tcase_add_test(tc, fn_hash_static);
    tcase_add_test(tc, fn_hash_evaluation_order);
    tcase_add_test(tc, fn_hash_inline_bodies);
    tcase_add_test(tc, fn_hash_layout_only_edits);
    tcase_add_test(tc, fn_hash_added_and_removed);
    tcase_add_test(tc, fn_hash_symbol);
    suite_add_tcase(s, tc);
    return s;
}

/* tests/unit/test_x64gen.c — the code generator (cg_crate) on small crates: its checks
 * are on in ws's build, symbols are v0 names that do not depend on bodies, equal input
 * gives equal records, locations stay out of code, and panic sites get records. */
#include "tests/unit/unit.h"

#include "backend/backend.h"
#include "frontend/frontend.h"

#include <stdlib.h>
#include <string.h>

/* A checked and generated crate from source text. */
typedef struct Built {
    FeSession sess;
    CgCrate cc;
    bool ok;
    char *dir;
} Built;

static void build(Built *b, const char *src)
{
    memset(b, 0, sizeof *b);
    b->dir = unit_tmpdir();
    char *path = xasprintf("%s/main.rs", b->dir);
    char *err = NULL;
    ck_assert_msg(file_write_atomic(path, src, strlen(src), false, &err), "%s", err ? err : "");
    fe_session_init(&b->sess);
    FeCrateSpec spec = {.name = "app", .root_path = path, .display_path = "src/main.rs", .is_bin = true};
    FeCrate *c = fe_check_crate(&b->sess, &spec);
    ck_assert_msg(c != NULL, "frontend: %s", sb_str(&b->sess.diag.out));
    b->ok = cg_crate(&b->sess, c, &b->cc);
    xfree(path);
}

static void unbuild(Built *b)
{
    cg_crate_free(&b->cc);
    fe_session_free(&b->sess);
    unit_rmtree(b->dir);
    xfree(b->dir);
}

static const CodeFunc *find(const Built *b, const char *name)
{
    for (uint32_t m = 0; m < b->cc.nmodules; m++)
        for (uint32_t i = 0; i < b->cc.modules[m].nfuncs; i++) {
            const CodeFunc *f = b->cc.modules[m].funcs[i];
            if (strcmp(sym_str(&b->sess.names, f->name), name) == 0)
                return f;
        }
    return NULL;
}

static const char program[] =
    "mod geom {\n"
    "    #[derive(Debug, Clone, Copy, PartialEq)]\n"
    "    pub struct Point { pub x: i32, pub y: i32 }\n"
    "    impl Point {\n"
    "        pub fn sum(&self) -> i32 { self.x + self.y }\n"
    "    }\n"
    "}\n"
    "static LIMIT: u64 = 7;\n"
    "fn pick(v: &[u8], i: usize) -> u8 { v[i] }\n"
    "fn main() {\n"
    "    let p = geom::Point { x: 1, y: 2 };\n"
    "    let v = [1u8, 2, 3];\n"
    "    println!(\"{:?} {} {} {}\", p, p.sum(), pick(&v, 1), LIMIT);\n"
    "}\n";

START_TEST(checks_are_on_in_the_normal_build)
{
    X64Asm a;
    x64_init(&a, NULL);
    ck_assert_msg(a.checks, "ws is built with NDEBUG: the encoder's invariant checks are off");
    x64_free(&a);
}
END_TEST

START_TEST(symbols_are_v0_paths)
{
    Built b;
    build(&b, program);
    ck_assert(b.ok);
    ck_assert_ptr_nonnull(find(&b, "_RNvC3app4main"));
    ck_assert_ptr_nonnull(find(&b, "_RNvC3app4pick"));
    ck_assert_ptr_nonnull(find(&b, "_RNvMNtC3app4geomNtB2_5Point3sum"));
    ck_assert_ptr_nonnull(find(&b, "_RNvXNtC3app4geomNtB2_5PointNtNtC4core3fmt5Debug3fmt"));
    ck_assert_ptr_nonnull(find(&b, "_RNvXNtC3app4geomNtB2_5PointNtNtC4core3cmp9PartialEq2eq"));
    ck_assert_ptr_nonnull(find(&b, "__ws_main"));
    /* the static is a data item of the root module */
    bool found = false;
    for (uint32_t i = 0; i < b.cc.modules[0].ndata; i++)
        found |= strcmp(sym_str(&b.sess.names, b.cc.modules[0].data[i]->name), "_RNvC3app5LIMIT") == 0;
    ck_assert(found);
    unbuild(&b);
}
END_TEST

START_TEST(equal_input_equal_records_and_bodies_keep_names)
{
    Built a, b;
    build(&a, program);
    build(&b, program);
    ck_assert_uint_eq(a.cc.nmodules, b.cc.nmodules);
    for (uint32_t m = 0; m < a.cc.nmodules; m++) {
        ck_assert_uint_eq(a.cc.modules[m].nfuncs, b.cc.modules[m].nfuncs);
        for (uint32_t i = 0; i < a.cc.modules[m].nfuncs; i++)
            ck_assert(code_func_equal(a.cc.modules[m].funcs[i], b.cc.modules[m].funcs[i], &a.sess.names,
                                      &b.sess.names));
    }
    unbuild(&b);
    /* a different body of pick: same symbol, different code */
    char *edited = xstrdup(program);
    char *at = strstr(edited, "v[i] }");
    memcpy(at, "v[0] }", 6);
    build(&b, edited);
    const CodeFunc *fa = find(&a, "_RNvC3app4pick"), *fb = find(&b, "_RNvC3app4pick");
    ck_assert_ptr_nonnull(fb);
    ck_assert(!code_func_equal(fa, fb, &a.sess.names, &b.sess.names));
    xfree(edited);
    unbuild(&a);
    unbuild(&b);
}
END_TEST

START_TEST(lines_change_locations_not_code)
{
    Built a, b;
    build(&a, program);
    char *shifted = xasprintf("// one more line\n\n%s", program);
    build(&b, shifted);
    xfree(shifted);
    const CodeFunc *fa = find(&a, "_RNvC3app4pick"), *fb = find(&b, "_RNvC3app4pick");
    ck_assert_uint_eq(fa->size, fb->size);
    ck_assert(memcmp(fa->code, fb->code, fa->size) == 0);
    ck_assert_uint_ge(fa->nlocs, 1);  /* the bounds check */
    ck_assert_uint_eq(fa->nlocs, fb->nlocs);
    ck_assert_uint_eq(fa->locs[0].line + 2, fb->locs[0].line);
    ck_assert_uint_eq(fa->locs[0].col, fb->locs[0].col);
    ck_assert_str_eq(sym_str(&a.sess.names, fa->locs[0].file), "src/main.rs");
    unbuild(&a);
    unbuild(&b);
}
END_TEST

START_TEST(unsupported_is_an_error_not_a_crash)
{
    Built b;
    /* The frontend accepts this; only the code generator knows the frame is too big. */
    build(&b, "fn main() { let a = [0u8; 3000000000]; println!(\"{}\", a[5]); }\n");
    ck_assert(!b.ok);
    ck_assert_ptr_nonnull(strstr(sb_str(&b.sess.diag.out), "error: unsupported: stack frames larger than 1 GiB"));
    unbuild(&b);
}
END_TEST

/* The imm32 of the instruction whose bytes start with `op` at code[*at], advancing
 * *at past it. */
static uint32_t imm32_after(const CodeFunc *f, uint32_t *at, const char *op, uint32_t oplen)
{
    ck_assert_uint_le(*at + oplen + 4, f->size);
    ck_assert_msg(memcmp(f->code + *at, op, oplen) == 0, "no %s at %u", op, *at);
    uint32_t v;
    memcpy(&v, f->code + *at + oplen, 4);
    *at += oplen + 4;
    return v;
}

#define PUSH_RBP_MOV_RBP_RSP "\x55\x48\x89\xe5"
#define SUB_RSP "\x48\x81\xec"
#define PROBE "\x48\x81\xec\x00\x10\x00\x00\x48\xc7\x04\x24\x00\x00\x00\x00" /* sub; mov [rsp], 0 */

START_TEST(big_frames_are_probed_small_ones_not)
{
    Built b;
    build(&b,
          "fn small(x: u64) -> u64 { let a = [x; 8]; a[(x as usize) % 8] }\n"
          "fn two_pages(x: u64) -> u64 { let a = [x; 1500]; a[(x as usize) % 1500] }\n"
          "fn huge(x: u64) -> u64 { let a = [x; 300_000]; a[(x as usize) % 300_000] }\n"
          "fn main() { println!(\"{}\", small(1) + two_pages(2) + huge(3)); }\n");
    ck_assert(b.ok);
    /* small: `sub rsp, imm32` of at most a page, then the body */
    const CodeFunc *f = find(&b, "_RNvC3app5small");
    uint32_t at = 4;
    ck_assert(memcmp(f->code, PUSH_RBP_MOV_RBP_RSP, 4) == 0);
    uint32_t frame = imm32_after(f, &at, SUB_RSP, 3);
    ck_assert_uint_le(frame, 4096);
    ck_assert_uint_ge(frame, 64);
    ck_assert(memcmp(f->code + at, PROBE + 7, 4) != 0 && memcmp(f->code + at, SUB_RSP, 3) != 0);
    ck_assert_ptr_null(memmem(f->code, f->size, PROBE + 7, 8));
    /* 12000 bytes and more: two probes unrolled, then the rest */
    f = find(&b, "_RNvC3app9two_pages");
    ck_assert(memcmp(f->code, PUSH_RBP_MOV_RBP_RSP PROBE PROBE SUB_RSP, 4 + 30 + 3) == 0);
    at = 4 + 30;
    frame = 2 * 4096 + imm32_after(f, &at, SUB_RSP, 3);
    ck_assert_uint_ge(frame, 12000);
    ck_assert_uint_le(frame, 12000 + 256);
    /* 2.4 MB: the loop through r11 */
    f = find(&b, "_RNvC3app4huge");
    ck_assert(memcmp(f->code, PUSH_RBP_MOV_RBP_RSP "\x49\x89\xe3", 7) == 0);  /* mov r11, rsp */
    at = 7;
    uint32_t bound = imm32_after(f, &at, "\x49\x81\xeb", 3);  /* sub r11, imm32 */
    ck_assert(memcmp(f->code + at, PROBE "\x4c\x39\xdc\x75\xec", 20) == 0);  /* cmp; jne */
    at += 20;
    uint32_t rest = imm32_after(f, &at, SUB_RSP, 3);
    ck_assert_uint_eq(bound % 4096, 0);
    ck_assert_uint_ge(rest, 1);
    ck_assert_uint_le(rest, 4096);
    ck_assert_uint_ge(bound + rest, 2400000);
    ck_assert_uint_le(bound + rest, 2400000 + 256);
    unbuild(&b);
}
END_TEST

Suite *x64gen_suite(void)
{
    Suite *s = suite_create("x64gen");
    TCase *tc = tcase_create("gen");
    tcase_add_test(tc, checks_are_on_in_the_normal_build);
    tcase_add_test(tc, symbols_are_v0_paths);
    tcase_add_test(tc, equal_input_equal_records_and_bodies_keep_names);
    tcase_add_test(tc, lines_change_locations_not_code);
    tcase_add_test(tc, unsupported_is_an_error_not_a_crash);
    tcase_add_test(tc, big_frames_are_probed_small_ones_not);
    suite_add_tcase(s, tc);
    return s;
}

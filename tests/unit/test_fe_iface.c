/* tests/unit/test_fe_iface.c — crate interfaces: what changes the interface hash and
 * what does not, per-item hashes, loading interfaces as dependencies (through
 * re-exports, self-contained), damaged payloads, and symbols that agree between a
 * crate and its dependents. */
#include "tests/unit/unit.h"

#include "backend/backend.h"
#include "frontend/frontend.h"

#include <stdlib.h>
#include <string.h>

/* A checked crate and its interface. */
typedef struct Lib {
    FeSession sess;
    FeCrate *c;
    StrBuf meta;
    Hash128 hash;
} Lib;

/* Checks `src` as crate `name` (a lib unless bin) with the given dependencies; the
 * interface is written for libs. Returns false (diagnostics in sess) on errors. */
static bool build(Lib *l, const char *name, const char *src, bool bin, const FeDep *deps, uint32_t ndeps)
{
    memset(l, 0, sizeof *l);
    fe_session_init(&l->sess);
    FeCrateSpec spec = {.name = name, .root_path = "/nonexistent/src/lib.rs", .display_path = "src/lib.rs",
                        .is_bin = bin, .deps = deps, .ndeps = ndeps, .root_text = src,
                        .root_len = (uint32_t)strlen(src)};
    l->c = fe_check_crate(&l->sess, &spec);
    if (l->c && !bin)
        fe_interface_write(&l->sess, l->c, &l->meta, &l->hash);
    return l->c != NULL;
}

static void lib_free(Lib *l)
{
    sb_free(&l->meta);
    fe_session_free(&l->sess);
}

static void must_build(Lib *l, const char *name, const char *src, bool bin, const FeDep *deps, uint32_t ndeps)
{
    if (!build(l, name, src, bin, deps, ndeps))
        ck_abort_msg("rejected:\n%s\n%s", sb_str(&l->sess.diag.out), src);
}

static const char lib_src[] =
    "//! A library with one item of every kind.\n"
    "pub const LIMIT: u64 = 1000;\n"
    "pub struct Point {\n"
    "    pub x: i64,\n"
    "    pub y: i64,\n"
    "}\n"
    "pub struct Counter {\n"
    "    count: u32,\n"
    "    step: u32,\n"
    "    spare: u8,\n"
    "}\n"
    "impl Counter {\n"
    "    pub fn new(step: u32) -> Counter {\n"
    "        Counter { count: 0, step, spare: 0 }\n"
    "    }\n"
    "    pub fn bump(&mut self) -> u32 {\n"
    "        self.count += self.step;\n"
    "        self.count\n"
    "    }\n"
    "}\n"
    "pub fn scale(value: u64, factor: u64) -> u64 {\n"
    "    clamp(value * factor)\n"
    "}\n"
    "fn clamp(v: u64) -> u64 {\n"
    "    if v > LIMIT { LIMIT } else { v }\n"
    "}\n"
    "#[inline]\n"
    "pub fn fast_double(v: u64) -> u64 {\n"
    "    mix(v) * 2\n"
    "}\n"
    "fn mix(v: u64) -> u64 {\n"
    "    v + 1\n"
    "}\n"
    "#[derive(Debug, Clone, Copy, PartialEq)]\n"
    "pub struct Cents(pub i64);\n"
    "pub mod sub {\n"
    "    pub fn deep() -> u32 {\n"
    "        42\n"
    "    }\n"
    "}\n"
    "use sub::deep;\n"
    "pub fn legacy() -> u32 {\n"
    "    deep()\n"
    "}\n";

static char *edit(const char *src, const char *from, const char *to)
{
    const char *at = strstr(src, from);
    ck_assert_msg(at != NULL, "no `%s` in the library", from);
    return xasprintf("%.*s%s%s", (int)(at - src), src, to, at + strlen(from));
}

/* Does the edit change the library's interface hash? */
static bool iface_changes(const char *from, const char *to)
{
    char *after = edit(lib_src, from, to);
    Lib a, b;
    must_build(&a, "lib", lib_src, false, NULL, 0);
    must_build(&b, "lib", after, false, NULL, 0);
    bool changed = !hash128_eq(a.hash, b.hash);
    /* equal hashes: the very same payload (the diagnostic names apart) */
    lib_free(&a);
    lib_free(&b);
    xfree(after);
    return changed;
}

START_TEST(iface_unchanged_by_bodies_and_layout_of_text)
{
    ck_assert(!iface_changes("//! A library", "// a comment\n//! A library"));
    ck_assert(!iface_changes("pub const", "\n\n  pub const"));
    ck_assert(!iface_changes("clamp(value * factor)", "clamp(value * factor + 1)"));          /* pub body */
    ck_assert(!iface_changes("if v > LIMIT { LIMIT }", "if v >= LIMIT { LIMIT - 1 }"));       /* private body */
    ck_assert(!iface_changes("fn clamp", "fn unused() -> u8 { 3 }\nfn clamp"));              /* private fn */
    ck_assert(!iface_changes("pub fn scale(value: u64, factor: u64) -> u64 {\n    clamp(value * factor)",
                             "pub fn scale(amount: u64, f: u64) -> u64 {\n    clamp(amount * f)")); /* params */
    ck_assert(!iface_changes("pub fn legacy", "struct Private { a: u8 }\npub fn legacy"));        /* private item */
    ck_assert(!iface_changes("use sub::deep;", "use sub::{deep};"));
    ck_assert(!iface_changes("pub const LIMIT: u64 = 1000;", "pub const LIMIT: u64 = 500 * 2;"));
}
END_TEST

START_TEST(iface_unchanged_by_private_field_rename)
{
    char *a = edit(lib_src, "    count: u32,\n    step: u32,", "    tally: u32,\n    step: u32,");
    char *b = edit(a, "Counter { count: 0, step,", "Counter { tally: 0, step,");
    char *c = edit(b, "self.count += self.step;\n        self.count", "self.tally += self.step;\n        self.tally");
    Lib x, y;
    must_build(&x, "lib", lib_src, false, NULL, 0);
    must_build(&y, "lib", c, false, NULL, 0);
    ck_assert(hash128_eq(x.hash, y.hash));
    lib_free(&x);
    lib_free(&y);
    xfree(a);
    xfree(b);
    xfree(c);
}
END_TEST

START_TEST(iface_unchanged_by_item_order)
{
    /* the payload itself is canonical: the same bytes whatever the order */
    char *a = edit(lib_src, "pub mod sub {", "pub fn moved() {}\npub mod sub {");
    char *b = edit(lib_src, "pub const LIMIT", "pub fn moved() {}\npub const LIMIT");
    Lib x, y;
    must_build(&x, "lib", a, false, NULL, 0);
    must_build(&y, "lib", b, false, NULL, 0);
    ck_assert(hash128_eq(x.hash, y.hash));
    ck_assert_uint_eq(x.meta.len, y.meta.len);
    ck_assert(memcmp(x.meta.data, y.meta.data, x.meta.len) == 0);
    lib_free(&x);
    lib_free(&y);
    xfree(a);
    xfree(b);
}
END_TEST

START_TEST(iface_changed_by_what_dependents_see)
{
    ck_assert(iface_changes("factor: u64) -> u64 {\n    clamp(value * factor)",
                            "factor: u32) -> u64 {\n    clamp(value * factor as u64)"));  /* signature */
    ck_assert(iface_changes("mix(v) * 2", "mix(v) * 3"));                              /* inline body */
    ck_assert(iface_changes("    v + 1\n", "    v + 2\n"));                            /* its callee */
    ck_assert(iface_changes("= 1000;", "= 500;"));                                     /* const value */
    ck_assert(iface_changes("    pub y: i64,\n", "    pub y: i64,\n    pub z: i64,\n")); /* field added */
    ck_assert(iface_changes("    pub y: i64,\n", "    pub y: i32,\n"));                 /* field type */
    ck_assert(iface_changes("    spare: u8,\n", "    spare: u64,\n"));                 /* private layout */
    ck_assert(!iface_changes("    spare: u8,\n", "    spare: i8,\n"));                 /* same layout */
    ck_assert(iface_changes("pub fn legacy", "pub fn modern() {}\npub fn legacy"));    /* item added */
    ck_assert(iface_changes("pub fn legacy", "fn legacy"));                            /* item now private */
    ck_assert(iface_changes("Copy, PartialEq)]", "Copy, PartialEq, Eq)]"));            /* a derive */
    ck_assert(iface_changes("use sub::deep;", "pub use sub::deep;"));                  /* a re-export */
    ck_assert(iface_changes("pub fn bump", "pub fn reset(&mut self) {}\n    pub fn bump")); /* a method */
    ck_assert(iface_changes("pub fn scale", "#[inline]\npub fn scale"));               /* now inline */
    ck_assert(iface_changes("pub mod sub", "mod sub"));                                /* module path */
}
END_TEST

typedef struct Items {
    char *path[64];
    Hash128 hash[64];
    uint32_t n;
} Items;

static void collect_item(void *ctx, const char *path, Hash128 h)
{
    Items *it = ctx;
    ck_assert_uint_lt(it->n, 64);
    it->path[it->n] = xstrdup(path);
    it->hash[it->n++] = h;
}

static void items_free(Items *it)
{
    for (uint32_t i = 0; i < it->n; i++)
        xfree(it->path[i]);
    it->n = 0;
}

/* The items whose hashes differ, comma-separated in payload order. */
static char *changed_items(const char *from, const char *to)
{
    char *after = edit(lib_src, from, to);
    Lib a, b;
    must_build(&a, "lib", lib_src, false, NULL, 0);
    must_build(&b, "lib", after, false, NULL, 0);
    Items ia = {0}, ib = {0};
    ck_assert(fe_interface_items(a.meta.data, a.meta.len, collect_item, &ia));
    ck_assert(fe_interface_items(b.meta.data, b.meta.len, collect_item, &ib));
    StrBuf out = {0};
    for (uint32_t i = 0; i < ib.n; i++) {
        bool same = false;
        for (uint32_t j = 0; j < ia.n; j++)
            if (strcmp(ia.path[j], ib.path[i]) == 0)
                same = hash128_eq(ia.hash[j], ib.hash[i]);
        if (!same)
            sb_printf(&out, "%s%s", out.len ? "," : "", ib.path[i]);
    }
    items_free(&ia);
    items_free(&ib);
    lib_free(&a);
    lib_free(&b);
    xfree(after);
    return out.data ? out.data : xstrdup("");
}

START_TEST(iface_item_hashes)
{
    char *s = changed_items("factor: u64) -> u64 {\n    clamp(value * factor)",
                            "factor: u32) -> u64 {\n    clamp(value * factor as u64)");
    ck_assert_str_eq(s, "lib::scale");
    xfree(s);
    s = changed_items("mix(v) * 2", "mix(v) * 3");
    ck_assert_str_eq(s, "lib::fast_double");
    xfree(s);
    s = changed_items("    spare: u8,\n", "    spare: u64,\n");
    ck_assert_str_eq(s, "lib::Counter");
    xfree(s);
    s = changed_items("pub fn legacy", "pub fn modern() {}\npub fn legacy");
    ck_assert_str_eq(s, "lib,lib::modern");  /* the root module names it */
    xfree(s);
    s = changed_items("clamp(value * factor)", "clamp(value * factor + 1)");
    ck_assert_str_eq(s, "");
    xfree(s);
    /* the items of an interface: public ones, and what the inline body reaches */
    Lib a;
    must_build(&a, "lib", lib_src, false, NULL, 0);
    Items ia = {0};
    ck_assert(fe_interface_items(a.meta.data, a.meta.len, collect_item, &ia));
    StrBuf all = {0};
    for (uint32_t i = 0; i < ia.n; i++)
        sb_printf(&all, "%s ", ia.path[i]);
    /* (in key order: kind, then length-prefixed path) */
    ck_assert_str_eq(sb_str(&all), "lib lib::sub lib::mix lib::scale lib::legacy lib::sub::deep lib::fast_double "
                                   "lib::Counter::new lib::Counter::bump lib::LIMIT lib::Cents lib::Point "
                                   "lib::Counter ");
    sb_free(&all);
    items_free(&ia);
    lib_free(&a);
}
END_TEST

/* ---------------------------------------------------------------- dependencies */

static const char base_src[] =
    "pub struct Point { pub x: i64, pub y: i64 }\n"
    "impl Point { pub fn sum(&self) -> i64 { self.x + self.y } }\n"
    "pub fn weight(n: u32) -> u64 { n as u64 * 3 }\n"
    "pub const N: usize = 3;\n";
static const char mid_src[] =
    "pub use base::weight;\n"
    "pub use base::Point;\n"
    "pub fn corner(s: i64) -> Point { Point { x: s, y: -s } }\n"
    "pub const TWICE: usize = base::N * 2;\n";
static const char top_src[] =
    "pub fn report(n: u32) -> u64 {\n"
    "    let p = mid::corner(n as i64);\n"
    "    let a = [0u8; mid::TWICE];\n"
    "    mid::weight(7) + (p.sum() + p.x) as u64 + a.len() as u64\n"
    "}\n";

START_TEST(iface_reexport_two_down)
{
    Lib base, mid, top;
    must_build(&base, "base", base_src, false, NULL, 0);
    FeDep d1 = {"base", base.meta.data, base.meta.len};
    must_build(&mid, "mid", mid_src, false, &d1, 1);
    /* top sees base only through mid: mid's interface carries what it re-exports */
    FeDep d2 = {"mid", mid.meta.data, mid.meta.len};
    must_build(&top, "top", top_src, false, &d2, 1);

    /* base's re-exported fn changes its signature: mid's interface changes too */
    char *b2src = edit(base_src, "weight(n: u32)", "weight(n: u64)");
    Lib base2, mid2;
    must_build(&base2, "base", b2src, false, NULL, 0);
    ck_assert(!hash128_eq(base.hash, base2.hash));
    FeDep d3 = {"base", base2.meta.data, base2.meta.len};
    must_build(&mid2, "mid", mid_src, false, &d3, 1);
    ck_assert(!hash128_eq(mid.hash, mid2.hash));
    /* a body of base's: neither changes */
    char *b3src = edit(base_src, "n as u64 * 3", "n as u64 * 4");
    Lib base3, mid3;
    must_build(&base3, "base", b3src, false, NULL, 0);
    ck_assert(hash128_eq(base.hash, base3.hash));
    FeDep d4 = {"base", base3.meta.data, base3.meta.len};
    must_build(&mid3, "mid", mid_src, false, &d4, 1);
    ck_assert(hash128_eq(mid.hash, mid3.hash));

    lib_free(&base);
    lib_free(&mid);
    lib_free(&top);
    lib_free(&base2);
    lib_free(&mid2);
    lib_free(&base3);
    lib_free(&mid3);
    xfree(b2src);
    xfree(b3src);
}
END_TEST

START_TEST(iface_two_interfaces_share_items)
{
    /* a crate that depends on base and on mid (which carries base's Point) sees one Point */
    Lib base, mid, app;
    must_build(&base, "base", base_src, false, NULL, 0);
    FeDep d1 = {"base", base.meta.data, base.meta.len};
    must_build(&mid, "mid", mid_src, false, &d1, 1);
    FeDep both[2] = {{"mid", mid.meta.data, mid.meta.len}, {"base", base.meta.data, base.meta.len}};
    must_build(&app, "app",
               "fn main() {\n"
               "    let p: base::Point = mid::corner(2);\n"
               "    let q: mid::Point = base::Point { x: 1, y: 2 };\n"
               "    println!(\"{} {} {}\", p.sum(), q.sum(), base::weight(2) + mid::weight(3));\n"
               "}\n",
               true, both, 2);
    lib_free(&app);
    /* interfaces that disagree about an item (mid built against another base) */
    char *b2src = edit(base_src, "pub y: i64 }", "pub y: i64, pub z: i64 }");
    Lib base2;
    must_build(&base2, "base", b2src, false, NULL, 0);
    FeDep mixed[2] = {{"mid", mid.meta.data, mid.meta.len}, {"base", base2.meta.data, base2.meta.len}};
    ck_assert(!build(&app, "app", "fn main() {}\n", true, mixed, 2));
    ck_assert_ptr_nonnull(strstr(sb_str(&app.sess.diag.out), "disagree about `base::Point`"));
    lib_free(&app);
    lib_free(&base2);
    lib_free(&base);
    lib_free(&mid);
    xfree(b2src);
}
END_TEST

static int calls;
static void count_call(void *ctx, const char *path, Hash128 h)
{
    (void)ctx, (void)path, (void)h;
    calls++;
}

START_TEST(iface_damaged_payloads)
{
    Lib a;
    must_build(&a, "lib", lib_src, false, NULL, 0);
    const unsigned char *good = (const unsigned char *)a.meta.data;
    size_t len = a.meta.len;
    unsigned char *buf = xmalloc(len + 1);
    /* every truncation is refused, before any item is reported */
    for (size_t cut = 0; cut < len; cut++) {
        memcpy(buf, good, cut);
        calls = 0;
        ck_assert_msg(!fe_interface_items(buf, cut, count_call, NULL), "truncated at %zu accepted", cut);
        ck_assert_int_eq(calls, 0);
    }
    ck_assert(!fe_interface_items(NULL, 0, count_call, NULL));
    /* flipped bytes and random bytes: accepted or refused, never a crash (ASan build) */
    srand(7);
    for (int round = 0; round < 3000; round++) {
        memcpy(buf, good, len);
        int flips = 1 + rand() % 4;
        for (int k = 0; k < flips; k++)
            buf[(size_t)rand() % len] ^= (unsigned char)(1u << (rand() % 8));
        calls = 0;
        if (!fe_interface_items(buf, len, count_call, NULL))
            ck_assert_int_eq(calls, 0);
        if (round % 10 == 0) {
            /* loaded as a dependency: an error or a crate, never a crash */
            FeDep d = {"lib", buf, len};
            Lib app;
            build(&app, "app", "fn main() { let p = lib::Point { x: 1, y: 2 }; println!(\"{}\", p.x); }\n", true, &d, 1);
            lib_free(&app);
        }
    }
    FeDep d = {"lib", "wsiface\0\x01\0\0\0garbage", 19};
    Lib app;
    ck_assert(!build(&app, "app", "fn main() {}\n", true, &d, 1));
    ck_assert_ptr_nonnull(strstr(sb_str(&app.sess.diag.out), "the interface of dependency `lib` is damaged"));
    lib_free(&app);
    xfree(buf);
    lib_free(&a);
}
END_TEST

/* ---------------------------------------------------------------- symbols */

typedef struct Syms {
    char **names;
    uint32_t n, cap;
} Syms;

static void syms_add(Syms *s, const char *name)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->names = xrealloc(s->names, sizeof(char *) * s->cap);
    }
    s->names[s->n++] = xstrdup(name);
}

static bool syms_has(const Syms *s, const char *name)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return true;
    return false;
}

static void syms_free(Syms *s)
{
    for (uint32_t i = 0; i < s->n; i++)
        xfree(s->names[i]);
    xfree(s->names);
}

START_TEST(iface_symbols_agree)
{
    /* every Rust symbol the dependent's code refers to and does not define is one the
     * library defines: functions, methods of impls in other modules, statics, derives */
    static const char geo[] =
        "pub mod shapes {\n"
        "    #[derive(Debug, PartialEq, Clone, Copy)]\n"
        "    pub struct Sq { pub side: u32 }\n"
        "    impl Sq { pub fn area(&self) -> u32 { self.side * self.side } }\n"
        "    impl Sq { pub fn grow(&mut self) { self.side += 1; } }\n"
        "}\n"
        "mod more { impl crate::shapes::Sq { pub fn half(self) -> u32 { self.side / 2 } } }\n"
        "pub static ORIGIN: u32 = 5;\n"
        "pub const UNIT: shapes::Sq = shapes::Sq { side: 1 };\n"
        "pub fn make(s: u32) -> shapes::Sq { shapes::Sq { side: s } }\n";
    static const char app_src[] =
        "use geo::shapes::Sq;\n"
        "#[derive(Debug, PartialEq)]\n"
        "struct Wrap { s: Sq }\n"
        "fn main() {\n"
        "    let mut s = geo::make(3);\n"
        "    s.grow();\n"
        "    let w = Wrap { s: geo::UNIT };\n"
        "    println!(\"{} {} {} {:?} {}\", s.area(), s.half(), geo::ORIGIN, w, s == geo::UNIT);\n"
        "    println!(\"{}\", w == Wrap { s: Sq { side: 1 } });\n"
        "}\n";
    Lib lib, app;
    must_build(&lib, "geo", geo, false, NULL, 0);
    FeDep d = {"geo", lib.meta.data, lib.meta.len};
    must_build(&app, "app", app_src, true, &d, 1);
    CgCrate lc, ac;
    ck_assert(cg_crate(&lib.sess, lib.c, &lc));
    ck_assert(cg_crate(&app.sess, app.c, &ac));
    Syms defined = {0};
    for (uint32_t m = 0; m < lc.nmodules; m++) {
        for (uint32_t i = 0; i < lc.modules[m].nfuncs; i++)
            syms_add(&defined, sym_str(&lib.sess.names, lc.modules[m].funcs[i]->name));
        for (uint32_t i = 0; i < lc.modules[m].ndata; i++)
            syms_add(&defined, sym_str(&lib.sess.names, lc.modules[m].data[i]->name));
    }
    Syms own = {0};
    for (uint32_t m = 0; m < ac.nmodules; m++)
        for (uint32_t i = 0; i < ac.modules[m].nfuncs; i++)
            syms_add(&own, sym_str(&app.sess.names, ac.modules[m].funcs[i]->name));
    StrBuf foreign = {0};
    for (uint32_t m = 0; m < ac.nmodules; m++)
        for (uint32_t i = 0; i < ac.modules[m].nfuncs; i++) {
            const CodeFunc *f = ac.modules[m].funcs[i];
            /* the code's relocations, then its data's (Debug descriptors) */
            Vec(CodeReloc) rels = {0};
            for (uint32_t r = 0; r < f->nrelocs; r++)
                vec_push(&rels, f->relocs[r]);
            for (uint32_t k = 0; k < f->ndata; k++)
                for (uint32_t r = 0; r < f->data[k].nrelocs; r++)
                    vec_push(&rels, f->data[k].relocs[r]);
            for (uint32_t r = 0; r < rels.len; r++) {
                if (rels.data[r].to_locs)
                    continue;
                const char *s = sym_str(&app.sess.names, rels.data[r].sym);
                if (strncmp(s, "_R", 2) != 0 || syms_has(&own, s) || strstr(s, ".d"))
                    continue;
                ck_assert_msg(syms_has(&defined, s), "the app refers to %s, which geo does not define", s);
                sb_printf(&foreign, "%s ", s);
            }
            vec_free(&rels);
        }
    /* (v0 identifiers are length-prefixed; derived impls name their trait) */
    static const char *const used[] = {"4make", "4grow", "4area", "4half", "6ORIGIN", "5Debug", "9PartialEq"};
    for (size_t i = 0; i < ARRAY_LEN(used); i++)
        ck_assert_msg(strstr(sb_str(&foreign), used[i]), "no call of geo's %s: %s", used[i], sb_str(&foreign));
    sb_free(&foreign);
    syms_free(&defined);
    syms_free(&own);
    cg_crate_free(&lc);
    cg_crate_free(&ac);
    lib_free(&lib);
    lib_free(&app);
}
END_TEST

Suite *fe_iface_suite(void)
{
    Suite *s = suite_create("fe_iface");
    TCase *tc = tcase_create("fe_iface");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, iface_unchanged_by_bodies_and_layout_of_text);
    tcase_add_test(tc, iface_unchanged_by_private_field_rename);
    tcase_add_test(tc, iface_unchanged_by_item_order);
    tcase_add_test(tc, iface_changed_by_what_dependents_see);
    tcase_add_test(tc, iface_item_hashes);
    tcase_add_test(tc, iface_reexport_two_down);
    tcase_add_test(tc, iface_two_interfaces_share_items);
    tcase_add_test(tc, iface_damaged_payloads);
    tcase_add_test(tc, iface_symbols_agree);
    suite_add_tcase(s, tc);
    return s;
}

/* tests/unit/test_x64mangle.c — Rust v0 symbol names: byte-equal to rustc's for the items
 * of tests/backend/mangle.rs (expectations in tests/backend/mangle.expected, which
 * tests/backend/run checks against rustc), demangled by binutils to the Rust path, and
 * shown demangled by `nm -C` in an object we write. */
#include "tests/unit/unit.h"

#include "backend/backend.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define EXPECTED "tests/backend/mangle.expected"

/* Runs cmd and returns its first output line (heap), without the newline. */
static char *first_line(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char buf[4096] = "";
    if (!fgets(buf, sizeof buf, p))
        buf[0] = 0;
    pclose(p);
    buf[strcspn(buf, "\n")] = 0;
    return xstrdup(buf);
}

static char *demangle(const char *sym)
{
    char *cmd = xasprintf("c++filt -i '%s'", sym);
    char *out = first_line(cmd);
    xfree(cmd);
    return out;
}

/* The crate disambiguator in rustc's "Cs<base-62>_": the number's value plus one. */
static uint64_t crate_disambiguator(const char *sym)
{
    const char *p = strstr(sym, "Cs");
    ck_assert_ptr_nonnull(p);
    p += 2;
    uint64_t v = 0;
    bool digits = false;
    for (; *p != '_'; p++) {
        int d = *p >= '0' && *p <= '9'   ? *p - '0'
                : *p >= 'a' && *p <= 'z' ? *p - 'a' + 10
                                         : *p - 'A' + 36;
        v = v * 62 + (uint64_t)d;
        digits = true;
    }
    return (digits ? v + 1 : 0) + 1;
}

typedef struct Names {
    Mangler m;
    MangleId app, geometry, inner, shapes;
} Names;

static MangleId value(Names *n, MangleId parent, const char *name)
{
    return mangle_nested(&n->m, parent, MANGLE_NS_VALUE, name, 0);
}

static MangleId type(Names *n, MangleId parent, const char *name)
{
    return mangle_nested(&n->m, parent, MANGLE_NS_TYPE, name, 0);
}

/* pick::<T> and max::<T> */
static const char *instance(Names *n, const char *fn, MangleId arg)
{
    return mangle_symbol(&n->m, mangle_generic(&n->m, value(n, n->app, fn), &arg, 1), n->app);
}

/* The symbol of every item of mangle.rs, by its demangled name. */
static const char *build(Names *n, const char *path)
{
    Mangler *m = &n->m;
    MangleId u16 = mangle_basic(m, MANGLE_U16);
    MangleId pair = type(n, n->shapes, "Pair");
    if (!strcmp(path, "app::top") || !strcmp(path, "app::_under") ||
        !strcmp(path, "app::café") || !strcmp(path, "app::COUNTER") || !strcmp(path, "app::outer"))
        return mangle_symbol(m, value(n, n->app, path + 5), 0);
    if (!strcmp(path, "app::geometry::ORIGIN"))
        return mangle_symbol(m, value(n, n->geometry, "ORIGIN"), 0);
    if (!strcmp(path, "app::geometry::inner::deep"))
        return mangle_symbol(m, value(n, n->inner, "deep"), 0);
    if (!strcmp(path, "app::outer::helper"))
        return mangle_symbol(m, value(n, value(n, n->app, "outer"), "helper"), 0);
    if (!strcmp(path, "<app::geometry::Point>::area"))
        return mangle_symbol(
            m, value(n, mangle_impl(m, n->geometry, 0, type(n, n->geometry, "Point")), "area"), 0);
    if (!strcmp(path, "<app::geometry::Tup>::get")) /* the module's second impl */
        return mangle_symbol(
            m, value(n, mangle_impl(m, n->geometry, 1, type(n, n->geometry, "Tup")), "get"), 0);
    if (!strcmp(path, "<app::shapes::Pair<u16>>::first") ||
        !strcmp(path, "<app::shapes::Pair<char>>::first")) {
        MangleId arg = strstr(path, "u16") ? u16 : mangle_basic(m, MANGLE_CHAR);
        MangleId self = mangle_generic(m, pair, &arg, 1);
        return mangle_symbol(m, value(n, mangle_impl(m, n->shapes, 0, self), "first"), n->app);
    }
    if (!strcmp(path, "<app::shapes::Pair<u16> as app::shapes::Area>::area")) {
        MangleId self = mangle_generic(m, pair, &u16, 1);
        MangleId impl = mangle_trait_impl(m, n->shapes, 1, self, type(n, n->shapes, "Area"));
        return mangle_symbol(m, value(n, impl, "area"), 0);
    }
    if (!strcmp(path, "app::max::<u8>"))
        return instance(n, "max", mangle_basic(m, MANGLE_U8));
    if (!strcmp(path, "app::max::<i64>"))
        return instance(n, "max", mangle_basic(m, MANGLE_I64));
    if (!strcmp(path, "app::pick::<[u8; 4]>"))
        return instance(n, "pick", mangle_array(m, mangle_basic(m, MANGLE_U8), 4));
    if (!strcmp(path, "app::pick::<&mut u128>"))
        return instance(n, "pick", mangle_ref(m, true, mangle_basic(m, MANGLE_U128)));
    if (!strcmp(path, "app::pick::<&[i32]>"))
        return instance(n, "pick",
                        mangle_ref(m, false, mangle_slice(m, mangle_basic(m, MANGLE_I32))));
    if (!strcmp(path, "app::pick::<&str>"))
        return instance(n, "pick", mangle_ref(m, false, mangle_basic(m, MANGLE_STR)));
    if (!strcmp(path, "app::pick::<(i32, bool)>")) {
        MangleId elems[2] = {mangle_basic(m, MANGLE_I32), mangle_basic(m, MANGLE_BOOL)};
        return instance(n, "pick", mangle_tuple(m, elems, 2));
    }
    if (!strcmp(path, "app::pick::<()>"))
        return instance(n, "pick", mangle_tuple(m, NULL, 0));
    return NULL;
}

START_TEST(names_equal_rustc_and_demangle_to_the_path)
{
    char *text, *err;
    size_t len;
    ck_assert_msg(file_read(EXPECTED, &text, &len, &err), "%s (run from the repository root)",
                  err);
    Names n;
    mangle_init(&n.m);
    int cases = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *tab = strchr(line, '\t');
        ck_assert_ptr_nonnull(tab);
        *tab = 0;
        const char *want = line, *path = tab + 1;
        if (cases == 0) {
            n.app = mangle_crate(&n.m, "app", crate_disambiguator(want));
            n.geometry = type(&n, n.app, "geometry");
            n.inner = type(&n, n.geometry, "inner");
            n.shapes = type(&n, n.app, "shapes");
        }
        const char *got = build(&n, path);
        ck_assert_msg(got, "no case builds `%s`", path);
        ck_assert_msg(!strcmp(got, want), "`%s`: ours %s, rustc %s", path, got, want);
        char *shown = demangle(got);
        ck_assert_str_eq(shown, path);
        xfree(shown);
        cases++;
    }
    ck_assert_int_eq(cases, 21);
    mangle_free(&n.m);
    xfree(text);
}
END_TEST

/* Our own choices (no disambiguator, odd identifiers, constants, back-references)
 * demangle as expected. */
START_TEST(other_names_demangle)
{
    Mangler m;
    mangle_init(&m);
    MangleId app = mangle_crate(&m, "app", 0), u8 = mangle_basic(&m, MANGLE_U8);
    MangleId strt = mangle_ref(&m, false, mangle_basic(&m, MANGLE_STR));
    ck_assert_uint_eq(mangle_crate(&m, "app", 0), app); /* hash-consed */
    ck_assert_uint_ne(mangle_crate(&m, "app", 1), app);
    struct { MangleId path; MangleId inst; const char *sym, *shown; } cases[] = {
        {mangle_nested(&m, app, MANGLE_NS_VALUE, "main", 0), 0, "_RNvC3app4main", "app::main"},
        {mangle_nested(&m, mangle_nested(&m, app, MANGLE_NS_TYPE, "ñandú", 0), MANGLE_NS_VALUE,
                       "año", 0), 0, NULL, "app::ñandú::año"},
        {mangle_nested(&m, app, MANGLE_NS_VALUE, "_0", 0), 0, "_RNvC3app2__0", "app::_0"},
        {mangle_nested(&m, mangle_nested(&m, app, MANGLE_NS_VALUE, "main", 0), 'C', "", 0), 0,
         "_RNCNvC3app4main0", "app::main::{closure#0}"},
        {mangle_generic(&m, mangle_nested(&m, app, MANGLE_NS_VALUE, "f", 0),
                        (MangleId[]){strt, strt, mangle_const(&m, MANGLE_I32, 5, true),
                                     mangle_tuple(&m, (MangleId[]){u8, strt}, 2)}, 4),
         app, "_RINvC3app1fReB9_Kln5_ThB9_EEB2_", "app::f::<&str, &str, -5, (u8, &str)>"},
        {mangle_generic(&m, mangle_nested(&m, app, MANGLE_NS_VALUE, "g", 0),
                        (MangleId[]){mangle_array(&m, u8, 300),
                                     mangle_const(&m, MANGLE_BOOL, 1, false),
                                     mangle_const(&m, MANGLE_CHAR, 'x', false)},
                        3),
         0, NULL, "app::g::<[u8; 300], true, 'x'>"},
    };
    for (unsigned i = 0; i < ARRAY_LEN(cases); i++) {
        const char *sym = mangle_symbol(&m, cases[i].path, cases[i].inst);
        if (cases[i].sym)
            ck_assert_str_eq(sym, cases[i].sym);
        char *shown = demangle(sym);
        ck_assert_msg(!strcmp(shown, cases[i].shown), "%s shows as `%s`, not `%s`", sym, shown,
                      cases[i].shown);
        xfree(shown);
    }
    mangle_free(&m);
}
END_TEST

START_TEST(nm_shows_object_symbols_demangled)
{
    Arena arena;
    Interner names;
    arena_init(&arena);
    intern_init(&names, &arena);
    Mangler m;
    mangle_init(&m);
    MangleId app = mangle_crate(&m, "app", 0);
    MangleId geometry = mangle_nested(&m, app, MANGLE_NS_TYPE, "geometry", 0);
    MangleId point = mangle_nested(&m, geometry, MANGLE_NS_TYPE, "Point", 0);
    MangleId impl = mangle_impl(&m, geometry, 0, point);
    MangleId area_path = mangle_nested(&m, impl, MANGLE_NS_VALUE, "area", 0);
    MangleId origin_path = mangle_nested(&m, geometry, MANGLE_NS_VALUE, "ORIGIN", 0);
    Sym area = intern_cstr(&names, mangle_symbol(&m, area_path, 0));
    Sym origin = intern_cstr(&names, mangle_symbol(&m, origin_path, 0));
    X64Asm a;
    x64_init(&a, &names);
    x64_begin(&a, area);
    x64_rm(&a, X64_MOV, 8, X64_RAX, x64_mem_sym(origin, 0));
    x64_ret(&a);
    CodeFunc *f = x64_finish(&a, &arena);
    static const uint8_t zero[16];
    CodeData d = code_data_make(&arena, origin, zero, 16, 8, NULL, 0);
    CodeData *data = &d;
    ObjModule mod = {&names, "src/geometry.rs", &f, 1, &data, 1};
    char *dir = unit_tmpdir(), *path = xasprintf("%s/geometry.o", dir), *err = NULL;
    ck_assert_msg(obj_write(&mod, path, &err), "%s", err);
    char *cmd = xasprintf("nm -C %s | sort", path);
    FILE *p = popen(cmd, "r");
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = 0;
    pclose(p);
    ck_assert_str_eq(buf, "0000000000000000 R app::geometry::ORIGIN\n"
                          "0000000000000000 T <app::geometry::Point>::area\n");
    xfree(cmd);
    cmd = xasprintf("rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    xfree(cmd);
    xfree(path);
    xfree(dir);
    x64_free(&a);
    mangle_free(&m);
    intern_free(&names);
    arena_free(&arena);
}
END_TEST

Suite *x64mangle_suite(void)
{
    Suite *s = suite_create("x64mangle");
    TCase *tc = tcase_create("mangle");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, names_equal_rustc_and_demangle_to_the_path);
    tcase_add_test(tc, other_names_demangle);
    tcase_add_test(tc, nm_shows_object_symbols_demangled);
    suite_add_tcase(s, tc);
    return s;
}

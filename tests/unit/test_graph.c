/* tests/unit/test_graph.c — the crate graph: lib/bin crates, the order, which crates
 * a command needs, and cycles named as cargo names them. */
#include "tests/unit/ws_fixture.h"

#include <string.h>

/* "pkg:lib" or "pkg:bin-name" for crate i. */
static const char *crate_label(WsWorkspace *ws, WsGraph *g, uint32_t i)
{
    const WsCrate *c = &g->crates.data[i];
    const WsTarget *t = ws_crate_target(ws, c);
    return arena_printf(&ws->arena, "%s:%s", ws->packages.data[c->package].name, t->is_bin ? t->name : "lib");
}

static uint32_t crate_index(WsWorkspace *ws, WsGraph *g, const char *label)
{
    for (uint32_t i = 0; i < g->crates.len; i++)
        if (strcmp(crate_label(ws, g, i), label) == 0)
            return i;
    ck_abort_msg("no crate %s", label);
    return 0;
}

static bool needs(WsWorkspace *ws, WsGraph *g, const char *from, const char *to)
{
    const WsCrate *c = &g->crates.data[crate_index(ws, g, from)];
    uint32_t t = crate_index(ws, g, to);
    for (uint32_t i = 0; i < c->ndeps; i++)
        if (c->deps[i] == t)
            return true;
    return false;
}

static void make_diamond(void)
{
    put("Cargo.toml", "[workspace]\nmembers = [\"app\", \"left\", \"right\", \"base\", \"tool\"]\n");
    put_package("app", "app", "[dependencies]\nleft = { path = \"../left\" }\n"
                                          "right = { path = \"../right\" }\n", "src/main.rs");
    put("app/src/lib.rs", "\n");
    put_package("left", "left", "[dependencies]\nbase = { path = \"../base\" }\n", "src/lib.rs");
    put_package("right", "right", "[dependencies]\nbase = { path = \"../base\" }\n", "src/lib.rs");
    put_package("base", "base", "", "src/lib.rs");
    put_package("tool", "tool", "[dependencies]\nbase = { path = \"../base\" }\n", "src/main.rs");
}

START_TEST(orders_crates_after_their_dependencies)
{
    make_diamond();
    WsWorkspace ws;
    load_ok(&ws, "", NULL);
    WsGraph g;
    ck_assert(ws_graph_build(&g, &ws));
    ck_assert_uint_eq(g.crates.len, 6);
    for (uint32_t i = 0; i < g.crates.len; i++)
        for (uint32_t d = 0; d < g.crates.data[i].ndeps; d++)
            ck_assert_uint_lt(g.crates.data[i].deps[d], i);
    ck_assert(needs(&ws, &g, "app:app", "app:lib"));  /* a bin needs its own lib */
    ck_assert(needs(&ws, &g, "app:app", "left:lib"));
    ck_assert(needs(&ws, &g, "app:lib", "right:lib"));
    ck_assert(!needs(&ws, &g, "app:lib", "base:lib"));  /* only direct dependencies */
    ck_assert(needs(&ws, &g, "left:lib", "base:lib"));
    ck_assert(needs(&ws, &g, "tool:tool", "base:lib"));
    ck_assert_uint_eq(g.crates.data[crate_index(&ws, &g, "base:lib")].ndeps, 0);
    ws_graph_free(&g);
    ws_free(&ws);
}
END_TEST

START_TEST(takes_only_what_the_selected_package_needs)
{
    make_diamond();
    WsWorkspace ws;
    load_ok(&ws, "left/src", NULL);
    WsGraph g;
    ck_assert(ws_graph_build(&g, &ws));
    ck_assert_uint_eq(g.crates.len, 2);
    ck_assert_str_eq(crate_label(&ws, &g, 0), "base:lib");
    ck_assert_str_eq(crate_label(&ws, &g, 1), "left:lib");
    ws_graph_free(&g);
    ws_free(&ws);
}
END_TEST

/* ws run: only the bin it runs and what that needs, renumbered. */
START_TEST(restricts_to_one_crate_and_what_it_needs)
{
    make_diamond();
    WsWorkspace ws;
    load_ok(&ws, "", NULL);
    WsGraph g;
    ck_assert(ws_graph_build(&g, &ws));
    uint32_t app = ws_graph_restrict(&g, crate_index(&ws, &g, "app:app"));
    ck_assert_uint_eq(g.crates.len, 5);  /* not tool */
    ck_assert_str_eq(crate_label(&ws, &g, app), "app:app");
    ck_assert_uint_eq(app, 4);
    for (uint32_t i = 0; i < g.crates.len; i++)
        for (uint32_t d = 0; d < g.crates.data[i].ndeps; d++)
            ck_assert_uint_lt(g.crates.data[i].deps[d], i);
    ck_assert(needs(&ws, &g, "app:app", "app:lib"));
    ck_assert(needs(&ws, &g, "app:lib", "right:lib"));
    ck_assert(needs(&ws, &g, "left:lib", "base:lib"));
    uint32_t base = ws_graph_restrict(&g, crate_index(&ws, &g, "left:lib"));
    ck_assert_uint_eq(g.crates.len, 2);
    ck_assert_str_eq(crate_label(&ws, &g, 0), "base:lib");
    ck_assert_uint_eq(base, 1);
    ck_assert(needs(&ws, &g, "left:lib", "base:lib"));
    ws_graph_free(&g);
    ws_free(&ws);
}
END_TEST

START_TEST(names_every_package_of_a_cycle)
{
    put("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\", \"c\"]\n");
    put_package("a", "a", "[dependencies]\nb = { path = \"../b\" }\n", "src/lib.rs");
    put_package("b", "b", "[dependencies]\nc = { path = \"../c\" }\n", "src/lib.rs");
    put_package("c", "c", "[dependencies]\na = { path = \"../a\" }\n", "src/lib.rs");
    WsWorkspace ws;
    load_ok(&ws, "", NULL);
    WsGraph g;
    ck_assert(!ws_graph_build(&g, &ws));
    char *want = xasprintf("error: cyclic package dependency: package `a v0.1.0 (%1$s/a)` depends on itself. Cycle:\n"
                           "package `a v0.1.0 (%1$s/a)`\n"
                           "    ... which satisfies path dependency `a` of package `c v0.1.0 (%1$s/c)`\n"
                           "    ... which satisfies path dependency `c` of package `b v0.1.0 (%1$s/b)`\n"
                           "    ... which satisfies path dependency `b` of package `a v0.1.0 (%1$s/a)`\n\n",
                           fixture_dir);
    ck_assert_str_eq(sb_str(&ws.diag.out), want);
    xfree(want);
    ws_graph_free(&g);
    ws_free(&ws);
}
END_TEST

START_TEST(a_package_that_needs_itself_is_a_cycle)
{
    put("Cargo.toml", pkg_toml("selfish", "[dependencies]\nselfish = { path = \".\" }\n"));
    put("src/lib.rs", "\n");
    WsWorkspace ws;
    load_ok(&ws, "", NULL);
    WsGraph g;
    ck_assert(!ws_graph_build(&g, &ws));
    ck_assert_has(sb_str(&ws.diag.out), "depends on itself. Cycle:\n");
    ck_assert_has(sb_str(&ws.diag.out), "... which satisfies path dependency `selfish` of package `selfish");
    ws_graph_free(&g);
    ws_free(&ws);
}
END_TEST

START_TEST(handles_a_long_chain)
{
    /* 300 packages in a chain: ordered, and no recursion depth trouble. */
    char members[8192] = "[workspace]\nmembers = [\"p*\"]\n";
    put("Cargo.toml", members);
    for (int i = 0; i < 300; i++) {
        char rel[64], dep[128], name[16];
        snprintf(name, sizeof name, "p%03d", i);
        snprintf(dep, sizeof dep, i ? "[dependencies]\np%03d = { path = \"../p%03d\" }\n" : "", i - 1, i - 1);
        snprintf(rel, sizeof rel, "%s/Cargo.toml", name);
        put(rel, pkg_toml(name, dep));
        snprintf(rel, sizeof rel, "%s/src/lib.rs", name);
        put(rel, "\n");
    }
    WsWorkspace ws;
    load_ok(&ws, "", NULL);
    WsGraph g;
    ck_assert(ws_graph_build(&g, &ws));
    ck_assert_uint_eq(g.crates.len, 300);
    for (uint32_t i = 0; i < 300; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%03u", i);
        ck_assert_str_eq(ws.packages.data[g.crates.data[i].package].name, name);
    }
    ws_graph_free(&g);
    ws_free(&ws);
}
END_TEST

Suite *graph_suite(void)
{
    Suite *s = suite_create("graph");
    TCase *tc = tcase_create("graph");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
    tcase_add_test(tc, orders_crates_after_their_dependencies);
    tcase_add_test(tc, takes_only_what_the_selected_package_needs);
    tcase_add_test(tc, restricts_to_one_crate_and_what_it_needs);
    tcase_add_test(tc, names_every_package_of_a_cycle);
    tcase_add_test(tc, a_package_that_needs_itself_is_a_cycle);
    tcase_add_test(tc, handles_a_long_chain);
    suite_add_tcase(s, tc);
    return s;
}

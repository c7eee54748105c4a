/* tests/unit/test_manifest.c — Cargo.toml semantics on workspaces written to a
 * temporary directory: discovery from any directory, members and exclude, targets,
 * path dependencies and renames, and the errors for what is not supported. */
#include "tests/unit/ws_fixture.h"

#include <string.h>

static WsPackage *pkg(WsWorkspace *ws, const char *name)
{
    uint32_t i = ws_find_package(ws, name);
    ck_assert_msg(i != UINT32_MAX, "no package %s", name);
    return &ws->packages.data[i];
}

static void make_virtual_workspace(void)
{
    put("Cargo.toml", "[workspace]\nmembers = [\"crates/*\", \"tools/gen\"]\nexclude = [\"crates/old\"]\n"
                      "resolver = \"2\"\n");
    put_package("crates/app", "app", "\n[dependencies]\nutil = { path = \"../util\" }\n"
                                                 "geo = { path = \"../shapes\", package = \"shapes\" }\n"
                                                 "[dev-dependencies]\nserde = \"1\"\n", "src/main.rs");
    put("crates/app/src/lib.rs", "pub fn f() {}\n");
    put("crates/util/Cargo.toml", pkg_toml("util", ""));
    put("crates/util/src/lib.rs", "pub fn g() {}\n");
    put_package("crates/shapes", "shapes", "[lib]\nname = \"geo_shapes\"\n", "src/lib.rs");
    put("crates/old/Cargo.toml", "this is not even toml [[[");
    put("crates/README.md", "a stray file matched by the glob\n");
    put("tools/gen/Cargo.toml", pkg_toml("gen-tool", "[[bin]]\nname = \"gen\"\npath = \"main.rs\"\n"));
    put("tools/gen/main.rs", "fn main() {}\n");
}

START_TEST(loads_a_virtual_workspace_from_its_root)
{
    make_virtual_workspace();
    WsWorkspace ws;
    load_ok(&ws, "", NULL);
    ck_assert(ws.is_virtual);
    ck_assert_str_eq(ws.root, fixture_dir);
    ck_assert_uint_eq(ws.packages.len, 4);
    /* Members in the order the glob and the list give them. */
    ck_assert_str_eq(ws.packages.data[0].name, "app");
    ck_assert_str_eq(ws.packages.data[1].name, "shapes");
    ck_assert_str_eq(ws.packages.data[2].name, "util");
    ck_assert_str_eq(ws.packages.data[3].name, "gen-tool");
    vec_foreach(&ws.packages, p)
    {
        ck_assert(p->member);
        ck_assert(p->selected);
    }
    WsPackage *app = pkg(&ws, "app");
    ck_assert(app->has_lib);
    ck_assert_str_eq(app->lib.crate_name, "app");
    ck_assert_uint_eq(app->bins.len, 1);
    ck_assert_str_eq(ws_display_path(&ws, app->bins.data[0].path), "crates/app/src/main.rs");
    ck_assert_str_eq(app->edition, "2021");
    ck_assert_uint_eq(app->deps.len, 2);
    ck_assert_str_eq(app->deps.data[1].name, "geo");
    ck_assert_str_eq(ws.packages.data[app->deps.data[1].package].name, "shapes");
    ck_assert_str_eq(pkg(&ws, "shapes")->lib.crate_name, "geo_shapes");
    WsPackage *gen = pkg(&ws, "gen-tool");
    ck_assert(!gen->has_lib);
    ck_assert_str_eq(gen->bins.data[0].name, "gen");
    ck_assert_str_eq(gen->bins.data[0].crate_name, "gen");
    ck_assert_str_eq(ws_display_path(&ws, gen->bins.data[0].path), "tools/gen/main.rs");
    ws_free(&ws);
}
END_TEST

START_TEST(finds_the_root_from_a_member_subdirectory)
{
    make_virtual_workspace();
    WsWorkspace ws;
    load_ok(&ws, "crates/app/src", NULL);
    ck_assert_str_eq(ws.root, fixture_dir);
    ck_assert(pkg(&ws, "app")->selected);
    ck_assert(!pkg(&ws, "util")->selected);
    ck_assert(!pkg(&ws, "gen-tool")->selected);
    ck_assert_str_eq(ws_display_path(&ws, pkg(&ws, "util")->lib.path), "crates/util/src/lib.rs");
    ws_free(&ws);

    /* --manifest-path, relative to the current directory. */
    load_ok(&ws, "tools", "gen/Cargo.toml");
    ck_assert_str_eq(ws.root, fixture_dir);
    ck_assert(pkg(&ws, "gen-tool")->selected);
    ck_assert(!pkg(&ws, "app")->selected);
    ws_free(&ws);
}
END_TEST

START_TEST(loads_a_lone_package_with_every_target_form)
{
    put("Cargo.toml", pkg_toml("my-pkg", "[[bin]]\nname = \"extra\"\npath = \"tools/extra.rs\"\n"
                                         "[[bin]]\nname = \"other\"\n"));
    put("src/main.rs", "fn main() {}\n");
    put("src/lib.rs", "\n");
    put("src/bin/other.rs", "fn main() {}\n");
    put("src/bin/multi/main.rs", "fn main() {}\n");
    put("src/bin/multi/helper.rs", "\n");
    put("tools/extra.rs", "fn main() {}\n");
    WsWorkspace ws;
    load_ok(&ws, "src/bin", NULL);
    ck_assert(!ws.is_virtual);
    ck_assert_uint_eq(ws.packages.len, 1);
    WsPackage *p = &ws.packages.data[0];
    ck_assert(p->selected && p->member);
    ck_assert_str_eq(p->lib.crate_name, "my_pkg");
    ck_assert_str_eq(p->version, "0.1.0");
    ck_assert_uint_eq(p->bins.len, 4);
    const char *names[] = {"extra", "multi", "my-pkg", "other"};
    const char *paths[] = {"tools/extra.rs", "src/bin/multi/main.rs", "src/main.rs", "src/bin/other.rs"};
    for (int i = 0; i < 4; i++) {
        ck_assert_str_eq(p->bins.data[i].name, names[i]);
        ck_assert_str_eq(ws_display_path(&ws, p->bins.data[i].path), paths[i]);
    }
    ck_assert_str_eq(p->bins.data[2].crate_name, "my_pkg");
    ws_free(&ws);
}
END_TEST

START_TEST(inherits_from_the_workspace)
{
    put("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.package]\nversion = \"2.3.4\"\n"
                      "edition = \"2018\"\n[workspace.dependencies]\nb = { path = \"b\" }\n");
    put("a/Cargo.toml", "[package]\nname = \"a\"\nversion.workspace = true\nedition = { workspace = true }\n"
                        "[dependencies]\nb.workspace = true\n");
    put("a/src/main.rs", "fn main() {}\n");
    put("b/Cargo.toml", "[package]\nname = \"b\"\n");
    put("b/src/lib.rs", "\n");
    WsWorkspace ws;
    load_ok(&ws, "a", NULL);
    WsPackage *a = pkg(&ws, "a");
    ck_assert_str_eq(a->version, "2.3.4");
    ck_assert_str_eq(a->edition, "2018");
    ck_assert_uint_eq(a->deps.len, 1);
    ck_assert_str_eq(pkg(&ws, "b")->version, "0.0.0");
    ck_assert_str_eq(pkg(&ws, "b")->edition, "2015");
    ws_free(&ws);
}
END_TEST

START_TEST(path_dependencies_outside_are_not_members)
{
    put("ws/Cargo.toml", "[workspace]\nmembers = [\"app\"]\n");
    put_package("ws/app", "app", "[dependencies]\nout = { path = \"../../outside\" }\n"
                                             "inner = { path = \"../inner\" }\n", "src/main.rs");
    put_package("ws/inner", "inner", "", "src/lib.rs");
    put_package("outside", "out", "", "src/lib.rs");
    WsWorkspace ws;
    load_ok(&ws, "ws", NULL);
    ck_assert(!pkg(&ws, "out")->member);
    ck_assert(!pkg(&ws, "out")->selected);
    ck_assert(pkg(&ws, "inner")->member);  /* inside the root: a member, as in cargo */
    const char *shown = ws_display_path(&ws, pkg(&ws, "out")->lib.path);
    ck_assert_msg(shown[0] == '/' && strstr(shown, "/outside/src/lib.rs"), "%s", shown);
    ws_free(&ws);
}
END_TEST

START_TEST(rejects_unsupported_dependencies_at_their_line)
{
    put("Cargo.toml", pkg_toml("p", "\n[dependencies]\n"
                                    "serde = \"1.0\"\n"
                                    "rand = { version = \"0.8\" }\n"
                                    "foo = { git = \"https://example.com/foo\" }\n"
                                    "bar = { path = \"bar\", optional = true }\n"
                                    "num = 1\n"));
    put("src/main.rs", "fn main() {}\n");
    const char *out = load_error("", NULL);
    /* Every error is reported, each at its line. */
    ck_assert_has(out, "error: unsupported: registry dependency `serde` (only `path` dependencies are "
                       "supported)\n --> Cargo.toml:7:1\n  |\n7 | serde = \"1.0\"\n  | ^^^^^^^^^^^^^\n");
    ck_assert_has(out, "registry dependency `rand`");
    ck_assert_has(out, "Cargo.toml:8:1");
    ck_assert_has(out, "error: unsupported: git dependency `foo`\n --> Cargo.toml:9:1");
    ck_assert_has(out, "error: unsupported: optional dependency (features) `bar`\n  --> Cargo.toml:10:1");
    ck_assert_has(out, "error: invalid type: integer, expected a version string");
}
END_TEST

START_TEST(rejects_bad_manifests)
{
    put("a/Cargo.toml", "[package]\nname = \"a\"\nversion = 1\n");
    ck_assert_has(load_error("a", NULL), "error: invalid type: expected a string for `version`, found integer\n"
                                         " --> Cargo.toml:3:11\n");
    put("b/Cargo.toml", pkg_toml("b", ""));
    ck_assert_has(load_error("b", NULL), "no targets specified in the manifest");
    put("c/Cargo.toml", pkg_toml("c", "[[bin]]\nname = \"x\"\n"));
    ck_assert_has(load_error("c", NULL), "can't find `x` bin at `src/bin/x.rs` or `src/bin/x/main.rs`");
    put("d/Cargo.toml", pkg_toml("d", "[lib]\npath = \"nope.rs\"\n"));
    ck_assert_has(load_error("d", NULL), "can't find library at `nope.rs`");
    put_package("e", "e", "[dependencies]\nx = { path = \"../b\", package = \"wrong\" }\n", "src/main.rs");
    put("b/src/lib.rs", "\n");
    ck_assert_has(load_error("e", NULL), "no matching package named `wrong` found");
    put_package("f", "f", "[dependencies]\nx = { path = \"../missing\" }\n", "src/main.rs");
    ck_assert_has(load_error("f", NULL), "failed to load source for dependency `x`");
    put("g/Cargo.toml", pkg_toml("g", ""));
    put("g/build.rs", "fn main() {}\n");
    put("g/src/main.rs", "fn main() {}\n");
    ck_assert_has(load_error("g", NULL), "unsupported: build scripts");
    put("h/Cargo.toml", "[package]\nname = \"bad name!\"\n");
    ck_assert_has(load_error("h", NULL), "invalid package name `bad name!`");
    put("i/Cargo.toml", "[package]\nname = \"i\"\n[lib]\nproc-macro = true\n");
    put("i/src/lib.rs", "\n");
    ck_assert_has(load_error("i", NULL), "unsupported: proc-macro crates");
    put("j/Cargo.toml", "[package\n");
    ck_assert_has(load_error("j", NULL), "error: expected `]` closing a table header, found newline\n"
                                         " --> Cargo.toml:1:9\n");
    ck_assert_has(load_error("", "j/Cargo.toml"), " --> j/Cargo.toml:1:9\n");
    put("j/src/deep/x.rs", "\n");
    ck_assert_has(load_error("j/src/deep", NULL), " --> ../../Cargo.toml:1:9\n");
    ck_assert_has(load_error("", "j/Other.toml"), "the manifest-path must be a path to a Cargo.toml file");
    ck_assert_has(load_error("", "zzz/Cargo.toml"), "manifest path `zzz/Cargo.toml` does not exist");
    put_package("k", "k", "[features]\nfast = []\n", "src/main.rs");
    ck_assert_has(load_error("k", NULL), "unsupported: features");
}
END_TEST

START_TEST(rejects_a_package_that_is_not_a_member)
{
    put("Cargo.toml", "[workspace]\nmembers = [\"a\"]\nexclude = [\"skip\"]\n");
    put_package("a", "a", "", "src/main.rs");
    put_package("stray", "stray", "", "src/main.rs");
    const char *out = load_error("stray", NULL);
    ck_assert_has(out, "error: current package believes it's in a workspace when it's not:\n");
    ck_assert_has(out, "this may be fixable by adding `stray` to the `workspace.members` array");
    /* An excluded package is a workspace of its own. */
    put_package("skip", "skip", "", "src/main.rs");
    WsWorkspace ws;
    load_ok(&ws, "skip/src", NULL);
    ck_assert_str_eq(ws.root + strlen(ws.root) - 5, "/skip");
    ck_assert_uint_eq(ws.packages.len, 1);
    ck_assert_str_eq(ws_display_path(&ws, ws.packages.data[0].bins.data[0].path), "src/main.rs");
    ws_free(&ws);
    /* A member directory without a manifest. */
    put("Cargo.toml", "[workspace]\nmembers = [\"a\", \"nothing\"]\n");
    put("nothing/README", "x\n");
    ck_assert_has(load_error("", NULL), "failed to load manifest for workspace member");
}
END_TEST

START_TEST(selects_default_members_at_the_root)
{
    put("Cargo.toml", pkg_toml("root-pkg", "[workspace]\nmembers = [\"a\", \"b\"]\n"));
    put("src/main.rs", "fn main() {}\n");
    put_package("a", "a", "", "src/lib.rs");
    put_package("b", "b", "", "src/lib.rs");
    WsWorkspace ws;
    load_ok(&ws, "", NULL);  /* a root package: only it, as cargo */
    ck_assert(!ws.is_virtual);
    ck_assert(pkg(&ws, "root-pkg")->selected && pkg(&ws, "root-pkg")->member);
    ck_assert(!pkg(&ws, "a")->selected && pkg(&ws, "a")->member);
    ws_free(&ws);
    put("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\ndefault-members = [\"b\"]\n");
    load_ok(&ws, "", NULL);
    ck_assert(!pkg(&ws, "a")->selected);
    ck_assert(pkg(&ws, "b")->selected);
    ws_free(&ws);
    put("Cargo.toml", "[workspace]\nmembers = [\"a\"]\ndefault-members = [\"zzz\"]\n");
    ck_assert_has(load_error("", NULL), "package `zzz` is listed in default-members but is not a member");
}
END_TEST

START_TEST(reports_a_missing_manifest)
{
    put("empty/file.txt", "x\n");
    /* tmp is under /tmp, which has no Cargo.toml above it on a sane machine. */
    const char *out = load_error("empty", NULL);
    ck_assert_has(out, "error: could not find `Cargo.toml` in `");
    ck_assert_has(out, "` or any parent directory");
}
END_TEST

START_TEST(joins_and_normalizes_paths)
{
    Arena a;
    arena_init(&a);
    ck_assert_str_eq(ws_path_join(&a, "/a/b", "../c/./d//e/"), "/a/c/d/e");
    ck_assert_str_eq(ws_path_join(&a, "/a/b", "/x/../y"), "/y");
    ck_assert_str_eq(ws_path_join(&a, "/", ".."), "/");
    ck_assert_str_eq(ws_path_join(&a, "/a", ""), "/a");
    arena_free(&a);
}
END_TEST

Suite *manifest_suite(void)
{
    Suite *s = suite_create("manifest");
    TCase *tc = tcase_create("manifest");
    tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
    tcase_add_test(tc, loads_a_virtual_workspace_from_its_root);
    tcase_add_test(tc, finds_the_root_from_a_member_subdirectory);
    tcase_add_test(tc, loads_a_lone_package_with_every_target_form);
    tcase_add_test(tc, inherits_from_the_workspace);
    tcase_add_test(tc, path_dependencies_outside_are_not_members);
    tcase_add_test(tc, rejects_unsupported_dependencies_at_their_line);
    tcase_add_test(tc, rejects_bad_manifests);
    tcase_add_test(tc, rejects_a_package_that_is_not_a_member);
    tcase_add_test(tc, selects_default_members_at_the_root);
    tcase_add_test(tc, reports_a_missing_manifest);
    tcase_add_test(tc, joins_and_normalizes_paths);
    suite_add_tcase(s, tc);
    return s;
}

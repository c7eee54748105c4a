/* tests/unit/ws_fixture.c — see ws_fixture.h. */
#include "tests/unit/ws_fixture.h"

#include <stdlib.h>
#include <string.h>

char *fixture_dir;

void fixture_setup(void) { fixture_dir = unit_tmpdir(); }

void fixture_teardown(void)
{
    unit_rmtree(fixture_dir);
    xfree(fixture_dir);
}

void put(const char *rel, const char *text)
{
    Arena a;
    arena_init(&a);
    char *path = ws_path_join(&a, fixture_dir, rel);
    char *dir = ws_path_join(&a, path, "..");
    char *err = NULL;
    ck_assert_msg(file_mkdirs(dir, &err), "%s", err);
    ck_assert_msg(file_write_atomic(path, text, strlen(text), false, &err), "%s", err);
    arena_free(&a);
}

const char *pkg_toml(const char *name, const char *extra)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "[package]\nname = \"%s\"\nversion = \"0.1.0\"\nedition = \"2021\"\n%s", name,
             extra);
    return buf;
}

bool load(WsWorkspace *ws, const char *sub, const char *manifest_path)
{
    Arena a;
    arena_init(&a);
    ws_init(ws, ws_path_join(&a, fixture_dir, sub));
    arena_free(&a);
    return ws_load(ws, manifest_path);
}

void put_package(const char *dir, const char *name, const char *extra, const char *root_file)
{
    char *manifest = xasprintf("%s/Cargo.toml", dir);
    char *root = xasprintf("%s/%s", dir, root_file);
    put(manifest, pkg_toml(name, extra));
    put(root, "\n");
    xfree(manifest);
    xfree(root);
}

void load_ok(WsWorkspace *ws, const char *sub, const char *manifest_path)
{
    bool ok = load(ws, sub, manifest_path);
    ck_assert_msg(ok, "%s", sb_str(&ws->diag.out));
}

const char *load_error(const char *sub, const char *manifest_path)
{
    static char out[8192];
    WsWorkspace ws;
    bool ok = load(&ws, sub, manifest_path);
    snprintf(out, sizeof out, "%s", sb_str(&ws.diag.out));
    ck_assert_msg(!ok, "loaded");
    ck_assert_int_gt(ws.diag.errors, 0);
    ws_free(&ws);
    return out;
}

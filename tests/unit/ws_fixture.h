/* tests/unit/ws_fixture.h — workspaces written to a temporary directory, for the
 * manifest, graph and driver tests. */
#ifndef WS_FIXTURE_H
#define WS_FIXTURE_H

#include "tests/unit/unit.h"
#include "workspace/workspace.h"

/* The fixture's temporary directory (valid between fixture_setup and fixture_teardown). */
extern char *fixture_dir;
/* Check fixture hooks: make and remove fixture_dir. */
void fixture_setup(void);
void fixture_teardown(void);
/* Writes fixture_dir/rel with text, creating directories. */
void put(const char *rel, const char *text);
/* A [package] table for name (version 0.1.0, edition 2021) followed by extra (static buffer). */
const char *pkg_toml(const char *name, const char *extra);
/* Writes dir/Cargo.toml (pkg_toml(name, extra)) and an empty dir/root_file. */
void put_package(const char *dir, const char *name, const char *extra, const char *root_file);
/* Initialises ws in fixture_dir/sub and loads it; returns what ws_load returned. */
bool load(WsWorkspace *ws, const char *sub, const char *manifest_path);
/* Loads expecting success (the test fails showing the messages otherwise). */
void load_ok(WsWorkspace *ws, const char *sub, const char *manifest_path);
/* Loads expecting failure; returns the messages (a static copy). */
const char *load_error(const char *sub, const char *manifest_path);

#define ck_assert_has(hay, needle) ck_assert_msg(strstr((hay), (needle)), "wanted `%s` in:\n%s", (needle), (hay))

#endif

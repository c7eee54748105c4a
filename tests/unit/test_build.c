/* tests/unit/test_build.c — the per-crate job of `ws check` with a stand-in frontend
 * (fake_fe.h): which crates compile after which edit, the lines ws prints, --explain,
 * and damaged state files. The workspace: app (bin) → top → mid → base, where mid
 * re-exports base's items (`pub use base`) and top only uses mid's. */
#include "tests/unit/fake_fe.h"
#include "tests/unit/ws_fixture.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { BASE, MID, TOP, APP, NCRATES };
static const char *const names[] = {"base", "mid", "top", "app"};

static void setup(void)
{
    fixture_setup();
    put("Cargo.toml", "[workspace]\nmembers = [\"base\", \"mid\", \"top\", \"app\"]\n");
    put("base/Cargo.toml", pkg_toml("base", ""));
    put("base/src/lib.rs", "mod inner\npub sig scale(x: u64) -> u64\nbody of scale\n");
    put("base/src/inner.rs", "private body\n");
    put("mid/Cargo.toml", pkg_toml("mid", "[dependencies]\nbase = { path = \"../base\" }\n"));
    put("mid/src/lib.rs", "pub use base\npub sig twice(x: u64) -> u64\nbody of twice\n");
    put("top/Cargo.toml", pkg_toml("top", "[dependencies]\nmid = { path = \"../mid\" }\n"));
    put("top/src/lib.rs", "use mid\npub sig run() -> u64\nbody of run\n");
    put("app/Cargo.toml", pkg_toml("app", "[dependencies]\ntop = { path = \"../top\" }\n"));
    put("app/src/main.rs", "use top\nfn main\n");
}

typedef struct Result {
    uint32_t failed;
    WsOutcome outcomes[NCRATES];
    char *out;             /* what ws printed (heap) */
} Result;

/* Runs `ws check` in the fixture with the fake frontend. */
static Result check(uint32_t jobs, bool explain)
{
    Result r = {0};
    WsWorkspace ws;
    load_ok(&ws, "", NULL);
    WsGraph g;
    ck_assert(ws_graph_build(&g, &ws));
    ck_assert_uint_eq(g.crates.len, NCRATES);
    for (uint32_t i = 0; i < NCRATES; i++)
        ck_assert_str_eq(ws.packages.data[g.crates.data[i].package].name, names[i]);
    size_t len;
    FILE *out = open_memstream(&r.out, &len);
    WsRunOptions o = {.jobs = jobs, .dump_to = stdout, .explain = explain, .fe = &fake_frontend, .out = out};
    r.failed = ws_run_check(&ws, &g, &o, r.outcomes);
    fclose(out);
    ws_graph_free(&g);
    ws_free(&ws);
    return r;
}

/* The outcomes as a string: one letter per crate (F fresh, C compiled, S compiled with
 * the same interface, X failed, - skipped), base first. */
static const char *letters(const Result *r)
{
    static char s[NCRATES + 1];
    for (int i = 0; i < NCRATES; i++)
        s[i] = "FCSX-"[r->outcomes[i]];
    s[NCRATES] = 0;
    return s;
}

#define expect_outcomes(r, want) \
    ck_assert_msg(strcmp(letters(&(r)), (want)) == 0, "outcomes %s, wanted %s; output:\n%s", letters(&(r)), (want), (r).out)

/* A first check, then every file made an hour old (so no record is racy). */
static void first_check(void)
{
    Result r = check(1, false);
    expect_outcomes(r, "CCCC");
    free(r.out);
    const char *files[] = {"base/src/lib.rs", "base/src/inner.rs", "mid/src/lib.rs", "top/src/lib.rs",
                           "app/src/main.rs"};
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec -= 3600;
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char *path = xasprintf("%s/%s", fixture_dir, files[i]);
        struct timespec times[2] = {ts, ts};
        ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
        xfree(path);
    }
    r = check(1, false);  /* records the aged mtimes */
    expect_outcomes(r, "FFFF");
    free(r.out);
}

START_TEST(a_second_check_is_all_fresh_and_runs_no_frontend)
{
    Result r = check(1, false);
    expect_outcomes(r, "CCCC");
    ck_assert_has(r.out, "    Checking base v0.1.0 (");
    ck_assert_has(r.out, "    Checking app v0.1.0 (");
    ck_assert(!strstr(r.out, "interface unchanged"));
    free(r.out);
    fake_compiles = 0;
    r = check(1, false);
    expect_outcomes(r, "FFFF");
    ck_assert_int_eq(fake_compiles, 0);
    ck_assert_has(r.out, "       Fresh base v0.1.0 (");
    ck_assert_has(r.out, "       Fresh app v0.1.0 (");
    free(r.out);
}
END_TEST

START_TEST(jobs_do_not_enter_the_fingerprint)
{
    first_check();
    Result r = check(4, false);
    expect_outcomes(r, "FFFF");
    free(r.out);
}
END_TEST

START_TEST(a_body_edit_compiles_one_crate)
{
    first_check();
    put("base/src/inner.rs", "private body, edited\n");
    fake_compiles = 0;
    Result r = check(2, false);
    expect_outcomes(r, "SFFF");
    ck_assert_int_eq(fake_compiles, 1);
    ck_assert_has(r.out, "    Checking base v0.1.0 (");
    ck_assert_has(r.out, ") (interface unchanged)\n");
    free(r.out);
    r = check(1, false);
    expect_outcomes(r, "FFFF");
    free(r.out);
}
END_TEST

START_TEST(a_touch_compiles_nothing)
{
    first_check();
    char *path = xasprintf("%s/base/src/inner.rs", fixture_dir);
    ck_assert_int_eq(utimensat(AT_FDCWD, path, NULL, 0), 0);  /* now */
    xfree(path);
    fake_compiles = 0;
    Result r = check(1, true);
    expect_outcomes(r, "FFFF");
    ck_assert_int_eq(fake_compiles, 0);
    ck_assert_has(r.out, "       Fresh base v0.1.0 (");
    ck_assert_has(r.out, "        why: 1 file touched, but its content is unchanged\n");
    free(r.out);
}
END_TEST

START_TEST(an_interface_change_reaches_dependents_that_see_it)
{
    first_check();
    /* mid's own item: top sees it, app (which only sees top) does not. */
    put("mid/src/lib.rs", "pub use base\npub sig twice(x: u64, y: u64) -> u64\nbody of twice\n");
    Result r = check(1, true);
    expect_outcomes(r, "FCSF");
    ck_assert_has(r.out, "    Checking mid v0.1.0 (");
    ck_assert_has(r.out, "        why: the file `mid/src/lib.rs` changed\n");
    ck_assert_has(r.out, "        why: the interface of `mid` changed\n"
                         "               `mid::twice(x:` changed\n");
    ck_assert_has(r.out, "       Fresh app v0.1.0 (");
    free(r.out);
}
END_TEST

START_TEST(a_re_exported_item_changed_two_crates_down)
{
    first_check();
    put("base/src/lib.rs", "mod inner\npub sig scale(x: u32) -> u64\nbody of scale\npub sig added()\n");
    Result r = check(1, true);
    /* base changed; mid re-exports it, so mid's interface changed too; top compiles
     * against mid's; its own interface is the same, so app stays fresh. */
    expect_outcomes(r, "CCSF");
    ck_assert_has(r.out, "        why: the interface of `base` changed\n"
                         "               `base::scale(x:` changed\n"
                         "               `base::added()` was added\n");
    ck_assert_has(r.out, "        why: the interface of `mid` changed\n");
    free(r.out);
}
END_TEST

START_TEST(a_failed_crate_skips_its_dependents_until_fixed)
{
    first_check();
    put("mid/src/lib.rs", "pub use base\nerror something is wrong\n");
    Result r = check(1, false);
    ck_assert_uint_eq(r.failed, 1);
    expect_outcomes(r, "FX--");
    ck_assert_has(r.out, "error: something is wrong\n");
    ck_assert_has(r.out, "error: could not compile `mid` (lib) due to 1 previous error\n");
    free(r.out);
    r = check(1, false);  /* still broken: compiled again, not taken for fresh */
    expect_outcomes(r, "FX--");
    free(r.out);
    put("mid/src/lib.rs", "pub use base\npub sig twice(x: u64) -> u64\nbody of twice, fixed\n");
    r = check(1, false);
    expect_outcomes(r, "FSFF");
    free(r.out);
}
END_TEST

/* Overwrites the last byte of a file. */
static void damage(const char *rel)
{
    char *path = xasprintf("%s/%s", fixture_dir, rel);
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, -1, SEEK_END);
    int c = fgetc(f);
    fseek(f, -1, SEEK_END);
    fputc(c ^ 0x55, f);
    fclose(f);
    xfree(path);
}

START_TEST(a_damaged_fingerprint_is_named_and_its_crate_compiled)
{
    first_check();
    damage("target/ws/fingerprint/top.lib");
    Result r = check(1, false);
    expect_outcomes(r, "FFCF");  /* no record, so no old interface to compare with */
    ck_assert_has(r.out, "warning: ignoring the damaged state file `target/ws/fingerprint/top.lib` "
                         "(checksum mismatch); compiling again\n");
    free(r.out);
    r = check(1, false);
    expect_outcomes(r, "FFFF");
    free(r.out);
}
END_TEST

START_TEST(a_damaged_interface_is_named_and_its_crate_compiled)
{
    first_check();
    damage("target/ws/meta/mid.wsmeta");
    Result r = check(1, false);
    expect_outcomes(r, "FSFF");
    ck_assert_has(r.out, "warning: ignoring the damaged interface file `target/ws/meta/mid.wsmeta` "
                         "(checksum mismatch); compiling again\n");
    free(r.out);
    /* Removed: no warning, only a reason. */
    char *path = xasprintf("%s/target/ws/meta/base.wsmeta", fixture_dir);
    ck_assert_int_eq(unlink(path), 0);
    xfree(path);
    r = check(1, true);
    expect_outcomes(r, "SFFF");
    ck_assert(!strstr(r.out, "warning"));
    ck_assert_has(r.out, "why: its interface file `target/ws/meta/base.wsmeta` could not be used (missing)\n");
    free(r.out);
}
END_TEST

START_TEST(a_new_module_file_is_fingerprinted)
{
    first_check();
    put("base/src/lib.rs", "mod inner\nmod extra\npub sig scale(x: u64) -> u64\nbody of scale\n");
    put("base/src/extra.rs", "one\n");
    Result r = check(1, false);
    expect_outcomes(r, "SFFF");
    free(r.out);
    put("base/src/extra.rs", "two\n");
    r = check(1, true);
    expect_outcomes(r, "SFFF");
    ck_assert_has(r.out, "why: the file `base/src/extra.rs` changed\n");
    free(r.out);
}
END_TEST

START_TEST(explain_says_why_fresh_and_why_compiled)
{
    Result r = check(1, true);
    ck_assert_has(r.out, "    Checking base v0.1.0 (");
    ck_assert_has(r.out, "        why: no earlier compile is recorded\n");
    free(r.out);
    r = check(1, true);
    ck_assert_has(r.out, "       Fresh mid v0.1.0 (");
    ck_assert_has(r.out, "        why: no input changed\n");
    free(r.out);
}
END_TEST

Suite *build_suite(void)
{
    Suite *s = suite_create("build");
    TCase *tc = tcase_create("check");
    tcase_add_checked_fixture(tc, setup, fixture_teardown);
    tcase_add_test(tc, a_second_check_is_all_fresh_and_runs_no_frontend);
    tcase_add_test(tc, jobs_do_not_enter_the_fingerprint);
    tcase_add_test(tc, a_body_edit_compiles_one_crate);
    tcase_add_test(tc, a_touch_compiles_nothing);
    tcase_add_test(tc, an_interface_change_reaches_dependents_that_see_it);
    tcase_add_test(tc, a_re_exported_item_changed_two_crates_down);
    tcase_add_test(tc, a_failed_crate_skips_its_dependents_until_fixed);
    tcase_add_test(tc, a_damaged_fingerprint_is_named_and_its_crate_compiled);
    tcase_add_test(tc, a_damaged_interface_is_named_and_its_crate_compiled);
    tcase_add_test(tc, a_new_module_file_is_fingerprinted);
    tcase_add_test(tc, explain_says_why_fresh_and_why_compiled);
    suite_add_tcase(s, tc);
    return s;
}

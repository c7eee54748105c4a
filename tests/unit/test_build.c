/* tests/unit/test_build.c — the crate pipeline of `ws check` and `ws build` with a
 * stand-in toolchain (fake_fe.h): which crates compile after which edit, the lines ws
 * prints, --explain, objects and links, and damaged, foreign or missing state files.
 * The workspace: app (bin) → top → mid → base, where mid re-exports base's items
 * (`pub use base`) and top only uses mid's. */
#include "backend/runtime/rt_objects.h"
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

static bool verify_links;  /* run_ws: WsRunOptions.link_verify */

typedef struct Result {
    uint32_t failed;
    WsCrateResult results[NCRATES];
    char *out;             /* what ws printed (heap) */
} Result;

/* Runs `ws check` (or `ws build`) in the fixture with the fake toolchain. */
static Result run_ws(bool build, uint32_t jobs, bool explain)
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
    WsRunOptions o = {
        .build = build, .jobs = jobs, .dump_to = stdout, .explain = explain, .link_verify = verify_links,
        .tc = &fake_toolchain, .out = out};
    r.failed = ws_run_crates(&ws, &g, &o, r.results);
    fclose(out);
    ws_graph_free(&g);
    ws_free(&ws);
    return r;
}

static Result check(uint32_t jobs, bool explain) { return run_ws(false, jobs, explain); }
static Result build(uint32_t jobs, bool explain) { return run_ws(true, jobs, explain); }

/* The outcomes as a string: one letter per crate (F fresh, C compiled, S compiled with
 * the same interface, X failed, - skipped), base first. */
static const char *letters(const Result *r)
{
    static char s[NCRATES + 1];
    for (int i = 0; i < NCRATES; i++)
        s[i] = "FCSX-"[r->results[i].outcome];
    s[NCRATES] = 0;
    return s;
}

#define expect_outcomes(r, want) \
    ck_assert_msg(strcmp(letters(&(r)), (want)) == 0, "outcomes %s, wanted %s; output:\n%s", letters(&(r)), (want), (r).out)

/* Makes every source an hour old (so no record of them is racy). */
static void age_sources(void)
{
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
}

/* A first check, then the sources aged and their mtimes recorded. */
static void first_check(void)
{
    Result r = check(1, false);
    expect_outcomes(r, "CCCC");
    free(r.out);
    age_sources();
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
    /* Removed while the record says it was written: named too. */
    char *path = xasprintf("%s/target/ws/meta/base.wsmeta", fixture_dir);
    ck_assert_int_eq(unlink(path), 0);
    xfree(path);
    r = check(1, true);
    expect_outcomes(r, "SFFF");
    ck_assert_has(r.out, "warning: ignoring the missing interface file `target/ws/meta/base.wsmeta` (missing); "
                         "compiling again\n");
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

/* ---------------------------------------------------------------- ws build */

/* The bytes of fixture_dir/rel (heap, NUL-terminated), or NULL; their count in *len. */
static char *slurp_n(const char *rel, size_t *len)
{
    char *path = xasprintf("%s/%s", fixture_dir, rel);
    char *data = NULL, *err = NULL;
    if (!file_read(path, &data, len, &err))
        xfree(err);
    xfree(path);
    return data;
}

static char *slurp(const char *rel)
{
    size_t len;
    return slurp_n(rel, &len);
}

static void remove_file(const char *rel)
{
    char *path = xasprintf("%s/%s", fixture_dir, rel);
    ck_assert_int_eq(unlink(path), 0);
    xfree(path);
}

/* Overwrites the first bytes of a file with text. */
static void overwrite_start(const char *rel, const char *text)
{
    char *path = xasprintf("%s/%s", fixture_dir, rel);
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    xfree(path);
}

static void truncate_file(const char *rel, off_t size)
{
    char *path = xasprintf("%s/%s", fixture_dir, rel);
    ck_assert_int_eq(truncate(path, size), 0);
    xfree(path);
}

#define PROGRAM "target/ws/debug/app"

/* The program must be what a clean build makes of the sources now: app's objects, then
 * base's, mid's and top's, each an object per source file. */
static void expect_program_current(void)
{
    StrBuf want = {0};
    static const char *const objects[][3] = {
        {"app", "app/src/main.rs", NULL}, {"base", "base/src/lib.rs", "base/src/inner.rs"},
        {"mid", "mid/src/lib.rs", NULL}, {"top", "top/src/lib.rs", NULL}};
    for (size_t i = 0; i < ARRAY_LEN(objects); i++)
        for (int k = 1; k < 3 && objects[i][k]; k++) {
            char *text = slurp(objects[i][k]);
            sb_printf(&want, "object %s:%s\n%s", objects[i][0], objects[i][k], text);
            xfree(text);
        }
    char *got = slurp(PROGRAM);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, sb_str(&want));
    xfree(got);
    sb_free(&want);
}

/* A first build, then every file made an hour old (so no record is racy). */
static void first_build(void)
{
    Result r = build(1, false);
    expect_outcomes(r, "CCCC");
    free(r.out);
    age_sources();
    r = build(1, false);  /* records the aged mtimes */
    expect_outcomes(r, "FFFF");
    free(r.out);
    expect_program_current();
}

START_TEST(build_writes_objects_links_and_then_does_nothing)
{
    Result r = build(2, false);
    expect_outcomes(r, "CCCC");
    ck_assert_has(r.out, "   Compiling base v0.1.0 (");
    ck_assert_has(r.out, "   Compiling app v0.1.0 (");
    ck_assert(r.results[APP].linked);
    free(r.out);
    expect_program_current();
    char *obj = slurp("target/ws/obj/base-lib/inner.o");
    ck_assert_ptr_nonnull(obj);
    xfree(obj);
    fake_compiles = fake_codegens = fake_links = 0;
    r = build(2, true);
    expect_outcomes(r, "FFFF");
    ck_assert_int_eq(fake_compiles + fake_codegens + fake_links, 0);
    ck_assert(!r.results[APP].linked);
    ck_assert_has(r.out, "       Fresh app v0.1.0 (");
    free(r.out);
}
END_TEST

START_TEST(a_body_edit_compiles_one_crate_and_relinks)
{
    first_build();
    put("base/src/inner.rs", "private body, edited\n");
    fake_compiles = fake_codegens = fake_links = 0;
    Result r = build(1, true);
    expect_outcomes(r, "SFFF");
    ck_assert_int_eq(fake_codegens, 1);
    ck_assert_int_eq(fake_links, 1);
    ck_assert_has(r.out, "   Compiling base v0.1.0 (");
    ck_assert_has(r.out, ") (interface unchanged)\n");
    ck_assert_has(r.out, "        why: linked `target/ws/debug/app`: the object `target/ws/obj/base-lib/inner.o` "
                         "changed\n");
    free(r.out);
    expect_program_current();
}
END_TEST

/* ws check writes the objects too, so the build after it runs no frontend: it links. */
START_TEST(a_check_writes_the_objects_so_the_build_after_it_only_links)
{
    fake_compiles = fake_codegens = 0;
    first_check();
    ck_assert_int_eq(fake_compiles, NCRATES);
    ck_assert_int_eq(fake_codegens, NCRATES);
    fake_compiles = fake_codegens = fake_links = 0;
    Result r = build(1, true);
    expect_outcomes(r, "FFFF");
    ck_assert_int_eq(fake_compiles + fake_codegens, 0);
    ck_assert_int_eq(fake_links, 1);
    ck_assert_has(r.out, "       Fresh app v0.1.0 (");
    ck_assert_has(r.out, "     Linking app (full link: no previous program)\n");
    free(r.out);
    expect_program_current();
    /* an edit, checked: the build after it compiles nothing again */
    put("mid/src/lib.rs", "pub use base\npub sig twice(x: u64) -> u64\nbody of twice, edited\n");
    r = check(1, false);
    expect_outcomes(r, "FSFF");
    free(r.out);
    fake_compiles = 0;
    r = build(1, false);
    expect_outcomes(r, "FFFF");
    ck_assert_int_eq(fake_compiles, 0);
    ck_assert_has(r.out, "     Linking app (patched 5 sections, 0 sites)\n");
    free(r.out);
    expect_program_current();
}
END_TEST

/* A check whose code generation fails still passes (that is the build's error), and
 * records no objects: the build compiles the crate and reports the error. */
START_TEST(a_check_with_a_codegen_error_leaves_the_crate_to_the_build)
{
    first_build();
    put("mid/src/lib.rs", "pub use base\npub sig twice(x: u64) -> u64\nunsupported thing\n");
    Result r = check(1, false);
    ck_assert_uint_eq(r.failed, 0);
    expect_outcomes(r, "FSFF");
    ck_assert(!strstr(r.out, "error"));
    free(r.out);
    r = build(1, true);
    ck_assert_uint_eq(r.failed, 1);
    expect_outcomes(r, "FX--");
    ck_assert_has(r.out, "why: its objects were not written (its last compile was a `ws check` whose code "
                         "generation failed)\n");
    ck_assert_has(r.out, "error: unsupported: something in mid/src/lib.rs\n");
    free(r.out);
}
END_TEST

/* A failing check leaves the last record, which the edit no longer matches. */
START_TEST(a_failing_check_leaves_nothing_the_build_trusts)
{
    first_build();
    put("mid/src/lib.rs", "pub use base\npub sig twice(x: u64) -> u64\nerror here\n");
    Result r = check(1, false);
    ck_assert_uint_eq(r.failed, 1);
    free(r.out);
    r = build(1, false);
    ck_assert_uint_eq(r.failed, 1);
    expect_outcomes(r, "FX--");
    free(r.out);
    put("mid/src/lib.rs", "pub use base\npub sig twice(x: u64) -> u64\nbody of twice, fixed\n");
    r = check(1, false);
    expect_outcomes(r, "FSFF");
    free(r.out);
    r = build(1, false);
    expect_outcomes(r, "FFFF");
    ck_assert(r.results[APP].linked);
    free(r.out);
    expect_program_current();
}
END_TEST

/* Breaks an object of mid three ways in turn; each time only mid is compiled again,
 * with a warning naming the file, and the program is still right. */
START_TEST(a_damaged_or_missing_object_is_named_and_rebuilt)
{
    first_build();
    static const char *const want[] = {"was changed or damaged", "was changed or damaged", "is missing",
                                       "was changed or damaged"};
    for (int k = 0; k < 4; k++) {
        const char *obj = "target/ws/obj/mid-lib/crate.o";
        if (k == 0)
            damage(obj);
        else if (k == 1)
            truncate_file(obj, 5);
        else if (k == 2)
            remove_file(obj);
        else
            overwrite_start(obj, "\177ELF foreign");
        Result r = build(1, false);
        expect_outcomes(r, "FSFF");
        char *line = xasprintf("warning: the object file `%s` %s; compiling again\n", obj, want[k]);
        ck_assert_has(r.out, line);
        xfree(line);
        free(r.out);
        expect_program_current();
        r = build(1, false);
        expect_outcomes(r, "FFFF");
        free(r.out);
    }
}
END_TEST

START_TEST(a_damaged_or_missing_program_is_linked_again)
{
    first_build();
    overwrite_start(PROGRAM, "not a program");
    Result r = build(1, false);
    expect_outcomes(r, "FFFF");
    ck_assert(r.results[APP].linked);
    ck_assert_has(r.out, "warning: the program `target/ws/debug/app` is not the one ws linked; linking again\n");
    free(r.out);
    expect_program_current();
    remove_file(PROGRAM);
    r = build(1, true);
    ck_assert(r.results[APP].linked);
    ck_assert_has(r.out, "why: linked `target/ws/debug/app`: the program `target/ws/debug/app` is missing\n");
    free(r.out);
    expect_program_current();
    damage("target/ws/link/app.bin.app");
    r = build(1, false);
    ck_assert(r.results[APP].linked);
    ck_assert_has(r.out, "warning: ignoring the damaged state file `target/ws/link/app.bin.app` (checksum "
                         "mismatch); linking again\n");
    free(r.out);
    r = build(1, false);
    ck_assert(!r.results[APP].linked);
    free(r.out);
}
END_TEST

START_TEST(a_foreign_or_truncated_fingerprint_is_named)
{
    first_build();
    overwrite_start("target/ws/fingerprint/base.lib", "XXXXXXXX");
    Result r = build(1, false);
    expect_outcomes(r, "CFFF");
    ck_assert_has(r.out, "warning: ignoring the damaged state file `target/ws/fingerprint/base.lib` (bad magic); "
                         "compiling again\n");
    free(r.out);
    truncate_file("target/ws/fingerprint/top.lib", 20);
    r = build(1, false);
    expect_outcomes(r, "FFCF");
    ck_assert_has(r.out, "`target/ws/fingerprint/top.lib` (truncated)");
    free(r.out);
    expect_program_current();
}
END_TEST

START_TEST(another_compilers_state_is_not_trusted)
{
    first_build();
    /* a fingerprint that another compiler build wrote: compiled again, said why */
    Arena a;
    arena_init(&a);
    char *path = xasprintf("%s/target/ws/fingerprint/mid.lib", fixture_dir);
    WsFingerprint fp;
    char *why = NULL;
    ck_assert(ws_fp_load(&a, path, &fp, &why));
    fp.build_id.lo ^= 1;
    ck_assert(ws_fp_save(path, &fp, &why));
    xfree(path);
    Result r = build(1, true);
    expect_outcomes(r, "FSFF");
    ck_assert_has(r.out, "why: the compiler changed (another build id)\n");
    free(r.out);
    /* an interface file of another compiler build (a valid record otherwise) */
    path = xasprintf("%s/target/ws/meta/base.wsmeta", fixture_dir);
    char payload[16 + 6] = "0123456789abcdefiface\n";
    ck_assert(file_write_checked(path, "wsmeta\0", 1, payload, sizeof payload, &why));
    xfree(path);
    r = build(1, false);
    expect_outcomes(r, "SFFF");
    ck_assert_has(r.out, "warning: ignoring the damaged interface file `target/ws/meta/base.wsmeta` (written by "
                         "another compiler build); compiling again\n");
    free(r.out);
    /* a valid interface file of this build, but another crate's */
    char *from = xasprintf("%s/target/ws/meta/mid.wsmeta", fixture_dir);
    char *to = xasprintf("%s/target/ws/meta/top.wsmeta", fixture_dir);
    ck_assert_int_eq(rename(from, to), 0);
    xfree(from);
    xfree(to);
    r = build(1, false);
    ck_assert_has(r.out, "warning: ignoring the interface file `target/ws/meta/top.wsmeta` (not the one this "
                         "crate's last compile wrote); compiling again\n");
    ck_assert_has(r.out, "warning: ignoring the missing interface file `target/ws/meta/mid.wsmeta`");
    expect_outcomes(r, "FSSF");
    free(r.out);
    expect_program_current();
    arena_free(&a);
}
END_TEST

/* The outputs of a compile that died before its record was saved, with the sources
 * then put back: the old record's hashes no longer match what is on disk. */
START_TEST(a_record_never_vouches_for_outputs_it_did_not_write)
{
    first_build();
    size_t saved_len;
    char *saved = slurp_n("target/ws/fingerprint/base.lib", &saved_len);
    char *old_lib = slurp("base/src/lib.rs");
    char *old_inner = slurp("base/src/inner.rs");
    put("base/src/lib.rs", "mod inner\npub sig scale(x: u32) -> u64\nbody of scale\n");
    put("base/src/inner.rs", "private body, edited\n");
    Result r = build(1, false);
    expect_outcomes(r, "CCSF");
    free(r.out);
    char *p = xasprintf("%s/target/ws/fingerprint/base.lib", fixture_dir);
    char *err = NULL;
    ck_assert(file_write_atomic(p, saved, saved_len, false, &err));
    xfree(p);
    put("base/src/lib.rs", old_lib);
    put("base/src/inner.rs", old_inner);
    r = build(1, true);
    ck_assert_has(r.out, "`target/ws/meta/base.wsmeta` (not the one this crate's last compile wrote)");
    ck_assert(r.results[BASE].outcome != WS_OUTCOME_FRESH);
    free(r.out);
    expect_program_current();
    /* the same with a body edit: the interface is the same, an object is not */
    age_sources();
    r = build(1, false);
    free(r.out);
    xfree(saved);
    saved = slurp_n("target/ws/fingerprint/base.lib", &saved_len);
    put("base/src/inner.rs", "private body, edited again\n");
    r = build(1, false);
    expect_outcomes(r, "SFFF");
    free(r.out);
    p = xasprintf("%s/target/ws/fingerprint/base.lib", fixture_dir);
    ck_assert(file_write_atomic(p, saved, saved_len, false, &err));
    xfree(p);
    put("base/src/inner.rs", old_inner);
    r = build(1, false);
    ck_assert_has(r.out, "warning: the object file `target/ws/obj/base-lib/inner.o` was changed or damaged");
    expect_outcomes(r, "SFFF");
    free(r.out);
    expect_program_current();
    xfree(saved);
    xfree(old_lib);
    xfree(old_inner);
}
END_TEST

START_TEST(a_codegen_error_fails_the_crate_and_leaves_no_record)
{
    first_build();
    put("mid/src/lib.rs", "pub use base\npub sig twice(x: u64) -> u64\nunsupported thing\n");
    Result r = build(1, false);
    ck_assert_uint_eq(r.failed, 1);
    expect_outcomes(r, "FX--");
    ck_assert_has(r.out, "error: unsupported: something in mid/src/lib.rs\n");
    ck_assert_has(r.out, "error: could not compile `mid` (lib) due to 1 previous error\n");
    free(r.out);
    char *fp = slurp("target/ws/fingerprint/mid.lib");
    ck_assert_ptr_null(fp);
    put("mid/src/lib.rs", "pub use base\npub sig twice(x: u64) -> u64\nbody of twice, fixed\n");
    r = build(1, true);
    expect_outcomes(r, "FCFF");  /* no record to compare with; top's own says mid's interface is the same */
    ck_assert_has(r.out, "why: no earlier compile is recorded\n");
    free(r.out);
    expect_program_current();
}
END_TEST

START_TEST(a_link_error_fails_the_bin_and_keeps_the_old_program)
{
    first_build();
    char *before = slurp(PROGRAM);
    put("app/src/main.rs", "use top\nfn main\nlinkfail\n");
    Result r = build(1, false);
    ck_assert_uint_eq(r.failed, 1);
    expect_outcomes(r, "FFFX");
    ck_assert_has(r.out, "error: linking `app` failed\n");
    ck_assert_has(r.out, "error: could not compile `app` (bin \"app\") due to 1 previous error\n");
    free(r.out);
    char *after = slurp(PROGRAM);
    ck_assert_str_eq(before, after);
    xfree(before);
    xfree(after);
    put("app/src/main.rs", "use top\nfn main\nfixed\n");
    r = build(1, false);
    expect_outcomes(r, "FFFC");
    ck_assert(r.results[APP].linked);
    free(r.out);
    expect_program_current();
}
END_TEST

/* The link line says how the program was linked; verify reaches the linker. */
START_TEST(links_say_full_or_patched_and_pass_verify_on)
{
    Result r = build(1, false);
    ck_assert_has(r.out, "   Compiling app v0.1.0 (");
    ck_assert_has(r.out, "     Linking app (full link: no previous program)\n");
    ck_assert(r.results[APP].linked && !r.results[APP].link.patched);
    ck_assert_ptr_null(r.results[APP].link.full_reason);
    free(r.out);
    put("base/src/inner.rs", "private body, edited\n");
    fake_verified_links = 0;
    verify_links = true;
    r = build(1, false);
    verify_links = false;
    ck_assert_int_eq(fake_verified_links, 1);
    ck_assert_has(r.out, "     Linking app (patched 5 sections, 0 sites)\n");
    ck_assert(r.results[APP].link.patched);
    ck_assert_uint_eq(r.results[APP].link.sections, 5);
    free(r.out);
    r = build(1, false);  /* nothing changed: no link, no line */
    ck_assert(!r.results[APP].linked);
    ck_assert(!strstr(r.out, "Linking"));
    free(r.out);
}
END_TEST

/* Every crate's job is timed on its worker: a compiled crate ran the frontend, a fresh
 * one only its fingerprint; and the report names every crate and every phase. */
START_TEST(timings_measure_every_phase_and_report_them)
{
    Result r = build(2, false);
    free(r.out);
    put("base/src/inner.rs", "private body, edited\n");
    WsWorkspace ws;
    load_ok(&ws, "", NULL);
    WsGraph g;
    ck_assert(ws_graph_build(&g, &ws));
    FILE *out = fopen("/dev/null", "w");
    WsRunOptions o = {.build = true, .jobs = 2, .tc = &fake_toolchain, .out = out};
    WsCrateResult res[NCRATES];
    uint64_t start = clock_ns();
    ck_assert_uint_eq(ws_run_crates(&ws, &g, &o, res), 0);
    uint64_t end = clock_ns();
    fclose(out);
    for (int i = 0; i < NCRATES; i++) {
        ck_assert(res[i].ran);
        ck_assert_uint_lt(res[i].worker, 2);
        ck_assert(res[i].start_ns >= start && res[i].start_ns <= res[i].end_ns && res[i].end_ns <= end);
        ck_assert_uint_gt(res[i].phase_ns[WS_PHASE_FINGERPRINT], 0);
    }
    ck_assert_int_eq(res[BASE].outcome, WS_OUTCOME_SAME_IFACE);
    ck_assert_uint_gt(res[BASE].phase_ns[WS_PHASE_FRONTEND], 0);
    ck_assert_uint_gt(res[BASE].phase_ns[WS_PHASE_WRITE], 0);
    ck_assert_uint_gt(res[BASE].phase_ns[WS_PHASE_RECORD], 0);
    ck_assert_uint_eq(res[MID].phase_ns[WS_PHASE_FRONTEND], 0);
    ck_assert_uint_gt(res[APP].phase_ns[WS_PHASE_LINK], 0);

    WsTimings t = {&ws, &g, res, "build", 2, start, end, 1735787045123000000LL};
    StrBuf html = {0};
    ws_timings_html(&html, &t);
    const char *h = sb_str(&html);
    ck_assert(strncmp(h, "<!DOCTYPE html>", 15) == 0);
    ck_assert_has(h, "</html>\n");
    ck_assert(!strstr(h, "<script"));
    for (int i = 0; i < NCRATES; i++) {
        char *row = xasprintf("<tr><td>%s v0.1.0%s</td><td>%s</td>", names[i], i == APP ? " bin &quot;app&quot;" : "",
                              i == BASE ? "compiled (interface unchanged)" : "fresh");
        ck_assert_has(h, row);
        xfree(row);
    }
    for (int p = 0; p < WS_PHASE_COUNT; p++) {
        char *row = xasprintf("<tr class=\"phase\"><td>%s</td>", ws_phase_name((WsPhase)p));
        ck_assert_has(h, row);
        xfree(row);
    }
    ck_assert_has(h, "<rect class=\"same\"");
    ck_assert_has(h, "<rect class=\"fresh\"");
    sb_free(&html);

    char *path = NULL, *err = NULL;
    ck_assert_msg(ws_timings_write(&t, &path, &err), "%s", err);
    char *want = xasprintf("%s/target/ws/timings/ws-timing-20250102T030405123Z.html", ws.root);
    ck_assert_str_eq(path, want);
    xfree(want);
    char *stamped = slurp("target/ws/timings/ws-timing-20250102T030405123Z.html");
    char *latest = slurp("target/ws/timings/ws-timing.html");
    ck_assert_ptr_nonnull(stamped);
    ck_assert_ptr_nonnull(latest);
    ck_assert_str_eq(stamped, latest);
    xfree(stamped);
    xfree(latest);
    xfree(path);
    ws_graph_free(&g);
    ws_free(&ws);
}
END_TEST

/* A compile removes what a killed build left in its object directory. */
START_TEST(a_compile_removes_temporary_files_a_killed_build_left)
{
    first_build();
    put("target/ws/obj/base-lib/inner.o.tmpAbC123", "half an object");
    put("base/src/inner.rs", "private body, edited\n");
    Result r = build(1, false);
    expect_outcomes(r, "SFFF");
    free(r.out);
    char *left = slurp("target/ws/obj/base-lib/inner.o.tmpAbC123");
    ck_assert_ptr_null(left);
    char *kept = slurp("target/ws/obj/base-lib/inner.o");
    ck_assert_ptr_nonnull(kept);
    xfree(kept);
    expect_program_current();
}
END_TEST

/* A package of two bins says "Compiling" once, and before either bin's link line,
 * whichever bin finishes first. */
START_TEST(a_package_of_bins_says_its_status_before_its_links)
{
    put("Cargo.toml", pkg_toml("two", ""));
    put("src/bin/a.rs", "fn main\nbody of a\n");
    put("src/bin/b.rs", "fn main\nbody of b\n");
    for (int round = 0; round < 10; round++) {
        WsWorkspace ws;
        load_ok(&ws, "", NULL);
        WsGraph g;
        ck_assert(ws_graph_build(&g, &ws));
        ck_assert_uint_eq(g.crates.len, 2);
        char *text = NULL;
        size_t len;
        FILE *out = open_memstream(&text, &len);
        WsRunOptions o = {.build = true, .jobs = 2, .tc = &fake_toolchain, .out = out};
        ck_assert_uint_eq(ws_run_crates(&ws, &g, &o, NULL), 0);
        fclose(out);
        const char *compiling = strstr(text, "   Compiling two v0.1.0 (");
        ck_assert_msg(compiling && !strstr(compiling + 12, "Compiling"), "%s", text);
        ck_assert_msg(strstr(text, "     Linking a (") > compiling && strstr(text, "     Linking b (") > compiling,
                      "%s", text);
        free(text);
        ws_graph_free(&g);
        ws_free(&ws);
        char *cmd = xasprintf("rm -rf '%s/target'", fixture_dir);
        ck_assert_int_eq(system(cmd), 0);
        xfree(cmd);
    }
}
END_TEST

/* The hashes ws hands the linker with the embedded runtime are those of its bytes. */
START_TEST(runtime_hashes_are_the_embedded_objects_hashes)
{
    size_t n;
    const RtObject *rt = rt_objects(&n);
    ck_assert_uint_gt(n, 0);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(hash128_eq(ws_runtime_hash(rt[i].name), hash128(rt[i].data, rt[i].size)), "%s", rt[i].name);
    ck_assert(hash128_is_zero(ws_runtime_hash("rt/no-such.o")));
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
    tc = tcase_create("build");
    tcase_add_checked_fixture(tc, setup, fixture_teardown);
    tcase_add_test(tc, build_writes_objects_links_and_then_does_nothing);
    tcase_add_test(tc, a_body_edit_compiles_one_crate_and_relinks);
    tcase_add_test(tc, a_check_writes_the_objects_so_the_build_after_it_only_links);
    tcase_add_test(tc, a_check_with_a_codegen_error_leaves_the_crate_to_the_build);
    tcase_add_test(tc, a_failing_check_leaves_nothing_the_build_trusts);
    tcase_add_test(tc, links_say_full_or_patched_and_pass_verify_on);
    tcase_add_test(tc, timings_measure_every_phase_and_report_them);
    tcase_add_test(tc, runtime_hashes_are_the_embedded_objects_hashes);
    tcase_add_test(tc, a_compile_removes_temporary_files_a_killed_build_left);
    tcase_add_test(tc, a_package_of_bins_says_its_status_before_its_links);
    tcase_add_test(tc, a_damaged_or_missing_object_is_named_and_rebuilt);
    tcase_add_test(tc, a_damaged_or_missing_program_is_linked_again);
    tcase_add_test(tc, a_foreign_or_truncated_fingerprint_is_named);
    tcase_add_test(tc, another_compilers_state_is_not_trusted);
    tcase_add_test(tc, a_record_never_vouches_for_outputs_it_did_not_write);
    tcase_add_test(tc, a_codegen_error_fails_the_crate_and_leaves_no_record);
    tcase_add_test(tc, a_link_error_fails_the_bin_and_keeps_the_old_program);
    suite_add_tcase(s, tc);
    return s;
}

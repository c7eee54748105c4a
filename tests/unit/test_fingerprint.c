/* tests/unit/test_fingerprint.c — per-crate fingerprints (record, save, load, decide) and
 * <crate>.wsmeta interface files: what makes a crate compile again and what does not. */
#include "tests/unit/fake_fe.h"
#include "tests/unit/ws_fixture.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HOUR_NS (3600LL * 1000000000LL)

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static char *fixture_path(Arena *a, const char *rel) { return ws_path_join(a, fixture_dir, rel); }

/* Sets a file's mtime to `ago_ns` before now. */
static void age(const char *rel, int64_t ago_ns)
{
    Arena a;
    arena_init(&a);
    int64_t t = now_ns() - ago_ns;
    struct timespec times[2] = {{t / 1000000000LL, t % 1000000000LL}, {t / 1000000000LL, t % 1000000000LL}};
    ck_assert_int_eq(utimensat(AT_FDCWD, fixture_path(&a, rel), times, 0), 0);
    arena_free(&a);
}

/* A fingerprint of one crate that read src/lib.rs and src/m.rs and depends on `dep`. */
static void make_fp(Arena *a, WsFingerprint *fp, const char *dep_meta)
{
    memset(fp, 0, sizeof *fp);
    fp->build_id = ws_build_id();
    fp->flags = "profile=dev\n";
    fp->spec = "name=top\nkind=lib\nedition=2021\n";
    fp->outputs = WS_OUT_INTERFACE;
    fp->iface = (Hash128){7, 7};
    fp->nsources = 2;
    fp->sources = arena_new(a, WsFpSource, 2);
    const char *names[] = {"src/lib.rs", "src/m.rs"};
    for (int i = 0; i < 2; i++) {
        char *err = NULL, *text;
        size_t len;
        char *path = fixture_path(a, names[i]);
        ck_assert_msg(file_read(path, &text, &len, &err), "%s", err);
        fp->sources[i] = ws_fp_source(a, names[i], path, text, len, now_ns());
        xfree(text);
    }
    fp->ndeps = 1;
    fp->deps = arena_new(a, WsFpDep, 1);
    fp->deps[0] = (WsFpDep){.name = "dep", .key = "dep.lib", .iface = hash128(dep_meta, strlen(dep_meta)),
                            .meta = dep_meta, .meta_len = strlen(dep_meta)};
    ck_assert(ws_fp_dep_items(a, &fp->deps[0], fake_interface_items));
}

/* The present as the job would give it: the same flags, spec and deps, sources unfilled. */
static void present(WsFingerprint *now, const WsFingerprint *old, WsFpDep *dep, const char *dep_meta)
{
    *now = *old;
    now->sources = NULL;
    now->nsources = 0;
    *dep = old->deps[0];
    dep->iface = hash128(dep_meta, strlen(dep_meta));
    dep->meta = dep_meta;
    dep->meta_len = strlen(dep_meta);
    dep->items = NULL;
    dep->nitems = 0;
    now->deps = dep;
}

static const char dep_v1[] = "iface\ndep::f 1\ndep::g 2\ndep::h 3\n";

static void setup_sources(void)
{
    fixture_setup();
    put("src/lib.rs", "mod m;\npub fn f() {}\n");
    put("src/m.rs", "fn g() {}\n");
    age("src/lib.rs", HOUR_NS);
    age("src/m.rs", HOUR_NS);
}

/* Decides old against the present with dep_meta as the dependency's interface. */
static WsFpVerdict decide(Arena *a, const WsFingerprint *old, const char *dep_meta, uint32_t need)
{
    WsFingerprint now;
    WsFpDep dep;
    present(&now, old, &dep, dep_meta);
    WsFpVerdict v;
    ws_fp_decide(a, old, &now, need, fake_interface_items, now_ns(), &v);
    return v;
}

/* Checks a verdict's freshness and reasons, and frees it. */
static void expect_verdict(WsFpVerdict v, bool fresh, const char *why)
{
    ck_assert_msg(v.fresh == fresh, "fresh is %d; reasons:\n%s", v.fresh, sb_str(&v.why));
    ck_assert_str_eq(sb_str(&v.why), why);
    sb_free(&v.why);
}

/* Decides old against a present the test made. */
static WsFpVerdict decide_now(Arena *a, const WsFingerprint *old, WsFingerprint *now)
{
    WsFpVerdict v;
    ws_fp_decide(a, old, now, WS_OUT_INTERFACE, fake_interface_items, now_ns(), &v);
    return v;
}

START_TEST(nothing_changed_is_fresh_without_reading)
{
    Arena a;
    arena_init(&a);
    WsFingerprint old;
    make_fp(&a, &old, dep_v1);
    ck_assert(!old.sources[0].racy && !old.sources[1].racy);
    WsFpVerdict v = decide(&a, &old, dep_v1, WS_OUT_INTERFACE);
    ck_assert_msg(v.fresh, "%s", sb_str(&v.why));
    ck_assert(!v.restat);
    ck_assert_str_eq(sb_str(&v.why), "");
    sb_free(&v.why);
    /* Proof that the fast path reads nothing: other bytes behind the same size and
     * (old, hence not racy) mtime go unseen. */
    put("src/m.rs", "fn h() {}\n");
    age("src/m.rs", HOUR_NS);
    struct stat st;
    ck_assert_int_eq(stat(old.sources[1].path, &st), 0);
    old.sources[1].mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    v = decide(&a, &old, dep_v1, WS_OUT_INTERFACE);
    ck_assert(v.fresh);
    sb_free(&v.why);
    arena_free(&a);
}
END_TEST

START_TEST(an_mtime_only_touch_does_not_recompile)
{
    Arena a;
    arena_init(&a);
    WsFingerprint old;
    make_fp(&a, &old, dep_v1);
    age("src/m.rs", 10 * 60 * 1000000000LL);  /* touched ten minutes ago */
    WsFpVerdict v = decide(&a, &old, dep_v1, WS_OUT_INTERFACE);
    ck_assert_msg(v.fresh, "%s", sb_str(&v.why));
    ck_assert(v.restat);  /* the new mtime is saved, so the next build takes the fast path */
    ck_assert_has(sb_str(&v.why), "1 file touched, but its content is unchanged");
    sb_free(&v.why);
    arena_free(&a);
}
END_TEST

START_TEST(a_content_change_names_the_file)
{
    Arena a;
    arena_init(&a);
    WsFingerprint old;
    make_fp(&a, &old, dep_v1);
    put("src/m.rs", "fn g() { }\n");
    expect_verdict(decide(&a, &old, dep_v1, WS_OUT_INTERFACE), false, "the file `src/m.rs` changed\n");
    arena_free(&a);
}
END_TEST

START_TEST(an_edit_keeping_size_and_mtime_is_seen_when_racy)
{
    Arena a;
    arena_init(&a);
    put("src/m.rs", "fn g() {}\n");  /* written just now: racy when recorded */
    WsFingerprint old;
    make_fp(&a, &old, dep_v1);
    ck_assert(old.sources[1].racy);
    struct stat st;
    ck_assert_int_eq(stat(old.sources[1].path, &st), 0);
    put("src/m.rs", "fn h() {}\n");  /* same size; then the old mtime put back */
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    ck_assert_int_eq(utimensat(AT_FDCWD, old.sources[1].path, times, 0), 0);
    expect_verdict(decide(&a, &old, dep_v1, WS_OUT_INTERFACE), false, "the file `src/m.rs` changed\n");
    arena_free(&a);
}
END_TEST

START_TEST(a_removed_file_recompiles)
{
    Arena a;
    arena_init(&a);
    WsFingerprint old;
    make_fp(&a, &old, dep_v1);
    ck_assert_int_eq(unlink(old.sources[1].path), 0);
    expect_verdict(decide(&a, &old, dep_v1, WS_OUT_INTERFACE), false, "the file `src/m.rs` was removed\n");
    arena_free(&a);
}
END_TEST

START_TEST(build_id_flags_and_spec_are_named)
{
    Arena a;
    arena_init(&a);
    WsFingerprint old;
    make_fp(&a, &old, dep_v1);
    WsFingerprint now;
    WsFpDep dep;
    present(&now, &old, &dep, dep_v1);
    now.build_id.lo ^= 1;
    now.flags = "profile=release\ntarget=x86_64\n";
    now.spec = "name=top\nkind=bin\nedition=2021\n";
    expect_verdict(decide_now(&a, &old, &now), false, "the compiler changed (another build id)\n"
                                     "the flag `profile` changed from `dev` to `release`\n"
                                     "the flag `target` was added (`x86_64`)\n"
                                     "the crate's `kind` changed from `lib` to `bin`\n");
    arena_free(&a);
}
END_TEST

START_TEST(a_dependency_interface_change_names_its_items)
{
    Arena a;
    arena_init(&a);
    WsFingerprint old;
    make_fp(&a, &old, dep_v1);
    expect_verdict(decide(&a, &old, "iface\ndep::f 1\ndep::g 9\ndep::k 4\n", WS_OUT_INTERFACE), false, "the interface of `dep` changed\n"
                                     "  `dep::g` changed\n"
                                     "  `dep::k` was added\n"
                                     "  `dep::h` was removed\n");
    arena_free(&a);
}
END_TEST

START_TEST(missing_outputs_recompile)
{
    Arena a;
    arena_init(&a);
    WsFingerprint old;
    make_fp(&a, &old, dep_v1);
    expect_verdict(decide(&a, &old, dep_v1, WS_OUT_INTERFACE | WS_OUT_OBJECTS), false,
                   "its objects were not written (its last compile was a `ws check` whose code generation "
                   "failed)\n");
    arena_free(&a);
}
END_TEST

START_TEST(dependencies_added_and_removed_are_named)
{
    Arena a;
    arena_init(&a);
    WsFingerprint old;
    make_fp(&a, &old, dep_v1);
    WsFingerprint now;
    WsFpDep dep;
    present(&now, &old, &dep, dep_v1);
    dep.key = "other.lib";
    dep.name = "other";
    expect_verdict(decide_now(&a, &old, &now), false, "the dependency `other` was added\nthe dependency `dep` was removed\n");
    arena_free(&a);
}
END_TEST

START_TEST(save_and_load_round_trip)
{
    Arena a;
    arena_init(&a);
    WsFingerprint old, back;
    make_fp(&a, &old, dep_v1);
    char *path = fixture_path(&a, "fp"), *err = NULL, *why = NULL;
    old.meta = (Hash128){5, 6};
    old.nobjects = 1;
    old.objects = arena_new(&a, WsFpFile, 1);
    ck_assert_msg(ws_fp_file_record(&a, fixture_path(&a, "src/lib.rs"), "crate.o", &old.objects[0], &err), "%s", err);
    ck_assert_msg(ws_fp_save(path, &old, &err), "%s", err);
    ck_assert_msg(ws_fp_load(&a, path, &back, &why), "%s", why);
    ck_assert(hash128_eq(back.build_id, old.build_id) && hash128_eq(back.iface, old.iface));
    ck_assert_str_eq(back.flags, old.flags);
    ck_assert_str_eq(back.spec, old.spec);
    ck_assert_uint_eq(back.outputs, old.outputs);
    ck_assert_uint_eq(back.nsources, 2);
    ck_assert_str_eq(back.sources[1].display, "src/m.rs");
    ck_assert(hash128_eq(back.sources[1].content, old.sources[1].content));
    ck_assert_int_eq(back.sources[1].mtime_ns, old.sources[1].mtime_ns);
    ck_assert_uint_eq(back.ndeps, 1);
    ck_assert_str_eq(back.deps[0].key, "dep.lib");
    ck_assert_uint_eq(back.deps[0].nitems, 3);
    ck_assert_str_eq(back.deps[0].items[2].path, "dep::h");
    ck_assert(back.deps[0].items[2].hash.lo == 3);
    ck_assert(hash128_eq(back.meta, old.meta));
    ck_assert_uint_eq(back.nobjects, 1);
    ck_assert_str_eq(back.objects[0].name, "crate.o");
    ck_assert(back.objects[0].ino == old.objects[0].ino && back.objects[0].ctime_ns == old.objects[0].ctime_ns);
    ck_assert(hash128_eq(back.objects[0].content, old.objects[0].content));
    WsFpVerdict v = decide(&a, &back, dep_v1, WS_OUT_INTERFACE);
    ck_assert_msg(v.fresh, "%s", sb_str(&v.why));
    sb_free(&v.why);
    arena_free(&a);
}
END_TEST

/* Writes bytes over a file at offset. */
static void scribble(const char *path, long offset, const char *bytes)
{
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, offset, offset < 0 ? SEEK_END : SEEK_SET);
    fwrite(bytes, 1, strlen(bytes), f);
    fclose(f);
}

START_TEST(damaged_foreign_and_malformed_files_are_refused)
{
    Arena a;
    arena_init(&a);
    WsFingerprint fp, back;
    make_fp(&a, &fp, dep_v1);
    char *path = fixture_path(&a, "fp"), *err = NULL, *why = NULL;
    ck_assert(!ws_fp_load(&a, path, &back, &why));
    ck_assert_str_eq(why, "missing");
    xfree(why);

    ck_assert(ws_fp_save(path, &fp, &err));
    scribble(path, -3, "XYZ");
    ck_assert(!ws_fp_load(&a, path, &back, &why));
    ck_assert_str_eq(why, "checksum mismatch");
    xfree(why);

    ck_assert(ws_fp_save(path, &fp, &err));
    scribble(path, 0, "wsmeta");
    ck_assert(!ws_fp_load(&a, path, &back, &why));
    ck_assert_str_eq(why, "bad magic");
    xfree(why);

    /* A valid checksum over a payload that is not a fingerprint. */
    ck_assert(file_write_checked(path, "wsfprint", 2, "\x01\x02\xff\xff\xff\xff", 6, &err));
    ck_assert(!ws_fp_load(&a, path, &back, &why));
    ck_assert_str_eq(why, "malformed");
    xfree(why);
    arena_free(&a);
}
END_TEST

/* Written files: a stat that moved makes ws read the file; only other bytes count. */
START_TEST(written_files_are_checked_by_stat_then_content)
{
    Arena a;
    arena_init(&a);
    put("obj/crate.o", "object bytes");
    char *path = fixture_path(&a, "obj/crate.o"), *err = NULL;
    WsFpFile f;
    ck_assert_msg(ws_fp_file_record(&a, path, "crate.o", &f, &err), "%s", err);
    ck_assert_str_eq(f.name, "crate.o");
    bool moved = false;
    ck_assert_int_eq(ws_fp_file_check(path, &f, &moved), WS_FILE_SAME);
    ck_assert(!moved);
    age("obj/crate.o", HOUR_NS);  /* a touch: stat moved, bytes did not */
    int64_t was = f.mtime_ns;
    ck_assert_int_eq(ws_fp_file_check(path, &f, &moved), WS_FILE_SAME);
    ck_assert(moved && f.mtime_ns != was);
    moved = false;
    ck_assert_int_eq(ws_fp_file_check(path, &f, &moved), WS_FILE_SAME);
    ck_assert(!moved);
    put("obj/crate.o", "object bytez");  /* same size, new content */
    ck_assert_int_eq(ws_fp_file_check(path, &f, &moved), WS_FILE_CHANGED);
    put("obj/crate.o", "object bytes");  /* the bytes back, through a new inode */
    ck_assert_int_eq(ws_fp_file_check(path, &f, &moved), WS_FILE_SAME);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(ws_fp_file_check(path, &f, &moved), WS_FILE_MISSING);
    ck_assert(!ws_fp_file_record(&a, path, "crate.o", &f, &err));
    ck_assert_ptr_nonnull(strstr(err, "crate.o"));
    xfree(err);
    arena_free(&a);
}
END_TEST

/* A program's record has no content hash: a touch alone makes it another file. */
START_TEST(stat_only_records_trust_identity_alone)
{
    Arena a;
    arena_init(&a);
    put("debug/app", "program bytes");
    char *path = fixture_path(&a, "debug/app"), *err = NULL;
    WsFpFile f;
    ck_assert_msg(ws_fp_file_stat(&a, path, "", &f, &err), "%s", err);
    ck_assert(hash128_is_zero(f.content));
    bool moved = false;
    ck_assert_int_eq(ws_fp_file_check(path, &f, &moved), WS_FILE_SAME);
    age("debug/app", HOUR_NS);
    ck_assert_int_eq(ws_fp_file_check(path, &f, &moved), WS_FILE_CHANGED);
    ck_assert(!moved);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(ws_fp_file_check(path, &f, &moved), WS_FILE_MISSING);
    ck_assert(!ws_fp_file_stat(&a, path, "", &f, &err));
    ck_assert_ptr_nonnull(strstr(err, "debug/app"));
    xfree(err);
    arena_free(&a);
}
END_TEST

START_TEST(meta_files_round_trip_and_refuse_other_builds)
{
    Arena a;
    arena_init(&a);
    char *path = fixture_path(&a, "x.wsmeta"), *err = NULL, *why = NULL;
    WsMeta m;
    ck_assert(!ws_meta_read(path, &m, &why));
    ck_assert_str_eq(why, "missing");
    xfree(why);
    ck_assert_msg(ws_meta_write(path, "payload\0bytes", 13, &err), "%s", err);
    ck_assert_msg(ws_meta_read(path, &m, &why), "%s", why);
    ck_assert_uint_eq(m.len, 13);
    ck_assert_mem_eq(m.iface, "payload\0bytes", 13);
    ws_meta_free(&m);

    /* The same record written by another compiler build. */
    Hash128 id = ws_build_id();
    id.hi ^= 1;
    StrBuf sb = {0};
    sb_u64le(&sb, id.lo);
    sb_u64le(&sb, id.hi);
    sb_puts(&sb, "payload");
    ck_assert(file_write_checked(path, "wsmeta\0", 1, sb.data, sb.len, &err));
    sb_free(&sb);
    ck_assert(!ws_meta_read(path, &m, &why));
    ck_assert_str_eq(why, "written by another compiler build");
    xfree(why);

    ck_assert(ws_meta_write(path, "payload", 7, &err));
    scribble(path, -1, "!");
    ck_assert(!ws_meta_read(path, &m, &why));
    ck_assert_str_eq(why, "checksum mismatch");
    xfree(why);
    arena_free(&a);
}
END_TEST

START_TEST(the_build_id_is_set_and_stable)
{
    ck_assert(!hash128_is_zero(ws_build_id()));
    ck_assert(hash128_eq(ws_build_id(), ws_build_id()));
}
END_TEST

Suite *fingerprint_suite(void)
{
    Suite *s = suite_create("fingerprint");
    TCase *tc = tcase_create("fingerprint");
    tcase_add_checked_fixture(tc, setup_sources, fixture_teardown);
    tcase_add_test(tc, nothing_changed_is_fresh_without_reading);
    tcase_add_test(tc, an_mtime_only_touch_does_not_recompile);
    tcase_add_test(tc, a_content_change_names_the_file);
    tcase_add_test(tc, an_edit_keeping_size_and_mtime_is_seen_when_racy);
    tcase_add_test(tc, a_removed_file_recompiles);
    tcase_add_test(tc, build_id_flags_and_spec_are_named);
    tcase_add_test(tc, a_dependency_interface_change_names_its_items);
    tcase_add_test(tc, missing_outputs_recompile);
    tcase_add_test(tc, dependencies_added_and_removed_are_named);
    tcase_add_test(tc, save_and_load_round_trip);
    tcase_add_test(tc, damaged_foreign_and_malformed_files_are_refused);
    tcase_add_test(tc, written_files_are_checked_by_stat_then_content);
    tcase_add_test(tc, stat_only_records_trust_identity_alone);
    tcase_add_test(tc, meta_files_round_trip_and_refuse_other_builds);
    tcase_add_test(tc, the_build_id_is_set_and_stable);
    suite_add_tcase(s, tc);
    return s;
}

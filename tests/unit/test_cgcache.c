/* tests/unit/test_cgcache.c — the code cache (backend/cache.c) and piece-by-piece
 * generation (cg_gen_*, cg_locs_rebuild): entries round-trip, untrusted entries are
 * misses with a reason (another build, another kind, every truncation, a flipped byte),
 * pruning keeps exactly the live keys, and locations are recomputed from the tree.
 * tests/backend/cache.sh checks cg_build's objects against clean builds over edits. */
#include "tests/unit/unit.h"

#include "backend/backend.h"
#include "frontend/frontend.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A checked crate, its pieces generated one at a time, and a cache directory. */
typedef struct Pieces {
    FeSession sess;
    FeCrate *c;
    Arena records;
    const FeFnHash *hashes;
    uint32_t n;
    CgPiece *pieces;   /* per hash */
    char *dir;
    char *cache;       /* dir/cache */
} Pieces;

static const char program[] =
    "const K: [u32; 2] = [4, 5];\n"
    "fn div(a: u32, b: u32) -> u32 {\n"
    "    a / b + K[1]\n"
    "}\n"
    "fn pick(v: &[i32], i: usize) -> i32 {\n"
    "    (v[i])\n"
    "}\n"
    "fn main() {\n"
    "    let v = [1, 2];\n"
    "    println!(\"{} {}\", div(7, 2), pick(&v, 1));\n"
    "}\n";

static void generate(Pieces *p, const char *src)
{
    memset(p, 0, sizeof *p);
    p->dir = unit_tmpdir();
    p->cache = xasprintf("%s/cache", p->dir);
    char *path = xasprintf("%s/main.rs", p->dir), *err = NULL;
    ck_assert_msg(file_write_atomic(path, src, strlen(src), false, &err), "%s", err ? err : "");
    fe_session_init(&p->sess);
    FeCrateSpec spec = {.name = "app", .root_path = path, .display_path = "src/main.rs", .is_bin = true};
    p->c = fe_check_crate(&p->sess, &spec);
    ck_assert_msg(p->c != NULL, "frontend: %s", sb_str(&p->sess.diag.out));
    p->n = fe_fn_hashes(p->c, &p->hashes);
    arena_init(&p->records);
    p->pieces = xcalloc(p->n + 1, sizeof(CgPiece));
    CgGen *g = cg_gen_new(&p->sess, p->c, &p->records);
    for (int pass = 0; pass < 2; pass++)  /* DATA pieces first */
        for (uint32_t i = 0; i < p->n; i++)
            if ((p->hashes[i].kind == FE_CODE_DATA) == (pass == 0))
                ck_assert(cg_gen_piece(g, p->hashes[i].kind, p->hashes[i].item, &p->pieces[i]));
    ck_assert_int_eq(cg_gen_errors(g), 0);
    cg_gen_free(g);
    xfree(path);
}

static void release(Pieces *p)
{
    arena_free(&p->records);
    xfree(p->pieces);
    fe_session_free(&p->sess);
    char *cmd = xasprintf("rm -rf %s", p->dir);
    ck_assert_int_eq(system(cmd), 0);
    xfree(cmd);
    xfree(p->cache);
    xfree(p->dir);
}

/* Index of the FN piece whose symbol ends with suffix. */
static uint32_t fn_piece(const Pieces *p, const char *suffix)
{
    for (uint32_t i = 0; i < p->n; i++) {
        const CodeFunc *f = p->pieces[i].func;
        if (p->pieces[i].kind != FE_CODE_FN || !f)
            continue;
        const char *name = sym_str(&p->sess.names, f->name);
        size_t a = strlen(name), b = strlen(suffix);
        if (a >= b && strcmp(name + a - b, suffix) == 0)
            return i;
    }
    ck_abort_msg("no function *%s", suffix);
    return 0;
}

static Hash128 key_of(const Pieces *p, uint32_t i, const char *build_id)
{
    return cg_cache_key(p->hashes[i].hash, p->hashes[i].kind, true, build_id);
}

static void store(const Pieces *p, uint32_t i, const char *build_id)
{
    char *err = NULL;
    ck_assert_msg(cg_cache_store(p->cache, key_of(p, i, build_id), build_id, &p->pieces[i], &p->sess.names, &err),
                  "%s", err ? err : "");
}

/* Loads piece i; returns NULL when loaded, else the reason (static copy). */
static const char *load(Pieces *p, uint32_t i, Hash128 key, const char *build_id, CgPiece *out)
{
    static char reason[200];
    char *why = NULL;
    if (cg_cache_load(p->cache, key, build_id, p->hashes[i].kind, out, &p->records, &p->sess.names, &why))
        return NULL;
    snprintf(reason, sizeof reason, "%s", why);
    xfree(why);
    return reason;
}

static char *entry_file(const Pieces *p, Hash128 key)
{
    char hex[33];
    hash128_hex(key, hex);
    return xasprintf("%s/%.2s/%s.cg", p->cache, hex, hex + 2);
}

START_TEST(entries_round_trip_and_locations_come_from_the_tree)
{
    Pieces p;
    generate(&p, program);
    for (uint32_t i = 0; i < p.n; i++) {
        store(&p, i, "b1");
        CgPiece back;
        const char *why = load(&p, i, key_of(&p, i, "b1"), "b1", &back);
        ck_assert_msg(why == NULL, "piece %u: %s", i, why);
        ck_assert_int_eq(back.kind, p.pieces[i].kind);
        if (p.pieces[i].func) {
            const CodeFunc *f = p.pieces[i].func;
            for (uint32_t k = 0; k < back.func->nlocs; k++)
                ck_assert_int_eq(back.func->locs[k].line, 0);  /* positions are not stored */
            if (p.pieces[i].kind == FE_CODE_FN)
                ck_assert(cg_locs_rebuild(&p.sess, p.c, p.hashes[i].item, back.func->locs, back.func->nlocs));
            ck_assert(code_func_equal(f, back.func, &p.sess.names, &p.sess.names));
        } else {
            ck_assert_int_eq(back.ndata, p.pieces[i].ndata);
            for (uint32_t k = 0; k < back.ndata; k++) {
                ck_assert_int_eq(back.data[k]->size, p.pieces[i].data[k]->size);
                ck_assert_int_eq(back.data[k]->name, p.pieces[i].data[k]->name);
                ck_assert(memcmp(back.data[k]->bytes, p.pieces[i].data[k]->bytes, back.data[k]->size) == 0);
            }
        }
    }
    /* pick's index is inside parentheses: its panic points at the `(` (line 6, col 5) */
    const CodeFunc *pick = p.pieces[fn_piece(&p, "4pick")].func;
    ck_assert_int_eq(pick->nlocs, 1);
    ck_assert_int_eq(pick->locs[0].line, 6);
    ck_assert_int_eq(pick->locs[0].col, 5);
    ck_assert_str_eq(sym_str(&p.sess.names, pick->locs[0].file), "src/main.rs");
    release(&p);
}
END_TEST

START_TEST(untrusted_entries_are_misses_with_a_reason)
{
    Pieces p;
    generate(&p, program);
    uint32_t div = fn_piece(&p, "3div");
    CgPiece back;
    ck_assert_str_eq(load(&p, div, key_of(&p, div, "b1"), "b1", &back), "not in the cache");
    store(&p, div, "b1");
    /* the same key read by another build, or as another kind */
    ck_assert_str_eq(load(&p, div, key_of(&p, div, "b1"), "b2", &back), "written by another compiler build");
    char *err = NULL;
    ck_assert(cg_cache_load(p.cache, key_of(&p, div, "b1"), "b1", FE_CODE_DEBUG, &back, &p.records, &p.sess.names,
                            &err) == false);
    ck_assert_str_eq(err, "damaged: another kind of piece");
    xfree(err);
    /* every truncation and a flipped byte anywhere */
    char *path = entry_file(&p, key_of(&p, div, "b1")), *bytes;
    size_t len;
    ck_assert(file_read(path, &bytes, &len, &err));
    for (size_t cut = 0; cut < len; cut++) {
        ck_assert(file_write_atomic(path, bytes, cut, false, &err));
        const char *why = load(&p, div, key_of(&p, div, "b1"), "b1", &back);
        ck_assert_msg(why && strncmp(why, "damaged: ", 9) == 0, "cut at %zu: %s", cut, why ? why : "loaded");
    }
    for (size_t at = 0; at < len; at += 3) {
        if (at >= 12 && at < 16)
            continue;  /* the record file's reserved word (common.h) */
        bytes[at] ^= 0x40;
        ck_assert(file_write_atomic(path, bytes, len, false, &err));
        ck_assert_msg(load(&p, div, key_of(&p, div, "b1"), "b1", &back) != NULL, "flip at %zu loaded", at);
        bytes[at] ^= 0x40;
    }
    /* a well-formed entry under another key's name */
    uint32_t pick = fn_piece(&p, "4pick");
    store(&p, pick, "b1");
    char *pick_path = entry_file(&p, key_of(&p, pick, "b1"));
    ck_assert(file_write_atomic(pick_path, bytes, len, false, &err));
    xfree(pick_path);
    ck_assert_str_eq(load(&p, pick, key_of(&p, pick, "b1"), "b1", &back), "damaged: the entry of another key");
    /* restored, it loads again */
    ck_assert(file_write_atomic(path, bytes, len, false, &err));
    ck_assert(load(&p, div, key_of(&p, div, "b1"), "b1", &back) == NULL);
    /* locations of another function's records do not fit a function with fewer nodes */
    CodeLoc far = {.node = 1000u << 1};
    ck_assert(!cg_locs_rebuild(&p.sess, p.c, p.hashes[pick].item, &far, 1));
    xfree(bytes);
    xfree(path);
    release(&p);
}
END_TEST

START_TEST(prune_keeps_the_live_keys_only)
{
    Pieces p;
    generate(&p, program);
    ck_assert_uint_ge(p.n, 4);
    for (uint32_t i = 0; i < p.n; i++)
        store(&p, i, "b1");
    Hash128 live[2] = {key_of(&p, 0, "b1"), key_of(&p, 2, "b1")};
    /* a temp file of a killed build, and something that is not an entry */
    char *live_path = entry_file(&p, live[0]), *err = NULL;
    char *tmp = xasprintf("%s.tmp.4242", live_path), *other = xasprintf("%s/README", p.cache);
    ck_assert(file_write_atomic(tmp, "x", 1, false, &err));
    ck_assert(file_write_atomic(other, "x", 1, false, &err));
    uint32_t kept, removed;
    ck_assert(cg_cache_prune(p.cache, live, 2, &kept, &removed, &err));
    ck_assert_uint_eq(kept, 2);
    ck_assert_uint_eq(removed, p.n - 2 + 1);
    ck_assert(access(tmp, F_OK) != 0);
    ck_assert(access(other, F_OK) == 0);
    CgPiece back;
    ck_assert(load(&p, 0, live[0], "b1", &back) == NULL);
    ck_assert(load(&p, 2, live[1], "b1", &back) == NULL);
    ck_assert_str_eq(load(&p, 1, key_of(&p, 1, "b1"), "b1", &back), "not in the cache");
    /* a missing directory is an empty cache */
    char *none = xasprintf("%s/none", p.dir);
    ck_assert(cg_cache_prune(none, live, 2, &kept, &removed, &err));
    ck_assert_uint_eq(kept + removed, 0);
    xfree(none);
    xfree(tmp);
    xfree(other);
    xfree(live_path);
    release(&p);
}
END_TEST

Suite *cgcache_suite(void)
{
    Suite *s = suite_create("cgcache");
    TCase *tc = tcase_create("cgcache");
    tcase_add_test(tc, entries_round_trip_and_locations_come_from_the_tree);
    tcase_add_test(tc, untrusted_entries_are_misses_with_a_reason);
    tcase_add_test(tc, prune_keeps_the_live_keys_only);
    suite_add_tcase(s, tc);
    return s;
}

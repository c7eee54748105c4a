/* tests/unit/test_cgcache.c — the code cache's pack (backend/cache.c) and piece-by-piece
 * generation (cg_gen_*, cg_locs_rebuild): pieces round-trip through a pack, an untrusted
 * pack (missing, another build, every truncation, a flipped byte, an index that does not
 * hold together) gives no piece and says why, a piece asked as another kind is a miss,
 * and locations are recomputed from the tree. tests/backend/cache.sh checks cg_build's
 * objects against clean builds over edits. */
#include "tests/unit/unit.h"

#include "backend/backend.h"
#include "frontend/frontend.h"

#include <stdlib.h>
#include <string.h>

/* A checked crate, its pieces generated one at a time, and a cache directory. */
typedef struct Pieces {
    FeSession sess;
    FeCrate *c;
    Arena records;
    const FeFnHash *hashes;
    uint32_t n;
    CgPiece *pieces;   /* per hash */
    char *dir;
    char *pack;        /* dir/cache/app.cgpack */
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
    p->pack = xasprintf("%s/cache/app.cgpack", p->dir);
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
    unit_rmtree(p->dir);
    xfree(p->pack);
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

/* Writes the pack of build_id holding pieces [0, n) (the first twice). */
static void store(const Pieces *p, uint32_t n, const char *build_id)
{
    CgPackWriter w;
    cg_pack_writer_init(&w, build_id);
    for (uint32_t i = 0; i < n; i++)
        cg_pack_add(&w, key_of(p, i, build_id), &p->pieces[i], &p->sess.names);
    if (n)
        cg_pack_add(&w, key_of(p, 0, build_id), &p->pieces[0], &p->sess.names);
    char *err = NULL;
    ck_assert_msg(cg_pack_write(&w, p->pack, &err), "%s", err ? err : "");
    cg_pack_writer_free(&w);
}

/* Loads piece i from the pack as build_id reads it; returns NULL when loaded, else the
 * reason (static copy). */
static const char *load(Pieces *p, uint32_t i, uint8_t kind, const char *build_id, CgPiece *out)
{
    static char reason[200];
    CgPack pk;
    cg_pack_read(&pk, p->pack, build_id);
    const char *why = cg_pack_load(&pk, key_of(p, i, build_id), kind, out, &p->records, &p->sess.names);
    snprintf(reason, sizeof reason, "%s", why ? why : "");
    cg_pack_free(&pk);
    return why ? reason : NULL;
}

START_TEST(pieces_round_trip_and_locations_come_from_the_tree)
{
    Pieces p;
    generate(&p, program);
    store(&p, p.n, "b1");
    CgPack pk;
    cg_pack_read(&pk, p.pack, "b1");
    ck_assert_msg(pk.why == NULL, "%s", pk.why);
    ck_assert_uint_eq(pk.n, p.n);  /* the key added twice is there once */
    cg_pack_free(&pk);
    for (uint32_t i = 0; i < p.n; i++) {
        CgPiece back;
        const char *why = load(&p, i, p.hashes[i].kind, "b1", &back);
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
    /* a pack keeps exactly what it was given: a piece left out is not there */
    store(&p, 1, "b1");
    CgPiece back;
    ck_assert(load(&p, 0, p.hashes[0].kind, "b1", &back) == NULL);
    ck_assert_str_eq(load(&p, 1, p.hashes[1].kind, "b1", &back), "not in the cache");
    release(&p);
}
END_TEST

/* Rewrites the pack with its payload changed by edit (a well-formed checksum). */
static void rewrite_payload(const Pieces *p, void (*edit)(uint8_t *payload, size_t len))
{
    char *payload = NULL, *why = NULL, *err = NULL;
    size_t len;
    ck_assert_msg(file_read_checked(p->pack, "RLCGPACK", 2, &payload, &len, &why), "%s", why ? why : "");
    edit((uint8_t *)payload, len);
    ck_assert(file_write_checked(p->pack, "RLCGPACK", 2, payload, len, &err));
    xfree(payload);
}

/* The index: n entries of 24 bytes before the payload's last 4. */
static uint8_t *index_of(uint8_t *payload, size_t len, uint32_t *n)
{
    *n = (uint32_t)payload[len - 4] | (uint32_t)payload[len - 3] << 8;
    return payload + len - 4 - (size_t)*n * 24;
}

static void swap_first_keys(uint8_t *payload, size_t len)
{
    uint32_t n;
    uint8_t *index = index_of(payload, len, &n), key[16];
    ck_assert_uint_ge(n, 2);
    memcpy(key, index, 16);
    memcpy(index, index + 24, 16);
    memcpy(index + 24, key, 16);
}

static void entry_past_the_index(uint8_t *payload, size_t len)
{
    uint32_t n;
    uint8_t *index = index_of(payload, len, &n);
    memset(index + 20, 0xff, 4);  /* the first entry's length */
}

static void entry_in_the_build_id(uint8_t *payload, size_t len)
{
    uint32_t n;
    uint8_t *index = index_of(payload, len, &n);
    memset(index + 16, 0, 4);  /* the first entry's offset */
}

static void kind_changed(uint8_t *payload, size_t len)
{
    uint32_t n;
    uint8_t *index = index_of(payload, len, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off = index[24 * i + 16] | index[24 * i + 17] << 8 | index[24 * i + 18] << 16;
        payload[off] = FE_CODE_DEBUG;  /* every entry says it is a Debug fmt */
    }
}

START_TEST(untrusted_packs_give_no_piece_and_say_why)
{
    Pieces p;
    generate(&p, program);
    uint32_t div = fn_piece(&p, "3div");
    CgPiece back;
    ck_assert_str_eq(load(&p, div, FE_CODE_FN, "b1", &back), "not in the cache");
    store(&p, p.n, "b1");
    ck_assert(load(&p, div, FE_CODE_FN, "b1", &back) == NULL);
    /* read by another build; a piece asked as another kind */
    ck_assert_str_eq(load(&p, div, FE_CODE_FN, "b2", &back), "written by another compiler build");
    ck_assert_str_eq(load(&p, div, FE_CODE_DEBUG, "b1", &back), "damaged: another kind of piece");
    /* every truncation and a flipped byte anywhere make the whole pack untrusted */
    char *bytes, *err = NULL;
    size_t len;
    ck_assert(file_read(p.pack, &bytes, &len, &err));
    for (size_t cut = 0; cut < len; cut++) {
        ck_assert(file_write_atomic(p.pack, bytes, cut, false, &err));
        CgPack pk;
        cg_pack_read(&pk, p.pack, "b1");
        ck_assert_msg(pk.why && strncmp(pk.why, "damaged: ", 9) == 0, "cut at %zu: %s", cut, pk.why ? pk.why : "read");
        ck_assert_uint_eq(pk.n, 0);
        ck_assert_str_eq(cg_pack_load(&pk, key_of(&p, div, "b1"), FE_CODE_FN, &back, &p.records, &p.sess.names),
                         pk.why);
        cg_pack_free(&pk);
    }
    for (size_t at = 0; at < len; at += 3) {
        if (at >= 12 && at < 16)
            continue;  /* the record file's reserved word (common.h) */
        bytes[at] ^= 0x40;
        ck_assert(file_write_atomic(p.pack, bytes, len, false, &err));
        ck_assert_msg(load(&p, div, FE_CODE_FN, "b1", &back) != NULL, "flip at %zu loaded", at);
        bytes[at] ^= 0x40;
    }
    /* a well-formed checksum over an index that does not hold together, or entries of
     * another kind */
    struct {
        void (*edit)(uint8_t *, size_t);
        const char *why;
    } bad[] = {
        {swap_first_keys, "damaged: the index is not sorted"},
        {entry_past_the_index, "damaged: an entry outside the pack"},
        {entry_in_the_build_id, "damaged: an entry outside the pack"},
        {kind_changed, "damaged: another kind of piece"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert(file_write_atomic(p.pack, bytes, len, false, &err));
        rewrite_payload(&p, bad[i].edit);
        ck_assert_str_eq(load(&p, div, FE_CODE_FN, "b1", &back), bad[i].why);
    }
    /* restored, it loads again */
    ck_assert(file_write_atomic(p.pack, bytes, len, false, &err));
    ck_assert(load(&p, div, FE_CODE_FN, "b1", &back) == NULL);
    /* locations of another function's records do not fit a function with fewer nodes */
    CodeLoc far = {.node = 1000u << 1};
    ck_assert(!cg_locs_rebuild(&p.sess, p.c, p.hashes[fn_piece(&p, "4pick")].item, &far, 1));
    xfree(bytes);
    release(&p);
}
END_TEST

Suite *cgcache_suite(void)
{
    Suite *s = suite_create("cgcache");
    TCase *tc = tcase_create("cgcache");
    tcase_add_test(tc, pieces_round_trip_and_locations_come_from_the_tree);
    tcase_add_test(tc, untrusted_packs_give_no_piece_and_say_why);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * backend/cache.c — the code cache: one pack file per crate holding its pieces
 * (backend.h) by key, content-addressed.
 *
 * A key is XXH3-128 over (format version, the compiler's build id, lib or bin, the
 * piece's kind, its fe_fn_hashes hash): equal keys mean the generator would produce the
 * same records, apart from locations' positions, which are never stored.
 *
 * The pack is at the path the caller gives (ws: target/ws/cache/<crate>.cgpack, one per
 * crate, lib and bin apart). It is read in one go and written whole: cg_build writes a
 * new pack holding exactly the pieces of its build, to a temp file beside it, renamed
 * over it (file_write_checked), and only when the set or content of the pieces changed.
 * It is a checksummed record file (common.h). All little-endian:
 *
 *   8 bytes    magic "RLCGPACK"
 *   u32        CACHE_VERSION (below); u32 reserved, 0
 *   u64        payload length
 *   16 bytes   XXH3-128 of the payload
 *   payload:
 *     u32 + n    the build id that wrote it
 *     entries    the entries' bytes, back to back, in no particular order; an entry is
 *                  u8    the piece's kind (FeCodeKind)
 *                  u32   record count, then the records in code.c's format: one
 *                        function record for FN, DEBUG, EQ and ENTRY; a data record per
 *                        data item for DATA
 *     index      N x { 16 bytes key (lo, hi), u32 offset from the payload's start,
 *                u32 length }, keys strictly increasing (hi, then lo), every entry
 *                between the build id and the index
 *     u32        N, the number of entries (the payload's last four bytes)
 *
 * The index comes last so that entries are encoded straight into the payload as the
 * pieces are generated, with no copy of the whole before writing.
 *
 * A function record's locations are stored with line 0, column 0 and as file the
 * record's own symbol (already in its string table): positions come from the current
 * tree (cg_locs_rebuild), never from the cache, and an entry's bytes depend on its key
 * alone, so the entry of a piece reused is copied into the next pack as it is.
 *
 * Reading trusts nothing. A missing pack is an empty one; a pack that fails its
 * checksum, is truncated, was written by another build or whose index does not hold
 * together is ignored as a whole (every piece is generated again, the reason in its
 * report); the whole-file checksum is what detects damage to one entry. An entry whose
 * records do not parse, or that is of another kind, is a miss with its reason.
 */
#include "backend/backend.h"
#include "frontend/frontend.h"

#include <stdlib.h>
#include <string.h>

#define CACHE_MAGIC "RLCGPACK"
#define CACHE_VERSION 2
#define INDEX_ENTRY 24  /* key, offset, length */

Hash128 cg_cache_key(Hash128 hash, uint8_t kind, bool is_bin, const char *build_id)
{
    Hasher h;
    hasher_init(&h);
    hasher_u32(&h, CACHE_VERSION);
    hasher_str(&h, build_id, strlen(build_id));
    hasher_u8(&h, is_bin);
    hasher_u8(&h, kind);
    hasher_hash(&h, hash);
    return hasher_final(&h);
}

static uint64_t le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static int key_cmp(Hash128 x, Hash128 y)
{
    if (x.hi != y.hi)
        return x.hi < y.hi ? -1 : 1;
    return x.lo < y.lo ? -1 : x.lo > y.lo;
}

static Hash128 index_key(const CgPack *pk, uint32_t i)
{
    const uint8_t *e = pk->index + (size_t)i * INDEX_ENTRY;
    return (Hash128){.lo = le(e, 8), .hi = le(e + 8, 8)};
}

/* ---------------------------------------------------------------- reading */

/* Why the payload is not a pack of build_id, or NULL when it is (pk's index set). */
static const char *parse_pack(CgPack *pk, const char *build_id)
{
    const uint8_t *buf = (const uint8_t *)pk->payload;
    size_t len = pk->len, id_len = strlen(build_id);
    if (len < 8 || le(buf, 4) > len - 8)
        return "damaged: truncated";
    if (le(buf, 4) != id_len || memcmp(buf + 4, build_id, id_len) != 0)
        return "written by another compiler build";
    size_t start = 4 + id_len;  /* of the entries */
    uint64_t n = le(buf + len - 4, 4);
    if (n > (len - 4 - start) / INDEX_ENTRY)
        return "damaged: truncated";
    size_t end = len - 4 - n * INDEX_ENTRY;  /* of the entries */
    pk->n = (uint32_t)n;
    pk->index = buf + end;
    for (uint32_t i = 0; i < pk->n; i++) {
        const uint8_t *e = pk->index + (size_t)i * INDEX_ENTRY;
        uint64_t off = le(e + 16, 4), size = le(e + 20, 4);
        if (off < start || off > end || size > end - off)
            return "damaged: an entry outside the pack";
        if (i > 0 && key_cmp(index_key(pk, i - 1), index_key(pk, i)) >= 0)
            return "damaged: the index is not sorted";
    }
    return NULL;
}

void cg_pack_read(CgPack *pk, const char *path, const char *build_id)
{
    memset(pk, 0, sizeof *pk);
    char *reason = NULL;
    if (!file_read_checked(path, CACHE_MAGIC, CACHE_VERSION, &pk->payload, &pk->len, &reason)) {
        pk->why = strcmp(reason, "missing") == 0 ? xstrdup("not in the cache") : xasprintf("damaged: %s", reason);
        xfree(reason);
        pk->payload = NULL;
        return;
    }
    const char *bad = parse_pack(pk, build_id);
    if (bad) {
        cg_pack_free(pk);
        pk->why = xstrdup(bad);
    }
}

void cg_pack_free(CgPack *pk)
{
    xfree(pk->payload);
    xfree(pk->why);
    memset(pk, 0, sizeof *pk);
}

uint32_t cg_pack_slot(const CgPack *pk, Hash128 key)
{
    uint32_t lo = 0, hi = pk->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(index_key(pk, mid), key);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return UINT32_MAX;
}

bool cg_pack_find(const CgPack *pk, Hash128 key, const uint8_t **bytes, size_t *len)
{
    uint32_t i = cg_pack_slot(pk, key);
    if (i == UINT32_MAX)
        return false;
    const uint8_t *e = pk->index + (size_t)i * INDEX_ENTRY;
    *bytes = (const uint8_t *)pk->payload + le(e + 16, 4);
    *len = le(e + 20, 4);
    return true;
}

/* Why an entry's bytes are not a piece of this kind, or NULL when they are (in *out). */
static const char *decode(const uint8_t *buf, size_t len, uint8_t kind, CgPiece *out, Arena *arena,
                          Interner *names)
{
    if (len < 5)
        return "damaged: truncated";
    if (buf[0] != kind)
        return "damaged: another kind of piece";
    uint64_t n = le(buf + 1, 4);
    size_t pos = 5;
    *out = (CgPiece){.kind = kind};
    if (kind != FE_CODE_DATA) {
        if (n != 1)
            return "damaged: not one function";
        out->func = arena_new(arena, CodeFunc, 1);
        if (!code_func_read(buf, len, &pos, out->func, arena, names))
            return "damaged: a malformed record";
        for (uint32_t i = 0; i < out->func->nlocs; i++)
            out->func->locs[i].file = 0;  /* the placeholder (see the top) */
    } else {
        if (n > (len - pos) / 16)
            return "damaged: truncated";
        out->ndata = (uint32_t)n;
        out->data = arena_new(arena, CodeData *, n);
        for (uint32_t i = 0; i < n; i++) {
            out->data[i] = arena_new(arena, CodeData, 1);
            if (!code_data_read(buf, len, &pos, out->data[i], arena, names))
                return "damaged: a malformed record";
        }
    }
    return pos == len ? NULL : "damaged: bytes after the records";
}

const char *cg_pack_load(const CgPack *pk, Hash128 key, uint8_t kind, CgPiece *out, Arena *arena,
                         Interner *names)
{
    if (pk->why)
        return pk->why;
    const uint8_t *bytes;
    size_t len;
    if (!cg_pack_find(pk, key, &bytes, &len))
        return "not in the cache";
    return decode(bytes, len, kind, out, arena, names);
}

/* ---------------------------------------------------------------- writing */

static void encode(StrBuf *out, const CgPiece *p, const Interner *names)
{
    sb_u8(out, p->kind);
    if (p->func) {
        sb_u32le(out, 1);
        CodeFunc f = *p->func;
        f.locs = f.nlocs ? xmalloc(sizeof(CodeLoc) * f.nlocs) : NULL;
        for (uint32_t i = 0; i < f.nlocs; i++)
            f.locs[i] = (CodeLoc){.file = f.name, .node = p->func->locs[i].node};
        code_func_write(out, &f, names);
        xfree(f.locs);
    } else {
        sb_u32le(out, p->ndata);
        for (uint32_t i = 0; i < p->ndata; i++)
            code_data_write(out, p->data[i], names);
    }
}

void cg_pack_writer_init(CgPackWriter *w, const char *build_id)
{
    memset(w, 0, sizeof *w);
    sb_u32le(&w->payload, (uint32_t)strlen(build_id));
    sb_puts(&w->payload, build_id);
}

void cg_pack_writer_free(CgPackWriter *w)
{
    sb_free(&w->payload);
    vec_free(&w->index);
    memset(w, 0, sizeof *w);
}

void cg_pack_add(CgPackWriter *w, Hash128 key, const CgPiece *p, const Interner *names)
{
    size_t at = w->payload.len;
    encode(&w->payload, p, names);
    vec_push(&w->index, ((CgPackIndex){key, at, w->payload.len - at}));
}

void cg_pack_add_bytes(CgPackWriter *w, Hash128 key, const uint8_t *bytes, size_t len)
{
    size_t at = w->payload.len;
    sb_append(&w->payload, bytes, len);
    vec_push(&w->index, ((CgPackIndex){key, at, len}));
}

static int index_cmp(const void *a, const void *b)
{
    return key_cmp(((const CgPackIndex *)a)->key, ((const CgPackIndex *)b)->key);
}

bool cg_pack_write(CgPackWriter *w, const char *path, char **err)
{
    /* the index, sorted, each key once (equal keys, equal bytes) */
    qsort(w->index.data, w->index.len, sizeof *w->index.data, index_cmp);
    uint32_t n = 0;
    for (uint32_t i = 0; i < w->index.len; i++)
        if (n == 0 || !hash128_eq(w->index.data[n - 1].key, w->index.data[i].key))
            w->index.data[n++] = w->index.data[i];
    w->index.len = n;
    if (w->payload.len + (size_t)n * INDEX_ENTRY + 4 > UINT32_MAX) {
        *err = xasprintf("could not write `%s`: the pack would exceed 4 GiB", path);
        return false;
    }
    size_t entries_end = w->payload.len;
    for (uint32_t i = 0; i < n; i++) {
        const CgPackIndex *e = &w->index.data[i];
        sb_u64le(&w->payload, e->key.lo);
        sb_u64le(&w->payload, e->key.hi);
        sb_u32le(&w->payload, (uint32_t)e->offset);
        sb_u32le(&w->payload, (uint32_t)e->len);
    }
    sb_u32le(&w->payload, n);
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    if (slash && slash != dir)
        *slash = 0;
    bool ok = (!slash || slash == dir || file_mkdirs(dir, err)) &&
              file_write_checked(path, CACHE_MAGIC, CACHE_VERSION, w->payload.data, w->payload.len, err);
    xfree(dir);
    w->payload.len = entries_end;  /* the writer can take more entries and write again */
    return ok;
}

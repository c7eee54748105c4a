/*
 * backend/cache.c — the code cache: pieces (backend.h) stored by key, content-addressed.
 *
 * A key is XXH3-128 over (format version, the compiler's build id, lib or bin, the
 * piece's kind, its fe_fn_hashes hash): equal keys mean the generator would produce the
 * same records, apart from locations' positions, which are never stored.
 *
 * On disk, under the directory the caller gives (ws: target/ws/cache/):
 *
 *   <dir>/<kk>/<30 hex digits>.cg     one entry; kk and the 30 digits are the key's 32
 *                                     lowercase hex digits (hash128_hex), split so that
 *                                     no directory holds more than 1/256 of the entries
 *
 * An entry is a checksummed record file (common.h, file_write_checked), written to a
 * temp file beside it (<name>.tmp.<pid>) and renamed. All little-endian:
 *
 *   8 bytes    magic "RLCGPIEC"
 *   u32        CACHE_VERSION (below); u32 reserved, 0
 *   u64        payload length
 *   16 bytes   XXH3-128 of the payload
 *   payload:
 *
 *     16 bytes   the key (lo, hi): an entry copied to another key's name is not trusted
 *     u32 + n    the build id that wrote it
 *     u8         the piece's kind (FeCodeKind)
 *     u32        record count, then the records in code.c's format: one function
 *                record for FN, DEBUG, EQ and ENTRY; a data record per data item for DATA
 *
 * A function record's locations are stored with line 0, column 0 and as file the
 * record's own symbol (already in its string table): positions come from the current
 * tree (cg_locs_rebuild), never from the cache, and an entry's bytes depend on its key
 * alone.
 *
 * Reading trusts nothing: a missing file is a miss, a file that fails its checksum, is
 * truncated, names another key, kind or build id, or whose records do not parse is a
 * damaged entry, which the caller treats as a miss and overwrites. Garbage: entries of
 * pieces that no longer exist stay until cg_cache_prune is given the live keys (every
 * crate's, since crates share the directory); a temp file left by a killed build is
 * pruned too.
 */
#include "backend/backend.h"
#include "frontend/frontend.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "RLCGPIEC"
#define CACHE_VERSION 1

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

/* <dir>/<kk>/<rest>.cg; with subdir, only <dir>/<kk>. */
static char *entry_path(const char *dir, Hash128 key, bool subdir)
{
    char hex[33];
    hash128_hex(key, hex);
    if (subdir)
        return xasprintf("%s/%.2s", dir, hex);
    return xasprintf("%s/%.2s/%s.cg", dir, hex, hex + 2);
}

/* ---------------------------------------------------------------- storing */

bool cg_cache_store(const char *dir, Hash128 key, const char *build_id, const CgPiece *p,
                    const Interner *names, char **err)
{
    StrBuf sb = {0};
    sb_u64le(&sb, key.lo);
    sb_u64le(&sb, key.hi);
    sb_u32le(&sb, (uint32_t)strlen(build_id));
    sb_puts(&sb, build_id);
    sb_u8(&sb, p->kind);
    if (p->func) {
        sb_u32le(&sb, 1);
        CodeFunc f = *p->func;
        f.locs = f.nlocs ? xmalloc(sizeof(CodeLoc) * f.nlocs) : NULL;
        for (uint32_t i = 0; i < f.nlocs; i++)
            f.locs[i] = (CodeLoc){.file = f.name, .node = p->func->locs[i].node};
        code_func_write(&sb, &f, names);
        xfree(f.locs);
    } else {
        sb_u32le(&sb, p->ndata);
        for (uint32_t i = 0; i < p->ndata; i++)
            code_data_write(&sb, p->data[i], names);
    }
    char *sub = entry_path(dir, key, true), *path = entry_path(dir, key, false);
    bool ok = (mkdir(sub, 0755) == 0 || errno == EEXIST || file_mkdirs(sub, err)) &&
              file_write_checked(path, CACHE_MAGIC, CACHE_VERSION, sb.data, sb.len, err);
    xfree(sub);
    xfree(path);
    sb_free(&sb);
    return ok;
}

/* ---------------------------------------------------------------- loading */

static uint64_t le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Why the payload is not the piece (kind) stored under key by build_id, or NULL when it
 * is; the records go into *out. */
static const char *parse(const uint8_t *buf, size_t len, Hash128 key, const char *build_id, uint8_t kind,
                         CgPiece *out, Arena *arena, Interner *names)
{
    size_t id_len = strlen(build_id), pos = 16 + 4;
    if (len < pos)
        return "damaged: truncated";
    if (le(buf, 8) != key.lo || le(buf + 8, 8) != key.hi)
        return "damaged: the entry of another key";
    if (le(buf + 16, 4) != id_len || len - pos < id_len || memcmp(buf + pos, build_id, id_len) != 0)
        return "written by another compiler build";
    pos += id_len;
    if (len - pos < 5)
        return "damaged: truncated";
    if (buf[pos] != kind)
        return "damaged: another kind of piece";
    uint64_t n = le(buf + pos + 1, 4);
    pos += 5;
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

bool cg_cache_load(const char *dir, Hash128 key, const char *build_id, uint8_t kind, CgPiece *out,
                   Arena *arena, Interner *names, char **why)
{
    char *path = entry_path(dir, key, false), *payload = NULL, *reason = NULL;
    size_t len;
    bool ok = file_read_checked(path, CACHE_MAGIC, CACHE_VERSION, &payload, &len, &reason);
    xfree(path);
    if (!ok) {
        *why = strcmp(reason, "missing") == 0 ? xstrdup("not in the cache")
                                              : xasprintf("damaged: %s", reason);
        xfree(reason);
        return false;
    }
    const char *bad = parse((const uint8_t *)payload, len, key, build_id, kind, out, arena, names);
    xfree(payload);
    if (bad) {
        *why = xstrdup(bad);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- pruning */

static int key_cmp(const void *a, const void *b)
{
    const Hash128 *x = a, *y = b;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* True when name is "<30 hex digits>.cg" and, with the directory's two digits, the key
 * of a live entry. */
static bool is_live(const char *sub, const char *name, const Hash128 *live, uint32_t nlive)
{
    char hex[40];
    if (strlen(sub) != 2 || strlen(name) != 33 || strcmp(name + 30, ".cg") != 0)
        return false;
    memcpy(hex, sub, 2);
    memcpy(hex + 2, name, 30);
    hex[32] = 0;
    Hash128 key;
    return hash128_parse(hex, &key) && bsearch(&key, live, nlive, sizeof key, key_cmp);
}

bool cg_cache_prune(const char *dir, const Hash128 *live, uint32_t nlive, uint32_t *kept,
                    uint32_t *removed, char **err)
{
    *kept = *removed = 0;
    DIR *top = opendir(dir);
    if (!top) {
        if (errno == ENOENT)
            return true;
        *err = xasprintf("could not read `%s`: %s", dir, strerror(errno));
        return false;
    }
    Hash128 *sorted = xmalloc(sizeof(Hash128) * (nlive + 1));
    memcpy(sorted, live, sizeof(Hash128) * nlive);
    qsort(sorted, nlive, sizeof(Hash128), key_cmp);
    bool ok = true;
    struct dirent *d;
    while (ok && (d = readdir(top))) {
        if (strlen(d->d_name) != 2 || !strchr("0123456789abcdef", d->d_name[0]) ||
            !strchr("0123456789abcdef", d->d_name[1]))
            continue;  /* not a directory of entries */
        char *sub = xasprintf("%s/%s", dir, d->d_name);
        DIR *in = opendir(sub);
        struct dirent *e;
        while (in && (e = readdir(in))) {
            if (e->d_name[0] == '.')
                continue;
            bool entry = strlen(e->d_name) >= 33 && memcmp(e->d_name + 30, ".cg", 3) == 0;
            if (!entry)
                continue;  /* something that is not ours */
            if (is_live(d->d_name, e->d_name, sorted, nlive)) {
                (*kept)++;
                continue;
            }
            char *path = xasprintf("%s/%s", sub, e->d_name);
            if (unlink(path) == 0)
                (*removed)++;
            else if (errno != ENOENT) {
                *err = xasprintf("could not remove `%s`: %s", path, strerror(errno));
                ok = false;
            }
            xfree(path);
            if (!ok)
                break;
        }
        if (in)
            closedir(in);
        rmdir(sub);  /* only when it is now empty */
        xfree(sub);
    }
    closedir(top);
    xfree(sorted);
    return ok;
}

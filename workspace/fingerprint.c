/*
 * workspace/fingerprint.c — per-crate fingerprints: what a crate's last compile read and
 * was given, and the decision whether it must be compiled again.
 *
 * A crate is compiled again when, and only when, one of these moved since its last
 * successful compile: the content of a file that compile read (root and module files,
 * as the frontend's source map lists them), the compiler's build id, the flags that
 * change a compile's output (never -j), the crate's spec (name, kind, paths, edition),
 * the interface hash of a direct dependency (interfaces are self-contained, so direct
 * ones suffice), or the outputs the command needs are not there (a ws check whose code
 * generation failed records no objects). Size and mtime are the fast path: when both equal the record, the file is
 * not read. When either moved, the file is read and hashed, and only a content change
 * counts: a `touch` recompiles nothing. A file whose mtime was within a second of the
 * compile ("racy", as git calls it) is always hashed, since an edit in the same clock
 * tick could keep size and mtime.
 *
 * The record also says what the compile wrote, so that a Fresh crate's outputs are
 * known to be its own: the hash of the interface payload (its .wsmeta) and every object
 * with its stat fields and content hash. Written files are checked by stat (inode,
 * size, mtime and ctime: an atomic rewrite makes a new inode, any write moves ctime)
 * and, when that moved, by content (ws_fp_file_check).
 *
 * File format (target/ws/fingerprint/<key>), a checksummed record (common.h) with
 * magic "wsfprint", version 2, whose payload is, little-endian, strings as u32 length
 * then bytes:
 *
 *   build_id  16 bytes     iface  16 bytes     meta  16 bytes     outputs u32
 *   flags     string       spec   string
 *   nsources  u32, then per source: display string, path string, size u64,
 *                                   mtime_ns u64, content 16 bytes, racy u8
 *   ndeps     u32, then per dep:    name string, key string, iface 16 bytes,
 *                                   nitems u32, then per item: path string, hash 16 bytes
 *   nobjects  u32, then per object: name string, size u64, mtime_ns u64, ctime_ns u64,
 *                                   ino u64, content 16 bytes
 *
 * A bin's link record (target/ws/link/<key>, read and written for link.c) is a
 * checksummed record with magic "wslink\0\0", version 1, whose payload is
 *
 *   build_id  16 bytes
 *   nobjects  u32, then per object: path string, content 16 bytes
 *   program   a written file as above: name string (empty), size, mtime_ns, ctime_ns,
 *             ino, content
 *
 * A file that is damaged, foreign or malformed is reported by ws_fp_load (or
 * ws_link_record_load) and the crate compiled (or linked) again: never trusted, never a
 * wrong output.
 */
#include "workspace/workspace.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define FP_MAGIC "wsfprint"
#define FP_VERSION 2
#define LINK_MAGIC "wslink\0"
#define LINK_VERSION 1
#define RACY_WINDOW_NS 1000000000LL

/* ---------------------------------------------------------------- recording */

static int64_t stat_mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* Stats path into src; false when it cannot be statted (removed). */
static bool stat_into(WsFpSource *src, int64_t now_ns)
{
    struct stat st;
    if (stat(src->path, &st) != 0)
        return false;
    src->size = (uint64_t)st.st_size;
    src->mtime_ns = stat_mtime_ns(&st);
    src->racy = src->mtime_ns >= now_ns - RACY_WINDOW_NS;
    return true;
}

WsFpSource ws_fp_source(Arena *arena, const char *display, const char *path, const char *text, size_t len,
                        int64_t compile_start_ns)
{
    WsFpSource s = {
        .display = arena_strdup(arena, display),
        .path = arena_strdup(arena, path),
        .content = hash128(text, len),
    };
    if (!stat_into(&s, compile_start_ns) || s.size != len)
        s.racy = true;  /* moved since the compile read it: the next build compares content */
    return s;
}

/* Reads and hashes a file; false when it cannot be read. */
static bool hash_file(const char *path, Hash128 *out)
{
    char *data, *err;
    size_t len;
    if (!file_read(path, &data, &len, &err)) {
        xfree(err);
        return false;
    }
    *out = hash128(data, len);
    xfree(data);
    return true;
}

static void stat_file(const struct stat *st, WsFpFile *f)
{
    f->size = (uint64_t)st->st_size;
    f->mtime_ns = stat_mtime_ns(st);
    f->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
    f->ino = (uint64_t)st->st_ino;
}

bool ws_fp_file_record(Arena *arena, const char *path, const char *name, WsFpFile *f, char **err)
{
    struct stat st;
    memset(f, 0, sizeof *f);
    f->name = arena_strdup(arena, name);
    char *data;
    size_t len;
    if (!file_read(path, &data, &len, err))
        return false;
    f->content = hash128(data, len);
    xfree(data);
    if (stat(path, &st) != 0) {
        *err = xasprintf("could not stat `%s`: %s", path, strerror(errno));
        return false;
    }
    stat_file(&st, f);
    return true;
}

bool ws_fp_file_stat(Arena *arena, const char *path, const char *name, WsFpFile *f, char **err)
{
    struct stat st;
    memset(f, 0, sizeof *f);
    f->name = arena_strdup(arena, name);
    if (stat(path, &st) != 0) {
        *err = xasprintf("could not stat `%s`: %s", path, strerror(errno));
        return false;
    }
    stat_file(&st, f);
    return true;
}

WsFileState ws_fp_file_check(const char *path, WsFpFile *f, bool *moved)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return WS_FILE_MISSING;
    WsFpFile is = *f;
    stat_file(&st, &is);
    if (is.size == f->size && is.mtime_ns == f->mtime_ns && is.ctime_ns == f->ctime_ns && is.ino == f->ino)
        return WS_FILE_SAME;
    if (hash128_is_zero(f->content))
        return WS_FILE_CHANGED;  /* recorded by ws_fp_file_stat: its identity is all there is */
    if (is.size != f->size || !hash_file(path, &is.content) || !hash128_eq(is.content, f->content))
        return WS_FILE_CHANGED;
    *f = is;
    *moved = true;
    return WS_FILE_SAME;
}

typedef struct ItemCollect {
    Arena *arena;
    Vec(WsFpItem) items;
} ItemCollect;

static void collect_item(void *ctx, const char *path, Hash128 hash)
{
    ItemCollect *c = ctx;
    vec_push(&c->items, ((WsFpItem){arena_strdup(c->arena, path), hash}));
}

bool ws_fp_dep_items(Arena *arena, WsFpDep *dep, WsItemsFn items)
{
    ItemCollect c = {.arena = arena};
    bool ok = dep->meta && items(dep->meta, dep->meta_len, collect_item, &c);
    dep->nitems = 0;
    dep->items = NULL;
    if (ok && c.items.len) {
        dep->items = arena_new(arena, WsFpItem, c.items.len);
        memcpy(dep->items, c.items.data, sizeof(WsFpItem) * c.items.len);
        dep->nitems = c.items.len;
    }
    vec_free(&c.items);
    return ok;
}

/* ---------------------------------------------------------------- the file */

static void put_hash(StrBuf *sb, Hash128 h)
{
    sb_u64le(sb, h.lo);
    sb_u64le(sb, h.hi);
}

static void put_str(StrBuf *sb, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    sb_u32le(sb, (uint32_t)n);
    sb_append(sb, s ? s : "", n);
}

static void put_file(StrBuf *sb, const WsFpFile *f)
{
    put_str(sb, f->name);
    sb_u64le(sb, f->size);
    sb_u64le(sb, (uint64_t)f->mtime_ns);
    sb_u64le(sb, (uint64_t)f->ctime_ns);
    sb_u64le(sb, f->ino);
    put_hash(sb, f->content);
}

bool ws_fp_save(const char *path, const WsFingerprint *fp, char **err)
{
    StrBuf sb = {0};
    put_hash(&sb, fp->build_id);
    put_hash(&sb, fp->iface);
    put_hash(&sb, fp->meta);
    sb_u32le(&sb, fp->outputs);
    put_str(&sb, fp->flags);
    put_str(&sb, fp->spec);
    sb_u32le(&sb, fp->nsources);
    for (uint32_t i = 0; i < fp->nsources; i++) {
        const WsFpSource *s = &fp->sources[i];
        put_str(&sb, s->display);
        put_str(&sb, s->path);
        sb_u64le(&sb, s->size);
        sb_u64le(&sb, (uint64_t)s->mtime_ns);
        put_hash(&sb, s->content);
        sb_u8(&sb, s->racy);
    }
    sb_u32le(&sb, fp->ndeps);
    for (uint32_t i = 0; i < fp->ndeps; i++) {
        const WsFpDep *d = &fp->deps[i];
        put_str(&sb, d->name);
        put_str(&sb, d->key);
        put_hash(&sb, d->iface);
        sb_u32le(&sb, d->nitems);
        for (uint32_t k = 0; k < d->nitems; k++) {
            put_str(&sb, d->items[k].path);
            put_hash(&sb, d->items[k].hash);
        }
    }
    sb_u32le(&sb, fp->nobjects);
    for (uint32_t i = 0; i < fp->nobjects; i++)
        put_file(&sb, &fp->objects[i]);
    bool ok = file_write_checked(path, FP_MAGIC, FP_VERSION, sb.data ? sb.data : "", sb.len, err);
    sb_free(&sb);
    return ok;
}

/* A bounds-checked reader over a payload: any read past the end sets `bad`. */
typedef struct Reader {
    const unsigned char *p, *end;
    Arena *arena;
    bool bad;
} Reader;

static bool take(Reader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return false;
    }
    return true;
}

static uint64_t get_u(Reader *r, int bytes)
{
    if (!take(r, (size_t)bytes))
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += bytes;
    return v;
}

static Hash128 get_hash(Reader *r)
{
    Hash128 h;
    h.lo = get_u(r, 8);
    h.hi = get_u(r, 8);
    return h;
}

static const char *get_str(Reader *r)
{
    uint32_t n = (uint32_t)get_u(r, 4);
    if (!take(r, n))
        return "";
    char *s = arena_strndup(r->arena, (const char *)r->p, n);
    r->p += n;
    return s;
}

/* A count of records each at least min_size bytes long; 0 (and bad) when the payload
 * cannot hold that many, so a damaged count never makes a huge allocation. */
static uint32_t get_count(Reader *r, size_t min_size)
{
    uint32_t n = (uint32_t)get_u(r, 4);
    if (!r->bad && (size_t)(r->end - r->p) / min_size < n) {
        r->bad = true;
        return 0;
    }
    return n;
}

enum { FILE_MIN_SIZE = 4 + 8 + 8 + 8 + 8 + 16 };

static void get_file(Reader *r, WsFpFile *f)
{
    f->name = get_str(r);
    f->size = get_u(r, 8);
    f->mtime_ns = (int64_t)get_u(r, 8);
    f->ctime_ns = (int64_t)get_u(r, 8);
    f->ino = get_u(r, 8);
    f->content = get_hash(r);
}

bool ws_fp_load(Arena *arena, const char *path, WsFingerprint *fp, char **why)
{
    char *payload;
    size_t len;
    memset(fp, 0, sizeof *fp);
    if (!file_read_checked(path, FP_MAGIC, FP_VERSION, &payload, &len, why))
        return false;
    Reader r = {(const unsigned char *)payload, (const unsigned char *)payload + len, arena, false};
    fp->build_id = get_hash(&r);
    fp->iface = get_hash(&r);
    fp->meta = get_hash(&r);
    fp->outputs = (uint32_t)get_u(&r, 4);
    fp->flags = get_str(&r);
    fp->spec = get_str(&r);
    fp->nsources = get_count(&r, 4 + 4 + 8 + 8 + 16 + 1);
    fp->sources = arena_new(arena, WsFpSource, fp->nsources + 1);
    for (uint32_t i = 0; i < fp->nsources && !r.bad; i++) {
        WsFpSource *s = &fp->sources[i];
        s->display = get_str(&r);
        s->path = get_str(&r);
        s->size = get_u(&r, 8);
        s->mtime_ns = (int64_t)get_u(&r, 8);
        s->content = get_hash(&r);
        s->racy = get_u(&r, 1) != 0;
    }
    fp->ndeps = get_count(&r, 4 + 4 + 16 + 4);
    fp->deps = arena_new(arena, WsFpDep, fp->ndeps + 1);
    for (uint32_t i = 0; i < fp->ndeps && !r.bad; i++) {
        WsFpDep *d = &fp->deps[i];
        d->name = get_str(&r);
        d->key = get_str(&r);
        d->iface = get_hash(&r);
        d->nitems = get_count(&r, 4 + 16);
        d->items = arena_new(arena, WsFpItem, d->nitems + 1);
        for (uint32_t k = 0; k < d->nitems && !r.bad; k++) {
            d->items[k].path = get_str(&r);
            d->items[k].hash = get_hash(&r);
        }
    }
    fp->nobjects = get_count(&r, FILE_MIN_SIZE);
    fp->objects = arena_new(arena, WsFpFile, fp->nobjects + 1);
    for (uint32_t i = 0; i < fp->nobjects && !r.bad; i++)
        get_file(&r, &fp->objects[i]);
    bool ok = !r.bad && r.p == r.end;
    xfree(payload);
    if (!ok) {
        memset(fp, 0, sizeof *fp);
        *why = xstrdup("malformed");
    }
    return ok;
}

/* ---------------------------------------------------------------- link records */

bool ws_link_record_save(const char *path, const WsLinkRecord *rec, char **err)
{
    StrBuf sb = {0};
    put_hash(&sb, rec->build_id);
    sb_u32le(&sb, rec->nobjects);
    for (uint32_t i = 0; i < rec->nobjects; i++) {
        put_str(&sb, rec->objects[i]);
        put_hash(&sb, rec->hashes[i]);
    }
    put_file(&sb, &rec->program);
    bool ok = file_write_checked(path, LINK_MAGIC, LINK_VERSION, sb.data, sb.len, err);
    sb_free(&sb);
    return ok;
}

bool ws_link_record_load(Arena *arena, const char *path, WsLinkRecord *rec, char **why)
{
    char *payload;
    size_t len;
    memset(rec, 0, sizeof *rec);
    if (!file_read_checked(path, LINK_MAGIC, LINK_VERSION, &payload, &len, why))
        return false;
    Reader r = {(const unsigned char *)payload, (const unsigned char *)payload + len, arena, false};
    rec->build_id = get_hash(&r);
    rec->nobjects = get_count(&r, 4 + 16);
    const char **objects = arena_new(arena, const char *, rec->nobjects + 1);
    Hash128 *hashes = arena_new(arena, Hash128, rec->nobjects + 1);
    for (uint32_t i = 0; i < rec->nobjects && !r.bad; i++) {
        objects[i] = get_str(&r);
        hashes[i] = get_hash(&r);
    }
    rec->objects = objects;
    rec->hashes = hashes;
    get_file(&r, &rec->program);
    bool ok = !r.bad && r.p == r.end;
    xfree(payload);
    if (!ok) {
        memset(rec, 0, sizeof *rec);
        *why = xstrdup("malformed");
    }
    return ok;
}

/* ---------------------------------------------------------------- the decision */

/* The value of `key` in "key=value" lines, as a length; NULL when absent. */
static const char *line_value(const char *lines, const char *key, size_t key_len, size_t *len)
{
    for (const char *p = lines; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n > key_len && memcmp(p, key, key_len) == 0 && p[key_len] == '=') {
            *len = n - key_len - 1;
            return p + key_len + 1;
        }
        p = nl ? nl + 1 : p + n;
    }
    return NULL;
}

/* Adds a reason per key whose value differs between two "key=value" texts. */
static void diff_lines(StrBuf *why, const char *what, const char *old, const char *now)
{
    for (int pass = 0; pass < 2; pass++) {
        const char *a = pass ? now : old, *b = pass ? old : now;
        for (const char *p = a; p && *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            const char *eq = memchr(p, '=', n);
            size_t key_len = eq ? (size_t)(eq - p) : n;
            size_t vlen_a = eq ? n - key_len - 1 : 0, vlen_b = 0;
            const char *vb = line_value(b, p, key_len, &vlen_b);
            if (!vb && pass == 0)
                sb_printf(why, "%s `%.*s` was removed (it was `%.*s`)\n", what, (int)key_len, p, (int)vlen_a,
                          eq + 1);
            else if (!vb)
                sb_printf(why, "%s `%.*s` was added (`%.*s`)\n", what, (int)key_len, p, (int)vlen_a, eq ? eq + 1 : "");
            else if (pass == 0 && (vlen_a != vlen_b || memcmp(eq + 1, vb, vlen_a) != 0))
                sb_printf(why, "%s `%.*s` changed from `%.*s` to `%.*s`\n", what, (int)key_len, p, (int)vlen_a,
                          eq + 1, (int)vlen_b, vb);
            p = nl ? nl + 1 : p + n;
        }
    }
}

/* Compares the files old's compile read with the disk; fills now->sources. */
static bool sources_fresh(Arena *arena, const WsFingerprint *old, WsFingerprint *now, int64_t now_ns,
                          WsFpVerdict *v)
{
    bool fresh = true;
    now->nsources = old->nsources;
    now->sources = arena_new(arena, WsFpSource, old->nsources + 1);
    uint32_t touched = 0;
    for (uint32_t i = 0; i < old->nsources; i++) {
        const WsFpSource *was = &old->sources[i];
        WsFpSource *is = &now->sources[i];
        *is = *was;
        if (!stat_into(is, now_ns)) {
            sb_printf(&v->why, "the file `%s` was removed\n", was->display);
            fresh = false;
            continue;
        }
        if (is->size == was->size && is->mtime_ns == was->mtime_ns && !was->racy && !is->racy)
            continue;
        Hash128 h;
        if (!hash_file(is->path, &h) || !hash128_eq(h, was->content)) {
            sb_printf(&v->why, "the file `%s` changed\n", was->display);
            fresh = false;
            continue;
        }
        if (is->mtime_ns != was->mtime_ns)
            touched++;
        if (is->size != was->size || is->mtime_ns != was->mtime_ns || is->racy != was->racy)
            v->restat = true;
    }
    if (fresh && touched)
        sb_printf(&v->why, "%u file%s touched, but %s content is unchanged\n", touched, touched == 1 ? "" : "s",
                  touched == 1 ? "its" : "their");
    return fresh;
}

typedef struct ItemDiff {
    const WsFpDep *old;
    StrBuf *why;
    uint8_t *seen;     /* per old item: found in the new interface */
    uint32_t shown, hidden;
} ItemDiff;

enum { MAX_ITEMS_SHOWN = 8 };

static void item_line(ItemDiff *d, const char *path, const char *what)
{
    if (d->shown++ < MAX_ITEMS_SHOWN)
        sb_printf(d->why, "  `%s` %s\n", path, what);
    else
        d->hidden++;
}

static void diff_item(void *ctx, const char *path, Hash128 hash)
{
    ItemDiff *d = ctx;
    for (uint32_t k = 0; k < d->old->nitems; k++)
        if (strcmp(d->old->items[k].path, path) == 0) {
            if (!d->seen[k] && !hash128_eq(d->old->items[k].hash, hash))
                item_line(d, path, "changed");
            d->seen[k] = 1;
            return;
        }
    item_line(d, path, "was added");
}

/* Names the interface items of a dependency that moved since old's compile. */
static void explain_dep(const WsFpDep *old, const WsFpDep *now, WsItemsFn items, StrBuf *why)
{
    sb_printf(why, "the interface of `%s` changed\n", now->name);
    if (!now->meta || !items || !old->nitems)
        return;
    ItemDiff d = {.old = old, .why = why, .seen = xcalloc(old->nitems, 1)};
    if (items(now->meta, now->meta_len, diff_item, &d)) {
        for (uint32_t k = 0; k < old->nitems; k++)
            if (!d.seen[k])
                item_line(&d, old->items[k].path, "was removed");
        if (d.hidden)
            sb_printf(why, "  and %u more item%s\n", d.hidden, d.hidden == 1 ? "" : "s");
    }
    xfree(d.seen);
}

static void deps_fresh(const WsFingerprint *old, const WsFingerprint *now, WsItemsFn items, WsFpVerdict *v)
{
    for (uint32_t i = 0; i < now->ndeps; i++) {
        const WsFpDep *is = &now->deps[i], *was = NULL;
        for (uint32_t k = 0; k < old->ndeps && !was; k++)
            if (strcmp(old->deps[k].key, is->key) == 0)
                was = &old->deps[k];
        if (!was) {
            sb_printf(&v->why, "the dependency `%s` was added\n", is->name);
            v->fresh = false;
        } else if (strcmp(was->name, is->name) != 0) {
            sb_printf(&v->why, "the dependency `%s` is now named `%s`\n", was->name, is->name);
            v->fresh = false;
        } else if (!hash128_eq(was->iface, is->iface)) {
            explain_dep(was, is, items, &v->why);
            v->fresh = false;
        }
    }
    for (uint32_t k = 0; k < old->ndeps; k++) {
        bool kept = false;
        for (uint32_t i = 0; i < now->ndeps && !kept; i++)
            kept = strcmp(old->deps[k].key, now->deps[i].key) == 0;
        if (!kept) {
            sb_printf(&v->why, "the dependency `%s` was removed\n", old->deps[k].name);
            v->fresh = false;
        }
    }
    if (old->ndeps == now->ndeps) {
        for (uint32_t i = 0; i < now->ndeps && v->fresh; i++)
            if (strcmp(old->deps[i].key, now->deps[i].key) != 0) {
                sb_puts(&v->why, "the dependencies were reordered\n");
                v->fresh = false;
            }
    }
}

void ws_fp_decide(Arena *arena, const WsFingerprint *old, WsFingerprint *now, uint32_t need, WsItemsFn items,
                  int64_t now_ns, WsFpVerdict *v)
{
    memset(v, 0, sizeof *v);
    v->fresh = true;
    if (!hash128_eq(old->build_id, now->build_id)) {
        sb_puts(&v->why, "the compiler changed (another build id)\n");
        v->fresh = false;
    }
    size_t before = v->why.len;
    diff_lines(&v->why, "the flag", old->flags, now->flags);
    diff_lines(&v->why, "the crate's", old->spec, now->spec);
    if (v->why.len != before)
        v->fresh = false;
    if ((old->outputs & need) != need) {
        sb_puts(&v->why, (need & ~old->outputs) & WS_OUT_OBJECTS
                             ? "its objects were not written (its last compile was a `ws check` whose code "
                               "generation failed)\n"
                             : "its interface was not written yet\n");
        v->fresh = false;
    }
    deps_fresh(old, now, items, v);
    if (!sources_fresh(arena, old, now, now_ns, v))
        v->fresh = false;
    if (!v->fresh)
        v->restat = false;
    now->outputs = old->outputs;
    now->iface = old->iface;
    now->meta = old->meta;
    now->nobjects = old->nobjects;
    now->objects = arena_new(arena, WsFpFile, old->nobjects + 1);
    if (old->nobjects)
        memcpy(now->objects, old->objects, sizeof(WsFpFile) * old->nobjects);
    for (uint32_t i = 0; v->fresh && i < now->ndeps; i++)
        for (uint32_t k = 0; k < old->ndeps; k++)
            if (strcmp(old->deps[k].key, now->deps[i].key) == 0) {
                now->deps[i].items = old->deps[k].items;
                now->deps[i].nitems = old->deps[k].nitems;
            }
}

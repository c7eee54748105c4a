/*
 * workspace/link.c — a bin crate's link, and the record that skips a link that would
 * write the program that is already there.
 *
 * A program is linked again when, and only when, the objects it links (their paths,
 * in order, and their content hashes as their crates' fingerprints record them), the
 * compiler's build id (which covers the runtime's embedded objects and the linker)
 * moved since the last link, or the program on disk is not the one that link wrote.
 * A body-only edit in a lib below changes that lib's objects, so every bin above it is
 * relinked though none of them is compiled.
 *
 * The link itself is one call (WsLinkFn: a full link with relink's library today; the
 * incremental linker will take its place). The program is written atomically by the
 * linker, then recorded: a killed link leaves the old program and the old record (which
 * then no longer matches the inputs, so the next build links).
 *
 * File format (target/ws/link/<crate key>), a checksummed record (common.h) with magic
 * "wslink\0\0", version 1, whose payload is, little-endian, strings as u32 length then
 * bytes:
 *
 *   build_id  16 bytes
 *   nobjects  u32, then per object: path string, content 16 bytes
 *   program   size u64, mtime_ns u64, ctime_ns u64, ino u64, content 16 bytes
 */
#include "workspace/workspace.h"

#include <string.h>

#define LINK_MAGIC "wslink\0"
#define LINK_VERSION 1

/* A loaded record: the inputs of the last link and the program it wrote. */
typedef struct LinkRecord {
    Hash128 build_id;
    const char **paths;
    Hash128 *hashes;
    uint32_t nobjects;
    WsFpFile program;
} LinkRecord;

static void put_u64(StrBuf *sb, uint64_t v) { sb_u64le(sb, v); }

static void put_hash(StrBuf *sb, Hash128 h)
{
    put_u64(sb, h.lo);
    put_u64(sb, h.hi);
}

static bool save_record(const WsLinkJob *job, const WsFpFile *program, char **err)
{
    StrBuf sb = {0};
    put_hash(&sb, ws_build_id());
    sb_u32le(&sb, job->nobjects);
    for (uint32_t i = 0; i < job->nobjects; i++) {
        size_t n = strlen(job->objects[i]);
        sb_u32le(&sb, (uint32_t)n);
        sb_append(&sb, job->objects[i], n);
        put_hash(&sb, job->hashes[i]);
    }
    put_u64(&sb, program->size);
    put_u64(&sb, (uint64_t)program->mtime_ns);
    put_u64(&sb, (uint64_t)program->ctime_ns);
    put_u64(&sb, program->ino);
    put_hash(&sb, program->content);
    bool ok = file_write_checked(job->record, LINK_MAGIC, LINK_VERSION, sb.data, sb.len, err);
    sb_free(&sb);
    return ok;
}

/* A bounds-checked cursor over a record's payload. */
typedef struct Cursor {
    const unsigned char *p, *end;
    bool bad;
} Cursor;

static uint64_t get_u(Cursor *c, size_t bytes)
{
    if (c->bad || (size_t)(c->end - c->p) < bytes) {
        c->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; i++)
        v |= (uint64_t)c->p[i] << (8 * i);
    c->p += bytes;
    return v;
}

static Hash128 get_hash(Cursor *c)
{
    Hash128 h;
    h.lo = get_u(c, 8);
    h.hi = get_u(c, 8);
    return h;
}

/* Loads the record into arena; false with *why (heap) when missing or untrustworthy. */
static bool load_record(Arena *a, const char *path, LinkRecord *r, char **why)
{
    char *payload;
    size_t len;
    memset(r, 0, sizeof *r);
    if (!file_read_checked(path, LINK_MAGIC, LINK_VERSION, &payload, &len, why))
        return false;
    Cursor c = {(const unsigned char *)payload, (const unsigned char *)payload + len, false};
    r->build_id = get_hash(&c);
    r->nobjects = (uint32_t)get_u(&c, 4);
    if (!c.bad && (size_t)(c.end - c.p) / (4 + 16) < r->nobjects)
        c.bad = true;
    uint32_t n = c.bad ? 0 : r->nobjects;
    r->paths = arena_new(a, const char *, n + 1);
    r->hashes = arena_new(a, Hash128, n + 1);
    for (uint32_t i = 0; i < n && !c.bad; i++) {
        uint32_t plen = (uint32_t)get_u(&c, 4);
        if ((size_t)(c.end - c.p) < plen) {
            c.bad = true;
            break;
        }
        r->paths[i] = arena_strndup(a, (const char *)c.p, plen);
        c.p += plen;
        r->hashes[i] = get_hash(&c);
    }
    r->program.size = get_u(&c, 8);
    r->program.mtime_ns = (int64_t)get_u(&c, 8);
    r->program.ctime_ns = (int64_t)get_u(&c, 8);
    r->program.ino = get_u(&c, 8);
    r->program.content = get_hash(&c);
    bool ok = !c.bad && c.p == c.end;
    xfree(payload);
    if (!ok)
        *why = xstrdup("malformed");
    return ok;
}

/* A path as the user sees it: relative to the workspace root when inside it. */
static const char *shown(const WsLinkJob *job, const char *path)
{
    size_t n = strlen(job->root);
    return strncmp(path, job->root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/* Appends to why the first difference between the record's inputs and the job's;
 * false when there is none. */
static bool inputs_moved(const WsLinkJob *job, const LinkRecord *r, StrBuf *why)
{
    if (!hash128_eq(r->build_id, ws_build_id())) {
        sb_puts(why, "the compiler changed (another build id)\n");
        return true;
    }
    uint32_t changed = 0;
    const char *first = NULL;
    for (uint32_t i = 0; i < job->nobjects; i++) {
        bool same = i < r->nobjects && strcmp(r->paths[i], job->objects[i]) == 0 &&
                    hash128_eq(r->hashes[i], job->hashes[i]);
        if (!same && !changed++)
            first = job->objects[i];
    }
    if (changed) {
        sb_printf(why, "the object `%s` changed", shown(job, first));
        if (changed > 1)
            sb_printf(why, " (and %u more)", changed - 1);
        sb_putc(why, '\n');
        return true;
    }
    if (r->nobjects != job->nobjects) {
        sb_puts(why, "it links fewer objects\n");
        return true;
    }
    return false;
}

bool ws_link_program(const WsLinkJob *job, WsLinkFn link, bool *linked, StrBuf *why, StrBuf *msg)
{
    Arena a;
    arena_init(&a);
    LinkRecord rec;
    char *fail = NULL;
    bool need = true;
    *linked = false;
    if (!load_record(&a, job->record, &rec, &fail)) {
        if (strcmp(fail, "missing") == 0) {
            sb_puts(why, "it was never linked\n");
        } else {
            sb_printf(msg, "warning: ignoring the damaged state file `%s` (%s); linking again\n",
                      shown(job, job->record), fail);
            sb_printf(why, "its link record could not be trusted (%s)\n", fail);
        }
        xfree(fail);
    } else if (!inputs_moved(job, &rec, why)) {
        bool moved = false;
        switch (ws_fp_file_check(job->output, &rec.program, &moved)) {
        case WS_FILE_SAME:
            need = false;
            break;
        case WS_FILE_MISSING:
            sb_printf(why, "the program `%s` is missing\n", shown(job, job->output));
            break;
        case WS_FILE_CHANGED:
            sb_printf(msg, "warning: the program `%s` is not the one ws linked; linking again\n",
                      shown(job, job->output));
            sb_printf(why, "the program `%s` was changed since it was linked\n", shown(job, job->output));
            break;
        }
        if (!need && moved && !save_record(job, &rec.program, &fail)) {
            sb_printf(msg, "warning: %s\n", fail);  /* the next build only re-reads the program */
            xfree(fail);
        }
    }
    bool ok = true;
    if (need) {
        *linked = true;
        ok = link(job->objects, job->nobjects, job->output, msg);
        WsFpFile program;
        if (ok && (!ws_fp_file_record(&a, job->output, "", &program, &fail) || !save_record(job, &program, &fail))) {
            sb_printf(msg, "error: %s\n", fail);
            xfree(fail);
            ok = false;
        }
    }
    arena_free(&a);
    return ok;
}

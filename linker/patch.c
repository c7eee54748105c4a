/*
 * linker/patch.c — an incremental update: what changed since the state was written,
 * where it goes, and every byte to write, in order:
 *
 *   1. inputs     the same options and the same archives, libraries and scripts
 *                 (unchanged by size, mtime and inode); objects kept, changed (size and
 *                 mtime, then contents hash), added or removed
 *   2. parse      the changed and added objects only, into a partial Ld whose output
 *                 sections, addresses and slots come from the state
 *   3. sections   each section of a changed object matched with its former self by name
 *                 and occurrence, and compared by hash (contents, and relocations by
 *                 what they name, so renumbered symbols do not count as a change)
 *   4. symbols    the global symbols those objects define or name, resolved again from
 *                 the state's counts of definitions and references
 *   5. live       with --gc-sections, which of their sections are reachable (a section
 *                 that was in the output stays: collecting needs the whole program)
 *   6. place      a changed section that fits its capacity stays where it is; a larger
 *                 one, and a new one, goes to free space of its output section
 *   7. contents   changed sections copied and relocated; every site elsewhere whose
 *                 target moved re-patched through the reverse index (a call stays a
 *                 direct call); GOT and .iplt slots, .symtab, .eh_frame, .eh_frame_hdr
 *   8. write      (patchio.c) the state marked DIRTY, the output written in place
 *                 (through a copy renamed over it when it is running), the build-id, the
 *                 state's records, and DIRTY cleared
 *
 * Steps 1-7 write nothing: whatever an update cannot do exactly ends in PATCH_FALLBACK
 * with its reason, and the caller links in full.
 */
#include "linker/patch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

bool patch_fallback(Patch *P, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    incr_first_reason(&P->why, fmt, ap);
    va_end(ap);
    return false;
}

bool patch_add_string(Patch *P, const char *s, size_t len, StStr *out)
{
    StRegion *rg = &P->h.regions[ST_R_STR];
    if (rg->used + len + 1 > rg->cap)
        return patch_fallback(P, "the incremental state has no room for more names");
    char *copy = patch_alloc(P, len + 1);
    memcpy(copy, s, len);
    vec_push(&P->strings, ((OutWrite){rg->used, len + 1, (const uint8_t *)copy}));
    *out = (StStr){(uint32_t)rg->used, (uint32_t)len};
    rg->used += len + 1;
    return true;
}

/* ---------------------------------------------------------------- 1. inputs */

/* The state's LOADED and INPUT records, read once. */
typedef struct OldInputs {
    uint32_t n;
    const StInput **in;
    bool *object;             /* the entry named an object */
    bool *seen;               /* ... that the new command line still has */
} OldInputs;

static bool is_object_bytes(const uint8_t *p, size_t n)
{
    return n >= 4 && memcmp(p, ELFMAG, 4) == 0;
}

/* Finds -lname as the full link does (lib<name>.a, or -l:file, in the -L paths). */
static char *find_library(const LdOptions *opt, const char *name)
{
    for (uint32_t i = 0; i < opt->nlib_paths; i++) {
        char *p = name[0] == ':' ? xasprintf("%s/%s", opt->lib_paths[i], name + 1)
                                 : xasprintf("%s/lib%s.a", opt->lib_paths[i], name);
        if (file_exists(p))
            return p;
        xfree(p);
    }
    return NULL;
}

/* Maps path; returns NULL when it cannot be read. */
static const uint8_t *map_input(Patch *P, const char *path, size_t *size, struct stat *sb)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, sb) < 0 || sb->st_size == 0) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    void *p = mmap(NULL, (size_t)sb->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return NULL;
    vec_push(&P->ld.maps, p);
    vec_push(&P->ld.map_sizes, (size_t)sb->st_size);
    *size = (size_t)sb->st_size;
    return p;
}

/* stat(path), relative to the directory of the input looked at before when it is the
 * same (inputs mostly share a few directories: each is walked once). */
static int stat_input(Patch *P, const char *path, struct stat *sb)
{
    const char *slash = strrchr(path, '/');
    if (!slash || !slash[1])
        return stat(path, sb);
    size_t n = (size_t)(slash - path);
    if (!P->dir || strlen(P->dir) != n || memcmp(P->dir, path, n) != 0) {
        if (P->dir_fd >= 0)
            close(P->dir_fd);
        xfree(P->dir);
        P->dir = xstrndup(path, n);
        P->dir_fd = open(n ? P->dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
    return P->dir_fd >= 0 ? fstatat(P->dir_fd, slash + 1, sb, 0) : stat(path, sb);
}

/* True when the file behind LOADED record l is as it was by its stat: size, inode and
 * mtime, and an mtime old enough when it was read to prove something (else the caller
 * compares hashes). */
static bool loaded_unchanged(Patch *P, const StLoaded *l, const char *path)
{
    struct stat sb;
    if (stat_input(P, path, &sb) < 0)
        return false;
    return (uint64_t)sb.st_size == l->size && (uint64_t)sb.st_ino == l->ino && (uint64_t)sb.st_dev == l->dev &&
           now_ns(sb.st_mtim) == l->mtime_ns && l->mtime_ns + ST_RACY_NS < P->h.inputs_time;
}

/* The same, by contents when the stat cannot tell. */
static bool loaded_same(Patch *P, const StLoaded *l, const char *path)
{
    if (loaded_unchanged(P, l, path))
        return true;
    size_t size;
    struct stat sb;
    const uint8_t *data = map_input(P, path, &size, &sb);
    return data && hash128_eq(hash128(data, size), l->hash);
}

/* Adds a touched object (changed when old is not NULL, else added). */
static TFile *touch(Patch *P, const char *name, const uint8_t *data, size_t size, const StFile *old, uint32_t old_id,
                    uint32_t input)
{
    Ld *ld = &P->ld;
    LdFile *f = arena_new(&ld->arena, LdFile, 1);
    f->name = name;
    f->data = data;
    f->size = size;
    f->index = ld->files.len;
    f->plan = LD_NONE;
    f->loaded = LD_NONE;
    vec_push(&ld->files, f);
    vec_push(&ld->order, f->index);
    TFile t = {.f = f, .old = old, .input = input};
    t.id = old ? old_id : P->next_file++;
    vec_push(&P->files, t);
    return &vec_last(&P->files);
}

/* The command line against the state's: markers, libraries and non-objects must be the
 * same; objects may be added, removed or changed. */
bool patch_diff_inputs(Patch *P)
{
    IncrState *st = P->st;
    struct timespec read_at;
    clock_gettime(CLOCK_REALTIME, &read_at);
    const LdOptions *opt = P->opt;
    if (!hash128_eq(incr_options_hash(opt), P->h.options))
        return patch_fallback(P, "the command line's options changed");
    OldInputs old = {(uint32_t)st_region(st, ST_R_INPUT)->used, NULL, NULL, NULL};
    old.in = patch_alloc(P, sizeof(StInput *) * old.n);
    old.object = patch_alloc(P, old.n);
    old.seen = patch_alloc(P, old.n);
    NameMap objects = {0};
    for (uint32_t i = 0; i < old.n; i++) {
        old.in[i] = st_rec(st, ST_R_INPUT, i);
        if (old.in[i]->kind != LD_INPUT_FILE || old.in[i]->loaded == ST_NONE)
            continue;
        const StLoaded *l = st_rec(st, ST_R_LOADED, old.in[i]->loaded);
        old.object[i] = l->kind == LOADED_OBJECT;
        uint32_t *slot = namemap_slot(&objects, st_str(st, old.in[i]->name), 0);
        if (old.object[i] && *slot != LD_NONE)
            return patch_fallback(P, "an object is named twice on the command line");
        if (old.object[i])
            *slot = i;
    }
    /* Object files of the state: FILE records by LOADED record. */
    uint64_t nfiles = st_region(st, ST_R_FILE)->used;
    uint32_t *file_of_loaded = patch_alloc(P, sizeof(uint32_t) * (st_region(st, ST_R_LOADED)->used + 1));
    for (uint64_t i = 0; i < st_region(st, ST_R_LOADED)->used; i++)
        file_of_loaded[i] = ST_NONE;
    for (uint32_t id = 0; id < nfiles; id++) {
        const StFile *r = st_file(P, id);
        if (!(r->flags & (FF_REMOVED | FF_MEMBER | FF_LINKER)) && r->loaded < st_region(st, ST_R_LOADED)->used)
            file_of_loaded[r->loaded] = id;
    }

    uint32_t j = 0;           /* next old non-object entry to match */
    int64_t last_kept = -1;   /* old position of the last object kept, for the order */
    uint64_t prev_order = 0;  /* link order of the last object kept */
    uint32_t after = 0;       /* objects added since */
    bool between = false;     /* an archive or library since */
    for (uint32_t i = 0; i < opt->ninputs; i++) {
        const LdInput *in = &opt->inputs[i];
        const char *name = in->name ? in->name : "";
        uint32_t at = in->kind == LD_INPUT_FILE ? *namemap_slot(&objects, name, 0) : LD_NONE;
        StInput rec = {{0, 0}, in->kind, ST_NONE};
        if (at != LD_NONE) {
            /* An object of the state: kept, maybe changed. */
            if (old.seen[at])
                return patch_fallback(P, "`%s` is named twice on the command line", name);
            old.seen[at] = true;
            if ((int64_t)at < last_kept)
                return patch_fallback(P, "the objects are in another order");
            last_kept = at;
            rec = *old.in[at];
            uint32_t fid = file_of_loaded[rec.loaded];
            if (fid == ST_NONE)
                return patch_fallback(P, "the state lost track of `%s`", name);
            prev_order = st_file(P, fid)->order;
            after = 0;
            between = false;
            const StLoaded *l = st_rec(st, ST_R_LOADED, rec.loaded);
            const StFile *fr = st_file(P, fid);
            if (!in->data && loaded_unchanged(P, l, name)) {
                vec_push(&P->inputs, rec);
                continue;
            }
            const uint8_t *data = in->data;
            size_t size = in->size;
            struct stat sb = {0};
            if (!data && !(data = map_input(P, name, &size, &sb)))
                return patch_fallback(P, "cannot read `%s`", name);
            Hash128 h = in->data && !hash128_is_zero(in->hash) ? in->hash : hash128(data, size);
            StLoaded nl = *l;
            if (!in->data) {
                nl.size = (uint64_t)sb.st_size;
                nl.dev = sb.st_dev;
                nl.ino = sb.st_ino;
                nl.mtime_ns = now_ns(sb.st_mtim);
            }
            nl.hash = h;
            if (hash128_eq(h, fr->hash)) {  /* touched, not changed: note its new stat */
                if (!in->data) {
                    vec_push(&P->loaded_ids, rec.loaded);
                    vec_push(&P->loaded_updates, nl);
                }
                vec_push(&P->inputs, rec);
                continue;
            }
            if (!is_object_bytes(data, size))
                return patch_fallback(P, "`%s` is no longer an object", name);
            TFile *t = touch(P, name, data, size, fr, fid, i);
            t->loaded = rec.loaded;
            t->stat = nl;
            vec_push(&P->inputs, rec);
            continue;
        }
        /* Markers, libraries and other files must match the old sequence, in order. */
        while (j < old.n && old.object[j])
            j++;
        const char *lib = NULL;
        if (in->kind == LD_INPUT_LIBRARY)
            lib = find_library(opt, name);
        bool same = j < old.n && old.in[j]->kind == (uint32_t)in->kind &&
                    strcmp(st_str(st, old.in[j]->name), name) == 0;
        if (in->kind == LD_INPUT_FILE && !same) {
            /* A file the state does not have: an added object, or the end. */
            const uint8_t *data = in->data;
            size_t size = in->size;
            struct stat sb = {0};
            if (!data && !(data = map_input(P, name, &size, &sb)))
                return patch_fallback(P, "cannot read `%s`", name);
            if (!is_object_bytes(data, size))
                return patch_fallback(P, "`%s` is a new archive or script on the command line", name);
            TFile *t = touch(P, name, data, size, NULL, ST_NONE, i);
            /* Its place in the link order: after the last object kept (when an archive
             * or library lies in between, orders of members are not comparable). */
            t->f->order = prev_order + ++after;
            P->order_uncertain |= between || last_kept < 0;
            t->loaded = P->next_loaded++;
            t->stat = (StLoaded){.kind = LOADED_OBJECT, .memory = in->data != NULL, .size = size,
                                 .dev = sb.st_dev, .ino = sb.st_ino, .mtime_ns = now_ns(sb.st_mtim),
                                 .hash = in->data && !hash128_is_zero(in->hash) ? in->hash : hash128(data, size)};
            rec.loaded = t->loaded;
            if (!patch_add_string(P, name, strlen(name), &rec.name))
                return false;
            vec_push(&P->inputs, rec);
            P->inputs_changed = true;
            xfree((char *)lib);
            continue;
        }
        if (!same) {
            xfree((char *)lib);
            return patch_fallback(P, "the command line's libraries or archives changed");
        }
        rec = *old.in[j];
        if (in->data && rec.loaded != ST_NONE) {
            const StLoaded *l = st_rec(st, ST_R_LOADED, rec.loaded);
            Hash128 h = !hash128_is_zero(in->hash) ? in->hash : hash128(in->data, in->size);
            if (!hash128_eq(h, l->hash)) {
                xfree((char *)lib);
                return patch_fallback(P, "`%s` changed", name);
            }
        }
        if (lib) {
            const StLoaded *l = rec.loaded != ST_NONE ? st_rec(st, ST_R_LOADED, rec.loaded) : NULL;
            bool moved = !l || strcmp(st_str(st, l->path), lib) != 0;
            xfree((char *)lib);
            if (moved)
                return patch_fallback(P, "-l%s finds another file", name);
        }
        vec_push(&P->inputs, rec);
        between |= in->kind == LD_INPUT_FILE || in->kind == LD_INPUT_LIBRARY;
        j++;
    }
    while (j < old.n && old.object[j])
        j++;
    if (j < old.n)
        return patch_fallback(P, "the command line's libraries or archives changed");
    for (uint32_t i = 0; i < old.n; i++) {
        if (!old.object[i] || old.seen[i])
            continue;
        vec_push(&P->removed, file_of_loaded[old.in[i]->loaded]);
        P->inputs_changed = true;
    }
    namemap_free(&objects);

    /* Every other file read (archives, scripts, thin members) must be as it was. The
     * files that were racy before get their stat recorded again now (so the next update
     * need not hash them). */
    for (uint64_t i = 0; i < st_region(st, ST_R_LOADED)->used; i++) {
        const StLoaded *l = st_rec(st, ST_R_LOADED, i);
        if (l->kind == LOADED_OBJECT || l->memory)
            continue;
        const char *path = st_str(st, l->path);
        if (!loaded_same(P, l, path))
            return patch_fallback(P, "`%s` changed", path);
    }
    P->h.inputs_time = now_ns(read_at);
    return true;
}

/* The bytes of an input the state names, for an object touched to revive a section. */
static const uint8_t *state_input_bytes(Patch *P, const StLoaded *l, size_t *size)
{
    const char *path = st_str(P->st, l->path);
    if (l->memory) {
        for (uint32_t i = 0; i < P->opt->ninputs; i++) {
            const LdInput *in = &P->opt->inputs[i];
            if (in->data && in->name && strcmp(in->name, path) == 0) {
                *size = in->size;
                return in->data;
            }
        }
        return NULL;
    }
    struct stat sb;
    return map_input(P, path, size, &sb);
}

/* Touches the unchanged objects of P->revived (their collected sections become live). */
bool patch_touch_revived(Patch *P)
{
    for (uint32_t i = 0; i < P->nrevived; i++) {
        uint32_t id = P->revived[i];
        bool have = false;
        for (uint32_t k = 0; k < P->files.len && !have; k++)
            have = P->files.data[k].old && P->files.data[k].id == id;
        if (have)
            continue;
        const StFile *r = st_file(P, id);
        if (r->flags & (FF_REMOVED | FF_LINKER))
            return patch_fallback(P, "a collected section of a removed object becomes live");
        const StLoaded *l = st_rec(P->st, ST_R_LOADED, r->loaded);
        size_t size;
        const uint8_t *data = state_input_bytes(P, l, &size);
        if (data && (r->flags & FF_MEMBER)) {
            if (l->kind != LOADED_ARCHIVE || !input_member_bytes(data, size, r->member_off, &data, &size))
                data = NULL;
        }
        if (!data)
            return patch_fallback(P, "cannot read `%s` again", st_str(P->st, r->name));
        TFile *t = touch(P, st_str(P->st, r->name), data, size, r, id, LD_NONE);
        t->revived = true;
        t->loaded = r->loaded;
        t->stat = *l;
        if (r->flags & FF_MEMBER) {
            t->f->member_of = st_str(P->st, l->path);
            t->f->member_off = r->member_off;
        }
    }
    return true;
}

/* ---------------------------------------------------------------- 2. parse */

/* The partial Ld: output sections and layout constants of the state. */
void patch_load_layout(Patch *P)
{
    Ld *ld = &P->ld;
    const StHeader *h = &P->h;
    P->nosecs = (uint32_t)st_region(P->st, ST_R_OSEC)->used;
    P->osecs = patch_alloc(P, sizeof(StOsec) * P->nosecs);
    P->repack = patch_alloc(P, P->nosecs);
    for (uint32_t o = 0; o < P->nosecs; o++)
        P->osecs[o] = *(const StOsec *)st_rec(P->st, ST_R_OSEC, o);
    incr_load_osecs(P->st, h, ld);
    ld->base = h->base;
    ld->tp = h->tp;
    ld->tls_start = h->tls_start;
    ld->tls_end = h->tls_end;
    ld->got_plt_addr = h->got_plt_addr;
    for (uint64_t i = 0; i < st_region(P->st, ST_R_FREE)->used; i++)
        vec_push(&P->free, *(const StFree *)st_rec(P->st, ST_R_FREE, i));
}

uint32_t patch_stack_flags(const LdFile *f)
{
    return (f->has_gnu_stack ? FF_GNU_STACK : 0) | (f->exec_stack ? FF_EXEC_STACK : 0);
}

/* The merged .comment from every object's, as output_size_comment makes it, must stay
 * what the output has (objects by a new compiler change it: a full link). */
static bool check_comment(Patch *P)
{
    IncrState *st = P->st;
    if (P->h.os_comment == ST_NONE)
        return true;
    typedef struct Piece {
        uint64_t order;
        const char *p;
        uint64_t n;
    } Piece;
    Vec(Piece) pieces = {0};
    uint64_t nfiles = st_region(st, ST_R_FILE)->used;
    for (uint32_t id = 1; id < nfiles; id++) {
        const StFile *r = st_file(P, id);
        if (r->flags & (FF_REMOVED | FF_LINKER))
            continue;
        bool gone = false;
        for (uint32_t i = 0; i < P->removed.len && !gone; i++)
            gone = P->removed.data[i] == id;
        for (uint32_t i = 0; i < P->files.len && !gone; i++)
            gone = P->files.data[i].old && P->files.data[i].id == id;
        if (!gone)
            vec_push(&pieces, ((Piece){r->order, st_str(st, r->comment), r->comment.len}));
    }
    for (uint32_t i = 0; i < P->files.len; i++) {
        const LdFile *f = P->files.data[i].f;
        vec_push(&pieces, ((Piece){f->order, (const char *)f->comment, f->comment_size}));
    }
    for (uint32_t i = 1; i < pieces.len; i++)  /* insertion sort by order: few pieces move */
        for (uint32_t k = i; k > 0 && pieces.data[k - 1].order > pieces.data[k].order; k--) {
            Piece t = pieces.data[k];
            pieces.data[k] = pieces.data[k - 1];
            pieces.data[k - 1] = t;
        }
    StrBuf sb = {0};
    for (uint32_t i = 0; i < pieces.len; i++) {
        const char *p = pieces.data[i].p, *end = p + pieces.data[i].n;
        while (p && p < end) {
            const char *e = memchr(p, 0, (size_t)(end - p));
            size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
            bool dup = !len;
            for (size_t at = 0; !dup && at < sb.len; at += strlen(sb.data + at) + 1)
                dup = strlen(sb.data + at) == len && memcmp(sb.data + at, p, len) == 0;
            if (!dup) {
                sb_append(&sb, p, len);
                sb_putc(&sb, 0);
            }
            p += len + 1;
        }
    }
    sb_puts(&sb, ld_version());
    sb_putc(&sb, 0);
    const StOsec *c = &P->osecs[P->h.os_comment];
    bool same = c->size == sb.len && c->offset + c->size <= P->out_size &&
                memcmp(P->out + c->offset, sb.data, sb.len) == 0;
    sb_free(&sb);
    vec_free(&pieces);
    return same || patch_fallback(P, "the merged .comment changes");
}

bool patch_parse(Patch *P)
{
    Ld *ld = &P->ld;
    const LdOptions *opt = P->opt;
    bool stack_free = opt->exec_stack || opt->no_exec_stack;
    bool comments = false;
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        LdFile *f = t->f;
        if (!input_parse_object(ld, f, &ld->arena))
            return patch_fallback(P, "%s", f->error);
        f->live = true;
        if (f->nggroups || (t->old && (t->old->flags & FF_GROUPS)))
            return patch_fallback(P, "`%s` has section groups (COMDAT)", f->name);
        if (f->has_warnings || (t->old && (t->old->flags & FF_WARNINGS)))
            return patch_fallback(P, "`%s` has .gnu.warning sections", f->name);
        uint32_t stack = patch_stack_flags(f);
        if (!stack_free && (t->old ? (t->old->flags & (FF_GNU_STACK | FF_EXEC_STACK)) != stack : stack != FF_GNU_STACK))
            return patch_fallback(P, "the executable-stack note of `%s` changed", f->name);
        if (t->old) {
            f->order = t->old->order;
            const char *c = st_str(P->st, t->old->comment);
            comments |= t->old->comment.len != f->comment_size ||
                        (f->comment_size && memcmp(c, f->comment, f->comment_size) != 0);
        } else {
            comments |= f->comment_size != 0;
        }
    }
    for (uint32_t i = 0; i < P->removed.len; i++) {
        const StFile *r = st_file(P, P->removed.data[i]);
        if (!stack_free && (r->flags & (FF_GNU_STACK | FF_EXEC_STACK)) != FF_GNU_STACK)
            return patch_fallback(P, "the executable-stack note of `%s` goes away", st_str(P->st, r->name));
        if (r->flags & (FF_GROUPS | FF_WARNINGS))
            return patch_fallback(P, "`%s` had section groups or .gnu.warning sections", st_str(P->st, r->name));
        comments |= r->comment.len != 0;
    }
    return !comments || check_comment(P);
}

/* ---------------------------------------------------------------- 3. sections */

static void add_dead(Patch *P, uint32_t id)
{
    vec_push(&P->dead_secs, id);
}

/* The old sections of object id, all gone from the output. */
static void drop_file_sections(Patch *P, uint32_t id)
{
    const StFile *r = st_file(P, id);
    uint32_t s = r->sec_head;
    for (uint32_t k = 0; k < r->nsecs && s != ST_NONE; k++) {
        add_dead(P, s);
        s = st_sec(P, s)->next;
    }
}

bool patch_diff_sections(Patch *P)
{
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        LdFile *f = t->f;
        uint32_t n = f->nsecs + 1;
        t->nh = patch_alloc(P, sizeof(uint64_t) * n);
        t->nth = patch_alloc(P, sizeof(uint32_t) * n);
        t->hash = patch_alloc(P, sizeof(Hash128) * n);
        t->sec_id = patch_alloc(P, sizeof(uint32_t) * n);
        t->status = patch_alloc(P, n);
        t->old_addr = patch_alloc(P, sizeof(uint64_t) * n);
        t->raw = patch_alloc(P, sizeof(Hash128) * n);
        t->symtab = incr_symtab_hash(f);
        t->fast = t->old && !P->slow && !t->revived && hash128_eq(t->symtab, t->old->symtab) &&
                  t->old->nfsym == f->nsym - f->first_global && t->old->nsecs == f->nsecs;
        for (uint32_t k = 0; k < f->nsecs; k++) {
            t->sec_id[k] = ST_NONE;
            t->old_addr[k] = LD_NONE64;
            t->raw[k] = incr_section_raw(&f->secs[k]);
        }
        if (t->fast) {
            /* The same section headers: its sections are the old ones, in order. */
            uint32_t id = t->old->sec_head;
            for (uint32_t k = 0; k < f->nsecs; k++) {
                const StSec *q = st_sec(P, id);
                t->sec_id[k] = id;
                t->nh[k] = q->name_hash;
                t->nth[k] = q->nth;
                t->hash[k] = hash128_eq(q->raw, t->raw[k]) ? q->hash : (Hash128){0, 0};
                id = q->next;
            }
            for (uint32_t k = 0; k < f->nsecs; k++)
                if (hash128_is_zero(t->hash[k]))
                    t->hash[k] = incr_section_hash(f, &f->secs[k], t->nh, t->nth);
            continue;
        }
        incr_file_keys(f, t->nh, t->nth);
        if (!t->old) {
            for (uint32_t k = 0; k < f->nsecs; k++)
                t->hash[k] = incr_section_hash(f, &f->secs[k], t->nh, t->nth);
            for (uint32_t k = 0; k < f->nsecs; k++)
                t->sec_id[k] = P->next_sec++;
            continue;
        }
        SecMap m;
        secmap_build(P->st, t->old, &m);
        for (uint32_t k = 0; k < f->nsecs; k++) {
            uint32_t id = secmap_take(&m, t->nh[k], t->nth[k]);
            t->sec_id[k] = id != ST_NONE ? id : P->next_sec++;
            /* Same symbols and same raw bytes: the same section (no need to hash it by
             * what its relocations name). */
            t->hash[k] = incr_section_hash(f, &f->secs[k], t->nh, t->nth);
        }
        for (uint32_t h = 0; h <= m.mask; h++)
            if (m.id[h] != ST_NONE && !m.taken[h])
                add_dead(P, m.id[h]);  /* gone from the object */
        secmap_free(&m);
    }
    for (uint32_t i = 0; i < P->removed.len; i++)
        drop_file_sections(P, P->removed.data[i]);
    return true;
}

/* ---------------------------------------------------------------- 4. symbols */

uint32_t *patch_sym_slot(Patch *P, uint32_t id)
{
    if ((P->sym_count + 1) * 2 > P->sym_mask) {
        uint32_t n = P->sym_keys ? (P->sym_mask + 1) * 2 : 256;
        uint32_t *keys = xcalloc(n, sizeof(uint32_t)), *vals = xcalloc(n, sizeof(uint32_t));
        for (uint32_t i = 0; P->sym_keys && i <= P->sym_mask; i++) {
            if (!P->sym_keys[i])
                continue;
            uint32_t h = (uint32_t)hash64(&P->sym_keys[i], 4) & (n - 1);
            while (keys[h])
                h = (h + 1) & (n - 1);
            keys[h] = P->sym_keys[i];
            vals[h] = P->sym_vals[i];
        }
        xfree(P->sym_keys);
        xfree(P->sym_vals);
        P->sym_keys = keys;
        P->sym_vals = vals;
        P->sym_mask = n - 1;
    }
    uint32_t key = id + 1, h = (uint32_t)hash64(&key, 4) & P->sym_mask;
    while (P->sym_keys[h] && P->sym_keys[h] != key)
        h = (h + 1) & P->sym_mask;
    if (!P->sym_keys[h]) {
        P->sym_keys[h] = key;
        P->sym_vals[h] = LD_NONE;
        P->sym_count++;
    }
    return &P->sym_vals[h];
}

/* The analysis of SYM id, made from its record on first use. */
ASym *patch_asym(Patch *P, uint32_t id)
{
    uint32_t *slot = patch_sym_slot(P, id);
    if (*slot == LD_NONE) {
        *slot = P->syms.len;
        ASym a = {.id = id, .mini = LD_NONE, .winner_role = 0xff, .def_file = LD_NONE};
        a.old = a.now = *st_sym(P, id);
        a.name = st_str(P->st, a.old.name);
        vec_push(&P->syms, a);
    }
    return &P->syms.data[*slot];
}

static void count_role(StSym *y, uint8_t role, bool member, int sign)
{
#define ADD(field) (y->field = (uint32_t)((int64_t)y->field + sign))
    if (role & FS_DEF) {
        ADD(ndefs);
        if (!(role & (FS_WEAK | FS_COMMON)))
            ADD(nstrong);
        if (!member)
            ADD(obj_defs);
    } else {
        ADD(nrefs);
        if (!(role & FS_WEAK)) {
            ADD(nsrefs);
            if (!member)
                ADD(obj_srefs);
        }
    }
#undef ADD
}

/* What of a role must not change under an update: COMMON sizes, visibilities. */
static uint64_t role_sig(uint32_t file, uint8_t role, uint8_t vis, uint64_t common)
{
    if (!(role & FS_COMMON) && vis == STV_DEFAULT)
        return 0;
    uint64_t v[3] = {file, (uint64_t)role << 8 | vis, common};
    return hash64(v, sizeof v);
}

bool patch_touched_file(const Patch *P, uint32_t id)
{
    for (uint32_t i = 0; i < P->files.len; i++)
        if (P->files.data[i].old && P->files.data[i].id == id)
            return true;
    for (uint32_t i = 0; i < P->removed.len; i++)
        if (P->removed.data[i] == id)
            return true;
    return false;
}

/* What the objects that change used to define and name. */
static void count_old(Patch *P, uint32_t file)
{
    const StFile *r = st_file(P, file);
    bool member = (r->flags & FF_MEMBER) != 0;
    for (uint32_t k = 0; k < r->nfsym; k++) {
        const StFsym *q = st_rec(P->st, ST_R_FSYM, (uint64_t)r->fsym + k);
        ASym *a = patch_asym(P, q->sym);
        count_role(&a->now, q->role, member, -1);
        a->sig_old ^= role_sig(file, q->role, q->visibility, q->common);
        a->common |= (q->role & FS_COMMON) != 0;
        if (a->old.file == file)
            a->winner_left = true;
    }
}

/* What the touched objects define and name now; gives their globals partial symbols. */
static void count_new(Patch *P, uint32_t ti)
{
    Ld *ld = &P->ld;
    TFile *t = &P->files.data[ti];
    LdFile *f = t->f;
    for (uint32_t i = f->first_global; i < f->nsym; i++) {
        const Elf64_Sym *es = &f->sym[i];
        const char *name = f->strtab + es->st_name;
        size_t len = strlen(name);
        uint32_t g = resolve_intern(ld, name, len);
        f->gsym[i - f->first_global] = g;
        while (P->mini_sym.len < ld->syms.len)
            vec_push(&P->mini_sym, LD_NONE);
        uint32_t ai = P->mini_sym.data[g];
        if (ai == LD_NONE) {
            /* Most names are where they were in the object's old list of symbols. */
            uint32_t id = ST_NONE, k = i - f->first_global;
            uint64_t hash = f->ghash[k];
            if (t->old && k < t->old->nfsym) {
                const StFsym *q = st_rec(P->st, ST_R_FSYM, (uint64_t)t->old->fsym + k);
                const StSym *y = st_sym(P, q->sym);
                if (y->hash == hash && y->name.len == len && memcmp(st_str(P->st, y->name), name, len) == 0)
                    id = q->sym;
            }
            if (id == ST_NONE)
                id = st_lookup(P->st, name, len, hash);
            if (id != ST_NONE) {
                ai = (uint32_t)(patch_asym(P, id) - P->syms.data);
            } else {
                ASym a = {.id = P->next_sym++, .fresh = true, .mini = g, .winner_role = 0xff, .def_file = LD_NONE,
                          .name = ld->syms.data[g].name};
                a.old.state = a.now.state = SYM_UNDEF;
                a.old.file = a.now.file = a.old.sec = a.now.sec = ST_NONE;
                a.old.got = a.now.got = a.old.gottp = a.now.gottp = ST_NONE;
                a.old.iplt = a.now.iplt = a.old.symtab = a.now.symtab = a.old.osec = a.now.osec = ST_NONE;
                a.old.visibility = a.now.visibility = STV_DEFAULT;
                vec_push(&P->syms, a);
                ai = P->syms.len - 1;
                *patch_sym_slot(P, a.id) = ai;
            }
            P->mini_sym.data[g] = ai;
        }
        ASym *a = &P->syms.data[ai];
        a->mini = g;
        uint64_t common;
        uint8_t role = incr_fsym_role(f, i, &common), vis = ELF64_ST_VISIBILITY(es->st_other);
        count_role(&a->now, role, f->member_of != NULL, +1);
        a->sig_new ^= role_sig(t->id, role, vis, common);
        a->common |= (role & FS_COMMON) != 0;
        a->touched_refs |= !(role & FS_DEF);
        if (a->fresh)
            a->now.visibility = a->old.visibility = vis && (!a->now.visibility || vis < a->now.visibility)
                                                        ? vis : a->now.visibility;
        if (t->old && t->id == a->old.file && (a->winner_role == 0xff || !(a->winner_role & FS_DEF))) {
            a->winner_role = role;
            a->winner_ti = ti;
            a->winner_esym = i;
        }
        if (!(role & FS_DEF))
            continue;
        bool strong = !(role & (FS_WEAK | FS_COMMON));
        a->touched_defs++;
        a->touched_strong += strong;
        bool best_strong = a->def_file != LD_NONE && !(a->def_role & (FS_WEAK | FS_COMMON));
        bool better = a->def_file == LD_NONE || (strong && !best_strong) ||
                      (strong == best_strong && f->order < P->files.data[a->def_file].f->order);
        if (better) {
            a->def_file = ti;
            a->def_esym = i;
            a->def_role = role;
        }
    }
}

/* The new winner is touched object a->def_file's definition. */
static void win_touched(Patch *P, ASym *a)
{
    const TFile *t = &P->files.data[a->def_file];
    const LdFile *f = t->f;
    const Elf64_Sym *es = &f->sym[a->def_esym];
    StSym *n = &a->now;
    uint32_t shndx = input_sym_shndx(f, es, a->def_esym);
    const InSec *sec = a->def_role & FS_ABS ? NULL : file_sec(f, shndx);
    n->state = SYM_DEFINED;
    n->file = t->id;
    n->sec = sec ? t->sec_id[sec - f->secs] : ST_NONE;
    n->value = es->st_value;
    n->size = es->st_size;
    n->type = ELF64_ST_TYPE(es->st_info);
    n->flags = (uint8_t)((n->flags & ~SYMF_WEAK) | (a->def_role & FS_WEAK ? SYMF_WEAK : 0));
}

/* Who defines a now: the rules of resolve.c, from the counts and the touched objects. */
static bool decide(Patch *P, ASym *a)
{
    const StSym *o = &a->old;
    StSym *n = &a->now;
    const char *name = a->name;
    bool hidden = o->visibility == STV_HIDDEN || o->visibility == STV_INTERNAL;
    /* Archive members are extracted for symbols objects refer to and do not define. */
    bool in_u_old = o->obj_srefs && !o->obj_defs, in_u_new = n->obj_srefs && !n->obj_defs;
    if (in_u_old != in_u_new && !a->fresh)
        return patch_fallback(P, "the archive members to extract may change (`%s`)", name);
    if (a->sig_old != a->sig_new)
        return patch_fallback(P, a->common ? "the COMMON symbol `%s` changes" : "the visibility of `%s` changes", name);
    bool in_common = o->state == SYM_DEFINED && o->sec != ST_NONE && st_sec(P, o->sec)->file == 0;
    if (a->common || in_common) {
        if (a->winner_left && hidden)
            return patch_fallback(P, "the hidden COMMON symbol `%s` is redefined", name);
        return true;  /* the same COMMON definitions as before: the block stays */
    }
    if (o->state == SYM_LINKER) {
        if (a->touched_defs)
            return patch_fallback(P, "`%s` is defined by the linker and now by an object", name);
        return true;
    }
    uint32_t other_defs = n->ndefs - a->touched_defs;
    uint32_t old_file = o->file;
    if (a->touched_strong > 1 || (a->touched_strong && other_defs && !a->winner_left && !(o->flags & SYMF_WEAK)))
        return patch_fallback(P, "duplicate symbol `%s`", name);
    if (!a->winner_left && o->state == SYM_DEFINED) {
        if ((o->flags & SYMF_WEAK) && a->touched_strong == 1) {
            win_touched(P, a);  /* a weak definition overridden by a strong one */
        } else if ((o->flags & SYMF_WEAK) && a->touched_defs) {
            const StFile *w = st_file(P, old_file);
            if (P->order_uncertain || P->files.data[a->def_file].f->order < w->order)
                return patch_fallback(P, "weak definitions of `%s` change order", name);
        }
    } else if (!a->winner_left) {
        /* Undefined before. */
        bool had_refs = !a->fresh && (o->nrefs || o->ndefs);
        if (had_refs && (a->touched_defs || a->touched_refs || o->symtab != ST_NONE))
            return patch_fallback(P, "the undefined weak symbol `%s` changes", name);
        if (a->touched_defs) {
            if (!a->touched_strong && P->order_uncertain)
                return patch_fallback(P, "weak definitions of `%s` change order", name);
            win_touched(P, a);
        } else if (n->nsrefs) {
            return patch_fallback(P, "undefined symbol `%s` (an archive member may define it)", name);
        } else if (n->nrefs) {
            return patch_fallback(P, "`%s` becomes an undefined weak symbol", name);
        }
    } else if (other_defs) {
        /* Its definer changed and others define it too: the same kind of definition by
         * the same object keeps the resolution; when it goes and one other object
         * defines it, that object is touched (so its definition is known) and the
         * update starts again. */
        bool was_weak = (o->flags & SYMF_WEAK) != 0;
        bool still = a->winner_role != 0xff && (a->winner_role & FS_DEF) &&
                     !(a->winner_role & FS_WEAK) == !was_weak && !(a->winner_role & FS_COMMON);
        if (!still && !a->touched_defs && other_defs == 1 && o->alt != ST_NONE && !patch_touched_file(P, o->alt)) {
            vec_push(&P->revive, o->alt);
            return false;
        }
        if (!still || (was_weak && a->touched_strong))
            return patch_fallback(P, "the definition of `%s` moves to another object", name);
        a->def_file = a->winner_ti;
        a->def_esym = a->winner_esym;
        a->def_role = a->winner_role;
        win_touched(P, a);
    } else if (a->touched_defs) {
        if (!a->touched_strong && a->touched_defs > 1 && P->order_uncertain)
            return patch_fallback(P, "weak definitions of `%s` change order", name);
        win_touched(P, a);
    } else if (n->nrefs) {
        return patch_fallback(P, n->nsrefs ? "undefined symbol `%s` (an archive member may define it)"
                                            : "`%s` becomes an undefined weak symbol",
                              name);
    } else {
        /* Nothing defines or names it any more. */
        n->state = SYM_UNDEF;
        n->file = n->sec = ST_NONE;
        n->flags = 0;
    }
    /* Who takes over when the winner goes: the old winner when it lost to a touched
     * object, else a touched object that lost, else the old one unless it changed. */
    if (n->ndefs < 2)
        n->alt = ST_NONE;
    else if (n->file != old_file && old_file != ST_NONE && !patch_touched_file(P, old_file))
        n->alt = old_file;
    else if (a->touched_defs > (n->file != ST_NONE && a->def_file != LD_NONE &&
                                P->files.data[a->def_file].id == n->file))
        n->alt = ST_NONE;  /* a touched object lost: which one is not tracked */
    else if (o->alt != ST_NONE && patch_touched_file(P, o->alt))
        n->alt = ST_NONE;
    if (hidden && n->file != old_file && old_file != ST_NONE && !patch_touched_file(P, old_file))
        return patch_fallback(P, "the hidden symbol `%s` changes hands", name);
    if ((o->type == STT_GNU_IFUNC || n->type == STT_GNU_IFUNC) && n->file != old_file && o->state == SYM_DEFINED)
        return patch_fallback(P, "the IFUNC `%s` changes hands", name);
    if ((o->type == STT_TLS) != (n->type == STT_TLS) && o->state == SYM_DEFINED && n->state == SYM_DEFINED)
        return patch_fallback(P, "`%s` changes between TLS and not", name);
    if (o->state == SYM_DEFINED && n->state == SYM_DEFINED && (o->sec == ST_NONE) != (n->sec == ST_NONE))
        return patch_fallback(P, "`%s` changes between absolute and not", name);
    return true;
}

/* The partial Ld's symbol for a: its definition when a touched object has it, else
 * the state's address (with no section: such a symbol never moves in this update). */
static void fill_mini(Patch *P, ASym *a)
{
    if (a->mini == LD_NONE)
        return;
    LdSym *s = &P->ld.syms.data[a->mini];
    const StSym *n = &a->now;
    s->state = n->state;
    s->type = n->type;
    s->visibility = n->visibility;
    s->flags = n->flags | (n->nsrefs ? SYMF_STRONG_REF : 0);
    s->size = n->size;
    s->addr = n->addr;
    s->got = n->got;
    s->gottp = n->gottp;
    s->iplt = n->iplt;
    s->lsym = n->lsym;
    s->osec = n->osec;
    s->file = LD_NONE;
    s->sec = NULL;
    s->value = n->state == SYM_DEFINED && n->sec == ST_NONE ? n->value : 0;
    bool touched_def = a->def_file != LD_NONE && n->file == P->files.data[a->def_file].id && !a->common;
    if (touched_def && n->state == SYM_DEFINED) {
        const TFile *t = &P->files.data[a->def_file];
        const Elf64_Sym *es = &t->f->sym[a->def_esym];
        s->file = t->f->index;
        s->esym = a->def_esym;
        s->sec = a->def_role & FS_ABS ? NULL : file_sec(t->f, input_sym_shndx(t->f, es, a->def_esym));
        s->value = es->st_value;
    }
}

bool patch_sec_changed(const Patch *P, const TFile *t, uint32_t k)
{
    if (t->sec_id[k] >= st_region(P->st, ST_R_SEC)->used)
        return true;
    const StSec *q = st_rec(P->st, ST_R_SEC, t->sec_id[k]);
    return !hash128_eq(q->raw, t->raw[k]);
}

/* A fast object: its symbols are those of its old version (FSYM, in order), and only
 * those its changed sections name get partial symbols. */
static void fill_fast(Patch *P, TFile *t)
{
    Ld *ld = &P->ld;
    LdFile *f = t->f;
    for (uint32_t i = f->first_global; i < f->nsym; i++)
        f->gsym[i - f->first_global] = LD_NONE;
    for (uint32_t k = 0; k < f->nsecs; k++) {
        const InSec *s = &f->secs[k];
        if (!patch_sec_changed(P, t, k))
            continue;
        for (uint32_t r = 0; r < s->nrela; r++) {
            uint32_t si = ELF64_R_SYM(s->rela[r].r_info);
            if (si < f->first_global || si >= f->nsym || f->gsym[si - f->first_global] != LD_NONE)
                continue;
            const StFsym *q = st_rec(P->st, ST_R_FSYM, (uint64_t)t->old->fsym + (si - f->first_global));
            ASym *a = patch_asym(P, q->sym);
            if (a->mini == LD_NONE) {
                a->mini = resolve_intern(ld, a->name, strlen(a->name));
                while (P->mini_sym.len < ld->syms.len)
                    vec_push(&P->mini_sym, LD_NONE);
                P->mini_sym.data[a->mini] = (uint32_t)(a - P->syms.data);
            }
            f->gsym[si - f->first_global] = a->mini;
        }
    }
}

bool patch_resolve(Patch *P)
{
    for (uint32_t i = 0; i < P->files.len; i++)
        if (P->files.data[i].old && !P->files.data[i].fast)
            count_old(P, P->files.data[i].id);
    for (uint32_t i = 0; i < P->removed.len; i++)
        count_old(P, P->removed.data[i]);
    for (uint32_t i = 0; i < P->files.len; i++)
        if (!P->files.data[i].fast)
            count_new(P, i);
    for (uint32_t i = 0; i < P->files.len; i++)
        if (P->files.data[i].fast)
            fill_fast(P, &P->files.data[i]);
    for (uint32_t i = 0; i < P->syms.len; i++)
        if (!decide(P, &P->syms.data[i]))
            return false;
    for (uint32_t i = 0; i < P->syms.len; i++)
        fill_mini(P, &P->syms.data[i]);
    return true;
}

/* ---------------------------------------------------------------- 5. live */

/* The touched object holding partial symbol g's definition, or NULL. */
static InSec *touched_def(Patch *P, uint32_t g)
{
    const LdSym *s = &P->ld.syms.data[g];
    return s->state == SYM_DEFINED && s->file != LD_NONE ? s->sec : NULL;
}

/* Does a live section of an untouched object refer to a? */
static bool referenced_outside(Patch *P, const ASym *a)
{
    if (a->fresh)
        return false;
    if (a->old.got != ST_NONE || a->old.gottp != ST_NONE || a->old.type == STT_TLS || (a->old.flags & SYMF_STRONG_REF && !a->old.nrefs))
        return true;  /* references without sites, or from the command line */
    for (uint32_t k = 0; k < a->old.nsites; k++) {
        const StSite *site = st_rec(P->st, ST_R_SITE, (uint64_t)a->old.sites + k);
        const StSec *src = st_sec(P, site->src);
        if ((src->flags & SF_LIVE) && (src->shflags & SHF_ALLOC) && src->gen == site->gen &&
            !patch_touched_file(P, src->file))
            return true;  /* (references from debug sections keep nothing, as in gc.c) */
    }
    return false;
}

typedef struct Marker {
    Patch *P;
    Vec(InSec *) work;
} Marker;

static void mark(Marker *m, InSec *s)
{
    if (s && !s->live) {
        s->live = true;
        vec_push(&m->work, s);
    }
}

/* Marks what relocation r of f refers to; false when it is a collected section of an
 * object the update does not touch. */
static bool mark_target(Marker *m, const LdFile *f, uint32_t si)
{
    Patch *P = m->P;
    if (si >= f->nsym)
        return true;
    if (si < f->first_global) {
        uint32_t shndx = input_sym_shndx(f, &f->sym[si], si);
        if (shndx != SHN_ABS && shndx != SHN_UNDEF && shndx != SHN_COMMON)
            mark(m, file_sec(f, shndx));
        return true;
    }
    uint32_t g = f->gsym[si - f->first_global];
    InSec *t = touched_def(P, g);
    if (t) {
        mark(m, t);
        return true;
    }
    const ASym *a = &P->syms.data[P->mini_sym.data[g]];
    if (a->now.state == SYM_DEFINED && a->now.sec != ST_NONE) {
        const StSec *q = st_sec(P, a->now.sec);
        if (!(q->flags & SF_LIVE)) {
            /* A collected section of an object the update did not touch: touch it. */
            for (uint32_t i = 0; i < P->revive.len; i++)
                if (P->revive.data[i] == q->file)
                    return true;
            vec_push(&P->revive, q->file);
        }
    }
    return true;
}

/* The function an FDE of a touched object names (NULL when not in a touched object). */
static const InSec *fde_function(void *ctx, const LdFile *f, uint32_t si)
{
    Marker *m = ctx;
    if (si >= f->nsym)
        return NULL;
    if (si >= f->first_global)
        return touched_def(m->P, f->gsym[si - f->first_global]);
    uint32_t shndx = input_sym_shndx(f, &f->sym[si], si);
    return shndx < f->nshdr ? file_sec(f, shndx) : NULL;
}

static bool keep_target(void *ctx, const LdFile *f, uint32_t si)
{
    return mark_target(ctx, f, si);
}

static bool start_stop_named(Patch *P, const char *name)
{
    char buf[300];
    if (strlen(name) + 9 > sizeof buf)
        return false;
    const char *prefix[2] = {"__start_", "__stop_"};
    for (int i = 0; i < 2; i++) {
        snprintf(buf, sizeof buf, "%s%s", prefix[i], name);
        size_t n = strlen(buf);
        if (st_lookup(P->st, buf, n, hash64(buf, n)) != ST_NONE || resolve_lookup(&P->ld, buf, n) != LD_NONE)
            return true;
    }
    return false;
}

/* Is name the entry, a -u name or a --defsym target? */
bool patch_named_by_options(const LdOptions *opt, const char *name)
{
    if (strcmp(name, opt->entry ? opt->entry : "_start") == 0)
        return true;
    for (uint32_t i = 0; i < opt->nundefined; i++)
        if (strcmp(name, opt->undefined[i]) == 0)
            return true;
    size_t n = strlen(name);
    for (uint32_t i = 0; i < opt->ndefsyms; i++) {
        const char *eq = strchr(opt->defsyms[i], '=');
        if (eq && strncmp(eq + 1, name, n) == 0 && (!eq[1 + n] || eq[1 + n] == '+' || eq[1 + n] == '-'))
            return true;
    }
    return false;
}

/* Without --gc-sections every section is live; with it, a section of a touched object
 * is live when it was live before, is a root, or is reachable from one. */
bool patch_mark_live(Patch *P)
{
    if (!P->opt->gc_sections)
        return true;
    Marker m = {P, {0}};
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        for (uint32_t k = 0; k < t->f->nsecs; k++)
            t->f->secs[k].live = false;
    }
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        LdFile *f = t->f;
        for (uint32_t k = 0; k < f->nsecs; k++) {
            InSec *s = &f->secs[k];
            const StSec *old = old_sec(P, t, k);
            bool was = old && (old->flags & SF_LIVE);
            if (s->kind == ISEC_EH_FRAME) {
                s->live = true;  /* its records are filtered */
                continue;
            }
            if (t->fast) {
                /* As it was; only what changed sections name is looked at. */
                s->live = was;
                if (was && patch_sec_changed(P, t, k))
                    vec_push(&m.work, s);
                continue;
            }
            if (was || !(s->flags & SHF_ALLOC) || gc_runtime_root(s) || start_stop_named(P, s->name))
                mark(&m, s);
        }
        for (uint32_t k = f->first_global; k < f->nsym && !t->fast; k++) {
            InSec *d = touched_def(P, f->gsym[k - f->first_global]);
            if (!d || d->live || d->file != f->index)
                continue;
            const ASym *a = &P->syms.data[P->mini_sym.data[f->gsym[k - f->first_global]]];
            if (patch_named_by_options(P->opt, a->name) || referenced_outside(P, a))
                mark(&m, d);
        }
    }
    bool again = true;
    while (again && !P->why) {
        while (m.work.len && !P->why) {
            InSec *s = vec_pop(&m.work);
            if (!(s->flags & SHF_ALLOC))
                continue;  /* debug sections keep nothing */
            const LdFile *f = P->ld.files.data[s->file];
            for (uint32_t r = 0; r < s->nrela; r++)
                if (!mark_target(&m, f, ELF64_R_SYM(s->rela[r].r_info)))
                    break;
        }
        uint32_t before = m.work.len;
        for (uint32_t i = 0; i < P->files.len && !P->why; i++) {
            LdFile *f = P->files.data[i].f;
            for (uint32_t k = 0; k < f->nsecs && !P->why; k++)
                if (f->secs[k].kind == ISEC_EH_FRAME && f->secs[k].nrela &&
                    (!P->files.data[i].fast || patch_sec_changed(P, &P->files.data[i], k)))
                    gc_eh_walk(f, &f->secs[k], fde_function, keep_target, &m);
        }
        again = m.work.len > before;
    }
    vec_free(&m.work);
    return !P->why && !P->revive.len;
}

/* ---------------------------------------------------------------- the update */

/* The output the state describes, mapped; false when it is not that output. */
static bool open_output(Patch *P)
{
    const char *out = P->opt->output ? P->opt->output : "a.out";
    int fd = open(out, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) < 0) {
        if (fd >= 0)
            close(fd);
        return patch_fallback(P, "the output `%s` is missing", out);
    }
    const StHeader *h = &P->h;
    if ((uint64_t)sb.st_dev != h->out_dev || (uint64_t)sb.st_ino != h->out_ino ||
        (uint64_t)sb.st_size != h->out_size || now_ns(sb.st_mtim) != h->out_mtime_ns || !sb.st_size) {
        close(fd);
        return patch_fallback(P, "the output was written by something else since the last link");
    }
    void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        close(fd);
        return patch_fallback(P, "cannot map the output: %s", strerror(errno));
    }
    P->out_fd = fd;
    P->out = p;
    P->out_size = (uint64_t)sb.st_size;
    return true;
}

static void replay_warnings(Patch *P)
{
    for (uint64_t i = 0; i < st_region(P->st, ST_R_WARN)->used; i++) {
        const StWarn *w = st_rec(P->st, ST_R_WARN, i);
        ld_report_add(P->rep, (LdLevel)w->level, "%s", st_str(P->st, w->text));
    }
}

static void patch_free(Patch *P)
{
    ld_free(&P->ld);
    ld_report_free(&P->scratch);
    if (P->out)
        munmap((void *)P->out, P->out_size);
    if (P->out_fd >= 0)
        close(P->out_fd);
    if (P->dir_fd >= 0)
        close(P->dir_fd);
    xfree(P->dir);
    vec_free(&P->files);
    vec_free(&P->removed);
    vec_free(&P->dead_secs);
    vec_free(&P->inputs);
    vec_free(&P->loaded_updates);
    vec_free(&P->loaded_ids);
    vec_free(&P->syms);
    xfree(P->sym_keys);
    xfree(P->sym_vals);
    vec_free(&P->mini_sym);
    vec_free(&P->free);
    vec_free(&P->sites);
    vec_free(&P->writes);
    vec_free(&P->zeros);
    vec_free(&P->lists);
    vec_free(&P->strings);
    vec_free(&P->packed);
    for (uint32_t i = 0; i < P->pack_lists.len; i++)
        vec_free(&P->pack_lists.data[i].ids);
    vec_free(&P->pack_lists);
    xfree(P->why);
    xfree(P);
}

static PatchResult attempt(const LdOptions *opts, LdReport *rep, IncrState *st, uint32_t *write_points, char **why,
                           IdVec *revive, bool slow, bool *retry_slow);

PatchResult patch_run(const LdOptions *opts, LdReport *rep, IncrState *st, uint32_t *write_points, char **why)
{
    /* An attempt that finds collected sections to revive starts again with their objects. */
    IdVec revive = {0};
    PatchResult res = PATCH_FALLBACK;
    bool slow = false;
    for (int round = 0; round < 8; round++) {
        uint32_t before = revive.len;
        bool retry_slow = false;
        res = attempt(opts, rep, st, write_points, why, &revive, slow, &retry_slow);
        if (res != PATCH_FALLBACK || *why || (revive.len == before && !retry_slow))
            break;
        slow |= retry_slow;
    }
    if (res == PATCH_FALLBACK && !*why)
        *why = xstrdup("collected sections become live in too many objects");
    vec_free(&revive);
    return res;
}

static PatchResult attempt(const LdOptions *opts, LdReport *rep, IncrState *st, uint32_t *write_points, char **why,
                           IdVec *revive, bool slow, bool *retry_slow)
{
    volatile uint64_t t = clock_ns();
    Patch *P = xcalloc(1, sizeof *P);
    P->revived = revive->data;
    P->nrevived = revive->len;
    P->slow = slow;
    P->opt = opts;
    P->local_opt = *opts;
    P->local_opt.threads = 1;
    P->rep = rep;
    P->st = st;
    P->h = *st->hdr;
    P->out_fd = -1;
    P->dir_fd = -1;
    ld_init(&P->ld, &P->local_opt, &P->scratch);
    P->next_sym = (uint32_t)st_region(st, ST_R_SYM)->used;
    P->next_sec = (uint32_t)st_region(st, ST_R_SEC)->used;
    P->next_file = (uint32_t)st_region(st, ST_R_FILE)->used;
    P->next_loaded = (uint32_t)st_region(st, ST_R_LOADED)->used;
    PatchResult res = PATCH_FALLBACK;
    jmp_buf fail;
    st->fail = &fail;
    if (setjmp(fail)) {
        patch_fallback(P, "the incremental state is %s", st->why);
        goto out;
    }
    volatile LdPhase phase = LD_PHASE_DIFF;
    if (opts->trace || opts->print_gc_sections) {
        patch_fallback(P, "%s lists what every link does", opts->trace ? "-t" : "--print-gc-sections");
        goto out;
    }
    if (!open_output(P) || !patch_diff_inputs(P) || !patch_touch_revived(P))
        goto out;
    patch_load_layout(P);
    if (P->files.len || P->removed.len) {
        if (!patch_parse(P) || !patch_diff_sections(P) || !patch_resolve(P) || !patch_mark_live(P))
            goto out;
        rep->phase_ns[phase] += clock_ns() - t;
        t = clock_ns();
        phase = LD_PHASE_PATCH;
        if (!patch_scan(P) || !patch_place(P))
            goto out;
        patch_build_status(P);
        if (!patch_new_addresses(P) || !patch_write_sections(P) || !patch_repatch(P))
            goto out;
        patch_write_slots(P);
        if (!patch_update_symtab(P) || !patch_update_eh_hdr(P))
            goto out;
        patch_update_headers(P);
    }
    if (!patch_plan_state(P))
        goto out;
    rep->phase_ns[phase] += clock_ns() - t;
    t = clock_ns();
    phase = LD_PHASE_WRITE;
    if (P->writes.len || P->zeros.len || P->loaded_ids.len || P->files.len || P->removed.len) {
        if (!patch_commit(P, write_points))
            goto out;
    }
    res = PATCH_DONE;
    rep->sections_patched = P->sections_written;
    rep->sites_patched = P->sites_patched;
    rep->objects = P->files.len;
    rep->output_size = P->out_size;
    replay_warnings(P);
out:
    st->fail = NULL;
    rep->phase_ns[phase] += clock_ns() - t;
    if (res != PATCH_DONE && !P->why && (P->revive.len || P->retry_slow)) {
        for (uint32_t i = 0; i < P->revive.len; i++)
            vec_push(revive, P->revive.data[i]);
        *retry_slow = P->retry_slow;
    } else if (res != PATCH_DONE) {
        *why = P->why ? P->why : xstrdup("an update could not be done");
        P->why = NULL;
    }
    vec_free(&P->revive);
    patch_free(P);
    return res;
}

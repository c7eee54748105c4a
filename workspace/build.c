/*
 * workspace/build.c — the one crate pipeline of `ws check` and `ws build`, and --explain.
 *
 * The job of one crate reads as a list:
 *
 *   1. fingerprint   load the last compile's record and compare it with the present
 *                    (fingerprint.c); the outputs it recorded must still be on disk as
 *                    it wrote them: a lib's interface file (meta.c, whose payload hash
 *                    the record holds) and, for ws build, its objects
 *   2. fresh         nothing moved: hand the stored interface and objects on, done
 *   3. frontend      parse, resolve and type-check, given the direct dependencies'
 *                    interfaces (as their .wsmeta files hold them, never their sources)
 *   4. interface     a lib's interface payload and hash (fe_interface_write)
 *   5. objects       ws build: code generation, one object per module (toolchain.c);
 *                    objects of modules that are gone are removed
 *   6. record        the lib writes <package>.wsmeta; then the fingerprint is saved:
 *                    the files the frontend read, the flags, the dependencies'
 *                    interface hashes and items, and what was written with its hashes
 *   7. link          ws build, a bin: its program is linked from its objects and those
 *                    of every lib it needs (link.c), unless they and the program are
 *                    the last link's
 *
 * An unchanged interface hash keeps every dependent fresh, since their fingerprints
 * hold that hash. `ws check` writes exactly what `ws build` reads back (the
 * fingerprint's outputs say what exists), so a build after a check reuses the
 * interfaces and decides from the same fingerprints.
 *
 * A compile deletes the crate's fingerprint before it writes its first output, and saves
 * the new one after the last: a build killed in between leaves no fingerprint, so the
 * crate is compiled again, never trusted with half its outputs. A damaged, foreign or
 * missing output that a fingerprint claims is named in a warning and rebuilt.
 *
 * Lines (stderr), cargo's layout: "   Compiling name v0.1.0 (dir)" ("    Checking" for
 * ws check) for a compiled crate, with " (interface unchanged)" when a lib's interface
 * hash is the last one; "       Fresh name v0.1.0 (dir)" for one that was not; a bin of
 * a package that also has a lib adds ` (bin "name")`, and a package of several bins
 * and no lib says each status once (as cargo names packages, not crates). With
 * --explain each line is followed by its reasons ("        why: the file
 * `src/lib.rs` changed"). A bin whose program was linked then says
 * "     Linking app (patched 3 sections, 12 sites)" or "(full link: <reason>)", and with
 * --explain why it was linked. A build with nothing to link says nothing of linking.
 *
 * Threads: jobs run concurrently; everything a job reads of the workspace is prepared
 * before the run (the workspace's arena is not touched), and each job writes only its
 * own slot, which its dependents read after it finished (the scheduler orders them).
 */
#include "workspace/workspace.h"

#include <dirent.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FLAGS_TEXT "profile=dev\n"

/* What a finished crate hands its dependents. */
typedef struct Slot {
    Hash128 iface;          /* its interface hash (a lib) */
    char *meta_owned;       /* heap block holding the interface payload */
    const void *meta;       /* the interface payload, inside meta_owned */
    size_t meta_len;
    char **objects;         /* ws build: its objects' paths (heap), in link order */
    Hash128 *hashes;        /* their content hashes (heap) */
    uint32_t nobjects;
    StrBuf fn_explain;      /* --explain: what became of its functions (WsCodegen.explain) */
} Slot;

/* Everything about one crate that its job needs, prepared before the run. */
typedef struct Prep {
    const char *key;        /* ws_crate_key */
    const char *fp_path;    /* target/ws/fingerprint/<key> */
    const char *meta_path;  /* target/ws/meta/<package>.wsmeta (libs) */
    const char *obj_dir;    /* target/ws/obj/<obj name> */
    const char *cache_dir;  /* target/ws/cache */
    const char *cache_path; /* target/ws/cache/<key>.cgpack: its code cache */
    const char *program;    /* target/ws/debug/<bin> (bins) */
    const char *link_path;  /* target/ws/link/<key> (bins) */
    const char *spec_text;  /* WsFingerprint.spec */
    const char *label;      /* "name v0.1.0 (dir)" [+ ` (bin "x")`] */
    const char *display;    /* the root file as diagnostics name it */
    const char **dep_names; /* per graph dependency: the name code uses */
    bool say_once;          /* a package of bins only: each status line once */
} Prep;

typedef struct Run {
    const WsWorkspace *ws;
    const WsGraph *graph;
    const WsRunOptions *o;
    const WsToolchain *tc;
    Prep *prep;
    Slot *slots;
    WsCrateResult *results;
    unsigned *said;         /* per package: the statuses already said (say_once) */
    pthread_mutex_t say_lock; /* guards said, held from a claim to its message's print */
    const char *verb;       /* "Compiling" or "Checking" */
    uint32_t need;          /* WS_OUT_* bits the command needs of a lib (a bin: less
                               WS_OUT_INTERFACE, which it never has) */
} Run;

static const char *plural(int n) { return n == 1 ? "" : "s"; }

static int64_t realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A state file as the user sees it: relative to the workspace root. */
static const char *short_path(const Run *run, const char *path)
{
    size_t n = strlen(run->ws->root);
    return strncmp(path, run->ws->root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/* Appends the reasons, one "why:" line each (item lines, which start with two spaces,
 * indented under them). */
static void put_reasons(StrBuf *msg, const char *why)
{
    for (const char *p = why; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        sb_printf(msg, "%s%.*s\n", p[0] == ' ' ? "             " : "        why: ", (int)n, p);
        p += n + (nl != NULL);
    }
}

/* A status line that a package of bins says once: the first message printed has it. */
typedef struct Once {
    StrBuf line;            /* the line; empty when the crate says its own */
    size_t at;              /* where in the message it goes */
    unsigned bit;
} Once;

/* Appends the crate's status line; for a package that says each status once, leaves it
 * to print_message. */
static void put_status(Run *run, uint32_t index, StrBuf *msg, Once *once, const char *status, const char *suffix,
                       unsigned bit)
{
    const Prep *pr = &run->prep[index];
    if (!pr->say_once) {
        sb_printf(msg, "%12s %s%s\n", status, pr->label, suffix);
        return;
    }
    sb_printf(&once->line, "%12s %s%s\n", status, pr->label, suffix);
    once->at = msg->len;
    once->bit = bit;
}

/* Prints the crate's message whole, with its package's status line when no message
 * printed before had it (decided and printed under one lock, so that the line always
 * comes first). */
static void print_message(Run *run, uint32_t index, WsSched *sched, const StrBuf *msg, Once *once)
{
    if (!once->line.len) {
        ws_sched_print(sched, msg->data, msg->len);
        return;
    }
    uint32_t pkg = run->graph->crates.data[index].package;
    pthread_mutex_lock(&run->say_lock);
    if (run->said[pkg] & once->bit) {
        ws_sched_print(sched, msg->data, msg->len);
    } else {
        run->said[pkg] |= once->bit;
        StrBuf all = {0};
        sb_append(&all, msg->data, once->at);
        sb_append(&all, once->line.data, once->line.len);
        sb_append(&all, msg->data + once->at, msg->len - once->at);
        ws_sched_print(sched, all.data, all.len);
        sb_free(&all);
    }
    pthread_mutex_unlock(&run->say_lock);
    sb_free(&once->line);
}

static void slot_free_objects(Slot *s)
{
    for (uint32_t i = 0; i < s->nobjects; i++)
        xfree(s->objects[i]);
    xfree(s->objects);
    xfree(s->hashes);
    s->objects = NULL;
    s->hashes = NULL;
    s->nobjects = 0;
}

static void slot_free(Slot *s)
{
    xfree(s->meta_owned);
    slot_free_objects(s);
    sb_free(&s->fn_explain);
    memset(s, 0, sizeof *s);
}

/* Hands a crate's recorded objects to its slot. */
static void slot_objects(Slot *s, const char *dir, const WsFingerprint *fp)
{
    s->nobjects = fp->nobjects;
    s->objects = xcalloc(fp->nobjects + 1, sizeof(char *));
    s->hashes = xcalloc(fp->nobjects + 1, sizeof(Hash128));
    for (uint32_t i = 0; i < fp->nobjects; i++) {
        s->objects[i] = xasprintf("%s/%s", dir, fp->objects[i].name);
        s->hashes[i] = fp->objects[i].content;
    }
}

/* ---------------------------------------------------------------- 1-2: fingerprint, fresh */

/* The lib's interface file, which its record says it wrote: loaded into the slot when
 * it is that file. */
static bool fresh_interface(Run *run, uint32_t index, const WsFingerprint *old, StrBuf *why, StrBuf *msg)
{
    const Prep *pr = &run->prep[index];
    WsMeta meta;
    char *fail = NULL;
    if (!ws_meta_read(pr->meta_path, &meta, &fail)) {
        sb_printf(msg, "warning: ignoring the %s interface file `%s` (%s); compiling again\n",
                  strcmp(fail, "missing") == 0 ? "missing" : "damaged", short_path(run, pr->meta_path), fail);
        sb_printf(why, "its interface file `%s` could not be used (%s)\n", short_path(run, pr->meta_path), fail);
        xfree(fail);
        return false;
    }
    if (!hash128_eq(hash128(meta.iface, meta.len), old->meta)) {
        sb_printf(msg, "warning: ignoring the interface file `%s` (not the one this crate's last compile wrote); "
                       "compiling again\n", short_path(run, pr->meta_path));
        sb_printf(why, "its interface file `%s` is not the one its last compile wrote\n",
                  short_path(run, pr->meta_path));
        ws_meta_free(&meta);
        return false;
    }
    Slot *s = &run->slots[index];
    s->iface = old->iface;
    s->meta_owned = meta.data;
    s->meta = meta.iface;
    s->meta_len = meta.len;
    return true;
}

/* ws build: the objects the record lists must be there, with the recorded bytes. */
static bool fresh_objects(Run *run, uint32_t index, Arena *a, WsFingerprint *now, StrBuf *why, StrBuf *msg,
                          bool *restat)
{
    const Prep *pr = &run->prep[index];
    for (uint32_t i = 0; i < now->nobjects; i++) {
        char *path = arena_printf(a, "%s/%s", pr->obj_dir, now->objects[i].name);
        WsFileState st = ws_fp_file_check(path, &now->objects[i], restat);
        if (st == WS_FILE_SAME)
            continue;
        const char *what = st == WS_FILE_MISSING ? "is missing" : "was changed or damaged";
        sb_printf(msg, "warning: the object file `%s` %s; compiling again\n", short_path(run, path), what);
        sb_printf(why, "its object file `%s` %s\n", short_path(run, path), what);
        return false;
    }
    return true;
}

/* The verdict on the crate's last compile. Fills now (the present) and why; returns
 * true when the crate is fresh (its interface and objects then in its slot). */
static bool stage_fingerprint(Run *run, uint32_t index, Arena *a, WsFingerprint *now, StrBuf *why, StrBuf *msg,
                              bool *restat, Hash128 *old_iface, bool *had_old)
{
    const WsCrate *c = &run->graph->crates.data[index];
    const Prep *pr = &run->prep[index];
    *now = (WsFingerprint){.build_id = ws_build_id(), .flags = FLAGS_TEXT, .spec = pr->spec_text};
    now->ndeps = c->ndeps;
    now->deps = arena_new(a, WsFpDep, c->ndeps + 1);
    for (uint32_t d = 0; d < c->ndeps; d++) {
        const Slot *s = &run->slots[c->deps[d]];
        now->deps[d] = (WsFpDep){.name = pr->dep_names[d], .key = run->prep[c->deps[d]].key, .iface = s->iface,
                                 .meta = s->meta, .meta_len = s->meta_len};
    }
    WsFingerprint old;
    char *fail = NULL;
    if (!ws_fp_load(a, pr->fp_path, &old, &fail)) {
        if (strcmp(fail, "missing") == 0) {
            sb_puts(why, "no earlier compile is recorded\n");
        } else {
            sb_printf(msg, "warning: ignoring the damaged state file `%s` (%s); compiling again\n",
                      short_path(run, pr->fp_path), fail);
            sb_printf(why, "its fingerprint file could not be trusted (%s)\n", fail);
        }
        xfree(fail);
        return false;
    }
    *had_old = true;
    *old_iface = old.iface;
    WsFpVerdict v;
    uint32_t need = c->bin < 0 ? run->need : run->need & ~(uint32_t)WS_OUT_INTERFACE;
    ws_fp_decide(a, &old, now, need, run->tc->interface_items, realtime_ns(), &v);
    sb_append(why, v.why.data, v.why.len);
    bool fresh = v.fresh;
    *restat = v.restat;
    sb_free(&v.why);
    if (fresh && c->bin < 0 && !fresh_interface(run, index, &old, why, msg))
        fresh = false;
    if (fresh && run->o->build && !fresh_objects(run, index, a, now, why, msg, restat))
        fresh = false;
    if (fresh && run->o->build)
        slot_objects(&run->slots[index], pr->obj_dir, now);
    if (!fresh)
        slot_free(&run->slots[index]);
    return fresh;
}

/* ---------------------------------------------------------------- 3-6: compile */

/* The frontend. Returns the typed crate, or NULL with the errors in sess->diag. */
static FeCrate *stage_frontend(Run *run, uint32_t index, FeSession *sess, Arena *a)
{
    const WsCrate *c = &run->graph->crates.data[index];
    const Prep *pr = &run->prep[index];
    const WsTarget *t = ws_crate_target(run->ws, c);
    FeDep *deps = arena_new(a, FeDep, c->ndeps + 1);
    for (uint32_t d = 0; d < c->ndeps; d++) {
        const Slot *s = &run->slots[c->deps[d]];
        deps[d] = (FeDep){.name = pr->dep_names[d], .meta = s->meta, .meta_len = s->meta_len};
    }
    FeCrateSpec spec = {
        .name = t->crate_name,
        .root_path = t->path,
        .display_path = pr->display,
        .is_bin = t->is_bin,
        .deps = deps,
        .ndeps = c->ndeps,
    };
    return run->tc->check_crate(sess, &spec);
}

/* Removes every file in dir (the crate's own, and the build lock is held) that this
 * compile did not write: objects of modules that are gone, and temporary files that a
 * killed build left. */
static void remove_stale(const char *dir, const WsFingerprint *fp)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_type == DT_DIR || strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        bool kept = false;
        for (uint32_t i = 0; i < fp->nobjects && !kept; i++)
            kept = strcmp(fp->objects[i].name, de->d_name) == 0;
        if (!kept) {
            char *path = xasprintf("%s/%s", dir, de->d_name);
            unlink(path);
            xfree(path);
        }
    }
    closedir(d);
}

/* Code generation into the crate's object directory, and the record of every object
 * written. False with the errors in sess->diag, or with *err. */
static bool stage_objects(Run *run, uint32_t index, Arena *a, FeSession *sess, FeCrate *crate, WsFingerprint *now,
                          uint64_t *phase_ns, char **err)
{
    const Prep *pr = &run->prep[index];
    StrBuf files = {0};
    Slot *slot = &run->slots[index];
    WsCrateResult *res = &run->results[index];
    sb_clear(&slot->fn_explain);
    WsCodegen cg = {.dir = pr->obj_dir, .cache = pr->cache_path, .files = &files,
                    .explain = run->o->explain ? &slot->fn_explain : NULL};
    uint64_t t0 = clock_ns();
    bool ok = file_mkdirs(pr->obj_dir, err) && file_mkdirs(pr->cache_dir, err) &&
              run->tc->codegen(sess, crate, &cg, err);
    uint64_t t1 = clock_ns(), write_ns = cg.write_ns;
    res->functions_compiled = cg.compiled;
    res->functions_reused = cg.reused;
    phase_ns[WS_PHASE_CODEGEN] += t1 - t0 - MIN(write_ns, t1 - t0);
    uint32_t n = 0;
    for (size_t i = 0; i < files.len; i++)
        n += files.data[i] == '\n';
    now->objects = arena_new(a, WsFpFile, n + 1);
    now->nobjects = 0;
    for (const char *p = files.data; ok && p && *p;) {
        const char *nl = strchr(p, '\n');
        char *name = arena_strndup(a, p, nl ? (size_t)(nl - p) : strlen(p));
        char *path = arena_printf(a, "%s/%s", pr->obj_dir, name);
        ok = ws_fp_file_record(a, path, name, &now->objects[now->nobjects++], err);
        p = nl ? nl + 1 : p + strlen(p);
    }
    sb_free(&files);
    if (ok) {
        remove_stale(pr->obj_dir, now);
        slot_objects(&run->slots[index], pr->obj_dir, now);
    }
    phase_ns[WS_PHASE_WRITE] += write_ns + (clock_ns() - t1);
    return ok;
}

/* ws check: the objects too, for the build after it (code generation costs little next
 * to the frontend, and the build then compiles nothing). Failing here is not the
 * check's failure: the errors are dropped and the record lists no objects, so the build
 * compiles the crate again and reports them. Returns whether the objects were written. */
static bool check_objects(Run *run, uint32_t index, Arena *a, FeSession *sess, FeCrate *crate, WsFingerprint *now,
                          uint64_t *phase_ns)
{
    Diag *d = &sess->diag;
    size_t out_len = d->out.len;
    int errors = d->errors, warnings = d->warnings;
    char *err = NULL;
    if (stage_objects(run, index, a, sess, crate, now, phase_ns, &err) && d->errors == errors)
        return true;
    xfree(err);
    if (d->out.data)
        d->out.data[d->out.len = out_len] = 0;
    d->errors = errors;
    d->warnings = warnings;
    now->nobjects = 0;
    slot_free_objects(&run->slots[index]);
    return false;
}

/* Writes the lib's interface file and the crate's fingerprint: the files the frontend
 * read, the dependencies' interface items, what was written (now->nobjects objects,
 * none when code generation did not run or failed in a check). */
static bool stage_record(Run *run, uint32_t index, Arena *a, FeSession *sess, WsFingerprint *now, bool objects,
                         int64_t start_ns, char **err)
{
    const WsCrate *c = &run->graph->crates.data[index];
    const Prep *pr = &run->prep[index];
    const Slot *s = &run->slots[index];
    if (c->bin < 0 && !ws_meta_write(pr->meta_path, s->meta, s->meta_len, err))
        return false;
    const SourceMap *sm = &sess->sources;
    now->nsources = sm->files.len;
    now->sources = arena_new(a, WsFpSource, sm->files.len + 1);
    for (uint32_t i = 0; i < sm->files.len; i++) {
        const SourceFile *f = &sm->files.data[i];
        const char *path = ws_path_join(a, run->ws->root, f->path);
        now->sources[i] = ws_fp_source(a, f->path, path, f->text, f->len, start_ns);
    }
    for (uint32_t d = 0; d < now->ndeps; d++)
        if (!ws_fp_dep_items(a, &now->deps[d], run->tc->interface_items))
            now->deps[d].nitems = 0;  /* only --explain loses detail */
    now->outputs = (c->bin < 0 ? WS_OUT_INTERFACE : 0) | (objects ? WS_OUT_OBJECTS : 0);
    now->iface = s->iface;
    now->meta = c->bin < 0 ? hash128(s->meta, s->meta_len) : (Hash128){0};
    return ws_fp_save(pr->fp_path, now, err);
}

/* Compiles the crate: frontend, interface, objects, record. Returns false on errors
 * (in sess->diag, or *err). */
static bool compile(Run *run, uint32_t index, Arena *a, FeSession *sess, WsFingerprint *now, int64_t start_ns,
                    uint64_t *phase_ns, char **err)
{
    const WsCrate *c = &run->graph->crates.data[index];
    const Prep *pr = &run->prep[index];
    uint64_t t0 = clock_ns();
    FeCrate *crate = stage_frontend(run, index, sess, a);
    uint64_t t1 = clock_ns();
    phase_ns[WS_PHASE_FRONTEND] += t1 - t0;
    if (!crate || sess->diag.errors)
        return false;
    Slot *s = &run->slots[index];
    if (c->bin < 0) {
        StrBuf payload = {0};
        run->tc->interface_write(sess, crate, &payload, &s->iface);
        s->meta_owned = payload.data ? payload.data : xstrdup("");
        s->meta = s->meta_owned;
        s->meta_len = payload.len;
        phase_ns[WS_PHASE_INTERFACE] += clock_ns() - t1;
    }
    unlink(pr->fp_path);  /* from here on the outputs change: the old record must not vouch for them */
    bool objects = true;
    if (run->o->build) {
        if (!stage_objects(run, index, a, sess, crate, now, phase_ns, err))
            return false;
    } else {
        objects = check_objects(run, index, a, sess, crate, now, phase_ns);
    }
    uint64_t t2 = clock_ns();
    bool ok = stage_record(run, index, a, sess, now, objects, start_ns, err);
    phase_ns[WS_PHASE_RECORD] += clock_ns() - t2;
    return ok;
}

/* ---------------------------------------------------------------- 7: link */

/* A bin's program: its objects, then those of every lib it needs, directly or not, in
 * graph order. */
static bool stage_link(Run *run, uint32_t index, StrBuf *why, StrBuf *msg, bool *linked, WsLinkStats *stats)
{
    const WsGraph *g = run->graph;
    const Prep *pr = &run->prep[index];
    uint8_t *need = xcalloc(index + 1, 1);
    need[index] = 1;
    uint32_t total = 0;
    for (uint32_t i = index + 1; i-- > 0;) {
        if (!need[i])
            continue;
        for (uint32_t d = 0; d < g->crates.data[i].ndeps; d++)
            need[g->crates.data[i].deps[d]] = 1;
        total += run->slots[i].nobjects;
    }
    const char **objects = xcalloc(total + 1, sizeof(char *));
    Hash128 *hashes = xcalloc(total + 1, sizeof(Hash128));
    uint32_t n = 0;
    for (uint32_t k = 0; k <= index; k++) {
        uint32_t i = k == 0 ? index : k - 1;  /* its own first, then the libs in graph order */
        for (uint32_t j = 0; need[i] && j < run->slots[i].nobjects; j++) {
            objects[n] = run->slots[i].objects[j];
            hashes[n++] = run->slots[i].hashes[j];
        }
    }
    WsLinkJob job = {pr->program, pr->link_path, objects, hashes, n, run->ws->root, run->o->link_verify};
    char *err = NULL;
    char *dir = xstrdup(pr->program);
    *strrchr(dir, '/') = 0;
    char *rdir = xstrdup(pr->link_path);
    *strrchr(rdir, '/') = 0;
    bool ok = file_mkdirs(dir, &err) && file_mkdirs(rdir, &err);
    if (!ok) {
        sb_printf(msg, "error: %s\n", err);
        xfree(err);
    } else {
        StrBuf reason = {0};
        ok = ws_link_program(&job, run->tc->link, linked, stats, &reason, msg);
        if (*linked)
            sb_printf(why, "linked `%s`: %s", short_path(run, pr->program), sb_str(&reason));
        sb_free(&reason);
    }
    xfree(dir);
    xfree(rdir);
    xfree(objects);
    xfree(hashes);
    xfree(need);
    return ok;
}

/* ---------------------------------------------------------------- the job */

/* With --dump: the stage's output of this crate, from a session of its own. */
static void dump_crate(Run *run, uint32_t index)
{
    Arena a;
    arena_init(&a);
    FeSession sess;
    run->tc->session_init(&sess);
    sess.dump = run->o->dump;
    sess.dump_to = run->o->dump_to;
    stage_frontend(run, index, &sess, &a);
    fflush(run->o->dump_to);
    run->tc->session_free(&sess);
    arena_free(&a);
}

/* Appends the crate's diagnostics and cargo's closing line for them (errors counts
 * failures outside the diagnostics too). */
static void put_diagnostics(StrBuf *msg, const WsPackage *p, const WsTarget *t, Diag *diag, int errors)
{
    int warnings = diag->warnings;
    sb_append(msg, diag->out.data, diag->out.len);
    if (errors || warnings) {
        sb_printf(msg, errors ? "error: could not compile `%s` " : "warning: `%s` ", p->name);
        if (t->is_bin)
            sb_printf(msg, "(bin \"%s\")", t->name);
        else
            sb_puts(msg, "(lib)");
        if (errors) {
            sb_printf(msg, " due to %d previous error%s", errors, plural(errors));
            if (warnings)
                sb_printf(msg, "; %d warning%s emitted", warnings, plural(warnings));
        } else {
            sb_printf(msg, " generated %d warning%s", warnings, plural(warnings));
        }
        sb_putc(msg, '\n');
    }
}

/* "     Linking app (patched 3 sections, 12 sites)" or "(full link: <reason>)". */
static void put_linked(StrBuf *msg, const char *bin, const WsLinkStats *st)
{
    sb_printf(msg, "%12s %s (", "Linking", bin);
    if (st->patched)
        sb_printf(msg, "patched %u section%s, %llu site%s", st->sections, plural((int)st->sections),
                  (unsigned long long)st->sites, st->sites == 1 ? "" : "s");
    else
        sb_printf(msg, "full link: %s", st->full_reason ? st->full_reason : "?");
    sb_puts(msg, ")\n");
}

enum { SAID_FRESH = 1, SAID_COMPILED = 2, SAID_SAME = 4 };

static bool crate_job(void *ctx, uint32_t index, WsSched *sched)
{
    Run *run = ctx;
    const WsCrate *c = &run->graph->crates.data[index];
    const Prep *pr = &run->prep[index];
    const WsTarget *t = ws_crate_target(run->ws, c);
    WsCrateResult *res = &run->results[index];
    res->ran = true;
    res->worker = ws_sched_worker(sched, index);
    res->start_ns = clock_ns();
    int64_t start_ns = realtime_ns();
    Arena a;
    arena_init(&a);
    StrBuf msg = {0}, why = {0}, warn = {0};
    Once once = {0};
    if (run->o->dump != FE_DUMP_NONE)
        dump_crate(run, index);

    WsFingerprint now;
    bool restat = false, had_old = false, ok = true;
    Hash128 old_iface = {0};
    bool fresh = stage_fingerprint(run, index, &a, &now, &why, &warn, &restat, &old_iface, &had_old);
    res->phase_ns[WS_PHASE_FINGERPRINT] = clock_ns() - res->start_ns;
    if (fresh) {
        char *err = NULL;
        if (restat && !ws_fp_save(pr->fp_path, &now, &err)) {
            sb_printf(&warn, "warning: %s\n", err);  /* the next build only re-reads a file */
            xfree(err);
        }
        sb_append(&msg, warn.data, warn.len);
        put_status(run, index, &msg, &once, "Fresh", "", SAID_FRESH);
        if (run->o->explain)
            put_reasons(&msg, why.len ? why.data : "no input changed\n");
        res->outcome = WS_OUTCOME_FRESH;
    } else {
        FeSession sess;
        run->tc->session_init(&sess);
        char *err = NULL;
        ok = compile(run, index, &a, &sess, &now, start_ns, res->phase_ns, &err);
        bool same = ok && c->bin < 0 && had_old && hash128_eq(old_iface, run->slots[index].iface);
        sb_append(&msg, warn.data, warn.len);
        put_status(run, index, &msg, &once, run->verb, same ? " (interface unchanged)" : "",
                   same ? SAID_SAME : SAID_COMPILED);
        if (run->o->explain) {
            put_reasons(&msg, why.data ? why.data : "");
            if (same)
                put_reasons(&msg, "its interface is unchanged, so its dependents stay fresh\n");
            if (ok && run->slots[index].fn_explain.len)
                put_reasons(&msg, run->slots[index].fn_explain.data);
        }
        if (err) {
            sb_printf(&msg, "error: %s\n", err);
            xfree(err);
        }
        int errors = sess.diag.errors;
        if (!ok && !errors)  /* an I/O error, or a stage that stopped without saying why */
            errors = 1;
        put_diagnostics(&msg, &run->ws->packages.data[c->package], t, &sess.diag, errors);
        res->outcome = !ok ? WS_OUTCOME_FAILED : same ? WS_OUTCOME_SAME_IFACE : WS_OUTCOME_COMPILED;
        run->tc->session_free(&sess);
    }
    if (ok && run->o->build && c->bin >= 0) {
        sb_clear(&why);
        uint64_t t0 = clock_ns();
        ok = stage_link(run, index, &why, &msg, &res->linked, &res->link);
        res->phase_ns[WS_PHASE_LINK] = clock_ns() - t0;
        if (ok && res->linked)
            put_linked(&msg, t->name, &res->link);
        xfree(res->link.full_reason);
        res->link.full_reason = NULL;
        if (run->o->explain && why.len)
            put_reasons(&msg, why.data);
        if (!ok) {
            sb_printf(&msg, "error: could not compile `%s` (bin \"%s\") due to 1 previous error\n",
                      run->ws->packages.data[c->package].name, t->name);
            res->outcome = WS_OUTCOME_FAILED;
        }
    }
    print_message(run, index, sched, &msg, &once);
    sb_free(&msg);
    sb_free(&why);
    sb_free(&warn);
    arena_free(&a);
    res->end_ns = clock_ns();
    return ok;
}

/* ---------------------------------------------------------------- preparing the run */

/* The name the crate's code uses for its k-th graph dependency: a bin's own lib is its
 * package's lib name; any other is the key of the [dependencies] entry naming it. */
static const char *dep_name(const WsWorkspace *ws, const WsGraph *g, const WsCrate *c, uint32_t k)
{
    uint32_t pkg = g->crates.data[c->deps[k]].package;
    const WsPackage *p = &ws->packages.data[c->package];
    if (pkg == c->package)
        return p->lib.crate_name;
    for (uint32_t d = 0; d < p->deps.len; d++)
        if (p->deps.data[d].package == pkg)
            return p->deps.data[d].name;
    unreachable();
}

static void prepare(Run *run, WsWorkspace *ws, Arena *a)
{
    const WsGraph *g = run->graph;
    for (uint32_t i = 0; i < g->crates.len; i++) {
        const WsCrate *c = &g->crates.data[i];
        const WsPackage *p = &ws->packages.data[c->package];
        const WsTarget *t = ws_crate_target(ws, c);
        Prep *pr = &run->prep[i];
        pr->key = ws_crate_key(a, ws, c);
        pr->fp_path = ws_state_path(a, ws->root, "fingerprint", pr->key, "");
        pr->meta_path = ws_state_path(a, ws->root, "meta", p->name, ".wsmeta");
        const char *obj = ws_crate_obj_name(a, ws, c);
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(run->prep[k].obj_dir, ws_state_path(a, ws->root, "obj", obj, "")) == 0)
                obj = pr->key;  /* a contrived pair of names: the key is unique */
        pr->obj_dir = ws_state_path(a, ws->root, "obj", obj, "");
        pr->cache_path = ws_state_path(a, ws->root, "cache", pr->key, ".cgpack");
        pr->cache_dir = arena_strndup(a, pr->cache_path, (size_t)(strrchr(pr->cache_path, '/') - pr->cache_path));
        if (t->is_bin) {
            pr->program = ws_program_path(a, ws, c);
            pr->link_path = ws_state_path(a, ws->root, "link", pr->key, "");
        }
        pr->display = ws_display_path(ws, t->path);
        pr->spec_text = arena_printf(a, "name=%s\nkind=%s\nroot=%s\ndisplay=%s\nedition=%s\n", t->crate_name,
                                     t->is_bin ? "bin" : "lib", t->path, pr->display, p->edition);
        pr->label = arena_printf(a, "%s v%s (%s)", p->name, p->version, p->dir);
        if (t->is_bin && p->has_lib)
            pr->label = arena_printf(a, "%s (bin \"%s\")", pr->label, t->name);
        pr->say_once = !p->has_lib && p->bins.len > 1;
        pr->dep_names = arena_new(a, const char *, c->ndeps + 1);
        for (uint32_t d = 0; d < c->ndeps; d++)
            pr->dep_names[d] = dep_name(ws, g, c, d);
    }
}

uint32_t ws_run_crates(WsWorkspace *ws, const WsGraph *g, const WsRunOptions *o, WsCrateResult *results)
{
    uint32_t n = g->crates.len;
    Arena a;
    arena_init(&a);
    Run run = {
        .ws = ws,
        .graph = g,
        .o = o,
        .tc = o->tc,
        .prep = arena_new(&a, Prep, n + 1),
        .slots = arena_new(&a, Slot, n + 1),
        .results = results ? results : arena_new(&a, WsCrateResult, n + 1),
        .said = arena_new(&a, unsigned, ws->packages.len + 1),
        .verb = o->build ? "Compiling" : "Checking",
        .need = WS_OUT_INTERFACE | (o->build ? WS_OUT_OBJECTS : 0),
    };
    memset(run.results, 0, sizeof(WsCrateResult) * n);
    pthread_mutex_init(&run.say_lock, NULL);
    prepare(&run, ws, &a);
    char *err = NULL;
    const char *dirs[] = {"fingerprint", "meta"};
    for (size_t i = 0; i < ARRAY_LEN(dirs); i++) {
        char *dir = ws_state_path(&a, ws->root, dirs[i], "", "");
        if (!file_exists(dir) && !file_mkdirs(dir, &err)) {
            fprintf(o->out, "error: %s\n", err);
            xfree(err);
            arena_free(&a);
            return n ? n : 1;
        }
    }
    WsJobState *states = arena_new(&a, WsJobState, n + 1);
    uint32_t jobs = o->dump != FE_DUMP_NONE ? 1 : o->jobs;  /* dumps must not interleave */
    uint32_t failed = ws_sched_run(g, jobs, crate_job, &run, o->out, states);
    for (uint32_t i = 0; i < n; i++) {
        if (states[i] == WS_JOB_SKIPPED)
            run.results[i].outcome = WS_OUTCOME_SKIPPED;
        slot_free(&run.slots[i]);
    }
    pthread_mutex_destroy(&run.say_lock);
    arena_free(&a);
    return failed;
}

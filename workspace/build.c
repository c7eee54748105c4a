/*
 * workspace/build.c — the per-crate job of `ws check` (and, once the backend is in,
 * of `ws build`), and --explain.
 *
 * The job of one crate reads as a list:
 *
 *   1. fingerprint   load the last compile's record and compare it with the present
 *                    (fingerprint.c); a lib also needs its interface file (meta.c)
 *   2. fresh         nothing moved: hand the stored interface to the dependents, done
 *   3. frontend      parse, resolve and type-check, given the direct dependencies'
 *                    interfaces (never their sources)
 *   4. (ws build)    codegen and write objects: one stage, added with the backend
 *   5. interface     a lib writes <crate>.wsmeta; an unchanged interface hash keeps
 *                    every dependent fresh, since their fingerprints hold that hash
 *   6. record        save the fingerprint: the files the frontend read, the flags, the
 *                    dependencies' interface hashes and items, what was produced
 *
 * and after every job, for ws build, linking the bins is one more stage. `ws check`
 * writes exactly what `ws build` reads back (the fingerprint's outputs say what
 * exists), so a build after a check reuses the interfaces and decides from the same
 * fingerprints.
 *
 * Lines (stderr), cargo's layout: "    Checking name v0.1.0 (dir)" for a compiled
 * crate, with " (interface unchanged)" when a lib's interface hash is the last one;
 * "       Fresh name v0.1.0 (dir)" for one that was not; a bin of a package that also
 * has a lib adds ` (bin "name")`. With --explain each line is followed by its
 * reasons ("        why: the file `src/lib.rs` changed"). A damaged or foreign state
 * file is named in a warning and its crate compiled again.
 *
 * Threads: jobs run concurrently; everything a job reads of the workspace is prepared
 * before the run (the workspace's arena is not touched), and each job writes only its
 * own slot, which its dependents read after it finished (the scheduler orders them).
 */
#include "workspace/workspace.h"

#include <string.h>
#include <time.h>

#define FLAGS_TEXT "profile=dev\n"

/* What a finished crate hands its dependents. */
typedef struct Slot {
    Hash128 iface;          /* its interface hash (a lib) */
    char *meta_owned;       /* heap block holding the interface payload */
    const void *meta;       /* the interface payload, inside meta_owned */
    size_t meta_len;
} Slot;

/* Everything about one crate that its job needs, prepared before the run. */
typedef struct Prep {
    const char *key;        /* ws_crate_key */
    const char *fp_path;    /* target/ws/fingerprint/<key> */
    const char *meta_path;  /* target/ws/meta/<package>.wsmeta (libs) */
    const char *spec_text;  /* WsFingerprint.spec */
    const char *label;      /* "name v0.1.0 (dir)" [+ ` (bin "x")`] */
    const char *display;    /* the root file as diagnostics name it */
    const char **dep_names; /* per graph dependency: the name code uses */
} Prep;

typedef struct Run {
    const WsWorkspace *ws;
    const WsGraph *graph;
    const WsRunOptions *o;
    Prep *prep;
    Slot *slots;
    WsOutcome *outcomes;
    const char *verb;       /* "Checking" */
    uint32_t need;          /* WS_OUT_* bits the command needs of a fresh lib (a bin: less
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

/* ---------------------------------------------------------------- the job's stages */

/* Stage 1: the verdict on the crate's last compile. Fills now (the present) and why;
 * returns true when the crate is fresh (its interface, for a lib, loaded into slot). */
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
    ws_fp_decide(a, &old, now, need, run->o->fe->interface_items, realtime_ns(), &v);
    sb_append(why, v.why.data, v.why.len);
    bool fresh = v.fresh;
    *restat = v.restat;
    sb_free(&v.why);
    if (fresh && c->bin < 0) {
        WsMeta meta;
        if (!ws_meta_read(pr->meta_path, &meta, &fail)) {
            if (strcmp(fail, "missing") != 0)
                sb_printf(msg, "warning: ignoring the damaged interface file `%s` (%s); compiling again\n",
                          short_path(run, pr->meta_path), fail);
            sb_printf(why, "its interface file `%s` could not be used (%s)\n", short_path(run, pr->meta_path),
                      fail);
            xfree(fail);
            return false;
        }
        Slot *s = &run->slots[index];
        s->iface = old.iface;
        s->meta_owned = meta.data;
        s->meta = meta.iface;
        s->meta_len = meta.len;
    }
    return fresh;
}

/* Stage 3: the frontend. Returns the typed crate, or NULL after appending the crate's
 * diagnostics and cargo's "could not compile" line to msg. */
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
    return run->o->fe->check_crate(sess, &spec);
}

/* Stage 5: a lib's interface, written for its dependents. False with *err. */
static bool stage_interface(Run *run, uint32_t index, FeSession *sess, const FeCrate *crate, char **err)
{
    StrBuf payload = {0};
    Hash128 hash;
    run->o->fe->interface_write(sess, crate, &payload, &hash);
    bool ok = ws_meta_write(run->prep[index].meta_path, payload.data ? payload.data : "", payload.len, err);
    Slot *s = &run->slots[index];
    s->iface = hash;
    s->meta_owned = payload.data ? payload.data : xstrdup("");
    s->meta = s->meta_owned;
    s->meta_len = payload.len;
    return ok;
}

/* Stage 6: the record of this compile. */
static bool stage_record(Run *run, uint32_t index, Arena *a, FeSession *sess, WsFingerprint *now,
                         int64_t start_ns, char **err)
{
    const WsCrate *c = &run->graph->crates.data[index];
    const SourceMap *sm = &sess->sources;
    now->nsources = sm->files.len;
    now->sources = arena_new(a, WsFpSource, sm->files.len + 1);
    for (uint32_t i = 0; i < sm->files.len; i++) {
        const SourceFile *f = &sm->files.data[i];
        const char *path = ws_path_join(a, run->ws->root, f->path);
        now->sources[i] = ws_fp_source(a, f->path, path, f->text, f->len, start_ns);
    }
    for (uint32_t d = 0; d < now->ndeps; d++)
        if (!ws_fp_dep_items(a, &now->deps[d], run->o->fe->interface_items))
            now->deps[d].nitems = 0;  /* only --explain loses detail */
    now->outputs = c->bin < 0 ? WS_OUT_INTERFACE : 0;
    now->iface = run->slots[index].iface;
    return ws_fp_save(run->prep[index].fp_path, now, err);
}

/* With --dump: the stage's output of this crate, from a session of its own. */
static void dump_crate(Run *run, uint32_t index)
{
    Arena a;
    arena_init(&a);
    FeSession sess;
    run->o->fe->session_init(&sess);
    sess.dump = run->o->dump;
    sess.dump_to = run->o->dump_to;
    stage_frontend(run, index, &sess, &a);
    fflush(run->o->dump_to);
    run->o->fe->session_free(&sess);
    arena_free(&a);
}

/* Appends the crate's diagnostics and cargo's closing line for them. */
static void put_diagnostics(StrBuf *msg, const WsPackage *p, const WsTarget *t, Diag *diag)
{
    int errors = diag->errors, warnings = diag->warnings;
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

/* ---------------------------------------------------------------- the job */

static bool crate_job(void *ctx, uint32_t index, WsSched *sched)
{
    Run *run = ctx;
    const WsCrate *c = &run->graph->crates.data[index];
    const Prep *pr = &run->prep[index];
    int64_t start_ns = realtime_ns();
    Arena a;
    arena_init(&a);
    StrBuf msg = {0}, why = {0};
    if (run->o->dump != FE_DUMP_NONE)
        dump_crate(run, index);

    /* 1-2: fingerprint, fresh */
    WsFingerprint now;
    bool restat = false, had_old = false;
    Hash128 old_iface = {0};
    if (stage_fingerprint(run, index, &a, &now, &why, &msg, &restat, &old_iface, &had_old)) {
        char *err = NULL;
        if (restat && !ws_fp_save(pr->fp_path, &now, &err)) {
            sb_printf(&msg, "warning: %s\n", err);  /* the next build only re-reads a file */
            xfree(err);
        }
        sb_printf(&msg, "%12s %s\n", "Fresh", pr->label);
        if (run->o->explain)
            put_reasons(&msg, why.len ? why.data : "no input changed\n");
        run->outcomes[index] = WS_OUTCOME_FRESH;
        ws_sched_print(sched, msg.data, msg.len);
        sb_free(&msg);
        sb_free(&why);
        arena_free(&a);
        return true;
    }

    /* 3: frontend */
    FeSession sess;
    run->o->fe->session_init(&sess);
    FeCrate *crate = stage_frontend(run, index, &sess, &a);
    bool ok = crate && sess.diag.errors == 0;
    char *err = NULL;
    /* 4: (ws build) codegen and write objects — added with the backend */
    /* 5: interface */
    if (ok && c->bin < 0)
        ok = stage_interface(run, index, &sess, crate, &err);
    /* 6: record */
    if (ok)
        ok = stage_record(run, index, &a, &sess, &now, start_ns, &err);

    bool same = ok && c->bin < 0 && had_old && hash128_eq(old_iface, run->slots[index].iface);
    sb_printf(&msg, "%12s %s%s\n", run->verb, pr->label, same ? " (interface unchanged)" : "");
    if (run->o->explain) {
        put_reasons(&msg, why.data ? why.data : "");
        if (same)
            put_reasons(&msg, "its interface is unchanged, so its dependents stay fresh\n");
    }
    if (err) {
        sb_printf(&msg, "error: %s\n", err);
        xfree(err);
    }
    const WsTarget *t = ws_crate_target(run->ws, c);
    if (!crate && sess.diag.errors == 0)  /* the frontend stopped without saying why */
        diag_plain(&sess.diag, DIAG_ERROR, "the frontend stopped before `%s` was checked", t->crate_name);
    put_diagnostics(&msg, &run->ws->packages.data[c->package], t, &sess.diag);
    run->outcomes[index] = !ok ? WS_OUTCOME_FAILED : same ? WS_OUTCOME_SAME_IFACE : WS_OUTCOME_COMPILED;
    ws_sched_print(sched, msg.data, msg.len);
    run->o->fe->session_free(&sess);
    sb_free(&msg);
    sb_free(&why);
    arena_free(&a);
    return ok;
}

/* ---------------------------------------------------------------- preparing the run */

/* The name the crate's code uses for its k-th graph dependency (graph.c lists a bin's
 * own lib first, then its package's [dependencies] that have a lib, in order). */
static const char *dep_name(const WsWorkspace *ws, const WsGraph *g, const WsCrate *c, uint32_t k)
{
    const WsCrate *dep = &g->crates.data[c->deps[k]];
    const WsPackage *p = &ws->packages.data[c->package];
    if (dep->package == c->package)
        return p->lib.crate_name;
    uint32_t seen = c->bin >= 0 && p->has_lib ? 1 : 0;
    for (uint32_t d = 0; d < p->deps.len; d++) {
        if (!ws->packages.data[p->deps.data[d].package].has_lib)
            continue;
        if (seen++ == k)
            return p->deps.data[d].name;
    }
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
        pr->display = ws_display_path(ws, t->path);
        pr->spec_text = arena_printf(a, "name=%s\nkind=%s\nroot=%s\ndisplay=%s\nedition=%s\n", t->crate_name,
                                     t->is_bin ? "bin" : "lib", t->path, pr->display, p->edition);
        pr->label = arena_printf(a, "%s v%s (%s)", p->name, p->version, p->dir);
        if (t->is_bin && p->has_lib)
            pr->label = arena_printf(a, "%s (bin \"%s\")", pr->label, t->name);
        pr->dep_names = arena_new(a, const char *, c->ndeps + 1);
        for (uint32_t d = 0; d < c->ndeps; d++)
            pr->dep_names[d] = dep_name(ws, g, c, d);
    }
}

uint32_t ws_run_check(WsWorkspace *ws, const WsGraph *g, const WsRunOptions *o, WsOutcome *outcomes)
{
    uint32_t n = g->crates.len;
    Arena a;
    arena_init(&a);
    Run run = {
        .ws = ws,
        .graph = g,
        .o = o,
        .prep = arena_new(&a, Prep, n + 1),
        .slots = arena_new(&a, Slot, n + 1),
        .outcomes = outcomes ? outcomes : arena_new(&a, WsOutcome, n + 1),
        .verb = "Checking",
        .need = WS_OUT_INTERFACE,
    };
    prepare(&run, ws, &a);
    char *err = NULL;
    const char *dirs[] = {"fingerprint", "meta"};
    for (size_t i = 0; i < ARRAY_LEN(dirs); i++) {
        char *dir = arena_printf(&a, "%s/target/ws/%s", ws->root, dirs[i]);
        if (!file_mkdirs(dir, &err)) {
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
            run.outcomes[i] = WS_OUTCOME_SKIPPED;
        xfree(run.slots[i].meta_owned);
    }
    arena_free(&a);
    return failed;
}

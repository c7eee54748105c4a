/*
 * workspace/build.c — `ws build` and `ws run`: every crate of the selected packages is
 * checked, compiled to one object per module, and each bin crate linked with relink's
 * library (no outside tool runs at build time).
 *
 * Layout under target/ws/ (adds to the list in state.c):
 *
 *   target/ws/obj/<crate>/       the objects of one crate; <crate> is "<package>-lib"
 *                                or "<package>-bin-<target name>"
 *       crate.o                  the crate's root module
 *       <a>.<b>.o                module a::b (module names are identifiers, so a dot
 *                                never occurs inside one); objects of modules that no
 *                                longer exist are removed when the crate is compiled
 *   target/ws/debug/<bin>        the linked program, as cargo's target/debug/<bin>
 *
 * Each object is written atomically (obj_write) and the program by the linker, which
 * also writes atomically: a failed or killed build leaves the previous files intact.
 * The runtime's objects are linked from memory (rt_objects()), after the crate's own.
 *
 * Messages are cargo 1.95's: "   Compiling name v0.1.0 (/abs/dir)" once per package,
 * each crate's diagnostics whole, "error: could not compile ..." and exit status 101 on
 * errors, "    Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.01s", and
 * for ws run "     Running `target/ws/debug/name args`" (the path relative to the
 * current directory when inside it), then the program's own exit status.
 */
#include "backend/backend.h"
#include "backend/runtime/rt_objects.h"
#include "frontend/frontend.h"
#include "linker/linker.h"
#include "workspace/workspace.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_COMPILE 101

typedef struct BuildRun {
    const WsWorkspace *ws;
    const WsGraph *graph;
    const char **display_paths;  /* per crate: its root file as rustc names it */
    const char **obj_dirs;       /* per crate: target/ws/obj/<crate> */
    const char **outputs;        /* per crate: target/ws/debug/<bin>, NULL for libs */
    atomic_bool *announced;      /* per package: its "Compiling" line is out */
    WsIfaces ifaces;             /* per crate: a lib's interface, for its dependents */
    char ***objects;             /* per crate: the objects it wrote (heap), for linking */
    uint32_t *nobjects;
} BuildRun;

static const char *plural(int n) { return n == 1 ? "" : "s"; }

/* Module path "a::b" as an object file name "a.b.o"; the root is "crate.o". */
static char *object_name(const char *module_path)
{
    if (!*module_path)
        return xstrdup("crate.o");
    StrBuf sb = {0};
    for (const char *p = module_path; *p; p++) {
        if (p[0] == ':' && p[1] == ':') {
            sb_putc(&sb, '.');
            p++;
        } else {
            sb_putc(&sb, *p);
        }
    }
    sb_puts(&sb, ".o");
    return sb.data;
}

/* Removes the objects in dir that this compile did not write. */
static void remove_stale(const char *dir, char **keep, uint32_t nkeep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 3 || strcmp(de->d_name + n - 2, ".o") != 0)
            continue;
        bool kept = false;
        for (uint32_t i = 0; i < nkeep && !kept; i++)
            kept = strcmp(keep[i], de->d_name) == 0;
        if (!kept) {
            char *path = xasprintf("%s/%s", dir, de->d_name);
            unlink(path);
            xfree(path);
        }
    }
    closedir(d);
}

/* Links the objects with the runtime into output; messages go to msg. */
static bool link_program(char **objs, uint32_t nobjs, const char *output, const char *name, StrBuf *msg)
{
    size_t nrt;
    const RtObject *rt = rt_objects(&nrt);
    LdInput *inputs = xcalloc(nobjs + nrt + 1, sizeof(LdInput));
    for (uint32_t i = 0; i < nobjs; i++)
        inputs[i] = (LdInput){.kind = LD_INPUT_FILE, .name = objs[i]};
    for (size_t i = 0; i < nrt; i++)
        inputs[nobjs + i] = (LdInput){.kind = LD_INPUT_FILE, .name = rt[i].name, .data = rt[i].data, .size = rt[i].size};
    LdOptions opts = {.output = output, .inputs = inputs, .ninputs = nobjs + (uint32_t)nrt, .threads = 1};
    LdReport rep = {0};
    bool ok = ld_link(&opts, &rep);
    if (!ok) {
        sb_printf(msg, "error: linking `%s` failed\n", name);
        vec_foreach(&rep.messages, m) sb_printf(msg, "  = note: %s\n", m->text);
        sb_putc(msg, '\n');
    }
    ld_report_free(&rep);
    xfree(inputs);
    return ok;
}

/* The objects a bin links: its own, then those of every lib it needs, directly or not
 * (graph order). Heap array of borrowed strings. */
static char **link_inputs(BuildRun *run, uint32_t index, char **own, uint32_t nown, uint32_t *n)
{
    const WsGraph *g = run->graph;
    uint8_t *need = xcalloc(index + 1, 1);
    need[index] = 1;
    uint32_t total = nown;
    for (uint32_t i = index + 1; i-- > 0;) {
        if (!need[i])
            continue;
        for (uint32_t d = 0; d < g->crates.data[i].ndeps; d++)
            need[g->crates.data[i].deps[d]] = 1;
        if (i != index)
            total += run->nobjects[i];
    }
    char **all = xcalloc(total + 1, sizeof(char *));
    *n = 0;
    for (uint32_t i = 0; i < nown; i++)
        all[(*n)++] = own[i];
    for (uint32_t i = 0; i < index; i++)
        for (uint32_t k = 0; need[i] && k < run->nobjects[i]; k++)
            all[(*n)++] = run->objects[i][k];
    xfree(need);
    return all;
}

/* Writes the crate's objects into dir (their paths kept for dependents) and, for a
 * bin, links them with its libs' into output. */
static bool emit(BuildRun *run, uint32_t index, FeSession *sess, const CgCrate *cc, const char *dir,
                 const char *output, const char *name, StrBuf *msg)
{
    char *err = NULL;
    if (!file_mkdirs(dir, &err)) {
        sb_printf(msg, "error: %s\n\n", err);
        xfree(err);
        return false;
    }
    char **files = xcalloc(cc->nmodules + 1, sizeof(char *));
    char **paths = xcalloc(cc->nmodules + 1, sizeof(char *));
    uint32_t n = 0;
    bool ok = true;
    for (uint32_t i = 0; i < cc->nmodules && ok; i++) {
        if (!cc->modules[i].nfuncs && !cc->modules[i].ndata)
            continue;
        ObjModule m;
        cg_module_obj(cc, i, &sess->names, &m);
        files[n] = object_name(cc->modules[i].path);
        paths[n] = xasprintf("%s/%s", dir, files[n]);
        if (!obj_write(&m, paths[n], &err)) {
            sb_printf(msg, "error: %s\n\n", err);
            xfree(err);
            ok = false;
        }
        n++;
    }
    if (ok)
        remove_stale(dir, files, n);
    if (ok && output) {
        char *out_dir = xstrdup(output);
        *strrchr(out_dir, '/') = 0;
        if (!file_mkdirs(out_dir, &err)) {
            sb_printf(msg, "error: %s\n\n", err);
            xfree(err);
            ok = false;
        } else {
            uint32_t nall;
            char **all = link_inputs(run, index, paths, n, &nall);
            ok = link_program(all, nall, output, name, msg);
            xfree(all);
        }
        xfree(out_dir);
    }
    for (uint32_t i = 0; i < n; i++)
        xfree(files[i]);
    xfree(files);
    run->objects[index] = paths;
    run->nobjects[index] = n;
    return ok;
}

static bool build_job(void *ctx, uint32_t index, WsSched *sched)
{
    BuildRun *run = ctx;
    const WsCrate *c = &run->graph->crates.data[index];
    const WsPackage *p = &run->ws->packages.data[c->package];
    const WsTarget *t = ws_crate_target(run->ws, c);
    StrBuf msg = {0};
    if (!atomic_exchange(&run->announced[c->package], true)) {
        sb_printf(&msg, "   Compiling %s v%s (%s)\n", p->name, p->version, p->dir);
        ws_sched_print(sched, msg.data, msg.len);
        sb_clear(&msg);
    }
    FeSession sess;
    fe_session_init(&sess);
    uint32_t ndeps;
    FeDep *deps = ws_crate_fe_deps(run->ws, run->graph, index, &run->ifaces, &ndeps);
    FeCrateSpec spec = {
        .name = t->crate_name,
        .root_path = t->path,
        .display_path = run->display_paths[index],
        .is_bin = t->is_bin,
        .deps = deps,
        .ndeps = ndeps,
    };
    /* the pipeline: check, interface (libs), generate, write objects, link */
    FeCrate *crate = fe_check_crate(&sess, &spec);
    if (crate && !t->is_bin)
        ws_ifaces_store(&run->ifaces, index, &sess, crate);
    CgCrate cc = {0};
    bool ok = crate && cg_crate(&sess, crate, &cc);
    int errors = sess.diag.errors, warnings = sess.diag.warnings;
    sb_append(&msg, sess.diag.out.data, sess.diag.out.len);
    if (ok)
        ok = emit(run, index, &sess, &cc, run->obj_dirs[index], run->outputs[index], t->name, &msg);
    if (!ok) {
        if (!errors)
            errors = 1;
        sb_printf(&msg, "error: could not compile `%s` ", p->name);
        if (t->is_bin)
            sb_printf(&msg, "(bin \"%s\")", t->name);
        else
            sb_puts(&msg, "(lib)");
        sb_printf(&msg, " due to %d previous error%s", errors, plural(errors));
        if (warnings)
            sb_printf(&msg, "; %d warning%s emitted", warnings, plural(warnings));
        sb_putc(&msg, '\n');
    } else if (warnings) {
        sb_printf(&msg, "warning: `%s` ", p->name);
        if (t->is_bin)
            sb_printf(&msg, "(bin \"%s\")", t->name);
        else
            sb_puts(&msg, "(lib)");
        sb_printf(&msg, " generated %d warning%s\n", warnings, plural(warnings));
    }
    ws_sched_print(sched, msg.data, msg.len);
    sb_free(&msg);
    cg_crate_free(&cc);
    fe_session_free(&sess);
    xfree(deps);
    return ok;
}

/* ---------------------------------------------------------------- interfaces */

void ws_ifaces_init(WsIfaces *f, uint32_t ncrates)
{
    f->meta = xcalloc(ncrates + 1, sizeof(char *));
    f->len = xcalloc(ncrates + 1, sizeof(size_t));
}

void ws_ifaces_free(WsIfaces *f, uint32_t ncrates)
{
    for (uint32_t i = 0; i < ncrates; i++)
        xfree(f->meta[i]);
    xfree(f->meta);
    xfree(f->len);
}

FeDep *ws_crate_fe_deps(const WsWorkspace *ws, const WsGraph *g, uint32_t index, const WsIfaces *f, uint32_t *n)
{
    const WsCrate *c = &g->crates.data[index];
    const WsPackage *p = &ws->packages.data[c->package];
    FeDep *deps = xcalloc(c->ndeps + 1, sizeof(FeDep));
    *n = 0;
    for (uint32_t d = 0; d < c->ndeps; d++) {
        uint32_t j = c->deps[d];
        uint32_t pkg = g->crates.data[j].package;
        const char *name = NULL;
        if (pkg == c->package)
            name = p->lib.crate_name;  /* a bin uses its own package's lib */
        for (uint32_t k = 0; !name && k < p->deps.len; k++)
            if (p->deps.data[k].package == pkg)
                name = p->deps.data[k].name;
        if (name && f->meta[j])
            deps[(*n)++] = (FeDep){.name = name, .meta = f->meta[j], .meta_len = f->len[j]};
    }
    return deps;
}

void ws_ifaces_store(WsIfaces *f, uint32_t index, FeSession *sess, FeCrate *crate)
{
    StrBuf meta = {0};
    Hash128 hash;
    fe_interface_write(sess, crate, &meta, &hash);
    f->meta[index] = meta.data ? meta.data : xstrdup("");
    f->len[index] = meta.len;
}

/* ---------------------------------------------------------------- ws run */

/* Appends arg to sb quoted as a POSIX shell would need it (cargo's `Running` line). */
static void shell_quote(StrBuf *sb, const char *arg)
{
    bool plain = *arg != 0;
    for (const char *p = arg; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr("_-./=:,+@%", *p);
    if (plain) {
        sb_puts(sb, arg);
        return;
    }
    sb_putc(sb, '\'');
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            sb_puts(sb, "'\\''");
        else
            sb_putc(sb, *p);
    }
    sb_putc(sb, '\'');
}

/* The crate `ws run` runs: the selected package's only bin, or --bin's. Returns its
 * index, or UINT32_MAX after printing cargo's error. */
static uint32_t run_target(const WsWorkspace *ws, const WsGraph *g, const char *bin)
{
    uint32_t found = UINT32_MAX, count = 0;
    StrBuf names = {0};
    for (uint32_t i = 0; i < g->crates.len; i++) {
        const WsCrate *c = &g->crates.data[i];
        const WsTarget *t = ws_crate_target(ws, c);
        if (!t->is_bin || !ws->packages.data[c->package].selected)
            continue;
        if (bin && strcmp(bin, t->name) != 0)
            continue;
        sb_printf(&names, "%s%s", count ? ", " : "", t->name);
        found = i;
        count++;
    }
    if (count == 1) {
        sb_free(&names);
        return found;
    }
    if (bin)
        fprintf(stderr, "error: no bin target named `%s` in default-run packages\n", bin);
    else if (!count)
        fprintf(stderr, "error: a bin target must be available for `cargo run`\n");
    else
        fprintf(stderr,
                "error: `cargo run` could not determine which binary to run. Use the `--bin` option to "
                "specify a binary, or the `default-run` manifest key.\navailable binaries: %s\n",
                sb_str(&names));
    sb_free(&names);
    return UINT32_MAX;
}

static int run_program(const WsWorkspace *ws, const char *exe, const WsBuildOptions *o)
{
    size_t cl = strlen(ws->cwd);
    const char *shown = strncmp(exe, ws->cwd, cl) == 0 && exe[cl] == '/' ? exe + cl + 1 : exe;
    StrBuf line = {0};
    shell_quote(&line, shown);
    for (int i = 0; i < o->nrun_args; i++) {
        sb_putc(&line, ' ');
        shell_quote(&line, o->run_args[i]);
    }
    fprintf(stderr, "     Running `%s`\n", sb_str(&line));
    fflush(stderr);
    fflush(stdout);
    char **argv = xcalloc((size_t)o->nrun_args + 2, sizeof(char *));
    argv[0] = (char *)exe;
    for (int i = 0; i < o->nrun_args; i++)
        argv[i + 1] = o->run_args[i];
    int status = EXIT_COMPILE;
    pid_t pid = fork();
    if (pid == 0) {
        execv(exe, argv);
        _exit(127);
    }
    int ws_status;
    if (pid < 0 || waitpid(pid, &ws_status, 0) < 0) {
        fprintf(stderr, "error: could not execute process `%s`: %s\n", sb_str(&line), strerror(errno));
    } else if (WIFEXITED(ws_status)) {
        status = WEXITSTATUS(ws_status);
    } else if (WIFSIGNALED(ws_status)) {
        int sig = WTERMSIG(ws_status);
        fprintf(stderr, "error: process didn't exit successfully: `%s` (signal: %d, SIG%s: %s)\n", sb_str(&line),
                sig, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", strsignal(sig));
    }
    xfree(argv);
    sb_free(&line);
    return status;
}

/* ---------------------------------------------------------------- ws build */

static void print_finished(uint64_t start_ns)
{
    double s = (double)(clock_ns() - start_ns) / 1e9;
    if (s < 60)
        fprintf(stderr, "    Finished `dev` profile [unoptimized + debuginfo] target(s) in %.2fs\n", s);
    else
        fprintf(stderr, "    Finished `dev` profile [unoptimized + debuginfo] target(s) in %dm %02ds\n",
                (int)(s / 60), (int)s % 60);
}

int ws_build(WsWorkspace *ws, const WsBuildOptions *o, uint64_t start_ns)
{
    WsGraph graph;
    bool ok = ws_graph_build(&graph, ws);
    diag_flush(&ws->diag, stderr);
    if (!ok) {
        ws_graph_free(&graph);
        return EXIT_COMPILE;
    }
    uint32_t n = graph.crates.len;
    uint32_t runs = UINT32_MAX;
    if (o->run && (runs = run_target(ws, &graph, o->bin)) == UINT32_MAX) {
        ws_graph_free(&graph);
        return EXIT_COMPILE;
    }
    BuildRun run = {
        .ws = ws,
        .graph = &graph,
        .display_paths = xcalloc(n + 1, sizeof(char *)),
        .obj_dirs = xcalloc(n + 1, sizeof(char *)),
        .outputs = xcalloc(n + 1, sizeof(char *)),
        .announced = xcalloc(ws->packages.len + 1, sizeof(atomic_bool)),
        .objects = xcalloc(n + 1, sizeof(char **)),
        .nobjects = xcalloc(n + 1, sizeof(uint32_t)),
    };
    ws_ifaces_init(&run.ifaces, n);
    char *state = ws_state_dir(&ws->arena, ws->root);
    for (uint32_t i = 0; i < n; i++) {  /* computed here: the jobs must not touch ws->arena */
        const WsCrate *c = &graph.crates.data[i];
        const WsTarget *t = ws_crate_target(ws, c);
        const char *pkg = ws->packages.data[c->package].name;
        run.display_paths[i] = ws_display_path(ws, t->path);
        run.obj_dirs[i] = t->is_bin ? arena_printf(&ws->arena, "%s/obj/%s-bin-%s", state, pkg, t->name)
                                    : arena_printf(&ws->arena, "%s/obj/%s-lib", state, pkg);
        run.outputs[i] = t->is_bin ? arena_printf(&ws->arena, "%s/debug/%s", state, t->name) : NULL;
    }
    for (uint32_t i = 0; i < ws->packages.len; i++)
        atomic_init(&run.announced[i], false);
    WsJobState *states = xcalloc(n + 1, sizeof(WsJobState));
    uint32_t failed = ws_sched_run(&graph, o->jobs, build_job, &run, stderr, states);
    int status = failed ? EXIT_COMPILE : 0;
    if (!failed)
        print_finished(start_ns);
    char *exe = !failed && o->run ? xstrdup(run.outputs[runs]) : NULL;
    xfree(states);
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t k = 0; k < run.nobjects[i]; k++)
            xfree(run.objects[i][k]);
        xfree(run.objects[i]);
    }
    xfree(run.objects);
    xfree(run.nobjects);
    ws_ifaces_free(&run.ifaces, n);
    xfree(run.display_paths);
    xfree(run.obj_dirs);
    xfree(run.outputs);
    xfree(run.announced);
    ws_graph_free(&graph);
    if (exe) {
        if (o->lock)
            ws_state_unlock(o->lock);  /* the program may run ws itself */
        status = run_program(ws, exe, o);
        xfree(exe);
    }
    return status;
}

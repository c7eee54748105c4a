/*
 * workspace/main.c — the `ws` program.
 *
 *   ws [OPTIONS] <COMMAND>
 *     check    parse, resolve and type-check every crate the current directory selects
 *     build    compile them and link the bin crates into target/ws/debug/ (build.c)
 *     run      build, then run the selected bin: ws run [--bin NAME] [-- ARGS...]
 *     clean    remove what ws keeps under target/ws/
 *   Options (before or after the command):
 *     --manifest-path <PATH>   the Cargo.toml to start from (else the current directory's)
 *     -j, --jobs <N>           crates compiled at once (default: the number of cores)
 *     --dump=tokens|ast|types  print a frontend stage's output (check; runs with -j1)
 *     --explain                say per crate why it was compiled or not
 *     --timings                write an HTML report of the run (timings.c)
 *   Environment:
 *     WS_LINK_VERIFY=1         every incremental link is verified by a full link with
 *                              the same layout; a difference fails the build
 *
 * Messages imitate cargo 1.95 on stderr: "   Compiling name v0.1.0 (/abs/dir)" (or
 * "    Checking") per crate compiled and "       Fresh ..." per crate not (see build.c),
 * each crate's diagnostics flushed whole, "error: could not compile `name` (bin
 * "name") due to N previous errors" and exit status 101, else "    Finished ...".
 * Usage errors exit with 1, as cargo's.
 */
#include "frontend/frontend.h"
#include "workspace/workspace.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE 1
#define EXIT_COMPILE 101

typedef struct Options {
    const char *command;
    const char *manifest_path;
    const char *bin;      /* run --bin */
    char **run_args;      /* after `--` */
    int nrun_args;
    uint32_t jobs;
    FeDump dump;
    bool explain;
    bool timings;
} Options;

static const char usage_text[] =
    "ws — a workspace compiler for a subset of Rust\n"
    "\n"
    "Usage: ws [OPTIONS] <COMMAND>\n"
    "\n"
    "Commands:\n"
    "  check    Check the selected packages and all their dependencies for errors\n"
    "  build    Compile the selected packages and link their binaries\n"
    "  run      Build and run a binary of the selected package (-- args for it)\n"
    "  clean    Remove what ws keeps under target/ws/\n"
    "\n"
    "Options:\n"
    "      --manifest-path <PATH>   Path to Cargo.toml\n"
    "  -j, --jobs <N>               Number of crates compiled at once (default: number of cores)\n"
    "      --dump=<STAGE>           Print a stage's output: tokens, ast or types (check)\n"
    "      --explain                Say for every crate why it was or was not compiled\n"
    "      --timings                Write a report of where the time went (target/ws/timings/)\n"
    "  -h, --help                   Print help\n"
    "  -V, --version                Print version\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("error: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n\nUsage: ws [OPTIONS] <COMMAND>\n\nFor more information, try '--help'.\n", stderr);
    return EXIT_USAGE;
}

/* The value of an option: "--opt=value", "--opt value", "-jN". NULL when missing. */
static const char *option_value(int argc, char **argv, int *i, const char *arg, size_t name_len)
{
    if (arg[name_len] == '=')
        return arg + name_len + 1;
    if (arg[name_len] != 0)
        return arg + name_len;  /* -j4 */
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static bool option_is(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == 0 || arg[n] == '=' || (name[1] != '-' && arg[n]));
}

/* Fills o from argv; returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, Options *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (Options){.jobs = cores > 0 ? (uint32_t)cores : 1};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0) {
            puts("ws 0.1.0");
            return 0;
        }
        if (strcmp(arg, "--") == 0 && o->command && strcmp(o->command, "run") == 0) {
            o->run_args = argv + i + 1;
            o->nrun_args = argc - i - 1;
            break;
        }
        if (option_is(arg, "--bin")) {
            o->bin = option_value(argc, argv, &i, arg, strlen("--bin"));
            if (!o->bin || !*o->bin)
                return usage_error("a value is required for '--bin <NAME>' but none was supplied");
            continue;
        }
        if (option_is(arg, "--manifest-path")) {
            o->manifest_path = option_value(argc, argv, &i, arg, strlen("--manifest-path"));
            if (!o->manifest_path || !*o->manifest_path)
                return usage_error("a value is required for '--manifest-path <PATH>' but none was supplied");
        } else if (option_is(arg, "--jobs") || option_is(arg, "-j")) {
            const char *v = option_value(argc, argv, &i, arg, arg[1] == '-' ? strlen("--jobs") : 2);
            char *end;
            long n = v ? strtol(v, &end, 10) : 0;
            if (!v || !*v || *end || n <= 0 || n > 4096)
                return usage_error("invalid value '%s' for '--jobs <N>': expected a number from 1 to 4096",
                                   v ? v : "");
            o->jobs = (uint32_t)n;
        } else if (strcmp(arg, "--explain") == 0) {
            o->explain = true;
        } else if (strcmp(arg, "--timings") == 0) {
            o->timings = true;
        } else if (option_is(arg, "--dump")) {
            const char *v = option_value(argc, argv, &i, arg, strlen("--dump"));
            static const char *const names[] = {"tokens", "ast", "types"};
            static const FeDump kinds[] = {FE_DUMP_TOKENS, FE_DUMP_AST, FE_DUMP_TYPES};
            o->dump = FE_DUMP_NONE;
            for (size_t k = 0; v && k < ARRAY_LEN(names); k++)
                if (strcmp(v, names[k]) == 0)
                    o->dump = kinds[k];
            if (o->dump == FE_DUMP_NONE)
                return usage_error("invalid value '%s' for '--dump <STAGE>': expected tokens, ast or types",
                                   v ? v : "");
        } else if (arg[0] == '-') {
            return usage_error("unexpected argument '%s' found", arg);
        } else if (!o->command) {
            if (strcmp(arg, "check") != 0 && strcmp(arg, "clean") != 0 && strcmp(arg, "build") != 0 &&
                strcmp(arg, "run") != 0)
                return usage_error("no such command: `%s`", arg);
            o->command = arg;
        } else {
            return usage_error("unexpected argument '%s' found", arg);
        }
    }
    if (!o->command) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (o->dump != FE_DUMP_NONE && strcmp(o->command, "check") != 0)
        return usage_error("--dump is only accepted by `ws check`");
    return -1;
}

/* ---------------------------------------------------------------- ws check, build, run */

/* cargo's elapsed time: "0.25s", "12.03s", "1m 05s". */
static void print_finished(uint64_t start_ns)
{
    double s = (double)(clock_ns() - start_ns) / 1e9;
    if (s < 60)
        fprintf(stderr, "    Finished `dev` profile [unoptimized + debuginfo] target(s) in %.2fs\n", s);
    else
        fprintf(stderr, "    Finished `dev` profile [unoptimized + debuginfo] target(s) in %dm %02ds\n",
                (int)(s / 60), (int)s % 60);
}

/* A true environment variable: set, and neither empty nor "0". */
static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

/* --timings: the report of the run, and cargo's line naming it. */
static void write_timings(const Options *o, WsWorkspace *ws, const WsGraph *g, const WsCrateResult *results,
                          uint64_t start_ns, int64_t started_ns)
{
    WsTimings t = {ws, g, results, strcmp(o->command, "check") == 0 ? "check" : "build", o->jobs, start_ns,
                   clock_ns(), started_ns};
    char *path = NULL, *err = NULL;
    if (ws_timings_write(&t, &path, &err)) {
        fprintf(stderr, "      Timing report saved to %s\n", path);
    } else {
        fprintf(stderr, "warning: could not write the timing report: %s\n", err);
        xfree(err);
    }
    xfree(path);
}

/* ws check, ws build and ws run: the crate pipeline (build.c) over the graph, then for
 * ws run the program (the lock released first: the program may run ws itself). */
static int cmd_compile(const Options *o, WsWorkspace *ws, WsLock *lock, uint64_t start_ns, int64_t started_ns)
{
    WsGraph graph;
    bool ok = ws_graph_build(&graph, ws);
    diag_flush(&ws->diag, stderr);
    bool run = strcmp(o->command, "run") == 0;
    uint32_t target = UINT32_MAX;
    if (!ok || (run && (target = ws_run_target(ws, &graph, o->bin)) == UINT32_MAX)) {
        ws_graph_free(&graph);
        return EXIT_COMPILE;
    }
    if (run)  /* as cargo run: only the bin it runs, and what it needs */
        target = ws_graph_restrict(&graph, target);
    WsRunOptions opts = {
        .build = strcmp(o->command, "check") != 0,
        .jobs = o->jobs,
        .dump = o->dump,
        .dump_to = stdout,
        .explain = o->explain,
        .link_verify = env_flag("WS_LINK_VERIFY"),
        .tc = &ws_toolchain,
        .out = stderr,
    };
    WsCrateResult *results = arena_new(&ws->arena, WsCrateResult, graph.crates.len + 1);
    uint32_t failed = ws_run_crates(ws, &graph, &opts, results);
    if (o->timings)
        write_timings(o, ws, &graph, results, start_ns, started_ns);
    if (!failed)
        print_finished(start_ns);
    char *exe = !failed && run ? ws_program_path(&ws->arena, ws, &graph.crates.data[target]) : NULL;
    ws_graph_free(&graph);
    if (!exe)
        return failed ? EXIT_COMPILE : 0;
    ws_state_unlock(lock);
    return ws_run_program(ws, exe, o->run_args, o->nrun_args);
}

/* ---------------------------------------------------------------- ws clean */

/* cargo's sizes: "512B", "1.5KiB", "12.0MiB". */
static void human_bytes(char *out, size_t size, uint64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) {
        snprintf(out, size, "%lluB", (unsigned long long)bytes);
        return;
    }
    double v = (double)bytes / 1024;
    size_t u = 0;
    while (v >= 1024 && u + 1 < ARRAY_LEN(units)) {
        v /= 1024;
        u++;
    }
    snprintf(out, size, "%.1f%s", v, units[u]);
}

static int cmd_clean(WsWorkspace *ws)
{
    uint64_t files, bytes;
    char *err = NULL;
    if (!ws_state_clean(ws->root, &files, &bytes, &err)) {
        fprintf(stderr, "error: %s\n", err);
        xfree(err);
        return EXIT_COMPILE;
    }
    if (files == 0) {
        fprintf(stderr, "     Removed 0 files\n");
    } else {
        char size[32];
        human_bytes(size, sizeof size, bytes);
        fprintf(stderr, "     Removed %llu file%s, %s total\n", (unsigned long long)files, files == 1 ? "" : "s",
                size);
    }
    return 0;
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    uint64_t start_ns = clock_ns();
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    Options o;
    int status = parse_args(argc, argv, &o);
    if (status >= 0)
        return status;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) {
        fprintf(stderr, "error: could not determine the current directory\n");
        return EXIT_COMPILE;
    }
    WsWorkspace ws;
    ws_init(&ws, cwd);
    if (!ws_load(&ws, o.manifest_path)) {
        diag_flush(&ws.diag, stderr);
        ws_free(&ws);
        return EXIT_COMPILE;
    }
    diag_flush(&ws.diag, stderr);
    WsLock lock;
    char *err = NULL;
    if (!ws_state_lock(ws.root, &lock, stderr, &err)) {
        fprintf(stderr, "error: %s\n", err);
        xfree(err);
        ws_free(&ws);
        return EXIT_COMPILE;
    }
    if (strcmp(o.command, "clean") == 0)
        status = cmd_clean(&ws);
    else
        status = cmd_compile(&o, &ws, &lock, start_ns, (int64_t)wall.tv_sec * 1000000000LL + wall.tv_nsec);
    ws_state_unlock(&lock);
    ws_free(&ws);
    return status;
}

/*
 * workspace/workspace.h — ws: Cargo.toml reading, the crate graph, the job scheduler
 * and the state under target/ws/.
 *
 * Owns, stage by stage (a file each):
 *   toml.c      a TOML reader for what real Cargo.toml files use, with diagnostics
 *   manifest.c  Cargo.toml semantics: workspace root discovery, members, packages,
 *               targets and path dependencies
 *   graph.c     the crate graph (a lib and/or bins per package), cycles, topological order
 *   sched.c     running crate jobs on up to -j threads in dependency order
 *   state.c     target/ws/: its layout, the build lock, `ws clean`
 *   build.c     `ws build` / `ws run`: code generation, objects and linking per crate
 * main.c (the `ws` program) drives them and calls the frontend per crate.
 *
 * Nothing here has global state: a WsWorkspace owns its arena, manifests and messages.
 */
#ifndef WORKSPACE_H
#define WORKSPACE_H

#include "common/common.h"

/* ---------------------------------------------------------------- TOML (toml.c) */

typedef enum TomlKind { TOML_STRING, TOML_INTEGER, TOML_BOOL, TOML_ARRAY, TOML_TABLE } TomlKind;

typedef struct TomlValue TomlValue;

/* One key of a table, in the order the document wrote it. */
typedef struct TomlEntry {
    const char *key;   /* the unquoted key, NUL-terminated */
    Span key_span;     /* where the key (its last dotted part) was written */
    TomlValue *value;
} TomlEntry;

struct TomlValue {
    TomlKind kind;
    uint32_t flags;            /* the parser's bookkeeping (how a table was defined) */
    Span span;                 /* the value as written; a table: its header or `{`..`}` */
    const char *str;           /* TOML_STRING: the decoded text, NUL-terminated */
    uint32_t str_len;          /* TOML_STRING: bytes in str (it may hold a NUL) */
    int64_t integer;           /* TOML_INTEGER */
    bool boolean;              /* TOML_BOOL */
    TomlValue **items;         /* TOML_ARRAY: the elements */
    uint32_t nitems, items_cap;
    TomlEntry *entries;        /* TOML_TABLE: the keys */
    uint32_t nentries, entries_cap;
};

/* Parses source file `file` of diag->sm into a tree allocated in arena. Returns the
 * root table, or NULL after reporting the first syntax or structure error to diag
 * (as cargo, which stops at the first TOML error). Any bytes are safe input. */
TomlValue *toml_parse(Arena *arena, Diag *diag, uint32_t file);
/* Returns the value of key in a table, or NULL when absent (or t is NULL/not a table). */
TomlValue *toml_get(const TomlValue *t, const char *key);
/* "string", "integer", "boolean", "array", "table": for "expected ..., found ..." messages. */
const char *toml_kind_name(TomlKind kind);

/* ---------------------------------------------------------------- manifests (manifest.c) */

/* A crate root of a package: its lib or one of its bins. */
typedef struct WsTarget {
    const char *name;        /* target name as Cargo.toml gives it ("my-app") */
    const char *crate_name;  /* the name Rust code sees: dashes become underscores */
    const char *path;        /* the root source file, absolute */
    bool is_bin;
} WsTarget;

/* A `[dependencies]` entry (always a path dependency; others are rejected). */
typedef struct WsDep {
    const char *name;        /* the key: the crate name code uses (dashes become underscores) */
    uint32_t package;        /* the package it names, an index in WsWorkspace.packages */
    Span span;               /* the entry in its manifest, for messages */
} WsDep;

typedef struct WsPackage {
    const char *name;        /* [package] name */
    const char *version;     /* [package] version, "0.0.0" when absent (as cargo) */
    const char *edition;     /* [package] edition, "2015" when absent */
    const char *dir;         /* the package directory: absolute, normalized, no trailing '/' */
    const char *manifest;    /* dir + "/Cargo.toml" */
    uint32_t manifest_file;  /* the manifest's file id in WsWorkspace.sources */
    bool has_lib;            /* lib is valid */
    WsTarget lib;
    Vec(WsTarget) bins;      /* sorted by name */
    Vec(WsDep) deps;         /* in manifest order */
    bool member;             /* a workspace member (else only a path dependency outside) */
    bool selected;           /* chosen by the command: cargo's choice for the current directory */
} WsPackage;

/* A loaded workspace: every package reachable from the members through path
 * dependencies. Packages are referred to by index; the Vec may move while loading. */
typedef struct WsWorkspace {
    Arena arena;             /* every string and tree of the workspace */
    SourceMap sources;       /* the manifests read, for messages */
    Diag diag;               /* manifest errors and warnings; the caller flushes them */
    const char *cwd;         /* the directory ws runs in (absolute) */
    const char *root;        /* the workspace root directory (absolute) */
    const char *root_manifest;  /* root + "/Cargo.toml" */
    bool is_virtual;         /* the root manifest has [workspace] and no [package] */
    Vec(WsPackage) packages; /* members in the order the manifest lists them, then others */
} WsWorkspace;

/* Prepares an empty workspace that runs in directory cwd (absolute). */
void ws_init(WsWorkspace *ws, const char *cwd);
/* Finds and reads the workspace as cargo does: from manifest_path when not NULL, else
 * from the nearest Cargo.toml at or above cwd, then up to the workspace root. Returns
 * false after reporting every error it found to ws->diag. */
bool ws_load(WsWorkspace *ws, const char *manifest_path);
void ws_free(WsWorkspace *ws);
/* Returns the package index of a name, or UINT32_MAX. */
uint32_t ws_find_package(const WsWorkspace *ws, const char *name);
/* How rustc run by cargo names a source file: relative to the workspace root when it is
 * inside, else absolute. The result lives in ws->arena. */
const char *ws_display_path(WsWorkspace *ws, const char *abs_path);
/* Joins rel to base (an absolute directory) unless rel is absolute, and normalizes the
 * result lexically (no `.`, `..` or doubled '/'), as cargo does. Lives in arena. */
char *ws_path_join(Arena *arena, const char *base, const char *rel);

/* ---------------------------------------------------------------- crate graph (graph.c) */

/* One crate: a package's lib or one of its bins. */
typedef struct WsCrate {
    uint32_t package;   /* index in WsWorkspace.packages */
    int32_t bin;        /* index in the package's bins, or -1 for its lib */
    uint32_t *deps;     /* the crates it needs, indices in WsGraph.crates (each lower than its own) */
    uint32_t ndeps;
} WsCrate;

typedef struct WsGraph {
    Arena arena;            /* the dependency lists */
    Vec(WsCrate) crates;    /* in topological order: every crate after every crate it needs */
} WsGraph;

/* Builds the graph of the selected packages' crates and every crate they need: each
 * package's lib before its bins, a bin needing its own package's lib, every crate
 * needing the libs of its package's dependencies. Returns false after reporting a
 * dependency cycle (naming every package on it, as cargo) to ws->diag. */
bool ws_graph_build(WsGraph *g, WsWorkspace *ws);
void ws_graph_free(WsGraph *g);
/* The target (lib or bin) a crate compiles. */
const WsTarget *ws_crate_target(const WsWorkspace *ws, const WsCrate *c);

/* ---------------------------------------------------------------- scheduler (sched.c) */

typedef enum WsJobState {
    WS_JOB_WAITING,   /* not run yet (only seen while a run is going on) */
    WS_JOB_DONE,      /* the job returned true */
    WS_JOB_FAILED,    /* the job returned false */
    WS_JOB_SKIPPED,   /* not run: a crate it needs failed or was skipped */
} WsJobState;

typedef struct WsSched WsSched;

/* Compiles crate `index` of the graph; returns false when it failed. Runs on a worker
 * thread (with a 64 MiB stack), concurrently with other jobs: everything it touches
 * must be its own or read-only, and it writes only through ws_sched_print. */
typedef bool (*WsJobFn)(void *ctx, uint32_t index, WsSched *sched);

/* Runs job for every crate of g, each once every crate it needs has succeeded, at most
 * `jobs` (>= 1) at once, lowest index first among those ready. A crate that fails stops
 * its dependents (they are skipped); every other crate still runs. Fills states (one
 * per crate) and returns the number of failed crates. Output goes to `out`. */
uint32_t ws_sched_run(const WsGraph *g, uint32_t jobs, WsJobFn job, void *ctx, FILE *out, WsJobState *states);
/* Writes one whole message (e.g. a crate's flushed diagnostics) to the run's output:
 * messages from concurrent jobs never interleave. */
void ws_sched_print(WsSched *s, const char *text, size_t len);

/* ---------------------------------------------------------------- state (state.c) */

/* The build lock of one workspace (see state.c for the layout of target/ws/). */
typedef struct WsLock {
    int fd;  /* the locked file, -1 when not held */
} WsLock;

/* Returns root + "/target/ws", in arena. */
char *ws_state_dir(Arena *arena, const char *root);
/* Creates target/ws/ under the workspace root and takes its lock. When another ws holds
 * it, prints "    Blocking waiting for file lock on build directory" to `notice` (as
 * cargo) and waits. Returns false with *err (heap) when the lock cannot be taken. */
bool ws_state_lock(const char *root, WsLock *lock, FILE *notice, char **err);
/* Releases the lock (closing its file). */
void ws_state_unlock(WsLock *lock);
/* Removes everything under target/ws/ but the lock file (the caller holds the lock),
 * counting the files and bytes removed. Returns false with *err on the first failure. */
bool ws_state_clean(const char *root, uint64_t *files, uint64_t *bytes, char **err);

/* ---------------------------------------------------------------- build (build.c) */

/* What `ws build` / `ws run` were asked for. */
typedef struct WsBuildOptions {
    uint32_t jobs;        /* crates compiled at once (>= 1) */
    bool run;             /* ws run: run the selected bin after a successful build */
    const char *bin;      /* ws run --bin NAME, or NULL */
    char **run_args;      /* ws run -- ARGS... */
    int nrun_args;
    WsLock *lock;         /* released before the program runs (it may be NULL) */
} WsBuildOptions;

/* Builds every crate of the selected packages into target/ws/ (layout at the top of
 * build.c) with cargo's messages on stderr; for ws run then runs the bin. Returns the
 * exit status: 0, 101 on a failed build, or the program's own status. */
int ws_build(WsWorkspace *ws, const WsBuildOptions *o, uint64_t start_ns);

struct FeDep;
struct FeSession;
struct FeCrate;

/* Interfaces that lib crates hand to their dependents within one run: slot i holds
 * crate i's payload (fe_interface_write) once its job has succeeded. */
typedef struct WsIfaces {
    char **meta;     /* per crate: heap payload, NULL until written (and for bins) */
    size_t *len;
} WsIfaces;

void ws_ifaces_init(WsIfaces *f, uint32_t ncrates);
void ws_ifaces_free(WsIfaces *f, uint32_t ncrates);
/* The FeDeps of crate `index` (each dependency by the name its code uses), from the
 * slots of the crates it needs; heap array (caller frees), count in *n. */
struct FeDep *ws_crate_fe_deps(const WsWorkspace *ws, const WsGraph *g, uint32_t index, const WsIfaces *f,
                               uint32_t *n);
/* Writes a checked lib crate's interface into its slot. */
void ws_ifaces_store(WsIfaces *f, uint32_t index, struct FeSession *sess, struct FeCrate *crate);

#endif

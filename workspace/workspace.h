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
 *   fingerprint.c  per-crate fingerprints: what a compile read and wrote, and whether it
 *               must run again
 *   meta.c      <crate>.wsmeta interface files that dependents load
 *   build.c     the one crate pipeline of `ws check` and `ws build`, and --explain
 *   link.c      linking a bin crate's program, and the record that skips an unneeded link
 *   timings.c   `ws build --timings`: the HTML report of a run's schedule and phases
 *   toolchain.c the real frontend, code generator and linker, as build.c calls them
 *   program.c   `ws run`: choosing the bin and running it as cargo does
 * main.c (the `ws` program) parses the command line and runs the commands.
 *
 * Nothing here has global state: a WsWorkspace owns its arena, manifests and messages.
 */
#ifndef WORKSPACE_H
#define WORKSPACE_H

#include "common/common.h"
#include "frontend/frontend.h"

/* ---------------------------------------------------------------- build id (generated) */

/* The compiler's build id: XXH3-128 of every compiler, runtime, linker and driver source
 * and of the build flags, computed by the Makefile (workspace/module.mk). It changes
 * whenever any of them does; every fingerprint and interface file records it. */
Hash128 ws_build_id(void);
/* XXH3-128 of the embedded runtime object named `name` ("rt/start.o", as rt_objects()
 * names it), computed by the Makefile from the same bytes; zero for an unknown name. */
Hash128 ws_runtime_hash(const char *name);

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
/* Keeps only crate `keep` and the crates it needs, directly or not, in their order (as
 * `cargo run --bin` builds only that bin); returns keep's new index. */
uint32_t ws_graph_restrict(WsGraph *g, uint32_t keep);
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
/* The worker (0 .. jobs-1) that runs crate index's job (call it from that job): its
 * lane in a timings report. */
uint32_t ws_sched_worker(WsSched *s, uint32_t index);
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
/* A crate's name in state file names: "<package>.lib" or "<package>.bin.<bin>" (package
 * names hold no '.', so two crates never share one). Lives in arena. */
char *ws_crate_key(Arena *arena, const WsWorkspace *ws, const WsCrate *c);
/* target/ws/<sub>/<key><suffix>, in arena (sub: "fingerprint", "meta", "obj", "link",
 * "debug"). */
char *ws_state_path(Arena *arena, const char *root, const char *sub, const char *key, const char *suffix);
/* A crate's object directory name under target/ws/obj/: "<package>-lib" or
 * "<package>-bin-<bin>". Lives in arena. (Two crates can share one in a contrived
 * workspace — package `a` with a bin `lib` and a package `a-bin` — which build.c
 * resolves by falling back to the crate key.) */
char *ws_crate_obj_name(Arena *arena, const WsWorkspace *ws, const WsCrate *c);
/* The program of bin crate c: <root>/target/ws/debug/<bin>, in arena. */
char *ws_program_path(Arena *arena, const WsWorkspace *ws, const WsCrate *c);

/* ---------------------------------------------------------------- interfaces (meta.c) */

/* A loaded <crate>.wsmeta. */
typedef struct WsMeta {
    char *data;            /* the whole payload (heap; ws_meta_free) */
    const void *iface;     /* the frontend's interface bytes inside it: FeDep.meta */
    size_t len;            /* their length: FeDep.meta_len */
} WsMeta;

/* Writes an interface payload (fe_interface_write's) to path, atomically, with a magic,
 * a format version, the compiler's build id and a checksum around it. */
bool ws_meta_write(const char *path, const void *iface, size_t len, char **err);
/* Loads path. False with *why (heap) when it is missing ("missing"), damaged, of another
 * format, or written by another compiler build: its crate must then be compiled again. */
bool ws_meta_read(const char *path, WsMeta *meta, char **why);
void ws_meta_free(WsMeta *meta);


/* ---------------------------------------------------------------- fingerprints (fingerprint.c) */

/* What a compile produced, as bits of WsFingerprint.outputs. */
enum {
    WS_OUT_INTERFACE = 1,  /* the lib's <crate>.wsmeta */
    WS_OUT_OBJECTS = 2,    /* codegen's objects (ws build) */
};

/* A source file a crate's last compile read. */
typedef struct WsFpSource {
    const char *display;   /* as diagnostics name it ("crates/ledger/src/lib.rs") */
    const char *path;      /* on disk, absolute */
    uint64_t size;         /* st_size when recorded */
    int64_t mtime_ns;      /* st_mtim when recorded */
    Hash128 content;       /* XXH3-128 of the bytes the compile read */
    bool racy;             /* mtime too close to the compile to trust: compare content */
} WsFpSource;

/* A file ws wrote (an object, a program), as recorded right after writing it. */
typedef struct WsFpFile {
    const char *name;      /* its name in its directory ("crate.o", "geom.shapes.o") */
    uint64_t size;         /* st_size */
    int64_t mtime_ns;      /* st_mtim */
    int64_t ctime_ns;      /* st_ctim: any write or touch moves it, and no one can set it back */
    uint64_t ino;          /* st_ino: every atomic rewrite makes a new inode */
    Hash128 content;       /* XXH3-128 of its bytes */
} WsFpFile;

/* One item of a dependency's interface (fe_interface_items). */
typedef struct WsFpItem {
    const char *path;      /* "ledger::Account::deposit" */
    Hash128 hash;
} WsFpItem;

/* A direct dependency as a compile saw it. */
typedef struct WsFpDep {
    const char *name;      /* the name code uses */
    const char *key;       /* the dependency's crate key (ws_crate_key) */
    Hash128 iface;         /* its interface hash */
    WsFpItem *items;       /* its interface items, for --explain (saved) */
    uint32_t nitems;
    const void *meta;      /* the current interface payload (never saved; may be NULL) */
    size_t meta_len;
} WsFpDep;

/* Everything a crate's compile depends on, and what it produced. */
typedef struct WsFingerprint {
    Hash128 build_id;      /* ws_build_id() of the compiler that compiled */
    const char *flags;     /* "key=value" lines of the flags that change a compile's output */
    const char *spec;      /* "key=value" lines: the crate as the frontend is given it */
    uint32_t outputs;      /* WS_OUT_* bits */
    Hash128 iface;         /* the interface hash the compile produced (zero for a bin) */
    Hash128 meta;          /* XXH3-128 of the interface payload it wrote (zero for a bin) */
    WsFpSource *sources;   /* every file the compile read, root first */
    uint32_t nsources;
    WsFpDep *deps;         /* in the order the frontend was given them */
    uint32_t ndeps;
    WsFpFile *objects;     /* with WS_OUT_OBJECTS: the objects it wrote, in link order */
    uint32_t nobjects;
} WsFingerprint;

/* Returns the items of an interface payload (fe_interface_items, passed in so that this
 * file does not need the frontend linked); false when the payload is damaged. */
typedef bool (*WsItemsFn)(const void *meta, size_t meta_len,
                          void (*fn)(void *ctx, const char *path, Hash128 item_hash), void *ctx);

/* Records a file a compile read: display path, path on disk and the text the compile
 * saw. Stats the file; marks it racy when its mtime is not older than compile_start_ns
 * (CLOCK_REALTIME) less one second, or when its size is not the text's. */
WsFpSource ws_fp_source(Arena *arena, const char *display, const char *path, const char *text, size_t len,
                        int64_t compile_start_ns);
/* Records a file ws just wrote at path under `name` (copied into arena): stats it and
 * hashes its bytes. False with *err (heap) when it cannot be read. */
bool ws_fp_file_record(Arena *arena, const char *path, const char *name, WsFpFile *f, char **err);

/* As ws_fp_file_record, but without reading the file: its content hash stays zero, and
 * ws_fp_file_check then trusts only its identity (inode, size, mtime, ctime). For the
 * programs, which the linker patches in place and whose state checks the same identity:
 * hashing megabytes after every link would cost more than the link. */
bool ws_fp_file_stat(Arena *arena, const char *path, const char *name, WsFpFile *f, char **err);

/* What became of a written file since its record. */
typedef enum WsFileState {
    WS_FILE_SAME,          /* the recorded bytes (f's stat fields refreshed when they moved) */
    WS_FILE_MISSING,       /* gone */
    WS_FILE_CHANGED,       /* other bytes: damaged, replaced or foreign */
} WsFileState;

/* Compares the file at path with its record. The same inode, size, mtime and ctime are
 * trusted without reading the file; otherwise its content hash decides (a record without
 * one, from ws_fp_file_stat, is then CHANGED), and when the
 * bytes are the recorded ones f's stat fields are updated and *moved set (the caller
 * saves the record again, so the next check is a stat). */
WsFileState ws_fp_file_check(const char *path, WsFpFile *f, bool *moved);
/* Fills dep->items (in arena) from dep->meta; false when the payload is damaged. */
bool ws_fp_dep_items(Arena *arena, WsFpDep *dep, WsItemsFn items);
/* Writes a fingerprint file atomically with a checksum. */
bool ws_fp_save(const char *path, const WsFingerprint *fp, char **err);
/* Reads a fingerprint file into arena. False with *why (heap): "missing", or why it
 * cannot be trusted ("checksum mismatch", "bad magic", "malformed", ...). */
bool ws_fp_load(Arena *arena, const char *path, WsFingerprint *fp, char **why);

/* The outcome of comparing the last compile's fingerprint with the present. */
typedef struct WsFpVerdict {
    bool fresh;            /* nothing the compile read or was given changed */
    bool restat;           /* fresh, but some file's size/mtime/racy mark moved: save `now` */
    StrBuf why;            /* one line per reason, for --explain (the caller frees it) */
} WsFpVerdict;

/*
 * Decides whether a crate whose last compile recorded `old` must be compiled again.
 * `now` carries the present build id, flags, spec and dependencies (interface hashes,
 * and the payload of any whose hash moved, to name the changed items); its sources are
 * filled here from old's, restatted, and its outputs (interface hash, payload hash,
 * objects) copied from old's. A file counts as changed only when its content does: a
 * size and mtime equal to the record (and not racy) skip reading it; otherwise it is
 * read and hashed, and an mtime-only touch leaves the crate fresh. `need` are the
 * WS_OUT_* bits the command needs. Reasons say which file, flag, spec line, dependency
 * and interface item moved. (Whether the outputs are still on disk is the caller's.)
 */
void ws_fp_decide(Arena *arena, const WsFingerprint *old, WsFingerprint *now, uint32_t need, WsItemsFn items,
                  int64_t now_ns, WsFpVerdict *v);

/* The record of a bin's last link (link.c): what it linked and the program it wrote. */
typedef struct WsLinkRecord {
    Hash128 build_id;            /* ws_build_id() of the ws that linked */
    const char *const *objects;  /* the objects' paths, in link order */
    const Hash128 *hashes;       /* their content hashes */
    uint32_t nobjects;
    WsFpFile program;            /* the program as written (name unused) */
} WsLinkRecord;

/* Writes a link record atomically with a checksum. */
bool ws_link_record_save(const char *path, const WsLinkRecord *rec, char **err);
/* Reads a link record into arena. False with *why (heap): "missing", or why it cannot
 * be trusted. */
bool ws_link_record_load(Arena *arena, const char *path, WsLinkRecord *rec, char **why);

/* ---------------------------------------------------------------- linking (link.c) */

/* How a link went. */
typedef struct WsLinkStats {
    bool patched;          /* the program was patched in place (else linked in full) */
    char *full_reason;     /* a full link: the linker's reason (heap), e.g. "no
                              incremental state (a first link)"; NULL when patched */
    uint32_t sections;     /* patched: sections written (changed, added or moved) */
    uint64_t sites;        /* patched: relocation sites re-patched */
} WsLinkStats;

/* Links objects (in order) with the runtime into the program `output` incrementally
 * (the linker's state beside it: patched in place when it can be, else a full link),
 * atomically; with verify, the linker then links in full with the same layout and
 * requires the same bytes. Fills stats; false after appending the linker's messages
 * (a verify mismatch among them) to msg. */
typedef bool (*WsLinkFn)(const char *const *objects, uint32_t n, const char *output, bool verify,
                         WsLinkStats *stats, StrBuf *msg);

/* One bin crate's link. */
typedef struct WsLinkJob {
    const char *output;          /* the program: target/ws/debug/<bin> */
    const char *record;          /* its link record: target/ws/link/<crate key> */
    const char *const *objects;  /* every object it links, in link order (absolute paths) */
    const Hash128 *hashes;       /* each object's content hash, as recorded */
    uint32_t nobjects;
    const char *root;            /* the workspace root, to name files in messages */
    bool verify;                 /* the linker's verify mode (WsLinkFn) */
} WsLinkJob;

/* Links the program unless its record says the last link had these inputs (object
 * paths and content hashes, the compiler's build id) and the program on disk is still
 * the one it wrote. Sets *linked and, when it linked, stats (the caller frees
 * stats->full_reason); appends to why the reason it linked (one line, for --explain),
 * and to msg a warning for a damaged record or the linker's errors (then returns false,
 * the previous program untouched, or for a verify mismatch the patched one kept beside
 * the full link, and no record, so the next build links in full again). */
bool ws_link_program(const WsLinkJob *job, WsLinkFn link, bool *linked, WsLinkStats *stats, StrBuf *why,
                     StrBuf *msg);

/* ---------------------------------------------------------------- the crate pipeline (build.c) */

/* The compiler's entry points ws calls. main.c passes the real ones (ws_toolchain);
 * they are passed, not called by name, so that the pipeline is tested with a stand-in. */
/* One crate's code generation (WsToolchain.codegen): where its outputs go, and what
 * became of its functions. */
typedef struct WsCodegen {
    const char *dir;          /* its object directory (exists) */
    const char *cache;        /* its code cache (target/ws/cache/<key>.cgpack); NULL: none */
    StrBuf *files;            /* out: each object's name and a '\n', in link order */
    StrBuf *explain;          /* out when not NULL: "N functions compiled, M from the code
                                 cache", then a line per function compiled or removed */
    uint32_t compiled, reused;/* out: functions (and data items) generated, and reused */
    uint64_t write_ns;        /* out: time spent writing objects (added to) */
} WsCodegen;

typedef struct WsToolchain {
    void (*session_init)(FeSession *sess);
    void (*session_free)(FeSession *sess);
    FeCrate *(*check_crate)(FeSession *sess, const FeCrateSpec *spec);
    void (*interface_write)(FeSession *sess, const FeCrate *crate, StrBuf *out, Hash128 *hash);
    WsItemsFn interface_items;
    /* Generates a checked crate's code (each function from cg->cache when it is there)
     * and writes one object per module into cg->dir, each atomically and only when its
     * bytes changed; fills the rest of *cg. False when the crate cannot be compiled (the
     * errors are in sess->diag) or, with *err (heap), when a file cannot be written. */
    bool (*codegen)(FeSession *sess, FeCrate *crate, WsCodegen *cg, char **err);
    WsLinkFn link;
} WsToolchain;

/* The real toolchain: the frontend, the code generator and relink's library with the
 * runtime's embedded objects (toolchain.c). */
extern const WsToolchain ws_toolchain;

/* What became of one crate in a run. */
typedef enum WsOutcome {
    WS_OUTCOME_FRESH,         /* not compiled: nothing it reads changed, its outputs are intact */
    WS_OUTCOME_COMPILED,      /* compiled (a lib: its interface changed, or is new) */
    WS_OUTCOME_SAME_IFACE,    /* compiled, and its interface hash is the last one: dependents stay fresh */
    WS_OUTCOME_FAILED,        /* compiled with errors, or its program failed to link */
    WS_OUTCOME_SKIPPED,       /* not compiled: a crate it needs failed */
} WsOutcome;

/* The phases of a crate's job, timed for --timings (WsCrateResult.phase_ns). */
#define WS_PHASES(X)                                      \
    X(FINGERPRINT, "fingerprint")                         \
    X(FRONTEND, "frontend (parse, resolve, typeck)")      \
    X(INTERFACE, "interface")                             \
    X(CODEGEN, "codegen")                                 \
    X(WRITE, "write")                                     \
    X(RECORD, "record")                                   \
    X(LINK, "link")
typedef enum WsPhase {
#define X(id, name) WS_PHASE_##id,
    WS_PHASES(X)
#undef X
    WS_PHASE_COUNT
} WsPhase;

/* Human name of a phase ("codegen"). */
const char *ws_phase_name(WsPhase phase);

typedef struct WsCrateResult {
    WsOutcome outcome;
    bool linked;              /* ws build, a bin: its program was linked (not already up to date) */
    WsLinkStats link;         /* when linked: how (link.full_reason is NULL: it was said) */
    bool ran;                 /* its job ran (it was not skipped) */
    uint32_t worker;          /* the scheduler worker that ran it (ws_sched_worker) */
    uint64_t start_ns, end_ns;/* clock_ns() when its job started and ended */
    uint64_t phase_ns[WS_PHASE_COUNT]; /* time per phase (zero for phases it did not run) */
    uint32_t functions_compiled;  /* compiled: functions (and data items) generated */
    uint32_t functions_reused;    /* ... and taken from its code cache */
} WsCrateResult;

typedef struct WsRunOptions {
    bool build;               /* ws build (objects and programs); else ws check */
    uint32_t jobs;            /* crates compiled at once (>= 1); never part of a fingerprint */
    FeDump dump;              /* also print this stage of every crate (runs with one job) */
    FILE *dump_to;            /* where dumps go */
    bool explain;             /* say per crate why it was or was not compiled */
    bool link_verify;         /* ws build: every link verified (WsLinkFn's verify) */
    const WsToolchain *tc;
    FILE *out;                /* status lines, warnings and diagnostics (stderr) */
} WsRunOptions;

/*
 * `ws check` and `ws build`: runs the graph's crates in dependency order, up to o->jobs
 * at once, each through one pipeline (build.c): its fingerprint decides Fresh (only
 * the fingerprint's inputs are read, a lib's interface file, and for a build its
 * objects are confirmed) or compile (the frontend given its direct dependencies'
 * interfaces; a lib writes its interface; a build writes its objects); a lib whose
 * interface hash is the last one keeps its dependents fresh. A build then links each
 * bin crate's program (link.c) incrementally when its objects or the program moved,
 * saying "Linking bin (patched N sections, M sites)" or "(full link: reason)". Prints
 * cargo-like lines, each crate's diagnostics and, with explain, the reasons. Fills
 * results (one per crate, may be NULL); returns the number of failed crates.
 */
uint32_t ws_run_crates(WsWorkspace *ws, const WsGraph *g, const WsRunOptions *o, WsCrateResult *results);

/* ---------------------------------------------------------------- --timings (timings.c) */

/* A finished run, as --timings reports it. */
typedef struct WsTimings {
    const WsWorkspace *ws;
    const WsGraph *graph;
    const WsCrateResult *results;  /* one per crate of graph */
    const char *command;           /* "build" or "check" */
    uint32_t jobs;                 /* workers (lanes of the timeline) */
    uint64_t start_ns, end_ns;     /* clock_ns() at the start and the end of the run */
    int64_t started_ns;            /* the wall clock at the start (CLOCK_REALTIME, ns) */
} WsTimings;

/* Renders the report: self-contained HTML (inline CSS and SVG, no script) with a
 * timeline (a bar per crate on its worker's lane, fresh ones marked) and a table of
 * time per phase per crate. */
void ws_timings_html(StrBuf *out, const WsTimings *t);
/* Writes the report atomically to target/ws/timings/ws-timing-<stamp>.html and
 * ws-timing.html. Sets *path (heap) to the first; false with *err (heap). */
bool ws_timings_write(const WsTimings *t, char **path, char **err);

/* ---------------------------------------------------------------- ws run (program.c) */

/* The crate `ws run` runs: the selected package's only bin, or the one named bin (when
 * not NULL). Returns its index in g, or UINT32_MAX after printing cargo's error. */
uint32_t ws_run_target(const WsWorkspace *ws, const WsGraph *g, const char *bin);
/* Prints cargo's "     Running `path args`" line (path relative to the current
 * directory when inside it), runs exe with args and returns its exit status (101 and
 * cargo's message when it could not run or died of a signal). */
int ws_run_program(const WsWorkspace *ws, const char *exe, char **args, int nargs);

#endif

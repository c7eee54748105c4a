/*
 * workspace/manifest.c — Cargo.toml semantics: which workspace, which packages, which
 * crates and which path dependencies.
 *
 * Discovery follows cargo: the nearest Cargo.toml at or above the current directory
 * (or --manifest-path) is the starting manifest; when it has no [workspace], the first
 * ancestor directory whose Cargo.toml has one is the root, provided it lists the package
 * in `members` (glob patterns allowed) and not in `exclude` (`package.workspace =
 * "path"` names the root directly). Without such an ancestor the package is a workspace
 * of its own. The packages cargo would build from there are marked `selected`: the
 * starting package, or for the root manifest `default-members` or else (virtual
 * workspace) every member.
 *
 * Read: [package] name/version/edition (version and edition may be inherited with
 * `workspace = true` from [workspace.package]), autobins; [lib] name/path; [[bin]]
 * name/path and the automatic bins src/main.rs, src/bin/x.rs, src/bin/x/main.rs;
 * [dependencies] with `path`, `package =` renames and `workspace = true` (from
 * [workspace.dependencies]). Ignored as cargo build ignores them: dev-dependencies,
 * examples, tests, benches, profiles, patches. Rejected with `unsupported:` at the line:
 * registry and git dependencies, features, optional dependencies, build scripts and
 * build-dependencies, proc-macro crates, platform-specific dependencies.
 *
 * Path dependencies are followed transitively; those inside the root directory become
 * members (as in cargo), the others are loaded but not members.
 */
#include "workspace/workspace.h"

#include <dirent.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A manifest already read: its tree, so nothing is parsed (or shown) twice. */
typedef struct Manifest {
    const char *path;
    uint32_t file;
    TomlValue *doc;  /* NULL when it did not parse */
} Manifest;

/* A path dependency waiting for its package to be loaded. */
typedef struct PendingDep {
    uint32_t from;          /* the depending package */
    const char *name;       /* the key */
    const char *package;    /* the package name it expects */
    const char *dir;        /* where it is */
    Span span;
} PendingDep;

typedef struct Loader {
    WsWorkspace *ws;
    Vec(Manifest *) manifests;     /* in the arena, so pointers stay valid */
    bool members_read;
    TomlValue *root_doc;           /* the root manifest's tree (for `workspace = true`) */
    Vec(const char *) member_dirs; /* from `members`, excluded ones removed */
    Vec(const char *) exclude_dirs;
    Vec(PendingDep) pending;
} Loader;

/* ---------------------------------------------------------------- paths */

char *ws_path_join(Arena *arena, const char *base, const char *rel)
{
    StrBuf in = {0};
    if (rel[0] != '/') {
        sb_puts(&in, base);
        sb_putc(&in, '/');
    }
    sb_puts(&in, rel);
    /* Split on '/', drop "" and ".", let ".." remove the previous part. */
    const char *s = sb_str(&in);
    size_t n = strlen(s);
    char *out = arena_alloc(arena, n + 2);
    size_t len = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '/')
            j++;
        size_t part = j - i;
        if (part == 0 || (part == 1 && s[i] == '.')) {
            /* nothing */
        } else if (part == 2 && s[i] == '.' && s[i + 1] == '.') {
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--;  /* the '/' before the removed part */
        } else {
            out[len++] = '/';
            memcpy(out + len, s + i, part);
            len += part;
        }
        i = j + 1;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = 0;
    sb_free(&in);
    return out;
}

/* When path is dir itself or inside it, returns the rest ("" or "a/b"); else NULL. */
static const char *path_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (strcmp(dir, "/") == 0)
        return path + 1;
    if (strncmp(path, dir, n) != 0)
        return NULL;
    if (path[n] == 0)
        return path + n;
    return path[n] == '/' ? path + n + 1 : NULL;
}

const char *ws_display_path(WsWorkspace *ws, const char *abs_path)
{
    const char *rest = path_under(abs_path, ws->root);
    return rest && *rest ? arena_strdup(&ws->arena, rest) : abs_path;
}

/* The manifests' display paths, as cargo shows them: relative to the current directory,
 * with `..` where needed ("Cargo.toml", "crates/a/Cargo.toml", "../Cargo.toml"). */
static const char *cwd_display_path(WsWorkspace *ws, const char *abs_path)
{
    const char *cwd = ws->cwd;
    /* The longest common prefix that ends at a component boundary. */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        char a = abs_path[i], b = cwd[i];
        if ((a == '/' || a == 0) && (b == '/' || b == 0))
            common = i;
        if (a != b || a == 0)
            break;
    }
    StrBuf sb = {0};
    for (const char *c = cwd + common; *c; c++)
        if (*c == '/' && c[1])
            sb_puts(&sb, sb.len ? "/.." : "..");
    const char *rest = abs_path + common;
    if (*rest == '/')
        rest++;
    if (*rest) {
        if (sb.len)
            sb_putc(&sb, '/');
        sb_puts(&sb, rest);
    }
    const char *out = arena_strdup(&ws->arena, sb.len ? sb_str(&sb) : ".");
    sb_free(&sb);
    return out;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *parent_dir(Arena *arena, const char *path)
{
    return ws_path_join(arena, path, "..");
}

/* ---------------------------------------------------------------- reading */

void ws_init(WsWorkspace *ws, const char *cwd)
{
    memset(ws, 0, sizeof *ws);
    arena_init(&ws->arena);
    diag_init(&ws->diag, &ws->sources);
    ws->cwd = ws_path_join(&ws->arena, "/", cwd);
}

void ws_free(WsWorkspace *ws)
{
    vec_foreach(&ws->packages, p)
    {
        vec_free(&p->bins);
        vec_free(&p->deps);
    }
    vec_free(&ws->packages);
    diag_free(&ws->diag);
    srcmap_free(&ws->sources);
    arena_free(&ws->arena);
}

uint32_t ws_find_package(const WsWorkspace *ws, const char *name)
{
    for (uint32_t i = 0; i < ws->packages.len; i++)
        if (strcmp(ws->packages.data[i].name, name) == 0)
            return i;
    return UINT32_MAX;
}

/* Reads and parses a manifest once; returns NULL (after an error) when it cannot. */
static Manifest *read_manifest(Loader *L, const char *path)
{
    WsWorkspace *ws = L->ws;
    vec_foreach(&L->manifests, m) if (strcmp((*m)->path, path) == 0) return (*m)->doc ? *m : NULL;
    char *data, *err;
    size_t len;
    if (!file_read(path, &data, &len, &err)) {
        diag_plain(&ws->diag, DIAG_ERROR, "failed to read `%s`: %s", path, err);
        xfree(err);
        return NULL;
    }
    if (len > UINT32_MAX - 1) {
        diag_plain(&ws->diag, DIAG_ERROR, "`%s` is too large to be a manifest", path);
        xfree(data);
        return NULL;
    }
    char *text = arena_strndup(&ws->arena, data, len);
    xfree(data);
    Manifest *m = arena_new(&ws->arena, Manifest, 1);
    m->path = arena_strdup(&ws->arena, path);
    m->file = srcmap_add(&ws->sources, cwd_display_path(ws, path), text, (uint32_t)len);
    m->doc = toml_parse(&ws->arena, &ws->diag, m->file);
    vec_push(&L->manifests, m);
    return m->doc ? m : NULL;
}

__attribute__((format(printf, 3, 4))) static void error_at(WsWorkspace *ws, Span span,
                                                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(&ws->diag, DIAG_ERROR, span, NULL, fmt, ap);
    va_end(ap);
}

/* A key's line: from the key to the end of its value. */
static Span entry_span(const TomlEntry *e)
{
    Span s = e->key_span;
    if (e->value->span.file == s.file && e->value->span.hi > s.hi)
        s.hi = e->value->span.hi;
    return s;
}

/* Finds key in table t; NULL when absent; reports a type error (and sets *bad) when
 * present with another kind than `kind`. */
static TomlValue *get_kind(WsWorkspace *ws, const TomlValue *t, const char *key, TomlKind kind,
                           bool *bad)
{
    TomlValue *v = toml_get(t, key);
    if (v && v->kind != kind) {
        error_at(ws, v->span, "invalid type: expected %s for `%s`, found %s",
                 kind == TOML_TABLE ? "a table" : kind == TOML_ARRAY ? "an array" : "a string", key,
                 toml_kind_name(v->kind));
        *bad = true;
        return NULL;
    }
    return v;
}

static const char *get_str(WsWorkspace *ws, const TomlValue *t, const char *key, bool *bad)
{
    TomlValue *v = get_kind(ws, t, key, TOML_STRING, bad);
    if (v && strlen(v->str) != v->str_len) {
        error_at(ws, v->span, "`%s` must not contain a NUL character", key);
        *bad = true;
        return NULL;
    }
    return v ? v->str : NULL;
}

/* A list of strings (members, exclude, default-members). */
typedef Vec(TomlValue *) ValueList;

static bool get_str_list(WsWorkspace *ws, const TomlValue *t, const char *key, ValueList *out)
{
    bool bad = false;
    TomlValue *a = get_kind(ws, t, key, TOML_ARRAY, &bad);
    for (uint32_t i = 0; a && i < a->nitems; i++) {
        if (a->items[i]->kind != TOML_STRING) {
            error_at(ws, a->items[i]->span, "invalid type: expected a string in `%s`, found %s", key,
                     toml_kind_name(a->items[i]->kind));
            bad = true;
        } else {
            vec_push(out, a->items[i]);
        }
    }
    return !bad;
}

/* ---------------------------------------------------------------- workspace members */

static bool is_excluded(const Loader *L, const char *dir)
{
    for (uint32_t i = 0; i < L->exclude_dirs.len; i++)
        if (path_under(dir, L->exclude_dirs.data[i]))
            return true;
    return false;
}

static bool has_glob_chars(const char *s) { return strpbrk(s, "*?[") != NULL; }

/* Expands [workspace] members and exclude of the root (at dir) into L. */
static bool read_members(Loader *L, const TomlValue *wstable, const char *dir, const char *manifest)
{
    WsWorkspace *ws = L->ws;
    L->members_read = true;
    ValueList members = {0}, exclude = {0};
    bool ok = get_str_list(ws, wstable, "members", &members) &&
              get_str_list(ws, wstable, "exclude", &exclude);
    for (uint32_t i = 0; ok && i < exclude.len; i++)
        vec_push(&L->exclude_dirs, ws_path_join(&ws->arena, dir, exclude.data[i]->str));
    for (uint32_t i = 0; ok && i < members.len; i++) {
        const TomlValue *m = members.data[i];
        char *pattern = ws_path_join(&ws->arena, dir, m->str);
        glob_t g;
        int rc = glob(pattern, 0, NULL, &g);
        if (rc == GLOB_NOMATCH && has_glob_chars(m->str))
            continue;
        if (rc != 0 && rc != GLOB_NOMATCH) {
            error_at(ws, m->span, "could not expand the member pattern `%s`", m->str);
            ok = false;
            continue;
        }
        size_t count = rc == 0 ? g.gl_pathc : 1;
        for (size_t k = 0; k < count; k++) {
            const char *path = rc == 0 ? g.gl_pathv[k] : pattern;
            char *mdir = ws_path_join(&ws->arena, "/", path);
            if (is_excluded(L, mdir) || (has_glob_chars(m->str) && !is_dir(mdir)))
                continue;
            char *mf = ws_path_join(&ws->arena, mdir, "Cargo.toml");
            if (!is_file(mf)) {
                diag_plain(&ws->diag, DIAG_ERROR,
                           "failed to load manifest for workspace member `%s`\n"
                           "referenced via `%s` by workspace at `%s`\n\n"
                           "Caused by:\n  failed to read `%s`",
                           mdir, m->str, manifest, mf);
                ok = false;
                continue;
            }
            bool dup = false;
            vec_foreach(&L->member_dirs, d) dup |= strcmp(*d, mdir) == 0;
            if (!dup)
                vec_push(&L->member_dirs, mdir);
        }
        if (rc == 0)
            globfree(&g);
    }
    vec_free(&members);
    vec_free(&exclude);
    return ok;
}

static bool is_listed_member(const Loader *L, const char *dir)
{
    for (uint32_t i = 0; i < L->member_dirs.len; i++)
        if (strcmp(L->member_dirs.data[i], dir) == 0)
            return true;
    return false;
}

/* ---------------------------------------------------------------- packages */

static const char *crate_name_of(Arena *arena, const char *name)
{
    char *s = arena_strdup(arena, name);
    for (char *c = s; *c; c++)
        if (*c == '-')
            *c = '_';
    return s;
}

static bool valid_name(const char *s)
{
    if (!*s)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_'))
            return false;
    return true;
}

/* A [package] field that may say `workspace = true`: returns the string, inherited from
 * [workspace.package] when asked, or NULL (absent or error, see *bad). */
static const char *package_field(Loader *L, const TomlValue *pkg, const char *key, bool *bad)
{
    WsWorkspace *ws = L->ws;
    TomlValue *v = toml_get(pkg, key);
    if (!v)
        return NULL;
    if (v->kind == TOML_TABLE) {
        TomlValue *w = toml_get(v, "workspace");
        if (!w || w->kind != TOML_BOOL || !w->boolean) {
            error_at(ws, v->span, "`%s` must be a string or `{ workspace = true }`", key);
            *bad = true;
            return NULL;
        }
        TomlValue *inherited = toml_get(toml_get(toml_get(L->root_doc, "workspace"), "package"), key);
        if (!inherited || inherited->kind != TOML_STRING) {
            error_at(ws, v->span, "`%s` is inherited from the workspace, but `workspace.package.%s` is not a string",
                     key, key);
            *bad = true;
            return NULL;
        }
        return inherited->str;
    }
    return get_str(ws, pkg, key, bad);
}

static int compare_targets(const void *a, const void *b)
{
    return strcmp(((const WsTarget *)a)->name, ((const WsTarget *)b)->name);
}

static bool has_bin(const WsPackage *p, const char *name, const char *path)
{
    for (uint32_t i = 0; i < p->bins.len; i++)
        if (strcmp(p->bins.data[i].name, name) == 0 || (path && strcmp(p->bins.data[i].path, path) == 0))
            return true;
    return false;
}

/* The bins cargo finds without being told: src/main.rs, src/bin/x.rs, src/bin/x/main.rs. */
static void add_auto_bins(WsWorkspace *ws, WsPackage *p)
{
    char *main_rs = ws_path_join(&ws->arena, p->dir, "src/main.rs");
    if (is_file(main_rs) && !has_bin(p, p->name, main_rs))
        vec_push(&p->bins, ((WsTarget){.name = p->name, .path = main_rs, .is_bin = true}));
    char *bin_dir = ws_path_join(&ws->arena, p->dir, "src/bin");
    DIR *d = opendir(bin_dir);
    if (!d)
        return;
    Vec(WsTarget) found = {0};
    for (struct dirent *e; (e = readdir(d));) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        if (n[0] == '.')
            continue;
        char *path = ws_path_join(&ws->arena, bin_dir, n);
        char *name = NULL;
        if (len > 3 && strcmp(n + len - 3, ".rs") == 0 && is_file(path)) {
            name = arena_strndup(&ws->arena, n, len - 3);
        } else if (is_dir(path)) {
            path = ws_path_join(&ws->arena, path, "main.rs");
            if (is_file(path))
                name = arena_strdup(&ws->arena, n);
        }
        if (name && !has_bin(p, name, path))
            vec_push(&found, ((WsTarget){.name = name, .path = path, .is_bin = true}));
    }
    closedir(d);
    vec_foreach(&found, t) vec_push(&p->bins, *t);
    vec_free(&found);
}

/* Reads [lib] (or finds src/lib.rs). */
static bool read_lib(WsWorkspace *ws, WsPackage *p, const TomlValue *doc)
{
    bool bad = false;
    TomlValue *lib = get_kind(ws, doc, "lib", TOML_TABLE, &bad);
    if (bad)
        return false;
    const char *name = lib ? get_str(ws, lib, "name", &bad) : NULL;
    const char *path = lib ? get_str(ws, lib, "path", &bad) : NULL;
    TomlValue *pm = toml_get(lib, "proc-macro");
    if (pm && pm->kind == TOML_BOOL && pm->boolean) {
        error_at(ws, pm->span, "unsupported: proc-macro crates");
        bad = true;
    }
    TomlValue *types = toml_get(lib, "crate-type");
    for (uint32_t i = 0; types && types->kind == TOML_ARRAY && i < types->nitems; i++) {
        const TomlValue *t = types->items[i];
        if (t->kind != TOML_STRING || (strcmp(t->str, "lib") != 0 && strcmp(t->str, "rlib") != 0)) {
            error_at(ws, t->span, "unsupported: crate type other than `lib` or `rlib`");
            bad = true;
        }
    }
    if (bad)
        return false;
    char *full = ws_path_join(&ws->arena, p->dir, path ? path : "src/lib.rs");
    if (!is_file(full)) {
        if (!lib)
            return true;  /* no library */
        if (path)
            error_at(ws, toml_get(lib, "path")->span, "can't find library at `%s`", path);
        else
            error_at(ws, lib->span, "can't find library `%s`, rename file to `src/lib.rs` or specify lib.path",
                     name ? name : crate_name_of(&ws->arena, p->name));
        return false;
    }
    if (name && !valid_name(name)) {
        error_at(ws, toml_get(lib, "name")->span, "invalid library name `%s`", name);
        return false;
    }
    p->has_lib = true;
    p->lib = (WsTarget){.name = name ? name : p->name, .path = full, .is_bin = false};
    return true;
}

/* Reads [[bin]] and the automatic bins. */
static bool read_bins(WsWorkspace *ws, WsPackage *p, const TomlValue *doc, const TomlValue *pkg)
{
    bool bad = false;
    TomlValue *bins = toml_get(doc, "bin");
    if (bins && (bins->kind != TOML_ARRAY)) {
        error_at(ws, bins->span, "invalid type: expected an array of tables for `bin` (write `[[bin]]`)");
        return false;
    }
    for (uint32_t i = 0; bins && i < bins->nitems; i++) {
        const TomlValue *b = bins->items[i];
        if (b->kind != TOML_TABLE) {
            error_at(ws, b->span, "invalid type: expected a table in `bin`");
            bad = true;
            continue;
        }
        bool bin_bad = false;
        const char *name = get_str(ws, b, "name", &bin_bad);
        const char *path = get_str(ws, b, "path", &bin_bad);
        if (bin_bad) {
            bad = true;
            continue;
        }
        if (!name || !valid_name(name)) {
            error_at(ws, name ? toml_get(b, "name")->span : b->span,
                     name ? "invalid bin target name `%s`" : "bin target needs a `name`%s", name ? name : "");
            bad = true;
            continue;
        }
        char *full = NULL;
        if (path) {
            full = ws_path_join(&ws->arena, p->dir, path);
            if (!is_file(full)) {
                error_at(ws, toml_get(b, "path")->span, "can't find `%s` bin at `%s`", name, path);
                bad = true;
                continue;
            }
        } else {
            const char *tries[3] = {
                strcmp(name, p->name) == 0 ? "src/main.rs" : NULL,
                arena_printf(&ws->arena, "src/bin/%s.rs", name),
                arena_printf(&ws->arena, "src/bin/%s/main.rs", name),
            };
            for (int k = 0; k < 3 && !full; k++)
                if (tries[k] && is_file(ws_path_join(&ws->arena, p->dir, tries[k])))
                    full = ws_path_join(&ws->arena, p->dir, tries[k]);
            if (!full) {
                error_at(ws, b->span,
                         "can't find `%s` bin at `src/bin/%s.rs` or `src/bin/%s/main.rs`. Please specify "
                         "bin.path if you want to use a non-default path.",
                         name, name, name);
                bad = true;
                continue;
            }
        }
        if (has_bin(p, name, NULL)) {
            error_at(ws, b->span, "found duplicate binary name %s, but all binary targets must have a unique name",
                     name);
            bad = true;
            continue;
        }
        vec_push(&p->bins, ((WsTarget){.name = name, .path = full, .is_bin = true}));
    }
    TomlValue *autobins = toml_get(pkg, "autobins");
    if (!(autobins && autobins->kind == TOML_BOOL && !autobins->boolean))
        add_auto_bins(ws, p);
    if (p->bins.len)
        qsort(p->bins.data, p->bins.len, sizeof(WsTarget), compare_targets);
    return !bad;
}

/* Reads one [dependencies] entry into L->pending. */
static bool read_dependency(Loader *L, uint32_t pkg_index, const TomlEntry *e)
{
    WsWorkspace *ws = L->ws;
    const WsPackage *p = &ws->packages.data[pkg_index];
    Span span = entry_span(e);
    const TomlValue *v = e->value;
    if (v->kind == TOML_STRING) {
        error_at(ws, span, "unsupported: registry dependency `%s` (only `path` dependencies are supported)",
                 e->key);
        return false;
    }
    if (v->kind != TOML_TABLE) {
        error_at(ws, span, "invalid type: %s, expected a version string or a detailed dependency like `{ path = \"...\" }`",
                 toml_kind_name(v->kind));
        return false;
    }
    const TomlValue *spec = v;
    const char *base = p->dir;
    TomlValue *inherit = toml_get(v, "workspace");
    if (inherit && inherit->kind == TOML_BOOL && inherit->boolean) {
        spec = toml_get(toml_get(toml_get(L->root_doc, "workspace"), "dependencies"), e->key);
        if (!spec) {
            error_at(ws, span, "dependency `%s` is inherited from the workspace, but `workspace.dependencies.%s` is not defined",
                     e->key, e->key);
            return false;
        }
        if (spec->kind == TOML_STRING) {
            error_at(ws, spec->span, "unsupported: registry dependency `%s` (only `path` dependencies are supported)",
                     e->key);
            return false;
        }
        base = ws->root;
        span = spec->span;
    }
    static const char *const unsupported[][2] = {
        {"git", "git dependency"},
        {"registry", "dependency from another registry"},
        {"optional", "optional dependency (features)"},
    };
    bool bad = false;
    for (size_t i = 0; i < ARRAY_LEN(unsupported); i++) {
        TomlValue *u = toml_get(spec, unsupported[i][0]);
        if (u && !(u->kind == TOML_BOOL && !u->boolean)) {
            error_at(ws, span, "unsupported: %s `%s`", unsupported[i][1], e->key);
            return false;
        }
    }
    TomlValue *features = toml_get(spec, "features");
    if (features && !(features->kind == TOML_ARRAY && features->nitems == 0)) {
        error_at(ws, features->span, "unsupported: features");
        return false;
    }
    const char *path = get_str(ws, spec, "path", &bad);
    const char *package = get_str(ws, spec, "package", &bad);
    if (bad)
        return false;
    if (!path) {
        error_at(ws, span, "unsupported: registry dependency `%s` (only `path` dependencies are supported)",
                 e->key);
        return false;
    }
    PendingDep d = {
        .from = pkg_index,
        .name = crate_name_of(&ws->arena, e->key),
        .package = package ? package : e->key,
        .dir = ws_path_join(&ws->arena, base, path),
        .span = span,
    };
    vec_push(&L->pending, d);
    return true;
}

static bool read_dependencies(Loader *L, uint32_t pkg_index, const TomlValue *doc)
{
    WsWorkspace *ws = L->ws;
    bool ok = true;
    static const char *const build_deps[] = {"build-dependencies", "build_dependencies"};
    for (size_t i = 0; i < ARRAY_LEN(build_deps); i++) {
        TomlValue *b = toml_get(doc, build_deps[i]);
        if (b && b->kind == TOML_TABLE && b->nentries) {
            error_at(ws, b->span, "unsupported: build-dependencies (build scripts are not supported)");
            ok = false;
        }
    }
    TomlValue *target = toml_get(doc, "target");
    if (target) {
        error_at(ws, target->span, "unsupported: platform-specific (`[target.*]`) sections");
        ok = false;
    }
    TomlValue *features = toml_get(doc, "features");
    if (features && features->kind == TOML_TABLE && features->nentries) {
        error_at(ws, features->span, "unsupported: features");
        ok = false;
    }
    bool bad = false;
    TomlValue *deps = get_kind(ws, doc, "dependencies", TOML_TABLE, &bad);
    for (uint32_t i = 0; deps && i < deps->nentries; i++)
        ok &= read_dependency(L, pkg_index, &deps->entries[i]);
    return ok && !bad;
}

/* Loads the package in dir (once); returns its index or UINT32_MAX after errors. */
static uint32_t load_package(Loader *L, const char *dir, bool member)
{
    WsWorkspace *ws = L->ws;
    for (uint32_t i = 0; i < ws->packages.len; i++)
        if (strcmp(ws->packages.data[i].dir, dir) == 0)
            return i;
    char *manifest = ws_path_join(&ws->arena, dir, "Cargo.toml");
    Manifest *m = read_manifest(L, manifest);
    if (!m)
        return UINT32_MAX;
    const TomlValue *doc = m->doc;
    bool bad = false;
    TomlValue *pkg = get_kind(ws, doc, "package", TOML_TABLE, &bad);
    if (bad)
        return UINT32_MAX;
    if (!pkg) {
        diag_plain(&ws->diag, DIAG_ERROR, "no `[package]` section in `%s`", manifest);
        return UINT32_MAX;
    }
    WsPackage p = {.dir = dir, .manifest = manifest, .manifest_file = m->file, .member = member};
    p.name = get_str(ws, pkg, "name", &bad);
    p.version = package_field(L, pkg, "version", &bad);
    p.edition = package_field(L, pkg, "edition", &bad);
    if (bad)
        return UINT32_MAX;
    if (!p.name) {
        error_at(ws, pkg->span, "missing field `name` in `[package]`");
        return UINT32_MAX;
    }
    if (!valid_name(p.name)) {
        error_at(ws, toml_get(pkg, "name")->span,
                 "invalid package name `%s`: only letters, digits, `-` and `_` are allowed", p.name);
        return UINT32_MAX;
    }
    if (!p.version)
        p.version = "0.0.0";
    if (!p.edition)
        p.edition = "2015";
    static const char *const editions[] = {"2015", "2018", "2021", "2024"};
    bool known = false;
    for (size_t i = 0; i < ARRAY_LEN(editions); i++)
        known |= strcmp(p.edition, editions[i]) == 0;
    if (!known) {
        error_at(ws, toml_get(pkg, "edition")->span, "unsupported edition `%s`", p.edition);
        return UINT32_MAX;
    }
    TomlValue *build = toml_get(pkg, "build");
    bool no_build = build && build->kind == TOML_BOOL && !build->boolean;
    if (build && !no_build) {
        error_at(ws, build->span, "unsupported: build scripts");
        return UINT32_MAX;
    }
    if (!no_build && is_file(ws_path_join(&ws->arena, dir, "build.rs"))) {
        error_at(ws, pkg->span, "unsupported: build scripts (this package has `build.rs`)");
        return UINT32_MAX;
    }
    bool ok = read_lib(ws, &p, doc);
    ok &= read_bins(ws, &p, doc, pkg);
    if (ok && !p.has_lib && p.bins.len == 0) {
        diag_plain(&ws->diag, DIAG_ERROR,
                   "failed to parse manifest at `%s`\n\nCaused by:\n  no targets specified in the manifest\n"
                   "  either src/lib.rs, src/main.rs, a [lib] section, or [[bin]] section must be present",
                   manifest);
        ok = false;
    }
    if (p.has_lib)
        p.lib.crate_name = crate_name_of(&ws->arena, p.lib.name);
    vec_foreach(&p.bins, b) b->crate_name = crate_name_of(&ws->arena, b->name);
    vec_push(&ws->packages, p);
    uint32_t index = ws->packages.len - 1;
    ok &= read_dependencies(L, index, doc);
    return ok ? index : UINT32_MAX;
}

/* Loads every pending path dependency's package, transitively. */
static bool resolve_dependencies(Loader *L)
{
    WsWorkspace *ws = L->ws;
    bool ok = true;
    for (uint32_t i = 0; i < L->pending.len; i++) {
        PendingDep d = L->pending.data[i];
        if (!is_file(ws_path_join(&ws->arena, d.dir, "Cargo.toml"))) {
            error_at(ws, d.span, "failed to load source for dependency `%s`: `%s/Cargo.toml` does not exist",
                     d.name, d.dir);
            ok = false;
            continue;
        }
        bool member = L->root_doc && toml_get(L->root_doc, "workspace") && path_under(d.dir, ws->root) &&
                      !is_excluded(L, d.dir);
        uint32_t target = load_package(L, d.dir, member);
        if (target == UINT32_MAX) {
            ok = false;
            continue;
        }
        WsPackage *to = &ws->packages.data[target];
        if (strcmp(to->name, d.package) != 0) {
            error_at(ws, d.span, "no matching package named `%s` found (the package at `%s` is `%s`)",
                     d.package, d.dir, to->name);
            ok = false;
            continue;
        }
        WsPackage *from = &ws->packages.data[d.from];
        bool dup = false;
        vec_foreach(&from->deps, e) dup |= strcmp(e->name, d.name) == 0;
        if (dup) {
            error_at(ws, d.span, "dependency `%s` is listed twice", d.name);
            ok = false;
            continue;
        }
        vec_push(&from->deps, ((WsDep){.name = d.name, .package = target, .span = d.span}));
    }
    return ok;
}

/* ---------------------------------------------------------------- discovery */

/* The Cargo.toml to start from: --manifest-path, or the nearest one at or above cwd. */
static char *find_start(WsWorkspace *ws, const char *manifest_path)
{
    if (manifest_path) {
        char *path = ws_path_join(&ws->arena, ws->cwd, manifest_path);
        size_t n = strlen(path);
        if (n < 10 || strcmp(path + n - 10, "Cargo.toml") != 0 || (n > 10 && path[n - 11] != '/')) {
            diag_plain(&ws->diag, DIAG_ERROR, "the manifest-path must be a path to a Cargo.toml file");
            return NULL;
        }
        if (!is_file(path)) {
            diag_plain(&ws->diag, DIAG_ERROR, "manifest path `%s` does not exist", manifest_path);
            return NULL;
        }
        return path;
    }
    for (char *dir = (char *)ws->cwd;; dir = parent_dir(&ws->arena, dir)) {
        char *path = ws_path_join(&ws->arena, dir, "Cargo.toml");
        if (is_file(path))
            return path;
        if (strcmp(dir, "/") == 0)
            break;
    }
    diag_plain(&ws->diag, DIAG_ERROR, "could not find `Cargo.toml` in `%s` or any parent directory", ws->cwd);
    return NULL;
}

/* Finds the workspace root manifest for the starting manifest; NULL after an error. */
static Manifest *find_root(Loader *L, Manifest *start)
{
    WsWorkspace *ws = L->ws;
    if (toml_get(start->doc, "workspace"))
        return start;
    char *start_dir = parent_dir(&ws->arena, start->path);
    bool bad = false;
    const char *explicit_root = get_str(ws, toml_get(start->doc, "package"), "workspace", &bad);
    if (bad)
        return NULL;
    if (explicit_root) {
        char *path = ws_path_join(&ws->arena, ws_path_join(&ws->arena, start_dir, explicit_root), "Cargo.toml");
        Manifest *root = is_file(path) ? read_manifest(L, path) : NULL;
        if (!root || !toml_get(root->doc, "workspace")) {
            if (!is_file(path) || root)
                diag_plain(&ws->diag, DIAG_ERROR, "package `workspace = \"%s\"` does not name a workspace root",
                           explicit_root);
            return NULL;
        }
        return root;
    }
    for (char *dir = parent_dir(&ws->arena, start_dir); strcmp(start_dir, "/") != 0;
         dir = parent_dir(&ws->arena, dir)) {
        char *path = ws_path_join(&ws->arena, dir, "Cargo.toml");
        if (is_file(path)) {
            Manifest *m = read_manifest(L, path);
            if (!m)
                return NULL;
            TomlValue *wst = toml_get(m->doc, "workspace");
            if (wst) {
                if (!read_members(L, wst, dir, path))
                    return NULL;
                if (is_listed_member(L, start_dir))
                    return m;
                if (is_excluded(L, start_dir))
                    break;
                {
                    diag_plain(&ws->diag, DIAG_ERROR,
                               "current package believes it's in a workspace when it's not:\n"
                               "current:   %s\nworkspace: %s\n\n"
                               "this may be fixable by adding `%s` to the `workspace.members` array of the "
                               "manifest located at: %s\n"
                               "Alternatively, to keep it out of the workspace, add the package to the "
                               "`workspace.exclude` array, or add an empty `[workspace]` table to the "
                               "package's manifest.",
                               start->path, path, path_under(start_dir, dir) ? path_under(start_dir, dir) : start_dir,
                               path);
                    return NULL;
                }
            }
        }
        if (strcmp(dir, "/") == 0)
            break;
    }
    L->member_dirs.len = 0;
    L->exclude_dirs.len = 0;
    L->members_read = false;
    return start;  /* a package of its own */
}

static void select_default(Loader *L, const Manifest *root, const Manifest *start)
{
    WsWorkspace *ws = L->ws;
    if (start != root) {
        char *dir = parent_dir(&ws->arena, start->path);
        vec_foreach(&ws->packages, p) p->selected |= strcmp(p->dir, dir) == 0;
        return;
    }
    ValueList defaults = {0};
    TomlValue *wst = toml_get(root->doc, "workspace");
    get_str_list(ws, wst, "default-members", &defaults);
    if (defaults.len) {
        vec_foreach(&defaults, d)
        {
            char *dir = ws_path_join(&ws->arena, ws->root, (*d)->str);
            bool found = false;
            vec_foreach(&ws->packages, p) if (p->member && strcmp(p->dir, dir) == 0) p->selected = found = true;
            if (!found)
                error_at(ws, (*d)->span, "package `%s` is listed in default-members but is not a member", (*d)->str);
        }
    } else if (ws->is_virtual) {
        vec_foreach(&ws->packages, p) p->selected = p->member;
    } else {
        vec_foreach(&ws->packages, p) p->selected = strcmp(p->dir, ws->root) == 0;
    }
    vec_free(&defaults);
}

bool ws_load(WsWorkspace *ws, const char *manifest_path)
{
    Loader L = {.ws = ws};
    bool ok = false;
    char *start_path = find_start(ws, manifest_path);
    Manifest *start = start_path ? read_manifest(&L, start_path) : NULL;
    Manifest *root = start ? find_root(&L, start) : NULL;
    if (!root)
        goto out;
    const char *root_path = root->path;
    L.root_doc = root->doc;
    ws->root_manifest = root_path;
    ws->root = parent_dir(&ws->arena, root_path);
    TomlValue *wst = toml_get(root->doc, "workspace");
    bool has_package = toml_get(root->doc, "package") != NULL;
    ws->is_virtual = wst && !has_package;
    if (wst && wst->kind != TOML_TABLE) {
        error_at(ws, wst->span, "invalid type: expected a table for `workspace`");
        goto out;
    }
    if (wst && !L.members_read && !read_members(&L, wst, ws->root, root_path))
        goto out;
    if (ws->is_virtual && toml_get(root->doc, "dependencies")) {
        diag_plain(&ws->diag, DIAG_ERROR, "failed to parse manifest at `%s`\n\nCaused by:\n  this virtual manifest "
                   "specifies a `dependencies` section, which is not allowed", root_path);
        goto out;
    }
    ok = true;
    if (has_package)
        ok &= load_package(&L, ws->root, true) != UINT32_MAX;
    vec_foreach(&L.member_dirs, d) ok &= load_package(&L, *d, true) != UINT32_MAX;
    ok &= resolve_dependencies(&L);
    if (ok) {
        select_default(&L, root, start);
        ok = ws->diag.errors == 0;
    }
out:
    vec_free(&L.manifests);
    vec_free(&L.member_dirs);
    vec_free(&L.exclude_dirs);
    vec_free(&L.pending);
    return ok && ws->diag.errors == 0;
}

/* tests/unit/fake_fe.c — see fake_fe.h. */
#include "tests/unit/fake_fe.h"

#include <string.h>

_Atomic int fake_compiles, fake_codegens, fake_links, fake_verified_links;

/* The fake's typed crate (handed to ws as an FeCrate pointer, never read as one): its
 * name and its items. */
typedef struct FakeCrate {
    const char *name;
    StrBuf items;             /* "crate::item HASH\n" lines */
} FakeCrate;

static void fake_session_init(FeSession *sess)
{
    memset(sess, 0, sizeof *sess);
    arena_init(&sess->arena);
    intern_init(&sess->names, &sess->arena);
    diag_init(&sess->diag, &sess->sources);
    sess->dump_to = stdout;
}

static void fake_session_free(FeSession *sess)
{
    diag_free(&sess->diag);
    srcmap_free(&sess->sources);
    intern_free(&sess->names);
    arena_free(&sess->arena);
}

/* Registers a file read from disk; NULL when it cannot be read. */
static const char *read_source(FeSession *sess, const char *path, const char *display, uint32_t *len)
{
    char *data, *err;
    size_t n;
    if (!file_read(path, &data, &n, &err)) {
        diag_plain(&sess->diag, DIAG_ERROR, "%s", err);
        xfree(err);
        return NULL;
    }
    char *text = arena_strndup(&sess->arena, data, n);
    xfree(data);
    *len = (uint32_t)n;
    srcmap_add(&sess->sources, arena_strdup(&sess->arena, display), text, *len);
    return text;
}

static const FeDep *find_dep(const FeCrateSpec *spec, const char *name, size_t len)
{
    for (uint32_t i = 0; i < spec->ndeps; i++)
        if (strlen(spec->deps[i].name) == len && memcmp(spec->deps[i].name, name, len) == 0)
            return &spec->deps[i];
    return NULL;
}

static void check_file(FeSession *sess, const FeCrateSpec *spec, FakeCrate *c, const char *path,
                       const char *display)
{
    uint32_t len;
    const char *text = read_source(sess, path, display, &len);
    if (!text)
        return;
    const char *dir_end = strrchr(path, '/'), *ddir_end = strrchr(display, '/');
    for (const char *p = text; p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        char *line = arena_strndup(&sess->arena, p, n);
        char word[64];
        if (strncmp(line, "mod ", 4) == 0 && sscanf(line + 4, "%63[a-z_0-9]", word) == 1) {
            char *sub = arena_printf(&sess->arena, "%.*s/%s.rs", (int)(dir_end - path), path, word);
            char *sub_display = ddir_end ? arena_printf(&sess->arena, "%.*s/%s.rs", (int)(ddir_end - display),
                                                        display, word)
                                         : arena_printf(&sess->arena, "%s.rs", word);
            check_file(sess, spec, c, sub, sub_display);
        } else if (strncmp(line, "pub sig ", 8) == 0 && sscanf(line + 8, "%63s", word) == 1) {
            Hash128 h = hash128(line, n);
            sb_printf(&c->items, "%s::%s %llu\n", c->name, word, (unsigned long long)(h.lo % 1000000007u));
        } else if ((strncmp(line, "pub use ", 8) == 0 || strncmp(line, "use ", 4) == 0) &&
                   sscanf(line + (line[0] == 'p' ? 8 : 4), "%63[a-z_0-9]", word) == 1) {
            const FeDep *d = find_dep(spec, word, strlen(word));
            if (!d || !d->meta || d->meta_len < 6 || memcmp(d->meta, "iface\n", 6) != 0)
                diag_plain(&sess->diag, DIAG_ERROR, "unresolved crate `%s` in %s", word, display);
            else if (line[0] == 'p')
                sb_append(&c->items, (const char *)d->meta + 6, d->meta_len - 6);
        } else if (strncmp(line, "error ", 6) == 0) {
            diag_plain(&sess->diag, DIAG_ERROR, "%s", line + 6);
        }
        p += n + 1;
    }
}

static FeCrate *fake_check_crate(FeSession *sess, const FeCrateSpec *spec)
{
    fake_compiles++;
    FakeCrate *c = arena_new(&sess->arena, FakeCrate, 1);
    c->name = arena_strdup(&sess->arena, spec->name);
    check_file(sess, spec, c, spec->root_path, spec->display_path);
    /* The items live in a StrBuf (heap); copy into the arena so session_free frees all. */
    char *copy = arena_strndup(&sess->arena, sb_str(&c->items), c->items.len);
    size_t n = c->items.len;
    sb_free(&c->items);
    c->items = (StrBuf){.data = copy, .len = n, .cap = 0};
    return sess->diag.errors ? NULL : (FeCrate *)c;
}

static void fake_interface_write(FeSession *sess, const FeCrate *fe_crate, StrBuf *out, Hash128 *hash)
{
    (void)sess;
    const FakeCrate *crate = (const FakeCrate *)fe_crate;
    sb_puts(out, "iface\n");
    sb_append(out, crate->items.data, crate->items.len);
    *hash = hash128(out->data, out->len);
}

bool fake_interface_items(const void *meta, size_t len, void (*fn)(void *, const char *, Hash128), void *ctx)
{
    char *text = xstrndup(meta, len);
    bool ok = len >= 6 && strncmp(text, "iface\n", 6) == 0;
    for (char *line = text + (ok ? 6 : 0); ok && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        char path[128];
        unsigned long long h;
        if (sscanf(line, "%127s %llu", path, &h) == 2)
            fn(ctx, path, (Hash128){h, 0});
        line = nl ? nl + 1 : line + strlen(line);
    }
    xfree(text);
    return ok;
}

/* One object per source file: "crate.o" for the root, "NAME.o" for NAME.rs, holding the
 * crate's name, the file's display path and its text. */
static bool fake_codegen(FeSession *sess, FeCrate *fe_crate, WsCodegen *cg, char **err)
{
    const char *dir = cg->dir;
    StrBuf *files = cg->files;
    uint64_t *write_ns = &cg->write_ns;
    const FakeCrate *crate = (const FakeCrate *)fe_crate;
    fake_codegens++;
    for (uint32_t i = 0; i < sess->sources.files.len; i++) {
        const SourceFile *f = &sess->sources.files.data[i];
        if (memmem(f->text, f->len, "unsupported", 11)) {
            diag_plain(&sess->diag, DIAG_ERROR, "unsupported: something in %s", f->path);
            return false;
        }
    }
    for (uint32_t i = 0; i < sess->sources.files.len; i++) {
        const SourceFile *f = &sess->sources.files.data[i];
        const char *base = strrchr(f->path, '/');
        base = base ? base + 1 : f->path;
        char *name = i == 0 ? xstrdup("crate.o") : xasprintf("%.*s.o", (int)(strlen(base) - 3), base);
        char *path = xasprintf("%s/%s", dir, name);
        StrBuf obj = {0};
        sb_printf(&obj, "object %s:%s\n", crate->name, f->path);
        sb_append(&obj, f->text, f->len);
        uint64_t t0 = clock_ns();
        bool ok = file_write_atomic(path, obj.data, obj.len, false, err);
        *write_ns += clock_ns() - t0;
        sb_printf(files, "%s\n", name);
        sb_free(&obj);
        xfree(path);
        xfree(name);
        if (!ok)
            return false;
    }
    return true;
}

/* The "program": every object's bytes in link order; an object with "linkfail" in it
 * fails the link. A link is "patched" when the program exists (its sections: the
 * objects; no sites), and verify is recorded in fake_verified_links. */
static bool fake_link(const char *const *objects, uint32_t n, const char *output, bool verify, WsLinkStats *stats,
                      StrBuf *msg)
{
    fake_links++;
    fake_verified_links += verify;
    *stats = (WsLinkStats){.patched = file_exists(output), .sections = n};
    if (!stats->patched)
        stats->full_reason = xstrdup("no previous program");
    StrBuf prog = {0};
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        char *data, *err;
        size_t len;
        if (!file_read(objects[i], &data, &len, &err)) {
            sb_printf(msg, "error: %s\n", err);
            xfree(err);
            ok = false;
            break;
        }
        if (memmem(data, len, "linkfail", 8)) {
            sb_printf(msg, "error: linking `%s` failed\n", strrchr(output, '/') + 1);
            ok = false;
        }
        sb_append(&prog, data, len);
        xfree(data);
    }
    char *err = NULL;
    if (ok && !file_write_atomic(output, prog.data ? prog.data : "", prog.len, false, &err)) {
        sb_printf(msg, "error: %s\n", err);
        xfree(err);
        ok = false;
    }
    sb_free(&prog);
    return ok;
}

const WsToolchain fake_toolchain = {
    .session_init = fake_session_init,
    .session_free = fake_session_free,
    .check_crate = fake_check_crate,
    .interface_write = fake_interface_write,
    .interface_items = fake_interface_items,
    .codegen = fake_codegen,
    .link = fake_link,
};

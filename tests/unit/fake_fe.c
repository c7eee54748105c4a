/* tests/unit/fake_fe.c — see fake_fe.h. */
#include "tests/unit/fake_fe.h"

#include <string.h>

_Atomic int fake_compiles;

/* The fake's typed crate: its name, its items and its dependencies' payloads. */
struct FeCrate {
    const char *name;
    StrBuf items;             /* "crate::item HASH\n" lines */
};

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

static void check_file(FeSession *sess, const FeCrateSpec *spec, FeCrate *c, const char *path,
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
    FeCrate *c = arena_new(&sess->arena, FeCrate, 1);
    c->name = arena_strdup(&sess->arena, spec->name);
    check_file(sess, spec, c, spec->root_path, spec->display_path);
    /* The items live in a StrBuf (heap); copy into the arena so session_free frees all. */
    char *copy = arena_strndup(&sess->arena, sb_str(&c->items), c->items.len);
    size_t n = c->items.len;
    sb_free(&c->items);
    c->items = (StrBuf){.data = copy, .len = n, .cap = 0};
    return sess->diag.errors ? NULL : c;
}

static void fake_interface_write(FeSession *sess, const FeCrate *crate, StrBuf *out, Hash128 *hash)
{
    (void)sess;
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

const WsFrontend fake_frontend = {
    .session_init = fake_session_init,
    .session_free = fake_session_free,
    .check_crate = fake_check_crate,
    .interface_write = fake_interface_write,
    .interface_items = fake_interface_items,
};

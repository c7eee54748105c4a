/*
 * workspace/toolchain.c — the real compiler behind the crate pipeline: the frontend,
 * the code generator with its object writer, and relink's library with the runtime's
 * embedded objects. build.c reaches them only through ws_toolchain, so that its tests
 * can run the same pipeline with a stand-in.
 *
 * Objects: one per module of the crate that has code or data, named by cg_build
 * ("crate.o" for the root, "a.b.o" for module a::b), each written atomically and only
 * when its bytes changed. Every function, derived method, data item and entry point
 * comes from the crate's code cache (target/ws/cache/<crate key>.cgpack, backend/
 * cache.c) when its code hash is there, and is generated otherwise. The
 * program is linked from the crate's objects, its libs' objects and the runtime's
 * objects (from memory, after the others, with the content hashes the Makefile computed
 * so that the linker need not hash them), in one incremental call of ld_link, which
 * patches the program in place or links it in full (atomically).
 */
#include "backend/backend.h"
#include "backend/runtime/rt_objects.h"
#include "frontend/frontend.h"
#include "linker/linker.h"
#include "workspace/workspace.h"

#include <string.h>

/*
 * The pieces of a crate's last code generation, beside its pack (<pack>.pieces), so
 * that --explain can tell a new function from a changed one and name removed ones.
 * A checksummed record file (common.h), magic "WSPIECES", version 1, whose payload is a
 * line per piece: 32 hex digits of its cache key, a tab, its name, a newline. Missing
 * or damaged, it only makes --explain less precise.
 */
static const char PIECES_MAGIC[8] = "WSPIECES";

typedef struct Previous {
    char *text;     /* the payload, NUL-terminated (heap); NULL when there is none */
    size_t len;
} Previous;

/* Calls fn for each name in prev until it returns true; returns whether one did. */
static bool previous_any(const Previous *prev, bool (*fn)(const void *ctx, const char *name, size_t n),
                         const void *ctx)
{
    for (const char *p = prev->text; p && *p;) {
        const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
        if (!tab || !nl || tab > nl)
            return false;
        if (fn(ctx, tab + 1, (size_t)(nl - tab - 1)))
            return true;
        p = nl + 1;
    }
    return false;
}

static bool same_name(const void *ctx, const char *name, size_t n)
{
    return strlen(ctx) == n && memcmp(ctx, name, n) == 0;
}

static bool piece_listed(const CgBuildReport *r, const char *name, size_t n)
{
    for (uint32_t i = 0; i < r->npieces; i++)
        if (strlen(r->pieces[i].name) == n && memcmp(r->pieces[i].name, name, n) == 0)
            return true;
    return false;
}

typedef struct RemovedCtx {
    const CgBuildReport *r;
    StrBuf *out;
} RemovedCtx;

static bool say_removed(const void *ctx, const char *name, size_t n)
{
    const RemovedCtx *rc = ctx;
    if (!piece_listed(rc->r, name, n))
        sb_printf(rc->out, "  removed `%.*s`\n", (int)n, name);
    return false;
}

/* --explain: a line per piece generated (new, changed, or why the cache could not
 * serve it) and per piece of the last generation that is gone. */
static void explain_pieces(const CgBuildReport *r, const Previous *prev, StrBuf *out)
{
    sb_printf(out, "%u function%s compiled, %u from the code cache\n", r->compiled, r->compiled == 1 ? "" : "s",
              r->reused);
    for (uint32_t i = 0; i < r->npieces; i++) {
        const CgPieceReport *p = &r->pieces[i];
        if (p->reused)
            continue;
        if (strcmp(p->why, "not in the cache") != 0)
            sb_printf(out, "  compiled `%s`: the code cache could not serve it (%s)\n", p->name, p->why);
        else if (!prev->text)
            sb_printf(out, "  compiled `%s`: not in the code cache\n", p->name);
        else if (!previous_any(prev, same_name, p->name))
            sb_printf(out, "  compiled `%s`: it is new\n", p->name);
        else
            sb_printf(out, "  compiled `%s`: its code hash changed (its body, or a signature, layout, "
                           "const or #[inline] body it uses)\n", p->name);
    }
    RemovedCtx rc = {r, out};
    previous_any(prev, say_removed, &rc);
}

static void save_pieces(const CgBuildReport *r, const char *path)
{
    StrBuf sb = {0};
    char hex[33];
    for (uint32_t i = 0; i < r->npieces; i++) {
        hash128_hex(r->pieces[i].key, hex);
        sb_printf(&sb, "%s\t%s\n", hex, r->pieces[i].name);
    }
    char *err = NULL;
    if (!file_write_checked(path, PIECES_MAGIC, 1, sb.data ? sb.data : "", sb.len, &err))
        xfree(err);  /* only --explain loses detail */
    sb_free(&sb);
}

static bool codegen(FeSession *sess, FeCrate *crate, WsCodegen *cg, char **err)
{
    (void)err;  /* cg_build reports every failure to sess->diag */
    const FeFnHash *hashes;
    uint32_t n = fe_fn_hashes(crate, &hashes);
    char id[33];
    hash128_hex(ws_build_id(), id);
    CgBuildSpec spec = {.obj_dir = cg->dir, .cache_path = cg->cache, .build_id = id};
    CgBuildReport r;
    bool ok = cg_build(sess, crate, hashes, n, &spec, &r);
    if (r.pack_error)  /* the next build generates more, nothing worse */
        diag_plain(&sess->diag, DIAG_WARNING, "the code cache `%s` could not be written: %s", cg->cache, r.pack_error);
    cg->compiled = r.compiled;
    cg->reused = r.reused;
    cg->write_ns += r.object_ns;
    for (uint32_t i = 0; ok && i < r.nmodules; i++)
        if (r.modules[i].object)
            sb_printf(cg->files, "%s\n", r.modules[i].object);
    if (ok && cg->cache) {
        /* The list is read only for --explain; it is written when the pieces changed. */
        char *list = xasprintf("%s.pieces", cg->cache);
        Previous prev = {0};
        char *why = NULL;
        if (cg->explain && !file_read_checked(list, PIECES_MAGIC, 1, &prev.text, &prev.len, &why)) {
            xfree(why);
            prev.text = NULL;
        }
        if (cg->explain)
            explain_pieces(&r, &prev, cg->explain);
        if (r.pack_written || !file_exists(list))
            save_pieces(&r, list);
        xfree(prev.text);
        xfree(list);
    }
    cg_build_report_free(&r);
    return ok;
}

static bool link_objects(const char *const *objects, uint32_t n, const char *output, bool verify,
                         WsLinkStats *stats, StrBuf *msg)
{
    size_t nrt;
    const RtObject *rt = rt_objects(&nrt);
    LdInput *inputs = xcalloc(n + nrt + 1, sizeof(LdInput));
    for (uint32_t i = 0; i < n; i++)
        inputs[i] = (LdInput){.kind = LD_INPUT_FILE, .name = objects[i]};
    for (size_t i = 0; i < nrt; i++)
        inputs[n + i] = (LdInput){.kind = LD_INPUT_FILE, .name = rt[i].name, .data = rt[i].data, .size = rt[i].size,
                                  .hash = ws_runtime_hash(rt[i].name)};
    LdOptions opts = {.output = output, .inputs = inputs, .ninputs = n + (uint32_t)nrt, .threads = 1,
                      .incremental = true, .verify = verify};
    LdReport rep = {0};
    bool ok = ld_link(&opts, &rep);
    *stats = (WsLinkStats){.patched = rep.incremental == LD_INCR_PATCHED, .sections = rep.sections_patched,
                           .sites = rep.sites_patched};
    if (rep.incremental == LD_INCR_FULL) {
        stats->full_reason = rep.full_link_reason ? rep.full_link_reason : xstrdup("the linker did not say why");
        rep.full_link_reason = NULL;
    }
    if (!ok) {
        const char *slash = strrchr(output, '/');
        sb_printf(msg, "error: linking `%s` failed\n", slash ? slash + 1 : output);
        vec_foreach(&rep.messages, m) sb_printf(msg, "  = note: %s\n", m->text);
        sb_putc(msg, '\n');
    }
    ld_report_free(&rep);
    xfree(inputs);
    return ok;
}

const WsToolchain ws_toolchain = {
    .session_init = fe_session_init,
    .session_free = fe_session_free,
    .check_crate = fe_check_crate,
    .interface_write = fe_interface_write,
    .interface_items = fe_interface_items,
    .codegen = codegen,
    .link = link_objects,
};

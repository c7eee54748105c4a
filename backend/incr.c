/*
 * backend/incr.c — a crate's records and objects from its pieces, each taken from the
 * code cache or generated: cg_build (objects, with or without a cache) and cg_crate
 * (records only, no cache).
 *
 * The pipeline, for every entry of the crate's fe_fn_hashes list:
 *   0. with a cache, the crate's pack is read (once, whole: cache.c);
 *   1. DATA pieces, in list order: from the pack when trusted, else generated (and
 *      encoded for the next pack); either way the generator takes note (consts in
 *      memory change the code that uses them);
 *   2. unless step 1 or the symbols reported errors, every other piece likewise; a
 *      function from the pack gets its locations recomputed from the current tree;
 *   3. with a cache and no error, a new pack holding exactly the build's pieces (the
 *      old pack's bytes for pieces reused) unless the old one holds exactly them;
 *   4. modules assembled from the pieces in list order (the order a clean build has);
 *   5. cg_build only: per module with code or data, its object, written only when its
 *      bytes change.
 * Clean and cached builds differ only in where a piece's records come from, and a
 * record read back from the cache is the one written (code.c's format round-trips)
 * with its locations filled in by the same function as a fresh one's (sites.c): the
 * objects are equal by construction, which tests/backend/cache.sh checks over programs
 * of tests/programs and a series of edits.
 *
 * A cached piece is trusted only if it defines the symbol its item has now, its location
 * nodes are nodes of the function, and (DATA) its items are the item's own: a damaged or
 * misplaced entry is generated again, never used.
 */
#include "backend/gen.h"

#include <string.h>

typedef struct Run {
    FeSession *sess;
    FeCrate *c;
    const CgBuildSpec *spec;   /* NULL: no cache, no key */
    CgGen *g;
    Arena *records;            /* where pieces' records go */
    CgPiece *pieces;           /* per entry of the list */
    CgBuildReport *rep;
    CgPack pack;               /* the pack read (step 0); empty without a cache */
    CgPackWriter next;         /* the next pack: generated pieces as they come */
} Run;

static bool same_prefix(const char *name, const char *sym)
{
    size_t n = strlen(sym);
    return strncmp(name, sym, n) == 0 && name[n] == '.';
}

/* Whether piece p, loaded for entry (kind, item), can stand for it (see the top). */
static bool trust(Run *r, CgPiece *p, uint32_t item)
{
    Sym sym = cg_gen_symbol(r->g, p->kind, item);
    p->item = item;
    p->module = cg_gen_piece_module(r->g, p->kind, item);
    if (p->kind == FE_CODE_DATA) {
        for (uint32_t i = 0; i < p->ndata; i++) {
            Sym name = p->data[i]->name;
            if (!sym || (name != sym && !same_prefix(sym_str(&r->sess->names, name), sym_str(&r->sess->names, sym))))
                return false;
        }
        return true;
    }
    if (!sym || p->func->name != sym)
        return false;
    if (p->kind != FE_CODE_FN)
        return p->func->nlocs == 0;
    return cg_locs_rebuild(r->sess, r->c, item, p->func->locs, p->func->nlocs);
}

/* The piece's name for people (CgPieceReport.name). */
static const char *piece_name(Run *r, uint8_t kind, uint32_t item)
{
    if (kind == FE_CODE_ENTRY)
        return "main (entry point)";
    StrBuf path = {0};
    fe_item_path(r->c, item, &path);
    const char *name = kind == FE_CODE_DEBUG ? arena_printf(&r->rep->arena, "<%s as Debug>::fmt", sb_str(&path))
                       : kind == FE_CODE_EQ  ? arena_printf(&r->rep->arena, "<%s as PartialEq>::eq", sb_str(&path))
                                             : arena_strdup(&r->rep->arena, sb_str(&path));
    sb_free(&path);
    return name;
}

/* Entry i of the list: from the cache or generated. False on unsupported constructs. */
static bool piece(Run *r, uint32_t i, const FeFnHash *h)
{
    CgPieceReport *pr = &r->rep->pieces[i];
    CgPiece *p = &r->pieces[i];
    *pr = (CgPieceReport){.kind = h->kind, .item = h->item, .module = cg_gen_piece_module(r->g, h->kind, h->item),
                          .name = piece_name(r, h->kind, h->item), .why = "no cache"};
    bool cache = r->spec && r->spec->cache_path;
    if (r->spec && r->spec->build_id)
        pr->key = cg_cache_key(h->hash, h->kind, r->c->is_bin, r->spec->build_id);
    if (cache) {
        uint64_t t0 = clock_ns();
        const char *why = cg_pack_load(&r->pack, pr->key, h->kind, p, r->records, &r->sess->names);
        if (!why && !trust(r, p, h->item))
            why = "damaged: not the records of this piece";
        if (why) {
            pr->why = arena_strdup(&r->rep->arena, why);
        } else {
            pr->reused = true;
            pr->why = NULL;
        }
        r->rep->cache_ns += clock_ns() - t0;
    }
    if (pr->reused) {
        cg_gen_adopt(r->g, p);
        r->rep->reused++;
        return true;
    }
    uint64_t t0 = clock_ns();
    bool ok = cg_gen_piece(r->g, h->kind, h->item, p);
    uint64_t t1 = clock_ns();
    r->rep->codegen_ns += t1 - t0;
    r->rep->compiled++;
    if (ok && cache) {
        cg_pack_add(&r->next, pr->key, p, &r->sess->names);
        r->rep->cache_ns += clock_ns() - t1;
    }
    return ok;
}

/* Whether the pieces are exactly the pack's entries (every piece reused, every entry
 * some piece's). */
static bool pack_exact(const Run *r, uint32_t n)
{
    if (r->rep->compiled)
        return false;
    bool *hit = xcalloc(r->pack.n + 1, sizeof(bool));
    uint32_t hits = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t slot = cg_pack_slot(&r->pack, r->rep->pieces[i].key);
        if (slot != UINT32_MAX && !hit[slot]) {
            hit[slot] = true;
            hits++;
        }
    }
    xfree(hit);
    return hits == r->pack.n;
}

/* Step 3 (see the top): the new pack, unless the old one holds exactly these pieces. */
static void write_pack(Run *r, uint32_t n)
{
    uint64_t t0 = clock_ns();
    if (!pack_exact(r, n)) {
        for (uint32_t i = 0; i < n; i++) {
            const uint8_t *bytes;
            size_t len;
            if (r->rep->pieces[i].reused && cg_pack_find(&r->pack, r->rep->pieces[i].key, &bytes, &len))
                cg_pack_add_bytes(&r->next, r->rep->pieces[i].key, bytes, len);
        }
        char *err = NULL;
        if (cg_pack_write(&r->next, r->spec->cache_path, &err)) {
            r->rep->pack_written = true;
        } else {
            r->rep->pack_error = arena_strdup(&r->rep->arena, err);
            xfree(err);
        }
    }
    r->rep->cache_ns += clock_ns() - t0;
}

/* The crate's modules with the pieces' records, in list order. */
static void assemble(Run *r, const FeFnHash *hashes, uint32_t n, CgCrate *cc)
{
    cc->nmodules = cg_gen_nmodules(r->g);
    cc->modules = arena_new(&cc->arena, CgModule, cc->nmodules);
    for (uint32_t m = 0; m < cc->nmodules; m++)
        cg_gen_module(r->g, m, &cc->modules[m]);
    for (uint32_t i = 0; i < n; i++) {
        CgModule *m = &cc->modules[r->pieces[i].module];
        m->nfuncs += r->pieces[i].func != NULL;
        m->ndata += r->pieces[i].ndata;
    }
    for (uint32_t m = 0; m < cc->nmodules; m++) {
        cc->modules[m].funcs = arena_new(&cc->arena, CodeFunc *, cc->modules[m].nfuncs);
        cc->modules[m].data = arena_new(&cc->arena, CodeData *, cc->modules[m].ndata);
        cc->modules[m].nfuncs = cc->modules[m].ndata = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        const CgPiece *p = &r->pieces[i];
        CgModule *m = &cc->modules[p->module];
        if (p->func)
            m->funcs[m->nfuncs++] = p->func;
        for (uint32_t k = 0; k < p->ndata; k++)
            m->data[m->ndata++] = p->data[k];
        cc->functions += hashes[i].kind == FE_CODE_FN && !r->rep->pieces[i].reused;
    }
}

/* Steps 1 to 3 (see the top): the records into cc, what happened into rep. */
static bool generate(FeSession *sess, FeCrate *c, const FeFnHash *hashes, uint32_t n, const CgBuildSpec *spec,
                     CgCrate *cc, CgBuildReport *rep)
{
    memset(cc, 0, sizeof *cc);
    arena_init(&cc->arena);
    memset(rep, 0, sizeof *rep);
    arena_init(&rep->arena);
    rep->npieces = n;
    rep->pieces = arena_new(&rep->arena, CgPieceReport, n);
    Run r = {.sess = sess, .c = c, .spec = spec, .g = cg_gen_new(sess, c, &cc->arena), .records = &cc->arena,
             .pieces = xcalloc(n + 1, sizeof(CgPiece)), .rep = rep};
    bool cache = spec && spec->cache_path;
    if (cache) {
        uint64_t t0 = clock_ns();
        cg_pack_read(&r.pack, spec->cache_path, spec->build_id);
        cg_pack_writer_init(&r.next, spec->build_id);
        rep->cache_ns += clock_ns() - t0;
    }
    bool ok = true;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && cg_gen_errors(r.g))
            break;  /* no code over symbols or data that failed */
        for (uint32_t i = 0; i < n; i++)
            if ((hashes[i].kind == FE_CODE_DATA) == (pass == 0))
                ok &= piece(&r, i, &hashes[i]);
    }
    ok &= cg_gen_errors(r.g) == 0;
    if (ok && cache)
        write_pack(&r, n);
    assemble(&r, hashes, n, cc);
    cg_pack_free(&r.pack);
    cg_pack_writer_free(&r.next);
    xfree(r.pieces);
    cg_gen_free(r.g);
    return ok;
}

bool cg_crate(FeSession *sess, FeCrate *c, CgCrate *out)
{
    const FeFnHash *hashes;
    uint32_t n = fe_fn_hashes(c, &hashes);
    CgBuildReport rep;
    bool ok = generate(sess, c, hashes, n, NULL, out, &rep);
    cg_build_report_free(&rep);
    return ok;
}

void cg_crate_free(CgCrate *out)
{
    arena_free(&out->arena);
    memset(out, 0, sizeof *out);
}

void cg_module_obj(const CgCrate *cc, uint32_t i, const Interner *names, ObjModule *obj)
{
    const CgModule *m = &cc->modules[i];
    *obj = (ObjModule){
        .names = names,
        .file_name = m->file,
        .funcs = m->funcs,
        .nfuncs = m->nfuncs,
        .data = m->data,
        .ndata = m->ndata,
    };
}

/* Module path "a::b" as an object file name "a.b.o"; the root is "crate.o". */
static const char *object_name(Arena *arena, const char *path)
{
    if (!*path)
        return "crate.o";
    StrBuf sb = {0};
    for (const char *p = path; *p; p++) {
        if (p[0] == ':' && p[1] == ':') {
            sb_putc(&sb, '.');
            p++;
        } else {
            sb_putc(&sb, *p);
        }
    }
    sb_puts(&sb, ".o");
    const char *name = arena_strdup(arena, sb_str(&sb));
    sb_free(&sb);
    return name;
}

bool cg_build(FeSession *sess, FeCrate *c, const FeFnHash *hashes, uint32_t n, const CgBuildSpec *spec,
              CgBuildReport *out)
{
    if (spec->cache_path && !spec->build_id)
        die("cg_build: a code cache without a build id");
    CgCrate cc;
    bool ok = generate(sess, c, hashes, n, spec, &cc, out);
    out->nmodules = cc.nmodules;
    out->modules = arena_new(&out->arena, CgModuleReport, cc.nmodules);
    for (uint32_t i = 0; i < n; i++) {
        CgModuleReport *m = &out->modules[out->pieces[i].module];
        m->reused += out->pieces[i].reused;
        m->compiled += !out->pieces[i].reused;
    }
    char *err = NULL;
    uint64_t t0 = clock_ns();
    if (ok && !file_mkdirs(spec->obj_dir, &err)) {
        diag_plain(&sess->diag, DIAG_ERROR, "%s", err);
        xfree(err);
        ok = false;
    }
    for (uint32_t i = 0; i < cc.nmodules; i++) {
        CgModuleReport *m = &out->modules[i];
        m->path = arena_strdup(&out->arena, cc.modules[i].path);
        if (!ok || (!cc.modules[i].nfuncs && !cc.modules[i].ndata))
            continue;
        m->object = object_name(&out->arena, m->path);
        ObjModule om;
        cg_module_obj(&cc, i, &sess->names, &om);
        char *path = xasprintf("%s/%s", spec->obj_dir, m->object);
        if (!obj_write_if_changed(&om, path, &m->written, &err)) {
            diag_plain(&sess->diag, DIAG_ERROR, "%s", err);
            xfree(err);
            ok = false;
        }
        xfree(path);
        out->written += m->written;
        out->unchanged += ok && !m->written;
    }
    out->object_ns = clock_ns() - t0;
    cg_crate_free(&cc);
    return ok;
}

void cg_build_report_free(CgBuildReport *r)
{
    arena_free(&r->arena);
    memset(r, 0, sizeof *r);
}

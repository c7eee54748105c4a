/*
 * frontend/session.c — the session, node stores, and the pipeline of fe_check_crate.
 */
#include "frontend/stages.h"

#include <string.h>

void fe_store_init(FeStore *s, uint32_t elem_size)
{
    memset(s, 0, sizeof *s);
    s->elem_size = elem_size;
    fe_store_new(s);  /* index 0: the dummy */
}

void fe_store_free(FeStore *s)
{
    for (uint32_t i = 0; i < s->npages; i++)
        xfree(s->pages[i]);
    xfree(s->pages);
    memset(s, 0, sizeof *s);
}

uint32_t fe_store_new(FeStore *s)
{
    uint32_t id = s->count;
    if ((id >> FE_PAGE_BITS) >= s->npages) {
        if (s->count >= UINT32_MAX - (1u << FE_PAGE_BITS))
            die("too many tree nodes");
        s->pages = xrealloc(s->pages, sizeof(void *) * (s->npages + 1));
        s->pages[s->npages++] = xcalloc(1u << FE_PAGE_BITS, s->elem_size);
    }
    s->count++;
    return id;
}

void fe_session_init(FeSession *sess)
{
    memset(sess, 0, sizeof *sess);
    arena_init(&sess->arena);
    intern_init(&sess->names, &sess->arena);
    diag_init(&sess->diag, &sess->sources);
    sess->dump_to = stdout;
    sess->max_depth = 500;
}

static void crate_free(FeCrate *c)
{
    vec_free(&c->items);
    fe_store_free(&c->exprs);
    fe_store_free(&c->stmts);
    fe_store_free(&c->pats);
    fe_store_free(&c->tyxs);
    ty_free(c);
    fe_store_free(&c->types);
}

void fe_session_free(FeSession *sess)
{
    if (sess->crate) {
        crate_free(sess->crate);
        xfree(sess->crate);
    }
    /* source texts were read into the heap by parse_crate */
    vec_foreach(&sess->sources.files, f) xfree((void *)f->text);
    diag_free(&sess->diag);
    srcmap_free(&sess->sources);
    intern_free(&sess->names);
    arena_free(&sess->arena);
}

FeCrate *fe_check_crate(FeSession *sess, const FeCrateSpec *spec)
{
    FeCrate *c = xcalloc(1, sizeof *c);
    sess->crate = c;
    c->sess = sess;
    c->name = intern_cstr(&sess->names, spec->name ? spec->name : "main");
    c->is_bin = spec->is_bin;
    vec_push(&c->items, (FeItem){0});
    fe_store_init(&c->exprs, sizeof(FeExpr));
    fe_store_init(&c->stmts, sizeof(FeStmt));
    fe_store_init(&c->pats, sizeof(FePat));
    fe_store_init(&c->tyxs, sizeof(FeTyx));
    ty_init(c);

    /* parse: the root file and every module file it reaches (tokens dump here) */
    if (!parse_crate(c, spec) || sess->dump == FE_DUMP_TOKENS)
        return NULL;
    if (sess->dump == FE_DUMP_AST) {
        dump_tree(c, sess->dump_to, false);
        return NULL;
    }
    /* resolve: imports, then every path in items and bodies; locals numbered */
    if (!resolve_crate(c))
        return NULL;
    /* typeck: signatures, struct layouts, consts, then each function body */
    if (!typeck_crate(c))
        return NULL;
    if (sess->dump == FE_DUMP_TYPES) {
        dump_tree(c, sess->dump_to, true);
        return NULL;
    }
    return c;
}

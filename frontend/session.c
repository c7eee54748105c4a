/*
 * frontend/session.c — the session, node stores, and the pipeline of fe_check_crate.
 */
#include "frontend/stages.h"

#include <string.h>
#include <sys/mman.h>

/*
 * The pool: node pages are carved from large anonymous mappings that ask for
 * transparent huge pages, so a big crate's tree costs a few hundred page faults
 * instead of tens of thousands; untouched parts of a mapping cost nothing. Fresh
 * mappings are zero-filled, which is what the stores promise. Sanitizer builds
 * (COMMON_LIBC_MALLOC) take each page from the heap instead, so ASan checks them.
 */
enum { POOL_REGION = 64u << 20, POOL_HUGE = 2u << 20, POOL_SMALL = 16u << 20 };

typedef struct PoolRegion {
    struct PoolRegion *next;
    char *base;
    size_t size, used;
} PoolRegion;

struct FePool {
    PoolRegion *regions;
};

FePool *fe_pool_new(void) { return xcalloc(1, sizeof(FePool)); }

void fe_pool_free(FePool *pool)
{
    if (!pool)
        return;
    for (PoolRegion *r = pool->regions, *next; r; r = next) {
        next = r->next;
        if (r->size)
            munmap(r->base, r->size);
        else
            xfree(r->base);
        xfree(r);
    }
    xfree(pool);
}

static void *pool_alloc(FePool *pool, size_t size)
{
#ifdef COMMON_LIBC_MALLOC
    PoolRegion *h = xcalloc(1, sizeof *h);
    h->base = xcalloc(1, size);
    h->size = 0;  /* heap page: freed with xfree */
    h->next = pool->regions;
    pool->regions = h;
    return h->base;
#endif
    size = ALIGN_UP(size, (size_t)64);
    PoolRegion *r = pool->regions;
    if (!r || r->size - r->used < size) {
        size_t want = MAX((size_t)POOL_REGION, ALIGN_UP(size, (size_t)POOL_HUGE));
        /* over-allocate to align the region on a huge-page boundary */
        char *raw = mmap(NULL, want + POOL_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (raw == MAP_FAILED)
            die("out of memory mapping %zu bytes for the tree", want);
        char *base = (char *)ALIGN_UP((uintptr_t)raw, (uintptr_t)POOL_HUGE);
        if (base > raw)
            munmap(raw, (size_t)(base - raw));
        munmap(base + want, (size_t)(raw + want + POOL_HUGE - (base + want)));
        /* Huge pages pay for a big crate's tree, but zeroing 2 MiB at every first touch
         * costs a small crate more than its whole frontend: the first POOL_SMALL bytes
         * of the first region stay in small pages. */
        size_t small = pool->regions ? 0 : MIN(want, (size_t)POOL_SMALL);
        if (want > small)
            madvise(base + small, want - small, MADV_HUGEPAGE);
        r = xcalloc(1, sizeof *r);
        r->base = base;
        r->size = want;
        r->next = pool->regions;
        pool->regions = r;
    }
    void *p = r->base + r->used;
    r->used += size;
    return p;
}

void fe_store_init(FeStore *s, uint32_t elem_size, FePool *pool)
{
    memset(s, 0, sizeof *s);
    s->elem_size = elem_size;
    s->pool = pool;
    fe_store_new(s);  /* index 0: the dummy */
}

void fe_store_free(FeStore *s)
{
    xfree(s->pages);  /* the pages belong to the pool */
    memset(s, 0, sizeof *s);
}

uint32_t fe_store_new(FeStore *s)
{
    uint32_t id = s->count;
    if ((id >> FE_PAGE_BITS) >= s->npages) {
        if (s->count >= UINT32_MAX - (1u << FE_PAGE_BITS))
            die("too many tree nodes");
        s->pages = xrealloc(s->pages, sizeof(void *) * (s->npages + 1));
        s->pages[s->npages++] = pool_alloc(s->pool, (size_t)s->elem_size << FE_PAGE_BITS);
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
    FeExterns *x = c->externs;
    if (x) {
        vec_free(&x->bindings);
        vec_free(&x->prelude);
        vec_free(&x->exports);
        vec_free(&x->diags);
        xfree(x->record);
        xfree(x->record_len);
        xfree(x->refs);
        xfree(x->nrefs);
    }
    vec_free(&c->crates);
    vec_free(&c->items);
    fe_store_free(&c->exprs);
    fe_store_free(&c->stmts);
    fe_store_free(&c->pats);
    fe_store_free(&c->tyxs);
    ty_free(c);
    fe_store_free(&c->types);
    fe_pool_free(c->pool);
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
    c->pool = fe_pool_new();
    fe_store_init(&c->exprs, sizeof(FeExpr), c->pool);
    fe_store_init(&c->stmts, sizeof(FeStmt), c->pool);
    fe_store_init(&c->pats, sizeof(FePat), c->pool);
    fe_store_init(&c->tyxs, sizeof(FeTyx), c->pool);
    ty_init(c);

    /* parse: the root file and every module file it reaches (tokens dump here) */
    if (!parse_crate(c, spec) || sess->dump == FE_DUMP_TOKENS)
        return NULL;
    if (sess->dump == FE_DUMP_AST) {
        dump_tree(c, sess->dump_to, false);
        return NULL;
    }
    /* dependencies: their interfaces' items, modules and names, into this tree */
    vec_push(&c->crates, ((FeCrateInfo){c->name, c->root}));
    if (!iface_load_deps(c, spec))
        return NULL;
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

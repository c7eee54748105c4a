/*
 * backend/sites.c — panic sites numbered within their function, and their locations
 * (file, line, column) computed from the current tree.
 *
 * A function's expression nodes are numbered by a fixed traversal of its body: preorder,
 * children in the order frontend/hash.c serializes them, only through the fields it
 * hashes, and the initializer of a const without a value (the backend generates such a
 * const at each use) walked once, at the first node naming it. Two bodies with equal
 * fe_fn_hash therefore number their nodes alike, whatever ExprIds the rest of the crate
 * shifted them to. A location's CodeLoc.node is
 *
 *     number << 1 | bracket
 *
 * where bracket says the site is the `[` of a slicing (FeExpr.c) rather than the start
 * of the node's span. A node directly inside parentheses is located at the outermost
 * `(` of the chain: rustc widens a parenthesized expression's span to them, so that is
 * where its panics point.
 *
 * Line and column come from the node alone, through one function (locate) for freshly
 * generated code and for code taken from the cache, so both give the same records.
 */
#include "backend/gen.h"

#include <string.h>

typedef struct SiteNode {
    ExprId expr;
    ExprId paren;  /* the outermost `(` of the parentheses expr is directly inside, or 0 */
} SiteNode;

typedef struct SiteWalk {
    FeCrate *c;
    Vec(SiteNode) nodes;   /* by number */
    Vec(ItemId) consts;    /* consts whose initializer was walked */
} SiteWalk;

static void walk_expr(SiteWalk *w, ExprId id, ExprId paren);

static void walk_args(SiteWalk *w, const ExprId *args, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        walk_expr(w, args[i], 0);
}

/* A const generated at its use: its initializer's nodes follow the naming node's. */
static void walk_const(SiteWalk *w, ItemId id)
{
    const FeItem *it = fe_item(w->c, id);
    if (it->kind != FE_ITEM_CONST || !it->cst.init || it->cst.has_value)
        return;
    vec_foreach(&w->consts, k) if (*k == id) return;
    vec_push(&w->consts, id);
    walk_expr(w, it->cst.init, 0);
}

static void walk_expr(SiteWalk *w, ExprId id, ExprId paren)
{
    if (!id)
        return;
    vec_push(&w->nodes, ((SiteNode){id, paren}));
    const FeExpr *e = fe_expr(w->c, id);
    switch (e->kind) {
    case FE_EXPR_PAREN: walk_expr(w, e->a, paren ? paren : id); break;
    case FE_EXPR_ITEM: walk_const(w, e->item.item); break;
    case FE_EXPR_UNARY: case FE_EXPR_REF: case FE_EXPR_COERCE: case FE_EXPR_CAST:
    case FE_EXPR_FIELD: case FE_EXPR_REPEAT:
        walk_expr(w, e->a, 0);
        break;
    case FE_EXPR_BINARY: case FE_EXPR_ASSIGN: case FE_EXPR_ASSIGN_OP: case FE_EXPR_INDEX:
    case FE_EXPR_RANGE: case FE_EXPR_RETURN: case FE_EXPR_WHILE: case FE_EXPR_LOOP:
    case FE_EXPR_FOR:
        walk_expr(w, e->a, 0);
        walk_expr(w, fe_expr(w->c, id)->b, 0);
        break;
    case FE_EXPR_IF:
        walk_expr(w, e->a, 0);
        walk_expr(w, fe_expr(w->c, id)->b, 0);
        walk_expr(w, fe_expr(w->c, id)->c, 0);
        break;
    case FE_EXPR_BREAK: case FE_EXPR_CONTINUE: walk_expr(w, e->a, 0); break;
    case FE_EXPR_CALL: case FE_EXPR_METHOD_CALL: case FE_EXPR_STRUCT: case FE_EXPR_BUILTIN:
    case FE_EXPR_TUPLE: case FE_EXPR_ARRAY:
        walk_args(w, e->args, e->n);
        break;
    case FE_EXPR_BLOCK:
        for (uint32_t i = 0; i < e->n; i++) {
            const FeStmt *s = fe_stmt(w->c, fe_expr(w->c, id)->stmts[i]);
            if (s->kind != FE_STMT_EMPTY)
                walk_expr(w, s->expr, 0);
        }
        walk_expr(w, fe_expr(w->c, id)->a, 0);
        break;
    case FE_EXPR_MACRO: {
        const FeMacro *m = e->mac;
        walk_args(w, m->args, m->nargs);
        walk_expr(w, m->cond, 0);
        walk_expr(w, m->left, 0);
        walk_expr(w, m->right, 0);
        break;
    }
    default: break;  /* literals, locals: no children */
    }
}

static void walk_fn(SiteWalk *w, FeCrate *c, ItemId fn)
{
    memset(w, 0, sizeof *w);
    w->c = c;
    walk_expr(w, fe_item(c, fn)->fn.body, 0);
}

static void walk_free(SiteWalk *w)
{
    vec_free(&w->nodes);
    vec_free(&w->consts);
}

/* Fills file, line and col of loc from its node; false when the number is not a node of
 * the walk (a record that does not belong to this function). */
static bool locate(const SiteWalk *w, SourceMap *sm, Interner *names, CodeLoc *loc)
{
    uint32_t number = loc->node >> 1;
    if (number >= w->nodes.len)
        return false;
    const SiteNode *n = &w->nodes.data[number];
    const FeExpr *e = fe_expr(w->c, n->expr);
    Span span = e->span;
    if ((loc->node & 1) && e->c)
        span.lo = e->c;
    if (n->paren)
        span.lo = fe_expr(w->c, n->paren)->span.lo;
    if (span.file >= sm->files.len)
        return false;
    srcmap_linecol(sm, span.file, span.lo, &loc->line, &loc->col);
    loc->file = intern_cstr(names, sm->files.data[span.file].path);
    return true;
}

bool cg_locs_rebuild(FeSession *sess, FeCrate *c, uint32_t fn, CodeLoc *locs, uint32_t nlocs)
{
    if (!nlocs)
        return true;
    SiteWalk w;
    walk_fn(&w, c, fn);
    bool ok = true;
    for (uint32_t i = 0; i < nlocs && ok; i++)
        ok = locate(&w, &sess->sources, &sess->names, &locs[i]);
    walk_free(&w);
    return ok;
}

uint32_t gen_site(Gen *g, ExprId node, bool bracket)
{
    vec_push(&g->sites, ((GenSite){node, bracket}));
    return x64_loc(&g->as, 0, 0, 0, g->sites.len - 1);
}

/* Slot of expr in an open-addressing table of `size` (a power of two) entries. */
static uint32_t number_slot(const ExprId *keys, uint32_t size, ExprId expr)
{
    uint32_t h = (uint32_t)(expr * 2654435761u) & (size - 1);
    while (keys[h] && keys[h] != expr)
        h = (h + 1) & (size - 1);
    return h;
}

void gen_number_sites(Gen *g, CodeFunc *f, ItemId fn)
{
    if (!f->nlocs)
        return;
    if (!fn)
        die("panic sites in %s, which has no body", sym_str(g->names, f->name));
    SiteWalk w;
    walk_fn(&w, g->c, fn);
    uint32_t size = 16;
    while (size < w.nodes.len * 2)
        size *= 2;
    ExprId *keys = arena_new(&g->scratch, ExprId, size);
    uint32_t *numbers = arena_new(&g->scratch, uint32_t, size);
    for (uint32_t i = 0; i < w.nodes.len; i++) {
        uint32_t s = number_slot(keys, size, w.nodes.data[i].expr);
        if (!keys[s]) {  /* a node walked twice keeps its first number */
            keys[s] = w.nodes.data[i].expr;
            numbers[s] = i;
        }
    }
    for (uint32_t i = 0; i < f->nlocs; i++) {
        const GenSite *site = &g->sites.data[f->locs[i].node];
        uint32_t s = number_slot(keys, size, site->expr);
        if (!keys[s])
            die("panic site %u of %s is outside its body", site->expr, sym_str(g->names, f->name));
        f->locs[i].node = numbers[s] << 1 | site->bracket;
        if (!locate(&w, &g->sess->sources, g->names, &f->locs[i]))
            unreachable();
    }
    walk_free(&w);
}

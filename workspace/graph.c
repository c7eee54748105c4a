/*
 * workspace/graph.c — the crate graph: which crates a command compiles, in which order.
 *
 * Dependencies are between packages (a [dependencies] entry names a package, and a
 * crate links the package's lib); a package's bins also need its own lib. Cycles are
 * looked for between packages, with an iterative depth-first search (no recursion, so
 * a long chain of packages cannot overflow the stack), and reported as cargo does:
 *
 *   error: cyclic package dependency: package `a v0.1.0 (/ws/a)` depends on itself. Cycle:
 *   package `a v0.1.0 (/ws/a)`
 *       ... which satisfies path dependency `b` of package `b v0.1.0 (/ws/b)`
 *       ... which satisfies path dependency `a` of package `a v0.1.0 (/ws/a)`
 *
 * The same search gives a post-order of packages, i.e. dependencies first, which is
 * the order of the crates.
 */
#include "workspace/workspace.h"

#include <string.h>

enum { WHITE, GRAY, BLACK };

typedef Vec(uint32_t) IndexList;

typedef struct Frame {
    uint32_t package;
    uint32_t next_dep;  /* the next dependency to visit */
} Frame;

const WsTarget *ws_crate_target(const WsWorkspace *ws, const WsCrate *c)
{
    const WsPackage *p = &ws->packages.data[c->package];
    return c->bin < 0 ? &p->lib : &p->bins.data[c->bin];
}

void ws_graph_free(WsGraph *g)
{
    vec_free(&g->crates);
    arena_free(&g->arena);
}

static void describe(StrBuf *sb, const WsPackage *p)
{
    sb_printf(sb, "package `%s v%s (%s)`", p->name, p->version, p->dir);
}

/* Reports the cycle that closes when `stack` (top last) reaches `again` once more. */
static void report_cycle(WsWorkspace *ws, const Frame *stack, uint32_t depth, uint32_t again)
{
    uint32_t start = depth;
    while (stack[start - 1].package != again)
        start--;
    start--;
    StrBuf sb = {0};
    const WsPackage *first = &ws->packages.data[again];
    sb_puts(&sb, "cyclic package dependency: ");
    describe(&sb, first);
    sb_puts(&sb, " depends on itself. Cycle:\n");
    describe(&sb, first);
    /* Walk back down the stack: each package depends on the one printed before it. */
    uint32_t prev = again;
    for (uint32_t i = depth; i-- > start;) {
        const WsPackage *p = &ws->packages.data[stack[i].package];
        sb_printf(&sb, "\n    ... which satisfies path dependency `%s` of ", ws->packages.data[prev].name);
        describe(&sb, p);
        prev = stack[i].package;
    }
    diag_plain(&ws->diag, DIAG_ERROR, "%s", sb_str(&sb));
    sb_free(&sb);
}

/* Appends to order every package reachable from root, dependencies first. */
static bool visit(WsWorkspace *ws, uint32_t root, uint8_t *color, IndexList *order, Frame *stack)
{
    if (color[root] != WHITE)
        return true;
    uint32_t depth = 0;
    stack[depth++] = (Frame){root, 0};
    color[root] = GRAY;
    while (depth) {
        Frame *top = &stack[depth - 1];
        const WsPackage *p = &ws->packages.data[top->package];
        if (top->next_dep == p->deps.len) {
            color[top->package] = BLACK;
            vec_push(order, top->package);
            depth--;
            continue;
        }
        uint32_t next = p->deps.data[top->next_dep++].package;
        if (color[next] == GRAY) {
            report_cycle(ws, stack, depth, next);
            return false;
        }
        if (color[next] == WHITE) {
            color[next] = GRAY;
            stack[depth++] = (Frame){next, 0};
        }
    }
    return true;
}

static void add_dep(WsGraph *g, WsCrate *c, uint32_t dep)
{
    uint32_t *deps = arena_new(&g->arena, uint32_t, c->ndeps + 1);
    if (c->ndeps)
        memcpy(deps, c->deps, sizeof(uint32_t) * c->ndeps);
    deps[c->ndeps++] = dep;
    c->deps = deps;
}

bool ws_graph_build(WsGraph *g, WsWorkspace *ws)
{
    memset(g, 0, sizeof *g);
    arena_init(&g->arena);
    uint32_t n = ws->packages.len;
    uint8_t *color = xcalloc(n ? n : 1, 1);
    Frame *stack = xmalloc(sizeof(Frame) * (n ? n : 1));
    IndexList order = {0};
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++)
        if (ws->packages.data[i].selected)
            ok = visit(ws, i, color, &order, stack);
    /* The lib crate of every package, once placed. */
    uint32_t *lib_crate = xmalloc(sizeof(uint32_t) * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++)
        lib_crate[i] = UINT32_MAX;
    for (uint32_t k = 0; ok && k < order.len; k++) {
        uint32_t pi = order.data[k];
        const WsPackage *p = &ws->packages.data[pi];
        WsCrate base = {.package = pi, .bin = -1};
        for (uint32_t d = 0; d < p->deps.len; d++) {
            uint32_t lib = lib_crate[p->deps.data[d].package];
            if (lib == UINT32_MAX)
                diag_plain(&ws->diag, DIAG_WARNING, "ignoring invalid dependency `%s` which is missing a lib target",
                           p->deps.data[d].name);
            else
                add_dep(g, &base, lib);
        }
        if (p->has_lib) {
            lib_crate[pi] = g->crates.len;
            vec_push(&g->crates, base);
        }
        for (uint32_t b = 0; b < p->bins.len; b++) {
            WsCrate bin = {.package = pi, .bin = (int32_t)b};
            if (p->has_lib)
                add_dep(g, &bin, lib_crate[pi]);
            for (uint32_t d = 0; d < base.ndeps; d++)
                add_dep(g, &bin, base.deps[d]);
            vec_push(&g->crates, bin);
        }
    }
    xfree(lib_crate);
    xfree(color);
    xfree(stack);
    vec_free(&order);
    return ok;
}

uint32_t ws_graph_restrict(WsGraph *g, uint32_t keep)
{
    if (keep >= g->crates.len)
        die("ws_graph_restrict: crate %u of %u", keep, g->crates.len);
    uint32_t *index = xmalloc(sizeof(uint32_t) * (keep + 1));
    uint8_t *need = xcalloc(keep + 1, 1);
    need[keep] = 1;
    for (uint32_t i = keep + 1; i-- > 0;)  /* a crate's dependencies come before it */
        for (uint32_t d = 0; need[i] && d < g->crates.data[i].ndeps; d++)
            need[g->crates.data[i].deps[d]] = 1;
    uint32_t n = 0;
    for (uint32_t i = 0; i <= keep; i++) {
        if (!need[i])
            continue;
        index[i] = n;
        WsCrate c = g->crates.data[i];
        for (uint32_t d = 0; d < c.ndeps; d++)
            c.deps[d] = index[c.deps[d]];
        g->crates.data[n++] = c;
    }
    g->crates.len = n;
    xfree(need);
    xfree(index);
    return n - 1;
}

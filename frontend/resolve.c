/*
 * frontend/resolve.c — name resolution.
 *
 * Two namespaces per module (types: modules, structs; values: functions, consts,
 * statics, tuple and unit struct constructors) in one hash table keyed by
 * (module, namespace, name). `use` declarations are resolved to a fixed point (an
 * import may go through another one); globs are looked through at lookup time. Then
 * every path in types, expressions and struct literals is resolved: locals first
 * (innermost binding wins: shadowing), then the items of the enclosing module, then
 * the extern prelude (`std`, with the built-in model of `std::process::exit`, and the
 * dependencies by the names the crate's code uses) and primitive types. Privacy
 * follows rustc: a private item is visible in its module and the module's
 * descendants; pub(crate) and pub everywhere in the crate. A dependency's modules
 * (loaded from its interface, iface.c) come with their bindings: its public names,
 * and its private ones as stubs, so that using them is rustc's privacy error.
 * Locals are numbered per function; loops and labels are matched to break/continue.
 */
#include "frontend/stages.h"

#include <stdlib.h>
#include <string.h>

/* NS_TYPE, NS_VALUE, NS_ASSOC (keyed by the struct: its associated fns) are in
 * stages.h; NS_FAILED holds names a failed import would have bound (no second error). */
enum { NS_FAILED = NS_ASSOC + 1 };

typedef struct Binding {
    ItemId mod;      /* the module whose scope holds it */
    Sym name;
    uint8_t ns;
    uint8_t vis;     /* of the binding (an import's own visibility) */
    bool import;
    ItemId item;     /* the item it names */
    Span span;
} Binding;

typedef struct Glob {
    ItemId mod, target;
    uint8_t vis;
    uint32_t next;   /* next glob of the same module (index + 1), 0 = none */
} Glob;

typedef struct Directive {
    ItemId mod;          /* where the use is */
    ItemId use;          /* the use item */
    FePathSeg *segs;
    uint32_t nsegs;
    bool global;
    bool glob;
    Sym bind;            /* the name it binds (SIMPLE) */
    Span span, bind_span;
    uint8_t vis;
    bool done;
} Directive;

typedef struct Scope {
    Sym name;
    LocalId local;
} Scope;

typedef struct Loop {
    ExprId expr;
    Sym label;
} Loop;

typedef struct Resolver {
    FeCrate *c;
    FeSession *sess;
    Binding *table;
    uint32_t cap, count;
    Vec(Glob) globs;
    uint32_t *glob_head;   /* per item id: first glob (index + 1) */
    Vec(Directive) dirs;
    Vec(uint32_t) pending_per_mod;  /* unresolved directives per module */
    ItemId std_mod, process_mod, exit_fn;
    Sym s_self, s_super, s_crate, s_self_ty, s_std, s_core, s_underscore;
    Sym prim[FE_INT_COUNT + 3];  /* int names, bool, char, str */
    /* body context */
    ItemId mod;
    ItemId impl_struct;    /* the struct of the enclosing impl (Self), 0 outside */
    TypeId impl_self_ty;
    Vec(Scope) scopes;
    Vec(FeLocal) locals;
    Vec(Loop) loops;
    bool in_use;           /* resolving a use declaration (errors are E0432) */
    Span last_use_error;   /* `use a::{b, c}` with a missing `a`: one error, not two */
    int errors;
} Resolver;

/* ---------------------------------------------------------------- bindings table */

static uint32_t bind_hash(ItemId mod, Sym name, int ns)
{
    uint64_t k = ((uint64_t)mod << 33) ^ ((uint64_t)name << 1) ^ (uint64_t)ns;
    k *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(k >> 32);
}

static Binding *find_binding(Resolver *r, ItemId mod, Sym name, int ns)
{
    uint32_t i = bind_hash(mod, name, ns) & (r->cap - 1);
    while (r->table[i].name) {
        Binding *b = &r->table[i];
        if (b->mod == mod && b->name == name && b->ns == ns)
            return b;
        i = (i + 1) & (r->cap - 1);
    }
    return NULL;
}

static void grow_table(Resolver *r)
{
    Binding *old = r->table;
    uint32_t oldcap = r->cap;
    r->cap = oldcap ? oldcap * 2 : 1024;
    r->table = xcalloc(r->cap, sizeof(Binding));
    for (uint32_t i = 0; i < oldcap; i++) {
        if (!old[i].name)
            continue;
        uint32_t j = bind_hash(old[i].mod, old[i].name, old[i].ns) & (r->cap - 1);
        while (r->table[j].name)
            j = (j + 1) & (r->cap - 1);
        r->table[j] = old[i];
    }
    xfree(old);
}

static const char *sym(Resolver *r, Sym s) { return sym_str(&r->sess->names, s); }

static void error(Resolver *r, const char *code, Span span, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void error(Resolver *r, const char *code, Span span, const char *label, const char *fmt, ...)
{
    r->errors++;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (code)
        diag_emit_code(&r->sess->diag, DIAG_ERROR, code, span, label, "%s", msg);
    else
        diag_emit(&r->sess->diag, DIAG_ERROR, span, label, "%s", msg);
}

/* Adds a binding; reports a duplicate (E0428 for items, E0252 for imports). */
static void define(Resolver *r, ItemId mod, Sym name, int ns, ItemId item, int vis, bool import, Span span)
{
    if (!name || name == r->s_underscore)
        return;
    Binding *old = find_binding(r, mod, name, ns);
    if (old) {
        if (old->item == item)
            return;
        const char *what = ns == NS_TYPE ? "type" : "value";
        if (import || old->import)
            error(r, import && old->import ? "E0252" : "E0255", span, NULL,
                  "the name `%s` is defined multiple times", sym(r, name));
        else
            error(r, "E0428", span, NULL, "the name `%s` is defined multiple times", sym(r, name));
        diag_note(&r->sess->diag, "note", "`%s` must be defined only once in the %s namespace of this module",
                  sym(r, name), what);
        return;
    }
    if ((r->count + 1) * 2 > r->cap)
        grow_table(r);
    uint32_t i = bind_hash(mod, name, ns) & (r->cap - 1);
    while (r->table[i].name)
        i = (i + 1) & (r->cap - 1);
    r->table[i] = (Binding){mod, name, (uint8_t)ns, (uint8_t)vis, import, item, span};
    r->count++;
}

/* Is module `from` inside module `anc` (or equal)? */
static bool is_descendant(FeCrate *c, ItemId from, ItemId anc)
{
    for (ItemId m = from; m; m = fe_item(c, m)->parent)
        if (m == anc)
            return true;
    return false;
}

bool resolve_visible(FeCrate *c, ItemId item, ItemId from)
{
    const FeItem *it = fe_item(c, item);
    if (it->vis != FE_VIS_PRIV || (it->flags & FE_ITEM_BUILTIN))
        return true;
    return is_descendant(c, from, fe_item_module(c, item));
}

/* The root of the dependency the crate's code calls `name` (0 when none). */
static ItemId extern_crate(Resolver *r, Sym name)
{
    const FeExterns *x = r->c->externs;
    for (uint32_t i = 0; x && i < x->prelude.len; i++)
        if (x->prelude.data[i].name == name)
            return x->prelude.data[i].item;
    return 0;
}

/* Is `mod` the root module of a dependency? */
static bool foreign_root(Resolver *r, ItemId mod)
{
    const FeItem *it = fe_item(r->c, mod);
    return it->kind == FE_ITEM_MOD && !it->parent && it->krate;
}

/* How rustc names the scope of segs[0..n) in "cannot find": "the crate root",
 * "crate `dep`" or "module `a::b`", and in its label ("crate", "dep", "a::b"). */
static void scope_text(Resolver *r, const FePathSeg *segs, uint32_t n, ItemId mod, char *desc, size_t dsize,
                       char *label, size_t lsize)
{
    StrBuf sb = {0};
    for (uint32_t i = 0; i < n; i++)
        sb_printf(&sb, "%s%s", i ? "::" : "", sym(r, segs[i].name));
    if (mod == r->c->root && (n == 0 || (n == 1 && segs[0].name == r->s_crate))) {
        snprintf(desc, dsize, "the crate root");
        snprintf(label, lsize, "not found in the crate root");
    } else if (foreign_root(r, mod) && n == 1) {
        snprintf(desc, dsize, "crate `%s`", sb_str(&sb));
        snprintf(label, lsize, "not found in `%s`", sb_str(&sb));
    } else {
        snprintf(desc, dsize, "module `%s`", sb_str(&sb));
        snprintf(label, lsize, "not found in `%s`", sb_str(&sb));
    }
    sb_free(&sb);
}

/* Looks `name` up in module `mod` (its own bindings, then its globs). */
static Binding *lookup_in(Resolver *r, ItemId mod, Sym name, int ns, int depth)
{
    Binding *b = find_binding(r, mod, name, ns);
    if (b || depth > 16 || !r->glob_head)
        return b;
    for (uint32_t g = r->glob_head[mod]; g; g = r->globs.data[g - 1].next) {
        Glob *gl = &r->globs.data[g - 1];
        Binding *t = lookup_in(r, gl->target, name, ns, depth + 1);
        /* a glob imports what is visible from the importing module */
        if (t && (t->vis != FE_VIS_PRIV || is_descendant(r->c, mod, t->mod)))
            return t;
    }
    return NULL;
}

/* ---------------------------------------------------------------- definitions */

static ItemId add_builtin(Resolver *r, int kind, const char *name, ItemId parent)
{
    FeItem it = {0};
    it.kind = (uint8_t)kind;
    it.vis = FE_VIS_PUB;
    it.flags = FE_ITEM_BUILTIN;
    it.name = intern_cstr(&r->sess->names, name);
    it.parent = parent;
    vec_push(&r->c->items, it);
    ItemId id = r->c->items.len - 1;
    if (parent)
        define(r, parent, it.name, kind == FE_ITEM_MOD ? NS_TYPE : NS_VALUE, id, FE_VIS_PUB, false, (Span){0, 0, 0});
    return id;
}

static void define_items(Resolver *r, ItemId mod)
{
    const FeMod *m = &fe_item(r->c, mod)->mod;
    for (uint32_t i = 0; i < m->nitems; i++) {
        ItemId id = m->items[i];
        FeItem *it = fe_item(r->c, id);
        switch (it->kind) {
        case FE_ITEM_MOD:
            define(r, mod, it->name, NS_TYPE, id, it->vis, false, it->head_span);
            define_items(r, id);
            break;
        case FE_ITEM_STRUCT:
            define(r, mod, it->name, NS_TYPE, id, it->vis, false, it->head_span);
            if (it->st.shape != 0)
                define(r, mod, it->name, NS_VALUE, id, it->vis, false, it->head_span);
            break;
        case FE_ITEM_FN: case FE_ITEM_CONST: case FE_ITEM_STATIC:
            define(r, mod, it->name, NS_VALUE, id, it->vis, false, it->head_span);
            break;
        default:
            break;
        }
    }
}

/* ---------------------------------------------------------------- imports */

static void flatten_use(Resolver *r, ItemId mod, ItemId use, const FeUseTree *t, FePathSeg *prefix, uint32_t n,
                        bool global, int vis)
{
    FePathSeg segs[128];
    uint32_t k = MIN(n, 64u);
    if (k)
        memcpy(segs, prefix, k * sizeof(FePathSeg));
    for (uint32_t i = 0; i < t->prefix->nsegs && k < 128; i++)
        segs[k++] = t->prefix->segs[i];
    global = global || t->prefix->global;
    if (t->kind == FE_USE_GROUP) {
        for (uint32_t i = 0; i < t->n; i++)
            flatten_use(r, mod, use, t->children[i], segs, k, global, vis);
        return;
    }
    Directive d = {0};
    d.mod = mod;
    d.use = use;
    d.global = global;
    d.vis = (uint8_t)vis;
    d.span = t->span;
    d.glob = t->kind == FE_USE_GLOB;
    /* `a::{self}` binds a */
    if (!d.glob && k >= 2 && segs[k - 1].name == r->s_self && n > 0 && t->prefix->nsegs == 1) {
        k--;
        d.span = segs[k].span;
    }
    if (k == 0 && !d.glob) {
        error(r, NULL, t->span, NULL, "unsupported: this form of `use`");
        return;
    }
    d.segs = arena_new(&r->sess->arena, FePathSeg, k ? k : 1);
    memcpy(d.segs, segs, k * sizeof(FePathSeg));
    d.nsegs = k;
    if (!d.glob) {
        d.bind = t->rename ? t->rename : segs[k - 1].name;
        d.bind_span = t->rename ? t->rename_span : segs[k - 1].span;
        if (d.bind == r->s_self && k == 1) {
            error(r, NULL, t->span, NULL, "imports need to be explicitly named");
            return;
        }
        if (d.bind == r->s_self || d.bind == r->s_super || d.bind == r->s_crate) {
            error(r, "E0429", t->span, NULL, "`self` imports are only allowed within a { } list");
            return;
        }
    }
    vec_push(&r->dirs, d);
    r->pending_per_mod.data[mod]++;
}

static void collect_uses(Resolver *r, ItemId mod)
{
    const FeMod *m = &fe_item(r->c, mod)->mod;
    for (uint32_t i = 0; i < m->nitems; i++) {
        ItemId id = m->items[i];
        FeItem *it = fe_item(r->c, id);
        if (it->kind == FE_ITEM_USE && it->use)
            flatten_use(r, mod, id, it->use, NULL, 0, false, it->vis);
        else if (it->kind == FE_ITEM_MOD)
            collect_uses(r, id);
    }
}

static void report_unsupported_name(Resolver *r, Span span, const char *name)
{
    if (strcmp(name, "f32") == 0 || strcmp(name, "f64") == 0)
        error(r, NULL, span, NULL, "unsupported: floating-point types");
    else
        error(r, NULL, span, NULL, "unsupported: `%s` (outside the Rust subset)", name);
}

typedef enum { RES_OK, RES_PENDING, RES_ERROR } ResStatus;

/* Resolves a module-path prefix segs[0..n) from module `from`, as modules (types
 * namespace). On success *out is the module; on failure reports (when report) and
 * returns RES_ERROR, or RES_PENDING when an unresolved import may still supply it. */
static ResStatus resolve_module_prefix(Resolver *r, ItemId from, const FePathSeg *segs, uint32_t n, bool global,
                                       bool report, ItemId *out, uint32_t *consumed)
{
    ItemId cur = from;
    uint32_t i = 0;
    *consumed = 0;
    if (global) {
        ItemId ext = n ? extern_crate(r, segs[0].name) : 0;
        if (n == 0 || (segs[0].name != r->s_std && segs[0].name != r->s_core && !ext)) {
            if (report && n)
                error(r, "E0433", segs[0].span, NULL, "cannot find module or crate `%s` in the crate root", sym(r, segs[0].name));
            return RES_ERROR;
        }
        cur = ext ? ext : r->std_mod;
        i = 1;
    } else if (n && segs[0].name == r->s_crate) {
        cur = r->c->root;
        i = 1;
    } else if (n && (segs[0].name == r->s_self)) {
        i = 1;
    } else if (n && segs[0].name == r->s_super) {
        while (i < n && segs[i].name == r->s_super) {
            ItemId parent = fe_item_module(r->c, cur);
            if (!parent || cur == r->c->root) {
                if (report)
                    error(r, "E0433", segs[i].span, "there are too many leading `super` keywords",
                          "too many leading `super` keywords");
                return RES_ERROR;
            }
            cur = parent;
            i++;
        }
    } else if (n) {
        /* first segment: a module in scope, or an extern crate */
        Binding *b = lookup_in(r, from, segs[0].name, NS_TYPE, 0);
        if (b && fe_item(r->c, b->item)->kind == FE_ITEM_MOD) {
            cur = b->item;
        } else if (!b && (segs[0].name == r->s_std || segs[0].name == r->s_core)) {
            cur = r->std_mod;
        } else if (!b && extern_crate(r, segs[0].name)) {
            cur = extern_crate(r, segs[0].name);
        } else if (!b) {
            if (r->pending_per_mod.data[from])
                return RES_PENDING;
            if (report && find_binding(r, from, segs[0].name, NS_FAILED))
                return RES_ERROR;
            const char *un = std_type_name(sym(r, segs[0].name));
            if (report && un) {
                report_unsupported_name(r, segs[0].span, un);  /* String::new(), Vec::new() */
                return RES_ERROR;
            }
            if (report) {
                char label[160];
                snprintf(label, sizeof label, "use of unresolved module or unlinked crate `%s`", sym(r, segs[0].name));
                if (r->in_use) {
                    Span sp = segs[0].span, last = r->last_use_error;
                    if (sp.file != last.file || sp.lo != last.lo || sp.hi != last.hi || !last.hi)
                        error(r, "E0432", sp, label, "unresolved import `%s`", sym(r, segs[0].name));
                    r->last_use_error = sp;
                }
                else
                    error(r, "E0433", segs[0].span, label, "cannot find module or crate `%s` in this scope",
                          sym(r, segs[0].name));
            }
            return RES_ERROR;
        } else {
            /* not a module: the caller handles Type::name */
            *out = b->item;
            *consumed = 1;
            return RES_OK;
        }
        i = 1;
    }
    for (; i < n; i++) {
        Binding *b = lookup_in(r, cur, segs[i].name, NS_TYPE, 0);
        if (!b) {
            if (r->pending_per_mod.data[cur])
                return RES_PENDING;
            if (report && (fe_item(r->c, cur)->flags & FE_ITEM_BUILTIN) &&
                (std_module_name(sym(r, segs[i].name)) || std_type_name(sym(r, segs[i].name)))) {
                error(r, NULL, segs[i].span, NULL, "unsupported: `%s` from the standard library", sym(r, segs[i].name));
                return RES_ERROR;
            }
            if (report) {
                char label[256];
                snprintf(label, sizeof label, "could not find `%s` in `%s`", sym(r, segs[i].name),
                         sym(r, segs[i - 1].name));
                if (r->in_use) {
                    StrBuf path = {0};
                    for (uint32_t k = 0; k <= i; k++)
                        sb_printf(&path, "%s%s", k ? "::" : "", sym(r, segs[k].name));
                    error(r, "E0432", segs[i].span, label, "unresolved import `%s`", sb_str(&path));
                    sb_free(&path);
                } else {
                    error(r, "E0433", segs[i].span, label, "cannot find `%s` in `%s`", sym(r, segs[i].name),
                          sym(r, segs[i - 1].name));
                }
            }
            return RES_ERROR;
        }
        if (b->vis == FE_VIS_PRIV && !is_descendant(r->c, r->mod ? r->mod : from, b->mod) &&
            !is_descendant(r->c, from, b->mod)) {
            if (report)
                error(r, "E0603", segs[i].span, "private module", "module `%s` is private", sym(r, segs[i].name));
            return RES_ERROR;
        }
        if (fe_item(r->c, b->item)->kind != FE_ITEM_MOD) {
            *out = b->item;
            *consumed = i + 1;
            return RES_OK;
        }
        cur = b->item;
    }
    *out = cur;
    *consumed = n;
    return RES_OK;
}

static const char *item_desc(FeCrate *c, ItemId id)
{
    const FeItem *it = fe_item(c, id);
    switch (it->kind) {
    case FE_ITEM_MOD: return "module";
    case FE_ITEM_FN: return it->fn.impl ? "associated function" : "function";
    case FE_ITEM_CONST: return "constant";
    case FE_ITEM_STATIC: return "static";
    case FE_ITEM_STRUCT: return it->st.shape == 2 ? "unit struct" : it->st.shape == 1 ? "tuple struct" : "struct";
    default: return "item";
    }
}

/* Reports E0603 unless binding b (in module b->mod) is visible from module `from`. */
static bool check_private(Resolver *r, const Binding *b, ItemId from, Span span)
{
    if (b->vis != FE_VIS_PRIV || is_descendant(r->c, from, b->mod))
        return true;
    /* through the types namespace a struct is a struct, whatever its shape */
    const char *desc = b->ns == NS_TYPE && fe_item(r->c, b->item)->kind == FE_ITEM_STRUCT ? "struct"
                                                                                           : item_desc(r->c, b->item);
    char label[64];
    snprintf(label, sizeof label, "private %s", desc);
    error(r, "E0603", span, label, "%s `%s` is private", desc, sym(r, b->name));
    return false;
}

static ResStatus resolve_directive(Resolver *r, Directive *d, bool report)
{
    ItemId mod;
    uint32_t used;
    uint32_t nprefix = d->glob ? d->nsegs : d->nsegs - 1;
    if (!d->glob && d->nsegs == 1 && !d->global) {
        /* `use x;`: an extern crate, or an item of this module (uniform paths) */
        Sym name = d->segs[0].name;
        if (name == r->s_std || name == r->s_core) {
            define(r, d->mod, d->bind, NS_TYPE, r->std_mod, d->vis, true, d->bind_span);
            return RES_OK;
        }
        ItemId ext = extern_crate(r, name);
        if (ext && !lookup_in(r, d->mod, name, NS_TYPE, 0) && !lookup_in(r, d->mod, name, NS_VALUE, 0)) {
            define(r, d->mod, d->bind, NS_TYPE, ext, d->vis, true, d->bind_span);
            return RES_OK;
        }
        mod = d->mod;
    } else {
        ResStatus st = resolve_module_prefix(r, d->mod, d->segs, nprefix, d->global, report, &mod, &used);
        if (st != RES_OK)
            return st;
        if (used != nprefix || fe_item(r->c, mod)->kind != FE_ITEM_MOD) {
            if (report)
                error(r, "E0432", d->span, NULL, "unsupported: importing through a non-module (`%s`)",
                      sym(r, d->segs[used ? used - 1 : 0].name));
            return RES_ERROR;
        }
    }
    if (d->glob) {
        if (mod == d->mod)
            return RES_OK;
        Glob g = {d->mod, mod, d->vis, r->glob_head[d->mod]};
        vec_push(&r->globs, g);
        r->glob_head[d->mod] = r->globs.len;
        return RES_OK;
    }
    FePathSeg last = d->segs[d->nsegs - 1];
    if (last.name == r->s_self) {
        /* `a::{self}` after flattening with more segments */
        define(r, d->mod, d->bind, NS_TYPE, mod, d->vis, true, d->bind_span);
        return RES_OK;
    }
    Binding *bt = lookup_in(r, mod, last.name, NS_TYPE, 0);
    Binding *bv = lookup_in(r, mod, last.name, NS_VALUE, 0);
    if (bt && bt->mod == d->mod && bt->import && bt->name == d->bind)
        bt = NULL;  /* do not import ourselves */
    if (bv && bv->mod == d->mod && bv->import && bv->name == d->bind)
        bv = NULL;
    if (!bt && !bv) {
        if (r->pending_per_mod.data[mod] && !(mod == d->mod && r->pending_per_mod.data[mod] == 1))
            return RES_PENDING;
        if (report) {
            StrBuf path = {0};
            for (uint32_t i = 0; i < d->nsegs; i++)
                sb_printf(&path, "%s%s", i ? "::" : "", sym(r, d->segs[i].name));
            char label[160];
            if (mod == r->c->root || d->nsegs == 1 || foreign_root(r, mod))
                snprintf(label, sizeof label, "no `%s` in the root", sym(r, last.name));
            else
                snprintf(label, sizeof label, "no `%s` in `%s`", sym(r, last.name), sym(r, fe_item(r->c, mod)->name));
            error(r, "E0432", d->span, label, "unresolved import `%s`", sb_str(&path));
            sb_free(&path);
        }
        return RES_ERROR;
    }
    if (report) {
        if (!check_private(r, bt ? bt : bv, d->mod, last.span))
            return RES_ERROR;
    } else if ((bt && bt->vis == FE_VIS_PRIV && !is_descendant(r->c, d->mod, bt->mod)) ||
               (bv && bv->vis == FE_VIS_PRIV && !is_descendant(r->c, d->mod, bv->mod))) {
        return RES_ERROR;  /* reported in the final round */
    }
    if (bt)
        define(r, d->mod, d->bind, NS_TYPE, bt->item, d->vis, true, d->bind_span);
    if (bv)
        define(r, d->mod, d->bind, NS_VALUE, bv->item, d->vis, true, d->bind_span);
    return RES_OK;
}

static void resolve_imports(Resolver *r)
{
    bool progress = true;
    while (progress) {
        progress = false;
        for (uint32_t i = 0; i < r->dirs.len; i++) {
            Directive *d = &r->dirs.data[i];
            if (d->done)
                continue;
            ResStatus st = resolve_directive(r, d, false);
            if (st == RES_OK) {
                d->done = true;
                r->pending_per_mod.data[d->mod]--;
                progress = true;
            }
        }
    }
    /* what is left fails: report each (no directive is pending any more) */
    for (uint32_t i = 0; i < r->dirs.len; i++)
        r->pending_per_mod.data[r->dirs.data[i].mod] = 0;
    for (uint32_t i = 0; i < r->dirs.len; i++) {
        Directive *d = &r->dirs.data[i];
        r->in_use = true;
        if (!d->done && resolve_directive(r, d, true) != RES_OK && !d->glob)
            define(r, d->mod, d->bind, NS_FAILED, 0, FE_VIS_PRIV, false, d->span);
        r->in_use = false;
    }
}

/* ---------------------------------------------------------------- paths */

/* Did a failed import bind `name` in the current module? (Its error was reported.) */
static bool failed_import(Resolver *r, Sym name) { return find_binding(r, r->mod, name, NS_FAILED) != NULL; }

static Sym seg_name(const FePath *p, uint32_t i) { return p->segs[i].name; }

static int prim_type(Resolver *r, Sym name, TypeId *ty)
{
    for (int k = 0; k < FE_INT_COUNT; k++)
        if (r->prim[k] == name) {
            *ty = FE_TY_INT(k);
            return 1;
        }
    if (name == r->prim[FE_INT_COUNT]) {
        *ty = FE_TY_BOOL;
        return 1;
    }
    if (name == r->prim[FE_INT_COUNT + 1]) {
        *ty = FE_TY_CHAR;
        return 1;
    }
    if (name == r->prim[FE_INT_COUNT + 2]) {
        *ty = FE_TY_STR;
        return 1;
    }
    return 0;
}


/* Resolves a type path to a TypeId (structs and primitives); FE_TY_ERROR after an error. */
static TypeId resolve_type_path(Resolver *r, const FePath *p)
{
    if (p->nsegs == 1 && !p->global) {
        Sym name = seg_name(p, 0);
        if (name == r->s_self_ty) {
            if (r->impl_self_ty)
                return r->impl_self_ty;
            error(r, "E0411", p->span, "`Self` is only available in impls, traits, and type definitions",
                  "cannot find type `Self` in this scope");
            return FE_TY_ERROR;
        }
        Binding *b = lookup_in(r, r->mod, name, NS_TYPE, 0);
        TypeId ty;
        if (!b && prim_type(r, name, &ty))
            return ty;
        if (!b) {
            const char *un = std_type_name(sym(r, name));
            if (un) {
                report_unsupported_name(r, p->span, un);
                return FE_TY_ERROR;
            }
            if (!failed_import(r, name))
                error(r, "E0425", p->span, "not found in this scope", "cannot find type `%s` in this scope", sym(r, name));
            return FE_TY_ERROR;
        }
        if (fe_item(r->c, b->item)->kind != FE_ITEM_STRUCT) {
            error(r, "E0573", p->span, "not a type", "expected type, found %s `%s`", item_desc(r->c, b->item),
                  sym(r, name));
            return FE_TY_ERROR;
        }
        return fe_item(r->c, b->item)->st.ty;
    }
    ItemId mod;
    uint32_t used;
    if (resolve_module_prefix(r, r->mod, p->segs, p->nsegs - 1, p->global, true, &mod, &used) != RES_OK)
        return FE_TY_ERROR;
    if (used != p->nsegs - 1 || fe_item(r->c, mod)->kind != FE_ITEM_MOD) {
        error(r, NULL, p->span, NULL, "unsupported: associated types");
        return FE_TY_ERROR;
    }
    Sym last = seg_name(p, p->nsegs - 1);
    Binding *b = lookup_in(r, mod, last, NS_TYPE, 0);
    if (!b) {
        if (mod == r->std_mod || fe_item(r->c, mod)->flags & FE_ITEM_BUILTIN) {
            error(r, NULL, p->span, NULL, "unsupported: `%s` from the standard library", sym(r, last));
            return FE_TY_ERROR;
        }
        char desc[300], label[300];
        scope_text(r, p->segs, p->nsegs - 1, mod, desc, sizeof desc, label, sizeof label);
        error(r, "E0425", p->segs[p->nsegs - 1].span, label, "cannot find type `%s` in %s", sym(r, last), desc);
        return FE_TY_ERROR;
    }
    if (!check_private(r, b, r->mod, p->segs[p->nsegs - 1].span))
        return FE_TY_ERROR;
    if (fe_item(r->c, b->item)->kind != FE_ITEM_STRUCT) {
        error(r, "E0573", p->span, "not a type", "expected type, found %s `%s`", item_desc(r->c, b->item), sym(r, last));
        return FE_TY_ERROR;
    }
    return fe_item(r->c, b->item)->st.ty;
}

static void resolve_tyx(Resolver *r, TyxId id);
static void resolve_expr(Resolver *r, ExprId id);

static void resolve_tyx(Resolver *r, TyxId id)
{
    if (!id)
        return;
    FeTyx *t = fe_tyx(r->c, id);
    switch (t->kind) {
    case FE_TYX_PATH: t->ty = resolve_type_path(r, t->path); break;
    case FE_TYX_REF: case FE_TYX_SLICE: resolve_tyx(r, t->inner); break;
    case FE_TYX_ARRAY:
        resolve_tyx(r, t->inner);
        resolve_expr(r, t->len);
        break;
    case FE_TYX_TUPLE:
        for (uint32_t i = 0; i < t->n; i++)
            resolve_tyx(r, t->elems[i]);
        break;
    default: break;
    }
}

/* Finds an associated function of a struct's impls by name (0 when none). */
static ItemId find_assoc(Resolver *r, ItemId st, Sym name)
{
    Binding *b = find_binding(r, st, name, NS_ASSOC);
    return b ? b->item : 0;
}

static LocalId lookup_local(Resolver *r, Sym name)
{
    for (uint32_t i = r->scopes.len; i-- > 0;)
        if (r->scopes.data[i].name == name)
            return r->scopes.data[i].local;
    return (LocalId)-1;
}

/* A primitive's associated constant: i32::MAX, u8::MIN, u32::BITS. */
static bool prim_const(Resolver *r, FeExpr *e, TypeId ty, Sym name)
{
    const char *n = sym(r, name);
    int k = (int)(ty - FE_TY_INT0);
    if (ty < FE_TY_INT0 || k >= FE_INT_COUNT)
        return false;
    static const uint8_t bits[] = {8, 16, 32, 64, 128, 64, 8, 16, 32, 64, 128, 64};
    bool is_signed = k < FE_INT_U8;
    unsigned b = bits[k];
    u128 mask = b == 128 ? ~(u128)0 : (((u128)1 << b) - 1);
    u128 v;
    if (strcmp(n, "MAX") == 0)
        v = is_signed ? mask >> 1 : mask;
    else if (strcmp(n, "MIN") == 0)
        v = is_signed ? ((u128)1 << (b - 1)) : 0;
    else if (strcmp(n, "BITS") == 0) {
        e->kind = FE_EXPR_INT;
        e->value = b;
        e->op = 1 + FE_INT_U32;
        e->flags |= FE_EXPR_IMPLICIT;
        return true;
    } else
        return false;
    e->kind = FE_EXPR_INT;
    e->value = v;
    e->op = (uint8_t)(1 + k);
    e->flags |= FE_EXPR_IMPLICIT;  /* a bit pattern: not range-checked as a literal */
    return true;
}

/* Resolves a value path in place: LOCAL, ITEM (fn, const, static, struct ctor). */
static void resolve_value_path(Resolver *r, FeExpr *e, bool callee)
{
    const FePath *p = e->path;
    Span span = p->span;
    if (p->nsegs == 1 && !p->global) {
        Sym name = seg_name(p, 0);
        LocalId l = lookup_local(r, name);
        if (l != (LocalId)-1) {
            e->kind = FE_EXPR_LOCAL;
            e->local = l;
            e->name = name;
            return;
        }
        if (name == r->s_self) {
            error(r, "E0424", span, "`self` value is a keyword only available in methods with a `self` parameter",
                  "expected value, found module `self`");
            e->kind = FE_EXPR_ERROR;
            return;
        }
        Binding *b = name == r->s_self_ty ? NULL : lookup_in(r, r->mod, name, NS_VALUE, 0);
        if (name == r->s_self_ty && r->impl_struct && fe_item(r->c, r->impl_struct)->st.shape != 0) {
            e->kind = FE_EXPR_ITEM;
            e->item = (ItemRef){FE_LOCAL_CRATE, r->impl_struct};
            return;
        }
        if (!b) {
            const char *un = std_type_name(sym(r, name));
            Binding *bt = lookup_in(r, r->mod, name, NS_TYPE, 0);
            if (un && !bt)
                report_unsupported_name(r, span, un);
            else if (bt && fe_item(r->c, bt->item)->kind == FE_ITEM_STRUCT)
                error(r, "E0423", span, NULL, "expected value, found struct `%s`", sym(r, name));
            else if (bt)
                error(r, "E0423", span, NULL, "expected value, found %s `%s`", item_desc(r->c, bt->item), sym(r, name));
            else if (!failed_import(r, name))
                error(r, "E0425", span, "not found in this scope", "cannot find %s `%s` in this scope",
                      callee ? "function" : "value", sym(r, name));
            e->kind = FE_EXPR_ERROR;
            return;
        }
        e->kind = FE_EXPR_ITEM;
        e->item = (ItemRef){FE_LOCAL_CRATE, b->item};
        return;
    }
    /* Type::assoc, Self::assoc, prim::CONST, or module::item */
    Sym first = seg_name(p, 0);
    ItemId st = 0;
    TypeId prim = 0;
    ItemId mod = 0;
    uint32_t used = 0;
    if (p->nsegs == 2 && !p->global && first == r->s_self_ty) {
        if (!r->impl_struct) {
            error(r, "E0433", p->segs[0].span, "`Self` is only available in impls, traits, and type definitions",
                  "cannot find `Self` in this scope");
            e->kind = FE_EXPR_ERROR;
            return;
        }
        st = r->impl_struct;
    } else if (p->nsegs == 2 && !p->global && !lookup_in(r, r->mod, first, NS_TYPE, 0) && prim_type(r, first, &prim)) {
        if (prim_const(r, e, prim, seg_name(p, 1)))
            return;
        error(r, NULL, span, NULL, "unsupported: associated item `%s` of `%s`", sym(r, seg_name(p, 1)), sym(r, first));
        e->kind = FE_EXPR_ERROR;
        return;
    } else {
        ResStatus rs = resolve_module_prefix(r, r->mod, p->segs, p->nsegs - 1, p->global, true, &mod, &used);
        if (rs != RES_OK) {
            e->kind = FE_EXPR_ERROR;
            return;
        }
        if (fe_item(r->c, mod)->kind == FE_ITEM_STRUCT && used == p->nsegs - 1) {
            st = mod;
        } else if (fe_item(r->c, mod)->kind != FE_ITEM_MOD || used != p->nsegs - 1) {
            error(r, NULL, span, NULL, "unsupported: this path");
            e->kind = FE_EXPR_ERROR;
            return;
        }
    }
    Sym last = seg_name(p, p->nsegs - 1);
    Span last_span = p->segs[p->nsegs - 1].span;
    if (st) {
        ItemId fn = find_assoc(r, st, last);
        if (!fn) {
            error(r, "E0599", last_span, "associated item not found",
                  "no function or associated item named `%s` found for struct `%s` in the current scope",
                  sym(r, last), sym(r, fe_item(r->c, st)->name));
            e->kind = FE_EXPR_ERROR;
            return;
        }
        if (!resolve_visible(r->c, fn, r->mod)) {
            error(r, "E0624", last_span, "private associated function", "associated function `%s` is private",
                  sym(r, last));
        }
        e->kind = FE_EXPR_ITEM;
        e->item = (ItemRef){FE_LOCAL_CRATE, fn};
        return;
    }
    Binding *b = lookup_in(r, mod, last, NS_VALUE, 0);
    if (!b) {
        if (fe_item(r->c, mod)->flags & FE_ITEM_BUILTIN)
            error(r, NULL, span, NULL, "unsupported: `%s` from the standard library", sym(r, last));
        else if (lookup_in(r, mod, last, NS_TYPE, 0))
            error(r, "E0423", span, NULL, "expected value, found struct `%s`", sym(r, last));
        else {
            char desc[300], label[300];
            scope_text(r, p->segs, p->nsegs - 1, mod, desc, sizeof desc, label, sizeof label);
            error(r, "E0425", last_span, label, "cannot find %s `%s` in %s", callee ? "function" : "value",
                  sym(r, last), desc);
        }
        e->kind = FE_EXPR_ERROR;
        return;
    }
    if (!check_private(r, b, r->mod, last_span)) {
        e->kind = FE_EXPR_ERROR;
        return;
    }
    e->kind = FE_EXPR_ITEM;
    e->item = (ItemRef){FE_LOCAL_CRATE, b->item};
}

/* Resolves a struct literal's path (types namespace, or Self). */
static ItemId resolve_struct_path(Resolver *r, const FePath *p)
{
    if (p->nsegs == 1 && !p->global && seg_name(p, 0) == r->s_self_ty) {
        if (r->impl_struct)
            return r->impl_struct;
        error(r, "E0422", p->span, NULL, "cannot find struct, variant or union type `Self` in this scope");
        return 0;
    }
    if (p->nsegs == 1 && !p->global) {
        Binding *b = lookup_in(r, r->mod, seg_name(p, 0), NS_TYPE, 0);
        if (!b || fe_item(r->c, b->item)->kind != FE_ITEM_STRUCT) {
            const char *un = std_type_name(sym(r, seg_name(p, 0)));
            if (un && !b)
                report_unsupported_name(r, p->span, un);
            else if (b || !failed_import(r, seg_name(p, 0)))
                error(r, "E0422", p->span, b ? NULL : "not found in this scope",
                      "cannot find struct, variant or union type `%s` in this scope", sym(r, seg_name(p, 0)));
            return 0;
        }
        return b->item;
    }
    TypeId ty = resolve_type_path(r, p);
    const FeType *t = fe_type(r->c, ty);
    return t->kind == FE_TYPE_STRUCT ? t->item.item : 0;
}

/* ---------------------------------------------------------------- bodies */

static void bind_pattern(Resolver *r, PatId id)
{
    FePat *p = fe_pat(r->c, id);
    if (p->kind == FE_PAT_BIND) {
        FeLocal l = {p->name, p->mut, 0, p->span};
        vec_push(&r->locals, l);
        p->local = r->locals.len - 1;
        vec_push(&r->scopes, ((Scope){p->name, p->local}));
    } else if (p->kind == FE_PAT_TUPLE) {
        for (uint32_t i = 0; i < p->n; i++)
            bind_pattern(r, p->elems[i]);
        /* a name bound twice in one pattern */
        p = fe_pat(r->c, id);
    }
}

static void check_duplicate_bindings(Resolver *r, PatId id, uint32_t first_scope)
{
    (void)id;
    for (uint32_t i = first_scope; i < r->scopes.len; i++)
        for (uint32_t j = first_scope; j < i; j++)
            if (r->scopes.data[i].name == r->scopes.data[j].name) {
                const FeLocal *l = &r->locals.data[r->scopes.data[i].local];
                error(r, "E0416", l->span, "used in a pattern more than once",
                      "identifier `%s` is bound more than once in the same pattern", sym(r, l->name));
            }
}

static void resolve_block(Resolver *r, FeExpr *e)
{
    uint32_t mark = r->scopes.len;
    for (uint32_t i = 0; i < e->n; i++) {
        FeStmt *s = fe_stmt(r->c, e->stmts[i]);
        if (s->kind == FE_STMT_LET) {
            resolve_tyx(r, s->tyx);
            resolve_expr(r, s->expr);
            uint32_t first = r->scopes.len;
            bind_pattern(r, s->pat);
            check_duplicate_bindings(r, s->pat, first);
        } else {
            resolve_expr(r, s->expr);
        }
    }
    resolve_expr(r, e->a);
    r->scopes.len = mark;
}

static void resolve_loop_body(Resolver *r, ExprId loop, Sym label, ExprId body)
{
    vec_push(&r->loops, ((Loop){loop, label}));
    resolve_expr(r, body);
    r->loops.len--;
}

static void resolve_jump(Resolver *r, ExprId id)
{
    FeExpr *e = fe_expr(r->c, id);
    bool brk = e->kind == FE_EXPR_BREAK;
    if (e->name) {
        for (uint32_t i = r->loops.len; i-- > 0;)
            if (r->loops.data[i].label == e->name) {
                e->target = r->loops.data[i].expr;
                return;
            }
        Span ls = {e->span.file, e->op_lo, e->op_lo + (uint32_t)sym_len(&r->sess->names, e->name)};
        error(r, "E0426", ls, "undeclared label", "use of undeclared label `%s`", sym(r, e->name));
        return;
    }
    if (!r->loops.len) {
        error(r, "E0268", e->span, brk ? "cannot `break` outside of a loop or labeled block"
                                       : "cannot `continue` outside of a loop",
              brk ? "`break` outside of a loop or labeled block" : "`continue` outside of a loop");
        return;
    }
    e->target = vec_last(&r->loops).expr;
}

static void resolve_expr(Resolver *r, ExprId id)
{
    if (!id)
        return;
    FeExpr *e = fe_expr(r->c, id);
    switch (e->kind) {
    case FE_EXPR_PATH:
        resolve_value_path(r, e, false);
        return;
    case FE_EXPR_CALL: {
        FeExpr *callee = fe_expr(r->c, e->a);
        if (callee->kind == FE_EXPR_PATH)
            resolve_value_path(r, callee, true);
        else
            resolve_expr(r, e->a);
        for (uint32_t i = 0; i < e->n; i++)
            resolve_expr(r, e->args[i]);
        return;
    }
    case FE_EXPR_STRUCT: {
        FeExpr *pe = fe_expr(r->c, e->a);
        ItemId st = resolve_struct_path(r, pe->path);
        e->item = (ItemRef){FE_LOCAL_CRATE, st};
        for (uint32_t i = 0; i < e->n; i++)
            resolve_expr(r, fe_expr(r->c, e->args[i])->a);
        if (!st)
            e->kind = FE_EXPR_ERROR;
        return;
    }
    case FE_EXPR_BLOCK:
        resolve_block(r, e);
        return;
    case FE_EXPR_WHILE:
        resolve_expr(r, e->a);
        resolve_loop_body(r, id, e->name, e->b);
        return;
    case FE_EXPR_LOOP:
        resolve_loop_body(r, id, e->name, e->b);
        return;
    case FE_EXPR_FOR: {
        resolve_expr(r, e->a);
        uint32_t mark = r->scopes.len;
        bind_pattern(r, e->pat);
        check_duplicate_bindings(r, e->pat, mark);
        resolve_loop_body(r, id, e->name, e->b);
        r->scopes.len = mark;
        return;
    }
    case FE_EXPR_BREAK:
    case FE_EXPR_CONTINUE:
        resolve_jump(r, id);
        resolve_expr(r, fe_expr(r->c, id)->a);
        return;
    case FE_EXPR_CAST:
        resolve_expr(r, e->a);
        resolve_tyx(r, e->tyx);
        return;
    case FE_EXPR_METHOD_CALL: case FE_EXPR_TUPLE: case FE_EXPR_ARRAY:
        for (uint32_t i = 0; i < e->n; i++)
            resolve_expr(r, e->args[i]);
        return;
    case FE_EXPR_MACRO: {
        FeMacro *m = e->mac;
        resolve_expr(r, m->cond);
        resolve_expr(r, m->left);
        resolve_expr(r, m->right);
        for (uint32_t i = 0; i < m->nargs; i++)
            resolve_expr(r, m->args[i]);
        return;
    }
    case FE_EXPR_INT: case FE_EXPR_FLOAT: case FE_EXPR_BOOL: case FE_EXPR_CHAR: case FE_EXPR_STR:
    case FE_EXPR_ERROR: case FE_EXPR_LOCAL: case FE_EXPR_ITEM:
        return;
    default:
        resolve_expr(r, e->a);
        resolve_expr(r, e->b);
        if (e->kind == FE_EXPR_IF)
            resolve_expr(r, e->c);
        return;
    }
}

static void resolve_fn(Resolver *r, ItemId id)
{
    FeFn *fn = &fe_item(r->c, id)->fn;
    r->scopes.len = 0;
    r->locals.len = 0;
    r->loops.len = 0;
    for (uint32_t i = 0; i < fn->nparams; i++) {
        resolve_tyx(r, fn->params[i].tyx);
        bind_pattern(r, fn->params[i].pat);
    }
    for (uint32_t i = 0; i < r->scopes.len; i++)
        for (uint32_t j = 0; j < i; j++)
            if (r->scopes.data[i].name == r->scopes.data[j].name) {
                const FeLocal *l = &r->locals.data[r->scopes.data[i].local];
                error(r, "E0415", l->span, "used as parameter more than once",
                      "identifier `%s` is bound more than once in this parameter list", sym(r, l->name));
                break;
            }
    resolve_tyx(r, fn->ret_tyx);
    resolve_expr(r, fn->body);
    fn = &fe_item(r->c, id)->fn;
    fn->nlocals = r->locals.len;
    fn->locals = arena_new(&r->sess->arena, FeLocal, r->locals.len ? r->locals.len : 1);
    if (r->locals.len)
        memcpy(fn->locals, r->locals.data, r->locals.len * sizeof(FeLocal));
}

static void resolve_items(Resolver *r, ItemId mod)
{
    const FeMod *m = &fe_item(r->c, mod)->mod;
    for (uint32_t i = 0; i < m->nitems; i++) {
        ItemId id = m->items[i];
        FeItem *it = fe_item(r->c, id);
        r->mod = mod;
        r->impl_struct = 0;
        r->impl_self_ty = 0;
        switch (it->kind) {
        case FE_ITEM_MOD:
            resolve_items(r, id);
            break;
        case FE_ITEM_FN:
            resolve_fn(r, id);
            break;
        case FE_ITEM_CONST:
        case FE_ITEM_STATIC:
            resolve_tyx(r, it->cst.tyx);
            r->scopes.len = 0;
            r->loops.len = 0;
            resolve_expr(r, it->cst.init);
            break;
        case FE_ITEM_STRUCT:
            for (uint32_t k = 0; k < it->st.nfields; k++)
                resolve_tyx(r, fe_item(r->c, id)->st.fields[k].tyx);
            break;
        case FE_ITEM_IMPL: {
            TypeId self = fe_item(r->c, id)->impl.self_ty;
            r->impl_self_ty = self;
            r->impl_struct = self && fe_type(r->c, self)->kind == FE_TYPE_STRUCT ? fe_type(r->c, self)->item.item : 0;
            for (uint32_t k = 0; k < it->impl.nitems; k++) {
                ItemId fn = fe_item(r->c, id)->impl.items[k];
                fe_item(r->c, fn)->fn.self_ty = self;
                resolve_fn(r, fn);
            }
            break;
        }
        default:
            break;
        }
    }
}

/* Impl self types first: `Type::assoc` paths need them. */
static void resolve_impl_types(Resolver *r, ItemId mod)
{
    const FeMod *m = &fe_item(r->c, mod)->mod;
    for (uint32_t i = 0; i < m->nitems; i++) {
        ItemId id = m->items[i];
        FeItem *it = fe_item(r->c, id);
        if (it->kind == FE_ITEM_MOD) {
            resolve_impl_types(r, id);
        } else if (it->kind == FE_ITEM_IMPL) {
            r->mod = mod;
            FeTyx *t = fe_tyx(r->c, it->impl.self_tyx);
            if (t->kind != FE_TYX_PATH) {
                error(r, NULL, t->span, NULL, "unsupported: inherent impls on types other than structs");
                continue;
            }
            TypeId ty = resolve_type_path(r, t->path);
            fe_tyx(r->c, it->impl.self_tyx)->ty = ty;
            if (ty != FE_TY_ERROR && fe_type(r->c, ty)->kind != FE_TYPE_STRUCT) {
                error(r, "E0390", t->span, NULL, "cannot define inherent `impl` for primitive types");
                ty = FE_TY_ERROR;
            } else if (ty != FE_TY_ERROR && fe_item(r->c, fe_type(r->c, ty)->item.item)->krate) {
                Span head = {t->span.file, fe_item(r->c, id)->span.lo, t->span.hi};
                error(r, "E0116", head, "impl for type defined outside of crate",
                      "cannot define inherent `impl` for a type outside of the crate where the type is defined");
                diag_note(&r->sess->diag, "note", "define and implement a trait or new type instead");
                ty = FE_TY_ERROR;
            }
            fe_item(r->c, id)->impl.self_ty = ty;
            if (ty == FE_TY_ERROR)
                continue;
            ItemId st = fe_type(r->c, ty)->item.item;
            const FeImpl *impl = &fe_item(r->c, id)->impl;
            for (uint32_t k = 0; k < impl->nitems; k++) {
                const FeItem *fn = fe_item(r->c, impl->items[k]);
                Binding *old = find_binding(r, st, fn->name, NS_ASSOC);
                if (old) {
                    Span first = fe_item(r->c, old->item)->head_span;
                    error(r, "E0592", first, "duplicate definitions", "duplicate definitions with name `%s`",
                          sym(r, fn->name));
                    continue;
                }
                define(r, st, fn->name, NS_ASSOC, impl->items[k], fn->vis, false, fn->span);
            }
        }
    }
}

/* Each impl's position among the impls of its module: its symbols' disambiguator. */
static void number_impls(FeCrate *c, ItemId mod)
{
    const FeMod *m = &fe_item(c, mod)->mod;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nitems; i++) {
        FeItem *it = fe_item(c, m->items[i]);
        if (it->kind == FE_ITEM_IMPL)
            it->impl.index = k++;
        else if (it->kind == FE_ITEM_MOD)
            number_impls(c, m->items[i]);
    }
}

/* Adds to module `into` the public names a `pub use from::*` re-exports (names of its
 * own win), then what globs of `from` re-export. */
static void expand_glob(Resolver *r, ItemId into, ItemId from, uint8_t vis, int depth)
{
    if (depth > 16)
        return;
    for (uint32_t i = 0; i < r->cap; i++) {
        Binding b = r->table[i];
        if (!b.name || b.mod != from || b.ns > NS_VALUE || b.vis != FE_VIS_PUB || find_binding(r, into, b.name, b.ns))
            continue;
        define(r, into, b.name, b.ns, b.item, vis, true, b.span);
        i = UINT32_MAX;  /* the table may have grown: start over (each name is added once) */
    }
    for (uint32_t g = r->glob_head ? r->glob_head[from] : 0; g; g = r->globs.data[g - 1].next)
        if (r->globs.data[g - 1].vis == FE_VIS_PUB)
            expand_glob(r, into, r->globs.data[g - 1].target, vis, depth + 1);
}

static int export_cmp(const void *a, const void *b, void *names)
{
    const FeBinding *x = a, *y = b;
    if (x->mod != y->mod)
        return x->mod < y->mod ? -1 : 1;
    int r = strcmp(sym_str(names, x->name), sym_str(names, y->name));
    return r ? r : x->ns - y->ns;
}

/* Leaves the names of this crate's modules in c->externs->exports (for interfaces). */
static void export_bindings(Resolver *r)
{
    FeCrate *c = r->c;
    for (uint32_t g = 0; g < r->globs.len; g++) {
        const Glob *gl = &r->globs.data[g];
        if (gl->vis != FE_VIS_PRIV)
            expand_glob(r, gl->mod, gl->target, gl->vis, 0);
    }
    FeExterns *x = c->externs;
    for (uint32_t i = 0; i < r->cap; i++) {
        const Binding *b = &r->table[i];
        if (!b->name || b->ns > NS_VALUE || !b->item)
            continue;
        const FeItem *m = fe_item(c, b->mod);
        if (m->kind != FE_ITEM_MOD || m->krate || (m->flags & FE_ITEM_BUILTIN))
            continue;
        vec_push(&x->exports, ((FeBinding){b->mod, b->name, b->ns, b->vis, b->item}));
    }
    /* by module, then name, then namespace: the interface's order (not the table's) */
    if (x->exports.len > 1)
        qsort_r(x->exports.data, x->exports.len, sizeof(FeBinding), export_cmp, &c->sess->names);
}

bool resolve_crate(FeCrate *c)
{
    Resolver r = {0};
    r.c = c;
    r.sess = c->sess;
    Interner *in = &c->sess->names;
    r.s_self = intern_cstr(in, "self");
    r.s_super = intern_cstr(in, "super");
    r.s_crate = intern_cstr(in, "crate");
    r.s_self_ty = intern_cstr(in, "Self");
    r.s_std = intern_cstr(in, "std");
    r.s_core = intern_cstr(in, "core");
    r.s_underscore = intern_cstr(in, "_");
    static const char *const prims[] = {"i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64",
                                        "u128", "usize", "bool", "char", "str"};
    for (size_t i = 0; i < ARRAY_LEN(prims); i++)
        r.prim[i] = intern_cstr(in, prims[i]);
    grow_table(&r);
    /* the built-in model of std: std::process::exit */
    r.std_mod = add_builtin(&r, FE_ITEM_MOD, "std", 0);
    r.process_mod = add_builtin(&r, FE_ITEM_MOD, "process", r.std_mod);
    r.exit_fn = add_builtin(&r, FE_ITEM_FN, "exit", r.process_mod);
    /* struct types exist before any path is resolved */
    for (ItemId id = 1; id < c->items.len; id++)
        if (fe_item(c, id)->kind == FE_ITEM_STRUCT && !fe_item(c, id)->krate)
            fe_item(c, id)->st.ty = ty_struct(c, (ItemRef){FE_LOCAL_CRATE, id});
    /* the dependencies' names, as their interfaces give them */
    const FeExterns *x = c->externs;
    for (uint32_t i = 0; x && i < x->bindings.len; i++) {
        const FeBinding *b = &x->bindings.data[i];
        define(&r, b->mod, b->name, b->ns, b->item, b->vis, false, (Span){0, 0, 0});
    }
    number_impls(c, c->root);
    define_items(&r, c->root);
    uint32_t nitems = c->items.len;
    r.glob_head = xcalloc(nitems + 1, sizeof(uint32_t));
    vec_reserve(&r.pending_per_mod, nitems + 1);
    memset(r.pending_per_mod.data, 0, (nitems + 1) * sizeof(uint32_t));
    r.pending_per_mod.len = nitems + 1;
    collect_uses(&r, c->root);
    resolve_imports(&r);
    resolve_impl_types(&r, c->root);
    resolve_items(&r, c->root);
    /* bin crates need fn main at the root */
    if (c->is_bin) {
        Binding *b = find_binding(&r, c->root, intern_cstr(in, "main"), NS_VALUE);
        if (b && !b->import && fe_item(c, b->item)->kind == FE_ITEM_FN) {
            c->main_fn = b->item;
            fe_item(c, b->item)->flags |= FE_ITEM_MAIN;
        } else if (!r.errors) {
            SourceFile *f = &c->sess->sources.files.data[fe_item(c, c->root)->mod.file];
            uint32_t end = f->len;
            while (end > 0 && (f->text[end - 1] == '\n' || f->text[end - 1] == '\r'))
                end--;
            r.errors++;
            char label[256];
            snprintf(label, sizeof label, "consider adding a `main` function to `%s`", f->path);
            diag_emit_code(&c->sess->diag, DIAG_ERROR, "E0601", (Span){fe_item(c, c->root)->mod.file, end, end}, label,
                           "`main` function not found in crate `%s`", sym(&r, c->name));
        }
    }
    if (!r.errors)
        export_bindings(&r);
    xfree(r.table);
    xfree(r.glob_head);
    vec_free(&r.globs);
    vec_free(&r.dirs);
    vec_free(&r.pending_per_mod);
    vec_free(&r.scopes);
    vec_free(&r.locals);
    vec_free(&r.loops);
    return r.errors == 0;
}

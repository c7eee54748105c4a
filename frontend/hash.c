/*
 * frontend/hash.c — canonical serializations of the typed tree and the hashes taken
 * over them: item keys, types, expressions, per-item hashes and per-function hashes.
 *
 * Canonical means: no spans or source offsets, no Sym numbers (every name is written
 * as its string), no names of locals or labels (locals are numbered in order of
 * binding, break/continue name their loop by depth), no ExprIds. Items are named by
 * key — crate name, kind, path in the crate — so a key means the same item in the
 * crate that defines it and in every crate that loads it from an interface.
 *
 * Encodings (little-endian; str = u32 length + bytes; [x] = u8 0, or u8 1 then x):
 *   key    str crate, u8 FeItemKind, str path
 *   type   u8 FeTypeKind, then INT: u8 FeIntKind; REF: u8 mut, type; ARRAY: u64 len,
 *          type; SLICE, RANGE: type; TUPLE: u32 n, n types; STRUCT: key
 *   expr   u8 kind, u8 op, u16 flags, type, then by kind (see canon_expr); a struct
 *          literal adds the order its initializers were written in (the evaluation
 *          order, which the tree otherwise keeps only in their spans)
 *
 * Hashes (XXH3-128):
 *   the item hash of an item of this crate is the hash of its `full` record
 *   (iface_record: signature and symbol of a function, the whole layout of a struct
 *   with private fields, a const's value or initializer, a static's type and
 *   initializer); of a dependency's item, the hash of its interface record.
 *   A body's closure: the items its code names, and through them what else their code
 *   can depend on: the initializers of consts it names (and theirs), the bodies of the
 *   #[inline] functions it reaches, and from an inline body the bodies of the non-pub
 *   functions it calls (hash_body_travels), transitively. The closure hash is taken
 *   over its items sorted by key, each as (key, item hash[, body hash]).
 *   fe_fn_hash(f) = H(item hash of f, body hash of f, closure hash of f's body), where
 *   the body hash covers the typed body, the types of every local and the display path
 *   of f's file (panic messages name it).
 */
#include "frontend/stages.h"

#include <stdlib.h>
#include <string.h>

typedef struct FeHashes FeHashes;

struct FeHashes {
    uint32_t nitems;
    const char **keys;      /* per item: memoized key bytes */
    uint32_t *key_len;
    Hash128 *item;          /* per item: item hash (valid when item_done) */
    uint8_t *item_done;
    Hash128 *body;          /* per function/const: hash of its own body or initializer */
    ItemId **refs;          /* ... and the items it names */
    uint32_t *nrefs;
    uint8_t *body_done;
    uint32_t *mark;         /* closure walks: 2 * stamp (+1 with body) per item seen */
    uint32_t stamp;         /* the current walk */
    FeFnHash *list;         /* fe_fn_hashes' result */
    uint32_t nlist;
};

static FeHashes *hashes(FeCrate *c)
{
    if (c->hashes)
        return c->hashes;
    FeHashes *h = arena_new(&c->sess->arena, FeHashes, 1);
    uint32_t n = c->items.len + 1;
    h->nitems = n;
    h->keys = arena_new(&c->sess->arena, const char *, n);
    h->key_len = arena_new(&c->sess->arena, uint32_t, n);
    h->item = arena_new(&c->sess->arena, Hash128, n);
    h->item_done = arena_new(&c->sess->arena, uint8_t, n);
    h->body = arena_new(&c->sess->arena, Hash128, n);
    h->refs = arena_new(&c->sess->arena, ItemId *, n);
    h->nrefs = arena_new(&c->sess->arena, uint32_t, n);
    h->body_done = arena_new(&c->sess->arena, uint8_t, n);
    h->mark = arena_new(&c->sess->arena, uint32_t, n);
    c->hashes = h;
    return h;
}

/* ---------------------------------------------------------------- keys */

void canon_str(StrBuf *out, const char *s, size_t len)
{
    sb_u32le(out, (uint32_t)len);
    sb_append(out, s, len);
}

static const char *name_of(FeCrate *c, Sym s) { return sym_str(&c->sess->names, s); }

/* The item's path in its crate: module path, then the name; a method's is its
 * struct's path, then its name; a crate root's is empty. */
static void item_path(FeCrate *c, ItemId id, StrBuf *out, int depth)
{
    const FeItem *it = fe_item(c, id);
    if (depth > 256 || (it->kind == FE_ITEM_MOD && !it->parent))
        return;
    if (it->kind == FE_ITEM_FN && it->fn.impl) {
        const FeType *self = fe_type(c, it->fn.self_ty ? it->fn.self_ty : fe_item(c, it->fn.impl)->impl.self_ty);
        if (self->kind == FE_TYPE_STRUCT)
            item_path(c, self->item.item, out, depth + 1);
    } else if (it->parent) {
        item_path(c, fe_item_module(c, id), out, depth + 1);
    }
    if (out->len)
        sb_puts(out, "::");
    sb_puts(out, name_of(c, it->name));
}

/* The name of the crate that defines an item (built-ins: "std"). */
static const char *crate_of(FeCrate *c, ItemId id)
{
    const FeItem *it = fe_item(c, id);
    if (it->flags & FE_ITEM_BUILTIN)
        return "std";
    return name_of(c, c->crates.data[it->krate].name);
}

const char *canon_item_key(FeCrate *c, ItemId id, uint32_t *len)
{
    FeHashes *h = hashes(c);
    if (!h->keys[id]) {
        StrBuf path = {0}, key = {0};
        item_path(c, id, &path, 0);
        const char *crate = crate_of(c, id);
        canon_str(&key, crate, strlen(crate));
        sb_u8(&key, fe_item(c, id)->kind);
        canon_str(&key, path.data ? path.data : "", path.len);
        h->keys[id] = arena_memdup(&c->sess->arena, key.data, key.len);
        h->key_len[id] = (uint32_t)key.len;
        sb_free(&path);
        sb_free(&key);
    }
    *len = h->key_len[id];
    return h->keys[id];
}

void canon_init(Canon *k, FeCrate *c, StrBuf *out)
{
    memset(k, 0, sizeof *k);
    k->c = c;
    k->out = out;
}

static int id_cmp(const void *a, const void *b)
{
    ItemId x = *(const ItemId *)a, y = *(const ItemId *)b;
    return x < y ? -1 : x > y;
}

void canon_refs_unique(Canon *k)
{
    if (k->refs.len > 1)
        qsort(k->refs.data, k->refs.len, sizeof(ItemId), id_cmp);
    uint32_t n = 0;
    for (uint32_t i = 0; i < k->refs.len; i++)
        if (!n || k->refs.data[n - 1] != k->refs.data[i])
            k->refs.data[n++] = k->refs.data[i];
    k->refs.len = n;
}

void canon_free(Canon *k)
{
    vec_free(&k->refs);
    vec_free(&k->loops);
}

void canon_key(Canon *k, ItemId id)
{
    uint32_t len;
    const char *key = canon_item_key(k->c, id, &len);
    sb_append(k->out, key, len);
    if (!k->refs.len || vec_last(&k->refs) != id)
        vec_push(&k->refs, id);
}

/* ---------------------------------------------------------------- types */

void canon_type(Canon *k, TypeId ty)
{
    const FeType *t = fe_type(k->c, ty);
    sb_u8(k->out, t->kind);
    switch (t->kind) {
    case FE_TYPE_INT: sb_u8(k->out, t->sub); break;
    case FE_TYPE_REF:
        sb_u8(k->out, t->sub);
        canon_type(k, t->inner);
        break;
    case FE_TYPE_ARRAY:
        sb_u64le(k->out, t->len);
        canon_type(k, t->inner);
        break;
    case FE_TYPE_SLICE: case FE_TYPE_RANGE: canon_type(k, t->inner); break;
    case FE_TYPE_TUPLE:
        sb_u32le(k->out, t->nelems);
        for (uint32_t i = 0; i < t->nelems; i++)
            canon_type(k, fe_type(k->c, ty)->elems[i]);
        break;
    case FE_TYPE_STRUCT: canon_key(k, t->item.item); break;
    default: break;
    }
}

/* ---------------------------------------------------------------- expressions */

static void u128_le(StrBuf *out, u128 v)
{
    sb_u64le(out, (uint64_t)v);
    sb_u64le(out, (uint64_t)(v >> 64));
}

static void opt_expr(Canon *k, ExprId e)
{
    sb_u8(k->out, e != 0);
    if (e)
        canon_expr(k, e);
}

static void canon_pat(Canon *k, PatId id)
{
    const FePat *p = fe_pat(k->c, id);
    sb_u8(k->out, p->kind);
    canon_type(k, p->ty);
    if (p->kind == FE_PAT_BIND) {
        sb_u32le(k->out, p->local);
        sb_u8(k->out, p->mut);
    } else if (p->kind == FE_PAT_TUPLE) {
        sb_u32le(k->out, p->n);
        for (uint32_t i = 0; i < p->n; i++)
            canon_pat(k, fe_pat(k->c, id)->elems[i]);
    }
}

static void canon_stmt(Canon *k, StmtId id)
{
    const FeStmt *s = fe_stmt(k->c, id);
    sb_u8(k->out, s->kind);
    if (s->kind == FE_STMT_LET) {
        canon_pat(k, s->pat);
        canon_type(k, s->ty);
        opt_expr(k, s->expr);
    } else if (s->kind != FE_STMT_EMPTY) {
        canon_expr(k, s->expr);
    }
}

static void canon_macro(Canon *k, const FeMacro *m)
{
    StrBuf *o = k->out;
    sb_u8(o, m->kind);
    sb_u8(o, m->has_format);
    sb_u32le(o, m->npieces);
    for (uint32_t i = 0; i < m->npieces; i++) {
        const FeFmtPiece *pc = &m->pieces[i];
        canon_str(o, pc->text, pc->len);
        uint8_t b[6] = {pc->has_arg, pc->trait, pc->align, pc->flags, pc->width_kind, pc->prec_kind};
        sb_append(o, b, sizeof b);
        sb_u32le(o, pc->fill);
        sb_u32le(o, pc->arg);
        sb_u32le(o, pc->width);
        sb_u32le(o, pc->prec);
    }
    sb_u32le(o, m->nargs);
    for (uint32_t i = 0; i < m->nargs; i++)
        canon_expr(k, m->args[i]);
    opt_expr(k, m->cond);
    opt_expr(k, m->left);
    opt_expr(k, m->right);
    canon_str(o, m->cond_text ? m->cond_text : "", m->cond_text ? m->cond_len : 0);
}

static void args(Canon *k, const ExprId *a, uint32_t n)
{
    sb_u32le(k->out, n);
    for (uint32_t i = 0; i < n; i++)
        canon_expr(k, a[i]);
}

/* A struct literal's initializers are in field order; Rust evaluates them in the order
 * they were written, which their spans give (the backend's order): written here as
 * the field indices in that order. */
static void struct_order(Canon *k, ExprId id)
{
    const FeExpr *e = fe_expr(k->c, id);
    uint32_t n = e->n;
    uint32_t buf[32], *order = n <= 32 ? buf : xmalloc(sizeof(uint32_t) * n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t lo = fe_expr(k->c, e->args[i])->span.lo, j = i;
        while (j > 0 && fe_expr(k->c, e->args[order[j - 1]])->span.lo > lo) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (uint32_t i = 0; i < n; i++)
        sb_u32le(k->out, order[i]);
    if (order != buf)
        xfree(order);
}

/* The depth of loop `target` among the enclosing loops (innermost 0). */
static uint32_t loop_depth(Canon *k, ExprId target)
{
    for (uint32_t i = k->loops.len; i-- > 0;)
        if (k->loops.data[i] == target)
            return k->loops.len - 1 - i;
    return UINT32_MAX;
}

void canon_expr(Canon *k, ExprId id)
{
    const FeExpr *e = fe_expr(k->c, id);
    StrBuf *o = k->out;
    sb_u8(o, e->kind);
    sb_u8(o, e->op);
    uint16_t flags = e->flags & (uint16_t)~FE_EXPR_HAS_SEMI;
    sb_append(o, &flags, 2);
    canon_type(k, e->ty);
    switch (e->kind) {
    case FE_EXPR_INT: case FE_EXPR_BOOL: case FE_EXPR_CHAR: u128_le(o, e->value); break;
    case FE_EXPR_STR: canon_str(o, e->n ? e->str : "", e->n); break;
    case FE_EXPR_LOCAL: sb_u32le(o, e->local); break;
    case FE_EXPR_ITEM: canon_key(k, e->item.item); break;
    case FE_EXPR_UNARY: case FE_EXPR_REF: case FE_EXPR_PAREN: case FE_EXPR_COERCE: case FE_EXPR_CAST:
        canon_expr(k, e->a);
        break;
    case FE_EXPR_BINARY: case FE_EXPR_ASSIGN: case FE_EXPR_ASSIGN_OP: case FE_EXPR_INDEX:
        canon_expr(k, e->a);
        canon_expr(k, fe_expr(k->c, id)->b);
        break;
    case FE_EXPR_CALL: case FE_EXPR_METHOD_CALL:
        canon_key(k, e->item.item);
        args(k, e->args, e->n);
        break;
    case FE_EXPR_STRUCT:
        canon_key(k, e->item.item);
        args(k, e->args, e->n);
        struct_order(k, id);
        break;
    case FE_EXPR_BUILTIN: case FE_EXPR_TUPLE: case FE_EXPR_ARRAY: args(k, e->args, e->n); break;
    case FE_EXPR_FIELD:
        sb_u32le(o, e->field);
        canon_expr(k, e->a);
        break;
    case FE_EXPR_BLOCK:
        sb_u32le(o, e->n);
        for (uint32_t i = 0; i < e->n; i++)
            canon_stmt(k, fe_expr(k->c, id)->stmts[i]);
        opt_expr(k, fe_expr(k->c, id)->a);
        break;
    case FE_EXPR_IF:
        canon_expr(k, e->a);
        canon_expr(k, fe_expr(k->c, id)->b);
        opt_expr(k, fe_expr(k->c, id)->c);
        break;
    case FE_EXPR_WHILE: case FE_EXPR_LOOP: case FE_EXPR_FOR:
        if (e->kind == FE_EXPR_FOR)
            canon_pat(k, e->pat);
        vec_push(&k->loops, id);
        opt_expr(k, fe_expr(k->c, id)->a);
        canon_expr(k, fe_expr(k->c, id)->b);
        k->loops.len--;
        break;
    case FE_EXPR_RANGE: case FE_EXPR_RETURN:
        opt_expr(k, e->a);
        opt_expr(k, fe_expr(k->c, id)->b);
        break;
    case FE_EXPR_BREAK: case FE_EXPR_CONTINUE:
        sb_u32le(o, loop_depth(k, e->target));
        opt_expr(k, e->a);
        break;
    case FE_EXPR_REPEAT:
        u128_le(o, e->value);
        canon_expr(k, e->a);
        break;
    case FE_EXPR_MACRO: canon_macro(k, e->mac); break;
    default: break;  /* ERROR, FLOAT, PATH: not in a checked crate */
    }
}

/* ---------------------------------------------------------------- item hashes */

static Hash128 hash_buf(const StrBuf *sb) { return hash128(sb->data ? sb->data : "", sb->len); }

/* An item's own hash (see the top of this file). */
static Hash128 item_hash(FeCrate *c, ItemId id)
{
    FeHashes *h = hashes(c);
    if (!h->item_done[id]) {
        StrBuf sb = {0};
        iface_record(c, id, &sb, true);
        h->item[id] = hash_buf(&sb);
        h->item_done[id] = 1;
        sb_free(&sb);
    }
    return h->item[id];
}

/* What can carry code or a value: a function with a body, a const with an initializer. */
static bool has_body(FeCrate *c, ItemId id)
{
    const FeItem *it = fe_item(c, id);
    if (it->kind == FE_ITEM_FN)
        return it->fn.body != 0 && it->krate == 0;
    /* a const with a value is its value: how its initializer is written does not matter */
    return it->kind == FE_ITEM_CONST && it->cst.init != 0 && !it->cst.has_value;
}

/* The hash of a function's body (with its locals and file) or a const's initializer
 * (one without a value), and the items it names. */
static Hash128 body_hash(FeCrate *c, ItemId id)
{
    FeHashes *h = hashes(c);
    if (h->body_done[id])
        return h->body[id];
    const FeItem *it = fe_item(c, id);
    StrBuf sb = {0};
    Canon k;
    canon_init(&k, c, &sb);
    if (it->kind == FE_ITEM_FN) {
        const FeFn *fn = &it->fn;
        sb_u32le(&sb, fn->nlocals);
        for (uint32_t i = 0; i < fn->nlocals; i++) {
            canon_type(&k, fn->locals[i].ty);
            sb_u8(&sb, fn->locals[i].mut);
        }
        for (uint32_t i = 0; i < fn->nparams; i++)
            canon_pat(&k, fn->params[i].pat);
        canon_expr(&k, fn->body);
        ItemId mod = fe_item_module(c, id);
        const SourceFile *f = &c->sess->sources.files.data[fe_item(c, mod)->mod.file];
        canon_str(&sb, f->path, strlen(f->path));
    } else {
        canon_expr(&k, it->cst.init);
    }
    h->body[id] = hash_buf(&sb);
    canon_refs_unique(&k);
    h->nrefs[id] = k.refs.len;
    h->refs[id] = arena_memdup(&c->sess->arena, k.refs.data, sizeof(ItemId) * k.refs.len);
    h->body_done[id] = 1;
    canon_free(&k);
    sb_free(&sb);
    return h->body[id];
}

bool hash_body_travels(FeCrate *c, ItemId fn)
{
    const FeItem *it = fe_item(c, fn);
    return it->kind == FE_ITEM_FN && it->krate == 0 && it->fn.body &&
           ((it->flags & FE_ITEM_INLINE) || it->vis != FE_VIS_PUB);
}

typedef struct Reach {
    ItemId item;
    bool with_body;
} Reach;

typedef struct Walk {
    FeCrate *c;
    Vec(Reach) out;
    Vec(Reach) todo;
} Walk;

static void walk_add(Walk *w, ItemId id, bool from_inline)
{
    FeHashes *h = hashes(w->c);
    const FeItem *it = fe_item(w->c, id);
    bool with_body = it->kind == FE_ITEM_CONST ? has_body(w->c, id)
                     : it->kind == FE_ITEM_FN && has_body(w->c, id) &&
                           ((it->flags & FE_ITEM_INLINE) || (from_inline && hash_body_travels(w->c, id)));
    uint32_t base = h->stamp * 2, seen = h->mark[id];
    if (seen == base + 1 || (seen == base && !with_body))
        return;
    h->mark[id] = base + with_body;
    vec_push(&w->todo, ((Reach){id, with_body}));
}

static int reach_cmp(const void *a, const void *b, void *ctx)
{
    FeCrate *c = ctx;
    uint32_t la, lb;
    const char *ka = canon_item_key(c, ((const Reach *)a)->item, &la);
    const char *kb = canon_item_key(c, ((const Reach *)b)->item, &lb);
    int r = memcmp(ka, kb, MIN(la, lb));
    if (r)
        return r;
    return la < lb ? -1 : la > lb;
}

/*
 * The closure of the items named by `refs` (see the top of this file), sorted by key,
 * into w->out: an item reached twice is listed once, with its body when any way of
 * reaching it needs the body.
 */
static void closure(FeCrate *c, const ItemId *refs, uint32_t nrefs, bool from_inline, Walk *w)
{
    FeHashes *h = hashes(c);
    h->stamp++;
    w->c = c;
    for (uint32_t i = 0; i < nrefs; i++)
        walk_add(w, refs[i], from_inline);
    while (w->todo.len) {
        Reach r = vec_pop(&w->todo);
        vec_push(&w->out, r);
        if (!r.with_body)
            continue;
        body_hash(c, r.item);
        bool inl = fe_item(c, r.item)->kind == FE_ITEM_FN;
        for (uint32_t i = 0; i < h->nrefs[r.item]; i++)
            walk_add(w, h->refs[r.item][i], inl || from_inline);
    }
    /* an item pushed twice (first without, then with its body): keep the latter */
    if (w->out.len > 1)
        qsort_r(w->out.data, w->out.len, sizeof(Reach), reach_cmp, c);
    uint32_t n = 0;
    for (uint32_t i = 0; i < w->out.len; i++) {
        if (n && w->out.data[n - 1].item == w->out.data[i].item) {
            w->out.data[n - 1].with_body |= w->out.data[i].with_body;
            continue;
        }
        w->out.data[n++] = w->out.data[i];
    }
    w->out.len = n;
}

static void hash_closure(FeCrate *c, Walk *w, Hasher *hs)
{
    hasher_u32(hs, w->out.len);
    for (uint32_t i = 0; i < w->out.len; i++) {
        uint32_t len;
        const char *key = canon_item_key(c, w->out.data[i].item, &len);
        hasher_str(hs, key, len);
        hasher_hash(hs, item_hash(c, w->out.data[i].item));
        hasher_u8(hs, w->out.data[i].with_body);
        if (w->out.data[i].with_body)
            hasher_hash(hs, body_hash(c, w->out.data[i].item));
    }
}

Hash128 hash_inline_body(FeCrate *c, ItemId fn, ItemId **reached, uint32_t *nreached)
{
    FeHashes *h = hashes(c);
    Hasher hs;
    hasher_init(&hs);
    hasher_hash(&hs, body_hash(c, fn));
    Walk w = {0};
    closure(c, h->refs[fn], h->nrefs[fn], true, &w);
    hash_closure(c, &w, &hs);
    *nreached = w.out.len;
    *reached = xmalloc(sizeof(ItemId) * (w.out.len + 1));
    for (uint32_t i = 0; i < w.out.len; i++)
        (*reached)[i] = w.out.data[i].item;
    vec_free(&w.out);
    vec_free(&w.todo);
    return hasher_final(&hs);
}

Hash128 fe_fn_hash(FeCrate *c, ItemId fn)
{
    const FeItem *it = fe_item(c, fn);
    if (it->kind != FE_ITEM_FN || !it->fn.body || it->krate)
        die("fe_fn_hash of an item that is not a function of this crate");
    FeHashes *h = hashes(c);
    Hasher hs;
    hasher_init(&hs);
    hasher_hash(&hs, item_hash(c, fn));
    hasher_hash(&hs, body_hash(c, fn));
    Walk w = {0};
    /* its own code calls what it names by symbol, #[inline] or not */
    closure(c, h->refs[fn], h->nrefs[fn], false, &w);
    hash_closure(c, &w, &hs);
    vec_free(&w.out);
    vec_free(&w.todo);
    return hasher_final(&hs);
}

/* A derived impl's code: its struct (layout, field names and types, derives) and the
 * item hashes of the structs its fields' types name (their sizes are its strides). */
static Hash128 derived_hash(FeCrate *c, ItemId st, int kind)
{
    Hasher hs;
    hasher_init(&hs);
    hasher_u8(&hs, (uint8_t)kind);
    hasher_hash(&hs, item_hash(c, st));
    StrBuf sb = {0};
    Canon k;
    canon_init(&k, c, &sb);
    const FeStruct *s = &fe_item(c, st)->st;
    for (uint32_t i = 0; i < s->nfields; i++)
        canon_type(&k, s->fields[i].ty);
    canon_refs_unique(&k);
    Walk w = {0};
    for (uint32_t i = 0; i < k.refs.len; i++)
        vec_push(&w.out, ((Reach){k.refs.data[i], false}));
    if (w.out.len > 1)
        qsort_r(w.out.data, w.out.len, sizeof(Reach), reach_cmp, c);
    hash_closure(c, &w, &hs);
    vec_free(&w.out);
    canon_free(&k);
    sb_free(&sb);
    return hasher_final(&hs);
}

/* A static's or const's data: its record, its initializer and what that reaches. */
static Hash128 data_hash(FeCrate *c, ItemId id)
{
    const FeItem *it = fe_item(c, id);
    Hasher hs;
    hasher_init(&hs);
    hasher_u8(&hs, FE_CODE_DATA);
    hasher_hash(&hs, item_hash(c, id));
    if (it->cst.init && !(it->kind == FE_ITEM_CONST && it->cst.has_value)) {
        /* (a static's initializer is hashed like a const's; a valued const is its value) */
        StrBuf sb = {0};
        Canon k;
        canon_init(&k, c, &sb);
        canon_expr(&k, it->cst.init);
        canon_refs_unique(&k);
        hasher_str(&hs, sb.data ? sb.data : "", sb.len);
        Walk w = {0};
        closure(c, k.refs.data, k.refs.len, false, &w);
        hash_closure(c, &w, &hs);
        vec_free(&w.out);
        vec_free(&w.todo);
        canon_free(&k);
        sb_free(&sb);
    }
    return hasher_final(&hs);
}

uint32_t fe_fn_hashes(FeCrate *c, const FeFnHash **out)
{
    FeHashes *h = hashes(c);
    if (!h->list) {
        Vec(FeFnHash) v = {0};
        for (ItemId id = 1; id < c->items.len; id++) {
            const FeItem *it = fe_item(c, id);
            if (it->krate)
                continue;
            if (it->kind == FE_ITEM_FN && it->fn.body && !(it->flags & FE_ITEM_BUILTIN))
                vec_push(&v, ((FeFnHash){id, FE_CODE_FN, fe_fn_hash(c, id)}));
            if (it->kind == FE_ITEM_STRUCT && (it->flags & FE_DERIVE_DEBUG))
                vec_push(&v, ((FeFnHash){id, FE_CODE_DEBUG, derived_hash(c, id, FE_CODE_DEBUG)}));
            if (it->kind == FE_ITEM_STRUCT && (it->flags & FE_DERIVE_PARTIAL_EQ))
                vec_push(&v, ((FeFnHash){id, FE_CODE_EQ, derived_hash(c, id, FE_CODE_EQ)}));
            if ((it->kind == FE_ITEM_STATIC || it->kind == FE_ITEM_CONST) && !(it->flags & FE_ITEM_BUILTIN))
                vec_push(&v, ((FeFnHash){id, FE_CODE_DATA, data_hash(c, id)}));
        }
        if (c->is_bin && c->main_fn) {
            Hasher hs;
            hasher_init(&hs);
            hasher_u8(&hs, FE_CODE_ENTRY);
            hasher_hash(&hs, item_hash(c, c->main_fn));
            vec_push(&v, ((FeFnHash){c->main_fn, FE_CODE_ENTRY, hasher_final(&hs)}));
        }
        h->nlist = v.len;
        h->list = arena_memdup(&c->sess->arena, v.data, sizeof(FeFnHash) * v.len);
        vec_free(&v);
    }
    *out = h->list;
    return h->nlist;
}

/*
 * frontend/iface.c — a crate's interface: what a dependent can observe, written as a
 * payload (ws stores it as <crate>.wsmeta) and loaded into a dependent's tree.
 *
 * The interface holds a record for every item reachable from the crate's public
 * surface: the modules public paths reach (with their public names, `pub use`
 * re-exports and glob re-exports included), the items they name, the structs their
 * signatures and public fields name, every pub method of a struct it holds, and for
 * each #[inline] function everything its body reaches, public or not (hash.c). Items
 * of the crate's own dependencies that are reachable are carried too, as the records
 * those dependencies wrote, byte for byte: a dependent needs only its direct
 * dependencies' interfaces, and an upstream change travels down through re-exports.
 *
 * Payload (little-endian; str = u32 length + bytes; type and key as in hash.c):
 *
 *   magic    8 bytes  "wsiface\0"
 *   version  u32      IFACE_VERSION
 *   crate    str      the crate's name
 *   nrecs    u32      then nrecs times: u32 length, the record's bytes; sorted by bytes
 *   ndiag    u32      then ndiag times: u32 length, the entry's bytes
 *
 * The interface hash is XXH3-128 of the payload up to the diagnostic entries; an
 * item's hash is XXH3-128 of its record. A record starts with the item's key (str
 * crate, u8 FeItemKind, str path), then u8 vis (FeVis: PUB or PRIV), then:
 *
 *   MOD     u32 n, n bindings (str name, u8 namespace, key): the public names
 *   STRUCT  u8 shape, u16 derives (FE_DERIVE_*), u64 size, u64 align, u32 nfields,
 *           each: u8 vis, and for a public field (every field in a full record)
 *           str name, type, u64 offset — a private field counts only through the layout
 *   FN      u16 flags (FE_ITEM_INLINE), u8 FeSelfKind, u8 is_method, [str impl module
 *           path, u32 impl disambiguator, key of its struct (the path's parent)] when
 *           a method, u32 nparams, their types (self's too), the result type, then
 *           u8 has_body, [16-byte hash of the #[inline] body and what it reaches
 *           (hash_inline_body), u32 n, n keys of the items it reaches]
 *   CONST   type, u8 has_value, [u128 value], u8 init (0 none, 1 a loadable
 *           expression, 2 another), [u32 length, the initializer's expression]
 *   STATIC  type, [in a full record: u32 length, the initializer's expression]
 *
 * Parameter names, spans, comments and private items that nothing public reaches are
 * not in it. Diagnostic entries (not hashed: a dependent that compiles cannot depend
 * on them) name private items so that a dependent's errors read as rustc's ("function
 * `f` is private" rather than "not found"); each is u8 what, str crate, then
 *   1  str module path, str name, u8 namespace, u8 FeItemKind, u8 struct shape
 *   2  str struct path, u32 field index, str name        (a private field)
 *   3  str struct path, str name, u8 FeSelfKind          (a private method)
 *
 * Loading (iface_load.c) rebuilds each record as an item of the dependent's tree (see
 * tree.h), shares items that several interfaces carry (their records must be equal),
 * and checks every byte it reads: a damaged payload is reported, never followed out
 * of bounds.
 */
#include "frontend/iface.h"

#include <stdlib.h>
#include <string.h>

static const char *name_of(FeCrate *c, Sym s) { return sym_str(&c->sess->names, s); }
static uint8_t vis_byte(int vis) { return vis == FE_VIS_PUB ? FE_VIS_PUB : FE_VIS_PRIV; }

FeExterns *iface_externs(FeCrate *c)
{
    if (!c->externs)
        c->externs = arena_new(&c->sess->arena, FeExterns, 1);
    return c->externs;
}

/* ---------------------------------------------------------------- writing records */

/* The item's path as canon_item_key has it (the key's last string). */
static void key_path(FeCrate *c, ItemId id, const char **path, uint32_t *len)
{
    uint32_t klen;
    const uint8_t *k = (const uint8_t *)canon_item_key(c, id, &klen);
    uint32_t clen = (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 | (uint32_t)k[3] << 24;
    const uint8_t *p = k + 4 + clen + 1;
    *len = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    *path = (const char *)p + 4;
}

static void write_fn(Canon *k, ItemId id, bool full)
{
    FeCrate *c = k->c;
    StrBuf *o = k->out;
    const FeItem *it = fe_item(c, id);
    const FeFn *fn = &it->fn;
    uint16_t flags = it->flags & FE_ITEM_INLINE;
    sb_append(o, &flags, 2);
    sb_u8(o, fn->self_kind);
    sb_u8(o, fn->impl != 0);
    if (fn->impl) {
        const char *path;
        uint32_t len;
        key_path(c, fe_item_module(c, fn->impl), &path, &len);
        canon_str(o, path, len);
        sb_u32le(o, fe_item(c, fn->impl)->impl.index);
        canon_key(k, fe_type(c, fn->self_ty)->item.item);
    }
    sb_u32le(o, fn->nparams);
    for (uint32_t i = 0; i < fn->nparams; i++)
        canon_type(k, fe_item(c, id)->fn.params[i].ty);
    canon_type(k, fe_item(c, id)->fn.ret);
    bool body = !full && (it->flags & FE_ITEM_INLINE) && fn->body;
    sb_u8(o, body);
    if (body) {
        ItemId *reached;
        uint32_t n;
        Hash128 h = hash_inline_body(c, id, &reached, &n);
        sb_u64le(o, h.lo);
        sb_u64le(o, h.hi);
        sb_u32le(o, n);
        for (uint32_t i = 0; i < n; i++)
            canon_key(k, reached[i]);
        xfree(reached);
    }
}

/* Can a dependent rebuild this expression (a const's initializer) as nodes? */
static bool loadable(FeCrate *c, ExprId id, int depth)
{
    const FeExpr *e = fe_expr(c, id);
    if (depth > IFACE_MAX_DEPTH)
        return false;
    switch (e->kind) {
    case FE_EXPR_INT: case FE_EXPR_BOOL: case FE_EXPR_CHAR: case FE_EXPR_STR:
        return true;
    case FE_EXPR_ITEM:
        return fe_item(c, e->item.item)->kind == FE_ITEM_CONST;
    case FE_EXPR_UNARY: case FE_EXPR_REF: case FE_EXPR_PAREN: case FE_EXPR_COERCE: case FE_EXPR_CAST:
    case FE_EXPR_FIELD: case FE_EXPR_REPEAT:
        return loadable(c, e->a, depth + 1);
    case FE_EXPR_BINARY:
        return loadable(c, e->a, depth + 1) && loadable(c, e->b, depth + 1);
    case FE_EXPR_IF:
        return loadable(c, e->a, depth + 1) && loadable(c, e->b, depth + 1) && (!e->c || loadable(c, e->c, depth + 1));
    case FE_EXPR_BLOCK:
        return e->n == 0 && e->a && loadable(c, e->a, depth + 1);
    case FE_EXPR_STRUCT: case FE_EXPR_TUPLE: case FE_EXPR_ARRAY:
        for (uint32_t i = 0; i < e->n; i++)
            if (!loadable(c, e->args[i], depth + 1))
                return false;
        return true;
    default:
        return false;
    }
}

/* A length-prefixed expression. */
static void write_init(Canon *k, ExprId init)
{
    size_t at = k->out->len;
    sb_u32le(k->out, 0);
    canon_expr(k, init);
    uint32_t len = (uint32_t)(k->out->len - at - 4);
    memcpy(k->out->data + at, &len, 4);
}

/* Writes the record of a local item; refs in k. */
static void write_local_record(Canon *k, ItemId id, bool full)
{
    FeCrate *c = k->c;
    StrBuf *o = k->out;
    const FeItem *it = fe_item(c, id);
    uint32_t klen;
    const char *key = canon_item_key(c, id, &klen);
    sb_append(o, key, klen);
    sb_u8(o, vis_byte(it->vis));
    switch (it->kind) {
    case FE_ITEM_MOD: {
        /* the exports are sorted by module, then name and namespace (resolve.c) */
        FeExterns *x = iface_externs(c);
        uint32_t lo = 0, hi = x->exports.len;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (x->exports.data[mid].mod < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        uint32_t n = 0;
        for (uint32_t i = lo; i < x->exports.len && x->exports.data[i].mod == id; i++)
            n += x->exports.data[i].vis == FE_VIS_PUB;
        sb_u32le(o, n);
        for (uint32_t i = lo; i < x->exports.len && x->exports.data[i].mod == id; i++) {
            const FeBinding *b = &x->exports.data[i];
            if (b->vis != FE_VIS_PUB)
                continue;
            const char *name = name_of(c, b->name);
            canon_str(o, name, strlen(name));
            sb_u8(o, b->ns);
            canon_key(k, b->item);
        }
        break;
    }
    case FE_ITEM_STRUCT: {
        const FeStruct *st = &it->st;
        sb_u8(o, st->shape);
        uint16_t derives = it->flags & (FE_DERIVE_DEBUG | FE_DERIVE_CLONE | FE_DERIVE_COPY | FE_DERIVE_PARTIAL_EQ |
                                        FE_DERIVE_EQ);
        sb_append(o, &derives, 2);
        sb_u64le(o, st->size);
        sb_u64le(o, st->align);
        sb_u32le(o, st->nfields);
        for (uint32_t i = 0; i < st->nfields; i++) {
            const FeField *f = &fe_item(c, id)->st.fields[i];
            sb_u8(o, vis_byte(f->vis));
            if (f->vis != FE_VIS_PUB && !full)
                continue;
            const char *n = f->name ? name_of(c, f->name) : "";
            canon_str(o, n, strlen(n));
            canon_type(k, f->ty);
            sb_u64le(o, f->offset);
        }
        break;
    }
    case FE_ITEM_FN: write_fn(k, id, full); break;
    case FE_ITEM_CONST: {
        const FeConst *cs = &it->cst;
        canon_type(k, cs->ty);
        sb_u8(o, cs->has_value);
        if (cs->has_value) {
            sb_u64le(o, (uint64_t)cs->value);
            sb_u64le(o, (uint64_t)(cs->value >> 64));
            sb_u8(o, 0);
        } else if (!cs->init) {
            sb_u8(o, 0);
        } else {
            sb_u8(o, loadable(c, cs->init, 0) ? 1 : 2);
            write_init(k, fe_item(c, id)->cst.init);
        }
        break;
    }
    case FE_ITEM_STATIC:
        canon_type(k, it->cst.ty);
        if (full && it->cst.init)
            write_init(k, it->cst.init);
        break;
    default: break;
    }
}

static bool foreign_record(FeCrate *c, ItemId id, const uint8_t **bytes, uint32_t *len)
{
    FeExterns *x = c->externs;
    if (!x || id >= x->nitems || !x->record[id])
        return false;
    *bytes = x->record[id];
    *len = x->record_len[id];
    return true;
}

void iface_record(FeCrate *c, ItemId id, StrBuf *out, bool full)
{
    const uint8_t *bytes;
    uint32_t len;
    if (foreign_record(c, id, &bytes, &len)) {
        sb_append(out, bytes, len);
        return;
    }
    Canon k;
    canon_init(&k, c, out);
    write_local_record(&k, id, full);
    canon_free(&k);
}

/* ---------------------------------------------------------------- the interface */

typedef struct Rec {
    ItemId item;
    const char *bytes;
    uint32_t len;
} Rec;

static int rec_cmp(const void *a, const void *b)
{
    const Rec *x = a, *y = b;
    int r = memcmp(x->bytes, y->bytes, MIN(x->len, y->len));
    return r ? r : x->len < y->len ? -1 : x->len > y->len;
}

typedef Vec(Rec) RecVec;

typedef struct Writer {
    FeCrate *c;
    uint8_t *in;            /* per item: in the interface */
    Vec(ItemId) todo;
    Vec(Rec) recs;
    ItemId **methods;       /* per struct: its methods */
    uint32_t *nmethods;
    Arena scratch;
} Writer;

static void want(Writer *w, ItemId id)
{
    const FeItem *it = fe_item(w->c, id);
    if (w->in[id] || (it->flags & (FE_ITEM_BUILTIN | FE_ITEM_STUB)))
        return;
    w->in[id] = 1;
    vec_push(&w->todo, id);
}

static void index_methods(Writer *w)
{
    FeCrate *c = w->c;
    uint32_t n = c->items.len;
    w->nmethods = xcalloc(n + 1, sizeof(uint32_t));
    w->methods = xcalloc(n + 1, sizeof(ItemId *));
    for (int pass = 0; pass < 2; pass++) {
        for (ItemId id = 1; id < n; id++) {
            const FeItem *it = fe_item(c, id);
            if (it->kind != FE_ITEM_FN || !it->fn.impl || (it->flags & FE_ITEM_STUB) || !it->fn.self_ty)
                continue;
            const FeType *t = fe_type(c, it->fn.self_ty);
            if (t->kind != FE_TYPE_STRUCT)
                continue;
            ItemId st = t->item.item;
            if (pass == 0)
                w->nmethods[st]++;
            else
                w->methods[st][w->nmethods[st]++] = id;
        }
        if (pass == 0)
            for (ItemId id = 1; id < n; id++) {
                w->methods[id] = arena_new(&w->scratch, ItemId, w->nmethods[id] + 1);
                w->nmethods[id] = 0;
            }
    }
}

/* Private names of a local module or struct in the interface, for diagnostics. */
static void diag_entries(FeCrate *c, ItemId id, const Writer *w, RecVec *out, Arena *a)
{
    const FeItem *it = fe_item(c, id);
    const char *crate = name_of(c, c->name);
    const char *path;
    uint32_t plen;
    key_path(c, id, &path, &plen);
    StrBuf sb = {0};
    if (it->kind == FE_ITEM_MOD) {
        FeExterns *x = iface_externs(c);
        for (uint32_t i = 0; i < x->exports.len; i++) {
            const FeBinding *b = &x->exports.data[i];
            if (b->mod != id || b->vis == FE_VIS_PUB)
                continue;
            const FeItem *t = fe_item(c, b->item);
            sb_clear(&sb);
            sb_u8(&sb, DIAG_ITEM);
            canon_str(&sb, crate, strlen(crate));
            canon_str(&sb, path, plen);
            canon_str(&sb, name_of(c, b->name), strlen(name_of(c, b->name)));
            sb_u8(&sb, b->ns);
            sb_u8(&sb, t->kind);
            sb_u8(&sb, t->kind == FE_ITEM_STRUCT ? t->st.shape : 0);
            vec_push(out, ((Rec){b->mod, arena_memdup(a, sb.data, sb.len), (uint32_t)sb.len}));
        }
    } else if (it->kind == FE_ITEM_STRUCT) {
        for (uint32_t i = 0; i < it->st.nfields; i++) {
            const FeField *f = &it->st.fields[i];
            if (f->vis == FE_VIS_PUB || !f->name)
                continue;
            sb_clear(&sb);
            sb_u8(&sb, DIAG_FIELD);
            canon_str(&sb, crate, strlen(crate));
            canon_str(&sb, path, plen);
            sb_u32le(&sb, i);
            canon_str(&sb, name_of(c, f->name), strlen(name_of(c, f->name)));
            vec_push(out, ((Rec){id, arena_memdup(a, sb.data, sb.len), (uint32_t)sb.len}));
        }
        for (uint32_t i = 0; i < w->nmethods[id]; i++) {
            const FeItem *m = fe_item(c, w->methods[id][i]);
            if (m->vis == FE_VIS_PUB || w->in[w->methods[id][i]])
                continue;
            sb_clear(&sb);
            sb_u8(&sb, DIAG_METHOD);
            canon_str(&sb, crate, strlen(crate));
            canon_str(&sb, path, plen);
            canon_str(&sb, name_of(c, m->name), strlen(name_of(c, m->name)));
            sb_u8(&sb, m->fn.self_kind);
            vec_push(out, ((Rec){id, arena_memdup(a, sb.data, sb.len), (uint32_t)sb.len}));
        }
    }
    sb_free(&sb);
}

void fe_interface_write(FeSession *sess, const FeCrate *crate, StrBuf *out, Hash128 *hash)
{
    FeCrate *c = (FeCrate *)crate;  /* item hashes are memoized in the crate */
    (void)sess;
    Writer w = {0};
    w.c = c;
    arena_init(&w.scratch);
    w.in = xcalloc(c->items.len + 1, 1);
    index_methods(&w);
    want(&w, c->root);
    StrBuf rec = {0};
    while (w.todo.len) {
        ItemId id = vec_pop(&w.todo);
        const FeItem *it = fe_item(c, id);
        sb_clear(&rec);
        const uint8_t *fbytes;
        uint32_t flen;
        if (foreign_record(c, id, &fbytes, &flen)) {
            sb_append(&rec, fbytes, flen);
            for (uint32_t i = 0; i < c->externs->nrefs[id]; i++)
                want(&w, c->externs->refs[id][i]);
        } else {
            Canon k;
            canon_init(&k, c, &rec);
            write_local_record(&k, id, false);
            for (uint32_t i = 0; i < k.refs.len; i++)
                want(&w, k.refs.data[i]);
            canon_free(&k);
        }
        if (it->kind == FE_ITEM_STRUCT)
            for (uint32_t i = 0; i < w.nmethods[id]; i++)
                if (fe_item(c, w.methods[id][i])->vis == FE_VIS_PUB)
                    want(&w, w.methods[id][i]);
        if (it->kind == FE_ITEM_FN && it->fn.impl && it->fn.self_ty)
            want(&w, fe_type(c, it->fn.self_ty)->item.item);
        vec_push(&w.recs, ((Rec){id, arena_memdup(&w.scratch, rec.data, rec.len), (uint32_t)rec.len}));
    }
    if (w.recs.len > 1)
        qsort(w.recs.data, w.recs.len, sizeof(Rec), rec_cmp);

    sb_append(out, IFACE_MAGIC, 8);
    sb_u32le(out, IFACE_VERSION);
    const char *name = name_of(c, c->name);
    canon_str(out, name, strlen(name));
    size_t start = out->len - (8 + 4 + 4 + strlen(name));
    sb_u32le(out, w.recs.len);
    for (uint32_t i = 0; i < w.recs.len; i++)
        canon_str(out, w.recs.data[i].bytes, w.recs.data[i].len);
    *hash = hash128(out->data + start, out->len - start);

    /* diagnostic entries: private names of this crate's modules and structs in the
     * interface, and the loaded ones about carried items */
    RecVec diags = {0};
    for (uint32_t i = 0; i < w.recs.len; i++) {
        ItemId id = w.recs.data[i].item;
        if (!fe_item(c, id)->krate)
            diag_entries(c, id, &w, &diags, &w.scratch);
    }
    FeExterns *x = iface_externs(c);
    for (uint32_t i = 0; i < x->diags.len; i++)
        if (w.in[x->diags.data[i].target])
            vec_push(&diags, ((Rec){0, (const char *)x->diags.data[i].bytes, x->diags.data[i].len}));
    if (diags.len > 1)
        qsort(diags.data, diags.len, sizeof(Rec), rec_cmp);
    sb_u32le(out, diags.len);
    for (uint32_t i = 0; i < diags.len; i++)
        canon_str(out, diags.data[i].bytes, diags.data[i].len);

    vec_free(&diags);
    sb_free(&rec);
    vec_free(&w.todo);
    vec_free(&w.recs);
    xfree(w.in);
    xfree(w.methods);
    xfree(w.nmethods);
    arena_free(&w.scratch);
}


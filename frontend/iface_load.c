/*
 * frontend/iface_load.c — reading interface payloads (format at the top of iface.c):
 * a bounds-checked reader, validation (fe_interface_items), and loading dependencies'
 * interfaces into a crate's tree (iface_load_deps).
 */
#include "frontend/iface.h"

#include <stdlib.h>
#include <string.h>

static const char *name_of(FeCrate *c, Sym s) { return sym_str(&c->sess->names, s); }

/* ---------------------------------------------------------------- reading */

/* A bounds-checked cursor: every read past the end sets `bad` and yields zeros. */
typedef struct Rd {
    const uint8_t *p, *end;
    bool bad;
} Rd;

static bool rd_need(Rd *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return false;
    }
    return true;
}

static uint8_t rd_u8(Rd *r)
{
    if (!rd_need(r, 1))
        return 0;
    return *r->p++;
}

static uint16_t rd_u16(Rd *r)
{
    if (!rd_need(r, 2))
        return 0;
    uint16_t v = (uint16_t)(r->p[0] | r->p[1] << 8);
    r->p += 2;
    return v;
}

static uint32_t rd_u32(Rd *r)
{
    if (!rd_need(r, 4))
        return 0;
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

static uint64_t rd_u64(Rd *r)
{
    uint64_t lo = rd_u32(r);
    return lo | (uint64_t)rd_u32(r) << 32;
}

static u128 rd_u128(Rd *r)
{
    u128 lo = rd_u64(r);
    return lo | (u128)rd_u64(r) << 64;
}

/* A string (not NUL-terminated); its length in *len. */
static const char *rd_str(Rd *r, uint32_t *len)
{
    *len = rd_u32(r);
    if (!rd_need(r, *len)) {
        *len = 0;
        return "";
    }
    const char *s = (const char *)r->p;
    r->p += *len;
    return s;
}

/* A count of elements that each take at least `min` bytes: at most what is left. */
static uint32_t rd_count(Rd *r, uint32_t min)
{
    uint32_t n = rd_u32(r);
    if (!r->bad && (uint64_t)n * min > (uint64_t)(r->end - r->p))
        r->bad = true;
    return r->bad ? 0 : n;
}

/* ---------------------------------------------------------------- the loader */

typedef struct KeyEntry {
    const char *key;
    uint32_t len;
    ItemId item;
} KeyEntry;

/* A map from byte strings to items (open addressing over entry indices + 1). */
typedef struct KeyMap {
    Vec(KeyEntry) entries;
    uint32_t *slots;
    uint32_t nslots;
} KeyMap;

/* One loading (or, with c NULL, one validation) of payloads. */
typedef struct Loader {
    FeCrate *c;               /* NULL: only check the structure */
    FeSession *sess;
    KeyMap keys;              /* every known key → item (modules, items, impls) */
    KeyMap bound;             /* (scope, name, namespace) of every dependency binding */
    KeyMap diags;             /* diagnostic entries seen */
    Vec(ItemId) refs;         /* items the record being read names */
    int errors;
} Loader;

static uint64_t key_hash(const char *key, uint32_t len) { return hash64(key, len); }

static ItemId map_find(const KeyMap *m, const char *key, uint32_t len)
{
    if (!m->nslots)
        return 0;
    uint32_t i = (uint32_t)key_hash(key, len) & (m->nslots - 1);
    while (m->slots[i]) {
        const KeyEntry *e = &m->entries.data[m->slots[i] - 1];
        if (e->len == len && memcmp(e->key, key, len) == 0)
            return e->item;
        i = (i + 1) & (m->nslots - 1);
    }
    return 0;
}

static void map_add(KeyMap *m, const char *key, uint32_t len, ItemId item)
{
    if ((m->entries.len + 1) * 2 > m->nslots) {
        xfree(m->slots);
        m->nslots = m->nslots ? m->nslots * 2 : 256;
        m->slots = xcalloc(m->nslots, sizeof(uint32_t));
        for (uint32_t k = 0; k < m->entries.len; k++) {
            uint32_t i = (uint32_t)key_hash(m->entries.data[k].key, m->entries.data[k].len) & (m->nslots - 1);
            while (m->slots[i])
                i = (i + 1) & (m->nslots - 1);
            m->slots[i] = k + 1;
        }
    }
    vec_push(&m->entries, ((KeyEntry){key, len, item}));
    uint32_t i = (uint32_t)key_hash(key, len) & (m->nslots - 1);
    while (m->slots[i])
        i = (i + 1) & (m->nslots - 1);
    m->slots[i] = m->entries.len;
}

static void map_free(KeyMap *m)
{
    vec_free(&m->entries);
    xfree(m->slots);
}

static ItemId key_find(Loader *ld, const char *key, uint32_t len) { return map_find(&ld->keys, key, len); }
static void key_add(Loader *ld, const char *key, uint32_t len, ItemId item) { map_add(&ld->keys, key, len, item); }

/* A binding's (scope, name, namespace) as map key bytes, in the session arena. */
static const char *binding_key(Loader *ld, ItemId scope, Sym name, int ns, uint32_t *len)
{
    uint32_t k[3] = {scope, name, (uint32_t)ns};
    *len = sizeof k;
    return arena_memdup(&ld->sess->arena, k, sizeof k);
}

/* A key built from parts (crate, kind, path), in the session arena. */
static const char *make_key(Loader *ld, const char *crate, uint32_t clen, int kind, const char *path, uint32_t plen,
                            uint32_t *len)
{
    StrBuf sb = {0};
    canon_str(&sb, crate, clen);
    sb_u8(&sb, (uint8_t)kind);
    canon_str(&sb, path, plen);
    char *k = arena_memdup(&ld->sess->arena, sb.data, sb.len);
    *len = (uint32_t)sb.len;
    sb_free(&sb);
    return k;
}

static ItemId new_item(Loader *ld, int kind, Sym name, int vis, ItemId parent, uint32_t krate)
{
    FeItem it = {0};
    it.kind = (uint8_t)kind;
    it.vis = (uint8_t)vis;
    it.name = name;
    it.parent = parent;
    it.krate = krate;
    vec_push(&ld->c->items, it);
    return ld->c->items.len - 1;
}

/* The crate number of a dependency crate named so (never 0: this crate may share its
 * name with its own lib), its root module created on first sight. */
static uint32_t crate_number(Loader *ld, const char *name, uint32_t len)
{
    FeCrate *c = ld->c;
    Sym s = intern(&c->sess->names, name, len);
    for (uint32_t i = 1; i < c->crates.len; i++)
        if (c->crates.data[i].name == s)
            return i;
    uint32_t k = c->crates.len;
    vec_push(&c->crates, ((FeCrateInfo){s, 0}));
    ItemId root = new_item(ld, FE_ITEM_MOD, s, FE_VIS_PUB, 0, k);
    c->crates.data[k].root = root;
    uint32_t klen;
    const char *key = make_key(ld, name, len, FE_ITEM_MOD, "", 0, &klen);
    key_add(ld, key, klen, root);
    return k;
}

/* The module at `path` (a::b) of crate k, created with its parents when missing. */
static ItemId module_at(Loader *ld, uint32_t k, const char *path, uint32_t len)
{
    const char *crate = name_of(ld->c, ld->c->crates.data[k].name);
    uint32_t clen = (uint32_t)strlen(crate);
    uint32_t klen;
    const char *key = make_key(ld, crate, clen, FE_ITEM_MOD, path, len, &klen);
    ItemId m = key_find(ld, key, klen);
    if (m)
        return m;
    uint32_t cut = len;
    while (cut > 0 && !(cut >= 2 && path[cut - 1] == ':' && path[cut - 2] == ':'))
        cut--;
    ItemId parent = cut ? module_at(ld, k, path, cut - 2) : ld->c->crates.data[k].root;
    Sym name = intern(&ld->c->sess->names, path + cut, len - cut);
    m = new_item(ld, FE_ITEM_MOD, name, FE_VIS_PRIV, parent, k);
    key_add(ld, key, klen, m);
    return m;
}

/* Splits "a::b::c" into "a::b" (*plen) and "c" (returned, *nlen). */
static const char *split_last(const char *path, uint32_t len, uint32_t *plen, uint32_t *nlen)
{
    uint32_t cut = len;
    while (cut > 0 && !(cut >= 2 && path[cut - 1] == ':' && path[cut - 2] == ':'))
        cut--;
    *plen = cut ? cut - 2 : 0;
    *nlen = len - cut;
    return path + cut;
}

/* Reads a key; returns its item (0 when unknown, or when only validating), noting
 * it in ld->refs. *kind gets its kind. */
static ItemId rd_key(Loader *ld, Rd *r, uint8_t *kind)
{
    const uint8_t *start = r->p;
    uint32_t clen, plen;
    rd_str(r, &clen);
    *kind = rd_u8(r);
    rd_str(r, &plen);
    if (r->bad || !ld->c)
        return 0;
    ItemId id = key_find(ld, (const char *)start, (uint32_t)(r->p - start));
    if (!id)
        r->bad = true;  /* a record names an item the payload lacks */
    else
        vec_push(&ld->refs, id);
    return id;
}

static TypeId rd_type(Loader *ld, Rd *r, int depth)
{
    if (depth > IFACE_MAX_DEPTH) {
        r->bad = true;
        return FE_TY_ERROR;
    }
    FeCrate *c = ld->c;
    uint8_t kind = rd_u8(r);
    TypeId ty = FE_TY_ERROR;
    switch (kind) {
    case FE_TYPE_INT: {
        uint8_t k = rd_u8(r);
        if (k >= FE_INT_COUNT)
            r->bad = true;
        else
            ty = FE_TY_INT(k);
        break;
    }
    case FE_TYPE_BOOL: ty = FE_TY_BOOL; break;
    case FE_TYPE_CHAR: ty = FE_TY_CHAR; break;
    case FE_TYPE_STR: ty = FE_TY_STR; break;
    case FE_TYPE_NEVER: ty = FE_TY_NEVER; break;
    case FE_TYPE_REF: {
        uint8_t mut = rd_u8(r);
        TypeId inner = rd_type(ld, r, depth + 1);
        if (c && !r->bad)
            ty = ty_ref(c, inner, mut != 0);
        break;
    }
    case FE_TYPE_ARRAY: {
        uint64_t len = rd_u64(r);
        TypeId inner = rd_type(ld, r, depth + 1);
        if (c && !r->bad)
            ty = ty_array(c, inner, len);
        break;
    }
    case FE_TYPE_SLICE: case FE_TYPE_RANGE: {
        TypeId inner = rd_type(ld, r, depth + 1);
        if (c && !r->bad)
            ty = kind == FE_TYPE_SLICE ? ty_slice(c, inner) : ty_range(c, inner);
        break;
    }
    case FE_TYPE_TUPLE: {
        uint32_t n = rd_count(r, 1);
        TypeId *elems = xmalloc(sizeof(TypeId) * (n + 1));
        for (uint32_t i = 0; i < n && !r->bad; i++)
            elems[i] = rd_type(ld, r, depth + 1);
        if (c && !r->bad)
            ty = ty_tuple(c, elems, n);
        xfree(elems);
        break;
    }
    case FE_TYPE_STRUCT: {
        uint8_t k;
        ItemId st = rd_key(ld, r, &k);
        if (k != FE_ITEM_STRUCT)
            r->bad = true;
        else if (c && st && fe_item(c, st)->kind == FE_ITEM_STRUCT)
            ty = fe_item(c, st)->st.ty;
        else if (c)
            r->bad = true;
        break;
    }
    default: r->bad = true;
    }
    if (kind == FE_TYPE_ERROR || kind == FE_TYPE_INFER || kind == FE_TYPE_INT_VAR)
        r->bad = true;
    return ty;
}

/* Reads a (loadable) expression; builds its node unless validating. */
static ExprId rd_expr(Loader *ld, Rd *r, int depth);

static ExprId rd_opt_expr(Loader *ld, Rd *r, int depth)
{
    return rd_u8(r) ? rd_expr(ld, r, depth) : 0;
}

static ExprId *rd_args(Loader *ld, Rd *r, uint32_t *n, int depth)
{
    *n = rd_count(r, 6);
    ExprId *a = ld->c ? arena_new(&ld->c->sess->arena, ExprId, *n + 1) : NULL;
    for (uint32_t i = 0; i < *n && !r->bad; i++) {
        ExprId e = rd_expr(ld, r, depth + 1);
        if (a)
            a[i] = e;
    }
    return a;
}

static ExprId rd_expr(Loader *ld, Rd *r, int depth)
{
    if (depth > IFACE_MAX_DEPTH) {
        r->bad = true;
        return 0;
    }
    FeCrate *c = ld->c;
    FeExpr e = {0};
    e.kind = rd_u8(r);
    e.op = rd_u8(r);
    e.flags = rd_u16(r);
    e.ty = rd_type(ld, r, depth + 1);
    uint8_t k;
    switch (e.kind) {
    case FE_EXPR_INT: case FE_EXPR_BOOL: case FE_EXPR_CHAR: e.value = rd_u128(r); break;
    case FE_EXPR_STR: {
        uint32_t len;
        const char *s = rd_str(r, &len);
        e.n = len;
        e.str = c ? arena_memdup(&c->sess->arena, s, len) : NULL;
        break;
    }
    case FE_EXPR_ITEM:
        e.item.item = rd_key(ld, r, &k);
        if (c && !r->bad && fe_item(c, e.item.item)->kind != FE_ITEM_CONST)
            r->bad = true;
        break;
    case FE_EXPR_UNARY: case FE_EXPR_REF: case FE_EXPR_PAREN: case FE_EXPR_COERCE: case FE_EXPR_CAST:
        e.a = rd_expr(ld, r, depth + 1);
        break;
    case FE_EXPR_BINARY:
        e.a = rd_expr(ld, r, depth + 1);
        e.b = rd_expr(ld, r, depth + 1);
        break;
    case FE_EXPR_STRUCT:
        e.item.item = rd_key(ld, r, &k);
        if (c && !r->bad && fe_item(c, e.item.item)->kind != FE_ITEM_STRUCT)
            r->bad = true;
        e.args = rd_args(ld, r, &e.n, depth);
        if (c && !r->bad && e.n != fe_item(c, e.item.item)->st.nfields)
            r->bad = true;
        /* the written order: evaluation follows the initializers' spans (tree.h) */
        for (uint32_t i = 0; i < e.n && !r->bad; i++) {
            uint32_t f = rd_u32(r);
            if (f >= e.n)
                r->bad = true;
            else if (c && e.args[f])
                fe_expr(c, e.args[f])->span = (Span){0, i + 1, i + 1};
        }
        break;
    case FE_EXPR_TUPLE: case FE_EXPR_ARRAY: e.args = rd_args(ld, r, &e.n, depth); break;
    case FE_EXPR_FIELD:
        e.field = rd_u32(r);
        e.a = rd_expr(ld, r, depth + 1);
        break;
    case FE_EXPR_BLOCK:
        if (rd_u32(r) != 0)
            r->bad = true;
        e.a = rd_opt_expr(ld, r, depth + 1);
        break;
    case FE_EXPR_IF:
        e.a = rd_expr(ld, r, depth + 1);
        e.b = rd_expr(ld, r, depth + 1);
        e.c = rd_opt_expr(ld, r, depth + 1);
        break;
    case FE_EXPR_REPEAT:
        e.value = rd_u128(r);
        e.a = rd_expr(ld, r, depth + 1);
        break;
    default: r->bad = true;
    }
    if (!c || r->bad)
        return 0;
    ExprId id = fe_store_new(&c->exprs);
    *fe_expr(c, id) = e;
    return id;
}

/* A length-prefixed expression: loaded when `load`, else skipped (its bytes only
 * enter hashes). Returns the root (0 when skipped). */
static ExprId rd_init(Loader *ld, Rd *r, bool load)
{
    uint32_t len = rd_u32(r);
    if (!rd_need(r, len))
        return 0;
    Rd sub = {r->p, r->p + len, false};
    r->p += len;
    if (!load)
        return 0;
    ExprId e = rd_expr(ld, &sub, 0);
    if (sub.bad || sub.p != sub.end)
        r->bad = true;
    return e;
}

/* The fixed head of a record: its key and visibility. */
typedef struct Head {
    const char *crate, *path;
    uint32_t clen, plen;
    uint8_t kind, vis;
    uint32_t key_len;
} Head;

static void rd_head(Rd *r, Head *h)
{
    const uint8_t *start = r->p;
    h->crate = rd_str(r, &h->clen);
    h->kind = rd_u8(r);
    h->path = rd_str(r, &h->plen);
    h->key_len = (uint32_t)(r->p - start);
    h->vis = rd_u8(r);
    if (h->kind > FE_ITEM_STRUCT || (h->vis != FE_VIS_PUB && h->vis != FE_VIS_PRIV))
        r->bad = true;
}

/* Reads the body of a record after its head; fills item `id` when loading. */
static void rd_body(Loader *ld, Rd *r, const Head *h, ItemId id)
{
    FeCrate *c = ld->c;
    FeItem *it = c && id ? fe_item(c, id) : NULL;
    uint8_t k;
    switch (h->kind) {
    case FE_ITEM_MOD: {
        uint32_t n = rd_count(r, 14);
        for (uint32_t i = 0; i < n && !r->bad; i++) {
            uint32_t len;
            const char *name = rd_str(r, &len);
            uint8_t ns = rd_u8(r);
            ItemId target = rd_key(ld, r, &k);
            if (ns > NS_VALUE)
                r->bad = true;
            if (it && !r->bad)
                vec_push(&iface_externs(c)->bindings,
                         ((FeBinding){id, intern(&c->sess->names, name, len), ns, FE_VIS_PUB, target}));
        }
        break;
    }
    case FE_ITEM_STRUCT: {
        uint8_t shape = rd_u8(r);
        uint16_t derives = rd_u16(r);
        uint64_t size = rd_u64(r), align = rd_u64(r);
        uint32_t n = rd_count(r, 1);
        if (shape > 2 || (derives & ~(FE_DERIVE_DEBUG | FE_DERIVE_CLONE | FE_DERIVE_COPY | FE_DERIVE_PARTIAL_EQ |
                                      FE_DERIVE_EQ)) || !align || (align & (align - 1)))
            r->bad = true;
        FeField *fields = it ? arena_new(&c->sess->arena, FeField, n + 1) : NULL;
        for (uint32_t i = 0; i < n && !r->bad; i++) {
            uint8_t vis = rd_u8(r);
            if (vis != FE_VIS_PUB && vis != FE_VIS_PRIV)
                r->bad = true;
            if (fields) {
                fields[i].vis = vis;
                fields[i].ty = FE_TY_UNIT;  /* a private field's type is not in the interface */
            }
            if (vis != FE_VIS_PUB)
                continue;
            uint32_t len;
            const char *name = rd_str(r, &len);
            TypeId ty = rd_type(ld, r, 0);
            uint64_t off = rd_u64(r);
            if (fields && !r->bad) {
                fields[i].name = len ? intern(&c->sess->names, name, len) : 0;
                fields[i].ty = ty;
                fields[i].offset = off;
            }
        }
        if (it && !r->bad) {
            it = fe_item(c, id);
            it->st.shape = shape;
            it->flags |= derives;
            it->st.nfields = n;
            it->st.fields = fields;
            it->st.size = size;
            it->st.align = align;
            ty_set_layout(c, it->st.ty, size, align);
        }
        break;
    }
    case FE_ITEM_FN: {
        uint16_t flags = rd_u16(r);
        uint8_t self_kind = rd_u8(r);
        uint8_t is_method = rd_u8(r);
        if (flags & ~FE_ITEM_INLINE || self_kind > FE_SELF_REF_MUT || is_method > 1 || (self_kind && !is_method))
            r->bad = true;
        if (is_method) {
            uint32_t len;
            rd_str(r, &len);
            rd_u32(r);
            rd_key(ld, r, &k);  /* the self struct (the loader placed the method already) */
        }
        uint32_t n = rd_count(r, 1);
        FeParam *params = it ? arena_new(&c->sess->arena, FeParam, n + 1) : NULL;
        for (uint32_t i = 0; i < n && !r->bad; i++) {
            TypeId ty = rd_type(ld, r, 0);
            if (params)
                params[i].ty = ty;
        }
        TypeId ret = rd_type(ld, r, 0);
        if (self_kind && !n)
            r->bad = true;
        if (rd_u8(r)) {
            rd_u64(r), rd_u64(r);
            uint32_t m = rd_count(r, 9);
            for (uint32_t i = 0; i < m && !r->bad; i++)
                rd_key(ld, r, &k);
        }
        if (it && !r->bad) {
            it = fe_item(c, id);
            it->flags |= flags;
            it->fn.self_kind = self_kind;
            it->fn.nparams = n;
            it->fn.params = params;
            it->fn.ret = ret;
        }
        break;
    }
    case FE_ITEM_CONST: {
        TypeId ty = rd_type(ld, r, 0);
        uint8_t has_value = rd_u8(r);
        u128 value = has_value ? rd_u128(r) : 0;
        uint8_t init_kind = rd_u8(r);
        if (has_value > 1 || init_kind > 2 || (has_value && init_kind))
            r->bad = true;
        ExprId init = init_kind ? rd_init(ld, r, init_kind == 1) : 0;
        if (it && !r->bad) {
            it = fe_item(c, id);
            it->cst.ty = ty;
            it->cst.has_value = has_value;
            it->cst.value = value;
            it->cst.state = 2;
            if (has_value) {
                /* the value as a literal: foreign consts are their initializers */
                const FeType *t = fe_type(c, ty);
                init = fe_store_new(&c->exprs);
                FeExpr *e = fe_expr(c, init);
                e->kind = t->kind == FE_TYPE_BOOL ? FE_EXPR_BOOL : t->kind == FE_TYPE_CHAR ? FE_EXPR_CHAR : FE_EXPR_INT;
                e->flags = FE_EXPR_IMPLICIT;
                e->op = t->kind == FE_TYPE_INT ? (uint8_t)(1 + t->sub) : 0;
                e->ty = ty;
                e->value = value;
            }
            it->cst.init = init;
        }
        break;
    }
    case FE_ITEM_STATIC: {
        TypeId ty = rd_type(ld, r, 0);
        if (it && !r->bad) {
            it = fe_item(c, id);
            it->cst.ty = ty;
            it->cst.state = 2;
        }
        break;
    }
    default: r->bad = true;
    }
}

/* One payload split into records and diagnostic entries (bounds checked). */
typedef struct Payload {
    const char *crate;
    uint32_t crate_len;
    Vec(Rd) recs;       /* each record's bytes */
    Vec(Rd) diags;
    size_t hashed;      /* bytes covered by the interface hash */
} Payload;

static bool split_payload(const void *meta, size_t len, Payload *pl)
{
    memset(pl, 0, sizeof *pl);
    if (!meta || len < 16 || memcmp(meta, IFACE_MAGIC, 8) != 0)
        return false;
    Rd r = {(const uint8_t *)meta + 8, (const uint8_t *)meta + len, false};
    if (rd_u32(&r) != IFACE_VERSION)
        return false;
    pl->crate = rd_str(&r, &pl->crate_len);
    uint32_t n = rd_count(&r, 4);
    for (uint32_t i = 0; i < n && !r.bad; i++) {
        uint32_t rl = rd_u32(&r);
        if (!rd_need(&r, rl))
            break;
        vec_push(&pl->recs, ((Rd){r.p, r.p + rl, false}));
        r.p += rl;
    }
    pl->hashed = (size_t)(r.p - (const uint8_t *)meta);
    uint32_t nd = rd_count(&r, 4);
    for (uint32_t i = 0; i < nd && !r.bad; i++) {
        uint32_t dl = rd_u32(&r);
        if (!rd_need(&r, dl))
            break;
        vec_push(&pl->diags, ((Rd){r.p, r.p + dl, false}));
        r.p += dl;
    }
    if (r.bad || r.p != r.end || !pl->crate_len) {
        vec_free(&pl->recs);
        vec_free(&pl->diags);
        return false;
    }
    return true;
}

static void payload_free(Payload *pl)
{
    vec_free(&pl->recs);
    vec_free(&pl->diags);
}

/* Reads a diagnostic entry (validation; with a crate, creates its stub). */
static bool rd_diag(Loader *ld, Rd r);

/* Checks every record and entry of a payload as a loader would read it. */
static bool validate(const Payload *pl)
{
    Loader ld = {0};
    for (uint32_t i = 0; i < pl->recs.len; i++) {
        Rd r = pl->recs.data[i];
        Head h;
        rd_head(&r, &h);
        if (!r.bad)
            rd_body(&ld, &r, &h, 0);
        if (r.bad || r.p != r.end)
            return false;
    }
    for (uint32_t i = 0; i < pl->diags.len; i++)
        if (!rd_diag(&ld, pl->diags.data[i]))
            return false;
    return true;
}

bool fe_interface_items(const void *meta, size_t meta_len, void (*fn)(void *ctx, const char *path, Hash128 item_hash),
                        void *ctx)
{
    Payload pl;
    if (!split_payload(meta, meta_len, &pl))
        return false;
    if (!validate(&pl)) {
        payload_free(&pl);
        return false;
    }
    StrBuf path = {0};
    for (uint32_t i = 0; i < pl.recs.len; i++) {
        Rd r = pl.recs.data[i];
        Head h;
        rd_head(&r, &h);
        sb_clear(&path);
        sb_append(&path, h.crate, h.clen);
        if (h.plen) {
            sb_puts(&path, "::");
            sb_append(&path, h.path, h.plen);
        }
        fn(ctx, sb_str(&path), hash128(pl.recs.data[i].p, (size_t)(pl.recs.data[i].end - pl.recs.data[i].p)));
    }
    sb_free(&path);
    payload_free(&pl);
    return true;
}

/* ---------------------------------------------------------------- loading */

static void load_error(Loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void load_error(Loader *ld, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ld->errors++;
    diag_plain(&ld->sess->diag, DIAG_ERROR, "%s", msg);
}

/* Places the item of a record (pass 1: modules, structs, consts, statics, free
 * functions; pass 2: methods, whose structs exist then). Returns the new item, 0 when
 * the key is known (its record must then be the same). */
static ItemId place(Loader *ld, const Rd *rec, const Head *h, int pass, bool *bad)
{
    FeCrate *c = ld->c;
    const char *key = (const char *)rec->p;
    ItemId old = key_find(ld, key, h->key_len);
    Rd r = *rec;
    if (h->kind == FE_ITEM_MOD) {
        if (pass != 1)
            return 0;
        uint32_t k = crate_number(ld, h->crate, h->clen);
        ItemId m = h->plen ? module_at(ld, k, h->path, h->plen) : c->crates.data[k].root;
        FeExterns *x = c->externs;
        if (m < x->nitems && x->record[m]) {
            uint32_t len = (uint32_t)(rec->end - rec->p);
            if (x->record_len[m] != len || memcmp(x->record[m], rec->p, len) != 0)
                *bad = true;
            return 0;
        }
        return m;
    }
    bool method = false;
    if (h->kind == FE_ITEM_FN) {
        /* is it a method? (the flags, self kind, then the flag) */
        r.p += h->key_len + 1;
        rd_u16(&r);
        rd_u8(&r);
        method = rd_u8(&r) == 1;
    }
    if ((method ? 2 : 1) != pass)
        return 0;
    if (old) {
        FeExterns *x = c->externs;
        uint32_t len = (uint32_t)(rec->end - rec->p);
        if (old >= x->nitems || x->record_len[old] != len || memcmp(x->record[old], rec->p, len) != 0)
            *bad = true;
        return 0;
    }
    uint32_t k = crate_number(ld, h->crate, h->clen);
    uint32_t plen, nlen;
    const char *name = split_last(h->path, h->plen, &plen, &nlen);
    Sym sym = intern(&c->sess->names, name, nlen);
    ItemId id;
    if (!method) {
        ItemId mod = module_at(ld, k, h->path, plen);
        id = new_item(ld, h->kind, sym, h->vis, mod, k);
        if (h->kind == FE_ITEM_STRUCT)
            fe_item(c, id)->st.ty = ty_struct(c, (ItemRef){FE_LOCAL_CRATE, id});
    } else {
        /* the impl: (crate, module path, disambiguator); the struct: the path's parent */
        uint32_t mlen;
        const char *mpath = rd_str(&r, &mlen);
        uint32_t index = rd_u32(&r);
        uint32_t sklen;
        const char *skey = make_key(ld, h->crate, h->clen, FE_ITEM_STRUCT, h->path, plen, &sklen);
        ItemId st = key_find(ld, skey, sklen);
        if (r.bad || !st || fe_item(c, st)->kind != FE_ITEM_STRUCT) {
            *bad = true;
            return 0;
        }
        StrBuf ik = {0};
        sb_append(&ik, mpath, mlen);
        sb_printf(&ik, "#%u", index);
        uint32_t iklen;
        const char *ikey = make_key(ld, h->crate, h->clen, FE_ITEM_IMPL, ik.data, (uint32_t)ik.len, &iklen);
        sb_free(&ik);
        ItemId impl = key_find(ld, ikey, iklen);
        if (!impl) {
            impl = new_item(ld, FE_ITEM_IMPL, 0, FE_VIS_PRIV, module_at(ld, k, mpath, mlen), k);
            fe_item(c, impl)->impl.index = index;
            fe_item(c, impl)->impl.self_ty = fe_item(c, st)->st.ty;
            key_add(ld, ikey, iklen, impl);
        }
        if (fe_item(c, impl)->impl.self_ty != fe_item(c, st)->st.ty) {
            *bad = true;
            return 0;
        }
        id = new_item(ld, FE_ITEM_FN, sym, h->vis, impl, k);
        fe_item(c, id)->fn.impl = impl;
        fe_item(c, id)->fn.self_ty = fe_item(c, st)->st.ty;
        vec_push(&iface_externs(c)->bindings, ((FeBinding){st, sym, NS_ASSOC, h->vis, id}));
    }
    key_add(ld, key, h->key_len, id);
    return id;
}

/* Grows the per-item arrays of the externs to cover every item. */
static void grow_externs(FeCrate *c)
{
    FeExterns *x = iface_externs(c);
    uint32_t n = c->items.len + 1;
    if (n <= x->nitems)
        return;
    x->record = xrealloc(x->record, sizeof(*x->record) * n);
    x->record_len = xrealloc(x->record_len, sizeof(uint32_t) * n);
    x->refs = xrealloc(x->refs, sizeof(ItemId *) * n);
    x->nrefs = xrealloc(x->nrefs, sizeof(uint32_t) * n);
    for (uint32_t i = x->nitems; i < n; i++) {
        x->record[i] = NULL;
        x->record_len[i] = 0;
        x->refs[i] = NULL;
        x->nrefs[i] = 0;
    }
    x->nitems = n;
}

/* A stub: a private item known by name (its binding is private). */
static void stub(Loader *ld, ItemId scope, Sym name, int ns, int kind, ItemId parent, uint32_t krate, uint8_t shape,
                 uint8_t self_kind)
{
    FeCrate *c = ld->c;
    FeExterns *x = iface_externs(c);
    uint32_t blen;
    const char *bkey = binding_key(ld, scope, name, ns, &blen);
    if (map_find(&ld->bound, bkey, blen))
        return;  /* known already (a public name, or a stub from another interface) */
    ItemId id = new_item(ld, kind, name, FE_VIS_PRIV, parent, krate);
    map_add(&ld->bound, bkey, blen, id);
    FeItem *it = fe_item(c, id);
    it->flags = FE_ITEM_STUB;
    if (kind == FE_ITEM_STRUCT) {
        it->st.shape = shape;
        it->st.ty = ty_struct(c, (ItemRef){FE_LOCAL_CRATE, id});
        ty_set_layout(c, it->st.ty, 0, 1);
    } else if (kind == FE_ITEM_FN && ns == NS_ASSOC) {
        it->fn.impl = parent;
        it->fn.self_kind = self_kind;
        it->fn.self_ty = fe_item(c, scope)->st.ty;
        it->fn.ret = FE_TY_ERROR;
    } else if (kind == FE_ITEM_CONST || kind == FE_ITEM_STATIC) {
        it->cst.ty = FE_TY_ERROR;
        it->cst.state = 2;
    } else if (kind == FE_ITEM_FN) {
        it->fn.ret = FE_TY_ERROR;
    }
    vec_push(&x->bindings, ((FeBinding){scope, name, (uint8_t)ns, FE_VIS_PRIV, id}));
}

static bool rd_diag(Loader *ld, Rd r)
{
    FeCrate *c = ld->c;
    const uint8_t *start = r.p;
    uint8_t what = rd_u8(&r);
    uint32_t clen, plen, nlen;
    const char *crate = rd_str(&r, &clen);
    const char *path = rd_str(&r, &plen);
    uint8_t kind = FE_ITEM_STRUCT;
    ItemId target = 0;
    if (c && !r.bad) {
        uint32_t klen;
        const char *key = make_key(ld, crate, clen, what == DIAG_ITEM ? FE_ITEM_MOD : FE_ITEM_STRUCT, path, plen, &klen);
        target = key_find(ld, key, klen);
    }
    switch (what) {
    case DIAG_ITEM: {
        const char *name = rd_str(&r, &nlen);
        uint8_t ns = rd_u8(&r);
        kind = rd_u8(&r);
        uint8_t shape = rd_u8(&r);
        if (ns > NS_VALUE || kind > FE_ITEM_STRUCT || kind == FE_ITEM_IMPL || shape > 2)
            r.bad = true;
        if (c && target && !r.bad)
            stub(ld, target, intern(&c->sess->names, name, nlen), ns, kind, target, fe_item(c, target)->krate, shape, 0);
        break;
    }
    case DIAG_FIELD: {
        uint32_t index = rd_u32(&r);
        const char *name = rd_str(&r, &nlen);
        if (c && target && !r.bad && fe_item(c, target)->kind == FE_ITEM_STRUCT) {
            FeStruct *st = &fe_item(c, target)->st;
            if (index < st->nfields && st->fields[index].vis != FE_VIS_PUB)
                st->fields[index].name = intern(&c->sess->names, name, nlen);
        }
        break;
    }
    case DIAG_METHOD: {
        const char *name = rd_str(&r, &nlen);
        uint8_t self_kind = rd_u8(&r);
        if (self_kind > FE_SELF_REF_MUT)
            r.bad = true;
        if (c && target && !r.bad && fe_item(c, target)->kind == FE_ITEM_STRUCT && !(fe_item(c, target)->flags & FE_ITEM_STUB)) {
            /* a stub impl per struct holds its private methods (never mangled) */
            uint32_t klen;
            const char *key = make_key(ld, crate, clen, FE_ITEM_IMPL, path, plen, &klen);
            ItemId impl = key_find(ld, key, klen);
            if (!impl) {
                impl = new_item(ld, FE_ITEM_IMPL, 0, FE_VIS_PRIV, fe_item_module(c, target), fe_item(c, target)->krate);
                fe_item(c, impl)->flags = FE_ITEM_STUB;
                fe_item(c, impl)->impl.self_ty = fe_item(c, target)->st.ty;
                key_add(ld, key, klen, impl);
            }
            stub(ld, target, intern(&c->sess->names, name, nlen), NS_ASSOC, FE_ITEM_FN, impl, fe_item(c, target)->krate,
                 0, self_kind);
        }
        break;
    }
    default: r.bad = true;
    }
    if (r.bad || r.p != r.end)
        return false;
    if (c && target && !map_find(&ld->diags, (const char *)start, (uint32_t)(r.end - start))) {
        map_add(&ld->diags, (const char *)start, (uint32_t)(r.end - start), target);
        vec_push(&iface_externs(c)->diags, ((FeDiagEntry){target, start, (uint32_t)(r.end - start)}));
    }
    return true;
}

/* Lists the methods of each loaded impl (impl.items), in item order. */
static void fill_impls(FeCrate *c, ItemId first)
{
    uint32_t n = c->items.len;
    uint32_t *count = xcalloc(n + 1, sizeof(uint32_t));
    for (ItemId id = first; id < n; id++) {
        const FeItem *it = fe_item(c, id);
        if (it->kind == FE_ITEM_FN && it->fn.impl && it->fn.impl >= first)
            count[it->fn.impl]++;
    }
    for (ItemId id = first; id < n; id++) {
        FeItem *it = fe_item(c, id);
        if (it->kind == FE_ITEM_IMPL) {
            it->impl.items = arena_new(&c->sess->arena, ItemId, count[id] + 1);
            it->impl.nitems = 0;
        }
    }
    for (ItemId id = first; id < n; id++) {
        const FeItem *it = fe_item(c, id);
        if (it->kind == FE_ITEM_FN && it->fn.impl && it->fn.impl >= first) {
            FeImpl *impl = &fe_item(c, it->fn.impl)->impl;
            impl->items[impl->nitems++] = id;
        }
    }
    xfree(count);
}

bool iface_load_deps(FeCrate *c, const FeCrateSpec *spec)
{
    FeExterns *x = iface_externs(c);
    grow_externs(c);
    if (!spec->ndeps)
        return true;
    Loader ld = {0};
    ld.c = c;
    ld.sess = c->sess;
    ItemId first = c->items.len;
    Payload *pls = xcalloc(spec->ndeps, sizeof(Payload));
    bool *ok = xcalloc(spec->ndeps, sizeof(bool));
    for (uint32_t d = 0; d < spec->ndeps; d++) {
        const FeDep *dep = &spec->deps[d];
        /* records are kept (and re-exported) from the session's own copy */
        const void *meta = arena_memdup(&c->sess->arena, dep->meta, dep->meta_len);
        ok[d] = split_payload(meta, dep->meta_len, &pls[d]) && validate(&pls[d]);
        if (!ok[d])
            load_error(&ld, "the interface of dependency `%s` is damaged or was written by another compiler build",
                       dep->name);
    }
    /* pass 1 places modules and items, pass 2 methods; pass 3 reads every record */
    typedef struct Placed {
        ItemId id;
        Rd rec;
        Head head;
    } Placed;
    Vec(Placed) placed = {0};
    for (int pass = 1; pass <= 2; pass++)
        for (uint32_t d = 0; d < spec->ndeps; d++) {
            if (!ok[d])
                continue;
            if (pass == 1)
                crate_number(&ld, pls[d].crate, pls[d].crate_len);
            for (uint32_t i = 0; i < pls[d].recs.len; i++) {
                Rd r = pls[d].recs.data[i];
                Head h;
                rd_head(&r, &h);
                bool bad = false;
                grow_externs(c);
                ItemId id = place(&ld, &pls[d].recs.data[i], &h, pass, &bad);
                grow_externs(c);
                if (bad) {
                    load_error(&ld, "the interfaces of the dependencies disagree about `%.*s::%.*s` (they were built "
                                    "against different versions of it)", (int)h.clen, h.crate, (int)h.plen, h.path);
                    continue;
                }
                if (!id)
                    continue;
                x = c->externs;
                x->record[id] = pls[d].recs.data[i].p;
                x->record_len[id] = (uint32_t)(pls[d].recs.data[i].end - pls[d].recs.data[i].p);
                vec_push(&placed, ((Placed){id, r, h}));
            }
        }
    /* struct layouts first: const initializers check their literals against them */
    uint32_t nplaced = placed.len;
    for (uint32_t i = 0; i < nplaced; i++)
        if (placed.data[i].head.kind == FE_ITEM_STRUCT)
            vec_push(&placed, placed.data[i]);
    for (uint32_t i = 0; i < nplaced; i++)
        if (placed.data[i].head.kind != FE_ITEM_STRUCT)
            vec_push(&placed, placed.data[i]);
    for (uint32_t i = nplaced; i < placed.len && !ld.errors; i++) {
        Placed *p = &placed.data[i];
        ld.refs.len = 0;
        rd_body(&ld, &p->rec, &p->head, p->id);
        if (p->rec.bad || p->rec.p != p->rec.end) {
            load_error(&ld, "the interface naming `%.*s::%.*s` is damaged", (int)p->head.clen, p->head.crate,
                       (int)p->head.plen, p->head.path);
            continue;
        }
        x = c->externs;
        x->nrefs[p->id] = ld.refs.len;
        x->refs[p->id] = arena_memdup(&c->sess->arena, ld.refs.data, sizeof(ItemId) * ld.refs.len);
    }
    if (!ld.errors) {
        fill_impls(c, first);
        for (uint32_t i = 0; i < c->externs->bindings.len; i++) {
            const FeBinding *b = &c->externs->bindings.data[i];
            uint32_t blen;
            const char *bkey = binding_key(&ld, b->mod, b->name, b->ns, &blen);
            map_add(&ld.bound, bkey, blen, b->item);
        }
        for (uint32_t d = 0; d < spec->ndeps; d++)
            for (uint32_t i = 0; ok[d] && i < pls[d].diags.len; i++)
                rd_diag(&ld, pls[d].diags.data[i]);
        fill_impls(c, first);
        grow_externs(c);
        /* the extern prelude: each dependency's root by the name its code uses */
        x = c->externs;
        for (uint32_t d = 0; d < spec->ndeps; d++) {
            if (!ok[d])
                continue;
            uint32_t k = crate_number(&ld, pls[d].crate, pls[d].crate_len);
            Sym name = intern_cstr(&c->sess->names, spec->deps[d].name);
            vec_push(&x->prelude, ((FeBinding){0, name, NS_TYPE, FE_VIS_PUB, c->crates.data[k].root}));
        }
    }
    for (uint32_t d = 0; d < spec->ndeps; d++)
        payload_free(&pls[d]);
    xfree(pls);
    xfree(ok);
    vec_free(&placed);
    map_free(&ld.keys);
    map_free(&ld.bound);
    map_free(&ld.diags);
    vec_free(&ld.refs);
    return ld.errors == 0;
}

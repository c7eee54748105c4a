/*
 * frontend/ty.c — interned types, their printing, and layouts.
 *
 * Equal types have equal TypeIds within a crate (hash-consing on kind, sub, inner,
 * length, item and elements). Layout: integers are naturally aligned (i128/u128 at
 * 16, as rustc on x86-64), bool 1, char 4, thin references 8, &str and &[T] 16
 * (pointer, length); arrays are elem size × length; tuples and structs place fields
 * in declaration order at their alignment, the size rounded up to the alignment.
 */
#include "frontend/stages.h"

#include <string.h>

typedef struct TypeMap {
    uint32_t *slots;  /* TypeIds; 0 empty */
    uint32_t nslots;
} TypeMap;

static FeType *ty_mut(FeCrate *c, TypeId id) { return fe_store_at(&c->types, id); }

static uint64_t type_hash(const FeType *t)
{
    uint64_t key[6] = {t->kind | (uint64_t)t->sub << 8 | (uint64_t)t->nelems << 16, t->inner, t->len,
                       t->item.krate, t->item.item, 0};
    uint64_t h = hash64(key, sizeof key);
    if (t->nelems)
        h ^= hash64(t->elems, t->nelems * sizeof(TypeId)) * 0x9E3779B97F4A7C15ull;
    return h;
}

static bool type_eq(const FeType *a, const FeType *b)
{
    return a->kind == b->kind && a->sub == b->sub && a->nelems == b->nelems && a->inner == b->inner &&
           a->len == b->len && a->item.krate == b->item.krate && a->item.item == b->item.item &&
           (a->nelems == 0 || memcmp(a->elems, b->elems, a->nelems * sizeof(TypeId)) == 0);
}

static void map_insert(TypeMap *m, FeCrate *c, TypeId id)
{
    uint32_t i = (uint32_t)type_hash(fe_type(c, id)) & (m->nslots - 1);
    while (m->slots[i])
        i = (i + 1) & (m->nslots - 1);
    m->slots[i] = id;
}

TypeId ty_intern(FeCrate *c, const FeType *t)
{
    TypeMap *m = c->type_map;
    uint32_t i = (uint32_t)type_hash(t) & (m->nslots - 1);
    while (m->slots[i]) {
        if (type_eq(fe_type(c, m->slots[i]), t))
            return m->slots[i];
        i = (i + 1) & (m->nslots - 1);
    }
    TypeId id = fe_store_new(&c->types);
    FeType *n = ty_mut(c, id);
    *n = *t;
    n->layout_state = 0;
    n->offsets = NULL;
    if (t->nelems) {
        TypeId *elems = arena_alloc(&c->sess->arena, t->nelems * sizeof(TypeId));
        memcpy(elems, t->elems, t->nelems * sizeof(TypeId));
        n->elems = elems;
    }
    n->has_vars = t->kind == FE_TYPE_INFER || t->kind == FE_TYPE_INT_VAR ||
                  (t->inner && fe_type(c, t->inner)->has_vars);
    for (uint32_t k = 0; k < t->nelems; k++)
        n->has_vars |= fe_type(c, t->elems[k])->has_vars;
    m->slots[i] = id;
    if (c->types.count * 2 > m->nslots) {
        xfree(m->slots);
        m->nslots *= 2;
        m->slots = xcalloc(m->nslots, sizeof(uint32_t));
        for (TypeId k = 1; k < c->types.count; k++)
            map_insert(m, c, k);
    }
    return id;
}

static TypeId mk(FeCrate *c, int kind, int sub, TypeId inner, uint64_t len)
{
    FeType t = {0};
    t.kind = (uint8_t)kind;
    t.sub = (uint8_t)sub;
    t.inner = inner;
    t.len = len;
    return ty_intern(c, &t);
}

TypeId ty_ref(FeCrate *c, TypeId inner, bool mut) { return mk(c, FE_TYPE_REF, mut, inner, 0); }
TypeId ty_array(FeCrate *c, TypeId elem, uint64_t len) { return mk(c, FE_TYPE_ARRAY, 0, elem, len); }
TypeId ty_slice(FeCrate *c, TypeId elem) { return mk(c, FE_TYPE_SLICE, 0, elem, 0); }
TypeId ty_range(FeCrate *c, TypeId elem) { return mk(c, FE_TYPE_RANGE, 0, elem, 0); }
TypeId ty_var(FeCrate *c, bool is_int, uint64_t number)
{
    return mk(c, is_int ? FE_TYPE_INT_VAR : FE_TYPE_INFER, 0, 0, number);
}

TypeId ty_tuple(FeCrate *c, const TypeId *elems, uint32_t n)
{
    FeType t = {0};
    t.kind = FE_TYPE_TUPLE;
    t.nelems = n;
    t.elems = elems;
    return ty_intern(c, &t);
}

TypeId ty_struct(FeCrate *c, ItemRef item)
{
    FeType t = {0};
    t.kind = FE_TYPE_STRUCT;
    t.item = item;
    return ty_intern(c, &t);
}

void ty_set_layout(FeCrate *c, TypeId ty, uint64_t size, uint64_t align)
{
    FeType *t = ty_mut(c, ty);
    t->size = size;
    t->align = align;
    t->layout_state = 2;
}

void ty_init(FeCrate *c)
{
    fe_store_init(&c->types, sizeof(FeType), c->pool);
    TypeMap *m = xcalloc(1, sizeof *m);
    m->nslots = 1024;
    m->slots = xcalloc(m->nslots, sizeof(uint32_t));
    c->type_map = m;
    TypeId id;
    id = mk(c, FE_TYPE_ERROR, 0, 0, 0);
    if (id != FE_TY_ERROR)
        die("fixed type ids out of order");
    ty_tuple(c, NULL, 0);
    mk(c, FE_TYPE_BOOL, 0, 0, 0);
    mk(c, FE_TYPE_CHAR, 0, 0, 0);
    mk(c, FE_TYPE_STR, 0, 0, 0);
    mk(c, FE_TYPE_NEVER, 0, 0, 0);
    for (int k = 0; k < FE_INT_COUNT; k++)
        mk(c, FE_TYPE_INT, k, 0, 0);
    id = ty_ref(c, FE_TY_STR, false);
    if (id != FE_TY_STR_REF)
        die("fixed type ids out of order");
}

void ty_free(FeCrate *c)
{
    TypeMap *m = c->type_map;
    if (m)
        xfree(m->slots);
    xfree(m);
    c->type_map = NULL;
}

static const char *const int_names[] = {
#define X(k, name, size, is_signed) name,
    FE_INT_KINDS(X)
#undef X
};

void fe_type_str(FeCrate *c, TypeId ty, StrBuf *out)
{
    const FeType *t = fe_type(c, ty);
    switch (t->kind) {
    case FE_TYPE_ERROR: sb_puts(out, "{type error}"); break;
    case FE_TYPE_INT: sb_puts(out, int_names[t->sub]); break;
    case FE_TYPE_BOOL: sb_puts(out, "bool"); break;
    case FE_TYPE_CHAR: sb_puts(out, "char"); break;
    case FE_TYPE_STR: sb_puts(out, "str"); break;
    case FE_TYPE_NEVER: sb_puts(out, "!"); break;
    case FE_TYPE_TUPLE:
        sb_putc(out, '(');
        for (uint32_t i = 0; i < t->nelems; i++) {
            if (i)
                sb_puts(out, ", ");
            fe_type_str(c, t->elems[i], out);
        }
        if (t->nelems == 1)
            sb_putc(out, ',');
        sb_putc(out, ')');
        break;
    case FE_TYPE_REF:
        sb_puts(out, t->sub ? "&mut " : "&");
        fe_type_str(c, t->inner, out);
        break;
    case FE_TYPE_ARRAY:
        sb_putc(out, '[');
        fe_type_str(c, t->inner, out);
        sb_printf(out, "; %llu]", (unsigned long long)t->len);
        break;
    case FE_TYPE_SLICE:
        sb_putc(out, '[');
        fe_type_str(c, t->inner, out);
        sb_putc(out, ']');
        break;
    case FE_TYPE_STRUCT:
        if (t->item.krate == FE_LOCAL_CRATE)
            sb_puts(out, sym_str(&c->sess->names, fe_item(c, t->item.item)->name));
        else
            sb_puts(out, "{extern}");
        break;
    case FE_TYPE_RANGE:
        sb_puts(out, "std::ops::Range<");
        fe_type_str(c, t->inner, out);
        sb_putc(out, '>');
        break;
    case FE_TYPE_INFER: sb_putc(out, '_'); break;
    case FE_TYPE_INT_VAR: sb_puts(out, "{integer}"); break;
    }
}

static uint64_t int_size(int k)
{
    static const uint8_t sizes[] = {
#define X(kk, name, size, is_signed) size,
        FE_INT_KINDS(X)
#undef X
    };
    return sizes[k];
}

static bool compute_layout(FeCrate *c, TypeId ty, uint64_t *size, uint64_t *align);

/* Places fields in order; returns false when a field is unsized or recursive. */
static bool place_fields(FeCrate *c, const TypeId *tys, uint32_t n, uint64_t *offsets, uint64_t *size,
                         uint64_t *align)
{
    uint64_t off = 0, al = 1;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t s, a;
        if (!compute_layout(c, tys[i], &s, &a))
            return false;
        off = ALIGN_UP(off, a);
        if (offsets)
            offsets[i] = off;
        if (off + s < off)
            return false;
        off += s;
        al = MAX(al, a);
    }
    *size = ALIGN_UP(off, al);
    *align = al;
    return true;
}

static bool compute_layout(FeCrate *c, TypeId ty, uint64_t *size, uint64_t *align)
{
    FeType *t = ty_mut(c, ty);
    if (t->layout_state == 2) {
        *size = t->size;
        *align = t->align;
        return true;
    }
    if (t->layout_state == 1)
        return false;  /* recursive */
    bool ok = true;
    uint64_t s = 0, a = 1;
    switch (t->kind) {
    case FE_TYPE_INT: s = a = int_size(t->sub); break;
    case FE_TYPE_BOOL: s = a = 1; break;
    case FE_TYPE_CHAR: s = a = 4; break;
    case FE_TYPE_NEVER: s = 0, a = 1; break;
    case FE_TYPE_REF: {
        int ik = fe_type(c, t->inner)->kind;
        s = ik == FE_TYPE_STR || ik == FE_TYPE_SLICE ? 16 : 8;
        a = 8;
        break;
    }
    case FE_TYPE_RANGE: {
        uint64_t es, ea;
        t->layout_state = 1;
        ok = compute_layout(c, t->inner, &es, &ea);
        s = es * 2, a = ea;
        break;
    }
    case FE_TYPE_ARRAY: {
        uint64_t es, ea;
        t->layout_state = 1;
        ok = compute_layout(c, t->inner, &es, &ea);
        if (ok && es && t->len > UINT64_MAX / es)
            ok = false;
        s = es * t->len, a = ea;
        break;
    }
    case FE_TYPE_TUPLE: {
        t->layout_state = 1;
        uint64_t *offs = arena_alloc(&c->sess->arena, (t->nelems ? t->nelems : 1) * sizeof(uint64_t));
        ok = place_fields(c, t->elems, t->nelems, offs, &s, &a);
        t = ty_mut(c, ty);
        t->offsets = offs;
        break;
    }
    case FE_TYPE_STRUCT: {
        if (t->item.krate != FE_LOCAL_CRATE)
            return false;
        FeStruct *st = &fe_item(c, t->item.item)->st;
        t->layout_state = 1;
        TypeId tys[1024] = {0};
        uint64_t offs[1024] = {0};
        uint32_t n = MIN(st->nfields, 1024u);
        for (uint32_t i = 0; i < n; i++)
            tys[i] = st->fields[i].ty;
        ok = place_fields(c, tys, n, offs, &s, &a);
        for (uint32_t i = 0; ok && i < n; i++)
            st->fields[i].offset = offs[i];
        st->size = s;
        st->align = a;
        t = ty_mut(c, ty);
        break;
    }
    default:
        return false;  /* unsized, error, or inference variables */
    }
    t = ty_mut(c, ty);
    if (!ok) {
        t->layout_state = 0;
        return false;
    }
    t->size = s;
    t->align = a;
    t->layout_state = 2;
    *size = s;
    *align = a;
    return true;
}

bool fe_layout(FeCrate *c, TypeId ty, uint64_t *size, uint64_t *align)
{
    return compute_layout(c, ty, size, align);
}

uint64_t fe_field_offset(FeCrate *c, TypeId ty, uint32_t i)
{
    uint64_t s, a;
    if (!compute_layout(c, ty, &s, &a))
        die("field offset of a type without layout");
    const FeType *t = fe_type(c, ty);
    if (t->kind == FE_TYPE_TUPLE)
        return t->offsets[i];
    if (t->kind == FE_TYPE_STRUCT)
        return fe_item(c, t->item.item)->st.fields[i].offset;
    die("field offset of a non-aggregate type");
}

/* Does struct `st` contain itself by value (through fields, tuples and arrays)? */
static bool contains(FeCrate *c, TypeId ty, ItemId target, int depth)
{
    const FeType *t = fe_type(c, ty);
    if (depth > 64)
        return false;
    switch (t->kind) {
    case FE_TYPE_STRUCT: {
        if (t->item.krate != FE_LOCAL_CRATE || fe_item(c, t->item.item)->krate)
            return false;
        if (t->item.item == target)
            return true;
        const FeStruct *st = &fe_item(c, t->item.item)->st;
        for (uint32_t i = 0; i < st->nfields; i++)
            if (contains(c, st->fields[i].ty, target, depth + 1))
                return true;
        return false;
    }
    case FE_TYPE_ARRAY: return contains(c, t->inner, target, depth + 1);
    case FE_TYPE_TUPLE:
        for (uint32_t i = 0; i < t->nelems; i++)
            if (contains(c, t->elems[i], target, depth + 1))
                return true;
        return false;
    default: return false;
    }
}

bool ty_layout_structs(FeCrate *c)
{
    bool ok = true;
    for (ItemId id = 1; id < c->items.len; id++) {
        FeItem *it = fe_item(c, id);
        if (it->kind != FE_ITEM_STRUCT || it->krate)
            continue;  /* a dependency's layouts come with its interface */
        bool rec = false;
        for (uint32_t i = 0; i < it->st.nfields && !rec; i++)
            rec = contains(c, it->st.fields[i].ty, id, 0);
        if (rec) {
            const char *name = sym_str(&c->sess->names, it->name);
            diag_emit_code(&c->sess->diag, DIAG_ERROR, "E0072", it->head_span, "recursive type has infinite size",
                           "recursive type `%s` has infinite size", name);
            ok = false;
            continue;
        }
        uint64_t s, a;
        if (!compute_layout(c, it->st.ty, &s, &a)) {
            diag_emit(&c->sess->diag, DIAG_ERROR, it->span, NULL, "values of the type `%s` are too big for the target architecture",
                      sym_str(&c->sess->names, it->name));
            ok = false;
        }
    }
    return ok;
}

ItemId fe_item_module(FeCrate *c, ItemId item)
{
    ItemId m = fe_item(c, item)->parent;
    while (m && fe_item(c, m)->kind != FE_ITEM_MOD)
        m = fe_item(c, m)->parent;
    return m;
}

void fe_item_path(FeCrate *c, ItemId item, StrBuf *out)
{
    ItemId chain[256];
    int n = 0;
    for (ItemId m = item; m && fe_item(c, m)->parent && n < 256; m = fe_item(c, m)->parent)
        chain[n++] = m;
    bool first = true;
    while (n--) {
        const FeItem *it = fe_item(c, chain[n]);
        if (!first)
            sb_puts(out, "::");
        first = false;
        if (it->kind == FE_ITEM_IMPL)
            fe_type_str(c, it->impl.self_ty, out);
        else
            sb_puts(out, sym_str(&c->sess->names, it->name));
    }
}

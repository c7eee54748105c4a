/*
 * backend/gen_data.c — data items: string literals, constants evaluated at compile time
 * (statics, aggregate consts, promoted `&CONST` operands), descriptors built by gen_fmt.c.
 *
 * A function's own data (string literals, format templates, descriptors, promoted
 * constants) is one pool, a local data item "<function symbol>.d" that code and data
 * address as pool + offset, appended in the order the function creates it (so equal
 * functions give equal records); equal pieces are shared. One item per function keeps
 * objects small: a section costs a header, a name and a symbol. Module-level items are
 * statics and placed constants (global, named by the item) and the strings they point
 * to (local, "<item symbol>.sN").
 *
 * The constant evaluator computes integers as rustc would at compile time but gives up
 * (returns false) on anything that would overflow, divide by zero or is not a
 * constant: the caller then generates code for the expression, which checks at run
 * time as rustc's build does.
 */
#include "backend/gen.h"

#include <string.h>

#define X(id) gen_expr_node(g, (id))

/* ---------------------------------------------------------------- function data */

/* owner's symbol with a suffix ("<fn>.d", "<static>.s1"). */
static Sym suffixed(Gen *g, Sym owner, const char *suffix)
{
    const char *base = sym_str(g->names, owner);
    size_t bl = strlen(base), sl = strlen(suffix);
    char *s = arena_alloc(&g->scratch, bl + sl + 1);
    memcpy(s, base, bl);
    memcpy(s + bl, suffix, sl + 1);
    return intern(g->names, s, bl + sl);
}

static Sym pool_sym(Gen *g)
{
    if (!g->pool_sym)
        g->pool_sym = suffixed(g, g->fn_sym, ".d");
    return g->pool_sym;
}

DataRef gen_fn_data_next(Gen *g, uint32_t align)
{
    return (DataRef){pool_sym(g), (int32_t)ALIGN_UP(g->pool.len, align)};
}

DataRef gen_fn_data(Gen *g, const void *bytes, uint32_t size, uint32_t align, const CodeReloc *relocs,
                    uint32_t nrelocs)
{
    uint32_t off = ALIGN_UP(g->pool.len, align);
    if ((uint64_t)off + size > INT32_MAX)
        die("function data beyond 2 GiB");
    vec_reserve(&g->pool, off - g->pool.len + size);
    memset(g->pool.data + g->pool.len, 0, off - g->pool.len);
    if (size)
        memcpy(g->pool.data + off, bytes, size);
    g->pool.len = off + size;
    if (align > g->pool_align)
        g->pool_align = align;
    for (uint32_t i = 0; i < nrelocs; i++) {
        CodeReloc r = relocs[i];
        r.offset += off;
        vec_push(&g->pool_relocs, r);
    }
    vec_push(&g->pool_items, ((PoolItem){off, size, g->pool_relocs.len - nrelocs, nrelocs}));
    return (DataRef){pool_sym(g), (int32_t)off};
}

static uint64_t data_hash(const void *bytes, uint32_t size, const CodeReloc *relocs, uint32_t nrelocs,
                          uint32_t base)
{
    uint64_t h = hash64(bytes, size);
    for (uint32_t i = 0; i < nrelocs; i++) {
        uint64_t r[3] = {(relocs[i].offset - base) | (uint64_t)relocs[i].kind << 32, relocs[i].sym,
                         (uint64_t)relocs[i].addend};
        h = (h ^ hash64(r, sizeof r)) * 0x9E3779B97F4A7C15u;
    }
    return h ^ size;
}

static bool same_item(Gen *g, const PoolItem *it, const void *bytes, uint32_t size, uint32_t align,
                      const CodeReloc *relocs, uint32_t nrelocs)
{
    if (it->size != size || it->off % align || it->nrel != nrelocs ||
        (size && memcmp(g->pool.data + it->off, bytes, size)))
        return false;
    for (uint32_t i = 0; i < nrelocs; i++) {
        const CodeReloc *x = &g->pool_relocs.data[it->rel + i], *y = &relocs[i];
        if (x->offset - it->off != y->offset || x->kind != y->kind || x->sym != y->sym || x->addend != y->addend)
            return false;
    }
    return true;
}

static uint32_t item_hash(Gen *g, const PoolItem *it)
{
    return (uint32_t)data_hash(g->pool.data + it->off, it->size, g->pool_relocs.data + it->rel, it->nrel, it->off);
}

DataRef gen_fn_data_dedup(Gen *g, const void *bytes, uint32_t size, uint32_t align, const CodeReloc *relocs,
                          uint32_t nrelocs)
{
    if ((g->pool_items.len + 1) * 2 > g->ndata_slots) {
        uint32_t n = g->ndata_slots ? g->ndata_slots * 2 : 64;
        uint32_t *slots = arena_new(&g->scratch, uint32_t, n);
        for (uint32_t i = 0; i < g->ndata_slots; i++) {
            uint32_t v = g->data_slots[i];
            if (!v)
                continue;
            uint32_t h = item_hash(g, &g->pool_items.data[v - 1]) & (n - 1);
            while (slots[h])
                h = (h + 1) & (n - 1);
            slots[h] = v;
        }
        g->data_slots = slots;
        g->ndata_slots = n;
    }
    uint32_t mask = g->ndata_slots - 1, h = (uint32_t)data_hash(bytes, size, relocs, nrelocs, 0) & mask;
    for (; g->data_slots[h]; h = (h + 1) & mask) {
        const PoolItem *it = &g->pool_items.data[g->data_slots[h] - 1];
        if (same_item(g, it, bytes, size, align, relocs, nrelocs))
            return (DataRef){pool_sym(g), (int32_t)it->off};
    }
    DataRef r = gen_fn_data(g, bytes, size, align, relocs, nrelocs);
    g->data_slots[h] = g->pool_items.len;
    return r;
}

DataRef gen_str_data(Gen *g, const char *s, uint32_t len)
{
    /* an empty string still needs an address: one byte that is never read */
    return gen_fn_data_dedup(g, len ? s : "", len ? len : 1, 1, NULL, 0);
}

/* ---------------------------------------------------------------- scalar constants */

static const uint8_t int_bits[FE_INT_COUNT] = {
#define XX(k, name, size, is_signed) (uint8_t)(size * 8),
    FE_INT_KINDS(XX)
#undef XX
};
static const uint8_t int_sgn[FE_INT_COUNT] = {
#define XX(k, name, size, is_signed) is_signed,
    FE_INT_KINDS(XX)
#undef XX
};

/* Truncates v to the type's width and sign-extends signed types (to 128 bits). */
static u128 norm(u128 v, int k)
{
    unsigned b = int_bits[k];
    if (b < 128) {
        v &= ((u128)1 << b) - 1;
        if (int_sgn[k] && (v >> (b - 1)) & 1)
            v |= ~(((u128)1 << b) - 1);
    }
    return v;
}

/* The integer kind of a type (bool and char: as u8/u32), or -1. */
static int scalar_kind(Gen *g, TypeId ty)
{
    const FeType *t = gen_type(g, ty);
    if (t->kind == FE_TYPE_INT)
        return t->sub;
    if (t->kind == FE_TYPE_BOOL)
        return FE_INT_U8;
    if (t->kind == FE_TYPE_CHAR)
        return FE_INT_U32;
    return -1;
}

static bool scalar_eval(Gen *g, ExprId id, u128 *out, int depth);

static bool binary_eval(Gen *g, const FeExpr *e, u128 *out, int depth)
{
    u128 a, b;
    int op = e->op;
    if (!scalar_eval(g, e->a, &a, depth + 1))
        return false;
    if (op == FE_BIN_AND || op == FE_BIN_OR) {
        if ((op == FE_BIN_AND) != (a != 0)) {
            *out = a != 0;
            return true;
        }
        if (!scalar_eval(g, e->b, &b, depth + 1))
            return false;
        *out = b != 0;
        return true;
    }
    if (!scalar_eval(g, e->b, &b, depth + 1))
        return false;
    int k = scalar_kind(g, X(e->a)->ty);
    if (k < 0)
        return false;
    bool sgn = int_sgn[k];
    if (op >= FE_BIN_EQ && op <= FE_BIN_GT) {
        int c = sgn ? ((__int128)a < (__int128)b ? -1 : (__int128)a > (__int128)b) : (a < b ? -1 : a > b);
        switch (op) {
        case FE_BIN_EQ: *out = c == 0; break;
        case FE_BIN_NE: *out = c != 0; break;
        case FE_BIN_LT: *out = c < 0; break;
        case FE_BIN_LE: *out = c <= 0; break;
        case FE_BIN_GT: *out = c > 0; break;
        default: *out = c >= 0; break;
        }
        return true;
    }
    u128 r;
    switch (op) {
    case FE_BIN_ADD: case FE_BIN_SUB: case FE_BIN_MUL: {
        bool ovf;
        if (sgn) {
            __int128 z;
            __int128 x = (__int128)a, y = (__int128)b;
            ovf = op == FE_BIN_ADD ? __builtin_add_overflow(x, y, &z)
                  : op == FE_BIN_SUB ? __builtin_sub_overflow(x, y, &z) : __builtin_mul_overflow(x, y, &z);
            r = (u128)z;
        } else {
            ovf = op == FE_BIN_ADD ? __builtin_add_overflow(a, b, &r)
                  : op == FE_BIN_SUB ? __builtin_sub_overflow(a, b, &r) : __builtin_mul_overflow(a, b, &r);
        }
        if (ovf || norm(r, k) != r)
            return false;
        break;
    }
    case FE_BIN_DIV: case FE_BIN_REM:
        if (b == 0 || (sgn && b == ~(u128)0 && a == norm((u128)1 << (int_bits[k] - 1), k)))
            return false;
        if (sgn)
            r = (u128)(op == FE_BIN_DIV ? (__int128)a / (__int128)b : (__int128)a % (__int128)b);
        else
            r = op == FE_BIN_DIV ? a / b : a % b;
        break;
    case FE_BIN_BITAND: r = a & b; break;
    case FE_BIN_BITOR: r = a | b; break;
    case FE_BIN_BITXOR: r = a ^ b; break;
    case FE_BIN_SHL: case FE_BIN_SHR: {
        int rk = scalar_kind(g, X(e->b)->ty);
        u128 amount = rk >= 0 ? b & (int_bits[rk] == 128 ? ~(u128)0 : (((u128)1 << int_bits[rk]) - 1)) : b;
        if (amount >= int_bits[k])
            return false;
        if (op == FE_BIN_SHL)
            r = a << (unsigned)amount;
        else  /* unsigned values are kept zero-extended, signed ones sign-extended */
            r = sgn ? (u128)((__int128)a >> (unsigned)amount) : a >> (unsigned)amount;
        break;
    }
    default:
        return false;
    }
    *out = norm(r, k);
    return true;
}

static bool scalar_eval(Gen *g, ExprId id, u128 *out, int depth)
{
    const FeExpr *e = X(id);
    if (depth > 64)
        return false;
    int k = scalar_kind(g, e->ty);
    switch (e->kind) {
    case FE_EXPR_INT: case FE_EXPR_BOOL: case FE_EXPR_CHAR:
        if (k < 0)
            return false;
        *out = norm(e->value, k);
        return true;
    case FE_EXPR_PAREN: return scalar_eval(g, e->a, out, depth + 1);
    case FE_EXPR_ITEM: {
        if (e->item.krate != FE_LOCAL_CRATE)
            return false;
        const FeItem *it = fe_item(g->c, e->item.item);
        if (it->kind != FE_ITEM_CONST || !it->cst.has_value || k < 0)
            return false;
        *out = norm(it->cst.value, k);
        return true;
    }
    case FE_EXPR_UNARY: {
        if (k < 0 || e->op == FE_UN_DEREF)
            return false;
        const FeExpr *a = X(e->a);
        if (e->op == FE_UN_NEG && a->kind == FE_EXPR_INT && (a->flags & FE_EXPR_NEG_LIT)) {
            *out = norm(-a->value, k);
            return true;
        }
        u128 v;
        if (!scalar_eval(g, e->a, &v, depth + 1))
            return false;
        if (e->op == FE_UN_NOT) {
            *out = gen_type(g, e->ty)->kind == FE_TYPE_BOOL ? !v : norm(~v, k);
            return true;
        }
        if (v == norm((u128)1 << (int_bits[k] - 1), k))
            return false;  /* -MIN overflows */
        *out = norm(-v, k);
        return true;
    }
    case FE_EXPR_CAST: {
        u128 v;
        int fk = scalar_kind(g, X(e->a)->ty);
        if (k < 0 || fk < 0 || !scalar_eval(g, e->a, &v, depth + 1))
            return false;
        *out = norm(norm(v, fk), k);  /* v is already extended per the source's sign */
        return true;
    }
    case FE_EXPR_BINARY:
        if (k < 0)
            return false;
        return binary_eval(g, e, out, depth);
    case FE_EXPR_BLOCK:
        if (e->n == 0 && e->a)
            return scalar_eval(g, e->a, out, depth + 1);
        return false;
    default:
        return false;
    }
}

bool gen_const_scalar(Gen *g, ExprId e, u128 *out) { return scalar_eval(g, e, out, 0); }

/* ---------------------------------------------------------------- aggregates */

typedef struct ConstCtx {
    bool module_level;  /* strings become module data (else the function's) */
    Sym owner;          /* module level: the item whose strings these are */
    uint32_t nstrings;
} ConstCtx;

static void buf_zero(ConstBuf *b, uint64_t n)
{
    vec_reserve(&b->bytes, (uint32_t)n);
    memset(b->bytes.data + b->bytes.len, 0, n);
    b->bytes.len += (uint32_t)n;
}

static void buf_ptr(ConstBuf *b, DataRef target)
{
    vec_push(&b->relocs, ((CodeReloc){b->bytes.len, RELOC_64, false, target.sym, target.off}));
    buf_zero(b, 8);
}

static void buf_u64(ConstBuf *b, uint64_t v)
{
    vec_reserve(&b->bytes, 8);
    memcpy(b->bytes.data + b->bytes.len, &v, 8);
    b->bytes.len += 8;
}

/* A data item for the bytes of a string (or a nested constant) of a constant. */
static DataRef const_data(Gen *g, ConstCtx *cx, const void *bytes, uint32_t size, uint32_t align,
                          const CodeReloc *relocs, uint32_t nrelocs)
{
    if (!cx->module_level)
        return gen_fn_data_dedup(g, bytes, size, align, relocs, nrelocs);
    char suffix[24];
    snprintf(suffix, sizeof suffix, ".s%u", ++cx->nstrings);
    Sym name = suffixed(g, cx->owner, suffix);
    CodeData *d = arena_new(g->out, CodeData, 1);
    *d = code_data_make(g->out, name, bytes, size, align, relocs, nrelocs);
    d->local = true;
    vec_push(&g->module_data, d);
    return (DataRef){name, 0};
}

static bool const_eval(Gen *g, ExprId id, ConstBuf *out, ConstCtx *cx, int depth);

/* The pointee of a constant reference, as its own data item. */
static bool const_pointee(Gen *g, ExprId id, ConstCtx *cx, DataRef *sym, int depth)
{
    ConstBuf inner = {0};
    bool ok = const_eval(g, id, &inner, cx, depth + 1);
    if (ok) {
        const TyInfo *ti = gen_ty(g, X(id)->ty);
        if (!inner.bytes.len)
            buf_zero(&inner, 1);
        *sym = const_data(g, cx, inner.bytes.data, inner.bytes.len, ti->align, inner.relocs.data,
                          inner.relocs.len);
    }
    vec_free(&inner.bytes);
    vec_free(&inner.relocs);
    return ok;
}

static bool const_eval(Gen *g, ExprId id, ConstBuf *out, ConstCtx *cx, int depth)
{
    const FeExpr *e = X(id);
    if (depth > 64)
        return false;
    TypeId ty = e->ty;
    const TyInfo *ti = gen_ty(g, ty);
    if (ti->cls == VC_UNSIZED)
        return false;
    int k = scalar_kind(g, ty);
    if (k >= 0) {
        u128 v;
        if (!scalar_eval(g, id, &v, depth))
            return false;
        vec_reserve(&out->bytes, 16);
        memcpy(out->bytes.data + out->bytes.len, &v, ti->size);
        out->bytes.len += (uint32_t)ti->size;
        return true;
    }
    uint32_t start = out->bytes.len;
    switch (e->kind) {
    case FE_EXPR_PAREN: return const_eval(g, e->a, out, cx, depth + 1);
    case FE_EXPR_BLOCK:
        return e->n == 0 && e->a && const_eval(g, e->a, out, cx, depth + 1);
    case FE_EXPR_STR: {
        buf_ptr(out, const_data(g, cx, e->n ? e->str : "", e->n ? e->n : 1, 1, NULL, 0));
        if (!e->op)
            buf_u64(out, e->n);
        return true;
    }
    case FE_EXPR_ITEM: {
        if (e->item.krate != FE_LOCAL_CRATE)
            return false;
        const FeItem *it = fe_item(g->c, e->item.item);
        if (it->kind != FE_ITEM_CONST || !it->cst.init)
            return false;
        return const_eval(g, it->cst.init, out, cx, depth + 1);
    }
    case FE_EXPR_REF: {
        if (e->flags & FE_EXPR_MUT)
            return false;
        DataRef s;
        if (!const_pointee(g, e->a, cx, &s, depth))
            return false;
        buf_ptr(out, s);
        return true;
    }
    case FE_EXPR_COERCE:
        if (e->op == FE_COERCE_REBORROW)
            return const_eval(g, e->a, out, cx, depth + 1);
        if (e->op == FE_COERCE_UNSIZE) {
            const FeType *from = gen_type(g, X(e->a)->ty);
            if (!const_eval(g, e->a, out, cx, depth + 1))
                return false;
            buf_u64(out, gen_type(g, from->inner)->len);
            return true;
        }
        return false;
    case FE_EXPR_TUPLE: case FE_EXPR_STRUCT: case FE_EXPR_ARRAY: {
        const FeType *t = gen_type(g, ty);
        for (uint32_t i = 0; i < e->n; i++) {
            uint64_t off = t->kind == FE_TYPE_ARRAY ? i * gen_ty(g, t->inner)->size : fe_field_offset(g->c, ty, i);
            if (out->bytes.len - start < off)
                buf_zero(out, off - (out->bytes.len - start));
            if (!const_eval(g, e->args[i], out, cx, depth + 1))
                return false;
            t = gen_type(g, ty);
        }
        break;
    }
    case FE_EXPR_REPEAT: {
        const FeType *t = gen_type(g, ty);
        if (t->len == 0)
            break;
        uint32_t at = out->bytes.len;
        if (!const_eval(g, e->a, out, cx, depth + 1))
            return false;
        uint32_t es = out->bytes.len - at, nrel = out->relocs.len;
        uint64_t total = (uint64_t)es * t->len;
        if (total > (64u << 20))
            return false;
        /* element 0 is in place; repeat its bytes and relocations */
        uint32_t first_rel = 0;
        while (first_rel < nrel && out->relocs.data[first_rel].offset < at)
            first_rel++;
        for (uint64_t i = 1; i < t->len; i++) {
            vec_reserve(&out->bytes, es);
            memcpy(out->bytes.data + out->bytes.len, out->bytes.data + at, es);
            for (uint32_t r = first_rel; r < nrel; r++) {
                CodeReloc rr = out->relocs.data[r];
                rr.offset += (uint32_t)(i * es);
                vec_push(&out->relocs, rr);
            }
            out->bytes.len += es;
        }
        break;
    }
    default:
        return false;
    }
    uint32_t have = out->bytes.len - start;
    if (have < ti->size)
        buf_zero(out, ti->size - have);
    return true;
}

bool gen_const_eval(Gen *g, ExprId e, ConstBuf *out, bool module_level, Sym owner)
{
    ConstCtx cx = {module_level, owner, 0};
    return const_eval(g, e, out, &cx, 0);
}

/* Is e a constant that promotion may place in memory (not a place of its own)? */
static bool promotable(Gen *g, ExprId id)
{
    const FeExpr *e = X(id);
    switch (e->kind) {
    case FE_EXPR_INT: case FE_EXPR_BOOL: case FE_EXPR_CHAR: case FE_EXPR_STR:
    case FE_EXPR_TUPLE: case FE_EXPR_ARRAY: case FE_EXPR_REPEAT: case FE_EXPR_STRUCT:
    case FE_EXPR_UNARY: case FE_EXPR_BINARY: case FE_EXPR_CAST: case FE_EXPR_REF:
        return e->kind != FE_EXPR_UNARY || e->op != FE_UN_DEREF;
    case FE_EXPR_PAREN: return promotable(g, e->a);
    case FE_EXPR_ITEM: {
        if (e->item.krate != FE_LOCAL_CRATE)
            return false;
        return fe_item(g->c, e->item.item)->kind == FE_ITEM_CONST;
    }
    default:
        return false;
    }
}

DataRef gen_promote(Gen *g, ExprId id)
{
    if (!promotable(g, id))
        return (DataRef){0, 0};
    const FeExpr *e = X(id);
    while (e->kind == FE_EXPR_PAREN)
        e = X(e->a);
    if (e->kind == FE_EXPR_ITEM && g->const_data[e->item.item])
        return (DataRef){g->item_sym[e->item.item], 0};
    const TyInfo *ti = gen_ty(g, X(id)->ty);
    if (ti->size == 0 || ti->size > (1u << 20))
        return (DataRef){0, 0};
    ConstBuf buf = {0};
    DataRef s = {0, 0};
    if (gen_const_eval(g, id, &buf, false, 0))
        s = gen_fn_data_dedup(g, buf.bytes.data, buf.bytes.len, ti->align, buf.relocs.data, buf.relocs.len);
    vec_free(&buf.bytes);
    vec_free(&buf.relocs);
    return s;
}

/* ---------------------------------------------------------------- module data */

void gen_module_data(Gen *g, ItemId id)
{
    FeItem *it = fe_item(g->c, id);
    if (it->kind == FE_ITEM_CONST && (it->cst.has_value || !it->cst.init))
        return;
    if (!g->item_sym[id] || !it->cst.init)
        return;
    const TyInfo *ti = gen_ty(g, it->cst.ty);
    ConstBuf buf = {0};
    uint32_t mark = g->module_data.len;
    bool ok = ti->cls != VC_UNSIZED && gen_const_eval(g, it->cst.init, &buf, true, g->item_sym[id]);
    if (!ok) {
        g->module_data.len = mark;
        if (it->kind == FE_ITEM_STATIC)
            gen_unsupported(g, it->span, "this static's initializer (only constant expressions)");
    } else if (ti->size || it->kind == FE_ITEM_STATIC) {
        if (!buf.bytes.len)
            buf_zero(&buf, 1);
        CodeData *d = arena_new(g->out, CodeData, 1);
        *d = code_data_make(g->out, g->item_sym[id], buf.bytes.data, buf.bytes.len, ti->align,
                            buf.relocs.data, buf.relocs.len);
        vec_push(&g->module_data, d);
        if (it->kind == FE_ITEM_CONST)
            g->const_data[id] = true;
    }
    vec_free(&buf.bytes);
    vec_free(&buf.relocs);
}

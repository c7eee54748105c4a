/*
 * backend/gen_expr.c — expressions: locations, simple operands, places, slices,
 * operators, assignments, aggregates, built-ins, and the dispatch of every kind.
 *
 * Every expression is generated against a destination: its value in rax (and rdx for
 * 16-byte values), stored at a stable location (aggregates always take this form), or
 * discarded. Place expressions (locals, fields, indexing, dereference, statics) yield a
 * Loc instead, which the consumer loads, copies or writes.
 *
 * Register discipline: rax/rdx carry values; rcx carries the base of a transient
 * location (LOC_REG) and right operands; r8 the high half of a 16-byte right operand;
 * r10/r11 load the pointer of an LOC_IND location; rdi/rsi/rcx serve `rep movsb`. No
 * value stays in a register across the evaluation of another expression: it is spilled
 * to a frame temporary first (gen_spill), unless the other expression is "simple" (a
 * constant or a read of a local in the frame, which touches no other register).
 *
 * Evaluation order is Rust's: operands left to right; for `a = b` and `a op= b` on
 * primitives the value first, then the place; struct literal fields in source order.
 */
#include "backend/gen.h"

#include <stdlib.h>
#include <string.h>

#define AS (&g->as)
#define X(id) gen_expr_node(g, (id))


/* ---------------------------------------------------------------- locations */

Loc gen_loc_frame(int32_t disp) { return (Loc){.kind = LOC_FRAME, .disp = disp}; }
static Loc loc_reg(X64Reg r, int32_t disp) { return (Loc){.kind = LOC_REG, .reg = (uint8_t)r, .disp = disp}; }
static Loc loc_sym(Sym s, int32_t disp) { return (Loc){.kind = LOC_SYM, .disp = disp, .sym = s}; }
static Loc loc_add(Loc l, int64_t off)
{
    l.disp += (int32_t)off;
    return l;
}

X64Mem gen_mem(Gen *g, Loc l, int32_t extra, X64Reg scratch)
{
    switch (l.kind) {
    case LOC_FRAME: return x64_mem(X64_RBP, l.disp + extra);
    case LOC_IND:
        x64_rm(AS, X64_MOV, 8, scratch, x64_mem(X64_RBP, l.slot));
        return x64_mem(scratch, l.disp + extra);
    case LOC_SYM: return x64_mem_sym(l.sym, l.disp + extra);
    default: return x64_mem((X64Reg)l.reg, l.disp + extra);
    }
}

void gen_lea(Gen *g, X64Reg reg, Loc l)
{
    if (l.kind == LOC_IND) {
        x64_rm(AS, X64_MOV, 8, reg, x64_mem(X64_RBP, l.slot));
        if (l.disp)
            x64_rm(AS, X64_LEA, 8, reg, x64_mem(reg, l.disp));
        return;
    }
    if (l.kind == LOC_REG && l.reg == reg && l.disp == 0)
        return;
    x64_rm(AS, X64_LEA, 8, reg, gen_mem(g, l, 0, reg));
}

Loc gen_stabilize(Gen *g, Loc l)
{
    if (l.kind != LOC_REG)
        return l;
    int32_t slot = gen_slot(g, 8, 8);
    gen_lea(g, X64_R11, l);
    x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, slot), X64_R11);
    return (Loc){.kind = LOC_IND, .slot = slot};
}

void gen_load_sized(Gen *g, X64Reg reg, int size, X64Mem m)
{
    switch (size) {
    case 1: x64_rm(AS, X64_MOVZX8, 4, reg, m); break;
    case 2: x64_rm(AS, X64_MOVZX16, 4, reg, m); break;
    case 4: x64_rm(AS, X64_MOV, 4, reg, m); break;
    default: x64_rm(AS, X64_MOV, 8, reg, m); break;
    }
}

void gen_load(Gen *g, TypeId ty, Loc l)
{
    const TyInfo *ti = gen_ty(g, ty);
    if (ti->cls == VC_SCALAR) {
        gen_load_sized(g, X64_RAX, (int)ti->size, gen_mem(g, l, 0, X64_R11));
    } else if (ti->cls == VC_PAIR) {
        X64Mem m = gen_mem(g, l, 0, X64_R11);
        X64Mem hi = m;
        hi.disp += 8;
        x64_rm(AS, X64_MOV, 8, X64_RDX, hi);
        x64_rm(AS, X64_MOV, 8, X64_RAX, m);
    } else if (ti->cls != VC_VOID) {
        die("load of an aggregate");
    }
}

void gen_store(Gen *g, TypeId ty, Loc l)
{
    const TyInfo *ti = gen_ty(g, ty);
    if (ti->cls == VC_SCALAR) {
        x64_mr(AS, X64_MOV, (int)ti->size, gen_mem(g, l, 0, X64_R11), X64_RAX);
    } else if (ti->cls == VC_PAIR) {
        X64Mem m = gen_mem(g, l, 0, X64_R11);
        x64_mr(AS, X64_MOV, 8, m, X64_RAX);
        m.disp += 8;
        x64_mr(AS, X64_MOV, 8, m, X64_RDX);
    } else if (ti->cls != VC_VOID) {
        die("store of an aggregate");
    }
}

void gen_copy(Gen *g, Loc dst, Loc src, uint64_t size)
{
    if (size == 0)
        return;
    if (size <= 64) {
        X64Mem ms = gen_mem(g, src, 0, X64_R10);
        X64Mem md = gen_mem(g, dst, 0, X64_R11);
        uint64_t off = 0;
        while (off < size) {
            int chunk = size - off >= 8 ? 8 : size - off >= 4 ? 4 : size - off >= 2 ? 2 : 1;
            X64Mem s = ms, d = md;
            s.disp += (int32_t)off;
            d.disp += (int32_t)off;
            x64_rm(AS, X64_MOV, chunk, X64_RAX, s);
            x64_mr(AS, X64_MOV, chunk, d, X64_RAX);
            off += (uint64_t)chunk;
        }
        return;
    }
    gen_lea(g, X64_RSI, src);  /* first: src may be based on rcx */
    gen_lea(g, X64_RDI, dst);
    x64_ri(AS, X64_MOV, 8, X64_RCX, (int64_t)size);
    x64_rep_movsb(AS);
}

Loc gen_spill(Gen *g, TypeId ty)
{
    const TyInfo *ti = gen_ty(g, ty);
    Loc l = gen_loc_frame(gen_slot(g, MAX(ti->size, 1), MAX(ti->align, 1u)));
    gen_store(g, ty, l);
    return l;
}

Loc gen_temp(Gen *g, TypeId ty)
{
    const TyInfo *ti = gen_ty(g, ty);
    return gen_loc_frame(gen_slot(g, ti->size, ti->align));
}

/* A constant of `size` bytes into reg (and hi for 16 bytes). */
static void load_const(Gen *g, X64Reg reg, X64Reg hi, uint64_t size, u128 v)
{
    if (size == 16) {
        x64_ri(AS, X64_MOV, 8, reg, (int64_t)(uint64_t)v);
        x64_ri(AS, X64_MOV, 8, hi, (int64_t)(uint64_t)(v >> 64));
    } else if (size == 8) {
        x64_ri(AS, X64_MOV, 8, reg, (int64_t)(uint64_t)v);
    } else {
        /* mov r32, imm32 (zero-extends; only the low bytes matter) */
        uint64_t mask = size >= 4 ? 0xffffffffu : ((uint64_t)1 << (8 * size)) - 1;
        x64_ri(AS, X64_MOV, 4, reg, (int64_t)((uint64_t)v & mask));
    }
}

void gen_load_imm(Gen *g, TypeId ty, u128 v) { load_const(g, X64_RAX, X64_RDX, gen_ty(g, ty)->size, v); }

void gen_finish(Gen *g, TypeId ty, Dest d)
{
    if (d.kind == DEST_MEM)
        gen_store(g, ty, d.loc);
}

/* ---------------------------------------------------------------- simple expressions */

static Loc local_loc(Gen *g, LocalId l)
{
    if (g->local_ind[l])
        return (Loc){.kind = LOC_IND, .slot = g->local_slot[l]};
    return gen_loc_frame(g->local_slot[l]);
}

static bool const_value(Gen *g, const FeExpr *e, u128 *v)
{
    if (e->kind == FE_EXPR_INT || e->kind == FE_EXPR_BOOL || e->kind == FE_EXPR_CHAR) {
        *v = e->value;
        return true;
    }
    if (e->kind == FE_EXPR_ITEM && e->item.krate == FE_LOCAL_CRATE) {
        const FeItem *it = fe_item(g->c, e->item.item);
        if (it->kind == FE_ITEM_CONST && it->cst.has_value) {
            *v = it->cst.value;
            return true;
        }
    }
    return false;
}

static ExprId strip_parens(Gen *g, ExprId id)
{
    while (X(id)->kind == FE_EXPR_PAREN)
        id = X(id)->a;
    return id;
}

bool gen_is_simple(Gen *g, ExprId id)
{
    id = strip_parens(g, id);
    const FeExpr *e = X(id);
    u128 v;
    const TyInfo *ti = gen_ty(g, e->ty);
    if (const_value(g, e, &v))
        return ti->cls == VC_SCALAR || ti->cls == VC_PAIR;
    switch (e->kind) {
    case FE_EXPR_STR: return true;
    case FE_EXPR_LOCAL: return (ti->cls == VC_SCALAR || ti->cls == VC_PAIR) && !g->local_ind[e->local];
    case FE_EXPR_COERCE:
        return (e->op == FE_COERCE_REBORROW || e->op == FE_COERCE_UNSIZE) && gen_is_simple(g, e->a);
    case FE_EXPR_REF: {
        ExprId a = strip_parens(g, e->a);
        return X(a)->kind == FE_EXPR_LOCAL && !g->local_ind[X(a)->local] &&
               gen_ty(g, X(a)->ty)->cls != VC_UNSIZED;
    }
    default: return false;
    }
}

bool gen_is_constant(Gen *g, ExprId id)
{
    id = strip_parens(g, id);
    u128 v;
    return const_value(g, X(id), &v) || X(id)->kind == FE_EXPR_STR;
}

/* Loads a simple expression into reg (and hi for 16-byte values), touching nothing else. */
void gen_load_simple(Gen *g, ExprId id, X64Reg reg, X64Reg hi)
{
    id = strip_parens(g, id);
    const FeExpr *e = X(id);
    const TyInfo *ti = gen_ty(g, e->ty);
    u128 v;
    if (const_value(g, e, &v)) {
        load_const(g, reg, hi, ti->size, v);
        return;
    }
    switch (e->kind) {
    case FE_EXPR_STR: {
        DataRef s = gen_str_data(g, e->str, e->n);
        x64_rm(AS, X64_LEA, 8, reg, x64_mem_sym(s.sym, s.off));
        if (!e->op)
            x64_ri(AS, X64_MOV, 8, hi, (int64_t)e->n);
        return;
    }
    case FE_EXPR_LOCAL: {
        X64Mem m = x64_mem(X64_RBP, g->local_slot[e->local]);
        if (ti->cls == VC_PAIR) {
            x64_rm(AS, X64_MOV, 8, reg, m);
            m.disp += 8;
            x64_rm(AS, X64_MOV, 8, hi, m);
        } else {
            gen_load_sized(g, reg, (int)ti->size, m);
        }
        return;
    }
    case FE_EXPR_COERCE:
        gen_load_simple(g, e->a, reg, hi);
        if (e->op == FE_COERCE_UNSIZE) {
            const FeType *from = gen_type(g, X(e->a)->ty);
            x64_ri(AS, X64_MOV, 8, hi, (int64_t)gen_type(g, from->inner)->len);
        }
        return;
    case FE_EXPR_REF:
        x64_rm(AS, X64_LEA, 8, reg, x64_mem(X64_RBP, g->local_slot[X(strip_parens(g, e->a))->local]));
        return;
    default:
        die("load_simple of a complex expression");
    }
}

Opnd gen_operand(Gen *g, ExprId whole)
{
    ExprId id = strip_parens(g, whole);
    const FeExpr *e = X(id);
    const TyInfo *ti = gen_ty(g, e->ty);
    u128 v;
    if (ti->size <= 8 && const_value(g, e, &v)) {
        int64_t imm;
        if (ti->size == 8)
            imm = (int64_t)(uint64_t)v;
        else if (ti->size == 4)
            imm = (int32_t)(uint32_t)v;
        else if (ti->size == 2)
            imm = (int16_t)(uint16_t)v;
        else
            imm = (int8_t)(uint8_t)v;
        if (imm >= INT32_MIN && imm <= INT32_MAX)
            return (Opnd){.kind = OPND_IMM, .imm = imm};
    }
    if (ti->size <= 8 && e->kind == FE_EXPR_LOCAL && !g->local_ind[e->local])
        return (Opnd){.kind = OPND_MEM, .mem = x64_mem(X64_RBP, g->local_slot[e->local])};
    if (gen_is_simple(g, id)) {
        gen_load_simple(g, id, X64_RCX, X64_R8);
    } else {
        gen_value(g, whole);  /* parentheses and all: they place the panic sites inside */
        x64_rr(AS, X64_MOV, 8, X64_RCX, X64_RAX);
        if (ti->size == 16)
            x64_rr(AS, X64_MOV, 8, X64_R8, X64_RDX);
    }
    return (Opnd){.kind = OPND_REG};
}

/* The right operand of a binary operator after the left one is in rax (rdx). */
static Opnd right_operand(Gen *g, ExprId a, ExprId b)
{
    if (gen_is_simple(g, b))
        return gen_operand(g, b);
    Loc t = gen_spill(g, X(a)->ty);
    gen_operand(g, b);  /* evaluated into rcx (r8) */
    gen_load(g, X(a)->ty, t);
    return (Opnd){.kind = OPND_REG};
}

/* ---------------------------------------------------------------- places */

static bool is_unsized(Gen *g, TypeId ty) { return gen_ty(g, ty)->cls == VC_UNSIZED; }

/* A pointer expression's value into rcx: the location of *e. */
static Loc deref_loc(Gen *g, ExprId ptr)
{
    if (gen_is_simple(g, ptr)) {
        gen_load_simple(g, ptr, X64_RCX, X64_RDX);
    } else {
        gen_value(g, ptr);
        x64_rr(AS, X64_MOV, 8, X64_RCX, X64_RAX);
    }
    return loc_reg(X64_RCX, 0);
}

/* rcx = base address + rax * elem_size (rax is a checked index). */
static Loc index_address(Gen *g, Loc base, uint64_t es)
{
    if (es == 0)
        return base;  /* zero-sized elements all live at the base */
    int scale = es == 1 || es == 2 || es == 4 || es == 8 ? (int)es : 1;
    if (scale == 1 && es != 1) {
        if (es <= INT32_MAX) {
            x64_imul_imm(AS, 8, X64_RAX, X64_RAX, (int32_t)es);
        } else {
            x64_movabs(AS, X64_RDX, es);
            x64_rr(AS, X64_IMUL, 8, X64_RAX, X64_RDX);
        }
    }
    switch (base.kind) {
    case LOC_FRAME:
        x64_rm(AS, X64_LEA, 8, X64_RCX, x64_mem_index(X64_RBP, X64_RAX, scale, base.disp));
        break;
    case LOC_SYM:
        x64_rm(AS, X64_LEA, 8, X64_RCX, x64_mem_sym(base.sym, base.disp));
        x64_rm(AS, X64_LEA, 8, X64_RCX, x64_mem_index(X64_RCX, X64_RAX, scale, 0));
        break;
    case LOC_REG:
        x64_rm(AS, X64_LEA, 8, X64_RCX, x64_mem_index((X64Reg)base.reg, X64_RAX, scale, base.disp));
        break;
    default:
        die("index of an unloaded base");
    }
    return loc_reg(X64_RCX, 0);
}

static Loc gen_index(Gen *g, ExprId id)
{
    FeExpr *e = X(id);
    ExprId a = e->a, b = e->b;
    uint64_t es = gen_ty(g, e->ty)->size;
    const FeType *bt = gen_type(g, X(a)->ty);
    uint32_t loc = 0;
    bool simple = gen_is_simple(g, b);
    if (bt->kind == FE_TYPE_ARRAY) {
        Loc base = gen_loc(g, a);
        uint64_t n = bt->len;
        if (simple) {
            if (base.kind == LOC_IND || (base.kind == LOC_REG && base.reg != X64_RCX)) {
                gen_lea(g, X64_RCX, base);
                base = loc_reg(X64_RCX, 0);
            }
            gen_load_simple(g, b, X64_RAX, X64_RDX);
        } else {
            base = gen_stabilize(g, base);
            gen_value(g, b);
            if (base.kind == LOC_IND) {
                x64_rm(AS, X64_MOV, 8, X64_RCX, x64_mem(X64_RBP, base.slot));
                base = loc_reg(X64_RCX, base.disp);
            }
        }
        loc = gen_site(g, id, false);
        if (n <= INT32_MAX) {
            x64_ri(AS, X64_CMP, 8, X64_RAX, (int64_t)n);
            x64_jcc(AS, X64_CC_AE, gen_stub_bounds(g, loc, STUB_LEN_IMM, (int64_t)n));
        } else {
            x64_movabs(AS, X64_RDX, n);
            x64_rr(AS, X64_CMP, 8, X64_RAX, X64_RDX);
            x64_jcc(AS, X64_CC_AE, gen_stub_bounds(g, loc, STUB_LEN_RDX, 0));
        }
        return index_address(g, base, es);
    }
    /* a slice place: its fat pointer */
    gen_unsized(g, a);
    if (simple) {
        x64_rr(AS, X64_MOV, 8, X64_RCX, X64_RAX);
        gen_load_simple(g, b, X64_RAX, X64_R8);
        loc = gen_site(g, id, false);
        x64_rr(AS, X64_CMP, 8, X64_RAX, X64_RDX);
        x64_jcc(AS, X64_CC_AE, gen_stub_bounds(g, loc, STUB_LEN_RDX, 0));
    } else {
        int32_t t = gen_slot(g, 16, 8);
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, t), X64_RAX);
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, t + 8), X64_RDX);
        gen_value(g, b);
        x64_rm(AS, X64_MOV, 8, X64_RCX, x64_mem(X64_RBP, t));
        loc = gen_site(g, id, false);
        x64_rm(AS, X64_CMP, 8, X64_RAX, x64_mem(X64_RBP, t + 8));
        x64_jcc(AS, X64_CC_AE, gen_stub_bounds(g, loc, STUB_LEN_SLOT, t + 8));
    }
    return index_address(g, loc_reg(X64_RCX, 0), es);
}

/* A const or static item used as a place, or 0-location when it has no memory. */
static bool item_place(Gen *g, ExprId id, Loc *out)
{
    const FeExpr *e = X(id);
    if (e->item.krate != FE_LOCAL_CRATE)
        return false;
    const FeItem *it = fe_item(g->c, e->item.item);
    if (it->kind == FE_ITEM_STATIC || (it->kind == FE_ITEM_CONST && g->const_data[e->item.item])) {
        *out = loc_sym(g->item_sym[e->item.item], 0);
        return true;
    }
    return false;
}

Loc gen_loc(Gen *g, ExprId id)
{
    FeExpr *e = X(id);
    switch (e->kind) {
    case FE_EXPR_LOCAL: return local_loc(g, e->local);
    case FE_EXPR_PAREN:
        return gen_loc(g, e->a);
    case FE_EXPR_FIELD: {
        uint64_t off = fe_field_offset(g->c, X(e->a)->ty, e->field);
        return loc_add(gen_loc(g, e->a), (int64_t)off);
    }
    case FE_EXPR_INDEX: return gen_index(g, id);
    case FE_EXPR_UNARY:
        if (e->op == FE_UN_DEREF)
            return deref_loc(g, e->a);
        break;
    case FE_EXPR_ITEM: {
        Loc l;
        if (item_place(g, id, &l))
            return l;
        break;
    }
    default:
        break;
    }
    const TyInfo *ti = gen_ty(g, e->ty);
    if (ti->cls == VC_VOID) {
        gen_discard(g, id);
        return gen_loc_frame(0);
    }
    if (ti->cls == VC_UNSIZED) {
        gen_unsupported(g, e->span, "an unsized value here");
        return gen_loc_frame(0);
    }
    Loc t = gen_temp(g, e->ty);
    gen_expr(g, id, dest_mem(t));
    return t;
}

/* Can the place be located without evaluating anything (a local and its fields)? */
static bool place_is_fixed(Gen *g, ExprId id)
{
    const FeExpr *e = X(id);
    switch (e->kind) {
    case FE_EXPR_LOCAL: return true;
    case FE_EXPR_PAREN: return place_is_fixed(g, e->a);
    case FE_EXPR_FIELD: return place_is_fixed(g, e->a);
    default: return false;
    }
}

/* ---------------------------------------------------------------- slices */

static void slice_fail_end(Gen *g, uint32_t loc, int32_t end_slot, int32_t len_slot)
{
    static const char *const p[] = {"range end index ", " out of range for slice of length "};
    int32_t s[] = {end_slot, len_slot};
    gen_panic_usizes(g, loc, p, 2, s, 2);
}

void gen_unsized(Gen *g, ExprId id)
{
    FeExpr *e = X(id);
    switch (e->kind) {
    case FE_EXPR_PAREN:
        gen_unsized(g, e->a);
        return;
    case FE_EXPR_UNARY:
        if (e->op == FE_UN_DEREF) {
            gen_value(g, e->a);
            return;
        }
        break;
    case FE_EXPR_INDEX: {
        const FeExpr *r = X(e->b);
        if (r->kind != FE_EXPR_RANGE)
            break;
        uint64_t es = gen_ty(g, gen_type(g, e->ty)->inner)->size;  /* e is a [T] */
        const FeType *bt = gen_type(g, X(e->a)->ty);
        /* base pointer and length */
        int32_t t = gen_slot(g, 16, 8);
        if (bt->kind == FE_TYPE_ARRAY) {
            Loc base = gen_loc(g, e->a);
            gen_lea(g, X64_RAX, base);
            x64_ri(AS, X64_MOV, 8, X64_RDX, (int64_t)bt->len);
        } else {
            gen_unsized(g, e->a);
        }
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, t), X64_RAX);
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, t + 8), X64_RDX);
        int32_t lo = gen_slot(g, 8, 8), hi = gen_slot(g, 8, 8);
        e = X(id);
        r = X(e->b);
        ExprId rhi = r->b;
        bool incl = (r->flags & FE_EXPR_INCLUSIVE) != 0;
        if (r->a)
            gen_value(g, r->a);
        else
            x64_rr(AS, X64_XOR, 4, X64_RAX, X64_RAX);
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, lo), X64_RAX);
        /* rustc locates a failed slicing at the `[` (Index::index is #[track_caller]) */
        uint32_t loc = gen_site(g, id, true);
        if (rhi) {
            gen_value(g, rhi);
            if (incl) {
                X64Label ok = x64_label(AS);
                x64_ri(AS, X64_CMP, 8, X64_RAX, -1);
                x64_jcc(AS, X64_CC_NE, ok);
                static const char *const p[] = {"attempted to index slice up to maximum usize"};
                gen_panic_usizes(g, loc, p, 1, NULL, 0);
                x64_bind(AS, ok);
                x64_ri(AS, X64_ADD, 8, X64_RAX, 1);
            }
        } else {
            x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem(X64_RBP, t + 8));
        }
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, hi), X64_RAX);
        X64Label ok1 = x64_label(AS), ok2 = x64_label(AS);
        if (r->a && rhi) {
            /* start > end: "slice index starts at S but ends at E" */
            x64_rm(AS, X64_CMP, 8, X64_RAX, x64_mem(X64_RBP, lo));
            x64_jcc(AS, X64_CC_AE, ok1);
            static const char *const p[] = {"slice index starts at ", " but ends at "};
            int32_t s[] = {lo, hi};
            gen_panic_usizes(g, loc, p, 2, s, 2);
        } else if (r->a) {
            /* lo.. : "range start index S out of range for slice of length L" */
            x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem(X64_RBP, lo));
            x64_rm(AS, X64_CMP, 8, X64_RAX, x64_mem(X64_RBP, t + 8));
            x64_jcc(AS, X64_CC_BE, ok1);
            static const char *const p[] = {"range start index ", " out of range for slice of length "};
            int32_t s[] = {lo, t + 8};
            gen_panic_usizes(g, loc, p, 2, s, 2);
        }
        x64_bind(AS, ok1);
        x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem(X64_RBP, hi));
        x64_rm(AS, X64_CMP, 8, X64_RAX, x64_mem(X64_RBP, t + 8));
        x64_jcc(AS, X64_CC_BE, ok2);
        slice_fail_end(g, loc, hi, t + 8);
        x64_bind(AS, ok2);
        /* ptr + lo * es, hi - lo */
        x64_rm(AS, X64_MOV, 8, X64_RDX, x64_mem(X64_RBP, hi));
        x64_rm(AS, X64_MOV, 8, X64_RCX, x64_mem(X64_RBP, lo));
        x64_rr(AS, X64_SUB, 8, X64_RDX, X64_RCX);
        if (es != 1)
            x64_imul_imm(AS, 8, X64_RCX, X64_RCX, (int32_t)es);
        x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem(X64_RBP, t));
        x64_rr(AS, X64_ADD, 8, X64_RAX, X64_RCX);
        return;
    }
    default:
        break;
    }
    gen_unsupported(g, e->span, "this unsized place");
    x64_rr(AS, X64_XOR, 4, X64_RAX, X64_RAX);
    x64_rr(AS, X64_XOR, 4, X64_RDX, X64_RDX);
}

/* ---------------------------------------------------------------- references */

static void gen_ref(Gen *g, ExprId id, Dest d)
{
    FeExpr *e = X(id);
    ExprId a = e->a;
    if (is_unsized(g, X(a)->ty)) {
        gen_unsized(g, a);
    } else {
        DataRef promoted = {0, 0};
        if (!(e->flags & FE_EXPR_MUT))
            promoted = gen_promote(g, a);
        if (promoted.sym)
            x64_rm(AS, X64_LEA, 8, X64_RAX, x64_mem_sym(promoted.sym, promoted.off));
        else
            gen_lea(g, X64_RAX, gen_loc(g, a));
    }
    gen_finish(g, X(id)->ty, d);
}

/* ---------------------------------------------------------------- operators */

static bool scalar_compare(Gen *g, TypeId ty)
{
    const FeType *t = gen_type(g, ty);
    return (t->kind == FE_TYPE_INT && gen_ty(g, ty)->size <= 8) || t->kind == FE_TYPE_BOOL ||
           t->kind == FE_TYPE_CHAR;
}

static bool is_cmp(int op) { return op >= FE_BIN_EQ && op <= FE_BIN_GT; }

Loc gen_operand_loc(Gen *g, ExprId id)
{
    const TyInfo *ti = gen_ty(g, X(id)->ty);
    if (ti->cls == VC_MEM || ti->cls == VC_VOID)
        return gen_stabilize(g, gen_loc(g, id));
    if (ti->cls == VC_UNSIZED) {  /* `*s` of a &str: its fat pointer stands for it */
        gen_unsized(g, id);
        Loc t = gen_loc_frame(gen_slot(g, 16, 8));
        x64_mr(AS, X64_MOV, 8, gen_mem(g, t, 0, X64_R11), X64_RAX);
        x64_mr(AS, X64_MOV, 8, gen_mem(g, t, 8, X64_R11), X64_RDX);
        return t;
    }
    gen_value(g, id);
    return gen_spill(g, X(id)->ty);
}

/* a OP b for a comparison of values in memory; the result (bool) in al. */
static void compare_general(Gen *g, ExprId id)
{
    FeExpr *e = X(id);
    int op = e->op;
    TypeId ty = X(e->a)->ty;
    ExprId b = e->b;
    Loc la = gen_operand_loc(g, e->a);
    Loc lb = gen_operand_loc(g, b);
    X64Label end = x64_label(AS);
    if (op == FE_BIN_EQ || op == FE_BIN_NE) {
        X64Label ne = x64_label(AS);
        gen_eq_mem(g, ty, la, lb, ne);
        x64_ri(AS, X64_MOV, 4, X64_RAX, op == FE_BIN_EQ);
        x64_jmp(AS, end);
        x64_bind(AS, ne);
        x64_ri(AS, X64_MOV, 4, X64_RAX, op == FE_BIN_NE);
    } else {
        X64Label lt = x64_label(AS), gt = x64_label(AS);
        gen_cmp_mem(g, ty, la, lb, lt, gt);
        x64_ri(AS, X64_MOV, 4, X64_RAX, op == FE_BIN_LE || op == FE_BIN_GE);
        x64_jmp(AS, end);
        x64_bind(AS, lt);
        x64_ri(AS, X64_MOV, 4, X64_RAX, op == FE_BIN_LT || op == FE_BIN_LE);
        x64_jmp(AS, end);
        x64_bind(AS, gt);
        x64_ri(AS, X64_MOV, 4, X64_RAX, op == FE_BIN_GT || op == FE_BIN_GE);
    }
    x64_bind(AS, end);
}

/* A scalar comparison: flags set, returns the condition that holds when it is true. */
static X64Cond compare_scalar(Gen *g, ExprId id)
{
    FeExpr *e = X(id);
    ExprId a = e->a, b = e->b;
    int op = e->op;
    TypeId ty = X(a)->ty;
    gen_value(g, a);
    Opnd r = right_operand(g, a, b);
    return gen_compare(g, op, ty, r);
}

static void gen_binary(Gen *g, ExprId id, Dest d)
{
    FeExpr *e = X(id);
    int op = e->op;
    if (op == FE_BIN_AND || op == FE_BIN_OR) {
        X64Label f = x64_label(AS), end = x64_label(AS);
        gen_cond(g, id, false, f);
        x64_ri(AS, X64_MOV, 4, X64_RAX, 1);
        x64_jmp(AS, end);
        x64_bind(AS, f);
        x64_rr(AS, X64_XOR, 4, X64_RAX, X64_RAX);
        x64_bind(AS, end);
    } else if (is_cmp(op)) {
        if (scalar_compare(g, X(e->a)->ty))
            x64_setcc(AS, compare_scalar(g, id), X64_RAX);
        else
            compare_general(g, id);
    } else {
        ExprId a = e->a, b = e->b;
        TypeId lt = X(a)->ty, rt = X(b)->ty;
        const TyInfo *li = gen_ty(g, lt), *ri = gen_ty(g, rt);
        Opnd r;
        if (li->size <= 8 && ri->size <= 8 && !gen_is_simple(g, b) && gen_is_constant(g, a)) {
            gen_operand(g, b);  /* into rcx */
            gen_load_simple(g, a, X64_RAX, X64_RDX);
            r = (Opnd){.kind = OPND_REG};
        } else {
            gen_value(g, a);
            r = right_operand(g, a, b);
        }
        gen_binop(g, op, lt, rt, r, id);
    }
    gen_finish(g, X(id)->ty, d);
}

void gen_cond(Gen *g, ExprId id, bool jump_if, X64Label target)
{
    FeExpr *e = X(id);
    switch (e->kind) {
    case FE_EXPR_PAREN:
        gen_cond(g, e->a, jump_if, target);
        return;
    case FE_EXPR_BOOL:
        if ((e->value != 0) == jump_if)
            x64_jmp(AS, target);
        return;
    case FE_EXPR_UNARY:
        if (e->op == FE_UN_NOT && gen_type(g, e->ty)->kind == FE_TYPE_BOOL) {
            gen_cond(g, e->a, !jump_if, target);
            return;
        }
        break;
    case FE_EXPR_BINARY:
        if (e->op == FE_BIN_AND || e->op == FE_BIN_OR) {
            bool and = e->op == FE_BIN_AND;
            ExprId b = e->b;
            if (and == jump_if) {
                X64Label skip = x64_label(AS);
                gen_cond(g, e->a, !jump_if, skip);
                gen_cond(g, b, jump_if, target);
                x64_bind(AS, skip);
            } else {
                gen_cond(g, e->a, jump_if, target);
                gen_cond(g, b, jump_if, target);
            }
            return;
        }
        if (is_cmp(e->op) && scalar_compare(g, X(e->a)->ty)) {
            X64Cond cc = compare_scalar(g, id);
            x64_jcc(AS, jump_if ? cc : (X64Cond)(cc ^ 1), target);
            return;
        }
        break;
    default:
        break;
    }
    gen_value(g, id);
    x64_rr(AS, X64_TEST, 1, X64_RAX, X64_RAX);
    x64_jcc(AS, jump_if ? X64_CC_NE : X64_CC_E, target);
}

static void gen_unary(Gen *g, ExprId id, Dest d)
{
    FeExpr *e = X(id);
    if (e->op == FE_UN_NEG) {
        const FeExpr *lit = X(e->a);
        if (lit->kind == FE_EXPR_INT && (lit->flags & FE_EXPR_NEG_LIT)) {
            gen_load_imm(g, e->ty, -lit->value);
            gen_finish(g, e->ty, d);
            return;
        }
    }
    gen_value(g, e->a);
    gen_unop(g, X(id)->op, X(id)->ty, id);
    gen_finish(g, X(id)->ty, d);
}

static void gen_assign(Gen *g, ExprId id)
{
    FeExpr *e = X(id);
    ExprId a = e->a, b = e->b;
    TypeId ty = X(a)->ty;
    const TyInfo *ti = gen_ty(g, ty);
    switch (ti->cls) {
    case VC_VOID:
        gen_discard(g, b);
        gen_loc(g, a);
        break;
    case VC_SCALAR: case VC_PAIR:
        gen_value(g, b);
        if (place_is_fixed(g, a)) {
            gen_store(g, ty, gen_loc(g, a));
        } else {
            Loc t = gen_spill(g, ty);
            Loc l = gen_loc(g, a);
            gen_load(g, ty, t);
            gen_store(g, ty, l);
        }
        break;
    default: {
        Loc t = gen_temp(g, ty);
        gen_expr(g, b, dest_mem(t));
        Loc l = gen_loc(g, a);
        gen_copy(g, l, t, ti->size);
        break;
    }
    }
}

static void gen_assign_op(Gen *g, ExprId id)
{
    FeExpr *e = X(id);
    ExprId a = e->a, b = e->b;
    int op = e->op;
    TypeId lt = X(a)->ty, rt = X(b)->ty;
    const TyInfo *li = gen_ty(g, lt), *ri = gen_ty(g, rt);
    gen_value(g, b);
    Loc l;
    if (place_is_fixed(g, a) && li->size <= 8 && ri->size <= 8) {
        x64_rr(AS, X64_MOV, 8, X64_RCX, X64_RAX);
        l = gen_loc(g, a);
    } else {
        Loc t = gen_spill(g, rt);
        l = gen_stabilize(g, gen_loc(g, a));
        x64_rm(AS, X64_MOV, 8, X64_RCX, gen_mem(g, t, 0, X64_R10));
        if (ri->size == 16)
            x64_rm(AS, X64_MOV, 8, X64_R8, gen_mem(g, t, 8, X64_R10));
    }
    gen_load(g, lt, l);
    gen_binop(g, op, lt, rt, (Opnd){.kind = OPND_REG}, id);
    gen_store(g, lt, l);
}

/* ---------------------------------------------------------------- aggregates */

/* A field initializer and its field, ordered by where the initializer was written. */
typedef struct FieldInit {
    uint32_t lo;     /* source position */
    uint32_t field;
} FieldInit;

static int cmp_field_init(const void *x, const void *y)
{
    uint32_t a = ((const FieldInit *)x)->lo, b = ((const FieldInit *)y)->lo;
    return a < b ? -1 : a > b;
}

/* Struct literals, tuples and arrays, element by element into d (a stable location). */
static void gen_aggregate(Gen *g, ExprId id, Loc d)
{
    FeExpr *e = X(id);
    TypeId ty = e->ty;
    uint32_t n = e->n;
    if (e->kind == FE_EXPR_REPEAT) {
        const FeType *t = gen_type(g, ty);
        uint64_t es = gen_ty(g, t->inner)->size, count = t->len;
        ExprId elem = e->a;
        if (count == 0) {
            gen_discard(g, elem);
            return;
        }
        u128 v;
        const TyInfo *ei = gen_ty(g, t->inner);
        if (ei->cls == VC_SCALAR && gen_const_scalar(g, elem, &v)) {
            /* a constant element: rep stos of its bytes (zero: of bytes) */
            int unit = v == 0 ? 1 : (int)es;
            gen_lea(g, X64_RDI, d);
            x64_ri(AS, X64_MOV, 8, X64_RCX, (int64_t)(count * es / (uint64_t)unit));
            if (v == 0)
                x64_rr(AS, X64_XOR, 4, X64_RAX, X64_RAX);
            else
                gen_load_imm(g, t->inner, v);
            x64_rep_stos(AS, unit);
            return;
        }
        gen_expr(g, elem, dest_mem(d));
        if (count > 1 && es) {
            /* replicate element 0 forwards (an overlapping byte copy repeats it) */
            gen_lea(g, X64_RSI, d);
            x64_rm(AS, X64_LEA, 8, X64_RDI, x64_mem(X64_RSI, (int32_t)es));
            uint64_t rest = (count - 1) * es;
            x64_ri(AS, X64_MOV, 8, X64_RCX, (int64_t)rest);
            x64_rep_movsb(AS);
        }
        return;
    }
    /* struct fields in the order they were written (Rust evaluates them so) */
    FieldInit order_buf[32];
    FieldInit *order = n <= 32 ? order_buf : arena_new(&g->scratch, FieldInit, n);
    for (uint32_t i = 0; i < n; i++)
        order[i] = (FieldInit){X(e->args[i])->span.lo, i};
    if (e->kind == FE_EXPR_STRUCT)
        qsort(order, n, sizeof(FieldInit), cmp_field_init);
    const FeType *t = gen_type(g, ty);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = order[k].field;
        ExprId a = X(id)->args[i];
        uint64_t off;
        if (t->kind == FE_TYPE_ARRAY)
            off = (uint64_t)i * gen_ty(g, t->inner)->size;
        else
            off = fe_field_offset(g->c, ty, i);
        gen_expr(g, a, dest_mem(loc_add(d, (int64_t)off)));
        t = gen_type(g, ty);
    }
}

/* ---------------------------------------------------------------- built-ins */

static void gen_builtin(Gen *g, ExprId id, Dest d)
{
    FeExpr *e = X(id);
    switch (e->op) {
    case FE_BUILTIN_LEN: {
        ExprId arg = e->args[0];
        const FeType *rt = gen_type(g, X(arg)->ty);
        const FeType *inner = gen_type(g, rt->inner);
        if (inner->kind == FE_TYPE_ARRAY) {
            if (!gen_is_simple(g, arg))
                gen_discard(g, arg);
            x64_ri(AS, X64_MOV, 8, X64_RAX, (int64_t)inner->len);
        } else {
            gen_value(g, arg);
            x64_rr(AS, X64_MOV, 8, X64_RAX, X64_RDX);
        }
        gen_finish(g, X(id)->ty, d);
        return;
    }
    case FE_BUILTIN_CLONE: {
        TypeId ty = e->ty;
        const TyInfo *ti = gen_ty(g, ty);
        Loc src = deref_loc(g, e->args[0]);
        if (ti->cls == VC_MEM) {
            if (d.kind == DEST_MEM)
                gen_copy(g, d.loc, src, ti->size);
        } else {
            gen_load(g, ty, src);
            gen_finish(g, ty, d);
        }
        return;
    }
    case FE_BUILTIN_EXIT:
        gen_value(g, e->args[0]);
        x64_rr(AS, X64_MOV, 4, X64_RDI, X64_RAX);
        x64_call(AS, g->rt[RTS_EXIT]);
        x64_ud2(AS);
        return;
    default:
        gen_unsupported(g, e->span, "this built-in function");
    }
}

/* ---------------------------------------------------------------- dispatch */

static void gen_item_value(Gen *g, ExprId id, Dest d)
{
    FeExpr *e = X(id);
    if (e->item.krate != FE_LOCAL_CRATE) {
        gen_unsupported(g, e->span, "items of other crates");
        return;
    }
    const FeItem *it = fe_item(g->c, e->item.item);
    if (it->kind == FE_ITEM_CONST && it->cst.has_value) {
        gen_load_imm(g, e->ty, it->cst.value);
        gen_finish(g, e->ty, d);
        return;
    }
    if (it->kind == FE_ITEM_CONST && !g->const_data[e->item.item]) {
        gen_expr(g, it->cst.init, d);  /* a constant is its initializer at every use */
        return;
    }
    Loc l;
    if (!item_place(g, id, &l)) {
        gen_unsupported(g, e->span, "this item as a value");
        return;
    }
    const TyInfo *ti = gen_ty(g, e->ty);
    if (ti->cls == VC_MEM) {
        if (d.kind == DEST_MEM)
            gen_copy(g, d.loc, l, ti->size);
    } else if (d.kind != DEST_NONE) {
        gen_load(g, e->ty, l);
        gen_finish(g, e->ty, d);
    }
}

void gen_expr(Gen *g, ExprId id, Dest d)
{
    FeExpr *e = X(id);
    TypeId ty = e->ty;
    const TyInfo *ti = gen_ty(g, ty);
    if (!AS->reachable)
        return;
    switch (e->kind) {
    case FE_EXPR_INT: case FE_EXPR_BOOL: case FE_EXPR_CHAR:
        if (d.kind != DEST_NONE) {
            gen_load_imm(g, ty, e->value);
            gen_finish(g, ty, d);
        }
        return;
    case FE_EXPR_STR:
        if (d.kind != DEST_NONE) {
            gen_load_simple(g, id, X64_RAX, X64_RDX);
            gen_finish(g, ty, d);
        }
        return;
    case FE_EXPR_ITEM: gen_item_value(g, id, d); return;
    case FE_EXPR_UNARY:
        if (e->op != FE_UN_DEREF) {
            gen_unary(g, id, d);
            return;
        }
        break;
    case FE_EXPR_REF: gen_ref(g, id, d); return;
    case FE_EXPR_BINARY: gen_binary(g, id, d); return;
    case FE_EXPR_ASSIGN: gen_assign(g, id); return;
    case FE_EXPR_ASSIGN_OP: gen_assign_op(g, id); return;
    case FE_EXPR_CALL: case FE_EXPR_METHOD_CALL: {
        Loc t;
        const Loc *dl = NULL;
        if (ti->cls == VC_MEM) {
            t = d.kind == DEST_MEM ? d.loc : gen_temp(g, ty);
            dl = &t;
        }
        gen_call(g, e->item, e->args, e->n, ty, dl);
        if (ti->cls != VC_MEM)
            gen_finish(g, ty, d);
        return;
    }
    case FE_EXPR_BUILTIN: gen_builtin(g, id, d); return;
    case FE_EXPR_CAST:
        gen_value(g, e->a);
        gen_cast(g, X(X(id)->a)->ty, ty);
        gen_finish(g, ty, d);
        return;
    case FE_EXPR_BLOCK: gen_block(g, id, d); return;
    case FE_EXPR_IF: gen_if(g, id, d); return;
    case FE_EXPR_LOOP: gen_loop(g, id, d); return;
    case FE_EXPR_WHILE: gen_while(g, id); return;
    case FE_EXPR_FOR: gen_for(g, id); return;
    case FE_EXPR_BREAK: case FE_EXPR_CONTINUE: gen_break(g, id); return;
    case FE_EXPR_RETURN: gen_return(g, e->a); return;
    case FE_EXPR_STRUCT: case FE_EXPR_TUPLE: case FE_EXPR_ARRAY: case FE_EXPR_REPEAT:
        if (ti->cls == VC_VOID) {
            for (uint32_t i = 0; i < X(id)->n; i++)
                gen_discard(g, X(id)->args[i]);
            if (e->kind == FE_EXPR_REPEAT)
                gen_discard(g, e->a);
            return;
        }
        gen_aggregate(g, id, d.kind == DEST_MEM ? d.loc : gen_temp(g, ty));
        return;
    case FE_EXPR_PAREN:
        gen_expr(g, e->a, d);
        return;
    case FE_EXPR_COERCE:
        switch (e->op) {
        case FE_COERCE_UNSIZE: {
            const FeType *from = gen_type(g, X(e->a)->ty);
            uint64_t len = gen_type(g, from->inner)->len;
            gen_value(g, e->a);
            x64_ri(AS, X64_MOV, 8, X64_RDX, (int64_t)len);
            gen_finish(g, ty, d);
            return;
        }
        case FE_COERCE_REBORROW: gen_expr(g, e->a, d); return;
        default: gen_discard(g, e->a); return;
        }
    case FE_EXPR_MACRO: gen_macro(g, id); return;
    case FE_EXPR_LOCAL: case FE_EXPR_FIELD: case FE_EXPR_INDEX:
        break;
    default:
        gen_unsupported(g, e->span, "this expression");
        return;
    }
    /* places: locals, fields, indexing, dereference */
    Loc l = gen_loc(g, id);
    if (d.kind == DEST_NONE || ti->cls == VC_VOID)
        return;
    if (ti->cls == VC_MEM) {
        if (d.kind != DEST_MEM)
            die("aggregate value into registers");
        gen_copy(g, d.loc, l, ti->size);
        return;
    }
    gen_load(g, ty, l);
    gen_finish(g, ty, d);
}

void gen_value(Gen *g, ExprId e) { gen_expr(g, e, dest_value); }
void gen_into(Gen *g, ExprId e, Loc dest) { gen_expr(g, e, dest_mem(dest)); }
void gen_discard(Gen *g, ExprId e) { gen_expr(g, e, dest_none); }

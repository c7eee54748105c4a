/*
 * backend/gen_arith.c — operators with rustc's debug-build checks, casts, comparisons
 * of values in memory, and the out-of-line panic stubs.
 *
 * Checks, as rustc's MIR asserts them: `+ - *` overflow (jo for signed types, jc for
 * unsigned ones, at the operand's own width so the flags are the type's); `/ %` by zero
 * first, then MIN / -1 for signed types; `-x` of MIN; shifts whose amount, read as the
 * unsigned type of its own width, is not below the left operand's bit width. 128-bit
 * add/sub/neg/shifts/comparisons are inline; 128-bit mul/div/rem call the runtime's
 * checked helpers (rt.h), which panic at the location they are given.
 *
 * A failing check jumps to a stub after the function's epilogue: `lea rdi, [rip+loc]`,
 * for bounds checks the index and length in rsi/rdx, and a call of the runtime's panic
 * (which does not return).
 */
#include "backend/gen.h"

#define AS (&g->as)
#define X(id) gen_expr_node(g, (id))

static const FeType *T(Gen *g, TypeId ty) { return gen_type(g, ty); }

/* ---------------------------------------------------------------- stubs */

void gen_emit_stubs(Gen *g)
{
    for (uint32_t i = 0; i < g->stubs.len; i++) {
        Stub s = g->stubs.data[i];
        x64_bind(AS, s.label);
        if (s.rt == RTS_PANIC_BOUNDS) {
            x64_rr(AS, X64_MOV, 8, X64_RSI, X64_RAX);
            if (s.len_kind == STUB_LEN_IMM)
                x64_ri(AS, X64_MOV, 8, X64_RDX, s.len);
            else if (s.len_kind == STUB_LEN_SLOT)
                x64_rm(AS, X64_MOV, 8, X64_RDX, x64_mem(X64_RBP, (int32_t)s.len));
        }
        x64_rm(AS, X64_LEA, 8, X64_RDI, x64_mem_loc(s.loc));
        x64_call(AS, g->rt[s.rt]);
        x64_ud2(AS);
    }
}

static void check(Gen *g, X64Cond cc, RtSymId rt, ExprId site)
{
    uint32_t loc = gen_site(g, site, false);
    x64_jcc(AS, cc, gen_stub(g, rt, loc));
}

/* ---------------------------------------------------------------- helpers */

/* Moves the right operand into rcx when the operation needs a register. */
static void opnd_to_rcx(Gen *g, Opnd *r, int size)
{
    if (r->kind == OPND_IMM)
        x64_ri(AS, X64_MOV, 8, X64_RCX, r->imm);
    else if (r->kind == OPND_MEM)
        x64_rm(AS, size == 8 ? X64_MOV : size == 4 ? X64_MOV : size == 2 ? X64_MOVZX16 : X64_MOVZX8,
               size >= 4 ? size : 4, X64_RCX, r->mem);
    r->kind = OPND_REG;
}

/* op rax, rhs at size. */
static void alu(Gen *g, X64Op op, int size, Opnd r)
{
    switch (r.kind) {
    case OPND_IMM: x64_ri(AS, op, size, X64_RAX, r.imm); break;
    case OPND_MEM: x64_rm(AS, op, size, X64_RAX, r.mem); break;
    default: x64_rr(AS, op, size, X64_RAX, X64_RCX); break;
    }
}

/* Sign- or zero-extends the low `size` bytes of reg to 64 bits. */
static void extend(Gen *g, X64Reg reg, int size, bool sign)
{
    switch (size) {
    case 1: x64_rr(AS, sign ? X64_MOVSX8 : X64_MOVZX8, sign ? 8 : 4, reg, reg); break;
    case 2: x64_rr(AS, sign ? X64_MOVSX16 : X64_MOVZX16, sign ? 8 : 4, reg, reg); break;
    case 4:
        if (sign)
            x64_rr(AS, X64_MOVSXD, 8, reg, reg);
        else
            x64_rr(AS, X64_MOV, 4, reg, reg);
        break;
    default: break;
    }
}

/* ---------------------------------------------------------------- shifts */

void gen_shift_check(Gen *g, TypeId rt, uint32_t bits, bool left, ExprId site)
{
    const TyInfo *ri = gen_ty(g, rt);
    RtSymId p = left ? RTS_PANIC_SHL : RTS_PANIC_SHR;
    if (ri->size == 16) {
        X64Label bad = gen_stub(g, p, gen_site(g, site, false));
        x64_rr(AS, X64_TEST, 8, X64_R8, X64_R8);
        x64_jcc(AS, X64_CC_NE, bad);
        x64_ri(AS, X64_CMP, 8, X64_RCX, bits);
        x64_jcc(AS, X64_CC_AE, bad);
        return;
    }
    int rs = (int)ri->size;
    /* an amount of 1 byte compares as a byte (an imm8 up to 255 fits `cmp cl, imm8`) */
    x64_ri(AS, X64_CMP, rs, X64_RCX, bits);
    check(g, X64_CC_AE, p, site);
}

/* Is the constant amount (of type rt) below bits? */
static bool imm_shift_ok(Gen *g, TypeId rt, int64_t imm, uint32_t bits)
{
    uint64_t size = gen_ty(g, rt)->size;
    uint64_t v = size >= 8 ? (uint64_t)imm : (uint64_t)imm & (((uint64_t)1 << (8 * size)) - 1);
    return v < bits;
}

static void shift128(Gen *g, int op, bool sign)
{
    /* amount in cl (< 128) */
    X64Label done = x64_label(AS);
    if (op == FE_BIN_SHL) {
        x64_shld_cl(AS, X64_RDX, X64_RAX);
        x64_r(AS, X64_SHL, 8, X64_RAX);
        x64_ri(AS, X64_TEST, 1, X64_RCX, 64);
        x64_jcc(AS, X64_CC_E, done);
        x64_rr(AS, X64_MOV, 8, X64_RDX, X64_RAX);
        x64_rr(AS, X64_XOR, 4, X64_RAX, X64_RAX);
    } else {
        x64_shrd_cl(AS, X64_RAX, X64_RDX);
        x64_r(AS, sign ? X64_SAR : X64_SHR, 8, X64_RDX);
        x64_ri(AS, X64_TEST, 1, X64_RCX, 64);
        x64_jcc(AS, X64_CC_E, done);
        x64_rr(AS, X64_MOV, 8, X64_RAX, X64_RDX);
        if (sign)
            x64_ri(AS, X64_SAR, 8, X64_RDX, 63);
        else
            x64_rr(AS, X64_XOR, 4, X64_RDX, X64_RDX);
    }
    x64_bind(AS, done);
}

static void gen_shift(Gen *g, int op, TypeId lt, TypeId rt, Opnd r, ExprId site)
{
    const TyInfo *li = gen_ty(g, lt);
    uint32_t bits = (uint32_t)li->size * 8;
    bool left = op == FE_BIN_SHL;
    if (r.kind == OPND_IMM && gen_ty(g, rt)->size <= 8) {
        if (!imm_shift_ok(g, rt, r.imm, bits)) {
            x64_jmp(AS, gen_stub(g, left ? RTS_PANIC_SHL : RTS_PANIC_SHR, gen_site(g, site, false)));
            return;
        }
        uint32_t n = (uint32_t)r.imm;
        if (li->size == 16) {
            x64_ri(AS, X64_MOV, 4, X64_RCX, n);
            shift128(g, op, li->sign);
        } else if (n) {
            x64_ri(AS, left ? X64_SHL : li->sign ? X64_SAR : X64_SHR, (int)li->size, X64_RAX, n);
        }
        return;
    }
    opnd_to_rcx(g, &r, (int)gen_ty(g, rt)->size);
    gen_shift_check(g, rt, bits, left, site);
    if (li->size == 16)
        shift128(g, op, li->sign);
    else
        x64_r(AS, left ? X64_SHL : li->sign ? X64_SAR : X64_SHR, (int)li->size, X64_RAX);
}

/* ---------------------------------------------------------------- 128-bit */

static void call128(Gen *g, RtSymId fn, ExprId site)
{
    /* rt_*128_*(loc, a, b): rdi = loc, rsi:rdx = a, rcx:r8 = b */
    uint32_t loc = gen_site(g, site, false);
    x64_rr(AS, X64_MOV, 8, X64_RSI, X64_RAX);
    x64_rm(AS, X64_LEA, 8, X64_RDI, x64_mem_loc(loc));
    x64_call(AS, g->rt[fn]);
}

static void binop128(Gen *g, int op, bool sign, ExprId site)
{
    switch (op) {
    case FE_BIN_ADD:
        x64_rr(AS, X64_ADD, 8, X64_RAX, X64_RCX);
        x64_rr(AS, X64_ADC, 8, X64_RDX, X64_R8);
        check(g, sign ? X64_CC_O : X64_CC_B, RTS_PANIC_ADD, site);
        break;
    case FE_BIN_SUB:
        x64_rr(AS, X64_SUB, 8, X64_RAX, X64_RCX);
        x64_rr(AS, X64_SBB, 8, X64_RDX, X64_R8);
        check(g, sign ? X64_CC_O : X64_CC_B, RTS_PANIC_SUB, site);
        break;
    case FE_BIN_MUL: call128(g, sign ? RTS_I128_MUL : RTS_U128_MUL, site); break;
    case FE_BIN_DIV: call128(g, sign ? RTS_I128_DIV : RTS_U128_DIV, site); break;
    case FE_BIN_REM: call128(g, sign ? RTS_I128_REM : RTS_U128_REM, site); break;
    case FE_BIN_BITAND:
        x64_rr(AS, X64_AND, 8, X64_RAX, X64_RCX);
        x64_rr(AS, X64_AND, 8, X64_RDX, X64_R8);
        break;
    case FE_BIN_BITOR:
        x64_rr(AS, X64_OR, 8, X64_RAX, X64_RCX);
        x64_rr(AS, X64_OR, 8, X64_RDX, X64_R8);
        break;
    case FE_BIN_BITXOR:
        x64_rr(AS, X64_XOR, 8, X64_RAX, X64_RCX);
        x64_rr(AS, X64_XOR, 8, X64_RDX, X64_R8);
        break;
    default:
        unreachable();
    }
}

/* ---------------------------------------------------------------- binary operators */

static void mul_div(Gen *g, int op, const TyInfo *ti, Opnd r, ExprId site)
{
    int size = (int)ti->size;
    bool sign = ti->sign;
    if (op == FE_BIN_MUL) {
        if (sign && size > 1) {
            if (r.kind == OPND_IMM)
                x64_imul_imm(AS, size, X64_RAX, X64_RAX, (int32_t)r.imm);
            else if (r.kind == OPND_MEM)
                x64_rm(AS, X64_IMUL, size, X64_RAX, r.mem);
            else
                x64_rr(AS, X64_IMUL, size, X64_RAX, X64_RCX);
        } else {
            /* one-operand mul/imul: rdx:rax (ax for bytes); OF/CF when the high half
             * is not the extension of the low one */
            if (r.kind == OPND_MEM)
                x64_m(AS, sign ? X64_IMUL : X64_MUL, size, r.mem);
            else {
                opnd_to_rcx(g, &r, size);
                x64_r(AS, sign ? X64_IMUL : X64_MUL, size, X64_RCX);
            }
        }
        check(g, X64_CC_O, RTS_PANIC_MUL, site);
        return;
    }
    bool div = op == FE_BIN_DIV;
    bool nonzero = r.kind == OPND_IMM && r.imm != 0, not_minus1 = r.kind == OPND_IMM && r.imm != -1;
    opnd_to_rcx(g, &r, size);
    if (!nonzero) {
        x64_rr(AS, X64_TEST, size, X64_RCX, X64_RCX);
        check(g, X64_CC_E, div ? RTS_PANIC_DIV0 : RTS_PANIC_REM0, site);
    }
    if (sign && !not_minus1) {
        /* MIN / -1: neg of MIN overflows */
        X64Label ok = x64_label(AS);
        x64_ri(AS, X64_CMP, size, X64_RCX, -1);
        x64_jcc(AS, X64_CC_NE, ok);
        x64_rr(AS, X64_MOV, 8, X64_RDX, X64_RAX);
        x64_r(AS, X64_NEG, size, X64_RDX);
        check(g, X64_CC_O, div ? RTS_PANIC_DIVO : RTS_PANIC_REMO, site);
        x64_bind(AS, ok);
    }
    int w = size == 8 ? 8 : 4;
    if (size < 4) {
        extend(g, X64_RAX, size, sign);
        extend(g, X64_RCX, size, sign);
    }
    if (sign) {
        if (w == 8)
            x64_cqo(AS);
        else
            x64_cdq(AS);
        x64_r(AS, X64_IDIV, w, X64_RCX);
    } else {
        x64_rr(AS, X64_XOR, 4, X64_RDX, X64_RDX);
        x64_r(AS, X64_DIV, w, X64_RCX);
    }
    if (!div)
        x64_rr(AS, X64_MOV, 8, X64_RAX, X64_RDX);
}

void gen_binop(Gen *g, int op, TypeId lt, TypeId rt, Opnd r, ExprId site)
{
    const TyInfo *li = gen_ty(g, lt);
    if (op == FE_BIN_SHL || op == FE_BIN_SHR) {
        gen_shift(g, op, lt, rt, r, site);
        return;
    }
    if (li->size == 16) {
        if (r.kind != OPND_REG)
            die("16-byte operand not in registers");
        binop128(g, op, li->sign, site);
        return;
    }
    int size = (int)li->size;
    bool is_bool = T(g, lt)->kind == FE_TYPE_BOOL;
    switch (op) {
    case FE_BIN_ADD:
        alu(g, X64_ADD, size, r);
        check(g, li->sign ? X64_CC_O : X64_CC_B, RTS_PANIC_ADD, site);
        break;
    case FE_BIN_SUB:
        alu(g, X64_SUB, size, r);
        check(g, li->sign ? X64_CC_O : X64_CC_B, RTS_PANIC_SUB, site);
        break;
    case FE_BIN_MUL: case FE_BIN_DIV: case FE_BIN_REM:
        if (r.kind == OPND_IMM && op != FE_BIN_MUL && r.imm == 0) {
            x64_jmp(AS, gen_stub(g, op == FE_BIN_DIV ? RTS_PANIC_DIV0 : RTS_PANIC_REM0,
                                 gen_site(g, site, false)));
            return;
        }
        mul_div(g, op, li, r, site);
        break;
    case FE_BIN_BITAND: alu(g, X64_AND, is_bool ? 1 : size, r); break;
    case FE_BIN_BITOR: alu(g, X64_OR, is_bool ? 1 : size, r); break;
    case FE_BIN_BITXOR: alu(g, X64_XOR, is_bool ? 1 : size, r); break;
    default:
        unreachable();
    }
}

X64Cond gen_compare(Gen *g, int op, TypeId ty, Opnd r)
{
    const TyInfo *ti = gen_ty(g, ty);
    alu(g, X64_CMP, (int)ti->size, r);
    bool s = ti->sign;
    switch (op) {
    case FE_BIN_EQ: return X64_CC_E;
    case FE_BIN_NE: return X64_CC_NE;
    case FE_BIN_LT: return s ? X64_CC_L : X64_CC_B;
    case FE_BIN_LE: return s ? X64_CC_LE : X64_CC_BE;
    case FE_BIN_GT: return s ? X64_CC_G : X64_CC_A;
    default: return s ? X64_CC_GE : X64_CC_AE;
    }
}

void gen_unop(Gen *g, int op, TypeId ty, ExprId site)
{
    const TyInfo *ti = gen_ty(g, ty);
    int size = (int)ti->size;
    if (op == FE_UN_NOT) {
        if (T(g, ty)->kind == FE_TYPE_BOOL) {
            x64_ri(AS, X64_XOR, 1, X64_RAX, 1);
        } else if (size == 16) {
            x64_r(AS, X64_NOT, 8, X64_RAX);
            x64_r(AS, X64_NOT, 8, X64_RDX);
        } else {
            x64_r(AS, X64_NOT, size, X64_RAX);
        }
        return;
    }
    if (size == 16) {
        x64_rr(AS, X64_XOR, 4, X64_RCX, X64_RCX);
        x64_rr(AS, X64_XOR, 4, X64_R8, X64_R8);
        x64_rr(AS, X64_SUB, 8, X64_RCX, X64_RAX);
        x64_rr(AS, X64_SBB, 8, X64_R8, X64_RDX);
        check(g, X64_CC_O, RTS_PANIC_NEG, site);
        x64_rr(AS, X64_MOV, 8, X64_RAX, X64_RCX);
        x64_rr(AS, X64_MOV, 8, X64_RDX, X64_R8);
        return;
    }
    x64_r(AS, X64_NEG, size, X64_RAX);
    check(g, X64_CC_O, RTS_PANIC_NEG, site);
}

/* ---------------------------------------------------------------- casts */

/* Integer-like view of a castable type: size and signedness (bool and char unsigned). */
static void cast_shape(Gen *g, TypeId ty, int *size, bool *sign)
{
    const FeType *t = T(g, ty);
    if (t->kind == FE_TYPE_INT) {
        *size = (int)gen_ty(g, ty)->size;
        *sign = gen_ty(g, ty)->sign;
    } else if (t->kind == FE_TYPE_CHAR) {
        *size = 4, *sign = false;
    } else {
        *size = 1, *sign = false;
    }
}

void gen_cast(Gen *g, TypeId from, TypeId to)
{
    int fs, ts;
    bool fsign, tsign;
    cast_shape(g, from, &fs, &fsign);
    cast_shape(g, to, &ts, &tsign);
    if (ts <= fs)
        return;  /* truncation: the low bytes are the value */
    extend(g, X64_RAX, fs, fsign);
    if (ts == 16 && fs < 16) {
        if (fsign) {
            x64_rr(AS, X64_MOV, 8, X64_RDX, X64_RAX);
            x64_ri(AS, X64_SAR, 8, X64_RDX, 63);
        } else {
            x64_rr(AS, X64_XOR, 4, X64_RDX, X64_RDX);
        }
    }
    (void)tsign;
}

/* ---------------------------------------------------------------- values in memory */

/* Can values of ty be compared for equality byte by byte? (No padding, no pointers.) */
static bool bytewise(Gen *g, TypeId ty)
{
    const FeType *t = T(g, ty);
    switch (t->kind) {
    case FE_TYPE_INT: case FE_TYPE_BOOL: case FE_TYPE_CHAR: return true;
    case FE_TYPE_ARRAY: return bytewise(g, t->inner);
    case FE_TYPE_TUPLE: {
        uint64_t sum = 0;
        for (uint32_t i = 0; i < t->nelems; i++) {
            if (!bytewise(g, T(g, ty)->elems[i]))
                return false;
            sum += gen_ty(g, T(g, ty)->elems[i])->size;
        }
        return sum == gen_ty(g, ty)->size;
    }
    default: return false;
    }
}

/* Stable location of the pointee of a pointer stored at l (a new frame slot). */
static Loc deref_stable(Gen *g, Loc l, X64Reg hi_into_rdx_unused)
{
    (void)hi_into_rdx_unused;
    int32_t slot = gen_slot(g, 8, 8);
    x64_rm(AS, X64_MOV, 8, X64_RAX, gen_mem(g, l, 0, X64_R11));
    x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, slot), X64_RAX);
    return (Loc){.kind = LOC_IND, .slot = slot};
}

/* memcmp(a, b, len in rdx) -> eax; a, b addresses from stable locations. */
static void call_memcmp(Gen *g, Loc a, Loc b)
{
    gen_lea(g, X64_RSI, b);
    gen_lea(g, X64_RDI, a);
    x64_call(AS, g->rt[RTS_MEMCMP]);
}

/* Compares two elements (gen_eq_mem with ne in x, or gen_cmp_mem with lt/gt in x/y). */
typedef void (*ElemCompare)(Gen *g, TypeId ty, Loc a, Loc b, X64Label x, X64Label y);

static void eq_elem(Gen *g, TypeId ty, Loc a, Loc b, X64Label ne, X64Label unused)
{
    (void)unused;
    gen_eq_mem(g, ty, a, b, ne);
}

/* Runs cmp over `count` elements of type elem: pa/pb are frame slots holding pointers
 * to the two runs, count a slot holding how many. */
static void each_element(Gen *g, TypeId elem, int32_t pa, int32_t pb, int32_t count, ElemCompare cmp,
                         X64Label x, X64Label y)
{
    uint64_t es = gen_ty(g, elem)->size;
    X64Label top = x64_label(AS), done = x64_label(AS);
    x64_bind(AS, top);
    x64_mi(AS, X64_CMP, 8, x64_mem(X64_RBP, count), 0);
    x64_jcc(AS, X64_CC_E, done);
    cmp(g, elem, (Loc){.kind = LOC_IND, .slot = pa}, (Loc){.kind = LOC_IND, .slot = pb}, x, y);
    x64_mi(AS, X64_ADD, 8, x64_mem(X64_RBP, pa), (int64_t)es);
    x64_mi(AS, X64_ADD, 8, x64_mem(X64_RBP, pb), (int64_t)es);
    x64_m(AS, X64_DEC, 8, x64_mem(X64_RBP, count));
    x64_jmp(AS, top);
    x64_bind(AS, done);
}

/* each_element over two arrays of len elements at stable locations a and b. */
static void each_array_element(Gen *g, TypeId elem, Loc a, Loc b, uint64_t len, ElemCompare cmp, X64Label x,
                               X64Label y)
{
    int32_t pa = gen_slot(g, 8, 8), pb = gen_slot(g, 8, 8), count = gen_slot(g, 8, 8);
    gen_lea(g, X64_RAX, a);
    x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, pa), X64_RAX);
    gen_lea(g, X64_RAX, b);
    x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, pb), X64_RAX);
    x64_mi(AS, X64_MOV, 8, x64_mem(X64_RBP, count), (int64_t)len);
    each_element(g, elem, pa, pb, count, cmp, x, y);
}

void gen_eq_mem(Gen *g, TypeId ty, Loc a, Loc b, X64Label ne)
{
    const FeType *t = T(g, ty);
    const TyInfo *ti = gen_ty(g, ty);
    switch (t->kind) {
    case FE_TYPE_INT: case FE_TYPE_BOOL: case FE_TYPE_CHAR: {
        int size = ti->size == 16 ? 8 : (int)ti->size;
        for (int half = 0; half < (ti->size == 16 ? 2 : 1); half++) {
            x64_rm(AS, X64_MOV, size, X64_RAX, gen_mem(g, a, half * 8, X64_R10));
            x64_rm(AS, X64_CMP, size, X64_RAX, gen_mem(g, b, half * 8, X64_R11));
            x64_jcc(AS, X64_CC_NE, ne);
        }
        return;
    }
    case FE_TYPE_REF: {
        const FeType *in = T(g, t->inner);
        if (in->kind == FE_TYPE_STR || in->kind == FE_TYPE_SLICE) {
            gen_eq_mem(g, t->inner, a, b, ne);  /* the fat pointer is at a and b */
            return;
        }
        gen_eq_mem(g, t->inner, deref_stable(g, a, X64_RAX), deref_stable(g, b, X64_RAX), ne);
        return;
    }
    case FE_TYPE_STR: case FE_TYPE_SLICE: {
        /* an unsized value: its fat pointer is at the location */
        {
            x64_rm(AS, X64_MOV, 8, X64_RDX, gen_mem(g, a, 8, X64_R10));
            x64_rm(AS, X64_CMP, 8, X64_RDX, gen_mem(g, b, 8, X64_R11));
            x64_jcc(AS, X64_CC_NE, ne);
            TypeId elem = t->kind == FE_TYPE_STR ? FE_TY_INT(FE_INT_U8) : t->inner;
            Loc pa = deref_stable(g, a, X64_RAX), pb = deref_stable(g, b, X64_RAX);
            if (bytewise(g, elem)) {
                x64_rm(AS, X64_MOV, 8, X64_RDX, gen_mem(g, a, 8, X64_R10));
                if (gen_ty(g, elem)->size != 1)
                    x64_imul_imm(AS, 8, X64_RDX, X64_RDX, (int32_t)gen_ty(g, elem)->size);
                call_memcmp(g, pa, pb);
                x64_rr(AS, X64_TEST, 4, X64_RAX, X64_RAX);
                x64_jcc(AS, X64_CC_NE, ne);
            } else {
                int32_t count = gen_slot(g, 8, 8);
                x64_rm(AS, X64_MOV, 8, X64_RDX, gen_mem(g, a, 8, X64_R10));
                x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, count), X64_RDX);
                each_element(g, elem, pa.slot, pb.slot, count, eq_elem, ne, ne);
            }
            return;
        }
    }
    case FE_TYPE_TUPLE:
        for (uint32_t i = 0; i < t->nelems; i++) {
            TypeId et = T(g, ty)->elems[i];
            uint64_t off = fe_field_offset(g->c, ty, i);
            Loc ea = a, eb = b;
            ea.disp += (int32_t)off, eb.disp += (int32_t)off;
            gen_eq_mem(g, et, ea, eb, ne);
        }
        return;
    case FE_TYPE_ARRAY: {
        if (t->len == 0)
            return;
        if (bytewise(g, ty)) {
            x64_ri(AS, X64_MOV, 8, X64_RDX, (int64_t)ti->size);
            call_memcmp(g, a, b);
            x64_rr(AS, X64_TEST, 4, X64_RAX, X64_RAX);
            x64_jcc(AS, X64_CC_NE, ne);
            return;
        }
        each_array_element(g, t->inner, a, b, t->len, eq_elem, ne, ne);
        return;
    }
    case FE_TYPE_STRUCT: {
        if (ti->size == 0)
            return;
        gen_lea(g, X64_RSI, b);
        gen_lea(g, X64_RDI, a);
        x64_call(AS, gen_eq_fn(g, ty));
        x64_rr(AS, X64_TEST, 1, X64_RAX, X64_RAX);
        x64_jcc(AS, X64_CC_E, ne);
        return;
    }
    default:
        return;  /* (), `!`: always equal */
    }
}

void gen_cmp_mem(Gen *g, TypeId ty, Loc a, Loc b, X64Label lt, X64Label gt)
{
    const FeType *t = T(g, ty);
    const TyInfo *ti = gen_ty(g, ty);
    switch (t->kind) {
    case FE_TYPE_INT: case FE_TYPE_BOOL: case FE_TYPE_CHAR: {
        if (ti->size == 16) {
            x64_rm(AS, X64_MOV, 8, X64_RAX, gen_mem(g, a, 8, X64_R10));
            x64_rm(AS, X64_CMP, 8, X64_RAX, gen_mem(g, b, 8, X64_R11));
            x64_jcc(AS, ti->sign ? X64_CC_L : X64_CC_B, lt);
            x64_jcc(AS, ti->sign ? X64_CC_G : X64_CC_A, gt);
            x64_rm(AS, X64_MOV, 8, X64_RAX, gen_mem(g, a, 0, X64_R10));
            x64_rm(AS, X64_CMP, 8, X64_RAX, gen_mem(g, b, 0, X64_R11));
            x64_jcc(AS, X64_CC_B, lt);
            x64_jcc(AS, X64_CC_A, gt);
            return;
        }
        int size = (int)ti->size;
        x64_rm(AS, X64_MOV, size, X64_RAX, gen_mem(g, a, 0, X64_R10));
        x64_rm(AS, X64_CMP, size, X64_RAX, gen_mem(g, b, 0, X64_R11));
        x64_jcc(AS, ti->sign ? X64_CC_L : X64_CC_B, lt);
        x64_jcc(AS, ti->sign ? X64_CC_G : X64_CC_A, gt);
        return;
    }
    case FE_TYPE_REF: {
        const FeType *in = T(g, t->inner);
        if (in->kind == FE_TYPE_STR || in->kind == FE_TYPE_SLICE) {
            gen_cmp_mem(g, t->inner, a, b, lt, gt);  /* the fat pointer is at a and b */
            return;
        }
        gen_cmp_mem(g, t->inner, deref_stable(g, a, X64_RAX), deref_stable(g, b, X64_RAX), lt, gt);
        return;
    }
    case FE_TYPE_STR: case FE_TYPE_SLICE: {
        {
            /* lexicographic over min(len) elements, then the lengths */
            TypeId elem = t->kind == FE_TYPE_STR ? FE_TY_INT(FE_INT_U8) : t->inner;
            Loc pa = deref_stable(g, a, X64_RAX), pb = deref_stable(g, b, X64_RAX);
            int32_t count = gen_slot(g, 8, 8);
            x64_rm(AS, X64_MOV, 8, X64_RDX, gen_mem(g, a, 8, X64_R10));
            x64_rm(AS, X64_MOV, 8, X64_RCX, gen_mem(g, b, 8, X64_R11));
            x64_rr(AS, X64_CMP, 8, X64_RDX, X64_RCX);
            x64_cmov(AS, X64_CC_A, 8, X64_RDX, X64_RCX);
            x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, count), X64_RDX);
            if (gen_ty(g, elem)->size == 1 && T(g, elem)->kind == FE_TYPE_INT && !gen_ty(g, elem)->sign) {
                call_memcmp(g, pa, pb);
                x64_rr(AS, X64_TEST, 4, X64_RAX, X64_RAX);
                x64_jcc(AS, X64_CC_L, lt);
                x64_jcc(AS, X64_CC_G, gt);
            } else {
                each_element(g, elem, pa.slot, pb.slot, count, gen_cmp_mem, lt, gt);
            }
            x64_rm(AS, X64_MOV, 8, X64_RAX, gen_mem(g, a, 8, X64_R10));
            x64_rm(AS, X64_CMP, 8, X64_RAX, gen_mem(g, b, 8, X64_R11));
            x64_jcc(AS, X64_CC_B, lt);
            x64_jcc(AS, X64_CC_A, gt);
            return;
        }
    }
    case FE_TYPE_TUPLE:
        for (uint32_t i = 0; i < t->nelems; i++) {
            uint64_t off = fe_field_offset(g->c, ty, i);
            Loc ea = a, eb = b;
            ea.disp += (int32_t)off, eb.disp += (int32_t)off;
            gen_cmp_mem(g, T(g, ty)->elems[i], ea, eb, lt, gt);
        }
        return;
    case FE_TYPE_ARRAY: {
        if (t->len == 0)
            return;
        each_array_element(g, t->inner, a, b, t->len, gen_cmp_mem, lt, gt);
        return;
    }
    default:
        return;  /* (): equal */
    }
}

/* ---------------------------------------------------------------- derived PartialEq */

/* fn eq(&self, other: &Self) -> bool, field by field in declaration order. */
CodeFunc *gen_eq_function(Gen *g, ItemId st)
{
    FeItem *it = fe_item(g->c, st);
    gen_begin_function(g, g->eq_sym[st]);
    int32_t sa = gen_slot(g, 8, 8), sb = gen_slot(g, 8, 8);
    x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, sa), X64_RDI);
    x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, sb), X64_RSI);
    X64Label ne = x64_label(AS);
    TypeId ty = it->st.ty;
    for (uint32_t i = 0; i < it->st.nfields; i++) {
        const FeField *f = &fe_item(g->c, st)->st.fields[i];
        Loc a = {.kind = LOC_IND, .slot = sa, .disp = (int32_t)f->offset};
        Loc b = {.kind = LOC_IND, .slot = sb, .disp = (int32_t)f->offset};
        gen_eq_mem(g, f->ty, a, b, ne);
    }
    (void)ty;
    x64_ri(AS, X64_MOV, 4, X64_RAX, 1);
    x64_jmp(AS, g->ret_label);
    x64_bind(AS, ne);
    x64_rr(AS, X64_XOR, 4, X64_RAX, X64_RAX);
    return gen_end_function(g);
}

/*
 * backend/gen_fmt.c — the print, panic and assert macros through the runtime's fmt ABI
 * (backend/runtime/rt.h), and the Debug functions of derived structs.
 *
 * A format string becomes one read-only data item of the function, an RtTemplate
 * followed by its pieces and specs (pointing into itself and into one string item that
 * holds all the pieces' text). Arguments are evaluated once each, left to right, into
 * locations whose addresses fill an RtArg array on the stack at the call; a reference
 * argument is followed to its pointee first, so `{}` of a `&&i32` formats the i32. A
 * width or precision taken from an argument makes the template a stack copy with
 * those fields filled in.
 *
 * Formatters: the runtime's primitive rt_fmt_<type>; for tuples, arrays and slices a
 * descriptor (RtDebugStruct/RtDebugList) composed where it is used; for a struct its
 * derived Debug function `<T as core::fmt::Debug>::fmt`, emitted beside the struct,
 * which tail-calls rt_fmt_debug_struct with the struct's descriptor; fields that are
 * references go through rt_fmt_deref.
 */
#include "backend/gen.h"
#include "backend/runtime/rt.h"

#include <string.h>

#define AS (&g->as)
#define X(id) gen_expr_node(g, (id))

_Static_assert(sizeof(RtTemplate) == 24 && sizeof(RtSpec) == 16 && sizeof(RtArg) == 24 &&
                   sizeof(RtDebugStruct) == 32 && sizeof(RtDebugField) == 40 && sizeof(RtDebugList) == 32 &&
                   sizeof(RtFmtRef) == 16 && sizeof(RtStr) == 16,
               "runtime layouts");

/* ---------------------------------------------------------------- descriptors */

typedef struct FmtFn {
    Sym fn;
    DataRef ctx;  /* sym 0: none */
} FmtFn;

static const DataRef no_ctx = {0, 0};
static DataRef fn_ref(Sym fn) { return (DataRef){fn, 0}; }

static void put_u64(ConstBuf *b, uint64_t v)
{
    vec_reserve(&b->bytes, 8);
    memcpy(b->bytes.data + b->bytes.len, &v, 8);
    b->bytes.len += 8;
}

static void put_u32(ConstBuf *b, uint32_t v)
{
    vec_reserve(&b->bytes, 4);
    memcpy(b->bytes.data + b->bytes.len, &v, 4);
    b->bytes.len += 4;
}

static void put_ptr(ConstBuf *b, DataRef target)
{
    if (target.sym)
        vec_push(&b->relocs, ((CodeReloc){b->bytes.len, RELOC_64, false, target.sym, target.off}));
    put_u64(b, 0);
}

static DataRef put_item(Gen *g, ConstBuf *b)
{
    DataRef s = gen_fn_data_dedup(g, b->bytes.data, b->bytes.len, 8, b->relocs.data, b->relocs.len);
    vec_free(&b->bytes);
    vec_free(&b->relocs);
    return s;
}

static FmtFn fmt_of(Gen *g, TypeId ty);

/* An RtDebugList for elements of type elem. */
static DataRef list_desc(Gen *g, TypeId elem, uint64_t count)
{
    FmtFn ef = fmt_of(g, elem);
    ConstBuf b = {0};
    put_u64(&b, count);
    put_u64(&b, gen_ty(g, elem)->size);
    put_ptr(&b, fn_ref(ef.fn));
    put_ptr(&b, ef.ctx);
    return put_item(g, &b);
}

/* An RtDebugStruct: name (NULL for tuples), fields of type tys at offsets. */
static DataRef struct_desc(Gen *g, const char *name, uint32_t shape, uint32_t n, const TypeId *tys,
                       const uint64_t *offs, const Sym *names)
{
    DataRef fields = no_ctx;
    if (n) {
        ConstBuf f = {0};
        for (uint32_t i = 0; i < n; i++) {
            FmtFn ff = fmt_of(g, tys[i]);
            if (names && names[i]) {
                const char *s = sym_str(g->names, names[i]);
                put_ptr(&f, gen_str_data(g, s, (uint32_t)strlen(s)));
                put_u64(&f, strlen(s));
            } else {
                put_u64(&f, 0);
                put_u64(&f, 0);
            }
            put_u64(&f, offs[i]);
            put_ptr(&f, fn_ref(ff.fn));
            put_ptr(&f, ff.ctx);
        }
        fields = put_item(g, &f);
    }
    ConstBuf b = {0};
    if (name) {
        put_ptr(&b, gen_str_data(g, name, (uint32_t)strlen(name)));
        put_u64(&b, strlen(name));
    } else {
        put_u64(&b, 0);
        put_u64(&b, 0);
    }
    put_ptr(&b, fields);
    put_u32(&b, shape);
    put_u32(&b, n);
    return put_item(g, &b);
}

/* The formatter of a value of type ty (the RtArg's value points at a ty). */
static FmtFn fmt_of(Gen *g, TypeId ty)
{
    const FeType *t = gen_type(g, ty);
    switch (t->kind) {
    case FE_TYPE_INT: return (FmtFn){g->rt[RTS_FMT_I8 + t->sub], no_ctx};
    case FE_TYPE_BOOL: return (FmtFn){g->rt[RTS_FMT_BOOL], no_ctx};
    case FE_TYPE_CHAR: return (FmtFn){g->rt[RTS_FMT_CHAR], no_ctx};
    case FE_TYPE_REF: {
        const FeType *in = gen_type(g, t->inner);
        if (in->kind == FE_TYPE_STR)
            return (FmtFn){g->rt[RTS_FMT_STR], no_ctx};
        if (in->kind == FE_TYPE_SLICE)
            return (FmtFn){g->rt[RTS_FMT_SLICE], list_desc(g, in->inner, 0)};
        FmtFn inner = fmt_of(g, t->inner);
        ConstBuf b = {0};
        put_ptr(&b, fn_ref(inner.fn));
        put_ptr(&b, inner.ctx);
        return (FmtFn){g->rt[RTS_FMT_DEREF], put_item(g, &b)};
    }
    case FE_TYPE_TUPLE: {
        uint32_t n = t->nelems;
        if (n == 0)
            return (FmtFn){g->rt[RTS_FMT_UNIT], no_ctx};
        TypeId *tys = arena_new(&g->scratch, TypeId, n);
        uint64_t *offs = arena_new(&g->scratch, uint64_t, n);
        for (uint32_t i = 0; i < n; i++) {
            tys[i] = gen_type(g, ty)->elems[i];
            offs[i] = fe_field_offset(g->c, ty, i);
        }
        return (FmtFn){g->rt[RTS_FMT_STRUCT], struct_desc(g, NULL, RT_DEBUG_TUPLE, n, tys, offs, NULL)};
    }
    case FE_TYPE_ARRAY:
        return (FmtFn){g->rt[RTS_FMT_ARRAY], list_desc(g, t->inner, t->len)};
    case FE_TYPE_STRUCT:
        return (FmtFn){gen_debug_fn(g, ty), no_ctx};
    case FE_TYPE_STR:  /* an unsized argument (`*s`): the value is its fat pointer */
        return (FmtFn){g->rt[RTS_FMT_STR], no_ctx};
    case FE_TYPE_SLICE:
        return (FmtFn){g->rt[RTS_FMT_SLICE], list_desc(g, t->inner, 0)};
    default:
        return (FmtFn){g->rt[RTS_FMT_UNIT], no_ctx};
    }
}

/* Follows references to the value a formatter takes: type of the pointee chain. */
static TypeId peel(Gen *g, TypeId ty, int *derefs)
{
    *derefs = 0;
    for (;;) {
        const FeType *t = gen_type(g, ty);
        if (t->kind != FE_TYPE_REF)
            return ty;
        int ik = gen_type(g, t->inner)->kind;
        if (ik == FE_TYPE_STR || ik == FE_TYPE_SLICE)
            return ty;
        ty = t->inner;
        (*derefs)++;
    }
}

CodeFunc *gen_debug_function(Gen *g, ItemId st)
{
    gen_begin_leaf(g, g->debug_sym[st]);
    const FeItem *it = fe_item(g->c, st);
    uint32_t n = it->st.nfields;
    TypeId *tys = arena_new(&g->scratch, TypeId, n + 1);
    uint64_t *offs = arena_new(&g->scratch, uint64_t, n + 1);
    Sym *names = arena_new(&g->scratch, Sym, n + 1);
    for (uint32_t i = 0; i < n; i++) {
        const FeField *f = &fe_item(g->c, st)->st.fields[i];
        tys[i] = f->ty;
        offs[i] = f->offset;
        names[i] = f->name;
    }
    uint32_t shape = it->st.shape == 1 ? RT_DEBUG_TUPLE_STRUCT : RT_DEBUG_STRUCT;
    DataRef desc = struct_desc(g, sym_str(g->names, fe_item(g->c, st)->name), shape, n, tys, offs,
                           shape == RT_DEBUG_STRUCT ? names : NULL);
    x64_rm(AS, X64_LEA, 8, X64_RDX, x64_mem_sym(desc.sym, desc.off));
    x64_jmp_sym(AS, g->rt[RTS_FMT_STRUCT]);
    return gen_end_leaf(g);
}

/* ---------------------------------------------------------------- templates */

static uint8_t spec_kind(int trait)
{
    switch (trait) {
    case FE_FMT_DEBUG: return RT_KIND_DEBUG;
    case FE_FMT_LOWER_HEX: return RT_KIND_LOWER_HEX;
    case FE_FMT_UPPER_HEX: return RT_KIND_UPPER_HEX;
    case FE_FMT_BINARY: return RT_KIND_BINARY;
    case FE_FMT_OCTAL: return RT_KIND_OCTAL;
    default: return RT_KIND_DISPLAY;
    }
}

static uint32_t count_specs(const FeFmtPiece *pieces, uint32_t n)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        k += pieces[i].has_arg;
    return k;
}

/* The template of pieces as one data item; *dynamic when a width or precision comes
 * from an argument. */
static DataRef template_data(Gen *g, const FeFmtPiece *pieces, uint32_t n, bool *dynamic)
{
    StrBuf text = {0};
    for (uint32_t i = 0; i < n; i++)
        sb_append(&text, pieces[i].text, pieces[i].len);
    DataRef blob = gen_str_data(g, text.data ? text.data : "", (uint32_t)text.len);
    sb_free(&text);
    uint32_t ns = count_specs(pieces, n);
    uint32_t np = n;
    DataRef self = gen_fn_data_next(g, 8);
    ConstBuf b = {0};
    put_ptr(&b, (DataRef){self.sym, self.off + 24});
    put_ptr(&b, (DataRef){self.sym, self.off + 24 + 16 * (int32_t)np});
    put_u32(&b, np);
    put_u32(&b, ns);
    uint64_t off = 0;
    for (uint32_t i = 0; i < n; i++) {
        put_ptr(&b, (DataRef){blob.sym, blob.off + (int32_t)off});
        put_u64(&b, pieces[i].len);
        off += pieces[i].len;
    }
    *dynamic = false;
    for (uint32_t i = 0; i < n; i++) {
        const FeFmtPiece *pc = &pieces[i];
        if (!pc->has_arg)
            continue;
        put_u32(&b, pc->fill ? pc->fill : ' ');
        put_u32(&b, pc->width_kind == FE_COUNT_LIT ? pc->width : 0);
        put_u32(&b, pc->prec_kind == FE_COUNT_LIT ? pc->prec : RT_NO_PRECISION);
        uint8_t tail[4] = {spec_kind(pc->trait), pc->align, (uint8_t)(pc->flags & 0x0f), 0};
        vec_reserve(&b.bytes, 4);
        memcpy(b.bytes.data + b.bytes.len, tail, 4);
        b.bytes.len += 4;
        if (pc->width_kind == FE_COUNT_ARG || pc->prec_kind == FE_COUNT_ARG)
            *dynamic = true;
    }
    DataRef s = gen_fn_data(g, b.bytes.data, b.bytes.len, 8, b.relocs.data, b.relocs.len);
    vec_free(&b.bytes);
    vec_free(&b.relocs);
    if (s.sym != self.sym || s.off != self.off)
        die("template moved");
    return s;
}

/* Evaluates every format argument once, left to right; returns per argument the frame
 * slot holding its address. */
static int32_t *eval_args(Gen *g, const FeMacro *m)
{
    int32_t *slots = arena_new(&g->scratch, int32_t, m->nargs + 1);
    for (uint32_t i = 0; i < m->nargs; i++) {
        Loc l = gen_ty(g, X(m->args[i])->ty)->cls == VC_UNSIZED ? gen_operand_loc(g, m->args[i])
                                                                 : gen_loc(g, m->args[i]);
        gen_lea(g, X64_RAX, l);
        slots[i] = gen_slot(g, 8, 8);
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, slots[i]), X64_RAX);
    }
    return slots;
}

/* Writes an RtArg at [rbp + at] for a value of type ty whose address is in rax. */
static void put_arg(Gen *g, int32_t at, TypeId ty)
{
    int derefs;
    TypeId vt = peel(g, ty, &derefs);
    for (int i = 0; i < derefs; i++)
        x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem(X64_RAX, 0));
    x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, at), X64_RAX);
    FmtFn f = fmt_of(g, vt);
    x64_rm(AS, X64_LEA, 8, X64_RAX, x64_mem_sym(f.fn, 0));
    x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, at + 8), X64_RAX);
    if (f.ctx.sym) {
        x64_rm(AS, X64_LEA, 8, X64_RAX, x64_mem_sym(f.ctx.sym, f.ctx.off));
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, at + 16), X64_RAX);
    } else {
        x64_mi(AS, X64_MOV, 8, x64_mem(X64_RBP, at + 16), 0);
    }
}

typedef struct Formatted {
    int32_t args;    /* frame offset of the RtArg array */
    bool stack_tpl;  /* the template is on the stack at tpl_slot */
    int32_t tpl_slot;
    DataRef tpl;
} Formatted;

/* Evaluates the arguments and builds template and arguments for a formatting call. */
static Formatted format(Gen *g, const FeMacro *m, ExprId site)
{
    Formatted r = {0};
    for (uint32_t i = 0; i < m->npieces; i++)
        if (m->pieces[i].has_arg && m->pieces[i].trait >= FE_FMT_LOWER_EXP)
            gen_unsupported(g, X(site)->span, "`{:e}` and `{:E}` formatting");
    int32_t *addr = eval_args(g, m);
    bool dynamic;
    r.tpl = template_data(g, m->pieces, m->npieces, &dynamic);
    uint32_t ns = count_specs(m->pieces, m->npieces);
    r.args = gen_slot(g, 24 * (uint64_t)MAX(ns, 1u), 8);
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->npieces; i++) {
        const FeFmtPiece *pc = &m->pieces[i];
        if (!pc->has_arg)
            continue;
        x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem(X64_RBP, addr[pc->arg]));
        put_arg(g, r.args + 24 * (int32_t)k, X(m->args[pc->arg])->ty);
        k++;
    }
    if (dynamic) {
        /* a stack copy: header, then the specs with counts filled in */
        uint32_t np = m->npieces;
        r.stack_tpl = true;
        r.tpl_slot = gen_slot(g, 24 + 16 * (uint64_t)ns, 8);
        x64_rm(AS, X64_LEA, 8, X64_RAX, x64_mem_sym(r.tpl.sym, r.tpl.off + 24));
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, r.tpl_slot), X64_RAX);
        x64_rm(AS, X64_LEA, 8, X64_RAX, x64_mem(X64_RBP, r.tpl_slot + 24));
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, r.tpl_slot + 8), X64_RAX);
        x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem_sym(r.tpl.sym, r.tpl.off + 16));
        x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, r.tpl_slot + 16), X64_RAX);
        k = 0;
        for (uint32_t i = 0; i < m->npieces; i++) {
            const FeFmtPiece *pc = &m->pieces[i];
            if (!pc->has_arg)
                continue;
            int32_t at = r.tpl_slot + 24 + 16 * (int32_t)k;
            int32_t from = 24 + 16 * (int32_t)np + 16 * (int32_t)k;
            for (int32_t w = 0; w < 16; w += 8) {
                x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem_sym(r.tpl.sym, r.tpl.off + from + w));
                x64_mr(AS, X64_MOV, 8, x64_mem(X64_RBP, at + w), X64_RAX);
            }
            if (pc->width_kind == FE_COUNT_ARG) {
                x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem(X64_RBP, addr[pc->width]));
                x64_rm(AS, X64_MOV, 4, X64_RAX, x64_mem(X64_RAX, 0));
                x64_mr(AS, X64_MOV, 4, x64_mem(X64_RBP, at + 4), X64_RAX);
            }
            if (pc->prec_kind == FE_COUNT_ARG) {
                x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem(X64_RBP, addr[pc->prec]));
                x64_rm(AS, X64_MOV, 4, X64_RAX, x64_mem(X64_RAX, 0));
                x64_mr(AS, X64_MOV, 4, x64_mem(X64_RBP, at + 8), X64_RAX);
            }
            k++;
        }
    }
    return r;
}

static void lea_template(Gen *g, X64Reg reg, const Formatted *f)
{
    if (f->stack_tpl)
        x64_rm(AS, X64_LEA, 8, reg, x64_mem(X64_RBP, f->tpl_slot));
    else
        x64_rm(AS, X64_LEA, 8, reg, x64_mem_sym(f->tpl.sym, f->tpl.off));
}

/* ---------------------------------------------------------------- macros */

static void gen_print(Gen *g, ExprId id, const FeMacro *m)
{
    bool err = m->kind == FE_MAC_EPRINT || m->kind == FE_MAC_EPRINTLN;
    if (count_specs(m->pieces, m->npieces) == 0) {
        StrBuf text = {0};
        for (uint32_t i = 0; i < m->npieces; i++)
            sb_append(&text, m->pieces[i].text, m->pieces[i].len);
        for (uint32_t i = 0; i < m->nargs; i++)  /* unused arguments are still evaluated */
            gen_discard(g, m->args[i]);
        if (text.len) {
            DataRef s = gen_str_data(g, text.data, (uint32_t)text.len);
            x64_rm(AS, X64_LEA, 8, X64_RDI, x64_mem_sym(s.sym, s.off));
            x64_ri(AS, X64_MOV, 8, X64_RSI, (int64_t)text.len);
            x64_call(AS, g->rt[err ? RTS_EPRINT_STR : RTS_PRINT_STR]);
        }
        sb_free(&text);
        return;
    }
    Formatted f = format(g, m, id);
    lea_template(g, X64_RDI, &f);
    x64_rm(AS, X64_LEA, 8, X64_RSI, x64_mem(X64_RBP, f.args));
    x64_call(AS, g->rt[err ? RTS_EPRINT : RTS_PRINT]);
}

/* rt_panic(loc, macro, message or NULL): the message of m when it has one. */
static void panic_with(Gen *g, ExprId id, const FeMacro *m, uint32_t macro, uint32_t loc)
{
    if (!m->has_format) {
        x64_rr(AS, X64_XOR, 4, X64_RDX, X64_RDX);
        x64_rr(AS, X64_XOR, 4, X64_RCX, X64_RCX);
    } else if (macro == RT_PANIC_PANIC && count_specs(m->pieces, m->npieces) == 0 && m->nargs == 0) {
        StrBuf text = {0};
        for (uint32_t i = 0; i < m->npieces; i++)
            sb_append(&text, m->pieces[i].text, m->pieces[i].len);
        DataRef s = gen_str_data(g, text.data ? text.data : "", (uint32_t)text.len);
        x64_rm(AS, X64_LEA, 8, X64_RDI, x64_mem_loc(loc));
        x64_rm(AS, X64_LEA, 8, X64_RSI, x64_mem_sym(s.sym, s.off));
        x64_ri(AS, X64_MOV, 8, X64_RDX, (int64_t)text.len);
        sb_free(&text);
        x64_call(AS, g->rt[RTS_PANIC_STR]);
        x64_ud2(AS);
        return;
    } else {
        Formatted f = format(g, m, id);
        lea_template(g, X64_RDX, &f);
        x64_rm(AS, X64_LEA, 8, X64_RCX, x64_mem(X64_RBP, f.args));
    }
    x64_rm(AS, X64_LEA, 8, X64_RDI, x64_mem_loc(loc));
    x64_ri(AS, X64_MOV, 4, X64_RSI, macro);
    x64_call(AS, g->rt[RTS_PANIC]);
    x64_ud2(AS);
}

static void gen_assert_cmp(Gen *g, ExprId id, const FeMacro *m)
{
    bool ne = m->kind == FE_MAC_ASSERT_NE;
    ExprId left = m->left, right = m->right;
    TypeId ty = X(left)->ty;
    Loc la = gen_operand_loc(g, left);
    Loc lb = gen_operand_loc(g, right);
    X64Label ok = x64_label(AS), differ = x64_label(AS);
    uint32_t loc = gen_site(g, id, false);
    if (!ne) {
        gen_eq_mem(g, ty, la, lb, differ);
        x64_jmp(AS, ok);
        x64_bind(AS, differ);
    } else {
        gen_eq_mem(g, ty, la, lb, ok);
    }
    /* failed: operands by address, then the message */
    int32_t ops = gen_slot(g, 48, 8);
    gen_lea(g, X64_RAX, la);
    put_arg(g, ops, ty);
    gen_lea(g, X64_RAX, lb);
    put_arg(g, ops + 24, X(right)->ty);
    if (m->has_format) {
        Formatted f = format(g, m, id);
        lea_template(g, X64_RCX, &f);
        x64_rm(AS, X64_LEA, 8, X64_R8, x64_mem(X64_RBP, f.args));
    } else {
        x64_rr(AS, X64_XOR, 4, X64_RCX, X64_RCX);
        x64_rr(AS, X64_XOR, 4, X64_R8, X64_R8);
    }
    x64_rm(AS, X64_LEA, 8, X64_RDX, x64_mem(X64_RBP, ops));
    x64_ri(AS, X64_MOV, 4, X64_RSI, ne);
    x64_rm(AS, X64_LEA, 8, X64_RDI, x64_mem_loc(loc));
    x64_call(AS, g->rt[RTS_PANIC_CMP]);
    x64_ud2(AS);
    x64_bind(AS, ok);
}

void gen_macro(Gen *g, ExprId id)
{
    const FeMacro *m = X(id)->mac;
    switch (m->kind) {
    case FE_MAC_PRINT: case FE_MAC_PRINTLN: case FE_MAC_EPRINT: case FE_MAC_EPRINTLN:
        gen_print(g, id, m);
        return;
    case FE_MAC_PANIC:
        panic_with(g, id, m, RT_PANIC_PANIC, gen_site(g, id, false));
        return;
    case FE_MAC_UNREACHABLE:
        panic_with(g, id, m, RT_PANIC_UNREACHABLE, gen_site(g, id, false));
        return;
    case FE_MAC_TODO:
        panic_with(g, id, m, RT_PANIC_TODO, gen_site(g, id, false));
        return;
    case FE_MAC_ASSERT: {
        X64Label ok = x64_label(AS);
        gen_cond(g, m->cond, true, ok);
        uint32_t loc = gen_site(g, id, false);
        if (m->has_format) {
            panic_with(g, id, m, RT_PANIC_PANIC, loc);
        } else {
            FeFmtPiece pc = {.text = m->cond_text, .len = m->cond_len};
            bool dynamic;
            DataRef t = template_data(g, &pc, 1, &dynamic);
            x64_rm(AS, X64_LEA, 8, X64_RDI, x64_mem_loc(loc));
            x64_ri(AS, X64_MOV, 4, X64_RSI, RT_PANIC_ASSERT);
            x64_rm(AS, X64_LEA, 8, X64_RDX, x64_mem_sym(t.sym, t.off));
            x64_rr(AS, X64_XOR, 4, X64_RCX, X64_RCX);
            x64_call(AS, g->rt[RTS_PANIC]);
            x64_ud2(AS);
        }
        x64_bind(AS, ok);
        return;
    }
    case FE_MAC_ASSERT_EQ: case FE_MAC_ASSERT_NE:
        gen_assert_cmp(g, id, m);
        return;
    default:
        gen_unsupported(g, X(id)->span, "this macro");
    }
}

void gen_panic_usizes(Gen *g, uint32_t loc, const char *const *pieces, uint32_t npieces,
                      const int32_t *slots, uint32_t nslots)
{
    FeFmtPiece pcs[4] = {{0}};
    for (uint32_t i = 0; i < npieces; i++) {
        pcs[i].text = pieces[i];
        pcs[i].len = (uint32_t)strlen(pieces[i]);
        pcs[i].has_arg = i < nslots;
        pcs[i].fill = ' ';
        pcs[i].arg = i;
    }
    bool dynamic;
    DataRef t = template_data(g, pcs, npieces, &dynamic);
    int32_t args = gen_slot(g, 24 * (uint64_t)MAX(nslots, 1u), 8);
    for (uint32_t i = 0; i < nslots; i++) {
        x64_rm(AS, X64_LEA, 8, X64_RAX, x64_mem(X64_RBP, slots[i]));
        put_arg(g, args + 24 * (int32_t)i, FE_TY_INT(FE_INT_USIZE));
    }
    x64_rm(AS, X64_LEA, 8, X64_RDI, x64_mem_loc(loc));
    x64_ri(AS, X64_MOV, 4, X64_RSI, RT_PANIC_PANIC);
    x64_rm(AS, X64_LEA, 8, X64_RDX, x64_mem_sym(t.sym, t.off));
    if (nslots)
        x64_rm(AS, X64_LEA, 8, X64_RCX, x64_mem(X64_RBP, args));
    else
        x64_rr(AS, X64_XOR, 4, X64_RCX, X64_RCX);
    x64_call(AS, g->rt[RTS_PANIC]);
    x64_ud2(AS);
}

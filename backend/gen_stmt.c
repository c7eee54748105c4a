/*
 * backend/gen_stmt.c — statements, blocks, control flow and calls.
 *
 * Blocks run their statements in order; the temporaries of an expression statement are
 * released at its end, those of a `let` initializer live on (Rust extends the lifetime
 * of temporaries a `let` borrows). Loops keep break/continue labels on a stack; a break
 * value goes to the loop's destination (a stable location for aggregates, else rax).
 * `for` over a range keeps its bounds in frame slots and never steps past the end.
 * Calls follow the Rust-to-Rust convention of backend.h.
 */
#include "backend/gen.h"

#include <string.h>

#define AS (&g->as)
#define X(id) gen_expr_node(g, (id))

/* ---------------------------------------------------------------- calls */

static const X64Reg arg_regs[6] = {X64_RDI, X64_RSI, X64_RDX, X64_RCX, X64_R8, X64_R9};

typedef struct ArgPlan {
    uint8_t cls;
    uint8_t size;     /* of a scalar */
    bool deferred;    /* a simple expression loaded at the call */
    bool direct;      /* evaluated last: moved from rax/rdx straight into its registers */
    int32_t slot;     /* frame slot of its value (or of the aggregate copy) */
    int8_t reg;       /* first register, -1: on the stack */
    int32_t stack;    /* offset at [rsp] when on the stack */
} ArgPlan;

void gen_call(Gen *g, ItemRef fn, const ExprId *args_in, uint32_t n, TypeId ret, const Loc *dest)
{
    if (fn.krate != FE_LOCAL_CRATE || !g->item_sym[fn.item]) {
        gen_unsupported(g, fe_item(g->c, fn.item)->span, "calls to this function");
        return;
    }
    Sym callee = g->item_sym[fn.item];
    ExprId argv[64];
    ExprId *args = n <= 64 ? argv : arena_new(&g->scratch, ExprId, n);
    if (n)
        memcpy(args, args_in, n * sizeof(ExprId));
    ArgPlan planv[64];
    ArgPlan *plan = n <= 64 ? planv : arena_new(&g->scratch, ArgPlan, n);
    const TyInfo *rti = gen_ty(g, ret);
    /* registers and stack slots, in argument order */
    uint32_t ri = rti->cls == VC_MEM ? 1 : 0;
    int32_t stack = 0;
    for (uint32_t i = 0; i < n; i++) {
        const TyInfo *ti = gen_ty(g, X(args[i])->ty);
        plan[i] = (ArgPlan){.cls = ti->cls, .size = (uint8_t)ti->size, .reg = -1};
        uint32_t need = ti->cls == VC_PAIR ? 2 : ti->cls == VC_VOID ? 0 : 1;
        if (!need)
            continue;
        if (ri + need <= 6) {
            plan[i].reg = (int8_t)ri;
            ri += need;
        } else {
            plan[i].stack = stack;
            stack += (int32_t)need * 8;
        }
    }
    if (stack > g->out_args)
        g->out_args = stack;
    /* a simple argument waits for the call when nothing after it can change what it
     * reads; the last argument evaluated goes straight into its registers */
    bool later_simple = true;
    for (uint32_t i = n; i-- > 0;) {
        bool simple = gen_is_simple(g, args[i]);
        plan[i].deferred = plan[i].cls != VC_MEM && simple && (later_simple || gen_is_constant(g, args[i]));
        if (!simple)
            later_simple = false;
    }
    for (uint32_t i = n; i-- > 0;) {
        if (plan[i].cls == VC_VOID || plan[i].deferred)
            continue;
        plan[i].direct = (plan[i].cls == VC_SCALAR || plan[i].cls == VC_PAIR) && plan[i].reg >= 0;
        break;
    }
    /* arguments left to right */
    for (uint32_t i = 0; i < n; i++) {
        TypeId ty = X(args[i])->ty;
        if (plan[i].cls == VC_VOID) {
            gen_discard(g, args[i]);
        } else if (plan[i].cls == VC_MEM) {
            Loc t = gen_temp(g, ty);
            gen_expr(g, args[i], dest_mem(t));
            plan[i].slot = t.disp;
        } else if (plan[i].direct) {
            gen_value(g, args[i]);
            if (plan[i].cls == VC_PAIR)
                x64_rr(AS, X64_MOV, 8, arg_regs[plan[i].reg + 1], X64_RDX);
            x64_rr(AS, X64_MOV, 8, arg_regs[plan[i].reg], X64_RAX);
        } else if (!plan[i].deferred) {
            gen_value(g, args[i]);
            plan[i].slot = gen_spill(g, ty).disp;
        }
    }
    /* stack arguments first (through rax/rdx), then registers */
    for (uint32_t i = 0; i < n; i++) {
        if (plan[i].cls == VC_VOID || plan[i].reg >= 0)
            continue;
        X64Mem to = x64_mem(X64_RSP, plan[i].stack);
        if (plan[i].cls == VC_MEM) {
            x64_rm(AS, X64_LEA, 8, X64_RAX, x64_mem(X64_RBP, plan[i].slot));
            x64_mr(AS, X64_MOV, 8, to, X64_RAX);
            continue;
        }
        if (plan[i].deferred) {
            gen_load_simple(g, args[i], X64_RAX, X64_RDX);
        } else if (plan[i].cls == VC_PAIR) {
            x64_rm(AS, X64_MOV, 8, X64_RAX, x64_mem(X64_RBP, plan[i].slot));
            x64_rm(AS, X64_MOV, 8, X64_RDX, x64_mem(X64_RBP, plan[i].slot + 8));
        } else {
            gen_load_sized(g, X64_RAX, plan[i].size, x64_mem(X64_RBP, plan[i].slot));
        }
        x64_mr(AS, X64_MOV, 8, to, X64_RAX);
        if (plan[i].cls == VC_PAIR) {
            to.disp += 8;
            x64_mr(AS, X64_MOV, 8, to, X64_RDX);
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (plan[i].cls == VC_VOID || plan[i].reg < 0 || plan[i].direct)
            continue;
        X64Reg r = arg_regs[plan[i].reg];
        X64Reg r2 = plan[i].cls == VC_PAIR ? arg_regs[plan[i].reg + 1] : X64_R11;
        if (plan[i].cls == VC_MEM) {
            x64_rm(AS, X64_LEA, 8, r, x64_mem(X64_RBP, plan[i].slot));
        } else if (plan[i].deferred) {
            gen_load_simple(g, args[i], r, r2);
        } else if (plan[i].cls == VC_PAIR) {
            x64_rm(AS, X64_MOV, 8, r, x64_mem(X64_RBP, plan[i].slot));
            x64_rm(AS, X64_MOV, 8, r2, x64_mem(X64_RBP, plan[i].slot + 8));
        } else {
            gen_load_sized(g, r, plan[i].size, x64_mem(X64_RBP, plan[i].slot));
        }
    }
    if (rti->cls == VC_MEM) {
        Loc d = dest ? *dest : gen_temp(g, ret);
        gen_lea(g, X64_RDI, d);
    }
    x64_call(AS, callee);
    if (gen_type(g, ret)->kind == FE_TYPE_NEVER)
        x64_ud2(AS);
}

/* ---------------------------------------------------------------- control flow */

static LoopCtx *find_loop(Gen *g, ExprId target)
{
    for (uint32_t i = g->loops.len; i-- > 0;)
        if (g->loops.data[i].expr == target)
            return &g->loops.data[i];
    die("break outside its loop");
}

/* A loop's context: break values go to d (a temporary when d discards an aggregate). */
static LoopCtx loop_ctx(Gen *g, ExprId id, Dest d)
{
    LoopCtx lc = {.expr = id, .brk = x64_label(AS), .cont = x64_label(AS)};
    const TyInfo *ti = gen_ty(g, X(id)->ty);
    if (d.kind == DEST_MEM) {
        lc.has_dest = true;
        lc.dest = d.loc;
    } else if (ti->cls == VC_MEM) {
        lc.has_dest = true;
        lc.dest = gen_temp(g, X(id)->ty);
    }
    return lc;
}

void gen_block(Gen *g, ExprId id, Dest d)
{
    FeExpr *e = X(id);
    uint32_t n = e->n;
    for (uint32_t i = 0; i < n && AS->reachable; i++) {
        FeStmt *s = fe_stmt(g->c, X(id)->stmts[i]);
        int32_t mark = g->frame;
        switch (s->kind) {
        case FE_STMT_LET: {
            if (!s->expr)
                break;
            bool keep = g->keep_temps;
            g->keep_temps = true;
            FePat *p = fe_pat(g->c, s->pat);
            ExprId init = s->expr;
            if (p->kind == FE_PAT_BIND) {
                if (gen_ty(g, p->ty)->cls == VC_VOID)
                    gen_discard(g, init);
                else
                    gen_expr(g, init, dest_mem(gen_loc_frame(g->local_slot[p->local])));
            } else if (p->kind == FE_PAT_TUPLE) {
                Loc l = gen_stabilize(g, gen_loc(g, init));
                gen_bind_pattern(g, s->pat, l);
            } else {
                gen_discard(g, init);
            }
            g->keep_temps = keep;
            break;
        }
        case FE_STMT_EXPR: case FE_STMT_SEMI:
            gen_discard(g, s->expr);
            if (!g->keep_temps)
                g->frame = mark;
            break;
        default:
            break;
        }
    }
    e = X(id);
    if (e->a && AS->reachable)
        gen_expr(g, e->a, d);
}

void gen_if(Gen *g, ExprId id, Dest d)
{
    FeExpr *e = X(id);
    ExprId then = e->b, els = e->c;
    X64Label lelse = x64_label(AS), end = x64_label(AS);
    gen_cond(g, e->a, false, lelse);
    gen_expr(g, then, els ? d : dest_none);
    if (els) {
        x64_jmp(AS, end);
        x64_bind(AS, lelse);
        gen_expr(g, els, d);
    } else {
        x64_bind(AS, lelse);
    }
    x64_bind(AS, end);
}

void gen_loop(Gen *g, ExprId id, Dest d)
{
    LoopCtx lc = loop_ctx(g, id, d);
    vec_push(&g->loops, lc);
    x64_bind(AS, lc.cont);
    gen_discard(g, X(id)->b);
    x64_jmp(AS, lc.cont);
    g->loops.len--;
    x64_bind(AS, lc.brk);
    if (d.kind == DEST_VALUE && lc.has_dest)
        die("aggregate loop value into registers");
}

void gen_while(Gen *g, ExprId id)
{
    LoopCtx lc = loop_ctx(g, id, dest_none);
    vec_push(&g->loops, lc);
    x64_bind(AS, lc.cont);
    gen_cond(g, X(id)->a, false, lc.brk);
    gen_discard(g, X(id)->b);
    x64_jmp(AS, lc.cont);
    g->loops.len--;
    x64_bind(AS, lc.brk);
}

/* Jumps to target when the integers at a and b (type ty) satisfy op (LT, GT, EQ...). */
static void jump_cmp(Gen *g, TypeId ty, Loc a, Loc b, int op, X64Label target)
{
    const TyInfo *ti = gen_ty(g, ty);
    if (ti->size <= 8) {
        gen_load(g, ty, a);
        X64Cond cc = gen_compare(g, op, ty, (Opnd){.kind = OPND_MEM, .mem = gen_mem(g, b, 0, X64_R11)});
        x64_jcc(AS, cc, target);
        return;
    }
    X64Label lt = x64_label(AS), gt = x64_label(AS), eq = x64_label(AS);
    gen_cmp_mem(g, ty, a, b, lt, gt);
    x64_jmp(AS, eq);
    bool on_lt = op == FE_BIN_LT || op == FE_BIN_LE || op == FE_BIN_NE;
    bool on_gt = op == FE_BIN_GT || op == FE_BIN_GE || op == FE_BIN_NE;
    bool on_eq = op == FE_BIN_EQ || op == FE_BIN_LE || op == FE_BIN_GE;
    X64Label skip = x64_label(AS);
    x64_bind(AS, lt);
    x64_jmp(AS, on_lt ? target : skip);
    x64_bind(AS, gt);
    x64_jmp(AS, on_gt ? target : skip);
    x64_bind(AS, eq);
    x64_jmp(AS, on_eq ? target : skip);
    x64_bind(AS, skip);
}

/* *at += delta (1 or -1) for an integer of type ty; cannot overflow here. */
static void step(Gen *g, TypeId ty, Loc at, int delta)
{
    const TyInfo *ti = gen_ty(g, ty);
    X64Mem m = gen_mem(g, at, 0, X64_R11);
    if (ti->size == 16) {
        x64_mi(AS, delta > 0 ? X64_ADD : X64_SUB, 8, m, 1);
        m.disp += 8;
        x64_mi(AS, delta > 0 ? X64_ADC : X64_SBB, 8, m, 0);
    } else {
        x64_m(AS, delta > 0 ? X64_INC : X64_DEC, (int)ti->size, m);
    }
}

/* `for pat in lo..hi` / `lo..=hi` / their `.rev()`, as Range and RangeInclusive
 * iterate: never past the end, so `0..=255u8` stops without overflowing. */
void gen_for(Gen *g, ExprId id)
{
    FeExpr *e = X(id);
    const FeExpr *r = X(e->a);
    bool incl = (r->flags & FE_EXPR_INCLUSIVE) != 0, rev = (e->flags & FE_EXPR_REV) != 0;
    ExprId lo = r->a, hi = r->b, body = e->b;
    PatId pat = e->pat;
    TypeId ty = X(lo)->ty;
    Loc start = gen_temp(g, ty);
    gen_value(g, lo);
    gen_store(g, ty, start);
    Loc end = gen_temp(g, ty);
    gen_value(g, hi);
    gen_store(g, ty, end);
    FePat *p = fe_pat(g->c, pat);
    Loc var = p->kind == FE_PAT_BIND ? gen_loc_frame(g->local_slot[p->local]) : gen_temp(g, ty);
    LoopCtx lc = loop_ctx(g, id, dest_none);
    vec_push(&g->loops, lc);
    if (!incl) {
        X64Label head = lc.cont;
        x64_bind(AS, head);
        jump_cmp(g, ty, start, end, FE_BIN_GE, lc.brk);
        if (rev) {
            step(g, ty, end, -1);
            gen_load(g, ty, end);
        } else {
            gen_load(g, ty, start);
            gen_store(g, ty, var);
            step(g, ty, start, 1);
        }
        if (rev)
            gen_store(g, ty, var);
        gen_discard(g, body);
        x64_jmp(AS, head);
    } else {
        X64Label top = x64_label(AS);
        jump_cmp(g, ty, start, end, FE_BIN_GT, lc.brk);
        x64_bind(AS, top);
        gen_load(g, ty, rev ? end : start);
        gen_store(g, ty, var);
        gen_discard(g, body);
        x64_bind(AS, lc.cont);
        jump_cmp(g, ty, start, end, FE_BIN_EQ, lc.brk);
        step(g, ty, rev ? end : start, rev ? -1 : 1);
        x64_jmp(AS, top);
    }
    g->loops.len--;
    x64_bind(AS, lc.brk);
}

void gen_break(Gen *g, ExprId id)
{
    FeExpr *e = X(id);
    LoopCtx lc = *find_loop(g, e->target);
    if (e->kind == FE_EXPR_CONTINUE) {
        x64_jmp(AS, lc.cont);
        return;
    }
    if (e->a) {
        if (lc.has_dest)
            gen_expr(g, e->a, dest_mem(lc.dest));
        else
            gen_value(g, e->a);
    }
    if (AS->reachable)
        x64_jmp(AS, lc.brk);
}

void gen_return(Gen *g, ExprId value)
{
    if (value) {
        if (g->ret_cls == VC_MEM)
            gen_expr(g, value, dest_mem((Loc){.kind = LOC_IND, .slot = g->sret_slot}));
        else if (g->ret_cls == VC_VOID)
            gen_discard(g, value);
        else
            gen_value(g, value);
    }
    if (AS->reachable)
        x64_jmp(AS, g->ret_label);
}

void gen_body(Gen *g, ExprId body)
{
    if (g->ret_cls == VC_MEM)
        gen_expr(g, body, dest_mem((Loc){.kind = LOC_IND, .slot = g->sret_slot}));
    else if (g->ret_cls == VC_VOID)
        gen_discard(g, body);
    else
        gen_value(g, body);
}

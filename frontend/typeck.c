/*
 * frontend/typeck.c — type checking and inference of function bodies.
 *
 * Bidirectional: each expression is checked with an expected type (a hint) and its
 * type is unified or coerced where Rust coerces (let with a type, arguments,
 * returns, struct fields, array elements, assignment, break values). Inference
 * variables (integer or general) are bound by unification; integer variables left
 * unbound at the end of a function become i32, as in rustc, and integer literals
 * are range-checked against their final type (rustc's `overflowing_literals`, only
 * when the crate has no type errors, as rustc runs lints). Coercions and method
 * receiver adjustments are inserted as explicit nodes (see tree.h). Signatures,
 * struct fields and const values come from typeck_sig.c.
 */
#include "frontend/typeck.h"

#include <string.h>

/* ---------------------------------------------------------------- helpers */

const char *tc_sym(Tc *tc, Sym s) { return sym_str(&tc->sess->names, s); }

void tc_error(Tc *tc, const char *code, Span span, const char *label, const char *fmt, ...)
{
    tc->errors++;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (code)
        diag_emit_code(&tc->sess->diag, DIAG_ERROR, code, span, label, "%s", msg);
    else
        diag_emit(&tc->sess->diag, DIAG_ERROR, span, label, "%s", msg);
}

/* The type as rustc prints it in messages; an integer variable is "integer". */
const char *tc_tystr(Tc *tc, TypeId ty)
{
    ty = tc_resolve(tc, ty);
    StrBuf sb = {0};
    if (fe_type(tc->c, ty)->kind == FE_TYPE_INT_VAR)
        sb_puts(&sb, "{integer}");
    else
        fe_type_str(tc->c, ty, &sb);
    char *s = arena_strndup(&tc->sess->arena, sb_str(&sb), sb.len);
    sb_free(&sb);
    return s;
}

/* "`i32`" or "integer" (rustc's found/expected wording). */
static const char *quoted(Tc *tc, TypeId ty)
{
    ty = tc_resolve(tc, ty);
    if (fe_type(tc->c, ty)->kind == FE_TYPE_INT_VAR)
        return "integer";
    return arena_printf(&tc->sess->arena, "`%s`", tc_tystr(tc, ty));
}

static FeExpr *X(Tc *tc, ExprId id) { return fe_expr(tc->c, id); }
static const FeType *T(Tc *tc, TypeId id) { return fe_type(tc->c, id); }
static int kind_of(Tc *tc, TypeId ty) { return T(tc, tc_resolve(tc, ty))->kind; }

TypeId tc_new_var(Tc *tc, bool is_int)
{
    uint32_t n = tc->vars.len;
    vec_push(&tc->vars, (TypeId)0);
    return ty_var(tc->c, is_int, n);
}

TypeId tc_resolve(Tc *tc, TypeId ty)
{
    for (;;) {
        const FeType *t = T(tc, ty);
        if ((t->kind != FE_TYPE_INFER && t->kind != FE_TYPE_INT_VAR) || !tc->vars.data[t->len])
            return ty;
        ty = tc->vars.data[t->len];
    }
}

/* Replaces every bound variable inside ty (deep); unbound int vars become i32 when
 * `finish`, unbound general vars stay. */
TypeId tc_zonk(Tc *tc, TypeId ty, bool finish)
{
    ty = tc_resolve(tc, ty);
    const FeType *t = T(tc, ty);
    if (!t->has_vars)
        return ty;
    switch (t->kind) {
    case FE_TYPE_INT_VAR:
        if (finish) {
            tc->vars.data[t->len] = FE_TY_INT(FE_INT_I32);
            return FE_TY_INT(FE_INT_I32);
        }
        return ty;
    case FE_TYPE_INFER:
        return ty;
    case FE_TYPE_REF: return ty_ref(tc->c, tc_zonk(tc, t->inner, finish), t->sub);
    case FE_TYPE_ARRAY: return ty_array(tc->c, tc_zonk(tc, t->inner, finish), t->len);
    case FE_TYPE_SLICE: return ty_slice(tc->c, tc_zonk(tc, t->inner, finish));
    case FE_TYPE_RANGE: return ty_range(tc->c, tc_zonk(tc, t->inner, finish));
    case FE_TYPE_TUPLE: {
        uint32_t n = t->nelems;
        TypeId buf[64] = {0}, *elems = n <= 64 ? buf : xmalloc(n * sizeof(TypeId));
        for (uint32_t i = 0; i < n; i++)
            elems[i] = tc_zonk(tc, T(tc, ty)->elems[i], finish);
        TypeId r = ty_tuple(tc->c, elems, n);
        if (elems != buf)
            xfree(elems);
        return r;
    }
    default:
        return ty;
    }
}

bool tc_unify(Tc *tc, TypeId a, TypeId b)
{
    a = tc_resolve(tc, a);
    b = tc_resolve(tc, b);
    if (a == b)
        return true;
    const FeType *ta = T(tc, a), *tb = T(tc, b);
    /* a variable takes even an error's type: no follow-up error about `_` */
    if (ta->kind == FE_TYPE_INFER && tb->kind == FE_TYPE_ERROR) {
        tc->vars.data[ta->len] = b;
        return true;
    }
    if (tb->kind == FE_TYPE_INFER && ta->kind == FE_TYPE_ERROR) {
        tc->vars.data[tb->len] = a;
        return true;
    }
    if (ta->kind == FE_TYPE_ERROR || tb->kind == FE_TYPE_ERROR)
        return true;
    if (ta->kind == FE_TYPE_INFER) {
        tc->vars.data[ta->len] = b;
        return true;
    }
    if (tb->kind == FE_TYPE_INFER) {
        tc->vars.data[tb->len] = a;
        return true;
    }
    if (ta->kind == FE_TYPE_INT_VAR && (tb->kind == FE_TYPE_INT || tb->kind == FE_TYPE_INT_VAR)) {
        tc->vars.data[ta->len] = b;
        return true;
    }
    if (tb->kind == FE_TYPE_INT_VAR && ta->kind == FE_TYPE_INT) {
        tc->vars.data[tb->len] = a;
        return true;
    }
    if (ta->kind != tb->kind || ta->sub != tb->sub)
        return false;
    switch (ta->kind) {
    case FE_TYPE_REF: case FE_TYPE_SLICE: case FE_TYPE_RANGE:
        return tc_unify(tc, ta->inner, tb->inner);
    case FE_TYPE_ARRAY:
        return ta->len == tb->len && tc_unify(tc, ta->inner, tb->inner);
    case FE_TYPE_TUPLE:
        if (ta->nelems != tb->nelems)
            return false;
        for (uint32_t i = 0; i < ta->nelems; i++)
            if (!tc_unify(tc, T(tc, a)->elems[i], T(tc, b)->elems[i]))
                return false;
        return true;
    default:
        return false;
    }
}

static ExprId wrap(Tc *tc, ExprId inner, int kind, int op, TypeId ty)
{
    ExprId id = fe_store_new(&tc->c->exprs);
    FeExpr *e = X(tc, id);
    e->kind = (uint8_t)kind;
    e->op = (uint8_t)op;
    e->flags = FE_EXPR_IMPLICIT;
    e->a = inner;
    e->ty = ty;
    e->span = X(tc, inner)->span;
    vec_push(&tc->visited, id);
    return id;
}

static ExprId deref_node(Tc *tc, ExprId inner)
{
    TypeId ty = tc_resolve(tc, X(tc, inner)->ty);
    return wrap(tc, inner, FE_EXPR_UNARY, FE_UN_DEREF, T(tc, ty)->inner);
}

static ExprId ref_node(Tc *tc, ExprId inner, bool mut)
{
    ExprId id = wrap(tc, inner, FE_EXPR_REF, 0, ty_ref(tc->c, X(tc, inner)->ty, mut));
    if (mut)
        X(tc, id)->flags |= FE_EXPR_MUT;
    return id;
}

/* Where rustc points for a value of a block-like expression: its tail. */
static Span value_span(Tc *tc, ExprId id)
{
    for (int i = 0; i < 64; i++) {
        FeExpr *e = X(tc, id);
        if (e->kind == FE_EXPR_BLOCK && e->a)
            id = e->a;
        else if (e->kind == FE_EXPR_COERCE || (e->kind == FE_EXPR_PAREN && 0))
            id = e->a;
        else
            break;
    }
    return X(tc, id)->span;
}

void tc_mismatch(Tc *tc, Span span, TypeId expected, TypeId found)
{
    expected = tc_resolve(tc, expected);
    found = tc_resolve(tc, found);
    const FeType *te = T(tc, expected), *tf = T(tc, found);
    char label[512];
    if (te->kind == FE_TYPE_ARRAY && tf->kind == FE_TYPE_ARRAY && te->len != tf->len)
        snprintf(label, sizeof label, "expected an array with a size of %llu, found one with a size of %llu",
                 (unsigned long long)te->len, (unsigned long long)tf->len);
    else
        snprintf(label, sizeof label, "expected %s, found %s", quoted(tc, expected), quoted(tc, found));
    tc_error(tc, "E0308", span, label, "mismatched types");
}

/* Coerces expression *id to `target` (a coercion site); reports E0308. */
void tc_coerce(Tc *tc, ExprId *id, TypeId target)
{
    TypeId actual = tc_resolve(tc, X(tc, *id)->ty);
    target = tc_resolve(tc, target);
    const FeType *ta = T(tc, actual), *tt = T(tc, target);
    if (ta->kind == FE_TYPE_NEVER) {
        if (tt->kind != FE_TYPE_NEVER && tt->kind != FE_TYPE_INFER)
            *id = wrap(tc, *id, FE_EXPR_COERCE, FE_COERCE_NEVER_TO_ANY, target);
        return;
    }
    if (ta->kind == FE_TYPE_REF && tt->kind == FE_TYPE_REF && (ta->sub || !tt->sub)) {
        TypeId ai = tc_resolve(tc, ta->inner), ti = tc_resolve(tc, tt->inner);
        if (T(tc, ai)->kind == FE_TYPE_ARRAY && T(tc, ti)->kind == FE_TYPE_SLICE) {
            if (!tc_unify(tc, T(tc, ai)->inner, T(tc, ti)->inner)) {
                tc_mismatch(tc, value_span(tc, *id), target, actual);
                return;
            }
            *id = wrap(tc, *id, FE_EXPR_COERCE, FE_COERCE_UNSIZE, target);
            return;
        }
        if (ta->sub && !tt->sub) {
            if (!tc_unify(tc, ai, ti)) {
                tc_mismatch(tc, value_span(tc, *id), target, actual);
                return;
            }
            *id = wrap(tc, *id, FE_EXPR_COERCE, FE_COERCE_REBORROW, target);
            return;
        }
    }
    if (!tc_unify(tc, actual, target))
        tc_mismatch(tc, value_span(tc, *id), target, actual);
}

static bool is_int(Tc *tc, TypeId ty)
{
    int k = kind_of(tc, ty);
    return k == FE_TYPE_INT || k == FE_TYPE_INT_VAR;
}

/* Inserts implicit derefs while *id is a reference to a number or bool (operators
 * on &i32 work through references). */
static void auto_deref_value(Tc *tc, ExprId *id)
{
    TypeId ty = tc_resolve(tc, X(tc, *id)->ty);
    int depth = 0;
    while (T(tc, ty)->kind == FE_TYPE_REF && depth < 8)
        ty = tc_resolve(tc, T(tc, ty)->inner), depth++;
    int k = T(tc, ty)->kind;
    if (k != FE_TYPE_INT && k != FE_TYPE_INT_VAR && k != FE_TYPE_BOOL)
        return;
    for (int i = 0; i < depth; i++)
        *id = deref_node(tc, *id);
}

/* ---------------------------------------------------------------- traits */

/* Does the type implement the (derivable or built-in) trait? */
bool tc_has_trait(Tc *tc, TypeId ty, int trait, int depth)
{
    ty = tc_resolve(tc, ty);
    const FeType *t = T(tc, ty);
    if (depth > 32)
        return false;
    switch (t->kind) {
    case FE_TYPE_ERROR: case FE_TYPE_NEVER: return true;
    case FE_TYPE_INT: case FE_TYPE_INT_VAR: return true;
    case FE_TYPE_BOOL: case FE_TYPE_CHAR: case FE_TYPE_STR:
        return trait != TR_HEX;
    case FE_TYPE_REF:
        if (trait == TR_COPY || trait == TR_CLONE)
            return !t->sub;
        return tc_has_trait(tc, t->inner, trait, depth + 1);
    case FE_TYPE_TUPLE:
        if (trait == TR_DISPLAY || trait == TR_HEX)
            return false;
        for (uint32_t i = 0; i < t->nelems; i++)
            if (!tc_has_trait(tc, T(tc, ty)->elems[i], trait, depth + 1))
                return false;
        return true;
    case FE_TYPE_ARRAY: case FE_TYPE_SLICE:
        if (trait == TR_DISPLAY || trait == TR_HEX || (t->kind == FE_TYPE_SLICE && (trait == TR_COPY || trait == TR_CLONE)))
            return false;
        return tc_has_trait(tc, t->inner, trait, depth + 1);
    case FE_TYPE_STRUCT: {
        uint16_t flags = t->item.krate == FE_LOCAL_CRATE ? fe_item(tc->c, t->item.item)->flags : 0;
        switch (trait) {
        case TR_DEBUG: return flags & FE_DERIVE_DEBUG;
        case TR_CLONE: return flags & FE_DERIVE_CLONE;
        case TR_COPY: return flags & FE_DERIVE_COPY;
        case TR_EQ: return flags & FE_DERIVE_PARTIAL_EQ;
        default: return false;
        }
    }
    default:
        return false;
    }
}

/* ---------------------------------------------------------------- expressions */

static TypeId check(Tc *tc, ExprId id, TypeId expect);

/* Checks *id with an expectation and coerces it to `target`. */
void tc_check_coerce(Tc *tc, ExprId *id, TypeId target)
{
    check(tc, *id, target);
    tc_coerce(tc, id, target);
}

static TypeId set(Tc *tc, ExprId id, TypeId ty)
{
    X(tc, id)->ty = ty;
    return ty;
}

static TypeId check_int_lit(Tc *tc, ExprId id, TypeId expect)
{
    FeExpr *e = X(tc, id);
    if (!(e->flags & FE_EXPR_IMPLICIT))
        vec_push(&tc->shared->literals, id);
    if (e->op)
        return set(tc, id, FE_TY_INT(e->op - 1));
    if (expect && is_int(tc, expect))
        return set(tc, id, tc_resolve(tc, expect));
    return set(tc, id, tc_new_var(tc, true));
}

static const char *binop_verb(int op)
{
    switch (op) {
    case FE_BIN_ADD: return "add";
    case FE_BIN_SUB: return "subtract";
    case FE_BIN_MUL: return "multiply";
    case FE_BIN_DIV: return "divide";
    case FE_BIN_REM: return "calculate the remainder of";
    default: return NULL;
    }
}

static const char *const binop_text[] = {
#define XX(k, s, prec) s,
    FE_BIN_OPS(XX)
#undef XX
};

static TypeId check_binary(Tc *tc, ExprId id, TypeId expect, bool assign)
{
    FeExpr *e = X(tc, id);
    int op = e->op;
    if (op == FE_BIN_AND || op == FE_BIN_OR) {
        tc_check_coerce(tc, &X(tc, id)->a, FE_TY_BOOL);
        tc_check_coerce(tc, &X(tc, id)->b, FE_TY_BOOL);
        return set(tc, id, assign ? FE_TY_UNIT : FE_TY_BOOL);
    }
    bool cmp = op >= FE_BIN_EQ && op <= FE_BIN_GT;
    bool shift = op == FE_BIN_SHL || op == FE_BIN_SHR;
    /* no expectation for the operands: as in rustc, literals get their type by
     * unifying the result (`(49 + i) as u8` has i's type, not u8's) */
    (void)expect;
    TypeId lt = check(tc, e->a, 0);
    if (!assign && !cmp)
        auto_deref_value(tc, &X(tc, id)->a);
    lt = tc_resolve(tc, X(tc, X(tc, id)->a)->ty);
    TypeId rhint = shift ? 0 : (cmp ? lt : (is_int(tc, lt) || kind_of(tc, lt) == FE_TYPE_BOOL ? lt : 0));
    check(tc, X(tc, id)->b, rhint);
    if (!cmp)
        auto_deref_value(tc, &X(tc, id)->b);
    e = X(tc, id);
    TypeId rt = tc_resolve(tc, X(tc, e->b)->ty);
    lt = tc_resolve(tc, lt);
    if (kind_of(tc, lt) == FE_TYPE_ERROR || kind_of(tc, rt) == FE_TYPE_ERROR)
        return set(tc, id, cmp ? FE_TY_BOOL : FE_TY_ERROR);
    Span opspan = {e->span.file, e->op_lo, e->op_lo + (uint32_t)strlen(binop_text[op]) + (assign ? 1 : 0)};
    if (!e->op_lo)
        opspan = e->span;
    if (cmp) {
        bool eq = op == FE_BIN_EQ || op == FE_BIN_NE;
        bool ok_type = eq ? tc_has_trait(tc, lt, TR_EQ, 0) : tc_has_trait(tc, lt, TR_ORD, 0);
        if (!ok_type) {
            tc_error(tc, "E0369", opspan, NULL, "binary operation `%s` cannot be applied to type `%s`", binop_text[op],
                     tc_tystr(tc, lt));
            return set(tc, id, FE_TY_BOOL);
        }
        if (!tc_unify(tc, lt, rt))
            tc_mismatch(tc, X(tc, e->b)->span, lt, rt);
        return set(tc, id, FE_TY_BOOL);
    }
    bool bitop = op == FE_BIN_BITAND || op == FE_BIN_BITOR || op == FE_BIN_BITXOR;
    bool lhs_ok = is_int(tc, lt) || (bitop && kind_of(tc, lt) == FE_TYPE_BOOL);
    if (!lhs_ok) {
        const char *verb = binop_verb(op);
        if (assign)
            tc_error(tc, "E0368", X(tc, e->a)->span, NULL, "binary assignment operation `%s=` cannot be applied to type `%s`",
                     binop_text[op], tc_tystr(tc, lt));
        else if (verb)
            tc_error(tc, "E0369", opspan, NULL, "cannot %s `%s` %s `%s`", verb, tc_tystr(tc, rt),
                     op == FE_BIN_ADD ? "to" : op == FE_BIN_SUB ? "from" : op == FE_BIN_MUL ? "by" : "by",
                     tc_tystr(tc, lt));
        else
            tc_error(tc, "E0369", opspan, NULL, "no implementation for `%s %s %s`", tc_tystr(tc, lt), binop_text[op],
                     tc_tystr(tc, rt));
        return set(tc, id, FE_TY_ERROR);
    }
    if (shift) {
        if (!is_int(tc, rt)) {
            tc_error(tc, "E0277", opspan, NULL, "no implementation for `%s %s %s`", tc_tystr(tc, lt), binop_text[op],
                     tc_tystr(tc, rt));
        }
        return set(tc, id, assign ? FE_TY_UNIT : lt);
    }
    if (!tc_unify(tc, lt, rt)) {
        tc_mismatch(tc, X(tc, e->b)->span, lt, rt);
        return set(tc, id, assign ? FE_TY_UNIT : lt);
    }
    return set(tc, id, assign ? FE_TY_UNIT : lt);
}

static FeFn *fn_of(Tc *tc, ItemRef r) { return &fe_item(tc->c, r.item)->fn; }

static TypeId self_param_type(Tc *tc, const FeFn *fn)
{
    switch (fn->self_kind) {
    case FE_SELF_VALUE: return fn->self_ty;
    case FE_SELF_REF: return ty_ref(tc->c, fn->self_ty, false);
    case FE_SELF_REF_MUT: return ty_ref(tc->c, fn->self_ty, true);
    default: return 0;
    }
}

/* Checks call arguments args[from..n) against fn's parameters params[pfrom..]. */
static void check_args(Tc *tc, ExprId call, const FeFn *fn, uint32_t from, uint32_t pfrom, const char *what, Span span)
{
    FeExpr *e = X(tc, call);
    uint32_t nargs = e->n - from, nparams = fn->nparams - pfrom;
    if (nargs != nparams) {
        tc_error(tc, "E0061", span, NULL, "this %s takes %u argument%s but %u argument%s supplied", what, nparams,
                 nparams == 1 ? "" : "s", nargs, nargs == 1 ? " was" : "s were");
        for (uint32_t i = from; i < e->n; i++)
            check(tc, X(tc, call)->args[i], 0);
        return;
    }
    for (uint32_t i = 0; i < nargs; i++) {
        uint32_t pi = pfrom + i;
        TypeId pt = pi == 0 && fn->self_kind != FE_SELF_NONE ? self_param_type(tc, fn) : fn->params[pi].ty;
        tc_check_coerce(tc, &X(tc, call)->args[from + i], pt);
    }
}

static TypeId check_call(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    FeExpr *callee = X(tc, e->a);
    if (callee->kind == FE_EXPR_ITEM) {
        ItemRef ref = callee->item;
        FeItem *it = fe_item(tc->c, ref.item);
        if (it->kind == FE_ITEM_FN && (it->flags & FE_ITEM_BUILTIN)) {
            /* std::process::exit(code: i32) -> ! */
            if (e->n != 1) {
                tc_error(tc, "E0061", callee->span, NULL, "this function takes 1 argument but %u argument%s supplied",
                         e->n, e->n == 1 ? " was" : "s were");
                return set(tc, id, FE_TY_NEVER);
            }
            tc_check_coerce(tc, &X(tc, id)->args[0], FE_TY_INT(FE_INT_I32));
            e = X(tc, id);
            e->kind = FE_EXPR_BUILTIN;
            e->op = FE_BUILTIN_EXIT;
            e->name = it->name;
            return set(tc, id, FE_TY_NEVER);
        }
        if (it->kind == FE_ITEM_FN && (it->flags & FE_ITEM_STUB)) {
            /* a dependency's private function (already reported): no signature */
            for (uint32_t i = 0; i < e->n; i++)
                check(tc, X(tc, id)->args[i], 0);
            return set(tc, id, FE_TY_ERROR);
        }
        if (it->kind == FE_ITEM_FN) {
            const FeFn *fn = fn_of(tc, ref);
            check_args(tc, id, fn, 0, 0, "function", callee->span);
            e = X(tc, id);
            e->item = ref;
            return set(tc, id, fn->ret);
        }
        if (it->kind == FE_ITEM_STRUCT && it->st.shape == 1) {
            /* tuple struct constructor: a struct literal in field order */
            const FeStruct *st = &it->st;
            if (e->n != st->nfields) {
                tc_error(tc, "E0061", callee->span, NULL, "this struct takes %u argument%s but %u argument%s supplied",
                         st->nfields, st->nfields == 1 ? "" : "s", e->n, e->n == 1 ? " was" : "s were");
                return set(tc, id, st->ty);
            }
            bool visible = true;
            for (uint32_t i = 0; i < st->nfields; i++)
                visible &= tc_field_visible(tc, ref.item, i);
            if (!visible) {
                /* rustc points at the path's last segment */
                Span at = callee->path && callee->path->nsegs ? callee->path->segs[callee->path->nsegs - 1].span
                                                              : callee->span;
                tc_error(tc, "E0603", at, "private tuple struct constructor", "tuple struct constructor `%s` is private",
                         tc_sym(tc, it->name));
            }
            for (uint32_t i = 0; i < st->nfields; i++) {
                if (visible)
                    tc_check_coerce(tc, &X(tc, id)->args[i], st->fields[i].ty);
                else
                    check(tc, X(tc, id)->args[i], 0);
            }
            e = X(tc, id);
            e->kind = FE_EXPR_STRUCT;
            e->item = ref;
            e->a = 0;
            e->b = 0;
            return set(tc, id, st->ty);
        }
        tc_error(tc, "E0618", callee->span, NULL, "expected function, found %s `%s`",
                 it->kind == FE_ITEM_STRUCT ? "struct" : it->kind == FE_ITEM_CONST ? "constant" : "static",
                 tc_sym(tc, it->name));
        return set(tc, id, FE_TY_ERROR);
    }
    if (callee->kind == FE_EXPR_ERROR) {
        for (uint32_t i = 0; i < e->n; i++)
            check(tc, X(tc, id)->args[i], 0);
        return set(tc, id, FE_TY_ERROR);
    }
    TypeId ct = check(tc, e->a, 0);
    if (kind_of(tc, ct) != FE_TYPE_ERROR)
        tc_error(tc, "E0618", X(tc, X(tc, id)->a)->span, NULL, "expected function, found `%s`", tc_tystr(tc, ct));
    return set(tc, id, FE_TY_ERROR);
}

/* Is the method's self type reachable by auto-deref from the receiver? Inserts the
 * adjustment and returns true when it is. */
static bool adjust_receiver(Tc *tc, ExprId call, const FeFn *fn)
{
    ExprId recv = X(tc, call)->args[0];
    TypeId want = fn->self_ty;
    ExprId cur = recv;
    ExprId prev = 0;
    for (int step = 0; step < 16; step++) {
        TypeId ty = tc_resolve(tc, X(tc, cur)->ty);
        if (ty == want) {
            ExprId adj;
            if (fn->self_kind == FE_SELF_VALUE) {
                adj = cur;
            } else {
                bool mut = fn->self_kind == FE_SELF_REF_MUT;
                TypeId pty = prev ? tc_resolve(tc, X(tc, prev)->ty) : 0;
                if (prev && T(tc, pty)->kind == FE_TYPE_REF && (T(tc, pty)->sub || !mut)) {
                    /* the previous step already is a suitable reference: drop the deref */
                    adj = prev;
                    if (T(tc, pty)->sub && !mut)
                        adj = wrap(tc, adj, FE_EXPR_COERCE, FE_COERCE_REBORROW, ty_ref(tc->c, want, false));
                } else {
                    adj = ref_node(tc, cur, mut);
                }
            }
            X(tc, call)->args[0] = adj;
            return true;
        }
        if (T(tc, ty)->kind != FE_TYPE_REF)
            return false;
        prev = cur;
        cur = deref_node(tc, cur);
    }
    return false;
}

/* Built-in methods: len() on arrays, slices and str; clone() on Clone types. */
static bool builtin_method(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    const char *name = tc_sym(tc, e->name);
    ExprId recv = e->args[0];
    TypeId rt = tc_resolve(tc, X(tc, recv)->ty);
    bool is_len = strcmp(name, "len") == 0, is_clone = strcmp(name, "clone") == 0;
    if (!is_len && !is_clone)
        return false;
    /* peel references to the underlying value */
    ExprId cur = recv;
    TypeId ty = rt;
    while (T(tc, ty)->kind == FE_TYPE_REF) {
        cur = deref_node(tc, cur);
        ty = tc_resolve(tc, T(tc, ty)->inner);
    }
    int k = T(tc, ty)->kind;
    if (is_len) {
        if (k != FE_TYPE_ARRAY && k != FE_TYPE_SLICE && k != FE_TYPE_STR)
            return false;
        if (e->n != 1) {
            tc_error(tc, "E0061", X(tc, id)->span, NULL, "this method takes 0 arguments but %u argument%s supplied",
                     e->n - 1, e->n == 2 ? " was" : "s were");
            return true;
        }
        e = X(tc, id);
        e->kind = FE_EXPR_BUILTIN;
        e->op = FE_BUILTIN_LEN;
        e->args[0] = ref_node(tc, cur, false);
        set(tc, id, FE_TY_INT(FE_INT_USIZE));
        return true;
    }
    /* clone: rustc picks T::clone when T: Clone, else (&T)::clone for references */
    if (!tc_has_trait(tc, ty, TR_CLONE, 0)) {
        if (T(tc, rt)->kind == FE_TYPE_REF)
            ty = rt, cur = recv;  /* cloning the reference itself */
        else
            return false;
    }
    if (e->n != 1) {
        tc_error(tc, "E0061", X(tc, id)->span, NULL, "this method takes 0 arguments but %u argument%s supplied",
                 e->n - 1, e->n == 2 ? " was" : "s were");
        return true;
    }
    e = X(tc, id);
    e->kind = FE_EXPR_BUILTIN;
    e->op = FE_BUILTIN_CLONE;
    e->args[0] = ref_node(tc, cur, false);
    set(tc, id, ty);
    return true;
}

static TypeId check_method(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    check(tc, e->args[0], 0);  /* the arguments are checked against the parameters below */
    e = X(tc, id);
    TypeId rt = tc_resolve(tc, X(tc, e->args[0])->ty);
    if (T(tc, rt)->kind == FE_TYPE_ERROR) {
        for (uint32_t i = 1; i < e->n; i++)
            check(tc, X(tc, id)->args[i], 0);
        return set(tc, id, FE_TY_ERROR);
    }
    /* the struct behind the references */
    TypeId base = rt;
    while (T(tc, base)->kind == FE_TYPE_REF)
        base = tc_resolve(tc, T(tc, base)->inner);
    Span name_span = {e->span.file, e->op_lo, e->op_lo + (uint32_t)sym_len(&tc->sess->names, e->name)};
    if (T(tc, base)->kind == FE_TYPE_STRUCT) {
        ItemId fnid = tc_find_method(tc, T(tc, base)->item.item, e->name);
        if (fnid) {
            FeItem *fit = fe_item(tc->c, fnid);
            const FeFn *fn = &fit->fn;
            if (fn->self_kind == FE_SELF_NONE) {
                tc_error(tc, "E0599", name_span, "this is an associated function, not a method",
                         "no method named `%s` found for struct `%s` in the current scope", tc_sym(tc, e->name),
                         tc_tystr(tc, base));
                return set(tc, id, FE_TY_ERROR);
            }
            if (!resolve_visible(tc->c, fnid, tc->mod))
                tc_error(tc, "E0624", name_span, "private method", "method `%s` is private", tc_sym(tc, e->name));
            if (fit->flags & FE_ITEM_STUB) {
                /* a dependency's private method: known by name only */
                for (uint32_t i = 1; i < X(tc, id)->n; i++)
                    check(tc, X(tc, id)->args[i], 0);
                return set(tc, id, FE_TY_ERROR);
            }
            if (!adjust_receiver(tc, id, fn)) {
                tc_error(tc, "E0599", name_span, NULL, "no method named `%s` found for `%s` in the current scope",
                         tc_sym(tc, e->name), tc_tystr(tc, rt));
                return set(tc, id, FE_TY_ERROR);
            }
            check_args(tc, id, fn, 1, 1, "method", name_span);
            e = X(tc, id);
            e->item = (ItemRef){FE_LOCAL_CRATE, fnid};
            return set(tc, id, fn->ret);
        }
    }
    if (builtin_method(tc, id))
        return X(tc, id)->ty;
    /* valid Rust outside the subset: a std method of a primitive type, or a derived
     * trait's method called by name */
    const char *mname = tc_sym(tc, e->name);
    int bk = T(tc, base)->kind;
    uint16_t derives = bk == FE_TYPE_STRUCT ? fe_item(tc->c, T(tc, base)->item.item)->flags : 0;
    if (std_method_of(bk, mname) ||
        ((strcmp(mname, "eq") == 0 || strcmp(mname, "ne") == 0) && (derives & FE_DERIVE_PARTIAL_EQ)) ||
        (strcmp(mname, "fmt") == 0 && (derives & FE_DERIVE_DEBUG)) ||
        ((strcmp(mname, "to_owned") == 0 || strcmp(mname, "clone_from") == 0) && (derives & FE_DERIVE_CLONE))) {
        tc_error(tc, NULL, name_span, NULL, "unsupported: method `%s` of `%s` (outside the Rust subset)", mname,
                 tc_tystr(tc, base));
        for (uint32_t i = 1; i < X(tc, id)->n; i++)
            check(tc, X(tc, id)->args[i], 0);
        return set(tc, id, FE_TY_ERROR);
    }
    const char *what = T(tc, rt)->kind == FE_TYPE_STRUCT ? "struct" : T(tc, rt)->kind == FE_TYPE_REF ? "reference" : "type";
    char label[256];
    snprintf(label, sizeof label, "method not found in `%s`", tc_tystr(tc, rt));
    tc_error(tc, "E0599", name_span, label, "no method named `%s` found for %s `%s` in the current scope",
             tc_sym(tc, e->name), what, tc_tystr(tc, rt));
    for (uint32_t i = 1; i < X(tc, id)->n; i++)
        check(tc, X(tc, id)->args[i], 0);
    return set(tc, id, FE_TY_ERROR);
}

static TypeId check_field(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    check(tc, e->a, 0);
    e = X(tc, id);
    TypeId ty = tc_resolve(tc, X(tc, e->a)->ty);
    while (T(tc, ty)->kind == FE_TYPE_REF) {
        X(tc, id)->a = deref_node(tc, X(tc, id)->a);
        ty = tc_resolve(tc, T(tc, ty)->inner);
    }
    e = X(tc, id);
    const FeType *t = T(tc, ty);
    Span fspan = {e->span.file, e->op_lo, e->span.hi};
    if (t->kind == FE_TYPE_ERROR)
        return set(tc, id, FE_TY_ERROR);
    if (t->kind == FE_TYPE_STRUCT) {
        const FeItem *it = fe_item(tc->c, t->item.item);
        const FeStruct *st = &it->st;
        for (uint32_t i = 0; i < st->nfields; i++) {
            bool match = e->name ? st->fields[i].name == e->name : (st->shape == 1 && i == e->field);
            if (!match)
                continue;
            if (!tc_field_visible(tc, t->item.item, i)) {
                char f[32];
                snprintf(f, sizeof f, "%u", i);
                tc_error(tc, "E0616", fspan, "private field", "field `%s` of struct `%s` is private",
                         e->name ? tc_sym(tc, e->name) : f, tc_sym(tc, it->name));
            }
            e->field = i;
            return set(tc, id, st->fields[i].ty);
        }
    } else if (t->kind == FE_TYPE_TUPLE && !e->name) {
        if (e->field < t->nelems)
            return set(tc, id, t->elems[e->field]);
    } else if (t->kind != FE_TYPE_TUPLE && t->kind != FE_TYPE_ARRAY && t->kind != FE_TYPE_SLICE &&
               t->kind != FE_TYPE_STR) {
        tc_error(tc, "E0610", fspan, NULL, "`%s` is a primitive type and therefore doesn't have fields",
                 tc_tystr(tc, ty));
        return set(tc, id, FE_TY_ERROR);
    }
    char f[32];
    snprintf(f, sizeof f, "%u", e->field);
    tc_error(tc, "E0609", fspan, "unknown field", "no field `%s` on type `%s`", e->name ? tc_sym(tc, e->name) : f,
             tc_tystr(tc, ty));
    return set(tc, id, FE_TY_ERROR);
}

static TypeId check_index(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    check(tc, e->a, 0);
    TypeId ty = tc_resolve(tc, X(tc, X(tc, id)->a)->ty);
    while (T(tc, ty)->kind == FE_TYPE_REF) {
        X(tc, id)->a = deref_node(tc, X(tc, id)->a);
        ty = tc_resolve(tc, T(tc, ty)->inner);
    }
    const FeType *t = T(tc, ty);
    e = X(tc, id);
    if (t->kind == FE_TYPE_ERROR) {
        check(tc, e->b, 0);
        return set(tc, id, FE_TY_ERROR);
    }
    if (t->kind != FE_TYPE_ARRAY && t->kind != FE_TYPE_SLICE) {
        check(tc, e->b, 0);
        Span isp = X(tc, id)->span;
        isp.lo = X(tc, X(tc, id)->a)->span.hi;
        tc_error(tc, "E0608", isp, NULL, "cannot index into a value of type `%s`", tc_tystr(tc, ty));
        return set(tc, id, FE_TY_ERROR);
    }
    TypeId elem = t->inner;
    FeExpr *ix = X(tc, e->b);
    if (ix->kind == FE_EXPR_RANGE) {
        /* slicing: a[lo..hi] is [T] */
        if (ix->a)
            tc_check_coerce(tc, &ix->a, FE_TY_INT(FE_INT_USIZE));
        ix = X(tc, X(tc, id)->b);
        if (ix->b)
            tc_check_coerce(tc, &ix->b, FE_TY_INT(FE_INT_USIZE));
        set(tc, X(tc, id)->b, ty_range(tc->c, FE_TY_INT(FE_INT_USIZE)));
        vec_push(&tc->visited, X(tc, id)->b);
        return set(tc, id, ty_slice(tc->c, elem));
    }
    TypeId it = check(tc, e->b, FE_TY_INT(FE_INT_USIZE));
    if (!tc_unify(tc, it, FE_TY_INT(FE_INT_USIZE))) {
        const char *label = "slice indices are of type `usize` or ranges of `usize`";
        tc_error(tc, "E0277", X(tc, X(tc, id)->b)->span, label, "the type `[%s]` cannot be indexed by `%s`",
                 tc_tystr(tc, elem), tc_tystr(tc, it));
    }
    return set(tc, id, elem);
}

/* Is the expression an integer literal (maybe negated or parenthesized)? Such an
 * operand of `as` takes the cast's type (`300 as u8` is a u8 literal, as in rustc). */
static bool is_literal(Tc *tc, ExprId id)
{
    for (int i = 0; i < 64; i++) {
        FeExpr *e = X(tc, id);
        if (e->kind == FE_EXPR_INT)
            return true;
        if (e->kind == FE_EXPR_PAREN || (e->kind == FE_EXPR_UNARY && e->op == FE_UN_NEG))
            id = e->a;
        else
            return false;
    }
    return false;
}

static TypeId check_cast(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    TypeId target = tc_lower_type(tc, e->tyx);
    int tk = kind_of(tc, target);
    TypeId st = check(tc, e->a, tk == FE_TYPE_INT && is_literal(tc, e->a) ? target : 0);
    st = tc_resolve(tc, st);
    int sk = kind_of(tc, st);
    set(tc, id, target);
    if (sk == FE_TYPE_ERROR || tk == FE_TYPE_ERROR)
        return target;
    bool ok = false;
    if (tk == FE_TYPE_INT)
        ok = sk == FE_TYPE_INT || sk == FE_TYPE_INT_VAR || sk == FE_TYPE_BOOL || sk == FE_TYPE_CHAR;
    else if (tk == FE_TYPE_CHAR)
        ok = sk == FE_TYPE_CHAR || (sk == FE_TYPE_INT && T(tc, st)->sub == FE_INT_U8) ||
             (sk == FE_TYPE_INT_VAR && tc_unify(tc, st, FE_TY_INT(FE_INT_U8)));
    else if (tk == FE_TYPE_BOOL)
        ok = sk == FE_TYPE_BOOL;
    else
        ok = tc_unify(tc, st, target);
    if (!ok) {
        st = tc_zonk(tc, st, true);  /* rustc reports casts after integer defaults */
        if (tk == FE_TYPE_CHAR && (sk == FE_TYPE_INT || sk == FE_TYPE_INT_VAR))
            tc_error(tc, "E0604", X(tc, id)->span, NULL, "only `u8` can be cast as `char`, not `%s`", tc_tystr(tc, st));
        else if (sk == FE_TYPE_STRUCT || sk == FE_TYPE_TUPLE || sk == FE_TYPE_ARRAY)
            tc_error(tc, "E0605", X(tc, id)->span, NULL, "non-primitive cast: `%s` as `%s`", tc_tystr(tc, st),
                     tc_tystr(tc, target));
        else if (tk == FE_TYPE_BOOL && (sk == FE_TYPE_INT || sk == FE_TYPE_INT_VAR))
            tc_error(tc, "E0054", X(tc, id)->span, "unsupported cast", "cannot cast `%s` as `bool`", tc_tystr(tc, st));
        else
            tc_error(tc, "E0606", X(tc, id)->span, NULL, "casting `%s` as `%s` is invalid", tc_tystr(tc, st),
                     tc_tystr(tc, target));
    }
    return target;
}

static bool diverges(Tc *tc, TypeId ty) { return kind_of(tc, ty) == FE_TYPE_NEVER; }

/* The pattern gets type ty; binds locals. */
void tc_bind_pattern(Tc *tc, PatId id, TypeId ty)
{
    FePat *p = fe_pat(tc->c, id);
    p->ty = ty;
    vec_push(&tc->pats, id);
    switch (p->kind) {
    case FE_PAT_BIND:
        tc->fn->locals[p->local].ty = ty;
        break;
    case FE_PAT_TUPLE: {
        TypeId t = tc_resolve(tc, ty);
        if (kind_of(tc, t) == FE_TYPE_INFER) {
            TypeId elems[256];
            for (uint32_t i = 0; i < p->n && i < 256; i++)
                elems[i] = tc_new_var(tc, false);
            tc_unify(tc, t, ty_tuple(tc->c, elems, MIN(p->n, 256u)));
            t = tc_resolve(tc, t);
        }
        const FeType *tt = T(tc, t);
        if (tt->kind == FE_TYPE_ERROR) {
            for (uint32_t i = 0; i < p->n; i++)
                tc_bind_pattern(tc, p->elems[i], FE_TY_ERROR);
            break;
        }
        if (tt->kind != FE_TYPE_TUPLE || tt->nelems != p->n) {
            char label[256];
            if (tt->kind == FE_TYPE_TUPLE)
                snprintf(label, sizeof label, "expected a tuple with %u elements, found one with %u elements",
                         tt->nelems, p->n);
            else
                snprintf(label, sizeof label, "expected %s, found tuple", quoted(tc, t));
            tc_error(tc, "E0308", p->span, label, "mismatched types");
            for (uint32_t i = 0; i < p->n; i++)
                tc_bind_pattern(tc, fe_pat(tc->c, id)->elems[i], FE_TY_ERROR);
            break;
        }
        for (uint32_t i = 0; i < p->n; i++)
            tc_bind_pattern(tc, fe_pat(tc->c, id)->elems[i], T(tc, t)->elems[i]);
        break;
    }
    default:
        break;
    }
}

static TypeId check_block(Tc *tc, ExprId id, TypeId expect)
{
    bool div = false;
    uint32_t n = X(tc, id)->n;
    for (uint32_t i = 0; i < n; i++) {
        FeStmt *s = fe_stmt(tc->c, X(tc, id)->stmts[i]);
        if (s->kind == FE_STMT_LET) {
            TypeId ty = s->tyx ? tc_lower_type(tc, s->tyx) : tc_new_var(tc, false);
            if (s->expr) {
                check(tc, s->expr, ty);
                tc_coerce(tc, &fe_stmt(tc->c, X(tc, id)->stmts[i])->expr, ty);
                s = fe_stmt(tc->c, X(tc, id)->stmts[i]);
                div |= diverges(tc, X(tc, s->expr)->ty);
            }
            s->ty = ty;
            vec_push(&tc->stmts_seen, X(tc, id)->stmts[i]);
            tc_bind_pattern(tc, s->pat, ty);
        } else if (s->kind == FE_STMT_EXPR) {
            TypeId t = check(tc, s->expr, FE_TY_UNIT);
            if (diverges(tc, t))
                div = true;
            else if (!tc_unify(tc, t, FE_TY_UNIT))
                tc_mismatch(tc, X(tc, s->expr)->span, FE_TY_UNIT, t);
        } else if (s->kind == FE_STMT_SEMI) {
            TypeId t = check(tc, s->expr, 0);
            div |= diverges(tc, t);
        }
    }
    FeExpr *e = X(tc, id);
    if (e->a)
        return set(tc, id, check(tc, e->a, expect));
    return set(tc, id, div ? FE_TY_NEVER : FE_TY_UNIT);
}

/* The common type of two branches (if/else): never gives way to the other. */
static TypeId join(Tc *tc, ExprId *a, ExprId *b, TypeId expect, const char *code, const char *msg)
{
    TypeId ta = tc_resolve(tc, X(tc, *a)->ty), tb = tc_resolve(tc, X(tc, *b)->ty);
    if (diverges(tc, ta) && diverges(tc, tb))
        return FE_TY_NEVER;
    TypeId target = expect && kind_of(tc, expect) != FE_TYPE_INFER ? expect : diverges(tc, ta) ? tb : ta;
    TypeId before_b = tb;
    tc_coerce(tc, a, target);
    /* second branch: rustc's "`if` and `else` have incompatible types" */
    TypeId actual = tc_resolve(tc, X(tc, *b)->ty);
    if (!diverges(tc, actual) && !(kind_of(tc, actual) == FE_TYPE_REF && kind_of(tc, target) == FE_TYPE_REF)) {
        if (!tc_unify(tc, actual, target)) {
            char label[256];
            snprintf(label, sizeof label, "expected %s, found %s", quoted(tc, target), quoted(tc, before_b));
            ExprId tail = *b;
            while (X(tc, tail)->kind == FE_EXPR_BLOCK && X(tc, tail)->a)
                tail = X(tc, tail)->a;
            tc_error(tc, code, X(tc, tail)->span, label, "%s", msg);
        }
    } else {
        tc_coerce(tc, b, target);
    }
    return tc_resolve(tc, target);
}

static TypeId check_if(Tc *tc, ExprId id, TypeId expect)
{
    tc_check_coerce(tc, &X(tc, id)->a, FE_TY_BOOL);
    FeExpr *e = X(tc, id);
    if (!e->c) {
        TypeId want = expect ? tc_resolve(tc, expect) : 0;
        int wk = want ? T(tc, want)->kind : FE_TYPE_INFER;
        if (wk != FE_TYPE_INFER && wk != FE_TYPE_ERROR && wk != FE_TYPE_NEVER && want != FE_TY_UNIT) {
            /* an `if` without `else` where a value is expected */
            check(tc, e->b, FE_TY_UNIT);
            char label[256];
            snprintf(label, sizeof label, "expected %s, found `()`", quoted(tc, want));
            tc_error(tc, "E0317", X(tc, id)->span, label, "`if` may be missing an `else` clause");
            return set(tc, id, FE_TY_ERROR);
        }
        TypeId t = check(tc, e->b, FE_TY_UNIT);
        if (!diverges(tc, t) && !tc_unify(tc, t, FE_TY_UNIT)) {
            char label[256];
            snprintf(label, sizeof label, "expected %s, found `()`", quoted(tc, t));
            tc_error(tc, "E0317", X(tc, id)->span, label, "`if` may be missing an `else` clause");
        }
        return set(tc, id, FE_TY_UNIT);
    }
    check(tc, e->b, expect);
    check(tc, X(tc, id)->c, expect ? expect : X(tc, X(tc, id)->b)->ty);
    e = X(tc, id);
    TypeId t = join(tc, &e->b, &e->c, expect, "E0308", "`if` and `else` have incompatible types");
    return set(tc, id, t);
}

static TypeId check_loop_like(Tc *tc, ExprId id, TypeId expect)
{
    FeExpr *e = X(tc, id);
    Loop lp = {id, 0, false};
    if (e->kind == FE_EXPR_LOOP)
        lp.break_ty = expect && kind_of(tc, expect) != FE_TYPE_NEVER ? expect : tc_new_var(tc, false);
    if (e->kind == FE_EXPR_WHILE)
        tc_check_coerce(tc, &X(tc, id)->a, FE_TY_BOOL);
    if (e->kind == FE_EXPR_FOR) {
        /* for pat in a..b / a..=b / (a..b).rev() */
        ExprId it = X(tc, id)->a;
        FeExpr *ix = X(tc, it);
        while (ix->kind == FE_EXPR_PAREN)
            ix = X(tc, ix->a);
        if (ix->kind == FE_EXPR_METHOD_CALL && ix->n == 1 && strcmp(tc_sym(tc, ix->name), "rev") == 0) {
            ExprId inner = ix->args[0];
            while (X(tc, inner)->kind == FE_EXPR_PAREN)
                inner = X(tc, inner)->a;
            if (X(tc, inner)->kind == FE_EXPR_RANGE) {
                X(tc, id)->flags |= FE_EXPR_REV;
                X(tc, id)->a = inner;
                ix = X(tc, inner);
            }
        }
        ExprId rid = X(tc, id)->a;
        while (X(tc, rid)->kind == FE_EXPR_PAREN)
            rid = X(tc, rid)->a;
        X(tc, id)->a = rid;
        FeExpr *r = X(tc, rid);
        if (r->kind != FE_EXPR_RANGE || !r->a || !r->b) {
            tc_error(tc, NULL, X(tc, rid)->span, NULL,
                     "unsupported: `for` loops over anything but integer ranges `a..b`, `a..=b` and their `.rev()`");
            check(tc, rid, 0);
            tc_bind_pattern(tc, X(tc, id)->pat, FE_TY_ERROR);
        } else {
            TypeId lo = check(tc, r->a, 0);
            TypeId hi = check(tc, X(tc, rid)->b, lo);
            if (!tc_unify(tc, lo, hi))
                tc_mismatch(tc, X(tc, X(tc, rid)->b)->span, lo, hi);
            if (!is_int(tc, lo) && kind_of(tc, lo) != FE_TYPE_ERROR) {
                tc_error(tc, "E0277", X(tc, rid)->span, NULL, "the trait bound `%s: Step` is not satisfied",
                         tc_tystr(tc, lo));
            }
            set(tc, rid, ty_range(tc->c, lo));
            vec_push(&tc->visited, rid);
            tc_bind_pattern(tc, X(tc, id)->pat, lo);
        }
    }
    vec_push(&tc->loops, lp);
    TypeId bt = check(tc, X(tc, id)->b, FE_TY_UNIT);
    Loop done = vec_pop(&tc->loops);
    if (!diverges(tc, bt) && !tc_unify(tc, bt, FE_TY_UNIT))
        tc_mismatch(tc, X(tc, X(tc, id)->b)->span, FE_TY_UNIT, bt);
    e = X(tc, id);
    if (e->kind != FE_EXPR_LOOP)
        return set(tc, id, FE_TY_UNIT);
    if (!done.has_break)
        return set(tc, id, FE_TY_NEVER);
    return set(tc, id, done.break_ty);
}

static Loop *find_loop(Tc *tc, ExprId target)
{
    for (uint32_t i = tc->loops.len; i-- > 0;)
        if (tc->loops.data[i].expr == target)
            return &tc->loops.data[i];
    return NULL;
}

static TypeId check_break(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    Loop *lp = e->target ? find_loop(tc, e->target) : NULL;
    if (e->kind == FE_EXPR_CONTINUE || !lp) {
        if (e->a)
            check(tc, e->a, 0);
        return set(tc, id, FE_TY_NEVER);
    }
    lp->has_break = true;
    if (e->a) {
        if (X(tc, lp->expr)->kind != FE_EXPR_LOOP) {
            check(tc, e->a, 0);
            tc_error(tc, "E0571", X(tc, id)->span, "can only break with a value inside `loop` or breakable block",
                     "`break` with value from a `%s` loop", X(tc, lp->expr)->kind == FE_EXPR_WHILE ? "while" : "for");
            return set(tc, id, FE_TY_NEVER);
        }
        TypeId bty = lp->break_ty;
        check(tc, e->a, bty);
        tc_coerce(tc, &X(tc, id)->a, bty);
    } else if (X(tc, lp->expr)->kind == FE_EXPR_LOOP) {
        if (!tc_unify(tc, lp->break_ty, FE_TY_UNIT))
            tc_mismatch(tc, X(tc, id)->span, lp->break_ty, FE_TY_UNIT);
    }
    return set(tc, id, FE_TY_NEVER);
}

static TypeId check_struct_lit(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    ItemId sid = e->item.item;
    FeItem *it = fe_item(tc->c, sid);
    const FeStruct *st = &it->st;
    uint32_t nf = st->nfields;
    ExprId *vals = arena_new(&tc->sess->arena, ExprId, nf ? nf : 1);
    Span path_span = X(tc, e->a)->span;
    for (uint32_t i = 0; i < e->n; i++) {
        FeExpr *init = X(tc, X(tc, id)->args[i]);
        uint32_t fi = UINT32_MAX;
        for (uint32_t k = 0; k < nf; k++)
            if (init->name ? st->fields[k].name == init->name : (st->shape == 1 && k == init->field))
                fi = k;
        if (fi == UINT32_MAX) {
            char f[32];
            snprintf(f, sizeof f, "%u", init->field);
            char label[128];
            snprintf(label, sizeof label, "`%s` does not have this field", tc_sym(tc, it->name));
            tc_error(tc, "E0560", init->span, label, "struct `%s` has no field named `%s`", tc_sym(tc, it->name),
                     init->name ? tc_sym(tc, init->name) : f);
            check(tc, init->a, 0);
            continue;
        }
        if (vals[fi]) {
            tc_error(tc, "E0062", init->span, "used more than once", "field `%s` specified more than once",
                     tc_sym(tc, st->fields[fi].name));
            check(tc, init->a, 0);
            continue;
        }
        ExprId v = init->a;
        if (!tc_field_visible(tc, sid, fi)) {
            tc_error(tc, "E0451", init->span, "private field", "field `%s` of struct `%s` is private",
                     tc_sym(tc, st->fields[fi].name), tc_sym(tc, it->name));
            check(tc, v, 0);  /* no follow-up error against the field's type */
        } else {
            tc_check_coerce(tc, &v, st->fields[fi].ty);
        }
        vals[fi] = v;
    }
    /* missing fields */
    uint32_t missing = 0, first = 0;
    for (uint32_t k = 0; k < nf; k++)
        if (!vals[k] && missing++ == 0)
            first = k;
    bool private_fields = false;
    for (uint32_t k = 0; k < nf; k++)
        private_fields |= !tc_field_visible(tc, sid, k);
    if (missing && private_fields) {
        tc_error(tc, NULL, path_span, NULL, "cannot construct `%s` with struct literal syntax due to private fields",
                 tc_sym(tc, it->name));
    } else if (missing) {
        StrBuf names = {0};
        uint32_t shown = 0;
        for (uint32_t k = 0; k < nf && shown < 3; k++) {
            if (vals[k])
                continue;
            if (shown)
                sb_puts(&names, shown + 1 == MIN(missing, 3u) ? " and " : ", ");
            sb_printf(&names, "`%s`", tc_sym(tc, st->fields[k].name));
            shown++;
        }
        if (missing > 3)
            sb_printf(&names, " and %u other field%s", missing - 3, missing - 3 == 1 ? "" : "s");
        char label[256];
        snprintf(label, sizeof label, "missing %s", sb_str(&names));
        tc_error(tc, "E0063", path_span, label, "missing field%s %s in initializer of `%s`", missing == 1 ? "" : "s",
                 sb_str(&names), tc_sym(tc, it->name));
        sb_free(&names);
        (void)first;
    }
    e = X(tc, id);
    e->args = vals;
    e->n = nf;
    e->a = 0;
    e->b = 0;
    e->c = 0;
    if (missing) {
        for (uint32_t k = 0; k < nf; k++)
            if (!vals[k]) {
                vals[k] = fe_store_new(&tc->c->exprs);
                X(tc, vals[k])->kind = FE_EXPR_ERROR;
                X(tc, vals[k])->ty = FE_TY_ERROR;
            }
    }
    return set(tc, id, st->ty);
}

static TypeId check_item_value(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    FeItem *it = fe_item(tc->c, e->item.item);
    switch (it->kind) {
    case FE_ITEM_CONST:
        if (it->krate && !it->cst.init && !(it->flags & FE_ITEM_STUB)) {
            tc_error(tc, NULL, e->span, NULL,
                     "unsupported: constant `%s` of crate `%s` (its initializer cannot be used from another crate)",
                     tc_sym(tc, it->name), tc_sym(tc, tc->c->crates.data[it->krate].name));
            return set(tc, id, FE_TY_ERROR);
        }
        return set(tc, id, it->cst.ty);
    case FE_ITEM_STATIC:
        return set(tc, id, it->cst.ty);
    case FE_ITEM_STRUCT:
        if (it->st.shape == 2) {
            e->kind = FE_EXPR_STRUCT;
            e->n = 0;
            e->args = NULL;
            return set(tc, id, it->st.ty);
        }
        tc_error(tc, NULL, e->span, NULL, "unsupported: tuple struct constructors used as functions");
        return set(tc, id, FE_TY_ERROR);
    case FE_ITEM_FN:
        tc_error(tc, NULL, e->span, NULL, "unsupported: functions used as values (function pointers)");
        return set(tc, id, FE_TY_ERROR);
    default:
        tc_error(tc, "E0423", e->span, NULL, "expected value, found module `%s`", tc_sym(tc, it->name));
        return set(tc, id, FE_TY_ERROR);
    }
}

static TypeId check_unary(Tc *tc, ExprId id, TypeId expect)
{
    FeExpr *e = X(tc, id);
    switch (e->op) {
    case FE_UN_DEREF: {
        TypeId t = tc_resolve(tc, check(tc, e->a, 0));
        if (kind_of(tc, t) == FE_TYPE_REF)
            return set(tc, id, T(tc, t)->inner);
        if (kind_of(tc, t) != FE_TYPE_ERROR)
            tc_error(tc, "E0614", X(tc, id)->span, NULL, "type `%s` cannot be dereferenced", tc_tystr(tc, t));
        return set(tc, id, FE_TY_ERROR);
    }
    case FE_UN_NOT: {
        TypeId t = check(tc, e->a, expect);
        auto_deref_value(tc, &X(tc, id)->a);
        t = tc_resolve(tc, X(tc, X(tc, id)->a)->ty);
        int k = kind_of(tc, t);
        if (k != FE_TYPE_BOOL && k != FE_TYPE_INT && k != FE_TYPE_INT_VAR && k != FE_TYPE_ERROR) {
            tc_error(tc, "E0600", X(tc, id)->span, "cannot apply unary operator `!`",
                     "cannot apply unary operator `!` to type `%s`", tc_tystr(tc, t));
            return set(tc, id, FE_TY_ERROR);
        }
        return set(tc, id, t);
    }
    default: {
        if (X(tc, e->a)->kind == FE_EXPR_INT && !(X(tc, e->a)->flags & FE_EXPR_IMPLICIT)) {
            /* a negative literal: range-checked as one */
            X(tc, e->a)->flags |= FE_EXPR_NEG_LIT;
            vec_push(&tc->shared->neg_literals, id);
        }
        TypeId t = check(tc, e->a, expect && is_int(tc, expect) && is_literal(tc, e->a) ? expect : 0);
        auto_deref_value(tc, &X(tc, id)->a);
        t = tc_resolve(tc, X(tc, X(tc, id)->a)->ty);
        int k = kind_of(tc, t);
        if (k == FE_TYPE_INT_VAR) {
            vec_push(&tc->negs, id);  /* checked signed once inferred */
            return set(tc, id, t);
        }
        if ((k == FE_TYPE_INT && T(tc, t)->sub >= FE_INT_U8) || (k != FE_TYPE_INT && k != FE_TYPE_ERROR)) {
            tc_error(tc, "E0600", X(tc, id)->span, "cannot apply unary operator `-`",
                     "cannot apply unary operator `-` to type `%s`", tc_tystr(tc, t));
            return set(tc, id, FE_TY_ERROR);
        }
        return set(tc, id, t);
    }
    }
}

static TypeId check(Tc *tc, ExprId id, TypeId expect)
{
    if (!id)
        return FE_TY_UNIT;
    vec_push(&tc->visited, id);
    FeExpr *e = X(tc, id);
    switch (e->kind) {
    case FE_EXPR_ERROR: return set(tc, id, FE_TY_ERROR);
    case FE_EXPR_INT: return check_int_lit(tc, id, expect);
    case FE_EXPR_FLOAT:
        tc_error(tc, NULL, e->span, NULL, "unsupported: floating-point numbers");
        return set(tc, id, FE_TY_ERROR);
    case FE_EXPR_BOOL: return set(tc, id, FE_TY_BOOL);
    case FE_EXPR_CHAR: return set(tc, id, e->op ? FE_TY_INT(FE_INT_U8) : FE_TY_CHAR);
    case FE_EXPR_STR:
        if (e->op)
            return set(tc, id, ty_ref(tc->c, ty_array(tc->c, FE_TY_INT(FE_INT_U8), e->n), false));
        return set(tc, id, FE_TY_STR_REF);
    case FE_EXPR_LOCAL:
        if (!tc->fn) {
            tc_error(tc, "E0435", e->span, "non-constant value", "attempt to use a non-constant value in a constant");
            return set(tc, id, FE_TY_ERROR);
        }
        return set(tc, id, tc->fn->locals[e->local].ty);
    case FE_EXPR_ITEM: return check_item_value(tc, id);
    case FE_EXPR_UNARY: return check_unary(tc, id, expect);
    case FE_EXPR_REF: {
        TypeId inner_expect = 0;
        if (expect && kind_of(tc, expect) == FE_TYPE_REF) {
            inner_expect = T(tc, tc_resolve(tc, expect))->inner;
            if (kind_of(tc, inner_expect) == FE_TYPE_SLICE)
                inner_expect = 0;
        }
        TypeId t = check(tc, e->a, inner_expect);
        return set(tc, id, ty_ref(tc->c, t, (X(tc, id)->flags & FE_EXPR_MUT) != 0));
    }
    case FE_EXPR_BINARY: return check_binary(tc, id, expect, false);
    case FE_EXPR_ASSIGN_OP: return check_binary(tc, id, 0, true);
    case FE_EXPR_ASSIGN: {
        TypeId lt = check(tc, e->a, 0);
        int lk = X(tc, X(tc, id)->a)->kind;
        if (lk != FE_EXPR_LOCAL && lk != FE_EXPR_FIELD && lk != FE_EXPR_INDEX &&
            !(lk == FE_EXPR_UNARY && X(tc, X(tc, id)->a)->op == FE_UN_DEREF) && lk != FE_EXPR_ERROR &&
            !(lk == FE_EXPR_ITEM)) {
            Span eq = {X(tc, id)->span.file, X(tc, id)->op_lo, X(tc, id)->op_lo + 1};
            tc_error(tc, "E0070", eq, "cannot assign to this expression", "invalid left-hand side of assignment");
        }
        tc_check_coerce(tc, &X(tc, id)->b, lt);
        return set(tc, id, FE_TY_UNIT);
    }
    case FE_EXPR_CALL: return check_call(tc, id);
    case FE_EXPR_METHOD_CALL: return check_method(tc, id);
    case FE_EXPR_FIELD: return check_field(tc, id);
    case FE_EXPR_INDEX: return check_index(tc, id);
    case FE_EXPR_CAST: return check_cast(tc, id);
    case FE_EXPR_BLOCK: return check_block(tc, id, expect);
    case FE_EXPR_IF: return check_if(tc, id, expect);
    case FE_EXPR_WHILE: case FE_EXPR_LOOP: case FE_EXPR_FOR: return check_loop_like(tc, id, expect);
    case FE_EXPR_RANGE:
        tc_error(tc, NULL, e->span, NULL, "unsupported: ranges outside `for` loops and slicing");
        return set(tc, id, FE_TY_ERROR);
    case FE_EXPR_BREAK: case FE_EXPR_CONTINUE: return check_break(tc, id);
    case FE_EXPR_RETURN: {
        if (!tc->fn) {
            tc_error(tc, "E0572", e->span, NULL, "return statement outside of function body");
            return set(tc, id, FE_TY_NEVER);
        }
        if (e->a) {
            tc_check_coerce(tc, &X(tc, id)->a, tc->ret);
        } else if (!tc_unify(tc, tc->ret, FE_TY_UNIT)) {
            tc_error(tc, "E0069", e->span, "return type is not `()`", "`return;` in a function whose return type is not `()`");
        }
        return set(tc, id, FE_TY_NEVER);
    }
    case FE_EXPR_STRUCT: return check_struct_lit(tc, id);
    case FE_EXPR_TUPLE: {
        TypeId elems[256];
        TypeId ex = expect ? tc_resolve(tc, expect) : 0;
        bool use_ex = ex && T(tc, ex)->kind == FE_TYPE_TUPLE && T(tc, ex)->nelems == e->n;
        if (e->n > 256) {
            tc_error(tc, NULL, e->span, NULL, "unsupported: tuples of more than 256 elements");
            return set(tc, id, FE_TY_ERROR);
        }
        for (uint32_t i = 0; i < e->n; i++) {
            TypeId want = use_ex ? T(tc, ex)->elems[i] : 0;
            check(tc, X(tc, id)->args[i], want);
            if (want)
                tc_coerce(tc, &X(tc, id)->args[i], want);
            elems[i] = X(tc, X(tc, id)->args[i])->ty;
        }
        return set(tc, id, ty_tuple(tc->c, elems, X(tc, id)->n));
    }
    case FE_EXPR_ARRAY: {
        TypeId ex = expect ? tc_resolve(tc, expect) : 0;
        TypeId elem = ex && (T(tc, ex)->kind == FE_TYPE_ARRAY) ? T(tc, ex)->inner : 0;
        for (uint32_t i = 0; i < e->n; i++) {
            check(tc, X(tc, id)->args[i], elem);
            if (!elem) {
                elem = X(tc, X(tc, id)->args[i])->ty;
                if (diverges(tc, elem))
                    elem = 0;
            } else {
                tc_coerce(tc, &X(tc, id)->args[i], elem);
            }
        }
        if (!elem)
            elem = tc_new_var(tc, false);
        return set(tc, id, ty_array(tc->c, elem, X(tc, id)->n));
    }
    case FE_EXPR_REPEAT: {
        TypeId ex = expect ? tc_resolve(tc, expect) : 0;
        TypeId elem = ex && T(tc, ex)->kind == FE_TYPE_ARRAY ? T(tc, ex)->inner : 0;
        TypeId t = check(tc, e->a, elem);
        if (elem)
            tc_coerce(tc, &X(tc, id)->a, elem);
        else
            elem = t;
        uint64_t n = 0;
        if (!tc_eval_length(tc, X(tc, id)->b, &n))
            return set(tc, id, FE_TY_ERROR);
        X(tc, id)->value = n;
        if (n > 1 && !tc_has_trait(tc, elem, TR_COPY, 0) && kind_of(tc, elem) != FE_TYPE_INFER)
            tc_error(tc, "E0277", X(tc, X(tc, id)->a)->span, NULL, "the trait bound `%s: Copy` is not satisfied",
                     tc_tystr(tc, elem));
        return set(tc, id, ty_array(tc->c, elem, n));
    }
    case FE_EXPR_PAREN: {
        TypeId t = check(tc, e->a, expect);
        return set(tc, id, t);
    }
    case FE_EXPR_MACRO: return tc_check_macro(tc, id);
    default:
        die("typeck: unexpected expression kind %d", e->kind);
    }
}

TypeId tc_check_expr(Tc *tc, ExprId id, TypeId expect) { return check(tc, id, expect); }

/* ---------------------------------------------------------------- functions */

/* After a body: every variable resolved (int vars to i32), literals recorded. */
void tc_finish_body(Tc *tc)
{
    for (uint32_t i = 0; i < tc->negs.len; i++) {
        ExprId id = tc->negs.data[i];
        TypeId t = tc_zonk(tc, X(tc, id)->ty, true);
        if (kind_of(tc, t) == FE_TYPE_INT && T(tc, t)->sub >= FE_INT_U8)
            tc_error(tc, "E0600", X(tc, id)->span, "cannot apply unary operator `-`",
                     "cannot apply unary operator `-` to type `%s`", tc_tystr(tc, t));
    }
    tc->negs.len = 0;
    for (uint32_t i = 0; i < tc->visited.len; i++) {
        FeExpr *e = X(tc, tc->visited.data[i]);
        TypeId t = tc_zonk(tc, e->ty, true);
        if (T(tc, t)->has_vars) {
            if (!tc->errors)
                tc_error(tc, "E0282", e->span, NULL, "type annotations needed");
            t = FE_TY_ERROR;
        }
        e->ty = t;
    }
    tc->visited.len = 0;
    if (tc->fn) {
        for (uint32_t i = 0; i < tc->fn->nlocals; i++) {
            TypeId t = tc_zonk(tc, tc->fn->locals[i].ty, true);
            if (T(tc, t)->has_vars) {
                if (!tc->errors)
                    tc_error(tc, "E0282", tc->fn->locals[i].span, NULL, "type annotations needed");
                t = FE_TY_ERROR;
            }
            tc->fn->locals[i].ty = t;
        }
    }
    for (uint32_t i = 0; i < tc->pats.len; i++) {
        FePat *p = fe_pat(tc->c, tc->pats.data[i]);
        p->ty = tc_zonk(tc, p->ty, true);
    }
    tc->pats.len = 0;
    for (uint32_t i = 0; i < tc->stmts_seen.len; i++) {
        FeStmt *s = fe_stmt(tc->c, tc->stmts_seen.data[i]);
        s->ty = tc_zonk(tc, s->ty, true);
    }
    tc->stmts_seen.len = 0;
}

static void check_fn(Tc *tc, ItemId id)
{
    FeItem *it = fe_item(tc->c, id);
    FeFn *fn = &it->fn;
    if (!fn->body)
        return;
    /* variables are numbered per function: nothing of the previous body refers to
     * them after tc_finish_body, so their interned types are reused */
    tc->vars.len = 0;
    tc->fn = fn;
    tc->fn_id = id;
    tc->mod = fe_item_module(tc->c, id);
    tc->ret = fn->ret;
    for (uint32_t i = 0; i < fn->nparams; i++) {
        TypeId pt = i == 0 && fn->self_kind != FE_SELF_NONE ? self_param_type(tc, fn) : fn->params[i].ty;
        fn->params[i].ty = pt;
        tc_bind_pattern(tc, fn->params[i].pat, pt);
    }
    ExprId body = fn->body;
    TypeId bt = check(tc, body, fn->ret);
    if (!X(tc, body)->a && tc_resolve(tc, bt) == FE_TY_UNIT && fn->ret_tyx &&
        !tc_unify(tc, FE_TY_UNIT, fn->ret)) {
        /* no tail expression: rustc points at the return type */
        char label[256];
        snprintf(label, sizeof label, "expected %s, found `()`", quoted(tc, fn->ret));
        tc_error(tc, "E0308", fe_tyx(tc->c, fn->ret_tyx)->span, label, "mismatched types");
        X(tc, body)->ty = fn->ret;
    }
    tc_coerce(tc, &body, fn->ret);
    if (body != fn->body) {
        /* the body's value was coerced: keep the BLOCK as the body, coerce its tail */
        FeExpr *b = X(tc, fn->body);
        if (b->a) {
            ExprId tail = b->a;
            tc_coerce(tc, &tail, fn->ret);
            b->a = tail;
        }
        b->ty = fn->ret;
    }
    tc_finish_body(tc);
    tc->fn = NULL;
}

void tc_free(Tc *tc)
{
    vec_free(&tc->vars);
    vec_free(&tc->loops);
    vec_free(&tc->visited);
    vec_free(&tc->int_lits);
    vec_free(&tc->negs);
    vec_free(&tc->pats);
    vec_free(&tc->stmts_seen);
}

bool typeck_crate(FeCrate *c)
{
    TcShared shared = {0};
    Tc tc = {0};
    tc.c = c;
    tc.sess = c->sess;
    tc.shared = &shared;
    tc_collect_signatures(&tc);
    if (tc.errors) {
        tc_free(&tc);
        xfree(shared.method_keys);
        xfree(shared.method_fns);
        return false;
    }
    for (ItemId id = 1; id < c->items.len; id++) {
        FeItem *it = fe_item(c, id);
        if (it->kind == FE_ITEM_CONST || it->kind == FE_ITEM_STATIC)
            tc_check_const(&tc, id);
    }
    for (ItemId id = 1; id < c->items.len; id++) {
        FeItem *it = fe_item(c, id);
        if (it->kind == FE_ITEM_FN && !(it->flags & FE_ITEM_BUILTIN))
            check_fn(&tc, id);
    }
    if (c->main_fn) {
        const FeFn *m = &fe_item(c, c->main_fn)->fn;
        if (m->nparams || (m->ret != FE_TY_UNIT && m->ret != FE_TY_NEVER)) {
            Span hs = fe_item(c, c->main_fn)->head_span;
            hs.hi = hs.lo + 2;
            tc_error(&tc, m->nparams ? "E0580" : "E0277", m->nparams ? hs : fe_item(c, c->main_fn)->span, NULL,
                     m->nparams ? "`main` function has wrong type" : "`main` has invalid return type `%s`",
                     tc_tystr(&tc, m->ret));
        }
    }
    /* lints run only on a crate without type errors, as in rustc */
    if (!tc.errors)
        tc_check_literals(&tc);
    bool ok = tc.errors == 0;
    tc_free(&tc);
    xfree(shared.method_keys);
    xfree(shared.method_fns);
    vec_free(&shared.literals);
    vec_free(&shared.neg_literals);
    return ok;
}

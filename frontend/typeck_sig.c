/*
 * frontend/typeck_sig.c — item signatures, written types, constants and macros.
 *
 * Signatures (struct fields, function parameters and results, const and static
 * types) are lowered before any body. Constants are checked on demand (an array
 * length may name one) and their values computed at compile time in the const's
 * type with rustc's overflow rules (E0080). Format-string arguments are checked
 * against the traits their placeholders need (Display, Debug, LowerHex, ...), and
 * after every body the integer literals are range-checked (overflowing_literals).
 */
#include "frontend/typeck.h"

#include <stdlib.h>
#include <string.h>

static FeExpr *X(Tc *tc, ExprId id) { return fe_expr(tc->c, id); }
static const FeType *T(Tc *tc, TypeId id) { return fe_type(tc->c, id); }

/* ---------------------------------------------------------------- types */

TypeId tc_lower_type(Tc *tc, TyxId id)
{
    if (!id)
        return FE_TY_UNIT;
    FeTyx *t = fe_tyx(tc->c, id);
    TypeId ty;
    switch (t->kind) {
    case FE_TYX_PATH: ty = t->ty ? t->ty : FE_TY_ERROR; break;
    case FE_TYX_REF: ty = ty_ref(tc->c, tc_lower_type(tc, t->inner), t->mut); break;
    case FE_TYX_SLICE: ty = ty_slice(tc->c, tc_lower_type(tc, t->inner)); break;
    case FE_TYX_ARRAY: {
        TypeId elem = tc_lower_type(tc, t->inner);
        uint64_t n;
        ty = tc_eval_length(tc, fe_tyx(tc->c, id)->len, &n) ? ty_array(tc->c, elem, n) : FE_TY_ERROR;
        break;
    }
    case FE_TYX_TUPLE: {
        uint32_t n = t->n;
        TypeId *elems = xmalloc((n ? n : 1) * sizeof(TypeId));
        for (uint32_t i = 0; i < n; i++)
            elems[i] = tc_lower_type(tc, fe_tyx(tc->c, id)->elems[i]);
        ty = ty_tuple(tc->c, elems, n);
        xfree(elems);
        break;
    }
    case FE_TYX_NEVER: ty = FE_TY_NEVER; break;
    case FE_TYX_INFER:
        if (!tc->fn) {
            tc_error(tc, "E0121", t->span, "not allowed in type signatures",
                     "the placeholder `_` is not allowed within types on item signatures for %s", "functions");
            ty = FE_TY_ERROR;
        } else {
            ty = tc_new_var(tc, false);
        }
        break;
    default: ty = FE_TY_ERROR;
    }
    fe_tyx(tc->c, id)->ty = ty;
    return ty;
}

/* ---------------------------------------------------------------- methods */

static uint32_t method_slot(TcShared *s, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    uint32_t i = (uint32_t)(h >> 32) & (s->nmethods - 1);
    while (s->method_keys[i] && s->method_keys[i] != key)
        i = (i + 1) & (s->nmethods - 1);
    return i;
}

ItemId tc_find_method(Tc *tc, ItemId st, Sym name)
{
    TcShared *s = tc->shared;
    if (!s->nmethods)
        return 0;
    uint32_t i = method_slot(s, (uint64_t)st << 32 | name);
    return s->method_keys[i] ? s->method_fns[i] : 0;
}

static void build_methods(Tc *tc)
{
    TcShared *s = tc->shared;
    uint32_t count = 0;
    for (ItemId id = 1; id < tc->c->items.len; id++)
        if (fe_item(tc->c, id)->kind == FE_ITEM_IMPL)
            count += fe_item(tc->c, id)->impl.nitems;
    s->nmethods = 16;
    while (s->nmethods < count * 2 + 16)
        s->nmethods *= 2;
    s->method_keys = xcalloc(s->nmethods, sizeof(uint64_t));
    s->method_fns = xcalloc(s->nmethods, sizeof(ItemId));
    for (ItemId id = 1; id < tc->c->items.len; id++) {
        const FeItem *it = fe_item(tc->c, id);
        if (it->kind != FE_ITEM_IMPL || !it->impl.self_ty || T(tc, it->impl.self_ty)->kind != FE_TYPE_STRUCT)
            continue;
        ItemId st = T(tc, it->impl.self_ty)->item.item;
        for (uint32_t k = 0; k < it->impl.nitems; k++) {
            ItemId fn = it->impl.items[k];
            uint64_t key = (uint64_t)st << 32 | fe_item(tc->c, fn)->name;
            uint32_t i = method_slot(s, key);
            if (!s->method_keys[i]) {
                s->method_keys[i] = key;
                s->method_fns[i] = fn;
            }
        }
    }
}

bool tc_field_visible(Tc *tc, ItemId st, uint32_t field)
{
    const FeItem *it = fe_item(tc->c, st);
    if (it->st.fields[field].vis != FE_VIS_PRIV)
        return true;
    ItemId home = fe_item_module(tc->c, st);
    for (ItemId m = tc->mod; m; m = fe_item(tc->c, m)->parent)
        if (m == home)
            return true;
    return false;
}

/* ---------------------------------------------------------------- signatures */

static void lower_const_type(Tc *tc, ItemId id)
{
    FeConst *k = &fe_item(tc->c, id)->cst;
    if (!k->ty)
        k->ty = tc_lower_type(tc, k->tyx);
}

void tc_collect_signatures(Tc *tc)
{
    FeCrate *c = tc->c;
    build_methods(tc);
    for (ItemId id = 1; id < c->items.len; id++) {
        FeItem *it = fe_item(c, id);
        if (it->krate)
            continue;  /* a dependency's signatures are final as loaded */
        tc->mod = fe_item_module(c, id);
        switch (it->kind) {
        case FE_ITEM_STRUCT:
            for (uint32_t i = 0; i < it->st.nfields; i++) {
                TypeId ft = tc_lower_type(tc, fe_item(c, id)->st.fields[i].tyx);
                fe_item(c, id)->st.fields[i].ty = ft;
            }
            break;
        case FE_ITEM_FN: {
            if (it->flags & FE_ITEM_BUILTIN)
                break;
            FeFn *fn = &fe_item(c, id)->fn;
            for (uint32_t i = 0; i < fn->nparams; i++)
                if (fn->params[i].tyx)
                    fn->params[i].ty = tc_lower_type(tc, fn->params[i].tyx);
            fn = &fe_item(c, id)->fn;
            fn->ret = fn->ret_tyx ? tc_lower_type(tc, fn->ret_tyx) : FE_TY_UNIT;
            break;
        }
        case FE_ITEM_CONST:
        case FE_ITEM_STATIC:
            lower_const_type(tc, id);
            break;
        case FE_ITEM_IMPL:
            break;
        default:
            break;
        }
    }
    if (!tc->errors && !ty_layout_structs(c))
        tc->errors++;
}

/* ---------------------------------------------------------------- const evaluation */

static unsigned int_bits(int k)
{
    static const uint8_t bits[] = {8, 16, 32, 64, 128, 64, 8, 16, 32, 64, 128, 64};
    return bits[k];
}
static bool int_signed(int k) { return k < FE_INT_U8; }

/* Normalizes v to the type: truncate, then sign-extend for signed types. */
static u128 norm(u128 v, int k)
{
    unsigned b = int_bits(k);
    if (b == 128)
        return v;
    v &= ((u128)1 << b) - 1;
    if (int_signed(k) && (v >> (b - 1)) & 1)
        v |= ~(u128)0 << b;
    return v;
}

static void u128_str(u128 v, bool neg, char *out)
{
    char buf[48];
    int n = 0;
    if (neg)
        v = -v;
    do
        buf[n++] = (char)('0' + (int)(v % 10));
    while ((v /= 10) != 0);
    int k = 0;
    if (neg)
        out[k++] = '-';
    while (n)
        out[k++] = buf[--n];
    out[k] = 0;
}

static const char *const int_names[] = {"i8", "i16", "i32", "i64", "i128", "isize",
                                        "u8", "u16", "u32", "u64", "u128", "usize"};

/* "200_u8" */
static void value_str(u128 v, int k, char *out)
{
    u128_str(v, int_signed(k) && (int64_t)(uint64_t)(v >> 64) < 0, out);
    strcat(out, "_");
    strcat(out, int_names[k]);
}

typedef struct ConstEval {
    Tc *tc;
    const char *what;  /* "`A`" for the failure label */
} ConstEval;

static bool eval_fail(ConstEval *ev, ExprId at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool eval_fail(ConstEval *ev, ExprId at, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char label[160];
    snprintf(label, sizeof label, "evaluation of %s failed here", ev->what);
    tc_error(ev->tc, "E0080", X(ev->tc, at)->span, label, "%s", msg);
    return false;
}

static bool eval(ConstEval *ev, ExprId id, u128 *out, int depth);

static bool eval_binary(ConstEval *ev, ExprId id, u128 *out, int depth)
{
    Tc *tc = ev->tc;
    FeExpr *e = X(tc, id);
    u128 a, b;
    if (!eval(ev, e->a, &a, depth + 1))
        return false;
    int op = e->op;
    if (op == FE_BIN_AND && !a) {
        *out = 0;
        return true;
    }
    if (op == FE_BIN_OR && a) {
        *out = 1;
        return true;
    }
    if (!eval(ev, e->b, &b, depth + 1))
        return false;
    TypeId lt = X(tc, e->a)->ty;
    const FeType *t = T(tc, lt);
    if (op == FE_BIN_AND || op == FE_BIN_OR) {
        *out = b != 0;
        return true;
    }
    if (op >= FE_BIN_EQ && op <= FE_BIN_GT) {
        bool sgn = t->kind == FE_TYPE_INT && int_signed(t->sub);
        int cmp;
        if (sgn)
            cmp = (__int128)a < (__int128)b ? -1 : (__int128)a > (__int128)b;
        else
            cmp = a < b ? -1 : a > b;
        switch (op) {
        case FE_BIN_EQ: *out = cmp == 0; break;
        case FE_BIN_NE: *out = cmp != 0; break;
        case FE_BIN_LT: *out = cmp < 0; break;
        case FE_BIN_LE: *out = cmp <= 0; break;
        case FE_BIN_GT: *out = cmp > 0; break;
        default: *out = cmp >= 0; break;
        }
        return true;
    }
    if (t->kind == FE_TYPE_BOOL) {
        *out = op == FE_BIN_BITAND ? (a & b) : op == FE_BIN_BITOR ? (a | b) : (a ^ b);
        return true;
    }
    if (t->kind != FE_TYPE_INT)
        return eval_fail(ev, id, "unsupported: this operation in a constant");
    int k = t->sub;
    bool sgn = int_signed(k);
    char sa[64], sb[64];
    value_str(a, k, sa);
    if (op == FE_BIN_SHL || op == FE_BIN_SHR) {
        const FeType *rt = T(tc, X(tc, e->b)->ty);
        int rk = rt->kind == FE_TYPE_INT ? rt->sub : FE_INT_I32;
        bool neg = int_signed(rk) && (__int128)b < 0;
        if (neg || b >= int_bits(k)) {
            value_str(b, rk, sb);
            return eval_fail(ev, id, "attempt to shift %s by `%s`, which would overflow",
                             op == FE_BIN_SHL ? "left" : "right", sb);
        }
        unsigned s = (unsigned)b;
        if (op == FE_BIN_SHL)
            *out = norm(a << s, k);
        else
            *out = sgn ? norm((u128)((__int128)a >> s), k) : a >> s;
        return true;
    }
    value_str(b, k, sb);
    const char *sym = op == FE_BIN_ADD ? "+" : op == FE_BIN_SUB ? "-" : op == FE_BIN_MUL ? "*" : NULL;
    u128 r = 0;
    bool ovf = false;
    switch (op) {
    case FE_BIN_ADD: case FE_BIN_SUB: case FE_BIN_MUL:
        if (sgn) {
            __int128 x = (__int128)a, y = (__int128)b, z;
            ovf = op == FE_BIN_ADD ? __builtin_add_overflow(x, y, &z)
                  : op == FE_BIN_SUB ? __builtin_sub_overflow(x, y, &z) : __builtin_mul_overflow(x, y, &z);
            r = (u128)z;
        } else {
            ovf = op == FE_BIN_ADD ? __builtin_add_overflow(a, b, &r)
                  : op == FE_BIN_SUB ? __builtin_sub_overflow(a, b, &r) : __builtin_mul_overflow(a, b, &r);
        }
        if (!ovf && norm(r, k) != r)
            ovf = true;
        if (ovf)
            return eval_fail(ev, id, "attempt to compute `%s %s %s`, which would overflow", sa, sym, sb);
        *out = r;
        return true;
    case FE_BIN_DIV: case FE_BIN_REM: {
        bool div = op == FE_BIN_DIV;
        if (b == 0)
            return div ? eval_fail(ev, id, "attempt to divide `%s` by zero", sa)
                       : eval_fail(ev, id, "attempt to calculate the remainder of `%s` with a divisor of zero", sa);
        if (sgn && b == ~(u128)0 && a == norm((u128)1 << (int_bits(k) - 1), k))
            return div ? eval_fail(ev, id, "attempt to compute `%s / %s`, which would overflow", sa, sb)
                       : eval_fail(ev, id, "attempt to compute `%s %% %s`, which would overflow", sa, sb);
        if (sgn)
            r = (u128)(div ? (__int128)a / (__int128)b : (__int128)a % (__int128)b);
        else
            r = div ? a / b : a % b;
        *out = norm(r, k);
        return true;
    }
    case FE_BIN_BITAND: *out = a & b; return true;
    case FE_BIN_BITOR: *out = a | b; return true;
    case FE_BIN_BITXOR: *out = a ^ b; return true;
    default: return eval_fail(ev, id, "unsupported: this operation in a constant");
    }
}

static bool eval(ConstEval *ev, ExprId id, u128 *out, int depth)
{
    Tc *tc = ev->tc;
    FeExpr *e = X(tc, id);
    if (depth > 200)
        return eval_fail(ev, id, "constant expression nested too deeply");
    switch (e->kind) {
    case FE_EXPR_INT: {
        const FeType *t = T(tc, e->ty);
        *out = t->kind == FE_TYPE_INT ? norm(e->value, t->sub) : e->value;
        return true;
    }
    case FE_EXPR_BOOL: case FE_EXPR_CHAR:
        *out = e->value;
        return true;
    case FE_EXPR_PAREN: return eval(ev, e->a, out, depth + 1);
    case FE_EXPR_COERCE: return eval(ev, e->a, out, depth + 1);
    case FE_EXPR_BLOCK:
        if (e->n == 0 && e->a)
            return eval(ev, e->a, out, depth + 1);
        break;
    case FE_EXPR_ITEM: {
        FeItem *it = fe_item(tc->c, e->item.item);
        if (it->kind == FE_ITEM_CONST) {
            tc_check_const(tc, e->item.item);
            it = fe_item(tc->c, e->item.item);
            if (!it->cst.has_value)
                return false;  /* its own error was reported */
            *out = it->cst.value;
            return true;
        }
        tc_error(tc, "E0013", e->span, NULL, "constants cannot refer to statics");
        return false;
    }
    case FE_EXPR_UNARY: {
        u128 v;
        const FeType *ut = T(tc, e->ty);
        if (e->op == FE_UN_NEG && X(tc, e->a)->kind == FE_EXPR_INT && ut->kind == FE_TYPE_INT) {
            /* a negative literal (its range is the literal lint's business) */
            *out = norm(-X(tc, e->a)->value, ut->sub);
            return true;
        }
        if (e->op == FE_UN_DEREF || !eval(ev, e->a, &v, depth + 1))
            return e->op == FE_UN_DEREF ? eval_fail(ev, id, "unsupported: dereference in a constant") : false;
        const FeType *t = T(tc, e->ty);
        if (e->op == FE_UN_NOT) {
            *out = t->kind == FE_TYPE_BOOL ? !v : norm(~v, t->sub);
            return true;
        }
        if (t->kind == FE_TYPE_INT && v == norm((u128)1 << (int_bits(t->sub) - 1), t->sub))
            return eval_fail(ev, id, "attempt to negate `%s::MIN`, which would overflow", int_names[t->sub]);
        *out = norm(-v, t->sub);
        return true;
    }
    case FE_EXPR_BINARY: return eval_binary(ev, id, out, depth);
    case FE_EXPR_CAST: {
        u128 v;
        if (!eval(ev, e->a, &v, depth + 1))
            return false;
        const FeType *t = T(tc, e->ty);
        if (t->kind == FE_TYPE_INT)
            *out = norm(v, t->sub);
        else
            *out = v;
        return true;
    }
    default:
        break;
    }
    tc_error(tc, NULL, e->span, NULL, "unsupported: this expression in a constant");
    return false;
}

static bool scalar(Tc *tc, TypeId ty)
{
    int k = T(tc, ty)->kind;
    return k == FE_TYPE_INT || k == FE_TYPE_BOOL || k == FE_TYPE_CHAR;
}

/* Checks `id` (an expression in a const context) with expected type `ty` in a fresh
 * context; returns its (possibly coerced) id. */
static ExprId check_const_expr(Tc *tc, ExprId id, TypeId ty, ItemId mod, int *errors)
{
    Tc sub = {0};
    sub.c = tc->c;
    sub.sess = tc->sess;
    sub.shared = tc->shared;
    sub.mod = mod;
    tc_check_coerce(&sub, &id, ty);
    tc_finish_body(&sub);
    *errors = sub.errors;
    tc->errors += sub.errors;
    tc_free(&sub);
    return id;
}

void tc_check_const(Tc *tc, ItemId id)
{
    FeItem *it = fe_item(tc->c, id);
    FeConst *k = &it->cst;
    if (k->state == 2)
        return;
    if (k->state == 1) {
        tc_error(tc, "E0391", it->head_span, NULL, "cycle detected when checking if `%s` is a trivial const",
                 tc_sym(tc, it->name));
        return;
    }
    k->state = 1;
    lower_const_type(tc, id);
    k = &fe_item(tc->c, id)->cst;
    if (!k->init) {
        k->state = 2;
        return;
    }
    int errors;
    ItemId mod = fe_item_module(tc->c, id);
    ExprId init = check_const_expr(tc, k->init, k->ty, mod, &errors);
    k = &fe_item(tc->c, id)->cst;
    k->init = init;
    if (!errors && scalar(tc, k->ty)) {
        char what[160];
        snprintf(what, sizeof what, "`%s`", tc_sym(tc, it->name));
        ConstEval ev = {tc, what};
        u128 v;
        if (eval(&ev, init, &v, 0)) {
            k = &fe_item(tc->c, id)->cst;
            k->value = v;
            k->has_value = true;
        }
    }
    fe_item(tc->c, id)->cst.state = 2;
}

bool tc_eval_length(Tc *tc, ExprId len, uint64_t *out)
{
    int errors;
    ExprId id = check_const_expr(tc, len, FE_TY_INT(FE_INT_USIZE), tc->mod, &errors);
    if (errors)
        return false;
    ConstEval ev = {tc, "constant"};
    u128 v;
    if (!eval(&ev, id, &v, 0))
        return false;
    *out = (uint64_t)v;
    return true;
}

/* ---------------------------------------------------------------- macros */

static const char *const trait_names[] = {"std::fmt::Display", "Debug", "LowerHex", "UpperHex", "Binary",
                                          "Octal", "LowerExp", "UpperExp"};

/* The innermost part of ty lacking the trait (rustc names it: `P`, not `(i32, P)`). */
static TypeId culprit(Tc *tc, TypeId ty, int trait)
{
    for (int depth = 0; depth < 32; depth++) {
        ty = tc_resolve(tc, ty);
        const FeType *t = T(tc, ty);
        TypeId next = 0;
        if (t->kind == FE_TYPE_REF || t->kind == FE_TYPE_ARRAY || t->kind == FE_TYPE_SLICE)
            next = tc_has_trait(tc, t->inner, trait, 0) ? 0 : t->inner;
        else if (t->kind == FE_TYPE_TUPLE && trait == TR_DEBUG)
            for (uint32_t i = 0; i < t->nelems && !next; i++)
                if (!tc_has_trait(tc, t->elems[i], trait, 0))
                    next = t->elems[i];
        if (!next)
            return ty;
        ty = next;
    }
    return ty;
}

static void check_fmt_trait_at(Tc *tc, ExprId arg, int fmt_trait, Span span)
{
    TypeId ty = tc_resolve(tc, X(tc, arg)->ty);
    int tr = fmt_trait == FE_FMT_DISPLAY ? TR_DISPLAY : fmt_trait == FE_FMT_DEBUG ? TR_DEBUG : TR_HEX;
    if (tc_has_trait(tc, ty, tr, 0))
        return;
    /* the type behind references and inside tuples and arrays, as rustc names it */
    const char *name = tc_tystr(tc, culprit(tc, ty, tr));
    char label[256];
    if (tr == TR_DISPLAY) {
        snprintf(label, sizeof label, "`%s` cannot be formatted with the default formatter", name);
        tc_error(tc, "E0277", span, label, "`%s` doesn't implement `std::fmt::Display`", name);
    } else if (tr == TR_DEBUG) {
        snprintf(label, sizeof label, "`%s` cannot be formatted using `{:?}` because it doesn't implement `Debug`", name);
        tc_error(tc, "E0277", span, label, "`%s` doesn't implement `Debug`", name);
    } else {
        tc_error(tc, "E0277", span, "the trait is not implemented", "the trait bound `%s: %s` is not satisfied", name,
                 trait_names[fmt_trait]);
    }
}

static void check_fmt_trait(Tc *tc, ExprId arg, int fmt_trait)
{
    check_fmt_trait_at(tc, arg, fmt_trait, X(tc, arg)->span);
}

TypeId tc_check_macro(Tc *tc, ExprId id)
{
    FeExpr *e = X(tc, id);
    FeMacro *m = e->mac;
    if (m->kind == FE_MAC_ASSERT) {
        TypeId ct = tc_check_expr(tc, m->cond, FE_TY_BOOL);
        if (!tc_unify(tc, ct, FE_TY_BOOL) && tc_resolve(tc, ct) != FE_TY_NEVER)
            tc_mismatch(tc, X(tc, id)->span, FE_TY_BOOL, ct);
    } else if (m->kind == FE_MAC_ASSERT_EQ || m->kind == FE_MAC_ASSERT_NE) {
        TypeId lt = tc_check_expr(tc, m->left, 0);
        TypeId rt = tc_check_expr(tc, m->right, lt);
        if (!tc_unify(tc, lt, rt))
            tc_mismatch(tc, X(tc, m->right)->span, lt, rt);
        else if (!tc_has_trait(tc, lt, TR_EQ, 0))
            tc_error(tc, "E0369", X(tc, id)->span, NULL, "binary operation `%s` cannot be applied to type `%s`",
                     m->kind == FE_MAC_ASSERT_EQ ? "==" : "!=", tc_tystr(tc, lt));
        else
            check_fmt_trait_at(tc, m->left, FE_FMT_DEBUG, X(tc, id)->span);
    }
    for (uint32_t i = 0; i < m->nargs; i++)
        tc_check_expr(tc, m->args[i], 0);
    for (uint32_t i = 0; i < m->npieces; i++) {
        FeFmtPiece *pc = &m->pieces[i];
        if (!pc->has_arg)
            continue;
        if (pc->width_kind == FE_COUNT_ARG && !tc_unify(tc, X(tc, m->args[pc->width])->ty, FE_TY_INT(FE_INT_USIZE)))
            tc_mismatch(tc, X(tc, m->args[pc->width])->span, FE_TY_INT(FE_INT_USIZE), X(tc, m->args[pc->width])->ty);
        if (pc->prec_kind == FE_COUNT_ARG && !tc_unify(tc, X(tc, m->args[pc->prec])->ty, FE_TY_INT(FE_INT_USIZE)))
            tc_mismatch(tc, X(tc, m->args[pc->prec])->span, FE_TY_INT(FE_INT_USIZE), X(tc, m->args[pc->prec])->ty);
        check_fmt_trait(tc, m->args[pc->arg], pc->trait);
    }
    /* print and assert families give (), panic!/unreachable!/todo! never return */
    bool diverging = m->kind == FE_MAC_PANIC || m->kind == FE_MAC_UNREACHABLE || m->kind == FE_MAC_TODO;
    return X(tc, id)->ty = diverging ? FE_TY_NEVER : FE_TY_UNIT;
}

/* ---------------------------------------------------------------- literal lint */

static void literal_error(Tc *tc, ExprId shown, int k, bool neg, bool *first)
{
    const FeExpr *e = X(tc, shown);
    SourceFile *f = &tc->sess->sources.files.data[e->span.file];
    int n = (int)MIN(e->span.hi - e->span.lo, 64u);
    const char *text = f->text + e->span.lo;
    char lo[48], hi[48];
    unsigned b = int_bits(k);
    if (int_signed(k)) {
        lo[0] = '-';
        u128_str((u128)1 << (b - 1), false, lo + 1);
        u128_str(((u128)1 << (b - 1)) - 1, false, hi);
    } else {
        strcpy(lo, "0");
        u128_str(b == 128 ? ~(u128)0 : ((u128)1 << b) - 1, false, hi);
    }
    tc_error(tc, NULL, e->span, NULL, "literal out of range for `%s`", int_names[k]);
    diag_note(&tc->sess->diag, "note", "the literal `%.*s` does not fit into the type `%s` whose range is `%s..=%s`", n,
              text, int_names[k], lo, hi);
    if (*first)
        diag_note(&tc->sess->diag, "note", "`#[deny(overflowing_literals)]` on by default");
    *first = false;
    (void)neg;
}

typedef struct BadLit {
    ExprId shown;
    int k;
} BadLit;

static int badlit_cmp(const void *a, const void *b, void *arg)
{
    FeCrate *c = arg;
    const FeExpr *x = fe_expr(c, ((const BadLit *)a)->shown), *y = fe_expr(c, ((const BadLit *)b)->shown);
    if (x->span.file != y->span.file)
        return x->span.file < y->span.file ? -1 : 1;
    return x->span.lo < y->span.lo ? -1 : x->span.lo > y->span.lo;
}

void tc_check_literals(Tc *tc)
{
    bool first = true;
    TcShared *s = tc->shared;
    Vec(BadLit) bad = {0};
    for (uint32_t i = 0; i < s->neg_literals.len; i++) {
        ExprId id = s->neg_literals.data[i];
        const FeExpr *u = X(tc, id);
        const FeExpr *lit = X(tc, u->a);
        const FeType *t = T(tc, u->ty);
        if (t->kind != FE_TYPE_INT || !int_signed(t->sub))
            continue;
        if (lit->value > (u128)1 << (int_bits(t->sub) - 1))
            vec_push(&bad, ((BadLit){id, t->sub}));
    }
    for (uint32_t i = 0; i < s->literals.len; i++) {
        ExprId id = s->literals.data[i];
        const FeExpr *e = X(tc, id);
        if (e->flags & FE_EXPR_NEG_LIT)
            continue;
        const FeType *t = T(tc, e->ty);
        if (t->kind != FE_TYPE_INT)
            continue;
        unsigned b = int_bits(t->sub);
        u128 max = int_signed(t->sub) ? (((u128)1 << (b - 1)) - 1) : (b == 128 ? ~(u128)0 : ((u128)1 << b) - 1);
        if (e->value > max)
            vec_push(&bad, ((BadLit){id, t->sub}));
    }
    if (bad.len)
        qsort_r(bad.data, bad.len, sizeof(BadLit), badlit_cmp, tc->c);
    for (uint32_t i = 0; i < bad.len; i++)
        literal_error(tc, bad.data[i].shown, bad.data[i].k, false, &first);
    vec_free(&bad);
}

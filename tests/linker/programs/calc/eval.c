/*
 * calc/eval.c — evaluation of the syntax tree.
 *
 * Statements return a flow (normal, break, continue, return); the value of a return
 * travels in Interp.ret... kept here in the evaluator's state. Every value that must
 * survive an allocation is pushed on the interpreter's root stack first.
 */
#include "calc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 400, MAX_STEPS = 200000000 };

typedef enum Flow { FLOW_NORMAL, FLOW_BREAK, FLOW_CONTINUE, FLOW_RETURN } Flow;

typedef struct Eval {
    Interp *in;
    Value ret;
} Eval;

static Value eval_expr(Eval *ev, Env *env, const Node *n);
static Flow eval_stmt(Eval *ev, Env *env, const Node *n);

static Str *node_name(const Node *n)
{
    Node *m = (Node *)n;
    if (!m->cache)
        m->cache = str_permanent(m->name, strlen(m->name));
    return m->cache;
}

static Str **param_names(const Node *fn)
{
    Node *m = (Node *)fn;
    if (!m->param_cache) {
        Str **names = xalloc(sizeof(Str *) * (size_t)(fn->nparams + 1));
        for (int i = 0; i < fn->nparams; i++)
            names[i] = str_permanent(fn->params[i], strlen(fn->params[i]));
        m->param_cache = names;
    }
    return m->param_cache;
}

static void push_frame(Interp *in, Env *e)
{
    if (in->nframes == in->frames_cap) {
        in->frames_cap = in->frames_cap ? in->frames_cap * 2 : 64;
        in->frames = xgrow(in->frames, sizeof(Env *) * in->frames_cap);
    }
    in->frames[in->nframes++] = e;
}

/* ---------------------------------------------------------------- arithmetic */

static bool is_num(Value v) { return v.kind == V_INT || v.kind == V_FLOAT; }
static double as_double(Value v) { return v.kind == V_INT ? (double)v.as.i : v.as.f; }

static Value repeat(Interp *in, Value seq, int64_t times, int line)
{
    if (times < 0 || times > 1000000)
        calc_error(in, line, "cannot repeat %lld times", (long long)times);
    if (IS_OBJ_KIND(seq, O_STRING)) {
        Str *s = AS_STR(seq);
        char *buf = xalloc(s->len * (size_t)times + 1);
        for (int64_t i = 0; i < times; i++)
            memcpy(buf + s->len * (size_t)i, s->chars, s->len);
        Str *r = str_new(in, buf, s->len * (size_t)times);
        free(buf);
        return OBJ_VAL(r);
    }
    List *src = AS_LIST(seq);
    push_root(in, seq);
    List *l = list_new(in);
    pop_roots(in, 1);
    for (int64_t i = 0; i < times; i++)
        for (size_t k = 0; k < src->len; k++)
            list_push(in, l, src->items[k]);
    return OBJ_VAL(l);
}

static Value arith(Interp *in, TokKind op, Value a, Value b, int line)
{
    if (a.kind == V_INT && b.kind == V_INT) {
        uint64_t x = (uint64_t)a.as.i, y = (uint64_t)b.as.i;
        switch (op) {
        case T_PLUS: return INT_VAL((int64_t)(x + y));
        case T_MINUS: return INT_VAL((int64_t)(x - y));
        case T_STAR: return INT_VAL((int64_t)(x * y));
        case T_SLASH: case T_PERCENT:
            if (b.as.i == 0)
                calc_error(in, line, "division by zero");
            if (a.as.i == INT64_MIN && b.as.i == -1)
                return op == T_SLASH ? a : INT_VAL(0);
            return INT_VAL(op == T_SLASH ? a.as.i / b.as.i : a.as.i % b.as.i);
        default: break;
        }
    }
    if (is_num(a) && is_num(b)) {
        double x = as_double(a), y = as_double(b);
        switch (op) {
        case T_PLUS: return FLOAT_VAL(x + y);
        case T_MINUS: return FLOAT_VAL(x - y);
        case T_STAR: return FLOAT_VAL(x * y);
        case T_SLASH:
            if (y == 0)
                calc_error(in, line, "division by zero");
            return FLOAT_VAL(x / y);
        case T_PERCENT:
            if (y == 0)
                calc_error(in, line, "division by zero");
            return FLOAT_VAL(fmod(x, y));
        default: break;
        }
    }
    if (op == T_PLUS && IS_OBJ_KIND(a, O_STRING) && IS_OBJ_KIND(b, O_STRING))
        return OBJ_VAL(str_concat(in, AS_STR(a), AS_STR(b)));
    if (op == T_PLUS && IS_OBJ_KIND(a, O_LIST) && IS_OBJ_KIND(b, O_LIST)) {
        push_root(in, a);
        push_root(in, b);
        List *l = list_new(in);
        pop_roots(in, 2);
        for (size_t i = 0; i < AS_LIST(a)->len; i++)
            list_push(in, l, AS_LIST(a)->items[i]);
        for (size_t i = 0; i < AS_LIST(b)->len; i++)
            list_push(in, l, AS_LIST(b)->items[i]);
        return OBJ_VAL(l);
    }
    if (op == T_STAR && (IS_OBJ_KIND(a, O_STRING) || IS_OBJ_KIND(a, O_LIST)) && b.kind == V_INT)
        return repeat(in, a, b.as.i, line);
    calc_error(in, line, "cannot apply '%s' to %s and %s", tok_name(op), type_name(a), type_name(b));
}

static Value binary(Interp *in, TokKind op, Value a, Value b, int line)
{
    switch (op) {
    case T_EQ: return BOOL_VAL(values_equal(a, b));
    case T_NE: return BOOL_VAL(!values_equal(a, b));
    case T_LT: return BOOL_VAL(values_compare(in, a, b, line) < 0);
    case T_LE: return BOOL_VAL(values_compare(in, a, b, line) <= 0);
    case T_GT: return BOOL_VAL(values_compare(in, a, b, line) > 0);
    case T_GE: return BOOL_VAL(values_compare(in, a, b, line) >= 0);
    default: return arith(in, op, a, b, line);
    }
}

/* ---------------------------------------------------------------- indexing */

static int64_t list_index(Interp *in, size_t len, Value ix, int line)
{
    if (ix.kind != V_INT)
        calc_error(in, line, "index must be an int, not %s", type_name(ix));
    int64_t i = ix.as.i < 0 ? ix.as.i + (int64_t)len : ix.as.i;
    if (i < 0 || i >= (int64_t)len)
        calc_error(in, line, "index %lld out of range for length %zu", (long long)ix.as.i, len);
    return i;
}

static Value index_get(Interp *in, Value obj, Value ix, int line)
{
    if (IS_OBJ_KIND(obj, O_LIST))
        return AS_LIST(obj)->items[list_index(in, AS_LIST(obj)->len, ix, line)];
    if (IS_OBJ_KIND(obj, O_STRING)) {
        Str *s = AS_STR(obj);
        int64_t i = list_index(in, s->len, ix, line);
        return OBJ_VAL(str_new(in, s->chars + i, 1));
    }
    if (IS_OBJ_KIND(obj, O_MAP)) {
        Value v;
        if (!map_get(AS_MAP(obj), ix, &v))
            return NIL_VAL;
        return v;
    }
    calc_error(in, line, "cannot index %s", type_name(obj));
}

static void index_set(Interp *in, Value obj, Value ix, Value v, int line)
{
    if (IS_OBJ_KIND(obj, O_LIST)) {
        AS_LIST(obj)->items[list_index(in, AS_LIST(obj)->len, ix, line)] = v;
        return;
    }
    if (IS_OBJ_KIND(obj, O_MAP)) {
        if (ix.kind == V_OBJ && ix.as.o->kind != O_STRING && ix.as.o->kind != O_LIST)
            calc_error(in, line, "a %s cannot be a map key", type_name(ix));
        map_set(in, AS_MAP(obj), ix, v);
        return;
    }
    calc_error(in, line, "cannot assign into %s", type_name(obj));
}

/* ---------------------------------------------------------------- calls */

Value call_value(Interp *in, Value callee, int argc, Value *argv_in, int line)
{
    if (++in->depth > MAX_DEPTH)
        calc_error(in, line, "call stack too deep (more than %d calls)", MAX_DEPTH);
    Value *argv = xalloc(sizeof(Value) * (size_t)(argc + 1));
    memcpy(argv, argv_in, sizeof(Value) * (size_t)argc);
    size_t base = in->sp;
    for (int i = 0; i < argc; i++)
        push_root(in, argv[i]);
    push_root(in, callee);
    Value result = NIL_VAL;
    if (IS_OBJ_KIND(callee, O_BUILTIN)) {
        Builtin *b = (Builtin *)callee.as.o;
        if (argc < b->min_args || (b->max_args >= 0 && argc > b->max_args)) {
            free(argv);
            calc_error(in, line, "%s takes %d%s argument%s, got %d", b->name, b->min_args,
                       b->max_args == b->min_args ? "" : " or more", b->min_args == 1 ? "" : "s", argc);
        }
        result = b->fn(in, argc, argv, line);
    } else if (IS_OBJ_KIND(callee, O_FUNC)) {
        Func *f = (Func *)callee.as.o;
        const Node *decl = f->decl;
        if (argc != decl->nparams) {
            free(argv);
            calc_error(in, line, "%s takes %d argument%s, got %d", f->name ? f->name : "function",
                       decl->nparams, decl->nparams == 1 ? "" : "s", argc);
        }
        Env *env = env_new(in, f->closure);
        push_frame(in, env);
        Str **names = param_names(decl);
        for (int i = 0; i < argc; i++)
            env_define(in, env, names[i], argv[i]);
        Eval ev = {in, NIL_VAL};
        Flow flow = eval_stmt(&ev, env, decl->a);
        if (flow == FLOW_RETURN)
            result = ev.ret;
        else if (flow != FLOW_NORMAL) {
            free(argv);
            calc_error(in, line, "'%s' outside a loop", flow == FLOW_BREAK ? "break" : "continue");
        }
        in->nframes--;
    } else {
        free(argv);
        calc_error(in, line, "cannot call %s", type_name(callee));
    }
    free(argv);
    in->sp = base;
    in->depth--;
    return result;
}

/* ---------------------------------------------------------------- expressions */

static Value eval_expr(Eval *ev, Env *env, const Node *n)
{
    Interp *in = ev->in;
    if (++in->steps > MAX_STEPS)
        calc_error(in, n->line, "step limit exceeded");
    switch (n->kind) {
    case N_INT: return INT_VAL(n->ival);
    case N_FLOAT: return FLOAT_VAL(n->fval);
    case N_STRING: return OBJ_VAL(str_new(in, n->name, (size_t)n->name_len));
    case N_BOOL: return BOOL_VAL(n->ival != 0);
    case N_NIL: return NIL_VAL;
    case N_VAR: {
        Value v;
        if (!env_lookup(env, node_name(n), &v))
            calc_error(in, n->line, "undefined variable '%s'", n->name);
        return v;
    }
    case N_LIST: {
        List *l = list_new(in);
        push_root(in, OBJ_VAL(l));
        for (int i = 0; i < n->nitems; i++) {
            Value v = eval_expr(ev, env, n->items[i]);
            list_push(in, l, v);
        }
        pop_roots(in, 1);
        return OBJ_VAL(l);
    }
    case N_MAP: {
        Map *m = map_new(in);
        push_root(in, OBJ_VAL(m));
        for (int i = 0; i + 1 < n->nitems; i += 2) {
            Value k = eval_expr(ev, env, n->items[i]);
            push_root(in, k);
            Value v = eval_expr(ev, env, n->items[i + 1]);
            index_set(in, OBJ_VAL(m), k, v, n->line);
            pop_roots(in, 1);
        }
        pop_roots(in, 1);
        return OBJ_VAL(m);
    }
    case N_FN:
        return OBJ_VAL(func_new(in, n, env, NULL));
    case N_CALL: {
        Value callee = eval_expr(ev, env, n->a);
        size_t base = in->sp;
        push_root(in, callee);
        for (int i = 0; i < n->nitems; i++)
            push_root(in, eval_expr(ev, env, n->items[i]));
        Value r = call_value(in, callee, n->nitems, &in->stack[base + 1], n->line);
        in->sp = base;
        return r;
    }
    case N_INDEX: {
        Value obj = eval_expr(ev, env, n->a);
        push_root(in, obj);
        Value ix = eval_expr(ev, env, n->b);
        push_root(in, ix);
        Value r = index_get(in, obj, ix, n->line);
        pop_roots(in, 2);
        return r;
    }
    case N_FIELD: {
        Value obj = eval_expr(ev, env, n->a);
        if (!IS_OBJ_KIND(obj, O_MAP))
            calc_error(in, n->line, "%s has no field '%s'", type_name(obj), n->name);
        Value v;
        if (!map_get(AS_MAP(obj), OBJ_VAL(node_name(n)), &v))
            return NIL_VAL;
        return v;
    }
    case N_UNARY: {
        Value v = eval_expr(ev, env, n->a);
        if (n->op == T_NOT)
            return BOOL_VAL(!truthy(v));
        if (v.kind == V_INT)
            return INT_VAL((int64_t)(0 - (uint64_t)v.as.i));
        if (v.kind == V_FLOAT)
            return FLOAT_VAL(-v.as.f);
        calc_error(in, n->line, "cannot negate %s", type_name(v));
    }
    case N_BINARY: {
        Value a = eval_expr(ev, env, n->a);
        push_root(in, a);
        Value b = eval_expr(ev, env, n->b);
        push_root(in, b);
        Value r = binary(in, n->op, a, b, n->line);
        pop_roots(in, 2);
        return r;
    }
    case N_AND: {
        Value a = eval_expr(ev, env, n->a);
        return truthy(a) ? eval_expr(ev, env, n->b) : a;
    }
    case N_OR: {
        Value a = eval_expr(ev, env, n->a);
        return truthy(a) ? a : eval_expr(ev, env, n->b);
    }
    case N_ASSIGN: {
        const Node *t = n->a;
        Value v = eval_expr(ev, env, n->b);
        push_root(in, v);
        if (t->kind == N_VAR) {
            if (n->op != T_ASSIGN) {
                Value old;
                if (!env_lookup(env, node_name(t), &old))
                    calc_error(in, n->line, "undefined variable '%s'", t->name);
                v = arith(in, n->op == T_PLUS_ASSIGN ? T_PLUS : T_MINUS, old, v, n->line);
                in->stack[in->sp - 1] = v;
            }
            if (!env_assign(in, env, node_name(t), v))
                calc_error(in, n->line, "assignment to undeclared variable '%s' (use let)", t->name);
        } else {
            Value obj = eval_expr(ev, env, t->a);
            push_root(in, obj);
            Value ix;
            if (t->kind == N_FIELD)
                ix = OBJ_VAL(node_name(t));
            else
                ix = eval_expr(ev, env, t->b);
            push_root(in, ix);
            if (n->op != T_ASSIGN) {
                Value old = index_get(in, obj, ix, n->line);
                v = arith(in, n->op == T_PLUS_ASSIGN ? T_PLUS : T_MINUS, old, v, n->line);
                in->stack[in->sp - 3] = v;
            }
            index_set(in, obj, ix, v, n->line);
            pop_roots(in, 2);
        }
        pop_roots(in, 1);
        return v;
    }
    default:
        calc_error(in, n->line, "internal error: statement in expression position");
    }
}

/* ---------------------------------------------------------------- statements */

static Flow eval_block(Eval *ev, Env *env, const Node *n)
{
    Interp *in = ev->in;
    Env *inner = env_new(in, env);
    push_root(in, OBJ_VAL(inner));
    Flow flow = FLOW_NORMAL;
    for (int i = 0; i < n->nitems && flow == FLOW_NORMAL; i++)
        flow = eval_stmt(ev, inner, n->items[i]);
    pop_roots(in, 1);
    return flow;
}

static Flow eval_loop_body(Eval *ev, Env *env, const Node *body, bool *stop)
{
    Flow f = eval_stmt(ev, env, body);
    *stop = f == FLOW_BREAK || f == FLOW_RETURN;
    return f == FLOW_RETURN ? FLOW_RETURN : FLOW_NORMAL;
}

static Flow eval_for(Eval *ev, Env *env, const Node *n)
{
    Interp *in = ev->in;
    Value seq = eval_expr(ev, env, n->a);
    push_root(in, seq);
    Env *loop = env_new(in, env);
    push_root(in, OBJ_VAL(loop));
    Str *var = node_name(n);
    Flow result = FLOW_NORMAL;
    bool stop = false;
    if (seq.kind == V_INT) {
        for (int64_t i = 0; i < seq.as.i && !stop; i++) {
            env_define(in, loop, var, INT_VAL(i));
            result = eval_loop_body(ev, loop, n->b, &stop);
        }
    } else if (IS_OBJ_KIND(seq, O_LIST)) {
        List *l = AS_LIST(seq);
        for (size_t i = 0; i < l->len && !stop; i++) {
            env_define(in, loop, var, l->items[i]);
            result = eval_loop_body(ev, loop, n->b, &stop);
        }
    } else if (IS_OBJ_KIND(seq, O_STRING)) {
        Str *s = AS_STR(seq);
        for (size_t i = 0; i < s->len && !stop; i++) {
            env_define(in, loop, var, OBJ_VAL(str_new(in, s->chars + i, 1)));
            result = eval_loop_body(ev, loop, n->b, &stop);
        }
    } else if (IS_OBJ_KIND(seq, O_MAP)) {
        /* Iterate over a snapshot of the keys: the body may change the map. */
        Map *m = AS_MAP(seq);
        List *keys = list_new(in);
        push_root(in, OBJ_VAL(keys));
        for (size_t k = 0; k < m->norder; k++)
            list_push(in, keys, m->entries[m->order[k]].key);
        for (size_t i = 0; i < keys->len && !stop; i++) {
            env_define(in, loop, var, keys->items[i]);
            result = eval_loop_body(ev, loop, n->b, &stop);
        }
        pop_roots(in, 1);
    } else {
        calc_error(in, n->line, "cannot iterate over %s", type_name(seq));
    }
    pop_roots(in, 2);
    return result;
}

static Flow eval_stmt(Eval *ev, Env *env, const Node *n)
{
    Interp *in = ev->in;
    switch (n->kind) {
    case N_LET: {
        Value v = eval_expr(ev, env, n->a);
        push_root(in, v);
        env_define(in, env, node_name(n), v);
        pop_roots(in, 1);
        return FLOW_NORMAL;
    }
    case N_FN_DECL: {
        Func *f = func_new(in, n, env, n->name);
        push_root(in, OBJ_VAL(f));
        env_define(in, env, node_name(n), OBJ_VAL(f));
        pop_roots(in, 1);
        return FLOW_NORMAL;
    }
    case N_BLOCK:
        return eval_block(ev, env, n);
    case N_IF:
        if (truthy(eval_expr(ev, env, n->a)))
            return eval_stmt(ev, env, n->b);
        if (n->c)
            return eval_stmt(ev, env, n->c);
        return FLOW_NORMAL;
    case N_WHILE:
        while (truthy(eval_expr(ev, env, n->a))) {
            Flow f = eval_stmt(ev, env, n->b);
            if (f == FLOW_BREAK)
                break;
            if (f == FLOW_RETURN)
                return f;
        }
        return FLOW_NORMAL;
    case N_FOR:
        return eval_for(ev, env, n);
    case N_RETURN:
        ev->ret = n->a ? eval_expr(ev, env, n->a) : NIL_VAL;
        return FLOW_RETURN;
    case N_BREAK:
        return FLOW_BREAK;
    case N_CONTINUE:
        return FLOW_CONTINUE;
    case N_EXPR_STMT:
        eval_expr(ev, env, n->a);
        return FLOW_NORMAL;
    default:
        eval_expr(ev, env, n);
        return FLOW_NORMAL;
    }
}

Value eval_program(Interp *in, const Node *prog)
{
    Eval ev = {in, NIL_VAL};
    for (int i = 0; i < prog->nitems; i++) {
        Flow f = eval_stmt(&ev, in->globals, prog->items[i]);
        if (f == FLOW_RETURN)
            return ev.ret;
        if (f != FLOW_NORMAL)
            calc_error(in, prog->items[i]->line, "'%s' outside a loop", f == FLOW_BREAK ? "break" : "continue");
    }
    return NIL_VAL;
}

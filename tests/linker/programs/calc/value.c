/*
 * calc/value.c — heap objects (strings, lists, maps, environments, functions), the
 * mark-and-sweep collector, equality, ordering, hashing and printing of values.
 *
 * Roots: the globals, the environment of every active call, and a stack of
 * temporaries that evaluation pushes while it may allocate.
 */
#include "calc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GC_FIRST = 4096 };

void *xalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("calc: out of memory\n", stderr);
        exit(70);
    }
    return p;
}

void *xgrow(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("calc: out of memory\n", stderr);
        exit(70);
    }
    return q;
}

char *xstrndup_calc(const char *s, size_t n)
{
    char *p = xalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* ---------------------------------------------------------------- string buffers */

void sbuf_add(StrBuf *sb, const char *s, size_t n)
{
    if (sb->len + n + 1 > sb->cap) {
        sb->cap = (sb->len + n + 1) * 2;
        sb->data = xgrow(sb->data, sb->cap);
    }
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = 0;
}

void sbuf_puts(StrBuf *sb, const char *s) { sbuf_add(sb, s, strlen(s)); }

void sbuf_printf(StrBuf *sb, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buf) {
        sbuf_add(sb, buf, (size_t)n);
        return;
    }
    char *big = xalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sbuf_add(sb, big, (size_t)n);
    free(big);
}

void sbuf_free(StrBuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

/* ---------------------------------------------------------------- errors */

void calc_error(Interp *in, int line, const char *fmt, ...)
{
    int n = snprintf(in->error, sizeof in->error, "line %d: ", line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof in->error)
        vsnprintf(in->error + n, sizeof in->error - (size_t)n, fmt, ap);
    va_end(ap);
    longjmp(*in->on_error, 1);
}

/* ---------------------------------------------------------------- allocation */

static Obj *alloc_obj(Interp *in, size_t size, ObjKind kind)
{
    maybe_gc(in);
    Obj *o = xalloc(size);
    memset(o, 0, size);
    o->kind = kind;
    o->next_obj = in->objects;
    in->objects = o;
    in->nobjects++;
    return o;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

Str *str_new(Interp *in, const char *s, size_t len)
{
    Str *str = (Str *)alloc_obj(in, sizeof(Str) + len + 1, O_STRING);
    str->len = len;
    memcpy(str->chars, s, len);
    str->chars[len] = 0;
    str->hash = hash_bytes(s, len);
    return str;
}

Str *str_permanent(const char *s, size_t len)
{
    Str *str = xalloc(sizeof(Str) + len + 1);
    memset(str, 0, sizeof(Str));
    str->obj.kind = O_STRING;
    str->len = len;
    memcpy(str->chars, s, len);
    str->chars[len] = 0;
    str->hash = hash_bytes(s, len);
    return str;
}

Str *str_concat(Interp *in, const Str *a, const Str *b)
{
    push_root(in, OBJ_VAL(a));
    push_root(in, OBJ_VAL(b));
    Str *s = (Str *)alloc_obj(in, sizeof(Str) + a->len + b->len + 1, O_STRING);
    pop_roots(in, 2);
    s->len = a->len + b->len;
    memcpy(s->chars, a->chars, a->len);
    memcpy(s->chars + a->len, b->chars, b->len);
    s->chars[s->len] = 0;
    s->hash = hash_bytes(s->chars, s->len);
    return s;
}

List *list_new(Interp *in)
{
    return (List *)alloc_obj(in, sizeof(List), O_LIST);
}

void list_push(Interp *in, List *l, Value v)
{
    (void)in;
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = xgrow(l->items, sizeof(Value) * l->cap);
    }
    l->items[l->len++] = v;
}

Map *map_new(Interp *in)
{
    return (Map *)alloc_obj(in, sizeof(Map), O_MAP);
}

static size_t map_slot(const Map *m, Value key)
{
    size_t mask = m->cap - 1, i = (size_t)value_hash(key) & mask;
    while (m->entries[i].used && !values_equal(m->entries[i].key, key))
        i = (i + 1) & mask;
    return i;
}

bool map_get(const Map *m, Value key, Value *out)
{
    if (!m->cap)
        return false;
    size_t i = map_slot(m, key);
    if (!m->entries[i].used)
        return false;
    *out = m->entries[i].value;
    return true;
}

static void map_rebuild(Map *m, size_t cap)
{
    MapEntry *old = m->entries;
    size_t *old_order = m->order, norder = m->norder;
    m->entries = xalloc(sizeof(MapEntry) * cap);
    memset(m->entries, 0, sizeof(MapEntry) * cap);
    m->order = xalloc(sizeof(size_t) * cap);
    m->cap = cap;
    m->count = m->norder = 0;
    for (size_t k = 0; k < norder; k++) {
        MapEntry *e = &old[old_order[k]];
        size_t i = map_slot(m, e->key);
        m->entries[i] = *e;
        m->order[m->norder++] = i;
        m->count++;
    }
    free(old);
    free(old_order);
}

void map_set(Interp *in, Map *m, Value key, Value v)
{
    (void)in;
    if ((m->count + 1) * 4 > m->cap * 3)
        map_rebuild(m, m->cap ? m->cap * 2 : 8);
    size_t i = map_slot(m, key);
    if (!m->entries[i].used) {
        m->entries[i].used = true;
        m->entries[i].key = key;
        m->order[m->norder++] = i;
        m->count++;
    }
    m->entries[i].value = v;
}

bool map_delete(Map *m, Value key)
{
    if (!m->cap)
        return false;
    size_t i = map_slot(m, key);
    if (!m->entries[i].used)
        return false;
    m->entries[i].used = false;
    size_t w = 0;
    for (size_t k = 0; k < m->norder; k++)
        if (m->order[k] != i)
            m->order[w++] = m->order[k];
    m->norder = w;
    m->count--;
    /* Re-insert everything so probe chains stay intact. */
    for (size_t k = 0; k < m->norder; k++)
        m->entries[m->order[k]].used = true;
    map_rebuild(m, m->cap);
    return true;
}

Env *env_new(Interp *in, Env *parent)
{
    Map *vars = map_new(in);
    push_root(in, OBJ_VAL(vars));
    Env *e = (Env *)alloc_obj(in, sizeof(Env), O_ENV);
    pop_roots(in, 1);
    e->parent = parent;
    e->vars = vars;
    return e;
}

bool env_lookup(const Env *e, const Str *name, Value *out)
{
    for (; e; e = e->parent)
        if (map_get(e->vars, OBJ_VAL(name), out))
            return true;
    return false;
}

bool env_assign(Interp *in, Env *e, Str *name, Value v)
{
    Value old;
    for (; e; e = e->parent) {
        if (map_get(e->vars, OBJ_VAL(name), &old)) {
            map_set(in, e->vars, OBJ_VAL(name), v);
            return true;
        }
    }
    return false;
}

void env_define(Interp *in, Env *e, Str *name, Value v)
{
    map_set(in, e->vars, OBJ_VAL(name), v);
}

Func *func_new(Interp *in, const Node *decl, Env *closure, const char *name)
{
    Func *f = (Func *)alloc_obj(in, sizeof(Func), O_FUNC);
    f->decl = decl;
    f->closure = closure;
    f->name = name;
    return f;
}

Builtin *builtin_new(Interp *in, const char *name, BuiltinFn fn, int min_args, int max_args)
{
    Builtin *b = (Builtin *)alloc_obj(in, sizeof(Builtin), O_BUILTIN);
    b->name = name;
    b->fn = fn;
    b->min_args = min_args;
    b->max_args = max_args;
    return b;
}

/* ---------------------------------------------------------------- collection */

void push_root(Interp *in, Value v)
{
    if (in->sp == in->stack_cap) {
        in->stack_cap = in->stack_cap ? in->stack_cap * 2 : 256;
        in->stack = xgrow(in->stack, sizeof(Value) * in->stack_cap);
    }
    in->stack[in->sp++] = v;
}

void pop_roots(Interp *in, size_t n)
{
    in->sp -= n;
}

static void mark_obj(Obj *o);

static void mark_value(Value v)
{
    if (v.kind == V_OBJ)
        mark_obj(v.as.o);
}

static void mark_obj(Obj *o)
{
    while (o && !o->marked) {
        o->marked = true;
        switch (o->kind) {
        case O_STRING: case O_BUILTIN:
            return;
        case O_LIST: {
            List *l = (List *)o;
            for (size_t i = 0; i < l->len; i++)
                mark_value(l->items[i]);
            return;
        }
        case O_MAP: {
            Map *m = (Map *)o;
            for (size_t k = 0; k < m->norder; k++) {
                mark_value(m->entries[m->order[k]].key);
                mark_value(m->entries[m->order[k]].value);
            }
            return;
        }
        case O_FUNC:
            o = (Obj *)((Func *)o)->closure;
            continue;
        case O_ENV: {
            Env *e = (Env *)o;
            mark_obj((Obj *)e->vars);
            o = (Obj *)e->parent;
            continue;
        }
        }
    }
}

static void free_obj(Obj *o)
{
    if (o->kind == O_LIST)
        free(((List *)o)->items);
    else if (o->kind == O_MAP) {
        free(((Map *)o)->entries);
        free(((Map *)o)->order);
    }
    free(o);
}

static void collect(Interp *in)
{
    mark_obj((Obj *)in->globals);
    for (size_t i = 0; i < in->nframes; i++)
        mark_obj((Obj *)in->frames[i]);
    for (size_t i = 0; i < in->sp; i++)
        mark_value(in->stack[i]);
    Obj **link = &in->objects;
    size_t live = 0;
    while (*link) {
        Obj *o = *link;
        if (o->marked) {
            o->marked = false;
            link = &o->next_obj;
            live++;
        } else {
            *link = o->next_obj;
            free_obj(o);
        }
    }
    in->nobjects = live;
    in->next_gc = live * 2 > GC_FIRST ? live * 2 : GC_FIRST;
}

void maybe_gc(Interp *in)
{
    if (in->nobjects >= in->next_gc)
        collect(in);
}

void interp_init(Interp *in)
{
    memset(in, 0, sizeof *in);
    in->next_gc = GC_FIRST;
    in->globals = env_new(in, NULL);
}

void interp_free(Interp *in)
{
    while (in->objects) {
        Obj *o = in->objects;
        in->objects = o->next_obj;
        free_obj(o);
    }
    free(in->stack);
    free(in->frames);
}

/* ---------------------------------------------------------------- comparisons */

bool truthy(Value v)
{
    switch (v.kind) {
    case V_NIL: return false;
    case V_BOOL: return v.as.b;
    case V_INT: return v.as.i != 0;
    case V_FLOAT: return v.as.f != 0;
    case V_OBJ:
        if (v.as.o->kind == O_STRING) return AS_STR(v)->len > 0;
        if (v.as.o->kind == O_LIST) return AS_LIST(v)->len > 0;
        if (v.as.o->kind == O_MAP) return AS_MAP(v)->count > 0;
        return true;
    }
    return false;
}

const char *type_name(Value v)
{
    switch (v.kind) {
    case V_NIL: return "nil";
    case V_BOOL: return "bool";
    case V_INT: return "int";
    case V_FLOAT: return "float";
    case V_OBJ:
        switch (v.as.o->kind) {
        case O_STRING: return "string";
        case O_LIST: return "list";
        case O_MAP: return "map";
        case O_FUNC: case O_BUILTIN: return "function";
        case O_ENV: return "environment";
        }
    }
    return "?";
}

bool values_equal(Value a, Value b)
{
    if (a.kind == V_INT && b.kind == V_FLOAT)
        return (double)a.as.i == b.as.f;
    if (a.kind == V_FLOAT && b.kind == V_INT)
        return a.as.f == (double)b.as.i;
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case V_NIL: return true;
    case V_BOOL: return a.as.b == b.as.b;
    case V_INT: return a.as.i == b.as.i;
    case V_FLOAT: return a.as.f == b.as.f;
    case V_OBJ:
        if (a.as.o == b.as.o)
            return true;
        if (a.as.o->kind != b.as.o->kind)
            return false;
        if (a.as.o->kind == O_STRING) {
            Str *x = AS_STR(a), *y = AS_STR(b);
            return x->hash == y->hash && x->len == y->len && memcmp(x->chars, y->chars, x->len) == 0;
        }
        if (a.as.o->kind == O_LIST) {
            List *x = AS_LIST(a), *y = AS_LIST(b);
            if (x->len != y->len)
                return false;
            for (size_t i = 0; i < x->len; i++)
                if (!values_equal(x->items[i], y->items[i]))
                    return false;
            return true;
        }
        return false;
    }
    return false;
}

int values_compare(Interp *in, Value a, Value b, int line)
{
    bool an = a.kind == V_INT || a.kind == V_FLOAT, bn = b.kind == V_INT || b.kind == V_FLOAT;
    if (an && bn) {
        if (a.kind == V_INT && b.kind == V_INT)
            return (a.as.i > b.as.i) - (a.as.i < b.as.i);
        double x = a.kind == V_INT ? (double)a.as.i : a.as.f, y = b.kind == V_INT ? (double)b.as.i : b.as.f;
        return (x > y) - (x < y);
    }
    if (IS_OBJ_KIND(a, O_STRING) && IS_OBJ_KIND(b, O_STRING)) {
        Str *x = AS_STR(a), *y = AS_STR(b);
        size_t n = x->len < y->len ? x->len : y->len;
        int c = memcmp(x->chars, y->chars, n);
        if (c)
            return c < 0 ? -1 : 1;
        return (x->len > y->len) - (x->len < y->len);
    }
    if (IS_OBJ_KIND(a, O_LIST) && IS_OBJ_KIND(b, O_LIST)) {
        List *x = AS_LIST(a), *y = AS_LIST(b);
        for (size_t i = 0; i < x->len && i < y->len; i++) {
            int c = values_compare(in, x->items[i], y->items[i], line);
            if (c)
                return c;
        }
        return (x->len > y->len) - (x->len < y->len);
    }
    calc_error(in, line, "cannot compare %s with %s", type_name(a), type_name(b));
}

uint64_t value_hash(Value v)
{
    switch (v.kind) {
    case V_NIL: return 0x9e3779b97f4a7c15ull;
    case V_BOOL: return v.as.b ? 3 : 5;
    case V_INT: return (uint64_t)v.as.i * 0x9e3779b97f4a7c15ull;
    case V_FLOAT:
        if (v.as.f == floor(v.as.f) && fabs(v.as.f) < 9e18)
            return (uint64_t)(int64_t)v.as.f * 0x9e3779b97f4a7c15ull;
        {
            uint64_t bits;
            memcpy(&bits, &v.as.f, sizeof bits);
            return bits * 0xff51afd7ed558ccdull;
        }
    case V_OBJ:
        if (v.as.o->kind == O_STRING)
            return AS_STR(v)->hash;
        if (v.as.o->kind == O_LIST) {
            uint64_t h = 7;
            for (size_t i = 0; i < AS_LIST(v)->len; i++)
                h = h * 31 + value_hash(AS_LIST(v)->items[i]);
            return h;
        }
        return (uint64_t)(uintptr_t)v.as.o;
    }
    return 0;
}

/* ---------------------------------------------------------------- printing */

static void format_float(StrBuf *sb, double f)
{
    if (isnan(f)) {
        sbuf_puts(sb, "nan");
        return;
    }
    if (isinf(f)) {
        sbuf_puts(sb, f < 0 ? "-inf" : "inf");
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.12g", f);
    sbuf_puts(sb, buf);
    if (!strpbrk(buf, ".e"))
        sbuf_puts(sb, ".0");
}

void value_format(StrBuf *sb, Value v, bool quote)
{
    switch (v.kind) {
    case V_NIL: sbuf_puts(sb, "nil"); return;
    case V_BOOL: sbuf_puts(sb, v.as.b ? "true" : "false"); return;
    case V_INT: sbuf_printf(sb, "%lld", (long long)v.as.i); return;
    case V_FLOAT: format_float(sb, v.as.f); return;
    case V_OBJ: break;
    }
    switch (v.as.o->kind) {
    case O_STRING:
        if (quote) {
            sbuf_add(sb, "\"", 1);
            for (size_t i = 0; i < AS_STR(v)->len; i++) {
                char c = AS_STR(v)->chars[i];
                if (c == '\n')
                    sbuf_puts(sb, "\\n");
                else if (c == '"' || c == '\\') {
                    sbuf_add(sb, "\\", 1);
                    sbuf_add(sb, &c, 1);
                } else
                    sbuf_add(sb, &c, 1);
            }
            sbuf_add(sb, "\"", 1);
        } else {
            sbuf_add(sb, AS_STR(v)->chars, AS_STR(v)->len);
        }
        return;
    case O_LIST: {
        List *l = AS_LIST(v);
        sbuf_add(sb, "[", 1);
        for (size_t i = 0; i < l->len; i++) {
            if (i)
                sbuf_puts(sb, ", ");
            value_format(sb, l->items[i], true);
        }
        sbuf_add(sb, "]", 1);
        return;
    }
    case O_MAP: {
        Map *m = AS_MAP(v);
        sbuf_add(sb, "{", 1);
        for (size_t k = 0; k < m->norder; k++) {
            if (k)
                sbuf_puts(sb, ", ");
            value_format(sb, m->entries[m->order[k]].key, true);
            sbuf_puts(sb, ": ");
            value_format(sb, m->entries[m->order[k]].value, true);
        }
        sbuf_add(sb, "}", 1);
        return;
    }
    case O_FUNC:
        sbuf_printf(sb, "<fn %s>", ((Func *)v.as.o)->name ? ((Func *)v.as.o)->name : "anonymous");
        return;
    case O_BUILTIN:
        sbuf_printf(sb, "<builtin %s>", ((Builtin *)v.as.o)->name);
        return;
    case O_ENV:
        sbuf_puts(sb, "<env>");
        return;
    }
}

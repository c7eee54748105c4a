/*
 * calc/builtins.c — the library: printing and conversion, lists and maps, strings,
 * math, higher-order functions, and a stable merge sort that takes a comparator.
 */
#include "calc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGS Interp *in, int argc, Value *argv, int line

static void want(Interp *in, Value v, ObjKind k, const char *fn, int line)
{
    static const char *const names[] = {"string", "list", "map", "function", "function", "env"};
    if (!IS_OBJ_KIND(v, k))
        calc_error(in, line, "%s: expected a %s, got %s", fn, names[k], type_name(v));
}

static int64_t want_int(Interp *in, Value v, const char *fn, int line)
{
    if (v.kind == V_INT)
        return v.as.i;
    if (v.kind == V_FLOAT && v.as.f == floor(v.as.f) && fabs(v.as.f) < 9e18)
        return (int64_t)v.as.f;
    calc_error(in, line, "%s: expected an int, got %s", fn, type_name(v));
}

static double want_num(Interp *in, Value v, const char *fn, int line)
{
    if (v.kind == V_INT)
        return (double)v.as.i;
    if (v.kind == V_FLOAT)
        return v.as.f;
    calc_error(in, line, "%s: expected a number, got %s", fn, type_name(v));
}

static Value string_of(Interp *in, StrBuf *sb)
{
    Value v = OBJ_VAL(str_new(in, sb->data ? sb->data : "", sb->len));
    sbuf_free(sb);
    return v;
}

/* ---------------------------------------------------------------- output and conversion */

static void emit(Interp *in, const char *s, size_t n)
{
    if (in->out)
        sbuf_add(in->out, s, n);
    else
        fwrite(s, 1, n, stdout);
}

static Value b_print(ARGS)
{
    (void)line;
    StrBuf sb = {0};
    for (int i = 0; i < argc; i++) {
        if (i)
            sbuf_add(&sb, " ", 1);
        value_format(&sb, argv[i], false);
    }
    sbuf_add(&sb, "\n", 1);
    emit(in, sb.data, sb.len);
    sbuf_free(&sb);
    return NIL_VAL;
}

static Value b_str(ARGS)
{
    (void)argc; (void)line;
    StrBuf sb = {0};
    value_format(&sb, argv[0], false);
    return string_of(in, &sb);
}

static Value b_repr(ARGS)
{
    (void)argc; (void)line;
    StrBuf sb = {0};
    value_format(&sb, argv[0], true);
    return string_of(in, &sb);
}

static Value b_int(ARGS)
{
    (void)argc;
    Value v = argv[0];
    if (v.kind == V_INT)
        return v;
    if (v.kind == V_FLOAT) {
        if (!(fabs(v.as.f) < 9.2e18))
            calc_error(in, line, "int: %g does not fit", v.as.f);
        return INT_VAL((int64_t)v.as.f);
    }
    if (v.kind == V_BOOL)
        return INT_VAL(v.as.b);
    if (IS_OBJ_KIND(v, O_STRING)) {
        char *end;
        const char *s = AS_STR(v)->chars;
        long long n = strtoll(s, &end, 0);
        if (end == s || *end)
            calc_error(in, line, "int: '%s' is not a number", s);
        return INT_VAL(n);
    }
    calc_error(in, line, "int: cannot convert %s", type_name(v));
}

static Value b_float(ARGS)
{
    (void)argc;
    Value v = argv[0];
    if (IS_OBJ_KIND(v, O_STRING)) {
        char *end;
        double d = strtod(AS_STR(v)->chars, &end);
        if (end == AS_STR(v)->chars || *end)
            calc_error(in, line, "float: '%s' is not a number", AS_STR(v)->chars);
        return FLOAT_VAL(d);
    }
    return FLOAT_VAL(want_num(in, v, "float", line));
}

static Value b_type(ARGS)
{
    (void)argc; (void)line;
    const char *t = type_name(argv[0]);
    return OBJ_VAL(str_new(in, t, strlen(t)));
}

static Value b_assert(ARGS)
{
    if (!truthy(argv[0])) {
        StrBuf sb = {0};
        if (argc > 1)
            value_format(&sb, argv[1], false);
        calc_error(in, line, "assertion failed%s%s", argc > 1 ? ": " : "", sb.data ? sb.data : "");
    }
    return NIL_VAL;
}

static Value b_exit(ARGS)
{
    (void)argc;
    int64_t code = want_int(in, argv[0], "exit", line);
    if (in->out)
        fwrite(in->out->data, 1, in->out->len, stdout);
    fflush(stdout);
    exit((int)(code & 0xff));
}

/* ---------------------------------------------------------------- lists and maps */

static Value b_len(ARGS)
{
    (void)argc;
    Value v = argv[0];
    if (IS_OBJ_KIND(v, O_STRING)) return INT_VAL((int64_t)AS_STR(v)->len);
    if (IS_OBJ_KIND(v, O_LIST)) return INT_VAL((int64_t)AS_LIST(v)->len);
    if (IS_OBJ_KIND(v, O_MAP)) return INT_VAL((int64_t)AS_MAP(v)->count);
    calc_error(in, line, "len: %s has no length", type_name(v));
}

static Value b_push(ARGS)
{
    want(in, argv[0], O_LIST, "push", line);
    for (int i = 1; i < argc; i++)
        list_push(in, AS_LIST(argv[0]), argv[i]);
    return argv[0];
}

static Value b_pop(ARGS)
{
    (void)argc;
    want(in, argv[0], O_LIST, "pop", line);
    List *l = AS_LIST(argv[0]);
    if (!l->len)
        calc_error(in, line, "pop: empty list");
    return l->items[--l->len];
}

static Value b_range(ARGS)
{
    int64_t lo = 0, hi, step = 1;
    if (argc == 1)
        hi = want_int(in, argv[0], "range", line);
    else {
        lo = want_int(in, argv[0], "range", line);
        hi = want_int(in, argv[1], "range", line);
        if (argc > 2)
            step = want_int(in, argv[2], "range", line);
    }
    if (step == 0)
        calc_error(in, line, "range: step is zero");
    List *l = list_new(in);
    for (int64_t i = lo; step > 0 ? i < hi : i > hi; i += step) {
        if (l->len > 10000000)
            calc_error(in, line, "range: too long");
        list_push(in, l, INT_VAL(i));
    }
    return OBJ_VAL(l);
}

static Value b_keys(ARGS)
{
    (void)argc;
    want(in, argv[0], O_MAP, "keys", line);
    Map *m = AS_MAP(argv[0]);
    List *l = list_new(in);
    for (size_t k = 0; k < m->norder; k++)
        list_push(in, l, m->entries[m->order[k]].key);
    return OBJ_VAL(l);
}

static Value b_values(ARGS)
{
    (void)argc;
    want(in, argv[0], O_MAP, "values", line);
    Map *m = AS_MAP(argv[0]);
    List *l = list_new(in);
    for (size_t k = 0; k < m->norder; k++)
        list_push(in, l, m->entries[m->order[k]].value);
    return OBJ_VAL(l);
}

static Value b_has(ARGS)
{
    (void)argc;
    Value dummy;
    if (IS_OBJ_KIND(argv[0], O_MAP))
        return BOOL_VAL(map_get(AS_MAP(argv[0]), argv[1], &dummy));
    if (IS_OBJ_KIND(argv[0], O_LIST)) {
        List *l = AS_LIST(argv[0]);
        for (size_t i = 0; i < l->len; i++)
            if (values_equal(l->items[i], argv[1]))
                return BOOL_VAL(true);
        return BOOL_VAL(false);
    }
    if (IS_OBJ_KIND(argv[0], O_STRING) && IS_OBJ_KIND(argv[1], O_STRING))
        return BOOL_VAL(strstr(AS_STR(argv[0])->chars, AS_STR(argv[1])->chars) != NULL);
    calc_error(in, line, "has: cannot search %s", type_name(argv[0]));
}

static Value b_del(ARGS)
{
    (void)argc;
    want(in, argv[0], O_MAP, "del", line);
    return BOOL_VAL(map_delete(AS_MAP(argv[0]), argv[1]));
}

static Value b_slice(ARGS)
{
    int64_t len;
    if (IS_OBJ_KIND(argv[0], O_LIST))
        len = (int64_t)AS_LIST(argv[0])->len;
    else {
        want(in, argv[0], O_STRING, "slice", line);
        len = (int64_t)AS_STR(argv[0])->len;
    }
    int64_t lo = want_int(in, argv[1], "slice", line), hi = argc > 2 ? want_int(in, argv[2], "slice", line) : len;
    if (lo < 0) lo += len;
    if (hi < 0) hi += len;
    lo = lo < 0 ? 0 : lo > len ? len : lo;
    hi = hi < lo ? lo : hi > len ? len : hi;
    if (IS_OBJ_KIND(argv[0], O_STRING))
        return OBJ_VAL(str_new(in, AS_STR(argv[0])->chars + lo, (size_t)(hi - lo)));
    List *l = list_new(in);
    for (int64_t i = lo; i < hi; i++)
        list_push(in, l, AS_LIST(argv[0])->items[i]);
    return OBJ_VAL(l);
}

static Value b_reverse(ARGS)
{
    (void)argc;
    want(in, argv[0], O_LIST, "reverse", line);
    List *src = AS_LIST(argv[0]);
    List *l = list_new(in);
    for (size_t i = src->len; i-- > 0;)
        list_push(in, l, src->items[i]);
    return OBJ_VAL(l);
}

/* Stable merge sort; cmp is NIL_VAL for the natural order. */
static void merge_sort(Interp *in, Value *a, Value *tmp, size_t n, Value cmp, int line)
{
    if (n < 2)
        return;
    size_t mid = n / 2;
    merge_sort(in, a, tmp, mid, cmp, line);
    merge_sort(in, a + mid, tmp, n - mid, cmp, line);
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        int c;
        if (cmp.kind == V_NIL) {
            c = values_compare(in, a[j], a[i], line);
        } else {
            Value args[2] = {a[j], a[i]};
            Value r = call_value(in, cmp, 2, args, line);
            c = truthy(r) ? -1 : 0;  /* cmp(x, y) is "x comes before y" */
        }
        tmp[k++] = c < 0 ? a[j++] : a[i++];
    }
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, sizeof(Value) * n);
}

static Value b_sort(ARGS)
{
    want(in, argv[0], O_LIST, "sort", line);
    List *src = AS_LIST(argv[0]);
    List *l = list_new(in);
    push_root(in, OBJ_VAL(l));
    for (size_t i = 0; i < src->len; i++)
        list_push(in, l, src->items[i]);
    Value *tmp = xalloc(sizeof(Value) * (l->len + 1));
    merge_sort(in, l->items, tmp, l->len, argc > 1 ? argv[1] : NIL_VAL, line);
    free(tmp);
    pop_roots(in, 1);
    return OBJ_VAL(l);
}

static Value b_map(ARGS)
{
    (void)argc;
    want(in, argv[1], O_LIST, "map", line);
    List *src = AS_LIST(argv[1]);
    List *l = list_new(in);
    push_root(in, OBJ_VAL(l));
    for (size_t i = 0; i < src->len; i++) {
        Value v = call_value(in, argv[0], 1, &src->items[i], line);
        list_push(in, l, v);
    }
    pop_roots(in, 1);
    return OBJ_VAL(l);
}

static Value b_filter(ARGS)
{
    (void)argc;
    want(in, argv[1], O_LIST, "filter", line);
    List *src = AS_LIST(argv[1]);
    List *l = list_new(in);
    push_root(in, OBJ_VAL(l));
    for (size_t i = 0; i < src->len; i++)
        if (truthy(call_value(in, argv[0], 1, &src->items[i], line)))
            list_push(in, l, src->items[i]);
    pop_roots(in, 1);
    return OBJ_VAL(l);
}

static Value b_reduce(ARGS)
{
    (void)argc;
    want(in, argv[1], O_LIST, "reduce", line);
    List *src = AS_LIST(argv[1]);
    Value acc = argv[2];
    for (size_t i = 0; i < src->len; i++) {
        push_root(in, acc);
        Value args[2] = {acc, src->items[i]};
        acc = call_value(in, argv[0], 2, args, line);
        pop_roots(in, 1);
    }
    return acc;
}

static Value b_sum(ARGS)
{
    (void)argc;
    want(in, argv[0], O_LIST, "sum", line);
    Value acc = INT_VAL(0);
    List *l = AS_LIST(argv[0]);
    for (size_t i = 0; i < l->len; i++) {
        Value v = l->items[i];
        if (acc.kind == V_INT && v.kind == V_INT)
            acc = INT_VAL((int64_t)((uint64_t)acc.as.i + (uint64_t)v.as.i));
        else
            acc = FLOAT_VAL(want_num(in, acc, "sum", line) + want_num(in, v, "sum", line));
    }
    return acc;
}

static Value b_minmax(Interp *in, int argc, Value *argv, int line, int sign)
{
    Value *items = argv;
    size_t n = (size_t)argc;
    if (argc == 1 && IS_OBJ_KIND(argv[0], O_LIST)) {
        items = AS_LIST(argv[0])->items;
        n = AS_LIST(argv[0])->len;
    }
    if (!n)
        calc_error(in, line, "%s: nothing to compare", sign < 0 ? "min" : "max");
    Value best = items[0];
    for (size_t i = 1; i < n; i++)
        if (values_compare(in, items[i], best, line) * sign > 0)
            best = items[i];
    return best;
}

static Value b_min(ARGS) { return b_minmax(in, argc, argv, line, -1); }
static Value b_max(ARGS) { return b_minmax(in, argc, argv, line, 1); }

/* ---------------------------------------------------------------- strings */

static Value b_join(ARGS)
{
    want(in, argv[0], O_LIST, "join", line);
    const char *sep = "";
    size_t seplen = 0;
    if (argc > 1) {
        want(in, argv[1], O_STRING, "join", line);
        sep = AS_STR(argv[1])->chars;
        seplen = AS_STR(argv[1])->len;
    }
    StrBuf sb = {0};
    List *l = AS_LIST(argv[0]);
    for (size_t i = 0; i < l->len; i++) {
        if (i)
            sbuf_add(&sb, sep, seplen);
        value_format(&sb, l->items[i], false);
    }
    return string_of(in, &sb);
}

static Value b_split(ARGS)
{
    want(in, argv[0], O_STRING, "split", line);
    Str *s = AS_STR(argv[0]);
    List *l = list_new(in);
    push_root(in, OBJ_VAL(l));
    if (argc < 2) {  /* on runs of whitespace */
        size_t i = 0;
        while (i < s->len) {
            while (i < s->len && isspace((unsigned char)s->chars[i]))
                i++;
            size_t j = i;
            while (j < s->len && !isspace((unsigned char)s->chars[j]))
                j++;
            if (j > i)
                list_push(in, l, OBJ_VAL(str_new(in, s->chars + i, j - i)));
            i = j;
        }
    } else {
        want(in, argv[1], O_STRING, "split", line);
        Str *sep = AS_STR(argv[1]);
        if (!sep->len)
            calc_error(in, line, "split: empty separator");
        size_t i = 0;
        for (;;) {
            const char *hit = NULL;
            for (size_t k = i; k + sep->len <= s->len; k++)
                if (memcmp(s->chars + k, sep->chars, sep->len) == 0) {
                    hit = s->chars + k;
                    break;
                }
            size_t end = hit ? (size_t)(hit - s->chars) : s->len;
            list_push(in, l, OBJ_VAL(str_new(in, s->chars + i, end - i)));
            if (!hit)
                break;
            i = end + sep->len;
        }
    }
    pop_roots(in, 1);
    return OBJ_VAL(l);
}

static Value change_case(Interp *in, Value v, int upper, int line)
{
    want(in, v, O_STRING, upper ? "upper" : "lower", line);
    Str *s = AS_STR(v);
    char *buf = xalloc(s->len + 1);
    for (size_t i = 0; i < s->len; i++)
        buf[i] = (char)(upper ? toupper((unsigned char)s->chars[i]) : tolower((unsigned char)s->chars[i]));
    Value r = OBJ_VAL(str_new(in, buf, s->len));
    free(buf);
    return r;
}

static Value b_upper(ARGS) { (void)argc; return change_case(in, argv[0], 1, line); }
static Value b_lower(ARGS) { (void)argc; return change_case(in, argv[0], 0, line); }

static Value b_find(ARGS)
{
    (void)argc;
    want(in, argv[0], O_STRING, "find", line);
    want(in, argv[1], O_STRING, "find", line);
    const char *hit = strstr(AS_STR(argv[0])->chars, AS_STR(argv[1])->chars);
    return INT_VAL(hit ? hit - AS_STR(argv[0])->chars : -1);
}

static Value b_replace(ARGS)
{
    (void)argc;
    for (int i = 0; i < 3; i++)
        want(in, argv[i], O_STRING, "replace", line);
    Str *s = AS_STR(argv[0]), *from = AS_STR(argv[1]), *to = AS_STR(argv[2]);
    if (!from->len)
        calc_error(in, line, "replace: empty pattern");
    StrBuf sb = {0};
    for (size_t i = 0; i < s->len;) {
        if (i + from->len <= s->len && memcmp(s->chars + i, from->chars, from->len) == 0) {
            sbuf_add(&sb, to->chars, to->len);
            i += from->len;
        } else {
            sbuf_add(&sb, s->chars + i, 1);
            i++;
        }
    }
    return string_of(in, &sb);
}

static Value b_trim(ARGS)
{
    (void)argc;
    want(in, argv[0], O_STRING, "trim", line);
    Str *s = AS_STR(argv[0]);
    size_t a = 0, b = s->len;
    while (a < b && isspace((unsigned char)s->chars[a]))
        a++;
    while (b > a && isspace((unsigned char)s->chars[b - 1]))
        b--;
    return OBJ_VAL(str_new(in, s->chars + a, b - a));
}

static Value b_chr(ARGS)
{
    (void)argc;
    int64_t c = want_int(in, argv[0], "chr", line);
    if (c < 0 || c > 255)
        calc_error(in, line, "chr: %lld is not a byte", (long long)c);
    char ch = (char)c;
    return OBJ_VAL(str_new(in, &ch, 1));
}

static Value b_ord(ARGS)
{
    (void)argc;
    want(in, argv[0], O_STRING, "ord", line);
    if (AS_STR(argv[0])->len != 1)
        calc_error(in, line, "ord: expected one character");
    return INT_VAL((unsigned char)AS_STR(argv[0])->chars[0]);
}

/* format("x={} y={}", x, y): each {} takes the next argument ({{ and }} are braces). */
static Value b_format(ARGS)
{
    want(in, argv[0], O_STRING, "format", line);
    Str *f = AS_STR(argv[0]);
    StrBuf sb = {0};
    int next = 1;
    for (size_t i = 0; i < f->len; i++) {
        char c = f->chars[i];
        if (c == '{' && i + 1 < f->len && f->chars[i + 1] == '{') {
            sbuf_add(&sb, "{", 1);
            i++;
        } else if (c == '}' && i + 1 < f->len && f->chars[i + 1] == '}') {
            sbuf_add(&sb, "}", 1);
            i++;
        } else if (c == '{' && i + 1 < f->len && f->chars[i + 1] == '}') {
            if (next >= argc) {
                sbuf_free(&sb);
                calc_error(in, line, "format: not enough arguments");
            }
            value_format(&sb, argv[next++], false);
            i++;
        } else {
            sbuf_add(&sb, &c, 1);
        }
    }
    return string_of(in, &sb);
}

static Value b_hex(ARGS)
{
    (void)argc;
    char buf[32];
    snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)want_int(in, argv[0], "hex", line));
    return OBJ_VAL(str_new(in, buf, strlen(buf)));
}

/* ---------------------------------------------------------------- math */

static Value b_abs(ARGS)
{
    (void)argc;
    if (argv[0].kind == V_INT)
        return INT_VAL(argv[0].as.i < 0 ? (int64_t)(0 - (uint64_t)argv[0].as.i) : argv[0].as.i);
    return FLOAT_VAL(fabs(want_num(in, argv[0], "abs", line)));
}

static Value b_sqrt(ARGS)
{
    (void)argc;
    double d = want_num(in, argv[0], "sqrt", line);
    if (d < 0)
        calc_error(in, line, "sqrt of a negative number");
    return FLOAT_VAL(sqrt(d));
}

static Value b_floor(ARGS) { (void)argc; return FLOAT_VAL(floor(want_num(in, argv[0], "floor", line))); }

static Value b_pow(ARGS)
{
    (void)argc;
    if (argv[0].kind == V_INT && argv[1].kind == V_INT && argv[1].as.i >= 0) {
        uint64_t base = (uint64_t)argv[0].as.i, r = 1;
        for (int64_t e = argv[1].as.i; e > 0; e >>= 1) {
            if (e & 1)
                r *= base;
            base *= base;
        }
        return INT_VAL((int64_t)r);
    }
    return FLOAT_VAL(pow(want_num(in, argv[0], "pow", line), want_num(in, argv[1], "pow", line)));
}

static Value b_gcd(ARGS)
{
    (void)argc;
    int64_t a = want_int(in, argv[0], "gcd", line), b = want_int(in, argv[1], "gcd", line);
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return INT_VAL(a);
}

/* ---------------------------------------------------------------- table */

static const struct {
    const char *name;
    BuiltinFn fn;
    int min_args, max_args;  /* -1: any number */
} table[] = {
    {"print", b_print, 0, -1}, {"str", b_str, 1, 1}, {"repr", b_repr, 1, 1}, {"int", b_int, 1, 1},
    {"float", b_float, 1, 1}, {"type", b_type, 1, 1}, {"assert", b_assert, 1, 2}, {"exit", b_exit, 1, 1},
    {"len", b_len, 1, 1}, {"push", b_push, 2, -1}, {"pop", b_pop, 1, 1}, {"range", b_range, 1, 3},
    {"keys", b_keys, 1, 1}, {"values", b_values, 1, 1}, {"has", b_has, 2, 2}, {"del", b_del, 2, 2},
    {"slice", b_slice, 2, 3}, {"reverse", b_reverse, 1, 1}, {"sort", b_sort, 1, 2}, {"map", b_map, 2, 2},
    {"filter", b_filter, 2, 2}, {"reduce", b_reduce, 3, 3}, {"sum", b_sum, 1, 1}, {"min", b_min, 1, -1},
    {"max", b_max, 1, -1}, {"join", b_join, 1, 2}, {"split", b_split, 1, 2}, {"upper", b_upper, 1, 1},
    {"lower", b_lower, 1, 1}, {"find", b_find, 2, 2}, {"replace", b_replace, 3, 3}, {"trim", b_trim, 1, 1},
    {"chr", b_chr, 1, 1}, {"ord", b_ord, 1, 1}, {"format", b_format, 1, -1}, {"hex", b_hex, 1, 1},
    {"abs", b_abs, 1, 1}, {"sqrt", b_sqrt, 1, 1}, {"floor", b_floor, 1, 1}, {"pow", b_pow, 2, 2},
    {"gcd", b_gcd, 2, 2},
};

void builtins_install(Interp *in)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        Builtin *b = builtin_new(in, table[i].name, table[i].fn, table[i].min_args, table[i].max_args);
        push_root(in, OBJ_VAL(b));
        env_define(in, in->globals, str_permanent(table[i].name, strlen(table[i].name)), OBJ_VAL(b));
        pop_roots(in, 1);
    }
}

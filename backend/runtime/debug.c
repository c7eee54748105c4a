/*
 * backend/runtime/debug.c — Debug of composite values: derived structs, tuples,
 * arrays, slices, and formatting through references.
 *
 * The layouts are those of core::fmt's builders (DebugStruct, DebugTuple, DebugList):
 *   Point { x: 1, y: 2 }   Wrapper(3)   (1,)   [1, 2, 3]
 * and, under {:#?}, their pretty forms, one field per line with a trailing comma, each
 * nesting level indented by four spaces (the sink's depth plays Rust's PadAdapter).
 * The caller's spec stays in force for every leaf: {:5?} pads each number.
 */
#include "rt_internal.h"

static void write_str(RtFormatter *f, const char *s, uint64_t len)
{
    rt_sink_write(f->sink, s, len);
}

static bool is_pretty(const RtFormatter *f)
{
    return (f->spec.flags & RT_FLAG_ALTERNATE) != 0;
}

/* Formats one entry of a pretty composite: indented one level more, then ",\n". */
static void pretty_entry(RtFormatter *f, const char *name, uint64_t name_len, const void *value,
                         RtFmtFn fmt, const void *ctx)
{
    RtSink *s = f->sink;
    s->depth++;
    s->at_line_start = true;
    if (name) {
        write_str(f, name, name_len);
        write_str(f, ": ", 2);
    }
    fmt(value, f, ctx);
    write_str(f, ",\n", 2);
    s->depth--;
}

void rt_fmt_debug_struct(const void *value, RtFormatter *f, const void *ctx)
{
    const RtDebugStruct *d = ctx;
    const char *base = value;
    if (d->shape == RT_DEBUG_TUPLE && d->nfields == 0) {
        rt_pad(f, "()", 2);
        return;
    }
    if (d->name)
        write_str(f, d->name, d->name_len);
    if (d->nfields == 0)
        return;
    bool named = d->shape == RT_DEBUG_STRUCT;
    bool pretty = is_pretty(f);
    for (uint32_t i = 0; i < d->nfields; i++) {
        const RtDebugField *field = &d->fields[i];
        if (pretty) {
            if (i == 0)
                write_str(f, named ? " {\n" : "(\n", named ? 3 : 2);
            pretty_entry(f, named ? field->name : NULL, field->name_len, base + field->offset,
                         field->fmt, field->ctx);
            continue;
        }
        if (i == 0)
            write_str(f, named ? " { " : "(", named ? 3 : 1);
        else
            write_str(f, ", ", 2);
        if (named) {
            write_str(f, field->name, field->name_len);
            write_str(f, ": ", 2);
        }
        field->fmt(base + field->offset, f, field->ctx);
    }
    if (named)
        write_str(f, pretty ? "}" : " }", pretty ? 1 : 2);
    else if (d->nfields == 1 && d->shape == RT_DEBUG_TUPLE && !pretty)
        write_str(f, ",)", 2);
    else
        write_str(f, ")", 1);
}

static void debug_list(const char *elems, uint64_t count, const RtDebugList *d, RtFormatter *f)
{
    bool pretty = is_pretty(f);
    write_str(f, "[", 1);
    for (uint64_t i = 0; i < count; i++) {
        const void *elem = elems + i * d->elem_size;
        if (pretty) {
            if (i == 0)
                write_str(f, "\n", 1);
            pretty_entry(f, NULL, 0, elem, d->elem_fmt, d->elem_ctx);
            continue;
        }
        if (i > 0)
            write_str(f, ", ", 2);
        d->elem_fmt(elem, f, d->elem_ctx);
    }
    write_str(f, "]", 1);
}

void rt_fmt_debug_array(const void *value, RtFormatter *f, const void *ctx)
{
    const RtDebugList *d = ctx;
    debug_list(value, d->count, d, f);
}

void rt_fmt_debug_slice(const void *value, RtFormatter *f, const void *ctx)
{
    const RtSlice *slice = value;
    debug_list(slice->ptr, slice->len, ctx, f);
}

void rt_fmt_deref(const void *value, RtFormatter *f, const void *ctx)
{
    const RtFmtRef *r = ctx;
    r->fmt(*(const void *const *)value, f, r->ctx);
}

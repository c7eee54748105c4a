/*
 * backend/code.c — records of generated code (CodeFunc, CodeData) and their binary form.
 *
 * The per-function cache stores these records inside a checksummed cache file (see
 * file_write_checked in common.h: magic, version and checksum belong to that file, not
 * to the records). A record names symbols by string, never by Sym, so it can be read
 * back into any interner. All integers little-endian.
 *
 *   function record
 *     u8    'F'
 *     strings                     the names the record uses (below)
 *     u32   name                  string index of the symbol
 *     u8    flags                 bit 0: local
 *     u32   align                 a power of two
 *     u32   size, size bytes      the machine code
 *     u32   nrelocs, nrelocs × reloc
 *     u32   nlocs, nlocs × (u32 file string index, u32 line, u32 col, u32 node)
 *     u32   ndata, ndata × data body     the function's own data items
 *
 *   data record (a module-level data item)
 *     u8    'D'
 *     strings
 *     data body
 *
 *   strings    u32 count, count × (u32 length, bytes)   no NUL inside; the indices below
 *                                                        refer to this table
 *   data body  u32 name, u8 flags (bit 0 writable, bit 1 local), u32 align,
 *              u32 size, size bytes, u32 nrelocs, nrelocs × reloc
 *   reloc      u32 offset, u8 kind (RelocKind), u8 to_locs, u32 symbol string index
 *              (0 and unused when to_locs), i64 addend
 *
 * Strings appear in order of first use (symbol first), so equal records serialize to
 * equal bytes. The reader checks every count against the bytes left, every index and
 * kind against its range and every relocation against its field: a damaged record
 * makes it return false, never crash.
 */
#include "backend/backend.h"

#include <string.h>

CodeData code_data_make(Arena *arena, Sym name, const void *bytes, uint32_t size,
                        uint32_t align, const CodeReloc *relocs, uint32_t nrelocs)
{
    if (!align || (align & (align - 1)))
        die("data alignment %u is not a power of two", align);
    return (CodeData){
        .name = name,
        .bytes = arena_memdup(arena, bytes, size),
        .size = size,
        .align = align,
        .relocs = arena_memdup(arena, relocs, sizeof(CodeReloc) * nrelocs),
        .nrelocs = nrelocs,
    };
}

/* ---------------------------------------------------------------- writing */

/* The string table of one record: Syms in order of first use, with a hash index. */
typedef struct Strings {
    Vec(Sym) syms;
    uint32_t *slots;  /* index + 1 into syms, 0 free */
    uint32_t nslots;
} Strings;

static void strings_grow(Strings *t)
{
    uint32_t n = t->nslots ? t->nslots * 2 : 64;
    uint32_t *slots = xcalloc(n, sizeof *slots);
    for (uint32_t i = 0; i < t->syms.len; i++) {
        uint32_t h = (uint32_t)hash64(&t->syms.data[i], sizeof(Sym)) & (n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = i + 1;
    }
    xfree(t->slots);
    t->slots = slots;
    t->nslots = n;
}

static uint32_t strings_index(Strings *t, Sym sym)
{
    if ((t->syms.len + 1) * 2 > t->nslots)
        strings_grow(t);
    uint32_t h = (uint32_t)hash64(&sym, sizeof sym) & (t->nslots - 1);
    for (; t->slots[h]; h = (h + 1) & (t->nslots - 1))
        if (t->syms.data[t->slots[h] - 1] == sym)
            return t->slots[h] - 1;
    vec_push(&t->syms, sym);
    t->slots[h] = t->syms.len;
    return t->syms.len - 1;
}

static void strings_free(Strings *t)
{
    vec_free(&t->syms);
    xfree(t->slots);
}

static void collect_relocs(Strings *t, const CodeReloc *relocs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!relocs[i].to_locs)
            strings_index(t, relocs[i].sym);
}

static void collect_data(Strings *t, const CodeData *d)
{
    strings_index(t, d->name);
    collect_relocs(t, d->relocs, d->nrelocs);
}

/* The output of one record: small fields gather in buf and reach out in a few appends
 * (a record is mostly 4- and 8-byte fields: one sb_append each would dominate). */
typedef struct Out {
    StrBuf *out;
    size_t len;
    uint8_t buf[2048];
} Out;

static void out_flush(Out *o)
{
    sb_append(o->out, o->buf, o->len);
    o->len = 0;
}

static void put_le(Out *o, uint64_t v, int n)
{
    if (o->len + (size_t)n > sizeof o->buf)
        out_flush(o);
    for (int i = 0; i < n; i++)
        o->buf[o->len++] = (uint8_t)(v >> (8 * i));
}

static void put8(Out *o, uint8_t v) { put_le(o, v, 1); }
static void put32(Out *o, uint32_t v) { put_le(o, v, 4); }
static void put64(Out *o, uint64_t v) { put_le(o, v, 8); }

static void put_raw(Out *o, const void *bytes, size_t size)
{
    if (o->len + size > sizeof o->buf)
        out_flush(o);
    if (size > sizeof o->buf) {
        sb_append(o->out, bytes, size);
        return;
    }
    memcpy(o->buf + o->len, bytes, size);
    o->len += size;
}

static void put_strings(Out *o, const Strings *t, const Interner *names)
{
    put32(o, t->syms.len);
    for (uint32_t i = 0; i < t->syms.len; i++) {
        uint32_t len = (uint32_t)sym_len(names, t->syms.data[i]);
        put32(o, len);
        put_raw(o, sym_str(names, t->syms.data[i]), len);
    }
}

static void put_bytes(Out *o, const uint8_t *bytes, uint32_t size)
{
    put32(o, size);
    put_raw(o, bytes, size);
}

static void put_relocs(Out *o, Strings *t, const CodeReloc *relocs, uint32_t n)
{
    put32(o, n);
    for (uint32_t i = 0; i < n; i++) {
        const CodeReloc *r = &relocs[i];
        put32(o, r->offset);
        put8(o, r->kind);
        put8(o, r->to_locs);
        put32(o, r->to_locs ? 0 : strings_index(t, r->sym));
        put64(o, (uint64_t)r->addend);
    }
}

static void put_data_body(Out *o, Strings *t, const CodeData *d)
{
    put32(o, strings_index(t, d->name));
    put8(o, (uint8_t)(d->writable | d->local << 1));
    put32(o, d->align);
    put_bytes(o, d->bytes, d->size);
    put_relocs(o, t, d->relocs, d->nrelocs);
}

void code_func_write(StrBuf *out, const CodeFunc *f, const Interner *names)
{
    Strings t = {0};
    strings_index(&t, f->name);
    collect_relocs(&t, f->relocs, f->nrelocs);
    for (uint32_t i = 0; i < f->nlocs; i++)
        strings_index(&t, f->locs[i].file);
    for (uint32_t i = 0; i < f->ndata; i++)
        collect_data(&t, &f->data[i]);

    Out o = {.out = out};
    put8(&o, 'F');
    put_strings(&o, &t, names);
    put32(&o, strings_index(&t, f->name));
    put8(&o, f->local);
    put32(&o, f->align);
    put_bytes(&o, f->code, f->size);
    put_relocs(&o, &t, f->relocs, f->nrelocs);
    put32(&o, f->nlocs);
    for (uint32_t i = 0; i < f->nlocs; i++) {
        put32(&o, strings_index(&t, f->locs[i].file));
        put32(&o, f->locs[i].line);
        put32(&o, f->locs[i].col);
        put32(&o, f->locs[i].node);
    }
    put32(&o, f->ndata);
    for (uint32_t i = 0; i < f->ndata; i++)
        put_data_body(&o, &t, &f->data[i]);
    out_flush(&o);
    strings_free(&t);
}

void code_data_write(StrBuf *out, const CodeData *d, const Interner *names)
{
    Strings t = {0};
    collect_data(&t, d);
    Out o = {.out = out};
    put8(&o, 'D');
    put_strings(&o, &t, names);
    put_data_body(&o, &t, d);
    out_flush(&o);
    strings_free(&t);
}

/* ---------------------------------------------------------------- reading */

typedef struct Reader {
    const uint8_t *p, *end;
    bool bad;
    Arena *arena;
    Sym *strings;     /* the record's string table, interned */
    uint32_t nstrings;
} Reader;

static bool need(Reader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n)
        r->bad = true;
    return !r->bad;
}

static uint8_t get8(Reader *r) { return need(r, 1) ? *r->p++ : 0; }

/* A little-endian integer of n bytes (0 once the record is known bad). */
static uint64_t get_le(Reader *r, size_t n)
{
    uint64_t v = 0;
    if (need(r, n)) {
        for (size_t i = 0; i < n; i++)
            v |= (uint64_t)r->p[i] << (8 * i);
        r->p += n;
    }
    return v;
}

static uint32_t get32(Reader *r) { return (uint32_t)get_le(r, 4); }
static uint64_t get64(Reader *r) { return get_le(r, 8); }

/* A count of elements of at least `min_size` bytes each, checked against what is left
 * (so a damaged count cannot ask for a huge allocation). */
static uint32_t get_count(Reader *r, size_t min_size)
{
    uint32_t n = get32(r);
    if (!r->bad && (size_t)(r->end - r->p) / min_size < n)
        r->bad = true;
    return r->bad ? 0 : n;
}

static Sym get_string(Reader *r)
{
    uint32_t i = get32(r);
    if (i >= r->nstrings)
        r->bad = true;
    return r->bad ? 0 : r->strings[i];
}

static void get_strings(Reader *r, Interner *names)
{
    r->nstrings = get_count(r, 4);
    r->strings = arena_new(r->arena, Sym, r->nstrings);
    for (uint32_t i = 0; i < r->nstrings && !r->bad; i++) {
        uint32_t len = get32(r);
        if (!need(r, len) || memchr(r->p, 0, len)) {
            r->bad = true;
            break;
        }
        r->strings[i] = intern(names, (const char *)r->p, len);
        r->p += len;
    }
}

static uint32_t get_align(Reader *r)
{
    uint32_t align = get32(r);
    if (!align || (align & (align - 1)))
        r->bad = true;
    return align;
}

static const uint8_t *get_bytes(Reader *r, uint32_t *size)
{
    *size = get_count(r, 1);
    const uint8_t *bytes = r->bad ? NULL : arena_memdup(r->arena, r->p, *size);
    r->p += r->bad ? 0 : *size;
    return bytes;
}

/* Relocations of `size` bytes of code or data; to_locs only when nlocs allows it. */
static CodeReloc *get_relocs(Reader *r, uint32_t *n, uint32_t size, bool may_locs)
{
    *n = get_count(r, 18);
    CodeReloc *relocs = arena_new(r->arena, CodeReloc, *n);
    for (uint32_t i = 0; i < *n && !r->bad; i++) {
        CodeReloc *c = &relocs[i];
        c->offset = get32(r);
        c->kind = get8(r);
        uint8_t to_locs = get8(r);
        if (c->kind >= RELOC_KIND_COUNT || to_locs > 1 || (to_locs && !may_locs) ||
            c->offset > size || size - c->offset < reloc_info[c->kind].size) {
            r->bad = true;
            break;
        }
        c->to_locs = to_locs;
        if (to_locs)
            r->bad |= get32(r) != 0;
        else
            c->sym = get_string(r);
        c->addend = (int64_t)get64(r);
    }
    return relocs;
}

static void get_data_body(Reader *r, CodeData *d)
{
    memset(d, 0, sizeof *d);
    d->name = get_string(r);
    uint8_t flags = get8(r);
    if (flags > 3)
        r->bad = true;
    d->writable = flags & 1;
    d->local = flags >> 1 & 1;
    d->align = get_align(r);
    d->bytes = get_bytes(r, &d->size);
    d->relocs = get_relocs(r, &d->nrelocs, d->size, false);
}

bool code_func_read(const uint8_t *buf, size_t len, size_t *pos, CodeFunc *f, Arena *arena,
                    Interner *names)
{
    if (*pos > len)
        return false;
    Reader r = {buf + *pos, buf + len, false, arena, NULL, 0};
    memset(f, 0, sizeof *f);
    if (get8(&r) != 'F')
        return false;
    get_strings(&r, names);
    f->name = get_string(&r);
    uint8_t flags = get8(&r);
    r.bad |= flags > 1;
    f->local = flags;
    f->align = get_align(&r);
    f->code = get_bytes(&r, &f->size);
    /* the relocations come before the locations they may refer to: check after */
    f->relocs = get_relocs(&r, &f->nrelocs, f->size, true);
    f->nlocs = get_count(&r, 16);
    f->locs = arena_new(arena, CodeLoc, f->nlocs);
    for (uint32_t i = 0; i < f->nlocs && !r.bad; i++) {
        f->locs[i].file = get_string(&r);
        f->locs[i].line = get32(&r);
        f->locs[i].col = get32(&r);
        f->locs[i].node = get32(&r);
    }
    for (uint32_t i = 0; i < f->nrelocs && !r.bad; i++)
        if (f->relocs[i].to_locs && f->nlocs == 0)
            r.bad = true;
    f->ndata = get_count(&r, 17);
    f->data = arena_new(arena, CodeData, f->ndata);
    for (uint32_t i = 0; i < f->ndata && !r.bad; i++)
        get_data_body(&r, &f->data[i]);
    if (r.bad)
        return false;
    *pos = (size_t)(r.p - buf);
    return true;
}

bool code_data_read(const uint8_t *buf, size_t len, size_t *pos, CodeData *d, Arena *arena,
                    Interner *names)
{
    if (*pos > len)
        return false;
    Reader r = {buf + *pos, buf + len, false, arena, NULL, 0};
    if (get8(&r) != 'D')
        return false;
    get_strings(&r, names);
    get_data_body(&r, d);
    if (r.bad)
        return false;
    *pos = (size_t)(r.p - buf);
    return true;
}

/* ---------------------------------------------------------------- comparing */

static bool same_sym(Sym a, Sym b, const Interner *an, const Interner *bn)
{
    if (!a || !b)
        return a == b;
    size_t len = sym_len(an, a);
    return len == sym_len(bn, b) && memcmp(sym_str(an, a), sym_str(bn, b), len) == 0;
}

static bool same_bytes(const uint8_t *a, uint32_t an, const uint8_t *b, uint32_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static bool same_relocs(const CodeReloc *a, uint32_t an, const CodeReloc *b, uint32_t bn,
                        const Interner *ai, const Interner *bi)
{
    if (an != bn)
        return false;
    for (uint32_t i = 0; i < an; i++)
        if (a[i].offset != b[i].offset || a[i].kind != b[i].kind ||
            a[i].to_locs != b[i].to_locs || a[i].addend != b[i].addend ||
            !same_sym(a[i].sym, b[i].sym, ai, bi))
            return false;
    return true;
}

static bool same_data(const CodeData *a, const CodeData *b, const Interner *an,
                      const Interner *bn)
{
    return same_sym(a->name, b->name, an, bn) && a->align == b->align &&
           a->writable == b->writable && a->local == b->local &&
           same_bytes(a->bytes, a->size, b->bytes, b->size) &&
           same_relocs(a->relocs, a->nrelocs, b->relocs, b->nrelocs, an, bn);
}

bool code_func_equal(const CodeFunc *a, const CodeFunc *b, const Interner *an,
                     const Interner *bn)
{
    if (!same_sym(a->name, b->name, an, bn) || a->align != b->align || a->local != b->local ||
        !same_bytes(a->code, a->size, b->code, b->size) ||
        !same_relocs(a->relocs, a->nrelocs, b->relocs, b->nrelocs, an, bn) ||
        a->nlocs != b->nlocs || a->ndata != b->ndata)
        return false;
    for (uint32_t i = 0; i < a->nlocs; i++)
        if (!same_sym(a->locs[i].file, b->locs[i].file, an, bn) ||
            a->locs[i].line != b->locs[i].line || a->locs[i].col != b->locs[i].col ||
            a->locs[i].node != b->locs[i].node)
            return false;
    for (uint32_t i = 0; i < a->ndata; i++)
        if (!same_data(&a->data[i], &b->data[i], an, bn))
            return false;
    return true;
}

/*
 * backend/mangle.c — Rust v0 symbol names.
 *
 * Grammar (the v0 scheme of RFC 2603, as rustc writes it):
 *   symbol        "_R" path [instantiating-crate]
 *   path          "C" [disambiguator] ident                  crate root
 *               | "N" namespace path [disambiguator] ident   nested item
 *               | "M" [disambiguator] path type              <type> (inherent impl)
 *               | "X" [disambiguator] path type path         <type as trait>
 *               | "I" path {generic-arg} "E"                 path::<args>
 *               | "B" base-62-number                         back-reference
 *   type          basic-type letter | "R" type | "Q" type | "S" type | "A" type const
 *               | "T" {type} "E" | path | back-reference
 *   const         type ["n"] {hex-digit} "_"                 (K before it as a generic arg)
 *   ident         ["u"] decimal-length ["_"] bytes           (u: Punycode, "-" -> "_";
 *                                                             "_" when bytes start with
 *                                                             a digit or "_")
 *   disambiguator "s" base-62-number (value - 1)
 *   base-62-number "_" is 0, else digits 0-9a-zA-Z of value - 1, then "_"
 * Every path, type and constant except a basic type is written once per symbol; a
 * repeat is a back-reference to the position of its first occurrence (counted after
 * "_R"). That is rustc's rule, so with the same disambiguators our names equal
 * rustc's byte for byte.
 *
 * Nodes are hash-consed: building the same structure twice gives the same id, which
 * makes "the same path" a comparison of ids when writing back-references.
 */
#include "backend/backend.h"

#include <string.h>

enum {
    NODE_NONE,
    NODE_CRATE,      /* ident, num = disambiguator */
    NODE_NESTED,     /* a = parent, tag = namespace, ident, num = disambiguator */
    NODE_IMPL,       /* a = parent, b = self type, num = disambiguator */
    NODE_TRAIT_IMPL, /* a = parent, b = self type, c = trait, num = disambiguator */
    NODE_GENERIC,    /* a = path, list = arguments */
    NODE_BASIC,      /* tag */
    NODE_REF,        /* a = pointee, tag = 'R' or 'Q' */
    NODE_SLICE,      /* a = element */
    NODE_ARRAY,      /* a = element, b = length (a constant) */
    NODE_TUPLE,      /* list = elements */
    NODE_CONST,      /* tag = type letter, num = magnitude, negative */
};

struct MangleNode {
    uint8_t kind;
    char tag;
    bool negative;
    Sym ident;
    uint64_t num;
    MangleId a, b, c;
    uint32_t list, nlist;  /* into Mangler.lists */
    uint32_t hash;
    uint32_t generation;   /* the symbol in which this node was last written ... */
    uint32_t pos;          /* ... and where */
};

static const char basic_tags[MANGLE_BASIC_COUNT] = {
#define X(name, tag, rust) tag,
    MANGLE_BASICS(X)
#undef X
};

void mangle_init(Mangler *m)
{
    memset(m, 0, sizeof *m);
    arena_init(&m->arena);
    intern_init(&m->idents, &m->arena);
    vec_push(&m->nodes, ((MangleNode){0})); /* id 0: none */
}

void mangle_free(Mangler *m)
{
    vec_free(&m->nodes);
    vec_free(&m->lists);
    xfree(m->table);
    sb_free(&m->out);
    intern_free(&m->idents);
    arena_free(&m->arena);
}

/* ---------------------------------------------------------------- building */

static uint32_t node_hash(const MangleNode *n, const MangleId *list)
{
    Hasher h;
    hasher_init(&h);
    hasher_u8(&h, n->kind);
    hasher_u8(&h, (uint8_t)n->tag);
    hasher_u8(&h, n->negative);
    hasher_u32(&h, n->ident);
    hasher_u64(&h, n->num);
    hasher_u32(&h, n->a);
    hasher_u32(&h, n->b);
    hasher_u32(&h, n->c);
    hasher_u32(&h, n->nlist);
    hasher_bytes(&h, list, sizeof(MangleId) * n->nlist);
    return (uint32_t)hasher_final(&h).lo;
}

static bool node_same(const Mangler *m, const MangleNode *x, const MangleNode *key,
                      const MangleId *list)
{
    return x->kind == key->kind && x->tag == key->tag && x->negative == key->negative &&
           x->ident == key->ident && x->num == key->num && x->a == key->a && x->b == key->b &&
           x->c == key->c && x->nlist == key->nlist &&
           (key->nlist == 0 ||
            memcmp(m->lists.data + x->list, list, sizeof(MangleId) * key->nlist) == 0);
}

static void table_grow(Mangler *m)
{
    uint32_t size = m->table_size ? m->table_size * 2 : 256;
    uint32_t *table = xcalloc(size, sizeof *table);
    for (uint32_t id = 1; id < m->nodes.len; id++) {
        uint32_t h = m->nodes.data[id].hash & (size - 1);
        while (table[h])
            h = (h + 1) & (size - 1);
        table[h] = id;
    }
    xfree(m->table);
    m->table = table;
    m->table_size = size;
}

/* The id of the node equal to key (with its list), added when new. */
static MangleId make(Mangler *m, MangleNode key, const MangleId *list)
{
    if (m->nodes.len * 2 >= m->table_size)
        table_grow(m);
    key.hash = node_hash(&key, list);
    uint32_t h = key.hash & (m->table_size - 1);
    for (; m->table[h]; h = (h + 1) & (m->table_size - 1)) {
        MangleNode *n = &m->nodes.data[m->table[h]];
        if (n->hash == key.hash && node_same(m, n, &key, list))
            return m->table[h];
    }
    key.list = m->lists.len;
    for (uint32_t i = 0; i < key.nlist; i++)
        vec_push(&m->lists, list[i]);
    vec_push(&m->nodes, key);
    m->table[h] = m->nodes.len - 1;
    return m->nodes.len - 1;
}

static MangleId check(const Mangler *m, MangleId id)
{
    if (id == 0 || id >= m->nodes.len)
        die("bad mangle node %u", id);
    return id;
}

static Sym ident(Mangler *m, const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p >= 0x80))
            die("`%s` is not a Rust identifier", name);
    return intern_cstr(&m->idents, name);
}

MangleId mangle_crate(Mangler *m, const char *name, uint64_t disambiguator)
{
    return make(m, (MangleNode){.kind = NODE_CRATE, .ident = ident(m, name), .num = disambiguator},
                NULL);
}

MangleId mangle_nested(Mangler *m, MangleId parent, char ns, const char *name,
                       uint64_t disambiguator)
{
    if (!((ns >= 'a' && ns <= 'z') || (ns >= 'A' && ns <= 'Z')))
        die("bad namespace `%c`", ns);
    return make(m, (MangleNode){.kind = NODE_NESTED, .tag = ns, .a = check(m, parent),
                                .ident = ident(m, name), .num = disambiguator},
                NULL);
}

MangleId mangle_impl(Mangler *m, MangleId parent, uint64_t disambiguator, MangleId self_type)
{
    return make(m, (MangleNode){.kind = NODE_IMPL, .a = check(m, parent),
                                .b = check(m, self_type), .num = disambiguator},
                NULL);
}

MangleId mangle_trait_impl(Mangler *m, MangleId parent, uint64_t disambiguator,
                           MangleId self_type, MangleId trait_path)
{
    return make(m, (MangleNode){.kind = NODE_TRAIT_IMPL, .a = check(m, parent),
                                .b = check(m, self_type), .c = check(m, trait_path),
                                .num = disambiguator},
                NULL);
}

MangleId mangle_generic(Mangler *m, MangleId path, const MangleId *args, uint32_t nargs)
{
    for (uint32_t i = 0; i < nargs; i++)
        check(m, args[i]);
    return make(m, (MangleNode){.kind = NODE_GENERIC, .a = check(m, path), .nlist = nargs}, args);
}

MangleId mangle_basic(Mangler *m, MangleBasic basic)
{
    if ((unsigned)basic >= MANGLE_BASIC_COUNT)
        die("bad basic type %d", (int)basic);
    return make(m, (MangleNode){.kind = NODE_BASIC, .tag = basic_tags[basic]}, NULL);
}

MangleId mangle_ref(Mangler *m, bool mutable, MangleId inner)
{
    return make(m, (MangleNode){.kind = NODE_REF, .tag = mutable ? 'Q' : 'R', .a = check(m, inner)},
                NULL);
}

MangleId mangle_slice(Mangler *m, MangleId elem)
{
    return make(m, (MangleNode){.kind = NODE_SLICE, .a = check(m, elem)}, NULL);
}

MangleId mangle_array(Mangler *m, MangleId elem, uint64_t len)
{
    MangleId n = mangle_const(m, MANGLE_USIZE, len, false);
    return make(m, (MangleNode){.kind = NODE_ARRAY, .a = check(m, elem), .b = n}, NULL);
}

MangleId mangle_tuple(Mangler *m, const MangleId *elems, uint32_t n)
{
    if (n == 0)
        return mangle_basic(m, MANGLE_UNIT);
    for (uint32_t i = 0; i < n; i++)
        check(m, elems[i]);
    return make(m, (MangleNode){.kind = NODE_TUPLE, .nlist = n}, elems);
}

MangleId mangle_const(Mangler *m, MangleBasic type, uint64_t magnitude, bool negative)
{
    if ((unsigned)type >= MANGLE_BASIC_COUNT)
        die("bad constant type %d", (int)type);
    return make(m, (MangleNode){.kind = NODE_CONST, .tag = basic_tags[type], .num = magnitude,
                                .negative = negative && magnitude != 0},
                NULL);
}

/* ---------------------------------------------------------------- writing */

static void base62(StrBuf *out, uint64_t value)
{
    if (value > 0) {
        static const char digits[] =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        char buf[16];
        int n = 0;
        for (uint64_t v = value - 1; n == 0 || v > 0; v /= 62)
            buf[n++] = digits[v % 62];
        while (n > 0)
            sb_putc(out, buf[--n]);
    }
    sb_putc(out, '_');
}

static void disambiguator(StrBuf *out, uint64_t dis)
{
    if (dis > 0) {
        sb_putc(out, 's');
        base62(out, dis - 1);
    }
}

/* Decodes one UTF-8 code point at *p (input already checked as identifier bytes). */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra)
        c &= 0x3F >> extra;
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80)
            die("an identifier is not valid UTF-8");
        c = c << 6 | (s[i] & 0x3F);
    }
    *p = s + 1 + extra;
    return c;
}

static char puny_digit(uint32_t d) { return (char)(d < 26 ? 'a' + d : '0' + d - 26); }

static uint32_t puny_adapt(uint32_t delta, uint32_t points, bool first)
{
    delta = first ? delta / 700 : delta / 2;
    delta += delta / points;
    uint32_t k = 0;
    while (delta > ((36 - 1) * 26) / 2) {
        delta /= 35;
        k += 36;
    }
    return k + (36 * delta) / (delta + 38);
}

/* RFC 3492 Punycode of a UTF-8 identifier, with the delimiter written as '_'. */
static void punycode(StrBuf *out, const char *s)
{
    Vec(uint32_t) cps = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p;)
        vec_push(&cps, utf8_next(&p));
    uint32_t basic = 0;
    vec_foreach(&cps, c) if (*c < 0x80) {
        sb_putc(out, (char)*c);
        basic++;
    }
    if (basic)
        sb_putc(out, '_');
    uint32_t n = 0x80, delta = 0, bias = 72, h = basic;
    while (h < cps.len) {
        uint32_t next = UINT32_MAX;
        vec_foreach(&cps, c) if (*c >= n && *c < next) next = *c;
        delta += (next - n) * (h + 1);
        n = next;
        vec_foreach(&cps, c) {
            if (*c < n)
                delta++;
            if (*c != n)
                continue;
            uint32_t q = delta;
            for (uint32_t k = 36;; k += 36) {
                uint32_t t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
                if (q < t)
                    break;
                sb_putc(out, puny_digit(t + (q - t) % (36 - t)));
                q = (q - t) / (36 - t);
            }
            sb_putc(out, puny_digit(q));
            bias = puny_adapt(delta, h + 1, h == basic);
            delta = 0;
            h++;
        }
        delta++;
        n++;
    }
    vec_free(&cps);
}

static void write_ident(Mangler *m, Sym id)
{
    const char *s = sym_str(&m->idents, id);
    size_t len = sym_len(&m->idents, id);
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        ascii &= (unsigned char)s[i] < 0x80;
    StrBuf puny = {0};
    if (!ascii) {
        sb_putc(&m->out, 'u');
        punycode(&puny, s);
        s = sb_str(&puny);
        len = puny.len;
    }
    sb_printf(&m->out, "%zu", len);
    if (len && (s[0] == '_' || (s[0] >= '0' && s[0] <= '9')))
        sb_putc(&m->out, '_');
    sb_append(&m->out, s, len);
    sb_free(&puny);
}

static void write_node(Mangler *m, MangleId id);

static void write_const(Mangler *m, const MangleNode *n)
{
    sb_putc(&m->out, n->tag);
    if (n->negative)
        sb_putc(&m->out, 'n');
    sb_printf(&m->out, "%llx_", (unsigned long long)n->num);
}

static void write_node(Mangler *m, MangleId id)
{
    MangleNode n = m->nodes.data[id];
    if (n.kind == NODE_BASIC) {
        sb_putc(&m->out, n.tag);
        return;
    }
    if (n.generation == m->generation) {
        sb_putc(&m->out, 'B');
        base62(&m->out, n.pos);
        return;
    }
    uint32_t start = (uint32_t)m->out.len - 2;
    switch (n.kind) {
    case NODE_CRATE:
        sb_putc(&m->out, 'C');
        disambiguator(&m->out, n.num);
        write_ident(m, n.ident);
        break;
    case NODE_NESTED:
        sb_putc(&m->out, 'N');
        sb_putc(&m->out, n.tag);
        write_node(m, n.a);
        disambiguator(&m->out, n.num);
        write_ident(m, n.ident);
        break;
    case NODE_IMPL:
    case NODE_TRAIT_IMPL:
        sb_putc(&m->out, n.kind == NODE_IMPL ? 'M' : 'X');
        disambiguator(&m->out, n.num);
        write_node(m, n.a);
        write_node(m, n.b);
        if (n.kind == NODE_TRAIT_IMPL)
            write_node(m, n.c);
        break;
    case NODE_GENERIC:
        sb_putc(&m->out, 'I');
        write_node(m, n.a);
        for (uint32_t i = 0; i < n.nlist; i++) {
            MangleId arg = m->lists.data[n.list + i];
            if (m->nodes.data[arg].kind == NODE_CONST)
                sb_putc(&m->out, 'K');
            write_node(m, arg);
        }
        sb_putc(&m->out, 'E');
        break;
    case NODE_REF:
        sb_putc(&m->out, n.tag);
        write_node(m, n.a);
        break;
    case NODE_SLICE:
        sb_putc(&m->out, 'S');
        write_node(m, n.a);
        break;
    case NODE_ARRAY:
        sb_putc(&m->out, 'A');
        write_node(m, n.a);
        write_node(m, n.b);
        break;
    case NODE_TUPLE:
        sb_putc(&m->out, 'T');
        for (uint32_t i = 0; i < n.nlist; i++)
            write_node(m, m->lists.data[n.list + i]);
        sb_putc(&m->out, 'E');
        break;
    case NODE_CONST:
        write_const(m, &n);
        break;
    default:
        unreachable();
    }
    m->nodes.data[id].generation = m->generation;
    m->nodes.data[id].pos = start;
}

const char *mangle_symbol(Mangler *m, MangleId path, MangleId instantiating_crate)
{
    check(m, path);
    if (instantiating_crate && m->nodes.data[check(m, instantiating_crate)].kind != NODE_CRATE)
        die("an instantiating crate must be a crate root");
    m->generation++;
    sb_clear(&m->out);
    sb_puts(&m->out, "_R");
    write_node(m, path);
    if (instantiating_crate)
        write_node(m, instantiating_crate);
    return sb_str(&m->out);
}

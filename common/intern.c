/*
 * common/intern.c — string interning: each distinct string gets one dense Sym.
 * Open addressing on 64-bit hashes; the strings themselves live in the caller's arena.
 */
#include "common/common.h"

#include <string.h>

struct InternEntry {
    const char *str;
    uint32_t len;
    uint32_t hash;  /* low bits of the string's hash, to skip most memcmps */
};

void intern_init(Interner *in, Arena *arena)
{
    memset(in, 0, sizeof *in);
    in->arena = arena;
    in->cap = 256;
    in->entries = xcalloc(in->cap, sizeof(InternEntry));
    in->count = 1;  /* Sym 0 is "no name" */
    in->entries[0].str = "";
    in->nslots = 512;
    in->slots = xcalloc(in->nslots, sizeof(uint32_t));
}

void intern_free(Interner *in)
{
    xfree(in->entries);
    xfree(in->slots);
    memset(in, 0, sizeof *in);
}

static void intern_rehash(Interner *in)
{
    uint32_t nslots = in->nslots * 2;
    uint32_t *slots = xcalloc(nslots, sizeof(uint32_t));
    for (uint32_t sym = 1; sym < in->count; sym++) {
        uint32_t i = in->entries[sym].hash & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = sym;
    }
    xfree(in->slots);
    in->slots = slots;
    in->nslots = nslots;
}

Sym intern(Interner *in, const char *s, size_t len)
{
    if (len > UINT32_MAX)
        die("string too long to intern");
    uint32_t h = (uint32_t)hash64(s, len);
    uint32_t i = h & (in->nslots - 1);
    for (;;) {
        uint32_t sym = in->slots[i];
        if (!sym)
            break;
        InternEntry *e = &in->entries[sym];
        if (e->hash == h && e->len == len && memcmp(e->str, s, len) == 0)
            return sym;
        i = (i + 1) & (in->nslots - 1);
    }
    if (in->count == in->cap) {
        in->cap *= 2;
        in->entries = xrealloc(in->entries, in->cap * sizeof(InternEntry));
    }
    Sym sym = in->count++;
    in->entries[sym] = (InternEntry){arena_strndup(in->arena, s, len), (uint32_t)len, h};
    in->slots[i] = sym;
    if (in->count * 2 > in->nslots)
        intern_rehash(in);
    return sym;
}

Sym intern_cstr(Interner *in, const char *s) { return intern(in, s, strlen(s)); }

const char *sym_str(const Interner *in, Sym sym)
{
    if (sym >= in->count)
        die("bad Sym %u", sym);
    return in->entries[sym].str;
}

size_t sym_len(const Interner *in, Sym sym)
{
    if (sym >= in->count)
        die("bad Sym %u", sym);
    return in->entries[sym].len;
}

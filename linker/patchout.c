/*
 * linker/patchout.c — steps 6 and 7 of an update (see patch.c): where the sections of
 * the touched objects go, and every byte that changes: their contents, the sites
 * elsewhere whose targets moved, GOT and .iplt slots, .symtab, .eh_frame_hdr and the
 * section headers. Everything is queued in memory (Patch.writes); patchio.c writes it.
 */
#include "linker/patch.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- 6. place */

/* The output section an input section maps to, or ST_NONE. */
static uint32_t find_osec(Patch *P, const InSec *s)
{
    uint32_t key;
    const char *name = layout_class(s, &key);
    for (uint32_t o = 0; o < P->nosecs; o++)
        if (P->osecs[o].key == key && P->osecs[o].shndx && P->osecs[o].kind <= OSEC_EH_FRAME &&
            strcmp(P->ld.osecs.data[o].name, name) == 0)
            return o;
    return ST_NONE;
}

/* Room freed in output section o: zeros, reusable. In .eh_frame, free room stays (it
 * grows at its end only) and each run of it is one empty CIE, as a full link with the
 * same layout fills it. */
static void free_room(Patch *P, uint32_t o, uint64_t off, uint64_t len)
{
    if (!len)
        return;
    StOsec *os = &P->osecs[o];
    if (os->type != SHT_NOBITS && os->kind != OSEC_EH_FRAME)
        vec_push(&P->zeros, ((OutWrite){os->offset + off, len, patch_alloc(P, len)}));
    StFree r = {o, os->kind == OSEC_EH_FRAME, off, len};  /* pad: rewrite its padding */
    for (uint32_t i = 0; i < P->free.len;) {
        StFree *f = &P->free.data[i];
        if (f->osec == o && f->len && (f->off + f->len == r.off || r.off + r.len == f->off)) {
            r.off = MIN(r.off, f->off);
            r.len += f->len;
            *f = vec_last(&P->free);
            P->free.len--;
            continue;
        }
        i++;
    }
    vec_push(&P->free, r);
}

/* Empty CIEs over the runs of free room in .eh_frame that this update changed. */
static void pad_eh(Patch *P)
{
    for (uint32_t i = 0; i < P->free.len; i++) {
        StFree *f = &P->free.data[i];
        if (!f->pad)
            continue;
        f->pad = 0;
        uint8_t *b = patch_alloc(P, f->len);
        eh_padding(b, f->len);
        vec_push(&P->zeros, ((OutWrite){P->osecs[f->osec].offset + f->off, f->len, b}));
    }
}

/* Finds cap bytes aligned to align in output section o; false when there is no room. */
static bool alloc_room(Patch *P, uint32_t o, uint64_t cap, uint64_t align, uint64_t *off)
{
    StOsec *os = &P->osecs[o];
    bool eh = os->kind == OSEC_EH_FRAME;
    for (uint32_t i = 0; !eh && cap && i < P->free.len; i++) {
        StFree *f = &P->free.data[i];
        if (f->osec != o || !f->len)
            continue;
        uint64_t start = ALIGN_UP(os->addr + f->off, align) - os->addr;
        if (start + cap > f->off + f->len)
            continue;
        StFree rest = {o, 0, start + cap, f->off + f->len - (start + cap)};
        f->len = start - f->off;
        if (rest.len)
            vec_push(&P->free, rest);
        *off = start;
        return true;
    }
    uint64_t start = eh ? os->tail - 4 : ALIGN_UP(os->addr + os->tail, align) - os->addr;
    uint64_t end = start + cap + (eh ? 4 : 0);
    if (end > os->capacity)
        return false;
    if (!eh && start > os->tail)
        free_room(P, o, os->tail, start - os->tail);
    os->tail = end;
    if (eh)
        os->size = end;
    *off = start;
    return true;
}

/* ---------------------------------------------------------------- packed sections */

static int cmp_packmove(const void *a, const void *b)
{
    const PackMove *x = a, *y = b;
    return x->sec < y->sec ? -1 : x->sec > y->sec;
}

uint64_t patch_sec_offset(const Patch *P, uint32_t id, uint64_t old)
{
    uint32_t lo = 0, hi = P->packed.len;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (P->packed.data[mid].sec < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < P->packed.len && P->packed.data[lo].sec == id ? P->packed.data[lo].offset : old;
}

/* A touched object's section in a packed output section, with where it is. */
typedef struct PackIn {
    uint32_t id, ti, k;
    bool placed;
} PackIn;

/* Packs output section o again: its members in their order, without those that left,
 * the touched ones at their new size, new ones at the end. Untouched members that
 * move keep their bytes (copied); what points at them is re-patched (patch_repatch). */
static bool repack(Patch *P, uint32_t o)
{
    StOsec *os = &P->osecs[o];
    const char *name = P->ld.osecs.data[o].name;
    Vec(PackIn) in = {0};
    for (uint32_t i = 0; i < P->files.len; i++) {
        const TFile *t = &P->files.data[i];
        for (uint32_t k = 0; k < t->f->nsecs; k++)
            if (t->f->secs[k].live && t->f->secs[k].osec == o)
                vec_push(&in, ((PackIn){t->sec_id[k], i, k, false}));
    }
    PackList list = {o, os->members, os->members_cap, {0}};
    uint64_t off = 0, old_size = os->size;
    bool ok = true;
    for (uint32_t m = 0; m < os->nmembers && ok; m++) {
        uint32_t id = *(const uint32_t *)st_rec(P->st, ST_R_MEMBERS, (uint64_t)os->members + m);
        const StSec *q = st_sec(P, id);
        PackIn *pi = NULL;
        for (uint32_t j = 0; j < in.len && !pi; j++)
            if (in.data[j].id == id)
                pi = &in.data[j];
        if (!pi && (patch_touched_file(P, q->file) || !(q->flags & SF_LIVE)))
            continue;  /* it left */
        vec_push(&list.ids, id);
        if (pi) {
            InSec *s = &P->files.data[pi->ti].f->secs[pi->k];
            off = ALIGN_UP(off, 1ull << s->p2align);
            if (P->files.data[pi->ti].status[pi->k] == SS_SAME && off != s->offset)
                P->files.data[pi->ti].status[pi->k] = SS_WRITE;  /* moves: written again */
            s->offset = off;
            s->capacity = s->out_size;
            off += s->out_size;
            pi->placed = true;
            continue;
        }
        off = ALIGN_UP(off, 1ull << q->p2align);
        if (off != q->offset) {
            if (q->flags & (SF_PCREL | SF_DEFINES | SF_PINNED) || !(q->flags & SF_HAS_SITES))
                ok = patch_fallback(P, "a member of `%s` cannot move (it has a symbol, a PC-relative relocation, "
                                       "or no recorded relocations)", name);
            if (os->offset + q->offset + q->size > P->out_size)
                ok = patch_fallback(P, "the output is shorter than the state says");
            if (!ok)
                break;
            uint8_t *bytes = patch_alloc(P, q->size);
            memcpy(bytes, P->out + os->offset + q->offset, q->size);
            add_write(P, os->offset + off, q->size, bytes);
            vec_push(&P->packed, ((PackMove){id, off}));
        }
        off += q->size;
    }
    for (uint32_t j = 0; j < in.len && ok; j++) {
        if (in.data[j].placed)
            continue;
        InSec *s = &P->files.data[in.data[j].ti].f->secs[in.data[j].k];
        P->files.data[in.data[j].ti].status[in.data[j].k] = SS_WRITE;
        off = ALIGN_UP(off, 1ull << s->p2align);
        s->offset = off;
        s->capacity = s->out_size;
        off += s->out_size;
        vec_push(&list.ids, in.data[j].id);
    }
    vec_free(&in);
    if (ok && off > os->capacity)
        ok = patch_fallback(P, "no room left in `%s`", name);
    if (!ok) {
        vec_free(&list.ids);
        return false;
    }
    os->size = os->tail = off;
    if (off < old_size)
        add_write(P, os->offset + off, old_size - off, patch_alloc(P, old_size - off));
    vec_push(&P->pack_lists, list);
    return true;
}

bool patch_place(Patch *P)
{
    /* Sections leaving the output free their room first. */
    for (uint32_t i = 0; i < P->dead_secs.len; i++) {
        const StSec *q = st_sec(P, P->dead_secs.data[i]);
        if (q->flags & SF_LIVE) {
            if (!P->osecs[q->osec].elastic)
                return patch_fallback(P, "a section leaves `%s`, which cannot shrink", P->ld.osecs.data[q->osec].name);
            if (P->osecs[q->osec].packed)
                P->repack[q->osec] = 1;
            else
                free_room(P, q->osec, q->offset, q->capacity);
        }
    }
    /* Then: what stays, what is rewritten in place, what must move. */
    Vec(InSec *) movers = {0};
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        LdFile *f = t->f;
        for (uint32_t k = 0; k < f->nsecs; k++) {
            InSec *s = &f->secs[k];
            const StSec *old = old_sec(P, t, k);
            bool was_live = old && (old->flags & SF_LIVE);
            if (was_live)
                t->old_addr[k] = P->osecs[old->osec].addr + old->offset;
            if (!s->live) {
                t->status[k] = SS_DEAD;
                s->osec = LD_NONE;
                if (was_live)
                    return patch_fallback(P, "`%s` of `%s` leaves the output", s->name, f->name);
                continue;
            }
            uint32_t o = find_osec(P, s);
            if (o == ST_NONE)
                return patch_fallback(P, "a new output section `%s` (for `%s` of `%s`)", s->name, s->name, f->name);
            StOsec *os = &P->osecs[o];
            bool same_osec = was_live && old->osec == o;
            s->osec = o;
            bool eh_stays = s->kind != ISEC_EH_FRAME || (t->fast && !patch_sec_changed(P, t, k));
            if (same_osec && eh_stays && hash128_eq(old->hash, t->hash[k]) && old->size == s->out_size) {
                t->status[k] = SS_SAME;
                s->offset = old->offset;
                s->capacity = old->capacity;
                continue;
            }
            t->status[k] = SS_WRITE;
            if (os->packed || (was_live && P->osecs[old->osec].packed && !same_osec)) {
                /* Packed: in place at the same size, else the section is packed again. */
                if (same_osec && s->out_size == old->size) {
                    s->offset = old->offset;
                    s->capacity = old->capacity;
                    continue;
                }
                if (was_live)
                    P->repack[old->osec] = 1;
                if (os->packed) {
                    P->repack[o] = 1;
                    continue;
                }
            }
            if (!os->elastic) {
                if (!same_osec)
                    return patch_fallback(P, os->tls ? "the TLS layout changes (`%s` of `%s`)"
                                               : "`%s` of `%s` joins an output section that cannot grow",
                                    s->name, f->name);
                if (s->out_size != old->size)
                    return patch_fallback(P, os->tls ? "the TLS layout changes (`%s` of `%s`)"
                                               : "`%s` of `%s` changes size in an output section that cannot move "
                                                 "its members",
                                    s->name, f->name);
            }
            uint64_t align = s->kind == ISEC_EH_FRAME ? 1 : 1ull << s->p2align;
            if (same_osec && s->out_size <= old->capacity && (os->addr + old->offset) % align == 0) {
                s->offset = old->offset;  /* rewritten in place */
                s->capacity = old->capacity;
                continue;
            }
            if (old && (old->flags & SF_PINNED))
                return patch_fallback(P, "`%s` of `%s` cannot move (a site refers to it with a large addend)", s->name,
                                f->name);
            if (was_live)
                free_room(P, old->osec, old->offset, old->capacity);
            vec_push(&movers, s);
        }
    }
    for (uint32_t i = 0; i < movers.len; i++) {
        InSec *s = movers.data[i];
        uint64_t cap = s->out_size ? s->out_size + layout_slack(P->h.slack, s->out_size, 16) : 0;
        uint64_t align = s->kind == ISEC_EH_FRAME ? 1 : 1ull << s->p2align;
        if (!alloc_room(P, s->osec, cap, align, &s->offset)) {
            vec_free(&movers);
            return patch_fallback(P, "no room left in `%s` (for `%s` of `%s`)", P->ld.osecs.data[s->osec].name, s->name,
                            P->ld.files.data[s->file]->name);
        }
        s->capacity = cap;
    }
    vec_free(&movers);
    /* A fast object's sections keep their places and liveness, else it is resolved in
     * full (the update starts again). */
    for (uint32_t i = 0; i < P->files.len; i++) {
        const TFile *t = &P->files.data[i];
        for (uint32_t k = 0; t->fast && k < t->f->nsecs; k++) {
            const InSec *s = &t->f->secs[k];
            const StSec *old = st_sec(P, t->sec_id[k]);
            bool was = (old->flags & SF_LIVE) != 0;
            if (s->live != was || (was && s->kind != ISEC_EH_FRAME &&
                                   (s->osec != old->osec || s->offset != old->offset || s->out_size != old->size))) {
                P->retry_slow = true;
                return false;
            }
        }
    }
    pad_eh(P);
    for (uint32_t o = 0; o < P->nosecs; o++)
        if (P->repack[o] && !repack(P, o))
            return false;
    if (P->packed.len)
        qsort(P->packed.data, P->packed.len, sizeof(PackMove), cmp_packmove);
    for (uint32_t o = 0; o < P->nosecs; o++) {
        P->ld.osecs.data[o].tail = P->osecs[o].tail;
        P->ld.osecs.data[o].size = P->osecs[o].size;
    }
    return true;
}

/* ---------------------------------------------------------------- 7. contents */

/* What the update does to the state's section id (SS_SAME when it does nothing). */
static void note_status(Patch *P, uint32_t id, uint8_t status)
{
    uint32_t key = id + 1, h = (uint32_t)hash64(&key, 4) & P->sec_mask;
    while (P->sec_keys[h] && P->sec_keys[h] != key)
        h = (h + 1) & P->sec_mask;
    P->sec_keys[h] = key;
    P->sec_vals[h] = status;
}

static uint8_t status_of(const Patch *P, uint32_t id)
{
    uint32_t key = id + 1, h = (uint32_t)hash64(&key, 4) & P->sec_mask;
    while (P->sec_keys[h]) {
        if (P->sec_keys[h] == key)
            return P->sec_vals[h];
        h = (h + 1) & P->sec_mask;
    }
    return SS_SAME;
}

void patch_build_status(Patch *P)
{
    uint32_t n = P->dead_secs.len + 16;
    for (uint32_t i = 0; i < P->files.len; i++)
        n += P->files.data[i].f->nsecs;
    uint32_t size = 64;
    while (size < n * 2)
        size *= 2;
    P->sec_mask = size - 1;
    P->sec_keys = patch_alloc(P, sizeof(uint32_t) * size);
    P->sec_vals = patch_alloc(P, size);
    for (uint32_t i = 0; i < P->dead_secs.len; i++)
        note_status(P, P->dead_secs.data[i], SS_DEAD);
    for (uint32_t i = 0; i < P->files.len; i++) {
        const TFile *t = &P->files.data[i];
        for (uint32_t k = 0; k < t->f->nsecs; k++)
            note_status(P, t->sec_id[k], t->status[k]);
    }
}

/* Does site (from the state) still describe bytes the update leaves alone? */
bool patch_site_valid(Patch *P, const StSite *site)
{
    const StSec *src = st_sec(P, site->src);
    return (src->flags & SF_LIVE) && src->gen == site->gen && status_of(P, site->src) == SS_SAME;
}

static uint64_t ref_addr(const Patch *P, const StSym *y)
{
    if (y->iplt != ST_NONE && P->h.os_iplt != ST_NONE)
        return P->osecs[P->h.os_iplt].addr + (uint64_t)y->iplt * 16;
    return y->addr;
}

bool patch_scan(Patch *P)
{
    Ld *ld = &P->ld;
    /* Sections that will stay as they are were scanned by the link that placed them. */
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        for (uint32_t k = 0; k < t->f->nsecs; k++) {
            InSec *s = &t->f->secs[k];
            if (!s->live || !s->nrela)
                continue;
            const StSec *old = old_sec(P, t, k);
            bool eh_stays = s->kind != ISEC_EH_FRAME || (t->fast && !patch_sec_changed(P, t, k));
            if (old && (old->flags & SF_LIVE) && hash128_eq(old->hash, t->hash[k]) && eh_stays)
                continue;
            reloc_scan_section(ld, t->f, s);
        }
    }
    ld_flush_pending(ld);
    if (P->scratch.errors)
        return patch_fallback(P, "%s", P->scratch.messages.data[0].text);
    if (ld->undefs.len)
        return patch_fallback(P, "undefined symbol `%s`", ld->syms.data[ld->undefs.data[0].sym].name);
    if (ld->local_got.len)
        return patch_fallback(P, "a GOT slot for a local symbol");
    if (ld->warned_refs.len)
        return patch_fallback(P, "a reference to `%s`, which has a link-time warning",
                        ld->syms.data[ld->warned_refs.data[0].sym].name);
    for (uint32_t g = 0; g < ld->syms.len; g++) {
        LdSym *s = &ld->syms.data[g];
        ASym *a = &P->syms.data[P->mini_sym.data[g]];
        if ((s->flags & SYMF_NEEDS_GOTTP) && a->now.gottp == ST_NONE)
            return patch_fallback(P, "`%s` needs a TLS GOT slot", a->name);
        if ((s->flags & SYMF_NEEDS_IPLT) && a->now.iplt == ST_NONE)
            return patch_fallback(P, "`%s` needs an .iplt entry", a->name);
        if ((s->flags & SYMF_NEEDS_GOT) && a->now.got == ST_NONE) {
            if (P->h.os_got == ST_NONE || (uint64_t)(P->h.ngot + 1) * 8 > P->osecs[P->h.os_got].capacity)
                return patch_fallback(P, "no room for a GOT slot for `%s`", a->name);
            a->now.got = s->got = P->h.ngot++;
        }
        a->now.flags |= s->flags & (SYMF_NEEDS_GOT | SYMF_USED);
    }
    /* .eh_frame contributions: parsed when they are written (a fast object's unchanged
     * one stays, its functions do not move). */
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        for (uint32_t k = 0; k < t->f->nsecs; k++) {
            InSec *s = &t->f->secs[k];
            if (s->kind != ISEC_EH_FRAME || !s->live)
                continue;
            if (t->fast && !patch_sec_changed(P, t, k))
                s->out_size = st_sec(P, t->sec_id[k])->size;
            else
                eh_parse_one(ld, t->f, s);
        }
    }
    ld_flush_pending(ld);
    if (P->scratch.errors)
        return patch_fallback(P, "%s", P->scratch.messages.data[0].text);
    return true;
}

/* Writes width bytes of value at file offset off. */
static void write_value(Patch *P, uint64_t off, uint64_t value, unsigned width)
{
    uint8_t *b = patch_alloc(P, 8);
    memcpy(b, &value, 8);
    add_write(P, off, width, b);
}

/* The address of partial symbol s as relocations see it, from its new place. */
static uint64_t mini_addr(Patch *P, const LdSym *s)
{
    if (!s->sec)
        return s->value;
    if (!s->sec->live)
        return 0;
    if (s->sec->kind == ISEC_EH_FRAME)
        return isec_addr(&P->ld, s->sec) + eh_translate_symbol(&P->ld, s->sec, s->value);
    return isec_addr(&P->ld, s->sec) + s->value;
}

/* New addresses of the symbols touched objects define; which of them moved. */
bool patch_new_addresses(Patch *P)
{
    Ld *ld = &P->ld;
    for (uint32_t i = 0; i < P->syms.len; i++) {
        ASym *a = &P->syms.data[i];
        StSym *n = &a->now;
        if (a->mini != LD_NONE && ld->syms.data[a->mini].file != LD_NONE) {
            LdSym *s = &ld->syms.data[a->mini];
            s->addr = n->addr = mini_addr(P, s);
            n->osec = s->sec && s->sec->live ? s->sec->osec : ST_NONE;
        } else if (n->state == SYM_UNDEF) {
            n->addr = 0;
        }
        bool defined = n->state == SYM_DEFINED || a->old.state == SYM_DEFINED;
        a->moved = defined && (ref_addr(P, &a->old) != ref_addr(P, n) || a->old.size != n->size);
        if (!a->moved)
            continue;
        if (n->type == STT_TLS || a->old.type == STT_TLS)
            return patch_fallback(P, "the TLS layout changes (`%s` moves)", a->name);
        if (a->old.yflags & YF_PINNED)
            return patch_fallback(P, "`%s` cannot move (a site refers to it with a large addend)", a->name);
        if (patch_named_by_options(P->opt, a->name) && P->opt->ndefsyms)
            return patch_fallback(P, "a --defsym target moves (`%s`)", a->name);
        const char *entry = P->opt->entry ? P->opt->entry : "_start";
        if (strcmp(a->name, entry) == 0 && ref_addr(P, &a->old) != ref_addr(P, n)) {
            P->h.entry = ref_addr(P, n);  /* e_entry follows it */
            write_value(P, offsetof(Elf64_Ehdr, e_entry), P->h.entry, 8);
        }
    }
    return true;
}

bool patch_write_sections(Patch *P)
{
    Ld *ld = &P->ld;
    SiteVec sites = {0};
    for (uint32_t i = 0; i < P->files.len; i++)
        reloc_local_addresses(ld, P->files.data[i].f, &ld->arena);
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        LdFile *f = t->f;
        for (uint32_t k = 0; k < f->nsecs; k++) {
            InSec *s = &f->secs[k];
            const StSec *old = old_sec(P, t, k);
            if (t->status[k] != SS_WRITE)
                continue;
            if (old && old->gen == UINT16_MAX)
                return patch_fallback(P, "`%s` of `%s` was rewritten too often (the state needs a full link)", s->name,
                                f->name);
            P->sections_written++;
            const StOsec *os = &P->osecs[s->osec];
            if (os->type == SHT_NOBITS)
                continue;
            uint8_t *buf = patch_alloc(P, s->capacity);
            sites.len = 0;
            reloc_copy_section(ld, s, buf, isec_addr(ld, s), &sites);
            ld_flush_pending(ld);
            if (P->scratch.errors)
                return patch_fallback(P, "%s", P->scratch.messages.data[0].text);
            add_write(P, os->offset + s->offset, s->capacity, buf);
            if (s->kind == ISEC_EH_FRAME)
                t->eh_bytes = buf;
            uint16_t gen = old ? (uint16_t)(old->gen + 1) : 0;
            for (uint32_t r = 0; r < sites.len; r++) {
                const SiteRec *q = &sites.data[r];
                if (q->addend != (int32_t)q->addend)
                    return patch_fallback(P, "a relocation of `%s` has an addend the state cannot hold", f->name);
                NewSite ns = {q->local != NULL, 0,
                              {t->sec_id[k], q->offset, (int32_t)q->addend, q->kind, 0, gen}};
                ns.target = q->local ? t->sec_id[q->local - f->secs] : P->syms.data[P->mini_sym.data[q->sym]].id;
                vec_push(&P->sites, ns);
            }
        }
    }
    vec_free(&sites);
    return true;
}

/* Re-patches the sites of one target (a SITE range) for its new value S (and size:
 * only the SIZE kinds when only the size changed). */
static bool repatch_range(Patch *P, uint32_t first, uint32_t n, uint64_t S, uint64_t size, bool moved,
                          const char *what)
{
    for (uint32_t k = 0; k < n; k++) {
        const StSite *site = st_rec(P->st, ST_R_SITE, (uint64_t)first + k);
        bool size_kind = site->kind == SITE_SIZE32 || site->kind == SITE_SIZE64;
        if ((!moved && !size_kind) || !patch_site_valid(P, site))
            continue;
        const StSec *src = st_sec(P, site->src);
        const StOsec *os = &P->osecs[src->osec];
        uint64_t src_off = patch_sec_offset(P, site->src, src->offset);
        uint64_t place = os->addr + src_off + site->offset, value;
        if (site->kind >= SITE_COUNT || (uint64_t)site->offset + reloc_site_width(site->kind) > src->size)
            return patch_fallback(P, "the incremental state is damaged (a bad site)");
        if (!reloc_site_value(site->kind, size_kind ? size : S, site->addend, place, P->h.got_plt_addr, &value))
            return patch_fallback(P, "a relocation against `%s` would overflow at 0x%lx", what, (unsigned long)place);
        write_value(P, os->offset + src_off + site->offset, value, reloc_site_width(site->kind));
        P->sites_patched++;
    }
    return true;
}

bool patch_repatch(Patch *P)
{
    for (uint32_t i = 0; i < P->syms.len; i++) {
        const ASym *a = &P->syms.data[i];
        bool moved = ref_addr(P, &a->old) != ref_addr(P, &a->now);
        if (a->moved && !a->fresh &&
            !repatch_range(P, a->old.sites, a->old.nsites, ref_addr(P, &a->now), a->now.size, moved, a->name))
            return false;
    }
    uint64_t nsec = st_region(P->st, ST_R_SEC)->used;
    for (uint32_t i = 0; i < P->files.len; i++) {
        const TFile *t = &P->files.data[i];
        for (uint32_t k = 0; k < t->f->nsecs; k++) {
            const InSec *s = &t->f->secs[k];
            if (t->sec_id[k] >= nsec || t->old_addr[k] == LD_NONE64 || !s->live)
                continue;
            const StSec *old = st_sec(P, t->sec_id[k]);
            if (!old->nsites || t->old_addr[k] == isec_addr(&P->ld, s))
                continue;
            if (s->kind == ISEC_EH_FRAME) {
                for (uint32_t q = 0; q < old->nsites; q++)
                    if (patch_site_valid(P, st_rec(P->st, ST_R_SITE, (uint64_t)old->sites + q)))
                        return patch_fallback(P, "a section refers into the .eh_frame of `%s`", t->f->name);
                continue;
            }
            if (!repatch_range(P, old->sites, old->nsites, isec_addr(&P->ld, s), 0, true, s->name))
                return false;
        }
    }
    /* Members of packed sections that moved untouched. */
    for (uint32_t i = 0; i < P->packed.len; i++) {
        const StSec *q = st_sec(P, P->packed.data[i].sec);
        if (!repatch_range(P, q->sites, q->nsites, P->osecs[q->osec].addr + P->packed.data[i].offset, 0, true,
                           P->ld.osecs.data[q->osec].name))
            return false;
    }
    return true;
}

/* GOT slots and .iplt resolvers of the symbols that moved. */
void patch_write_slots(Patch *P)
{
    for (uint32_t i = 0; i < P->syms.len; i++) {
        const ASym *a = &P->syms.data[i];
        const StSym *n = &a->now;
        if (n->got != ST_NONE && (a->moved || a->old.got != n->got))
            write_value(P, P->osecs[P->h.os_got].offset + (uint64_t)n->got * 8, ref_addr(P, n), 8);
        if (n->iplt != ST_NONE && a->old.addr != n->addr) {
            const StOsec *gotplt = &P->osecs[P->h.os_got_plt];
            uint64_t slot = gotplt->addr + (3 + (uint64_t)n->iplt) * 8;
            write_value(P, gotplt->offset + (3 + (uint64_t)n->iplt) * 8, n->addr, 8);
            Elf64_Rela *r = patch_alloc(P, sizeof *r);
            *r = (Elf64_Rela){slot, ELF64_R_INFO(0, R_X86_64_IRELATIVE), (int64_t)n->addr};
            add_write(P, P->osecs[P->h.os_rela_iplt].offset + (uint64_t)n->iplt * sizeof *r, sizeof *r, r);
        }
    }
}

/* ---------------------------------------------------------------- .symtab */

/* The .symtab entry at index i as it is now (written by this update, or the output's). */
static Elf64_Sym sym_entry(Patch *P, uint32_t i)
{
    const StOsec *st = &P->osecs[P->h.os_symtab];
    uint64_t off = st->offset + (uint64_t)i * sizeof(Elf64_Sym);
    Elf64_Sym e = {0};
    for (uint32_t w = P->writes.len; w-- > 0;) {
        const OutWrite *ow = &P->writes.data[w];
        if (ow->off <= off && off + sizeof e <= ow->off + ow->len) {
            memcpy(&e, ow->data + (off - ow->off), sizeof e);
            return e;
        }
    }
    if (off + sizeof e <= P->out_size)
        memcpy(&e, P->out + off, sizeof e);
    return e;
}

static void put_entry(Patch *P, uint32_t i, Elf64_Sym e)
{
    Elf64_Sym *b = patch_alloc(P, sizeof e);
    *b = e;
    add_write(P, P->osecs[P->h.os_symtab].offset + (uint64_t)i * sizeof e, sizeof e, b);
}

/* Is a in the global part of .symtab after the update? */
static bool emitted_global(Patch *P, const ASym *a)
{
    const StSym *n = &a->now;
    if (a->mini == LD_NONE || P->ld.syms.data[a->mini].file == LD_NONE)
        return n->state != SYM_UNDEF && a->old.symtab != ST_NONE && !(a->winner_left && n->file != a->old.file);
    const LdSym *s = &P->ld.syms.data[a->mini];
    return s->state == SYM_DEFINED && !output_sym_is_local(s) && (!s->sec || s->sec->live);
}

/* A touched object's locals: in its slice when they fit, else in a new slice. */
static bool write_local_slice(Patch *P, TFile *t)
{
    const LdFile *f = t->f;
    const StOsec *st = &P->osecs[P->h.os_symtab], *ss = &P->osecs[P->h.os_strtab];
    Elf64_Sym *syms = patch_alloc(P, sizeof(Elf64_Sym) * (f->nsym + 1));
    char *names = patch_alloc(P, f->strtab_size * 2 + 16);
    uint64_t len;
    /* Names are relative to the slice: rebased below. */
    uint32_t n = output_local_slice(&P->ld, f, syms, names, 0, &len);
    if (t->old && n <= t->old->sym_cap && len <= t->old->str_cap) {
        t->sym_at = t->old->sym_at;
        t->sym_cap = t->old->sym_cap;
        t->str_at = t->old->str_at;
        t->str_cap = t->old->str_cap;
    } else {
        t->sym_cap = n + (uint32_t)layout_slack(P->h.slack, n, 4);
        t->str_cap = len + layout_slack(P->h.slack, len, 32);
        if (P->h.local_next + t->sym_cap > P->h.first_global || P->h.str_local_next + t->str_cap > P->h.str_local_end)
            return patch_fallback(P, "no room left for the local symbols of `%s` in .symtab", f->name);
        t->sym_at = P->h.local_next;
        t->str_at = P->h.str_local_next;
        P->h.local_next += t->sym_cap;
        P->h.str_local_next += t->str_cap;
        if (t->old) {
            add_write(P, st->offset + (uint64_t)t->old->sym_at * sizeof(Elf64_Sym),
                      (uint64_t)t->old->sym_cap * sizeof(Elf64_Sym), patch_alloc(P, t->old->sym_cap * sizeof(Elf64_Sym)));
            add_write(P, ss->offset + t->old->str_at, t->old->str_cap, patch_alloc(P, t->old->str_cap));
        }
    }
    Elf64_Sym *slice = patch_alloc(P, sizeof(Elf64_Sym) * (t->sym_cap + 1));
    char *slice_names = patch_alloc(P, t->str_cap + 1);
    for (uint32_t i = 0; i < n; i++) {
        slice[i] = syms[i];
        slice[i].st_name += (uint32_t)t->str_at;
    }
    memcpy(slice_names, names, len);
    add_write(P, st->offset + (uint64_t)t->sym_at * sizeof(Elf64_Sym), (uint64_t)t->sym_cap * sizeof(Elf64_Sym), slice);
    add_write(P, ss->offset + t->str_at, t->str_cap, slice_names);
    return true;
}

bool patch_update_symtab(Patch *P)
{
    if (P->h.os_symtab == ST_NONE)
        return true;
    const StOsec *st = &P->osecs[P->h.os_symtab], *ss = &P->osecs[P->h.os_strtab];
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        if (t->fast) {  /* same symbols at the same places: its slice stays */
            t->sym_at = t->old->sym_at;
            t->sym_cap = t->old->sym_cap;
            t->str_at = t->old->str_at;
            t->str_cap = t->old->str_cap;
        } else if (!write_local_slice(P, t)) {
            return false;
        }
    }
    for (uint32_t i = 0; i < P->removed.len; i++) {
        const StFile *r = st_file(P, P->removed.data[i]);
        add_write(P, st->offset + (uint64_t)r->sym_at * sizeof(Elf64_Sym), (uint64_t)r->sym_cap * sizeof(Elf64_Sym),
                  patch_alloc(P, r->sym_cap * sizeof(Elf64_Sym)));
        add_write(P, ss->offset + r->str_at, r->str_cap, patch_alloc(P, r->str_cap));
    }

    /* The global part: entries that leave (the last entry fills the hole), highest first. */
    Vec(uint32_t) gone = {0};
    for (uint32_t i = 0; i < P->syms.len; i++) {
        ASym *a = &P->syms.data[i];
        if (a->old.symtab != ST_NONE && !emitted_global(P, a))
            vec_push(&gone, i);
    }
    for (uint32_t i = 1; i < gone.len; i++)
        for (uint32_t k = i; k > 0 && P->syms.data[gone.data[k - 1]].old.symtab < P->syms.data[gone.data[k]].old.symtab; k--) {
            uint32_t x = gone.data[k];
            gone.data[k] = gone.data[k - 1];
            gone.data[k - 1] = x;
        }
    for (uint32_t g = 0; g < gone.len; g++) {
        ASym *a = &P->syms.data[gone.data[g]];
        uint32_t hole = a->old.symtab, last = --P->h.nsymtab;
        add_write(P, ss->offset + a->old.strtab, a->old.name.len + 1, patch_alloc(P, a->old.name.len + 1));
        a->now.symtab = ST_NONE;
        if (hole != last) {
            Elf64_Sym e = sym_entry(P, last);
            const char *name = (const char *)P->out + ss->offset + e.st_name;
            if (ss->offset + e.st_name >= P->out_size || !memchr(name, 0, P->out_size - ss->offset - e.st_name))
                return patch_fallback(P, "the output's .strtab is damaged");
            size_t len = strlen(name);
            uint32_t id = st_lookup(P->st, name, len, hash64(name, len));
            if (id == ST_NONE)
                return patch_fallback(P, "the output's .symtab does not match the state (`%s`)", name);
            ASym *m = patch_asym(P, id);
            a = &P->syms.data[gone.data[g]];  /* asym may move the array */
            m->now.symtab = hole;
            put_entry(P, hole, e);
        }
        put_entry(P, last, (Elf64_Sym){0});
    }
    vec_free(&gone);

    /* Entries that change, then new ones at the end. */
    for (uint32_t i = 0; i < P->syms.len; i++) {
        ASym *a = &P->syms.data[i];
        if (!emitted_global(P, a) || a->mini == LD_NONE)
            continue;
        if (a->now.symtab == ST_NONE) {
            uint64_t len = strlen(a->name) + 1;
            if ((uint64_t)(P->h.nsymtab + 1) * sizeof(Elf64_Sym) > st->capacity ||
                P->h.str_global_next + len > ss->capacity)
                return patch_fallback(P, "no room left in .symtab for `%s`", a->name);
            a->now.symtab = P->h.nsymtab++;
            a->now.strtab = P->h.str_global_next;
            P->h.str_global_next += len;
            add_write(P, ss->offset + a->now.strtab, len, a->name);
        }
        Elf64_Sym e = output_global_entry(&P->ld, &P->ld.syms.data[a->mini], false, (uint32_t)a->now.strtab);
        Elf64_Sym cur = sym_entry(P, a->now.symtab);
        if (memcmp(&e, &cur, sizeof e) != 0)
            put_entry(P, a->now.symtab, e);
    }
    return true;
}

/* ---------------------------------------------------------------- .eh_frame_hdr, headers */

bool patch_update_eh_hdr(Patch *P)
{
    if (P->h.os_eh_frame_hdr == ST_NONE || P->h.os_eh_frame == ST_NONE)
        return true;
    const StOsec *hdr = &P->osecs[P->h.os_eh_frame_hdr], *eh = &P->osecs[P->h.os_eh_frame];
    EhHdrVec gone = {0}, added = {0}, table = {0};
    bool ok = true;
    uint64_t nsec = st_region(P->st, ST_R_SEC)->used;
    /* The FDEs of contributions rewritten or removed, read from the output as it is. */
    for (uint32_t i = 0; i < P->dead_secs.len + P->files.len && ok; i++) {
        uint32_t id = ST_NONE;
        if (i < P->dead_secs.len) {
            id = P->dead_secs.data[i];
        } else {
            const TFile *t = &P->files.data[i - P->dead_secs.len];
            for (uint32_t k = 0; k < t->f->nsecs; k++)
                if (t->f->secs[k].kind == ISEC_EH_FRAME && t->sec_id[k] < nsec && t->status[k] == SS_WRITE)
                    id = t->sec_id[k];
        }
        if (id == ST_NONE)
            continue;
        const StSec *q = st_sec(P, id);
        if (!(q->flags & SF_EH) || !(q->flags & SF_LIVE) || !q->capacity)
            continue;
        if (eh->offset + q->offset + q->capacity > P->out_size)
            return patch_fallback(P, "the output is shorter than the state says");
        ok = eh_read_fdes(P->out + eh->offset + q->offset, q->capacity, eh->addr + q->offset, hdr->addr, &gone);
    }
    for (uint32_t i = 0; i < P->files.len && ok; i++) {
        const TFile *t = &P->files.data[i];
        for (uint32_t k = 0; k < t->f->nsecs && ok; k++) {
            const InSec *s = &t->f->secs[k];
            if (s->kind == ISEC_EH_FRAME && t->status[k] == SS_WRITE && t->eh_bytes && s->capacity)
                ok = eh_read_fdes(t->eh_bytes, s->capacity, isec_addr(&P->ld, s), hdr->addr, &added);
        }
    }
    if (!ok) {
        vec_free(&gone);
        vec_free(&added);
        return patch_fallback(P, "an .eh_frame record relink cannot read");
    }
    eh_sort_entries(gone.data, gone.len);
    eh_sort_entries(added.data, added.len);
    bool same = gone.len == added.len && (!gone.len || memcmp(gone.data, added.data, gone.len * sizeof(EhHdrEntry)) == 0);
    if (!same) {
        /* Merge: the table without the entries that go, with those that come. */
        uint32_t n = P->h.nfde;
        if (hdr->offset + 12 + (uint64_t)n * 8 > P->out_size)
            return patch_fallback(P, "the output is shorter than the state says");
        const EhHdrEntry *cur = (const EhHdrEntry *)(const void *)(P->out + hdr->offset + 12);
        uint32_t gi = 0, ai = 0, first = UINT32_MAX;
        for (uint32_t i = 0; i <= n; i++) {
            while (ai < added.len && (i == n || added.data[ai].pc < cur[i].pc ||
                                      (added.data[ai].pc == cur[i].pc && added.data[ai].fde < cur[i].fde))) {
                if (first == UINT32_MAX)
                    first = table.len;
                vec_push(&table, added.data[ai++]);
            }
            if (i == n)
                break;
            while (gi < gone.len && (gone.data[gi].pc < cur[i].pc ||
                                     (gone.data[gi].pc == cur[i].pc && gone.data[gi].fde < cur[i].fde)))
                gi++;
            if (gi < gone.len && gone.data[gi].pc == cur[i].pc && gone.data[gi].fde == cur[i].fde) {
                gi++;
                if (first == UINT32_MAX)
                    first = table.len;
                continue;
            }
            vec_push(&table, cur[i]);
        }
        if (12 + (uint64_t)table.len * 8 > hdr->size) {
            vec_free(&gone);
            vec_free(&added);
            vec_free(&table);
            return patch_fallback(P, "no room left in .eh_frame_hdr");
        }
        if (first == UINT32_MAX)
            first = table.len;
        uint32_t end = MAX(table.len, n);
        uint8_t *b = patch_alloc(P, (uint64_t)(end - first) * 8 + 8);
        if (table.len > first)
            memcpy(b, table.data + first, (uint64_t)(table.len - first) * 8);
        add_write(P, hdr->offset + 12 + (uint64_t)first * 8, (uint64_t)(end - first) * 8, b);
        write_value(P, hdr->offset + 8, table.len, 4);
        P->h.nfde = table.len;
    }
    vec_free(&gone);
    vec_free(&added);
    vec_free(&table);
    return true;
}

/* sh_size of the output sections whose size an update changes (.eh_frame, .symtab,
 * packed sections). */
void patch_update_headers(Patch *P)
{
    if (P->h.os_symtab != ST_NONE)
        P->osecs[P->h.os_symtab].size = (uint64_t)P->h.nsymtab * sizeof(Elf64_Sym);
    for (uint32_t o = 0; o < P->nosecs; o++) {
        StOsec *os = &P->osecs[o];
        uint64_t at = P->h.shoff + (uint64_t)os->shndx * sizeof(Elf64_Shdr);
        if (!os->shndx || at + sizeof(Elf64_Shdr) > P->out_size)
            continue;
        Elf64_Shdr sh;
        memcpy(&sh, P->out + at, sizeof sh);
        if (sh.sh_size == os->size)
            continue;
        Elf64_Shdr *w = patch_alloc(P, sizeof sh);
        *w = sh;
        w->sh_size = os->size;
        add_write(P, at, sizeof sh, w);
    }
    if (P->h.os_eh_frame != ST_NONE) {
        const StOsec *eh = &P->osecs[P->h.os_eh_frame];
        if (eh->tail != ((const StOsec *)st_rec(P->st, ST_R_OSEC, P->h.os_eh_frame))->tail)
            add_write(P, eh->offset + eh->tail - 4, 4, patch_alloc(P, 4));  /* the terminator */
    }
}


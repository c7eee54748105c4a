/*
 * linker/ehframe.c — .eh_frame records and .eh_frame_hdr.
 *
 * An input .eh_frame is a sequence of records, each a u32 length (0xffffffff means a
 * u64 length follows; 0 is a terminator) and a u32 id: 0 for a CIE, otherwise the
 * distance back from the id field to the FDE's CIE. An FDE's pc_begin is at record
 * offset 8, with a relocation naming the function's section.
 *
 * The output keeps every CIE and the FDEs whose function is in the output; it drops
 * input terminators and ends .eh_frame with one terminator (a synthetic section), so
 * a walker starting anywhere (crtbeginT's __register_frame_info) stops at the end.
 * Each FDE's CIE pointer is rewritten for its new distance. Symbols and relocations
 * that point into .eh_frame are translated record by record.
 *
 * .eh_frame_hdr (LSB "Exception Frame Header"): u8 version 1, u8 eh_frame_ptr_enc
 * (pcrel|sdata4), u8 fde_count_enc (udata4), u8 table_enc (datarel|sdata4), the
 * eh_frame pointer, the FDE count, then (initial location, FDE address) pairs relative
 * to the header, sorted by location — read back from the relocated output, so it
 * describes exactly the bytes that were written.
 */
#include "linker/ld.h"

#include <stdlib.h>
#include <string.h>

enum {
    DW_EH_PE_absptr = 0x00, DW_EH_PE_uleb128 = 0x01, DW_EH_PE_udata2 = 0x02,
    DW_EH_PE_udata4 = 0x03, DW_EH_PE_udata8 = 0x04, DW_EH_PE_sleb128 = 0x09,
    DW_EH_PE_sdata2 = 0x0a, DW_EH_PE_sdata4 = 0x0b, DW_EH_PE_sdata8 = 0x0c,
    DW_EH_PE_pcrel = 0x10, DW_EH_PE_datarel = 0x30, DW_EH_PE_indirect = 0x80,
    DW_EH_PE_omit = 0xff,
};

/* ---------------------------------------------------------------- parsing inputs */

static bool eh_corrupt(Ld *ld, const LdFile *f, const InSec *s, uint64_t off, const char *what)
{
    ld_pending(ld, LD_ERROR, f->order, (uint64_t)s->shndx << 40 | off,
               "`%s`: truncated or corrupt: .eh_frame record at 0x%lx: %s", f->name, (unsigned long)off, what);
    return false;
}

/* Is the function an FDE at `off` describes still in the output? */
static bool fde_live(const Ld *ld, const LdFile *f, const InSec *s, uint32_t *cursor, uint64_t off)
{
    uint64_t at = off + 8;
    while (*cursor < s->nrela && s->rela[*cursor].r_offset < at)
        (*cursor)++;
    if (*cursor >= s->nrela || s->rela[*cursor].r_offset != at) {
        /* Relocations out of order: search them all. */
        uint32_t k;
        for (k = 0; k < s->nrela && s->rela[k].r_offset != at; k++)
            ;
        if (k == s->nrela)
            return true;  /* no relocation: a fixed address, kept */
        *cursor = k;
    }
    uint32_t si = ELF64_R_SYM(s->rela[*cursor].r_info);
    if (si >= f->nsym)
        return true;  /* reported by the relocation scan */
    if (si >= f->first_global) {
        const LdSym *gs = &ld->syms.data[f->gsym[si - f->first_global]];
        return gs->state != SYM_UNDEF && !(gs->state == SYM_DEFINED && gs->sec && !gs->sec->live);
    }
    const Elf64_Sym *es = &f->sym[si];
    uint32_t shndx = input_sym_shndx(f, es, si);
    if (shndx == SHN_ABS)
        return true;
    const InSec *target = file_sec(f, shndx);
    return target && target->live;
}

static void parse_section(Ld *ld, LdFile *f, InSec *s, Arena *arena)
{
    EhSection *eh = &ld->eh_sections.data[s->eh];
    Vec(EhRecord) recs = {0};
    uint32_t cursor = 0;
    uint64_t out = 0;
    for (uint64_t off = 0; off < s->size;) {
        if (s->size - off < 4) {
            eh_corrupt(ld, f, s, off, "truncated length");
            break;
        }
        uint64_t len = rd32(s->data + off);
        if (len == 0) {  /* a terminator: dropped, one is added at the end of .eh_frame */
            vec_push(&recs, ((EhRecord){off, LD_NONE64, 4, 0, false, false}));
            off += 4;
            continue;
        }
        if (len == 0xffffffff) {
            eh_corrupt(ld, f, s, off, "64-bit DWARF records are not supported");
            break;
        }
        if (len < 4 || len > s->size - off - 4) {
            eh_corrupt(ld, f, s, off, "length extends past the end of the section");
            break;
        }
        uint32_t id = rd32(s->data + off + 4);
        EhRecord rec = {off, LD_NONE64, len + 4, 0, id == 0, true};
        if (!rec.is_cie) {
            if (id > off + 4) {
                eh_corrupt(ld, f, s, off, "CIE pointer before the start of the section");
                break;
            }
            rec.cie_in_off = off + 4 - id;
            /* Records are in offset order: binary search for the CIE. */
            uint32_t lo = 0, hi = recs.len;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (recs.data[mid].in_off < rec.cie_in_off)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == recs.len || recs.data[lo].in_off != rec.cie_in_off || !recs.data[lo].is_cie) {
                eh_corrupt(ld, f, s, off, "CIE pointer does not point at a CIE");
                break;
            }
            if (len < 12) {
                eh_corrupt(ld, f, s, off, "FDE too short");
                break;
            }
            rec.live = fde_live(ld, f, s, &cursor, off);
        }
        if (rec.live) {
            rec.out_off = out;
            out += rec.size;
            if (!rec.is_cie)
                eh->nfdes++;
        }
        vec_push(&recs, rec);
        off += rec.size;
    }
    eh->recs = arena_new(arena, EhRecord, recs.len ? recs.len : 1);
    if (recs.len)
        memcpy(eh->recs, recs.data, recs.len * sizeof(EhRecord));
    eh->nrecs = recs.len;
    s->out_size = out;
    vec_free(&recs);
}

static void parse_file(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)ctx;
    LdFile *f = ld->files.data[ld->order.data[i]];
    for (uint32_t k = 0; k < f->nsecs; k++) {
        InSec *s = &f->secs[k];
        if (s->live && s->kind == ISEC_EH_FRAME)
            parse_section(ld, f, s, &ld->thread_arena[tid]);
    }
}

void eh_parse_one(Ld *ld, LdFile *f, InSec *s)
{
    s->eh = ld->eh_sections.len;
    vec_push(&ld->eh_sections, ((EhSection){0}));
    parse_section(ld, f, s, &ld->arena);
}

void eh_parse_all(Ld *ld)
{
    for (uint32_t i = 0; i < ld->order.len; i++) {
        LdFile *f = ld->files.data[ld->order.data[i]];
        for (uint32_t k = 0; k < f->nsecs; k++) {
            InSec *s = &f->secs[k];
            if (s->live && s->kind == ISEC_EH_FRAME) {
                s->eh = ld->eh_sections.len;
                vec_push(&ld->eh_sections, ((EhSection){0}));
            }
        }
    }
    ld_parallel(ld, ld->order.len, parse_file, NULL);
    ld->eh_fde_count = 0;
    for (uint32_t i = 0; i < ld->eh_sections.len; i++)
        ld->eh_fde_count += ld->eh_sections.data[i].nfdes;
}

/* The record containing in_off, or NULL. */
static const EhRecord *find_record(const EhSection *eh, uint64_t in_off)
{
    uint32_t lo = 0, hi = eh->nrecs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const EhRecord *r = &eh->recs[mid];
        if (in_off < r->in_off)
            hi = mid;
        else if (in_off >= r->in_off + r->size)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

uint64_t eh_translate(const Ld *ld, const InSec *sec, uint64_t in_off)
{
    const EhRecord *r = find_record(&ld->eh_sections.data[sec->eh], in_off);
    if (!r || !r->live)
        return LD_NONE64;
    return r->out_off + (in_off - r->in_off);
}

uint64_t eh_translate_symbol(const Ld *ld, const InSec *sec, uint64_t in_off)
{
    const EhSection *eh = &ld->eh_sections.data[sec->eh];
    const EhRecord *r = find_record(eh, in_off);
    if (r && r->live)
        return r->out_off + (in_off - r->in_off);
    /* In a dropped record or at the end: the next live record, else the end. */
    for (uint32_t k = r ? (uint32_t)(r - eh->recs) : 0; k < eh->nrecs; k++)
        if (eh->recs[k].live && eh->recs[k].in_off >= in_off)
            return eh->recs[k].out_off;
    return sec->out_size;
}

void eh_padding(uint8_t *p, uint64_t len)
{
    if (len < EH_PADDING_MIN)
        die("an .eh_frame gap of %lu bytes", (unsigned long)len);
    memset(p, 0, len);
    wr32(p, (uint32_t)(len - 4));  /* length; id 0: a CIE */
    p[8] = 1;                      /* version; augmentation "" */
    p[10] = 1;                     /* code alignment factor */
    p[11] = 0x78;                  /* data alignment factor -8 */
    p[12] = 16;                    /* return address register; the rest: DW_CFA_nop */
}

void eh_copy(Ld *ld, const InSec *sec, uint8_t *out, uint64_t addr)
{
    (void)addr;
    const EhSection *eh = &ld->eh_sections.data[sec->eh];
    const EhRecord *last = NULL;
    for (uint32_t k = 0; k < eh->nrecs; k++) {
        const EhRecord *r = &eh->recs[k];
        if (!r->live)
            continue;
        memcpy(out + r->out_off, sec->data + r->in_off, r->size);
        if (!r->is_cie) {
            const EhRecord *cie = find_record(eh, r->cie_in_off);
            wr32(out + r->out_off + 4, (uint32_t)(r->out_off + 4 - cie->out_off));
        }
        last = r;
    }
    /* Room to grow (incremental links): the last record's instructions end in
     * DW_CFA_nop padding, or the whole room is one empty CIE. */
    if (sec->capacity > sec->out_size) {
        uint64_t extra = sec->capacity - sec->out_size;
        if (last)
            wr32(out + last->out_off, rd32(out + last->out_off) + (uint32_t)extra);
        else
            eh_padding(out, extra);
    }
}

static int cmp_member_offset(const void *a, const void *b)
{
    const InSec *x = *(InSec *const *)a, *y = *(InSec *const *)b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

void eh_write_gaps(Ld *ld)
{
    if (ld->os_eh_frame == LD_NONE)
        return;
    const OutSec *os = &ld->osecs.data[ld->os_eh_frame];
    InSec **m = xmalloc(sizeof(InSec *) * (os->members.len + 1));
    uint32_t n = 0;
    for (uint32_t i = 0; i < os->members.len; i++)
        if (os->members.data[i]->capacity)
            m[n++] = os->members.data[i];
    qsort(m, n, sizeof *m, cmp_member_offset);
    uint64_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (m[i]->offset > at)
            eh_padding(ld->out + os->offset + at, m[i]->offset - at);
        at = MAX(at, m[i]->offset + m[i]->capacity);
    }
    xfree(m);
}

/* ---------------------------------------------------------------- .eh_frame_hdr */

typedef struct Reader {
    const uint8_t *p, *end;
    bool bad;
} Reader;

static uint64_t rd_uleb(Reader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; r->p < r->end; shift += 7) {
        uint8_t b = *r->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    r->bad = true;
    return 0;
}

static int64_t rd_sleb(Reader *r)
{
    int64_t v = 0;
    unsigned shift = 0;
    uint8_t b = 0x80;
    while (r->p < r->end && (b & 0x80)) {
        b = *r->p++;
        if (shift < 64)
            v |= (int64_t)((uint64_t)(b & 0x7f) << shift);
        shift += 7;
    }
    if (b & 0x80)
        r->bad = true;
    else if (shift < 64 && (b & 0x40))
        v |= -((int64_t)1 << shift);
    return v;
}

static uint64_t rd_fixed(Reader *r, unsigned n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    memcpy(&v, r->p, n);
    r->p += n;
    return v;
}

/* Reads a pointer with a DWARF encoding; addr is the address of r->p. */
static uint64_t rd_encoded(Reader *r, uint8_t enc, uint64_t addr)
{
    uint64_t v;
    switch (enc & 0x0f) {
    case DW_EH_PE_absptr: v = rd_fixed(r, 8); break;
    case DW_EH_PE_uleb128: v = rd_uleb(r); break;
    case DW_EH_PE_udata2: v = rd_fixed(r, 2); break;
    case DW_EH_PE_udata4: v = rd_fixed(r, 4); break;
    case DW_EH_PE_udata8: v = rd_fixed(r, 8); break;
    case DW_EH_PE_sleb128: v = (uint64_t)rd_sleb(r); break;
    case DW_EH_PE_sdata2: v = (uint64_t)(int64_t)(int16_t)rd_fixed(r, 2); break;
    case DW_EH_PE_sdata4: v = (uint64_t)(int64_t)(int32_t)rd_fixed(r, 4); break;
    case DW_EH_PE_sdata8: v = rd_fixed(r, 8); break;
    default: r->bad = true; return 0;
    }
    switch (enc & 0x70) {
    case 0: return v;
    case DW_EH_PE_pcrel: return v + addr;
    default: r->bad = true; return 0;
    }
}

/* The FDE pointer encoding of the CIE at p (its 'R' augmentation), or DW_EH_PE_omit. */
static uint8_t cie_fde_encoding(const uint8_t *p, uint64_t size, uint64_t addr)
{
    Reader r = {p + 8, p + size, false};  /* after length and id */
    uint8_t version = (uint8_t)rd_fixed(&r, 1);
    const char *aug = (const char *)r.p;
    const uint8_t *nul = memchr(r.p, 0, (size_t)(r.end - r.p));
    if (!nul || (version != 1 && version != 3))
        return DW_EH_PE_omit;
    r.p = nul + 1;
    if (strstr(aug, "eh"))
        rd_fixed(&r, 8);
    rd_uleb(&r);  /* code alignment */
    rd_sleb(&r);  /* data alignment */
    if (version == 1)
        rd_fixed(&r, 1);
    else
        rd_uleb(&r);
    if (aug[0] != 'z')
        return r.bad ? DW_EH_PE_omit : DW_EH_PE_absptr;
    rd_uleb(&r);  /* augmentation data length */
    for (const char *a = aug + 1; *a && !r.bad; a++) {
        switch (*a) {
        case 'R': return (uint8_t)rd_fixed(&r, 1);
        case 'L': rd_fixed(&r, 1); break;
        case 'P': {
            uint8_t enc = (uint8_t)rd_fixed(&r, 1);
            rd_encoded(&r, enc & 0x7f, addr + (uint64_t)(r.p - p));
            break;
        }
        case 'S': case 'B': case 'G': break;
        default: return DW_EH_PE_omit;
        }
    }
    return r.bad ? DW_EH_PE_omit : DW_EH_PE_absptr;
}

static int cmp_entry(const void *a, const void *b)
{
    const EhHdrEntry *x = a, *y = b;
    if (x->pc != y->pc)
        return x->pc < y->pc ? -1 : 1;
    return (x->fde > y->fde) - (x->fde < y->fde);
}

void eh_sort_entries(EhHdrEntry *e, uint32_t n)
{
    if (n)
        qsort(e, n, sizeof *e, cmp_entry);
}

typedef struct CieEnc {
    uint64_t off;
    uint8_t enc;
} CieEnc;

bool eh_read_fdes(const uint8_t *base, uint64_t size, uint64_t addr, uint64_t hdr_addr, EhHdrVec *out)
{
    Vec(CieEnc) cies = {0};
    bool ok = true;
    for (uint64_t off = 0; off + 4 <= size && ok;) {
        uint64_t len = rd32(base + off);
        if (len == 0)
            break;
        if (len < 8 || len > size - off - 4) {
            ok = false;
            break;
        }
        uint32_t id = rd32(base + off + 4);
        if (id == 0) {
            vec_push(&cies, ((CieEnc){off, cie_fde_encoding(base + off, len + 4, addr + off)}));
        } else {
            uint64_t cie = off + 4 - id;
            uint8_t enc = DW_EH_PE_omit;
            for (uint32_t k = cies.len; k-- > 0;)
                if (cies.data[k].off == cie) {
                    enc = cies.data[k].enc;
                    break;
                }
            Reader r = {base + off + 8, base + off + 4 + len, false};
            uint64_t pc = enc == DW_EH_PE_omit ? 0 : rd_encoded(&r, enc, addr + off + 8);
            int64_t rel_pc = (int64_t)(pc - hdr_addr), rel_fde = (int64_t)(addr + off - hdr_addr);
            if (enc == DW_EH_PE_omit || r.bad || rel_pc != (int32_t)rel_pc || rel_fde != (int32_t)rel_fde)
                ok = false;
            else
                vec_push(out, ((EhHdrEntry){(int32_t)rel_pc, (int32_t)rel_fde}));
        }
        off += len + 4;
    }
    vec_free(&cies);
    return ok;
}

void eh_write_hdr(Ld *ld)
{
    if (ld->os_eh_frame_hdr == LD_NONE)
        return;
    const OutSec *hdr = &ld->osecs.data[ld->os_eh_frame_hdr];
    uint8_t *p = ld->out + hdr->offset;
    uint64_t eh_addr = 0;
    EhHdrVec entries = {0};
    bool table = false;
    if (ld->os_eh_frame != LD_NONE) {
        const OutSec *eh = &ld->osecs.data[ld->os_eh_frame];
        eh_addr = eh->addr;
        table = eh_read_fdes(ld->out + eh->offset, eh->size, eh->addr, hdr->addr, &entries) &&
                entries.len == ld->eh_fde_count;
    }
    p[0] = 1;
    p[1] = DW_EH_PE_pcrel | DW_EH_PE_sdata4;
    p[2] = table ? DW_EH_PE_udata4 : DW_EH_PE_omit;
    p[3] = table ? (DW_EH_PE_datarel | DW_EH_PE_sdata4) : DW_EH_PE_omit;
    wr32(p + 4, (uint32_t)(eh_addr - (hdr->addr + 4)));
    if (table) {
        eh_sort_entries(entries.data, entries.len);
        wr32(p + 8, entries.len);
        if (entries.len)
            memcpy(p + 12, entries.data, sizeof(EhHdrEntry) * entries.len);
    } else {
        ld_warn(ld, ".eh_frame has a record relink cannot read; .eh_frame_hdr has no search table");
    }
    ld->eh_hdr_table = table;
    vec_free(&entries);
}

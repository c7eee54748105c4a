/*
 * linker/reloc.c — x86-64 relocations: the kinds, the scan that finds what each needs
 * (GOT slots, .iplt entries, undefined references), and the copy that applies them.
 *
 * Notation (psABI): S symbol address, A addend, P address of the place, G address of
 * the symbol's GOT slot, GOT address of _GLOBAL_OFFSET_TABLE_ (.got.plt), Z symbol
 * size, TP thread pointer (the end of the TLS block, variant II).
 *
 * The output is a static non-PIE executable, so every symbol is final and below 2 GiB:
 *   - GOTPCRELX/REX_GOTPCRELX are relaxed: mov -> lea, call *  -> addr32 call,
 *     jmp * -> jmp + nop; other instructions (and absolute symbols) keep a GOT slot;
 *   - TLS is relaxed to local-exec: GD and LD sequences are rewritten (both the PLT and
 *     the -fno-plt call forms), IE loads (GOTTPOFF mov/add) become immediates, and
 *     anything else keeps a GOT slot holding the TP offset;
 *   - an IFUNC gets an .iplt entry (jmp *slot) and an R_X86_64_IRELATIVE in .rela.iplt,
 *     which glibc's static start-up applies; every reference uses the .iplt entry, so
 *     function pointers compare equal.
 * Scan and apply make the same decisions from the same bytes (relax_gotpcrelx and
 * relax_gottpoff), so the GOT sized by the scan is the GOT the copy uses.
 */
#include "linker/ld.h"

#include <stdlib.h>
#include <string.h>

/* name, number, bytes written at the place, supported */
#define RELOC_KINDS(X)                                  \
    X(NONE, 0, 0, 1) X(64, 1, 8, 1) X(PC32, 2, 4, 1)    \
    X(GOT32, 3, 4, 1) X(PLT32, 4, 4, 1)                 \
    X(COPY, 5, 0, 0) X(GLOB_DAT, 6, 0, 0)               \
    X(JUMP_SLOT, 7, 0, 0) X(RELATIVE, 8, 0, 0)          \
    X(GOTPCREL, 9, 4, 1) X(32, 10, 4, 1) X(32S, 11, 4, 1) \
    X(16, 12, 2, 1) X(PC16, 13, 2, 1) X(8, 14, 1, 1)    \
    X(PC8, 15, 1, 1) X(DTPMOD64, 16, 8, 0)              \
    X(DTPOFF64, 17, 8, 1) X(TPOFF64, 18, 8, 1)          \
    X(TLSGD, 19, 4, 1) X(TLSLD, 20, 4, 1)               \
    X(DTPOFF32, 21, 4, 1) X(GOTTPOFF, 22, 4, 1)         \
    X(TPOFF32, 23, 4, 1) X(PC64, 24, 8, 1)              \
    X(GOTOFF64, 25, 8, 1) X(GOTPC32, 26, 4, 1)          \
    X(GOT64, 27, 8, 1) X(GOTPCREL64, 28, 8, 1)          \
    X(GOTPC64, 29, 8, 1) X(GOTPLT64, 30, 8, 1)          \
    X(PLTOFF64, 31, 8, 1) X(SIZE32, 32, 4, 1)           \
    X(SIZE64, 33, 8, 1) X(GOTPC32_TLSDESC, 34, 4, 0)    \
    X(TLSDESC_CALL, 35, 0, 0) X(TLSDESC, 36, 16, 0)     \
    X(IRELATIVE, 37, 8, 0) X(RELATIVE64, 38, 8, 0)      \
    X(PC32_BND, 39, 4, 0) X(PLT32_BND, 40, 4, 0)        \
    X(GOTPCRELX, 41, 4, 1) X(REX_GOTPCRELX, 42, 4, 1)

enum {
#define X(name, num, width, ok) R_##name = num,
    RELOC_KINDS(X)
#undef X
    R_COUNT
};

static const struct RelocInfo {
    const char *name;
    uint8_t width;
    bool supported;
} reloc_info[R_COUNT] = {
#define X(name, num, width, ok) [num] = {"R_X86_64_" #name, width, ok},
    RELOC_KINDS(X)
#undef X
};

const char *reloc_name(uint32_t type)
{
    return type < R_COUNT ? reloc_info[type].name : NULL;
}

static const char *reloc_name_or_number(uint32_t type, char buf[32])
{
    if (type < R_COUNT)
        return reloc_info[type].name;
    snprintf(buf, 32, "relocation type %u", type);
    return buf;
}

/* ---------------------------------------------------------------- instruction checks */

/* Can the GOTPCRELX at data[off] become a direct reference? (mov/call/jmp only) */
static bool relax_gotpcrelx(const uint8_t *data, uint64_t off, uint32_t type)
{
    if (off < 3)
        return false;
    uint8_t op = data[off - 2], modrm = data[off - 1];
    if (op == 0x8b && (modrm & 0xc7) == 0x05)
        return type == R_GOTPCRELX || (data[off - 3] & 0xf0) == 0x40;
    return type == R_GOTPCRELX && op == 0xff && (modrm == 0x15 || modrm == 0x25);
}

/* Is the GOTTPOFF at data[off] a `movq/addq x@gottpoff(%rip), %reg` we can rewrite? */
static bool relax_gottpoff(const uint8_t *data, uint64_t off)
{
    if (off < 3)
        return false;
    uint8_t rex = data[off - 3], op = data[off - 2], modrm = data[off - 1];
    return (rex == 0x48 || rex == 0x4c) && (op == 0x8b || op == 0x03) && (modrm & 0xc7) == 0x05;
}

/* Lengths of the GD/LD sequences around a TLSGD/TLSLD at data[off], or 0 when the
 * bytes are not a sequence we can relax. *next_off is where the __tls_get_addr call's
 * relocation must be. */
static unsigned tls_gd_form(const uint8_t *data, uint64_t size, uint64_t off)
{
    if (off < 4 || off + 12 > size || memcmp(data + off - 4, "\x66\x48\x8d\x3d", 4) != 0)
        return 0;
    if (memcmp(data + off + 4, "\x66\x66\x48\xe8", 4) == 0 || memcmp(data + off + 4, "\x66\x48\xff\x15", 4) == 0)
        return 16;
    return 0;
}

static unsigned tls_ld_form(const uint8_t *data, uint64_t size, uint64_t off)
{
    if (off < 3 || off + 9 > size || memcmp(data + off - 3, "\x48\x8d\x3d", 3) != 0)
        return 0;
    if (data[off + 4] == 0xe8)
        return 12;
    if (off + 10 <= size && data[off + 4] == 0xff && data[off + 5] == 0x15)
        return 13;
    return 0;
}

/* The relocation after a GD/LD one must be the call to __tls_get_addr. */
static bool tls_call_follows(const InSec *s, uint32_t k, uint64_t at)
{
    if (k + 1 >= s->nrela)
        return false;
    const Elf64_Rela *n = &s->rela[k + 1];
    uint32_t t = ELF64_R_TYPE(n->r_info);
    return n->r_offset == at && (t == R_PLT32 || t == R_PC32 || t == R_GOTPCRELX || t == R_REX_GOTPCRELX);
}

/* ---------------------------------------------------------------- symbols */

/* Does a reference through the GOT to this global stay in the GOT (not relaxable)? */
static bool global_needs_real_got(const LdSym *s)
{
    return s->state == SYM_DEFINED && s->sec == NULL && !(s->flags & SYMF_NEEDS_IPLT) &&
           s->value > 0x7fffffff;  /* a large absolute value */
}

static uint64_t sym_ref_addr(const Ld *ld, const LdSym *s)
{
    if (s->flags & SYMF_NEEDS_IPLT)
        return ld->osecs.data[ld->os_iplt].addr + (uint64_t)s->iplt * 16;
    return s->addr;
}

uint64_t reloc_symbol_address(Ld *ld, const LdFile *f, uint32_t i)
{
    if (i >= f->first_global)
        return sym_ref_addr(ld, &ld->syms.data[f->gsym[i - f->first_global]]);
    const Elf64_Sym *es = &f->sym[i];
    uint32_t shndx = input_sym_shndx(f, es, i);
    if (shndx == SHN_ABS)
        return es->st_value;
    if (shndx == SHN_UNDEF || shndx == SHN_COMMON)
        return 0;
    const InSec *sec = file_sec(f, shndx);
    if (!sec || !sec->live)
        return 0;
    if (sec->kind == ISEC_EH_FRAME)
        return isec_addr(ld, sec) + eh_translate_symbol(ld, sec, es->st_value);
    return isec_addr(ld, sec) + es->st_value;
}

/* True when local symbol i of f lives in a section that is not in the output. */
static bool local_discarded(const LdFile *f, uint32_t i)
{
    const Elf64_Sym *es = &f->sym[i];
    uint32_t shndx = input_sym_shndx(f, es, i);
    if (shndx == SHN_ABS || shndx == SHN_UNDEF || shndx == SHN_COMMON)
        return false;
    const InSec *sec = file_sec(f, shndx);
    return !sec || !sec->live;
}

static const char *sym_name(const Ld *ld, const LdFile *f, uint32_t i)
{
    if (i >= f->first_global)
        return ld->syms.data[f->gsym[i - f->first_global]].name;
    const Elf64_Sym *es = &f->sym[i];
    if (ELF64_ST_TYPE(es->st_info) == STT_SECTION) {
        uint32_t shndx = input_sym_shndx(f, es, i);
        if (shndx < f->nshdr)
            return f->shstrtab + f->shdr[shndx].sh_name;
    }
    return f->strtab + es->st_name;
}

static uint64_t site_key(const InSec *s, uint64_t off)
{
    return (uint64_t)s->shndx << 40 | (off & ((1ull << 40) - 1));
}

/* ---------------------------------------------------------------- scan */

static void add_local_got(Ld *ld, uint32_t file, uint32_t sym, bool tp)
{
    pthread_mutex_lock(&ld->lock);
    vec_push(&ld->local_got, ((LocalGot){file, sym, 0, tp}));
    pthread_mutex_unlock(&ld->lock);
}

void reloc_scan_section(Ld *ld, LdFile *f, InSec *s)
{
    for (uint32_t k = 0; k < s->nrela; k++) {
        const Elf64_Rela *r = &s->rela[k];
        uint32_t type = ELF64_R_TYPE(r->r_info), si = ELF64_R_SYM(r->r_info);
        char buf[32];
        if (si >= f->nsym || (si == 0 && f->nsym == 0)) {
            ld_pending(ld, LD_ERROR, f->order, site_key(s, r->r_offset),
                       "`%s`: truncated or corrupt: relocation %u of section `%s` names symbol %u, out of range",
                       f->name, k, s->name, si);
            continue;
        }
        if (type >= R_COUNT || !reloc_info[type].supported) {
            char *site = ld_site(ld, s, r->r_offset);
            ld_pending(ld, LD_ERROR, f->order, site_key(s, r->r_offset),
                       "unsupported relocation %s against `%s`\n>>> at %s", reloc_name_or_number(type, buf),
                       sym_name(ld, f, si), site);
            xfree(site);
            continue;
        }
        if (r->r_offset > s->size || reloc_info[type].width > s->size - r->r_offset) {
            ld_pending(ld, LD_ERROR, f->order, site_key(s, r->r_offset),
                       "`%s`: truncated or corrupt: %s at offset 0x%lx is outside section `%s`", f->name,
                       reloc_info[type].name, (unsigned long)r->r_offset, s->name);
            continue;
        }
        if (type == R_NONE)
            continue;
        LdSym *gs = NULL;
        if (si >= f->first_global) {
            gs = &ld->syms.data[f->gsym[si - f->first_global]];
            if (!(gs->flags & SYMF_USED))
                __atomic_fetch_or(&gs->flags, SYMF_USED, __ATOMIC_RELAXED);
            if (gs->state == SYM_UNDEF && (gs->flags & SYMF_STRONG_REF)) {
                pthread_mutex_lock(&ld->lock);
                vec_push(&ld->undefs, ((UndefRef){f->gsym[si - f->first_global], f->index, s->shndx,
                                                  r->r_offset, f->order}));
                pthread_mutex_unlock(&ld->lock);
            }
            if (gs->flags & SYMF_WARNING) {
                pthread_mutex_lock(&ld->lock);
                vec_push(&ld->warned_refs, ((UndefRef){f->gsym[si - f->first_global], f->index, s->shndx,
                                                       r->r_offset, f->order}));
                pthread_mutex_unlock(&ld->lock);
            }
            if (gs->type == STT_GNU_IFUNC && gs->state == SYM_DEFINED && !(gs->flags & SYMF_NEEDS_IPLT))
                __atomic_fetch_or(&gs->flags, SYMF_NEEDS_IPLT, __ATOMIC_RELAXED);
        } else if (ELF64_ST_TYPE(f->sym[si].st_info) == STT_GNU_IFUNC) {
            char *site = ld_site(ld, s, r->r_offset);
            ld_pending(ld, LD_ERROR, f->order, site_key(s, r->r_offset),
                       "unsupported: reference to the local IFUNC `%s`\n>>> at %s", sym_name(ld, f, si), site);
            xfree(site);
            continue;
        }
        bool got = false, gottp = false;
        switch (type) {
        case R_GOTPCREL: case R_GOTPCREL64: case R_GOT32: case R_GOT64: case R_GOTPLT64:
            got = true;
            break;
        case R_GOTPCRELX: case R_REX_GOTPCRELX:
            got = !relax_gotpcrelx(s->data, r->r_offset, type) || (gs && global_needs_real_got(gs));
            break;
        case R_GOTTPOFF:
            gottp = !relax_gottpoff(s->data, r->r_offset);
            break;
        case R_TLSGD: case R_TLSLD: {
            unsigned len = type == R_TLSGD ? tls_gd_form(s->data, s->size, r->r_offset)
                                           : tls_ld_form(s->data, s->size, r->r_offset);
            uint64_t call_at = type == R_TLSGD ? r->r_offset + 8 : r->r_offset + (len == 12 ? 5 : 6);
            if (!len || !tls_call_follows(s, k, call_at)) {
                char *site = ld_site(ld, s, r->r_offset);
                ld_pending(ld, LD_ERROR, f->order, site_key(s, r->r_offset),
                           "unsupported %s code sequence for `%s` (not the psABI's __tls_get_addr call)\n>>> at %s",
                           reloc_info[type].name, sym_name(ld, f, si), site);
                xfree(site);
            }
            k++;  /* the __tls_get_addr call disappears with the relaxation */
            break;
        }
        default:
            break;
        }
        if (got || gottp) {
            if (gs) {
                uint8_t flag = got ? SYMF_NEEDS_GOT : SYMF_NEEDS_GOTTP;
                if (!(gs->flags & flag))
                    __atomic_fetch_or(&gs->flags, flag, __ATOMIC_RELAXED);
            } else {
                add_local_got(ld, f->index, si, gottp);
            }
        }
    }
}

static void scan_file(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)tid;
    (void)ctx;
    LdFile *f = ld->files.data[ld->order.data[i]];
    for (uint32_t k = 0; k < f->nsecs; k++) {
        InSec *s = &f->secs[k];
        if (s->live && s->nrela)
            reloc_scan_section(ld, f, s);
    }
}

void reloc_scan(Ld *ld)
{
    ld_parallel(ld, ld->order.len, scan_file, NULL);
}

static int cmp_local_got(const void *a, const void *b)
{
    const LocalGot *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->sym != y->sym)
        return x->sym < y->sym ? -1 : 1;
    return (int)x->tp - (int)y->tp;
}

void reloc_assign_slots(Ld *ld)
{
    if (ld->incr && ld->incr->mode == INCR_PLANNED) {
        incr_plan_slots(ld);
        return;
    }
    uint32_t slot = 0;
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        LdSym *s = &ld->syms.data[i];
        if (s->flags & SYMF_NEEDS_GOT)
            s->got = slot++;
        if (s->flags & SYMF_NEEDS_GOTTP)
            s->gottp = slot++;
        if (s->flags & SYMF_NEEDS_IPLT) {
            s->iplt = ld->ifuncs.len;
            vec_push(&ld->ifuncs, i);
        }
    }
    ld->ngot = slot + reloc_number_local_got(ld, slot);
}

uint32_t reloc_number_local_got(Ld *ld, uint32_t first)
{
    /* Sorted and de-duplicated, so the order does not depend on threads. */
    if (!ld->local_got.len)
        return 0;
    qsort(ld->local_got.data, ld->local_got.len, sizeof(LocalGot), cmp_local_got);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ld->local_got.len; i++) {
        if (n && cmp_local_got(&ld->local_got.data[n - 1], &ld->local_got.data[i]) == 0)
            continue;
        ld->local_got.data[n] = ld->local_got.data[i];
        ld->local_got.data[n].slot = first + n;
        n++;
    }
    ld->local_got.len = n;
    return n;
}

/* GOT slot of local symbol si of file f (it was recorded by the scan). */
static uint32_t local_got_slot(const Ld *ld, uint32_t file, uint32_t si, bool tp)
{
    LocalGot key = {file, si, 0, tp};
    const LocalGot *hit = bsearch(&key, ld->local_got.data, ld->local_got.len, sizeof(LocalGot), cmp_local_got);
    if (!hit)
        die("no GOT slot for local symbol %u of file %u", si, file);
    return hit->slot;
}

/* ---------------------------------------------------------------- apply */

typedef struct Site {
    Ld *ld;
    const LdFile *f;
    const InSec *s;
    const Elf64_Rela *r;
} Site;

static void overflow(const Site *st, uint32_t type, int64_t v, int64_t lo, int64_t hi)
{
    char *site = ld_site(st->ld, st->s, st->r->r_offset);
    ld_pending(st->ld, LD_ERROR, st->f->order, site_key(st->s, st->r->r_offset),
               "relocation %s out of range: %ld is not in [%ld, %ld]; references `%s`\n>>> at %s",
               reloc_info[type].name, (long)v, (long)lo, (long)hi,
               sym_name(st->ld, st->f, ELF64_R_SYM(st->r->r_info)), site);
    xfree(site);
}

static void put_s32(const Site *st, uint8_t *loc, uint32_t type, uint64_t v)
{
    int64_t sv = (int64_t)v;
    if (sv < INT32_MIN || sv > INT32_MAX)
        overflow(st, type, sv, INT32_MIN, INT32_MAX);
    wr32(loc, (uint32_t)v);
}

static void put_u32(const Site *st, uint8_t *loc, uint32_t type, uint64_t v)
{
    if (v > UINT32_MAX)
        overflow(st, type, (int64_t)v, 0, UINT32_MAX);
    wr32(loc, (uint32_t)v);
}

static uint64_t got_addr(const Ld *ld, uint32_t slot)
{
    return ld->osecs.data[ld->os_got].addr + (uint64_t)slot * 8;
}

/* Value written for a relocation against a discarded section outside allocated
 * memory: GNU ld's tombstones (1 in .debug_ranges/.debug_loc, where 0 ends a list). */
static uint64_t tombstone(const InSec *s)
{
    return strcmp(s->name, ".debug_ranges") == 0 || strcmp(s->name, ".debug_loc") == 0 ? 1 : 0;
}

/* ---------------------------------------------------------------- sites */

static const uint8_t site_width[SITE_COUNT] = {
#define X(name, width) [SITE_##name] = width,
    SITE_KINDS(X)
#undef X
};

unsigned reloc_site_width(SiteKind kind)
{
    return site_width[kind];
}

bool reloc_site_value(SiteKind kind, uint64_t S, int64_t A, uint64_t P, uint64_t got, uint64_t *value)
{
    uint64_t v = S + (uint64_t)A;
    int64_t sv;
    switch (kind) {
    case SITE_ABS64: case SITE_SIZE64: *value = v; return true;
    case SITE_ABS32: case SITE_SIZE32: *value = v; return v <= UINT32_MAX;
    case SITE_ABS32S: *value = v; sv = (int64_t)v; return sv >= INT32_MIN && sv <= INT32_MAX;
    case SITE_ABS16: *value = v; return v <= 0xffff;
    case SITE_ABS8: *value = v; return v <= 0xff;
    case SITE_PC64: *value = v - P; return true;
    case SITE_PC32: *value = v - P; sv = (int64_t)*value; return sv >= INT32_MIN && sv <= INT32_MAX;
    case SITE_PC16: *value = v - P; sv = (int64_t)*value; return sv >= -32768 && sv <= 32767;
    case SITE_PC8: *value = v - P; sv = (int64_t)*value; return sv >= -128 && sv <= 127;
    case SITE_GOTOFF64: *value = v - got; return true;
    case SITE_COUNT: break;
    }
    unreachable();
}

/* Records the site of relocation r (whose bytes are at output offset off of s) when its
 * value depends on where its target is. */
static void record_site(const Ld *ld, SiteVec *sites, const LdFile *f, const InSec *s, const Elf64_Rela *r, uint64_t off,
                        SiteKind kind)
{
    uint32_t si = ELF64_R_SYM(r->r_info);
    SiteRec rec = {s, NULL, LD_NONE, (uint32_t)off, r->r_addend, (uint8_t)kind};
    if (si >= f->first_global) {
        rec.sym = f->gsym[si - f->first_global];
    } else {
        /* Archive members never move; a local's size never changes alone; an object's
         * .eh_frame is rewritten whenever one of its sections moves. */
        if (f->member_of || kind == SITE_SIZE32 || kind == SITE_SIZE64 || s->kind == ISEC_EH_FRAME)
            return;
        const Elf64_Sym *es = &f->sym[si];
        uint32_t shndx = input_sym_shndx(f, es, si);
        if (shndx == SHN_ABS || shndx == SHN_UNDEF || shndx == SHN_COMMON)
            return;
        rec.local = file_sec(f, shndx);
        if (!rec.local)
            return;
        rec.addend += (int64_t)(rec.local->kind == ISEC_EH_FRAME ? eh_translate_symbol(ld, rec.local, es->st_value)
                                                                 : es->st_value);
    }
    vec_push(sites, rec);
}

/* Applies the relocations of s, whose output bytes are at buf and address at addr.
 * For .eh_frame, xlate maps input offsets to output offsets (dropped: LD_NONE64).
 * Address-dependent sites go to *sites when it is not NULL. */
static uint64_t apply_section(Ld *ld, const LdFile *f, const InSec *s, uint8_t *buf, uint64_t addr, bool eh,
                              SiteVec *sites)
{
    bool alloc = s->flags & SHF_ALLOC, code = s->flags & SHF_EXECINSTR;
    uint64_t tp = ld->tp, tls_start = ld->tls_start;
    uint64_t gotp = ld->got_plt_addr;
    uint64_t applied = 0;
    for (uint32_t k = 0; k < s->nrela; k++) {
        const Elf64_Rela *r = &s->rela[k];
        uint32_t type = ELF64_R_TYPE(r->r_info), si = ELF64_R_SYM(r->r_info);
        if (type == R_NONE)
            continue;
        uint64_t off = r->r_offset;
        if (eh) {
            off = eh_translate(ld, s, r->r_offset);
            if (off == LD_NONE64)
                continue;  /* in a dropped FDE */
        }
        uint8_t *loc = buf + off;
        uint64_t P = addr + off;
        int64_t A = r->r_addend;
        Site st = {ld, f, s, r};
        const LdSym *gs = si >= f->first_global ? &ld->syms.data[f->gsym[si - f->first_global]] : NULL;
        uint64_t S = gs ? sym_ref_addr(ld, gs) : f->local_addr[si];
        if (gs ? (gs->state == SYM_DEFINED && gs->sec && !gs->sec->live) : S == LD_NONE64) {
            if (alloc) {
                char *site = ld_site(ld, s, r->r_offset);
                ld_pending(ld, LD_ERROR, f->order, site_key(s, r->r_offset),
                           "relocation refers to `%s`, which is in a discarded section\n>>> at %s",
                           sym_name(ld, f, si), site);
                xfree(site);
            } else {
                uint64_t t = tombstone(s);
                if (reloc_info[type].width == 8)
                    wr64(loc, t);
                else if (reloc_info[type].width == 4)
                    wr32(loc, (uint32_t)t);
            }
            continue;
        }
        applied++;
        int site = -1;
        uint64_t site_off = off;
        switch (type) {
        case R_64: wr64(loc, S + (uint64_t)A); site = SITE_ABS64; break;
        case R_PC32: case R_PLT32: put_s32(&st, loc, type, S + (uint64_t)A - P); site = SITE_PC32; break;
        case R_32: put_u32(&st, loc, type, S + (uint64_t)A); site = SITE_ABS32; break;
        case R_32S: put_s32(&st, loc, type, S + (uint64_t)A); site = SITE_ABS32S; break;
        case R_16: case R_PC16: {
            site = type == R_16 ? SITE_ABS16 : SITE_PC16;
            uint64_t v = S + (uint64_t)A - (type == R_PC16 ? P : 0);
            int64_t sv = (int64_t)v;
            if (type == R_16 ? v > 0xffff : (sv < -32768 || sv > 32767))
                overflow(&st, type, sv, type == R_16 ? 0 : -32768, type == R_16 ? 0xffff : 32767);
            wr16(loc, (uint16_t)v);
            break;
        }
        case R_8: case R_PC8: {
            site = type == R_8 ? SITE_ABS8 : SITE_PC8;
            uint64_t v = S + (uint64_t)A - (type == R_PC8 ? P : 0);
            int64_t sv = (int64_t)v;
            if (type == R_8 ? v > 0xff : (sv < -128 || sv > 127))
                overflow(&st, type, sv, type == R_8 ? 0 : -128, type == R_8 ? 0xff : 127);
            *loc = (uint8_t)v;
            break;
        }
        case R_PC64: wr64(loc, S + (uint64_t)A - P); site = SITE_PC64; break;
        case R_GOTOFF64: case R_PLTOFF64: wr64(loc, S + (uint64_t)A - gotp); site = SITE_GOTOFF64; break;
        case R_GOTPC32: put_s32(&st, loc, type, gotp + (uint64_t)A - P); break;
        case R_GOTPC64: wr64(loc, gotp + (uint64_t)A - P); break;
        case R_SIZE32: case R_SIZE64: {
            uint64_t Z = gs ? gs->size : f->sym[si].st_size;
            site = type == R_SIZE32 ? SITE_SIZE32 : SITE_SIZE64;
            if (type == R_SIZE32)
                put_u32(&st, loc, type, Z + (uint64_t)A);
            else
                wr64(loc, Z + (uint64_t)A);
            break;
        }
        case R_TPOFF32: put_s32(&st, loc, type, S + (uint64_t)A - tp); break;
        case R_TPOFF64: wr64(loc, S + (uint64_t)A - tp); break;
        case R_DTPOFF32:
            put_s32(&st, loc, type, S + (uint64_t)A - (code && alloc ? tp : tls_start));
            break;
        case R_DTPOFF64: wr64(loc, S + (uint64_t)A - tls_start); break;
        case R_GOTPCREL: case R_GOTPCREL64: case R_GOT32: case R_GOT64: case R_GOTPLT64:
        case R_GOTPCRELX: case R_REX_GOTPCRELX: {
            bool relax = (type == R_GOTPCRELX || type == R_REX_GOTPCRELX) &&
                         relax_gotpcrelx(s->data, r->r_offset, type) && !(gs && global_needs_real_got(gs));
            if (relax) {
                site = SITE_PC32;
                if (loc[-2] == 0x8b) {          /* mov foo@GOTPCREL(%rip), %reg -> lea foo(%rip), %reg */
                    loc[-2] = 0x8d;
                    put_s32(&st, loc, type, S + (uint64_t)A - P);
                } else if (loc[-1] == 0x15) {   /* call *foo@GOTPCREL(%rip) -> addr32 call foo */
                    loc[-2] = 0x67;
                    loc[-1] = 0xe8;
                    put_s32(&st, loc, type, S + (uint64_t)A - P);
                } else {                        /* jmp *foo@GOTPCREL(%rip) -> jmp foo; nop */
                    loc[-2] = 0xe9;
                    put_s32(&st, loc - 1, type, S + (uint64_t)A - P + 1);
                    loc[3] = 0x90;
                    site_off = off - 1;         /* the place is one byte earlier */
                }
                break;
            }
            uint64_t G = got_addr(ld, gs ? gs->got : local_got_slot(ld, f->index, si, false));
            if (type == R_GOT32)
                put_s32(&st, loc, type, G - gotp + (uint64_t)A);
            else if (type == R_GOT64 || type == R_GOTPLT64)
                wr64(loc, G - gotp + (uint64_t)A);
            else if (type == R_GOTPCREL64)
                wr64(loc, G + (uint64_t)A - P);
            else
                put_s32(&st, loc, type, G + (uint64_t)A - P);
            break;
        }
        case R_GOTTPOFF:
            if (relax_gottpoff(s->data, r->r_offset)) {
                uint8_t reg = (loc[-1] >> 3) & 7;
                loc[-2] = loc[-2] == 0x8b ? 0xc7 : 0x81;  /* mov $imm / add $imm */
                loc[-3] = loc[-3] == 0x4c ? 0x49 : 0x48;  /* REX.R moves to REX.B */
                loc[-1] = 0xc0 | reg;
                put_s32(&st, loc, type, S - tp);
            } else {
                uint64_t G = got_addr(ld, gs ? gs->gottp : local_got_slot(ld, f->index, si, true));
                put_s32(&st, loc, type, G + (uint64_t)A - P);
            }
            break;
        case R_TLSGD:
            /* lea x@tlsgd(%rip),%rdi; call __tls_get_addr -> mov %fs:0,%rax; lea x@tpoff(%rax),%rax */
            memcpy(loc - 4, "\x64\x48\x8b\x04\x25\0\0\0\0\x48\x8d\x80", 12);
            put_s32(&st, loc + 8, type, S - tp);
            k++;
            break;
        case R_TLSLD:
            /* lea x@tlsld(%rip),%rdi; call __tls_get_addr -> (padding) mov %fs:0,%rax */
            if (loc[4] == 0xe8)
                memcpy(loc - 3, "\x66\x66\x66\x64\x48\x8b\x04\x25\0\0\0\0", 12);
            else
                memcpy(loc - 3, "\x66\x66\x66\x66\x64\x48\x8b\x04\x25\0\0\0\0", 13);
            k++;
            break;
        default:
            unreachable();
        }
        if (sites && site >= 0)
            record_site(ld, sites, f, s, r, site_off, (SiteKind)site);
    }
    return applied;
}

/* ---------------------------------------------------------------- copy */

void reloc_local_addresses(Ld *ld, LdFile *f, Arena *arena)
{
    f->local_addr = arena_new(arena, uint64_t, f->first_global + 1);
    for (uint32_t k = 0; k < f->first_global; k++)
        f->local_addr[k] = local_discarded(f, k) ? LD_NONE64 : reloc_symbol_address(ld, f, k);
}

/* Addresses of every local symbol of a file, LD_NONE64 for those in dropped sections:
 * relocations mostly name section symbols, and a table lookup beats working each out. */
static void local_addresses(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)ctx;
    reloc_local_addresses(ld, ld->files.data[ld->order.data[i]], &ld->thread_arena[tid]);
}

void reloc_copy_section(Ld *ld, InSec *s, uint8_t *buf, uint64_t addr, SiteVec *sites)
{
    const LdFile *f = ld->files.data[s->file];
    if (s->kind == ISEC_EH_FRAME) {
        eh_copy(ld, s, buf, addr);
        ld->nrelocs += apply_section(ld, f, s, buf, addr, true, sites);
        return;
    }
    if (s->data)
        memcpy(buf, s->data, s->size);
    if (s->nrela)
        ld->nrelocs += apply_section(ld, f, s, buf, addr, false, sites);
}

typedef struct CopyJob {
    InSec **secs;
    uint32_t n;
    uint32_t per_chunk;
    uint64_t *applied;  /* per thread */
} CopyJob;

static void copy_chunk(Ld *ld, uint32_t chunk, uint32_t tid, void *ctx)
{
    CopyJob *job = ctx;
    uint32_t lo = chunk * job->per_chunk, hi = MIN(job->n, lo + job->per_chunk);
    uint64_t applied = 0;
    SiteVec *sites = ld->incr && ld->incr->sites ? &ld->incr->sites[tid] : NULL;
    for (uint32_t i = lo; i < hi; i++) {
        InSec *s = job->secs[i];
        OutSec *os = &ld->osecs.data[s->osec];
        uint8_t *buf = ld->out + os->offset + s->offset;
        uint64_t addr = os->addr + s->offset;
        if (s->kind == ISEC_EH_FRAME) {
            eh_copy(ld, s, buf, addr);
            applied += apply_section(ld, ld->files.data[s->file], s, buf, addr, true, sites);
            continue;
        }
        if (s->data)
            memcpy(buf, s->data, s->size);
        if (s->nrela)
            applied += apply_section(ld, ld->files.data[s->file], s, buf, addr, false, sites);
    }
    job->applied[tid] += applied;
}

void reloc_copy_all(Ld *ld)
{
    ld_parallel(ld, ld->order.len, local_addresses, NULL);
    Vec(InSec *) work = {0};
    for (uint32_t o = 0; o < ld->osecs.len; o++) {
        OutSec *os = &ld->osecs.data[o];
        if (!os->shndx || os->type == SHT_NOBITS || (os->kind != OSEC_REGULAR && os->kind != OSEC_EH_FRAME))
            continue;
        for (uint32_t m = 0; m < os->members.len; m++) {
            InSec *s = os->members.data[m];
            if (s->file != LD_NONE && (s->data || s->nrela))
                vec_push(&work, s);
        }
    }
    if (ld->incr && ld->incr->sites) {
        /* Room for the sites up front: growing vectors of millions would copy them. */
        uint64_t nrela = 0;
        for (uint32_t i = 0; i < work.len; i++)
            nrela += work.data[i]->nrela;
        for (uint32_t t = 0; t < ld->nthreads; t++)
            vec_reserve(&ld->incr->sites[t], (uint32_t)MIN(nrela / ld->nthreads + nrela / 8 + 64, UINT32_MAX / 2));
    }
    CopyJob job = {work.data, work.len, 64, arena_new(&ld->arena, uint64_t, ld->nthreads)};
    ld_parallel(ld, (work.len + job.per_chunk - 1) / job.per_chunk, copy_chunk, &job);
    for (uint32_t t = 0; t < ld->nthreads; t++)
        ld->nrelocs += job.applied[t];
    vec_free(&work);
}

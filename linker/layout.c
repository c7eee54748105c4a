/*
 * linker/layout.c — output sections, their order, addresses and file offsets, the
 * program headers, and the final address of every symbol.
 *
 * Input sections map to output sections as GNU ld's default script maps them
 * (.text.* into .text, .rodata.* into .rodata, ...); a section with another name keeps
 * it (an "orphan", placed with sections of the same kind, so __start_/__stop_ work).
 * Output order and segments, as GNU ld with -z separate-code:
 *
 *   R   ELF header, program headers, notes, .rela.iplt
 *   RX  .init .iplt .text (exec orphans) .fini
 *   R   .rodata (orphans) .eh_frame_hdr .eh_frame .gcc_except_table
 *   RW  .tdata .tbss | .preinit_array .init_array .fini_array .data.rel.ro .got | (page)
 *       .got.plt .data (orphans) .bss (nobits orphans)
 *   --  non-allocated: .comment, .debug_*, other orphans, .symtab .strtab .shstrtab
 *
 * Every segment starts on a page and a file offset is always address - base, so the
 * file is the image (holes between segments are sparse). The part of RW up to .got is
 * PT_GNU_RELRO and ends on a page. .init_array/.fini_array/.preinit_array members are
 * sorted by priority (.init_array.N, .ctors.65535-N), unsuffixed ones last in input
 * order; everything else stays in link order, so the layout is deterministic.
 * Each input section gets its own offset (InSec.offset): the incremental linker moves
 * and patches sections one by one from this map.
 */
#include "linker/ld.h"

#include <stdlib.h>
#include <string.h>

enum { DEFAULT_BASE = 0x400000, DEFAULT_PAGE = 0x1000 };

/* Ranks within a segment (gaps leave room for orphans). */
enum {
    RANK_BUILD_ID = 10, RANK_NOTE = 20, RANK_RELA_IPLT = 90,
    RANK_INIT = 10, RANK_IPLT = 20, RANK_TEXT = 30, RANK_TEXT_ORPHAN = 40, RANK_FINI = 90,
    RANK_RODATA = 10, RANK_RO_ORPHAN = 20, RANK_EH_HDR = 70, RANK_EH = 80, RANK_EXCEPT = 90,
    RANK_TDATA = 10, RANK_TBSS = 11, RANK_PREINIT = 20, RANK_INIT_ARRAY = 21, RANK_FINI_ARRAY = 22,
    RANK_CTORS = 23, RANK_DTORS = 24, RANK_DATA_REL_RO = 30, RANK_GOT = 40, RANK_RELRO_END = 49,
    RANK_GOT_PLT = 50, RANK_DATA = 60, RANK_DATA_ORPHAN = 70, RANK_BSS = 80, RANK_BSS_ORPHAN = 90,
    RANK_COMMENT = 10, RANK_NONALLOC = 20, RANK_SYMTAB = 90, RANK_STRTAB = 91, RANK_SHSTRTAB = 92,
};

typedef struct SecClass {
    const char *name;  /* output section name */
    uint8_t seg;
    uint8_t rank;
} SecClass;

/* True when name is prefix or starts with prefix followed by '.'. */
static bool is_or_dot(const char *name, const char *prefix, size_t n)
{
    return strncmp(name, prefix, n) == 0 && (name[n] == 0 || name[n] == '.');
}
#define IS(name, lit) is_or_dot((name), lit, sizeof(lit) - 1)

static SecClass classify(const InSec *s)
{
    const char *n = s->name;
    uint64_t fl = s->flags;
    bool nobits = s->type == SHT_NOBITS;
    if (!(fl & SHF_ALLOC))
        return (SecClass){n, SEG_NONE, RANK_NONALLOC};
    if (fl & SHF_TLS)
        return nobits ? (SecClass){".tbss", SEG_DATA, RANK_TBSS} : (SecClass){".tdata", SEG_DATA, RANK_TDATA};
    if (s->type == SHT_NOTE)
        return (SecClass){n, SEG_HEADERS, RANK_NOTE};
    if (fl & SHF_EXECINSTR) {
        if (strcmp(n, ".init") == 0)
            return (SecClass){".init", SEG_TEXT, RANK_INIT};
        if (strcmp(n, ".fini") == 0)
            return (SecClass){".fini", SEG_TEXT, RANK_FINI};
        if (IS(n, ".text"))
            return (SecClass){".text", SEG_TEXT, RANK_TEXT};
        return (SecClass){n, SEG_TEXT, RANK_TEXT_ORPHAN};
    }
    if (fl & SHF_WRITE) {
        if (s->type == SHT_INIT_ARRAY || IS(n, ".init_array"))
            return (SecClass){".init_array", SEG_DATA, RANK_INIT_ARRAY};
        if (s->type == SHT_FINI_ARRAY || IS(n, ".fini_array"))
            return (SecClass){".fini_array", SEG_DATA, RANK_FINI_ARRAY};
        if (s->type == SHT_PREINIT_ARRAY || IS(n, ".preinit_array"))
            return (SecClass){".preinit_array", SEG_DATA, RANK_PREINIT};
        if (IS(n, ".ctors"))
            return (SecClass){".ctors", SEG_DATA, RANK_CTORS};
        if (IS(n, ".dtors"))
            return (SecClass){".dtors", SEG_DATA, RANK_DTORS};
        if (IS(n, ".data.rel.ro"))
            return (SecClass){".data.rel.ro", SEG_DATA, RANK_DATA_REL_RO};
        if (nobits) {
            if (IS(n, ".bss") || IS(n, ".sbss") || IS(n, ".dynbss"))
                return (SecClass){".bss", SEG_DATA, RANK_BSS};
            return (SecClass){n, SEG_DATA, RANK_BSS_ORPHAN};
        }
        if (IS(n, ".data") || IS(n, ".data1") || IS(n, ".sdata"))
            return (SecClass){".data", SEG_DATA, RANK_DATA};
        return (SecClass){n, SEG_DATA, RANK_DATA_ORPHAN};
    }
    if (IS(n, ".rodata") || IS(n, ".rodata1"))
        return (SecClass){".rodata", SEG_RODATA, RANK_RODATA};
    if (strcmp(n, ".eh_frame") == 0)
        return (SecClass){".eh_frame", SEG_RODATA, RANK_EH};
    if (IS(n, ".gcc_except_table"))
        return (SecClass){".gcc_except_table", SEG_RODATA, RANK_EXCEPT};
    return (SecClass){n, SEG_RODATA, RANK_RO_ORPHAN};
}

/* The name map key of an input section's class (map_sections): segment, rank, and
 * whether it is NOBITS (TLS and non-allocated sections ignore that). */
static uint32_t class_key(SecClass c, const InSec *s)
{
    if (c.seg == SEG_NONE || c.rank == RANK_TDATA || c.rank == RANK_TBSS)
        return (uint32_t)c.seg << 16 | c.rank << 1;
    return (uint32_t)c.seg << 16 | c.rank << 1 | (s->type == SHT_NOBITS);
}

const char *layout_class(const InSec *s, uint32_t *key)
{
    SecClass c = classify(s);
    *key = class_key(c, s);
    return c.name;
}

/* ---------------------------------------------------------------- output sections */

static uint32_t new_osec(Ld *ld, const char *name, OutKind kind, uint8_t seg, uint32_t rank, uint32_t type,
                         uint64_t flags, uint64_t align)
{
    OutSec os = {.name = name, .kind = (uint8_t)kind, .seg = seg, .rank = rank, .first_seen = ld->osecs.len,
                 .type = type, .flags = flags, .align = align ? align : 1};
    os.relro = seg == SEG_DATA && rank < RANK_RELRO_END && !ld->opt->no_relro;
    os.tls = (flags & SHF_TLS) != 0;
    vec_push(&ld->osecs, os);
    return ld->osecs.len - 1;
}

typedef struct MakeCtx {
    Ld *ld;
    SecClass cls;
    const InSec *first;
} MakeCtx;

static uint32_t make_regular(MakeCtx *c)
{
    const InSec *s = c->first;
    uint32_t type = s->type;
    if (strcmp(c->cls.name, ".init_array") == 0)
        type = SHT_INIT_ARRAY;
    else if (strcmp(c->cls.name, ".fini_array") == 0)
        type = SHT_FINI_ARRAY;
    else if (strcmp(c->cls.name, ".preinit_array") == 0)
        type = SHT_PREINIT_ARRAY;
    OutKind kind = s->kind == ISEC_EH_FRAME ? OSEC_EH_FRAME : OSEC_REGULAR;
    uint32_t o = new_osec(c->ld, c->cls.name, kind, c->cls.seg, c->cls.rank, type,
                          s->flags & (SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR | SHF_TLS | SHF_MERGE | SHF_STRINGS), 1);
    OutSec *os = &c->ld->osecs.data[o];
    if (type == SHT_INIT_ARRAY || type == SHT_FINI_ARRAY || type == SHT_PREINIT_ARRAY)
        os->entsize = 8;
    else if (s->flags & SHF_MERGE)
        os->entsize = c->ld->files.data[s->file]->shdr[s->shndx].sh_entsize;
    return o;
}

/* Priority of an init/fini array member: .init_array.N -> N, .ctors.N -> 65535 - N,
 * no suffix -> after every numbered one. */
static uint32_t init_priority(const InSec *s)
{
    const char *dot = strrchr(s->name, '.');
    if (!dot || dot == s->name)
        return 0x10000;
    char *end;
    unsigned long n = strtoul(dot + 1, &end, 10);
    if (*end || end == dot + 1 || n > 65535)
        return 0x10000;
    bool ctor = strncmp(s->name, ".ctors", 6) == 0 || strncmp(s->name, ".dtors", 6) == 0;
    return ctor ? (uint32_t)(65535 - n) : (uint32_t)n;
}

typedef struct Prio {
    uint32_t prio, pos;
    InSec *s;
} Prio;

static int cmp_prio(const void *a, const void *b)
{
    const Prio *x = a, *y = b;
    if (x->prio != y->prio)
        return x->prio < y->prio ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void sort_by_priority(OutSec *os)
{
    Prio *p = xmalloc(sizeof(Prio) * (os->members.len + 1));
    for (uint32_t i = 0; i < os->members.len; i++)
        p[i] = (Prio){init_priority(os->members.data[i]), i, os->members.data[i]};
    qsort(p, os->members.len, sizeof(Prio), cmp_prio);
    for (uint32_t i = 0; i < os->members.len; i++)
        os->members.data[i] = p[i].s;
    xfree(p);
}

static InSec *synthetic_isec(Ld *ld, const char *name, uint32_t type, uint64_t flags, uint64_t size, uint8_t p2)
{
    InSec *s = arena_new(&ld->arena, InSec, 1);
    s->name = name;
    s->type = type;
    s->flags = flags;
    s->size = s->out_size = size;
    s->file = LD_NONE;
    s->shndx = 0;
    s->osec = LD_NONE;
    s->eh = LD_NONE;
    s->plan = LD_NONE;
    s->p2align = p2;
    s->kind = ISEC_SYNTHETIC;
    s->live = true;
    vec_push(&ld->synthetic, s);
    return s;
}

/* The terminator that ends every walk over .eh_frame. */
InSec *layout_eh_terminator(Ld *ld)
{
    return synthetic_isec(ld, ".eh_frame", SHT_PROGBITS, SHF_ALLOC, 4, 2);
}

void layout_member(Ld *ld, uint32_t o, InSec *s)
{
    s->osec = o;
    vec_push(&ld->osecs.data[o].members, s);
}

static void add_member(Ld *ld, uint32_t o, InSec *s)
{
    OutSec *os = &ld->osecs.data[o];
    s->osec = o;
    vec_push(&os->members, s);
    os->flags |= s->flags & (SHF_WRITE | SHF_EXECINSTR);
    if (s->type != SHT_NOBITS && os->type == SHT_NOBITS)
        os->type = SHT_PROGBITS;  /* data and zeros in one section: zeros take file space */
    if (!(s->flags & SHF_MERGE))
        os->flags &= ~(uint64_t)(SHF_MERGE | SHF_STRINGS);
}

/* An incremental link creates the usual output sections even when no input has them
 * yet, so that an update can add the first .data or .bss without a full link. */
static void precreate_sections(Ld *ld, NameMap *map)
{
    static const struct {
        const char *name;
        uint8_t seg, rank;
        uint32_t type;
        uint64_t flags;
    } usual[] = {
        {".text", SEG_TEXT, RANK_TEXT, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR},
        {".rodata", SEG_RODATA, RANK_RODATA, SHT_PROGBITS, SHF_ALLOC},
        {".data", SEG_DATA, RANK_DATA, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE},
        {".bss", SEG_DATA, RANK_BSS, SHT_NOBITS, SHF_ALLOC | SHF_WRITE},
    };
    for (size_t i = 0; i < ARRAY_LEN(usual); i++) {
        uint32_t key = (uint32_t)usual[i].seg << 16 | (uint32_t)usual[i].rank << 1 | (usual[i].type == SHT_NOBITS);
        uint32_t *o = namemap_slot(map, usual[i].name, key);
        if (*o != LD_NONE)
            continue;
        *o = new_osec(ld, usual[i].name, OSEC_REGULAR, usual[i].seg, usual[i].rank, usual[i].type, usual[i].flags, 1);
        ld->osecs.data[*o].key = key;
    }
}

/* Maps every live input section to its output section, in link order. */
static void map_sections(Ld *ld)
{
    NameMap map = {0};
    for (uint32_t i = 0; i < ld->order.len; i++) {
        LdFile *f = ld->files.data[ld->order.data[i]];
        for (uint32_t k = 0; k < f->nsecs; k++) {
            InSec *s = &f->secs[k];
            if (!s->live)
                continue;
            MakeCtx c = {ld, classify(s), s};
            uint32_t key = class_key(c.cls, s);
            uint32_t *o = namemap_slot(&map, c.cls.name, key);
            if (*o == LD_NONE) {
                *o = make_regular(&c);
                ld->osecs.data[*o].key = key;
            }
            add_member(ld, *o, s);
        }
    }
    if (ld->incr)
        precreate_sections(ld, &map);
    namemap_free(&map);
    for (uint32_t o = 0; o < ld->osecs.len; o++) {
        OutSec *os = &ld->osecs.data[o];
        if (os->rank >= RANK_PREINIT && os->rank <= RANK_DTORS && os->seg == SEG_DATA)
            sort_by_priority(os);
        if (os->kind == OSEC_EH_FRAME)
            ld->os_eh_frame = o;
        if (strcmp(os->name, ".text") == 0 && os->seg == SEG_TEXT)
            ld->os_text = o;
        if (strcmp(os->name, ".bss") == 0 && os->seg == SEG_DATA)
            ld->os_bss = o;
    }
}

/* Places COMMON symbols in one block at the end of .bss, in symbol order. */
void layout_place_commons(Ld *ld)
{
    uint64_t size = 0, max_align = 1;
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        LdSym *s = &ld->syms.data[i];
        if (s->state != SYM_COMMON)
            continue;
        uint64_t al = s->value && !(s->value & (s->value - 1)) ? s->value : 1;
        size = ALIGN_UP(size, al);
        s->value = size;
        size += s->size;
        max_align = MAX(max_align, al);
    }
    if (!size && max_align == 1) {
        bool any = false;
        for (uint32_t i = 0; i < ld->syms.len && !any; i++)
            any = ld->syms.data[i].state == SYM_COMMON;
        if (!any)
            return;
    }
    InSec *block = synthetic_isec(ld, "COMMON", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, size,
                                  (uint8_t)__builtin_ctzll(max_align));
    if (ld->os_bss == LD_NONE)
        ld->os_bss = new_osec(ld, ".bss", OSEC_REGULAR, SEG_DATA, RANK_BSS, SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 1);
    add_member(ld, ld->os_bss, block);
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        LdSym *s = &ld->syms.data[i];
        if (s->state == SYM_COMMON) {
            s->state = SYM_DEFINED;
            s->sec = block;
            s->type = STT_OBJECT;
        }
    }
}

static bool linker_sym_used(Ld *ld, LinkerSym which)
{
    for (uint32_t i = 0; i < ld->syms.len; i++)
        if (ld->syms.data[i].state == SYM_LINKER && ld->syms.data[i].lsym == which)
            return true;
    return false;
}

/* Creates the linker's own sections, sized from what the scan found. */
static void make_synthetic(Ld *ld)
{
    const LdOptions *opt = ld->opt;
    if (ld->ngot)
        ld->os_got = new_osec(ld, ".got", OSEC_GOT, SEG_DATA, RANK_GOT, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8);
    if (ld->ifuncs.len || linker_sym_used(ld, LSYM_GOT) || ld->need_got_plt)
        ld->os_got_plt = new_osec(ld, ".got.plt", OSEC_GOT_PLT, SEG_DATA, RANK_GOT_PLT, SHT_PROGBITS,
                                  SHF_ALLOC | SHF_WRITE, 8);
    if (ld->ifuncs.len) {
        ld->os_iplt = new_osec(ld, ".iplt", OSEC_IPLT, SEG_TEXT, RANK_IPLT, SHT_PROGBITS,
                               SHF_ALLOC | SHF_EXECINSTR, 16);
        ld->os_rela_iplt = new_osec(ld, ".rela.iplt", OSEC_RELA_IPLT, SEG_HEADERS, RANK_RELA_IPLT, SHT_RELA,
                                    SHF_ALLOC | SHF_INFO_LINK, 8);
        ld->osecs.data[ld->os_rela_iplt].entsize = sizeof(Elf64_Rela);
    }
    if (ld->os_eh_frame != LD_NONE) {
        add_member(ld, ld->os_eh_frame, layout_eh_terminator(ld));
        if (!opt->no_eh_frame_hdr)
            ld->os_eh_frame_hdr = new_osec(ld, ".eh_frame_hdr", OSEC_EH_FRAME_HDR, SEG_RODATA, RANK_EH_HDR,
                                           SHT_PROGBITS, SHF_ALLOC, 4);
    }
    if (opt->build_id != LD_BUILD_ID_NONE)
        ld->os_build_id = new_osec(ld, ".note.gnu.build-id", OSEC_BUILD_ID, SEG_HEADERS, RANK_BUILD_ID, SHT_NOTE,
                                   SHF_ALLOC, 4);
    ld->os_comment = new_osec(ld, ".comment", OSEC_COMMENT, SEG_NONE, RANK_COMMENT, SHT_PROGBITS,
                              SHF_MERGE | SHF_STRINGS, 1);
    ld->osecs.data[ld->os_comment].entsize = 1;
    if (!opt->strip_all) {
        ld->os_symtab = new_osec(ld, ".symtab", OSEC_SYMTAB, SEG_NONE, RANK_SYMTAB, SHT_SYMTAB, 0, 8);
        ld->osecs.data[ld->os_symtab].entsize = sizeof(Elf64_Sym);
        ld->os_strtab = new_osec(ld, ".strtab", OSEC_STRTAB, SEG_NONE, RANK_STRTAB, SHT_STRTAB, 0, 1);
    }
    ld->os_shstrtab = new_osec(ld, ".shstrtab", OSEC_SHSTRTAB, SEG_NONE, RANK_SHSTRTAB, SHT_STRTAB, 0, 1);
}

/* Sizes of the synthetic sections (those known before addresses). */
static void size_synthetic(Ld *ld)
{
    if (ld->os_got != LD_NONE) {
        OutSec *got = &ld->osecs.data[ld->os_got];
        got->tail = (uint64_t)ld->ngot * 8;
        got->size = got->tail;
        if (got->elastic)
            got->size += 8 * layout_slack(ld->incr->reserve, ld->ngot, 64);
        got->capacity = got->size;
    }
    if (ld->os_got_plt != LD_NONE)
        ld->osecs.data[ld->os_got_plt].size = (3 + (uint64_t)ld->ifuncs.len) * 8;
    if (ld->os_iplt != LD_NONE) {
        ld->osecs.data[ld->os_iplt].size = (uint64_t)ld->ifuncs.len * 16;
        ld->osecs.data[ld->os_rela_iplt].size = (uint64_t)ld->ifuncs.len * sizeof(Elf64_Rela);
    }
    if (ld->os_eh_frame_hdr != LD_NONE) {
        OutSec *h = &ld->osecs.data[ld->os_eh_frame_hdr];
        h->size = 12 + 8 * (uint64_t)ld->eh_fde_count;
        if (h->elastic)
            h->size += 8 * layout_slack(ld->incr->reserve, ld->eh_fde_count, 256);
        h->capacity = h->size;
    }
    if (ld->os_build_id != LD_NONE)
        ld->osecs.data[ld->os_build_id].size = 16 + ld->build_id_len;
    output_size_comment(ld);
}

/* ---------------------------------------------------------------- incremental room */

uint64_t layout_slack(uint32_t percent, uint64_t size, uint64_t min)
{
    if (!percent || !size)
        return 0;
    return MAX(size / 100 * percent + size % 100 * percent / 100, min);
}

/* Can an update move and resize this output section's members? Not when their
 * neighbours give them meaning: code fragments of .init/.fini, arrays of pointers
 * (init/fini arrays, .ctors, sections bounded by __start_/__stop_), notes, and the
 * TLS template, whose layout every thread copies. */
static bool is_elastic(Ld *ld, const OutSec *os)
{
    switch ((OutKind)os->kind) {
    case OSEC_EH_FRAME: case OSEC_GOT: case OSEC_EH_FRAME_HDR: case OSEC_SYMTAB: case OSEC_STRTAB:
        return true;
    case OSEC_REGULAR:
        break;
    default:
        return false;
    }
    if (os->tls || os->type == SHT_NOTE)
        return false;
    if (os->seg == SEG_NONE)
        return true;  /* packed (layout_run sets it) */
    bool ok = false;
    switch (os->seg) {
    case SEG_TEXT: ok = os->rank == RANK_TEXT || os->rank == RANK_TEXT_ORPHAN; break;
    case SEG_RODATA: ok = os->rank == RANK_RODATA || os->rank == RANK_RO_ORPHAN || os->rank == RANK_EXCEPT; break;
    case SEG_DATA:
        ok = os->rank == RANK_DATA_REL_RO || os->rank == RANK_DATA || os->rank == RANK_DATA_ORPHAN ||
             os->rank == RANK_BSS || os->rank == RANK_BSS_ORPHAN;
        break;
    default: break;
    }
    if (!ok)
        return false;
    char buf[256];
    if (strlen(os->name) + 9 > sizeof buf)
        return true;
    snprintf(buf, sizeof buf, "__start_%s", os->name);
    if (resolve_lookup(ld, buf, strlen(buf)) != LD_NONE)
        return false;
    snprintf(buf, sizeof buf, "__stop_%s", os->name);
    return resolve_lookup(ld, buf, strlen(buf)) == LD_NONE;
}

/* Free space after an elastic output section of size bytes. */
static uint64_t osec_reserve(const Ld *ld, uint64_t size)
{
    uint32_t percent = ld->incr ? ld->incr->reserve : 0;
    return percent ? MAX(layout_slack(percent, size, 0), (uint64_t)1 << 20) : 0;
}

/* A packed section's members from archives come first: they never change, so an
 * update that packs the section again never moves them. */
static void members_of_archives_first(Ld *ld, OutSec *os)
{
    uint32_t n = 0;
    InSec **m = xmalloc(sizeof(InSec *) * (os->members.len + 1));
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < os->members.len; i++) {
            InSec *s = os->members.data[i];
            bool member = s->file != LD_NONE && ld->files.data[s->file]->member_of;
            if (member == (pass == 0))
                m[n++] = s;
        }
    memcpy(os->members.data, m, sizeof(InSec *) * n);
    xfree(m);
}

/* Sizes and offsets of the input sections inside each output section. Incremental
 * links give each member of an elastic section room to grow (capacity) and leave free
 * space after the section; .eh_frame's terminator stays last (size, not capacity, ends
 * the section there). */
static void size_members(Ld *ld)
{
    uint32_t slack = ld->incr ? ld->incr->slack : 0;
    for (uint32_t o = 0; o < ld->osecs.len; o++) {
        OutSec *os = &ld->osecs.data[o];
        if (os->kind != OSEC_REGULAR && os->kind != OSEC_EH_FRAME)
            continue;
        if (os->packed)
            members_of_archives_first(ld, os);
        uint64_t off = 0, align = os->align;
        for (uint32_t m = 0; m < os->members.len; m++) {
            InSec *s = os->members.data[m];
            /* .eh_frame records follow each other without padding: zeros between them
             * would read as a terminator. */
            uint64_t al = os->kind == OSEC_EH_FRAME ? 1 : 1ull << s->p2align;
            off = ALIGN_UP(off, al);
            s->offset = off;
            s->capacity = s->out_size;
            if (os->elastic && !os->packed && s->kind != ISEC_SYNTHETIC)
                s->capacity += layout_slack(slack, s->out_size, 16);
            off += s->capacity;
            align = MAX(align, al);
        }
        os->tail = off;
        os->size = off;
        os->align = align;
        os->capacity = off;
        if (os->elastic) {
            os->capacity = off + osec_reserve(ld, off);
            if (os->kind == OSEC_REGULAR && !os->packed)
                os->size = os->capacity;
        }
    }
}

static int cmp_osec(const void *a, const void *b, void *ctx)
{
    const OutSec *osecs = ctx;
    const OutSec *x = &osecs[*(const uint32_t *)a], *y = &osecs[*(const uint32_t *)b];
    if (x->seg != y->seg)
        return x->seg < y->seg ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->first_seen < y->first_seen ? -1 : x->first_seen > y->first_seen;
}

static int cmp_shndx(const void *a, const void *b, void *ctx)
{
    const OutSec *osecs = ctx;
    uint32_t x = osecs[*(const uint32_t *)a].shndx, y = osecs[*(const uint32_t *)b].shndx;
    return x < y ? -1 : x > y;
}

/* ---------------------------------------------------------------- addresses */

typedef struct SegRange {
    bool used;
    uint64_t start, file_end, mem_end;
} SegRange;

static void add_segment(Ld *ld, uint32_t type, uint32_t flags, uint64_t vaddr, uint64_t filesz, uint64_t memsz,
                        uint64_t align)
{
    Segment sg = {type, flags, vaddr, vaddr - ld->base, filesz, memsz, align};
    vec_push(&ld->segs, sg);
}

static uint32_t count_segments(Ld *ld, const bool used[SEG_NONE])
{
    uint32_t n = 0;
    for (int k = 0; k < SEG_NONE; k++)
        n += used[k];
    bool note = false, tls = false, relro = false;
    uint64_t last_note_align = 0;
    for (uint32_t i = 0; i < ld->osec_order.len; i++) {
        const OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
        if (os->type == SHT_NOTE && (os->flags & SHF_ALLOC)) {
            if (!note || os->align != last_note_align)
                n++;
            note = true;
            last_note_align = os->align;
        } else {
            note = false;
        }
        tls |= os->tls;
        relro |= os->relro;
    }
    n += tls + relro + 1;  /* + PT_GNU_STACK */
    n += ld->os_eh_frame_hdr != LD_NONE;
    return n;
}

static void assign_addresses(Ld *ld)
{
    uint64_t page = ld->opt->page_size ? ld->opt->page_size : DEFAULT_PAGE;
    ld->base = ld->opt->image_base ? ld->opt->image_base : DEFAULT_BASE;
    bool used[SEG_NONE] = {true};
    for (uint32_t i = 0; i < ld->osec_order.len; i++) {
        const OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
        if (os->seg < SEG_NONE)
            used[os->seg] = true;
    }
    uint32_t nphdr = count_segments(ld, used);
    ld->nphdr = nphdr;
    SegRange seg[SEG_NONE] = {{0}};
    uint64_t addr = ld->base + sizeof(Elf64_Ehdr) + nphdr * sizeof(Elf64_Phdr);
    seg[SEG_HEADERS] = (SegRange){true, ld->base, addr, addr};
    int cur = SEG_HEADERS;
    uint64_t tls_cursor = 0;
    bool in_relro = false;
    uint64_t relro_start = 0, relro_end = 0;
    ld->tls_start = ld->tls_end = 0;
    ld->tls_align = 1;
    for (uint32_t i = 0; i < ld->osec_order.len; i++) {
        OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
        if (os->seg == SEG_NONE)
            break;
        if (os->seg != cur) {
            addr = ALIGN_UP(addr, page);
            cur = os->seg;
            seg[cur] = (SegRange){true, addr, addr, addr};
        }
        if (os->relro && !in_relro) {
            in_relro = true;
            relro_start = addr;
        } else if (!os->relro && in_relro) {
            in_relro = false;
            addr = ALIGN_UP(addr, page);  /* the protected part ends on a page */
            relro_end = addr;
        }
        if (os->tls) {
            if (!ld->tls_start) {
                addr = ALIGN_UP(addr, os->align);
                ld->tls_start = addr;
                tls_cursor = addr;
            }
            ld->tls_align = MAX(ld->tls_align, os->align);
            tls_cursor = ALIGN_UP(tls_cursor, os->align);
            os->addr = tls_cursor;
            tls_cursor += os->size;
            ld->tls_end = tls_cursor;
            os->offset = os->addr - ld->base;
            if (os->type != SHT_NOBITS) {
                addr = tls_cursor;
                seg[cur].file_end = seg[cur].mem_end = addr;
            }
            continue;  /* .tbss takes no address space outside the TLS template */
        }
        addr = ALIGN_UP(addr, os->align);
        os->addr = addr;
        os->offset = addr - ld->base;
        addr += os->capacity;
        if (os->type != SHT_NOBITS)
            seg[cur].file_end = addr;
        seg[cur].mem_end = addr;
    }
    if (in_relro)
        relro_end = ALIGN_UP(addr, page);
    /* NOBITS sections in the middle (zero-filled progbits after them) would need file
     * space; they are ranked last, so file_end stops before them. */
    if (ld->tls_start) {
        uint64_t size = ld->tls_end - ld->tls_start;
        ld->tp = ld->tls_start + ALIGN_UP(size, ld->tls_align);
    }

    /* Non-allocated sections follow the image in the file. */
    uint64_t off = 0;
    for (int k = 0; k < SEG_NONE; k++)
        if (seg[k].used)
            off = MAX(off, seg[k].file_end - ld->base);
    for (uint32_t i = 0; i < ld->osec_order.len; i++) {
        OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
        if (os->seg != SEG_NONE)
            continue;
        off = ALIGN_UP(off, os->align);
        os->addr = 0;
        os->offset = off;
        off += os->capacity;
    }
    ld->shoff = ALIGN_UP(off, 8);
    ld->file_size = ld->shoff + (uint64_t)ld->nshdr * sizeof(Elf64_Shdr);

    /* Program headers: loads, then notes, TLS, EH frame, stack, RELRO. */
    static const uint32_t seg_flags[SEG_NONE] = {PF_R, PF_R | PF_X, PF_R, PF_R | PF_W};
    for (int k = 0; k < SEG_NONE; k++) {
        if (!seg[k].used)
            continue;
        uint32_t fl = seg_flags[k];
        for (uint32_t i = 0; i < ld->osec_order.len; i++) {
            const OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
            if (os->seg == k && (os->flags & SHF_EXECINSTR))
                fl |= PF_X;
            if (os->seg == k && (os->flags & SHF_WRITE))
                fl |= PF_W;
        }
        add_segment(ld, PT_LOAD, fl, seg[k].start, seg[k].file_end - seg[k].start, seg[k].mem_end - seg[k].start, page);
    }
    for (uint32_t i = 0; i < ld->osec_order.len; i++) {
        const OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
        if (os->type != SHT_NOTE || !(os->flags & SHF_ALLOC))
            continue;
        Segment *last = ld->segs.len ? &vec_last(&ld->segs) : NULL;
        if (last && last->type == PT_NOTE && last->align == os->align &&
            last->vaddr + last->memsz == os->addr) {
            last->filesz = last->memsz = os->addr + os->size - last->vaddr;
        } else {
            add_segment(ld, PT_NOTE, PF_R, os->addr, os->size, os->size, os->align);
        }
    }
    if (ld->tls_start) {
        uint64_t filesz = 0;
        for (uint32_t i = 0; i < ld->osec_order.len; i++) {
            const OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
            if (os->tls && os->type != SHT_NOBITS)
                filesz = os->addr + os->size - ld->tls_start;
        }
        add_segment(ld, PT_TLS, PF_R, ld->tls_start, filesz, ld->tls_end - ld->tls_start, ld->tls_align);
    }
    if (ld->os_eh_frame_hdr != LD_NONE) {
        const OutSec *h = &ld->osecs.data[ld->os_eh_frame_hdr];
        add_segment(ld, PT_GNU_EH_FRAME, PF_R, h->addr, h->size, h->size, 4);
    }
    vec_push(&ld->segs, ((Segment){PT_GNU_STACK, PF_R | PF_W | (ld->exec_stack ? PF_X : 0), 0, 0, 0, 0, 16}));
    if (relro_end > relro_start)
        add_segment(ld, PT_GNU_RELRO, PF_R, relro_start, relro_end - relro_start, relro_end - relro_start, 1);
    if (ld->segs.len != nphdr)
        die("program header count %u, expected %u", ld->segs.len, nphdr);

    /* Anchors for linker symbols. */
    ld->text_end = seg[SEG_TEXT].used ? seg[SEG_TEXT].mem_end : seg[SEG_HEADERS].mem_end;
    uint64_t data_end = 0, mem_end = 0, bss_start = 0;
    for (int k = 0; k < SEG_NONE; k++) {
        if (!seg[k].used)
            continue;
        data_end = MAX(data_end, seg[k].file_end);
        mem_end = MAX(mem_end, seg[k].mem_end);
    }
    for (uint32_t i = 0; i < ld->osec_order.len; i++) {
        const OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
        if (os->seg == SEG_DATA && os->type == SHT_NOBITS && !os->tls) {
            bss_start = os->addr;
            break;
        }
    }
    ld->data_end = data_end;
    ld->mem_end = mem_end;
    ld->bss_start = bss_start ? bss_start : data_end;
    ld->rw_start = seg[SEG_DATA].used ? seg[SEG_DATA].start : mem_end;
}

/* ---------------------------------------------------------------- symbol addresses */

static uint32_t find_osec(const Ld *ld, const char *name)
{
    for (uint32_t o = 0; o < ld->osecs.len; o++)
        if (ld->osecs.data[o].shndx && (ld->osecs.data[o].flags & SHF_ALLOC) &&
            strcmp(ld->osecs.data[o].name, name) == 0)
            return o;
    return LD_NONE;
}

/* Start or end of an output section by name, anchored at `fallback` when absent. */
static uint64_t osec_edge(Ld *ld, LdSym *s, const char *name, bool end, uint64_t fallback)
{
    uint32_t o = find_osec(ld, name);
    if (o == LD_NONE)
        return fallback;
    s->osec = o;
    return ld->osecs.data[o].addr + (end ? ld->osecs.data[o].size : 0);
}

static uint64_t linker_sym_addr(Ld *ld, LdSym *s)
{
    switch ((LinkerSym)s->lsym) {
    case LSYM_EHDR_START: case LSYM_EXECUTABLE_START: return ld->base;
    case LSYM_ETEXT: case LSYM_ETEXT_2: case LSYM_ETEXT_3: return ld->text_end;
    case LSYM_EDATA: case LSYM_EDATA_2: return ld->data_end;
    case LSYM_BSS_START: return ld->bss_start;
    case LSYM_END: case LSYM_END_2: return ld->mem_end;
    case LSYM_GOT: s->osec = ld->os_got_plt; return ld->got_plt_addr;
    case LSYM_PREINIT_ARRAY_START: return osec_edge(ld, s, ".preinit_array", false, ld->rw_start);
    case LSYM_PREINIT_ARRAY_END: return osec_edge(ld, s, ".preinit_array", true, ld->rw_start);
    case LSYM_INIT_ARRAY_START: return osec_edge(ld, s, ".init_array", false, ld->rw_start);
    case LSYM_INIT_ARRAY_END: return osec_edge(ld, s, ".init_array", true, ld->rw_start);
    case LSYM_FINI_ARRAY_START: return osec_edge(ld, s, ".fini_array", false, ld->rw_start);
    case LSYM_FINI_ARRAY_END: return osec_edge(ld, s, ".fini_array", true, ld->rw_start);
    case LSYM_RELA_IPLT_START: return osec_edge(ld, s, ".rela.iplt", false, ld->base);
    case LSYM_RELA_IPLT_END: return osec_edge(ld, s, ".rela.iplt", true, ld->base);
    case LSYM_EH_FRAME_HDR: return osec_edge(ld, s, ".eh_frame_hdr", false, 0);
    case LSYM_START_SECTION: return osec_edge(ld, s, s->name + 8, false, 0);
    case LSYM_STOP_SECTION: return osec_edge(ld, s, s->name + 7, true, 0);
    case LSYM_DEFSYM: return 0;  /* set below, once every other symbol has its address */
    }
    unreachable();
}

static void set_symbol_addresses(Ld *ld)
{
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        LdSym *s = &ld->syms.data[i];
        switch (s->state) {
        case SYM_UNDEF:
            s->addr = 0;
            break;
        case SYM_DEFINED:
            if (!s->sec)
                s->addr = s->value;
            else if (!s->sec->live)
                s->addr = 0;  /* in a collected section: nothing live refers to it */
            else if (s->sec->kind == ISEC_EH_FRAME)
                s->addr = isec_addr(ld, s->sec) + eh_translate_symbol(ld, s->sec, s->value);
            else
                s->addr = isec_addr(ld, s->sec) + s->value;
            break;
        case SYM_COMMON:
            unreachable();
        case SYM_LINKER:
            s->addr = linker_sym_addr(ld, s);
            break;
        }
    }
    for (uint32_t i = 0; i < ld->defsyms.len; i++) {
        const DefSym *d = &ld->defsyms.data[i];
        LdSym *s = &ld->syms.data[d->sym];
        if (d->target == LD_NONE) {
            s->addr = d->offset;
            continue;
        }
        const LdSym *t = &ld->syms.data[d->target];
        if (t->state == SYM_UNDEF)
            ld_error(ld, "--defsym %s: undefined symbol `%s`", s->name, t->name);
        s->addr = t->addr + d->offset;
        s->osec = t->sec ? t->sec->osec : t->osec;
        s->type = t->type;
    }
    if (ld->entry_sym != LD_NONE) {
        const LdSym *e = &ld->syms.data[ld->entry_sym];
        ld->entry = (e->flags & SYMF_NEEDS_IPLT) ? ld->osecs.data[ld->os_iplt].addr + e->iplt * 16ull : e->addr;
    } else {
        uint64_t text = ld->os_text != LD_NONE ? ld->osecs.data[ld->os_text].addr : ld->base;
        ld_warn(ld, "cannot find entry symbol %s; defaulting to 0x%lx", ld->entry_missing, (unsigned long)text);
        ld->entry = text;
    }
}

/* ---------------------------------------------------------------- driver */

/* PLANNED: output sections and members as the state has them. */
static bool layout_planned(Ld *ld)
{
    if (!incr_plan_layout(ld))
        return false;
    for (uint32_t o = 0; o < ld->osecs.len; o++)
        if (ld->osecs.data[o].shndx)
            vec_push(&ld->osec_order, o);
    qsort_r(ld->osec_order.data, ld->osec_order.len, sizeof(uint32_t), cmp_shndx, ld->osecs.data);
    ld->nshdr = ld->osec_order.len + 1;
    return true;
}

bool layout_run(Ld *ld)
{
    ld->os_got = ld->os_got_plt = ld->os_iplt = ld->os_rela_iplt = LD_NONE;
    ld->os_eh_frame = ld->os_eh_frame_hdr = ld->os_build_id = ld->os_comment = LD_NONE;
    ld->os_symtab = ld->os_strtab = ld->os_shstrtab = ld->os_bss = ld->os_text = LD_NONE;
    bool planned = ld->incr && ld->incr->mode == INCR_PLANNED;
    if (planned) {
        if (!layout_planned(ld))
            return false;
    } else {
        map_sections(ld);
        layout_place_commons(ld);
        make_synthetic(ld);
        for (uint32_t o = 0; ld->incr && o < ld->osecs.len; o++) {
            OutSec *os = &ld->osecs.data[o];
            os->elastic = is_elastic(ld, os);
            os->packed = os->elastic && os->seg == SEG_NONE && os->kind == OSEC_REGULAR;
        }
        size_members(ld);
        size_synthetic(ld);

        /* Order, and section header indices (empty sections without members are dropped). */
        for (uint32_t o = 0; o < ld->osecs.len; o++) {
            const OutSec *os = &ld->osecs.data[o];
            bool keep = os->size || os->members.len || os->kind == OSEC_SHSTRTAB || os->kind == OSEC_SYMTAB ||
                        os->kind == OSEC_STRTAB || os->kind == OSEC_GOT_PLT;
            if (keep)
                vec_push(&ld->osec_order, o);
        }
        qsort_r(ld->osec_order.data, ld->osec_order.len, sizeof(uint32_t), cmp_osec, ld->osecs.data);
        for (uint32_t i = 0; i < ld->osec_order.len; i++)
            ld->osecs.data[ld->osec_order.data[i]].shndx = i + 1;
        ld->nshdr = ld->osec_order.len + 1;
    }

    /* The symbol table's size depends on section indices only; .shstrtab on names. */
    output_size_symtab(ld);
    output_size_shstrtab(ld);
    for (uint32_t o = 0; o < ld->osecs.len; o++) {
        OutSec *os = &ld->osecs.data[o];
        if (!os->elastic)
            os->capacity = os->size;
    }
    assign_addresses(ld);
    if (planned && !incr_plan_check(ld))
        return false;
    if (ld->os_got_plt != LD_NONE)
        ld->got_plt_addr = ld->osecs.data[ld->os_got_plt].addr;
    set_symbol_addresses(ld);
    return !ld_failed(ld);
}

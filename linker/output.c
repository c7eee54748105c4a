/*
 * linker/output.c — the output file: created as a temp file beside the output, mapped,
 * filled, then renamed over the output (a failed link leaves the old file untouched).
 *
 * Writes the ELF header, program and section headers, the synthetic sections (.got,
 * .got.plt, .iplt, .rela.iplt, .comment, the build-id note) and the symbol table:
 *   [0] null, then per file in link order its STT_FILE and local symbols (not section
 *   symbols, not .L labels, not in dropped sections), then hidden globals and linker
 *   symbols as locals (GNU ld makes hidden symbols local in an executable), then the
 *   globals, each emitted by the file that defines it, then undefined weak and
 *   --defsym symbols. sh_info is the index of the first global.
 * Both passes over files (count, then write) run in parallel over per-file slices.
 * The build-id is computed last over the whole file with the descriptor zeroed: XXH3
 * of 64 KiB chunks in parallel, then XXH3-128 of those hashes (see LdBuildId).
 */
#include "linker/ld.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- .comment */

void output_size_comment(Ld *ld)
{
    StrBuf sb = {0};
    /* Distinct strings, first appearance first. Few distinct strings: linear check. */
    Vec(uint64_t) seen = {0};
    for (uint32_t i = 0; i < ld->order.len; i++) {
        const LdFile *f = ld->files.data[ld->order.data[i]];
        const char *p = (const char *)f->comment, *end = p + f->comment_size;
        while (p < end) {
            const char *e = memchr(p, 0, (size_t)(end - p));
            size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
            if (len) {
                bool dup = false;
                for (uint32_t k = 0; k < seen.len && !dup; k++) {
                    uint64_t off = seen.data[k];
                    dup = strlen(sb.data + off) == len && memcmp(sb.data + off, p, len) == 0;
                }
                if (!dup) {
                    vec_push(&seen, sb.len);
                    sb_append(&sb, p, len);
                    sb_putc(&sb, 0);
                }
            }
            p += len + 1;
        }
    }
    sb_puts(&sb, ld_version());
    sb_putc(&sb, 0);
    ld->comment = (const uint8_t *)arena_strndup(&ld->arena, sb.data, sb.len);
    ld->comment_size = sb.len;
    ld->osecs.data[ld->os_comment].size = sb.len;
    sb_free(&sb);
    vec_free(&seen);
}

/* ---------------------------------------------------------------- symbol table */

/* Per-file slice of the symbol table. */
typedef struct SymSlice {
    uint32_t nlocal, nglobal;     /* entries */
    uint64_t local_str, global_str;  /* string bytes */
    uint32_t local_at, global_at;    /* first index */
    uint64_t local_str_at, global_str_at;
} SymSlice;

static bool local_name_kept(const char *name)
{
    return name[0] && !(name[0] == '.' && name[1] == 'L');
}

/* Does local symbol i of f go into the output symbol table? */
static bool emit_local(const Ld *ld, const LdFile *f, uint32_t i)
{
    const Elf64_Sym *es = &f->sym[i];
    uint8_t type = ELF64_ST_TYPE(es->st_info);
    if (type == STT_SECTION || ld->opt->discard_all)
        return false;
    const char *name = f->strtab + es->st_name;
    if (type == STT_FILE)
        return name[0] != 0;
    if (!local_name_kept(name))
        return false;
    uint32_t shndx = input_sym_shndx(f, es, i);
    if (shndx == SHN_ABS)
        return true;
    if (shndx == SHN_UNDEF || shndx == SHN_COMMON)
        return false;
    const InSec *s = file_sec(f, shndx);
    return s && s->live && s->osec != LD_NONE;
}

bool output_owned_by(const LdSym *s, const LdFile *f, uint32_t i)
{
    return s->file == f->index && s->esym == i && s->state == SYM_DEFINED && (!s->sec || s->sec->live);
}

bool output_sym_is_local(const LdSym *s)
{
    return s->visibility == STV_HIDDEN || s->visibility == STV_INTERNAL;
}

bool output_emit_unowned(const LdSym *s)
{
    if (s->state == SYM_LINKER)
        return true;
    return s->state == SYM_UNDEF && !(s->flags & SYMF_STRONG_REF) && (s->flags & SYMF_USED);
}

static void count_file(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)tid;
    SymSlice *sl = &((SymSlice *)ctx)[i];
    const LdFile *f = ld->files.data[ld->order.data[i]];
    for (uint32_t k = 1; k < f->first_global; k++) {
        if (emit_local(ld, f, k)) {
            sl->nlocal++;
            sl->local_str += strlen(f->strtab + f->sym[k].st_name) + 1;
        }
    }
    for (uint32_t k = f->first_global; k < f->nsym; k++) {
        const LdSym *s = &ld->syms.data[f->gsym[k - f->first_global]];
        if (!output_owned_by(s, f, k))
            continue;
        if (output_sym_is_local(s)) {
            if (ld->opt->discard_all)
                continue;
            sl->nlocal++;
            sl->local_str += s->len + 1;
        } else {
            sl->nglobal++;
            sl->global_str += s->len + 1;
        }
    }
}

/* FRESH: slices of .symtab and .strtab with room to grow. Per file in link order, its
 * locals (with slack), then the hidden linker symbols, then free local slots; then
 * every global at an index of its own (in the usual order), and free global slots.
 * .strtab follows the same plan: local names per file with slack, the linker symbols'
 * names, free room, global names, free room. */
static void plan_fresh_symtab(Ld *ld, SymSlice *sl, uint32_t n)
{
    uint32_t pct = ld->incr->slack, rpct = ld->incr->reserve;
    uint32_t at = 1;
    uint64_t str = 1;
    for (uint32_t i = 0; i < n; i++) {
        LdFile *f = ld->files.data[ld->order.data[i]];
        f->sym_at = at;
        f->sym_cap = sl[i].nlocal + (uint32_t)layout_slack(pct, sl[i].nlocal, 4);
        f->str_at = str;
        f->str_cap = sl[i].local_str + layout_slack(pct, sl[i].local_str, 32);
        at += f->sym_cap;
        str += f->str_cap;
    }
    ld->unowned_at = at;
    ld->unowned_str_at = str;
    ld->unowned_n = sl[n].nlocal;
    at += sl[n].nlocal;
    str += sl[n].local_str;
    ld->local_next = at;
    ld->str_local_next = str;
    at += (uint32_t)layout_slack(rpct, at, 256);
    str += layout_slack(rpct, str, 4096);
    ld->first_global_sym = at;
    ld->str_local_end = str;
    uint64_t global_str = str;
    ld->sym_index = arena_new(&ld->arena, uint32_t, ld->syms.len + 1);
    ld->sym_name_at = arena_new(&ld->arena, uint64_t, ld->syms.len + 1);
    for (uint32_t i = 0; i < ld->syms.len; i++)
        ld->sym_index[i] = LD_NONE;
    for (uint32_t i = 0; i <= n; i++) {
        const LdFile *f = i < n ? ld->files.data[ld->order.data[i]] : NULL;
        uint32_t lo = f ? f->first_global : 0, hi = f ? f->nsym : ld->syms.len;
        for (uint32_t k = lo; k < hi; k++) {
            uint32_t g = f ? f->gsym[k - f->first_global] : k;
            const LdSym *s = &ld->syms.data[g];
            bool emit = f ? output_owned_by(s, f, k) && !output_sym_is_local(s)
                          : output_emit_unowned(s) && !(output_sym_is_local(s) && s->state != SYM_UNDEF);
            if (!emit)
                continue;
            ld->sym_index[g] = at++;
            ld->sym_name_at[g] = str;
            str += s->len + 1;
        }
    }
    ld->nsymtab = at;
    ld->str_global_next = str;
    uint32_t nglobal = at - ld->first_global_sym;
    OutSec *st = &ld->osecs.data[ld->os_symtab], *ss = &ld->osecs.data[ld->os_strtab];
    st->size = (uint64_t)at * sizeof(Elf64_Sym);
    st->capacity = st->size + layout_slack(rpct, nglobal, 256) * sizeof(Elf64_Sym);
    ss->tail = str;
    ss->size = ss->capacity = str + layout_slack(rpct, str - global_str, 16384);
}

void output_size_symtab(Ld *ld)
{
    if (ld->os_symtab == LD_NONE)
        return;
    uint32_t n = ld->order.len;
    SymSlice *sl = arena_new(&ld->arena, SymSlice, n + 1);  /* the last slice: unowned symbols */
    ld_parallel(ld, n, count_file, sl);
    SymSlice *extra = &sl[n];
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        const LdSym *s = &ld->syms.data[i];
        if (!output_emit_unowned(s))
            continue;
        if (output_sym_is_local(s) && s->state != SYM_UNDEF) {
            extra->nlocal++;
            extra->local_str += s->len + 1;
        } else {
            extra->nglobal++;
            extra->global_str += s->len + 1;
        }
    }
    ld->sym_slices = sl;
    if (ld->incr) {
        if (ld->incr->mode == INCR_PLANNED) {
            incr_plan_symtab(ld);
            if (sl[n].nlocal != ld->unowned_n)
                ld_error(ld, "verify: %u local linker symbols, the incremental state has %u", sl[n].nlocal,
                         ld->unowned_n);
            for (uint32_t i = 0; i < n; i++) {
                const LdFile *f = ld->files.data[ld->order.data[i]];
                if (sl[i].nlocal > f->sym_cap || sl[i].local_str > f->str_cap)
                    ld_error(ld, "verify: the local symbols of `%s` do not fit the planned .symtab slice", f->name);
            }
        } else {
            plan_fresh_symtab(ld, sl, n);
        }
        ld->report->symbols = ld->nsymtab - ld->first_global_sym;
        return;
    }
    /* Prefix sums: all locals (slice by slice), then all globals. */
    uint32_t at = 1;
    uint64_t str = 1;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            ld->first_global_sym = at;
        for (uint32_t i = 0; i <= n; i++) {
            *(pass ? &sl[i].global_at : &sl[i].local_at) = at;
            *(pass ? &sl[i].global_str_at : &sl[i].local_str_at) = str;
            at += pass ? sl[i].nglobal : sl[i].nlocal;
            str += pass ? sl[i].global_str : sl[i].local_str;
        }
    }
    ld->nsymtab = at;
    ld->report->symbols = at - ld->first_global_sym;
    ld->osecs.data[ld->os_symtab].size = (uint64_t)at * sizeof(Elf64_Sym);
    ld->osecs.data[ld->os_strtab].size = str;
}

/* st_shndx of an output section index (LD_NONE: absolute). */
static uint16_t out_shndx(const Ld *ld, uint32_t osec)
{
    if (osec == LD_NONE || !ld->osecs.data[osec].shndx)
        return SHN_ABS;
    return (uint16_t)ld->osecs.data[osec].shndx;
}

/* st_value of a symbol at addr of type type (TLS symbols: offset in the TLS block). */
static uint64_t out_value(const Ld *ld, uint8_t type, uint64_t addr)
{
    return type == STT_TLS ? addr - ld->tls_start : addr;
}

Elf64_Sym output_global_entry(const Ld *ld, const LdSym *s, bool local, uint32_t name)
{
    uint8_t bind = local ? STB_LOCAL : (s->flags & SYMF_WEAK) || s->state == SYM_UNDEF ? STB_WEAK : STB_GLOBAL;
    uint16_t shndx;
    if (s->state == SYM_UNDEF)
        shndx = SHN_UNDEF;
    else if (s->state == SYM_LINKER || !s->sec)
        shndx = out_shndx(ld, s->osec);
    else
        shndx = out_shndx(ld, s->sec->osec);
    return (Elf64_Sym){name, ELF64_ST_INFO(bind, s->type), s->visibility, shndx, out_value(ld, s->type, s->addr),
                       s->size};
}

/* Where symbols go: entries, names, and the .strtab offset of names[0]. */
typedef struct SymOut {
    Elf64_Sym *syms;
    char *names;
    uint64_t name_base;
    uint32_t n;     /* entries written */
    uint64_t len;   /* name bytes written */
} SymOut;

static void put_sym(SymOut *o, const char *name, size_t len, Elf64_Sym e)
{
    memcpy(o->names + o->len, name, len + 1);
    e.st_name = (uint32_t)(o->name_base + o->len);
    o->syms[o->n++] = e;
    o->len += len + 1;
}

uint32_t output_local_slice(const Ld *ld, const LdFile *f, Elf64_Sym *syms, char *names, uint64_t name_base,
                            uint64_t *name_len)
{
    SymOut o = {syms, names, name_base, 0, 0};
    for (uint32_t k = 1; k < f->first_global; k++) {
        if (!emit_local(ld, f, k))
            continue;
        const Elf64_Sym *es = &f->sym[k];
        const char *name = f->strtab + es->st_name;
        uint8_t type = ELF64_ST_TYPE(es->st_info);
        uint32_t shndx = input_sym_shndx(f, es, k);
        uint16_t oshndx = SHN_ABS;
        uint64_t value = es->st_value;
        if (type != STT_FILE && shndx != SHN_ABS) {
            const InSec *s = file_sec(f, shndx);
            oshndx = out_shndx(ld, s->osec);
            value = out_value(ld, type, reloc_symbol_address((Ld *)ld, f, k));
        }
        put_sym(&o, name, strlen(name), (Elf64_Sym){0, es->st_info, es->st_other, oshndx, value, es->st_size});
    }
    for (uint32_t k = f->first_global; k < f->nsym && !ld->opt->discard_all; k++) {
        const LdSym *s = &ld->syms.data[f->gsym[k - f->first_global]];
        if (output_owned_by(s, f, k) && output_sym_is_local(s))
            put_sym(&o, s->name, s->len, output_global_entry(ld, s, true, 0));
    }
    *name_len = o.len;
    return o.n;
}

typedef struct SymWriter {
    Elf64_Sym *syms;
    char *str;
} SymWriter;

/* A global at its planned index (incremental links). */
static void put_planned(const Ld *ld, SymWriter *w, uint32_t g)
{
    const LdSym *s = &ld->syms.data[g];
    uint32_t at = ld->sym_index[g];
    if (at == LD_NONE)
        return;  /* PLANNED: reported by incr_plan_symtab */
    uint64_t name = ld->sym_name_at[g];
    memcpy(w->str + name, s->name, s->len + 1);
    w->syms[at] = output_global_entry(ld, s, false, (uint32_t)name);
}

static void write_file_syms(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)tid;
    SymWriter *w = ctx;
    const SymSlice *sl = &ld->sym_slices[i];
    const LdFile *f = ld->files.data[ld->order.data[i]];
    uint32_t lat = ld->incr ? f->sym_at : sl->local_at;
    uint64_t lstr = ld->incr ? f->str_at : sl->local_str_at, len;
    output_local_slice(ld, f, w->syms + lat, w->str + lstr, lstr, &len);
    SymOut g = {w->syms + sl->global_at, w->str + sl->global_str_at, sl->global_str_at, 0, 0};
    for (uint32_t k = f->first_global; k < f->nsym; k++) {
        uint32_t gi = f->gsym[k - f->first_global];
        const LdSym *s = &ld->syms.data[gi];
        if (!output_owned_by(s, f, k) || output_sym_is_local(s))
            continue;
        if (ld->incr)
            put_planned(ld, w, gi);
        else
            put_sym(&g, s->name, s->len, output_global_entry(ld, s, false, 0));
    }
}

void output_write_symtab(Ld *ld)
{
    if (ld->os_symtab == LD_NONE)
        return;
    OutSec *st = &ld->osecs.data[ld->os_symtab], *ss = &ld->osecs.data[ld->os_strtab];
    SymWriter w = {(Elf64_Sym *)(void *)(ld->out + st->offset), (char *)ld->out + ss->offset};
    memset(&w.syms[0], 0, sizeof(Elf64_Sym));
    w.str[0] = 0;
    uint32_t n = ld->order.len;
    ld_parallel(ld, n, write_file_syms, &w);
    const SymSlice *extra = &ld->sym_slices[n];
    uint32_t lat = ld->incr ? ld->unowned_at : extra->local_at;
    uint64_t lstr = ld->incr ? ld->unowned_str_at : extra->local_str_at;
    SymOut l = {w.syms + lat, w.str + lstr, lstr, 0, 0};
    SymOut g = {w.syms + extra->global_at, w.str + extra->global_str_at, extra->global_str_at, 0, 0};
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        const LdSym *s = &ld->syms.data[i];
        if (!output_emit_unowned(s))
            continue;
        if (output_sym_is_local(s) && s->state != SYM_UNDEF)
            put_sym(&l, s->name, s->len, output_global_entry(ld, s, true, 0));
        else if (ld->incr)
            put_planned(ld, &w, i);
        else
            put_sym(&g, s->name, s->len, output_global_entry(ld, s, false, 0));
    }
    st->link = ss->shndx;
    st->info = ld->first_global_sym;
}

/* ---------------------------------------------------------------- synthetic sections */

static uint8_t *osec_bytes(Ld *ld, uint32_t o)
{
    return ld->out + ld->osecs.data[o].offset;
}

void output_write_synthetic(Ld *ld)
{
    if (ld->os_got != LD_NONE) {
        uint8_t *got = osec_bytes(ld, ld->os_got);
        for (uint32_t i = 0; i < ld->syms.len; i++) {
            const LdSym *s = &ld->syms.data[i];
            if (s->flags & SYMF_NEEDS_GOT) {
                uint64_t a = (s->flags & SYMF_NEEDS_IPLT)
                                 ? ld->osecs.data[ld->os_iplt].addr + (uint64_t)s->iplt * 16 : s->addr;
                wr64(got + (uint64_t)s->got * 8, a);
            }
            if (s->flags & SYMF_NEEDS_GOTTP)
                wr64(got + (uint64_t)s->gottp * 8, s->addr - ld->tp);
        }
        for (uint32_t i = 0; i < ld->local_got.len; i++) {
            const LocalGot *g = &ld->local_got.data[i];
            uint64_t a = reloc_symbol_address(ld, ld->files.data[g->file], g->sym);
            wr64(got + (uint64_t)g->slot * 8, g->tp ? a - ld->tp : a);
        }
    }
    if (ld->os_iplt != LD_NONE) {
        const OutSec *iplt = &ld->osecs.data[ld->os_iplt];
        const OutSec *gotplt = &ld->osecs.data[ld->os_got_plt];
        uint8_t *code = osec_bytes(ld, ld->os_iplt), *slots = osec_bytes(ld, ld->os_got_plt);
        uint8_t *rela = osec_bytes(ld, ld->os_rela_iplt);
        for (uint32_t k = 0; k < ld->ifuncs.len; k++) {
            const LdSym *s = &ld->syms.data[ld->ifuncs.data[k]];
            uint64_t slot = gotplt->addr + (3 + (uint64_t)k) * 8;
            uint64_t entry = iplt->addr + (uint64_t)k * 16;
            uint8_t *e = code + (uint64_t)k * 16;
            e[0] = 0xff;  /* jmp *slot(%rip) */
            e[1] = 0x25;
            wr32(e + 2, (uint32_t)(slot - (entry + 6)));
            memset(e + 6, 0xcc, 10);
            wr64(slots + (3 + (uint64_t)k) * 8, s->addr);  /* the resolver, until start-up fixes it */
            Elf64_Rela r = {slot, ELF64_R_INFO(0, R_X86_64_IRELATIVE), (int64_t)s->addr};
            memcpy(rela + (uint64_t)k * sizeof r, &r, sizeof r);
        }
        ld->osecs.data[ld->os_rela_iplt].info = ld->osecs.data[ld->os_got_plt].shndx;
    }
    if (ld->os_comment != LD_NONE)
        memcpy(osec_bytes(ld, ld->os_comment), ld->comment, ld->comment_size);
    if (ld->os_build_id != LD_NONE) {
        uint8_t *n = osec_bytes(ld, ld->os_build_id);
        wr32(n, 4);                   /* name size */
        wr32(n + 4, ld->build_id_len);/* descriptor size */
        wr32(n + 8, NT_GNU_BUILD_ID);
        memcpy(n + 12, "GNU", 4);
    }
}

/* ---------------------------------------------------------------- headers */

void output_write_headers(Ld *ld)
{
    Elf64_Ehdr eh = {0};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = ld->entry;
    eh.e_phoff = sizeof(Elf64_Ehdr);
    eh.e_shoff = ld->shoff;
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = (uint16_t)ld->segs.len;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    uint32_t shstrndx = ld->osecs.data[ld->os_shstrtab].shndx;
    eh.e_shnum = ld->nshdr < SHN_LORESERVE ? (uint16_t)ld->nshdr : 0;
    eh.e_shstrndx = shstrndx < SHN_LORESERVE ? (uint16_t)shstrndx : SHN_XINDEX;
    memcpy(ld->out, &eh, sizeof eh);

    for (uint32_t i = 0; i < ld->segs.len; i++) {
        const Segment *s = &ld->segs.data[i];
        Elf64_Phdr ph = {s->type, s->flags, s->offset, s->vaddr, s->vaddr, s->filesz, s->memsz, s->align};
        if (s->type == PT_GNU_STACK)
            ph.p_offset = ph.p_vaddr = ph.p_paddr = 0;
        memcpy(ld->out + sizeof eh + i * sizeof ph, &ph, sizeof ph);
    }

    /* .shstrtab and the section headers. */
    OutSec *ss = &ld->osecs.data[ld->os_shstrtab];
    char *names = (char *)ld->out + ss->offset;
    uint64_t at = 1;
    names[0] = 0;
    Elf64_Shdr *sh = (Elf64_Shdr *)(void *)(ld->out + ld->shoff);
    memset(&sh[0], 0, sizeof sh[0]);
    if (ld->nshdr >= SHN_LORESERVE)
        sh[0].sh_size = ld->nshdr;
    if (shstrndx >= SHN_LORESERVE)
        sh[0].sh_link = shstrndx;
    for (uint32_t i = 0; i < ld->osec_order.len; i++) {
        const OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
        size_t len = strlen(os->name);
        if (at + len + 1 > ss->size)
            die("section name table overflow");
        memcpy(names + at, os->name, len + 1);
        sh[os->shndx] = (Elf64_Shdr){(uint32_t)at, os->type, os->flags, os->addr, os->offset, os->size,
                                     os->link, os->info, os->align, os->entsize};
        at += len + 1;
    }
}

/* Size of .shstrtab: every emitted section's name. */
void output_size_shstrtab(Ld *ld)
{
    uint64_t n = 1;
    for (uint32_t i = 0; i < ld->osec_order.len; i++)
        n += strlen(ld->osecs.data[ld->osec_order.data[i]].name) + 1;
    ld->osecs.data[ld->os_shstrtab].size = n;
}

/* ---------------------------------------------------------------- build-id */


typedef struct IdJob {
    Hash128 *chunks;
} IdJob;

/* Hashes 16 chunks (a MiB). */
static void hash_chunk(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)tid;
    IdJob *job = ctx;
    for (uint64_t c = (uint64_t)i * 16; c < (uint64_t)i * 16 + 16; c++) {
        uint64_t lo = c * BUILD_ID_CHUNK;
        if (lo >= ld->file_size)
            break;
        job->chunks[c] = hash128(ld->out + lo, MIN((uint64_t)BUILD_ID_CHUNK, ld->file_size - lo));
    }
}

void output_write_build_id(Ld *ld)
{
    if (ld->os_build_id == LD_NONE)
        return;
    uint8_t *desc = ld->out + ld->osecs.data[ld->os_build_id].offset + 16;
    uint32_t len = ld->build_id_len;
    if (ld->opt->build_id == LD_BUILD_ID_HEX) {
        memcpy(desc, ld->build_id_bytes, len);
        return;
    }
    if (ld->opt->build_id == LD_BUILD_ID_UUID && ld->incr && ld->incr->mode == INCR_PLANNED) {
        memcpy(desc, ld->incr->uuid, MIN(len, sizeof ld->incr->uuid));  /* random: the output's */
        return;
    }
    if (ld->opt->build_id == LD_BUILD_ID_UUID) {
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        ssize_t got = fd >= 0 ? read(fd, desc, len) : -1;
        if (fd >= 0)
            close(fd);
        if (got != (ssize_t)len) {
            Hash128 h = hash128(&(uint64_t){clock_ns()}, 8);
            memcpy(desc, &h, MIN(len, sizeof h));
        }
        desc[6] = (desc[6] & 0x0f) | 0x40;  /* version 4 */
        desc[8] = (desc[8] & 0x3f) | 0x80;  /* RFC 4122 variant */
        return;
    }
    uint32_t n = (uint32_t)((ld->file_size + BUILD_ID_CHUNK - 1) / BUILD_ID_CHUNK);
    IdJob job = {arena_new(&ld->arena, Hash128, n + 1)};
    ld_parallel(ld, (n + 15) / 16, hash_chunk, &job);
    output_build_id_from_chunks(job.chunks, n, desc, len);
    ld->id_chunks = job.chunks;
    ld->nid_chunks = n;
}

void output_build_id_from_chunks(const Hash128 *chunks, uint32_t n, uint8_t *desc, uint32_t len)
{
    Hash128 a = hash128(chunks, sizeof(Hash128) * n);
    uint8_t id[32];
    memcpy(id, &a, 16);
    Hash128 b = hash128(&a, sizeof a);  /* more bytes for the 20-byte style */
    memcpy(id + 16, &b, 16);
    memcpy(desc, id, len);
}

/* ---------------------------------------------------------------- the file */

/* The output is built in anonymous memory (populated in one call, with huge pages
 * where the kernel has them) and written with pwrite, range by range, on the worker
 * threads: cheaper than a fault per page of a shared file mapping, and the gaps
 * between segments stay sparse holes. The temp file is created first, so an
 * unwritable directory fails before any work is done. */
/* The file this link writes: the output, or the verify file of a PLANNED link. */
static const char *output_path(const Ld *ld)
{
    if (ld->incr && ld->incr->out_path)
        return ld->incr->out_path;
    return ld->opt->output ? ld->opt->output : "a.out";
}

bool output_open(Ld *ld, char **tmp_path)
{
    const char *out = output_path(ld);
    struct stat st;
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode)) {
        ld_error(ld, "cannot open output file `%s`: is a directory", out);
        return false;
    }
    char *tmp = xasprintf("%s.relink-tmp-%d-%lx", out, (int)getpid(), (unsigned long)(uintptr_t)ld);
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0777);
    if (fd < 0) {
        ld_error(ld, "cannot open output file `%s`: %s", out, strerror(errno));
        xfree(tmp);
        return false;
    }
    if (ftruncate(fd, (off_t)ld->file_size) < 0) {
        ld_error(ld, "cannot write output file `%s`: %s", out, strerror(errno));
        close(fd);
        unlink(tmp);
        xfree(tmp);
        return false;
    }
    void *p = mmap(NULL, ld->file_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        ld_error(ld, "cannot allocate %lu bytes for output file `%s`: %s", (unsigned long)ld->file_size, out,
                 strerror(errno));
        close(fd);
        unlink(tmp);
        xfree(tmp);
        return false;
    }
    madvise(p, ld->file_size, MADV_HUGEPAGE);
    ld->out = p;
    ld->out_fd = fd;
    *tmp_path = tmp;
    return true;
}

/* A byte range of the file to write. */
typedef struct WriteRange {
    uint64_t off, len;
} WriteRange;

static int cmp_range(const void *a, const void *b)
{
    const WriteRange *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

enum { WRITE_CHUNK = 4 << 20, WRITE_MERGE_GAP = 64 << 10 };

typedef struct WriteJob {
    WriteRange *chunks;
    int error;  /* first errno, atomic */
} WriteJob;

static void write_chunk(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)tid;
    WriteJob *job = ctx;
    WriteRange r = job->chunks[i];
    while (r.len) {
        ssize_t w = pwrite(ld->out_fd, ld->out + r.off, r.len, (off_t)r.off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO, zero = 0;
            __atomic_compare_exchange_n(&job->error, &zero, e, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
            return;
        }
        r.off += (uint64_t)w;
        r.len -= (uint64_t)w;
    }
}

uint64_t output_extent(const OutSec *os)
{
    if (os->elastic && !os->packed && (os->kind == OSEC_REGULAR || os->kind == OSEC_EH_FRAME || os->kind == OSEC_STRTAB))
        return os->tail;
    return os->size;
}

/* Writes everything but the holes: headers, sections with contents, section headers. */
static bool write_file(Ld *ld)
{
    Vec(WriteRange) ranges = {0};
    vec_push(&ranges, ((WriteRange){0, sizeof(Elf64_Ehdr) + (uint64_t)ld->segs.len * sizeof(Elf64_Phdr)}));
    for (uint32_t i = 0; i < ld->osec_order.len; i++) {
        const OutSec *os = &ld->osecs.data[ld->osec_order.data[i]];
        uint64_t n = output_extent(os);
        if (os->type != SHT_NOBITS && n)
            vec_push(&ranges, ((WriteRange){os->offset, n}));
    }
    vec_push(&ranges, ((WriteRange){ld->shoff, ld->file_size - ld->shoff}));
    qsort(ranges.data, ranges.len, sizeof(WriteRange), cmp_range);
    /* Merge ranges separated by small gaps, then cut into chunks for the threads. */
    Vec(WriteRange) chunks = {0};
    WriteRange cur = ranges.data[0];
    for (uint32_t i = 1; i <= ranges.len; i++) {
        if (i < ranges.len && ranges.data[i].off <= cur.off + cur.len + WRITE_MERGE_GAP) {
            uint64_t end = MAX(cur.off + cur.len, ranges.data[i].off + ranges.data[i].len);
            cur.len = end - cur.off;
            continue;
        }
        for (uint64_t o = 0; o < cur.len; o += WRITE_CHUNK)
            vec_push(&chunks, ((WriteRange){cur.off + o, MIN((uint64_t)WRITE_CHUNK, cur.len - o)}));
        if (i < ranges.len)
            cur = ranges.data[i];
    }
    WriteJob job = {chunks.data, 0};
    ld_parallel(ld, chunks.len, write_chunk, &job);
    vec_free(&ranges);
    vec_free(&chunks);
    if (job.error) {
        ld_error(ld, "cannot write output file `%s`: %s", output_path(ld), strerror(job.error));
        return false;
    }
    return true;
}

/* Keeps a second name for the existing output, so that renaming the new file over it
 * does not free the old file's blocks inside the rename (tens of milliseconds for a
 * large file): the caller frees them later through LdReport.stale_output. */
static void keep_old_output(Ld *ld, const char *out)
{
    char *aside = xasprintf("%s.relink-old-%d-%lx", out, (int)getpid(), (unsigned long)(uintptr_t)ld);
    if (link(out, aside) == 0)
        ld->report->stale_output = aside;
    else
        xfree(aside);
}

bool output_commit(Ld *ld, const char *tmp_path)
{
    const char *out = output_path(ld);
    ld_write_point(ld, "write the new output");
    bool ok = write_file(ld);
    munmap(ld->out, ld->file_size);
    ld->out = NULL;
    if (close(ld->out_fd) < 0 && ok) {
        ld_error(ld, "cannot write output file `%s`: %s", out, strerror(errno));
        ok = false;
    }
    ld->out_fd = -1;
    if (!ok) {
        unlink(tmp_path);
        return false;
    }
    bool planned = ld->incr && ld->incr->mode == INCR_PLANNED;
    if (ld->incr && !planned)
        incr_forget(out);  /* the old state describes the old output */
    if (!planned)
        keep_old_output(ld, out);
    ld_write_point(ld, "rename the new output");
    if (rename(tmp_path, out) < 0) {
        ld_error(ld, "cannot write output file `%s`: %s", out, strerror(errno));
        unlink(tmp_path);
        return false;
    }
    return true;
}

void output_abort(Ld *ld, const char *tmp_path)
{
    if (ld->out) {
        munmap(ld->out, ld->file_size);
        ld->out = NULL;
    }
    if (ld->out_fd >= 0) {
        close(ld->out_fd);
        ld->out_fd = -1;
    }
    if (tmp_path)
        unlink(tmp_path);
}

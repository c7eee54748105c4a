/*
 * backend/obj.c — the ELF64 relocatable object writer (libelf).
 *
 * One object per module. Sections, in this order:
 *   per function      .text.<sym>            its code (SHF_ALLOC|SHF_EXECINSTR)
 *                     .rela.text.<sym>       when it has relocations
 *                     .rodata.<sym>.loc      its panic locations (layout in backend.h)
 *                     .rela.rodata.<sym>.loc
 *                     its own data items, as below
 *   per data item     .rodata.<sym> or .data.<sym>, and .rela.<that> when it has any
 *   then              .note.GNU-stack (a non-executable stack), .symtab, .strtab,
 *                     .shstrtab
 * Symbols: the null symbol, an STT_FILE symbol when the module names its source, a
 * section symbol per location section (the code refers to its records through it),
 * then local functions and data, then global ones in record order, then the undefined
 * symbols in the order the relocations first name them. A relocation section's name
 * ends with its target's name, which therefore shares the bytes in .shstrtab.
 *
 * The same ObjModule always yields the same bytes: nothing depends on time, addresses
 * or hash-table order. A module of SHN_LORESERVE sections or more gets extended section
 * numbering: e_shnum 0 and e_shstrndx SHN_XINDEX with the real values in section 0's
 * sh_size and sh_link, and a .symtab_shndx section holding the section index of every
 * symbol whose st_shndx is SHN_XINDEX.
 */
#include "backend/backend.h"

#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A symbol-table index per Sym: open addressing, keys are Syms (never 0). */
typedef struct SymIndex {
    Sym *keys;
    uint32_t *values;
    uint32_t size, count;
} SymIndex;

static uint32_t *sym_index_slot(SymIndex *t, Sym key)
{
    uint32_t mask = t->size - 1, h = (uint32_t)hash64(&key, sizeof key) & mask;
    while (t->keys[h] && t->keys[h] != key)
        h = (h + 1) & mask;
    return &t->values[h];
}

static bool sym_index_get(SymIndex *t, Sym key, uint32_t *value)
{
    uint32_t *slot = sym_index_slot(t, key);
    if (!t->keys[slot - t->values])
        return false;
    *value = *slot;
    return true;
}

/* Adds key; returns false when it was already there. */
static bool sym_index_add(SymIndex *t, Sym key, uint32_t value, Arena *arena)
{
    if ((t->count + 1) * 2 > t->size) {
        SymIndex bigger = {arena_new(arena, Sym, t->size ? t->size * 2 : 256), NULL,
                           t->size ? t->size * 2 : 256, 0};
        bigger.values = arena_new(arena, uint32_t, bigger.size);
        for (uint32_t i = 0; i < t->size; i++)
            if (t->keys[i])
                sym_index_add(&bigger, t->keys[i], t->values[i], arena);
        *t = bigger;
    }
    uint32_t *slot = sym_index_slot(t, key);
    if (t->keys[slot - t->values])
        return false;
    t->keys[slot - t->values] = key;
    *slot = value;
    t->count++;
    return true;
}

/* One section to write. */
typedef struct Section {
    uint32_t name;        /* offset in .shstrtab */
    uint32_t type, flags;
    uint32_t link, info;
    uint64_t align, entsize;
    const void *bytes;
    uint64_t size;
    Elf_Type data_type;
} Section;

typedef struct Writer {
    const ObjModule *m;
    Arena arena;                /* everything below, freed when the file is written */
    Vec(Section) sections;      /* index 0 is the null section (never written) */
    Vec(Elf64_Sym) syms;
    Vec(uint32_t) xindex;       /* section index of each symbol, for .symtab_shndx */
    StrBuf strtab, shstrtab;
    SymIndex index;             /* defined and undefined symbols */
    uint32_t symtab;            /* section index of .symtab */
    uint32_t symtab_shndx;      /* section index of .symtab_shndx, 0 when not needed */
} Writer;

static uint32_t add_section(Writer *w, Section s)
{
    vec_push(&w->sections, s);
    return w->sections.len - 1;
}

/* ".rela" + prefix + name: returns the offset of the whole string, whose tail after
 * ".rela" names the section itself. */
static uint32_t section_names(Writer *w, const char *prefix, Sym name, const char *suffix)
{
    uint32_t at = (uint32_t)w->shstrtab.len;
    sb_printf(&w->shstrtab, ".rela%s%s%s", prefix, sym_str(w->m->names, name), suffix);
    sb_putc(&w->shstrtab, 0);
    return at;
}

static uint32_t add_string(StrBuf *sb, const char *s)
{
    uint32_t at = (uint32_t)sb->len;
    sb_puts(sb, s);
    sb_putc(sb, 0);
    return at;
}

/* Appends a symbol; shndx may be any section index (or SHN_UNDEF, SHN_ABS). */
static void push_symbol(Writer *w, uint32_t name, unsigned bind, unsigned type, uint32_t shndx,
                        uint64_t size)
{
    bool special = shndx == SHN_UNDEF || shndx == SHN_ABS;
    bool extended = !special && shndx >= SHN_LORESERVE;
    vec_push(&w->syms, ((Elf64_Sym){
                           .st_name = name,
                           .st_info = (unsigned char)ELF64_ST_INFO(bind, type),
                           .st_shndx = (Elf64_Half)(extended ? SHN_XINDEX : shndx),
                           .st_size = size,
                       }));
    vec_push(&w->xindex, extended ? shndx : 0);
}

static void add_symbol(Writer *w, Sym name, unsigned bind, unsigned type, uint32_t shndx,
                       uint64_t size)
{
    if (!sym_index_add(&w->index, name, w->syms.len, &w->arena))
        die("symbol %s defined twice in one module", sym_str(w->m->names, name));
    push_symbol(w, add_string(&w->strtab, sym_str(w->m->names, name)), bind, type, shndx, size);
}

/* ---------------------------------------------------------------- planning */

/* Where each record's sections went. */
typedef struct Placed {
    uint32_t section;      /* its code or data */
    uint32_t rela;         /* 0 when none */
    uint32_t loc, loc_rela, loc_symbol;
} Placed;

/* The .rela section of section `target`, named by the string at `names`. */
static uint32_t add_rela_section(Writer *w, uint32_t names, uint32_t target)
{
    return add_section(w, (Section){.name = names, .type = SHT_RELA, .flags = SHF_INFO_LINK,
                                    .info = target, .align = 8, .entsize = sizeof(Elf64_Rela),
                                    .data_type = ELF_T_RELA});
}

static void place_data(Writer *w, const CodeData *d, Placed *p)
{
    const char *prefix = d->writable ? ".data." : ".rodata.";
    uint32_t names = section_names(w, prefix, d->name, "");
    p->section = add_section(w, (Section){
                                    .name = names + 5,
                                    .type = SHT_PROGBITS,
                                    .flags = SHF_ALLOC | (d->writable ? SHF_WRITE : 0),
                                    .align = d->align,
                                    .bytes = d->bytes,
                                    .size = d->size,
                                    .data_type = ELF_T_BYTE,
                                });
    p->rela = d->nrelocs ? add_rela_section(w, names, p->section) : 0;
}

static void place_func(Writer *w, const CodeFunc *f, Placed *p, Placed *data)
{
    uint32_t names = section_names(w, ".text.", f->name, "");
    p->section = add_section(w, (Section){
                                    .name = names + 5,
                                    .type = SHT_PROGBITS,
                                    .flags = SHF_ALLOC | SHF_EXECINSTR,
                                    .align = f->align,
                                    .bytes = f->code,
                                    .size = f->size,
                                    .data_type = ELF_T_BYTE,
                                });
    p->rela = f->nrelocs ? add_rela_section(w, names, p->section) : 0;
    if (f->nlocs) {
        names = section_names(w, ".rodata.", f->name, ".loc");
        p->loc = add_section(w, (Section){.name = names + 5, .type = SHT_PROGBITS,
                                          .flags = SHF_ALLOC, .align = 8,
                                          .data_type = ELF_T_BYTE});
        p->loc_rela = add_rela_section(w, names, p->loc);
    }
    for (uint32_t i = 0; i < f->ndata; i++)
        place_data(w, &f->data[i], &data[i]);
}

/* ---------------------------------------------------------------- contents */

static void add_rela(Writer *w, uint32_t rela_section, const CodeReloc *relocs, uint32_t n,
                     uint32_t loc_symbol)
{
    Elf64_Rela *out = arena_new(&w->arena, Elf64_Rela, n);
    for (uint32_t i = 0; i < n; i++) {
        const CodeReloc *r = &relocs[i];
        uint32_t sym = loc_symbol;
        if (!r->to_locs && !sym_index_get(&w->index, r->sym, &sym))
            unreachable(); /* every target was added as defined or undefined */
        out[i] = (Elf64_Rela){r->offset, ELF64_R_INFO(sym, reloc_info[r->kind].elf_type),
                              r->addend};
    }
    Section *s = &w->sections.data[rela_section];
    s->bytes = out;
    s->size = sizeof(Elf64_Rela) * n;
}

/* The location records of f and the distinct file names after them. */
static void add_locs(Writer *w, const CodeFunc *f, const Placed *p)
{
    const Interner *names = w->m->names;
    Vec(Sym) files = {0};
    uint32_t *file_of = arena_new(&w->arena, uint32_t, f->nlocs);
    for (uint32_t i = 0; i < f->nlocs; i++) {
        uint32_t k = 0;
        while (k < files.len && files.data[k] != f->locs[i].file)
            k++;
        if (k == files.len)
            vec_push(&files, f->locs[i].file);
        file_of[i] = k;
    }
    uint64_t size = (uint64_t)f->nlocs * CODE_LOC_SIZE;
    uint64_t *file_at = arena_new(&w->arena, uint64_t, files.len);
    for (uint32_t k = 0; k < files.len; k++) {
        file_at[k] = size;
        size += sym_len(names, files.data[k]);
    }
    uint8_t *bytes = arena_zalloc(&w->arena, size);
    CodeReloc *relocs = arena_new(&w->arena, CodeReloc, f->nlocs);
    for (uint32_t i = 0; i < f->nlocs; i++) {
        uint8_t *rec = bytes + (size_t)i * CODE_LOC_SIZE;
        uint64_t len = sym_len(names, f->locs[i].file);
        memcpy(rec + 8, &len, 8);
        memcpy(rec + 16, &f->locs[i].line, 4);
        memcpy(rec + 20, &f->locs[i].col, 4);
        relocs[i] = (CodeReloc){i * CODE_LOC_SIZE, RELOC_64, true, 0,
                                (int64_t)file_at[file_of[i]]};
    }
    for (uint32_t k = 0; k < files.len; k++)
        memcpy(bytes + file_at[k], sym_str(names, files.data[k]), sym_len(names, files.data[k]));
    vec_free(&files);
    Section *s = &w->sections.data[p->loc];
    s->bytes = bytes;
    s->size = size;
    add_rela(w, p->loc_rela, relocs, f->nlocs, p->loc_symbol);
}

static void add_undefined(Writer *w, const CodeReloc *relocs, uint32_t n)
{
    uint32_t dummy;
    for (uint32_t i = 0; i < n; i++)
        if (!relocs[i].to_locs && !sym_index_get(&w->index, relocs[i].sym, &dummy))
            add_symbol(w, relocs[i].sym, STB_GLOBAL, STT_NOTYPE, SHN_UNDEF, 0);
}

/* ---------------------------------------------------------------- writing */

static bool fail(char **err, const char *path, const char *what)
{
    *err = xasprintf("could not write `%s`: %s", path, what);
    return false;
}

/* Hands the planned sections to libelf and writes the file behind fd (with write(2):
 * libelf's mmap mode ends with a synchronous msync, a disk write on every object). */
static bool write_elf(Writer *w, int fd, const char *path, char **err)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(err, path, elf_errmsg(-1));
    Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
    if (!e)
        return fail(err, path, elf_errmsg(-1));
    bool ok = false;
    GElf_Ehdr eh;
    if (!gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh))
        goto out;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh.e_type = ET_REL;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    uint32_t shstrndx = w->sections.len - 1;
    eh.e_shstrndx = (Elf64_Half)(shstrndx < SHN_LORESERVE ? shstrndx : SHN_XINDEX);
    if (!gelf_update_ehdr(e, &eh))
        goto out;
    for (uint32_t i = 1; i < w->sections.len; i++) {
        const Section *s = &w->sections.data[i];
        Elf_Scn *scn = elf_newscn(e);
        if (!scn || elf_ndxscn(scn) != i)
            goto out;
        Elf_Data *d = elf_newdata(scn);
        if (!d)
            goto out;
        d->d_buf = (void *)s->bytes;
        d->d_size = s->size;
        d->d_type = s->data_type;
        d->d_align = s->align ? s->align : 1;
        d->d_version = EV_CURRENT;
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            goto out;
        sh.sh_name = s->name;
        sh.sh_type = s->type;
        sh.sh_flags = s->flags;
        sh.sh_link = s->link;
        sh.sh_info = s->info;
        sh.sh_addralign = s->align ? s->align : 1;
        sh.sh_entsize = s->entsize;
        if (!gelf_update_shdr(scn, &sh))
            goto out;
    }
    if (shstrndx >= SHN_LORESERVE) {
        /* extended numbering: the real index goes to section 0 (libelf does e_shnum) */
        GElf_Shdr sh0;
        Elf_Scn *scn0 = elf_getscn(e, 0);
        if (!scn0 || !gelf_getshdr(scn0, &sh0))
            goto out;
        sh0.sh_link = shstrndx;
        if (!gelf_update_shdr(scn0, &sh0))
            goto out;
    }
    ok = elf_update(e, ELF_C_WRITE) >= 0;
out:
    if (!ok)
        fail(err, path, elf_errmsg(-1));
    elf_end(e);
    return ok;
}

/* Lays out sections and symbols of the module in w. */
static void build(Writer *w)
{
    const ObjModule *m = w->m;
    Placed *funcs = arena_new(&w->arena, Placed, m->nfuncs);
    Placed **fdata = arena_new(&w->arena, Placed *, m->nfuncs);
    Placed *data = arena_new(&w->arena, Placed, m->ndata);
    sb_putc(&w->shstrtab, 0);
    sb_putc(&w->strtab, 0);
    vec_push(&w->sections, ((Section){0}));
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        fdata[i] = arena_new(&w->arena, Placed, m->funcs[i]->ndata);
        place_func(w, m->funcs[i], &funcs[i], fdata[i]);
    }
    for (uint32_t i = 0; i < m->ndata; i++)
        place_data(w, m->data[i], &data[i]);
    add_section(w, (Section){.name = add_string(&w->shstrtab, ".note.GNU-stack"),
                             .type = SHT_PROGBITS, .data_type = ELF_T_BYTE});
    w->symtab = add_section(w, (Section){.name = add_string(&w->shstrtab, ".symtab"),
                                         .type = SHT_SYMTAB, .align = 8,
                                         .entsize = sizeof(Elf64_Sym),
                                         .data_type = ELF_T_SYM});
    if (w->sections.len + 2 >= SHN_LORESERVE)
        w->symtab_shndx = add_section(w, (Section){
                                             .name = add_string(&w->shstrtab, ".symtab_shndx"),
                                             .type = SHT_SYMTAB_SHNDX, .align = 4,
                                             .entsize = sizeof(Elf32_Word), .link = w->symtab,
                                             .data_type = ELF_T_WORD});
    uint32_t strtab = add_section(w, (Section){.name = add_string(&w->shstrtab, ".strtab"),
                                               .type = SHT_STRTAB, .data_type = ELF_T_BYTE});
    add_section(w, (Section){.name = add_string(&w->shstrtab, ".shstrtab"),
                             .type = SHT_STRTAB, .data_type = ELF_T_BYTE});

    /* symbols: null, file, location sections, locals, globals, undefined */
    push_symbol(w, 0, STB_LOCAL, STT_NOTYPE, SHN_UNDEF, 0);
    if (m->file_name)
        push_symbol(w, add_string(&w->strtab, m->file_name), STB_LOCAL, STT_FILE, SHN_ABS, 0);
    for (uint32_t i = 0; i < m->nfuncs; i++)
        if (funcs[i].loc) {
            funcs[i].loc_symbol = w->syms.len;
            push_symbol(w, 0, STB_LOCAL, STT_SECTION, funcs[i].loc, 0);
        }
    for (int pass = 0; pass < 2; pass++) {
        bool local = pass == 0;
        unsigned bind = local ? STB_LOCAL : STB_GLOBAL;
        for (uint32_t i = 0; i < m->nfuncs; i++) {
            const CodeFunc *f = m->funcs[i];
            if (f->local == local)
                add_symbol(w, f->name, bind, STT_FUNC, funcs[i].section, f->size);
            for (uint32_t k = 0; k < f->ndata; k++)
                if (f->data[k].local == local)
                    add_symbol(w, f->data[k].name, bind, STT_OBJECT, fdata[i][k].section,
                               f->data[k].size);
        }
        for (uint32_t i = 0; i < m->ndata; i++)
            if (m->data[i]->local == local)
                add_symbol(w, m->data[i]->name, bind, STT_OBJECT, data[i].section,
                           m->data[i]->size);
        if (local)
            w->sections.data[w->symtab].info = w->syms.len; /* first global */
    }
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        const CodeFunc *f = m->funcs[i];
        add_undefined(w, f->relocs, f->nrelocs);
        for (uint32_t k = 0; k < f->ndata; k++)
            add_undefined(w, f->data[k].relocs, f->data[k].nrelocs);
    }
    for (uint32_t i = 0; i < m->ndata; i++)
        add_undefined(w, m->data[i]->relocs, m->data[i]->nrelocs);

    /* relocations and location records, now that every symbol has its index */
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        const CodeFunc *f = m->funcs[i];
        if (funcs[i].rela)
            add_rela(w, funcs[i].rela, f->relocs, f->nrelocs, funcs[i].loc_symbol);
        if (funcs[i].loc)
            add_locs(w, f, &funcs[i]);
        for (uint32_t k = 0; k < f->ndata; k++)
            if (fdata[i][k].rela)
                add_rela(w, fdata[i][k].rela, f->data[k].relocs, f->data[k].nrelocs, 0);
    }
    for (uint32_t i = 0; i < m->ndata; i++)
        if (data[i].rela)
            add_rela(w, data[i].rela, m->data[i]->relocs, m->data[i]->nrelocs, 0);

    vec_foreach(&w->sections, s) if (s->type == SHT_RELA) s->link = w->symtab;
    Section *symtab = &w->sections.data[w->symtab];
    symtab->link = strtab;
    symtab->bytes = w->syms.data;
    symtab->size = sizeof(Elf64_Sym) * w->syms.len;
    if (w->symtab_shndx) {
        w->sections.data[w->symtab_shndx].bytes = w->xindex.data;
        w->sections.data[w->symtab_shndx].size = sizeof(uint32_t) * w->xindex.len;
    }
    w->sections.data[strtab].bytes = w->strtab.data;
    w->sections.data[strtab].size = w->strtab.len;
    Section *shstrtab = &vec_last(&w->sections);
    shstrtab->bytes = w->shstrtab.data;
    shstrtab->size = w->shstrtab.len;
}

/* The object's bytes, through libelf into an anonymous memory file. */
static bool image(Writer *w, const char *path, uint8_t **bytes, size_t *len, char **err)
{
    int fd = memfd_create("relink-object", MFD_CLOEXEC);
    if (fd < 0)
        return fail(err, path, strerror(errno));
    bool ok = write_elf(w, fd, path, err);
    off_t size = ok ? lseek(fd, 0, SEEK_END) : 0;
    if (ok && size < 0)
        ok = fail(err, path, strerror(errno));
    if (ok) {
        *len = (size_t)size;
        *bytes = xmalloc(*len + 1);
        size_t done = 0;
        while (ok && done < *len) {
            ssize_t r = pread(fd, *bytes + done, *len - done, (off_t)done);
            if (r <= 0)
                ok = fail(err, path, r < 0 ? strerror(errno) : "short read of the object image");
            else
                done += (size_t)r;
        }
        if (!ok)
            xfree(*bytes);
    }
    close(fd);
    return ok;
}

bool obj_image(const ObjModule *m, const char *path, uint8_t **bytes, size_t *len, char **err)
{
    Writer w = {.m = m};
    arena_init(&w.arena);
    build(&w);
    bool ok = image(&w, path, bytes, len, err);
    vec_free(&w.sections);
    vec_free(&w.syms);
    vec_free(&w.xindex);
    sb_free(&w.strtab);
    sb_free(&w.shstrtab);
    arena_free(&w.arena);
    return ok;
}

/* True when the file at path holds exactly len bytes equal to bytes. */
static bool same_file(const char *path, const uint8_t *bytes, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != len)
        return false;
    char *old, *err;
    size_t old_len;
    if (!file_read(path, &old, &old_len, &err)) {
        xfree(err);
        return false;
    }
    bool same = old_len == len && memcmp(old, bytes, len) == 0;
    xfree(old);
    return same;
}

bool obj_write_if_changed(const ObjModule *m, const char *path, bool *written, char **err)
{
    uint8_t *bytes;
    size_t len;
    *written = false;
    if (!obj_image(m, path, &bytes, &len, err))
        return false;
    bool ok = true;
    if (!same_file(path, bytes, len)) {
        ok = file_write_cache(path, bytes, len, err);
        *written = ok;
    }
    xfree(bytes);
    return ok;
}

bool obj_write(const ObjModule *m, const char *path, char **err)
{
    bool written;
    return obj_write_if_changed(m, path, &written, err);
}

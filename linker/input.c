/*
 * linker/input.c — opening inputs and reading them, every read bounds-checked.
 *
 * Inputs are mapped (or used in place when the caller passed bytes) and recognised by
 * magic: "\177ELF" (a relocatable object), "!<arch>\n" / "!<thin>\n" (an archive), and
 * anything else that parses as a small GNU linker script (GROUP, INPUT, AS_NEEDED,
 * OUTPUT_FORMAT, OUTPUT_ARCH, SEARCH_DIR, ENTRY) — glibc's libm.a is such a script.
 *
 * Archive format (ar): "!<arch>\n", then members, each a 60-byte header
 *   name[16] date[12] uid[6] gid[6] mode[8] size[10] "`\n"
 * followed by size bytes, padded to an even offset. Special members: "/" (the GNU
 * symbol index: big-endian u32 count, count u32 member offsets, count NUL-terminated
 * names), "/SYM64/" (the same with u64 count and offsets), "//" (long names, each
 * ended by "/\n", referred to as "/<offset>"). "name/" is a short name. A thin archive
 * ("!<thin>\n") stores only headers: member data is the file named by the member name,
 * relative to the archive's directory. An archive without an index is indexed here by
 * reading every member's symbol table.
 *
 * An object is parsed into its section headers, symbol table and the InSecs that may
 * reach the output; every offset, size, index and name is checked against the file
 * before use, and a failure names the file ("truncated or corrupt: ...").
 */
#include "linker/ld.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef SHT_LLVM_ADDRSIG
#define SHT_LLVM_ADDRSIG 0x6fff4c03
#endif

enum { MAX_SCRIPT_DEPTH = 16 };

/* ---------------------------------------------------------------- mapping files */

/* Records a file the link read (for the incremental state); returns its index. */
static uint32_t add_loaded(Ld *ld, LdLoaded l)
{
    vec_push(&ld->loaded, l);
    return ld->loaded.len - 1;
}

/* Maps path read-only; returns false with an error recorded. *loaded gets its index
 * in Ld.loaded. */
static bool map_file(Ld *ld, const char *path, const uint8_t **data, size_t *size, uint32_t *loaded)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ld_error(ld, "cannot open `%s`: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        ld_error(ld, "cannot open `%s`: %s", path, strerror(errno));
        close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        ld_error(ld, "cannot open `%s`: %s", path, S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
        close(fd);
        return false;
    }
    if (st.st_size == 0) {
        ld_error(ld, "`%s`: file is empty", path);
        close(fd);
        return false;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        ld_error(ld, "cannot map `%s`: %s", path, strerror(errno));
        return false;
    }
    vec_push(&ld->maps, p);
    vec_push(&ld->map_sizes, (size_t)st.st_size);
    *data = p;
    *size = (size_t)st.st_size;
    *loaded = add_loaded(ld, (LdLoaded){.path = path, .data = p, .size = (size_t)st.st_size, .dev = st.st_dev,
                                        .ino = st.st_ino,
                                        .mtime_ns = (uint64_t)st.st_mtim.tv_sec * 1000000000u +
                                                    (uint64_t)st.st_mtim.tv_nsec});
    return true;
}

/* ---------------------------------------------------------------- object parsing */

/* Records the first error of a file: "`name`: <what><message>". Returns false. */
static bool file_error(LdFile *f, const char *what, const char *fmt, va_list ap)
{
    if (f->error)
        return false;
    StrBuf sb = {0};
    sb_printf(&sb, "`%s`: %s", f->name, what);
    sb_vprintf(&sb, fmt, ap);
    f->error = sb.data;
    return false;
}

/* Input that breaks the format: truncated, out-of-range offsets, bad tables. */
static bool corrupt(LdFile *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool corrupt(LdFile *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    file_error(f, "truncated or corrupt: ", fmt, ap);
    va_end(ap);
    return false;
}

/* Well-formed input that relink does not link (another machine, a shared library). */
static bool refuse(LdFile *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool refuse(LdFile *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    file_error(f, "", fmt, ap);
    va_end(ap);
    return false;
}

/* True when [off, off+len) lies inside a buffer of size bytes (no overflow). */
static bool in_bounds(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* Returns p when 8-aligned, else a copy of its len bytes in the arena. */
static const void *aligned(Arena *arena, const void *p, size_t len)
{
    if (((uintptr_t)p & 7) == 0)
        return p;
    void *copy = arena_alloc(arena, len ? len : 1);
    memcpy(copy, p, len);
    return copy;
}

static const char *machine_name(uint16_t m)
{
    switch (m) {
    case EM_386: return "EM_386";
    case EM_ARM: return "EM_ARM";
    case EM_AARCH64: return "EM_AARCH64";
    case EM_RISCV: return "EM_RISCV";
    case EM_PPC64: return "EM_PPC64";
    case EM_S390: return "EM_S390";
    default: return "an unknown machine";
    }
}

uint32_t input_sym_shndx(const LdFile *f, const Elf64_Sym *esym, uint32_t i)
{
    if (esym->st_shndx == SHN_XINDEX)
        return f->xindex ? f->xindex[i] : 0;
    if (esym->st_shndx >= SHN_LORESERVE)
        return esym->st_shndx;  /* SHN_ABS, SHN_COMMON */
    return esym->st_shndx;
}

/* Decides whether a section may reach the output, records what the linker needs
 * from those that do not. Returns false for sections that never become InSecs. */
static bool keep_section(Ld *ld, LdFile *f, const Elf64_Shdr *sh, const char *name)
{
    switch (sh->sh_type) {
    case SHT_NULL: case SHT_SYMTAB: case SHT_STRTAB: case SHT_RELA: case SHT_REL:
    case SHT_GROUP: case SHT_SYMTAB_SHNDX: case SHT_LLVM_ADDRSIG:
        return false;
    default:
        break;
    }
    if (strcmp(name, ".note.GNU-stack") == 0) {
        f->has_gnu_stack = true;
        if (sh->sh_flags & SHF_EXECINSTR)
            f->exec_stack = true;
        return false;
    }
    if (sh->sh_flags & SHF_EXCLUDE)
        return false;
    if (strcmp(name, ".note.gnu.property") == 0)  /* per-object x86 feature bits; not merged */
        return false;
    if (strncmp(name, ".gnu.lto_", 9) == 0) {
        f->lto = true;
        return false;
    }
    if (strncmp(name, ".gnu.warning", 12) == 0) {
        f->has_warnings = true;  /* read by resolve.c when the file is linked */
        return false;
    }
    if (strcmp(name, ".comment") == 0 && !(sh->sh_flags & SHF_ALLOC)) {
        f->comment = f->data + sh->sh_offset;
        f->comment_size = sh->sh_size;
        return false;
    }
    if (!(sh->sh_flags & SHF_ALLOC) && (ld->opt->strip_debug || ld->opt->strip_all) &&
        strncmp(name, ".debug", 6) == 0)
        return false;
    return true;
}

bool input_parse_object(Ld *ld, LdFile *f, Arena *arena)
{
    const uint8_t *d = f->data;
    size_t size = f->size;
    f->parsed = true;
    if (size < sizeof(Elf64_Ehdr) || memcmp(d, ELFMAG, SELFMAG) != 0)
        return corrupt(f, "too small for an ELF header");
    if (d[EI_CLASS] != ELFCLASS64)
        return refuse(f, "is a %s ELF file; relink links ELF64 x86-64 objects only",
                      d[EI_CLASS] == ELFCLASS32 ? "32-bit" : "non-64-bit");
    if (d[EI_DATA] != ELFDATA2LSB)
        return refuse(f, "is a big-endian ELF file; relink links ELF64 x86-64 objects only");
    Elf64_Ehdr eh;
    memcpy(&eh, d, sizeof eh);
    if (eh.e_machine != EM_X86_64)
        return refuse(f, "wrong machine: %s (%u); relink links x86-64 objects only",
                      machine_name(eh.e_machine), eh.e_machine);
    if (eh.e_type == ET_DYN)
        return refuse(f, "is a shared object (a shared library or a PIE); relink links relocatable "
                         "objects and archives into static executables");
    if (eh.e_type != ET_REL)
        return refuse(f, "is not a relocatable object (ELF type %u)", eh.e_type);

    /* Section header table. */
    uint64_t shnum = eh.e_shnum;
    if (eh.e_shoff == 0)
        return corrupt(f, "no section header table");
    if (eh.e_shentsize != sizeof(Elf64_Shdr))
        return corrupt(f, "section header size %u, expected %zu", eh.e_shentsize, sizeof(Elf64_Shdr));
    if (!in_bounds(eh.e_shoff, sizeof(Elf64_Shdr), size))
        return corrupt(f, "section header table extends past the end of the file");
    if (shnum == 0) {  /* extended numbering: the count is in section 0 */
        Elf64_Shdr s0;
        memcpy(&s0, d + eh.e_shoff, sizeof s0);
        shnum = s0.sh_size;
    }
    if (shnum == 0 || shnum > (1u << 30) || !in_bounds(eh.e_shoff, shnum * sizeof(Elf64_Shdr), size))
        return corrupt(f, "section header table extends past the end of the file");
    f->nshdr = (uint32_t)shnum;
    f->shdr = aligned(arena, d + eh.e_shoff, shnum * sizeof(Elf64_Shdr));
    const Elf64_Shdr *sh = f->shdr;

    uint32_t shstrndx = eh.e_shstrndx == SHN_XINDEX ? sh[0].sh_link : eh.e_shstrndx;
    if (shstrndx >= shnum)
        return corrupt(f, "section name table index %u out of range", shstrndx);
    for (uint32_t i = 1; i < shnum; i++) {
        if (sh[i].sh_type != SHT_NOBITS && !in_bounds(sh[i].sh_offset, sh[i].sh_size, size))
            return corrupt(f, "section %u extends past the end of the file", i);
        if (sh[i].sh_addralign & (sh[i].sh_addralign - 1))
            return corrupt(f, "section %u has alignment %lu, not a power of two", i,
                           (unsigned long)sh[i].sh_addralign);
    }
    const Elf64_Shdr *ss = &sh[shstrndx];
    if (ss->sh_type != SHT_STRTAB || ss->sh_size == 0 || d[ss->sh_offset + ss->sh_size - 1] != 0)
        return corrupt(f, "bad section name table");
    f->shstrtab = (const char *)d + ss->sh_offset;
    f->shstrtab_size = ss->sh_size;
    for (uint32_t i = 0; i < shnum; i++)
        if (sh[i].sh_name >= f->shstrtab_size)
            return corrupt(f, "section %u has a name outside the name table", i);

    /* Symbol table. */
    uint32_t symtab = 0;
    for (uint32_t i = 1; i < shnum; i++) {
        if (sh[i].sh_type == SHT_SYMTAB) {
            if (symtab)
                return corrupt(f, "more than one symbol table");
            symtab = i;
        }
    }
    f->symtab_shndx = symtab;
    if (symtab) {
        const Elf64_Shdr *st = &sh[symtab];
        if (st->sh_entsize != sizeof(Elf64_Sym) || st->sh_size % sizeof(Elf64_Sym))
            return corrupt(f, "symbol table entry size %lu", (unsigned long)st->sh_entsize);
        if (st->sh_size / sizeof(Elf64_Sym) > UINT32_MAX / 2)
            return corrupt(f, "symbol table too large");
        f->nsym = (uint32_t)(st->sh_size / sizeof(Elf64_Sym));
        if (st->sh_info > f->nsym || (f->nsym && st->sh_info == 0))
            return corrupt(f, "symbol table's first global %u out of range", st->sh_info);
        f->first_global = st->sh_info;
        f->sym = aligned(arena, d + st->sh_offset, st->sh_size);
        if (st->sh_link >= shnum || sh[st->sh_link].sh_type != SHT_STRTAB)
            return corrupt(f, "symbol table's string table index %u is bad", st->sh_link);
        const Elf64_Shdr *str = &sh[st->sh_link];
        if (str->sh_size == 0 || d[str->sh_offset + str->sh_size - 1] != 0)
            return corrupt(f, "symbol string table is not NUL-terminated");
        f->strtab = (const char *)d + str->sh_offset;
        f->strtab_size = str->sh_size;
        for (uint32_t i = 1; i < shnum; i++) {
            if (sh[i].sh_type == SHT_SYMTAB_SHNDX && sh[i].sh_link == symtab) {
                if (sh[i].sh_size < (uint64_t)f->nsym * 4)
                    return corrupt(f, "extended section index table too small");
                f->xindex = aligned(arena, d + sh[i].sh_offset, sh[i].sh_size);
            }
        }
    }

    /* Sections that may reach the output. */
    f->sec_of = arena_new(arena, uint32_t, shnum);
    uint32_t nkeep = 0;
    for (uint32_t i = 1; i < shnum; i++)
        if (keep_section(ld, f, &sh[i], f->shstrtab + sh[i].sh_name))
            f->sec_of[i] = ++nkeep;
    f->secs = arena_new(arena, InSec, nkeep ? nkeep : 1);
    f->nsecs = nkeep;
    for (uint32_t i = 1; i < shnum; i++) {
        if (!f->sec_of[i])
            continue;
        InSec *s = &f->secs[f->sec_of[i] - 1];
        const char *name = f->shstrtab + sh[i].sh_name;
        if (sh[i].sh_flags & SHF_COMPRESSED)
            return refuse(f, "section `%s` is compressed; relink does not support compressed sections", name);
        s->name = name;
        s->data = sh[i].sh_type == SHT_NOBITS ? NULL : d + sh[i].sh_offset;
        s->size = sh[i].sh_size;
        s->out_size = s->size;
        s->flags = sh[i].sh_flags;
        s->type = sh[i].sh_type;
        s->file = f->index;
        s->shndx = i;
        s->osec = LD_NONE;
        s->eh = LD_NONE;
        s->plan = LD_NONE;
        s->live = true;
        uint64_t al = sh[i].sh_addralign ? sh[i].sh_addralign : 1;
        s->p2align = (uint8_t)__builtin_ctzll(al);
        s->kind = (strcmp(name, ".eh_frame") == 0 && (s->flags & SHF_ALLOC)) ? ISEC_EH_FRAME : ISEC_REGULAR;
    }

    /* Relocation sections attach to their targets; groups are kept for COMDAT. */
    uint32_t ngroups = 0;
    for (uint32_t i = 1; i < shnum; i++) {
        if (sh[i].sh_type == SHT_REL)
            return refuse(f, "section %u uses SHT_REL relocations; x86-64 objects use SHT_RELA", i);
        if (sh[i].sh_type == SHT_GROUP)
            ngroups++;
        if (sh[i].sh_type != SHT_RELA)
            continue;
        if (sh[i].sh_info >= shnum)
            return corrupt(f, "relocation section %u targets section %u, out of range", i, sh[i].sh_info);
        if (sh[i].sh_entsize != sizeof(Elf64_Rela) || sh[i].sh_size % sizeof(Elf64_Rela))
            return corrupt(f, "relocation section %u has entry size %lu", i, (unsigned long)sh[i].sh_entsize);
        if (sh[i].sh_size && (sh[i].sh_link != symtab || !symtab))
            return corrupt(f, "relocation section %u does not use the symbol table", i);
        InSec *target = file_sec(f, sh[i].sh_info);
        if (!target)
            continue;  /* relocations of a section we drop */
        if (target->rela)
            return corrupt(f, "section %u has two relocation sections", sh[i].sh_info);
        if (sh[i].sh_size / sizeof(Elf64_Rela) > UINT32_MAX)
            return corrupt(f, "relocation section %u too large", i);
        target->rela = aligned(arena, d + sh[i].sh_offset, sh[i].sh_size);
        target->nrela = (uint32_t)(sh[i].sh_size / sizeof(Elf64_Rela));
    }
    if (ngroups) {
        f->ggroups = arena_new(arena, uint32_t, ngroups);
        for (uint32_t i = 1; i < shnum; i++) {
            if (sh[i].sh_type != SHT_GROUP)
                continue;
            if (sh[i].sh_size < 4 || sh[i].sh_size % 4 || sh[i].sh_link != symtab || !symtab ||
                sh[i].sh_info >= f->nsym)
                return corrupt(f, "bad section group %u", i);
            const uint8_t *g = d + sh[i].sh_offset;
            for (uint64_t k = 4; k < sh[i].sh_size; k += 4)
                if (rd32(g + k) == 0 || rd32(g + k) >= shnum)
                    return corrupt(f, "section group %u names section %u, out of range", i, rd32(g + k));
            f->ggroups[f->nggroups++] = i;
        }
    }

    /* Symbols: names and section indices in range; hashes of global names. */
    for (uint32_t i = 0; i < f->nsym; i++) {
        const Elf64_Sym *es = &f->sym[i];
        if (es->st_name >= f->strtab_size)
            return corrupt(f, "symbol %u has a name outside the string table", i);
        if (es->st_shndx == SHN_XINDEX && !f->xindex)
            return corrupt(f, "symbol %u needs an extended section index table", i);
        uint32_t shndx = input_sym_shndx(f, es, i);
        if (shndx != SHN_UNDEF && shndx != SHN_ABS && shndx != SHN_COMMON && shndx >= shnum)
            return corrupt(f, "symbol %u is in section %u, out of range", i, shndx);
        if (i >= f->first_global && ELF64_ST_BIND(es->st_info) == STB_LOCAL)
            return corrupt(f, "local symbol %u after the first global", i);
    }
    uint32_t nglobal = f->nsym - f->first_global;
    f->gsym = arena_new(arena, uint32_t, nglobal ? nglobal : 1);
    f->ghash = arena_new(arena, uint64_t, nglobal ? nglobal : 1);
    for (uint32_t i = 0; i < nglobal; i++) {
        const char *name = f->strtab + f->sym[f->first_global + i].st_name;
        f->ghash[i] = hash64(name, strlen(name));
    }
    if (f->lto)
        return refuse(f, "is an LTO (GCC IR) object; relink links machine code only (build without -flto)");
    return true;
}

/* ---------------------------------------------------------------- archives */

/* Parses the decimal field of an ar header; false when it is not a number. */
static bool ar_decimal(const uint8_t *p, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    while (i < n && p[i] == ' ')
        i++;
    if (i == n || p[i] < '0' || p[i] > '9')
        return false;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    for (; i < n; i++)
        if (p[i] != ' ')
            return false;
    *out = v;
    return true;
}

typedef struct ArMember {
    const char *name;   /* arena */
    uint64_t data_off;  /* offset of the member's data in the archive (regular archives) */
    uint64_t size;
    uint64_t next;      /* offset of the next header */
} ArMember;

/* Reads the header at off. On error records one and returns false. */
static bool ar_member_at(Ld *ld, LdArchive *ar, uint64_t off, ArMember *m)
{
    if (!in_bounds(off, 60, ar->size)) {
        ld_error(ld, "`%s`: truncated or corrupt: archive member header at %lu extends past the end",
                 ar->path, (unsigned long)off);
        return false;
    }
    const uint8_t *h = ar->data + off;
    if (h[58] != '`' || h[59] != '\n') {
        ld_error(ld, "`%s`: truncated or corrupt: bad archive member header at %lu", ar->path, (unsigned long)off);
        return false;
    }
    if (!ar_decimal(h + 48, 10, &m->size)) {
        ld_error(ld, "`%s`: truncated or corrupt: bad member size at %lu", ar->path, (unsigned long)off);
        return false;
    }
    m->data_off = off + 60;
    /* Name. */
    size_t n = 16;
    while (n > 0 && h[n - 1] == ' ')
        n--;
    bool special = (n == 1 && h[0] == '/') || (n == 2 && h[0] == '/' && h[1] == '/') ||
                   (n == 7 && memcmp(h, "/SYM64/", 7) == 0);
    if (special) {
        m->name = arena_strndup(&ld->arena, (const char *)h, n);
    } else if (h[0] == '/' && n > 1) {
        uint64_t lo;
        if (!ar->longnames || !ar_decimal(h + 1, n - 1, &lo) || lo >= ar->longnames_size) {
            ld_error(ld, "`%s`: truncated or corrupt: bad long member name at %lu", ar->path, (unsigned long)off);
            return false;
        }
        const char *s = ar->longnames + lo, *end = ar->longnames + ar->longnames_size;
        const char *e = s;
        while (e < end && *e != '\n' && *e != 0)
            e++;
        if (e > s && e[-1] == '/')
            e--;
        m->name = arena_strndup(&ld->arena, s, (size_t)(e - s));
    } else if (n > 3 && memcmp(h, "#1/", 3) == 0) {  /* BSD: name follows the header */
        uint64_t len;
        if (!ar_decimal(h + 3, n - 3, &len) || len > m->size || !in_bounds(off + 60, len, ar->size)) {
            ld_error(ld, "`%s`: truncated or corrupt: bad BSD member name at %lu", ar->path, (unsigned long)off);
            return false;
        }
        m->name = arena_strndup(&ld->arena, (const char *)h + 60, strnlen((const char *)h + 60, len));
        m->data_off += len;
        m->size -= len;
    } else {
        if (n > 0 && h[n - 1] == '/')
            n--;
        m->name = arena_strndup(&ld->arena, (const char *)h, n);
    }
    bool inline_data = !ar->thin || special;
    if (inline_data && !in_bounds(m->data_off, m->size, ar->size)) {
        ld_error(ld, "`%s`: truncated or corrupt: member `%s` extends past the end", ar->path, m->name);
        return false;
    }
    uint64_t end = inline_data ? m->data_off + m->size : off + 60;
    m->next = end + (end & 1);
    return true;
}

bool input_member_bytes(const uint8_t *data, size_t size, uint64_t off, const uint8_t **member, size_t *len)
{
    if (size < 8 || memcmp(data, "!<arch>\n", 8) != 0 || !in_bounds(off, 60, size))
        return false;
    const uint8_t *h = data + off;
    uint64_t n, skip = 0;
    if (h[58] != '`' || h[59] != '\n' || !ar_decimal(h + 48, 10, &n))
        return false;
    if (memcmp(h, "#1/", 3) == 0) {  /* BSD: the name follows the header */
        size_t k = 16;
        while (k > 3 && h[k - 1] == ' ')
            k--;
        if (!ar_decimal(h + 3, k - 3, &skip) || skip > n)
            return false;
    }
    if (!in_bounds(off + 60 + skip, n - skip, size))
        return false;
    *member = data + off + 60 + skip;
    *len = n - skip;
    return true;
}

/* Index of the member whose header is at off (binary search), or LD_NONE. */
static uint32_t ar_member_index(const LdArchive *ar, uint64_t off)
{
    uint32_t lo = 0, hi = ar->nmembers;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ar->members[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ar->nmembers && ar->members[lo] == off ? lo : LD_NONE;
}

/* Loads the bytes of a member: inline, or the named file of a thin archive. */
static bool ar_member_data(Ld *ld, LdArchive *ar, const ArMember *m, const uint8_t **data, size_t *size)
{
    if (!ar->thin) {
        *data = ar->data + m->data_off;
        *size = m->size;
        return true;
    }
    const char *path = m->name;
    if (path[0] != '/') {
        const char *slash = strrchr(ar->path, '/');
        if (slash)
            path = arena_printf(&ld->arena, "%.*s/%s", (int)(slash - ar->path), ar->path, m->name);
    }
    uint32_t loaded;
    if (!map_file(ld, path, data, size, &loaded))
        return false;
    ld->loaded.data[loaded].kind = LOADED_THIN_MEMBER;
    return true;
}

uint32_t input_archive_member(Ld *ld, LdArchive *ar, uint32_t mi)
{
    if (ar->member_file[mi] != LD_NONE)
        return ar->member_file[mi];
    ArMember m;
    if (!ar_member_at(ld, ar, ar->members[mi], &m))
        return LD_NONE;
    LdFile *f = arena_new(&ld->arena, LdFile, 1);
    f->name = arena_printf(&ld->arena, "%s(%s)", ar->path, m.name);
    if (!ar_member_data(ld, ar, &m, &f->data, &f->size))
        return LD_NONE;
    f->index = ld->files.len;
    f->order = ar->order | ++ar->extracted;
    f->member_of = ar->path;
    f->member_off = ar->members[mi];
    f->loaded = ar->thin ? ld->loaded.len - 1 : ar->loaded;
    f->plan = LD_NONE;
    vec_push(&ld->files, f);
    ar->member_file[mi] = f->index;
    if (!input_parse_object(ld, f, &ld->arena)) {
        ld_error(ld, "%s", f->error);
        return LD_NONE;
    }
    return f->index;
}

/* Builds the symbol index of an archive that has none, from its members' symbols. */
static void ar_index_members(Ld *ld, LdArchive *ar)
{
    Vec(const char *) names = {0};
    Vec(uint32_t) owner = {0};
    for (uint32_t mi = 0; mi < ar->nmembers; mi++) {
        ArMember m;
        if (!ar_member_at(ld, ar, ar->members[mi], &m))
            continue;
        LdFile tmp = {.name = arena_printf(&ld->arena, "%s(%s)", ar->path, m.name), .index = LD_NONE};
        if (!ar_member_data(ld, ar, &m, &tmp.data, &tmp.size))
            continue;
        if (tmp.size < 4 || memcmp(tmp.data, ELFMAG, 4) != 0)
            continue;  /* not an object: nothing to index */
        if (!input_parse_object(ld, &tmp, &ld->arena)) {
            ld_error(ld, "%s", tmp.error);
            xfree(tmp.error);
            continue;
        }
        for (uint32_t i = tmp.first_global; i < tmp.nsym; i++) {
            const Elf64_Sym *es = &tmp.sym[i];
            if (es->st_shndx == SHN_UNDEF)
                continue;
            vec_push(&names, tmp.strtab + es->st_name);
            vec_push(&owner, mi);
        }
    }
    ar->nsyms = names.len;
    ar->sym_name = arena_new(&ld->arena, const char *, names.len + 1);
    ar->sym_member = arena_new(&ld->arena, uint32_t, names.len + 1);
    if (names.len) {
        memcpy(ar->sym_name, names.data, names.len * sizeof(const char *));
        memcpy(ar->sym_member, owner.data, owner.len * sizeof(uint32_t));
    }
    vec_free(&names);
    vec_free(&owner);
}

/* Reads the GNU symbol index at data/size (word = 4 or 8 bytes, big-endian). */
static bool ar_read_index(Ld *ld, LdArchive *ar, const uint8_t *p, uint64_t size, unsigned word)
{
    if (size < word)
        goto bad;
    uint64_t count = 0;
    for (unsigned k = 0; k < word; k++)
        count = count << 8 | p[k];
    if (count > (size - word) / word)
        goto bad;
    const uint8_t *offs = p + word;
    const char *names = (const char *)offs + count * word;
    const char *end = (const char *)p + size;
    ar->sym_name = arena_new(&ld->arena, const char *, count + 1);
    ar->sym_member = arena_new(&ld->arena, uint32_t, count + 1);
    const char *s = names;
    for (uint64_t i = 0; i < count; i++) {
        const char *e = memchr(s, 0, (size_t)(end - s));
        if (!e)
            goto bad;
        uint64_t off = 0;
        for (unsigned k = 0; k < word; k++)
            off = off << 8 | offs[i * word + k];
        uint32_t mi = ar_member_index(ar, off);
        if (mi == LD_NONE) {
            ld_error(ld, "`%s`: truncated or corrupt: symbol index names member offset %lu, which is not a member",
                     ar->path, (unsigned long)off);
            return false;
        }
        ar->sym_name[ar->nsyms] = s;
        ar->sym_member[ar->nsyms++] = mi;
        s = e + 1;
    }
    return true;
bad:
    ld_error(ld, "`%s`: truncated or corrupt: bad archive symbol index", ar->path);
    return false;
}

static LdArchive *open_archive(Ld *ld, const char *path, const uint8_t *data, size_t size, bool whole)
{
    LdArchive *ar = arena_new(&ld->arena, LdArchive, 1);
    ar->path = path;
    ar->data = data;
    ar->size = size;
    ar->thin = memcmp(data, "!<thin>\n", 8) == 0;
    ar->whole = whole;
    Vec(uint64_t) members = {0};
    const uint8_t *index = NULL;
    uint64_t index_size = 0;
    unsigned word = 4;
    for (uint64_t off = 8; off < size;) {
        if (size - off == 1 && data[off] == '\n')
            break;
        ArMember m;
        if (!ar_member_at(ld, ar, off, &m)) {
            vec_free(&members);
            return NULL;
        }
        if (strcmp(m.name, "/") == 0 || strcmp(m.name, "/SYM64/") == 0) {
            index = data + m.data_off;
            index_size = m.size;
            word = m.name[1] ? 8 : 4;
        } else if (strcmp(m.name, "//") == 0) {
            ar->longnames = (const char *)data + m.data_off;
            ar->longnames_size = m.size;
        } else if (strncmp(m.name, "__.SYMDEF", 9) != 0) {
            vec_push(&members, off);
        }
        off = m.next;
    }
    ar->nmembers = members.len;
    ar->members = arena_new(&ld->arena, uint64_t, members.len + 1);
    if (members.len)
        memcpy(ar->members, members.data, members.len * sizeof(uint64_t));
    vec_free(&members);
    ar->member_file = arena_new(&ld->arena, uint32_t, ar->nmembers + 1);
    for (uint32_t i = 0; i < ar->nmembers; i++)
        ar->member_file[i] = LD_NONE;
    /* Long names are read while walking, so an index naming long-name members is read
     * after the walk (the "//" member follows the index). */
    if (index) {
        if (!ar_read_index(ld, ar, index, index_size, word))
            return NULL;
    } else {
        ar_index_members(ld, ar);
    }
    vec_push(&ld->archives, ar);
    return ar;
}

/* ---------------------------------------------------------------- the input list */

/* What the resolution driver walks: objects, archives and group markers in order. */
typedef enum ItemKind { ITEM_OBJECT, ITEM_ARCHIVE, ITEM_GROUP_START, ITEM_GROUP_END } ItemKind;
typedef struct Item {
    ItemKind kind;
    uint32_t index;  /* Ld.files or Ld.archives index */
} Item;

typedef struct Loader {
    Ld *ld;
    Vec(Item) items;
    Vec(const char *) lib_paths;  /* -L paths, then SEARCH_DIRs from scripts */
    bool whole;                   /* --whole-archive in force */
    int group_depth;
    const char *script_entry;     /* ENTRY() of a script */
} Loader;

static void push_item(Loader *lo, ItemKind kind, uint32_t index)
{
    vec_push(&lo->items, ((Item){kind, index}));
}

static bool load_bytes(Loader *lo, const char *name, const uint8_t *data, size_t size, int depth, uint32_t loaded);

static bool load_path(Loader *lo, const char *path, int depth)
{
    const uint8_t *data;
    size_t size;
    uint32_t loaded;
    if (!map_file(lo->ld, path, &data, &size, &loaded))
        return false;
    return load_bytes(lo, path, data, size, depth, loaded);
}

/* Finds -l<name> (or -l:<file>) in the search path; NULL with an error when absent. */
static const char *find_library(Loader *lo, const char *name)
{
    Ld *ld = lo->ld;
    bool exact = name[0] == ':';
    const char *so_found = NULL;
    for (uint32_t i = 0; i < lo->lib_paths.len; i++) {
        const char *dir = lo->lib_paths.data[i];
        char *p = exact ? arena_printf(&ld->arena, "%s/%s", dir, name + 1)
                        : arena_printf(&ld->arena, "%s/lib%s.a", dir, name);
        if (file_exists(p))
            return p;
        if (!exact && !so_found) {
            char *so = arena_printf(&ld->arena, "%s/lib%s.so", dir, name);
            if (file_exists(so))
                so_found = so;
        }
    }
    if (so_found)
        ld_error(ld, "cannot find -l%s: only the shared library `%s` exists, and relink links statically",
                 name, so_found);
    else
        ld_error(ld, "cannot find -l%s", name);
    return NULL;
}

/* ---------------------------------------------------------------- linker scripts */

typedef struct ScriptLexer {
    const char *p, *end;
    const char *name;
} ScriptLexer;

/* Next token into tok (a word, or one of "(),"); false at the end. */
static bool script_token(ScriptLexer *lx, char *tok, size_t cap, bool *bad)
{
    for (;;) {
        while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r'))
            lx->p++;
        if (lx->end - lx->p >= 2 && lx->p[0] == '/' && lx->p[1] == '*') {
            const char *e = NULL;
            for (const char *q = lx->p + 2; q + 1 < lx->end; q++)
                if (q[0] == '*' && q[1] == '/') {
                    e = q + 2;
                    break;
                }
            if (!e) {
                *bad = true;
                return false;
            }
            lx->p = e;
            continue;
        }
        break;
    }
    if (lx->p >= lx->end)
        return false;
    size_t n = 0;
    if (*lx->p == '(' || *lx->p == ')' || *lx->p == ',') {
        tok[n++] = *lx->p++;
    } else if (*lx->p == '"') {
        lx->p++;
        while (lx->p < lx->end && *lx->p != '"' && n + 1 < cap)
            tok[n++] = *lx->p++;
        if (lx->p >= lx->end) {
            *bad = true;
            return false;
        }
        lx->p++;
    } else {
        while (lx->p < lx->end && !strchr(" \t\r\n(),\"", *lx->p) && n + 1 < cap) {
            if ((unsigned char)*lx->p < 0x20 || (unsigned char)*lx->p >= 0x7f) {
                *bad = true;
                return false;
            }
            tok[n++] = *lx->p++;
        }
    }
    tok[n] = 0;
    return true;
}

/* Loads one file named inside a script: -lname, an absolute path (under the sysroot
 * when one is set), or a relative path (the current directory, then the search path). */
static bool script_input(Loader *lo, const char *word, int depth)
{
    Ld *ld = lo->ld;
    if (word[0] == '-' && word[1] == 'l') {
        const char *p = find_library(lo, word + 2);
        return p && load_path(lo, p, depth);
    }
    if (word[0] == '/') {
        if (ld->opt->sysroot) {
            char *p = arena_printf(&ld->arena, "%s%s", ld->opt->sysroot, word);
            if (file_exists(p))
                return load_path(lo, p, depth);
        }
        return load_path(lo, arena_strdup(&ld->arena, word), depth);
    }
    if (file_exists(word))
        return load_path(lo, arena_strdup(&ld->arena, word), depth);
    for (uint32_t i = 0; i < lo->lib_paths.len; i++) {
        char *p = arena_printf(&ld->arena, "%s/%s", lo->lib_paths.data[i], word);
        if (file_exists(p))
            return load_path(lo, p, depth);
    }
    ld_error(ld, "cannot find `%s` (named in a linker script)", word);
    return false;
}

static bool load_script(Loader *lo, const char *name, const char *text, size_t len, int depth)
{
    Ld *ld = lo->ld;
    if (depth >= MAX_SCRIPT_DEPTH) {
        ld_error(ld, "`%s`: linker scripts nested more than %d deep", name, MAX_SCRIPT_DEPTH);
        return false;
    }
    ScriptLexer lx = {text, text + len, name};
    char tok[4096], arg[4096];
    bool bad = false, ok = true;
    while (script_token(&lx, tok, sizeof tok, &bad)) {
        bool group = strcmp(tok, "GROUP") == 0;
        bool input = strcmp(tok, "INPUT") == 0;
        bool ignored = strcmp(tok, "OUTPUT_FORMAT") == 0 || strcmp(tok, "OUTPUT_ARCH") == 0;
        bool search = strcmp(tok, "SEARCH_DIR") == 0, entry = strcmp(tok, "ENTRY") == 0;
        if (!group && !input && !ignored && !search && !entry) {
            ld_error(ld, "`%s`: unknown file type, or a linker script command relink does not support (`%s`)",
                     name, tok);
            return false;
        }
        if (!script_token(&lx, arg, sizeof arg, &bad) || strcmp(arg, "(") != 0)
            goto syntax;
        if (group) {
            push_item(lo, ITEM_GROUP_START, 0);
            lo->group_depth++;
        }
        int nest = 1;
        while (nest > 0) {
            if (!script_token(&lx, arg, sizeof arg, &bad))
                goto syntax;
            if (strcmp(arg, ")") == 0) {
                nest--;
            } else if (strcmp(arg, "(") == 0) {
                goto syntax;
            } else if (strcmp(arg, ",") == 0) {
                continue;
            } else if (strcmp(arg, "AS_NEEDED") == 0) {
                if (!script_token(&lx, arg, sizeof arg, &bad) || strcmp(arg, "(") != 0)
                    goto syntax;
                nest++;
            } else if (ignored) {
                continue;
            } else if (search) {
                vec_push(&lo->lib_paths, arena_strdup(&ld->arena, arg));
            } else if (entry) {
                lo->script_entry = arena_strdup(&ld->arena, arg);
            } else {
                ok = script_input(lo, arg, depth + 1) && ok;
            }
        }
        if (group) {
            push_item(lo, ITEM_GROUP_END, 0);
            lo->group_depth--;
        }
    }
    if (!bad)
        return ok;
syntax:
    ld_error(ld, "`%s`: unknown file type, or a linker script relink cannot parse", name);
    return false;
}

static bool load_bytes(Loader *lo, const char *name, const uint8_t *data, size_t size, int depth, uint32_t loaded)
{
    Ld *ld = lo->ld;
    if (size >= 4 && memcmp(data, ELFMAG, 4) == 0) {
        LdFile *f = arena_new(&ld->arena, LdFile, 1);
        f->name = name;
        f->data = data;
        f->size = size;
        f->loaded = loaded;
        f->plan = LD_NONE;
        ld->loaded.data[loaded].kind = LOADED_OBJECT;
        f->index = ld->files.len;
        f->order = (uint64_t)lo->items.len << 32;
        vec_push(&ld->files, f);
        push_item(lo, ITEM_OBJECT, f->index);
        return true;
    }
    if (size >= 8 && (memcmp(data, "!<arch>\n", 8) == 0 || memcmp(data, "!<thin>\n", 8) == 0)) {
        ld->loaded.data[loaded].kind = LOADED_ARCHIVE;
        LdArchive *ar = open_archive(ld, name, data, size, lo->whole);
        if (!ar)
            return false;
        ar->order = (uint64_t)lo->items.len << 32;
        ar->loaded = loaded;
        push_item(lo, ITEM_ARCHIVE, ld->archives.len - 1);
        return true;
    }
    bool text = size < (1u << 20);
    for (size_t i = 0; text && i < size; i++)
        if (data[i] == 0 || (data[i] < 0x20 && !strchr("\t\n\r\f", data[i])))
            text = false;
    if (!text) {
        ld_error(ld, "`%s`: unknown file type (not an ELF object, an archive or a linker script)", name);
        return false;
    }
    ld->loaded.data[loaded].kind = LOADED_SCRIPT;
    return load_script(lo, name, (const char *)data, size, depth);
}

/* ---------------------------------------------------------------- parallel parse */

static void parse_one(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)ctx;
    LdFile *f = ld->files.data[i];
    if (!f->parsed)
        input_parse_object(ld, f, &ld->thread_arena[tid]);
}

/* Walks the items in order, adding objects and extracting archive members. */
static void drive_resolution(Ld *ld, const Loader *lo)
{
    Vec(LdArchive *) group = {0};
    int depth = 0;
    for (uint32_t k = 0; k < lo->items.len; k++) {
        Item it = lo->items.data[k];
        switch (it.kind) {
        case ITEM_OBJECT: {
            LdFile *f = ld->files.data[it.index];
            if (!f->error)
                resolve_add_file(ld, f);
            break;
        }
        case ITEM_ARCHIVE: {
            LdArchive *ar = ld->archives.data[it.index];
            if (ar->whole) {
                for (uint32_t m = 0; m < ar->nmembers; m++) {
                    uint32_t fi = input_archive_member(ld, ar, m);
                    if (fi != LD_NONE && !ld->files.data[fi]->live)
                        resolve_add_file(ld, ld->files.data[fi]);
                }
            } else {
                resolve_archive(ld, ar);
            }
            if (depth > 0)
                vec_push(&group, ar);
            break;
        }
        case ITEM_GROUP_START:
            depth++;
            break;
        case ITEM_GROUP_END:
            if (depth > 0 && --depth == 0) {
                bool again = true;
                while (again) {
                    again = false;
                    for (uint32_t g = 0; g < group.len; g++)
                        again |= resolve_archive(ld, group.data[g]);
                }
                group.len = 0;
            }
            break;
        }
    }
    vec_free(&group);
}

bool input_load_all(Ld *ld)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    ld->read_time = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    const LdOptions *opt = ld->opt;
    Loader lo = {.ld = ld};
    for (uint32_t i = 0; i < opt->nlib_paths; i++)
        vec_push(&lo.lib_paths, opt->lib_paths[i]);
    int groups = 0;
    for (uint32_t i = 0; i < opt->ninputs; i++) {
        const LdInput *in = &opt->inputs[i];
        vec_push(&ld->input_loaded, LD_NONE);
        switch (in->kind) {
        case LD_INPUT_FILE:
            ld->input_loaded.data[i] = ld->loaded.len;
            if (in->data) {
                if (in->size == 0) {
                    ld_error(ld, "`%s`: file is empty", in->name);
                    ld->input_loaded.data[i] = LD_NONE;
                } else {
                    uint32_t l = add_loaded(ld, (LdLoaded){.path = in->name, .data = in->data, .size = in->size,
                                                           .memory = true, .hash = in->hash});
                    load_bytes(&lo, in->name, in->data, in->size, 0, l);
                }
            } else {
                load_path(&lo, in->name, 0);
            }
            break;
        case LD_INPUT_LIBRARY: {
            const char *p = find_library(&lo, in->name);
            ld->input_loaded.data[i] = ld->loaded.len;
            if (p)
                load_path(&lo, p, 0);
            break;
        }
        case LD_INPUT_GROUP_START:
            groups++;
            push_item(&lo, ITEM_GROUP_START, 0);
            break;
        case LD_INPUT_GROUP_END:
            if (groups == 0)
                ld_error(ld, "--end-group without --start-group");
            else
                groups--;
            push_item(&lo, ITEM_GROUP_END, 0);
            break;
        case LD_INPUT_WHOLE_ARCHIVE:
            lo.whole = true;
            break;
        case LD_INPUT_NO_WHOLE_ARCHIVE:
            lo.whole = false;
            break;
        }
    }
    if (groups > 0)
        ld_error(ld, "--start-group without --end-group");
    if (lo.script_entry && !opt->entry)
        ld->script_entry = lo.script_entry;
    if (ld->files.len == 0 && ld->archives.len == 0 && !ld_failed(ld))
        ld_error(ld, "no input files");
    if (ld_failed(ld))
        goto out;

    /* Parse the command-line objects in parallel; report their errors in order. */
    ld_parallel(ld, ld->files.len, parse_one, NULL);
    for (uint32_t i = 0; i < ld->files.len; i++)
        if (ld->files.data[i]->error)
            ld_error(ld, "%s", ld->files.data[i]->error);
    if (ld_failed(ld))
        goto out;

    resolve_init(ld);
    /* -u names and a command-line entry are undefined references from the start. */
    for (uint32_t i = 0; i < opt->nundefined; i++) {
        uint32_t s = resolve_intern(ld, opt->undefined[i], strlen(opt->undefined[i]));
        ld->syms.data[s].flags |= SYMF_STRONG_REF;
    }
    if (opt->entry) {
        uint32_t s = resolve_intern(ld, opt->entry, strlen(opt->entry));
        ld->syms.data[s].flags |= SYMF_STRONG_REF;
    }
    drive_resolution(ld, &lo);
out:
    vec_free(&lo.items);
    vec_free(&lo.lib_paths);
    return !ld_failed(ld);
}

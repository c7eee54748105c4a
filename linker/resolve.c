/*
 * linker/resolve.c — the global symbol table and everything that decides which
 * definition a name means.
 *
 * Rules, as GNU ld applies them in a static link:
 *   - a strong definition beats a COMMON block, which beats a weak definition;
 *     two strong definitions are an error naming both objects (-z muldefs: first wins);
 *   - two COMMON blocks merge (largest size, largest alignment);
 *   - an archive member is extracted when it defines a symbol that is undefined and
 *     referenced non-weakly (or a COMMON that the member defines for real); the
 *     archive is rescanned until nothing more is extracted, and a group's archives
 *     are rescanned together until none extracts anything;
 *   - a COMDAT group is kept from the first file (in link order) that has it; the
 *     others' member sections are dropped and their symbols become references;
 *   - an undefined weak symbol that nothing defines is 0;
 *   - the most constraining visibility of any reference or definition wins.
 */
#include "linker/ld.h"

#include <stdlib.h>
#include <string.h>

static const char *const linker_names[] = {
#define X(id, name) name,
    LD_LINKER_SYMS(X)
#undef X
};

/* ---------------------------------------------------------------- the table */

static void table_grow(Ld *ld)
{
    uint32_t nslots = ld->table ? (ld->table_mask + 1) * 2 : 1u << 14;
    uint32_t *t = xcalloc(nslots, sizeof(uint32_t));
    uint32_t mask = nslots - 1;
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        uint32_t h = (uint32_t)ld->syms.data[i].hash & mask;
        while (t[h])
            h = (h + 1) & mask;
        t[h] = i + 1;
    }
    xfree(ld->table);
    ld->table = t;
    ld->table_mask = mask;
}

static uint32_t lookup_hashed(Ld *ld, const char *name, size_t len, uint64_t hash, bool add)
{
    if (!ld->table || (uint64_t)(ld->syms.len + 1) * 2 > (uint64_t)ld->table_mask + 1)
        table_grow(ld);
    uint32_t mask = ld->table_mask;
    uint32_t h = (uint32_t)hash & mask;
    for (;;) {
        uint32_t e = ld->table[h];
        if (!e)
            break;
        LdSym *s = &ld->syms.data[e - 1];
        if (s->hash == hash && s->len == len && memcmp(s->name, name, len) == 0)
            return e - 1;
        h = (h + 1) & mask;
    }
    if (!add)
        return LD_NONE;
    LdSym s = {.name = name, .hash = hash, .len = (uint32_t)len, .file = LD_NONE, .esym = 0,
               .osec = LD_NONE, .got = LD_NONE, .gottp = LD_NONE, .iplt = LD_NONE, .state = SYM_UNDEF};
    vec_push(&ld->syms, s);
    ld->table[h] = ld->syms.len;
    return ld->syms.len - 1;
}

uint32_t resolve_intern(Ld *ld, const char *name, size_t len)
{
    return lookup_hashed(ld, name, len, hash64(name, len), true);
}

uint32_t resolve_lookup(Ld *ld, const char *name, size_t len)
{
    return lookup_hashed(ld, name, len, hash64(name, len), false);
}

/* Parses "name=value" of --defsym: value is a number or symbol[+-number]. */
static void add_defsym(Ld *ld, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec) {
        ld_error(ld, "--defsym `%s`: expected name=value", spec);
        return;
    }
    const char *v = eq + 1;
    DefSym d = {.target = LD_NONE};
    char *end;
    if ((v[0] >= '0' && v[0] <= '9')) {
        d.offset = strtoull(v, &end, 0);
        if (*end) {
            ld_error(ld, "--defsym `%s`: bad number `%s`", spec, v);
            return;
        }
    } else {
        const char *op = v;
        while (*op && *op != '+' && *op != '-')
            op++;
        const char *tname = arena_strndup(&ld->arena, v, (size_t)(op - v));
        while (op > v && op[-1] == ' ')
            op--;
        if (!*tname) {
            ld_error(ld, "--defsym `%s`: bad value", spec);
            return;
        }
        d.target = resolve_intern(ld, tname, strlen(tname));
        ld->syms.data[d.target].flags |= SYMF_STRONG_REF;
        const char *rest = v + strlen(tname);
        while (*rest == ' ')
            rest++;
        if (*rest) {
            bool neg = *rest == '-';
            rest++;
            uint64_t n = strtoull(rest, &end, 0);
            if (*end || end == rest) {
                ld_error(ld, "--defsym `%s`: bad offset", spec);
                return;
            }
            d.offset = neg ? (uint64_t)-(int64_t)n : n;
        }
    }
    const char *name = arena_strndup(&ld->arena, spec, (size_t)(eq - spec));
    d.sym = resolve_intern(ld, name, strlen(name));
    LdSym *s = &ld->syms.data[d.sym];
    s->state = SYM_LINKER;
    s->lsym = LSYM_DEFSYM;
    s->type = STT_NOTYPE;
    vec_push(&ld->defsyms, d);
}

void resolve_init(Ld *ld)
{
    table_grow(ld);
    for (uint32_t i = 0; i < ld->opt->ndefsyms; i++)
        add_defsym(ld, ld->opt->defsyms[i]);
}

/* ---------------------------------------------------------------- COMDAT */

/* Claims the group signature for file; returns the file that owns it. */
static uint32_t comdat_claim(Ld *ld, const char *name, uint32_t file)
{
    uint32_t *owner = namemap_slot(&ld->comdat, name, 0);
    if (*owner == LD_NONE)
        *owner = file;
    return *owner;
}

static void resolve_groups(Ld *ld, LdFile *f)
{
    for (uint32_t g = 0; g < f->nggroups; g++) {
        const Elf64_Shdr *sh = &f->shdr[f->ggroups[g]];
        const uint8_t *w = f->data + sh->sh_offset;
        if (!(rd32(w) & GRP_COMDAT))
            continue;
        const Elf64_Sym *sig = &f->sym[sh->sh_info];
        const char *name = f->strtab + sig->st_name;
        if (!*name && ELF64_ST_TYPE(sig->st_info) == STT_SECTION) {
            uint32_t sec = input_sym_shndx(f, sig, sh->sh_info);
            if (sec < f->nshdr)
                name = f->shstrtab + f->shdr[sec].sh_name;
        }
        if (comdat_claim(ld, name, f->index) == f->index)
            continue;
        for (uint64_t k = 4; k < sh->sh_size; k += 4) {
            InSec *s = file_sec(f, rd32(w + k));
            if (s)
                s->live = false;
        }
    }
}

/* ---------------------------------------------------------------- adding files */

static const char *sec_name_of(const InSec *s)
{
    return s ? s->name : "*ABS*";
}

static void duplicate(Ld *ld, LdSym *s, LdFile *f, const InSec *sec)
{
    if (ld->opt->allow_multiple_definition)
        return;
    const LdFile *old = ld->files.data[s->file];
    ld_error(ld, "duplicate symbol: %s\n>>> defined at %s:(%s)\n>>> defined at %s:(%s)", s->name, old->name,
             sec_name_of(s->sec), f->name, sec_name_of(sec));
}

enum DefKind { DEF_STRONG, DEF_COMMON, DEF_WEAK };

static void define(LdSym *s, LdFile *f, uint32_t i, const Elf64_Sym *es, InSec *sec, enum DefKind kind)
{
    s->file = f->index;
    s->esym = i;
    s->sec = sec;
    s->value = es->st_value;
    s->size = es->st_size;
    s->type = ELF64_ST_TYPE(es->st_info);
    s->state = kind == DEF_COMMON ? SYM_COMMON : SYM_DEFINED;
    if (kind == DEF_WEAK)
        s->flags |= SYMF_WEAK;
    else
        s->flags &= (uint8_t)~SYMF_WEAK;
}

static uint8_t merge_visibility(uint8_t a, uint8_t b)
{
    if (a == STV_DEFAULT)
        return b;
    if (b == STV_DEFAULT)
        return a;
    return a < b ? a : b;  /* INTERNAL(1) < HIDDEN(2) < PROTECTED(3) */
}

/* Records the .gnu.warning.<symbol> sections of a linked file (glibc marks gets,
 * getpwnam... this way); GNU ld prints their text when the symbol is used. */
static void collect_warnings(Ld *ld, LdFile *f)
{
    for (uint32_t i = 1; i < f->nshdr; i++) {
        const Elf64_Shdr *sh = &f->shdr[i];
        const char *name = f->shstrtab + sh->sh_name;
        if (strncmp(name, ".gnu.warning.", 13) != 0 || sh->sh_type == SHT_NOBITS || !name[13])
            continue;
        uint32_t *slot = namemap_slot(&ld->warnings, name + 13, 0);
        if (*slot != LD_NONE)
            continue;
        *slot = ld->warning_text.len;
        const char *text = (const char *)f->data + sh->sh_offset;
        vec_push(&ld->warning_text, arena_strndup(&ld->arena, text, strnlen(text, sh->sh_size)));
    }
}

void resolve_add_file(Ld *ld, LdFile *f)
{
    f->live = true;
    if (ld->opt->trace)
        sb_printf(&ld->report->trace, "%s\n", f->name);
    if (f->has_warnings)
        collect_warnings(ld, f);
    resolve_groups(ld, f);
    for (uint32_t i = f->first_global; i < f->nsym; i++) {
        const Elf64_Sym *es = &f->sym[i];
        const char *name = f->strtab + es->st_name;
        uint64_t hash = f->ghash[i - f->first_global];
        uint32_t idx = lookup_hashed(ld, name, strlen(name), hash, true);
        f->gsym[i - f->first_global] = idx;
        LdSym *s = &ld->syms.data[idx];
        s->visibility = merge_visibility(s->visibility, ELF64_ST_VISIBILITY(es->st_other));
        uint32_t shndx = input_sym_shndx(f, es, i);
        bool weak = ELF64_ST_BIND(es->st_info) == STB_WEAK;
        InSec *sec = NULL;
        if (shndx != SHN_UNDEF && shndx != SHN_ABS && shndx != SHN_COMMON) {
            sec = file_sec(f, shndx);
            if (!sec || !sec->live)
                shndx = SHN_UNDEF;  /* in a dropped section (a COMDAT loser): a reference */
        }
        if (shndx == SHN_UNDEF) {
            if (!weak)
                s->flags |= SYMF_STRONG_REF;
            continue;
        }
        enum DefKind kind = shndx == SHN_COMMON ? DEF_COMMON : weak ? DEF_WEAK : DEF_STRONG;
        switch (s->state) {
        case SYM_UNDEF:
            define(s, f, i, es, sec, kind);
            break;
        case SYM_LINKER:  /* --defsym wins over inputs */
            break;
        case SYM_DEFINED:
            if (!(s->flags & SYMF_WEAK)) {
                if (kind == DEF_STRONG)
                    duplicate(ld, s, f, sec);
            } else if (kind != DEF_WEAK) {
                define(s, f, i, es, sec, kind);
            }
            break;
        case SYM_COMMON:
            if (kind == DEF_STRONG) {
                define(s, f, i, es, sec, kind);
            } else if (kind == DEF_COMMON) {
                uint64_t align = MAX(s->value, es->st_value);
                if (es->st_size > s->size)
                    define(s, f, i, es, sec, kind);
                s->value = align;
            }
            break;
        }
    }
}

/* True when member file f defines name other than as COMMON (GNU ld extracts a
 * member for a COMMON symbol only then). */
static bool defines_for_real(const LdFile *f, const char *name)
{
    for (uint32_t i = f->first_global; i < f->nsym; i++) {
        const Elf64_Sym *es = &f->sym[i];
        if (es->st_shndx != SHN_UNDEF && es->st_shndx != SHN_COMMON && strcmp(f->strtab + es->st_name, name) == 0)
            return true;
    }
    return false;
}

bool resolve_archive(Ld *ld, LdArchive *ar)
{
    if (!ar->sym_hash) {
        ar->sym_hash = arena_new(&ld->arena, uint64_t, ar->nsyms + 1);
        for (uint32_t i = 0; i < ar->nsyms; i++)
            ar->sym_hash[i] = hash64(ar->sym_name[i], strlen(ar->sym_name[i]));
    }
    bool any = false, changed = true;
    while (changed) {
        changed = false;
        for (uint32_t i = 0; i < ar->nsyms; i++) {
            uint32_t mi = ar->sym_member[i];
            uint32_t fi = ar->member_file[mi];
            if (fi != LD_NONE && ld->files.data[fi]->live)
                continue;
            const char *name = ar->sym_name[i];
            uint32_t idx = lookup_hashed(ld, name, strlen(name), ar->sym_hash[i], false);
            if (idx == LD_NONE)
                continue;
            LdSym *s = &ld->syms.data[idx];
            bool want = s->state == SYM_UNDEF && (s->flags & SYMF_STRONG_REF);
            if (!want && s->state != SYM_COMMON)
                continue;
            fi = input_archive_member(ld, ar, mi);
            if (fi == LD_NONE)
                continue;
            LdFile *f = ld->files.data[fi];
            if (!want && !defines_for_real(f, name))
                continue;
            resolve_add_file(ld, f);
            changed = any = true;
        }
    }
    return any;
}

/* ---------------------------------------------------------------- linker symbols */

/* True when some live input section is named name (so __start_name can exist). */
static bool have_section(Ld *ld, const char *name)
{
    for (uint32_t fi = 0; fi < ld->files.len; fi++) {
        LdFile *f = ld->files.data[fi];
        if (!f->live)
            continue;
        for (uint32_t k = 0; k < f->nsecs; k++)
            if (f->secs[k].live && (f->secs[k].flags & SHF_ALLOC) && strcmp(f->secs[k].name, name) == 0)
                return true;
    }
    return false;
}

static bool c_identifier(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

void resolve_linker_symbols(Ld *ld)
{
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        LdSym *s = &ld->syms.data[i];
        if (s->state != SYM_UNDEF)
            continue;
        for (uint32_t k = 0; k < ARRAY_LEN(linker_names); k++) {
            if (strcmp(s->name, linker_names[k]) == 0) {
                s->state = SYM_LINKER;
                s->lsym = (uint8_t)k;
                s->type = STT_NOTYPE;
                break;
            }
        }
        if (s->state == SYM_UNDEF) {
            bool start = strncmp(s->name, "__start_", 8) == 0, stop = strncmp(s->name, "__stop_", 7) == 0;
            const char *sec = s->name + (start ? 8 : 7);
            if ((start || stop) && c_identifier(sec) && have_section(ld, sec)) {
                s->state = SYM_LINKER;
                s->lsym = start ? LSYM_START_SECTION : LSYM_STOP_SECTION;
                s->type = STT_NOTYPE;
            }
        }
        if (s->state == SYM_LINKER)
            s->visibility = s->visibility ? s->visibility : STV_HIDDEN;
    }
}

static int cmp_undef(const void *a, const void *b);

void resolve_warn_uses(Ld *ld)
{
    if (!ld->warning_text.len)
        return;
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        LdSym *s = &ld->syms.data[i];
        uint32_t *slot = namemap_slot(&ld->warnings, s->name, 0);
        if (*slot != LD_NONE)
            s->flags |= SYMF_WARNING;
    }
}

/* Called after the scan: one warning per used symbol, naming its first reference. */
static void report_warned_refs(Ld *ld)
{
    if (!ld->warned_refs.len)
        return;
    qsort(ld->warned_refs.data, ld->warned_refs.len, sizeof(UndefRef), cmp_undef);
    for (uint32_t i = 0; i < ld->warned_refs.len; i++) {
        const UndefRef *u = &ld->warned_refs.data[i];
        if (i && u->sym == ld->warned_refs.data[i - 1].sym)
            continue;
        const LdSym *s = &ld->syms.data[u->sym];
        const LdFile *f = ld->files.data[u->file];
        ld_warn(ld, "%s\n>>> referenced by %s:(%s+0x%lx)", ld->warning_text.data[*namemap_slot(&ld->warnings, s->name, 0)],
                f->name, f->shstrtab + f->shdr[u->shndx].sh_name, (unsigned long)u->offset);
    }
}

/* ---------------------------------------------------------------- undefined symbols */

static int cmp_undef(const void *a, const void *b)
{
    const UndefRef *x = a, *y = b;
    if (x->sym != y->sym)
        return x->sym < y->sym ? -1 : 1;
    uint64_t ox = x->order, oy = y->order;
    if (ox != oy)
        return ox < oy ? -1 : 1;
    if (x->shndx != y->shndx)
        return x->shndx < y->shndx ? -1 : 1;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

enum { MAX_SITES_SHOWN = 10 };

bool resolve_check_undefined(Ld *ld)
{
    report_warned_refs(ld);
    if (ld->undefs.len) {
        qsort(ld->undefs.data, ld->undefs.len, sizeof(UndefRef), cmp_undef);
        for (uint32_t i = 0; i < ld->undefs.len;) {
            uint32_t j = i;
            StrBuf sb = {0};
            sb_printf(&sb, "undefined symbol: %s", ld->syms.data[ld->undefs.data[i].sym].name);
            uint32_t shown = 0, last_file = LD_NONE, last_sec = LD_NONE;
            for (; j < ld->undefs.len && ld->undefs.data[j].sym == ld->undefs.data[i].sym; j++) {
                const UndefRef *u = &ld->undefs.data[j];
                if (u->file == last_file && u->shndx == last_sec)
                    continue;  /* one line per referencing section */
                last_file = u->file;
                last_sec = u->shndx;
                if (shown++ < MAX_SITES_SHOWN) {
                    const LdFile *f = ld->files.data[u->file];
                    sb_printf(&sb, "\n>>> referenced by %s:(%s+0x%lx)", f->name,
                              f->shstrtab + f->shdr[u->shndx].sh_name, (unsigned long)u->offset);
                }
            }
            if (shown > MAX_SITES_SHOWN)
                sb_printf(&sb, "\n>>> referenced %u more times", shown - MAX_SITES_SHOWN);
            ld_error(ld, "%s", sb_str(&sb));
            sb_free(&sb);
            i = j;
        }
    }
    /* The entry point. */
    const char *entry = ld->opt->entry ? ld->opt->entry : ld->script_entry ? ld->script_entry : "_start";
    uint32_t e = resolve_lookup(ld, entry, strlen(entry));
    if (e == LD_NONE || ld->syms.data[e].state == SYM_UNDEF)
        ld->entry_missing = entry;
    else
        ld->entry_sym = e;
    return !ld_failed(ld);
}

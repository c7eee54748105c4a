/*
 * linker/gc.c — --gc-sections: drop allocated sections nothing reachable refers to.
 *
 * Roots: the entry symbol, -u and --defsym targets, sections the runtime finds without
 * a symbol (.init, .fini, init/fini/preinit arrays, .ctors/.dtors, notes, SHF_GNU_RETAIN)
 * and sections named X when __start_X or __stop_X is referenced. Marking follows
 * relocations. .eh_frame is not a root: a CIE keeps what it references (personality
 * routines), an FDE keeps its LSDA only when its function is kept; this is iterated
 * to a fixed point. Non-allocated sections (debug info) are never collected and their
 * relocations keep nothing alive. A PLANNED link (incremental --verify) also keeps the
 * sections its state has in the output.
 */
#include "linker/ld.h"

#include <string.h>

typedef struct Marker {
    Ld *ld;
    Vec(InSec *) work;
    uint8_t *marked;      /* per file: bitmap over secs, flattened */
    uint64_t *base;       /* per file: first bit */
} Marker;

static bool is_marked(const Marker *m, const InSec *s)
{
    if (s->file == LD_NONE)
        return true;
    const LdFile *f = m->ld->files.data[s->file];
    uint64_t bit = m->base[s->file] + (uint64_t)(s - f->secs);
    return m->marked[bit >> 3] & (1u << (bit & 7));
}

static void mark(Marker *m, InSec *s)
{
    if (!s || !s->live || s->file == LD_NONE || is_marked(m, s))
        return;
    const LdFile *f = m->ld->files.data[s->file];
    uint64_t bit = m->base[s->file] + (uint64_t)(s - f->secs);
    m->marked[bit >> 3] |= (uint8_t)(1u << (bit & 7));
    vec_push(&m->work, s);
}

static InSec *target_of(Ld *ld, const LdFile *f, uint32_t si)
{
    if (si >= f->nsym)
        return NULL;
    if (si >= f->first_global) {
        const LdSym *s = &ld->syms.data[f->gsym[si - f->first_global]];
        return s->state == SYM_DEFINED ? s->sec : NULL;
    }
    uint32_t shndx = input_sym_shndx(f, &f->sym[si], si);
    return shndx == SHN_ABS || shndx == SHN_UNDEF || shndx == SHN_COMMON ? NULL : file_sec(f, shndx);
}

static void mark_symbol(Marker *m, uint32_t sym)
{
    if (sym != LD_NONE && m->ld->syms.data[sym].state == SYM_DEFINED)
        mark(m, m->ld->syms.data[sym].sec);
}

static void propagate(Marker *m)
{
    while (m->work.len) {
        InSec *s = vec_pop(&m->work);
        if (s->kind == ISEC_EH_FRAME)
            continue;  /* handled record by record */
        const LdFile *f = m->ld->files.data[s->file];
        for (uint32_t k = 0; k < s->nrela; k++)
            mark(m, target_of(m->ld, f, ELF64_R_SYM(s->rela[k].r_info)));
    }
}

bool gc_eh_walk(const LdFile *f, const InSec *s, const InSec *(*fde_target)(void *ctx, const LdFile *f, uint32_t si),
                bool (*keep)(void *ctx, const LdFile *f, uint32_t si), void *ctx)
{
    uint32_t r = 0;
    for (uint64_t off = 0; off + 8 <= s->size;) {
        uint64_t len = rd32(s->data + off);
        if (len == 0 || len == 0xffffffff || len > s->size - off - 4)
            break;
        uint64_t end = off + 4 + len;
        bool cie = rd32(s->data + off + 4) == 0;
        while (r < s->nrela && s->rela[r].r_offset < off)
            r++;
        bool live = cie;
        if (!cie && r < s->nrela && s->rela[r].r_offset == off + 8) {
            const InSec *fn = fde_target(ctx, f, ELF64_R_SYM(s->rela[r].r_info));
            live = fn && fn->live;
        }
        for (uint32_t q = r; live && q < s->nrela && s->rela[q].r_offset < end; q++)
            if (!keep(ctx, f, ELF64_R_SYM(s->rela[q].r_info)))
                return false;
        off = end;
    }
    return true;
}

typedef struct EhMark {
    Marker *m;
    uint32_t added;
} EhMark;

/* The function an FDE names, when it is marked (an unmarked one stands as NULL). */
static const InSec *marked_target(void *ctx, const LdFile *f, uint32_t si)
{
    EhMark *e = ctx;
    const InSec *s = target_of(e->m->ld, f, si);
    return s && is_marked(e->m, s) ? s : NULL;
}

static bool mark_target(void *ctx, const LdFile *f, uint32_t si)
{
    EhMark *e = ctx;
    uint32_t n = e->m->work.len;
    mark(e->m, target_of(e->m->ld, f, si));
    e->added += e->m->work.len - n;
    return true;
}

/* Marks what live FDEs and all CIEs reference; returns true when something new was marked. */
static bool mark_eh_frames(Marker *m)
{
    Ld *ld = m->ld;
    EhMark e = {m, 0};
    for (uint32_t i = 0; i < ld->order.len; i++) {
        const LdFile *f = ld->files.data[ld->order.data[i]];
        for (uint32_t k = 0; k < f->nsecs; k++) {
            const InSec *s = &f->secs[k];
            if (s->live && s->kind == ISEC_EH_FRAME && s->nrela)
                gc_eh_walk(f, s, marked_target, mark_target, &e);
        }
    }
    return e.added > 0;
}

bool gc_runtime_root(const InSec *s)
{
    const char *n = s->name;
    if (s->type == SHT_NOTE || s->type == SHT_INIT_ARRAY || s->type == SHT_FINI_ARRAY ||
        s->type == SHT_PREINIT_ARRAY || (s->flags & SHF_GNU_RETAIN))
        return true;
    return strcmp(n, ".init") == 0 || strcmp(n, ".fini") == 0 || strncmp(n, ".init_array", 11) == 0 ||
           strncmp(n, ".fini_array", 11) == 0 || strncmp(n, ".preinit_array", 14) == 0 ||
           strncmp(n, ".ctors", 6) == 0 || strncmp(n, ".dtors", 6) == 0;
}

static bool is_root(Ld *ld, const InSec *s)
{
    const char *n = s->name;
    if (gc_runtime_root(s))
        return true;
    /* __start_X / __stop_X keep every section named X. */
    char buf[256];
    if (strlen(n) + 9 > sizeof buf)
        return false;
    snprintf(buf, sizeof buf, "__start_%s", n);
    uint32_t a = resolve_lookup(ld, buf, strlen(buf));
    snprintf(buf, sizeof buf, "__stop_%s", n);
    uint32_t b = resolve_lookup(ld, buf, strlen(buf));
    return a != LD_NONE || b != LD_NONE;
}

void gc_sections(Ld *ld)
{
    Marker m = {.ld = ld};
    m.base = xcalloc(ld->files.len + 1, sizeof(uint64_t));
    uint64_t bits = 0;
    for (uint32_t i = 0; i < ld->files.len; i++) {
        m.base[i] = bits;
        bits += ld->files.data[i]->nsecs;
    }
    m.marked = xcalloc(bits / 8 + 1, 1);

    const char *entry = ld->opt->entry ? ld->opt->entry : ld->script_entry ? ld->script_entry : "_start";
    mark_symbol(&m, resolve_lookup(ld, entry, strlen(entry)));
    for (uint32_t i = 0; i < ld->opt->nundefined; i++)
        mark_symbol(&m, resolve_lookup(ld, ld->opt->undefined[i], strlen(ld->opt->undefined[i])));
    for (uint32_t i = 0; i < ld->defsyms.len; i++)
        mark_symbol(&m, ld->defsyms.data[i].target);
    for (uint32_t i = 0; i < ld->order.len; i++) {
        LdFile *f = ld->files.data[ld->order.data[i]];
        for (uint32_t k = 0; k < f->nsecs; k++) {
            InSec *s = &f->secs[k];
            /* A PLANNED link keeps what the state has (an update never collects a
             * section that became unreachable, so neither does its verification). */
            bool planned = ld->incr && ld->incr->mode == INCR_PLANNED && incr_plan_live(ld, s);
            if (s->live && (!(s->flags & SHF_ALLOC) || is_root(ld, s) || planned))
                mark(&m, s);
        }
    }
    /* Non-allocated sections are kept but keep nothing: drop them from the work list. */
    for (uint32_t i = 0; i < m.work.len;)
        if (!(m.work.data[i]->flags & SHF_ALLOC))
            m.work.data[i] = m.work.data[--m.work.len];
        else
            i++;
    do
        propagate(&m);
    while (mark_eh_frames(&m));

    for (uint32_t i = 0; i < ld->order.len; i++) {
        LdFile *f = ld->files.data[ld->order.data[i]];
        for (uint32_t k = 0; k < f->nsecs; k++) {
            InSec *s = &f->secs[k];
            if (!s->live || s->kind == ISEC_EH_FRAME || is_marked(&m, s))
                continue;
            s->live = false;
            if (ld->opt->print_gc_sections)
                ld_report_add(ld->report, LD_INFO, "removing unused section '%s' in file '%s'", s->name, f->name);
        }
    }
    vec_free(&m.work);
    xfree(m.marked);
    xfree(m.base);
}

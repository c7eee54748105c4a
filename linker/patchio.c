/*
 * linker/patchio.c — the --incremental driver (incr_link), the write phase of an update
 * (the state's new records, the output's pages, the build-id, the commit), and --verify.
 *
 * incr_link opens the state, asks patch.c for an update and, when the update cannot be
 * done exactly, links in full (laid out with room to grow, saving a new state) and
 * says why in one message, "full link: <reason>". --verify then links in full again,
 * following the state's layout into <output>.relink-verify, and requires the same
 * bytes; on a difference it fails, keeps both files and removes the state (so the next
 * link is a full one).
 *
 * bin/relink answers from a fork (main.c): LdOptions.on_output is called only once the
 * output and its state are both in place (and verified, with --verify), so the parent
 * never reports success for an update whose state is not yet written.
 */
#include "linker/patch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *out_name(const LdOptions *opt)
{
    return opt->output ? opt->output : "a.out";
}

/* The output section holding file offset off of the ELF file at p (size bytes). */
static const char *section_at(const uint8_t *p, uint64_t size, uint64_t off)
{
    if (size < sizeof(Elf64_Ehdr))
        return "the ELF header";
    Elf64_Ehdr eh;
    memcpy(&eh, p, sizeof eh);
    if (off < sizeof eh + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr))
        return "the ELF and program headers";
    uint64_t n = eh.e_shnum;
    if (eh.e_shoff >= size || n > (size - eh.e_shoff) / sizeof(Elf64_Shdr) || eh.e_shstrndx >= n)
        return "?";
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(const void *)(p + eh.e_shoff);
    if (off >= eh.e_shoff)
        return "the section headers";
    const Elf64_Shdr *names = &sh[eh.e_shstrndx];
    for (uint64_t i = 1; i < n; i++) {
        if (sh[i].sh_type == SHT_NOBITS || off < sh[i].sh_offset || off - sh[i].sh_offset >= sh[i].sh_size)
            continue;
        uint64_t at = names->sh_offset + sh[i].sh_name;
        return at < size && memchr(p + at, 0, size - at) ? (const char *)p + at : "?";
    }
    return "no section";
}

/* Compares two files; returns true when equal, else describes the first difference. */
static bool same_files(const char *a, const char *b, char **diff)
{
    int fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_CLOEXEC);
    struct stat sa, sb;
    bool same = false;
    *diff = NULL;
    if (fa < 0 || fb < 0 || fstat(fa, &sa) < 0 || fstat(fb, &sb) < 0) {
        *diff = xasprintf("cannot read them: %s", strerror(errno));
        goto out;
    }
    if (sa.st_size != sb.st_size) {
        *diff = xasprintf("sizes %ld and %ld", (long)sa.st_size, (long)sb.st_size);
        goto out;
    }
    size_t n = (size_t)sa.st_size;
    if (n == 0) {
        same = true;
        goto out;
    }
    const uint8_t *pa = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fa, 0), *pb = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fb, 0);
    if (pa == MAP_FAILED || pb == MAP_FAILED) {
        *diff = xasprintf("cannot map them: %s", strerror(errno));
    } else if (memcmp(pa, pb, n) == 0) {
        same = true;
    } else {
        size_t i = 0;
        while (pa[i] == pb[i])
            i++;
        *diff = xasprintf("first difference at offset 0x%zx, in %s", i, section_at(pb, n, i));
    }
    if (pa != MAP_FAILED)
        munmap((void *)pa, n);
    if (pb != MAP_FAILED)
        munmap((void *)pb, n);
out:
    if (fa >= 0)
        close(fa);
    if (fb >= 0)
        close(fb);
    return same;
}

/* ---------------------------------------------------------------- the state's new records */

static int cmp_newsite(const void *a, const void *b)
{
    const NewSite *x = a, *y = b;
    if (x->local != y->local)
        return x->local ? 1 : -1;
    return x->target < y->target ? -1 : x->target > y->target;
}

/* Sites of a target (SYM or SEC id) as the state has them: (first, n, cap). */
static void target_sites(Patch *P, bool local, uint32_t target, uint32_t *first, uint32_t *n, uint32_t *cap)
{
    *first = *n = *cap = 0;
    if (local) {
        if (target < st_region(P->st, ST_R_SEC)->used) {
            const StSec *q = st_sec(P, target);
            *first = q->sites;
            *n = q->nsites;
            *cap = q->sites_cap;
        }
        return;
    }
    const ASym *a = &P->syms.data[*patch_sym_slot(P, target)];
    *first = a->old.sites;
    *n = a->old.nsites;
    *cap = a->old.sites_cap;
}

/* Reserves n records of region r; false when the state has no room. */
static bool take_records(Patch *P, StRegionId r, uint64_t end, const char *what)
{
    StRegion *rg = &P->h.regions[r];
    if (end > rg->cap)
        return patch_fallback(P, "the incremental state has no room for more %s", what);
    rg->used = MAX(rg->used, end);
    return true;
}

/* Site lists: each target's new sites join its list, which moves to the end of SITE
 * (dropping stale sites) when it has no room. */
static bool plan_sites(Patch *P)
{
    if (P->sites.len)
        qsort(P->sites.data, P->sites.len, sizeof(NewSite), cmp_newsite);
    P->site_next = P->h.regions[ST_R_SITE].used;
    for (uint32_t i = 0; i < P->sites.len;) {
        uint32_t j = i;
        while (j < P->sites.len && P->sites.data[j].local == P->sites.data[i].local &&
               P->sites.data[j].target == P->sites.data[i].target)
            j++;
        SiteList l = {.local = P->sites.data[i].local, .target = P->sites.data[i].target, .add_from = i,
                      .add_n = j - i};
        target_sites(P, l.local, l.target, &l.old_first, &l.old_n, &l.cap);
        if (l.old_n + l.add_n <= l.cap) {
            l.first = l.old_first;
            l.n = l.old_n + l.add_n;
        } else {
            uint32_t valid = 0;
            for (uint32_t k = 0; k < l.old_n; k++)
                valid += patch_site_valid(P, st_rec(P->st, ST_R_SITE, (uint64_t)l.old_first + k));
            l.moved = true;
            l.n = valid + l.add_n;
            l.cap = l.n * 2 + 4;
            l.first = (uint32_t)P->site_next;
            P->site_next += l.cap;
        }
        vec_push(&P->lists, l);
        i = j;
    }
    return take_records(P, ST_R_SITE, P->site_next, "relocation sites");
}

/* The records of the state after the update (written by commit). */
bool patch_plan_state(Patch *P)
{
    IncrState *st = P->st;
    uint64_t nsec = st_region(st, ST_R_SEC)->used;
    if (!plan_sites(P))
        return false;
    uint64_t fsym_next = P->h.regions[ST_R_FSYM].used;
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        LdFile *f = t->f;
        t->recs = patch_alloc(P, sizeof(StSec) * (f->nsecs + 1));
        for (uint32_t k = 0; k < f->nsecs; k++) {
            const InSec *s = &f->secs[k];
            const StSec *old = old_sec(P, t, k);
            StSec *r = &t->recs[k];
            if (t->fast && t->status[k] == SS_SAME) {
                *r = *old;  /* as it was */
                continue;
            }
            if (old)
                *r = *old;
            else
                r->sites = r->nsites = r->sites_cap = 0;
            r->name_hash = t->nh[k];
            r->nth = t->nth[k];
            r->file = t->id;
            r->next = k + 1 < f->nsecs ? t->sec_id[k + 1] : ST_NONE;
            r->osec = s->live && s->osec != LD_NONE ? s->osec : ST_NONE;
            r->offset = s->offset;
            r->size = s->out_size;
            r->capacity = s->capacity;
            r->hash = t->hash[k];
            r->raw = t->raw[k];
            r->p2align = s->p2align;
            r->flags = (uint8_t)((old ? old->flags & SF_PINNED : 0) | (r->osec != ST_NONE ? SF_LIVE : 0) |
                                 (s->kind == ISEC_EH_FRAME ? SF_EH : 0) | SF_HAS_SITES);
            if (t->status[k] == SS_SAME && old)
                r->flags |= old->flags & SF_PCREL;
            r->type = s->type;
            r->shflags = (uint32_t)s->flags;
            if (t->status[k] != SS_SAME && old)
                r->gen = (uint16_t)(old->gen + 1);
            if (!old)
                r->gen = 0;
        }
        for (uint32_t k = 1; !t->fast && k < f->nsym; k++) {
            const InSec *d = incr_symbol_section(f, k);
            if (d)
                t->recs[d - f->secs].flags |= SF_DEFINES;
        }
        for (uint32_t k = 0; t->fast && k < f->nsecs; k++)
            if (t->sec_id[k] < nsec)
                t->recs[k].flags |= st_sec(P, t->sec_id[k])->flags & SF_DEFINES;
        if (!take_records(P, ST_R_SEC, P->next_sec, "sections"))
            return false;
        /* Its global symbols (a fast object's are its old ones). */
        uint32_t nf = f->nsym - f->first_global;
        t->fsyms = patch_alloc(P, sizeof(StFsym) * (nf + 1));
        for (uint32_t k = f->first_global; k < f->nsym && !t->fast; k++) {
            StFsym *q = &t->fsyms[k - f->first_global];
            q->sym = P->syms.data[P->mini_sym.data[f->gsym[k - f->first_global]]].id;
            q->role = incr_fsym_role(f, k, &q->common);
            q->visibility = ELF64_ST_VISIBILITY(f->sym[k].st_other);
        }
        if (t->fast || (t->old && nf <= t->old->fsym_cap)) {
            t->fsym = t->old->fsym;
            t->fsym_cap = t->old->fsym_cap;
        } else {
            t->fsym = (uint32_t)fsym_next;
            t->fsym_cap = nf;
            fsym_next += nf;
        }
        StFile *r = &t->rec;
        if (t->old)
            *r = *t->old;
        else if (!patch_add_string(P, f->name, strlen(f->name), &r->name))
            return false;
        bool same_comment = t->old && t->old->comment.len == f->comment_size &&
                            (!f->comment_size || memcmp(st_str(P->st, t->old->comment), f->comment, f->comment_size) == 0);
        if (!same_comment &&
            !patch_add_string(P, f->comment ? (const char *)f->comment : "", f->comment_size, &r->comment))
            return false;
        r->loaded = t->loaded;
        r->flags = patch_stack_flags(f) | (f->member_of ? FF_MEMBER : 0);
        r->order = f->order;
        r->member_off = f->member_off;
        if (!f->member_of)
            r->hash = t->stat.hash;
        r->sec_head = f->nsecs ? t->sec_id[0] : ST_NONE;
        r->nsecs = f->nsecs;
        r->fsym = t->fsym;
        r->nfsym = nf;
        r->fsym_cap = t->fsym_cap;
        r->symtab = t->symtab;
        r->sym_at = t->sym_at;
        r->sym_cap = t->sym_cap;
        r->str_at = t->str_at;
        r->str_cap = t->str_cap;
        r->eh_sec = ST_NONE;
        for (uint32_t k = 0; k < f->nsecs; k++)
            if (f->secs[k].kind == ISEC_EH_FRAME && t->recs[k].osec != ST_NONE)
                r->eh_sec = t->sec_id[k];
    }
    /* Member lists of packed sections. */
    uint64_t members_next = P->h.regions[ST_R_MEMBERS].used;
    for (uint32_t i = 0; i < P->pack_lists.len; i++) {
        PackList *l = &P->pack_lists.data[i];
        if (l->ids.len > l->cap) {
            l->cap = l->ids.len * 2 + 8;
            l->first = (uint32_t)members_next;
            members_next += l->cap;
        }
        StOsec *os = &P->osecs[l->osec];
        os->members = l->first;
        os->nmembers = l->ids.len;
        os->members_cap = l->cap;
    }
    if (!take_records(P, ST_R_MEMBERS, members_next, "members of packed sections") ||
        !take_records(P, ST_R_FSYM, fsym_next, "symbol references") ||
        !take_records(P, ST_R_FILE, P->next_file, "objects") ||
        !take_records(P, ST_R_LOADED, P->next_loaded, "files") ||
        !take_records(P, ST_R_SYM, P->next_sym, "symbols") ||
        !take_records(P, ST_R_FREE, P->free.len, "free ranges"))
        return false;
    if (P->inputs_changed) {
        if (P->inputs.len > P->h.regions[ST_R_INPUT].cap)
            return patch_fallback(P, "the incremental state has no room for more inputs");
        P->h.regions[ST_R_INPUT].used = P->inputs.len;
    }
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        if (!t->old && !patch_add_string(P, t->f->name, strlen(t->f->name), &t->stat.path))
            return false;
    }
    for (uint32_t i = 0; i < P->syms.len; i++) {
        ASym *a = &P->syms.data[i];
        if (a->fresh && !patch_add_string(P, a->name, strlen(a->name), &a->now.name))
            return false;
        if (a->fresh)
            a->now.hash = hash64(a->name, strlen(a->name));
    }
    /* Site lists into their targets' records (local targets: a map over SEC ids). */
    uint32_t nrec = 16;
    for (uint32_t i = 0; i < P->files.len; i++)
        nrec += P->files.data[i].f->nsecs;
    uint32_t map_mask = 31;
    while (map_mask + 1 < nrec * 2)
        map_mask = map_mask * 2 + 1;
    uint32_t *map_id = patch_alloc(P, sizeof(uint32_t) * (map_mask + 1));
    StSec **map_rec = patch_alloc(P, sizeof(StSec *) * (map_mask + 1));
    memset(map_id, 0xff, sizeof(uint32_t) * (map_mask + 1));
    for (uint32_t i = 0; i < P->files.len; i++)
        for (uint32_t k = 0; k < P->files.data[i].f->nsecs; k++) {
            uint64_t key = P->files.data[i].sec_id[k];
            uint32_t h = (uint32_t)hash64(&key, 8) & map_mask;
            while (map_id[h] != ST_NONE)
                h = (h + 1) & map_mask;
            map_id[h] = P->files.data[i].sec_id[k];
            map_rec[h] = &P->files.data[i].recs[k];
        }
    /* Sections with PC-relative sites (their bytes depend on their place). */
    for (uint32_t i = 0; i < P->sites.len; i++) {
        if (!incr_site_pcrel(P->sites.data[i].site.kind))
            continue;
        uint64_t key = P->sites.data[i].site.src;
        for (uint32_t h = (uint32_t)hash64(&key, 8) & map_mask; map_id[h] != ST_NONE; h = (h + 1) & map_mask)
            if (map_id[h] == key)
                map_rec[h]->flags |= SF_PCREL;
    }
    for (uint32_t i = 0; i < P->lists.len; i++) {
        const SiteList *l = &P->lists.data[i];
        uint32_t *first, *n, *cap;
        if (l->local) {
            StSec *r = NULL;
            uint64_t key = l->target;
            for (uint32_t h = (uint32_t)hash64(&key, 8) & map_mask; map_id[h] != ST_NONE; h = (h + 1) & map_mask)
                if (map_id[h] == l->target)
                    r = map_rec[h];
            if (!r)
                return patch_fallback(P, "a local site outside the objects that change");
            first = &r->sites, n = &r->nsites, cap = &r->sites_cap;
        } else {
            ASym *a = &P->syms.data[*patch_sym_slot(P, l->target)];
            first = &a->now.sites, n = &a->now.nsites, cap = &a->now.sites_cap;
        }
        *first = l->first;
        *n = l->n;
        *cap = l->cap;
    }
    return true;
}

/* ---------------------------------------------------------------- 8. write */

static void write_point(Patch *P, uint32_t *points, const char *what)
{
    (void)what;
    if (++*points == P->opt->fault_at)
        kill(getpid(), SIGKILL);
}

/* The output's new pages: the old contents with every write applied in order. */
typedef struct Pages {
    uint64_t *index;          /* open addressing over page numbers + 1 */
    uint8_t **data;
    uint32_t mask, count;
} Pages;

static uint8_t *page_of(Patch *P, Pages *pg, uint64_t page)
{
    if ((pg->count + 1) * 2 > pg->mask) {
        uint32_t n = pg->index ? (pg->mask + 1) * 2 : 64;
        uint64_t *index = xcalloc(n, sizeof(uint64_t));
        uint8_t **data = xcalloc(n, sizeof(uint8_t *));
        for (uint32_t i = 0; pg->index && i <= pg->mask; i++) {
            if (!pg->index[i])
                continue;
            uint32_t h = (uint32_t)hash64(&pg->index[i], 8) & (n - 1);
            while (index[h])
                h = (h + 1) & (n - 1);
            index[h] = pg->index[i];
            data[h] = pg->data[i];
        }
        xfree(pg->index);
        xfree(pg->data);
        pg->index = index;
        pg->data = data;
        pg->mask = n - 1;
    }
    uint64_t key = page + 1;
    uint32_t h = (uint32_t)hash64(&key, 8) & pg->mask;
    while (pg->index[h] && pg->index[h] != key)
        h = (h + 1) & pg->mask;
    if (!pg->index[h]) {
        pg->index[h] = key;
        pg->data[h] = patch_alloc(P, ST_BLOCK);
        uint64_t off = page * ST_BLOCK;
        if (off < P->out_size)
            memcpy(pg->data[h], P->out + off, MIN((uint64_t)ST_BLOCK, P->out_size - off));
        pg->count++;
    }
    return pg->data[h];
}

static void apply_writes(Patch *P, Pages *pg, const WriteVec *w)
{
    for (uint32_t i = 0; i < w->len; i++) {
        const OutWrite *o = &w->data[i];
        for (uint64_t done = 0; done < o->len;) {
            uint64_t at = o->off + done, in = at % ST_BLOCK, n = MIN(o->len - done, ST_BLOCK - in);
            memcpy(page_of(P, pg, at / ST_BLOCK) + in, o->data + done, n);
            done += n;
        }
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A copy of the output to patch when the output is running (ETXTBSY): a temp file
 * beside it, data ranges only (holes stay holes). */
static int copy_output(Patch *P, const char *out, char **tmp)
{
    *tmp = xasprintf("%s.relink-tmp-%d", out, (int)getpid());
    int from = open(out, O_RDONLY | O_CLOEXEC);
    int fd = open(*tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0777);
    bool ok = from >= 0 && fd >= 0 && ftruncate(fd, (off_t)P->out_size) == 0;
    for (off_t at = 0; ok && (uint64_t)at < P->out_size;) {
        off_t data = lseek(from, at, SEEK_DATA);
        if (data < 0)
            break;
        off_t hole = lseek(from, data, SEEK_HOLE);
        if (hole < 0)
            hole = (off_t)P->out_size;
        ok = incr_pwrite(fd, P->out + data, (uint64_t)(hole - data), (uint64_t)data);
        at = hole;
    }
    struct stat sb;
    if (ok && fstat(from, &sb) == 0)
        fchmod(fd, sb.st_mode & 07777);
    if (from >= 0)
        close(from);
    if (!ok) {
        if (fd >= 0)
            close(fd);
        unlink(*tmp);
        return -1;
    }
    return fd;
}

/* The build-id of a hash style: chunks the update wrote are hashed again. */
static bool rebuild_id(Patch *P, int fd, const uint64_t *pages, uint32_t npages, uint32_t *points)
{
    if (!npages || P->h.os_build_id == ST_NONE || P->opt->build_id == LD_BUILD_ID_NONE ||
        P->opt->build_id == LD_BUILD_ID_UUID || P->opt->build_id == LD_BUILD_ID_HEX)
        return true;
    IncrState *st = P->st;
    uint64_t nchunk = st_region(st, ST_R_CHUNK)->used;
    const uint8_t *map = mmap(NULL, P->out_size, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        return patch_fallback(P, "cannot map the output: %s", strerror(errno));
    uint64_t desc = P->osecs[P->h.os_build_id].offset + 16;
    uint8_t *buf = xmalloc(BUILD_ID_CHUNK);
    uint64_t last = UINT64_MAX;
    for (uint32_t i = 0; i < npages; i++) {
        uint64_t c = pages[i] * ST_BLOCK / BUILD_ID_CHUNK;
        if (c == last || c >= nchunk)
            continue;
        last = c;
        uint64_t lo = c * BUILD_ID_CHUNK, len = MIN((uint64_t)BUILD_ID_CHUNK, P->out_size - lo);
        const uint8_t *bytes = map + lo;
        if (desc + P->h.build_id_len > lo && desc < lo + len) {
            /* The descriptor is hashed as zeros. */
            memcpy(buf, map + lo, len);
            uint64_t from = MAX(desc, lo), to = MIN(desc + P->h.build_id_len, lo + len);
            memset(buf + (from - lo), 0, to - from);
            bytes = buf;
        }
        *(Hash128 *)st_recw(st, ST_R_CHUNK, c) = hash128(bytes, len);
    }
    xfree(buf);
    uint8_t id[64];
    output_build_id_from_chunks(st_range(st, ST_R_CHUNK, 0, nchunk), (uint32_t)nchunk, id, P->h.build_id_len);
    munmap((void *)map, P->out_size);
    write_point(P, points, "write the build-id");
    return incr_pwrite(fd, id, P->h.build_id_len, desc) || patch_fallback(P, "cannot write the output: %s", strerror(errno));
}

/* Writes record i of region r when it differs (a block written must be hashed again). */
static void put_rec(IncrState *st, StRegionId r, uint64_t i, const void *rec, size_t size)
{
    if (memcmp(st_rec(st, r, i), rec, size) != 0)
        memcpy(st_recw(st, r, i), rec, size);
}

/* Writes the state's records (between incr_state_begin and incr_state_commit). */
static void write_state(Patch *P)
{
    IncrState *st = P->st;
    StRegion *str = &st->hdr->regions[ST_R_STR];
    for (uint32_t i = 0; i < P->strings.len; i++) {
        const OutWrite *w = &P->strings.data[i];
        for (uint64_t k = 0; k < w->len; k++)
            *(char *)st_recw(st, ST_R_STR, w->off + k) = (char)w->data[k];
    }
    (void)str;
    for (uint32_t i = 0; i < P->dead_secs.len; i++) {
        StSec *q = st_recw(st, ST_R_SEC, P->dead_secs.data[i]);
        q->flags = (uint8_t)((q->flags & ~SF_LIVE) | SF_REMOVED);
        q->osec = ST_NONE;
        q->gen++;
    }
    for (uint32_t i = 0; i < P->files.len; i++) {
        TFile *t = &P->files.data[i];
        for (uint32_t k = 0; k < t->f->nsecs; k++)
            put_rec(st, ST_R_SEC, t->sec_id[k], &t->recs[k], sizeof(StSec));
        put_rec(st, ST_R_FILE, t->id, &t->rec, sizeof(StFile));
        for (uint32_t k = 0; k < t->rec.nfsym && !t->fast; k++)
            put_rec(st, ST_R_FSYM, (uint64_t)t->fsym + k, &t->fsyms[k], sizeof(StFsym));
        put_rec(st, ST_R_LOADED, t->loaded, &t->stat, sizeof(StLoaded));
    }
    for (uint32_t i = 0; i < P->removed.len; i++)
        ((StFile *)st_recw(st, ST_R_FILE, P->removed.data[i]))->flags |= FF_REMOVED;
    for (uint32_t i = 0; i < P->loaded_ids.len; i++)
        *(StLoaded *)st_recw(st, ST_R_LOADED, P->loaded_ids.data[i]) = P->loaded_updates.data[i];
    if (P->inputs_changed)
        for (uint32_t i = 0; i < P->inputs.len; i++)
            *(StInput *)st_recw(st, ST_R_INPUT, i) = P->inputs.data[i];
    /* Sites: moved lists first copy their still valid sites, then new sites join. */
    for (uint32_t i = 0; i < P->lists.len; i++) {
        const SiteList *l = &P->lists.data[i];
        uint32_t at = l->first;
        if (l->moved) {
            for (uint32_t k = 0; k < l->old_n; k++) {
                const StSite *old = st_rec(st, ST_R_SITE, (uint64_t)l->old_first + k);
                if (patch_site_valid(P, old)) {
                    StSite copy = *old;
                    *(StSite *)st_recw(st, ST_R_SITE, at++) = copy;
                }
            }
        } else {
            at += l->old_n;
        }
        for (uint32_t k = 0; k < l->add_n; k++)
            *(StSite *)st_recw(st, ST_R_SITE, at++) = P->sites.data[l->add_from + k].site;
    }
    for (uint32_t i = 0; i < P->syms.len; i++) {
        ASym *a = &P->syms.data[i];
        put_rec(st, ST_R_SYM, a->id, &a->now, sizeof(StSym));
        if (!a->fresh)
            continue;
        uint32_t mask = P->h.symhash_mask;
        for (uint32_t h = (uint32_t)a->now.hash & mask;; h = (h + 1) & mask) {
            uint32_t *slot = st_recw(st, ST_R_SYMHASH, h);
            if (!*slot) {
                *slot = a->id + 1;
                break;
            }
        }
    }
    for (uint32_t o = 0; o < P->nosecs; o++)
        put_rec(st, ST_R_OSEC, o, &P->osecs[o], sizeof(StOsec));
    for (uint32_t i = 0; i < P->pack_lists.len; i++) {
        const PackList *l = &P->pack_lists.data[i];
        for (uint32_t k = 0; k < l->ids.len; k++)
            put_rec(st, ST_R_MEMBERS, (uint64_t)l->first + k, &l->ids.data[k], sizeof(uint32_t));
    }
    for (uint32_t i = 0; i < P->packed.len; i++) {
        StSec q = *st_sec(P, P->packed.data[i].sec);
        q.offset = P->packed.data[i].offset;
        put_rec(st, ST_R_SEC, P->packed.data[i].sec, &q, sizeof q);
    }
    for (uint32_t i = 0, n = 0; i < P->free.len; i++)
        if (P->free.data[i].len)
            put_rec(st, ST_R_FREE, n++, &P->free.data[i], sizeof(StFree));
    uint64_t nfree = 0;
    for (uint32_t i = 0; i < P->free.len; i++)
        nfree += P->free.data[i].len != 0;
    P->h.regions[ST_R_FREE].used = nfree;
    /* The header: what this update changed (flags and checksums are commit's). */
    incr_state_put_header(st, &P->h);
}

/* Writes the update: the state marked DIRTY, the output's pages, the build-id, the
 * state's records, the state committed. False (with P->why) when writing failed: the
 * output may then be half updated and the state says so; the caller links in full. */
bool patch_commit(Patch *P, uint32_t *points)
{
    const char *out = P->opt->output ? P->opt->output : "a.out";
    char *tmp = NULL;
    int fd = open(out, O_RDWR | O_CLOEXEC);
    if (fd < 0 && errno == ETXTBSY)
        fd = copy_output(P, out, &tmp);
    if (fd < 0)
        return patch_fallback(P, "cannot write `%s`: %s", out, strerror(errno));
    Pages pg = {0};
    apply_writes(P, &pg, &P->zeros);
    apply_writes(P, &pg, &P->writes);
    uint64_t *pages = xmalloc(sizeof(uint64_t) * (pg.count + 1));
    uint32_t n = 0;
    for (uint32_t i = 0; pg.index && i <= pg.mask; i++)
        if (pg.index[i])
            pages[n++] = pg.index[i] - 1;
    qsort(pages, n, sizeof(uint64_t), cmp_u64);

    incr_state_begin(P->st);
    write_point(P, points, "mark the state dirty");
    bool ok = true;
    uint64_t written = 0;
    for (uint32_t i = 0; i < n && ok;) {
        uint32_t j = i + 1;
        while (j < n && pages[j] == pages[j - 1] + 1 && j - i < 256)
            j++;
        uint64_t off = pages[i] * ST_BLOCK, len = MIN((uint64_t)(j - i) * ST_BLOCK, P->out_size - off);
        uint8_t *run = xmalloc(len);
        for (uint32_t k = i; k < j; k++)
            memcpy(run + (uint64_t)(k - i) * ST_BLOCK, page_of(P, &pg, pages[k]),
                   MIN((uint64_t)ST_BLOCK, len - (uint64_t)(k - i) * ST_BLOCK));
        write_point(P, points, "write the output");
        ok = incr_pwrite(fd, run, len, off);
        written += len;
        xfree(run);
        i = j;
    }
    if (!ok)
        patch_fallback(P, "cannot write `%s`: %s", out, strerror(errno));
    if (ok)
        ok = rebuild_id(P, fd, pages, n, points);
    if (ok && tmp) {
        char *aside = xasprintf("%s.relink-old-%d", out, (int)getpid());
        if (link(out, aside) == 0)
            P->rep->stale_output = aside;
        else
            xfree(aside);
        write_point(P, points, "rename the patched copy");
        ok = rename(tmp, out) == 0 || patch_fallback(P, "cannot replace `%s`: %s", out, strerror(errno));
    }
    if (ok) {
        write_state(P);
        write_point(P, points, "commit the state");
        incr_state_commit(P->st, fd);
    }
    if (!ok && tmp)
        unlink(tmp);
    close(fd);
    xfree(tmp);
    xfree(pages);
    xfree(pg.index);
    xfree(pg.data);
    P->rep->bytes_written = written;
    return ok;
}

/* --verify: a full link following the state's layout must give the same bytes. */
static bool verify(const LdOptions *opts, LdReport *rep)
{
    uint64_t t0 = clock_ns();
    const char *out = out_name(opts);
    char *spath = incr_state_path(out), *vpath = xasprintf("%s.relink-verify", out), *why = NULL;
    bool ok = false;
    IncrState *st = incr_state_open(spath, &why);
    if (!st) {
        ld_report_add(rep, LD_ERROR, "verify: %s", why);
        goto out;
    }
    jmp_buf fail;
    st->fail = &fail;
    if (setjmp(fail)) {
        ld_report_add(rep, LD_ERROR, "verify: the incremental state is %s", st->why);
        incr_state_invalidate(st);
        goto out;
    }
    incr_state_check_all(st);
    st->fail = NULL;
    LdOptions vopt = *opts;
    vopt.on_output = NULL;
    LdReport vrep = {0};
    LdIncr plan = {.mode = INCR_PLANNED, .slack = incr_slack(opts), .reserve = incr_reserve(opts), .state = st,
                   .out_path = vpath};
    if (opts->build_id == LD_BUILD_ID_UUID && st->hdr->os_build_id != ST_NONE) {
        /* A random id cannot be linked again: take the output's. */
        const StOsec *id = st_rec(st, ST_R_OSEC, st->hdr->os_build_id);
        int fd = open(out, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || pread(fd, plan.uuid, sizeof plan.uuid, (off_t)id->offset + 16) != (ssize_t)sizeof plan.uuid)
            memset(plan.uuid, 0, sizeof plan.uuid);
        if (fd >= 0)
            close(fd);
    }
    bool linked = ld_run(&vopt, &vrep, &plan);
    for (uint32_t i = 0; i < vrep.messages.len; i++)
        if (vrep.messages.data[i].level == LD_ERROR)
            ld_report_add(rep, LD_ERROR, "%s%s", strncmp(vrep.messages.data[i].text, "verify: ", 8) ? "verify: " : "",
                          vrep.messages.data[i].text);
    ld_report_free(&vrep);
    char *diff = NULL;
    if (!linked) {
        incr_state_invalidate(st);
    } else if (!same_files(out, vpath, &diff)) {
        ld_report_add(rep, LD_ERROR,
                      "verify: `%s` differs from a full link with the same layout (%s); both are kept, the full "
                      "link as `%s`",
                      out, diff, vpath);
        incr_state_invalidate(st);
    } else {
        unlink(vpath);
        ok = true;
    }
    xfree(diff);
out:
    incr_state_close(st);
    xfree(spath);
    xfree(vpath);
    xfree(why);
    rep->phase_ns[LD_PHASE_VERIFY] += clock_ns() - t0;
    return ok;
}

bool incr_link(const LdOptions *opts, LdReport *rep)
{
    if (!opts->incremental) {
        ld_report_add(rep, LD_ERROR, "--verify checks an incremental link: it needs --incremental");
        return false;
    }
    uint32_t write_points = 0;
    const char *out = out_name(opts);
    char *spath = incr_state_path(out), *why = NULL;
    uint64_t t0 = clock_ns();
    IncrState *st = incr_state_open(spath, &why);
    rep->phase_ns[LD_PHASE_STATE] += clock_ns() - t0;
    xfree(spath);
    if (st) {
        PatchResult r = patch_run(opts, rep, st, &write_points, &why);
        incr_state_close(st);
        if (r == PATCH_FAILED)
            return false;
        if (r == PATCH_DONE) {
            rep->incremental = LD_INCR_PATCHED;
            bool ok = !opts->verify || verify(opts, rep);
            if (ok && opts->on_output)
                opts->on_output(opts->on_output_ctx, rep);
            return ok && rep->errors == 0;
        }
    }
    rep->incremental = LD_INCR_FULL;
    rep->full_link_reason = why;
    ld_report_add(rep, LD_INFO, "full link: %s", why);
    LdIncr fresh = {.mode = INCR_FRESH, .slack = incr_slack(opts), .reserve = incr_reserve(opts),
                    .on_output = !opts->verify, .write_points = &write_points};
    bool ok = ld_run(opts, rep, &fresh);
    if (ok && opts->verify) {
        ok = verify(opts, rep);
        if (ok && opts->on_output)
            opts->on_output(opts->on_output_ctx, rep);
    }
    return ok && rep->errors == 0;
}

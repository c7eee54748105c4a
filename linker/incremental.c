/*
 * linker/incremental.c — the incremental linker's state, <output>.relink-state: its
 * format, how a full link writes it (FRESH), how it is opened and checked, and how a
 * full link follows its layout (PLANNED, for --verify).
 *
 * Format, version 1 (all little-endian; record structs in linker/incr.h):
 *
 *   block 0       StHeader: magic "RLNKSTAT", version, flags (ST_DIRTY while an
 *                 update is under way), the header's own XXH3-128 checksum, the
 *                 identity of the output it describes (device, inode, size, mtime),
 *                 the hash of the command line, layout constants, and a directory of
 *                 regions (offset, room, records used, record size).
 *   block table   an XXH3-128 per 4 KiB block from data_off to the end of the file;
 *                 then an XXH3-128 per 4 KiB page of the block table (l2tab), whose
 *                 own checksum is in the header.
 *   regions       each block-aligned, records then room (a sparse hole):
 *     STR      strings (NUL-terminated), named by StStr {offset, length}
 *     LOADED   every file the link read: path, kind, size, inode, mtime, content hash
 *     INPUT    every LdOptions.inputs entry: kind, name, the LOADED file it named
 *     FILE     every linked object: name, content hash, .comment bytes, its sections
 *              (a chain of SEC records), its global symbols (a range of FSYM), its
 *              slices of .symtab and .strtab; FILE 0 holds the linker's sections
 *     SEC      every input section of a linked object, live or not: its key (name
 *              hash, occurrence), output section, offset, size, capacity, contents
 *              hash, generation, and the range of SITE records that point into it
 *     SYM      every global symbol: name, definition, address, slots, .symtab index,
 *              reference counts, and the range of SITE records that name it
 *     SYMHASH  open addressing over SYM (index + 1; 0 is empty), hash64 of the name
 *     FSYM     per object, each global symbol it defines or names, with its role
 *     SITE     relocation sites whose bytes depend on a target's address (the reverse
 *              index, grouped by target), each with its section's generation
 *     OSEC     output sections: name, kind, flags, address, offset, size, capacity
 *     FREE     room freed inside output sections, for later updates
 *     WARN     the full link's warnings, repeated by updates
 *     CHUNK    XXH3-128 of each 64 KiB of the output (the build-id is their hash)
 *     MEMBERS  the members of each packed (non-allocated) output section, in order
 *
 * The state is written whole by a full link (temp file + rename, after the output is
 * in place; the old state is removed before the output is replaced). An update opens
 * it with a shared mapping and checks the header and the l2tab at once, and every
 * other block (and the page of the block table holding its checksum) the first time a
 * record in it is read, so an update reads only what it touches. It sets ST_DIRTY before its first write to the output, writes its records
 * in place, re-checksums the blocks it wrote and clears ST_DIRTY with the output's new
 * identity. A state that is missing, foreign, from another relink, damaged, DIRTY, or
 * that describes another output makes the next link a full one.
 */
#include "linker/incr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(sizeof(StHeader) <= ST_BLOCK, "the header fits its block");

static const uint64_t region_recsize[ST_R_COUNT] = {
#define X(id, rec, what) rec,
    ST_REGIONS(X)
#undef X
};

static const char *const region_name[ST_R_COUNT] = {
#define X(id, rec, what) what,
    ST_REGIONS(X)
#undef X
};

/* ---------------------------------------------------------------- small things */

char *incr_state_path(const char *output)
{
    return xasprintf("%s.relink-state", output ? output : "a.out");
}

void incr_forget(const char *output)
{
    char *p = incr_state_path(output);
    unlink(p);
    xfree(p);
}

uint32_t incr_slack(const LdOptions *opt)
{
    return opt->incremental_slack == LD_NO_SLACK ? 0 : opt->incremental_slack ? opt->incremental_slack : 25;
}

uint32_t incr_reserve(const LdOptions *opt)
{
    return opt->incremental_reserve == LD_NO_SLACK ? 0 : opt->incremental_reserve ? opt->incremental_reserve : 50;
}

static void hash_cstr(Hasher *h, const char *s)
{
    hasher_str(h, s ? s : "", s ? strlen(s) : 0);
    hasher_u8(h, s != NULL);
}

static void hash_list(Hasher *h, const char *const *list, uint32_t n)
{
    hasher_u32(h, n);
    for (uint32_t i = 0; i < n; i++)
        hash_cstr(h, list[i]);
}

Hash128 incr_options_hash(const LdOptions *o)
{
    Hasher h;
    hasher_init(&h);
    hash_cstr(&h, o->entry);
    hash_list(&h, o->lib_paths, o->nlib_paths);
    hash_list(&h, o->undefined, o->nundefined);
    hash_list(&h, o->defsyms, o->ndefsyms);
    hash_cstr(&h, o->sysroot);
    hasher_u64(&h, o->image_base);
    hasher_u64(&h, o->page_size);
    hasher_u32(&h, o->build_id);
    hash_cstr(&h, o->build_id == LD_BUILD_ID_HEX ? o->build_id_hex : NULL);
    const bool flags[] = {o->strip_all, o->strip_debug, o->discard_all, o->gc_sections, o->print_gc_sections,
                          o->exec_stack, o->no_exec_stack, o->no_relro, o->no_eh_frame_hdr,
                          o->allow_multiple_definition, o->fatal_warnings, o->trace};
    for (size_t i = 0; i < ARRAY_LEN(flags); i++)
        hasher_u8(&h, flags[i]);
    hasher_u32(&h, incr_slack(o));
    hasher_u32(&h, incr_reserve(o));
    return hasher_final(&h);
}

#ifndef LINKER_SOURCE_ID
#define LINKER_SOURCE_ID "unknown"
#endif

/* Identifies the build of the linker (linker/module.mk): a state from another is foreign. */
static Hash128 relink_id(void)
{
    const char *v = ld_version();
    Hasher h;
    hasher_init(&h);
    hasher_str(&h, v, strlen(v));
    hasher_str(&h, LINKER_SOURCE_ID, strlen(LINKER_SOURCE_ID));
    hasher_u32(&h, ST_VERSION);
    return hasher_final(&h);
}

void incr_file_keys(const LdFile *f, uint64_t *name_hash, uint32_t *nth)
{
    NameMap seen = {0};
    for (uint32_t k = 0; k < f->nsecs; k++) {
        const char *name = f->secs[k].name;
        name_hash[k] = hash64(name, strlen(name));
        uint32_t *count = namemap_slot(&seen, name, 0);
        *count = *count == LD_NONE ? 1 : *count + 1;
        nth[k] = *count - 1;
    }
    namemap_free(&seen);
}

/* A relocation as incr_section_hash sees it. */
typedef struct RelocKey {
    uint64_t offset, addend, key, value, size;
    uint32_t type;
    uint32_t info;            /* 1 global, 2 local in a section, 3 other local, 0 bad */
} RelocKey;

Hash128 incr_section_hash(const LdFile *f, const InSec *s, const uint64_t *name_hash, const uint32_t *nth)
{
    Hasher h;
    hasher_init(&h);
    hasher_u32(&h, s->type);
    hasher_u64(&h, s->flags);
    hasher_u8(&h, s->p2align);
    hasher_u64(&h, s->size);
    if (s->data)
        hasher_bytes(&h, s->data, s->size);
    hasher_u32(&h, s->nrela);
    enum { BATCH = 256 };
    RelocKey keys[BATCH];
    for (uint32_t k0 = 0; k0 < s->nrela; k0 += BATCH) {
        uint32_t n = MIN((uint32_t)BATCH, s->nrela - k0);
        memset(keys, 0, sizeof(RelocKey) * n);
        for (uint32_t j = 0; j < n; j++) {
            const Elf64_Rela *r = &s->rela[k0 + j];
            RelocKey *q = &keys[j];
            uint32_t si = ELF64_R_SYM(r->r_info);
            q->offset = r->r_offset;
            q->type = ELF64_R_TYPE(r->r_info);
            q->addend = (uint64_t)r->r_addend;
            if (si >= f->nsym) {
                q->key = si;
                continue;
            }
            if (si >= f->first_global) {
                q->info = 1;
                q->key = f->ghash[si - f->first_global];  /* the name's hash64 */
                continue;
            }
            const Elf64_Sym *es = &f->sym[si];
            uint32_t shndx = input_sym_shndx(f, es, si);
            const InSec *t = shndx != SHN_ABS && shndx != SHN_UNDEF && shndx != SHN_COMMON ? file_sec(f, shndx) : NULL;
            q->info = t ? 2u << 8 | es->st_info : 3u << 8 | es->st_info;
            q->key = t ? name_hash[t - f->secs] ^ (uint64_t)nth[t - f->secs] << 48 : shndx;
            q->value = es->st_value;
            q->size = es->st_size;
        }
        hasher_bytes(&h, keys, sizeof(RelocKey) * n);
    }
    return hasher_final(&h);
}

bool incr_site_pcrel(unsigned kind)
{
    return kind == SITE_PC64 || kind == SITE_PC32 || kind == SITE_PC16 || kind == SITE_PC8;
}

const InSec *incr_symbol_section(const LdFile *f, uint32_t i)
{
    const Elf64_Sym *es = &f->sym[i];
    uint8_t type = ELF64_ST_TYPE(es->st_info);
    if (type == STT_SECTION || type == STT_FILE)
        return NULL;
    uint32_t shndx = input_sym_shndx(f, es, i);
    if (shndx == SHN_UNDEF || shndx == SHN_ABS || shndx == SHN_COMMON)
        return NULL;
    return file_sec(f, shndx);
}

Hash128 incr_symtab_hash(const LdFile *f)
{
    Hasher h;
    hasher_init(&h);
    hasher_u32(&h, f->nsym);
    hasher_u32(&h, f->first_global);
    if (f->nsym) {
        hasher_bytes(&h, f->sym, sizeof(Elf64_Sym) * f->nsym);
        hasher_bytes(&h, f->strtab, f->strtab_size);
    }
    if (f->xindex)
        hasher_bytes(&h, f->xindex, sizeof(uint32_t) * f->nsym);
    hasher_u32(&h, f->nshdr);
    for (uint32_t i = 0; i < f->nshdr; i++) {
        const Elf64_Shdr *sh = &f->shdr[i];
        const char *name = f->shstrtab + sh->sh_name;
        uint64_t id[5] = {sh->sh_type, sh->sh_flags, sh->sh_addralign, sh->sh_link, sh->sh_info};
        hasher_bytes(&h, id, sizeof id);
        hasher_str(&h, name, strlen(name));
    }
    return hasher_final(&h);
}

Hash128 incr_section_raw(const InSec *s)
{
    /* One-shot hashes (cheaper than a stream for the many small sections). */
    Hash128 parts[3] = {s->data ? hash128(s->data, s->size) : (Hash128){0, 0},
                        s->nrela ? hash128(s->rela, sizeof(Elf64_Rela) * s->nrela) : (Hash128){0, 0},
                        {(uint64_t)s->type << 32 | s->p2align, s->flags ^ s->size << 20 ^ (uint64_t)s->nrela << 44}};
    return hash128(parts, sizeof parts);
}

uint8_t incr_fsym_role(const LdFile *f, uint32_t i, uint64_t *common)
{
    const Elf64_Sym *es = &f->sym[i];
    uint32_t shndx = input_sym_shndx(f, es, i);
    uint8_t role = ELF64_ST_BIND(es->st_info) == STB_WEAK ? FS_WEAK : 0;
    *common = 0;
    if (shndx == SHN_UNDEF)
        return role;
    if (shndx == SHN_COMMON) {
        uint64_t al = es->st_value && !(es->st_value & (es->st_value - 1)) ? es->st_value : 1;
        *common = es->st_size << 8 | (uint64_t)__builtin_ctzll(al);
        return role | FS_DEF | FS_COMMON;
    }
    if (shndx == SHN_ABS)
        return role | FS_DEF | FS_ABS;
    return file_sec(f, shndx) ? role | FS_DEF : role;
}

/* ---------------------------------------------------------------- opening and checking */

static _Noreturn void st_fail(IncrState *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void incr_first_reason(char **why, const char *fmt, va_list ap)
{
    if (*why)
        return;
    StrBuf sb = {0};
    sb_vprintf(&sb, fmt, ap);
    *why = sb.data ? sb.data : xstrdup("");
}

static _Noreturn void st_fail(IncrState *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    incr_first_reason(&st->why, fmt, ap);
    va_end(ap);
    if (!st->fail)
        die("incremental state check failed outside a guarded section: %s", st->why);
    longjmp(*st->fail, 1);
}

enum { BT_PER_PAGE = ST_BLOCK / sizeof(Hash128) };

static uint64_t bt_pages(uint64_t nblocks)
{
    return (nblocks + BT_PER_PAGE - 1) / BT_PER_PAGE;
}

static Hash128 header_sum(const StHeader *h)
{
    StHeader copy = *h;
    memset(&copy.checksum, 0, sizeof copy.checksum);
    return hash128(&copy, sizeof copy);
}

static void check_blocks(IncrState *st, uint64_t off, uint64_t len)
{
    const StHeader *h = st->hdr;
    if (off < h->data_off || off + len > st->size || off + len < off)
        st_fail(st, "damaged (a record outside the file)");
    uint64_t b0 = (off - h->data_off) / ST_BLOCK, b1 = (off + len - 1 - h->data_off) / ST_BLOCK;
    for (uint64_t b = b0; b <= b1 && len; b++) {
        if (st->verified[b >> 3] & (1u << (b & 7)))
            continue;
        uint64_t page = b / BT_PER_PAGE;
        if (!(st->bt_verified[page >> 3] & (1u << (page & 7)))) {
            uint64_t n = MIN((uint64_t)BT_PER_PAGE, h->nblocks - page * BT_PER_PAGE);
            if (!hash128_eq(hash128(st->blocktab + page * BT_PER_PAGE, n * sizeof(Hash128)), st->l2tab[page]))
                st_fail(st, "damaged (checksum mismatch in the block table)");
            st->bt_verified[page >> 3] |= (uint8_t)(1u << (page & 7));
        }
        Hash128 sum = hash128(st->map + h->data_off + b * ST_BLOCK, ST_BLOCK);
        if (!hash128_eq(sum, st->blocktab[b]))
            st_fail(st, "damaged (checksum mismatch in block %lu)", (unsigned long)b);
        st->verified[b >> 3] |= (uint8_t)(1u << (b & 7));
    }
}

void *st_rec(IncrState *st, StRegionId r, uint64_t i)
{
    const StRegion *rg = &st->hdr->regions[r];
    if (i >= rg->cap)
        st_fail(st, "damaged (%s record %lu out of range)", region_name[r], (unsigned long)i);
    uint64_t off = rg->off + i * rg->recsize;
    check_blocks(st, off, rg->recsize);
    return st->map + off;
}

const void *st_range(IncrState *st, StRegionId r, uint64_t first, uint64_t n)
{
    const StRegion *rg = &st->hdr->regions[r];
    if (first > rg->cap || n > rg->cap - first)
        st_fail(st, "damaged (%s records out of range)", region_name[r]);
    if (n)
        check_blocks(st, rg->off + first * rg->recsize, n * rg->recsize);
    return st->map + rg->off + first * rg->recsize;
}

void *st_recw(IncrState *st, StRegionId r, uint64_t i)
{
    if (!st->writing)
        die("state written outside an update");
    void *p = st_rec(st, r, i);
    const StRegion *rg = &st->hdr->regions[r];
    uint64_t off = rg->off + i * rg->recsize - st->hdr->data_off;
    for (uint64_t b = off / ST_BLOCK; b <= (off + rg->recsize - 1) / ST_BLOCK; b++)
        st->dirty[b >> 3] |= (uint8_t)(1u << (b & 7));
    return p;
}

const char *st_str(IncrState *st, StStr s)
{
    const StRegion *rg = &st->hdr->regions[ST_R_STR];
    if ((uint64_t)s.off + s.len + 1 > rg->used)
        st_fail(st, "damaged (a string out of range)");
    check_blocks(st, rg->off + s.off, (uint64_t)s.len + 1);
    const char *p = (const char *)st->map + rg->off + s.off;
    if (p[s.len] != 0)
        st_fail(st, "damaged (a string without its NUL)");
    return p;
}

uint32_t st_lookup(IncrState *st, const char *name, size_t len, uint64_t hash)
{
    uint32_t mask = st->hdr->symhash_mask;
    for (uint32_t h = (uint32_t)hash & mask, n = 0; n <= mask; h = (h + 1) & mask, n++) {
        uint32_t e = *(uint32_t *)st_rec(st, ST_R_SYMHASH, h);
        if (!e)
            return ST_NONE;
        const StSym *s = st_rec(st, ST_R_SYM, e - 1);
        if (s->hash == hash && s->name.len == len && memcmp(st_str(st, s->name), name, len) == 0)
            return e - 1;
    }
    return ST_NONE;
}

IncrState *incr_state_open(const char *path, char **why)
{
    *why = NULL;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        *why = errno == ENOENT ? xstrdup("no incremental state (a first link)")
                               : xasprintf("cannot open the incremental state: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    char magic[8] = {0};
    if (fstat(fd, &sb) < 0 || pread(fd, magic, 8, 0) != 8 || memcmp(magic, ST_MAGIC, 8) != 0 ||
        (size_t)sb.st_size < ST_BLOCK) {
        close(fd);
        *why = memcmp(magic, ST_MAGIC, 8) != 0 && sb.st_size >= 8
                   ? xstrdup("the incremental state is foreign (not a relink state)")
                   : xstrdup("the incremental state is damaged (truncated)");
        return NULL;
    }
    void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        close(fd);
        *why = xasprintf("cannot map the incremental state: %s", strerror(errno));
        return NULL;
    }
    const StHeader *h = map;
    if (memcmp(h->magic, ST_MAGIC, 8) != 0)
        *why = xstrdup("the incremental state is foreign (not a relink state)");
    else if (h->version != ST_VERSION)
        *why = xasprintf("the incremental state has version %u, expected %u", h->version, ST_VERSION);
    else if (!hash128_eq(header_sum(h), h->checksum))
        *why = xstrdup("the incremental state is damaged (header checksum mismatch)");
    else if (!hash128_eq(h->id, relink_id()))
        *why = xstrdup("the incremental state was written by another build of relink");
    else if (h->file_size != (uint64_t)sb.st_size || h->data_off % ST_BLOCK || h->data_off > h->file_size ||
             h->nblocks != (h->file_size - h->data_off) / ST_BLOCK || h->blocktab < sizeof(StHeader) ||
             h->blocktab + h->nblocks * sizeof(Hash128) > h->l2tab ||
             h->l2tab + bt_pages(h->nblocks) * sizeof(Hash128) > h->data_off)
        *why = xstrdup("the incremental state is damaged (truncated)");
    else if (!hash128_eq(hash128((const uint8_t *)map + h->l2tab, bt_pages(h->nblocks) * sizeof(Hash128)),
                         h->blocktab_sum))
        *why = xstrdup("the incremental state is damaged (block table checksum mismatch)");
    else if (h->flags & ST_DIRTY)
        *why = xstrdup("an earlier incremental update was interrupted");
    for (int r = 0; !*why && r < ST_R_COUNT; r++) {
        const StRegion *rg = &h->regions[r];
        if (rg->recsize != region_recsize[r] || rg->used > rg->cap || rg->off % ST_BLOCK || rg->off < h->data_off ||
            rg->cap > (h->file_size - rg->off) / rg->recsize)
            *why = xasprintf("the incremental state is damaged (bad %s region)", region_name[r]);
    }
    if (!*why && (h->regions[ST_R_SYMHASH].cap & (h->regions[ST_R_SYMHASH].cap - 1)))
        *why = xstrdup("the incremental state is damaged (bad symbol hash table)");
    if (*why) {
        munmap(map, (size_t)sb.st_size);
        close(fd);
        return NULL;
    }
    IncrState *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    st->fd = fd;
    st->map = map;
    st->size = (size_t)sb.st_size;
    st->hdr = map;
    st->blocktab = (Hash128 *)(void *)(st->map + h->blocktab);
    st->l2tab = (Hash128 *)(void *)(st->map + h->l2tab);
    st->verified = xcalloc(h->nblocks / 8 + 1, 1);
    st->dirty = xcalloc(h->nblocks / 8 + 1, 1);
    st->bt_verified = xcalloc(bt_pages(h->nblocks) / 8 + 1, 1);
    return st;
}

void incr_state_close(IncrState *st)
{
    if (!st)
        return;
    munmap(st->map, st->size);
    close(st->fd);
    xfree(st->verified);
    xfree(st->dirty);
    xfree(st->bt_verified);
    xfree(st->why);
    xfree(st->path);
    xfree(st);
}

void incr_state_begin(IncrState *st)
{
    StHeader h = *st->hdr;
    h.flags |= ST_DIRTY;
    h.checksum = header_sum(&h);
    memcpy(st->hdr, &h, sizeof h);
    st->writing = true;
}

void incr_state_put_header(IncrState *st, const StHeader *h)
{
    StHeader n = *h;
    n.flags = st->hdr->flags;
    n.generation = st->hdr->generation;
    n.blocktab_sum = st->hdr->blocktab_sum;
    n.checksum = header_sum(&n);
    memcpy(st->hdr, &n, sizeof n);
}

void incr_state_commit(IncrState *st, int out_fd)
{
    StHeader h = *st->hdr;
    uint64_t npages = bt_pages(h.nblocks);
    uint8_t *pages = xcalloc(npages + 1, 1);
    for (uint64_t b = 0; b < h.nblocks; b++) {
        if (!st->dirty[b >> 3]) {
            b |= 7;  /* a byte of the bitmap at once */
            continue;
        }
        if (!(st->dirty[b >> 3] & (1u << (b & 7))))
            continue;
        st->blocktab[b] = hash128(st->map + h.data_off + b * ST_BLOCK, ST_BLOCK);
        pages[b / BT_PER_PAGE] = 1;
    }
    for (uint64_t p = 0; p < npages; p++)
        if (pages[p])
            st->l2tab[p] = hash128(st->blocktab + p * BT_PER_PAGE,
                                   MIN((uint64_t)BT_PER_PAGE, h.nblocks - p * BT_PER_PAGE) * sizeof(Hash128));
    xfree(pages);
    h.blocktab_sum = hash128(st->l2tab, bt_pages(h.nblocks) * sizeof(Hash128));
    struct stat sb;
    if (fstat(out_fd, &sb) == 0) {
        h.out_dev = sb.st_dev;
        h.out_ino = sb.st_ino;
        h.out_size = (uint64_t)sb.st_size;
        h.out_mtime_ns = (uint64_t)sb.st_mtim.tv_sec * 1000000000u + (uint64_t)sb.st_mtim.tv_nsec;
    }
    h.generation++;
    h.flags &= ~(uint32_t)ST_DIRTY;
    h.checksum = header_sum(&h);
    memcpy(st->hdr, &h, sizeof h);
    st->writing = false;
    memset(st->dirty, 0, h.nblocks / 8 + 1);
}

void incr_state_invalidate(IncrState *st)
{
    memset(st->hdr->magic, 0, sizeof st->hdr->magic);
    unlink(st->path);
}

/* ---------------------------------------------------------------- saving (FRESH) */

/* The state being built: a temp file beside the state, mapped (untouched room stays a
 * hole), laid out as the state. */
typedef struct Image {
    uint8_t *mem;
    uint64_t size;
    StHeader *h;
    int fd;
    char *tmp;
} Image;

static void *img_rec(Image *im, StRegionId r, uint64_t i)
{
    StRegion *rg = &im->h->regions[r];
    if (i >= rg->cap)
        die("state image: %s record %lu beyond room %lu", region_name[r], (unsigned long)i, (unsigned long)rg->cap);
    if (i >= rg->used)
        rg->used = i + 1;
    return im->mem + rg->off + i * rg->recsize;
}

static StStr img_str(Image *im, const char *s, size_t len)
{
    StRegion *rg = &im->h->regions[ST_R_STR];
    if (rg->used + len + 1 > rg->cap)
        die("state image: strings beyond their room");
    StStr r = {(uint32_t)rg->used, (uint32_t)len};
    memcpy(im->mem + rg->off + rg->used, s, len);
    im->mem[rg->off + rg->used + len] = 0;
    rg->used += len + 1;
    return r;
}

static StStr img_cstr(Image *im, const char *s)
{
    return img_str(im, s, strlen(s));
}

/* Plans the regions: used counts in `used`, room computed; sets offsets and sizes. */
static bool img_alloc(Image *im, const uint64_t used[ST_R_COUNT], uint64_t nsyms_cap, const char *path)
{
    uint64_t cap[ST_R_COUNT];
    for (int r = 0; r < ST_R_COUNT; r++)
        cap[r] = used[r] * 2 + 64;
    cap[ST_R_STR] = used[ST_R_STR] * 2 + (64 << 10);
    cap[ST_R_SEC] = used[ST_R_SEC] * 2 + 1024;
    cap[ST_R_SYM] = nsyms_cap;
    uint64_t slots = 1024;
    while (slots < nsyms_cap * 2)
        slots *= 2;
    cap[ST_R_SYMHASH] = slots;
    cap[ST_R_FSYM] = used[ST_R_FSYM] * 4 + 16384;
    cap[ST_R_SITE] = used[ST_R_SITE] * 8 + 65536;  /* lists that outgrow their room move to the end */
    cap[ST_R_OSEC] = used[ST_R_OSEC];
    cap[ST_R_FREE] = 4096;
    cap[ST_R_WARN] = used[ST_R_WARN];
    cap[ST_R_CHUNK] = used[ST_R_CHUNK];
    cap[ST_R_MEMBERS] = used[ST_R_MEMBERS] * 2 + 1024;
    uint64_t off = 0;
    for (int r = 0; r < ST_R_COUNT; r++)
        off += ALIGN_UP(cap[r] * region_recsize[r], ST_BLOCK);
    uint64_t nblocks = off / ST_BLOCK;
    uint64_t l2tab = ST_BLOCK + ALIGN_UP(nblocks * sizeof(Hash128), ST_BLOCK);
    uint64_t data_off = l2tab + ALIGN_UP(bt_pages(nblocks) * sizeof(Hash128), ST_BLOCK);
    im->size = data_off + off;
    im->tmp = xasprintf("%s.tmp-%d", path, (int)getpid());
    im->fd = open(im->tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    void *p = MAP_FAILED;
    if (im->fd >= 0 && ftruncate(im->fd, (off_t)im->size) == 0)
        p = mmap(NULL, im->size, PROT_READ | PROT_WRITE, MAP_SHARED, im->fd, 0);
    if (p == MAP_FAILED) {
        if (im->fd >= 0)
            close(im->fd);
        unlink(im->tmp);
        xfree(im->tmp);
        return false;
    }
    im->mem = p;
    im->h = p;
    memcpy(im->h->magic, ST_MAGIC, 8);
    im->h->version = ST_VERSION;
    im->h->file_size = im->size;
    im->h->blocktab = ST_BLOCK;
    im->h->l2tab = l2tab;
    im->h->data_off = data_off;
    im->h->nblocks = nblocks;
    off = data_off;
    for (int r = 0; r < ST_R_COUNT; r++) {
        im->h->regions[r] = (StRegion){off, cap[r], 0, region_recsize[r]};
        off += ALIGN_UP(cap[r] * region_recsize[r], ST_BLOCK);
    }
    im->h->symhash_mask = (uint32_t)(slots - 1);
    return true;
}

typedef struct SaveCtx {
    Image *im;
    uint32_t *file_id;        /* Ld.files index -> FILE */
    Hash128 *loaded_hash;
    uint64_t *fsym_at;        /* per FILE: first FSYM */
} SaveCtx;

static void hash_loaded(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)tid;
    SaveCtx *c = ctx;
    const LdLoaded *l = &ld->loaded.data[i];
    c->loaded_hash[i] = l->memory && !hash128_is_zero(l->hash) ? l->hash : hash128(l->data, l->size);
}

/* Per section: contents hash (objects only: archives do not change under an update). */
static void hash_file_sections(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)tid;
    SaveCtx *c = ctx;
    LdFile *f = ld->files.data[ld->order.data[i]];
    uint64_t *nh = xmalloc(sizeof(uint64_t) * (f->nsecs + 1));
    uint32_t *nth = xmalloc(sizeof(uint32_t) * (f->nsecs + 1));
    incr_file_keys(f, nh, nth);
    for (uint32_t k = 0; k < f->nsecs; k++) {
        StSec *r = img_rec(c->im, ST_R_SEC, f->secs[k].plan);
        r->name_hash = nh[k];
        r->nth = nth[k];
        if (!f->member_of) {
            r->hash = incr_section_hash(f, &f->secs[k], nh, nth);
            r->raw = incr_section_raw(&f->secs[k]);
        }
    }
    if (!f->member_of)
        ((StFile *)img_rec(c->im, ST_R_FILE, f->plan))->symtab = incr_symtab_hash(f);
    xfree(nh);
    xfree(nth);
}

/* Sites grouped by target (a counting sort): globals (SYM ranges), then local sections
 * (SEC ranges); each target's sites in copy order. */
static void save_sites(Ld *ld, Image *im)
{
    uint64_t nsec = im->h->regions[ST_R_SEC].used, ntarget = ld->syms.len + nsec;
    uint32_t *start = xcalloc(ntarget + 1, sizeof(uint32_t));
    uint8_t *pinned = xcalloc(ntarget + 1, 1);
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t t = 0; t < ld->nthreads; t++) {
            for (uint32_t i = 0; i < ld->incr->sites[t].len; i++) {
                const SiteRec *s = &ld->incr->sites[t].data[i];
                if (s->local && s->local->plan == LD_NONE)
                    continue;
                uint64_t target = s->local ? ld->syms.len + s->local->plan : s->sym;
                if (s->addend != (int32_t)s->addend || s->src->plan == LD_NONE) {
                    pinned[target] = 1;
                    continue;
                }
                if (pass == 0) {
                    start[target + 1]++;
                    continue;
                }
                uint32_t at = start[target]++;
                *(StSite *)img_rec(im, ST_R_SITE, at) =
                    (StSite){s->src->plan, s->offset, (int32_t)s->addend, s->kind, 0, 0};
                if (incr_site_pcrel(s->kind))
                    ((StSec *)img_rec(im, ST_R_SEC, s->src->plan))->flags |= SF_PCREL;
            }
        }
        if (pass == 0)
            for (uint64_t k = 0; k < ntarget; k++)
                start[k + 1] += start[k];
    }
    /* start[k] is now the end of target k's sites (and the start of k + 1's). */
    for (uint64_t k = 0; k < ntarget; k++) {
        uint32_t first = k ? start[k - 1] : 0, count = start[k] - first;
        if (!count && !pinned[k])
            continue;
        if (k < ld->syms.len) {
            StSym *y = img_rec(im, ST_R_SYM, k);
            y->sites = first;
            y->nsites = y->sites_cap = count;
            y->yflags |= pinned[k] ? YF_PINNED : 0;
        } else {
            StSec *r = img_rec(im, ST_R_SEC, k - ld->syms.len);
            r->sites = first;
            r->nsites = r->sites_cap = count;
            r->flags |= pinned[k] ? SF_PINNED : 0;
        }
    }
    xfree(start);
    xfree(pinned);
}

static void save_osecs(Ld *ld, Image *im)
{
    for (uint32_t o = 0; o < ld->osecs.len; o++) {
        const OutSec *os = &ld->osecs.data[o];
        StOsec *r = img_rec(im, ST_R_OSEC, o);
        r->name = img_cstr(im, os->name);
        r->kind = os->kind;
        r->seg = os->seg;
        r->relro = os->relro;
        r->tls = os->tls;
        r->elastic = os->elastic;
        r->packed = os->packed;
        r->key = os->key;
        r->rank = os->rank;
        r->first_seen = os->first_seen;
        r->type = os->type;
        r->shndx = os->shndx;
        r->link = os->link;
        r->info = os->info;
        r->flags = os->flags;
        r->align = os->align;
        r->entsize = os->entsize;
        r->addr = os->addr;
        r->offset = os->offset;
        r->size = os->size;
        r->capacity = os->capacity;
        r->tail = os->tail;
        r->members = r->nmembers = r->members_cap = 0;
        if (!os->packed)
            continue;
        r->members = (uint32_t)im->h->regions[ST_R_MEMBERS].used;
        for (uint32_t m = 0; m < os->members.len; m++)
            if (os->members.data[m]->plan != LD_NONE)
                *(uint32_t *)img_rec(im, ST_R_MEMBERS, r->members + r->nmembers++) = os->members.data[m]->plan;
        r->members_cap = r->nmembers;
    }
}

/* FILE, SEC and FSYM records, and the reference counts of SYM. */
static void save_files(Ld *ld, Image *im, SaveCtx *c)
{
    /* FILE 0: the linker's own sections (the COMMON block). */
    StFile *lf = img_rec(im, ST_R_FILE, 0);
    lf->name = img_cstr(im, "<linker>");
    lf->flags = FF_LINKER;
    lf->loaded = lf->sec_head = lf->eh_sec = ST_NONE;
    uint32_t nsec = 0;
    for (uint32_t i = 0; i < ld->synthetic.len; i++) {
        InSec *s = ld->synthetic.data[i];
        if (strcmp(s->name, "COMMON") != 0)
            continue;
        s->plan = nsec;
        StSec *r = img_rec(im, ST_R_SEC, nsec++);
        *r = (StSec){.name_hash = hash64("COMMON", 6), .file = 0, .next = ST_NONE, .osec = s->osec,
                     .offset = s->offset, .size = s->out_size, .capacity = s->capacity, .p2align = s->p2align,
                     .flags = SF_LIVE, .type = s->type, .shflags = (uint32_t)s->flags};
        lf->sec_head = r - (StSec *)(void *)(im->mem + im->h->regions[ST_R_SEC].off);
        lf->nsecs = 1;
    }
    uint64_t nfsym = 0;
    for (uint32_t i = 0; i < ld->order.len; i++) {
        LdFile *f = ld->files.data[ld->order.data[i]];
        uint32_t id = i + 1;
        c->file_id[f->index] = id;
        f->plan = id;
        StFile *r = img_rec(im, ST_R_FILE, id);
        r->name = img_cstr(im, f->name);
        r->loaded = f->loaded;
        r->flags = (f->member_of ? FF_MEMBER : 0) | (f->has_gnu_stack ? FF_GNU_STACK : 0) |
                   (f->exec_stack ? FF_EXEC_STACK : 0) | (f->nggroups ? FF_GROUPS : 0) |
                   (f->has_warnings ? FF_WARNINGS : 0);
        r->order = f->order;
        r->member_off = f->member_off;
        r->hash = f->member_of ? (Hash128){0, 0} : c->loaded_hash[f->loaded];
        r->comment = img_str(im, f->comment ? (const char *)f->comment : "", f->comment_size);
        r->sym_at = f->sym_at;
        r->sym_cap = f->sym_cap;
        r->str_at = f->str_at;
        r->str_cap = f->str_cap;
        r->eh_sec = ST_NONE;
        r->sec_head = f->nsecs ? nsec : ST_NONE;
        r->nsecs = f->nsecs;
        for (uint32_t k = 0; k < f->nsecs; k++) {
            InSec *s = &f->secs[k];
            s->plan = nsec;
            StSec *q = img_rec(im, ST_R_SEC, nsec++);
            bool in_output = s->live && s->osec != LD_NONE && ld->osecs.data[s->osec].shndx;
            q->file = id;
            q->next = k + 1 < f->nsecs ? nsec : ST_NONE;
            q->osec = in_output ? s->osec : ST_NONE;
            q->offset = s->offset;
            q->size = s->out_size;
            q->capacity = s->capacity;
            q->p2align = s->p2align;
            q->flags = (in_output ? SF_LIVE : 0) | (s->kind == ISEC_EH_FRAME ? SF_EH : 0) |
                       (f->member_of ? 0 : SF_HAS_SITES);
            q->type = s->type;
            q->shflags = (uint32_t)s->flags;
            if (in_output && s->kind == ISEC_EH_FRAME)
                r->eh_sec = s->plan;
        }
        for (uint32_t k = 1; k < f->nsym; k++) {
            const InSec *d = incr_symbol_section(f, k);
            if (d)
                ((StSec *)img_rec(im, ST_R_SEC, d->plan))->flags |= SF_DEFINES;
        }
        r->fsym = (uint32_t)nfsym;
        r->nfsym = r->fsym_cap = f->nsym - f->first_global;
        for (uint32_t k = f->first_global; k < f->nsym; k++) {
            uint32_t g = f->gsym[k - f->first_global];
            StFsym *q = img_rec(im, ST_R_FSYM, nfsym++);
            q->sym = g;
            q->role = incr_fsym_role(f, k, &q->common);
            q->visibility = ELF64_ST_VISIBILITY(f->sym[k].st_other);
            StSym *y = img_rec(im, ST_R_SYM, g);
            bool member = f->member_of != NULL;
            if (q->role & FS_DEF) {
                if (!y->alt && ld->syms.data[g].file != f->index)
                    y->alt = id;  /* FILE ids start at 1: 0 is none here */
                y->ndefs++;
                y->nstrong += !(q->role & (FS_WEAK | FS_COMMON));
                y->obj_defs += !member;
            } else {
                y->nrefs++;
                y->nsrefs += !(q->role & FS_WEAK);
                y->obj_srefs += !member && !(q->role & FS_WEAK);
            }
        }
    }
    ld_parallel(ld, ld->order.len, hash_file_sections, c);
}

static void save_syms(Ld *ld, Image *im, const SaveCtx *c)
{
    uint32_t mask = im->h->symhash_mask;
    uint32_t *table = (uint32_t *)(void *)(im->mem + im->h->regions[ST_R_SYMHASH].off);
    im->h->regions[ST_R_SYMHASH].used = (uint64_t)mask + 1;
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        const LdSym *s = &ld->syms.data[i];
        StSym *y = img_rec(im, ST_R_SYM, i);
        y->name = img_str(im, s->name, s->len);
        y->hash = s->hash;
        y->file = s->file != LD_NONE && c->file_id[s->file] ? c->file_id[s->file] : ST_NONE;
        y->sec = s->sec && s->sec->plan != LD_NONE ? s->sec->plan : ST_NONE;
        y->value = s->value;
        y->size = s->size;
        y->addr = s->addr;
        y->got = (s->flags & SYMF_NEEDS_GOT) ? s->got : ST_NONE;
        y->gottp = (s->flags & SYMF_NEEDS_GOTTP) ? s->gottp : ST_NONE;
        y->iplt = (s->flags & SYMF_NEEDS_IPLT) ? s->iplt : ST_NONE;
        y->symtab = ld->sym_index ? ld->sym_index[i] : ST_NONE;
        y->strtab = ld->sym_name_at ? ld->sym_name_at[i] : 0;
        y->state = s->state;
        y->type = s->type;
        y->visibility = s->visibility;
        y->flags = s->flags;
        y->lsym = s->lsym;
        y->osec = s->state == SYM_LINKER || !s->sec ? s->osec : s->sec->osec;
        if (!y->alt)
            y->alt = ST_NONE;
        uint32_t h = (uint32_t)s->hash & mask;
        while (table[h])
            h = (h + 1) & mask;
        table[h] = i + 1;
    }
}

static void save_header(Ld *ld, Image *im, Hash128 options)
{
    StHeader *h = im->h;
    h->options = options;
    h->id = relink_id();
    h->base = ld->base;
    h->tp = ld->tp;
    h->tls_start = ld->tls_start;
    h->tls_end = ld->tls_end;
    h->got_plt_addr = ld->got_plt_addr;
    h->entry = ld->entry;
    h->shoff = ld->shoff;
    h->os_got = ld->os_got;
    h->os_got_plt = ld->os_got_plt;
    h->os_iplt = ld->os_iplt;
    h->os_rela_iplt = ld->os_rela_iplt;
    h->os_eh_frame = ld->os_eh_frame;
    h->os_eh_frame_hdr = ld->os_eh_frame_hdr;
    h->os_build_id = ld->os_build_id;
    h->os_symtab = ld->os_symtab;
    h->os_strtab = ld->os_strtab;
    h->os_bss = ld->os_bss;
    h->os_text = ld->os_text;
    h->os_comment = ld->os_comment;
    h->os_shstrtab = ld->os_shstrtab;
    h->ngot = ld->ngot;
    h->local_got_base = ld->local_got.len ? ld->local_got.data[0].slot : 0;
    h->nlocal_got = ld->local_got.len;
    h->nfde = ld->eh_fde_count;
    h->nshdr = ld->nshdr;
    h->nphdr = ld->segs.len;
    h->first_global = ld->first_global_sym;
    h->nsymtab = ld->nsymtab;
    h->unowned_at = ld->unowned_at;
    h->unowned_str_at = ld->unowned_str_at;
    h->unowned_n = ld->unowned_n;
    h->local_next = ld->local_next;
    h->str_local_next = ld->str_local_next;
    h->str_local_end = ld->str_local_end;
    h->str_global_next = ld->str_global_next;
    h->slack = ld->incr->slack;
    h->reserve = ld->incr->reserve;
    h->build_id_len = ld->build_id_len;
    h->file_size_out = ld->file_size;
    h->inputs_time = ld->read_time;
    h->exec_stack = ld->exec_stack;
    struct stat sb;
    if (stat(ld->opt->output ? ld->opt->output : "a.out", &sb) == 0) {
        h->out_dev = sb.st_dev;
        h->out_ino = sb.st_ino;
        h->out_size = (uint64_t)sb.st_size;
        h->out_mtime_ns = (uint64_t)sb.st_mtim.tv_sec * 1000000000u + (uint64_t)sb.st_mtim.tv_nsec;
    }
}

static void save_loaded(Ld *ld, Image *im, const SaveCtx *c)
{
    for (uint32_t i = 0; i < ld->loaded.len; i++) {
        const LdLoaded *l = &ld->loaded.data[i];
        StLoaded *r = img_rec(im, ST_R_LOADED, i);
        r->path = img_cstr(im, l->path);
        r->kind = l->kind;
        r->memory = l->memory;
        r->size = l->size;
        r->dev = l->dev;
        r->ino = l->ino;
        r->mtime_ns = l->mtime_ns;
        r->hash = c->loaded_hash[i];
    }
    const LdOptions *opt = ld->opt;
    for (uint32_t i = 0; i < opt->ninputs; i++) {
        StInput *r = img_rec(im, ST_R_INPUT, i);
        r->name = img_cstr(im, opt->inputs[i].name ? opt->inputs[i].name : "");
        r->kind = opt->inputs[i].kind;
        r->loaded = i < ld->input_loaded.len ? ld->input_loaded.data[i] : ST_NONE;
    }
    uint32_t w = 0;
    for (uint32_t i = 0; i < ld->report->messages.len; i++) {
        const LdMessage *m = &ld->report->messages.data[i];
        if (m->level != LD_WARNING)
            continue;
        StWarn *r = img_rec(im, ST_R_WARN, w++);
        r->text = img_cstr(im, m->text);
        r->level = m->level;
    }
    for (uint32_t i = 0; i < ld->nid_chunks; i++)
        *(Hash128 *)img_rec(im, ST_R_CHUNK, i) = ld->id_chunks[i];
}

typedef struct SumJob {
    Image *im;
    Hash128 *tab;
    uint8_t *needed;   /* per block: holds data (else it is zeros) */
    Hash128 zero;
} SumJob;

static void sum_block(Ld *ld, uint32_t i, uint32_t tid, void *ctx)
{
    (void)ld;
    (void)tid;
    SumJob *j = ctx;
    enum { PER = 64 };
    for (uint64_t b = (uint64_t)i * PER; b < j->im->h->nblocks && b < (uint64_t)(i + 1) * PER; b++)
        j->tab[b] = j->needed[b] ? hash128(j->im->mem + j->im->h->data_off + b * ST_BLOCK, ST_BLOCK) : j->zero;
}

bool incr_pwrite(int fd, const void *p, uint64_t len, uint64_t off)
{
    while (len) {
        ssize_t w = pwrite(fd, p, len, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p = (const uint8_t *)p + w;
        len -= (uint64_t)w;
        off += (uint64_t)w;
    }
    return true;
}

/* Checksums the image and writes it to path (temp file, then rename), sparse. */
static bool img_write(Ld *ld, Image *im, const char *path)
{
    StHeader *h = im->h;
    SumJob job = {im, (Hash128 *)(void *)(im->mem + h->blocktab), xcalloc(h->nblocks + 1, 1), {0, 0}};
    static const uint8_t zero_block[ST_BLOCK];
    job.zero = hash128(zero_block, ST_BLOCK);
    for (int r = 0; r < ST_R_COUNT; r++) {
        const StRegion *rg = &h->regions[r];
        uint64_t first = (rg->off - h->data_off) / ST_BLOCK, bytes = rg->used * rg->recsize;
        for (uint64_t b = first; b < first + (bytes + ST_BLOCK - 1) / ST_BLOCK; b++)
            job.needed[b] = 1;
    }
    ld_parallel(ld, (uint32_t)((h->nblocks + 63) / 64), sum_block, &job);
    Hash128 *l2 = (Hash128 *)(void *)(im->mem + h->l2tab);
    for (uint64_t page = 0; page < bt_pages(h->nblocks); page++)
        l2[page] = hash128(job.tab + page * BT_PER_PAGE,
                           MIN((uint64_t)BT_PER_PAGE, h->nblocks - page * BT_PER_PAGE) * sizeof(Hash128));
    h->blocktab_sum = hash128(l2, bt_pages(h->nblocks) * sizeof(Hash128));
    h->checksum = header_sum(h);

    munmap(im->mem, im->size);
    im->mem = NULL;
    bool ok = close(im->fd) == 0;
    ld_write_point(ld, "rename the state");
    if (ok)
        ok = rename(im->tmp, path) == 0;
    if (!ok) {
        ld_warn(ld, "cannot write the incremental state `%s`: %s (the next link is a full one)", path,
                strerror(errno));
        unlink(im->tmp);
    }
    xfree(im->tmp);
    xfree(job.needed);
    return ok;
}

bool incr_save(Ld *ld)
{
    const LdOptions *opt = ld->opt;
    uint64_t used[ST_R_COUNT] = {0};
    used[ST_R_LOADED] = ld->loaded.len;
    used[ST_R_INPUT] = opt->ninputs;
    used[ST_R_FILE] = ld->order.len + 1;
    used[ST_R_SEC] = 1;
    used[ST_R_STR] = 16;
    for (uint32_t i = 0; i < ld->loaded.len; i++)
        used[ST_R_STR] += strlen(ld->loaded.data[i].path) + 1;
    for (uint32_t i = 0; i < opt->ninputs; i++)
        used[ST_R_STR] += (opt->inputs[i].name ? strlen(opt->inputs[i].name) : 0) + 1;
    for (uint32_t i = 0; i < ld->order.len; i++) {
        const LdFile *f = ld->files.data[ld->order.data[i]];
        used[ST_R_SEC] += f->nsecs;
        used[ST_R_FSYM] += f->nsym - f->first_global;
        used[ST_R_STR] += strlen(f->name) + 1 + f->comment_size + 1;
    }
    used[ST_R_SYM] = ld->syms.len;
    for (uint32_t i = 0; i < ld->syms.len; i++)
        used[ST_R_STR] += ld->syms.data[i].len + 1;
    for (uint32_t t = 0; t < ld->nthreads; t++)
        used[ST_R_SITE] += ld->incr->sites[t].len;
    used[ST_R_OSEC] = ld->osecs.len;
    for (uint32_t o = 0; o < ld->osecs.len; o++)
        used[ST_R_STR] += strlen(ld->osecs.data[o].name) + 1;
    for (uint32_t i = 0; i < ld->report->messages.len; i++)
        if (ld->report->messages.data[i].level == LD_WARNING) {
            used[ST_R_WARN]++;
            used[ST_R_STR] += strlen(ld->report->messages.data[i].text) + 1;
        }
    used[ST_R_CHUNK] = ld->nid_chunks;
    for (uint32_t o = 0; o < ld->osecs.len; o++)
        if (ld->osecs.data[o].packed)
            used[ST_R_MEMBERS] += ld->osecs.data[o].members.len;

    Image im = {0};
    char *path = incr_state_path(opt->output);
    ld_write_point(ld, "write the state");
    if (!img_alloc(&im, used, (uint64_t)ld->syms.len * 2 + 1024, path)) {
        ld_warn(ld, "cannot write the incremental state `%s`: %s (the next link is a full one)", path,
                strerror(errno));
        xfree(path);
        return true;
    }
    SaveCtx c = {&im, xcalloc(ld->files.len + 1, sizeof(uint32_t)), xcalloc(ld->loaded.len + 1, sizeof(Hash128)),
                 NULL};
    ld_parallel(ld, ld->loaded.len, hash_loaded, &c);
    save_loaded(ld, &im, &c);
    save_files(ld, &im, &c);
    save_syms(ld, &im, &c);
    save_sites(ld, &im);
    save_osecs(ld, &im);
    save_header(ld, &im, incr_options_hash(opt));
    img_write(ld, &im, path);
    xfree(path);
    xfree(c.file_id);
    xfree(c.loaded_hash);
    return true;
}

/* ---------------------------------------------------------------- following a plan (PLANNED) */

static uint32_t member_key(uint64_t off)
{
    return (uint32_t)(off ^ off >> 32);
}

void secmap_build(IncrState *st, const StFile *r, SecMap *m)
{
    uint32_t n = 16;
    while (n < r->nsecs * 2 + 2)
        n *= 2;
    m->mask = n - 1;
    m->hash = xcalloc(n, sizeof(uint64_t));
    m->nth = xcalloc(n, sizeof(uint32_t));
    m->id = xmalloc(n * sizeof(uint32_t));
    m->taken = xcalloc(n, 1);
    memset(m->id, 0xff, n * sizeof(uint32_t));
    uint32_t id = r->sec_head;
    for (uint32_t k = 0; k < r->nsecs && id != ST_NONE; k++) {
        const StSec *q = st_rec(st, ST_R_SEC, id);
        uint32_t h = (uint32_t)(q->name_hash ^ q->nth * 0x9e3779b9u) & m->mask;
        while (m->id[h] != ST_NONE)
            h = (h + 1) & m->mask;
        m->hash[h] = q->name_hash;
        m->nth[h] = q->nth;
        m->id[h] = id;
        id = q->next;
    }
}

uint32_t secmap_find(const SecMap *m, uint64_t hash, uint32_t nth)
{
    for (uint32_t h = (uint32_t)(hash ^ nth * 0x9e3779b9u) & m->mask;; h = (h + 1) & m->mask) {
        if (m->id[h] == ST_NONE)
            return ST_NONE;
        if (m->hash[h] == hash && m->nth[h] == nth)
            return m->id[h];
    }
}

uint32_t secmap_take(SecMap *m, uint64_t hash, uint32_t nth)
{
    for (uint32_t h = (uint32_t)(hash ^ nth * 0x9e3779b9u) & m->mask;; h = (h + 1) & m->mask) {
        if (m->id[h] == ST_NONE)
            return ST_NONE;
        if (m->hash[h] == hash && m->nth[h] == nth && !m->taken[h]) {
            m->taken[h] = 1;
            return m->id[h];
        }
    }
}

void secmap_free(SecMap *m)
{
    xfree(m->taken);
    xfree(m->hash);
    xfree(m->nth);
    xfree(m->id);
}

void incr_state_check_all(IncrState *st)
{
    check_blocks(st, st->hdr->data_off, (uint64_t)st->hdr->nblocks * ST_BLOCK);
}

bool incr_bind(Ld *ld)
{
    IncrState *st = ld->incr->state;
    NameMap files = {0};
    uint64_t nfiles = st_region(st, ST_R_FILE)->used, linked = 0;
    for (uint32_t id = 0; id < nfiles; id++) {
        const StFile *r = st_rec(st, ST_R_FILE, id);
        if (r->flags & (FF_REMOVED | FF_LINKER))
            continue;
        *namemap_slot(&files, st_str(st, r->name), member_key(r->member_off)) = id;
        linked++;
    }
    for (uint32_t i = 0; i < ld->order.len; i++) {
        LdFile *f = ld->files.data[ld->order.data[i]];
        uint32_t id = *namemap_slot(&files, f->name, member_key(f->member_off));
        if (id == LD_NONE) {
            ld_error(ld, "verify: `%s` is linked, but the incremental state does not have it", f->name);
            continue;
        }
        f->plan = id;
        const StFile *r = st_rec(st, ST_R_FILE, id);
        SecMap m;
        secmap_build(st, r, &m);
        uint64_t *nh = xmalloc(sizeof(uint64_t) * (f->nsecs + 1));
        uint32_t *nth = xmalloc(sizeof(uint32_t) * (f->nsecs + 1));
        incr_file_keys(f, nh, nth);
        for (uint32_t k = 0; k < f->nsecs; k++) {
            f->secs[k].plan = secmap_find(&m, nh[k], nth[k]);
            if (f->secs[k].plan == ST_NONE)
                ld_error(ld, "verify: section `%s` of `%s` is not in the incremental state", f->secs[k].name,
                         f->name);
        }
        xfree(nh);
        xfree(nth);
        secmap_free(&m);
    }
    if (linked != ld->order.len && !ld_failed(ld))
        ld_error(ld, "verify: the incremental state has %lu objects, the link %u", (unsigned long)linked,
                 ld->order.len);
    namemap_free(&files);
    return !ld_failed(ld);
}

bool incr_plan_live(const Ld *ld, const InSec *s)
{
    if (s->plan == LD_NONE)
        return false;
    const StSec *q = st_rec(ld->incr->state, ST_R_SEC, s->plan);
    return (q->flags & SF_LIVE) != 0;
}

static const StSym *plan_sym(IncrState *st, const LdSym *s)
{
    uint32_t id = st_lookup(st, s->name, s->len, s->hash);
    return id == ST_NONE ? NULL : st_rec(st, ST_R_SYM, id);
}

void incr_plan_slots(Ld *ld)
{
    IncrState *st = ld->incr->state;
    const StHeader *h = st->hdr;
    ld->ngot = h->ngot;
    uint32_t nifunc = 0;
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        LdSym *s = &ld->syms.data[i];
        const StSym *y = plan_sym(st, s);
        uint8_t need = s->flags & (SYMF_NEEDS_GOT | SYMF_NEEDS_GOTTP | SYMF_NEEDS_IPLT);
        uint8_t have = y ? (y->got != ST_NONE ? SYMF_NEEDS_GOT : 0) | (y->gottp != ST_NONE ? SYMF_NEEDS_GOTTP : 0) |
                               (y->iplt != ST_NONE ? SYMF_NEEDS_IPLT : 0)
                         : 0;
        if (need & ~have)
            ld_error(ld, "verify: `%s` needs a GOT slot or .iplt entry that the incremental state lacks", s->name);
        if (!y)
            continue;
        s->flags |= have;
        s->got = y->got;
        s->gottp = y->gottp;
        s->iplt = y->iplt;
        if (y->iplt != ST_NONE)
            nifunc = MAX(nifunc, y->iplt + 1);
    }
    for (uint32_t k = 0; k < nifunc; k++)
        vec_push(&ld->ifuncs, LD_NONE);
    for (uint32_t i = 0; i < ld->syms.len; i++)
        if (ld->syms.data[i].flags & SYMF_NEEDS_IPLT)
            ld->ifuncs.data[ld->syms.data[i].iplt] = i;
    for (uint32_t k = 0; k < nifunc; k++)
        if (ld->ifuncs.data[k] == LD_NONE)
            ld_error(ld, "verify: .iplt entry %u of the incremental state has no symbol", k);
    reloc_number_local_got(ld, h->local_got_base);
    if (ld->local_got.len != h->nlocal_got)
        ld_error(ld, "verify: %u GOT slots of local symbols, the incremental state has %u", ld->local_got.len,
                 h->nlocal_got);
}

/* An output section as its record has it (name pointing into the state). */
static OutSec incr_osec(IncrState *st, const StOsec *r)
{
    return (OutSec){.name = st_str(st, r->name), .kind = r->kind, .seg = r->seg, .relro = r->relro, .tls = r->tls,
                    .elastic = r->elastic, .packed = r->packed, .key = r->key, .rank = r->rank, .first_seen = r->first_seen,
                    .type = r->type, .flags = r->flags, .align = r->align, .entsize = r->entsize, .addr = r->addr,
                    .offset = r->offset, .size = r->size, .capacity = r->capacity, .tail = r->tail,
                    .shndx = r->shndx, .link = r->link, .info = r->info};
}

void incr_load_osecs(IncrState *st, const StHeader *h, Ld *ld)
{
    uint64_t n = st_region(st, ST_R_OSEC)->used;
    for (uint32_t o = 0; o < n; o++)
        vec_push(&ld->osecs, incr_osec(st, st_rec(st, ST_R_OSEC, o)));
    ld->os_got = h->os_got;
    ld->os_got_plt = h->os_got_plt;
    ld->os_iplt = h->os_iplt;
    ld->os_rela_iplt = h->os_rela_iplt;
    ld->os_eh_frame = h->os_eh_frame;
    ld->os_eh_frame_hdr = h->os_eh_frame_hdr;
    ld->os_build_id = h->os_build_id;
    ld->os_symtab = h->os_symtab;
    ld->os_strtab = h->os_strtab;
    ld->os_bss = h->os_bss;
    ld->os_text = h->os_text;
    ld->os_comment = h->os_comment;
    ld->os_shstrtab = h->os_shstrtab;
}

bool incr_plan_layout(Ld *ld)
{
    IncrState *st = ld->incr->state;
    const StHeader *h = st->hdr;
    uint64_t n = st_region(st, ST_R_OSEC)->used;
    incr_load_osecs(st, h, ld);
    for (uint32_t i = 0; i < ld->order.len; i++) {
        LdFile *f = ld->files.data[ld->order.data[i]];
        for (uint32_t k = 0; k < f->nsecs; k++) {
            InSec *s = &f->secs[k];
            if (!s->live || s->plan == LD_NONE)
                continue;
            const StSec *q = st_rec(st, ST_R_SEC, s->plan);
            if (!(q->flags & SF_LIVE) || q->osec >= n) {
                ld_error(ld, "verify: section `%s` of `%s` is live, but not in the incremental state's output",
                         s->name, f->name);
                continue;
            }
            if (q->size != s->out_size)
                ld_error(ld, "verify: section `%s` of `%s` has %lu bytes, the incremental state %lu", s->name,
                         f->name, (unsigned long)s->out_size, (unsigned long)q->size);
            layout_member(ld, q->osec, s);
            s->offset = q->offset;
            s->capacity = q->capacity;
        }
    }
    layout_place_commons(ld);
    for (uint32_t i = 0; i < ld->synthetic.len; i++) {
        InSec *s = ld->synthetic.data[i];
        const StFile *lf = st_rec(st, ST_R_FILE, 0);
        if (strcmp(s->name, "COMMON") != 0)
            continue;
        if (lf->sec_head == ST_NONE) {
            ld_error(ld, "verify: COMMON symbols, but the incremental state has no block for them");
            continue;
        }
        const StSec *q = st_rec(st, ST_R_SEC, lf->sec_head);
        s->offset = q->offset;
        s->capacity = q->capacity;
        if (q->size != s->out_size)
            ld_error(ld, "verify: the COMMON block has %lu bytes, the incremental state %lu",
                     (unsigned long)s->out_size, (unsigned long)q->size);
    }
    if (ld->os_eh_frame != LD_NONE) {
        InSec *t = layout_eh_terminator(ld);
        layout_member(ld, ld->os_eh_frame, t);
        t->offset = ld->osecs.data[ld->os_eh_frame].size - 4;
        t->capacity = 4;
    }
    if (ld->os_comment != LD_NONE) {
        uint64_t planned = ld->osecs.data[ld->os_comment].size;
        output_size_comment(ld);
        if (ld->osecs.data[ld->os_comment].size != planned)
            ld_error(ld, "verify: .comment differs from the incremental state's");
    }
    if (ld->eh_fde_count != h->nfde && ld->os_eh_frame_hdr != LD_NONE)
        ld_error(ld, "verify: %u FDEs, the incremental state has %u", ld->eh_fde_count, h->nfde);
    if (ld->build_id_len != h->build_id_len)
        ld_error(ld, "verify: the build-id has another size in the incremental state");
    return !ld_failed(ld);
}

bool incr_plan_symtab(Ld *ld)
{
    IncrState *st = ld->incr->state;
    const StHeader *h = st->hdr;
    for (uint32_t i = 0; i < ld->order.len; i++) {
        LdFile *f = ld->files.data[ld->order.data[i]];
        const StFile *r = st_rec(st, ST_R_FILE, f->plan);
        f->sym_at = r->sym_at;
        f->sym_cap = r->sym_cap;
        f->str_at = r->str_at;
        f->str_cap = r->str_cap;
    }
    ld->unowned_at = h->unowned_at;
    ld->unowned_n = h->unowned_n;
    ld->unowned_str_at = h->unowned_str_at;
    ld->first_global_sym = h->first_global;
    ld->nsymtab = h->nsymtab;
    ld->sym_index = arena_new(&ld->arena, uint32_t, ld->syms.len + 1);
    ld->sym_name_at = arena_new(&ld->arena, uint64_t, ld->syms.len + 1);
    uint32_t emitted = 0;
    for (uint32_t i = 0; i < ld->syms.len; i++) {
        const LdSym *s = &ld->syms.data[i];
        ld->sym_index[i] = LD_NONE;
        bool global = output_sym_is_local(s) ? s->state == SYM_UNDEF && output_emit_unowned(s)
                                             : output_emit_unowned(s) || (s->state == SYM_DEFINED &&
                                                                          s->file != LD_NONE &&
                                                                          output_owned_by(s, ld->files.data[s->file],
                                                                                          s->esym));
        if (!global)
            continue;
        emitted++;
        const StSym *y = plan_sym(st, s);
        if (!y || y->symtab == ST_NONE) {
            ld_error(ld, "verify: global symbol `%s` has no place in the incremental state's .symtab", s->name);
            continue;
        }
        ld->sym_index[i] = y->symtab;
        ld->sym_name_at[i] = y->strtab;
    }
    if (emitted != h->nsymtab - h->first_global)
        ld_error(ld, "verify: %u global symbols, the incremental state's .symtab has %u", emitted,
                 h->nsymtab - h->first_global);
    return !ld_failed(ld);
}

bool incr_plan_check(Ld *ld)
{
    IncrState *st = ld->incr->state;
    for (uint32_t o = 0; o < ld->osecs.len; o++) {
        const OutSec *os = &ld->osecs.data[o];
        const StOsec *r = st_rec(st, ST_R_OSEC, o);
        if (os->shndx && (os->addr != r->addr || os->offset != r->offset))
            ld_error(ld, "verify: output section `%s` is at 0x%lx, the incremental state has it at 0x%lx", os->name,
                     (unsigned long)os->addr, (unsigned long)r->addr);
    }
    if (ld->file_size != st->hdr->file_size_out)
        ld_error(ld, "verify: the output has %lu bytes, the incremental state %lu", (unsigned long)ld->file_size,
                 (unsigned long)st->hdr->file_size_out);
    return !ld_failed(ld);
}

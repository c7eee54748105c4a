/*
 * linker/patch.h — the private model of an incremental update, shared by patch.c (what
 * changed and what it means), patchout.c (where things go and the bytes to write) and
 * patchio.c (writing the output and the state; the --incremental driver). Not for
 * other folders.
 */
#ifndef PATCH_H
#define PATCH_H

#include "linker/incr.h"

#include <time.h>

/* What becomes of a section of a touched object. */
typedef enum SecStatus {
    SS_DEAD,      /* not in the output (collected) */
    SS_SAME,      /* unchanged, where it was */
    SS_WRITE,     /* written: changed, new, or its .eh_frame contribution */
} SecStatus;

/* An object the update parses: changed or added. */
typedef struct TFile {
    LdFile *f;
    uint32_t id;              /* its FILE record (an added object: the one it gets) */
    const StFile *old;        /* NULL when added */
    uint32_t input;           /* its LdOptions.inputs entry */
    uint32_t loaded;          /* its LOADED record (added: the one it gets) */
    StLoaded stat;            /* its LOADED record as it will be */
    uint64_t *nh;             /* per section: name hash and occurrence */
    uint32_t *nth;
    Hash128 *hash;            /* per section: contents hash */
    Hash128 *raw;             /* per section: raw contents hash */
    Hash128 symtab;           /* incr_symtab_hash */
    bool revived;             /* unchanged, touched for a collected section or a definition */
    bool fast;                /* same symbol table as before: only the symbols its changed
                                 sections name are looked at, and they stay in place */
    uint32_t *sec_id;         /* per section: its SEC record (matched, or new) */
    uint8_t *status;          /* per section: SecStatus */
    uint64_t *old_addr;       /* per section: address before the update, or LD_NONE64 */
    StSec *recs;              /* per section: its SEC record after the update */
    StFile rec;               /* its FILE record after the update */
    StFsym *fsyms;            /* its FSYM entries after the update */
    const uint8_t *eh_bytes;  /* its .eh_frame contribution as written (NULL: none) */
    uint32_t sym_at, sym_cap; /* its .symtab slice after the update */
    uint64_t str_at, str_cap;
    uint32_t fsym, fsym_cap;  /* its FSYM range after the update */
} TFile;

/* A global symbol the update looks at. */
typedef struct ASym {
    uint32_t id;              /* SYM record (new: the one it gets) */
    bool fresh;               /* not in the state */
    StSym old, now;           /* the record before and after */
    const char *name;
    uint32_t mini;            /* its partial Ld symbol, or LD_NONE */
    bool winner_left;         /* its definer is a changed or removed object */
    uint8_t winner_role;      /* FS_* of the definer's new version (0xff: none) */
    uint32_t winner_ti, winner_esym;  /* ... the touched object and its symbol */
    uint32_t def_file;        /* touched object (TFile index) defining it best, or LD_NONE */
    uint32_t def_esym;
    uint8_t def_role;
    uint32_t touched_defs, touched_strong;  /* definitions by touched objects */
    uint64_t sig_old, sig_new;  /* COMMON and non-default visibility roles of touched objects */
    bool common;              /* a COMMON definition takes part */
    bool touched_refs;        /* a touched object names it */
    bool moved;               /* its address (or size) changes */
} ASym;

/* A site to add to the reverse index. */
typedef struct NewSite {
    bool local;               /* target is a SEC (else a SYM) */
    uint32_t target;
    StSite site;
} NewSite;

/* Bytes to write to the output. */
typedef struct OutWrite {
    uint64_t off, len;
    const uint8_t *data;
} OutWrite;
typedef Vec(OutWrite) WriteVec;
typedef Vec(uint32_t) IdVec;

/* Where a target's site list goes: kept (n grows in its room) or moved to the end. */
typedef struct SiteList {
    bool local;
    uint32_t target;
    uint32_t first, n, cap;   /* after the update */
    uint32_t old_first, old_n;
    bool moved;
    uint32_t add_from, add_n; /* its new sites: P->sites[add_from .. add_from + add_n) after sorting */
} SiteList;

/* A member of a packed (non-allocated) output section that the update moves without
 * rewriting it (its bytes are copied), or the new member list of such a section. */
typedef struct PackMove {
    uint32_t sec;             /* its SEC record */
    uint64_t offset;          /* its new offset in the output section */
} PackMove;
typedef struct PackList {
    uint32_t osec;
    uint32_t first, cap;      /* in MEMBERS after the update */
    Vec(uint32_t) ids;        /* SEC records, in order */
} PackList;

typedef struct Patch {
    const LdOptions *opt;
    LdOptions local_opt;      /* opt with one thread: the partial Ld's */
    LdReport *rep;
    IncrState *st;
    StHeader h;               /* the header as it will be */
    Ld ld;                    /* the partial link */
    char *why;                /* the first reason to give up */
    int out_fd;
    int dir_fd;               /* dir: the directory of the last input looked at (O_PATH), or -1 */
    char *dir;
    const uint8_t *out;       /* the output, read-only */
    uint64_t out_size;

    Vec(TFile) files;         /* touched objects */
    Vec(uint32_t) removed;    /* FILE records of objects no longer linked */
    Vec(uint32_t) dead_secs;  /* SEC records that leave the output or the link */
    Vec(StInput) inputs;      /* the INPUT records as they will be */
    bool inputs_changed;
    Vec(StLoaded) loaded_updates;  /* (by index in .pad... see loaded_ids) */
    Vec(uint32_t) loaded_ids;

    Vec(ASym) syms;
    uint32_t *sym_keys;       /* open addressing: SYM id + 1 ... */
    uint32_t *sym_vals;       /* ... -> index in syms */
    uint32_t sym_mask, sym_count;
    Vec(uint32_t) mini_sym;   /* partial Ld symbol -> index in syms */
    uint32_t next_sym, next_sec, next_file, next_loaded;  /* ids of new records */

    StOsec *osecs;            /* OSEC records as they will be */
    uint32_t nosecs;
    Vec(StFree) free;         /* FREE records as they will be */
    Vec(NewSite) sites;
    WriteVec writes;          /* in order: later writes win */
    WriteVec zeros;           /* freed room, written first */
    uint32_t sections_written;
    uint64_t sites_patched;
    bool order_uncertain;     /* added objects' link order is not known exactly */
    Vec(uint32_t) revive;     /* unchanged objects with a collected section that becomes live:
                                 the update starts again with them touched */
    const uint32_t *revived;  /* the objects touched for that reason in this attempt */
    uint32_t nrevived;
    bool slow;                /* no fast path (an earlier attempt found it did not apply) */
    bool retry_slow;          /* this attempt found the fast path does not apply */
    LdReport scratch;         /* the partial Ld's messages (a full link reports them) */
    uint8_t *repack;          /* per output section: packed again by this update */
    Vec(PackMove) packed;     /* moved members, sorted by SEC id */
    Vec(PackList) pack_lists;
    Vec(SiteList) lists;      /* where each target's sites go */
    WriteVec strings;         /* bytes to append to STR (off = offset in STR) */
    uint64_t site_next;       /* end of SITE records after the update */
    uint32_t *sec_keys;       /* open addressing: SEC id + 1 of touched objects' sections ... */
    uint8_t *sec_vals;        /* ... -> SecStatus */
    uint32_t sec_mask;
} Patch;

static inline const StFile *st_file(Patch *P, uint32_t id) { return st_rec(P->st, ST_R_FILE, id); }
static inline const StSec *st_sec(Patch *P, uint32_t id) { return st_rec(P->st, ST_R_SEC, id); }
static inline const StSym *st_sym(Patch *P, uint32_t id) { return st_rec(P->st, ST_R_SYM, id); }

/* The state's record of section k of touched object t, or NULL when it is new. */
static inline const StSec *old_sec(Patch *P, const TFile *t, uint32_t k)
{
    return t->sec_id[k] < st_region(P->st, ST_R_SEC)->used ? st_sec(P, t->sec_id[k]) : NULL;
}

/* Zeroed memory that lives as long as the update. */
static inline void *patch_alloc(Patch *P, uint64_t len)
{
    return arena_zalloc(&P->ld.arena, len ? len : 1);
}

/* Queues bytes for the output (later writes win where they overlap). */
static inline void add_write(Patch *P, uint64_t off, uint64_t len, const void *data)
{
    if (len)
        vec_push(&P->writes, ((OutWrite){off, len, data}));
}

static inline uint64_t now_ns(struct timespec t)
{
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ---------------------------------------------------------------- patch.c */

/* Gives up the update: records the first reason; returns false. */
bool patch_fallback(Patch *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a string to the state's STR (written at commit); false when it has no room. */
bool patch_add_string(Patch *P, const char *s, size_t len, StStr *out);
/* The analysis of global symbol id (made from its record on first use); the slot of the
 * map from SYM ids to indices in P->syms (LD_NONE when new). */
ASym *patch_asym(Patch *P, uint32_t id);
uint32_t *patch_sym_slot(Patch *P, uint32_t id);
/* Is object id (a FILE record) changed or removed by this update? */
bool patch_touched_file(const Patch *P, uint32_t id);
/* Is name the entry, a -u name or a --defsym target? */
bool patch_named_by_options(const LdOptions *opt, const char *name);
/* FF_GNU_STACK / FF_EXEC_STACK of an object. */
uint32_t patch_stack_flags(const LdFile *f);
/* Steps 1-5 (see patch.c). */
bool patch_diff_inputs(Patch *P);
bool patch_touch_revived(Patch *P);
void patch_load_layout(Patch *P);
bool patch_parse(Patch *P);
bool patch_diff_sections(Patch *P);
bool patch_resolve(Patch *P);
bool patch_mark_live(Patch *P);
/* Has section k of touched object t changed since the state (fast objects: by raw hash)? */
bool patch_sec_changed(const Patch *P, const TFile *t, uint32_t k);

/* ---------------------------------------------------------------- patchout.c */

/* Steps 6-7: the relocation scan of the touched objects, their sections' places, new
 * addresses, contents, re-patched sites, GOT and .iplt slots, .symtab, .eh_frame_hdr,
 * section headers. Each returns false (with a reason) when the update cannot be done. */
bool patch_scan(Patch *P);
bool patch_place(Patch *P);
void patch_build_status(Patch *P);
bool patch_new_addresses(Patch *P);
bool patch_write_sections(Patch *P);
bool patch_repatch(Patch *P);
void patch_write_slots(Patch *P);
bool patch_update_symtab(Patch *P);
bool patch_update_eh_hdr(Patch *P);
void patch_update_headers(Patch *P);
/* Does a site of the state still describe bytes the update leaves alone? */
bool patch_site_valid(Patch *P, const StSite *site);
/* The offset section id (of the state) will have in its output section. */
uint64_t patch_sec_offset(const Patch *P, uint32_t id, uint64_t old);

/* ---------------------------------------------------------------- patchio.c */

/* The state's records after the update (room checked). */
bool patch_plan_state(Patch *P);
/* Step 8: writes the output and the state. */
bool patch_commit(Patch *P, uint32_t *points);

#endif

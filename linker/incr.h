/*
 * linker/incr.h — the incremental linker's state records, shared by incremental.c (which
 * owns the file format: see the top of incremental.c), patch.c (an update) and
 * patchio.c (writing an update and --verify). Not for other folders.
 *
 * Every record is a fixed-size little-endian struct; records refer to each other by
 * index (ST_NONE: none). Strings live in the STR region and are named by StStr.
 */
#ifndef INCR_H
#define INCR_H

#include "linker/ld.h"

#include <setjmp.h>

#define ST_NONE UINT32_MAX

typedef struct StStr {
    uint32_t off, len;  /* bytes in STR (NUL-terminated there); len excludes the NUL */
} StStr;

/* Regions of the state file, in file order. */
#define ST_REGIONS(X)                                                     \
    X(STR, 1, "strings")                                                  \
    X(LOADED, sizeof(StLoaded), "files read")                             \
    X(INPUT, sizeof(StInput), "command-line inputs")                      \
    X(FILE, sizeof(StFile), "linked objects")                             \
    X(SEC, sizeof(StSec), "input sections")                               \
    X(SYM, sizeof(StSym), "global symbols")                               \
    X(SYMHASH, sizeof(uint32_t), "symbol hash table")                     \
    X(FSYM, sizeof(StFsym), "symbol references per object")               \
    X(SITE, sizeof(StSite), "relocation sites")                           \
    X(OSEC, sizeof(StOsec), "output sections")                            \
    X(FREE, sizeof(StFree), "free space")                                 \
    X(WARN, sizeof(StWarn), "warnings")                                   \
    X(CHUNK, sizeof(Hash128), "build-id chunk hashes")                    \
    X(MEMBERS, sizeof(uint32_t), "members of packed sections")

/* A file the link read (LdLoaded). */
typedef struct StLoaded {
    StStr path;
    uint8_t kind;             /* LoadedKind */
    uint8_t memory;           /* the caller's bytes: no stat, the hash decides */
    uint8_t pad[6];
    uint64_t size, dev, ino, mtime_ns;
    Hash128 hash;             /* XXH3-128 of the contents */
} StLoaded;

/* An entry of LdOptions.inputs. */
typedef struct StInput {
    StStr name;               /* as given (library: the -l name) */
    uint32_t kind;            /* LdInputKind */
    uint32_t loaded;          /* the LOADED file it named, or ST_NONE (markers) */
} StInput;

enum {
    FF_MEMBER = 1 << 0,       /* an archive member */
    FF_GNU_STACK = 1 << 1,    /* has .note.GNU-stack */
    FF_EXEC_STACK = 1 << 2,   /* ... asking for an executable stack */
    FF_GROUPS = 1 << 3,       /* has section groups (COMDAT) */
    FF_WARNINGS = 1 << 4,     /* has .gnu.warning sections */
    FF_REMOVED = 1 << 5,      /* no longer linked (its record is garbage) */
    FF_LINKER = 1 << 6,       /* the pseudo file of the linker's own sections (FILE 0) */
};

/* A linked object (a file on the command line, in memory, or an archive member). */
typedef struct StFile {
    StStr name;               /* LdFile.name */
    uint32_t loaded;          /* LOADED file its bytes come from */
    uint32_t flags;           /* FF_* */
    uint64_t order;           /* LdFile.order */
    uint64_t member_off;      /* members: header offset in the archive */
    Hash128 hash;             /* contents (objects that are not members) */
    Hash128 symtab;           /* incr_symtab_hash: an object with the same symbol table
                                 can be compared section by section on raw bytes */
    StStr comment;            /* its .comment bytes (NUL-separated strings) */
    uint32_t sec_head;        /* first section (SEC), linked by StSec.next */
    uint32_t nsecs;
    uint32_t fsym, nfsym, fsym_cap;  /* its global symbols in FSYM */
    uint32_t sym_at, sym_cap; /* its local symbols' slice of .symtab */
    uint32_t eh_sec;          /* its live .eh_frame section, or ST_NONE */
    uint32_t pad;
    uint64_t str_at, str_cap; /* their names' slice of .strtab */
} StFile;

enum {
    SF_LIVE = 1 << 0,         /* in the output */
    SF_EH = 1 << 1,           /* an .eh_frame contribution */
    SF_PINNED = 1 << 2,       /* a site names it with an addend sites cannot hold: never moves */
    SF_REMOVED = 1 << 3,      /* gone from its file (garbage) */
    SF_HAS_SITES = 1 << 4,    /* sites of its own were recorded (it is in an object) */
    SF_PCREL = 1 << 5,        /* holds a PC-relative site (its bytes depend on its place) */
    SF_DEFINES = 1 << 6,      /* a symbol of the symbol table is defined in it */
};

/* An input section of a linked object. */
typedef struct StSec {
    uint64_t name_hash;       /* hash64 of its name */
    uint32_t nth;             /* sections of that name before it in its file */
    uint32_t file;            /* FILE */
    uint32_t next;            /* next section of the file */
    uint32_t osec;            /* output section (OSEC), ST_NONE when not in the output */
    uint64_t offset;          /* in the output section */
    uint64_t size;            /* bytes in the output (InSec.out_size) */
    uint64_t capacity;        /* bytes reserved there */
    Hash128 hash;             /* contents and relocations (incr_section_hash) */
    Hash128 raw;              /* contents and raw relocations (incr_section_raw) */
    uint32_t sites, nsites, sites_cap;  /* SITE range of the sites whose target is in it
                                           through a local symbol */
    uint16_t gen;             /* bumped each time it is rewritten: older sites are stale */
    uint8_t p2align;
    uint8_t flags;            /* SF_* */
    uint32_t type;            /* sh_type */
    uint32_t shflags;         /* sh_flags (low 32 bits) */
} StSec;

enum {
    YF_PINNED = 1 << 0,       /* a site names it with an addend sites cannot hold */
};

/* A global symbol. */
typedef struct StSym {
    StStr name;
    uint64_t hash;            /* hash64 of the name */
    uint32_t file;            /* defining FILE, or ST_NONE */
    uint32_t sec;             /* defining SEC, or ST_NONE (absolute, linker, undefined) */
    uint64_t value, size, addr;  /* LdSym.value, size, addr */
    uint32_t got, gottp, iplt;   /* LdSym slots */
    uint32_t symtab;          /* index in .symtab, or ST_NONE */
    uint64_t strtab;          /* its name's offset in .strtab (global part) */
    uint8_t state, type, visibility, flags;  /* LdSym */
    uint8_t lsym, yflags;     /* LdSym.lsym, YF_* */
    uint16_t pad;
    uint32_t nrefs;           /* objects naming it undefined */
    uint32_t nsrefs;          /* ... strongly */
    uint32_t ndefs;           /* objects defining it */
    uint32_t nstrong;         /* ... strongly */
    uint32_t obj_defs;        /* non-member objects defining it (archive extraction) */
    uint32_t obj_srefs;       /* non-member objects referring to it strongly */
    uint32_t sites, nsites, sites_cap;  /* SITE range of the sites naming it */
    uint32_t osec;            /* output section of its definition (ST_NONE: absolute) */
    uint32_t alt;             /* another object defining it (which takes over when the
                                 winner goes), or ST_NONE */
    uint32_t pad2;
} StSym;

enum {
    FS_DEF = 1 << 0,          /* defines it (else refers to it) */
    FS_WEAK = 1 << 1,
    FS_COMMON = 1 << 2,
    FS_ABS = 1 << 3,
};

/* A global symbol an object defines or names (per object, in symbol-table order). */
typedef struct StFsym {
    uint32_t sym;             /* SYM */
    uint8_t role;             /* FS_* */
    uint8_t visibility;       /* its st_other visibility there */
    uint16_t pad;
    uint64_t common;          /* FS_COMMON: size << 8 | log2 alignment */
} StFsym;

/* A place whose bytes depend on where its target is. */
typedef struct StSite {
    uint32_t src;             /* SEC holding the bytes */
    uint32_t offset;          /* of the bytes in src's output contents */
    int32_t addend;           /* the relocation's (+ the local symbol's value) */
    uint8_t kind;             /* SiteKind */
    uint8_t pad;
    uint16_t gen;             /* src's generation when recorded: stale when it differs */
} StSite;

/* An output section. */
typedef struct StOsec {
    StStr name;
    uint8_t kind, seg, relro, tls, elastic;
    uint8_t packed;           /* members follow each other (non-allocated sections) */
    uint8_t pad[2];
    uint32_t key, rank, first_seen, type, shndx, link, info;
    uint32_t members, nmembers, members_cap;  /* packed: its members (MEMBERS), in order */
    uint32_t pad2;
    uint64_t flags, align, entsize, addr, offset, size, capacity, tail;
} StOsec;

/* Room freed inside an elastic output section. */
typedef struct StFree {
    uint32_t osec;
    uint32_t pad;             /* (an update's own mark; 0 in the state) */
    uint64_t off, len;
} StFree;

/* A message of the full link, repeated by every update. */
typedef struct StWarn {
    StStr text;
    uint32_t level, pad;
} StWarn;

#define X(id, rec, what) ST_R_##id,
typedef enum StRegionId { ST_REGIONS(X) ST_R_COUNT } StRegionId;
#undef X

typedef struct StRegion {
    uint64_t off;             /* file offset (block aligned) */
    uint64_t cap;             /* records it has room for */
    uint64_t used;            /* records in use */
    uint64_t recsize;
} StRegion;

enum { ST_DIRTY = 1 << 0 };

/* The header: the first block of the file. */
typedef struct StHeader {
    char magic[8];            /* "RLNKSTAT" */
    uint32_t version;         /* ST_VERSION */
    uint32_t flags;           /* ST_DIRTY: an update started and did not finish */
    Hash128 checksum;         /* of this header, with this field zero */
    uint64_t generation;      /* updates since the full link */
    uint64_t file_size;       /* of the state file */
    uint64_t data_off;        /* first block covered by the block table */
    uint64_t nblocks;         /* ST_BLOCK-byte blocks from data_off to the end */
    uint64_t blocktab;        /* offset of the block table (Hash128 per block) */
    uint64_t l2tab;           /* offset of its table: Hash128 per ST_BLOCK of the block table */
    Hash128 blocktab_sum;     /* of the l2tab */
    Hash128 options;          /* incr_options_hash of the command line */
    Hash128 id;               /* relink's version (a state from another build is foreign) */
    uint64_t out_dev, out_ino, out_size, out_mtime_ns;  /* the output it describes */
    uint64_t base, tp, tls_start, tls_end, got_plt_addr, entry, shoff;
    uint32_t os_got, os_got_plt, os_iplt, os_rela_iplt, os_eh_frame, os_eh_frame_hdr, os_build_id;
    uint32_t os_symtab, os_strtab, os_bss, os_text, os_comment, os_shstrtab;
    uint32_t ngot;            /* GOT slots in use */
    uint32_t local_got_base, nlocal_got;  /* slots of local symbols */
    uint32_t nfde;            /* entries of .eh_frame_hdr's table */
    uint32_t nshdr, nphdr;
    uint32_t first_global;    /* .symtab: sh_info */
    uint32_t nsymtab;         /* .symtab: entries in use (first_global + globals) */
    uint32_t unowned_at, unowned_n;      /* hidden linker symbols' slice */
    uint32_t local_next;      /* first free slot of the local part */
    uint32_t slack, reserve;  /* percent */
    uint32_t build_id_len;
    uint64_t unowned_str_at, str_local_next, str_local_end;  /* .strtab: local part */
    uint64_t str_global_next; /* .strtab: end of the global names */
    uint64_t file_size_out;   /* the output's size */
    uint64_t inputs_time;     /* when the inputs were read (realtime, ns): a file whose
                                 mtime is within ST_RACY_NS of it is checked by its hash */
    uint32_t symhash_mask;    /* SYMHASH slots - 1 */
    uint32_t exec_stack;
    StRegion regions[ST_R_COUNT];
} StHeader;

/* A file modified this close to the moment the link read it may have been modified
 * again within the same timestamp tick: its size and mtime prove nothing. */
#define ST_RACY_NS (2000000000ull)

#define ST_MAGIC "RLNKSTAT"
#define ST_VERSION 1
#define ST_BLOCK 4096

/* An open state file. Records are read through st_rec (which checks their blocks'
 * checksums the first time) and written through st_recw (only between
 * incr_state_begin and incr_state_commit). A failed check or an index out of range
 * longjmps to st->fail with st->why set. */
struct IncrState {
    char *path;
    int fd;
    uint8_t *map;
    size_t size;
    StHeader *hdr;
    Hash128 *blocktab;
    Hash128 *l2tab;           /* per page of the block table, its hash */
    uint8_t *verified;        /* bitmap over blocks */
    uint8_t *dirty;           /* bitmap over blocks */
    uint8_t *bt_verified;     /* bitmap over pages of the block table */
    bool writing;             /* between begin and commit */
    char *why;                /* why it cannot be trusted (heap) */
    jmp_buf *fail;            /* where a failed check jumps */
};

/* Opens and checks the header and block table of path; NULL with *why (heap) set
 * ("missing", "damaged: ...", ...). */
IncrState *incr_state_open(const char *path, char **why);
void incr_state_close(IncrState *st);
/* Record i of region r, checked. */
void *st_rec(IncrState *st, StRegionId r, uint64_t i);
/* Records first .. first + n - 1 of region r, checked at once. */
const void *st_range(IncrState *st, StRegionId r, uint64_t first, uint64_t n);
/* ... for writing (marks its blocks dirty). */
void *st_recw(IncrState *st, StRegionId r, uint64_t i);
/* The string s. */
const char *st_str(IncrState *st, StStr s);
/* Global symbol named name (hash: hash64 of it), or ST_NONE. */
uint32_t st_lookup(IncrState *st, const char *name, size_t len, uint64_t hash);
/* Checks every block (a PLANNED link reads them all). */
void incr_state_check_all(IncrState *st);
/* Marks the state DIRTY (first write of an update). */
void incr_state_begin(IncrState *st);
/* Replaces the header's contents but its flags, generation and checksums (an update's
 * counts and layout constants); the state stays DIRTY until the commit. */
void incr_state_put_header(IncrState *st, const StHeader *h);
/* Re-checksums what was written, clears DIRTY with the output's new identity. */
void incr_state_commit(IncrState *st, int out_fd);
/* Makes the state invalid for good (a verify mismatch). */
void incr_state_invalidate(IncrState *st);
/* Region r: records used and room. */
static inline StRegion *st_region(IncrState *st, StRegionId r) { return &st->hdr->regions[r]; }

/* Sets *why (heap) to the formatted reason unless it already holds one. */
void incr_first_reason(char **why, const char *fmt, va_list ap);
/* The path of output's state (heap). */
char *incr_state_path(const char *output);
/* Hash of everything of the command line but the list of objects. */
Hash128 incr_options_hash(const LdOptions *opt);
/* Per section k of f: hash64 of its name and how many before it have that name. */
void incr_file_keys(const LdFile *f, uint64_t *name_hash, uint32_t *nth);
/* The hash of section s of f: contents, flags, and relocations by what they name
 * (global symbols by name, local ones by their section's key and value), so that a
 * recompiled object with renumbered symbols still hashes the same. */
Hash128 incr_section_hash(const LdFile *f, const InSec *s, const uint64_t *name_hash, const uint32_t *nth);
/* Pushes the state's output sections onto ld->osecs and sets ld's os_* indices from h. */
void incr_load_osecs(IncrState *st, const StHeader *h, Ld *ld);
/* pwrite of all len bytes; false (errno set) on failure. */
bool incr_pwrite(int fd, const void *p, uint64_t len, uint64_t off);
/* Hash of an object's symbol table, its names and its sections' identities (names,
 * types, flags, alignments, links): when two versions of an object have the same, their
 * symbols mean the same things and sections can be compared by incr_section_raw. */
Hash128 incr_symtab_hash(const LdFile *f);
/* Hash of a section's contents and its relocations as they are in the file. */
Hash128 incr_section_raw(const InSec *s);
/* The effective slack and reserve percentages of opt. */
uint32_t incr_slack(const LdOptions *opt);
uint32_t incr_reserve(const LdOptions *opt);
/* Does a site of this kind depend on the place of its bytes? */
bool incr_site_pcrel(unsigned kind);
/* The section symbol i of f (not a section or file symbol) is defined in, or NULL. */
const InSec *incr_symbol_section(const LdFile *f, uint32_t i);
/* The role bits (FS_*) of global symbol i of f and its COMMON size and alignment. */
uint8_t incr_fsym_role(const LdFile *f, uint32_t i, uint64_t *common);

/* (name hash, occurrence) -> SEC, over one object's sections. */
typedef struct SecMap {
    uint64_t *hash;
    uint32_t *nth, *id;
    uint8_t *taken;
    uint32_t mask;
} SecMap;
void secmap_build(IncrState *st, const StFile *r, SecMap *m);
/* The SEC of (hash, nth), or ST_NONE. */
uint32_t secmap_find(const SecMap *m, uint64_t hash, uint32_t nth);
/* The same, once: marks it taken (secmap_find still finds it; m->taken says which
 * were never taken). */
uint32_t secmap_take(SecMap *m, uint64_t hash, uint32_t nth);
void secmap_free(SecMap *m);

/* ---------------------------------------------------------------- patch.c */

typedef enum PatchResult {
    PATCH_DONE,      /* the output is up to date (patched, or nothing changed) */
    PATCH_FALLBACK,  /* no update possible: *why says why; the output is as it was, or
                        the state says an update was interrupted */
    PATCH_FAILED,    /* an error the report holds (a full link would fail as well) */
} PatchResult;

/* Updates opts->output in place from the state st. *write_points counts write points
 * (LdOptions.fault_at). On PATCH_FALLBACK, *why (heap) says why a full link is needed. */
PatchResult patch_run(const LdOptions *opts, LdReport *rep, IncrState *st, uint32_t *write_points, char **why);

#endif

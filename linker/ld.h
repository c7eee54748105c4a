/*
 * linker/ld.h — the linker's private model, shared by its stages (not for other folders:
 * they use linker/linker.h).
 *
 * One Ld holds one link: the input files (objects, archive members), their sections and
 * symbols, the global symbol table, output sections and segments, synthetic sections,
 * and the messages. link.c runs the pipeline (and owns messages and the thread pool);
 * args.c parses GNU ld's command line. The stages, in the order link.c calls them:
 *   input.c    open files, archives and scripts; parse objects (bounds-checked)
 *   resolve.c  symbol table, archive extraction, COMDAT, undefined/duplicate checks
 *   gc.c       --gc-sections
 *   reloc.c    relocation kinds, scanning (GOT/IPLT/TLS needs), applying, relaxing
 *   ehframe.c  .eh_frame records and .eh_frame_hdr
 *   layout.c   output sections, order, addresses, linker-defined symbols
 *   output.c   the output file: headers, synthetic contents, symbol table, build-id
 * and, for --incremental (see "incremental" below):
 *   incremental.c  the state file: its format, loading, saving, and the layout it plans
 *   patch.c        an update: which inputs changed and what that means for symbols
 *   patchout.c     ... where sections go, the bytes to write
 *   patchio.c      ... writing the output and the state; the driver and --verify
 *
 * Sections and symbols are referred to by index in anything that outlives the link
 * (the incremental state builds on that): files by LdFile.index, output sections by
 * index in Ld.osecs, global symbols by index in Ld.syms.
 */
#ifndef LD_H
#define LD_H

#include "linker/linker.h"

#include <elf.h>
#include <pthread.h>

#define LD_NONE UINT32_MAX

typedef struct Ld Ld;

/* ---------------------------------------------------------------- input sections */

typedef enum InSecKind {
    ISEC_REGULAR,     /* copied and relocated */
    ISEC_EH_FRAME,    /* .eh_frame: records filtered and re-linked by ehframe.c */
    ISEC_SYNTHETIC,   /* made by the linker (COMMON block, .eh_frame terminator); no file */
} InSecKind;

/* One input section that may reach the output. */
typedef struct InSec {
    const uint8_t *data;        /* contents; NULL for NOBITS and zero-filled synthetics */
    const Elf64_Rela *rela;     /* its relocations (8-aligned copy when the input was not) */
    const char *name;           /* section name (in the file's .shstrtab) */
    uint64_t size;              /* bytes in the input */
    uint64_t out_size;          /* bytes in the output (smaller for .eh_frame) */
    uint64_t offset;            /* offset in its output section, set by layout */
    uint64_t capacity;          /* bytes reserved for it there (>= out_size: slack) */
    uint64_t flags;             /* sh_flags */
    uint32_t type;              /* sh_type */
    uint32_t file;              /* index in Ld.files; LD_NONE for synthetic sections */
    uint32_t shndx;             /* index in the file's section header table */
    uint32_t nrela;
    uint32_t osec;              /* index in Ld.osecs; LD_NONE until mapped */
    uint32_t eh;                /* ISEC_EH_FRAME: index in Ld.eh_sections */
    uint32_t plan;              /* incremental: its record in the state, or LD_NONE */
    uint8_t p2align;            /* log2 of sh_addralign */
    uint8_t kind;               /* InSecKind */
    bool live;                  /* kept: not a COMDAT loser, not garbage-collected */
} InSec;

/* ---------------------------------------------------------------- files */

/* One relocatable object: a file on the command line or an archive member. */
typedef struct LdFile {
    const char *name;           /* display name: "dir/a.o" or "libc.a(printf.o)" */
    const uint8_t *data;        /* the whole object */
    size_t size;
    uint32_t index;             /* position in Ld.files (the order files were opened) */
    uint64_t order;             /* layout order: input position << 32 | extraction number */
    bool live;                  /* linked (plain objects always; members once extracted) */
    bool parsed;
    bool has_gnu_stack;         /* has a .note.GNU-stack section */
    bool exec_stack;            /* ... which asks for an executable stack */
    bool lto;                   /* an LTO IR object (refused) */
    bool has_warnings;          /* has .gnu.warning.<symbol> sections */
    const Elf64_Shdr *shdr;     /* section headers (8-aligned) */
    uint32_t nshdr;
    const char *shstrtab;       /* section names, NUL-terminated */
    uint64_t shstrtab_size;
    const Elf64_Sym *sym;       /* symbol table (8-aligned), NULL when absent */
    uint32_t nsym;
    uint32_t first_global;      /* index of the first non-local symbol */
    const char *strtab;         /* symbol names, NUL-terminated */
    uint64_t strtab_size;
    const uint32_t *xindex;     /* SHT_SYMTAB_SHNDX contents, or NULL */
    uint32_t symtab_shndx;      /* section index of .symtab (0: none) */
    InSec *secs;                /* input sections that may reach the output */
    uint32_t nsecs;
    uint32_t *sec_of;           /* shndx -> index in secs + 1 (0: not an output section) */
    uint32_t *gsym;             /* symbol i >= first_global -> index in Ld.syms */
    uint64_t *local_addr;       /* reloc.c: address of each local symbol (LD_NONE64: dropped) */
    uint64_t *ghash;            /* name hash of each global (for resolution) */
    uint32_t *ggroups;          /* SHT_GROUP section indices (COMDAT) */
    uint32_t nggroups;
    const uint8_t *comment;     /* .comment contents, merged by output.c */
    uint64_t comment_size;
    char *error;                /* a parse error (heap), reported in file order */
    const char *member_of;      /* archive members: the archive's path */
    uint64_t member_off;        /* ... and the offset of the member's header in it */
    uint32_t loaded;            /* index in Ld.loaded of the file its bytes come from */
    uint32_t plan;              /* incremental: its record in the state, or LD_NONE */
    uint32_t sym_at, sym_cap;   /* incremental: its slice of .symtab (local symbols) */
    uint64_t str_at, str_cap;   /* ... and of .strtab */
} LdFile;

/* An ar archive (GNU or BSD symbol index, GNU long names, thin archives). */
typedef struct LdArchive {
    const char *path;
    const uint8_t *data;
    size_t size;
    bool thin;
    bool whole;                 /* --whole-archive was in force */
    uint64_t order;             /* input position << 32 (members add their number) */
    uint32_t loaded;            /* index in Ld.loaded */
    uint32_t extracted;         /* members parsed so far */
    uint64_t *sym_hash;         /* hash of each index name, computed on first scan */
    uint32_t nsyms;             /* symbol index entries */
    const char **sym_name;      /* name of entry i (points into data) */
    uint32_t *sym_member;       /* member (index in members) defining entry i */
    uint64_t *members;          /* member header offsets, ascending */
    uint32_t *member_file;      /* member -> index in Ld.files once parsed, or LD_NONE */
    uint32_t nmembers;
    const char *longnames;      /* the "//" member, or NULL */
    uint64_t longnames_size;
} LdArchive;

/* ---------------------------------------------------------------- symbols */

typedef enum SymState {
    SYM_UNDEF,      /* referenced, not (yet) defined */
    SYM_DEFINED,    /* defined in an input section or absolute */
    SYM_COMMON,     /* a COMMON block (placed in .bss by layout) */
    SYM_LINKER,     /* defined by the linker (its address set by layout) */
} SymState;

/* Flags of a global symbol; set with atomic OR during the parallel scan. */
enum {
    SYMF_WEAK = 1 << 0,        /* the winning definition (or every reference) is weak */
    SYMF_STRONG_REF = 1 << 1,  /* some object references it non-weakly */
    SYMF_NEEDS_GOT = 1 << 2,   /* a GOT entry holding its address */
    SYMF_NEEDS_GOTTP = 1 << 3, /* a GOT entry holding its TP offset */
    SYMF_NEEDS_IPLT = 1 << 4,  /* an IFUNC called or addressed: .iplt entry + IRELATIVE */
    SYMF_USED = 1 << 5,        /* referenced by a relocation in a live section */
    SYMF_WARNING = 1 << 6,     /* a .gnu.warning.<name> section: using it prints a warning */
};

typedef struct LdSym {
    const char *name;
    uint64_t hash;
    uint32_t len;
    uint32_t file;       /* defining file (Ld.files index), LD_NONE if none */
    uint32_t esym;       /* index of the definition in that file's symtab */
    InSec *sec;          /* defining section; NULL for absolute, undefined, linker symbols */
    uint64_t value;      /* offset in sec, or absolute value; COMMON: alignment */
    uint64_t size;
    uint64_t addr;       /* final address, set by layout (IFUNC: its .iplt entry) */
    uint32_t osec;       /* SYM_LINKER: the output section it belongs to, or LD_NONE */
    uint8_t lsym;        /* SYM_LINKER: a LinkerSym */
    uint32_t got;        /* GOT slot (when SYMF_NEEDS_GOT) */
    uint32_t gottp;      /* GOT slot holding the TP offset (SYMF_NEEDS_GOTTP) */
    uint32_t iplt;       /* .iplt entry (SYMF_NEEDS_IPLT) */
    uint8_t state;       /* SymState */
    uint8_t type;        /* STT_* of the definition */
    uint8_t visibility;  /* most constraining STV_* seen */
    uint8_t flags;       /* SYMF_* */
} LdSym;

/* Symbols the linker defines when something references them and no input does. */
#define LD_LINKER_SYMS(X)                                   \
    X(EHDR_START, "__ehdr_start")                           \
    X(EXECUTABLE_START, "__executable_start")               \
    X(ETEXT, "_etext") X(ETEXT_2, "etext") X(ETEXT_3, "__etext") \
    X(EDATA, "_edata") X(EDATA_2, "edata")                  \
    X(BSS_START, "__bss_start")                             \
    X(END, "_end") X(END_2, "end")                          \
    X(GOT, "_GLOBAL_OFFSET_TABLE_")                         \
    X(PREINIT_ARRAY_START, "__preinit_array_start")         \
    X(PREINIT_ARRAY_END, "__preinit_array_end")             \
    X(INIT_ARRAY_START, "__init_array_start")               \
    X(INIT_ARRAY_END, "__init_array_end")                   \
    X(FINI_ARRAY_START, "__fini_array_start")               \
    X(FINI_ARRAY_END, "__fini_array_end")                   \
    X(RELA_IPLT_START, "__rela_iplt_start")                 \
    X(RELA_IPLT_END, "__rela_iplt_end")                     \
    X(EH_FRAME_HDR, "__GNU_EH_FRAME_HDR")
typedef enum LinkerSym {
#define X(id, name) LSYM_##id,
    LD_LINKER_SYMS(X)
#undef X
    LSYM_START_SECTION,   /* __start_<name>: first byte of output section <name> */
    LSYM_STOP_SECTION,    /* __stop_<name>: just past it */
    LSYM_DEFSYM,          /* --defsym: Ld.defsyms says how */
} LinkerSym;

/* A --defsym: name = target + offset (target LD_NONE: an absolute value). */
typedef struct DefSym {
    uint32_t sym, target;
    uint64_t offset;
} DefSym;

/* ---------------------------------------------------------------- output */

typedef enum OutKind {
    OSEC_REGULAR,      /* input sections, copied and relocated */
    OSEC_EH_FRAME,     /* .eh_frame */
    OSEC_EH_FRAME_HDR,
    OSEC_GOT,          /* .got: addresses and TP offsets, constant in a static link */
    OSEC_GOT_PLT,      /* .got.plt: 3 reserved words, then one slot per IFUNC */
    OSEC_IPLT,         /* .iplt: jmp *slot(%rip) per IFUNC */
    OSEC_RELA_IPLT,    /* .rela.iplt: R_X86_64_IRELATIVE per IFUNC */
    OSEC_BUILD_ID,     /* .note.gnu.build-id */
    OSEC_COMMENT,      /* .comment, strings merged */
    OSEC_SYMTAB,
    OSEC_STRTAB,
    OSEC_SHSTRTAB,
} OutKind;

/* Where an output section goes: its segment and its place in it. */
typedef enum SegKind { SEG_HEADERS, SEG_TEXT, SEG_RODATA, SEG_DATA, SEG_NONE } SegKind;

typedef struct OutSec {
    const char *name;
    uint8_t kind;             /* OutKind */
    uint8_t seg;              /* SegKind */
    bool relro;               /* inside PT_GNU_RELRO */
    bool tls;
    bool elastic;             /* incremental: members have slack and may move (else rigid) */
    bool packed;              /* incremental: non-allocated; members follow each other (an
                                 update packs them again when one changes size) */
    uint32_t key;             /* class key of map_sections (name and key find it) */
    uint32_t rank;            /* sort key within the segment (layout.c) */
    uint32_t first_seen;      /* order of first appearance, breaking rank ties */
    uint32_t type;            /* sh_type */
    uint64_t flags;           /* sh_flags */
    uint64_t align;
    uint64_t entsize;
    Vec(InSec *) members;     /* in output order */
    uint64_t addr;            /* 0 for non-alloc sections */
    uint64_t offset;          /* file offset */
    uint64_t size;            /* sh_size */
    uint64_t capacity;        /* address space (and file space) it takes: >= size */
    uint64_t tail;            /* incremental: end of the last member; free space follows */
    uint32_t shndx;           /* index in the output section header table (0: not emitted) */
    uint32_t link, info;      /* sh_link/sh_info of the output */
} OutSec;

typedef struct Segment {
    uint32_t type;            /* PT_* */
    uint32_t flags;           /* PF_* */
    uint64_t vaddr, offset, filesz, memsz, align;
} Segment;

/* One parsed .eh_frame record (CIE or FDE). */
typedef struct EhRecord {
    uint64_t in_off;          /* offset in the input section */
    uint64_t out_off;         /* offset in the output contribution; LD_NONE64 when dropped */
    uint64_t size;            /* total bytes including the length field */
    uint64_t cie_in_off;      /* FDE: its CIE's input offset */
    bool is_cie;
    bool live;
} EhRecord;

/* The parsed records of one .eh_frame input section. */
typedef struct EhSection {
    EhRecord *recs;
    uint32_t nrecs;
    uint32_t nfdes;           /* live FDEs */
} EhSection;

#define LD_NONE64 UINT64_MAX

/* A small map from (name, key) to a uint32_t, for COMDAT signatures and output
 * section names (the global symbol table has its own, tuned one). */
typedef struct NameSlot {
    const char *name;  /* NULL: empty */
    uint64_t hash;
    uint32_t key, value;
} NameSlot;
typedef struct NameMap {
    NameSlot *slots;
    uint32_t mask, count;
} NameMap;

/* A deterministic message: sorted by (key1, key2) before reaching the report. */
typedef struct LdPending {
    uint64_t key1, key2;
    LdLevel level;
    char *text;
} LdPending;

/* A relocation against an undefined symbol, for the error message. */
typedef struct UndefRef {
    uint32_t sym, file, shndx;
    uint64_t offset;
    uint64_t order;           /* the file's LdFile.order, for a stable report */
} UndefRef;

/* A GOT slot for a local symbol (rare: GOTPCREL against a static object). */
typedef struct LocalGot {
    uint32_t file, sym;
    uint32_t slot;
    bool tp;                  /* holds the TP offset rather than the address */
} LocalGot;

/* What a file read by the link turned out to be. */
typedef enum LoadedKind { LOADED_OBJECT, LOADED_ARCHIVE, LOADED_SCRIPT, LOADED_THIN_MEMBER } LoadedKind;

/* A file read by the link (mapped, or the caller's bytes), for the incremental state. */
typedef struct LdLoaded {
    const char *path;
    const uint8_t *data;
    size_t size;
    uint64_t dev, ino, mtime_ns;  /* 0 for the caller's bytes */
    uint8_t kind;                 /* LoadedKind */
    bool memory;                  /* the caller's bytes, not a file */
    Hash128 hash;                 /* the caller's LdInput.hash, or zero */
} LdLoaded;

typedef struct LdIncr LdIncr;

struct Ld {
    const LdOptions *opt;
    LdReport *report;
    Arena arena;                      /* everything of this link (main thread only) */
    uint32_t nthreads;
    Arena *thread_arena;              /* one per worker, for parallel phases */
    pthread_mutex_t lock;             /* guards pending and the rare shared updates */

    Vec(LdFile *) files;              /* every object opened, members as extracted */
    Vec(uint32_t) order;              /* live files in layout order (by LdFile.order) */
    const char *script_entry;         /* ENTRY() from a linker script */
    Vec(LdArchive *) archives;
    Vec(void *) maps;                 /* mmap'd inputs to unmap: (addr, size) pairs */
    Vec(size_t) map_sizes;
    Vec(LdLoaded) loaded;             /* every file read, in the order read */
    uint64_t read_time;               /* realtime (ns) before the first file was read */
    Vec(uint32_t) input_loaded;       /* per LdOptions.inputs entry: its Ld.loaded, or LD_NONE */
    LdIncr *incr;                     /* --incremental: how this link plans its layout */
    uint32_t *write_points;           /* write points passed in this ld_link call, for
                                         LdOptions.fault_at (NULL: not counted) */

    /* Global symbol table: open addressing over Ld.syms indices (+1; 0 is empty). */
    Vec(LdSym) syms;
    uint32_t *table;
    uint32_t table_mask;

    NameMap comdat;                   /* COMDAT signature -> the file that keeps the group */

    Vec(OutSec) osecs;
    Vec(uint32_t) osec_order;         /* emitted output sections in file order */
    Vec(Segment) segs;
    Vec(EhSection) eh_sections;
    Vec(LocalGot) local_got;
    Vec(DefSym) defsyms;
    Vec(UndefRef) undefs;             /* filled by reloc_scan under lock */
    Vec(UndefRef) warned_refs;        /* references to SYMF_WARNING symbols, ditto */
    NameMap warnings;                 /* symbol name -> index in warning_text */
    Vec(const char *) warning_text;   /* .gnu.warning.<name> contents */
    uint32_t entry_sym;               /* the entry symbol, LD_NONE when undefined */
    const char *entry_missing;        /* its name when undefined (a warning, as GNU ld) */
    Vec(uint32_t) ifuncs;             /* global symbols with an .iplt entry, in order */
    Vec(InSec *) synthetic;           /* COMMON block, .eh_frame terminator */

    /* Synthetic sections (index in osecs, LD_NONE when absent). */
    uint32_t os_got, os_got_plt, os_iplt, os_rela_iplt, os_eh_frame, os_eh_frame_hdr;
    uint32_t os_build_id, os_comment, os_symtab, os_strtab, os_shstrtab, os_bss, os_text;
    uint32_t ngot;                    /* GOT slots (incremental: used slots; the section
                                         has room for more) */
    bool need_got_plt;                /* a relocation uses _GLOBAL_OFFSET_TABLE_ */
    uint32_t build_id_len;            /* bytes of the build-id note's descriptor */
    const uint8_t *comment;           /* merged .comment contents */
    uint64_t comment_size;
    uint32_t eh_fde_count;            /* live FDEs, for .eh_frame_hdr */
    bool eh_hdr_table;                /* .eh_frame_hdr got its search table */

    /* Layout results. */
    uint64_t base;                    /* address of the first byte of the file */
    uint64_t tls_start, tls_end, tls_align, tp;  /* PT_TLS; tp = thread pointer */
    uint64_t got_plt_addr;            /* _GLOBAL_OFFSET_TABLE_ */
    uint64_t entry;
    uint64_t file_size;
    uint64_t shoff;
    uint32_t nshdr;                   /* output section headers, incl. the null one */
    uint32_t nphdr;
    uint64_t text_end, data_end, mem_end, bss_start, rw_start;  /* linker symbol anchors */
    bool exec_stack;

    uint8_t *out;                     /* the output's bytes (anonymous memory) */
    int out_fd;                       /* the temp file they are written to */
    struct SymSlice *sym_slices;      /* output.c: per-file parts of .symtab */
    uint32_t first_global_sym;        /* .symtab sh_info */
    uint32_t nsymtab;
    uint32_t unowned_at, unowned_n;   /* incremental: slice of hidden linker symbols */
    uint64_t unowned_str_at;
    uint32_t local_next;              /* incremental: first free slot of the local part */
    uint64_t str_local_next, str_local_end;  /* ... and its names' room in .strtab */
    uint64_t str_global_next;         /* incremental: end of the global names */
    Hash128 *id_chunks;               /* incremental: hash of each MiB (the build-id's input) */
    uint32_t nid_chunks;
    uint32_t *sym_index;              /* incremental: per global, its .symtab index (LD_NONE) */
    uint64_t *sym_name_at;            /* ... and its name's offset in .strtab */
    uint8_t build_id_bytes[64];       /* LD_BUILD_ID_HEX */
    Vec(LdPending) pending;           /* messages awaiting a deterministic order */
    uint32_t pending_errors;
    uint64_t nrelocs;
};

/* ---------------------------------------------------------------- incremental */

/* How the bytes at a relocation site depend on the target's address, for re-patching
 * a site when only its target moved. Relocations whose bytes do not depend on where
 * the target is (GOT-relative, TLS, relaxed TLS sequences) have no site. */
#define SITE_KINDS(X)                                                   \
    X(ABS64, 8) X(ABS32, 4) X(ABS32S, 4) X(ABS16, 2) X(ABS8, 1)         \
    X(PC64, 8) X(PC32, 4) X(PC16, 2) X(PC8, 1) X(GOTOFF64, 8)           \
    X(SIZE32, 4) X(SIZE64, 8)
typedef enum SiteKind {
#define X(name, width) SITE_##name,
    SITE_KINDS(X)
#undef X
    SITE_COUNT
} SiteKind;

/* One relocation site recorded while copying a section (incremental links). */
typedef struct SiteRec {
    const InSec *src;         /* the section holding the bytes */
    const InSec *local;       /* the target section of a local symbol, or NULL */
    uint32_t sym;             /* with local == NULL: the global symbol (Ld.syms index) */
    uint32_t offset;          /* of the bytes in src's output contents */
    int64_t addend;           /* the relocation's addend (+ the local symbol's value) */
    uint8_t kind;             /* SiteKind */
} SiteRec;
typedef Vec(SiteRec) SiteVec;

typedef struct IncrState IncrState;

/* How a link plans its layout. */
typedef enum IncrMode {
    INCR_FRESH,    /* a full link laid out with slack, saving a new state */
    INCR_PLANNED,  /* a full link following a state's layout (--verify) */
    INCR_PATCH,    /* patch.c's partial Ld: the changed files only */
} IncrMode;

struct LdIncr {
    IncrMode mode;
    uint32_t slack, reserve;      /* percent (0: none) */
    IncrState *state;             /* PLANNED, PATCH: the state */
    const char *out_path;         /* PLANNED: the file to write instead of the output */
    bool on_output;               /* FRESH: call LdOptions.on_output once the state is saved */
    SiteVec *sites;               /* per thread: sites the copy records (FRESH, PATCH) */
    uint32_t *write_points;       /* the ld_link call's count of write points */
    uint8_t uuid[16];             /* PLANNED with --build-id=uuid: the output's (random) id */
};

/* incremental.c: the state as a layout plan. */
/* --incremental and --verify: patches or links in full (ld_link calls it). */
bool incr_link(const LdOptions *opts, LdReport *rep);
/* Removes the state of output (before a full link replaces the output). */
void incr_forget(const char *output);
/* FRESH: writes the state of the finished link (after the output is in place). */
bool incr_save(Ld *ld);
/* PLANNED: finds every live file and section in the state; false (with errors) when
 * one is missing. */
bool incr_bind(Ld *ld);
/* PLANNED: true when the state has section s in the output (gc keeps it). */
bool incr_plan_live(const Ld *ld, const InSec *s);
/* PLANNED: GOT slots and .iplt entries as the state has them. */
void incr_plan_slots(Ld *ld);
/* PLANNED: output sections, their members' places and the synthetic sections' sizes
 * from the state (layout_run's work before addresses). */
bool incr_plan_layout(Ld *ld);
/* PLANNED: the .symtab slices and global indices of the state. */
bool incr_plan_symtab(Ld *ld);
/* PLANNED: checks that the addresses layout computed are the state's. */
bool incr_plan_check(Ld *ld);

/* The value of a site given its target's address S (or size, for SIZE kinds), the
 * addend A, the place P and _GLOBAL_OFFSET_TABLE_; false when it does not fit. */
bool reloc_site_value(SiteKind kind, uint64_t S, int64_t A, uint64_t P, uint64_t got, uint64_t *value);
/* Bytes a site kind writes. */
unsigned reloc_site_width(SiteKind kind);
/* Copies s (contents, then relocations applied) into buf, which is the output at addr;
 * records address-dependent sites in *sites when not NULL. For the patch path. */
void reloc_copy_section(Ld *ld, InSec *s, uint8_t *buf, uint64_t addr, SiteVec *sites);
/* Computes every live local symbol's address of file f (after layout). */
void reloc_local_addresses(Ld *ld, LdFile *f, Arena *arena);

/* ---------------------------------------------------------------- link.c */

/* Records a message now (serial phases). */
void ld_error(Ld *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ld_warn(Ld *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records a message from any thread; flushed in (key1, key2) order by ld_flush_pending. */
void ld_pending(Ld *ld, LdLevel level, uint64_t key1, uint64_t key2, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void ld_flush_pending(Ld *ld);
/* True once any error was recorded (pending ones included). */
bool ld_failed(Ld *ld);
/* Runs fn(ld, i, tid, ctx) for i in [0, n) on up to ld->nthreads threads. tid indexes
 * ld->thread_arena. Items are handed out in order; fn must not depend on which thread. */
void ld_parallel(Ld *ld, uint32_t n, void (*fn)(Ld *ld, uint32_t i, uint32_t tid, void *ctx),
                 void *ctx);
/* The value slot of (name, key), inserted with value LD_NONE when absent; name must
 * outlive the map. The pointer is valid until the next call. */
uint32_t *namemap_slot(NameMap *m, const char *name, uint32_t key);
void namemap_free(NameMap *m);
/* "a.o:(.text.main+0x12)" for messages (heap). */
char *ld_site(Ld *ld, const InSec *sec, uint64_t offset);
/* The full link pipeline, with an incremental plan or none (ld_link without
 * --incremental is ld_run(opts, rep, NULL)). */
bool ld_run(const LdOptions *opts, LdReport *rep, LdIncr *incr);
/* Prepares ld for one link (ld_run) or for an update's partial link (patch.c). */
void ld_init(Ld *ld, const LdOptions *opt, LdReport *rep);
void ld_free(Ld *ld);
/* A write point of --incremental (LdOptions.fault_at): kills the process when it is
 * the one asked for. */
void ld_write_point(Ld *ld, const char *what);

/* ---------------------------------------------------------------- input.c */

/* Opens every input of ld->opt (searching -l names, expanding scripts) and runs the
 * resolution driver over them; false after errors. */
bool input_load_all(Ld *ld);
/* Parses an object's headers, sections and symbols (bounds-checked); on bad input sets
 * f->error and returns false. Thread-safe for distinct files (uses arena). */
bool input_parse_object(Ld *ld, LdFile *f, Arena *arena);
/* Index of the archive member at member index m, parsing it on first use; LD_NONE on error. */
uint32_t input_archive_member(Ld *ld, LdArchive *ar, uint32_t m);
/* The bytes of the member whose header is at off in a (regular) archive; false when
 * there is no such member. */
bool input_member_bytes(const uint8_t *data, size_t size, uint64_t off, const uint8_t **member, size_t *len);
/* The InSec for section index shndx of f, or NULL when it has none. */
static inline InSec *file_sec(const LdFile *f, uint32_t shndx)
{
    if (shndx >= f->nshdr || !f->sec_of[shndx])
        return NULL;
    return &f->secs[f->sec_of[shndx] - 1];
}
/* The section index of symbol esym (resolving SHN_XINDEX). */
uint32_t input_sym_shndx(const LdFile *f, const Elf64_Sym *esym, uint32_t i);

/* ---------------------------------------------------------------- resolve.c */

/* Prepares the symbol and COMDAT tables. */
void resolve_init(Ld *ld);
/* Adds a live object's COMDAT groups and symbols, in link order. */
void resolve_add_file(Ld *ld, LdFile *f);
/* Extracts the members of ar that define currently undefined symbols, until none does.
 * Returns true when at least one member was added. */
bool resolve_archive(Ld *ld, LdArchive *ar);
/* Returns the global symbol named name, adding it (undefined) when absent. */
uint32_t resolve_intern(Ld *ld, const char *name, size_t len);
/* Returns the global symbol named name, or LD_NONE. */
uint32_t resolve_lookup(Ld *ld, const char *name, size_t len);
/* Defines linker symbols that are referenced but undefined; applies --defsym. */
void resolve_linker_symbols(Ld *ld);
/* Reports undefined symbols (with every referencing site) and checks the entry. */
bool resolve_check_undefined(Ld *ld);
/* Prints the .gnu.warning message of each used symbol that has one, at its first use. */
void resolve_warn_uses(Ld *ld);

/* ---------------------------------------------------------------- gc.c */

/* --gc-sections: clears InSec.live on sections unreachable from the roots. */
void gc_sections(Ld *ld);
/* Is s kept for the runtime's sake (notes, .init/.fini, init/fini arrays, retained)? */
bool gc_runtime_root(const InSec *s);
/* Walks .eh_frame section s of f: for each CIE, and each FDE whose function
 * (fde_target of its first relocation's symbol) is non-NULL and live, calls keep on the
 * symbol of each relocation in the record; stops (false) when keep returns false. */
bool gc_eh_walk(const LdFile *f, const InSec *s, const InSec *(*fde_target)(void *ctx, const LdFile *f, uint32_t si),
                bool (*keep)(void *ctx, const LdFile *f, uint32_t si), void *ctx);

/* ---------------------------------------------------------------- reloc.c */

/* Name of relocation type t ("R_X86_64_PC32"), or NULL when unknown. */
const char *reloc_name(uint32_t type);
/* Scans relocations of live sections: validates them, records GOT/IFUNC needs and
 * references to undefined symbols. Parallel. */
void reloc_scan(Ld *ld);
/* The scan of one section (reloc_scan does every live one). */
void reloc_scan_section(Ld *ld, LdFile *f, InSec *s);
/* Numbers the GOT slots of local symbols from first (sorted, de-duplicated); returns
 * how many there are. */
uint32_t reloc_number_local_got(Ld *ld, uint32_t first);
/* Assigns GOT slots and .iplt entries after the scan (serial, deterministic). */
void reloc_assign_slots(Ld *ld);
/* Copies every live input section into ld->out and applies its relocations. Parallel. */
void reloc_copy_all(Ld *ld);
/* Address of symbol i of file f as relocations see it (0 for undefined weak). */
uint64_t reloc_symbol_address(Ld *ld, const LdFile *f, uint32_t i);

/* ---------------------------------------------------------------- ehframe.c */

/* Parses every live .eh_frame section, drops FDEs of dead code and terminators, and
 * sets out_size. Parallel. */
void eh_parse_all(Ld *ld);
/* The same for one section (an update's). */
void eh_parse_one(Ld *ld, LdFile *f, InSec *s);
/* Maps an input offset in an .eh_frame section to its output offset (LD_NONE64 when
 * the record was dropped): for relocation places. */
uint64_t eh_translate(const Ld *ld, const InSec *sec, uint64_t in_off);
/* The same for a symbol's value: a dropped record maps to the next live one. */
uint64_t eh_translate_symbol(const Ld *ld, const InSec *sec, uint64_t in_off);
/* Writes one .eh_frame input section's live records at out (relocations applied). */
void eh_copy(Ld *ld, const InSec *sec, uint8_t *out, uint64_t addr);
/* Writes .eh_frame_hdr from the final .eh_frame bytes. */
void eh_write_hdr(Ld *ld);
/* An entry of .eh_frame_hdr's table: a function's and its FDE's address, both relative
 * to the header (the table is sorted by pc, then fde). */
typedef struct EhHdrEntry {
    int32_t pc, fde;
} EhHdrEntry;
typedef Vec(EhHdrEntry) EhHdrVec;
/* Appends the table entries of the FDEs in the .eh_frame bytes base[0..size) found at
 * address addr (CIEs are looked for in the same bytes); false when one is unreadable. */
bool eh_read_fdes(const uint8_t *base, uint64_t size, uint64_t addr, uint64_t hdr_addr, EhHdrVec *out);
void eh_sort_entries(EhHdrEntry *e, uint32_t n);
/* The smallest room an empty CIE can fill. */
#define EH_PADDING_MIN 13
/* Fills len bytes (>= EH_PADDING_MIN) with one empty CIE, which every reader skips. */
void eh_padding(uint8_t *p, uint64_t len);
/* Fills the room between .eh_frame's members (left by moved or removed ones) with
 * empty CIEs (incremental links). */
void eh_write_gaps(Ld *ld);

/* ---------------------------------------------------------------- layout.c */

/* Maps input sections to output sections, sizes synthetic sections, assigns addresses
 * and file offsets, builds segments and sets symbol addresses. */
bool layout_run(Ld *ld);
/* The output section name and class key (see map_sections) an input section goes to. */
const char *layout_class(const InSec *s, uint32_t *key);
/* Room to leave after size bytes: percent of it, at least min (0 when percent or size is 0). */
uint64_t layout_slack(uint32_t percent, uint64_t size, uint64_t min);
/* Turns COMMON symbols into one block at the end of .bss. */
void layout_place_commons(Ld *ld);
/* Adds s to output section o's members as it is (PLANNED). */
void layout_member(Ld *ld, uint32_t o, InSec *s);
/* A new synthetic .eh_frame terminator (4 zero bytes). */
InSec *layout_eh_terminator(Ld *ld);
/* Address of an input section's first byte in the output. */
static inline uint64_t isec_addr(const Ld *ld, const InSec *s)
{
    return ld->osecs.data[s->osec].addr + s->offset;
}

/* ---------------------------------------------------------------- output.c */

/* Creates the temp output file and maps it at ld->out. */
bool output_open(Ld *ld, char **tmp_path);
/* Writes headers, synthetic sections, the symbol table and the build-id. */
void output_write_headers(Ld *ld);
void output_write_synthetic(Ld *ld);
void output_write_symtab(Ld *ld);
/* Sizes .shstrtab from the emitted sections' names. */
void output_size_shstrtab(Ld *ld);
/* Computes and writes the build-id (last: it hashes the whole file). */
void output_write_build_id(Ld *ld);
/* The build-id of the hash styles: from the XXH3-128 of each 64 KiB of the file (with
 * the descriptor zeroed), n of them, len bytes to desc. An update hashes again only
 * the chunks it wrote. */
enum { BUILD_ID_CHUNK = 64 << 10 };
void output_build_id_from_chunks(const Hash128 *chunks, uint32_t n, uint8_t *desc, uint32_t len);
/* Unmaps and renames the temp file over the output. */
bool output_commit(Ld *ld, const char *tmp_path);
/* Removes the temp file after a failure. */
void output_abort(Ld *ld, const char *tmp_path);
/* Sizes .symtab/.strtab (before layout assigns their offsets). */
void output_size_symtab(Ld *ld);
/* Sizes .comment. */
void output_size_comment(Ld *ld);
/* Bytes of an output section that hold contents (the rest of its capacity is a hole). */
uint64_t output_extent(const OutSec *os);
/* Symbol-table rules: is global s emitted by file f (its definer, at esym i)? as a local
 * (hidden)? by no file (linker symbols, undefined weak ones)? */
bool output_owned_by(const LdSym *s, const LdFile *f, uint32_t i);
bool output_sym_is_local(const LdSym *s);
bool output_emit_unowned(const LdSym *s);
/* The .symtab entry of a global (as a local when local), its name at .strtab offset name. */
Elf64_Sym output_global_entry(const Ld *ld, const LdSym *s, bool local, uint32_t name);
/* Writes file f's local slice (its locals, then the hidden globals it defines) to syms
 * and their names to names, whose first byte is at .strtab offset name_base; returns
 * the symbols written and sets *name_len to the bytes of names. */
uint32_t output_local_slice(const Ld *ld, const LdFile *f, Elf64_Sym *syms, char *names, uint64_t name_base,
                            uint64_t *name_len);

/* ---------------------------------------------------------------- little-endian access */

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; __builtin_memcpy(&v, p, 4); return v; }
static inline uint64_t rd64(const uint8_t *p) { uint64_t v; __builtin_memcpy(&v, p, 8); return v; }
static inline void wr16(uint8_t *p, uint16_t v) { __builtin_memcpy(p, &v, 2); }
static inline void wr32(uint8_t *p, uint32_t v) { __builtin_memcpy(p, &v, 4); }
static inline void wr64(uint8_t *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }

#endif

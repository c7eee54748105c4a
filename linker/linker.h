/*
 * linker/linker.h — relink, the static ELF linker for x86-64, as a library.
 *
 * Owns: reading ELF64 x86-64 relocatable objects, `ar` archives and small GNU linker
 * scripts (GROUP/INPUT), from disk or from memory; symbol resolution (strong, weak,
 * COMMON, archive extraction with group rescans, COMDAT groups, linker-defined
 * symbols); layout of a static non-PIE ET_EXEC; relocation (with GOT and TLS
 * relaxation, IFUNC through .iplt/.rela.iplt); .eh_frame/.eh_frame_hdr; the symbol
 * table; and writing the output atomically (temp file + rename, so a failed link
 * leaves the previous output untouched).
 *
 * Contract with callers (bin/relink's main, and ws, which links as a library, several
 * times per process, possibly from a thread): no global state; every message goes to
 * the LdReport in the order it arose, nothing is printed from inside; the library may
 * start worker threads for the duration of one ld_link call.
 *
 * Incremental linking (LdOptions.incremental): the output keeps a state beside it,
 * <output>.relink-state. A later link with the same options patches the output in
 * place when it can: inputs unchanged by size and mtime (or, for the caller's bytes,
 * by content hash: LdInput.hash saves the hashing) are not read; changed objects are
 * compared section by section; changed sections are rewritten where they are or moved
 * to free space, and every reference to what moved is re-patched. Objects may be added
 * or removed. Anything an update cannot do exactly is a full link, with its reason in
 * LdReport.full_link_reason. ws reports LdReport.incremental, sections_patched and
 * sites_patched ("Linking app (patched 3 sections, 12 sites)"). The state's format is
 * described in linker/incremental.c.
 */
#ifndef LINKER_H
#define LINKER_H

#include "common/common.h"

/* What one entry of LdOptions.inputs is. */
typedef enum LdInputKind {
    LD_INPUT_FILE,           /* an object, archive or linker script (name on disk, or data) */
    LD_INPUT_LIBRARY,        /* -l<name>: lib<name>.a in lib_paths; "-l:file" is an exact name */
    LD_INPUT_GROUP_START,    /* --start-group: archives up to the matching end are rescanned */
    LD_INPUT_GROUP_END,      /* --end-group */
    LD_INPUT_WHOLE_ARCHIVE,  /* --whole-archive: following archives are linked in full */
    LD_INPUT_NO_WHOLE_ARCHIVE, /* --no-whole-archive */
} LdInputKind;

/* One input, in command-line order. */
typedef struct LdInput {
    LdInputKind kind;
    const char *name;  /* path (or display name when data != NULL); library name for -l */
    const void *data;  /* NULL: read the file `name`; else its bytes, alive during ld_link */
    size_t size;       /* bytes at data */
    Hash128 hash;      /* with data: XXH3-128 of the bytes when the caller knows it (an
                          incremental link then need not hash them); zero: relink hashes */
} LdInput;

/* --build-id styles. Every style but UUID is a hash of the output's contents. */
typedef enum LdBuildId {
    LD_BUILD_ID_NONE,
    LD_BUILD_ID_FAST,  /* 20 bytes (what plain --build-id and =sha1 give; not SHA-1 itself) */
    LD_BUILD_ID_MD5,   /* 16 bytes of content hash (the length of an MD5) */
    LD_BUILD_ID_UUID,  /* 16 random bytes (the only non-deterministic style) */
    LD_BUILD_ID_HEX,   /* the caller's bytes (build_id_hex) */
} LdBuildId;

typedef struct LdReport LdReport;

/* What to link. A zeroed LdOptions with output and inputs filled in is a valid link
 * with GNU ld's defaults for a static executable. */
typedef struct LdOptions {
    const char *output;               /* path of the executable; "a.out" when NULL */
    const char *entry;                /* entry symbol; "_start" when NULL */
    const LdInput *inputs;            /* in command-line order */
    uint32_t ninputs;
    const char *const *lib_paths;     /* -L directories, searched in order */
    uint32_t nlib_paths;
    const char *const *undefined;     /* -u: names treated as undefined (pull archive members) */
    uint32_t nundefined;
    const char *const *defsyms;       /* --defsym "name=value" (value: number or symbol[+-number]) */
    uint32_t ndefsyms;
    const char *sysroot;              /* --sysroot: prefix for absolute paths in linker scripts */
    uint64_t image_base;              /* address of the first segment; 0 means 0x400000 */
    uint64_t page_size;               /* -z max-page-size: segment alignment; 0 means 4096 */
    uint32_t threads;                 /* worker threads; 0: one per core (at most 8) */
    LdBuildId build_id;
    const char *build_id_hex;         /* for LD_BUILD_ID_HEX: the hex digits, without 0x */
    bool strip_all;                   /* -s: no .symtab/.strtab */
    bool strip_debug;                 /* -S: no .debug_* sections */
    bool discard_all;                 /* -x: no local symbols */
    bool gc_sections;                 /* --gc-sections: drop sections unreachable from roots */
    bool print_gc_sections;           /* --print-gc-sections: a warning per dropped section */
    bool exec_stack;                  /* -z execstack: PT_GNU_STACK is RWX */
    bool no_exec_stack;               /* -z noexecstack: RW even if an object lacks the note */
    bool no_relro;                    /* -z norelro: no PT_GNU_RELRO (and no padding for it) */
    bool no_eh_frame_hdr;             /* --no-eh-frame-hdr: no .eh_frame_hdr/PT_GNU_EH_FRAME */
    bool allow_multiple_definition;   /* -z muldefs: the first definition wins silently */
    bool fatal_warnings;              /* --fatal-warnings: a warning fails the link */
    bool trace;                       /* -t: report each file as it is linked (LdReport.trace) */
    /* Incremental linking (linker/incremental.c): keep <output>.relink-state and, on a
     * later link, patch the output in place instead of relinking it. */
    bool incremental;                 /* --incremental */
    uint32_t incremental_slack;       /* room after each section, percent of its size:
                                         0 = the default (25), LD_NO_SLACK = none */
    uint32_t incremental_reserve;     /* free space after each output section, percent of
                                         its size (at least 64 KiB): 0 = default (50),
                                         LD_NO_SLACK = none */
    bool verify;                      /* --verify: after an incremental link, link again in
                                         full with the same layout; differing bytes fail */
    uint32_t fault_at;                /* testing: the process kills itself (SIGKILL) at
                                         its n-th write to the output or the state; 0: never */
    /* Called once, when the output is in place and every message is final, before the
     * linker frees its inputs and the replaced output (which can take a while). */
    void (*on_output)(void *ctx, LdReport *report);
    void *on_output_ctx;
} LdOptions;

#define LD_NO_SLACK UINT32_MAX

/* The phases of a link, timed in LdReport.phase_ns. */
#define LD_PHASES(X)                        \
    X(READ, "read inputs")                  \
    X(RESOLVE, "resolve symbols")           \
    X(SCAN, "scan relocations")             \
    X(LAYOUT, "layout")                     \
    X(COPY, "copy and relocate")            \
    X(SYMTAB, "symbol table")               \
    X(WRITE, "write output")                \
    X(STATE, "incremental state")           \
    X(DIFF, "diff inputs")                  \
    X(PATCH, "patch output")                \
    X(VERIFY, "verify")
typedef enum LdPhase {
#define X(id, name) LD_PHASE_##id,
    LD_PHASES(X)
#undef X
    LD_PHASE_COUNT
} LdPhase;

typedef enum LdLevel { LD_ERROR, LD_WARNING, LD_INFO /* e.g. --print-gc-sections */ } LdLevel;

/* How an --incremental link went. */
typedef enum LdIncremental {
    LD_INCR_OFF,      /* not asked for */
    LD_INCR_PATCHED,  /* the output was patched in place (possibly with nothing to do) */
    LD_INCR_FULL,     /* a full link, for LdReport.full_link_reason */
} LdIncremental;

/* One message. text has no "relink: error: " prefix; it may span several lines
 * (lines after the first start with ">>> "). */
typedef struct LdMessage {
    LdLevel level;
    char *text;  /* heap; freed by ld_report_free */
} LdMessage;

/* What a link did. Zero-initialise it before ld_link; free with ld_report_free. */
struct LdReport {
    Vec(LdMessage) messages;          /* errors and warnings, in a deterministic order */
    uint32_t errors, warnings;
    uint64_t output_size;             /* size of the output file in bytes */
    uint64_t bytes_written;           /* bytes of content written (holes not counted) */
    uint32_t objects;                 /* object files linked, archive members included (an
                                         incremental update: the objects it read) */
    uint32_t sections;                /* input sections placed in the output */
    uint64_t relocations;             /* relocations applied */
    uint32_t symbols;                 /* global symbols in the symbol table */
    uint64_t phase_ns[LD_PHASE_COUNT];/* wall time per phase */
    StrBuf trace;                     /* with LdOptions.trace: one line per file linked */
    LdIncremental incremental;        /* with LdOptions.incremental: patched or full */
    char *full_link_reason;           /* LD_INCR_FULL: why (heap), e.g. "no incremental state" */
    uint32_t sections_patched;        /* LD_INCR_PATCHED: input sections written (changed,
                                         added or moved) */
    uint64_t sites_patched;           /* LD_INCR_PATCHED: relocation sites re-patched in
                                         sections that did not change */
    char *stale_output;               /* a second name of the output this link replaced, or
                                         NULL; removing it frees the old file's blocks (slow
                                         for big files), which ld_report_free does: call it
                                         when the wait does not matter */
};

/* Links opts->inputs into opts->output. Returns true on success; on failure the
 * report holds at least one error and the previous output file is untouched (an
 * incremental update that fails after it started writing leaves a state that makes
 * the next link a full one). With opts->incremental the report says whether the output
 * was patched or linked in full (then with one LD_INFO message "full link: <reason>"). */
bool ld_link(const LdOptions *opts, LdReport *report);
/* Frees what the report owns (it may be reused after ld_report_free). */
void ld_report_free(LdReport *report);
/* Human name of a phase ("copy and relocate"). */
const char *ld_phase_name(LdPhase phase);
/* Appends an error or warning to the report (used by ld_parse_args and by ws). */
void ld_report_add(LdReport *report, LdLevel level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---------------------------------------------------------------- command line */

/* A parsed GNU ld command line. Strings point into argv or into the arena. */
typedef struct LdArgs {
    LdOptions opts;     /* ready for ld_link */
    Arena arena;        /* the arrays opts points to */
    bool version;       /* -v/--version: print the version and stop (no inputs needed) */
    bool help;          /* --help */
    bool stats;         /* --stats: print counts and phase times after linking */
    bool no_fork;       /* --no-fork: do the final clean-up before exiting (see main.c) */
} LdArgs;

/* Parses argv[1..argc) with GNU ld's spellings (and the flags gcc passes when it
 * drives the linker). Returns false after adding an error per bad flag to report. */
bool ld_parse_args(int argc, char *const *argv, LdArgs *args, LdReport *report);
/* Frees the arrays of a parsed command line. */
void ld_args_free(LdArgs *args);
/* relink's version line ("relink 0.1 (compatible with GNU linkers)"). */
const char *ld_version(void);

#endif

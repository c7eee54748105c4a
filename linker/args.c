/*
 * linker/args.c — GNU ld's command line, as users and gcc (through collect2) spell it.
 *
 * Long options take one dash or two ("-static", "--static"), a value after '=' or in
 * the next argument; single-letter options take their value attached or next ("-lc",
 * "-l c"). "@file" reads more arguments from a file (collect2 uses it for long lines).
 * Each option below is honoured, or accepted and ignored for the reason given, or
 * refused with a message saying why; anything else is "unknown option".
 */
#include "linker/linker.h"

#include <stdlib.h>
#include <string.h>

/* How an option takes a value. */
enum { NOARG, ARG, OPTARG };

/* id, spelling, value, what relink does with it */
#define LD_OPTIONS(X)                                                                   \
    X(OUTPUT, "output", ARG, "honoured")                                                \
    X(ENTRY, "entry", ARG, "honoured")                                                  \
    X(LIBPATH, "library-path", ARG, "honoured")                                         \
    X(LIBRARY, "library", ARG, "honoured")                                              \
    X(UNDEFINED, "undefined", ARG, "honoured")                                          \
    X(EMULATION, "m", ARG, "elf_x86_64 only")                                           \
    X(ZKEYWORD, "z", ARG, "see z_keyword")                                              \
    X(STATIC, "static", NOARG, "the only kind of output")                               \
    X(BSTATIC, "Bstatic", NOARG, "archives are all relink searches for")                \
    X(BSTATIC2, "dn", NOARG, "as -Bstatic")                                             \
    X(BSTATIC3, "non_shared", NOARG, "as -Bstatic")                                     \
    X(BDYNAMIC, "Bdynamic", NOARG, "accepted: -l still finds only archives")            \
    X(BDYNAMIC2, "dy", NOARG, "as -Bdynamic")                                           \
    X(BDYNAMIC3, "call_shared", NOARG, "as -Bdynamic")                                  \
    X(NOSTDLIB, "nostdlib", NOARG, "honoured: no default search directories")           \
    X(START_GROUP, "start-group", NOARG, "honoured")                                    \
    X(END_GROUP, "end-group", NOARG, "honoured")                                        \
    X(WHOLE, "whole-archive", NOARG, "honoured")                                        \
    X(NO_WHOLE, "no-whole-archive", NOARG, "honoured")                                  \
    X(PUSH_STATE, "push-state", NOARG, "honoured (--whole-archive)")                    \
    X(POP_STATE, "pop-state", NOARG, "honoured")                                        \
    X(STRIP_ALL, "strip-all", NOARG, "honoured")                                        \
    X(STRIP_DEBUG, "strip-debug", NOARG, "honoured")                                    \
    X(DISCARD_ALL, "discard-all", NOARG, "honoured")                                    \
    X(DISCARD_LOCALS, "discard-locals", NOARG, ".L labels are always dropped")          \
    X(TRACE, "trace", NOARG, "honoured")                                                \
    X(VERSION, "version", NOARG, "honoured")                                            \
    X(HELP, "help", NOARG, "honoured")                                                  \
    X(GC, "gc-sections", NOARG, "honoured")                                             \
    X(NO_GC, "no-gc-sections", NOARG, "honoured")                                       \
    X(PRINT_GC, "print-gc-sections", NOARG, "honoured")                                 \
    X(NO_PRINT_GC, "no-print-gc-sections", NOARG, "honoured")                           \
    X(BUILD_ID, "build-id", OPTARG, "honoured")                                         \
    X(EH_FRAME_HDR, "eh-frame-hdr", NOARG, "the default")                               \
    X(NO_EH_FRAME_HDR, "no-eh-frame-hdr", NOARG, "honoured")                            \
    X(HASH_STYLE, "hash-style", ARG, "ignored: a static executable has no .hash")       \
    X(AS_NEEDED, "as-needed", NOARG, "ignored: it only concerns shared libraries")      \
    X(NO_AS_NEEDED, "no-as-needed", NOARG, "ignored: it only concerns shared libraries") \
    X(PLUGIN, "plugin", ARG, "ignored: LTO objects are refused when read")              \
    X(PLUGIN_OPT, "plugin-opt", ARG, "ignored: LTO objects are refused when read")      \
    X(PIE, "pie", NOARG, "refused")                                                     \
    X(PIE2, "pic-executable", NOARG, "refused")                                         \
    X(STATIC_PIE, "static-pie", NOARG, "refused")                                       \
    X(SHARED, "shared", NOARG, "refused")                                               \
    X(SHARED2, "Bshareable", NOARG, "refused")                                          \
    X(RELOCATABLE, "relocatable", NOARG, "refused")                                     \
    X(DYNAMIC_LINKER, "dynamic-linker", ARG, "refused")                                 \
    X(NO_PIE, "no-pie", NOARG, "the default")                                           \
    X(NO_DYNAMIC_LINKER, "no-dynamic-linker", NOARG, "the default")                     \
    X(EXPORT_DYNAMIC, "export-dynamic", NOARG, "ignored: no dynamic symbol table")      \
    X(RPATH, "rpath", ARG, "ignored: a static executable loads no libraries")           \
    X(RPATH_LINK, "rpath-link", ARG, "ignored: no shared libraries are read")           \
    X(SONAME, "soname", ARG, "refused")                                                 \
    X(SYSROOT, "sysroot", ARG, "honoured for absolute paths in linker scripts")         \
    X(DEFSYM, "defsym", ARG, "honoured")                                                \
    X(TTEXT_SEGMENT, "Ttext-segment", ARG, "honoured")                                  \
    X(IMAGE_BASE, "image-base", ARG, "honoured")                                        \
    X(SCRIPT, "script", ARG, "refused")                                                 \
    X(OPTIMIZE, "O", ARG, "ignored: the output is the same at every level")             \
    X(MAP, "Map", ARG, "refused")                                                       \
    X(PRINT_MAP, "print-map", NOARG, "refused")                                         \
    X(THREADS, "threads", OPTARG, "honoured")                                           \
    X(NO_THREADS, "no-threads", NOARG, "honoured")                                      \
    X(THREAD_COUNT, "thread-count", ARG, "honoured")                                    \
    X(FATAL_WARNINGS, "fatal-warnings", NOARG, "honoured")                              \
    X(NO_FATAL_WARNINGS, "no-fatal-warnings", NOARG, "honoured")                        \
    X(WARN_COMMON, "warn-common", NOARG, "ignored: COMMON merging is silent")           \
    X(NO_WARN_MISMATCH, "no-warn-mismatch", NOARG, "ignored: mismatches are errors")    \
    X(NO_UNDEFINED, "no-undefined", NOARG, "the default: undefined symbols are errors") \
    X(MULDEFS, "allow-multiple-definition", NOARG, "honoured")                          \
    X(SORT_COMMON, "sort-common", OPTARG, "ignored: COMMON blocks go in symbol order")  \
    X(LITTLE_ENDIAN, "EL", NOARG, "the only byte order")                                \
    X(RELAX, "relax", NOARG, "the default")                                             \
    X(NO_RELAX, "no-relax", NOARG, "ignored: relaxation is always exact in a static executable") \
    X(NEW_DTAGS, "enable-new-dtags", NOARG, "ignored: no .dynamic")                     \
    X(OLD_DTAGS, "disable-new-dtags", NOARG, "ignored: no .dynamic")                    \
    X(DEMANGLE, "demangle", OPTARG, "ignored: names are printed as written")            \
    X(NO_DEMANGLE, "no-demangle", NOARG, "the default")                                 \
    X(COLOR, "color-diagnostics", OPTARG, "ignored")                                    \
    X(WARN_ONCE, "warn-once", NOARG, "ignored: each undefined symbol is reported once") \
    X(STATS, "stats", NOARG, "honoured")                                                \
    X(INCREMENTAL, "incremental", NOARG, "honoured: patch the output in place")         \
    X(INCR_SLACK, "incremental-slack", ARG, "honoured: percent of room after a section") \
    X(INCR_RESERVE, "incremental-reserve", ARG, "honoured: percent of free space per output section") \
    X(VERIFY, "verify", NOARG, "honoured: check an incremental link against a full one") \
    X(NO_FORK, "no-fork", NOARG, "honoured")                                            \
    X(VERBOSE, "verbose", NOARG, "prints the version")                                  \
    X(EMIT_RELOCS, "emit-relocs", NOARG, "refused")                                     \
    X(BUILD_ID_NONE, "no-build-id", NOARG, "honoured")

typedef enum OptId {
#define X(id, name, arg, what) OPT_##id,
    LD_OPTIONS(X)
#undef X
    OPT_COUNT
} OptId;

static const struct OptSpec {
    const char *name;
    int arg;
} opt_specs[OPT_COUNT] = {
#define X(id, name, arg, what) [OPT_##id] = {name, arg},
    LD_OPTIONS(X)
#undef X
};

/* Single-letter spellings. */
static const struct { char c; OptId id; } short_opts[] = {
    {'o', OPT_OUTPUT}, {'e', OPT_ENTRY}, {'L', OPT_LIBPATH}, {'l', OPT_LIBRARY}, {'u', OPT_UNDEFINED},
    {'m', OPT_EMULATION}, {'z', OPT_ZKEYWORD}, {'s', OPT_STRIP_ALL}, {'S', OPT_STRIP_DEBUG},
    {'x', OPT_DISCARD_ALL}, {'X', OPT_DISCARD_LOCALS}, {'t', OPT_TRACE}, {'v', OPT_VERSION},
    {'V', OPT_VERSION}, {'T', OPT_SCRIPT}, {'O', OPT_OPTIMIZE}, {'M', OPT_PRINT_MAP}, {'r', OPT_RELOCATABLE},
    {'E', OPT_EXPORT_DYNAMIC}, {'I', OPT_DYNAMIC_LINKER}, {'q', OPT_EMIT_RELOCS}, {'R', OPT_RPATH},
};

typedef struct Parser {
    LdArgs *args;
    LdReport *rep;
    Vec(LdInput) inputs;
    Vec(const char *) lib_paths, undefined, defsyms;
    Vec(bool) whole_stack;
    bool whole;
    bool nostdlib;
    int depth;  /* @file nesting */
    bool ok;
} Parser;

static void bad(Parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(Parser *p, const char *fmt, ...)
{
    StrBuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    ld_report_add(p->rep, LD_ERROR, "%s", sb_str(&sb));
    sb_free(&sb);
    p->ok = false;
}

static void push_input(Parser *p, LdInputKind kind, const char *name)
{
    vec_push(&p->inputs, ((LdInput){kind, name, NULL, 0, {0, 0}}));
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!*s)
        return false;
    *out = strtoull(s, &end, 0);
    return *end == 0;
}

static void z_keyword(Parser *p, const char *kw)
{
    LdOptions *o = &p->args->opts;
    uint64_t v;
    if (strcmp(kw, "noexecstack") == 0) {
        o->no_exec_stack = true;
        o->exec_stack = false;
    } else if (strcmp(kw, "execstack") == 0) {
        o->exec_stack = true;
        o->no_exec_stack = false;
    } else if (strcmp(kw, "relro") == 0) {
        o->no_relro = false;
    } else if (strcmp(kw, "norelro") == 0) {
        o->no_relro = true;
    } else if (strcmp(kw, "muldefs") == 0) {
        o->allow_multiple_definition = true;
    } else if (strncmp(kw, "max-page-size=", 14) == 0) {
        if (!parse_u64(kw + 14, &v) || v < 4096 || (v & (v - 1)))
            bad(p, "-z max-page-size: `%s` is not a power of two of at least 4096", kw + 14);
        else
            o->page_size = v;
    } else if (strcmp(kw, "now") == 0 || strcmp(kw, "lazy") == 0 || strcmp(kw, "defs") == 0 ||
               strcmp(kw, "text") == 0 || strcmp(kw, "notext") == 0 || strcmp(kw, "separate-code") == 0 ||
               strcmp(kw, "noseparate-code") == 0 || strncmp(kw, "common-page-size=", 17) == 0 ||
               strcmp(kw, "combreloc") == 0 || strcmp(kw, "nocombreloc") == 0 || strcmp(kw, "noexecheap") == 0 ||
               strcmp(kw, "ibt") == 0 || strcmp(kw, "shstk") == 0 || strcmp(kw, "nognustack") == 0 ||
               strncmp(kw, "dead-reloc-in-nonalloc=", 23) == 0 || strcmp(kw, "start-stop-gc") == 0 ||
               strcmp(kw, "nostart-stop-gc") == 0) {
        /* Ignored: dynamic-linking knobs (now, lazy, combreloc, text), always true here
         * (defs, separate-code), or not applicable to this layout (page and property hints). */
    } else {
        bad(p, "unknown -z keyword: %s", kw);
    }
}

static bool read_response_file(Parser *p, const char *path, int *argc, char ***argv);

static void handle(Parser *p, OptId id, const char *val, const char *spelled)
{
    LdOptions *o = &p->args->opts;
    uint64_t v;
    switch (id) {
    case OPT_OUTPUT: o->output = val; break;
    case OPT_ENTRY: o->entry = val; break;
    case OPT_LIBPATH: vec_push(&p->lib_paths, val); break;
    case OPT_LIBRARY: push_input(p, LD_INPUT_LIBRARY, val); break;
    case OPT_UNDEFINED: vec_push(&p->undefined, val); break;
    case OPT_EMULATION:
        if (strcmp(val, "elf_x86_64") != 0)
            bad(p, "-m %s: relink links elf_x86_64 only", val);
        break;
    case OPT_ZKEYWORD: z_keyword(p, val); break;
    case OPT_START_GROUP: push_input(p, LD_INPUT_GROUP_START, NULL); break;
    case OPT_END_GROUP: push_input(p, LD_INPUT_GROUP_END, NULL); break;
    case OPT_WHOLE:
        p->whole = true;
        push_input(p, LD_INPUT_WHOLE_ARCHIVE, NULL);
        break;
    case OPT_NO_WHOLE:
        p->whole = false;
        push_input(p, LD_INPUT_NO_WHOLE_ARCHIVE, NULL);
        break;
    case OPT_PUSH_STATE: vec_push(&p->whole_stack, p->whole); break;
    case OPT_POP_STATE:
        if (!p->whole_stack.len) {
            bad(p, "--pop-state without --push-state");
            break;
        }
        p->whole = vec_pop(&p->whole_stack);
        push_input(p, p->whole ? LD_INPUT_WHOLE_ARCHIVE : LD_INPUT_NO_WHOLE_ARCHIVE, NULL);
        break;
    case OPT_STRIP_ALL: o->strip_all = true; break;
    case OPT_STRIP_DEBUG: o->strip_debug = true; break;
    case OPT_DISCARD_ALL: o->discard_all = true; break;
    case OPT_TRACE: o->trace = true; break;
    case OPT_VERSION: case OPT_VERBOSE: p->args->version = true; break;
    case OPT_HELP: p->args->help = true; break;
    case OPT_GC: o->gc_sections = true; break;
    case OPT_NO_GC: o->gc_sections = false; break;
    case OPT_PRINT_GC: o->print_gc_sections = true; break;
    case OPT_NO_PRINT_GC: o->print_gc_sections = false; break;
    case OPT_BUILD_ID:
        if (!val || strcmp(val, "sha1") == 0 || strcmp(val, "fast") == 0 || strcmp(val, "tree") == 0)
            o->build_id = LD_BUILD_ID_FAST;
        else if (strcmp(val, "md5") == 0)
            o->build_id = LD_BUILD_ID_MD5;
        else if (strcmp(val, "uuid") == 0)
            o->build_id = LD_BUILD_ID_UUID;
        else if (strcmp(val, "none") == 0)
            o->build_id = LD_BUILD_ID_NONE;
        else if (val[0] == '0' && (val[1] == 'x' || val[1] == 'X')) {
            o->build_id = LD_BUILD_ID_HEX;
            o->build_id_hex = val + 2;
        } else
            bad(p, "--build-id=%s: expected sha1, md5, uuid, fast, none or 0x<hex>", val);
        break;
    case OPT_BUILD_ID_NONE: o->build_id = LD_BUILD_ID_NONE; break;
    case OPT_EH_FRAME_HDR: o->no_eh_frame_hdr = false; break;
    case OPT_NO_EH_FRAME_HDR: o->no_eh_frame_hdr = true; break;
    case OPT_PIE: case OPT_PIE2: case OPT_STATIC_PIE:
        bad(p, "%s: relink makes static, non-PIE executables only (link with -static -no-pie)", spelled);
        break;
    case OPT_SHARED: case OPT_SHARED2: case OPT_SONAME:
        bad(p, "%s: relink makes executables only, not shared libraries", spelled);
        break;
    case OPT_RELOCATABLE: case OPT_EMIT_RELOCS:
        bad(p, "%s: relink makes executables only, not relocatable output", spelled);
        break;
    case OPT_DYNAMIC_LINKER:
        bad(p, "%s: relink makes static executables only (link with -static)", spelled);
        break;
    case OPT_SYSROOT: o->sysroot = val; break;
    case OPT_DEFSYM: vec_push(&p->defsyms, val); break;
    case OPT_TTEXT_SEGMENT: case OPT_IMAGE_BASE:
        if (!parse_u64(val, &v) || (v & 0xfff) || v == 0)
            bad(p, "%s: `%s` is not a page-aligned address", spelled, val);
        else
            o->image_base = v;
        break;
    case OPT_SCRIPT:
        bad(p, "%s %s: relink does not support linker scripts with SECTIONS (scripts given as inputs "
               "may use GROUP and INPUT)", spelled, val);
        break;
    case OPT_MAP: case OPT_PRINT_MAP:
        bad(p, "%s: relink does not write link maps", spelled);
        break;
    case OPT_THREADS:
        if (val && (!parse_u64(val, &v) || v == 0 || v > 1024))
            bad(p, "--threads=%s: expected a positive number", val);
        else
            o->threads = val ? (uint32_t)v : 0;
        break;
    case OPT_THREAD_COUNT:
        if (!parse_u64(val, &v) || v == 0 || v > 1024)
            bad(p, "--thread-count=%s: expected a positive number", val);
        else
            o->threads = (uint32_t)v;
        break;
    case OPT_NO_THREADS: o->threads = 1; break;
    case OPT_FATAL_WARNINGS: o->fatal_warnings = true; break;
    case OPT_NO_FATAL_WARNINGS: o->fatal_warnings = false; break;
    case OPT_MULDEFS: o->allow_multiple_definition = true; break;
    case OPT_STATS: p->args->stats = true; break;
    case OPT_INCREMENTAL: o->incremental = true; break;
    case OPT_VERIFY: o->verify = true; break;
    case OPT_INCR_SLACK: case OPT_INCR_RESERVE:
        if (!parse_u64(val, &v) || v > 1000)
            bad(p, "%s=%s: expected a percentage from 0 to 1000", spelled, val);
        else
            *(id == OPT_INCR_SLACK ? &o->incremental_slack : &o->incremental_reserve) = v ? (uint32_t)v : LD_NO_SLACK;
        break;
    case OPT_NO_FORK: p->args->no_fork = true; break;
    case OPT_NOSTDLIB: p->nostdlib = true; break;
    case OPT_STATIC: case OPT_BSTATIC: case OPT_BSTATIC2: case OPT_BSTATIC3: case OPT_BDYNAMIC:
    case OPT_BDYNAMIC2: case OPT_BDYNAMIC3: case OPT_DISCARD_LOCALS:
    case OPT_HASH_STYLE: case OPT_AS_NEEDED: case OPT_NO_AS_NEEDED: case OPT_PLUGIN: case OPT_PLUGIN_OPT:
    case OPT_NO_PIE: case OPT_NO_DYNAMIC_LINKER: case OPT_EXPORT_DYNAMIC: case OPT_RPATH: case OPT_RPATH_LINK:
    case OPT_OPTIMIZE: case OPT_WARN_COMMON: case OPT_NO_WARN_MISMATCH: case OPT_NO_UNDEFINED:
    case OPT_SORT_COMMON: case OPT_LITTLE_ENDIAN: case OPT_RELAX: case OPT_NO_RELAX: case OPT_NEW_DTAGS:
    case OPT_OLD_DTAGS: case OPT_DEMANGLE: case OPT_NO_DEMANGLE: case OPT_COLOR: case OPT_WARN_ONCE:
        break;  /* accepted; the table above says why nothing more is needed */
    case OPT_COUNT:
        unreachable();
    }
}

/* Finds a long option by name (without dashes); name may contain "=value". */
static int find_long(const char *name, size_t len)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if (strlen(opt_specs[i].name) == len && memcmp(opt_specs[i].name, name, len) == 0)
            return i;
    return -1;
}

static void parse_list(Parser *p, int argc, char **argv)
{
    Arena *a = &p->args->arena;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] == '@' && arg[1]) {
            int n;
            char **more;
            if (p->depth > 8) {
                bad(p, "%s: response files nested too deep", arg);
            } else if (read_response_file(p, arg + 1, &n, &more)) {
                p->depth++;
                parse_list(p, n, more);
                p->depth--;
            }
            continue;
        }
        if (arg[0] != '-' || arg[1] == 0) {
            push_input(p, LD_INPUT_FILE, arg);
            continue;
        }
        if (strcmp(arg, "-(") == 0 || strcmp(arg, "-)") == 0) {
            handle(p, arg[1] == '(' ? OPT_START_GROUP : OPT_END_GROUP, NULL, arg);
            continue;
        }
        const char *name = arg + 1 + (arg[1] == '-');
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int id = find_long(name, len);
        if (id < 0 && arg[1] != '-' && len > 1 && name[0] == 'O')
            id = OPT_OPTIMIZE;  /* -O1 */
        if (id >= 0 && !(id == OPT_OPTIMIZE && arg[1] != '-' && len > 1)) {
            const char *val = NULL;
            if (opt_specs[id].arg == NOARG && eq) {
                bad(p, "%s: option takes no value", arg);
                continue;
            }
            if (eq)
                val = eq + 1;
            else if (opt_specs[id].arg == ARG) {
                if (i + 1 >= argc) {
                    bad(p, "%s: missing value", arg);
                    continue;
                }
                val = argv[++i];
            }
            handle(p, (OptId)id, val, arena_strndup(a, arg, (size_t)(name - arg) + len));
            continue;
        }
        /* Single-letter options: -lc, -l c, -o out, -O1, -zkeyword. */
        bool found = false;
        for (size_t k = 0; k < ARRAY_LEN(short_opts) && arg[1] != '-'; k++) {
            if (short_opts[k].c != arg[1])
                continue;
            found = true;
            OptId sid = short_opts[k].id;
            const char *val = NULL;
            if (opt_specs[sid].arg == ARG) {
                if (arg[2])
                    val = arg + 2;
                else if (i + 1 < argc)
                    val = argv[++i];
                else {
                    bad(p, "%s: missing value", arg);
                    break;
                }
            } else if (arg[2]) {
                found = false;
                break;
            }
            char spelled[3] = {'-', arg[1], 0};
            handle(p, sid, val, arena_strdup(a, spelled));
            break;
        }
        if (!found)
            bad(p, "unknown option: %s", arg);
    }
}

/* Splits a response file into arguments (whitespace-separated, quotes and backslashes
 * as GNU libiberty's buildargv). */
static bool read_response_file(Parser *p, const char *path, int *argc, char ***argv)
{
    char *data, *err;
    size_t len;
    if (!file_read(path, &data, &len, &err)) {
        bad(p, "%s", err);
        xfree(err);
        return false;
    }
    Arena *a = &p->args->arena;
    Vec(char *) out = {0};
    StrBuf word = {0};
    bool in_word = false;
    char quote = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? data[i] : 0;
        if (c == '\\' && i + 1 < len) {
            sb_putc(&word, data[++i]);
            in_word = true;
        } else if (quote) {
            if (c == quote)
                quote = 0;
            else if (c)
                sb_putc(&word, c);
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (c == 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) {
                vec_push(&out, arena_strndup(a, sb_str(&word), word.len));
                sb_clear(&word);
                in_word = false;
            }
        } else {
            sb_putc(&word, c);
            in_word = true;
        }
    }
    *argc = (int)out.len;
    *argv = arena_new(a, char *, out.len + 1);
    if (out.len)
        memcpy(*argv, out.data, out.len * sizeof(char *));
    vec_free(&out);
    sb_free(&word);
    xfree(data);
    return true;
}

/* GNU ld's built-in search directories on x86-64 Debian (its default script's SEARCH_DIR
 * list), searched after every -L unless -nostdlib is given. */
static const char *const default_lib_dirs[] = {
    "/usr/local/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu64", "/usr/local/lib64", "/lib64", "/usr/lib64", "/usr/local/lib", "/lib",
    "/usr/lib", "/usr/x86_64-linux-gnu/lib64", "/usr/x86_64-linux-gnu/lib",
};

#define COPY_VEC(a, v, T) ((v).len ? memcpy(arena_new((a), T, (v).len), (v).data, sizeof(T) * (v).len) : NULL)

bool ld_parse_args(int argc, char *const *argv, LdArgs *args, LdReport *report)
{
    memset(args, 0, sizeof *args);
    arena_init(&args->arena);
    args->opts.build_id = LD_BUILD_ID_NONE;
    Parser p = {.args = args, .rep = report, .ok = true};
    parse_list(&p, argc - 1, (char **)argv + 1);
    if (!p.nostdlib)
        for (size_t i = 0; i < ARRAY_LEN(default_lib_dirs); i++)
            vec_push(&p.lib_paths, default_lib_dirs[i]);
    LdOptions *o = &args->opts;
    o->inputs = COPY_VEC(&args->arena, p.inputs, LdInput);
    o->ninputs = p.inputs.len;
    o->lib_paths = COPY_VEC(&args->arena, p.lib_paths, const char *);
    o->nlib_paths = p.lib_paths.len;
    o->undefined = COPY_VEC(&args->arena, p.undefined, const char *);
    o->nundefined = p.undefined.len;
    o->defsyms = COPY_VEC(&args->arena, p.defsyms, const char *);
    o->ndefsyms = p.defsyms.len;
    vec_free(&p.inputs);
    vec_free(&p.lib_paths);
    vec_free(&p.undefined);
    vec_free(&p.defsyms);
    vec_free(&p.whole_stack);
    return p.ok;
}

void ld_args_free(LdArgs *args)
{
    arena_free(&args->arena);
    memset(args, 0, sizeof *args);
}

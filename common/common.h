/*
 * common/common.h — the small shared base of relink and ws.
 *
 * Owns: internal-error reporting (die/unreachable), arenas on mimalloc, growable
 * vectors and string buffers, string interning, XXH3-128 hashing, the source map
 * and rustc-style diagnostics, and file I/O (atomic writes, checksummed records).
 *
 * Nothing here keeps global mutable state: every structure is passed explicitly, so
 * several crates may be compiled on several threads, each with its own arena,
 * interner, source map and diagnostics.
 */
#ifndef COMMON_H
#define COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---------------------------------------------------------------- errors */

/* Internal bugs only (never bad input): prints "relink: internal error at FILE:LINE: msg"
 * on stderr and aborts. */
#define die(...) common_die(__FILE__, __LINE__, __VA_ARGS__)
#define unreachable() common_die(__FILE__, __LINE__, "unreachable code reached")
_Noreturn void common_die(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
/* Rounds x up to a multiple of align (a power of two). */
#define ALIGN_UP(x, align) (((x) + ((align) - 1)) & ~((__typeof__(x))(align) - 1))

/* ---------------------------------------------------------------- heap */

/* mimalloc-backed allocation; these never return NULL (they die on exhaustion). */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
void xfree(void *ptr);
/* Returns a freshly allocated printf-formatted string (free with xfree). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---------------------------------------------------------------- arena */

/* A bump allocator: allocations live until arena_free. One per session (tree, types,
 * names), one per function for codegen scratch, one per crate in ws. */
typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
    ArenaChunk *chunks;   /* newest first */
    char *cur, *end;      /* free space in the newest chunk */
    size_t total;         /* bytes handed out, for --timings and tests */
} Arena;

/* Initialises an empty arena (no memory is taken until the first allocation). */
void arena_init(Arena *a);
/* Releases every chunk; the arena may be used again afterwards. */
void arena_free(Arena *a);
/* Returns size bytes aligned to 16; never NULL. */
void *arena_alloc(Arena *a, size_t size);
/* As arena_alloc, zero-filled. */
void *arena_zalloc(Arena *a, size_t size);
/* Copies len bytes of s and a terminating NUL into the arena. */
char *arena_strndup(Arena *a, const char *s, size_t len);
char *arena_strdup(Arena *a, const char *s);
/* Copies len bytes of src into the arena; returns NULL when len is 0 (src may then be NULL). */
void *arena_memdup(Arena *a, const void *src, size_t len);
/* printf into the arena. */
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Allocates an array of n elements of type T, zero-filled. */
#define arena_new(a, T, n) ((T *)arena_zalloc((a), sizeof(T) * (size_t)(n)))

/* ---------------------------------------------------------------- vectors */

/* A growable array on the heap: Vec(int) v = {0}; vec_push(&v, 3); vec_free(&v); */
#define Vec(T) struct { T *data; uint32_t len, cap; }
/* Makes room for at least `extra` more elements. */
#define vec_reserve(v, extra) \
    vec_grow_((void **)&(v)->data, &(v)->cap, sizeof(*(v)->data), (v)->len + (extra))
/* Appends x (an expression of the element type). */
#define vec_push(v, x) (vec_reserve((v), 1), (v)->data[(v)->len++] = (x))
/* Removes and returns the last element (the vector must not be empty). */
#define vec_pop(v) ((v)->data[--(v)->len])
#define vec_last(v) ((v)->data[(v)->len - 1])
#define vec_free(v) (xfree((v)->data), (v)->data = NULL, (v)->len = (v)->cap = 0)
#define vec_foreach(v, it) for (__typeof__((v)->data) it = (v)->data; it < (v)->data + (v)->len; it++)
/* Grows *data so it holds at least `need` elements of elem_size bytes. */
void vec_grow_(void **data, uint32_t *cap, size_t elem_size, uint32_t need);

/* ---------------------------------------------------------------- string buffers */

/* A growable, always NUL-terminated byte buffer on the heap. */
typedef struct StrBuf {
    char *data;   /* NULL until the first append */
    size_t len, cap;
} StrBuf;

void sb_append(StrBuf *sb, const void *data, size_t len);
void sb_puts(StrBuf *sb, const char *s);
void sb_putc(StrBuf *sb, char c);
void sb_printf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(StrBuf *sb, const char *fmt, va_list ap);
/* Appends integers in little-endian byte order (for binary formats). */
void sb_u8(StrBuf *sb, uint8_t v);
void sb_u32le(StrBuf *sb, uint32_t v);
void sb_u64le(StrBuf *sb, uint64_t v);
/* Returns the contents ("" when empty); valid until the next append. */
const char *sb_str(const StrBuf *sb);
void sb_clear(StrBuf *sb);
void sb_free(StrBuf *sb);

/* ---------------------------------------------------------------- interning */

/* An interned string id. 0 is "no name"; equal ids mean equal strings within one
 * Interner. Ids are dense and stable for the interner's life, so they suit tables. */
typedef uint32_t Sym;

typedef struct InternEntry InternEntry;
typedef struct Interner {
    Arena *arena;          /* where the string bytes live */
    InternEntry *entries;  /* indexed by Sym; entry 0 unused */
    uint32_t count, cap;
    uint32_t *slots;       /* open-addressing table of Syms, power-of-two size */
    uint32_t nslots;
} Interner;

/* Initialises an interner whose strings are copied into `arena`. */
void intern_init(Interner *in, Arena *arena);
void intern_free(Interner *in);
/* Returns the id of the len bytes at s, adding them on first sight. */
Sym intern(Interner *in, const char *s, size_t len);
Sym intern_cstr(Interner *in, const char *s);
/* Returns the NUL-terminated string of a Sym (sym must come from this interner). */
const char *sym_str(const Interner *in, Sym sym);
size_t sym_len(const Interner *in, Sym sym);

/* ---------------------------------------------------------------- hashing */

/* XXH3-128. Every hash that reaches a file or a fingerprint is one of these. */
typedef struct Hash128 {
    uint64_t lo, hi;
} Hash128;

Hash128 hash128(const void *data, size_t len);
/* XXH3-64, for hash tables only (never stored). */
uint64_t hash64(const void *data, size_t len);
bool hash128_eq(Hash128 a, Hash128 b);
bool hash128_is_zero(Hash128 h);
/* Writes 32 lowercase hex digits and a NUL into out. */
void hash128_hex(Hash128 h, char out[33]);
/* Parses 32 hex digits; returns false when s is not exactly that. */
bool hash128_parse(const char *s, Hash128 *out);

/* Streaming hasher for canonical serializations: feed typed values, read the hash.
 * Variable-length fields are length-prefixed so that concatenations cannot collide. */
typedef struct Hasher {
    _Alignas(64) unsigned char state[640];   /* an XXH3_state_t, kept opaque */
} Hasher;

void hasher_init(Hasher *h);
void hasher_bytes(Hasher *h, const void *data, size_t len);  /* raw, no length prefix */
void hasher_u8(Hasher *h, uint8_t v);
void hasher_u32(Hasher *h, uint32_t v);
void hasher_u64(Hasher *h, uint64_t v);
void hasher_hash(Hasher *h, Hash128 v);
/* Length-prefixed string. */
void hasher_str(Hasher *h, const char *s, size_t len);
Hash128 hasher_final(const Hasher *h);

/* ---------------------------------------------------------------- sources and spans */

/* A source file known to the diagnostics: its display path (as rustc prints it,
 * e.g. "src/main.rs") and its full text. */
typedef struct SourceFile {
    const char *path;       /* display path */
    const char *text;       /* not necessarily NUL-terminated */
    uint32_t len;
    uint32_t *line_starts;  /* byte offset of each line's first byte; built lazily */
    uint32_t nlines;
} SourceFile;

typedef struct SourceMap {
    Vec(SourceFile) files;  /* indexed by file id */
} SourceMap;

/* A byte range [lo, hi) in one source file. Spans never enter any hash. */
typedef struct Span {
    uint32_t file;
    uint32_t lo, hi;
} Span;

/* Registers a file; the text must outlive the map. Returns its file id. */
uint32_t srcmap_add(SourceMap *sm, const char *path, const char *text, uint32_t len);
void srcmap_free(SourceMap *sm);
/* 1-based line and column (in characters, as rustc counts) of byte offset pos. */
void srcmap_linecol(SourceMap *sm, uint32_t file, uint32_t pos, uint32_t *line, uint32_t *col);

/* ---------------------------------------------------------------- diagnostics */

typedef enum DiagLevel { DIAG_ERROR, DIAG_WARNING } DiagLevel;

/* Collects rustc-style messages into a buffer; the caller flushes them to stderr
 * (one crate's messages then never interleave with another's). */
typedef struct Diag {
    SourceMap *sm;
    StrBuf out;      /* rendered messages, each followed by a blank line */
    int errors;
    int warnings;
    int max_errors;  /* stop recording after this many errors (0: no limit) */
    int last_gutter; /* gutter width of the last message, for diag_note (-1: dropped) */
} Diag;

void diag_init(Diag *d, SourceMap *sm);
void diag_free(Diag *d);
/*
 * Records one message in rustc's layout:
 *
 *   error: mismatched types
 *    --> src/main.rs:3:18
 *     |
 *   3 |     let x: i32 = true;
 *     |                  ^^^^ expected `i32`, found `bool`
 *
 * label may be NULL. A span with lo == hi gets one caret.
 */
void diag_emit(Diag *d, DiagLevel level, Span span, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_vemit(Diag *d, DiagLevel level, Span span, const char *label, const char *fmt,
                va_list ap);
/* As diag_emit with rustc's error code: "error[E0308]: mismatched types". */
void diag_emit_code(Diag *d, DiagLevel level, const char *code, Span span, const char *label,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Shorthand for an error without label. */
void diag_error(Diag *d, Span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds "  = note: ..." (kind "note") or "  = help: ..." under the last message. */
void diag_note(Diag *d, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a message with no source location ("error: could not read `x`: ..."). */
void diag_plain(Diag *d, DiagLevel level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Writes and clears the buffered messages. */
void diag_flush(Diag *d, FILE *to);

/* ---------------------------------------------------------------- files */

/* Reads a whole file into a heap buffer with a NUL after the last byte. On failure
 * returns false and sets *err to a message (heap, caller frees) naming the path. */
bool file_read(const char *path, char **data, size_t *len, char **err);
/* Writes data to path atomically: a temp file in the same directory, fsync'd when
 * `durable`, then renamed over path. The old file is untouched on any failure. */
bool file_write_atomic(const char *path, const void *data, size_t len, bool durable, char **err);
/* As file_write_atomic, for a file whose absence only costs work (a cache, a record,
 * an object that a record vouches for): the old file is unlinked just before the
 * rename. A reader sees the old bytes, the new bytes or (for an instant, or after a
 * crash in that instant) no file, never a part of one. On ext4 a rename over an
 * existing file forces the new data to disk (auto_da_alloc): about 0.3 ms a file,
 * which the unlink spares. */
bool file_write_cache(const char *path, const void *data, size_t len, char **err);
/* Creates a directory and its parents (mkdir -p). */
bool file_mkdirs(const char *path, char **err);
bool file_exists(const char *path);

/*
 * Checksummed record files (caches, state). Layout, all little-endian:
 *   magic      8 bytes   chosen by the owner of the format
 *   version    u32       the owner's format version
 *   reserved   u32       0
 *   length     u64       payload bytes
 *   checksum   16 bytes  XXH3-128 of the payload
 *   payload    length bytes
 * file_write_checked writes through file_write_cache (a crash may leave the file
 * missing, which its reader must take as "not there", never a damaged one).
 * file_read_checked returns false with a reason ("missing", "truncated", "bad magic",
 * "version 3, expected 4", "checksum mismatch") when the file cannot be trusted.
 */
bool file_write_checked(const char *path, const char magic[8], uint32_t version,
                        const void *payload, size_t len, char **err);
bool file_read_checked(const char *path, const char magic[8], uint32_t version,
                       char **payload, size_t *len, char **why);

/* Monotonic clock in nanoseconds, for timings. */
uint64_t clock_ns(void);

#endif

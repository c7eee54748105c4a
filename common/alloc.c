/*
 * common/alloc.c — heap wrappers on mimalloc, arenas, vectors and string buffers.
 */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>

/* Sanitizer builds use libc's allocator so that ASan sees every heap access. */
#ifdef COMMON_LIBC_MALLOC
#define mi_malloc malloc
#define mi_calloc calloc
#define mi_realloc realloc
#define mi_free free
#else
#include <mimalloc.h>
#endif

void common_die(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "relink: internal error at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

static void *check_alloc(void *p, size_t size)
{
    if (!p && size)
        die("out of memory allocating %zu bytes", size);
    return p;
}

void *xmalloc(size_t size) { return check_alloc(mi_malloc(size ? size : 1), size); }
void *xcalloc(size_t count, size_t size) { return check_alloc(mi_calloc(count ? count : 1, size ? size : 1), count * size); }
void *xrealloc(void *ptr, size_t size) { return check_alloc(mi_realloc(ptr, size ? size : 1), size); }
void xfree(void *ptr) { mi_free(ptr); }

char *xstrndup(const char *s, size_t len)
{
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xasprintf(const char *fmt, ...)
{
    StrBuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    if (!sb.data)
        return xstrdup("");
    return sb.data;
}

/* ---------------------------------------------------------------- arena */

struct ArenaChunk {
    ArenaChunk *next;
    size_t size;
    _Alignas(16) char data[];
};

enum { ARENA_CHUNK_MIN = 64 * 1024 };

void arena_init(Arena *a) { memset(a, 0, sizeof *a); }

void arena_free(Arena *a)
{
    ArenaChunk *c = a->chunks;
    while (c) {
        ArenaChunk *next = c->next;
        xfree(c);
        c = next;
    }
    arena_init(a);
}

void *arena_alloc(Arena *a, size_t size)
{
    size = ALIGN_UP(size ? size : 1, (size_t)16); /* never NULL, even for 0 bytes */
    if ((size_t)(a->end - a->cur) < size) {
        /* Chunks double with the arena's size so huge trees need few of them. */
        size_t want = MAX((size_t)ARENA_CHUNK_MIN, MIN(a->total, (size_t)64 << 20));
        if (want < size)
            want = size;
        ArenaChunk *c = xmalloc(sizeof(ArenaChunk) + want);
        c->size = want;
        c->next = a->chunks;
        a->chunks = c;
        a->cur = c->data;
        a->end = c->data + want;
    }
    void *p = a->cur;
    a->cur += size;
    a->total += size;
    return p;
}

void *arena_zalloc(Arena *a, size_t size)
{
    void *p = arena_alloc(a, size);
    memset(p, 0, size);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

void *arena_memdup(Arena *a, const void *src, size_t len)
{
    if (!len)
        return NULL;
    return memcpy(arena_alloc(a, len), src, len);
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    StrBuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    char *p = arena_strndup(a, sb_str(&sb), sb.len);
    sb_free(&sb);
    return p;
}

/* ---------------------------------------------------------------- vectors */

void vec_grow_(void **data, uint32_t *cap, size_t elem_size, uint32_t need)
{
    if (need <= *cap)
        return;
    uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    if (ncap > UINT32_MAX)
        die("vector too large (%u elements)", need);
    *data = xrealloc(*data, elem_size * ncap);
    *cap = (uint32_t)ncap;
}

/* ---------------------------------------------------------------- string buffers */

static void sb_reserve(StrBuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t ncap = sb->cap ? sb->cap * 2 : 64;
    while (ncap < sb->len + extra + 1)
        ncap *= 2;
    sb->data = xrealloc(sb->data, ncap);
    sb->cap = ncap;
}

void sb_append(StrBuf *sb, const void *data, size_t len)
{
    sb_reserve(sb, len);
    if (len)
        memcpy(sb->data + sb->len, data, len);
    sb->len += len;
    sb->data[sb->len] = 0;
}

void sb_puts(StrBuf *sb, const char *s) { sb_append(sb, s, strlen(s)); }
void sb_putc(StrBuf *sb, char c) { sb_append(sb, &c, 1); }

void sb_vprintf(StrBuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        die("bad format string %s", fmt);
    sb_reserve(sb, (size_t)n);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(StrBuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

void sb_u8(StrBuf *sb, uint8_t v) { sb_append(sb, &v, 1); }

void sb_u32le(StrBuf *sb, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    sb_append(sb, b, 4);
}

void sb_u64le(StrBuf *sb, uint64_t v)
{
    sb_u32le(sb, (uint32_t)v);
    sb_u32le(sb, (uint32_t)(v >> 32));
}

const char *sb_str(const StrBuf *sb) { return sb->data ? sb->data : ""; }
void sb_clear(StrBuf *sb) { sb->len = 0; if (sb->data) sb->data[0] = 0; }
void sb_free(StrBuf *sb) { xfree(sb->data); memset(sb, 0, sizeof *sb); }

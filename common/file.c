/*
 * common/file.c — whole-file reads, atomic writes (temp + rename) and checksummed
 * record files. The record layout is documented at file_write_checked in common.h.
 */
#include "common/common.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool file_read(const char *path, char **data, size_t *len, char **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *err = xasprintf("could not read `%s`: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        *err = xasprintf("could not read `%s`: %s", path,
                         S_ISDIR(st.st_mode) ? "Is a directory" : strerror(errno));
        close(fd);
        return false;
    }
    size_t cap = (size_t)st.st_size, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {  /* the file grew while we read it */
            cap = cap * 2 + 4096;
            buf = xrealloc(buf, cap + 1);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            *err = xasprintf("could not read `%s`: %s", path, strerror(errno));
            xfree(buf);
            close(fd);
            return false;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = 0;
    *data = buf;
    *len = n;
    return true;
}

static bool write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    return true;
}

/* Writes data to a temp file beside path, then renames it over path; with
 * remove_first, path is unlinked just before the rename (see file_write_cache). */
static bool write_replace(const char *path, const void *data, size_t len, bool durable, bool remove_first,
                          char **err)
{
    char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        *err = xasprintf("could not write `%s`: %s", path, strerror(errno));
        xfree(tmp);
        return false;
    }
    bool ok = write_all(fd, data, len) && (!durable || fsync(fd) == 0);
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && remove_first && unlink(path) != 0 && errno != ENOENT) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(tmp);
        *err = xasprintf("could not write `%s`: %s", path, strerror(saved));
    }
    xfree(tmp);
    return ok;
}

bool file_write_atomic(const char *path, const void *data, size_t len, bool durable, char **err)
{
    return write_replace(path, data, len, durable, false, err);
}

bool file_write_cache(const char *path, const void *data, size_t len, char **err)
{
    return write_replace(path, data, len, false, true, err);
}

bool file_mkdirs(const char *path, char **err)
{
    char *p = xstrdup(path);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == 0) {
            char c = *s;
            *s = 0;
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                *err = xasprintf("could not create directory `%s`: %s", p, strerror(errno));
                xfree(p);
                return false;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    xfree(p);
    return true;
}

bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

enum { CHECKED_HEADER = 8 + 4 + 4 + 8 + 16 };

static uint32_t get_u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64le(const unsigned char *p) { return get_u32le(p) | (uint64_t)get_u32le(p + 4) << 32; }

bool file_write_checked(const char *path, const char magic[8], uint32_t version,
                        const void *payload, size_t len, char **err)
{
    StrBuf sb = {0};
    Hash128 sum = hash128(payload, len);
    sb_append(&sb, magic, 8);
    sb_u32le(&sb, version);
    sb_u32le(&sb, 0);
    sb_u64le(&sb, len);
    sb_u64le(&sb, sum.lo);
    sb_u64le(&sb, sum.hi);
    sb_append(&sb, payload, len);
    bool ok = file_write_cache(path, sb.data, sb.len, err);
    sb_free(&sb);
    return ok;
}

bool file_read_checked(const char *path, const char magic[8], uint32_t version,
                       char **payload, size_t *len, char **why)
{
    char *data, *err;
    size_t n;
    if (!file_read(path, &data, &n, &err)) {
        *why = access(path, F_OK) == 0 ? err : (xfree(err), xstrdup("missing"));
        return false;
    }
    const unsigned char *u = (const unsigned char *)data;
    const char *reason = NULL;
    char buf[64];
    if (n < CHECKED_HEADER)
        reason = "truncated";
    else if (memcmp(data, magic, 8) != 0)
        reason = "bad magic";
    else if (get_u32le(u + 8) != version) {
        snprintf(buf, sizeof buf, "version %u, expected %u", get_u32le(u + 8), version);
        reason = buf;
    } else if (get_u64le(u + 16) != n - CHECKED_HEADER)
        reason = "truncated";
    else {
        Hash128 want = {get_u64le(u + 24), get_u64le(u + 32)};
        if (!hash128_eq(want, hash128(data + CHECKED_HEADER, n - CHECKED_HEADER)))
            reason = "checksum mismatch";
    }
    if (reason) {
        *why = xstrdup(reason);
        xfree(data);
        return false;
    }
    *len = n - CHECKED_HEADER;
    *payload = xmalloc(*len + 1);
    memcpy(*payload, data + CHECKED_HEADER, *len);
    (*payload)[*len] = 0;
    xfree(data);
    return true;
}

uint64_t clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

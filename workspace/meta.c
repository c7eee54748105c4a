/*
 * workspace/meta.c — <crate>.wsmeta: a lib crate's interface, as its dependents load it.
 *
 * Dependents are compiled against these files alone: ws never reads an upstream crate's
 * sources for a dependent. The payload is the frontend's (fe_interface_write); this file
 * wraps it so that a damaged file, a file of another format or one written by another
 * compiler build is never handed to the frontend.
 *
 * Format (target/ws/meta/<package>.wsmeta): a checksummed record (common.h) with magic
 * "wsmeta\0\0" and version 1, whose payload is
 *
 *   build_id    16 bytes   ws_build_id() of the compiler that wrote it (lo, hi; LE)
 *   interface   the rest   fe_interface_write's bytes, unchanged
 */
#include "workspace/workspace.h"

#include <string.h>

#define META_MAGIC "wsmeta\0"
#define META_VERSION 1
#define META_ID_BYTES 16

bool ws_meta_write(const char *path, const void *iface, size_t len, char **err)
{
    StrBuf sb = {0};
    Hash128 id = ws_build_id();
    sb_u64le(&sb, id.lo);
    sb_u64le(&sb, id.hi);
    sb_append(&sb, iface, len);
    bool ok = file_write_checked(path, META_MAGIC, META_VERSION, sb.data, sb.len, err);
    sb_free(&sb);
    return ok;
}

static uint64_t get_u64le(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

bool ws_meta_read(const char *path, WsMeta *meta, char **why)
{
    memset(meta, 0, sizeof *meta);
    char *data;
    size_t len;
    if (!file_read_checked(path, META_MAGIC, META_VERSION, &data, &len, why))
        return false;
    const unsigned char *u = (const unsigned char *)data;
    Hash128 id = ws_build_id();
    if (len < META_ID_BYTES || get_u64le(u) != id.lo || get_u64le(u + 8) != id.hi) {
        xfree(data);
        *why = xstrdup(len < META_ID_BYTES ? "truncated" : "written by another compiler build");
        return false;
    }
    meta->data = data;
    meta->iface = data + META_ID_BYTES;
    meta->len = len - META_ID_BYTES;
    return true;
}

void ws_meta_free(WsMeta *meta)
{
    xfree(meta->data);
    memset(meta, 0, sizeof *meta);
}

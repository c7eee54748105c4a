/*
 * common/hash.c — XXH3-128 for everything stored, XXH3-64 for hash tables.
 */
#include "common/common.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <string.h>

_Static_assert(sizeof(XXH3_state_t) <= sizeof(((Hasher *)0)->state), "Hasher too small");
_Static_assert(_Alignof(XXH3_state_t) <= 64, "Hasher misaligned");

Hash128 hash128(const void *data, size_t len)
{
    XXH128_hash_t h = XXH3_128bits(data, len);
    return (Hash128){h.low64, h.high64};
}

uint64_t hash64(const void *data, size_t len) { return XXH3_64bits(data, len); }

bool hash128_eq(Hash128 a, Hash128 b) { return a.lo == b.lo && a.hi == b.hi; }
bool hash128_is_zero(Hash128 h) { return h.lo == 0 && h.hi == 0; }

void hash128_hex(Hash128 h, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.hi, (unsigned long long)h.lo);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool hash128_parse(const char *s, Hash128 *out)
{
    uint64_t words[2] = {0, 0};
    for (int i = 0; i < 32; i++) {
        int d = hex_digit(s[i]);
        if (d < 0)
            return false;
        words[i / 16] = words[i / 16] << 4 | (uint64_t)d;
    }
    if (s[32])
        return false;
    out->hi = words[0];
    out->lo = words[1];
    return true;
}

static XXH3_state_t *state_of(Hasher *h) { return (XXH3_state_t *)h->state; }

void hasher_init(Hasher *h)
{
    XXH3_INITSTATE(state_of(h));
    XXH3_128bits_reset(state_of(h));
}

void hasher_bytes(Hasher *h, const void *data, size_t len) { XXH3_128bits_update(state_of(h), data, len); }
void hasher_u8(Hasher *h, uint8_t v) { hasher_bytes(h, &v, 1); }

void hasher_u32(Hasher *h, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    hasher_bytes(h, b, 4);
}

void hasher_u64(Hasher *h, uint64_t v)
{
    hasher_u32(h, (uint32_t)v);
    hasher_u32(h, (uint32_t)(v >> 32));
}

void hasher_hash(Hasher *h, Hash128 v)
{
    hasher_u64(h, v.lo);
    hasher_u64(h, v.hi);
}

void hasher_str(Hasher *h, const char *s, size_t len)
{
    hasher_u64(h, len);
    hasher_bytes(h, s, len);
}

Hash128 hasher_final(const Hasher *h)
{
    XXH128_hash_t r = XXH3_128bits_digest((const XXH3_state_t *)h->state);
    return (Hash128){r.low64, r.high64};
}

/*
 * backend/runtime/int128.c — 128-bit division and checked 128-bit arithmetic.
 *
 * gcc lowers 128-bit division to libgcc calls (__udivti3), which a freestanding
 * runtime does not have: rt_u128_divmod divides with x86-64's 128-by-64 `divq`
 * (Hacker's Delight, divlu-based long division). The rt_[iu]128_* helpers of rt.h
 * check like rustc's debug build and panic at the caller's location.
 */
#include "rt_internal.h"

typedef unsigned __int128 u128;
typedef __int128 i128;

u128 rt_u128_divmod(u128 a, u128 b, u128 *rem)
{
    uint64_t bhi = (uint64_t)(b >> 64), blo = (uint64_t)b;
    if (bhi == 0) {
        uint64_t ahi = (uint64_t)(a >> 64), alo = (uint64_t)a, r;
        uint64_t qhi = ahi / blo;
        uint64_t qlo = rt_divq(ahi % blo, alo, blo, &r);
        *rem = r;
        return ((u128)qhi << 64) | qlo;
    }
    /* b >= 2^64, so the quotient fits in 64 bits. Normalise b so that its top bit is
     * set, divide a/2 by b's top 64 bits, then correct the estimate by at most one. */
    unsigned n = (unsigned)__builtin_clzll(bhi);
    uint64_t b1 = (uint64_t)((b << n) >> 64);
    u128 a1 = a >> 1;
    uint64_t r;
    uint64_t q1 = rt_divq((uint64_t)(a1 >> 64), (uint64_t)a1, b1, &r);
    u128 q0 = ((u128)q1 << n) >> 63;
    if (q0 != 0)
        q0--;
    if (a - q0 * b >= b)
        q0++;
    *rem = a - q0 * b;
    return q0;
}

u128 rt_u128_mul(const RtLocation *loc, u128 a, u128 b)
{
    u128 r;
    if (__builtin_mul_overflow(a, b, &r))
        rt_panic_mul_overflow(loc);
    return r;
}

i128 rt_i128_mul(const RtLocation *loc, i128 a, i128 b)
{
    /* |a| * |b| in unsigned arithmetic, then the sign, so that no libgcc call is needed. */
    bool negative = (a < 0) != (b < 0);
    u128 ua = a < 0 ? -(u128)a : (u128)a, ub = b < 0 ? -(u128)b : (u128)b, r;
    if (__builtin_mul_overflow(ua, ub, &r))
        rt_panic_mul_overflow(loc);
    u128 limit = (u128)1 << 127;  /* |i128::MIN| */
    if (negative ? r > limit : r >= limit)
        rt_panic_mul_overflow(loc);
    return negative ? (i128)-r : (i128)r;
}

u128 rt_u128_div(const RtLocation *loc, u128 a, u128 b)
{
    u128 rem;
    if (b == 0)
        rt_panic_div_by_zero(loc);
    return rt_u128_divmod(a, b, &rem);
}

u128 rt_u128_rem(const RtLocation *loc, u128 a, u128 b)
{
    u128 rem;
    if (b == 0)
        rt_panic_rem_by_zero(loc);
    rt_u128_divmod(a, b, &rem);
    return rem;
}

#define I128_MIN ((i128)((u128)1 << 127))

/* Truncating signed division on magnitudes (the caller has excluded MIN / -1). */
static i128 i128_divmod(i128 a, i128 b, i128 *rem)
{
    u128 ua = a < 0 ? -(u128)a : (u128)a, ub = b < 0 ? -(u128)b : (u128)b, ur;
    u128 uq = rt_u128_divmod(ua, ub, &ur);
    *rem = a < 0 ? (i128)-ur : (i128)ur;
    return (a < 0) != (b < 0) ? (i128)-uq : (i128)uq;
}

i128 rt_i128_div(const RtLocation *loc, i128 a, i128 b)
{
    i128 rem;
    if (b == 0)
        rt_panic_div_by_zero(loc);
    if (a == I128_MIN && b == -1)
        rt_panic_div_overflow(loc);
    return i128_divmod(a, b, &rem);
}

i128 rt_i128_rem(const RtLocation *loc, i128 a, i128 b)
{
    i128 rem;
    if (b == 0)
        rt_panic_rem_by_zero(loc);
    if (a == I128_MIN && b == -1)
        rt_panic_rem_overflow(loc);
    i128_divmod(a, b, &rem);
    return rem;
}

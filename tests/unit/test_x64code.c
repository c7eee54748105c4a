/* tests/unit/test_x64code.c — function code records: what x64_finish records, and the
 * serialized form (round trip into another interner, stable bytes, damaged input). */
#include "tests/unit/unit.h"
#include "tests/unit/asm_fixture.h"

#include "backend/backend.h"

#include <string.h>

static Sym S(Fixture *fx, const char *s) { return fixture_sym(fx, s); }

/* A function with calls, RIP-relative data, two panic locations and its own string. */
static CodeFunc *sample(Fixture *fx, uint32_t line_shift)
{
    X64Asm *a = &fx->a;
    x64_begin(a, S(fx, "_RNvCs_3app7compute"));
    x64_r(a, X64_PUSH, 8, X64_RBP);
    x64_rr(a, X64_MOV, 8, X64_RBP, X64_RSP);
    uint32_t l0 = x64_loc(a, S(fx, "src/main.rs"), 10 + line_shift, 5, 1);
    uint32_t l1 = x64_loc(a, S(fx, "src/geo.rs"), 3 + line_shift, 17, 2);
    x64_rm(a, X64_LEA, 8, X64_RDI, x64_mem_sym(S(fx, "app.str.0"), 0));
    x64_rm(a, X64_LEA, 8, X64_RSI, x64_mem_loc(l1));
    x64_call(a, S(fx, "rt_panic"));
    x64_rm(a, X64_LEA, 8, X64_RDI, x64_mem_loc(l0));
    x64_call(a, S(fx, "rt_panic"));
    x64_r(a, X64_POP, 8, X64_RBP);
    x64_ret(a);
    CodeFunc *f = x64_finish(a, &fx->arena);
    static const char text[] = "attempt to add with overflow";
    f->data = arena_new(&fx->arena, CodeData, 1);
    f->data[0] = code_data_make(&fx->arena, S(fx, "app.str.0"), text, sizeof text - 1, 1,
                                NULL, 0);
    f->data[0].local = true;
    f->ndata = 1;
    return f;
}

START_TEST(finish_records_relocations_and_locations)
{
    Fixture fx;
    fixture_init(&fx, false);
    CodeFunc *f = sample(&fx, 0);
    ck_assert_uint_eq(f->nrelocs, 5);
    ck_assert_uint_eq(f->nlocs, 2);
    /* lea rsi, [rip + loc 1]: PC32 to the location section, addend 1*24 - 4 */
    CodeReloc *r = &f->relocs[1];
    ck_assert(r->to_locs);
    ck_assert_int_eq(r->kind, RELOC_PC32);
    ck_assert_int_eq(r->addend, CODE_LOC_SIZE - 4);
    ck_assert(f->relocs[3].to_locs);
    ck_assert_int_eq(f->relocs[3].addend, -4);
    for (uint32_t i = 1; i < f->nrelocs; i++)
        ck_assert_uint_gt(f->relocs[i].offset, f->relocs[i - 1].offset);
    ck_assert_str_eq(sym_str(&fx.names, f->locs[1].file), "src/geo.rs");
    ck_assert_uint_eq(f->locs[1].col, 17);
    fixture_free(&fx);
}
END_TEST

/* Moving lines changes location records only: code and relocations stay identical. */
START_TEST(shifted_lines_leave_code_unchanged)
{
    Fixture fx;
    fixture_init(&fx, false);
    CodeFunc *a = sample(&fx, 0), *b = sample(&fx, 7);
    ck_assert_uint_eq(a->size, b->size);
    ck_assert_int_eq(memcmp(a->code, b->code, a->size), 0);
    ck_assert_uint_eq(a->nrelocs, b->nrelocs);
    for (uint32_t i = 0; i < a->nrelocs; i++)
        ck_assert_int_eq(a->relocs[i].addend, b->relocs[i].addend);
    ck_assert(!code_func_equal(a, b, &fx.names, &fx.names));
    fixture_free(&fx);
}
END_TEST

START_TEST(records_round_trip)
{
    Fixture fx;
    fixture_init(&fx, false);
    CodeFunc *f = sample(&fx, 0);
    CodeReloc dr = {8, RELOC_64, false, S(&fx, "app.str.0"), 3};
    static const uint8_t bytes[16] = {1, 2, 3};
    CodeData d = code_data_make(&fx.arena, S(&fx, "_RNvCs_3app5TABLE"), bytes, 16, 8, &dr, 1);
    d.writable = true;
    StrBuf out = {0};
    code_func_write(&out, f, &fx.names);
    size_t func_len = out.len;
    code_data_write(&out, &d, &fx.names);

    /* read back into a fresh interner, where every Sym differs */
    Arena arena;
    Interner other;
    arena_init(&arena);
    intern_init(&other, &arena);
    intern_cstr(&other, "something else first");
    CodeFunc g;
    CodeData e;
    size_t pos = 0;
    ck_assert(code_func_read((const uint8_t *)out.data, out.len, &pos, &g, &arena, &other));
    ck_assert_uint_eq(pos, func_len);
    ck_assert(code_data_read((const uint8_t *)out.data, out.len, &pos, &e, &arena, &other));
    ck_assert_uint_eq(pos, out.len);
    ck_assert(code_func_equal(f, &g, &fx.names, &other));
    ck_assert_str_eq(sym_str(&other, e.name), "_RNvCs_3app5TABLE");
    ck_assert(e.writable && !e.local);
    ck_assert_uint_eq(e.align, 8);
    ck_assert_uint_eq(e.nrelocs, 1);
    ck_assert_str_eq(sym_str(&other, e.relocs[0].sym), "app.str.0");
    ck_assert_int_eq(e.relocs[0].addend, 3);
    ck_assert_int_eq(memcmp(e.bytes, bytes, 16), 0);

    /* writing what was read gives the same bytes */
    StrBuf again = {0};
    code_func_write(&again, &g, &other);
    code_data_write(&again, &e, &other);
    ck_assert_uint_eq(again.len, out.len);
    ck_assert_int_eq(memcmp(again.data, out.data, out.len), 0);
    sb_free(&again);
    sb_free(&out);
    intern_free(&other);
    arena_free(&arena);
    fixture_free(&fx);
}
END_TEST

/* Every truncation and many corruptions are refused or read safely (ASan watches). */
START_TEST(damaged_records_are_refused)
{
    Fixture fx;
    fixture_init(&fx, false);
    CodeFunc *f = sample(&fx, 0);
    StrBuf out = {0};
    code_func_write(&out, f, &fx.names);
    const uint8_t *buf = (const uint8_t *)out.data;
    for (size_t len = 0; len < out.len; len++) {
        CodeFunc g;
        size_t pos = 0;
        uint8_t *copy = xmalloc(len ? len : 1);
        memcpy(copy, buf, len);
        ck_assert_msg(!code_func_read(copy, len, &pos, &g, &fx.arena, &fx.names),
                      "a record cut to %zu bytes was accepted", len);
        xfree(copy);
    }
    uint8_t *copy = xmalloc(out.len);
    uint64_t state = 0x9E3779B97F4A7C15ull;
    int accepted = 0;
    for (int round = 0; round < 4000; round++) {
        memcpy(copy, buf, out.len);
        for (int k = 0; k < 1 + round % 3; k++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            size_t at = (state >> 33) % out.len;
            copy[at] = (uint8_t)(state >> 20);
        }
        CodeFunc g;
        size_t pos = 0;
        if (code_func_read(copy, out.len, &pos, &g, &fx.arena, &fx.names)) {
            accepted++;
            ck_assert_uint_le(pos, out.len);
            for (uint32_t i = 0; i < g.nrelocs; i++)
                ck_assert_uint_le(g.relocs[i].offset + reloc_info[g.relocs[i].kind].size, g.size);
        }
    }
    ck_assert_int_lt(accepted, 4000);
    /* a wrong tag and a bad kind */
    memcpy(copy, buf, out.len);
    copy[0] = 'D';
    CodeFunc g;
    size_t pos = 0;
    ck_assert(!code_func_read(copy, out.len, &pos, &g, &fx.arena, &fx.names));
    xfree(copy);
    sb_free(&out);
    fixture_free(&fx);
}
END_TEST

Suite *x64code_suite(void)
{
    Suite *s = suite_create("x64code");
    TCase *tc = tcase_create("records");
    tcase_add_test(tc, finish_records_relocations_and_locations);
    tcase_add_test(tc, shifted_lines_leave_code_unchanged);
    tcase_add_test(tc, records_round_trip);
    tcase_add_test(tc, damaged_records_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

/* tests/unit/test_linker_backend.c — relink on the objects relink's own backend writes
 * (one section per function, location records, extended section numbering past 0xff00
 * sections), linked from memory with the embedded runtime objects, as ws will do. */
#include "tests/unit/unit.h"
#include "tests/unit/asm_fixture.h"

#include "backend/backend.h"
#include "backend/runtime/rt_objects.h"
#include "linker/linker.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static Sym S(Fixture *fx, const char *s) { return fixture_sym(fx, s); }

/* Writes the module with obj_write and returns its bytes (heap). */
static char *module_bytes(Fixture *fx, const ObjModule *m, const char *name, size_t *len)
{
    char *path = xasprintf("%s/%s", fx->dir, name), *err = NULL, *data = NULL;
    ck_assert_msg(obj_write(m, path, &err), "%s", err);
    ck_assert_msg(file_read(path, &data, len, &err), "%s", err);
    xfree(path);
    return data;
}

/* Links `obj` (in memory) with every runtime object (in memory); returns the output path. */
static char *link_with_runtime(Fixture *fx, const char *obj_name, const char *obj, size_t len, LdReport *rep)
{
    size_t nrt = 0;
    const RtObject *rt = rt_objects(&nrt);
    LdInput *in = xcalloc(nrt + 1, sizeof(LdInput));
    in[0] = (LdInput){.kind = LD_INPUT_FILE, .name = obj_name, .data = obj, .size = len};
    for (size_t i = 0; i < nrt; i++)
        in[i + 1] = (LdInput){.kind = LD_INPUT_FILE, .name = rt[i].name, .data = rt[i].data, .size = rt[i].size};
    char *out = xasprintf("%s/prog", fx->dir);
    LdOptions opt = {.output = out, .inputs = in, .ninputs = (uint32_t)nrt + 1, .gc_sections = true};
    bool ok = ld_link(&opt, rep);
    ck_assert_msg(ok, "link failed: %s", rep->messages.len ? rep->messages.data[0].text : "?");
    xfree(in);
    return out;
}

/* Runs a program: exit status, stdout in *out. */
static int run(const char *path, StrBuf *out)
{
    char *cmd = xasprintf("'%s'", path);
    int st = unit_run(cmd, out);
    xfree(cmd);
    return st;
}

START_TEST(backend_program_links_with_runtime)
{
    Fixture fx;
    fixture_init(&fx, true);
    static const char msg[] = "hello from the backend\n";
    X64Asm *a = &fx.a;
    x64_begin(a, S(&fx, "__ws_main"));
    x64_r(a, X64_PUSH, 8, X64_RBX);  /* aligns the stack for the calls */
    x64_rm(a, X64_LEA, 8, X64_RDI, x64_mem_sym(S(&fx, "greeting"), 0));
    x64_ri(a, X64_MOV, 4, X64_RSI, (int32_t)(sizeof msg - 1));
    x64_call(a, S(&fx, "rt_print_str"));
    x64_ri(a, X64_MOV, 4, X64_RDI, 7);
    x64_call(a, S(&fx, "rt_exit"));
    x64_ud2(a);
    CodeFunc *main_fn = x64_finish(a, &fx.arena);
    CodeData *greeting = arena_new(&fx.arena, CodeData, 1);
    *greeting = code_data_make(&fx.arena, S(&fx, "greeting"), msg, sizeof msg - 1, 1, NULL, 0);
    ObjModule m = {&fx.names, "src/main.rs", &main_fn, 1, &greeting, 1};
    size_t len;
    char *obj = module_bytes(&fx, &m, "main.o", &len);
    LdReport rep = {0};
    char *out = link_with_runtime(&fx, "main.o", obj, len, &rep);
    ck_assert_uint_eq(rep.errors, 0);
    StrBuf got = {0};
    ck_assert_int_eq(run(out, &got), 7);
    ck_assert_str_eq(sb_str(&got), msg);
    sb_free(&got);
    ld_report_free(&rep);
    xfree(out);
    xfree(obj);
    fixture_free(&fx);
}
END_TEST

/* 16,400 functions with location records: more than 0xff00 sections, so the object
 * uses extended section numbering (SHN_XINDEX, .symtab_shndx). */
START_TEST(extended_section_numbers)
{
    Fixture fx;
    fixture_init(&fx, true);
    enum { COUNT = 16400 };
    CodeFunc **funcs = arena_new(&fx.arena, CodeFunc *, COUNT + 1);
    for (uint32_t i = 0; i < COUNT; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%u", i);
        x64_begin(&fx.a, S(&fx, name));
        uint32_t loc = x64_loc(&fx.a, S(&fx, "src/big.rs"), i % 200, 1, 0);
        x64_rm(&fx.a, X64_MOV, 4, X64_RAX, (X64Mem){X64_RIP, X64_NOREG, 1, X64_MEM_LOC, 16, loc});
        x64_ret(&fx.a);
        funcs[i] = x64_finish(&fx.a, &fx.arena);
    }
    x64_begin(&fx.a, S(&fx, "__ws_main"));
    x64_r(&fx.a, X64_PUSH, 8, X64_RBX);
    x64_call(&fx.a, S(&fx, "f16399"));
    x64_rr(&fx.a, X64_MOV, 4, X64_RDI, X64_RAX);
    x64_call(&fx.a, S(&fx, "rt_exit"));
    x64_ud2(&fx.a);
    funcs[COUNT] = x64_finish(&fx.a, &fx.arena);
    ObjModule big = {&fx.names, "src/big.rs", funcs, COUNT + 1, NULL, 0};
    size_t len;
    char *obj = module_bytes(&fx, &big, "big.o", &len);
    LdReport rep = {0};
    char *out = link_with_runtime(&fx, "big.o", obj, len, &rep);
    StrBuf got = {0};
    ck_assert_int_eq(run(out, &got), 16399 % 200);
    sb_free(&got);
    ld_report_free(&rep);
    xfree(out);
    xfree(obj);
    fixture_free(&fx);
}
END_TEST

Suite *linker_backend_suite(void)
{
    Suite *s = suite_create("linker_backend");
    TCase *tc = tcase_create("objects");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, backend_program_links_with_runtime);
    tcase_add_test(tc, extended_section_numbers);
    suite_add_tcase(s, tc);
    return s;
}

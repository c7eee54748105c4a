/* tests/unit/test_linker_incremental.c — incremental links of the objects relink's own
 * backend writes (a section per function), linked from memory with the embedded
 * runtime as ws does: each step patched in place (--incremental --verify), run, and
 * compared with GNU ld's link of the same objects written to files. */
#include "tests/unit/unit.h"

#include "backend/backend.h"
#include "backend/runtime/rt_objects.h"
#include "linker/linker.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { NFUNC = 8 };

/* The program: f<i> returns base[i] + grow[i] ones; __ws_main prints a greeting and
 * exits with the sum of every live f<i> (mod 128). */
typedef struct Prog {
    int32_t base[NFUNC + 1];
    int grow[NFUNC + 1];
    bool live[NFUNC + 1];
    const char *greeting;
} Prog;

typedef struct Fixture {
    Arena arena;
    Interner names;
    X64Asm a;
    char *dir;
    const RtObject *rt;
    size_t nrt;
} Fixture;

static Sym S(Fixture *fx, const char *s) { return intern_cstr(&fx->names, s); }

/* Writes the program's object with obj_write and returns its bytes (heap). */
static char *build(Fixture *fx, const Prog *p, size_t *len)
{
    CodeFunc **funcs = arena_new(&fx->arena, CodeFunc *, NFUNC + 2);
    uint32_t n = 0;
    char name[16];
    for (int i = 0; i <= NFUNC; i++) {
        if (!p->live[i])
            continue;
        snprintf(name, sizeof name, "f%d", i);
        x64_begin(&fx->a, S(fx, name));
        x64_ri(&fx->a, X64_MOV, 4, X64_RAX, p->base[i]);
        for (int k = 0; k < p->grow[i]; k++)
            x64_ri(&fx->a, X64_ADD, 4, X64_RAX, 1);
        x64_ret(&fx->a);
        funcs[n++] = x64_finish(&fx->a, &fx->arena);
    }
    x64_begin(&fx->a, S(fx, "__ws_main"));
    x64_r(&fx->a, X64_PUSH, 8, X64_RBX);
    x64_rm(&fx->a, X64_LEA, 8, X64_RDI, x64_mem_sym(S(fx, "greeting"), 0));
    x64_ri(&fx->a, X64_MOV, 4, X64_RSI, (int32_t)strlen(p->greeting));
    x64_call(&fx->a, S(fx, "rt_print_str"));
    x64_rr(&fx->a, X64_XOR, 4, X64_RBX, X64_RBX);
    for (int i = 0; i <= NFUNC; i++) {
        if (!p->live[i])
            continue;
        snprintf(name, sizeof name, "f%d", i);
        x64_call(&fx->a, S(fx, name));
        x64_rr(&fx->a, X64_ADD, 4, X64_RBX, X64_RAX);
    }
    x64_rr(&fx->a, X64_MOV, 4, X64_RDI, X64_RBX);
    x64_ri(&fx->a, X64_AND, 4, X64_RDI, 0x7f);
    x64_call(&fx->a, S(fx, "rt_exit"));
    x64_ud2(&fx->a);
    funcs[n++] = x64_finish(&fx->a, &fx->arena);
    CodeData *greeting = arena_new(&fx->arena, CodeData, 1);
    *greeting = code_data_make(&fx->arena, S(fx, "greeting"), p->greeting, strlen(p->greeting), 1, NULL, 0);
    ObjModule m = {&fx->names, "src/main.rs", funcs, n, &greeting, 1};
    char *path = xasprintf("%s/main.o", fx->dir), *err = NULL, *data = NULL;
    ck_assert_msg(obj_write(&m, path, &err), "%s", err);
    ck_assert_msg(file_read(path, &data, len, &err), "%s", err);
    xfree(path);
    return data;
}

/* Runs a program: exit status, stdout in *out. */
static int run(const char *path, StrBuf *out)
{
    char *cmd = xasprintf("'%s'", path);
    int st = unit_run(cmd, out);
    xfree(cmd);
    return st;
}

/* Links the program from memory, incrementally, and checks it against GNU ld's link of
 * the same objects; returns the report (caller frees). */
static void step(Fixture *fx, const Prog *p, LdReport *rep)
{
    size_t len;
    char *obj = build(fx, p, &len);
    LdInput *in = xcalloc(fx->nrt + 1, sizeof(LdInput));
    in[0] = (LdInput){.kind = LD_INPUT_FILE, .name = "main.o", .data = obj, .size = len};
    for (size_t i = 0; i < fx->nrt; i++) {
        in[i + 1] = (LdInput){.kind = LD_INPUT_FILE, .name = fx->rt[i].name, .data = fx->rt[i].data,
                              .size = fx->rt[i].size};
        if (i % 2)  /* ws may give the hashes it has */
            in[i + 1].hash = hash128(fx->rt[i].data, fx->rt[i].size);
    }
    char *out = xasprintf("%s/prog", fx->dir);
    LdOptions opt = {.output = out, .inputs = in, .ninputs = (uint32_t)fx->nrt + 1, .gc_sections = true,
                     .incremental = true, .verify = true};
    memset(rep, 0, sizeof *rep);
    bool ok = ld_link(&opt, rep);
    ck_assert_msg(ok, "incremental link failed: %s", rep->messages.len ? rep->messages.data[0].text : "?");

    /* GNU ld, from files. */
    StrBuf cmd = {0};
    sb_printf(&cmd, "cd '%s' && ld --gc-sections -o ref main.o", fx->dir);
    for (size_t i = 0; i < fx->nrt; i++) {
        char *path = xasprintf("%s/rt%zu.o", fx->dir, i), *err = NULL;
        ck_assert_msg(file_write_atomic(path, fx->rt[i].data, fx->rt[i].size, false, &err), "%s", err);
        sb_printf(&cmd, " rt%zu.o", i);
        xfree(path);
    }
    ck_assert_int_eq(system(sb_str(&cmd)), 0);
    char *ref = xasprintf("%s/ref", fx->dir);
    StrBuf a = {0}, b = {0};
    int sa = run(out, &a), sb = run(ref, &b);
    ck_assert_int_eq(sa, sb);
    ck_assert_str_eq(sb_str(&a), sb_str(&b));
    int want = 0;
    for (int i = 0; i <= NFUNC; i++)
        if (p->live[i])
            want += p->base[i] + p->grow[i];
    ck_assert_int_eq(sa, want & 0x7f);
    sb_free(&a);
    sb_free(&b);
    sb_free(&cmd);
    xfree(ref);
    xfree(out);
    xfree(in);
    xfree(obj);
}

START_TEST(backend_objects_patched_in_place)
{
    Fixture fx;
    arena_init(&fx.arena);
    intern_init(&fx.names, &fx.arena);
    x64_init(&fx.a, &fx.names);
    fx.dir = unit_tmpdir();
    fx.rt = rt_objects(&fx.nrt);
    Prog p = {.greeting = "hello from an incremental link\n"};
    for (int i = 0; i < NFUNC; i++) {
        p.base[i] = i * 3 + 1;
        p.live[i] = true;
    }
    LdReport rep;
    step(&fx, &p, &rep);
    ck_assert_int_eq(rep.incremental, LD_INCR_FULL);
    ck_assert_ptr_nonnull(strstr(rep.full_link_reason, "no incremental state"));
    ld_report_free(&rep);

    /* Nothing changed: an update with nothing to write. */
    step(&fx, &p, &rep);
    ck_assert_int_eq(rep.incremental, LD_INCR_PATCHED);
    ck_assert_uint_eq(rep.sections_patched, 0);
    ld_report_free(&rep);

    /* One body at the same size: that section only, no site. */
    p.base[3] = 40;
    step(&fx, &p, &rep);
    ck_assert_int_eq(rep.incremental, LD_INCR_PATCHED);
    ck_assert_uint_eq(rep.sections_patched, 1);
    ck_assert_uint_eq(rep.sites_patched, 0);
    ld_report_free(&rep);

    /* One function grows past its room: it moves, its call is re-patched. */
    p.grow[5] = 30;
    step(&fx, &p, &rep);
    ck_assert_int_eq(rep.incremental, LD_INCR_PATCHED);
    ck_assert_uint_ge(rep.sites_patched, 1);
    ld_report_free(&rep);

    /* A function added and one removed (main changes too), a new greeting. */
    p.live[NFUNC] = true;
    p.base[NFUNC] = 7;
    p.live[2] = false;
    p.greeting = "hello again, from a greeting of another length\n";
    step(&fx, &p, &rep);
    ck_assert_int_eq(rep.incremental, LD_INCR_PATCHED);
    ld_report_free(&rep);

    unit_rmtree(fx.dir);
    xfree(fx.dir);
    x64_free(&fx.a);
    intern_free(&fx.names);
    arena_free(&fx.arena);
}
END_TEST

Suite *linker_incremental_suite(void)
{
    Suite *s = suite_create("linker_incremental");
    TCase *tc = tcase_create("backend");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, backend_objects_patched_in_place);
    suite_add_tcase(s, tc);
    return s;
}

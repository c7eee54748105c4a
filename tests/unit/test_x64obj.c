/* tests/unit/test_x64obj.c — the ELF object writer: objects that readelf reads without
 * a warning, that GNU ld links with an encoder-made _start into a program that runs,
 * identical bytes for identical modules, and location data kept out of the code. */
#include "tests/unit/unit.h"
#include "tests/unit/asm_fixture.h"

#include "backend/backend.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static Sym S(Fixture *fx, const char *s) { return fixture_sym(fx, s); }

static char *path_in(Fixture *fx, const char *name) { return xasprintf("%s/%s", fx->dir, name); }

/* Runs a shell command; returns its exit status and its stdout+stderr in *out. */
static int run(const char *cmd, StrBuf *out)
{
    char *full = xasprintf("%s 2>&1", cmd);
    int st = unit_run(full, out);
    xfree(full);
    return st;
}

/* ---------------------------------------------------------------- the program */

/*
 * main.o: _start  — calls compute (in lib.o), reads its own location record 0 (line,
 *                   file-name length, first byte of the file name), exits with
 *                   compute() + line + length, or 1 if the file name is wrong.
 * lib.o:  compute — sums a 4-element table (RIP-relative, a backward loop), adds a
 *                   value reached through a pointer in writable data (R_X86_64_64) and
 *                   one reached through [sym + index*8] (R_X86_64_32S), and calls a
 *                   local helper that doubles it; a function-owned string it compares.
 */
static CodeFunc *make_start(Fixture *fx, uint32_t line)
{
    X64Asm *a = &fx->a;
    x64_begin(a, S(fx, "_start"));
    x64_set_depth(a, 8); /* rsp is 16-byte aligned at process entry */
    uint32_t loc = x64_loc(a, S(fx, "src/main.rs"), line, 9, 0);
    X64Label bad = x64_label(a);
    x64_call(a, S(fx, "compute"));
    x64_rr(a, X64_MOV, 4, X64_RDI, X64_RAX);
    x64_rm(a, X64_LEA, 8, X64_RSI, x64_mem_loc(loc));
    x64_rm(a, X64_ADD, 4, X64_RDI, x64_mem(X64_RSI, 16));    /* line */
    x64_rm(a, X64_ADD, 4, X64_RDI, x64_mem(X64_RSI, 8));     /* file name length */
    x64_rm(a, X64_MOV, 8, X64_RSI, x64_mem(X64_RSI, 0));     /* file name */
    x64_mi(a, X64_CMP, 1, x64_mem(X64_RSI, 0), 's');
    x64_jcc(a, X64_CC_NE, bad);
    x64_mi(a, X64_CMP, 1, x64_mem(X64_RSI, 10), 's');
    x64_jcc_short(a, X64_CC_NE, bad);
    X64Label out = x64_label(a);
    x64_bind(a, out);
    x64_ri(a, X64_MOV, 4, X64_RAX, 60);
    x64_syscall(a);
    x64_ud2(a);
    x64_bind(a, bad);
    x64_ri(a, X64_MOV, 4, X64_RDI, 1);
    x64_jmp(a, out);
    return x64_finish(a, &fx->arena);
}

static CodeFunc *make_compute(Fixture *fx)
{
    X64Asm *a = &fx->a;
    x64_begin(a, S(fx, "compute"));
    x64_r(a, X64_PUSH, 8, X64_RBX);
    /* sum table[0..4] with a loop */
    x64_rm(a, X64_LEA, 8, X64_RSI, x64_mem_sym(S(fx, "table"), 0));
    x64_rr(a, X64_XOR, 4, X64_RAX, X64_RAX);
    x64_rr(a, X64_XOR, 4, X64_RCX, X64_RCX);
    X64Label loop = x64_label(a);
    x64_bind(a, loop);
    x64_rm(a, X64_ADD, 8, X64_RAX, x64_mem_index(X64_RSI, X64_RCX, 8, 0));
    x64_r(a, X64_INC, 4, X64_RCX);
    x64_ri(a, X64_CMP, 4, X64_RCX, 4);
    x64_jcc(a, X64_CC_L, loop);
    /* + *pointer (pointer holds &table[3] + ... through R_X86_64_64 in .data) */
    x64_rm(a, X64_MOV, 8, X64_RDX, x64_mem_sym(S(fx, "pointer"), 0));
    x64_rm(a, X64_ADD, 8, X64_RAX, x64_mem(X64_RDX, 0));
    /* + table[2] through [table + rcx*8] with rcx = 2 (absolute, R_X86_64_32S) */
    x64_ri(a, X64_MOV, 4, X64_RCX, 2);
    x64_rm(a, X64_ADD, 8, X64_RAX,
           (X64Mem){X64_NOREG, X64_RCX, 8, X64_MEM_SYMBOL, 0, S(fx, "table")});
    /* + the length of the own string if it starts with 'o' (movabs, R_X86_64_64) */
    x64_movabs_sym(a, X64_RBX, S(fx, "compute.str"), 1);
    x64_mi(a, X64_CMP, 1, x64_mem(X64_RBX, -1), 'o');
    X64Label skip = x64_label(a);
    x64_jcc_short(a, X64_CC_NE, skip);
    x64_ri(a, X64_ADD, 8, X64_RAX, 2);
    x64_bind(a, skip);
    x64_rr(a, X64_MOV, 8, X64_RDI, X64_RAX);
    x64_call(a, S(fx, "double_it"));
    x64_r(a, X64_POP, 8, X64_RBX);
    x64_ret(a);
    CodeFunc *f = x64_finish(a, &fx->arena);
    f->data = arena_new(&fx->arena, CodeData, 1);
    f->data[0] = code_data_make(&fx->arena, S(fx, "compute.str"), "ok", 2, 1, NULL, 0);
    f->data[0].local = true;
    f->ndata = 1;
    return f;
}

static CodeFunc *make_double(Fixture *fx)
{
    X64Asm *a = &fx->a;
    x64_begin(a, S(fx, "double_it"));
    x64_rm(a, X64_LEA, 8, X64_RAX, x64_mem_index(X64_RDI, X64_RDI, 1, 0));
    x64_ret(a);
    CodeFunc *f = x64_finish(a, &fx->arena);
    f->local = true;
    return f;
}

/* table = {1, 2, 3, 4}; pointer = &table[3] (read-only table, writable pointer) */
static void make_data(Fixture *fx, CodeData **table, CodeData **pointer)
{
    static const uint64_t values[4] = {1, 2, 3, 4};
    *table = arena_new(&fx->arena, CodeData, 1);
    **table = code_data_make(&fx->arena, S(fx, "table"), values, sizeof values, 8, NULL, 0);
    CodeReloc r = {0, RELOC_64, false, S(fx, "table"), 24};
    static const uint64_t zero = 0;
    *pointer = arena_new(&fx->arena, CodeData, 1);
    **pointer = code_data_make(&fx->arena, S(fx, "pointer"), &zero, 8, 8, &r, 1);
    (*pointer)->writable = true;
}

/* Writes main.o and lib.o; the program exits with (10 + 4 + 3 + 2) * 2 + line + 11. */
static void write_program(Fixture *fx, uint32_t line)
{
    CodeFunc *start = make_start(fx, line);
    CodeFunc *lib_funcs[2] = {make_compute(fx), make_double(fx)};
    CodeData *table, *pointer;
    make_data(fx, &table, &pointer);
    CodeData *lib_data[2] = {table, pointer};
    ObjModule main_mod = {&fx->names, "src/main.rs", &start, 1, NULL, 0};
    ObjModule lib_mod = {&fx->names, "src/lib.rs", lib_funcs, 2, lib_data, 2};
    char *err = NULL, *main_o = path_in(fx, "main.o"), *lib_o = path_in(fx, "lib.o");
    ck_assert_msg(obj_write(&main_mod, main_o, &err), "%s", err);
    ck_assert_msg(obj_write(&lib_mod, lib_o, &err), "%s", err);
    xfree(main_o);
    xfree(lib_o);
}

/* ---------------------------------------------------------------- tests */

START_TEST(objects_pass_readelf)
{
    Fixture fx;
    fixture_init(&fx, true);
    write_program(&fx, 12);
    static const char *const objects[] = {"main.o", "lib.o"};
    for (unsigned i = 0; i < 2; i++) {
        StrBuf out = {0};
        char *cmd = xasprintf("readelf -a -W %s/%s", fx.dir, objects[i]);
        ck_assert_int_eq(run(cmd, &out), 0);
        ck_assert_msg(!strstr(sb_str(&out), "Warning") && !strstr(sb_str(&out), "Error") &&
                          !strstr(sb_str(&out), "readelf:"),
                      "readelf complains about %s:\n%s", objects[i], sb_str(&out));
        xfree(cmd);
        sb_free(&out);
    }
    /* the sections and symbols the design promises */
    StrBuf out = {0};
    char *cmd = xasprintf("readelf -S -s -W %s/lib.o", fx.dir);
    ck_assert_int_eq(run(cmd, &out), 0);
    static const char *const expect[] = {
        ".text.compute", ".rela.text.compute", ".text.double_it", ".rodata.table",
        ".data.pointer", ".rela.data.pointer", ".rodata.compute.str", ".note.GNU-stack",
        "OBJECT  LOCAL  DEFAULT    3 compute.str", "FUNC    LOCAL  DEFAULT    4 double_it",
        "FUNC    GLOBAL DEFAULT    1 compute", "FILE    LOCAL  DEFAULT  ABS src/lib.rs",
    };
    for (unsigned i = 0; i < ARRAY_LEN(expect); i++)
        ck_assert_msg(strstr(sb_str(&out), expect[i]), "no `%s` in\n%s", expect[i], sb_str(&out));
    xfree(cmd);
    sb_clear(&out);
    cmd = xasprintf("readelf -S -r -W %s/main.o", fx.dir);
    ck_assert_int_eq(run(cmd, &out), 0);
    ck_assert_msg(strstr(sb_str(&out), ".rodata._start.loc") &&
                      strstr(sb_str(&out), ".rela.rodata._start.loc") &&
                      strstr(sb_str(&out), "R_X86_64_PLT32") && strstr(sb_str(&out), "R_X86_64_64"),
                  "%s", sb_str(&out));
    xfree(cmd);
    sb_free(&out);
    fixture_free(&fx);
}
END_TEST

START_TEST(linked_program_runs)
{
    Fixture fx;
    fixture_init(&fx, true);
    write_program(&fx, 12);
    StrBuf out = {0};
    char *cmd = xasprintf("cd %s && ld -o prog main.o lib.o", fx.dir);
    ck_assert_msg(run(cmd, &out) == 0 && out.len == 0, "ld: %s", sb_str(&out));
    xfree(cmd);
    cmd = xasprintf("%s/prog", fx.dir);
    /* (1+2+3+4 + 4 + 3 + 2) * 2 + 12 + strlen("src/main.rs") */
    ck_assert_int_eq(run(cmd, &out), 38 + 12 + 11);
    xfree(cmd);
    sb_free(&out);
    fixture_free(&fx);
}
END_TEST

/* Reads the bytes of one section of an object. */
static void section_bytes(const char *path, const char *name, StrBuf *out)
{
    elf_version(EV_CURRENT);
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    size_t shstrndx;
    ck_assert_int_eq(elf_getshdrstrndx(e, &shstrndx), 0);
    bool found = false;
    for (Elf_Scn *scn = NULL; (scn = elf_nextscn(e, scn));) {
        GElf_Shdr sh;
        gelf_getshdr(scn, &sh);
        if (strcmp(elf_strptr(e, shstrndx, sh.sh_name), name) != 0)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (d->d_size)
            sb_append(out, d->d_buf, d->d_size);
        found = true;
    }
    ck_assert_msg(found, "no section %s in %s", name, path);
    elf_end(e);
    close(fd);
}

START_TEST(same_module_same_bytes_and_lines_stay_out_of_code)
{
    Fixture fx;
    fixture_init(&fx, true);
    char *main_o = path_in(&fx, "main.o"), *first = path_in(&fx, "first.o");
    write_program(&fx, 12);
    ck_assert_int_eq(rename(main_o, first), 0);
    write_program(&fx, 12);
    char *cmd = xasprintf("cmp -s %s %s", main_o, first);
    ck_assert_msg(system(cmd) == 0, "two writes of one module differ");
    xfree(cmd);

    /* the same program with its panic location 30 lines further down */
    write_program(&fx, 42);
    StrBuf a = {0}, b = {0};
    section_bytes(first, ".text._start", &a);
    section_bytes(main_o, ".text._start", &b);
    ck_assert_uint_eq(a.len, b.len);
    ck_assert_int_eq(memcmp(a.data, b.data, a.len), 0);
    sb_clear(&a);
    sb_clear(&b);
    section_bytes(first, ".rodata._start.loc", &a);
    section_bytes(main_o, ".rodata._start.loc", &b);
    ck_assert_uint_eq(a.len, CODE_LOC_SIZE + strlen("src/main.rs"));
    ck_assert_uint_eq(a.len, b.len);
    ck_assert_int_ne(memcmp(a.data, b.data, a.len), 0);
    uint32_t line;
    memcpy(&line, b.data + 16, 4);
    ck_assert_uint_eq(line, 42);
    sb_free(&a);
    sb_free(&b);

    StrBuf out = {0};
    cmd = xasprintf("cd %s && ld -o prog main.o lib.o && ./prog", fx.dir);
    ck_assert_int_eq(run(cmd, &out), 38 + 42 + 11);
    xfree(cmd);
    sb_free(&out);
    xfree(main_o);
    xfree(first);
    fixture_free(&fx);
}
END_TEST

/* More than SHN_LORESERVE sections: extended section numbering, which readelf and ld
 * read (the last function's symbol and location section are beyond 0xff00). */
START_TEST(huge_module_uses_extended_section_numbers)
{
    Fixture fx;
    fixture_init(&fx, true);
    enum { COUNT = 16400 }; /* four sections each */
    CodeFunc **funcs = arena_new(&fx.arena, CodeFunc *, COUNT);
    for (uint32_t i = 0; i < COUNT; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%u", i);
        x64_begin(&fx.a, S(&fx, name));
        uint32_t loc = x64_loc(&fx.a, S(&fx, "src/big.rs"), i % 200, 1, 0);
        x64_rm(&fx.a, X64_MOV, 4, X64_RAX, x64_mem_loc(loc));
        x64_mi(&fx.a, X64_CMP, 4, x64_mem(X64_RIP, 0), 0);
        x64_rm(&fx.a, X64_MOV, 4, X64_RAX, (X64Mem){X64_RIP, X64_NOREG, 1, X64_MEM_LOC, 16, loc});
        x64_ret(&fx.a);
        funcs[i] = x64_finish(&fx.a, &fx.arena);
    }
    x64_begin(&fx.a, S(&fx, "_start"));
    x64_set_depth(&fx.a, 8);
    x64_call(&fx.a, S(&fx, "f16399"));
    x64_rr(&fx.a, X64_MOV, 4, X64_RDI, X64_RAX);
    x64_ri(&fx.a, X64_MOV, 4, X64_RAX, 60);
    x64_syscall(&fx.a);
    x64_ud2(&fx.a);
    CodeFunc *start = x64_finish(&fx.a, &fx.arena);
    ObjModule big = {&fx.names, "src/big.rs", funcs, COUNT, NULL, 0};
    ObjModule entry = {&fx.names, NULL, &start, 1, NULL, 0};
    char *err = NULL, *big_o = path_in(&fx, "big.o"), *entry_o = path_in(&fx, "entry.o");
    ck_assert_msg(obj_write(&big, big_o, &err), "%s", err);
    ck_assert_msg(obj_write(&entry, entry_o, &err), "%s", err);
    StrBuf out = {0};
    /* readelf -a takes seconds on 65k sections: headers and symbols say what matters */
    char *cmd = xasprintf("readelf -S -s -W %s 2>&1 >/dev/null | head -5; readelf -h %s | "
                          "grep -c 'Number of section headers: *0 (65606)'", big_o, big_o);
    ck_assert_int_eq(run(cmd, &out), 0);
    ck_assert_str_eq(sb_str(&out), "1\n");
    xfree(cmd);
    sb_clear(&out);
    cmd = xasprintf("cd %s && ld -o prog entry.o big.o && ./prog", fx.dir);
    ck_assert_int_eq(run(cmd, &out), 16399 % 200);
    xfree(cmd);
    sb_free(&out);
    xfree(big_o);
    xfree(entry_o);
    fixture_free(&fx);
}
END_TEST

START_TEST(write_failure_is_reported)
{
    Fixture fx;
    fixture_init(&fx, true);
    ObjModule empty = {&fx.names, NULL, NULL, 0, NULL, 0};
    char *err = NULL;
    ck_assert(!obj_write(&empty, "/nonexistent-dir/x.o", &err));
    ck_assert_ptr_nonnull(strstr(err, "could not write `/nonexistent-dir/x.o`"));
    xfree(err);
    /* an empty module is still a valid object */
    char *path = path_in(&fx, "empty.o");
    ck_assert(obj_write(&empty, path, &err));
    StrBuf out = {0};
    char *cmd = xasprintf("readelf -a -W %s", path);
    ck_assert_int_eq(run(cmd, &out), 0);
    ck_assert(!strstr(sb_str(&out), "Warning"));
    xfree(cmd);
    xfree(path);
    sb_free(&out);
    fixture_free(&fx);
}
END_TEST

Suite *x64obj_suite(void)
{
    Suite *s = suite_create("x64obj");
    TCase *tc = tcase_create("objects");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, objects_pass_readelf);
    tcase_add_test(tc, linked_program_runs);
    tcase_add_test(tc, same_module_same_bytes_and_lines_stay_out_of_code);
    tcase_add_test(tc, huge_module_uses_extended_section_numbers);
    tcase_add_test(tc, write_failure_is_reported);
    suite_add_tcase(s, tc);
    return s;
}

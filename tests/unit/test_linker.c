/* tests/unit/test_linker.c — the linker as ws uses it: in-memory inputs, messages
 * returned (never printed), outputs replaced atomically, several links in one process
 * and on several threads, and the command-line parser. Objects are built here, byte by
 * byte, so the tests need no compiler. */
#include "tests/unit/unit.h"

#include "linker/linker.h"

#include <elf.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------------------------------------------------------------- a tiny object writer */

/* An object with .text (code), .data (one pointer to _start), their relocations and a
 * symbol table: _start (global, .text) and, when `undefined` is set, a call to it. */
static void build_object(StrBuf *out, const char *undefined, int exit_code)
{
    /* _start: mov $60,%eax; mov $code,%edi; [call undefined]; syscall */
    uint8_t text[32];
    size_t tn = 0;
    const uint8_t mov_eax[] = {0xb8, 60, 0, 0, 0};
    memcpy(text + tn, mov_eax, sizeof mov_eax);
    tn += sizeof mov_eax;
    text[tn++] = 0xbf;
    memcpy(text + tn, &exit_code, 4);
    tn += 4;
    size_t call_at = 0;
    if (undefined) {
        text[tn++] = 0xe8;
        call_at = tn;
        memset(text + tn, 0, 4);
        tn += 4;
    }
    text[tn++] = 0x0f;
    text[tn++] = 0x05;

    const char shstr[] = "\0.text\0.data\0.rela.text\0.rela.data\0.symtab\0.strtab\0.note.GNU-stack";
    enum { N_TEXT = 1, N_DATA = 7, N_RELA_TEXT = 13, N_RELA_DATA = 24, N_SYMTAB = 35, N_STRTAB = 43, N_STACK = 51 };
    StrBuf strtab = {0};
    sb_putc(&strtab, 0);
    uint32_t start_name = (uint32_t)strtab.len;
    sb_puts(&strtab, "_start");
    sb_putc(&strtab, 0);
    uint32_t undef_name = (uint32_t)strtab.len;
    if (undefined) {
        sb_puts(&strtab, undefined);
        sb_putc(&strtab, 0);
    }
    Elf64_Sym syms[4] = {{0}};
    syms[1] = (Elf64_Sym){0, ELF64_ST_INFO(STB_LOCAL, STT_SECTION), 0, 1, 0, 0};
    syms[2] = (Elf64_Sym){start_name, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, 1, 0, tn};
    syms[3] = (Elf64_Sym){undef_name, ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), 0, SHN_UNDEF, 0, 0};
    uint32_t nsyms = undefined ? 4 : 3;
    Elf64_Rela rtext = {call_at, ELF64_R_INFO(3, R_X86_64_PLT32), -4};
    Elf64_Rela rdata = {0, ELF64_R_INFO(2, R_X86_64_64), 0};
    uint8_t data[8] = {0};

    /* Layout: header, then each section's bytes, then the section headers. */
    sb_clear(out);
    Elf64_Ehdr eh = {0};
    sb_append(out, &eh, sizeof eh);
    uint64_t off_text = out->len;
    sb_append(out, text, tn);
    while (out->len % 8) sb_putc(out, 0);
    uint64_t off_data = out->len;
    sb_append(out, data, sizeof data);
    uint64_t off_rtext = out->len;
    if (undefined)
        sb_append(out, &rtext, sizeof rtext);
    uint64_t off_rdata = out->len;
    sb_append(out, &rdata, sizeof rdata);
    uint64_t off_sym = out->len;
    sb_append(out, syms, sizeof(Elf64_Sym) * nsyms);
    uint64_t off_str = out->len;
    sb_append(out, strtab.data, strtab.len);
    uint64_t off_shstr = out->len;
    sb_append(out, shstr, sizeof shstr);
    while (out->len % 8) sb_putc(out, 0);
    uint64_t shoff = out->len;
    Elf64_Shdr sh[9] = {{0}};
    sh[1] = (Elf64_Shdr){N_TEXT, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0, off_text, tn, 0, 0, 16, 0};
    sh[2] = (Elf64_Shdr){N_DATA, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0, off_data, 8, 0, 0, 8, 0};
    sh[3] = (Elf64_Shdr){N_RELA_TEXT, SHT_RELA, SHF_INFO_LINK, 0, off_rtext, undefined ? sizeof rtext : 0, 6, 1, 8,
                         sizeof(Elf64_Rela)};
    sh[4] = (Elf64_Shdr){N_RELA_DATA, SHT_RELA, SHF_INFO_LINK, 0, off_rdata, sizeof rdata, 6, 2, 8, sizeof(Elf64_Rela)};
    sh[5] = (Elf64_Shdr){N_STACK, SHT_PROGBITS, 0, 0, off_shstr, 0, 0, 0, 1, 0};
    sh[6] = (Elf64_Shdr){N_SYMTAB, SHT_SYMTAB, 0, 0, off_sym, sizeof(Elf64_Sym) * nsyms, 7, 2, 8, sizeof(Elf64_Sym)};
    sh[7] = (Elf64_Shdr){N_STRTAB, SHT_STRTAB, 0, 0, off_str, strtab.len, 0, 0, 1, 0};
    sh[8] = (Elf64_Shdr){0, SHT_STRTAB, 0, 0, off_shstr, sizeof shstr, 0, 0, 1, 0};
    /* .shstrtab's name: reuse the empty string at 0 (a name is not required). */
    sb_append(out, sh, sizeof sh);
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_REL;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_shoff = shoff;
    eh.e_ehsize = sizeof eh;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = 9;
    eh.e_shstrndx = 8;
    memcpy(out->data, &eh, sizeof eh);
    sb_free(&strtab);
}

/* An ar archive with a GNU symbol index naming `sym` in its only member. */
static void build_archive(StrBuf *out, const StrBuf *member, const char *sym)
{
    sb_clear(out);
    sb_puts(out, "!<arch>\n");
    size_t index_size = 4 + 4 + strlen(sym) + 1;
    index_size += index_size & 1;
    uint32_t member_off = (uint32_t)(8 + 60 + index_size);
    char hdr[61];
    snprintf(hdr, sizeof hdr, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", "/", "0", "0", "0", "0", index_size);
    sb_append(out, hdr, 60);
    uint8_t be[4] = {0, 0, 0, 1};
    sb_append(out, be, 4);
    uint8_t off[4] = {(uint8_t)(member_off >> 24), (uint8_t)(member_off >> 16), (uint8_t)(member_off >> 8),
                      (uint8_t)member_off};
    sb_append(out, off, 4);
    sb_append(out, sym, strlen(sym) + 1);
    if (out->len & 1)
        sb_putc(out, '\n');
    snprintf(hdr, sizeof hdr, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", "start.o/", "0", "0", "0", "644", member->len);
    sb_append(out, hdr, 60);
    sb_append(out, member->data, member->len);
    if (out->len & 1)
        sb_putc(out, '\n');
}

/* Runs an executable and returns its exit status (-1 when it did not exit normally). */
static int run_exe(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(path, path, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void remove_dir(char *dir)
{
    unit_rmtree(dir);
    xfree(dir);
}

static bool messages_contain(const LdReport *rep, const char *needle)
{
    for (uint32_t i = 0; i < rep->messages.len; i++)
        if (strstr(rep->messages.data[i].text, needle))
            return true;
    return false;
}

/* ---------------------------------------------------------------- tests */

START_TEST(links_from_memory)
{
    char *dir = unit_tmpdir();
    char *out = xasprintf("%s/prog", dir);
    StrBuf obj = {0};
    build_object(&obj, NULL, 7);
    LdInput in = {.kind = LD_INPUT_FILE, .name = "memory.o", .data = obj.data, .size = obj.len};
    LdOptions opt = {.output = out, .inputs = &in, .ninputs = 1, .threads = 2};
    LdReport rep = {0};
    ck_assert_msg(ld_link(&opt, &rep), "link failed: %s", rep.messages.len ? rep.messages.data[0].text : "");
    ck_assert_uint_eq(rep.errors, 0);
    ck_assert_uint_eq(rep.objects, 1);
    ck_assert_uint_ge(rep.output_size, 4096);
    ck_assert_int_eq(run_exe(out), 7);
    ld_report_free(&rep);
    sb_free(&obj);
    xfree(out);
    remove_dir(dir);
}
END_TEST

START_TEST(errors_are_returned_and_output_kept)
{
    char *dir = unit_tmpdir();
    char *out = xasprintf("%s/prog", dir);
    char *werr = NULL;
    ck_assert(file_write_atomic(out, "previous", 8, false, &werr));
    StrBuf obj = {0};
    build_object(&obj, "not_defined_anywhere", 0);
    LdInput in = {.kind = LD_INPUT_FILE, .name = "needs.o", .data = obj.data, .size = obj.len};
    LdOptions opt = {.output = out, .inputs = &in, .ninputs = 1};
    LdReport rep = {0};
    ck_assert(!ld_link(&opt, &rep));
    ck_assert_uint_eq(rep.errors, 1);
    ck_assert_int_eq(rep.messages.data[0].level, LD_ERROR);
    ck_assert_str_eq(rep.messages.data[0].text,
                     "undefined symbol: not_defined_anywhere\n>>> referenced by needs.o:(.text+0xb)");
    char *data, *err;
    size_t len;
    ck_assert(file_read(out, &data, &len, &err));
    ck_assert_uint_eq(len, 8);
    ck_assert_mem_eq(data, "previous", 8);
    xfree(data);
    ld_report_free(&rep);

    /* A truncated buffer names its display name. */
    LdInput cut = {.kind = LD_INPUT_FILE, .name = "cut.o", .data = obj.data, .size = 100};
    opt.inputs = &cut;
    ck_assert(!ld_link(&opt, &rep));
    ck_assert(messages_contain(&rep, "`cut.o`: truncated or corrupt"));
    ld_report_free(&rep);
    sb_free(&obj);
    xfree(out);
    remove_dir(dir);
}
END_TEST

START_TEST(archive_from_memory)
{
    char *dir = unit_tmpdir();
    char *out = xasprintf("%s/prog", dir);
    StrBuf obj = {0}, ar = {0};
    build_object(&obj, NULL, 3);
    build_archive(&ar, &obj, "_start");
    LdInput in = {.kind = LD_INPUT_FILE, .name = "runtime.a", .data = ar.data, .size = ar.len};
    const char *undef[] = {"_start"};
    LdOptions opt = {.output = out, .inputs = &in, .ninputs = 1, .undefined = undef, .nundefined = 1};
    LdReport rep = {0};
    ck_assert_msg(ld_link(&opt, &rep), "%s", rep.messages.len ? rep.messages.data[0].text : "");
    ck_assert_uint_eq(rep.objects, 1);
    ck_assert_int_eq(run_exe(out), 3);
    ld_report_free(&rep);

    /* Without the -u, nothing pulls the member out: no objects, so no entry. */
    opt.nundefined = 0;
    ck_assert(ld_link(&opt, &rep));
    ck_assert_uint_eq(rep.objects, 0);
    ck_assert(messages_contain(&rep, "cannot find entry symbol _start"));
    ld_report_free(&rep);
    sb_free(&obj);
    sb_free(&ar);
    xfree(out);
    remove_dir(dir);
}
END_TEST

typedef struct ThreadLink {
    const StrBuf *obj;
    char *out;
    bool ok;
} ThreadLink;

static void *link_thread(void *arg)
{
    ThreadLink *t = arg;
    for (int i = 0; i < 5; i++) {
        LdInput in = {.kind = LD_INPUT_FILE, .name = "memory.o", .data = t->obj->data, .size = t->obj->len};
        LdOptions opt = {.output = t->out, .inputs = &in, .ninputs = 1, .build_id = LD_BUILD_ID_FAST};
        LdReport rep = {0};
        t->ok = ld_link(&opt, &rep);
        ld_report_free(&rep);
        if (!t->ok)
            break;
    }
    return NULL;
}

START_TEST(links_concurrently_and_deterministically)
{
    char *dir = unit_tmpdir();
    StrBuf obj = {0};
    build_object(&obj, NULL, 5);
    ThreadLink t[2] = {{&obj, xasprintf("%s/a", dir), false}, {&obj, xasprintf("%s/b", dir), false}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, link_thread, &t[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    ck_assert(t[0].ok && t[1].ok);
    char *a, *b, *err;
    size_t alen, blen;
    ck_assert(file_read(t[0].out, &a, &alen, &err));
    ck_assert(file_read(t[1].out, &b, &blen, &err));
    ck_assert_uint_eq(alen, blen);
    ck_assert_mem_eq(a, b, alen);
    ck_assert_int_eq(run_exe(t[0].out), 5);
    xfree(a);
    xfree(b);
    for (int i = 0; i < 2; i++)
        xfree(t[i].out);
    sb_free(&obj);
    remove_dir(dir);
}
END_TEST

START_TEST(parses_gcc_command_line)
{
    char *argv[] = {"ld", "-plugin", "/x/liblto_plugin.so", "-plugin-opt=-fresolution=/tmp/a.res",
                    "--build-id", "-m", "elf_x86_64", "--hash-style=gnu", "--as-needed", "-static", "-o", "out",
                    "crt1.o", "-L/usr/lib", "-Lother", "main.o", "--start-group", "-lgcc", "-lc", "--end-group",
                    "-z", "noexecstack", "-e", "begin", "--defsym=x=1", "-u", "must", "--threads=3"};
    int argc = (int)ARRAY_LEN(argv);
    LdArgs args;
    LdReport rep = {0};
    ck_assert(ld_parse_args(argc, argv, &args, &rep));
    const LdOptions *o = &args.opts;
    ck_assert_str_eq(o->output, "out");
    ck_assert_str_eq(o->entry, "begin");
    ck_assert_int_eq(o->build_id, LD_BUILD_ID_FAST);
    ck_assert(o->no_exec_stack);
    ck_assert_uint_eq(o->threads, 3);
    ck_assert_uint_ge(o->nlib_paths, 3);  /* -L paths, then GNU ld's default directories */
    ck_assert_str_eq(o->lib_paths[0], "/usr/lib");
    ck_assert_str_eq(o->lib_paths[1], "other");
    ck_assert_str_eq(o->lib_paths[2], "/usr/local/lib/x86_64-linux-gnu");
    ck_assert_uint_eq(o->ninputs, 6);
    ck_assert_int_eq(o->inputs[2].kind, LD_INPUT_GROUP_START);
    ck_assert_int_eq(o->inputs[3].kind, LD_INPUT_LIBRARY);
    ck_assert_str_eq(o->inputs[3].name, "gcc");
    ck_assert_uint_eq(o->ndefsyms, 1);
    ck_assert_str_eq(o->undefined[0], "must");
    ld_args_free(&args);

    char *bad[] = {"ld", "--no-such-flag", "-pie", "-o"};
    ck_assert(!ld_parse_args(4, bad, &args, &rep));
    ck_assert_uint_eq(rep.errors, 3);
    ck_assert_str_eq(rep.messages.data[0].text, "unknown option: --no-such-flag");
    ld_args_free(&args);
    ld_report_free(&rep);
}
END_TEST

Suite *linker_suite(void)
{
    Suite *s = suite_create("linker");
    TCase *tc = tcase_create("library");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, links_from_memory);
    tcase_add_test(tc, errors_are_returned_and_output_kept);
    tcase_add_test(tc, archive_from_memory);
    tcase_add_test(tc, links_concurrently_and_deterministically);
    tcase_add_test(tc, parses_gcc_command_line);
    suite_add_tcase(s, tc);
    return s;
}

/* tests/unit/test_rtobjects.c — the runtime objects embedded in ws (rt_objects()):
 * x86-64 relocatable ELF files that together define the runtime's ABI (rt.h) and
 * need nothing from outside but the entry point generated code provides. */
#include "tests/unit/unit.h"

#include <gelf.h>
#include <libelf.h>
#include <string.h>

#include "backend/runtime/rt_objects.h"

/* Symbol names defined (global) and undefined across all runtime objects. */
typedef struct Symbols {
    Vec(char *) defined;
    Vec(char *) undefined;
} Symbols;

static bool contains(char **names, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static void collect(const RtObject *obj, Symbols *syms)
{
    Elf *elf = elf_memory((char *)obj->data, obj->size);
    ck_assert_ptr_nonnull(elf);
    ck_assert_int_eq(elf_kind(elf), ELF_K_ELF);
    GElf_Ehdr eh;
    ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
    ck_assert_int_eq(eh.e_ident[EI_CLASS], ELFCLASS64);
    ck_assert_int_eq(eh.e_type, ET_REL);
    ck_assert_int_eq(eh.e_machine, EM_X86_64);
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        gelf_getshdr(scn, &sh);
        if (sh.sh_type != SHT_SYMTAB)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        for (size_t i = 1; i < sh.sh_size / sh.sh_entsize; i++) {
            GElf_Sym sym;
            gelf_getsym(data, (int)i, &sym);
            if (GELF_ST_BIND(sym.st_info) == STB_LOCAL)
                continue;
            char *name = xstrdup(elf_strptr(elf, sh.sh_link, sym.st_name));
            if (sym.st_shndx == SHN_UNDEF)
                vec_push(&syms->undefined, name);
            else
                vec_push(&syms->defined, name);
        }
    }
    elf_end(elf);
}

START_TEST(objects_are_self_contained)
{
    elf_version(EV_CURRENT);
    size_t count = 0;
    const RtObject *objs = rt_objects(&count);
    ck_assert_uint_ge(count, 1);
    Symbols syms = {0};
    for (size_t i = 0; i < count; i++) {
        ck_assert_int_eq(strncmp(objs[i].name, "rt/", 3), 0);
        ck_assert_uint_eq((uintptr_t)objs[i].data % 16, 0);
        collect(&objs[i], &syms);
    }
    static const char *const abi[] = {
        "_start", "rt_print", "rt_eprint", "rt_print_str", "rt_eprint_str", "rt_exit",
        "rt_panic", "rt_panic_str", "rt_panic_bounds", "rt_panic_assert_cmp",
        "rt_panic_add_overflow", "rt_panic_shr_overflow", "rt_fmt_i128", "rt_fmt_usize",
        "rt_fmt_str", "rt_fmt_char", "rt_fmt_bool", "rt_fmt_unit", "rt_fmt_debug_struct",
        "rt_fmt_debug_array", "rt_fmt_debug_slice", "rt_fmt_deref", "rt_u128_mul",
        "rt_i128_rem", "memcpy", "memset",
    };
    for (size_t i = 0; i < ARRAY_LEN(abi); i++)
        ck_assert_msg(contains(syms.defined.data, syms.defined.len, abi[i]), "%s is missing", abi[i]);
    /* Everything a runtime object needs comes from another one, but the entry point. */
    for (uint32_t i = 0; i < syms.undefined.len; i++) {
        const char *name = syms.undefined.data[i];
        ck_assert_msg(strcmp(name, "__ws_main") == 0 ||
                          contains(syms.defined.data, syms.defined.len, name),
                      "runtime needs undefined symbol %s", name);
    }
    ck_assert(contains(syms.undefined.data, syms.undefined.len, "__ws_main"));
    vec_foreach(&syms.defined, it) xfree(*it);
    vec_foreach(&syms.undefined, it) xfree(*it);
    vec_free(&syms.defined);
    vec_free(&syms.undefined);
}
END_TEST

Suite *rtobjects_suite(void)
{
    Suite *s = suite_create("rtobjects");
    TCase *tc = tcase_create("embed");
    tcase_add_test(tc, objects_are_self_contained);
    suite_add_tcase(s, tc);
    return s;
}

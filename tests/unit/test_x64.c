/* tests/unit/test_x64.c — the x86-64 encoder: bytes and relocations against GNU as for
 * the same instructions (Intel syntax), labels and jumps, and the invariant checks. */
#include "tests/unit/unit.h"

#include "backend/backend.h"

#include <fcntl.h>
#include <gelf.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------------------------------------------------------- harness */

/* What `as` made of a source: .text bytes and its relocations, as text lines
 * "offset kind symbol addend". */
typedef struct Assembled {
    StrBuf text;
    StrBuf relocs;
} Assembled;

static const char *reloc_name(uint32_t type)
{
    for (int k = 0; k < RELOC_KIND_COUNT; k++)
        if (reloc_info[k].elf_type == type)
            return reloc_info[k].name;
    return "?";
}

/* Assembles Intel-syntax source with GNU as; fails the test when as fails. */
static void assemble(const char *src, Assembled *out)
{
    char *dir = unit_tmpdir();
    char *s_path = xasprintf("%s/t.s", dir), *o_path = xasprintf("%s/t.o", dir);
    FILE *f = fopen(s_path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, ".intel_syntax noprefix\n.text\n%s", src);
    fclose(f);
    char *cmd = xasprintf("as --64 -o %s %s", o_path, s_path);
    ck_assert_msg(system(cmd) == 0, "as failed (is binutils installed?)");
    xfree(cmd);

    elf_version(EV_CURRENT);
    int fd = open(o_path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    ck_assert_ptr_nonnull(elf);
    size_t shstrndx;
    elf_getshdrstrndx(elf, &shstrndx);
    Elf_Scn *scn = NULL, *symtab = NULL;
    size_t text_index = 0;
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        gelf_getshdr(scn, &sh);
        const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
        if (strcmp(name, ".text") == 0) {
            Elf_Data *d = elf_getdata(scn, NULL);
            if (d && d->d_buf)
                sb_append(&out->text, d->d_buf, d->d_size);
            text_index = elf_ndxscn(scn);
        }
        if (sh.sh_type == SHT_SYMTAB)
            symtab = scn;
    }
    scn = NULL;
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        gelf_getshdr(scn, &sh);
        if (sh.sh_type != SHT_RELA || sh.sh_info != text_index)
            continue;
        GElf_Shdr symsh;
        gelf_getshdr(symtab, &symsh);
        Elf_Data *syms = elf_getdata(symtab, NULL), *d = elf_getdata(scn, NULL);
        for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
            GElf_Rela r;
            GElf_Sym sym;
            gelf_getrela(d, (int)i, &r);
            gelf_getsym(syms, (int)GELF_R_SYM(r.r_info), &sym);
            sb_printf(&out->relocs, "%llu %s %s %lld\n", (unsigned long long)r.r_offset,
                      reloc_name((uint32_t)GELF_R_TYPE(r.r_info)),
                      elf_strptr(elf, symsh.sh_link, sym.st_name), (long long)r.r_addend);
        }
    }
    elf_end(elf);
    close(fd);
    cmd = xasprintf("rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    xfree(cmd);
    xfree(s_path);
    xfree(o_path);
    xfree(dir);
}

/* A list of instructions emitted by the encoder, each with the text `as` gets. */
typedef struct Case {
    uint32_t start;
    char *text;
} Case;

typedef struct Cases {
    X64Asm a;
    Arena arena;
    Interner names;
    StrBuf src;
    Vec(Case) list;
    uint32_t start;
} Cases;

static void cases_init(Cases *t)
{
    memset(t, 0, sizeof *t);
    arena_init(&t->arena);
    intern_init(&t->names, &t->arena);
    x64_init(&t->a, &t->names);
    t->a.checks = false; /* these sequences do not keep a stack discipline */
    x64_begin(&t->a, intern_cstr(&t->names, "test"));
}

static void cases_free(Cases *t)
{
    vec_foreach(&t->list, c) xfree(c->text);
    vec_free(&t->list);
    sb_free(&t->src);
    x64_free(&t->a);
    intern_free(&t->names);
    arena_free(&t->arena);
}

/* Marks where the next instruction starts. */
#define AT(t) ((t)->start = x64_offset(&(t)->a))
/* Emits one instruction with `call` and records the asm text that must match it. */
#define EMIT(t, call, ...)                                                                         \
    do {                                                                                           \
        AT(t);                                                                                     \
        call;                                                                                      \
        as_text(t, __VA_ARGS__);                                                                   \
    } while (0)

/* Records the instruction emitted since AT(), described by printf-style asm text. */
__attribute__((format(printf, 2, 3))) static void as_text(Cases *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    StrBuf line = {0};
    sb_vprintf(&line, fmt, ap);
    va_end(ap);
    sb_printf(&t->src, "%s\n", sb_str(&line));
    vec_push(&t->list, ((Case){t->start, line.data}));
}

/* Binds a label in both the encoder and the asm text. */
static void bind(Cases *t, X64Label l)
{
    x64_bind(&t->a, l);
    sb_printf(&t->src, ".L%u:\n", l);
}

static Sym sym(Cases *t, const char *s) { return intern_cstr(&t->names, s); }

/* Compares the encoder's bytes and relocations with as's; names the first differing
 * instruction. */
static void check_cases(Cases *t)
{
    Assembled as = {0};
    assemble(sb_str(&t->src), &as);
    const uint8_t *ours = t->a.code.data, *theirs = (const uint8_t *)as.text.data;
    uint32_t n = t->a.code.len;
    size_t m = as.text.len;
    for (uint32_t i = 0; i < t->list.len; i++) {
        uint32_t lo = t->list.data[i].start;
        uint32_t hi = i + 1 < t->list.len ? t->list.data[i + 1].start : n;
        bool same = hi <= m && memcmp(ours + lo, theirs + lo, hi - lo) == 0;
        if (!same) {
            StrBuf msg = {0};
            sb_printf(&msg, "`%s` at %u: ours", t->list.data[i].text, lo);
            for (uint32_t k = lo; k < hi; k++)
                sb_printf(&msg, " %02x", ours[k]);
            sb_puts(&msg, ", as");
            for (uint32_t k = lo; k < hi + 4 && k < m; k++)
                sb_printf(&msg, " %02x", theirs[k]);
            ck_abort_msg("%s", sb_str(&msg));
        }
    }
    ck_assert_uint_eq(n, m);
    StrBuf relocs = {0};
    vec_foreach(&t->a.relocs, r)
        sb_printf(&relocs, "%u %s %s %lld\n", r->offset, reloc_info[r->kind].name,
                  sym_str(&t->names, r->sym), (long long)r->addend);
    ck_assert_str_eq(sb_str(&relocs), sb_str(&as.relocs));
    sb_free(&relocs);
    sb_free(&as.text);
    sb_free(&as.relocs);
}

static const char *size_ptr(int size)
{
    return size == 1 ? "BYTE PTR" : size == 2 ? "WORD PTR" : size == 4 ? "DWORD PTR" : "QWORD PTR";
}

/* Intel text of a plain memory operand. */
static char *mem_text(X64Mem m)
{
    StrBuf sb = {0};
    sb_putc(&sb, '[');
    bool any = false;
    if (m.base != X64_NOREG) {
        sb_puts(&sb, x64_reg_name(m.base, 8));
        any = true;
    }
    if (m.index != X64_NOREG) {
        sb_printf(&sb, "%s%s*%u", any ? "+" : "", x64_reg_name(m.index, 8), m.scale);
        any = true;
    }
    if (m.disp || !any)
        sb_printf(&sb, "%s%d", any && m.disp >= 0 ? "+" : "", m.disp);
    sb_putc(&sb, ']');
    return sb.data;
}

static const int sizes[4] = {1, 2, 4, 8};

/* ---------------------------------------------------------------- cases */

START_TEST(memory_operands_match_as)
{
    Cases t;
    cases_init(&t);
    static const int32_t disps[] = {0, 8, -128, 127, 128, -129, 0x12345678};
    static const int idx[] = {X64_NOREG, X64_RAX, X64_RBP, X64_R12, X64_R13, X64_R15};
    for (int base = 0; base <= X64_NOREG; base++) {
        if (base == X64_RIP)
            continue;
        for (unsigned i = 0; i < ARRAY_LEN(idx); i++)
            for (int scale = 1; scale <= 8; scale *= 2)
                for (unsigned d = 0; d < ARRAY_LEN(disps); d++) {
                    if (idx[i] == X64_NOREG && scale > 1)
                        continue;
                    if (base == X64_NOREG && idx[i] == X64_NOREG && disps[d] == 0)
                        continue;
                    X64Mem m = x64_mem_index(base, idx[i], scale, disps[d]);
                    X64Reg r = (X64Reg)((base + i + d) % 16);
                    char *mt = mem_text(m);
                    EMIT(&t, x64_rm(&t.a, X64_MOV, 8, r, m), "mov %s, QWORD PTR %s",
                         x64_reg_name(r, 8), mt);
                    EMIT(&t, x64_mr(&t.a, X64_MOV, 4, m, r), "mov DWORD PTR %s, %s", mt,
                         x64_reg_name(r, 4));
                    xfree(mt);
                }
    }
    /* RIP-relative: plain displacement, and a symbol with and without trailing imm */
    EMIT(&t, x64_rm(&t.a, X64_LEA, 8, X64_RDI, x64_mem(X64_RIP, 0x40)), "lea rdi, [rip+0x40]");
    EMIT(&t, x64_rm(&t.a, X64_LEA, 8, X64_R9, x64_mem_sym(sym(&t, "msg"), 8)),
         "lea r9, [rip+msg+8]");
    EMIT(&t, x64_mi(&t.a, X64_CMP, 4, x64_mem_sym(sym(&t, "counter"), 0), 5),
         "cmp DWORD PTR [rip+counter], 5");
    EMIT(&t, x64_mi(&t.a, X64_MOV, 8, x64_mem_sym(sym(&t, "counter"), -8), 1000),
         "mov QWORD PTR [rip+counter-8], 1000");
    EMIT(&t, x64_mi(&t.a, X64_MOV, 2, x64_mem_sym(sym(&t, "w"), 0), 1000),
         "mov WORD PTR [rip+w], 1000");
    EMIT(&t,
         x64_rm(&t.a, X64_MOV, 8, X64_RAX,
                (X64Mem){X64_NOREG, X64_RCX, 8, X64_MEM_SYMBOL, 16, sym(&t, "table")}),
         "mov rax, QWORD PTR [table+16+rcx*8]");
    check_cases(&t);
    cases_free(&t);
}
END_TEST

START_TEST(register_forms_match_as)
{
    Cases t;
    cases_init(&t);
    static const X64Op binops[] = {X64_ADD, X64_OR,  X64_ADC, X64_SBB,  X64_AND,
                                   X64_SUB, X64_XOR, X64_CMP, X64_TEST, X64_MOV};
    for (unsigned o = 0; o < ARRAY_LEN(binops); o++)
        for (int s = 0; s < 4; s++)
            for (int d = 0; d < 16; d++) {
                int r = (d * 7 + o + s) % 16, size = sizes[s];
                X64Op op = binops[o];
                const char *dn = x64_reg_name(d, size), *rn = x64_reg_name(r, size);
                EMIT(&t, x64_rr(&t.a, op, size, d, r), "%s %s, %s", x64_op_name(op), dn, rn);
                X64Mem m = x64_mem_index(r, d == X64_RSP ? X64_NOREG : d, 2, d * 3 - 20);
                char *mt = mem_text(m);
                EMIT(&t, x64_mr(&t.a, op, size, m, r), "%s %s %s, %s", x64_op_name(op),
                     size_ptr(size), mt, rn);
                if (op != X64_TEST) {
                    EMIT(&t, x64_rm(&t.a, op, size, d, m), "%s %s, %s %s", x64_op_name(op), dn,
                         size_ptr(size), mt);
                }
                static const int64_t imms[] = {1,   -1,   127,    -128,       128,
                                               255, 1000, -30000, 0x12345678, -0x12345678};
                for (unsigned i = 0; i < ARRAY_LEN(imms); i++) {
                    int64_t v = imms[i];
                    if ((size == 1 && (v < -128 || v > 255)) ||
                        (size == 2 && (v < -32768 || v > 65535)))
                        continue;
                    if ((d + i) % 3 && d != X64_RAX)
                        continue; /* keep the list short; rax (accumulator forms) always */
                    EMIT(&t, x64_ri(&t.a, op, size, d, v), "%s %s, %lld", x64_op_name(op), dn,
                         (long long)v);
                    EMIT(&t, x64_mi(&t.a, op, size, m, v), "%s %s %s, %lld", x64_op_name(op),
                         size_ptr(size), mt, (long long)v);
                }
                xfree(mt);
            }
    check_cases(&t);
    cases_free(&t);
}
END_TEST

START_TEST(unary_shift_and_extend_forms_match_as)
{
    Cases t;
    cases_init(&t);
    static const X64Op unops[] = {X64_NOT, X64_NEG,  X64_MUL, X64_IMUL,
                                  X64_DIV, X64_IDIV, X64_INC, X64_DEC};
    static const X64Op shifts[] = {X64_SHL, X64_SHR, X64_SAR, X64_ROL, X64_ROR};
    for (int s = 0; s < 4; s++)
        for (int r = 0; r < 16; r++) {
            int size = sizes[s];
            const char *rn = x64_reg_name(r, size);
            X64Mem m = x64_mem(r, r * 4);
            char *mt = mem_text(m);
            for (unsigned o = 0; o < ARRAY_LEN(unops); o++) {
                EMIT(&t, x64_r(&t.a, unops[o], size, r), "%s %s", x64_op_name(unops[o]), rn);
                EMIT(&t, x64_m(&t.a, unops[o], size, m), "%s %s %s", x64_op_name(unops[o]),
                     size_ptr(size), mt);
            }
            for (unsigned o = 0; o < ARRAY_LEN(shifts); o++) {
                const char *name = x64_op_name(shifts[o]);
                EMIT(&t, x64_r(&t.a, shifts[o], size, r), "%s %s, cl", name, rn);
                EMIT(&t, x64_ri(&t.a, shifts[o], size, r, 1), "%s %s, 1", name, rn);
                EMIT(&t, x64_ri(&t.a, shifts[o], size, r, r + 2), "%s %s, %d", name, rn, r + 2);
                EMIT(&t, x64_mi(&t.a, shifts[o], size, m, 63), "%s %s %s, 63", name, size_ptr(size),
                     mt);
            }
            if (size >= 2) {
                int d = (r + 5) % 16;
                const char *dn = x64_reg_name(d, size);
                EMIT(&t, x64_rr(&t.a, X64_IMUL, size, d, r), "imul %s, %s", dn, rn);
                EMIT(&t, x64_rm(&t.a, X64_IMUL, size, d, m), "imul %s, %s %s", dn, size_ptr(size),
                     mt);
                EMIT(&t, x64_imul_imm(&t.a, size, d, r, 100), "imul %s, %s, 100", dn, rn);
                EMIT(&t, x64_imul_imm(&t.a, size, d, r, size == 2 ? 1000 : 100000),
                     "imul %s, %s, %d", dn, rn, size == 2 ? 1000 : 100000);
                EMIT(&t, x64_imul_mem_imm(&t.a, size, d, m, -3), "imul %s, %s %s, -3", dn,
                     size_ptr(size), mt);
                EMIT(&t, x64_rr(&t.a, X64_MOVZX8, size, d, r), "movzx %s, %s", dn,
                     x64_reg_name(r, 1));
                EMIT(&t, x64_rm(&t.a, X64_MOVSX8, size, d, m), "movsx %s, BYTE PTR %s", dn, mt);
                for (int c = 0; c < 16; c++) {
                    EMIT(&t, x64_cmov(&t.a, (X64Cond)c, size, d, (r + c) % 16), "cmov%s %s, %s",
                         x64_cond_name(c), dn, x64_reg_name((r + c) % 16, size));
                }
                EMIT(&t, x64_cmov_m(&t.a, X64_CC_L, size, d, m), "cmovl %s, %s %s", dn,
                     size_ptr(size), mt);
            }
            if (size >= 4) {
                int d = (r + 3) % 16;
                const char *dn = x64_reg_name(d, size);
                EMIT(&t, x64_rr(&t.a, X64_MOVZX16, size, d, r), "movzx %s, %s", dn,
                     x64_reg_name(r, 2));
                EMIT(&t, x64_rr(&t.a, X64_MOVSX16, size, d, r), "movsx %s, %s", dn,
                     x64_reg_name(r, 2));
                EMIT(&t, x64_rm(&t.a, X64_MOVZX16, size, d, m), "movzx %s, WORD PTR %s", dn, mt);
                EMIT(&t, x64_rr(&t.a, X64_MOVSX8, size, d, r), "movsx %s, %s", dn,
                     x64_reg_name(r, 1));
                EMIT(&t, x64_rm(&t.a, X64_LEA, size, d, m), "lea %s, %s", dn, mt);
            }
            if (size == 8) {
                int d = (r + 9) % 16;
                EMIT(&t, x64_rr(&t.a, X64_MOVSXD, 8, d, r), "movsxd %s, %s", x64_reg_name(d, 8),
                     x64_reg_name(r, 4));
                EMIT(&t, x64_rm(&t.a, X64_MOVSXD, 8, d, m), "movsxd %s, DWORD PTR %s",
                     x64_reg_name(d, 8), mt);
                EMIT(&t, x64_r(&t.a, X64_PUSH, 8, r), "push %s", rn);
                EMIT(&t, x64_r(&t.a, X64_POP, 8, r), "pop %s", rn);
                EMIT(&t, x64_m(&t.a, X64_PUSH, 8, m), "push QWORD PTR %s", mt);
                EMIT(&t, x64_m(&t.a, X64_POP, 8, m), "pop QWORD PTR %s", mt);
                EMIT(&t, x64_r(&t.a, X64_CALL, 8, r), "call %s", rn);
                EMIT(&t, x64_m(&t.a, X64_CALL, 8, m), "call QWORD PTR %s", mt);
                EMIT(&t, x64_r(&t.a, X64_JMP, 8, r), "jmp %s", rn);
                EMIT(&t, x64_m(&t.a, X64_JMP, 8, m), "jmp QWORD PTR %s", mt);
                EMIT(&t, x64_movabs(&t.a, r, 0x123456789abcdef0ull),
                     "movabs %s, 0x123456789abcdef0", rn);
                EMIT(&t, x64_ri(&t.a, X64_MOV, 8, r, 0x80000000ll), "mov %s, 0x80000000",
                     x64_reg_name(r, 4));
                EMIT(&t, x64_ri(&t.a, X64_MOV, 8, r, -0x80000001ll), "movabs %s, -0x80000001", rn);
                for (int c = 0; c < 16; c++) {
                    EMIT(&t, x64_setcc(&t.a, (X64Cond)c, (r + c) % 16), "set%s %s",
                         x64_cond_name(c), x64_reg_name((r + c) % 16, 1));
                }
                EMIT(&t, x64_setcc_m(&t.a, X64_CC_NE, m), "setne BYTE PTR %s", mt);
            }
            xfree(mt);
        }
    EMIT(&t, x64_movabs_sym(&t.a, X64_R11, sym(&t, "distant"), 24),
         "movabs r11, OFFSET distant+24");
    EMIT(&t, x64_push_imm(&t.a, 5), "push 5");
    EMIT(&t, x64_push_imm(&t.a, -70000), "push -70000");
    struct {
        void (*fn)(X64Asm *);
        const char *text;
    } fixed[] = {
        {x64_ret, "ret"},
        {x64_leave, "leave"},
        {x64_cqo, "cqo"},
        {x64_cdq, "cdq"},
        {x64_cwd, "cwd"},
        {x64_syscall, "syscall"},
        {x64_ud2, "ud2"},
        {x64_int3, "int3"},
        {x64_rep_movsb, "rep movsb"},
        {x64_rep_stosb, "rep stosb"},
    };
    for (unsigned i = 0; i < ARRAY_LEN(fixed); i++) {
        EMIT(&t, fixed[i].fn(&t.a), "%s", fixed[i].text);
    }
    static const char *const stos[] = {"", "rep stosb", "rep stosw", "", "rep stosd", "", "", "", "rep stosq"};
    for (int s = 1; s <= 8; s *= 2)
        EMIT(&t, x64_rep_stos(&t.a, s), "%s", stos[s]);
    EMIT(&t, x64_shld_cl(&t.a, X64_RDX, X64_RAX), "shld rdx, rax, cl");
    EMIT(&t, x64_shrd_cl(&t.a, X64_RAX, X64_RDX), "shrd rax, rdx, cl");
    EMIT(&t, x64_shld_cl(&t.a, X64_R9, X64_R14), "shld r9, r14, cl");
    EMIT(&t, x64_shrd_cl(&t.a, X64_R12, X64_RBX), "shrd r12, rbx, cl");
    EMIT(&t, x64_call(&t.a, sym(&t, "callee")), "call callee");
    EMIT(&t, x64_jmp_sym(&t.a, sym(&t, "tail")), "jmp tail");
    check_cases(&t);
    cases_free(&t);
}
END_TEST

START_TEST(jumps_and_labels_match_as)
{
    Cases t;
    cases_init(&t);
    X64Label top = x64_label(&t.a), fwd = x64_label(&t.a), near = x64_label(&t.a);
    X64Label tbl = x64_label(&t.a);
    bind(&t, top);
    for (int c = 0; c < 16; c++) {
        EMIT(&t, x64_jcc(&t.a, (X64Cond)c, fwd), "{disp32} j%s .L%u", x64_cond_name(c), fwd);
        /* rel8 while near enough, then rel32 */
        EMIT(&t, x64_jcc(&t.a, (X64Cond)c, top), "j%s .L%u", x64_cond_name(c), top);
    }
    for (int c = 0; c < 16; c++) {
        EMIT(&t, x64_jcc_short(&t.a, (X64Cond)c, near), "j%s .L%u", x64_cond_name(c), near);
    }
    EMIT(&t, x64_jmp_short(&t.a, near), "jmp .L%u", near);
    EMIT(&t, x64_rm(&t.a, X64_LEA, 8, X64_RCX, x64_mem_label(tbl)), "lea rcx, [rip+.L%u]", tbl);
    EMIT(&t, x64_mi(&t.a, X64_CMP, 1, x64_mem_label(tbl), 7), "cmp BYTE PTR [rip+.L%u], 7", tbl);
    bind(&t, near);
    EMIT(&t, x64_jmp(&t.a, top), "jmp .L%u", top);
    EMIT(&t, x64_jmp(&t.a, fwd), "{disp32} jmp .L%u", fwd);
    /* padding that as sees as the same bytes: it belongs to the previous case */
    x64_nop(&t.a, 200);
    for (uint32_t k = x64_offset(&t.a) - 200; k < x64_offset(&t.a); k++)
        sb_printf(&t.src, ".byte 0x%02x\n", t.a.code.data[k]);
    EMIT(&t, x64_jcc(&t.a, X64_CC_E, top), "je .L%u", top); /* beyond rel8: rel32 back */
    EMIT(&t, x64_rm(&t.a, X64_LEA, 8, X64_RDX, x64_mem_label(top)), "lea rdx, [rip+.L%u]", top);
    bind(&t, fwd);
    bind(&t, tbl);
    EMIT(&t, x64_call_label(&t.a, top), "call .L%u", top);
    ck_assert_uint_eq(t.a.pending, 0);
    check_cases(&t);
    cases_free(&t);
}
END_TEST

/* The nops decode as single nop instructions of the expected lengths. */
START_TEST(nops_are_the_recommended_ones)
{
    Cases t;
    cases_init(&t);
    static const char *const expect[] = {"",
                                         "nop",
                                         "xchg   ax,ax",
                                         "nop    DWORD PTR [rax]",
                                         "nop    DWORD PTR [rax+0x0]",
                                         "nop    DWORD PTR [rax+rax*1+0x0]",
                                         "nop    WORD PTR [rax+rax*1+0x0]",
                                         "nop    DWORD PTR [rax+0x0]",
                                         "nop    DWORD PTR [rax+rax*1+0x0]",
                                         "nop    WORD PTR [rax+rax*1+0x0]"};
    for (uint32_t n = 1; n <= 9; n++) {
        x64_begin(&t.a, sym(&t, "nops"));
        x64_nop(&t.a, n);
        ck_assert_uint_eq(x64_offset(&t.a), n);
        sb_clear(&t.src);
        for (uint32_t k = 0; k < n; k++)
            sb_printf(&t.src, ".byte 0x%02x\n", t.a.code.data[k]);
        char *dir = unit_tmpdir();
        char *cmd = xasprintf("cd %s && printf '.text\\n%s' > n.s && as -o n.o n.s && "
                              "objdump -d -M intel n.o | grep -c '^ *0:' > count && "
                              "objdump -d -M intel n.o | grep '^ *0:' | cut -f3 > insn",
                              dir, sb_str(&t.src));
        ck_assert_int_eq(system(cmd), 0);
        xfree(cmd);
        char *path = xasprintf("%s/insn", dir), *text, *err;
        size_t len;
        ck_assert(file_read(path, &text, &len, &err));
        while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
            text[--len] = 0;
        ck_assert_str_eq(text, expect[n]);
        xfree(text);
        xfree(path);
        cmd = xasprintf("rm -rf %s", dir);
        ck_assert_int_eq(system(cmd), 0);
        xfree(cmd);
        xfree(dir);
    }
    cases_free(&t);
}
END_TEST

/* Stack allocation with probes: no probe up to a page, probes unrolled for a few pages,
 * then rustc's loop through r11 (the same instructions as LLVM's inline probes). */
START_TEST(stack_alloc_matches_as)
{
    Cases t;
    cases_init(&t);
    EMIT(&t, x64_stack_alloc(&t.a, 16), "sub rsp, 16");
    EMIT(&t, x64_stack_alloc(&t.a, X64_PAGE), "sub rsp, 4096");
    EMIT(&t, x64_stack_alloc(&t.a, X64_PAGE + 16),
         "sub rsp, 4096\nmov QWORD PTR [rsp], 0\nsub rsp, 16");
    EMIT(&t, x64_stack_alloc(&t.a, 3 * X64_PAGE),
         "sub rsp, 4096\nmov QWORD PTR [rsp], 0\nsub rsp, 4096\nmov QWORD PTR [rsp], 0\n"
         "sub rsp, 4096");
    static const uint32_t looped[] = {3 * X64_PAGE + 16, 2400048, 586 * X64_PAGE};
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t probes = (looped[i] - 1) / X64_PAGE;
        EMIT(&t, x64_stack_alloc(&t.a, looped[i]),
             "mov r11, rsp\nsub r11, %u\n1: sub rsp, 4096\nmov QWORD PTR [rsp], 0\n"
             "cmp rsp, r11\njne 1b\nsub rsp, %u", probes * X64_PAGE, looped[i] - probes * X64_PAGE);
    }
    check_cases(&t);
    cases_free(&t);
}
END_TEST

/* An assembler with the checks on, with its arena and names. */
typedef struct Checked {
    Arena arena;
    Interner names;
    X64Asm a;
} Checked;

static void checked_init(Checked *c)
{
    arena_init(&c->arena);
    intern_init(&c->names, &c->arena);
    x64_init(&c->a, &c->names);
    c->a.checks = true;
}

static void checked_free(Checked *c)
{
    x64_free(&c->a);
    intern_free(&c->names);
    arena_free(&c->arena);
}

/* A function whose stack allocation is a placeholder, patched at the end to `size`
 * (patch) or allocated at once: a loop, a call, a panic location and jumps to labels
 * bound before and after the patch. */
static CodeFunc *framed_function(X64Asm *a, Arena *arena, Interner *names, uint32_t size,
                                 bool patch)
{
    x64_begin(a, intern_cstr(names, "framed"));
    x64_r(a, X64_PUSH, 8, X64_RBP);
    x64_rr(a, X64_MOV, 8, X64_RBP, X64_RSP);
    uint32_t at = x64_offset(a);
    if (patch)
        x64_ri(a, X64_SUB, 8, X64_RSP, 0x1000);
    else
        x64_stack_alloc(a, size);
    X64Label loop = x64_label(a), done = x64_label(a), late = x64_label(a);
    x64_bind(a, loop);
    x64_mr(a, X64_MOV, 8, x64_mem(X64_RBP, -16), X64_RDI);
    x64_rm(a, X64_LEA, 8, X64_RSI, x64_mem_loc(x64_loc(a, intern_cstr(names, "f.rs"), 3, 4, 0)));
    x64_call(a, intern_cstr(names, "work"));
    x64_r(a, X64_DEC, 4, X64_RDI);
    x64_jcc(a, X64_CC_E, done);
    x64_jcc(a, X64_CC_S, late);  /* still pending when the placeholder is patched */
    x64_jmp(a, loop);
    x64_bind(a, done);
    x64_rm(a, X64_LEA, 8, X64_RAX, x64_mem_sym(intern_cstr(names, "table"), 8));
    if (patch)
        x64_patch_stack_alloc(a, at, size);
    x64_bind(a, late);
    x64_leave(a);
    x64_ret(a);
    return x64_finish(a, arena);
}

START_TEST(patched_stack_alloc_is_the_direct_one)
{
    Checked c;
    checked_init(&c);
    static const uint32_t sizes_[] = {16, X64_PAGE, X64_PAGE + 16, 3 * X64_PAGE, 2400048};
    for (uint32_t i = 0; i < 5; i++) {
        CodeFunc *want = framed_function(&c.a, &c.arena, &c.names, sizes_[i], false);
        CodeFunc *got = framed_function(&c.a, &c.arena, &c.names, sizes_[i], true);
        if (sizes_[i] <= X64_PAGE) {
            /* in place: the imm32 form stays */
            ck_assert_uint_eq(got->size, want->size + (sizes_[i] < 128 ? 3 : 0));
            ck_assert_uint_eq(memcmp(got->code + 7, &sizes_[i], 4), 0);
            continue;
        }
        ck_assert_msg(code_func_equal(want, got, &c.names, &c.names), "size %u", sizes_[i]);
        ck_assert_uint_eq(got->nrelocs, 3);
    }
    checked_free(&c);
}
END_TEST

/* ---------------------------------------------------------------- checks */

/* A small function with a frame, a loop and calls: passes every check. */
static CodeFunc *balanced_function(X64Asm *a, Arena *arena, Interner *names)
{
    x64_begin(a, intern_cstr(names, "balanced"));
    x64_r(a, X64_PUSH, 8, X64_RBP);
    x64_rr(a, X64_MOV, 8, X64_RBP, X64_RSP);
    x64_ri(a, X64_SUB, 8, X64_RSP, 32);
    X64Label loop = x64_label(a), done = x64_label(a);
    x64_bind(a, loop);
    x64_ri(a, X64_CMP, 4, X64_RDI, 0);
    x64_jcc(a, X64_CC_E, done);
    x64_call(a, intern_cstr(names, "work"));
    x64_r(a, X64_PUSH, 8, X64_RAX);
    x64_r(a, X64_PUSH, 8, X64_RCX);
    x64_r(a, X64_POP, 8, X64_RCX);
    x64_r(a, X64_POP, 8, X64_RAX);
    x64_r(a, X64_DEC, 4, X64_RDI);
    x64_jmp(a, loop);
    x64_bind(a, done);
    x64_rr(a, X64_MOV, 8, X64_RSP, X64_RBP);
    x64_r(a, X64_POP, 8, X64_RBP);
    x64_ret(a);
    return x64_finish(a, arena);
}

START_TEST(checks_accept_a_balanced_function)
{
    Checked c;
    checked_init(&c);
    CodeFunc *f = balanced_function(&c.a, &c.arena, &c.names);
    ck_assert_uint_eq(f->size, c.a.code.len);
    ck_assert_uint_eq(f->nrelocs, 1);
    ck_assert_str_eq(sym_str(&c.names, f->relocs[0].sym), "work");
    ck_assert_int_eq(f->relocs[0].kind, RELOC_PLT32);
    /* the assembler is reused: a second function starts clean */
    x64_begin(&c.a, intern_cstr(&c.names, "second"));
    x64_r(&c.a, X64_PUSH, 8, X64_RBP);
    x64_rr(&c.a, X64_MOV, 8, X64_RBP, X64_RSP);
    x64_ri(&c.a, X64_SUB, 8, X64_RSP, 16);
    x64_leave(&c.a);
    x64_ret(&c.a);
    ck_assert_uint_eq(x64_finish(&c.a, &c.arena)->nrelocs, 0);
    checked_free(&c);
}
END_TEST

/* Each of these dies (SIGABRT) with the checks on. */
static X64Asm *checked(void)
{
    static Arena arena;
    static Interner names;
    static X64Asm a;
    arena_init(&arena);
    intern_init(&names, &arena);
    x64_init(&a, &names);
    a.checks = true;
    x64_begin(&a, intern_cstr(&names, "bad"));
    return &a;
}

/* Ends the function (the checks run here). */
static void finish(X64Asm *a)
{
    static Arena arena;
    arena_init(&arena);
    x64_finish(a, &arena);
}

START_TEST(checks_reject_unbound_label)
{
    X64Asm *a = checked();
    X64Label l = x64_label(a);
    x64_jcc(a, X64_CC_E, l);
    x64_ret(a);
    finish(a);
}
END_TEST

START_TEST(checks_reject_unbalanced_ret)
{
    X64Asm *a = checked();
    x64_r(a, X64_PUSH, 8, X64_RBX);
    x64_ret(a);
}
END_TEST

START_TEST(checks_reject_misaligned_call)
{
    X64Asm *a = checked();
    x64_call(a, 1);
}
END_TEST

START_TEST(checks_reject_depth_mismatch_at_label)
{
    X64Asm *a = checked();
    X64Label l = x64_label(a);
    x64_jcc(a, X64_CC_E, l);
    x64_r(a, X64_PUSH, 8, X64_RBX);
    x64_bind(a, l);
}
END_TEST

START_TEST(checks_reject_untracked_rsp_write)
{
    X64Asm *a = checked();
    x64_ri(a, X64_AND, 8, X64_RSP, -16);
}
END_TEST

START_TEST(checks_reject_falling_off_the_end)
{
    X64Asm *a = checked();
    x64_rr(a, X64_XOR, 4, X64_RAX, X64_RAX);
    finish(a);
}
END_TEST

START_TEST(checks_reject_patch_with_other_alignment)
{
    X64Asm *a = checked();
    x64_ri(a, X64_SUB, 8, X64_RSP, 0x1000);
    x64_patch_stack_alloc(a, 0, 2 * X64_PAGE + 8);
}
END_TEST

START_TEST(checks_reject_jump_across_patched_stack_alloc)
{
    X64Asm *a = checked();
    X64Label l = x64_label(a);
    x64_jcc(a, X64_CC_E, l);  /* over the placeholder: its rel32 would go stale */
    uint32_t at = x64_offset(a);
    x64_ri(a, X64_SUB, 8, X64_RSP, 0x1000);
    x64_ri(a, X64_ADD, 8, X64_RSP, 0x1000);
    x64_bind(a, l);
    x64_patch_stack_alloc(a, at, 2 * X64_PAGE);
}
END_TEST

START_TEST(checks_reject_far_short_jump)
{
    X64Asm *a = checked();
    X64Label l = x64_label(a);
    x64_jmp_short(a, l);
    x64_nop(a, 200);
    x64_bind(a, l);
}
END_TEST

Suite *x64_suite(void)
{
    Suite *s = suite_create("x64");
    TCase *tc = tcase_create("encode");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, memory_operands_match_as);
    tcase_add_test(tc, register_forms_match_as);
    tcase_add_test(tc, unary_shift_and_extend_forms_match_as);
    tcase_add_test(tc, jumps_and_labels_match_as);
    tcase_add_test(tc, nops_are_the_recommended_ones);
    tcase_add_test(tc, stack_alloc_matches_as);
    tcase_add_test(tc, patched_stack_alloc_is_the_direct_one);
    suite_add_tcase(s, tc);
    TCase *ck = tcase_create("checks");
    tcase_add_test(ck, checks_accept_a_balanced_function);
    tcase_add_test_raise_signal(ck, checks_reject_unbound_label, SIGABRT);
    tcase_add_test_raise_signal(ck, checks_reject_unbalanced_ret, SIGABRT);
    tcase_add_test_raise_signal(ck, checks_reject_misaligned_call, SIGABRT);
    tcase_add_test_raise_signal(ck, checks_reject_depth_mismatch_at_label, SIGABRT);
    tcase_add_test_raise_signal(ck, checks_reject_untracked_rsp_write, SIGABRT);
    tcase_add_test_raise_signal(ck, checks_reject_falling_off_the_end, SIGABRT);
    tcase_add_test_raise_signal(ck, checks_reject_far_short_jump, SIGABRT);
    tcase_add_test_raise_signal(ck, checks_reject_patch_with_other_alignment, SIGABRT);
    tcase_add_test_raise_signal(ck, checks_reject_jump_across_patched_stack_alloc, SIGABRT);
    suite_add_tcase(s, ck);
    return s;
}

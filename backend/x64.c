/*
 * backend/x64.c — the x86-64 instruction encoder.
 *
 * Every instruction is written straight into the function's byte buffer: the buffer is
 * grown to hold the longest instruction (15 bytes) once, then the prefixes, opcode,
 * ModRM, SIB, displacement and immediate are stored through a cursor. Nothing is
 * allocated per instruction once the buffers of the assembler have grown.
 *
 * Encodings come from the opcode table (x64ops.h); the forms follow the Intel manual
 * (vol. 2, ch. 2): REX.W for 64-bit operands, 0x66 for 16-bit ones, REX.R/X/B for
 * r8-r15, an empty REX for spl/bpl/sil/dil, and the ModRM special cases — rsp/r12 as a
 * base need a SIB byte, rbp/r13 as a base need a displacement, mod=00 rm=101 is
 * RIP-relative. Where several encodings exist we pick the one GNU as picks, so tests
 * can compare bytes with it.
 *
 * Forward references to labels are kept in `fixups`, chained per label, and patched
 * when the label binds; references to bound labels are resolved at once (and a jump
 * then takes the rel8 form when it fits).
 */
#include "backend/backend.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- tables */

typedef struct OpInfo {
    const char *name;
    uint16_t mr, rm, imm;
    uint8_t imm_ext;
    uint16_t acc, unary;
    uint8_t unary_ext;
    uint8_t flags;
} OpInfo;

static const OpInfo op_table[X64_OP_COUNT] = {
#define X(name, mnem, mr, rm, imm, iext, acc, un, uext, flags) \
    {mnem, mr, rm, imm, iext, acc, un, uext, flags},
    X64_OPS(X)
#undef X
};

static const char *const cond_names[16] = {
#define X(name, suffix) suffix,
    X64_CONDS(X)
#undef X
};

const RelocInfo reloc_info[RELOC_KIND_COUNT] = {
#define X(name, type, size, pcrel) {#name, type, size, pcrel},
    RELOC_KINDS(X)
#undef X
};

static const char *const reg_names[4][16] = {
    {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
     "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"},
    {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
     "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"},
    {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
     "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"},
    {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
     "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"},
};

/* The recommended multi-byte nops (Intel vol. 2, NOP), by length. */
static const uint8_t nop_table[10][9] = {
    {0},
    {0x90},
    {0x66, 0x90},
    {0x0F, 0x1F, 0x00},
    {0x0F, 0x1F, 0x40, 0x00},
    {0x0F, 0x1F, 0x44, 0x00, 0x00},
    {0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00},
    {0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00},
    {0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    {0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
};

const char *x64_reg_name(X64Reg reg, int size)
{
    static const int row[9] = {-1, 0, 1, -1, 2, -1, -1, -1, 3};
    if (reg == X64_RIP)
        return "rip";
    if (reg > X64_R15 || size < 1 || size > 8 || row[size] < 0)
        die("no register %d of size %d", (int)reg, size);
    return reg_names[row[size]][reg];
}

const char *x64_op_name(X64Op op) { return op_table[op].name; }
const char *x64_cond_name(X64Cond cc) { return cond_names[cc & 15]; }

/* ---------------------------------------------------------------- private state */

struct X64LabelState {
    int32_t pos;    /* offset when bound, else -1 */
    int32_t head;   /* first pending fixup, -1 when none */
    int32_t depth;  /* stack depth every jump here agrees on, -1 while unknown */
};

/* A forward reference: the field at `at` (size 1 or 4) receives label - from. */
struct X64Fixup {
    uint32_t at;
    int32_t from;
    int32_t next;   /* next fixup of the same label, -1 at the end */
    uint8_t size;
};

#define MAX_INSN 16

static inline bool fits8(int64_t v) { return v >= -128 && v <= 127; }
static inline bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static inline uint8_t *cursor(X64Asm *a)
{
    if (a->code.cap - a->code.len < MAX_INSN)
        vec_reserve(&a->code, MAX_INSN);
    return a->code.data + a->code.len;
}

static inline void advance(X64Asm *a, uint8_t *p) { a->code.len = (uint32_t)(p - a->code.data); }
static inline uint32_t offset_of(X64Asm *a, const uint8_t *p)
{
    return (uint32_t)(p - a->code.data);
}

static inline uint8_t *put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); return p + 2; }
static inline uint8_t *put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); return p + 4; }
static inline uint8_t *put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); return p + 8; }

static const char *func_name(const X64Asm *a)
{
    return a->names && a->name ? sym_str(a->names, a->name) : "<function>";
}

/* ---------------------------------------------------------------- lifecycle */

void x64_init(X64Asm *a, const Interner *names)
{
    memset(a, 0, sizeof *a);
    a->names = names;
#ifdef NDEBUG
    a->checks = false;
#else
    a->checks = true;
#endif
}

void x64_free(X64Asm *a)
{
    vec_free(&a->code);
    vec_free(&a->relocs);
    vec_free(&a->locs);
    vec_free(&a->labels);
    vec_free(&a->fixups);
}

void x64_begin(X64Asm *a, Sym name)
{
    a->code.len = a->relocs.len = a->locs.len = a->labels.len = a->fixups.len = 0;
    a->pending = 0;
    a->name = name;
    a->reachable = true;
    a->depth = 0;
    a->frame = -1;
}

void x64_set_depth(X64Asm *a, int32_t depth) { a->depth = depth; }

static int compare_relocs(const void *x, const void *y)
{
    const CodeReloc *p = x, *q = y;
    return p->offset < q->offset ? -1 : p->offset > q->offset;
}

CodeFunc *x64_finish(X64Asm *a, Arena *arena)
{
    if (a->pending) {
        for (uint32_t l = 0; l < a->labels.len; l++)
            if (a->labels.data[l].head >= 0)
                die("label %u of %s is jumped to but never bound", l, func_name(a));
        unreachable();
    }
    if (a->checks && a->reachable)
        die("control falls off the end of %s", func_name(a));
    for (uint32_t i = 1; i < a->relocs.len; i++)
        if (a->relocs.data[i].offset < a->relocs.data[i - 1].offset) {
            qsort(a->relocs.data, a->relocs.len, sizeof(CodeReloc), compare_relocs);
            break;
        }
    CodeFunc *f = arena_new(arena, CodeFunc, 1);
    f->name = a->name;
    f->size = a->code.len;
    f->align = 16;
    f->code = arena_memdup(arena, a->code.data, a->code.len);
    f->nrelocs = a->relocs.len;
    f->relocs = arena_memdup(arena, a->relocs.data, sizeof(CodeReloc) * a->relocs.len);
    f->nlocs = a->locs.len;
    f->locs = arena_memdup(arena, a->locs.data, sizeof(CodeLoc) * a->locs.len);
    return f;
}

/* ---------------------------------------------------------------- raw bytes, relocations */

void x64_emit8(X64Asm *a, uint8_t v) { uint8_t *p = cursor(a); *p++ = v; advance(a, p); }
void x64_emit16(X64Asm *a, uint16_t v) { advance(a, put16(cursor(a), v)); }
void x64_emit32(X64Asm *a, uint32_t v) { advance(a, put32(cursor(a), v)); }
void x64_emit64(X64Asm *a, uint64_t v) { advance(a, put64(cursor(a), v)); }

void x64_reloc(X64Asm *a, uint32_t offset, RelocKind kind, Sym sym, int64_t addend)
{
    vec_push(&a->relocs, ((CodeReloc){offset, (uint8_t)kind, false, sym, addend}));
}

uint32_t x64_loc(X64Asm *a, Sym file, uint32_t line, uint32_t col, uint32_t node)
{
    vec_push(&a->locs, ((CodeLoc){file, line, col, node}));
    return a->locs.len - 1;
}

/* ---------------------------------------------------------------- stack checks */

/* A register is written by something other than the tracked stack idioms. */
static inline void clobber(X64Asm *a, unsigned reg)
{
    if (reg == X64_RSP && a->checks)
        die("untracked write to rsp in %s", func_name(a));
    if (reg == X64_RBP)
        a->frame = -1;
}

static inline void check_call(X64Asm *a)
{
    if (a->checks && a->reachable && (a->depth & 15) != 8)
        die("call with the stack misaligned (%d bytes pushed) in %s", a->depth, func_name(a));
}

static inline void check_leave(X64Asm *a, const char *what)
{
    if (a->checks && a->reachable && a->depth != 0)
        die("%s with %d bytes left on the stack in %s", what, a->depth, func_name(a));
    a->reachable = false;
}

static inline void push_depth(X64Asm *a, int32_t bytes) { a->depth += bytes; }

/* ---------------------------------------------------------------- labels */

X64Label x64_label(X64Asm *a)
{
    vec_push(&a->labels, ((X64LabelState){-1, -1, -1}));
    return a->labels.len - 1;
}

static X64LabelState *label_state(X64Asm *a, X64Label l)
{
    if (l >= a->labels.len)
        die("no label %u in %s", l, func_name(a));
    return &a->labels.data[l];
}

/* A jump to l or its binding: the stack depth must agree with every other one. */
static X64LabelState *label_use(X64Asm *a, X64Label l)
{
    X64LabelState *s = label_state(a, l);
    if (a->checks && a->reachable) {
        if (s->depth < 0)
            s->depth = a->depth;
        else if (s->depth != a->depth)
            die("jump to label %u of %s with %d bytes pushed, %d elsewhere", l, func_name(a),
                a->depth, s->depth);
    }
    return s;
}

static void add_fixup(X64Asm *a, X64LabelState *s, uint32_t at, int32_t from, uint8_t size)
{
    vec_push(&a->fixups, ((X64Fixup){at, from, s->head, size}));
    s->head = (int32_t)a->fixups.len - 1;
    a->pending++;
}

void x64_bind(X64Asm *a, X64Label l)
{
    X64LabelState *s = label_use(a, l);
    if (s->pos >= 0)
        die("label %u of %s bound twice", l, func_name(a));
    if (!a->reachable) {
        if (s->depth >= 0)
            a->depth = s->depth;
        else
            s->depth = a->depth;
        a->reachable = true;
    }
    int32_t pos = (int32_t)a->code.len;
    s->pos = pos;
    for (int32_t i = s->head; i >= 0;) {
        X64Fixup *f = &a->fixups.data[i];
        int32_t value = pos - f->from;
        if (f->size == 1) {
            if (!fits8(value))
                die("short jump to label %u of %s spans %d bytes", l, func_name(a), value);
            a->code.data[f->at] = (uint8_t)value;
        } else {
            put32(a->code.data + f->at, (uint32_t)value);
        }
        a->pending--;
        i = f->next;
    }
    s->head = -1;
}

bool x64_label_offset(const X64Asm *a, X64Label l, uint32_t *offset)
{
    if (l >= a->labels.len || a->labels.data[l].pos < 0)
        return false;
    *offset = (uint32_t)a->labels.data[l].pos;
    return true;
}

/* ---------------------------------------------------------------- operand encoding */

enum {
    ENC_W = 1,      /* REX.W */
    ENC_66 = 2,     /* operand-size prefix */
    ENC_REG8 = 4,   /* ModRM.reg is a byte register */
    ENC_RM8 = 8,    /* ModRM.rm, when a register, is a byte register */
};

static inline void check_reg(unsigned reg)
{
    if (reg > X64_R15)
        die("bad register operand %u", reg);
}

/* The prefix flags of an operand size, adjusting a one-byte opcode to its 8-bit form. */
static unsigned size_flags(const OpInfo *o, int size, uint16_t *opc)
{
    if (o->flags & X64F_NOSIZE) {
        if (size != 8)
            die("%s takes only 64-bit operands", o->name);
        return 0;
    }
    switch (size) {
    case 1:
        if (!(o->flags & X64F_BYTE) || *opc > 0xFF)
            die("%s has no 8-bit form", o->name);
        *opc -= 1;
        return ENC_REG8 | ENC_RM8;
    case 2: return ENC_66;
    case 4: return 0;
    case 8: return ENC_W;
    default: die("bad operand size %d for %s", size, o->name);
    }
}

/* The prefix flags of the load form (OP reg, r/m) for a destination of `size` bytes:
 * movzx/movsx/movsxd read a narrower r/m operand, lea takes 32 or 64 bits. */
static unsigned load_flags(const OpInfo *o, X64Op op, int size, uint16_t *opc)
{
    if (o->flags & (X64F_SRC8 | X64F_SRC16 | X64F_SRC32)) {
        if ((size != 2 && size != 4 && size != 8) || ((o->flags & X64F_SRC16) && size == 2) ||
            ((o->flags & X64F_SRC32) && size != 8))
            die("bad destination size %d for %s", size, o->name);
        return (size == 2 ? ENC_66 : size == 8 ? ENC_W : 0) | (o->flags & X64F_SRC8 ? ENC_RM8 : 0);
    }
    if (op == X64_LEA) {
        if (size != 4 && size != 8)
            die("bad size %d for lea", size);
        return size == 8 ? ENC_W : 0;
    }
    return size_flags(o, size, opc);
}

/* Writes the displacement of a RIP-relative or absolute operand whose field is at p,
 * recording its relocation or label fixup. `tail` bytes of immediate follow the field. */
static uint8_t *symbolic_disp(X64Asm *a, uint8_t *p, const X64Mem *m, unsigned tail, bool rip)
{
    uint32_t at = offset_of(a, p);
    int32_t from = (int32_t)(at + 4 + tail);
    switch (m->target) {
    case X64_MEM_PLAIN:
        return put32(p, (uint32_t)m->disp);
    case X64_MEM_SYMBOL:
        if (rip)
            x64_reloc(a, at, RELOC_PC32, m->ref, (int64_t)m->disp - 4 - tail);
        else
            x64_reloc(a, at, RELOC_32S, m->ref, m->disp);
        return put32(p, 0);
    case X64_MEM_LOC:
        if (!rip)
            break;
        if (m->ref >= a->locs.len)
            die("no location %u in %s", m->ref, func_name(a));
        vec_push(&a->relocs, ((CodeReloc){at, RELOC_PC32, true, 0,
                                          (int64_t)m->ref * CODE_LOC_SIZE + m->disp - 4 - tail}));
        return put32(p, 0);
    case X64_MEM_LABEL: {
        if (!rip)
            break;
        X64LabelState *s = label_state(a, m->ref);
        if (s->pos >= 0)
            return put32(p, (uint32_t)(s->pos + m->disp - from));
        add_fixup(a, s, at, from - m->disp, 4);
        return put32(p, 0);
    }
    }
    die("a label or location operand must be RIP-relative");
}

static const uint8_t scale_bits[9] = {0xFF, 0, 1, 0xFF, 2, 0xFF, 0xFF, 0xFF, 3};

/* ModRM (+SIB, displacement) of a memory operand with `reg` in ModRM.reg. */
static uint8_t *encode_mem(X64Asm *a, uint8_t *p, unsigned reg, const X64Mem *m, unsigned tail)
{
    unsigned r = (reg & 7) << 3;
    if (m->base == X64_RIP) {
        if (m->index != X64_NOREG)
            die("RIP-relative operands take no index");
        *p++ = (uint8_t)(0x05 | r);
        return symbolic_disp(a, p, m, tail, true);
    }
    unsigned scale = m->scale <= 8 ? scale_bits[m->scale] : 0xFF;
    if (scale == 0xFF)
        die("bad scale %u", m->scale);
    if (m->index == X64_RSP || (m->index > X64_R15 && m->index != X64_NOREG))
        die("bad index register %u", m->index);
    unsigned index = m->index & 7;
    if (m->index == X64_NOREG)
        index = 4, scale = 0; /* no index: the scale is meaningless, encode it as as does */
    if (m->base == X64_NOREG) {
        *p++ = (uint8_t)(0x04 | r);
        *p++ = (uint8_t)(scale << 6 | index << 3 | 5);
        return symbolic_disp(a, p, m, tail, false);
    }
    check_reg(m->base);
    if (m->target != X64_MEM_PLAIN)
        die("a symbolic operand must be RIP-relative or absolute");
    unsigned base = m->base & 7;
    unsigned mod = (m->disp == 0 && base != 5) ? 0 : fits8(m->disp) ? 1 : 2;
    if (m->index != X64_NOREG || base == 4) {
        *p++ = (uint8_t)(mod << 6 | r | 4);
        *p++ = (uint8_t)(scale << 6 | index << 3 | base);
    } else {
        *p++ = (uint8_t)(mod << 6 | r | base);
    }
    if (mod == 1)
        *p++ = (uint8_t)(int8_t)m->disp;
    else if (mod == 2)
        p = put32(p, (uint32_t)m->disp);
    return p;
}

/* Prefixes, opcode and addressing of one instruction: `reg` goes to ModRM.reg (a
 * register or an opcode extension), the other operand is register `rm` when m is NULL,
 * else memory. `tail` bytes of immediate will follow. Returns the cursor after it all. */
static uint8_t *encode(X64Asm *a, uint8_t *p, unsigned flags, uint16_t opc, unsigned reg,
                       unsigned rm, const X64Mem *m, unsigned tail)
{
    unsigned rex = 0;
    if (flags & ENC_66)
        *p++ = 0x66;
    if (flags & ENC_W)
        rex |= 8;
    if (reg & 8)
        rex |= 4;
    bool force = (flags & ENC_REG8) && reg >= 4 && reg < 8;
    if (m) {
        if (m->index <= X64_R15 && (m->index & 8))
            rex |= 2;
        if (m->base <= X64_R15 && (m->base & 8))
            rex |= 1;
    } else {
        check_reg(rm);
        if (rm & 8)
            rex |= 1;
        force |= (flags & ENC_RM8) && rm >= 4 && rm < 8;
    }
    if (rex || force)
        *p++ = (uint8_t)(0x40 | rex);
    if (opc > 0xFF)
        *p++ = 0x0F;
    *p++ = (uint8_t)opc;
    if (!m) {
        *p++ = (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7));
        return p;
    }
    return encode_mem(a, p, reg, m, tail);
}

static uint8_t *put_imm(uint8_t *p, unsigned bytes, int64_t imm)
{
    switch (bytes) {
    case 1: *p++ = (uint8_t)imm; return p;
    case 2: return put16(p, (uint16_t)imm);
    default: return put32(p, (uint32_t)imm);
    }
}

/* Bytes of a full-size immediate for an operand size, checking that imm fits. */
static unsigned imm_bytes(const OpInfo *o, int size, int64_t imm)
{
    bool ok;
    switch (size) {
    case 1: ok = imm >= -128 && imm <= 255; break;
    case 2: ok = imm >= -32768 && imm <= 65535; break;
    case 4: ok = imm >= INT32_MIN && imm <= (int64_t)UINT32_MAX; break;
    default: ok = fits32(imm); break;
    }
    if (!ok)
        die("immediate %lld does not fit %s of size %d", (long long)imm, o->name, size);
    return size == 1 ? 1 : size == 2 ? 2 : 4;
}

static const OpInfo *op_info(X64Op op)
{
    if ((unsigned)op >= X64_OP_COUNT)
        die("bad opcode %d", (int)op);
    return &op_table[op];
}

/* Does op write its first operand? (cmp and test only read it.) */
static inline bool writes_dst(X64Op op) { return op != X64_CMP && op != X64_TEST; }

/* ---------------------------------------------------------------- two-operand forms */

void x64_rr(X64Asm *a, X64Op op, int size, X64Reg dst, X64Reg src)
{
    const OpInfo *o = op_info(op);
    check_reg(dst);
    check_reg(src);
    uint8_t *p = cursor(a);
    if (o->mr != X64_NO) {
        uint16_t opc = o->mr;
        unsigned flags = size_flags(o, size, &opc);
        p = encode(a, p, flags, opc, src, dst, NULL, 0);
    } else if (o->rm != X64_NO && op != X64_LEA) {
        uint16_t opc = o->rm;
        unsigned flags = load_flags(o, op, size, &opc);
        p = encode(a, p, flags, opc, dst, src, NULL, 0);
    } else {
        die("%s has no register, register form", o->name);
    }
    advance(a, p);
    if (dst == X64_RSP && op == X64_MOV && size == 8 && src == X64_RBP && a->checks) {
        if (a->frame < 0)
            die("mov rsp, rbp without a frame in %s", func_name(a));
        a->depth = a->frame;
    } else if (dst == X64_RBP && op == X64_MOV && size == 8 && src == X64_RSP) {
        a->frame = a->depth;
    } else if (writes_dst(op)) {
        clobber(a, dst);
    }
}

/* OP reg, [mem] (load) or OP [mem], reg (store). */
static void reg_mem(X64Asm *a, X64Op op, bool load, int size, X64Reg reg, const X64Mem *m)
{
    const OpInfo *o = op_info(op);
    check_reg(reg);
    uint16_t opc = load ? o->rm : o->mr;
    if (opc == X64_NO)
        die("%s has no %s form", o->name, load ? "register, memory" : "memory, register");
    unsigned flags = load ? load_flags(o, op, size, &opc) : size_flags(o, size, &opc);
    advance(a, encode(a, cursor(a), flags, opc, reg, 0, m, 0));
}

void x64_rm(X64Asm *a, X64Op op, int size, X64Reg reg, X64Mem mem)
{
    reg_mem(a, op, true, size, reg, &mem);
    if (reg == X64_RSP && op == X64_LEA && a->checks && mem.base == X64_RBP &&
        mem.index == X64_NOREG && mem.target == X64_MEM_PLAIN) {
        if (a->frame < 0)
            die("lea rsp, [rbp...] without a frame in %s", func_name(a));
        a->depth = a->frame - mem.disp;
    } else if (writes_dst(op)) {
        clobber(a, reg);
    }
}

void x64_mr(X64Asm *a, X64Op op, int size, X64Mem mem, X64Reg reg)
{
    reg_mem(a, op, false, size, reg, &mem);
}

/* The immediate forms shared by x64_ri and x64_mi; reg is used when m is NULL. */
static void op_imm(X64Asm *a, X64Op op, int size, unsigned reg, const X64Mem *m, int64_t imm)
{
    const OpInfo *o = op_info(op);
    if (o->imm == X64_NO)
        die("%s has no immediate form", o->name);
    uint16_t opc = o->imm;
    unsigned flags = size_flags(o, size, &opc) & ~ENC_REG8; /* ModRM.reg holds /imm_ext */
    uint8_t *p = cursor(a);
    if (o->flags & X64F_IMM8) {
        if (imm < 0 || imm > 255)
            die("shift count %lld out of range", (long long)imm);
        if (imm == 1 && (o->flags & X64F_ONE)) {
            p = encode(a, p, flags, (uint16_t)(opc == 0xC0 ? 0xD0 : 0xD1), o->imm_ext, reg, m, 0);
        } else {
            p = encode(a, p, flags, opc, o->imm_ext, reg, m, 1);
            *p++ = (uint8_t)imm;
        }
    } else if (size > 1 && (o->flags & X64F_IMM8S) && fits8(imm)) {
        p = encode(a, p, flags, 0x83, o->imm_ext, reg, m, 1);
        *p++ = (uint8_t)imm;
    } else if (!m && reg == X64_RAX && o->acc != X64_NO) {
        unsigned n = imm_bytes(o, size, imm);
        if (flags & ENC_66)
            *p++ = 0x66;
        if (flags & ENC_W)
            *p++ = 0x48;
        *p++ = (uint8_t)(size == 1 ? o->acc - 1 : o->acc);
        p = put_imm(p, n, imm);
    } else {
        unsigned n = imm_bytes(o, size, imm);
        p = encode(a, p, flags, opc, o->imm_ext, reg, m, n);
        p = put_imm(p, n, imm);
    }
    advance(a, p);
}

void x64_ri(X64Asm *a, X64Op op, int size, X64Reg reg, int64_t imm)
{
    check_reg(reg);
    if (op == X64_MOV && size != 8) {
        /* B0+r ib, 66 B8+r iw, B8+r id */
        const OpInfo *o = op_info(op);
        unsigned n = imm_bytes(o, size, imm);
        uint8_t *p = cursor(a);
        if (size == 2)
            *p++ = 0x66;
        if ((reg & 8) || (size == 1 && reg >= 4))
            *p++ = (uint8_t)(0x40 | (reg >> 3));
        *p++ = (uint8_t)((size == 1 ? 0xB0 : 0xB8) + (reg & 7));
        advance(a, put_imm(p, n, imm));
    } else if (op == X64_MOV && !fits32(imm)) {
        if (imm >= 0 && imm <= (int64_t)UINT32_MAX)
            x64_ri(a, X64_MOV, 4, reg, imm); /* writing a 32-bit register zero-extends */
        else
            x64_movabs(a, reg, (uint64_t)imm);
        return;
    } else {
        op_imm(a, op, size, reg, NULL, imm);
    }
    if (reg == X64_RSP && size == 8 && (op == X64_ADD || op == X64_SUB)) {
        if (!a->checks)
            return;
        if (imm % 8)
            die("rsp adjusted by %lld in %s", (long long)imm, func_name(a));
        a->depth += op == X64_SUB ? (int32_t)imm : -(int32_t)imm;
    } else if (writes_dst(op)) {
        clobber(a, reg);
    }
}

void x64_mi(X64Asm *a, X64Op op, int size, X64Mem mem, int64_t imm)
{
    op_imm(a, op, size, 0, &mem, imm);
}

/* ---------------------------------------------------------------- one-operand forms */

static void op_unary(X64Asm *a, X64Op op, int size, unsigned reg, const X64Mem *m)
{
    const OpInfo *o = op_info(op);
    if (o->unary == X64_NO)
        die("%s has no one-operand form", o->name);
    uint16_t opc = o->unary;
    unsigned flags = size_flags(o, size, &opc) & ~ENC_REG8;
    advance(a, encode(a, cursor(a), flags, opc, o->unary_ext, reg, m, 0));
}

/* Does the one-operand form write its operand? (mul, div and friends write rax/rdx.) */
static bool unary_writes(X64Op op)
{
    switch (op) {
    case X64_PUSH: case X64_CALL: case X64_JMP:
    case X64_MUL: case X64_IMUL: case X64_DIV: case X64_IDIV:
        return false;
    default:
        return true;
    }
}

/* Stack effects of push, pop, call and jmp through a register or memory. */
static void unary_effects(X64Asm *a, X64Op op)
{
    switch (op) {
    case X64_PUSH: push_depth(a, 8); break;
    case X64_POP: push_depth(a, -8); break;
    case X64_CALL: break;
    case X64_JMP: a->reachable = false; break;
    default: break;
    }
}

void x64_r(X64Asm *a, X64Op op, int size, X64Reg reg)
{
    check_reg(reg);
    if (op == X64_CALL)
        check_call(a);
    if (op == X64_PUSH || op == X64_POP) {
        if (size != 8)
            die("push/pop take 64-bit registers");
        uint8_t *p = cursor(a);
        if (reg & 8)
            *p++ = 0x41;
        *p++ = (uint8_t)((op == X64_PUSH ? 0x50 : 0x58) + (reg & 7));
        advance(a, p);
    } else {
        op_unary(a, op, size, reg, NULL);
    }
    unary_effects(a, op);
    if (unary_writes(op))
        clobber(a, reg);
}

void x64_m(X64Asm *a, X64Op op, int size, X64Mem mem)
{
    if (op == X64_CALL)
        check_call(a);
    op_unary(a, op, size, 0, &mem);
    unary_effects(a, op);
}

/* ---------------------------------------------------------------- other instructions */

static void imul_imm(X64Asm *a, int size, X64Reg dst, unsigned src, const X64Mem *m, int32_t imm)
{
    check_reg(dst);
    const OpInfo *o = &op_table[X64_IMUL];
    unsigned flags = size == 2 ? ENC_66 : size == 4 ? 0 : size == 8 ? ENC_W : ~0u;
    if (flags == ~0u)
        die("bad size %d for imul", size);
    uint8_t *p = cursor(a);
    if (fits8(imm)) {
        p = encode(a, p, flags, 0x6B, dst, src, m, 1);
        *p++ = (uint8_t)imm;
    } else {
        unsigned n = imm_bytes(o, size, imm);
        p = put_imm(encode(a, p, flags, 0x69, dst, src, m, n), n, imm);
    }
    advance(a, p);
    clobber(a, dst);
}

void x64_imul_imm(X64Asm *a, int size, X64Reg dst, X64Reg src, int32_t imm)
{
    imul_imm(a, size, dst, src, NULL, imm);
}

void x64_imul_mem_imm(X64Asm *a, int size, X64Reg dst, X64Mem mem, int32_t imm)
{
    imul_imm(a, size, dst, 0, &mem, imm);
}

static void movabs(X64Asm *a, X64Reg reg, uint64_t imm, Sym sym, int64_t addend)
{
    check_reg(reg);
    uint8_t *p = cursor(a);
    *p++ = (uint8_t)(0x48 | (reg >> 3));
    *p++ = (uint8_t)(0xB8 + (reg & 7));
    if (sym)
        x64_reloc(a, offset_of(a, p), RELOC_64, sym, addend);
    advance(a, put64(p, imm));
    clobber(a, reg);
}

void x64_movabs(X64Asm *a, X64Reg reg, uint64_t imm) { movabs(a, reg, imm, 0, 0); }

void x64_movabs_sym(X64Asm *a, X64Reg reg, Sym sym, int64_t addend)
{
    if (!sym)
        die("movabs to no symbol");
    movabs(a, reg, 0, sym, addend);
}

void x64_setcc(X64Asm *a, X64Cond cc, X64Reg reg)
{
    advance(a, encode(a, cursor(a), ENC_RM8, (uint16_t)(0x0F90 + (cc & 15)), 0, reg, NULL, 0));
    clobber(a, reg);
}

void x64_setcc_m(X64Asm *a, X64Cond cc, X64Mem mem)
{
    advance(a, encode(a, cursor(a), 0, (uint16_t)(0x0F90 + (cc & 15)), 0, 0, &mem, 0));
}

static unsigned cmov_flags(int size)
{
    if (size != 2 && size != 4 && size != 8)
        die("bad size %d for cmov", size);
    return size == 2 ? ENC_66 : size == 8 ? ENC_W : 0;
}

void x64_cmov(X64Asm *a, X64Cond cc, int size, X64Reg dst, X64Reg src)
{
    check_reg(dst);
    advance(a, encode(a, cursor(a), cmov_flags(size), (uint16_t)(0x0F40 + (cc & 15)), dst, src,
                      NULL, 0));
    clobber(a, dst);
}

void x64_cmov_m(X64Asm *a, X64Cond cc, int size, X64Reg dst, X64Mem mem)
{
    check_reg(dst);
    advance(a, encode(a, cursor(a), cmov_flags(size), (uint16_t)(0x0F40 + (cc & 15)), dst, 0,
                      &mem, 0));
    clobber(a, dst);
}

/* ---------------------------------------------------------------- jumps and calls */

/* The rel32 field at p of a branch to label s (the field ends the instruction). */
static uint8_t *rel32_to(X64Asm *a, X64LabelState *s, uint8_t *p)
{
    int32_t end = (int32_t)offset_of(a, p) + 4;
    if (s->pos >= 0)
        return put32(p, (uint32_t)(s->pos - end));
    add_fixup(a, s, (uint32_t)end - 4, end, 4);
    return put32(p, 0);
}

/* A jump to a label: `short_op` rel8 or `near_op` rel32 (0x0F8x is two bytes). */
static void jump(X64Asm *a, X64Label l, uint8_t short_op, uint16_t near_op, bool must_be_short)
{
    X64LabelState *s = label_use(a, l);
    uint8_t *p = cursor(a);
    uint32_t at = offset_of(a, p);
    if (s->pos >= 0 && fits8((int64_t)s->pos - (at + 2))) {
        *p++ = short_op;
        *p++ = (uint8_t)(s->pos - (int32_t)(at + 2));
    } else if (must_be_short) {
        if (s->pos >= 0)
            die("short jump to label %u of %s is too far back", l, func_name(a));
        *p++ = short_op;
        add_fixup(a, s, at + 1, (int32_t)(at + 2), 1);
        *p++ = 0;
    } else {
        if (near_op > 0xFF)
            *p++ = 0x0F;
        *p++ = (uint8_t)near_op;
        p = rel32_to(a, s, p);
    }
    advance(a, p);
}

void x64_jmp(X64Asm *a, X64Label l)
{
    jump(a, l, 0xEB, 0xE9, false);
    a->reachable = false;
}

void x64_jcc(X64Asm *a, X64Cond cc, X64Label l)
{
    jump(a, l, (uint8_t)(0x70 + (cc & 15)), (uint16_t)(0x0F80 + (cc & 15)), false);
}

void x64_jmp_short(X64Asm *a, X64Label l)
{
    jump(a, l, 0xEB, 0xE9, true);
    a->reachable = false;
}

void x64_jcc_short(X64Asm *a, X64Cond cc, X64Label l)
{
    jump(a, l, (uint8_t)(0x70 + (cc & 15)), (uint16_t)(0x0F80 + (cc & 15)), true);
}

/* call/jmp rel32 to a symbol. */
static void branch_sym(X64Asm *a, uint8_t opc, Sym sym)
{
    uint8_t *p = cursor(a);
    *p++ = opc;
    x64_reloc(a, offset_of(a, p), RELOC_PLT32, sym, -4);
    advance(a, put32(p, 0));
}

void x64_call(X64Asm *a, Sym sym)
{
    check_call(a);
    branch_sym(a, 0xE8, sym);
}

void x64_jmp_sym(X64Asm *a, Sym sym)
{
    check_leave(a, "tail jump");
    branch_sym(a, 0xE9, sym);
}

void x64_call_label(X64Asm *a, X64Label l)
{
    check_call(a);
    X64LabelState *s = label_state(a, l);
    uint8_t *p = cursor(a);
    *p++ = 0xE8;
    advance(a, rel32_to(a, s, p));
}

void x64_push_imm(X64Asm *a, int32_t imm)
{
    uint8_t *p = cursor(a);
    if (fits8(imm)) {
        *p++ = 0x6A;
        *p++ = (uint8_t)imm;
    } else {
        *p++ = 0x68;
        p = put32(p, (uint32_t)imm);
    }
    advance(a, p);
    push_depth(a, 8);
}

/* ---------------------------------------------------------------- stack allocation */

void x64_stack_alloc(X64Asm *a, uint32_t size)
{
    if (size > INT32_MAX || size % 8)
        die("stack allocation of %u bytes in %s", size, func_name(a));
    int32_t depth = a->depth;
    uint32_t probes = size ? (size - 1) / X64_PAGE : 0;
    uint32_t rest = size - probes * X64_PAGE;
    bool loop = probes > X64_PROBE_UNROLL;
    if (loop) {
        /* r11 = the last probe's rsp; the body below runs `probes` times */
        x64_rr(a, X64_MOV, 8, X64_R11, X64_RSP);
        x64_ri(a, X64_SUB, 8, X64_R11, (int64_t)probes * X64_PAGE);
    }
    uint32_t top = x64_offset(a);
    for (uint32_t i = 0; i < (loop ? 1 : probes); i++) {
        x64_ri(a, X64_SUB, 8, X64_RSP, X64_PAGE);
        x64_mi(a, X64_MOV, 8, x64_mem(X64_RSP, 0), 0);
    }
    if (loop) {
        x64_rr(a, X64_CMP, 8, X64_RSP, X64_R11);
        /* jne top: a raw rel8, as the loop's depth differs on each turn */
        x64_emit8(a, (uint8_t)(0x70 + X64_CC_NE));
        x64_emit8(a, (uint8_t)(top - (x64_offset(a) + 1)));
    }
    if (rest)
        x64_ri(a, X64_SUB, 8, X64_RSP, rest);
    if (a->checks)
        a->depth = depth + (int32_t)size;
}

void x64_patch_stack_alloc(X64Asm *a, uint32_t at, uint32_t size)
{
    static const uint8_t sub_rsp_imm32[3] = {0x48, 0x81, 0xEC};
    uint32_t end = at + 7, old;
    if (end > a->code.len || memcmp(a->code.data + at, sub_rsp_imm32, 3) != 0)
        die("no sub rsp, imm32 at offset %u of %s", at, func_name(a));
    memcpy(&old, a->code.data + at + 3, 4);
    if ((size - old) % 16 != 0)
        die("stack allocation of %u bytes for %u in %s", size, old, func_name(a));
    if (size <= X64_PAGE) {
        put32(a->code.data + at + 3, size);
        return;
    }
    for (uint32_t i = 0; i < a->labels.len; i++)
        if (a->labels.data[i].pos >= 0 && (uint32_t)a->labels.data[i].pos < end)
            die("label %u of %s before its stack allocation", i, func_name(a));
    for (uint32_t i = 0; i < a->fixups.len; i++)
        if ((uint32_t)a->fixups.data[i].from < end)
            die("jump across the stack allocation of %s", func_name(a));
    /* assemble the sequence after the code, then move it into place */
    uint32_t len = a->code.len;
    int32_t depth = a->depth, frame = a->frame;
    bool reachable = a->reachable;
    x64_stack_alloc(a, size);
    uint32_t n = a->code.len - len;
    uint8_t seq[64];
    if (n > sizeof seq)
        unreachable();
    memcpy(seq, a->code.data + len, n);
    a->depth = depth;
    a->frame = frame;
    a->reachable = reachable;
    a->code.len = len;
    uint32_t delta = n - 7;
    vec_reserve(&a->code, delta);
    memmove(a->code.data + end + delta, a->code.data + end, len - end);
    memcpy(a->code.data + at, seq, n);
    a->code.len = len + delta;
    vec_foreach(&a->relocs, r) {
        if (r->offset >= end)
            r->offset += delta;
    }
    vec_foreach(&a->labels, l) {
        if (l->pos >= 0)
            l->pos += (int32_t)delta;  /* all after the placeholder, checked above */
    }
    vec_foreach(&a->fixups, f) {
        f->at += delta;
        f->from += (int32_t)delta;
    }
}

/* ---------------------------------------------------------------- fixed encodings */

static void bytes(X64Asm *a, const uint8_t *b, uint32_t n)
{
    uint8_t *p = cursor(a);
    memcpy(p, b, n);
    advance(a, p + n);
}

void x64_ret(X64Asm *a)
{
    check_leave(a, "ret");
    x64_emit8(a, 0xC3);
}

void x64_leave(X64Asm *a)
{
    if (a->checks && a->reachable) {
        if (a->frame < 0)
            die("leave without a frame in %s", func_name(a));
        a->depth = a->frame - 8;
    }
    a->frame = -1;
    x64_emit8(a, 0xC9);
}

void x64_cqo(X64Asm *a) { bytes(a, (const uint8_t[]){0x48, 0x99}, 2); }
void x64_cdq(X64Asm *a) { x64_emit8(a, 0x99); }
void x64_cwd(X64Asm *a) { bytes(a, (const uint8_t[]){0x66, 0x99}, 2); }
void x64_syscall(X64Asm *a) { bytes(a, (const uint8_t[]){0x0F, 0x05}, 2); }
void x64_int3(X64Asm *a) { x64_emit8(a, 0xCC); }
void x64_rep_movsb(X64Asm *a) { bytes(a, (const uint8_t[]){0xF3, 0xA4}, 2); }
void x64_rep_stosb(X64Asm *a) { bytes(a, (const uint8_t[]){0xF3, 0xAA}, 2); }

void x64_rep_stos(X64Asm *a, int size)
{
    switch (size) {
    case 1: bytes(a, (const uint8_t[]){0xF3, 0xAA}, 2); break;
    case 2: bytes(a, (const uint8_t[]){0x66, 0xF3, 0xAB}, 3); break;
    case 4: bytes(a, (const uint8_t[]){0xF3, 0xAB}, 2); break;
    case 8: bytes(a, (const uint8_t[]){0xF3, 0x48, 0xAB}, 3); break;
    default: die("bad size %d for rep stos", size);
    }
}

static void double_shift(X64Asm *a, uint16_t opc, X64Reg dst, X64Reg src)
{
    check_reg(dst);
    check_reg(src);
    advance(a, encode(a, cursor(a), ENC_W, opc, src, dst, NULL, 0));
    clobber(a, dst);
}

void x64_shld_cl(X64Asm *a, X64Reg dst, X64Reg src) { double_shift(a, 0x0FA5, dst, src); }
void x64_shrd_cl(X64Asm *a, X64Reg dst, X64Reg src) { double_shift(a, 0x0FAD, dst, src); }

void x64_ud2(X64Asm *a)
{
    bytes(a, (const uint8_t[]){0x0F, 0x0B}, 2);
    a->reachable = false;
}

void x64_nop(X64Asm *a, uint32_t len)
{
    while (len > 0) {
        uint32_t n = MIN(len, 9u);
        bytes(a, nop_table[n], n);
        len -= n;
    }
}

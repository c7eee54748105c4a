/*
 * backend/x64ops.h — the x86-64 opcode table and the condition codes (X-macros).
 *
 * Included by backend.h, which makes enum X64Op and enum X64Cond of them; x64.c reads
 * the encodings from the same lists. Each row of X64_OPS is one mnemonic with the
 * opcodes of the forms it has:
 *
 *   X(NAME, "mnemonic", mr, rm, imm, imm_ext, acc, unary, unary_ext, flags)
 *     mr         OP r/m, reg       store form; also the form of OP reg, reg when present
 *     rm         OP reg, r/m       load form
 *     imm        OP r/m, imm       with /imm_ext in ModRM.reg
 *     acc        OP rAX, imm32     short accumulator form (used when imm is not an imm8)
 *     unary      OP r/m            with /unary_ext; for the shifts this is "by CL"
 *
 * Opcodes 0x0Fxx are two bytes (0F xx). X64_NO marks a form the mnemonic lacks. Flags:
 *   X64F_BYTE   the 8-bit variant of every one-byte opcode of the row is opcode - 1
 *   X64F_IMM8S  OP r/m, imm8 sign-extended exists as opcode 0x83 /imm_ext
 *   X64F_IMM8   the immediate is always one byte (shifts)
 *   X64F_ONE    a count of 1 has the shorter form 0xD1 /imm_ext (shifts)
 *   X64F_SRC8, X64F_SRC16, X64F_SRC32
 *               the r/m operand of the load form is that narrow (movzx, movsx, movsxd);
 *               the size given to the encoder is the destination's
 *   X64F_NOSIZE the operand is always 64 bits and takes no REX.W (push, pop, call, jmp)
 */
#ifndef X64OPS_H
#define X64OPS_H

#define X64_NO 0xFFFF

#define X64F_BYTE 0x01
#define X64F_IMM8S 0x02
#define X64F_IMM8 0x04
#define X64F_ONE 0x08
#define X64F_SRC8 0x10
#define X64F_SRC16 0x20
#define X64F_SRC32 0x40
#define X64F_NOSIZE 0x80

#define X64F_ALU (X64F_BYTE | X64F_IMM8S)
#define X64F_SHIFT (X64F_BYTE | X64F_IMM8 | X64F_ONE)

/* clang-format off */
#define X64_OPS(X)                                                                         \
    /* NAME    mnemonic    mr      rm      imm     ext  acc     unary   ext  flags */      \
    X(ADD,     "add",      0x01,   0x03,   0x81,   0,   0x05,   X64_NO, 0,   X64F_ALU)     \
    X(OR,      "or",       0x09,   0x0B,   0x81,   1,   0x0D,   X64_NO, 0,   X64F_ALU)     \
    X(ADC,     "adc",      0x11,   0x13,   0x81,   2,   0x15,   X64_NO, 0,   X64F_ALU)     \
    X(SBB,     "sbb",      0x19,   0x1B,   0x81,   3,   0x1D,   X64_NO, 0,   X64F_ALU)     \
    X(AND,     "and",      0x21,   0x23,   0x81,   4,   0x25,   X64_NO, 0,   X64F_ALU)     \
    X(SUB,     "sub",      0x29,   0x2B,   0x81,   5,   0x2D,   X64_NO, 0,   X64F_ALU)     \
    X(XOR,     "xor",      0x31,   0x33,   0x81,   6,   0x35,   X64_NO, 0,   X64F_ALU)     \
    X(CMP,     "cmp",      0x39,   0x3B,   0x81,   7,   0x3D,   X64_NO, 0,   X64F_ALU)     \
    X(TEST,    "test",     0x85,   X64_NO, 0xF7,   0,   0xA9,   X64_NO, 0,   X64F_BYTE)    \
    X(MOV,     "mov",      0x89,   0x8B,   0xC7,   0,   X64_NO, X64_NO, 0,   X64F_BYTE)    \
    X(LEA,     "lea",      X64_NO, 0x8D,   X64_NO, 0,   X64_NO, X64_NO, 0,   0)            \
    X(MOVZX8,  "movzx",    X64_NO, 0x0FB6, X64_NO, 0,   X64_NO, X64_NO, 0,   X64F_SRC8)    \
    X(MOVZX16, "movzx",    X64_NO, 0x0FB7, X64_NO, 0,   X64_NO, X64_NO, 0,   X64F_SRC16)   \
    X(MOVSX8,  "movsx",    X64_NO, 0x0FBE, X64_NO, 0,   X64_NO, X64_NO, 0,   X64F_SRC8)    \
    X(MOVSX16, "movsx",    X64_NO, 0x0FBF, X64_NO, 0,   X64_NO, X64_NO, 0,   X64F_SRC16)   \
    X(MOVSXD,  "movsxd",   X64_NO, 0x63,   X64_NO, 0,   X64_NO, X64_NO, 0,   X64F_SRC32)   \
    X(IMUL,    "imul",     X64_NO, 0x0FAF, X64_NO, 0,   X64_NO, 0xF7,   5,   X64F_BYTE)    \
    X(MUL,     "mul",      X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xF7,   4,   X64F_BYTE)    \
    X(DIV,     "div",      X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xF7,   6,   X64F_BYTE)    \
    X(IDIV,    "idiv",     X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xF7,   7,   X64F_BYTE)    \
    X(NEG,     "neg",      X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xF7,   3,   X64F_BYTE)    \
    X(NOT,     "not",      X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xF7,   2,   X64F_BYTE)    \
    X(INC,     "inc",      X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xFF,   0,   X64F_BYTE)    \
    X(DEC,     "dec",      X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xFF,   1,   X64F_BYTE)    \
    X(ROL,     "rol",      X64_NO, X64_NO, 0xC1,   0,   X64_NO, 0xD3,   0,   X64F_SHIFT)   \
    X(ROR,     "ror",      X64_NO, X64_NO, 0xC1,   1,   X64_NO, 0xD3,   1,   X64F_SHIFT)   \
    X(SHL,     "shl",      X64_NO, X64_NO, 0xC1,   4,   X64_NO, 0xD3,   4,   X64F_SHIFT)   \
    X(SHR,     "shr",      X64_NO, X64_NO, 0xC1,   5,   X64_NO, 0xD3,   5,   X64F_SHIFT)   \
    X(SAR,     "sar",      X64_NO, X64_NO, 0xC1,   7,   X64_NO, 0xD3,   7,   X64F_SHIFT)   \
    X(PUSH,    "push",     X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xFF,   6,   X64F_NOSIZE)  \
    X(POP,     "pop",      X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0x8F,   0,   X64F_NOSIZE)  \
    X(CALL,    "call",     X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xFF,   2,   X64F_NOSIZE)  \
    X(JMP,     "jmp",      X64_NO, X64_NO, X64_NO, 0,   X64_NO, 0xFF,   4,   X64F_NOSIZE)
/* clang-format on */

/* Condition codes: X(NAME, suffix) in encoding order (the low nibble of Jcc/SETcc/CMOVcc). */
#define X64_CONDS(X)                                                                       \
    X(O, "o") X(NO, "no") X(B, "b") X(AE, "ae") X(E, "e") X(NE, "ne") X(BE, "be") X(A, "a")   \
    X(S, "s") X(NS, "ns") X(P, "p") X(NP, "np") X(L, "l") X(GE, "ge") X(LE, "le") X(G, "g")

#endif

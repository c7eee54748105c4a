/*
 * backend/backend.h — x86-64 machine code, the records of generated code, ELF objects
 * and symbol names.
 *
 * Owns:
 *   x64.c     the instruction encoder (opcode table in x64ops.h): byte emitters on a
 *             growable per-function buffer, a relocation beside every symbolic operand,
 *             labels whose forward uses are chained and patched when they bind, and the
 *             end-of-function checks (no unbound label; stack balanced and calls aligned).
 *   code.c    the unit that the per-function cache stores: a function's code, relocations
 *             and panic locations (CodeFunc), and data items (CodeData); their binary
 *             serialization.
 *   obj.c     the ELF64 relocatable object writer (libelf): one object per module, one
 *             section per function and per data item.
 *   mangle.c  Rust v0 symbol names ("_R...") with fixed disambiguators.
 *   gen*.c    the code generator from the typed tree (cg_crate; internals in gen.h).
 * backend/runtime/ (freestanding C linked into every program) is separate and shares
 * nothing with this header; generated code calls it as its rt.h says.
 *
 * Names (symbols, file paths) are Syms of an Interner that the caller passes along; no
 * structure here holds a pointer into another one's memory except through that interner.
 * Nothing keeps global mutable state: one X64Asm and one Mangler per thread.
 */
#ifndef BACKEND_H
#define BACKEND_H

#include "backend/x64ops.h"
#include "common/common.h"

/* ---------------------------------------------------------------- relocations */

/* X(NAME, ELF r_type, bytes patched, pc-relative) */
#define RELOC_KINDS(X)                                                                     \
    X(64, 1, 8, 0)      /* R_X86_64_64     S + A          (pointers in data, movabs) */    \
    X(PC32, 2, 4, 1)    /* R_X86_64_PC32   S + A - P      (RIP-relative operands) */        \
    X(PLT32, 4, 4, 1)   /* R_X86_64_PLT32  L + A - P      (call/jmp rel32 to a symbol) */   \
    X(32, 10, 4, 0)     /* R_X86_64_32     S + A, zero-extended */                          \
    X(32S, 11, 4, 0)    /* R_X86_64_32S    S + A, sign-extended ([sym + index*8]) */        \
    X(PC64, 24, 8, 1)   /* R_X86_64_PC64   S + A - P */

typedef enum RelocKind {
#define X(name, type, size, pcrel) RELOC_##name,
    RELOC_KINDS(X)
#undef X
    RELOC_KIND_COUNT
} RelocKind;

typedef struct RelocInfo {
    const char *name;   /* "PC32" */
    uint32_t elf_type;  /* R_X86_64_* */
    uint8_t size;       /* bytes of the patched field */
    bool pcrel;         /* relative to the field's address */
} RelocInfo;

/* Properties of each kind, indexed by RelocKind (a constant table). */
extern const RelocInfo reloc_info[RELOC_KIND_COUNT];

/* ---------------------------------------------------------------- code records */

/* One relocation of a function's code or of a data item. */
typedef struct CodeReloc {
    uint32_t offset;  /* of the patched field, from the start of the code/data bytes */
    uint8_t kind;     /* RelocKind */
    bool to_locs;     /* target is the owning function's location records (sym is 0) */
    Sym sym;          /* target symbol (defined here or elsewhere) unless to_locs */
    int64_t addend;
} CodeReloc;

/*
 * A panic location. In the object, a function's locations live in their own section
 * `.rodata.<symbol>.loc`, never in its code: the code reaches record i only through a
 * relocation (to_locs, addend i * CODE_LOC_SIZE + displacement), so moving lines changes
 * that section's bytes and no byte of `.text.<symbol>`. The section holds nlocs records
 * in core::panic::Location's layout, then the distinct file names:
 *   u64 address of the file name (R_X86_64_64 into the same section)
 *   u64 length of the file name in bytes
 *   u32 line, u32 column (1-based)
 */
typedef struct CodeLoc {
    Sym file;       /* display path, e.g. "src/main.rs" */
    uint32_t line;  /* 1-based */
    uint32_t col;   /* 1-based, in characters as rustc counts */
    uint32_t node;  /* opaque to the backend: which tree node this is (so a cache can
                       recompute line and col after an edit that only moved lines) */
} CodeLoc;
#define CODE_LOC_SIZE 24

/* A data item: a string literal, a static, a constant placed in memory. One section
 * each (.rodata.<symbol> or .data.<symbol>). */
typedef struct CodeData {
    Sym name;            /* symbol */
    const uint8_t *bytes;
    uint32_t size;
    uint32_t align;      /* a power of two */
    CodeReloc *relocs;   /* to_locs is never set here */
    uint32_t nrelocs;
    bool writable;       /* .data rather than .rodata */
    bool local;          /* STB_LOCAL: only this module refers to it */
} CodeData;

/* One function's generated code: the unit of the per-function cache. */
typedef struct CodeFunc {
    Sym name;            /* symbol */
    const uint8_t *code;
    uint32_t size;
    uint32_t align;      /* a power of two (16 by default) */
    CodeReloc *relocs;   /* sorted by offset */
    uint32_t nrelocs;
    CodeLoc *locs;       /* panic locations, referred to by index */
    uint32_t nlocs;
    CodeData *data;      /* data only this function refers to (its string literals) */
    uint32_t ndata;
    bool local;          /* STB_LOCAL */
} CodeFunc;

/* Copies bytes and relocations into the arena and returns a data item (align a power
 * of two, flags false). */
CodeData code_data_make(Arena *arena, Sym name, const void *bytes, uint32_t size,
                        uint32_t align, const CodeReloc *relocs, uint32_t nrelocs);
/* Appends the serialized function (format at the top of code.c) to out. */
void code_func_write(StrBuf *out, const CodeFunc *f, const Interner *names);
/* Reads one serialized function at buf[*pos], advancing *pos. Every array goes into the
 * arena and every name is interned in names. Returns false, with *pos unspecified, when
 * the bytes are not a well-formed record (a damaged cache): never crashes. */
bool code_func_read(const uint8_t *buf, size_t len, size_t *pos, CodeFunc *f, Arena *arena,
                    Interner *names);
/* As code_func_write/code_func_read for a module-level data item. */
void code_data_write(StrBuf *out, const CodeData *d, const Interner *names);
bool code_data_read(const uint8_t *buf, size_t len, size_t *pos, CodeData *d, Arena *arena,
                    Interner *names);
/* True when two records hold the same bytes, relocations, locations and data. */
bool code_func_equal(const CodeFunc *a, const CodeFunc *b, const Interner *an,
                     const Interner *bn);

/* ---------------------------------------------------------------- x86-64 encoder */

typedef enum X64Reg {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
    X64_RIP,    /* only as a memory base */
    X64_NOREG,  /* no base (absolute) or no index */
} X64Reg;

typedef enum X64Op {
#define X(name, mnem, mr, rm, imm, iext, acc, un, uext, flags) X64_##name,
    X64_OPS(X)
#undef X
    X64_OP_COUNT
} X64Op;

typedef enum X64Cond {
#define X(name, suffix) X64_CC_##name,
    X64_CONDS(X)
#undef X
} X64Cond;

/* What a memory operand's displacement refers to. */
typedef enum X64MemTarget {
    X64_MEM_PLAIN,   /* disp is a number */
    X64_MEM_SYMBOL,  /* ref is a Sym; disp the addend. RIP base: PC32; no base: 32S */
    X64_MEM_LABEL,   /* ref is an X64Label of this function; RIP base only */
    X64_MEM_LOC,     /* ref is a location index (x64_loc); RIP base only */
} X64MemTarget;

/* [base + index*scale + disp], or [rip + target]. Build with the x64_mem* helpers. */
typedef struct X64Mem {
    uint8_t base;    /* X64Reg, X64_RIP or X64_NOREG */
    uint8_t index;   /* X64Reg (never RSP) or X64_NOREG */
    uint8_t scale;   /* 1, 2, 4 or 8 */
    uint8_t target;  /* X64MemTarget */
    int32_t disp;
    uint32_t ref;    /* Sym, label or location index, per target */
} X64Mem;

static inline X64Mem x64_mem(X64Reg base, int32_t disp)
{
    return (X64Mem){base, X64_NOREG, 1, X64_MEM_PLAIN, disp, 0};
}
static inline X64Mem x64_mem_index(X64Reg base, X64Reg index, int scale, int32_t disp)
{
    return (X64Mem){base, index, (uint8_t)scale, X64_MEM_PLAIN, disp, 0};
}
/* [rip + sym + addend] */
static inline X64Mem x64_mem_sym(Sym sym, int32_t addend)
{
    return (X64Mem){X64_RIP, X64_NOREG, 1, X64_MEM_SYMBOL, addend, sym};
}
/* [rip + label] (e.g. a jump table placed after the code) */
static inline X64Mem x64_mem_label(uint32_t label)
{
    return (X64Mem){X64_RIP, X64_NOREG, 1, X64_MEM_LABEL, 0, label};
}
/* [rip + location record `index`] */
static inline X64Mem x64_mem_loc(uint32_t index)
{
    return (X64Mem){X64_RIP, X64_NOREG, 1, X64_MEM_LOC, 0, index};
}

/* A label of the function being assembled (dense ids from 0, reset by x64_begin). */
typedef uint32_t X64Label;

typedef struct X64LabelState X64LabelState;
typedef struct X64Fixup X64Fixup;

/*
 * The assembler: one per thread, reused for every function so that emitting allocates
 * nothing once its buffers have grown. Instructions are appended to `code`; sizes are
 * operand sizes in bytes (1, 2, 4, 8). Misuse (a form the opcode lacks, an immediate
 * that does not fit) is an internal bug and dies.
 *
 * Checks (on unless built with NDEBUG; `checks` switches them per assembler): at
 * x64_finish, every label that was jumped to is bound; and the stack is tracked — push,
 * pop, add/sub rsp, imm, `mov rbp, rsp` / `mov rsp, rbp` / leave / `lea rsp, [rbp+d]` —
 * so that ret and tail jumps find it balanced, every call finds it 16-byte aligned,
 * and every jump to a label agrees on its depth. Any other write to rsp dies.
 */
typedef struct X64Asm {
    Vec(uint8_t) code;            /* the function's bytes so far */
    Vec(CodeReloc) relocs;        /* one per symbolic operand, in offset order */
    Vec(CodeLoc) locs;            /* panic locations (x64_loc) */
    Vec(X64LabelState) labels;    /* private: indexed by X64Label */
    Vec(X64Fixup) fixups;         /* private: forward uses, chained per label */
    uint32_t pending;             /* forward uses not yet patched */
    const Interner *names;        /* for messages only (may be NULL) */
    Sym name;                     /* symbol of the function being assembled */
    bool checks;                  /* run the invariant checks */
    bool reachable;               /* private: the next instruction can be reached */
    int32_t depth;                /* bytes pushed below the entry rsp (checks only) */
    int32_t frame;                /* depth when rbp was set from rsp, -1 when not */
} X64Asm;

/* Initialises an assembler (no memory taken yet); names, which may be NULL, only
 * serve to name the function in internal-error messages. */
void x64_init(X64Asm *a, const Interner *names);
void x64_free(X64Asm *a);
/* Starts a function: empties code, relocations, locations and labels. */
void x64_begin(X64Asm *a, Sym name);
/* Ends the function: runs the checks, then copies code, relocations and locations into
 * the arena as a record (align 16, not local, no data: set those fields after). */
CodeFunc *x64_finish(X64Asm *a, Arena *arena);
/* Current offset in the function. */
static inline uint32_t x64_offset(const X64Asm *a) { return a->code.len; }
/* Declares the stack depth at this point, e.g. 8 at a process entry point (where rsp is
 * 16-byte aligned as if after a call). */
void x64_set_depth(X64Asm *a, int32_t depth);

/* Raw bytes (for data such as jump tables in code, or instructions not listed here). */
void x64_emit8(X64Asm *a, uint8_t v);
void x64_emit16(X64Asm *a, uint16_t v);
void x64_emit32(X64Asm *a, uint32_t v);
void x64_emit64(X64Asm *a, uint64_t v);
/* Records a relocation at `offset` of the current function. */
void x64_reloc(X64Asm *a, uint32_t offset, RelocKind kind, Sym sym, int64_t addend);

/* Adds a panic location and returns its index, for x64_mem_loc. */
uint32_t x64_loc(X64Asm *a, Sym file, uint32_t line, uint32_t col, uint32_t node);

/* Labels. A label may be bound once; jumps before and after its binding are fine. */
X64Label x64_label(X64Asm *a);
void x64_bind(X64Asm *a, X64Label l);
/* True when bound; *offset then holds its offset. */
bool x64_label_offset(const X64Asm *a, X64Label l, uint32_t *offset);

/* Two-operand forms (see x64ops.h for which op has which form):
 *   x64_rr  op dst, src        (mr form, else rm form with dst in ModRM.reg)
 *   x64_rm  op reg, [mem]      (load form; lea; movzx/movsx with the narrow source)
 *   x64_mr  op [mem], reg      (store form)
 *   x64_ri  op reg, imm        (imm8 forms when they fit; mov picks mov r32 / movabs)
 *   x64_mi  op [mem], imm
 *   x64_r   op reg             (unary; shifts by cl; push/pop/call/jmp reg)
 *   x64_m   op [mem]           */
void x64_rr(X64Asm *a, X64Op op, int size, X64Reg dst, X64Reg src);
void x64_rm(X64Asm *a, X64Op op, int size, X64Reg reg, X64Mem mem);
void x64_mr(X64Asm *a, X64Op op, int size, X64Mem mem, X64Reg reg);
void x64_ri(X64Asm *a, X64Op op, int size, X64Reg reg, int64_t imm);
void x64_mi(X64Asm *a, X64Op op, int size, X64Mem mem, int64_t imm);
void x64_r(X64Asm *a, X64Op op, int size, X64Reg reg);
void x64_m(X64Asm *a, X64Op op, int size, X64Mem mem);

/* imul dst, src, imm and imul dst, [mem], imm. */
void x64_imul_imm(X64Asm *a, int size, X64Reg dst, X64Reg src, int32_t imm);
void x64_imul_mem_imm(X64Asm *a, int size, X64Reg dst, X64Mem mem, int32_t imm);
/* movabs reg, imm64 (always the 10-byte form) and movabs reg, sym + addend (R_X86_64_64). */
void x64_movabs(X64Asm *a, X64Reg reg, uint64_t imm);
void x64_movabs_sym(X64Asm *a, X64Reg reg, Sym sym, int64_t addend);
/* setcc reg8 / setcc [mem8]; cmovcc dst, src / cmovcc dst, [mem] (size 2, 4 or 8). */
void x64_setcc(X64Asm *a, X64Cond cc, X64Reg reg);
void x64_setcc_m(X64Asm *a, X64Cond cc, X64Mem mem);
void x64_cmov(X64Asm *a, X64Cond cc, int size, X64Reg dst, X64Reg src);
void x64_cmov_m(X64Asm *a, X64Cond cc, int size, X64Reg dst, X64Mem mem);

/* Jumps to labels: rel8 when the label is bound and near, else rel32. The _short forms
 * promise that a forward label binds within 127 bytes (dies at x64_bind otherwise). */
void x64_jmp(X64Asm *a, X64Label l);
void x64_jcc(X64Asm *a, X64Cond cc, X64Label l);
void x64_jmp_short(X64Asm *a, X64Label l);
void x64_jcc_short(X64Asm *a, X64Cond cc, X64Label l);
/* call rel32 / jmp rel32 to a symbol (R_X86_64_PLT32), or call rel32 to a label. */
void x64_call(X64Asm *a, Sym sym);
void x64_jmp_sym(X64Asm *a, Sym sym);
void x64_call_label(X64Asm *a, X64Label l);

/* push imm (imm8 or imm32, sign-extended to 64 bits). */
void x64_push_imm(X64Asm *a, int32_t imm);

/* The stack probe interval: rustc's (LLVM's) probe size on x86-64 Linux. */
#define X64_PAGE 4096
/* sub rsp, size (a multiple of 8), tracked as one stack adjustment. Over a page, the new
 * area is probed as rustc's `probe-stack=inline-asm` does: `sub rsp, 4096; mov qword
 * [rsp], 0` for each page from the top down (unrolled up to X64_PROBE_UNROLL pages,
 * else a loop bounded by r11, which it clobbers), then `sub rsp` of the rest (at most a
 * page): an overflow thus first faults in the page right below the stack. */
#define X64_PROBE_UNROLL 2
void x64_stack_alloc(X64Asm *a, uint32_t size);
/* Rewrites the placeholder `sub rsp, imm32` (x64_ri, 7 bytes) at offset `at` into
 * x64_stack_alloc(size): in place when size is at most a page (no probe), else the code
 * after it moves and relocations, labels and jumps follow. size must keep the
 * placeholder's alignment mod 16 (as the stack checks assumed); dies when a label or
 * a jump lies before the placeholder's end. */
void x64_patch_stack_alloc(X64Asm *a, uint32_t at, uint32_t size);
/* Instructions without operands. */
void x64_ret(X64Asm *a);
void x64_leave(X64Asm *a);
void x64_cqo(X64Asm *a);       /* rdx:rax = sign-extend rax */
void x64_cdq(X64Asm *a);       /* edx:eax = sign-extend eax */
void x64_cwd(X64Asm *a);       /* dx:ax = sign-extend ax */
void x64_syscall(X64Asm *a);
void x64_ud2(X64Asm *a);       /* ends the reachable code like ret */
void x64_int3(X64Asm *a);
void x64_rep_movsb(X64Asm *a); /* memcpy(rdi, rsi, rcx) */
void x64_rep_stosb(X64Asm *a); /* memset(rdi, al, rcx) */
/* rep stos of `size`-byte units (1, 2, 4, 8): rcx copies of al/ax/eax/rax at rdi. */
void x64_rep_stos(X64Asm *a, int size);
/* shld dst, src, cl and shrd dst, src, cl (64-bit): the double shifts of 128-bit values. */
void x64_shld_cl(X64Asm *a, X64Reg dst, X64Reg src);
void x64_shrd_cl(X64Asm *a, X64Reg dst, X64Reg src);
/* `len` bytes of padding in as few recommended multi-byte nops as possible. */
void x64_nop(X64Asm *a, uint32_t len);

/* Names for dumps and tests: "rax"/"eax"/"ax"/"al" by size, "add", "ne". */
const char *x64_reg_name(X64Reg reg, int size);
const char *x64_op_name(X64Op op);
const char *x64_cond_name(X64Cond cc);

/* ---------------------------------------------------------------- object writer */

/* One module's contents: its functions and module-level data items. */
typedef struct ObjModule {
    const Interner *names;  /* where every Sym of the records lives */
    const char *file_name;  /* an STT_FILE symbol naming the module's source, or NULL */
    CodeFunc **funcs;
    uint32_t nfuncs;
    CodeData **data;
    uint32_t ndata;
} ObjModule;

/*
 * Writes an ELF64 x86-64 relocatable object: per function `.text.<sym>` (+ `.rela`),
 * `.rodata.<sym>.loc` (+ `.rela`) when it has locations, and its own data items; per data
 * item `.rodata.<sym>` or `.data.<sym>` (+ `.rela`); `.note.GNU-stack`; the symbol table
 * (locals first, then defined globals in record order, then undefined symbols in order
 * of first reference). Past 0xff00 sections it uses extended section numbering
 * (`.symtab_shndx`). The same module always gives the same bytes. The file appears
 * whole (file_write_cache: temp file, old file removed, rename; the fingerprint that
 * vouches for an object makes a missing one a rebuild). Returns false with *err (heap) on an I/O failure;
 * a name defined twice is an internal bug and dies.
 */
bool obj_write(const ObjModule *m, const char *path, char **err);
/* As obj_write, but leaves path untouched when it already holds exactly the object's
 * bytes; *written says whether it wrote. */
bool obj_write_if_changed(const ObjModule *m, const char *path, bool *written, char **err);
/* The bytes obj_write would write (heap, caller frees); path only names errors. */
bool obj_image(const ObjModule *m, const char *path, uint8_t **bytes, size_t *len, char **err);

/* ---------------------------------------------------------------- symbol mangling */

/* Basic types of Rust's v0 mangling: X(NAME, tag, rust name). */
#define MANGLE_BASICS(X)                                                                   \
    X(I8, 'a', "i8") X(BOOL, 'b', "bool") X(CHAR, 'c', "char") X(F64, 'd', "f64")            \
    X(STR, 'e', "str") X(F32, 'f', "f32") X(U8, 'h', "u8") X(ISIZE, 'i', "isize")            \
    X(USIZE, 'j', "usize") X(I32, 'l', "i32") X(U32, 'm', "u32") X(I128, 'n', "i128")        \
    X(U128, 'o', "u128") X(I16, 's', "i16") X(U16, 't', "u16") X(UNIT, 'u', "()")            \
    X(I64, 'x', "i64") X(U64, 'y', "u64") X(NEVER, 'z', "!")

typedef enum MangleBasic {
#define X(name, tag, rust) MANGLE_##name,
    MANGLE_BASICS(X)
#undef X
    MANGLE_BASIC_COUNT
} MangleBasic;

/* Namespaces of nested paths. */
#define MANGLE_NS_TYPE 't'   /* modules, structs, enums, traits */
#define MANGLE_NS_VALUE 'v'  /* functions, statics, consts */

/* A path, type or constant built by a Mangler. Equal structures get equal ids, so ids
 * of module paths can be kept and reused for every symbol of the module. 0 is none. */
typedef uint32_t MangleId;

typedef struct MangleNode MangleNode;

/* Builds v0 names. Ids live until mangle_free. */
typedef struct Mangler {
    Arena arena;              /* identifier bytes */
    Interner idents;
    Vec(MangleNode) nodes;    /* private: indexed by MangleId */
    Vec(MangleId) lists;      /* private: argument lists */
    uint32_t *table;          /* private: hash-consing, power-of-two size */
    uint32_t table_size;
    uint32_t generation;      /* private: back-reference scope of the current symbol */
    StrBuf out;               /* the last symbol */
} Mangler;

void mangle_init(Mangler *m);
void mangle_free(Mangler *m);
/* The root of a crate. The disambiguator is fixed per crate (0: none); it is not shown
 * when demangling. */
MangleId mangle_crate(Mangler *m, const char *name, uint64_t disambiguator);
/* parent::name in a namespace (MANGLE_NS_TYPE or MANGLE_NS_VALUE). The disambiguator
 * tells apart items of equal name in one scope (0 almost always). */
MangleId mangle_nested(Mangler *m, MangleId parent, char ns, const char *name,
                       uint64_t disambiguator);
/* <self_type> for an inherent impl written in module `parent` (the impl's
 * disambiguator, 0 for the first impl in the module, keeps impls apart). */
MangleId mangle_impl(Mangler *m, MangleId parent, uint64_t disambiguator, MangleId self_type);
/* <self_type as trait_path> for a trait impl written in module `parent`. */
MangleId mangle_trait_impl(Mangler *m, MangleId parent, uint64_t disambiguator,
                           MangleId self_type, MangleId trait_path);
/* path::<args> (a generic function, or a generic type used as a type). */
MangleId mangle_generic(Mangler *m, MangleId path, const MangleId *args, uint32_t nargs);
/* Types: a basic type; &T / &mut T; [T]; [T; len]; (T, U, ...). A path is a type too. */
MangleId mangle_basic(Mangler *m, MangleBasic basic);
MangleId mangle_ref(Mangler *m, bool mutable, MangleId inner);
MangleId mangle_slice(Mangler *m, MangleId elem);
MangleId mangle_array(Mangler *m, MangleId elem, uint64_t len);
MangleId mangle_tuple(Mangler *m, const MangleId *elems, uint32_t n);
/* A constant generic argument: an integer of a basic integer type (or bool, char). */
MangleId mangle_const(Mangler *m, MangleBasic type, uint64_t magnitude, bool negative);
/* The symbol "_R<path>[<instantiating crate>]": instantiating_crate is 0 or a crate
 * root, given for generic instances (rustc adds it; demanglers do not show it). The
 * string stays valid until the next call. */
const char *mangle_symbol(Mangler *m, MangleId path, MangleId instantiating_crate);

/* ---------------------------------------------------------------- code generation */

/*
 * cg_crate turns a checked crate (frontend/tree.h) into records: one CgModule per module
 * (the root, then every `mod`, inline ones included), holding its functions — free
 * functions and methods, derived Debug/PartialEq functions of its structs, and for a bin
 * crate the entry `__ws_main` — and its data items (statics, constants placed in memory).
 * Every potential panic's location is a CodeLoc of its function, never a code byte.
 *
 * Symbols are v0 names with fixed disambiguators (crate root disambiguator 1 for a
 * lib, 0 for a bin, which may share its name with the lib it links with; impls
 * numbered in source order within their module), stable across builds:
 *   fn f in module m            _R...NvNtC<crate>1m1f          (crate::m::f)
 *   method f of an impl of T    <crate::m::T>::f                (impl disambiguator k)
 *   static / placed const X     crate::m::X
 *   derived Debug of T          <crate::m::T as core::fmt::Debug>::fmt
 *   derived PartialEq of T      <crate::m::T as core::cmp::PartialEq>::eq
 * Functions' own data (string literals, format templates, descriptors) are local
 * symbols "<function symbol>.dN". Items of dependencies (FeItem.krate != 0, loaded from
 * their interfaces; see frontend/tree.h) get no code or data here: calls, statics and
 * derived impls refer to them by the same symbols, mangled from their module path under
 * their own crate's root (FeCrate.crates) and their impl's disambiguator
 * (FeImpl.index), which is what their defining crate emits; a dependency's const is its
 * initializer (loaded as nodes) at each use.
 *
 * The Rust-to-Rust calling convention (also what crates calling each other use):
 *   - System V x86-64 registers and stack: arguments in rdi, rsi, rdx, rcx, r8, r9, then
 *     8-byte stack slots in argument order at [rsp + 8k] at the call; rsp 16-byte aligned
 *     at the call; rbx, rbp, r12-r15 preserved; everything else clobbered.
 *   - A value of 1 to 8 bytes (integers, bool, char, &T to a sized T) takes one register,
 *     only its low `size` bytes meaningful (bool 0/1 in the low byte).
 *   - A 16-byte scalar (i128/u128: low, high) or a fat pointer (&str, &[T], &mut [T]:
 *     pointer, length) takes two registers, or two consecutive stack slots when fewer
 *     than two registers are left (later arguments may still take registers).
 *   - An aggregate (struct, tuple, array) of non-zero size is passed by a pointer to a
 *     copy the caller made for the call; the callee may modify it.
 *   - Zero-sized arguments (unit, empty tuples/structs/arrays) take nothing.
 *   - Results: 1-8 bytes in rax; 16-byte scalars and fat pointers in rax:rdx;
 *     aggregates through a hidden first argument (rdi) pointing at caller memory the
 *     callee writes (rax is not significant); zero-sized and `!` results take nothing.
 * Calls into the runtime follow rt.h (the System V convention proper).
 */
struct FeSession;
struct FeCrate;
struct FeFnHash;

/* One module's generated records. */
typedef struct CgModule {
    uint32_t item;       /* the module's ItemId in its crate */
    const char *path;    /* inside the crate: "" for the root, "geom::shapes" */
    const char *file;    /* display path of its source file */
    CodeFunc **funcs;
    uint32_t nfuncs;
    CodeData **data;
    uint32_t ndata;
} CgModule;

/* A crate's generated records. */
typedef struct CgCrate {
    Arena arena;         /* every record, array and string below */
    CgModule *modules;   /* the root first, then modules in item order */
    uint32_t nmodules;
    uint64_t functions;  /* functions generated (for --timings and tests) */
} CgCrate;

/* Generates the crate's code, every piece afresh (cg_build without a cache, minus the
 * objects). Every name is a Sym of sess->names. Constructs outside what the generator
 * supports are reported to sess->diag as `error: unsupported: ...` (all of them), and
 * the result is then false; out must be freed either way. */
bool cg_crate(struct FeSession *sess, struct FeCrate *crate, CgCrate *out);
void cg_crate_free(CgCrate *out);
/* An ObjModule view of module i, for obj_write (valid while cc and names live). */
void cg_module_obj(const CgCrate *cc, uint32_t i, const Interner *names, ObjModule *obj);

/* ---------------------------------------------------------------- one piece at a time */

/*
 * A piece is what one entry of fe_fn_hashes (frontend.h) generates: a function (FN), a
 * derived Debug fmt or PartialEq eq (DEBUG, EQ, item: the struct), a static's or
 * const's data (DATA), or a bin's entry `__ws_main` (ENTRY, item: fn main). A CgGen
 * generates pieces one at a time, in any order except that every DATA piece comes first,
 * generated or adopted (a function's code depends on which consts are in memory).
 * Module i of a CgGen is module i of cg_crate's CgCrate.
 *
 * A function's panic locations are numbered by node within the function (CodeLoc.node:
 * backend/sites.c), so a piece's records depend only on its fe_fn_hash, except for the
 * line, column and file of its locations, which cg_locs_rebuild recomputes from the
 * current tree: a function that only moved keeps its code and gets its new lines.
 */
typedef struct CgGen CgGen;

typedef struct CgPiece {
    uint8_t kind;        /* FeCodeKind */
    uint32_t item;       /* the fe_fn_hashes entry's item */
    uint32_t module;     /* index of its module */
    CodeFunc *func;      /* FN, DEBUG, EQ, ENTRY: the function (NULL for DATA) */
    CodeData **data;     /* DATA: the item's data item and the strings it points to; none
                            for a const that is only a value */
    uint32_t ndata;
} CgPiece;

/* Starts generating a checked crate: symbols of every item (an unsupported impl is
 * reported to sess->diag) and its modules. Records go to out; names are Syms of
 * sess->names. */
CgGen *cg_gen_new(struct FeSession *sess, struct FeCrate *crate, Arena *out);
void cg_gen_free(CgGen *g);
/* Errors reported so far (unsupported constructs). */
int cg_gen_errors(const CgGen *g);
/* The crate's modules (the root first) and module i's item, path and file (no records). */
uint32_t cg_gen_nmodules(const CgGen *g);
void cg_gen_module(CgGen *g, uint32_t i, CgModule *out);
/* The module of piece (kind, item). */
uint32_t cg_gen_piece_module(const CgGen *g, uint8_t kind, uint32_t item);
/* The symbol piece (kind, item) defines (DATA: the item's, present only when it has data). */
Sym cg_gen_symbol(CgGen *g, uint8_t kind, uint32_t item);
/* Generates one piece into *out; false when it reported unsupported constructs. */
bool cg_gen_piece(CgGen *g, uint8_t kind, uint32_t item, CgPiece *out);
/* Takes note of a piece obtained elsewhere (the cache) instead of cg_gen_piece. */
void cg_gen_adopt(CgGen *g, const CgPiece *p);
/* Recomputes file, line and column of the locations of function fn (an FN piece's item)
 * from the current tree; false when a node number is not one of fn's (the records are
 * not fn's). */
bool cg_locs_rebuild(struct FeSession *sess, struct FeCrate *crate, uint32_t fn, CodeLoc *locs,
                     uint32_t nlocs);

/* ---------------------------------------------------------------- the code cache (cache.c) */

/*
 * One pack file per crate (format at the top of cache.c) maps content keys to the
 * encoded records of pieces. cg_build reads it once, looks pieces up by key and, when
 * the set or content of its pieces changed, writes a new pack holding exactly them.
 */

/* The key under which piece (kind, hash) of a lib or bin crate is cached by a compiler
 * build: hash is the piece's fe_fn_hashes hash. */
Hash128 cg_cache_key(Hash128 hash, uint8_t kind, bool is_bin, const char *build_id);

/* A pack read into memory. */
typedef struct CgPack {
    char *payload;            /* the file's payload (heap); NULL when unusable */
    size_t len;
    char *why;                /* NULL when usable; else why no piece can come from it (heap):
                                 "not in the cache" (no file), "damaged: checksum mismatch",
                                 "damaged: truncated", "written by another compiler build", ... */
    uint32_t n;               /* entries */
    const uint8_t *index;     /* into payload: n index entries, sorted by key */
} CgPack;

/* Reads the pack at path as written by build_id. Never fails: a missing or untrusted pack
 * is an empty one with pk->why set. Free with cg_pack_free. */
void cg_pack_read(CgPack *pk, const char *path, const char *build_id);
void cg_pack_free(CgPack *pk);
/* The index of key's entry (0 to pk->n - 1), or UINT32_MAX when the pack has none. */
uint32_t cg_pack_slot(const CgPack *pk, Hash128 key);
/* The encoded entry of key (into pk->payload); false when the pack has none. */
bool cg_pack_find(const CgPack *pk, Hash128 key, const uint8_t **bytes, size_t *len);
/* Decodes the piece (kind) stored under key into *out (records in arena, names interned).
 * Returns NULL when loaded, else why not: pk->why, "not in the cache", or "damaged: ..."
 * (a malformed entry); valid while pk lives. A loaded piece's locations have no file,
 * line or column yet (cg_locs_rebuild). */
const char *cg_pack_load(const CgPack *pk, Hash128 key, uint8_t kind, CgPiece *out, Arena *arena,
                         Interner *names);

/* A pack being made: entries are encoded into its payload as they come. */
typedef struct CgPackIndex {
    Hash128 key;              /* the entry's cache key */
    size_t offset, len;       /* of the entry's bytes in the payload */
} CgPackIndex;
typedef struct CgPackWriter {
    StrBuf payload;           /* the build id, then the entries' bytes */
    Vec(CgPackIndex) index;   /* in the order added */
} CgPackWriter;

/* Starts an empty pack of build_id. */
void cg_pack_writer_init(CgPackWriter *w, const char *build_id);
void cg_pack_writer_free(CgPackWriter *w);
/* Adds a piece under key (locations without file, line or column). */
void cg_pack_add(CgPackWriter *w, Hash128 key, const CgPiece *p, const Interner *names);
/* Adds an entry's bytes as they are (cg_pack_find's, from an older pack). */
void cg_pack_add_bytes(CgPackWriter *w, Hash128 key, const uint8_t *bytes, size_t len);
/* Writes the pack (a key added twice once) to path atomically (temp file + rename),
 * creating its directory; false with *err (heap). */
bool cg_pack_write(CgPackWriter *w, const char *path, char **err);

/* ---------------------------------------------------------------- a crate's objects (incr.c) */

typedef struct CgBuildSpec {
    const char *obj_dir;    /* where module objects go (created when missing) */
    const char *cache_path; /* the crate's pack (ws: target/ws/cache/<crate>.cgpack, lib and
                               bin apart); NULL: no cache, every piece is generated and
                               nothing stored */
    const char *build_id;   /* the compiler's build id, part of every cache key (required
                               with a cache) */
} CgBuildSpec;

/* What became of one piece. */
typedef struct CgPieceReport {
    uint8_t kind;           /* FeCodeKind */
    uint32_t item;
    uint32_t module;        /* index into CgBuildReport.modules */
    const char *name;       /* for people: "geom::Point::sum", "<geom::Point as Debug>::fmt",
                               "geom::LIMIT", "main (entry point)" (the crate root's items
                               have no prefix) */
    Hash128 key;            /* its cache key (zero without a build id) */
    bool reused;            /* taken from the cache; else generated */
    const char *why;        /* generated: "no cache", "not in the cache", or why the pack or
                               the entry was not trusted ("damaged: checksum mismatch",
                               "written by another compiler build", ...); NULL when reused */
} CgPieceReport;

typedef struct CgModuleReport {
    const char *path;       /* "" for the root, "geom::shapes" */
    const char *object;     /* its object's file name in obj_dir ("crate.o", "geom.shapes.o");
                               NULL when the module has no code or data (and no object) */
    bool written;           /* the object was written (new bytes); else it already held them */
    uint32_t compiled, reused;  /* its pieces */
} CgModuleReport;

typedef struct CgBuildReport {
    Arena arena;                 /* every array and string below */
    CgPieceReport *pieces;       /* in the order of the hash list */
    uint32_t npieces;
    CgModuleReport *modules;     /* root first, as CgCrate */
    uint32_t nmodules;
    uint32_t compiled, reused;   /* pieces */
    uint32_t written, unchanged; /* objects */
    bool pack_written;           /* a new pack was written (else it already held exactly
                                    this build's pieces, or there is no cache) */
    const char *pack_error;      /* why the pack could not be written (the build goes on);
                                    NULL when it was or needed not be */
    uint64_t codegen_ns, cache_ns, object_ns;  /* time generating, in the cache (reading,
                                                  decoding, encoding, writing the pack),
                                                  writing objects */
} CgBuildReport;

/*
 * Produces the objects of a checked crate in spec->obj_dir, one per module with code or
 * data, named as CgModuleReport.object says: each piece of hashes (fe_fn_hashes'
 * list, in its order) is taken from the pack spec->cache_path when its key is there and
 * trusted, else generated. When every piece succeeded and the pack did not hold exactly
 * these pieces, a new pack holding exactly them replaces it (a build that reused every
 * piece of an exact pack writes none; a pack that cannot be written is reported in
 * out->pack_error and the build goes on). An object is written only when its bytes
 * differ from the file already there. The objects are byte-identical to a build without
 * a cache. Objects of modules that no longer exist are the caller's to remove; two
 * builds must not share a pack at once (ws: its lock). Returns false when a piece
 * reported unsupported constructs (to sess->diag; no object and no pack is written
 * then) or an object could not be written (an error in sess->diag); *out is filled
 * either way and must be freed.
 */
bool cg_build(struct FeSession *sess, struct FeCrate *crate, const struct FeFnHash *hashes,
              uint32_t nhashes, const CgBuildSpec *spec, CgBuildReport *out);
void cg_build_report_free(CgBuildReport *r);

#endif

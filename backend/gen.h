/*
 * backend/gen.h — the code generator's shared state (internal to backend/gen*.c; ws and
 * tests use backend.h only).
 *
 * Files, one stage each:
 *   gen.c        the crate driver: symbols, modules, function frames and parameters,
 *                derived trait functions, the entry point, diagnostics
 *   gen_expr.c   expressions, places, operators' operands, aggregates, dispatch
 *   gen_stmt.c   statements, blocks, control flow and calls
 *   gen_arith.c  operators with debug-build checks, casts, 128-bit arithmetic, ==/< on
 *                values in memory, panic stubs
 *   gen_fmt.c    print/panic/assert macros through the runtime's fmt ABI, Debug
 *                descriptors
 *   gen_data.c   constant evaluation into data items (statics, consts, promoted
 *                constants), string literals
 *
 * Code shape: every function keeps an rbp frame; locals and temporaries live in frame
 * slots; expressions compute into rax (rdx for the high half of a 16-byte value), and
 * aggregates into memory. Panics jump to out-of-line stubs placed after the epilogue.
 */
#ifndef BACKEND_GEN_H
#define BACKEND_GEN_H

#include "backend/backend.h"
#include "frontend/frontend.h"

/* ---------------------------------------------------------------- values */

/* How a value of a type travels (see the calling convention in backend.h). */
typedef enum ValClass {
    VC_VOID,    /* size 0 (unit, empty aggregates) or `!`: nothing to hold */
    VC_SCALAR,  /* 1, 2, 4 or 8 bytes in rax (only the low `size` bytes are meaningful) */
    VC_PAIR,    /* 16 bytes in rax (low half, pointer) and rdx (high half, length) */
    VC_MEM,     /* aggregates: always in memory */
    VC_UNSIZED, /* str and [T]: only behind a reference */
} ValClass;

typedef struct TyInfo {
    uint8_t cls;      /* ValClass */
    uint8_t sign;     /* signed integer */
    uint8_t known;    /* computed */
    uint8_t is_int;   /* an integer type (size 1..16) */
    uint32_t align;
    uint64_t size;
} TyInfo;

/* Where a value lives. LOC_REG is transient: valid until the next expression is
 * evaluated; the others stay valid for the whole function. */
typedef enum LocKind {
    LOC_FRAME, /* [rbp + disp] */
    LOC_IND,   /* [*(rbp + slot) + disp]: a pointer kept in a frame slot */
    LOC_SYM,   /* [rip + sym + disp] */
    LOC_REG,   /* [reg + disp] */
} LocKind;

typedef struct Loc {
    uint8_t kind;  /* LocKind */
    uint8_t reg;   /* LOC_REG */
    int32_t disp;
    int32_t slot;  /* LOC_IND */
    Sym sym;       /* LOC_SYM */
} Loc;

/* Where a value goes: rax (rdx), a stable location, or nowhere. */
typedef enum DestKind { DEST_VALUE, DEST_MEM, DEST_NONE } DestKind;
typedef struct Dest {
    uint8_t kind;  /* DestKind */
    Loc loc;       /* DEST_MEM */
} Dest;

static const Dest dest_value = {DEST_VALUE, {0}};
static const Dest dest_none = {DEST_NONE, {0}};
static inline Dest dest_mem(Loc l) { return (Dest){DEST_MEM, l}; }

/* A right operand of an operator: rcx (and r8 for 16 bytes), an immediate, or a
 * stable memory operand. */
typedef enum OpndKind { OPND_REG, OPND_IMM, OPND_MEM } OpndKind;
typedef struct Opnd {
    uint8_t kind;
    int64_t imm;
    X64Mem mem;
} Opnd;

/* A place in a data item: its symbol and a byte offset (sym 0: none). */
typedef struct DataRef {
    Sym sym;
    int32_t off;
} DataRef;

/* A piece of the function's data pool (for sharing equal pieces). */
typedef struct PoolItem {
    uint32_t off, size;   /* in the pool */
    uint32_t rel, nrel;   /* its relocations in pool_relocs */
} PoolItem;

/* ---------------------------------------------------------------- runtime symbols */

#define GEN_RT_SYMS(X)                                                                  \
    X(PANIC_ADD, "rt_panic_add_overflow") X(PANIC_SUB, "rt_panic_sub_overflow")         \
    X(PANIC_MUL, "rt_panic_mul_overflow") X(PANIC_NEG, "rt_panic_neg_overflow")         \
    X(PANIC_DIV0, "rt_panic_div_by_zero") X(PANIC_REM0, "rt_panic_rem_by_zero")         \
    X(PANIC_DIVO, "rt_panic_div_overflow") X(PANIC_REMO, "rt_panic_rem_overflow")       \
    X(PANIC_SHL, "rt_panic_shl_overflow") X(PANIC_SHR, "rt_panic_shr_overflow")         \
    X(PANIC_BOUNDS, "rt_panic_bounds") X(PANIC, "rt_panic") X(PANIC_STR, "rt_panic_str") \
    X(PANIC_CMP, "rt_panic_assert_cmp") X(PRINT, "rt_print") X(EPRINT, "rt_eprint")     \
    X(PRINT_STR, "rt_print_str") X(EPRINT_STR, "rt_eprint_str") X(EXIT, "rt_exit")      \
    X(U128_MUL, "rt_u128_mul") X(I128_MUL, "rt_i128_mul") X(U128_DIV, "rt_u128_div")    \
    X(U128_REM, "rt_u128_rem") X(I128_DIV, "rt_i128_div") X(I128_REM, "rt_i128_rem")    \
    X(MEMCMP, "memcmp") X(FMT_I8, "rt_fmt_i8") X(FMT_I16, "rt_fmt_i16")                 \
    X(FMT_I32, "rt_fmt_i32") X(FMT_I64, "rt_fmt_i64") X(FMT_I128, "rt_fmt_i128")        \
    X(FMT_ISIZE, "rt_fmt_isize") X(FMT_U8, "rt_fmt_u8") X(FMT_U16, "rt_fmt_u16")        \
    X(FMT_U32, "rt_fmt_u32") X(FMT_U64, "rt_fmt_u64") X(FMT_U128, "rt_fmt_u128")        \
    X(FMT_USIZE, "rt_fmt_usize") X(FMT_BOOL, "rt_fmt_bool") X(FMT_CHAR, "rt_fmt_char")  \
    X(FMT_STR, "rt_fmt_str") X(FMT_UNIT, "rt_fmt_unit")                                 \
    X(FMT_STRUCT, "rt_fmt_debug_struct") X(FMT_ARRAY, "rt_fmt_debug_array")             \
    X(FMT_SLICE, "rt_fmt_debug_slice") X(FMT_DEREF, "rt_fmt_deref")

typedef enum RtSymId {
#define X(id, name) RTS_##id,
    GEN_RT_SYMS(X)
#undef X
    RTS_COUNT
} RtSymId;

/* ---------------------------------------------------------------- function state */

/* An out-of-line panic: the code jumps to `label`; the stub loads the location (and
 * for bounds checks the index from rax and the length) and calls the runtime. */
typedef enum StubLen { STUB_LEN_NONE, STUB_LEN_IMM, STUB_LEN_RDX, STUB_LEN_SLOT } StubLen;
typedef struct Stub {
    X64Label label;
    uint16_t rt;       /* RtSymId of the panic function */
    uint8_t len_kind;  /* StubLen (bounds checks: where the length is) */
    uint32_t loc;      /* location record */
    int64_t len;       /* STUB_LEN_IMM: the length; STUB_LEN_SLOT: its frame offset */
} Stub;

/* An enclosing loop, for break and continue. */
typedef struct LoopCtx {
    ExprId expr;
    X64Label brk, cont;
    bool has_dest;     /* break values are stored at dest (else they are in rax/rdx) */
    Loc dest;
} LoopCtx;


/* A panic site of the function being generated: the node it reports (see sites.c). */
typedef struct GenSite {
    ExprId expr;
    bool bracket;           /* at the `[` of a slicing rather than the node's start */
} GenSite;

/* The code generator of one crate (backend.h's CgGen); one function is generated at a
 * time. */
typedef struct CgGen {
    FeSession *sess;
    FeCrate *c;
    Interner *names;        /* sess->names: every symbol is a Sym of it */
    Arena *out;             /* where records live (the CgCrate's arena) */
    Mangler mangler;
    MangleId crate_path;
    MangleId debug_trait, eq_trait;
    X64Asm as;
    Sym rt[RTS_COUNT];
    Sym *item_sym;          /* per ItemId: function, static or constant-data symbol (0: none) */
    Sym *debug_sym;         /* per ItemId (struct): its Debug fmt function */
    Sym *eq_sym;            /* per ItemId (struct): its PartialEq eq function */
    bool *const_data;       /* per ItemId (const): has a data item (item_sym) */
    MangleId *mangle_path;  /* per ItemId (module): its v0 path */
    Sym *file_sym;          /* per source file: its display path */
    TyInfo *tyinfo;         /* per TypeId */
    uint32_t ntyinfo;
    int errors;             /* unsupported constructs reported */
    Vec(CodeData *) module_data;  /* data items of the module being generated */

    /* the function being generated (reset by gen_function) */
    Arena scratch;          /* per-function scratch, freed after each function */
    FeFn *fn;
    ItemId fn_item;         /* the function's item (0 for derived functions, the entry) */
    Sym fn_sym;
    int32_t *local_slot;    /* rbp-relative offset per local */
    bool *local_ind;        /* the local's slot holds a pointer to it (aggregate params) */
    int32_t frame;          /* bytes of frame in use below rbp */
    int32_t frame_max;
    int32_t out_args;       /* bytes of outgoing stack arguments at [rsp] */
    bool keep_temps;        /* inside a `let` initializer: temporaries live on */
    uint32_t frame_patch;   /* offset of the prologue's `sub rsp, imm32` */
    X64Label ret_label;
    int32_t sret_slot;      /* slot of the hidden return pointer (MEM returns) */
    uint8_t ret_cls;
    Vec(Stub) stubs;
    Vec(LoopCtx) loops;
    Vec(uint8_t) pool;      /* the function's own data, one item "<fn>.d" */
    Vec(CodeReloc) pool_relocs;
    Vec(PoolItem) pool_items;
    Sym pool_sym;           /* 0 until the pool is first used */
    uint32_t pool_align;
    uint32_t *data_slots;   /* sharing of pool pieces: open addressing over
                               pool_items indices + 1 (0 free), keyed by content hash */
    uint32_t ndata_slots;
    Vec(GenSite) sites;     /* per location record (CodeLoc.node until the end) */
    Span fn_span;           /* the item being generated, for errors without a node */
    bool frame_overflow;    /* its frame passed 1 GiB (reported once) */

    /* the crate's modules and pieces (cg_gen_new) */
    Vec(ItemId) mods;       /* the root first, then modules in item order */
    uint32_t *mod_index;    /* per ItemId (module): its index in mods */
    uint32_t data_left;     /* DATA pieces not yet generated or adopted */
} Gen;

/* ---------------------------------------------------------------- gen.c */

/* Type facts (size, class, signedness), cached per TypeId. */
const TyInfo *gen_ty(Gen *g, TypeId ty);
static inline const FeType *gen_type(Gen *g, TypeId ty) { return fe_type(g->c, ty); }
static inline FeExpr *gen_expr_node(Gen *g, ExprId e) { return fe_expr(g->c, e); }
/* Reports `error: unsupported: <what>` at span (once per construct). */
void gen_unsupported(Gen *g, Span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Allocates a frame slot; returns its rbp-relative offset (negative). */
int32_t gen_slot(Gen *g, uint64_t size, uint32_t align);
/* A stub that panics with runtime function rt at location loc; returns its label. */
X64Label gen_stub(Gen *g, RtSymId rt, uint32_t loc);
/* A bounds-check stub (index in rax; the length as given). */
X64Label gen_stub_bounds(Gen *g, uint32_t loc, StubLen kind, int64_t len);
/* Starts a function: prologue (frame size patched at the end) and the return label. */
void gen_begin_function(Gen *g, Sym name);
/* Ends it: epilogue, panic stubs, frame size; returns the record (in g->out). */
CodeFunc *gen_end_function(Gen *g);
/* Starts/ends a function without frame or epilogue (tail-calling stubs). */
void gen_begin_leaf(Gen *g, Sym name);
CodeFunc *gen_end_leaf(Gen *g);
/* Where the next gen_fn_data piece of this alignment will go (for pieces that point
 * into themselves). */
DataRef gen_fn_data_next(Gen *g, uint32_t align);
/* Copies the value at src (stable) into the locals a pattern binds. */
void gen_bind_pattern(Gen *g, PatId pat, Loc src);
/* Symbols of a derived Debug/PartialEq function of a struct type. */
Sym gen_debug_fn(Gen *g, TypeId struct_ty);
Sym gen_eq_fn(Gen *g, TypeId struct_ty);

/* ---------------------------------------------------------------- sites.c */

/* A panic location record for node (at the `[` of a slicing when bracket), for
 * x64_mem_loc; its line and column are filled in when the function ends. */
uint32_t gen_site(Gen *g, ExprId node, bool bracket);
/* Numbers the sites of f, just assembled from function fn's body (0 for functions
 * without one, which must have no sites), and fills in their locations. */
void gen_number_sites(Gen *g, CodeFunc *f, ItemId fn);

/* ---------------------------------------------------------------- gen_expr.c */

/* Locations */
X64Mem gen_mem(Gen *g, Loc l, int32_t extra, X64Reg scratch);
Loc gen_loc_frame(int32_t disp);
/* Makes a transient location stable (its address into a frame slot). */
Loc gen_stabilize(Gen *g, Loc l);
/* Address of l into reg. */
void gen_lea(Gen *g, X64Reg reg, Loc l);
/* Loads a value of type ty at l into rax (and rdx). */
void gen_load(Gen *g, TypeId ty, Loc l);
/* Stores rax (and rdx) as a value of type ty at l (l must not use rax/rdx). */
void gen_store(Gen *g, TypeId ty, Loc l);
/* Copies size bytes between two locations (at most one transient). */
void gen_copy(Gen *g, Loc dst, Loc src, uint64_t size);
/* Loads an integer/bool/char immediate into rax (rdx) for a value of type ty. */
void gen_load_imm(Gen *g, TypeId ty, u128 v);

/* Loads size (1, 2, 4, 8) bytes at m into reg, zero-extending bytes and words. */
void gen_load_sized(Gen *g, X64Reg reg, int size, X64Mem m);
/* A fresh frame temporary for a value of type ty. */
Loc gen_temp(Gen *g, TypeId ty);
/* Stores rax (rdx) at d when d is a location (a value already computed in rax). */
void gen_finish(Gen *g, TypeId ty, Dest d);

/* Evaluation */
void gen_expr(Gen *g, ExprId e, Dest d);         /* e to d */
void gen_value(Gen *g, ExprId e);                /* scalar/pair into rax/rdx; void: effects */
void gen_into(Gen *g, ExprId e, Loc dest);       /* any sized value into stable dest */
Loc gen_loc(Gen *g, ExprId e);                   /* a location holding e's value */
void gen_discard(Gen *g, ExprId e);              /* effects only */
void gen_cond(Gen *g, ExprId e, bool jump_if, X64Label target);
/* The fat pointer (rax = ptr, rdx = len) of an unsized place (a str or [T]). */
void gen_unsized(Gen *g, ExprId e);
/* A value of type ty into a fresh frame temporary; returns it. */
Loc gen_spill(Gen *g, TypeId ty);
/* A stable location holding e's value (a place as it is, else a temporary; for an
 * unsized e, a temporary holding its fat pointer). */
Loc gen_operand_loc(Gen *g, ExprId e);
/* True when loading e has no side effects and touches only the target register. */
bool gen_is_simple(Gen *g, ExprId e);
/* True for literals and constants (their value cannot depend on evaluation order). */
bool gen_is_constant(Gen *g, ExprId e);
/* Loads a simple expression into reg (hi: the high half of a 16-byte value). */
void gen_load_simple(Gen *g, ExprId e, X64Reg reg, X64Reg hi);
/* Evaluates a simple expression into an operand (no code for immediates and frame
 * values); any other expression is evaluated into rcx (r8). */
Opnd gen_operand(Gen *g, ExprId e);

/* ---------------------------------------------------------------- gen_stmt.c */

/* The body of the current function. */
void gen_body(Gen *g, ExprId body);
/* Calls a function item with arguments args[0..n) (receiver first for methods); the
 * result goes to dest when it is an aggregate, else to rax/rdx. */
void gen_call(Gen *g, ItemRef fn, const ExprId *args, uint32_t n, TypeId ret, const Loc *dest);
/* Control flow, each to destination d where it has a value. */
void gen_block(Gen *g, ExprId e, Dest d);
void gen_if(Gen *g, ExprId e, Dest d);
void gen_loop(Gen *g, ExprId e, Dest d);
void gen_while(Gen *g, ExprId e);
void gen_for(Gen *g, ExprId e);
void gen_break(Gen *g, ExprId e);      /* break and continue */
void gen_return(Gen *g, ExprId value); /* value 0: `return;` */

/* ---------------------------------------------------------------- gen_arith.c */

/* lhs in rax (rdx), rhs as an operand; result in rax (rdx). */
void gen_binop(Gen *g, int op, TypeId lt, TypeId rt, Opnd rhs, ExprId site);
/* Sets flags for lhs (rax) against rhs and returns the condition code of `op` being
 * true (scalar types of at most 8 bytes). */
X64Cond gen_compare(Gen *g, int op, TypeId ty, Opnd rhs);
void gen_unop(Gen *g, int op, TypeId ty, ExprId site);
/* Converts rax (rdx) of type from to type to. */
void gen_cast(Gen *g, TypeId from, TypeId to);
/* Compares two values of type ty at stable locations: jumps to ne when a != b. For an
 * unsized ty (str, [T]) the locations hold the fat pointers. */
void gen_eq_mem(Gen *g, TypeId ty, Loc a, Loc b, X64Label ne);
/* Orders two values: jumps to lt when a < b, to gt when a > b, falls through on ==. */
void gen_cmp_mem(Gen *g, TypeId ty, Loc a, Loc b, X64Label lt, X64Label gt);
/* Emits the panic stubs of the current function. */
void gen_emit_stubs(Gen *g);
/* Panics at loc with a message of literal pieces and usize values (frame slots)
 * interleaved: pieces[0] slot[0] pieces[1] slot[1] ...; emitted inline. */
void gen_panic_usizes(Gen *g, uint32_t loc, const char *const *pieces, uint32_t npieces,
                      const int32_t *slots, uint32_t nslots);
/* Shift-amount check: the amount (of type rt) in rcx (r8) against bits. */
void gen_shift_check(Gen *g, TypeId rt, uint32_t bits, bool left, ExprId site);

/* ---------------------------------------------------------------- gen_fmt.c */

void gen_macro(Gen *g, ExprId e);
/* Emits the Debug fmt function of a struct item (with FE_DERIVE_DEBUG). */
CodeFunc *gen_debug_function(Gen *g, ItemId st);
/* Emits the PartialEq::eq function of a struct item (with FE_DERIVE_PARTIAL_EQ). */
CodeFunc *gen_eq_function(Gen *g, ItemId st);

/* ---------------------------------------------------------------- gen_data.c */

/* Appends a piece to the current function's data pool; returns where it went. */
DataRef gen_fn_data(Gen *g, const void *bytes, uint32_t size, uint32_t align, const CodeReloc *relocs,
                    uint32_t nrelocs);
/* As gen_fn_data, but reuses an equal piece (same bytes and relocations). */
DataRef gen_fn_data_dedup(Gen *g, const void *bytes, uint32_t size, uint32_t align,
                          const CodeReloc *relocs, uint32_t nrelocs);
/* A string's bytes in the current function's data. */
DataRef gen_str_data(Gen *g, const char *s, uint32_t len);
/* Evaluates e (of type ty) at compile time into bytes and relocations; false when it is
 * not a constant the generator can place in memory. Strings referred to become data
 * items through new_data. */
typedef struct ConstBuf {
    Vec(uint8_t) bytes;
    Vec(CodeReloc) relocs;
} ConstBuf;
bool gen_const_eval(Gen *g, ExprId e, ConstBuf *out, bool module_level, Sym owner);
/* Places the value of a constant expression in read-only data of the current
 * function (promotion of `&CONST`); sym 0 when e is not constant. */
DataRef gen_promote(Gen *g, ExprId e);
/* Evaluates an integer/bool/char constant expression; false when it is not one. */
bool gen_const_scalar(Gen *g, ExprId e, u128 *out);
/* Module-level data for statics and aggregate consts of module `mod`. */
void gen_module_data(Gen *g, ItemId mod);

#endif

/*
 * frontend/tree.h — the resolved, typed tree of one crate (what backend/ reads and
 * what interfaces are hashed from).
 *
 * Owns: items, expressions, statements, patterns, interned types and struct layouts.
 * Everything is referred to by index: ItemId into FeCrate.items, ExprId/StmtId/PatId
 * into the crate's node stores (fe_expr(), fe_stmt(), fe_pat()), TypeId into the
 * interned type table (fe_type()), LocalId into the owning function's locals, Sym for
 * names.
 *
 * Items of dependencies: the interfaces of the crate's dependencies (FeCrateSpec.deps)
 * are loaded into this crate's own item table before resolution, so every ItemId and
 * TypeId indexes this crate's tables and ItemRef.krate is always FE_LOCAL_CRATE. Such
 * an item has FeItem.krate >= 1 (an index into FeCrate.crates, which names the crate
 * that defines it): it has no body, no written types (tyx 0) and no spans; its
 * signature, struct layout and const value are final as loaded. The backend generates
 * no code or data for it and refers to it by the symbol it mangles from its module
 * path (each dependency crate has its own root module, FeCrateInfo.root), exactly as
 * the defining crate does. A foreign const of a non-scalar type keeps its initializer
 * as expression nodes of this crate. Items flagged FE_ITEM_STUB are private items of a
 * dependency known by name only (for rustc's privacy errors); nothing else of them is.
 *
 * After fe_check_crate succeeds:
 *  - every expression has its final type (FeExpr.ty); integer literals carry their
 *    final integer type, never an inference variable;
 *  - paths are resolved: FE_EXPR_LOCAL (a local) or FE_EXPR_ITEM (const, static, unit
 *    struct); calls name their function item; tuple-struct constructors are
 *    FE_EXPR_STRUCT;
 *  - method calls name their function item, and the receiver (args[0]) already has
 *    the auto-ref/auto-deref applied as explicit FE_EXPR_REF / FE_EXPR_UNARY(DEREF)
 *    nodes flagged FE_EXPR_IMPLICIT; field accesses likewise auto-deref explicitly and
 *    name the field index;
 *  - implicit coercions are explicit FE_EXPR_COERCE nodes (array-to-slice unsizing,
 *    &mut-to-& reborrow, never-to-any);
 *  - struct layouts (size, align, field offsets) are computed (FeStruct, fe_layout()).
 *
 * Source positions (Span fields, always named `span` or ending in `_span`, and
 * FeExpr.op_lo) never enter a hash: a hasher skips them. Names of locals (FeLocal.name,
 * FeExpr.name of a LOCAL) are informational: locals are identified by LocalId. The span of every node that can panic at run time is the one
 * rustc reports as the panic location: its `lo` is the location (see FE_EXPR_BINARY,
 * FE_EXPR_INDEX, FE_EXPR_MACRO).
 */
#ifndef FRONTEND_TREE_H
#define FRONTEND_TREE_H

#include "common/common.h"

typedef unsigned __int128 u128;

typedef uint32_t ItemId;   /* index into FeCrate.items; 0 = none */
typedef uint32_t TypeId;   /* interned type; 0 = none (see FE_TY_* for fixed ids) */
typedef uint32_t ExprId;   /* expression node; 0 = none */
typedef uint32_t StmtId;   /* statement node; 0 = none */
typedef uint32_t PatId;    /* pattern node; 0 = none */
typedef uint32_t TyxId;    /* a type as written in the source (syntax); 0 = none */
typedef uint32_t LocalId;  /* index into the owning function's FeFn.locals */

/* An item, as expressions and struct types name it. */
typedef struct ItemRef {
    uint32_t krate;  /* always FE_LOCAL_CRATE (see the top of this file) */
    ItemId item;
} ItemRef;

enum { FE_LOCAL_CRATE = 0 };

/* ---------------------------------------------------------------- types */

#define FE_INT_KINDS(X) \
    X(I8, "i8", 1, 1) X(I16, "i16", 2, 1) X(I32, "i32", 4, 1) X(I64, "i64", 8, 1) \
    X(I128, "i128", 16, 1) X(ISIZE, "isize", 8, 1) X(U8, "u8", 1, 0) X(U16, "u16", 2, 0) \
    X(U32, "u32", 4, 0) X(U64, "u64", 8, 0) X(U128, "u128", 16, 0) X(USIZE, "usize", 8, 0)

typedef enum FeIntKind {
#define X(k, name, size, is_signed) FE_INT_##k,
    FE_INT_KINDS(X)
#undef X
    FE_INT_COUNT
} FeIntKind;

#define FE_TYPE_KINDS(X)                                                  \
    X(ERROR)   /* an error was reported; unifies with everything */      \
    X(INT)     /* sub: FeIntKind */                                       \
    X(BOOL)                                                               \
    X(CHAR)                                                               \
    X(STR)     /* the unsized `str` (seen behind a reference) */          \
    X(NEVER)   /* `!` */                                                  \
    X(TUPLE)   /* elems[nelems]; the unit type () has none */             \
    X(REF)     /* &inner, or &mut inner when sub == 1 */                  \
    X(ARRAY)   /* [inner; len] */                                         \
    X(SLICE)   /* the unsized [inner] (seen behind a reference) */        \
    X(STRUCT)  /* item */                                                 \
    X(RANGE)   /* a..b / a..=b over inner (only in `for` and slicing) */  \
    X(INFER)   /* type variable number `len` (never after typeck) */      \
    X(INT_VAR) /* integer variable number `len` (never after typeck) */

typedef enum FeTypeKind {
#define X(k) FE_TYPE_##k,
    FE_TYPE_KINDS(X)
#undef X
} FeTypeKind;

typedef struct FeType {
    uint8_t kind;          /* FeTypeKind */
    uint8_t sub;           /* INT: FeIntKind; REF: 1 for &mut */
    uint8_t has_vars;      /* contains INFER or INT_VAR (not hashed) */
    uint8_t layout_state;  /* 0 unknown, 1 computing, 2 done (not hashed) */
    uint32_t nelems;       /* TUPLE: element count */
    TypeId inner;          /* REF, ARRAY, SLICE, RANGE: the element type */
    uint64_t len;          /* ARRAY: the length; INFER/INT_VAR: variable number */
    ItemRef item;          /* STRUCT: the struct item */
    const TypeId *elems;   /* TUPLE: element types */
    uint64_t size, align;  /* layout, valid when layout_state == 2 (sized types) */
    uint64_t *offsets;     /* TUPLE: element offsets (layout) */
} FeType;

/* Fixed type ids, the same in every crate. */
enum {
    FE_TY_NONE = 0,
    FE_TY_ERROR,
    FE_TY_UNIT,
    FE_TY_BOOL,
    FE_TY_CHAR,
    FE_TY_STR,
    FE_TY_NEVER,
    FE_TY_INT0,  /* FE_TY_INT0 + FeIntKind: i8 ... usize */
    FE_TY_STR_REF = FE_TY_INT0 + FE_INT_COUNT,  /* &'static str */
    FE_TY_FIXED_COUNT
};
#define FE_TY_INT(k) ((TypeId)(FE_TY_INT0 + (k)))

/* ---------------------------------------------------------------- paths */

typedef struct FePathSeg {
    Sym name;   /* identifier, or the keyword crate/self/super/Self as its text */
    Span span;
} FePathSeg;

/* A path as written (a::b::c); resolution stores its result in the using node. */
typedef struct FePath {
    uint32_t nsegs;
    bool global;      /* leading `::` */
    FePathSeg *segs;
    Span span;
} FePath;

/* ---------------------------------------------------------------- expressions */

#define FE_EXPR_KINDS(X)                                                                     \
    X(ERROR)       /* an error was reported here */                                         \
    X(INT)         /* value: the literal's value (non-negative; see UNARY NEG) */           \
    X(FLOAT)       /* rejected by typeck (floats are outside the subset) */                 \
    X(BOOL)        /* value: 0 or 1 */                                                      \
    X(CHAR)        /* value: the Unicode scalar value (or the byte of b'x', type u8) */     \
    X(STR)         /* str/len: the bytes (escapes decoded); b"..": type &[u8; len] */       \
    X(PATH)        /* before resolution only: path */                                       \
    X(LOCAL)       /* local: a local of the enclosing function */                           \
    X(ITEM)        /* item: a const, static or unit struct used as a value */               \
    X(UNARY)       /* op: FeUnOp; a */                                                      \
    X(REF)         /* &a, or &mut a with FE_EXPR_MUT */                                     \
    X(BINARY)      /* op: FeBinOp; a, b (&& and || short-circuit) */                        \
    X(ASSIGN)      /* a = b */                                                              \
    X(ASSIGN_OP)   /* a op= b; op: FeBinOp */                                               \
    X(CALL)        /* item(args): a function item; a: the callee (PATH, then ITEM)         */ \
    X(METHOD_CALL) /* item: the method; args[0] the adjusted receiver; name: method name */ \
    X(BUILTIN)     /* op: FeBuiltin; args (receiver first for methods) */                   \
    X(FIELD)       /* a.field; field: index into the struct's fields or the tuple's      \
                      elements; name: the field name as written (0 for .0) */               \
    X(INDEX)       /* a[b]: a is an array or a slice (after explicit derefs); b usize,   \
                      or a RANGE for slicing (type [T]); c: byte offset of the `[` (where  \
                      rustc locates a failed slicing, Index::index being #[track_caller]) */ \
    X(CAST)        /* a as ty; tyx: the written type */                                     \
    X(BLOCK)       /* stmts[n], then a (tail, 0 = none); label (labelled blocks unsupported)*/\
    X(IF)          /* if a { b } else c (c: 0, a BLOCK or an IF); c is used by IF only */   \
    X(WHILE)       /* while a { b }; label */                                               \
    X(LOOP)        /* loop { b }; label */                                                  \
    X(FOR)         /* for pat in a { b }; a is a RANGE (FE_EXPR_REV: .rev()); label */      \
    X(RANGE)       /* a..b, a..=b (FE_EXPR_INCLUSIVE); a or b may be 0 */                   \
    X(BREAK)       /* target: the loop ExprId; a: value (0 = none); label as written */     \
    X(CONTINUE)    /* target: the loop ExprId */                                            \
    X(RETURN)      /* a: value (0 = none) */                                                \
    X(STRUCT)      /* item: the struct; args[n]: one initializer per field, in field      \
                      order (also tuple-struct constructor calls and unit structs); their  \
                      spans give the order they are evaluated in (as written). As         \
                      parsed (before typeck): a is the PATH, args are FIELD nodes (name   \
                      or index, the value in a), b == 1 */                                 \
    X(TUPLE)       /* args[n] */                                                            \
    X(ARRAY)       /* args[n] */                                                            \
    X(REPEAT)      /* [a; b]: b is the length expression, its value in `value` */           \
    X(PAREN)       /* (a): kept for assert!'s text; same type as a */                       \
    X(COERCE)      /* op: FeCoercion; a */                                                  \
    X(MACRO)       /* op: FeMacroKind; mac: the parsed macro */

typedef enum FeExprKind {
#define X(k) FE_EXPR_##k,
    FE_EXPR_KINDS(X)
#undef X
    FE_EXPR_KIND_COUNT
} FeExprKind;

#define FE_BIN_OPS(X)                                                                     \
    X(ADD, "+", 10) X(SUB, "-", 10) X(MUL, "*", 11) X(DIV, "/", 11) X(REM, "%", 11)      \
    X(AND, "&&", 3) X(OR, "||", 2) X(BITXOR, "^", 6) X(BITAND, "&", 7) X(BITOR, "|", 5) \
    X(SHL, "<<", 9) X(SHR, ">>", 9) X(EQ, "==", 4) X(LT, "<", 4) X(LE, "<=", 4)          \
    X(NE, "!=", 4) X(GE, ">=", 4) X(GT, ">", 4)

typedef enum FeBinOp {
#define X(k, s, prec) FE_BIN_##k,
    FE_BIN_OPS(X)
#undef X
    FE_BIN_COUNT
} FeBinOp;

typedef enum FeUnOp { FE_UN_NEG, FE_UN_NOT, FE_UN_DEREF } FeUnOp;

typedef enum FeCoercion {
    FE_COERCE_UNSIZE,       /* &[T; N] or &mut [T; N] to &[T] / &mut [T]: the length is N */
    FE_COERCE_REBORROW,     /* &mut T to &T */
    FE_COERCE_NEVER_TO_ANY  /* `!` to any type (a is never evaluated to a value) */
} FeCoercion;

typedef enum FeBuiltin {
    FE_BUILTIN_LEN,     /* args[0].len(): args[0] is &[T], &str, or &[T; N] (after adjustment) */
    FE_BUILTIN_CLONE,   /* args[0].clone(): args[0] is &T of a Clone type: a copy of *args[0] */
    FE_BUILTIN_EXIT     /* std::process::exit(args[0]: i32), type ! */
} FeBuiltin;

/* flags */
enum {
    FE_EXPR_MUT = 1,        /* REF: &mut */
    FE_EXPR_IMPLICIT = 2,   /* REF/UNARY DEREF/COERCE inserted by typeck, not written */
    FE_EXPR_INCLUSIVE = 4,  /* RANGE: ..= */
    FE_EXPR_REV = 8,        /* FOR: (a..b).rev() */
    FE_EXPR_NEG_LIT = 16,   /* UNARY NEG of an integer literal (range checked as negative) */
    FE_EXPR_HAS_SEMI = 32   /* internal: expression statement ended with `;` */
};

typedef struct FeMacro FeMacro;

typedef struct FeExpr {
    uint8_t kind;    /* FeExprKind */
    uint8_t op;      /* FeBinOp / FeUnOp / FeCoercion / FeBuiltin / FeMacroKind */
    uint16_t flags;  /* FE_EXPR_* */
    TypeId ty;       /* the type (after typeck) */
    ExprId a, b, c;  /* operands, by kind */
    uint32_t n;      /* length of args/stmts */
    union {
        ExprId *args;    /* CALL, METHOD_CALL, BUILTIN, STRUCT, TUPLE, ARRAY */
        StmtId *stmts;   /* BLOCK */
        const char *str; /* STR (len in n) */
        FePath *path;    /* PATH, and STRUCT/CALL before resolution */
        FeMacro *mac;    /* MACRO */
    };
    union {
        u128 value;      /* INT, BOOL, CHAR, REPEAT */
        ItemRef item;    /* ITEM, CALL, METHOD_CALL, STRUCT */
        LocalId local;   /* LOCAL */
        uint32_t field;  /* FIELD */
        ExprId target;   /* BREAK, CONTINUE */
        PatId pat;       /* FOR */
        TyxId tyx;       /* CAST */
    };
    Sym name;        /* METHOD_CALL/FIELD: name; loops, BREAK, CONTINUE: label ('a), 0 = none */
    uint32_t op_lo;  /* never hashed: source offset of the operator, method or field name, or
                        label, where diagnostics point */
    Span span;       /* never hashed; lo is the panic location */
} FeExpr;

/* ---------------------------------------------------------------- format strings */

typedef enum FeFmtTrait {
    FE_FMT_DISPLAY, FE_FMT_DEBUG, FE_FMT_LOWER_HEX, FE_FMT_UPPER_HEX, FE_FMT_BINARY,
    FE_FMT_OCTAL, FE_FMT_LOWER_EXP, FE_FMT_UPPER_EXP
} FeFmtTrait;

typedef enum FeFmtAlign { FE_ALIGN_NONE, FE_ALIGN_LEFT, FE_ALIGN_RIGHT, FE_ALIGN_CENTER } FeFmtAlign;

typedef enum FeFmtCount { FE_COUNT_NONE, FE_COUNT_LIT, FE_COUNT_ARG } FeFmtCount;

enum { FE_FMT_PLUS = 1, FE_FMT_MINUS = 2, FE_FMT_ALT = 4, FE_FMT_ZERO = 8 };

/* One piece of a format string: literal text, then (when has_arg) one argument. */
typedef struct FeFmtPiece {
    const char *text;     /* literal text ({{ and }} already folded); may contain NUL */
    uint32_t len;
    bool has_arg;
    uint8_t trait;        /* FeFmtTrait */
    uint8_t align;        /* FeFmtAlign */
    uint8_t flags;        /* FE_FMT_* */
    uint8_t width_kind;   /* FeFmtCount */
    uint8_t prec_kind;    /* FeFmtCount */
    uint32_t fill;        /* fill character (default ' ') */
    uint32_t arg;         /* index into FeMacro.args of the value */
    uint32_t width, prec; /* LIT: the count; ARG: index into FeMacro.args (a usize) */
} FeFmtPiece;

typedef enum FeMacroKind {
    FE_MAC_PRINT, FE_MAC_PRINTLN, FE_MAC_EPRINT, FE_MAC_EPRINTLN, FE_MAC_PANIC,
    FE_MAC_ASSERT, FE_MAC_ASSERT_EQ, FE_MAC_ASSERT_NE, FE_MAC_UNREACHABLE, FE_MAC_TODO,
    FE_MAC_COUNT
} FeMacroKind;

/*
 * A macro invocation, checked at compile time. Print family: pieces/args, with the
 * newline of *ln! already appended as literal text. Panic family (message pieces when
 * has_format, else the default message): panic!() "explicit panic", unreachable!()
 * "internal error: entered unreachable code" (": " and the message when has_format),
 * todo!() "not yet implemented" (likewise). assert!(cond): cond, and cond_text, the
 * condition as rustc prints it in "assertion failed: <cond_text>" (used only without a
 * message). assert_eq!/assert_ne!(left, right): both by reference, each of a type with
 * Debug; the message is "assertion `left == right` failed" (`!=` for ne), then
 * ": <message>" when has_format, then "\n  left: {:?}\n right: {:?}".
 * The panic location is the span's lo: the macro name.
 */
struct FeMacro {
    uint8_t kind;         /* FeMacroKind */
    bool has_format;      /* a format string (and its arguments) was given */
    uint32_t npieces;
    FeFmtPiece *pieces;
    uint32_t nargs;
    ExprId *args;         /* format arguments, each used by reference */
    ExprId cond;          /* ASSERT */
    ExprId left, right;   /* ASSERT_EQ, ASSERT_NE */
    const char *cond_text;
    uint32_t cond_len;
    Span fmt_span;        /* the format string literal */
};

/* ---------------------------------------------------------------- statements, patterns */

typedef enum FeStmtKind { FE_STMT_LET, FE_STMT_EXPR, FE_STMT_SEMI, FE_STMT_EMPTY } FeStmtKind;

typedef struct FeStmt {
    uint8_t kind;   /* FeStmtKind: LET; EXPR (no `;`, a block-like expression); SEMI (expr;) */
    PatId pat;      /* LET */
    TyxId tyx;      /* LET: the written type (0 = none) */
    TypeId ty;      /* LET: the pattern's type */
    ExprId expr;    /* LET: initializer (0 = none); EXPR/SEMI: the expression */
    Span span;
} FeStmt;

typedef enum FePatKind { FE_PAT_BIND, FE_PAT_WILD, FE_PAT_TUPLE, FE_PAT_ERROR } FePatKind;

typedef struct FePat {
    uint8_t kind;    /* FePatKind */
    bool mut;        /* BIND: `mut x` */
    uint32_t n;      /* TUPLE: element count */
    PatId *elems;    /* TUPLE */
    LocalId local;   /* BIND: the local it introduces */
    Sym name;        /* BIND */
    TypeId ty;
    Span span;
} FePat;

/* A type as written. */
typedef enum FeTyxKind {
    FE_TYX_PATH, FE_TYX_REF, FE_TYX_ARRAY, FE_TYX_SLICE, FE_TYX_TUPLE, FE_TYX_NEVER,
    FE_TYX_INFER, FE_TYX_ERROR
} FeTyxKind;

typedef struct FeTyx {
    uint8_t kind;     /* FeTyxKind */
    bool mut;         /* REF */
    uint32_t n;       /* TUPLE */
    TyxId inner;      /* REF, ARRAY, SLICE */
    ExprId len;       /* ARRAY: length expression */
    FePath *path;     /* PATH */
    TyxId *elems;     /* TUPLE */
    TypeId ty;        /* the resolved type (after typeck) */
    Span span;
} FeTyx;

/* ---------------------------------------------------------------- items */

#define FE_ITEM_KINDS(X)                 \
    X(MOD, "module")                     \
    X(FN, "function")                    \
    X(CONST, "constant")                 \
    X(STATIC, "static")                  \
    X(STRUCT, "struct")                  \
    X(IMPL, "impl")                      \
    X(USE, "import")

typedef enum FeItemKind {
#define X(k, desc) FE_ITEM_##k,
    FE_ITEM_KINDS(X)
#undef X
} FeItemKind;

typedef enum FeVis { FE_VIS_PRIV, FE_VIS_CRATE, FE_VIS_PUB } FeVis;

/* item flags */
enum {
    FE_ITEM_INLINE = 1,         /* #[inline] */
    FE_DERIVE_DEBUG = 2,
    FE_DERIVE_CLONE = 4,
    FE_DERIVE_COPY = 8,
    FE_DERIVE_PARTIAL_EQ = 16,
    FE_DERIVE_EQ = 32,
    FE_ITEM_BUILTIN = 64,       /* part of the built-in std model (std::process::exit) */
    FE_ITEM_MAIN = 128,         /* the bin crate's `fn main` */
    FE_ITEM_STUB = 256          /* a dependency's private item, known by name only */
};

typedef struct FeLocal {
    Sym name;
    bool mut;
    TypeId ty;
    Span span;
} FeLocal;

typedef enum FeSelfKind { FE_SELF_NONE, FE_SELF_VALUE, FE_SELF_REF, FE_SELF_REF_MUT } FeSelfKind;

typedef struct FeParam {
    PatId pat;       /* the parameter pattern; for `self`, a BIND of local 0 named self */
    TyxId tyx;       /* 0 for self */
    TypeId ty;
} FeParam;

typedef struct FeFn {
    uint8_t self_kind;  /* FeSelfKind; when not NONE, params[0] is self */
    uint32_t nparams;
    FeParam *params;
    TyxId ret_tyx;      /* 0: returns () */
    TypeId ret;
    ExprId body;        /* a BLOCK; 0 for built-ins */
    uint32_t nlocals;
    FeLocal *locals;    /* every local of the body (params' bindings first) */
    ItemId impl;        /* the impl block of an associated fn, else 0 */
    TypeId self_ty;     /* the impl's self type, else 0 */
} FeFn;

typedef struct FeField {
    Sym name;        /* 0 for tuple-struct fields */
    uint8_t vis;     /* FeVis */
    TyxId tyx;
    TypeId ty;
    uint64_t offset; /* layout */
    Span span;
} FeField;

typedef struct FeStruct {
    uint8_t shape;    /* 0 named fields, 1 tuple struct, 2 unit struct */
    uint32_t nfields;
    FeField *fields;
    TypeId ty;        /* the struct's type */
    uint64_t size, align;
} FeStruct;

/* Value of a const or static of integer, bool or char type (evaluated at compile
 * time); other types keep only their initializer expression. */
typedef struct FeConst {
    TyxId tyx;
    TypeId ty;
    ExprId init;
    bool has_value;   /* value is valid */
    u128 value;       /* two's complement in 128 bits (sign-extended) */
    uint8_t state;    /* internal: 0 unevaluated, 1 evaluating, 2 done */
} FeConst;

typedef struct FeMod {
    uint32_t file;      /* source file of its body */
    bool is_inline;     /* mod x { ... } */
    uint32_t nitems;
    ItemId *items;      /* the items directly inside (uses and impls included) */
} FeMod;

typedef struct FeImpl {
    TyxId self_tyx;
    TypeId self_ty;
    uint32_t index;     /* its position among the impls of its module (the disambiguator
                           of its symbols): set by resolution, or loaded with a
                           dependency's methods */
    uint32_t nitems;
    ItemId *items;      /* its associated functions */
} FeImpl;

typedef struct FeUseTree FeUseTree;

typedef struct FeItem {
    uint8_t kind;    /* FeItemKind */
    uint8_t vis;     /* FeVis */
    uint16_t flags;  /* FE_ITEM_*, FE_DERIVE_* */
    Sym name;        /* 0 for impls and uses */
    ItemId parent;   /* enclosing module, or the impl for associated fns; 0 for a root */
    uint32_t krate;  /* the crate that defines it: 0 this one, else an index into
                        FeCrate.crates (an item loaded from a dependency's interface) */
    Span span;       /* the item's name (the `impl` keyword for impls) */
    Span head_span;  /* from the item's keyword through its name (rustc's definition span) */
    union {
        FeFn fn;
        FeStruct st;
        FeConst cst;    /* CONST and STATIC */
        FeMod mod;
        FeImpl impl;
        FeUseTree *use; /* USE (resolution only) */
    };
} FeItem;

/* ---------------------------------------------------------------- the crate */

enum { FE_PAGE_BITS = 12 };

/* A paged node store: node i lives at pages[i >> FE_PAGE_BITS][i & mask]; pointers
 * to nodes stay valid while the store grows. Index 0 is a dummy. */
typedef struct FeStore {
    void **pages;
    uint32_t npages, count;
    uint32_t elem_size;
    struct FePool *pool;  /* where pages come from (internal) */
} FeStore;

/* A crate whose items are in the tree: index 0 is the crate being compiled, the others
 * dependencies loaded from interfaces (direct ones, and crates their interfaces carry
 * items of). */
typedef struct FeCrateInfo {
    Sym name;           /* the crate's own name (the root of its symbols) */
    ItemId root;        /* its root module (a dependency's: parent 0, krate its index) */
} FeCrateInfo;

struct FeCrate {
    struct FeSession *sess;
    Sym name;           /* the crate's name */
    Vec(FeCrateInfo) crates;  /* indexed by FeItem.krate; [0] is this crate */
    struct FeExterns *externs;/* loaded interfaces (internal to iface.c and resolve.c) */
    struct FeHashes *hashes;  /* item and function hashes, computed on demand (hash.c) */
    bool is_bin;
    ItemId root;        /* the crate root module */
    ItemId main_fn;     /* bin crates: fn main */
    Vec(FeItem) items;  /* index 0 unused */
    FeStore exprs, stmts, pats, tyxs;
    FeStore types;      /* FeType, interned */
    void *type_map;     /* interning table (internal) */
    struct FePool *pool;/* memory of the node stores (internal) */
    uint32_t ntypevars; /* internal */
};

static inline void *fe_store_at(const FeStore *s, uint32_t i)
{
    return (char *)s->pages[i >> FE_PAGE_BITS] +
           (size_t)(i & ((1u << FE_PAGE_BITS) - 1)) * s->elem_size;
}

typedef struct FeCrate FeCrate;

/* Accessors: the node with that id (ids come from the same crate). */
static inline FeExpr *fe_expr(const FeCrate *c, ExprId id) { return fe_store_at(&c->exprs, id); }
static inline FeStmt *fe_stmt(const FeCrate *c, StmtId id) { return fe_store_at(&c->stmts, id); }
static inline FePat *fe_pat(const FeCrate *c, PatId id) { return fe_store_at(&c->pats, id); }
static inline FeTyx *fe_tyx(const FeCrate *c, TyxId id) { return fe_store_at(&c->tyxs, id); }
static inline const FeType *fe_type(const FeCrate *c, TypeId id) { return fe_store_at(&c->types, id); }
static inline FeItem *fe_item(const FeCrate *c, ItemId id) { return &c->items.data[id]; }

/* Size and alignment of a sized type (layout computed by typeck); false for unsized
 * types (str, slices) and for types with errors. */
bool fe_layout(FeCrate *c, TypeId ty, uint64_t *size, uint64_t *align);
/* Byte offset of element i of a TUPLE type, or field i of a STRUCT type. */
uint64_t fe_field_offset(FeCrate *c, TypeId ty, uint32_t i);
/* Appends the type as rustc prints it (`&mut [i32; 3]`, `(i32, bool)`, `Point`). */
void fe_type_str(FeCrate *c, TypeId ty, StrBuf *out);
/* Appends an item's path inside its crate ("geom::Point::new"; "" for the root), the
 * basis of stable symbol names: crate name, module path, impl self type, name. */
void fe_item_path(FeCrate *c, ItemId item, StrBuf *out);
/* Information for mangling a function: its module (the nearest MOD ancestor), the
 * impl self type (0 for free functions) and its name. */
ItemId fe_item_module(FeCrate *c, ItemId item);

#endif

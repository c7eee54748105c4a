/*
 * frontend/stages.h — the interfaces between the frontend's stages (internal to
 * frontend/; ws and the backend use frontend.h only).
 *
 * Owns: tokens (lex_), parsing of files and modules (parse_), format strings
 * (fmt_), name resolution (resolve_), types and layout (ty_), type checking
 * (typeck_) and dumps (dump_). Every stage reports user errors to sess->diag and
 * keeps going where it can; fe_check_crate stops after a stage that reported any.
 */
#ifndef FRONTEND_STAGES_H
#define FRONTEND_STAGES_H

#include "frontend/frontend.h"

/* ---------------------------------------------------------------- lexer */

typedef enum TokenKind {
#define TOK(kind, spelling, class) TK_##kind,
#include "frontend/tokens.h"
#undef TOK
    TK_COUNT
} TokenKind;

/* Token flags. For INT and FLOAT, the suffix kind is in the low bits (see LEX_SUFFIX_*). */
enum {
    LEX_SUFFIX_NONE = 0,  /* INT/FLOAT: 1 + FeIntKind for integer suffixes, else: */
    LEX_SUFFIX_F32 = 1 + FE_INT_COUNT,
    LEX_SUFFIX_F64,
    LEX_SUFFIX_MASK = 31,
    LEX_RAW = 32,         /* STR/BYTE_STR: a raw string (no escapes); IDENT: r#ident */
    LEX_AFTER_SPACE = 64, /* whitespace or a comment precedes the token */
    LEX_BAD = 128         /* the literal had an error (already reported) */
};

typedef struct Token {
    uint8_t kind;     /* TokenKind */
    uint8_t flags;    /* LEX_* */
    uint16_t suffix;  /* INT/FLOAT: length of the suffix in bytes; STR: raw `#` count */
    uint32_t lo, hi;  /* byte range in the file */
} Token;

typedef Vec(Token) TokenVec;

/* Splits file `file` of sess->sources into tokens (ending with TK_EOF). Reports
 * lexical errors to sess->diag and returns false when there were any. */
bool lex_file(FeSession *sess, uint32_t file, TokenVec *out);
/* How a token kind is shown in diagnostics ("`fn`", "identifier"). */
const char *lex_spelling(int kind);
/* True for keywords (strict and reserved). */
bool lex_is_keyword(int kind);
/* Decodes the digits of an INT token (no suffix): false when the value exceeds u128. */
bool lex_int_value(const char *text, uint32_t len, u128 *value);
/* Decodes a STR/BYTE_STR/CHAR/BYTE token (validated by lex_file) into out: the bytes
 * of the string, or the UTF-8 of the char. Raw strings are copied as they are. */
void lex_decode(const char *text, const Token *tok, StrBuf *out);
/* Decodes one UTF-8 scalar at s (n bytes available): its length, or 0 when invalid. */
uint32_t lex_utf8_decode(const unsigned char *s, uint32_t n, uint32_t *cp);
/* Prints tokens, one a line: "LINE:COL KIND `text`". */
void lex_dump(FeSession *sess, uint32_t file, const TokenVec *toks, FILE *to);

/* ---------------------------------------------------------------- nodes */

/* Stores: fe_store_new returns the id of a fresh zeroed node. Their pages come from
 * a pool (one per crate, freed at once with fe_pool_free). */
typedef struct FePool FePool;
FePool *fe_pool_new(void);
void fe_pool_free(FePool *pool);
void fe_store_init(FeStore *s, uint32_t elem_size, FePool *pool);
void fe_store_free(FeStore *s);
uint32_t fe_store_new(FeStore *s);

/* ---------------------------------------------------------------- parser */

typedef enum FeUseKind { FE_USE_SIMPLE, FE_USE_GLOB, FE_USE_GROUP } FeUseKind;

/* A use tree: `prefix`, `prefix as rename`, `prefix::*` or `prefix::{children}`. */
struct FeUseTree {
    uint8_t kind;          /* FeUseKind */
    FePath *prefix;        /* may have no segments (`use {a, b};`, `use ::*`) */
    Sym rename;            /* SIMPLE: the `as` name, 0 when none */
    Span rename_span;
    uint32_t n;            /* GROUP: children */
    FeUseTree **children;
    Span span;
};

/* Parses the crate rooted at spec->root_path into c (items, module tree). Loads module
 * files (`mod x;`). Reports errors and returns false when there were any. */
bool parse_crate(FeCrate *c, const FeCrateSpec *spec);
/* Prints the crate's tree (as parsed, or resolved and typed after typeck). */
void dump_tree(FeCrate *c, FILE *to, bool typed);
/* Appends an expression as rustc's pretty printer shows it (for assert!). */
void dump_expr_source(FeCrate *c, ExprId e, StrBuf *out);

/* ---------------------------------------------------------------- resolution */

/* Namespaces of names in a module (and, keyed by a struct, of its associated fns). */
enum { NS_TYPE, NS_VALUE, NS_ASSOC };

/* A name in a module's scope: what resolution leaves for interfaces (exports of this
 * crate's modules) and what loading interfaces gives resolution (a dependency's). */
typedef struct FeBinding {
    ItemId mod;      /* the module (for NS_ASSOC: the struct) whose scope holds it */
    Sym name;
    uint8_t ns;      /* NS_TYPE, NS_VALUE, NS_ASSOC */
    uint8_t vis;     /* FeVis of the binding (an import: the `use`'s own) */
    ItemId item;     /* what it names */
} FeBinding;

/* Resolves use declarations and every path in the crate; numbers locals. Defines the
 * loaded dependencies' bindings first, and leaves the bindings of this crate's modules
 * (glob imports expanded) in c->externs for the interface. */
bool resolve_crate(FeCrate *c);
/* Is item (of this crate) visible from module `from`? */
bool resolve_visible(FeCrate *c, ItemId item, ItemId from);

/* ---------------------------------------------------------------- std names (stdnames.c) */

/* The std type or prelude name (its static spelling) when `name` is one the subset
 * leaves out (String, Vec, HashMap, Some, f64, ...), else NULL. */
const char *std_type_name(const char *name);
/* Is `name` a module of std or core (env, collections, io, ...)? */
bool std_module_name(const char *name);
/* Is `name` a std method of a primitive type of kind type_kind (FeTypeKind: integers,
 * char, bool, str, arrays and slices, tuples), inherent or of a common trait? */
bool std_method_of(int type_kind, const char *name);

/* ---------------------------------------------------------------- interfaces (iface.c) */

/* What loading the dependencies' interfaces made, and what resolution leaves for
 * writing this crate's interface. */
/* A loaded diagnostic entry (iface.c), kept to be carried on. */
typedef struct FeDiagEntry {
    ItemId target;             /* the module or struct it is about */
    const uint8_t *bytes;
    uint32_t len;
} FeDiagEntry;

typedef struct FeExterns {
    Vec(FeBinding) bindings;   /* dependencies' module bindings (NS_ASSOC: methods) */
    Vec(FeBinding) prelude;    /* extern prelude: mod 0, name as code uses it, item a root */
    Vec(FeBinding) exports;    /* this crate's module bindings after resolution, sorted by module,
                                  name (its string), namespace */
    const uint8_t **record;    /* per ItemId: a dependency item's record bytes (or NULL) */
    uint32_t *record_len;
    ItemId **refs;             /* per ItemId: the items a dependency item's record names */
    uint32_t *nrefs;
    uint32_t nitems;           /* length of the per-item arrays */
    Vec(FeDiagEntry) diags;    /* loaded diagnostic entries */
} FeExterns;

/* Loads spec->deps into the crate (after parsing, before resolution): their items,
 * module trees, bindings and extern prelude names. Reports a damaged interface or two
 * that disagree about one item; false on any error. */
bool iface_load_deps(FeCrate *c, const FeCrateSpec *spec);
/* Writes item `id`'s record: `full` (for hashes within this crate) adds what only this
 * crate's own code sees (private fields, a static's initializer); otherwise it is the
 * interface record (a dependency item's is its loaded record, byte for byte). */
void iface_record(FeCrate *c, ItemId id, StrBuf *out, bool full);

/* ---------------------------------------------------------------- hashes (hash.c) */

/* A canonical serialization being written: no spans, no Sym numbers (names as
 * strings), no names of locals or labels; items are named by key. */
typedef struct Canon {
    FeCrate *c;
    StrBuf *out;
    Vec(ItemId) refs;       /* the items named (repeats possible until canon_refs_unique) */
    Vec(ExprId) loops;      /* enclosing loops: break and continue name a depth */
} Canon;

void canon_init(Canon *k, FeCrate *c, StrBuf *out);
void canon_free(Canon *k);
/* Sorts k->refs by ItemId and drops repeats. */
void canon_refs_unique(Canon *k);
/* Length-prefixed bytes (u32 little-endian length). */
void canon_str(StrBuf *out, const char *s, size_t len);
/* An item's key: crate name, kind, path in its crate ("account::Cents",
 * "account::Cents::plus" for a method); notes the item in k->refs. */
void canon_key(Canon *k, ItemId id);
/* The key's bytes (memoized in the session arena). */
const char *canon_item_key(FeCrate *c, ItemId id, uint32_t *len);
void canon_type(Canon *k, TypeId ty);
void canon_expr(Canon *k, ExprId e);
/* The hash of an #[inline] function's body for its interface record: the body and
 * everything it reaches (see hash.c); *reached gets those items (heap, caller frees). */
Hash128 hash_inline_body(FeCrate *c, ItemId fn, ItemId **reached, uint32_t *nreached);
/* Does a function reached from an #[inline] body carry its own body into interfaces? */
bool hash_body_travels(FeCrate *c, ItemId fn);

/* ---------------------------------------------------------------- types */

void ty_init(FeCrate *c);
/* Frees the interning table (the types stay in c->types until the crate is freed). */
void ty_free(FeCrate *c);
TypeId ty_intern(FeCrate *c, const FeType *t);
TypeId ty_ref(FeCrate *c, TypeId inner, bool mut);
TypeId ty_array(FeCrate *c, TypeId elem, uint64_t len);
TypeId ty_slice(FeCrate *c, TypeId elem);
TypeId ty_range(FeCrate *c, TypeId elem);
TypeId ty_tuple(FeCrate *c, const TypeId *elems, uint32_t n);
TypeId ty_struct(FeCrate *c, ItemRef item);
/* Sets a struct type's layout as a dependency's interface gives it. */
void ty_set_layout(FeCrate *c, TypeId ty, uint64_t size, uint64_t align);
TypeId ty_var(FeCrate *c, bool is_int, uint64_t number);
/* Computes every struct's layout; reports recursive structs (E0072). */
bool ty_layout_structs(FeCrate *c);

/* ---------------------------------------------------------------- type checking */

/* Type-checks the whole crate (signatures, consts, bodies); false on errors. */
bool typeck_crate(FeCrate *c);

#endif

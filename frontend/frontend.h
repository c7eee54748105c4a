/*
 * frontend/frontend.h — lexer, parser, name resolution, type checking, interfaces.
 *
 * Owns: everything from source text to the resolved, typed tree of one crate, the
 * crate's interface (frontend/iface.c: its payload format) and the hashes of its
 * interface and of each of its functions (frontend/hash.c). One FeSession compiles
 * one crate; sessions share nothing, so ws may check several crates on several
 * threads.
 *
 * This first part is the contract with workspace/ (ws): how a crate is described,
 * checked and summed up for its dependents. The typed tree that backend/ reads is
 * declared below it, then the per-function hashes.
 */
#ifndef FRONTEND_H
#define FRONTEND_H

#include "common/common.h"

/* What `--dump=` asks for; the stage prints its output to FeSession.dump_to. */
typedef enum FeDump { FE_DUMP_NONE, FE_DUMP_TOKENS, FE_DUMP_AST, FE_DUMP_TYPES } FeDump;

/* A direct dependency of the crate being compiled, as its code names it, with the
 * interface that dependency's last compile wrote. Interfaces are self-contained: a
 * crate's interface carries everything a dependent can observe, including items of
 * its own dependencies reachable from its public signatures, inline bodies and
 * `pub use` re-exports, so a crate needs only its direct dependencies' interfaces. */
typedef struct FeDep {
    const char *name;      /* the name code uses: `use ledger::Account;` → "ledger" */
    const void *meta;      /* an interface payload from fe_interface_write */
    size_t meta_len;
} FeDep;

/* One crate to compile. Paths: root_path is where the root file is on disk;
 * display_path is how diagnostics and panic locations name it (as rustc, run by
 * cargo, would: "src/main.rs" for a lone package, "crates/app/src/main.rs" for a
 * workspace member). Module files get display paths relative to the same base. */
typedef struct FeCrateSpec {
    const char *name;          /* crate name as Rust code sees it (dashes become underscores) */
    const char *root_path;     /* the root file on disk (src/main.rs or src/lib.rs) */
    const char *display_path;  /* the root file as diagnostics show it */
    bool is_bin;               /* a bin crate (has fn main) rather than a lib */
    const FeDep *deps;         /* direct dependencies, in Cargo.toml order */
    uint32_t ndeps;
    const char *root_text;     /* when not NULL: the root file's text (root_len bytes), used
                                  instead of reading root_path (tests, fuzzing) */
    uint32_t root_len;
} FeCrateSpec;

typedef struct FeCrate FeCrate;

/* The per-crate state: arena, interner, source map and diagnostics. */
typedef struct FeSession {
    Arena arena;       /* the tree, types and names; freed by fe_session_free */
    Interner names;
    SourceMap sources;
    Diag diag;         /* every message of the crate; the caller flushes it */
    FeDump dump;       /* FE_DUMP_NONE unless --dump= was given */
    FILE *dump_to;     /* where a dump goes (stdout by default) */
    uint32_t max_depth;   /* nesting limit for expressions, blocks, types (default 256) */
    struct FeCrate *crate; /* the crate being checked (owned by the session) */
} FeSession;

/* Initialises a session for one crate. */
void fe_session_init(FeSession *sess);
/* Frees everything the session and its crate own. */
void fe_session_free(FeSession *sess);

/* Parses, resolves and type-checks one crate, reporting every error of the phase
 * that failed to sess->diag. Returns NULL when there was any error (or when a dump
 * stopped the pipeline early); otherwise the typed crate, owned by the session. */
FeCrate *fe_check_crate(FeSession *sess, const FeCrateSpec *spec);

/* Serializes the interface of a checked crate (DESIGN.md, "Interface") into out — the
 * payload ws stores as <crate>.wsmeta — and sets *hash to its interface hash (XXH3-128
 * over the canonical serialization: no spans, no comments, no function bodies except
 * #[inline] ones). Equal hashes mean no dependent can tell the two crates apart. */
void fe_interface_write(FeSession *sess, const FeCrate *crate, StrBuf *out, Hash128 *hash);

/* Calls fn once per item of an interface payload with the item's path as a user
 * would write it ("ledger::Account::deposit") and the item's own hash, for
 * `ws build --explain`. Returns false, having called fn for no item, when the payload
 * is damaged or from another compiler build. */
bool fe_interface_items(const void *meta, size_t meta_len,
                        void (*fn)(void *ctx, const char *path, Hash128 item_hash), void *ctx);
#include "frontend/tree.h"

/* ---------------------------------------------------------------- per-function hashes */

/* What a hashed piece of generated code or data is. */
typedef enum FeCodeKind {
    FE_CODE_FN,     /* a function or method */
    FE_CODE_DEBUG,  /* a struct's derived Debug fmt */
    FE_CODE_EQ,     /* a struct's derived PartialEq eq */
    FE_CODE_DATA,   /* a static's or const's data item */
    FE_CODE_ENTRY   /* a bin crate's entry point (it calls fn main) */
} FeCodeKind;

typedef struct FeFnHash {
    ItemId item;    /* the function; the struct of a derived impl; the static or const;
                       for the entry, fn main */
    uint8_t kind;   /* FeCodeKind */
    Hash128 hash;
} FeFnHash;

/* The hash of function `fn` of a checked crate (an FN item of this crate with a body),
 * for per-function incremental compilation: XXH3-128 over the canonical serialization
 * of its signature, symbol (crate name, module path, impl disambiguator, name) and
 * typed body (no spans, no names of locals; the types of its locals and its file's
 * display path included), combined with the hashes of everything its code can depend
 * on, by key: its callees' signatures and symbols, the layouts of the structs its
 * types name, the values and initializers of the consts it uses (and of the consts
 * those use), the statics it uses, the derives of its structs, the #[inline] bodies it
 * reaches. Equal hashes mean the backend generates the same code for it (apart from
 * panic locations, which are data). */
Hash128 fe_fn_hash(FeCrate *crate, ItemId fn);

/* Every piece of code or data the backend may generate for a checked crate, in item
 * order, with its hash: each function and method with a body (fe_fn_hash); each
 * derived Debug fmt and PartialEq eq (hashed over its struct's whole layout, field
 * names and types, derives and the layouts of the structs its fields' types name);
 * each static and const (its type, symbol and initializer or value, with the consts
 * the initializer reaches); a bin's entry (fn main's symbol and signature). The array
 * lives in the session arena; the count is returned. */
uint32_t fe_fn_hashes(FeCrate *crate, const FeFnHash **out);

#endif

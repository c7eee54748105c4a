/*
 * workspace/workspace.h — ws: Cargo.toml reading, the crate graph, the job scheduler
 * and the state under target/ws/.
 *
 * Owns, stage by stage (a file each):
 *   toml.c      a TOML reader for what real Cargo.toml files use, with diagnostics
 *   manifest.c  Cargo.toml semantics: workspace root discovery, members, packages,
 *               targets and path dependencies
 *   graph.c     the crate graph (a lib and/or bins per package), cycles, topological order
 *   sched.c     running crate jobs on up to -j threads in dependency order
 *   state.c     target/ws/: its layout, the build lock, `ws clean`
 * main.c (the `ws` program) drives them and calls the frontend per crate.
 *
 * Nothing here has global state: a WsWorkspace owns its arena, manifests and messages.
 */
#ifndef WORKSPACE_H
#define WORKSPACE_H

#include "common/common.h"

/* ---------------------------------------------------------------- TOML (toml.c) */

typedef enum TomlKind { TOML_STRING, TOML_INTEGER, TOML_BOOL, TOML_ARRAY, TOML_TABLE } TomlKind;

typedef struct TomlValue TomlValue;

/* One key of a table, in the order the document wrote it. */
typedef struct TomlEntry {
    const char *key;   /* the unquoted key, NUL-terminated */
    Span key_span;     /* where the key (its last dotted part) was written */
    TomlValue *value;
} TomlEntry;

struct TomlValue {
    TomlKind kind;
    uint32_t flags;            /* the parser's bookkeeping (how a table was defined) */
    Span span;                 /* the value as written; a table: its header or `{`..`}` */
    const char *str;           /* TOML_STRING: the decoded text, NUL-terminated */
    uint32_t str_len;          /* TOML_STRING: bytes in str (it may hold a NUL) */
    int64_t integer;           /* TOML_INTEGER */
    bool boolean;              /* TOML_BOOL */
    TomlValue **items;         /* TOML_ARRAY: the elements */
    uint32_t nitems, items_cap;
    TomlEntry *entries;        /* TOML_TABLE: the keys */
    uint32_t nentries, entries_cap;
};

/* Parses source file `file` of diag->sm into a tree allocated in arena. Returns the
 * root table, or NULL after reporting the first syntax or structure error to diag
 * (as cargo, which stops at the first TOML error). Any bytes are safe input. */
TomlValue *toml_parse(Arena *arena, Diag *diag, uint32_t file);
/* Returns the value of key in a table, or NULL when absent (or t is NULL/not a table). */
TomlValue *toml_get(const TomlValue *t, const char *key);
/* "string", "integer", "boolean", "array", "table": for "expected ..., found ..." messages. */
const char *toml_kind_name(TomlKind kind);

#endif

/*
 * frontend/typeck.h — the type checker's shared state (internal to typeck.c and
 * typeck_sig.c).
 */
#ifndef FRONTEND_TYPECK_H
#define FRONTEND_TYPECK_H

#include "frontend/stages.h"

/* Traits the checker knows: what derive and the built-in types provide. */
enum { TR_DISPLAY, TR_DEBUG, TR_HEX, TR_CLONE, TR_COPY, TR_EQ, TR_ORD };

typedef struct Loop {
    ExprId expr;       /* the LOOP/WHILE/FOR */
    TypeId break_ty;   /* LOOP: the type of its break values */
    bool has_break;
} Loop;

/* State shared by every checking context of a crate. */
typedef struct TcShared {
    uint64_t *method_keys;   /* (struct << 32 | name), open addressing */
    ItemId *method_fns;
    uint32_t nmethods;
    Vec(ExprId) literals;    /* every integer literal, for the range lint */
    Vec(ExprId) neg_literals;/* UNARY NEG of a literal */
} TcShared;

/* One checking context: a function body, or a constant expression. */
typedef struct Tc {
    FeCrate *c;
    FeSession *sess;
    TcShared *shared;
    int errors;
    Vec(TypeId) vars;        /* bindings of inference variables (0 = unbound) */
    FeFn *fn;                /* the function being checked (NULL in constants) */
    ItemId fn_id;
    ItemId mod;              /* the module of the code being checked (privacy) */
    TypeId ret;
    Vec(Loop) loops;
    Vec(ExprId) visited;     /* expressions typed in this context (zonked at the end) */
    Vec(ExprId) int_lits;
    Vec(ExprId) negs;
    Vec(PatId) pats;
    Vec(StmtId) stmts_seen;
} Tc;

const char *tc_sym(Tc *tc, Sym s);
const char *tc_tystr(Tc *tc, TypeId ty);
void tc_error(Tc *tc, const char *code, Span span, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void tc_mismatch(Tc *tc, Span span, TypeId expected, TypeId found);
TypeId tc_new_var(Tc *tc, bool is_int);
TypeId tc_resolve(Tc *tc, TypeId ty);
TypeId tc_zonk(Tc *tc, TypeId ty, bool finish);
bool tc_unify(Tc *tc, TypeId a, TypeId b);
void tc_coerce(Tc *tc, ExprId *id, TypeId target);
void tc_check_coerce(Tc *tc, ExprId *id, TypeId target);
TypeId tc_check_expr(Tc *tc, ExprId id, TypeId expect);
bool tc_has_trait(Tc *tc, TypeId ty, int trait, int depth);
void tc_bind_pattern(Tc *tc, PatId id, TypeId ty);
void tc_finish_body(Tc *tc);
void tc_free(Tc *tc);

/* typeck_sig.c */
void tc_collect_signatures(Tc *tc);
TypeId tc_lower_type(Tc *tc, TyxId tyx);
bool tc_eval_length(Tc *tc, ExprId len, uint64_t *out);
void tc_check_const(Tc *tc, ItemId id);
bool tc_field_visible(Tc *tc, ItemId st, uint32_t field);
ItemId tc_find_method(Tc *tc, ItemId st, Sym name);
TypeId tc_check_macro(Tc *tc, ExprId id);
void tc_check_literals(Tc *tc);

#endif

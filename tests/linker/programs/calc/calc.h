/*
 * calc — a small dynamically typed scripting language, written as a real multi-file C
 * program for relink's tests (it is linked with relink and with GNU ld, and the two
 * must behave the same).
 *
 *   let x = [1, 2, 3];          # lists, maps {"k": v}, strings, ints, floats, nil, bools
 *   fn add(a, b) { return a + b; }
 *   let twice = fn(f, v) { return f(f(v)); };   # closures
 *   for v in x { print(v, add(v, 1)); }
 *   while x[0] < 10 { x[0] = x[0] * 2; }
 *
 * Files: lexer.c (tokens), parser.c (syntax tree), value.c (objects, strings, lists,
 * maps, garbage collection), eval.c (tree-walking evaluation), builtins.c (the library),
 * main.c (driver). Errors unwind with longjmp to the driver.
 */
#ifndef CALC_H
#define CALC_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* ---------------------------------------------------------------- tokens */

#define CALC_TOKENS(X)                                                                       \
    X(EOF, "end of input") X(INT, "integer") X(FLOAT, "number") X(STRING, "string")          \
    X(IDENT, "identifier") X(LET, "let") X(FN, "fn") X(IF, "if") X(ELSE, "else")             \
    X(WHILE, "while") X(FOR, "for") X(IN, "in") X(RETURN, "return") X(BREAK, "break")        \
    X(CONTINUE, "continue") X(TRUE, "true") X(FALSE, "false") X(NIL, "nil") X(AND, "and")    \
    X(OR, "or") X(NOT, "not") X(LPAREN, "(") X(RPAREN, ")") X(LBRACE, "{") X(RBRACE, "}")     \
    X(LBRACKET, "[") X(RBRACKET, "]") X(COMMA, ",") X(SEMI, ";") X(COLON, ":") X(DOT, ".")   \
    X(PLUS, "+") X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(PERCENT, "%") X(ASSIGN, "=")     \
    X(EQ, "==") X(NE, "!=") X(LT, "<") X(LE, "<=") X(GT, ">") X(GE, ">=")                    \
    X(PLUS_ASSIGN, "+=") X(MINUS_ASSIGN, "-=")

typedef enum TokKind {
#define X(id, text) T_##id,
    CALC_TOKENS(X)
#undef X
    T_COUNT
} TokKind;

typedef struct Token {
    TokKind kind;
    int line;
    const char *start;
    int len;
    int64_t ival;
    double fval;
} Token;

typedef struct Lexer {
    const char *src, *p;
    int line;
} Lexer;

void lex_init(Lexer *lx, const char *src);
Token lex_next(Lexer *lx);
const char *tok_name(TokKind k);

/* ---------------------------------------------------------------- syntax tree */

typedef enum NodeKind {
    N_INT, N_FLOAT, N_STRING, N_BOOL, N_NIL, N_VAR, N_LIST, N_MAP, N_FN, N_CALL, N_INDEX,
    N_FIELD, N_UNARY, N_BINARY, N_AND, N_OR, N_ASSIGN, N_LET, N_BLOCK, N_IF, N_WHILE, N_FOR,
    N_RETURN, N_BREAK, N_CONTINUE, N_EXPR_STMT, N_FN_DECL,
} NodeKind;

typedef struct Node Node;
struct Node {
    NodeKind kind;
    int line;
    TokKind op;              /* N_UNARY, N_BINARY, N_ASSIGN (ASSIGN, PLUS_ASSIGN, ...) */
    int64_t ival;
    double fval;
    char *name;              /* N_VAR, N_LET, N_FIELD, N_FN_DECL, N_FOR; N_STRING: the text */
    int name_len;
    Node *a, *b, *c;         /* operands, condition/then/else, target/value */
    Node **items;            /* N_LIST, N_MAP (key, value pairs), N_CALL args, N_BLOCK stmts */
    int nitems;
    char **params;           /* N_FN, N_FN_DECL */
    int nparams;
    void *cache;             /* eval.c: the interned name (N_VAR, N_LET, N_FN_DECL...) */
    void *param_cache;       /* eval.c: the interned parameter names */
};

/* Parses a whole program; NULL with a message in err ("line N: ...") on a syntax error. */
Node *parse_program(const char *src, char *err, size_t errlen);

/* ---------------------------------------------------------------- values */

typedef enum ValKind { V_NIL, V_BOOL, V_INT, V_FLOAT, V_OBJ } ValKind;
typedef enum ObjKind { O_STRING, O_LIST, O_MAP, O_FUNC, O_BUILTIN, O_ENV } ObjKind;

typedef struct Obj Obj;
typedef struct Value {
    ValKind kind;
    union {
        bool b;
        int64_t i;
        double f;
        Obj *o;
    } as;
} Value;

struct Obj {
    ObjKind kind;
    bool marked;
    Obj *next_obj;
};

typedef struct Str {
    Obj obj;
    size_t len;
    uint64_t hash;
    char chars[];
} Str;

typedef struct List {
    Obj obj;
    Value *items;
    size_t len, cap;
} List;

typedef struct MapEntry {
    Value key, value;
    bool used;
} MapEntry;

typedef struct Map {
    Obj obj;
    MapEntry *entries;
    size_t count, cap;   /* cap is a power of two */
    size_t *order;       /* insertion order: indices into entries */
    size_t norder;
} Map;

typedef struct Env Env;
struct Env {
    Obj obj;
    Env *parent;
    Map *vars;
};

typedef struct Func {
    Obj obj;
    const Node *decl;    /* N_FN or N_FN_DECL */
    Env *closure;
    const char *name;
} Func;

struct Interp;
typedef Value (*BuiltinFn)(struct Interp *in, int argc, Value *argv, int line);
typedef struct Builtin {
    Obj obj;
    const char *name;
    BuiltinFn fn;
    int min_args, max_args;
} Builtin;

#define NIL_VAL ((Value){.kind = V_NIL})
#define BOOL_VAL(v) ((Value){.kind = V_BOOL, .as.b = (v)})
#define INT_VAL(v) ((Value){.kind = V_INT, .as.i = (v)})
#define FLOAT_VAL(v) ((Value){.kind = V_FLOAT, .as.f = (v)})
#define OBJ_VAL(v) ((Value){.kind = V_OBJ, .as.o = (Obj *)(v)})
#define IS_OBJ_KIND(v, k) ((v).kind == V_OBJ && (v).as.o->kind == (k))
#define AS_STR(v) ((Str *)(v).as.o)
#define AS_LIST(v) ((List *)(v).as.o)
#define AS_MAP(v) ((Map *)(v).as.o)

/* The interpreter: heap, roots, error state. */
typedef struct Interp {
    Obj *objects;            /* every heap object */
    size_t nobjects, next_gc;
    Value *stack;            /* temporaries kept alive across allocations */
    size_t sp, stack_cap;
    Env **frames;            /* environments of active calls */
    size_t nframes, frames_cap;
    Env *globals;
    jmp_buf *on_error;
    char error[512];
    int depth;
    uint64_t steps;
    struct StrBuf *out;      /* where print writes (stdout when NULL) */
} Interp;

/* value.c */
void interp_init(Interp *in);
void interp_free(Interp *in);
_Noreturn void calc_error(Interp *in, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
Str *str_new(Interp *in, const char *s, size_t len);
Str *str_concat(Interp *in, const Str *a, const Str *b);
List *list_new(Interp *in);
void list_push(Interp *in, List *l, Value v);
Map *map_new(Interp *in);
bool map_get(const Map *m, Value key, Value *out);
void map_set(Interp *in, Map *m, Value key, Value v);
bool map_delete(Map *m, Value key);
Env *env_new(Interp *in, Env *parent);
bool env_lookup(const Env *e, const Str *name, Value *out);
bool env_assign(Interp *in, Env *e, Str *name, Value v);
void env_define(Interp *in, Env *e, Str *name, Value v);
Func *func_new(Interp *in, const Node *decl, Env *closure, const char *name);
Builtin *builtin_new(Interp *in, const char *name, BuiltinFn fn, int min_args, int max_args);
void push_root(Interp *in, Value v);
void pop_roots(Interp *in, size_t n);
void maybe_gc(Interp *in);
bool values_equal(Value a, Value b);
int values_compare(Interp *in, Value a, Value b, int line);
uint64_t value_hash(Value v);
bool truthy(Value v);
const char *type_name(Value v);
/* Appends the printed form of v (strings quoted inside containers when `quote`). */
void value_format(struct StrBuf *sb, Value v, bool quote);

/* A growable string. */
typedef struct StrBuf {
    char *data;
    size_t len, cap;
} StrBuf;
void sbuf_add(StrBuf *sb, const char *s, size_t n);
void sbuf_puts(StrBuf *sb, const char *s);
void sbuf_printf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_free(StrBuf *sb);

/* A string outside the collector (names in the tree), created once per name. */
Str *str_permanent(const char *s, size_t len);

/* eval.c */
Value eval_program(Interp *in, const Node *prog);
Value call_value(Interp *in, Value callee, int argc, Value *argv, int line);

/* builtins.c */
void builtins_install(Interp *in);

/* Memory that never fails (exits on exhaustion). */
void *xalloc(size_t n);
void *xgrow(void *p, size_t n);
char *xstrndup_calc(const char *s, size_t n);

#endif

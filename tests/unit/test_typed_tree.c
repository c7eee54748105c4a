/* tests/unit/test_typed_tree.c — what the backend reads: the typed tree after
 * fe_check_crate (literal types, explicit coercions and receiver adjustments,
 * resolved calls and fields, layouts, const values, format pieces, assert text). */
#include "tests/unit/unit.h"

#include "frontend/frontend.h"

#include <pthread.h>
#include <string.h>

typedef struct Checked {
    FeSession sess;
    FeCrate *c;
} Checked;

static void check_text(Checked *k, const char *text)
{
    fe_session_init(&k->sess);
    FeCrateSpec spec = {.name = "t", .root_path = "/nonexistent/src/main.rs", .display_path = "src/main.rs",
                        .is_bin = true, .root_text = text, .root_len = (uint32_t)strlen(text)};
    k->c = fe_check_crate(&k->sess, &spec);
    if (!k->c)
        ck_abort_msg("rejected:\n%s", sb_str(&k->sess.diag.out));
}

/* The item named `name` (first match). */
static ItemId item_named(FeCrate *c, const char *name)
{
    for (ItemId i = 1; i < c->items.len; i++)
        if (fe_item(c, i)->name && strcmp(sym_str(&c->sess->names, fe_item(c, i)->name), name) == 0)
            return i;
    ck_abort_msg("no item %s", name);
    return 0;
}

/* The tail expression of fn `name`'s body. */
static FeExpr *tail_of(FeCrate *c, const char *name)
{
    const FeFn *fn = &fe_item(c, item_named(c, name))->fn;
    FeExpr *b = fe_expr(c, fn->body);
    ck_assert_uint_ne(b->a, 0);
    return fe_expr(c, b->a);
}

static char *type_str(FeCrate *c, TypeId ty)
{
    StrBuf sb = {0};
    fe_type_str(c, ty, &sb);
    return sb.data;
}

START_TEST(tree_literal_inference)
{
    Checked k;
    check_text(&k, "fn f(x: u8) -> u8 { x }\n"
                   "fn g() -> u8 { let a = 200; f(a) }\n"
                   "fn h() -> i32 { let b = 7; b }\n"
                   "fn main() {}\n");
    FeCrate *c = k.c;
    const FeFn *g = &fe_item(c, item_named(c, "g"))->fn;
    const FeStmt *let = fe_stmt(c, fe_expr(c, g->body)->stmts[0]);
    ck_assert_uint_eq(fe_expr(c, let->expr)->ty, FE_TY_INT(FE_INT_U8));
    ck_assert(fe_expr(c, let->expr)->value == 200);
    ck_assert_uint_eq(g->locals[0].ty, FE_TY_INT(FE_INT_U8));
    FeExpr *call = tail_of(c, "g");
    ck_assert_int_eq(call->kind, FE_EXPR_CALL);
    ck_assert_uint_eq(call->item.item, item_named(c, "f"));
    ck_assert_uint_eq(tail_of(c, "h")->ty, FE_TY_INT(FE_INT_I32));
    fe_session_free(&k.sess);
}
END_TEST

START_TEST(tree_coercions_and_adjustments)
{
    Checked k;
    check_text(&k, "struct P { x: i64, y: u8 }\n"
                   "impl P { fn get(&self) -> i64 { self.x } fn bump(&mut self) { self.x += 1; } }\n"
                   "fn len(s: &[u16]) -> usize { s.len() }\n"
                   "fn a() -> usize { let arr = [1u16, 2, 3]; len(&arr) }\n"
                   "fn b() -> i64 { let mut p = P { y: 1, x: 2 }; p.bump(); p.get() }\n"
                   "fn d(r: &mut P) -> i64 { r.get() }\n"
                   "fn main() {}\n");
    FeCrate *c = k.c;
    /* len(&arr): the argument is an explicit unsizing coercion */
    FeExpr *call = tail_of(c, "a");
    FeExpr *arg = fe_expr(c, call->args[0]);
    ck_assert_int_eq(arg->kind, FE_EXPR_COERCE);
    ck_assert_int_eq(arg->op, FE_COERCE_UNSIZE);
    char *s = type_str(c, arg->ty);
    ck_assert_str_eq(s, "&[u16]");
    xfree(s);
    /* p.get(): the receiver is an implicit &p */
    FeExpr *m = tail_of(c, "b");
    ck_assert_int_eq(m->kind, FE_EXPR_METHOD_CALL);
    ck_assert_uint_eq(m->item.item, item_named(c, "get"));
    FeExpr *recv = fe_expr(c, m->args[0]);
    ck_assert_int_eq(recv->kind, FE_EXPR_REF);
    ck_assert(recv->flags & FE_EXPR_IMPLICIT);
    ck_assert_int_eq(fe_expr(c, recv->a)->kind, FE_EXPR_LOCAL);
    /* r.get() with r: &mut P: a reborrow to &P */
    FeExpr *m2 = tail_of(c, "d");
    FeExpr *r2 = fe_expr(c, m2->args[0]);
    ck_assert_int_eq(r2->kind, FE_EXPR_COERCE);
    ck_assert_int_eq(r2->op, FE_COERCE_REBORROW);
    /* self.x: an implicit deref, then field index 0 */
    FeExpr *f = tail_of(c, "get");
    ck_assert_int_eq(f->kind, FE_EXPR_FIELD);
    ck_assert_uint_eq(f->field, 0);
    ck_assert_int_eq(fe_expr(c, f->a)->kind, FE_EXPR_UNARY);
    ck_assert_int_eq(fe_expr(c, f->a)->op, FE_UN_DEREF);
    /* struct literal: initializers in field order */
    const FeFn *b = &fe_item(c, item_named(c, "b"))->fn;
    FeExpr *lit = fe_expr(c, fe_stmt(c, fe_expr(c, b->body)->stmts[0])->expr);
    ck_assert_int_eq(lit->kind, FE_EXPR_STRUCT);
    ck_assert_uint_eq(fe_expr(c, lit->args[0])->ty, FE_TY_INT(FE_INT_I64));
    ck_assert(fe_expr(c, lit->args[1])->value == 1);
    /* layout: i64 at 0, u8 at 8, size 16 */
    const FeStruct *st = &fe_item(c, item_named(c, "P"))->st;
    ck_assert_uint_eq(st->size, 16);
    ck_assert_uint_eq(st->align, 8);
    ck_assert_uint_eq(st->fields[1].offset, 8);
    /* symbol path of the method */
    StrBuf sb = {0};
    fe_item_path(c, item_named(c, "get"), &sb);
    ck_assert_str_eq(sb_str(&sb), "P::get");
    sb_free(&sb);
    fe_session_free(&k.sess);
}
END_TEST

START_TEST(tree_consts_never_and_macros)
{
    Checked k;
    check_text(&k, "const N: usize = 2 * 3 + 1;\n"
                   "const M: i8 = -128;\n"
                   "fn e(x: i32) -> i32 { if x > 0 { return 1; } panic!(\"bad {x:>4}\") }\n"
                   "fn main() { let a = [0u8; N]; assert!(a.len() == N); println!(\"{:#x} {{}}\", a[1]); }\n");
    FeCrate *c = k.c;
    const FeConst *n = &fe_item(c, item_named(c, "N"))->cst;
    ck_assert(n->has_value && n->value == 7);
    const FeConst *m = &fe_item(c, item_named(c, "M"))->cst;
    ck_assert(m->has_value && (int64_t)(uint64_t)m->value == -128);
    /* panic!: type !, coerced to i32 as the body's value */
    FeExpr *p = tail_of(c, "e");
    ck_assert_int_eq(p->kind, FE_EXPR_COERCE);
    ck_assert_int_eq(p->op, FE_COERCE_NEVER_TO_ANY);
    FeExpr *mac = fe_expr(c, p->a);
    ck_assert_int_eq(mac->op, FE_MAC_PANIC);
    ck_assert_uint_eq(mac->mac->npieces, 1);
    ck_assert(mac->mac->pieces[0].has_arg);
    ck_assert_uint_eq(mac->mac->pieces[0].width, 4);
    ck_assert_int_eq(mac->mac->pieces[0].align, FE_ALIGN_RIGHT);
    ck_assert_int_eq(fe_expr(c, mac->mac->args[0])->kind, FE_EXPR_LOCAL);
    /* main: [0u8; N] has type [u8; 7]; assert! keeps rustc's text; println! pieces */
    const FeFn *mn = &fe_item(c, item_named(c, "main"))->fn;
    const FeExpr *body = fe_expr(c, mn->body);
    char *s = type_str(c, fe_stmt(c, body->stmts[0])->ty);
    ck_assert_str_eq(s, "[u8; 7]");
    xfree(s);
    const FeExpr *as = fe_expr(c, fe_stmt(c, body->stmts[1])->expr);
    ck_assert_int_eq(as->op, FE_MAC_ASSERT);
    ck_assert_str_eq(as->mac->cond_text, "a.len() == N");
    const FeExpr *pr = fe_expr(c, fe_stmt(c, body->stmts[2])->expr);
    ck_assert_uint_eq(pr->mac->npieces, 2);
    ck_assert_int_eq(pr->mac->pieces[0].trait, FE_FMT_LOWER_HEX);
    ck_assert(pr->mac->pieces[0].flags & FE_FMT_ALT);
    ck_assert_str_eq(pr->mac->pieces[1].text, " {}\n");
    fe_session_free(&k.sess);
}
END_TEST

/* Sessions share nothing: several crates are checked at once on several threads. */
static void *check_on_thread(void *arg)
{
    int n = (int)(intptr_t)arg;
    char *text = xasprintf("const K: u32 = %d;\n"
                           "struct S { v: [u32; 4] }\n"
                           "impl S { fn sum(&self) -> u32 { let mut t = 0; for i in 0..4 { t += self.v[i]; } t } }\n"
                           "fn main() { let s = S { v: [K; 4] }; println!(\"{}\", s.sum()); }\n", n);
    intptr_t ok = 1;
    for (int round = 0; round < 20; round++) {
        FeSession sess;
        fe_session_init(&sess);
        FeCrateSpec spec = {.name = "t", .root_path = "/nonexistent/src/main.rs", .display_path = "src/main.rs",
                            .is_bin = true, .root_text = text, .root_len = (uint32_t)strlen(text)};
        FeCrate *c = fe_check_crate(&sess, &spec);
        if (!c || !fe_item(c, item_named(c, "K"))->cst.has_value ||
            fe_item(c, item_named(c, "K"))->cst.value != (u128)n)
            ok = 0;
        fe_session_free(&sess);
    }
    xfree(text);
    return (void *)ok;
}

START_TEST(tree_sessions_on_threads)
{
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&threads[i], NULL, check_on_thread, (void *)(intptr_t)(i + 10)), 0);
    for (int i = 0; i < 4; i++) {
        void *ok;
        pthread_join(threads[i], &ok);
        ck_assert_ptr_nonnull(ok);
    }
}
END_TEST

Suite *typed_tree_suite(void)
{
    Suite *s = suite_create("typed_tree");
    TCase *tc = tcase_create("typed_tree");
    tcase_add_test(tc, tree_literal_inference);
    tcase_add_test(tc, tree_coercions_and_adjustments);
    tcase_add_test(tc, tree_consts_never_and_macros);
    tcase_add_test(tc, tree_sessions_on_threads);
    suite_add_tcase(s, tc);
    return s;
}

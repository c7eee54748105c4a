/*
 * frontend/dump.c — printing the tree: `--dump=ast` and `--dump=types` (one node a
 * line, indented, with types after typeck), and expressions as rustc's pretty
 * printer shows them (the text of assert!'s "assertion failed: ...").
 */
#include "frontend/stages.h"

#include <string.h>

static const char *const expr_kind_names[] = {
#define X(k) #k,
    FE_EXPR_KINDS(X)
#undef X
};

static const char *const binop_text[] = {
#define X(k, s, prec) s,
    FE_BIN_OPS(X)
#undef X
};

static const char *const item_kind_names[] = {
#define X(k, desc) #k,
    FE_ITEM_KINDS(X)
#undef X
};

static void put_src(FeCrate *c, Span sp, StrBuf *out)
{
    SourceFile *f = &c->sess->sources.files.data[sp.file];
    if (sp.hi <= f->len && sp.lo <= sp.hi)
        sb_append(out, f->text + sp.lo, sp.hi - sp.lo);
}

static void put_path(FeCrate *c, const FePath *p, StrBuf *out)
{
    if (p->global)
        sb_puts(out, "::");
    for (uint32_t i = 0; i < p->nsegs; i++) {
        if (i)
            sb_puts(out, "::");
        sb_puts(out, sym_str(&c->sess->names, p->segs[i].name));
    }
}

static void put_tyx(FeCrate *c, TyxId id, StrBuf *out)
{
    const FeTyx *t = fe_tyx(c, id);
    switch (t->kind) {
    case FE_TYX_PATH: put_path(c, t->path, out); break;
    case FE_TYX_REF:
        sb_puts(out, t->mut ? "&mut " : "&");
        put_tyx(c, t->inner, out);
        break;
    case FE_TYX_ARRAY:
        sb_putc(out, '[');
        put_tyx(c, t->inner, out);
        sb_puts(out, "; ");
        dump_expr_source(c, t->len, out);
        sb_putc(out, ']');
        break;
    case FE_TYX_SLICE:
        sb_putc(out, '[');
        put_tyx(c, t->inner, out);
        sb_putc(out, ']');
        break;
    case FE_TYX_TUPLE:
        sb_putc(out, '(');
        for (uint32_t i = 0; i < t->n; i++) {
            if (i)
                sb_puts(out, ", ");
            put_tyx(c, t->elems[i], out);
        }
        if (t->n == 1)
            sb_putc(out, ',');
        sb_putc(out, ')');
        break;
    case FE_TYX_NEVER: sb_putc(out, '!'); break;
    case FE_TYX_INFER: sb_putc(out, '_'); break;
    default: put_src(c, t->span, out); break;
    }
}

static void put_pat(FeCrate *c, PatId id, StrBuf *out)
{
    const FePat *p = fe_pat(c, id);
    switch (p->kind) {
    case FE_PAT_BIND:
        if (p->mut)
            sb_puts(out, "mut ");
        sb_puts(out, sym_str(&c->sess->names, p->name));
        break;
    case FE_PAT_WILD: sb_putc(out, '_'); break;
    case FE_PAT_TUPLE:
        sb_putc(out, '(');
        for (uint32_t i = 0; i < p->n; i++) {
            if (i)
                sb_puts(out, ", ");
            put_pat(c, p->elems[i], out);
        }
        if (p->n == 1)
            sb_putc(out, ',');
        sb_putc(out, ')');
        break;
    default: put_src(c, p->span, out); break;
    }
}

static void put_list(FeCrate *c, const ExprId *ids, uint32_t from, uint32_t n, StrBuf *out)
{
    for (uint32_t i = from; i < n; i++) {
        if (i > from)
            sb_puts(out, ", ");
        dump_expr_source(c, ids[i], out);
    }
}

static void put_block(FeCrate *c, const FeExpr *e, StrBuf *out)
{
    if (e->n == 0 && !e->a) {
        sb_puts(out, "{}");
        return;
    }
    sb_puts(out, "{ ");
    for (uint32_t i = 0; i < e->n; i++) {
        const FeStmt *s = fe_stmt(c, e->stmts[i]);
        if (s->kind == FE_STMT_LET) {
            sb_puts(out, "let ");
            put_pat(c, s->pat, out);
            if (s->tyx) {
                sb_puts(out, ": ");
                put_tyx(c, s->tyx, out);
            }
            if (s->expr) {
                sb_puts(out, " = ");
                dump_expr_source(c, s->expr, out);
            }
            sb_puts(out, "; ");
        } else if (s->kind == FE_STMT_SEMI) {
            dump_expr_source(c, s->expr, out);
            sb_puts(out, "; ");
        } else if (s->kind == FE_STMT_EXPR) {
            dump_expr_source(c, s->expr, out);
            sb_putc(out, ' ');
        }
    }
    if (e->a) {
        dump_expr_source(c, e->a, out);
        sb_putc(out, ' ');
    }
    sb_putc(out, '}');
}

static void put_label(FeCrate *c, const FeExpr *e, StrBuf *out)
{
    if (e->name) {
        sb_puts(out, sym_str(&c->sess->names, e->name));
        sb_puts(out, ": ");
    }
}

void dump_expr_source(FeCrate *c, ExprId id, StrBuf *out)
{
    if (!id)
        return;
    const FeExpr *e = fe_expr(c, id);
    if (e->flags & FE_EXPR_IMPLICIT) {
        dump_expr_source(c, e->a ? e->a : e->args[0], out);
        return;
    }
    switch (e->kind) {
    case FE_EXPR_INT: case FE_EXPR_FLOAT: case FE_EXPR_STR: case FE_EXPR_CHAR: case FE_EXPR_BOOL:
    case FE_EXPR_MACRO: case FE_EXPR_ERROR: case FE_EXPR_LOCAL: case FE_EXPR_ITEM:
        put_src(c, e->span, out);
        break;
    case FE_EXPR_PATH: put_path(c, e->path, out); break;
    case FE_EXPR_UNARY:
        sb_puts(out, e->op == FE_UN_NEG ? "-" : e->op == FE_UN_NOT ? "!" : "*");
        dump_expr_source(c, e->a, out);
        break;
    case FE_EXPR_REF:
        sb_puts(out, e->flags & FE_EXPR_MUT ? "&mut " : "&");
        dump_expr_source(c, e->a, out);
        break;
    case FE_EXPR_BINARY:
    case FE_EXPR_ASSIGN_OP:
        dump_expr_source(c, e->a, out);
        sb_printf(out, " %s%s ", binop_text[e->op], e->kind == FE_EXPR_ASSIGN_OP ? "=" : "");
        dump_expr_source(c, e->b, out);
        break;
    case FE_EXPR_ASSIGN:
        dump_expr_source(c, e->a, out);
        sb_puts(out, " = ");
        dump_expr_source(c, e->b, out);
        break;
    case FE_EXPR_CALL:
        if (e->a)
            dump_expr_source(c, e->a, out);
        else
            put_src(c, e->span, out);
        sb_putc(out, '(');
        put_list(c, e->args, 0, e->n, out);
        sb_putc(out, ')');
        break;
    case FE_EXPR_METHOD_CALL:
    case FE_EXPR_BUILTIN:
        if (e->kind == FE_EXPR_BUILTIN && e->op == FE_BUILTIN_EXIT) {
            put_src(c, e->span, out);
            break;
        }
        dump_expr_source(c, e->args[0], out);
        sb_printf(out, ".%s(", sym_str(&c->sess->names, e->name));
        put_list(c, e->args, 1, e->n, out);
        sb_putc(out, ')');
        break;
    case FE_EXPR_FIELD:
        dump_expr_source(c, e->a, out);
        if (e->name)
            sb_printf(out, ".%s", sym_str(&c->sess->names, e->name));
        else
            sb_printf(out, ".%u", e->field);
        break;
    case FE_EXPR_INDEX:
        dump_expr_source(c, e->a, out);
        sb_putc(out, '[');
        dump_expr_source(c, e->b, out);
        sb_putc(out, ']');
        break;
    case FE_EXPR_CAST:
        dump_expr_source(c, e->a, out);
        sb_puts(out, " as ");
        put_tyx(c, e->tyx, out);
        break;
    case FE_EXPR_BLOCK: put_block(c, e, out); break;
    case FE_EXPR_IF:
        sb_puts(out, "if ");
        dump_expr_source(c, e->a, out);
        sb_putc(out, ' ');
        dump_expr_source(c, e->b, out);
        if (e->c) {
            sb_puts(out, " else ");
            dump_expr_source(c, e->c, out);
        }
        break;
    case FE_EXPR_WHILE:
        put_label(c, e, out);
        sb_puts(out, "while ");
        dump_expr_source(c, e->a, out);
        sb_putc(out, ' ');
        dump_expr_source(c, e->b, out);
        break;
    case FE_EXPR_LOOP:
        put_label(c, e, out);
        sb_puts(out, "loop ");
        dump_expr_source(c, e->b, out);
        break;
    case FE_EXPR_FOR:
        put_label(c, e, out);
        sb_puts(out, "for ");
        put_pat(c, e->pat, out);
        sb_puts(out, " in ");
        dump_expr_source(c, e->a, out);
        sb_putc(out, ' ');
        dump_expr_source(c, e->b, out);
        break;
    case FE_EXPR_RANGE:
        dump_expr_source(c, e->a, out);
        sb_puts(out, e->flags & FE_EXPR_INCLUSIVE ? "..=" : "..");
        dump_expr_source(c, e->b, out);
        break;
    case FE_EXPR_BREAK:
    case FE_EXPR_CONTINUE:
    case FE_EXPR_RETURN:
        sb_puts(out, e->kind == FE_EXPR_BREAK ? "break" : e->kind == FE_EXPR_CONTINUE ? "continue" : "return");
        if (e->kind != FE_EXPR_RETURN && e->name)
            sb_printf(out, " %s", sym_str(&c->sess->names, e->name));
        if (e->a) {
            sb_putc(out, ' ');
            dump_expr_source(c, e->a, out);
        }
        break;
    case FE_EXPR_STRUCT:
        if (e->b == 1) {  /* as written */
            dump_expr_source(c, e->a, out);
            sb_puts(out, " { ");
            for (uint32_t i = 0; i < e->n; i++) {
                const FeExpr *f = fe_expr(c, e->args[i]);
                if (i)
                    sb_puts(out, ", ");
                if (f->name)
                    sb_puts(out, sym_str(&c->sess->names, f->name));
                else
                    sb_printf(out, "%u", f->field);
                sb_puts(out, ": ");
                dump_expr_source(c, f->a, out);
            }
            sb_puts(out, " }");
        } else {
            put_src(c, e->span, out);
        }
        break;
    case FE_EXPR_TUPLE:
        sb_putc(out, '(');
        put_list(c, e->args, 0, e->n, out);
        if (e->n == 1)
            sb_putc(out, ',');
        sb_putc(out, ')');
        break;
    case FE_EXPR_ARRAY:
        sb_putc(out, '[');
        put_list(c, e->args, 0, e->n, out);
        sb_putc(out, ']');
        break;
    case FE_EXPR_REPEAT:
        sb_putc(out, '[');
        dump_expr_source(c, e->a, out);
        sb_puts(out, "; ");
        dump_expr_source(c, e->b, out);
        sb_putc(out, ']');
        break;
    case FE_EXPR_PAREN:
        sb_putc(out, '(');
        dump_expr_source(c, e->a, out);
        sb_putc(out, ')');
        break;
    case FE_EXPR_COERCE:
        dump_expr_source(c, e->a, out);
        break;
    default:
        put_src(c, e->span, out);
    }
}

/* ---------------------------------------------------------------- tree dumps */

typedef struct Dumper {
    FeCrate *c;
    FILE *to;
    bool typed;
    StrBuf line;
} Dumper;

static void flush_line(Dumper *d, int depth)
{
    fprintf(d->to, "%*s%s\n", depth * 2, "", sb_str(&d->line));
    sb_clear(&d->line);
}

static void put_type(Dumper *d, TypeId ty)
{
    if (!d->typed || !ty)
        return;
    sb_puts(&d->line, " : ");
    fe_type_str(d->c, ty, &d->line);
}

static void dump_expr(Dumper *d, ExprId id, int depth);

static void dump_stmt(Dumper *d, StmtId id, int depth)
{
    const FeStmt *s = fe_stmt(d->c, id);
    if (s->kind == FE_STMT_LET) {
        sb_puts(&d->line, "let ");
        put_pat(d->c, s->pat, &d->line);
        if (d->typed) {
            put_type(d, s->ty);
        } else if (s->tyx) {
            sb_puts(&d->line, ": ");
            put_tyx(d->c, s->tyx, &d->line);
        }
        flush_line(d, depth);
        if (s->expr)
            dump_expr(d, s->expr, depth + 1);
        return;
    }
    sb_puts(&d->line, s->kind == FE_STMT_SEMI ? "stmt;" : "stmt");
    flush_line(d, depth);
    dump_expr(d, s->expr, depth + 1);
}

static void dump_expr(Dumper *d, ExprId id, int depth)
{
    if (!id)
        return;
    FeCrate *c = d->c;
    const FeExpr *e = fe_expr(c, id);
    StrBuf *l = &d->line;
    sb_puts(l, expr_kind_names[e->kind]);
    if (e->flags & FE_EXPR_IMPLICIT)
        sb_puts(l, " (implicit)");
    switch (e->kind) {
    case FE_EXPR_INT: case FE_EXPR_FLOAT: case FE_EXPR_STR: case FE_EXPR_CHAR: case FE_EXPR_BOOL:
        sb_putc(l, ' ');
        put_src(c, e->span, l);
        break;
    case FE_EXPR_PATH:
        sb_putc(l, ' ');
        put_path(c, e->path, l);
        break;
    case FE_EXPR_LOCAL:
        sb_printf(l, " %s#%u", sym_str(&c->sess->names, e->name), e->local);
        break;
    case FE_EXPR_ITEM: case FE_EXPR_CALL: case FE_EXPR_METHOD_CALL:
        if (e->kind == FE_EXPR_METHOD_CALL)
            sb_printf(l, " .%s", sym_str(&c->sess->names, e->name));
        if (e->item.item && (e->kind != FE_EXPR_CALL || !e->a || fe_expr(c, e->a)->kind != FE_EXPR_PATH)) {
            sb_putc(l, ' ');
            fe_item_path(c, e->item.item, l);
        }
        break;
    case FE_EXPR_STRUCT:
        if (e->item.item && e->b != 1) {
            sb_putc(l, ' ');
            fe_item_path(c, e->item.item, l);
        }
        break;
    case FE_EXPR_UNARY: sb_puts(l, e->op == FE_UN_NEG ? " -" : e->op == FE_UN_NOT ? " !" : " *"); break;
    case FE_EXPR_REF: sb_puts(l, e->flags & FE_EXPR_MUT ? " &mut" : " &"); break;
    case FE_EXPR_BINARY: case FE_EXPR_ASSIGN_OP: sb_printf(l, " %s", binop_text[e->op]); break;
    case FE_EXPR_FIELD:
        if (e->name)
            sb_printf(l, " .%s", sym_str(&c->sess->names, e->name));
        if (!e->name || d->typed)
            sb_printf(l, " #%u", e->field);
        break;
    case FE_EXPR_CAST:
        sb_puts(l, " as ");
        put_tyx(c, e->tyx, l);
        break;
    case FE_EXPR_COERCE:
        sb_puts(l, e->op == FE_COERCE_UNSIZE ? " unsize" : e->op == FE_COERCE_REBORROW ? " reborrow" : " never");
        break;
    case FE_EXPR_BUILTIN:
        sb_puts(l, e->op == FE_BUILTIN_LEN ? " len" : e->op == FE_BUILTIN_CLONE ? " clone" : " exit");
        break;
    case FE_EXPR_RANGE: sb_puts(l, e->flags & FE_EXPR_INCLUSIVE ? " ..=" : " .."); break;
    case FE_EXPR_FOR:
        sb_putc(l, ' ');
        put_pat(c, e->pat, l);
        if (e->flags & FE_EXPR_REV)
            sb_puts(l, " rev");
        break;
    case FE_EXPR_MACRO: {
        static const char *const names[] = {"print!", "println!", "eprint!", "eprintln!", "panic!", "assert!",
                                            "assert_eq!", "assert_ne!", "unreachable!", "todo!"};
        sb_printf(l, " %s", names[e->op]);
        const FeMacro *m = e->mac;
        for (uint32_t i = 0; i < m->npieces; i++) {
            const FeFmtPiece *pc = &m->pieces[i];
            sb_puts(l, " \"");
            for (uint32_t k = 0; k < pc->len; k++) {
                char ch = pc->text[k];
                if (ch == '\n')
                    sb_puts(l, "\\n");
                else if (ch == '"' || ch == '\\')
                    sb_printf(l, "\\%c", ch);
                else
                    sb_putc(l, ch);
            }
            sb_putc(l, '"');
            if (pc->has_arg) {
                static const char traits[] = "D?xXboeE";
                sb_printf(l, " {%u:%c", pc->arg, traits[pc->trait]);
                if (pc->align)
                    sb_printf(l, " fill=U+%X align=%c", pc->fill, "-<>^"[pc->align]);
                if (pc->flags)
                    sb_printf(l, " flags=%u", pc->flags);
                if (pc->width_kind)
                    sb_printf(l, " width=%s%u", pc->width_kind == FE_COUNT_ARG ? "arg" : "", pc->width);
                if (pc->prec_kind)
                    sb_printf(l, " prec=%s%u", pc->prec_kind == FE_COUNT_ARG ? "arg" : "", pc->prec);
                sb_putc(l, '}');
            }
        }
        if (m->kind == FE_MAC_ASSERT)
            sb_printf(l, " cond=\"%.*s\"", (int)m->cond_len, m->cond_text);
        break;
    }
    default:
        break;
    }
    if ((e->kind == FE_EXPR_LOOP || e->kind == FE_EXPR_WHILE || e->kind == FE_EXPR_FOR ||
         e->kind == FE_EXPR_BREAK || e->kind == FE_EXPR_CONTINUE) && e->name)
        sb_printf(l, " %s", sym_str(&c->sess->names, e->name));
    put_type(d, e->ty);
    flush_line(d, depth);
    switch (e->kind) {
    case FE_EXPR_BLOCK:
        for (uint32_t i = 0; i < e->n; i++)
            dump_stmt(d, e->stmts[i], depth + 1);
        dump_expr(d, e->a, depth + 1);
        break;
    case FE_EXPR_CALL: case FE_EXPR_METHOD_CALL: case FE_EXPR_BUILTIN: case FE_EXPR_TUPLE:
    case FE_EXPR_ARRAY:
        if (e->kind == FE_EXPR_CALL && e->a && !e->item.item)
            dump_expr(d, e->a, depth + 1);
        for (uint32_t i = 0; i < e->n; i++)
            dump_expr(d, e->args[i], depth + 1);
        break;
    case FE_EXPR_STRUCT:
        if (e->b == 1 && !d->typed)
            dump_expr(d, e->a, depth + 1);
        for (uint32_t i = 0; i < e->n; i++)
            dump_expr(d, e->args[i], depth + 1);
        break;
    case FE_EXPR_MACRO: {
        const FeMacro *m = e->mac;
        dump_expr(d, m->cond, depth + 1);
        dump_expr(d, m->left, depth + 1);
        dump_expr(d, m->right, depth + 1);
        for (uint32_t i = 0; i < m->nargs; i++)
            dump_expr(d, m->args[i], depth + 1);
        break;
    }
    case FE_EXPR_STR: case FE_EXPR_INT: case FE_EXPR_CHAR: case FE_EXPR_BOOL: case FE_EXPR_FLOAT:
    case FE_EXPR_PATH: case FE_EXPR_LOCAL: case FE_EXPR_ITEM: case FE_EXPR_ERROR:
        break;
    default:
        dump_expr(d, e->a, depth + 1);
        dump_expr(d, e->b, depth + 1);
        if (e->kind == FE_EXPR_IF)
            dump_expr(d, e->c, depth + 1);
    }
}

static const char *vis_text(int vis) { return vis == FE_VIS_PUB ? "pub " : vis == FE_VIS_CRATE ? "pub(crate) " : ""; }

static void dump_item(Dumper *d, ItemId id, int depth)
{
    FeCrate *c = d->c;
    const FeItem *it = fe_item(c, id);
    StrBuf *l = &d->line;
    if (it->kind == FE_ITEM_USE && !it->use)
        return;  /* dropped (#[cfg(test)]) */
    sb_printf(l, "%s%s %s", vis_text(it->vis), item_kind_names[it->kind],
              it->name ? sym_str(&c->sess->names, it->name) : "");
    switch (it->kind) {
    case FE_ITEM_MOD:
        if (id == c->root)
            sb_printf(l, "crate %s", sym_str(&c->sess->names, c->name));
        flush_line(d, depth);
        for (uint32_t i = 0; i < it->mod.nitems; i++)
            dump_item(d, it->mod.items[i], depth + 1);
        return;
    case FE_ITEM_FN: {
        const FeFn *fn = &it->fn;
        if (it->flags & FE_ITEM_INLINE)
            sb_puts(l, " #[inline]");
        sb_putc(l, '(');
        for (uint32_t i = 0; i < fn->nparams; i++) {
            if (i)
                sb_puts(l, ", ");
            put_pat(c, fn->params[i].pat, l);
            if (d->typed && fn->params[i].ty) {
                sb_puts(l, ": ");
                fe_type_str(c, fn->params[i].ty, l);
            } else if (fn->params[i].tyx) {
                sb_puts(l, ": ");
                put_tyx(c, fn->params[i].tyx, l);
            }
        }
        sb_putc(l, ')');
        if (d->typed) {
            sb_puts(l, " -> ");
            fe_type_str(c, fn->ret, l);
            sb_printf(l, " locals=%u", fn->nlocals);
        } else if (fn->ret_tyx) {
            sb_puts(l, " -> ");
            put_tyx(c, fn->ret_tyx, l);
        }
        flush_line(d, depth);
        dump_expr(d, fn->body, depth + 1);
        return;
    }
    case FE_ITEM_STRUCT: {
        const FeStruct *st = &it->st;
        if (d->typed)
            sb_printf(l, " size=%llu align=%llu", (unsigned long long)st->size, (unsigned long long)st->align);
        if (it->flags & FE_DERIVE_DEBUG)
            sb_puts(l, " Debug");
        if (it->flags & FE_DERIVE_CLONE)
            sb_puts(l, " Clone");
        if (it->flags & FE_DERIVE_COPY)
            sb_puts(l, " Copy");
        if (it->flags & FE_DERIVE_PARTIAL_EQ)
            sb_puts(l, " PartialEq");
        if (it->flags & FE_DERIVE_EQ)
            sb_puts(l, " Eq");
        flush_line(d, depth);
        for (uint32_t i = 0; i < st->nfields; i++) {
            const FeField *f = &st->fields[i];
            sb_printf(l, "%sfield %s: ", vis_text(f->vis), f->name ? sym_str(&c->sess->names, f->name) : "");
            if (d->typed) {
                fe_type_str(c, f->ty, l);
                sb_printf(l, " @%llu", (unsigned long long)f->offset);
            } else {
                put_tyx(c, f->tyx, l);
            }
            flush_line(d, depth + 1);
        }
        return;
    }
    case FE_ITEM_CONST:
    case FE_ITEM_STATIC:
        sb_puts(l, ": ");
        if (d->typed)
            fe_type_str(c, it->cst.ty, l);
        else
            put_tyx(c, it->cst.tyx, l);
        if (d->typed && it->cst.has_value) {
            u128 v = it->cst.value;
            bool neg = (int64_t)(uint64_t)(v >> 64) < 0;
            if (neg)
                v = -v;
            char buf[48];
            int n = 0;
            do
                buf[n++] = (char)('0' + (int)(v % 10));
            while ((v /= 10) != 0);
            sb_puts(l, " = ");
            if (neg)
                sb_putc(l, '-');
            while (n)
                sb_putc(l, buf[--n]);
        }
        flush_line(d, depth);
        dump_expr(d, it->cst.init, depth + 1);
        return;
    case FE_ITEM_IMPL:
        if (d->typed)
            fe_type_str(c, it->impl.self_ty, l);
        else
            put_tyx(c, it->impl.self_tyx, l);
        flush_line(d, depth);
        for (uint32_t i = 0; i < it->impl.nitems; i++)
            dump_item(d, it->impl.items[i], depth + 1);
        return;
    case FE_ITEM_USE:
        put_src(c, it->span, l);
        flush_line(d, depth);
        return;
    default:
        flush_line(d, depth);
    }
}

void dump_tree(FeCrate *c, FILE *to, bool typed)
{
    Dumper d = {c, to, typed, {0}};
    dump_item(&d, c->root, 0);
    sb_free(&d.line);
}

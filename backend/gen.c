/*
 * backend/gen.c — the code generator's driver: symbols, modules, function frames.
 *
 * A CgGen (cg_gen_new) first gives every function, static, constant and derived trait
 * function a v0 symbol (backend.h lists the shapes) and numbers the modules; then it
 * generates pieces one at a time (cg_gen_piece): a static's or const's data, a
 * function (gen_function), a struct's derived Debug/PartialEq function, or for a bin
 * crate the entry point `__ws_main` (a jump to `main`). incr.c drives it over the
 * crate's list of pieces. Records go to the caller's arena; everything a single
 * function needs while it is generated lives in Gen.scratch, freed after each function.
 *
 * Frame of a generated function:
 *   [rbp + 16 + 8k]   stack arguments
 *   [rbp + 8]         return address          [rbp] saved rbp
 *   [rbp - n]         parameters spilled from registers, locals, temporaries
 *   [rsp + 8k]        outgoing stack arguments
 * The prologue is `push rbp; mov rbp, rsp; sub rsp, imm32`, the imm32 patched once the
 * function's frame size is known; a frame over a page gets rustc's stack probes instead
 * (x64_patch_stack_alloc). Every exit goes through `leave; ret`.
 */
#include "backend/gen.h"

#include <string.h>

static const char *const rt_sym_names[RTS_COUNT] = {
#define X(id, name) name,
    GEN_RT_SYMS(X)
#undef X
};

/* ---------------------------------------------------------------- types */

static const uint8_t int_sizes[FE_INT_COUNT] = {
#define X(k, name, size, is_signed) size,
    FE_INT_KINDS(X)
#undef X
};
static const uint8_t int_signed[FE_INT_COUNT] = {
#define X(k, name, size, is_signed) is_signed,
    FE_INT_KINDS(X)
#undef X
};

const TyInfo *gen_ty(Gen *g, TypeId ty)
{
    if (ty >= g->ntyinfo) {
        uint32_t n = MAX(g->c->types.count + 64, ty + 1);
        g->tyinfo = xrealloc(g->tyinfo, n * sizeof(TyInfo));
        memset(g->tyinfo + g->ntyinfo, 0, (n - g->ntyinfo) * sizeof(TyInfo));
        g->ntyinfo = n;
    }
    TyInfo *ti = &g->tyinfo[ty];
    if (ti->known)
        return ti;
    const FeType *t = gen_type(g, ty);
    TyInfo r = {.known = 1, .align = 1};
    switch (t->kind) {
    case FE_TYPE_INT:
        r.size = r.align = int_sizes[t->sub];
        r.cls = r.size == 16 ? VC_PAIR : VC_SCALAR;
        r.sign = int_signed[t->sub];
        r.is_int = 1;
        break;
    case FE_TYPE_BOOL: r.size = r.align = 1, r.cls = VC_SCALAR; break;
    case FE_TYPE_CHAR: r.size = r.align = 4, r.cls = VC_SCALAR; break;
    case FE_TYPE_STR: case FE_TYPE_SLICE: r.cls = VC_UNSIZED; break;
    case FE_TYPE_REF: {
        int ik = gen_type(g, t->inner)->kind;
        bool fat = ik == FE_TYPE_STR || ik == FE_TYPE_SLICE;
        r.size = fat ? 16 : 8, r.align = 8, r.cls = fat ? VC_PAIR : VC_SCALAR;
        break;
    }
    case FE_TYPE_TUPLE: case FE_TYPE_ARRAY: case FE_TYPE_STRUCT: {
        uint64_t size, align;
        if (!fe_layout(g->c, ty, &size, &align) || size > ((uint64_t)1 << 40)) {
            /* too big for the target (typeck reports structs; arrays can get here) */
            StrBuf name = {0};
            fe_type_str(g->c, ty, &name);
            gen_unsupported(g, g->fn_span, "values of the type `%s` (too big for the target)", sb_str(&name));
            sb_free(&name);
            size = 0, align = 1;
        }
        r.size = size, r.align = (uint32_t)align, r.cls = size ? VC_MEM : VC_VOID;
        break;
    }
    default: /* `!`, and kinds that never hold values (ranges) */
        r.cls = VC_VOID;
        break;
    }
    *ti = r;
    return ti;
}

/* ---------------------------------------------------------------- diagnostics, frame */

void gen_unsupported(Gen *g, Span span, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_emit(&g->sess->diag, DIAG_ERROR, span, NULL, "unsupported: %s", msg);
    g->errors++;
}

int32_t gen_slot(Gen *g, uint64_t size, uint32_t align)
{
    if (size > (1u << 30) || g->frame > (1 << 30)) {
        if (!g->frame_overflow)
            gen_unsupported(g, g->fn_span, "stack frames larger than 1 GiB");
        g->frame_overflow = true;
        return -g->frame;
    }
    g->frame = (int32_t)ALIGN_UP((uint64_t)g->frame + size, (uint64_t)MAX(align, 1u));
    if (g->frame > g->frame_max)
        g->frame_max = g->frame;
    return -g->frame;
}

X64Label gen_stub(Gen *g, RtSymId rt, uint32_t loc)
{
    X64Label l = x64_label(&g->as);
    vec_push(&g->stubs, ((Stub){l, (uint16_t)rt, STUB_LEN_NONE, loc, 0}));
    return l;
}

X64Label gen_stub_bounds(Gen *g, uint32_t loc, StubLen kind, int64_t len)
{
    X64Label l = x64_label(&g->as);
    vec_push(&g->stubs, ((Stub){l, RTS_PANIC_BOUNDS, (uint8_t)kind, loc, len}));
    return l;
}

/* ---------------------------------------------------------------- symbols */

static MangleId module_path(Gen *g, ItemId mod)
{
    if (g->mangle_path[mod])
        return g->mangle_path[mod];
    FeItem *it = fe_item(g->c, mod);
    MangleId p;
    if (!it->parent && it->krate)  /* a dependency's root: a lib's (disambiguator 1) */
        p = mangle_crate(&g->mangler, sym_str(g->names, g->c->crates.data[it->krate].name), 1);
    else if (mod == g->c->root || !it->parent)
        p = g->crate_path;
    else
        p = mangle_nested(&g->mangler, module_path(g, fe_item_module(g->c, mod)), MANGLE_NS_TYPE,
                          sym_str(g->names, it->name), 0);
    g->mangle_path[mod] = p;
    return p;
}

/* The v0 path of a struct type (as an impl's self type). */
static MangleId struct_path(Gen *g, ItemId st)
{
    return mangle_nested(&g->mangler, module_path(g, fe_item_module(g->c, st)), MANGLE_NS_TYPE,
                         sym_str(g->names, fe_item(g->c, st)->name), 0);
}

static Sym symbol(Gen *g, MangleId path)
{
    return intern_cstr(g->names, mangle_symbol(&g->mangler, path, 0));
}

/* The symbol of a derived trait function (fmt of Debug, eq of PartialEq). */
static Sym derived_symbol(Gen *g, ItemId st, MangleId trait, const char *method)
{
    MangleId impl = mangle_trait_impl(&g->mangler, module_path(g, fe_item_module(g->c, st)), 0,
                                      struct_path(g, st), trait);
    return symbol(g, mangle_nested(&g->mangler, impl, MANGLE_NS_VALUE, method, 0));
}

static ItemId struct_item(Gen *g, TypeId ty)
{
    const FeType *t = gen_type(g, ty);
    if (t->kind != FE_TYPE_STRUCT || t->item.krate != FE_LOCAL_CRATE)
        die("derived function of a type that is not a local struct");
    return t->item.item;
}

Sym gen_debug_fn(Gen *g, TypeId struct_ty)
{
    ItemId st = struct_item(g, struct_ty);
    if (!g->debug_sym[st])
        die("struct without derived Debug");
    return g->debug_sym[st];
}

Sym gen_eq_fn(Gen *g, TypeId struct_ty)
{
    ItemId st = struct_item(g, struct_ty);
    if (!g->eq_sym[st])
        die("struct without derived PartialEq");
    return g->eq_sym[st];
}

/* Pass 1: symbols of every item that gets code or data. */
static void assign_symbols(Gen *g)
{
    FeCrate *c = g->c;
    uint32_t n = c->items.len;
    for (ItemId id = 1; id < n; id++) {
        FeItem *it = fe_item(c, id);
        const char *name = it->name ? sym_str(g->names, it->name) : "";
        if (it->flags & FE_ITEM_STUB)
            continue;  /* a dependency's private item known by name only */
        switch (it->kind) {
        case FE_ITEM_FN: {
            /* a dependency's function has no body here: it is called by this symbol */
            if ((it->flags & FE_ITEM_BUILTIN) || (!it->fn.body && !it->krate))
                break;
            MangleId parent;
            if (it->fn.impl) {
                FeItem *impl = fe_item(c, it->fn.impl);
                const FeType *self = gen_type(g, impl->impl.self_ty);
                if (self->kind != FE_TYPE_STRUCT || self->item.krate != FE_LOCAL_CRATE) {
                    gen_unsupported(g, impl->span, "impl blocks of types other than this crate's structs");
                    break;
                }
                parent = mangle_impl(&g->mangler, module_path(g, fe_item_module(c, it->fn.impl)),
                                     impl->impl.index, struct_path(g, self->item.item));
            } else {
                parent = module_path(g, fe_item_module(c, id));
            }
            g->item_sym[id] = symbol(g, mangle_nested(&g->mangler, parent, MANGLE_NS_VALUE, name, 0));
            break;
        }
        case FE_ITEM_STATIC: case FE_ITEM_CONST:
            /* a dependency's const is its initializer at each use: no data, no symbol */
            if (it->kind == FE_ITEM_CONST && it->krate)
                break;
            g->item_sym[id] = symbol(g, mangle_nested(&g->mangler, module_path(g, fe_item_module(c, id)),
                                                      MANGLE_NS_VALUE, name, 0));
            break;
        case FE_ITEM_STRUCT:
            if (it->flags & FE_DERIVE_DEBUG)
                g->debug_sym[id] = derived_symbol(g, id, g->debug_trait, "fmt");
            if (it->flags & FE_DERIVE_PARTIAL_EQ)
                g->eq_sym[id] = derived_symbol(g, id, g->eq_trait, "eq");
            break;
        default:
            break;
        }
    }
}

/* ---------------------------------------------------------------- functions */

static const X64Reg arg_regs[6] = {X64_RDI, X64_RSI, X64_RDX, X64_RCX, X64_R8, X64_R9};

void gen_begin_leaf(Gen *g, Sym name)
{
    arena_free(&g->scratch);
    g->sites.len = 0;
    g->frame_overflow = false;
    g->fn_sym = name;
    g->fn = NULL;
    g->fn_item = 0;
    g->frame = g->frame_max = g->out_args = 0;
    g->keep_temps = false;
    g->stubs.len = g->loops.len = g->pool.len = g->pool_relocs.len = g->pool_items.len = 0;
    g->pool_sym = 0;
    g->pool_align = 1;
    g->data_slots = NULL;
    g->ndata_slots = 0;
    g->sret_slot = 0;
    g->ret_cls = VC_VOID;
    x64_begin(&g->as, name);
}

CodeFunc *gen_end_leaf(Gen *g)
{
    CodeFunc *f = x64_finish(&g->as, g->out);
    gen_number_sites(g, f, g->fn_item);
    if (g->pool.len) {
        f->ndata = 1;
        f->data = arena_new(g->out, CodeData, 1);
        f->data[0] = code_data_make(g->out, g->pool_sym, g->pool.data, g->pool.len, g->pool_align,
                                    g->pool_relocs.data, g->pool_relocs.len);
        f->data[0].local = true;
    }
    return f;
}

void gen_begin_function(Gen *g, Sym name)
{
    gen_begin_leaf(g, name);
    x64_r(&g->as, X64_PUSH, 8, X64_RBP);
    x64_rr(&g->as, X64_MOV, 8, X64_RBP, X64_RSP);
    /* a placeholder that takes the imm32 form and keeps the stack checks' alignment */
    g->frame_patch = x64_offset(&g->as);
    x64_ri(&g->as, X64_SUB, 8, X64_RSP, 0x1000);
    g->ret_label = x64_label(&g->as);
}

CodeFunc *gen_end_function(Gen *g)
{
    x64_bind(&g->as, g->ret_label);
    x64_leave(&g->as);
    x64_ret(&g->as);
    gen_emit_stubs(g);
    uint64_t total = ALIGN_UP((uint64_t)g->frame_max + (uint64_t)g->out_args, 16);
    x64_patch_stack_alloc(&g->as, g->frame_patch, (uint32_t)total);
    return gen_end_leaf(g);
}

/* Binds a pattern to the value at a stable location (copies into its locals). */
void gen_bind_pattern(Gen *g, PatId pid, Loc src)
{
    FePat *p = fe_pat(g->c, pid);
    switch (p->kind) {
    case FE_PAT_BIND: {
        const TyInfo *ti = gen_ty(g, p->ty);
        gen_copy(g, gen_loc_frame(g->local_slot[p->local]), src, ti->size);
        break;
    }
    case FE_PAT_TUPLE:
        for (uint32_t i = 0; i < p->n; i++) {
            Loc part = src;
            part.disp += (int32_t)fe_field_offset(g->c, p->ty, i);
            gen_bind_pattern(g, fe_pat(g->c, pid)->elems[i], part);
        }
        break;
    default:
        break;
    }
}

static CodeFunc *gen_function(Gen *g, ItemId id)
{
    FeItem *it = fe_item(g->c, id);
    FeFn *fn = &it->fn;
    gen_begin_function(g, g->item_sym[id]);
    g->fn = fn;
    g->fn_item = id;
    g->fn_span = it->span;
    uint32_t nl = fn->nlocals;
    g->local_slot = arena_new(&g->scratch, int32_t, nl + 1);
    g->local_ind = arena_new(&g->scratch, bool, nl + 1);
    bool *assigned = arena_new(&g->scratch, bool, nl + 1);
    Loc *param_loc = arena_new(&g->scratch, Loc, fn->nparams + 1);
    X64Asm *as = &g->as;

    const TyInfo *rti = gen_ty(g, fn->ret);
    g->ret_cls = rti->cls;
    uint32_t ri = 0;
    int32_t stack = 16;
    if (g->ret_cls == VC_MEM) {
        g->sret_slot = gen_slot(g, 8, 8);
        x64_mr(as, X64_MOV, 8, x64_mem(X64_RBP, g->sret_slot), X64_RDI);
        ri = 1;
    }
    /* parameters: into their locals' slots when bound by name, else into a slot of
     * their own that the pattern is then bound from */
    for (uint32_t i = 0; i < fn->nparams; i++) {
        const FeParam *prm = &fn->params[i];
        FePat *pat = fe_pat(g->c, prm->pat);
        const TyInfo *ti = gen_ty(g, prm->ty);
        bool bind = pat->kind == FE_PAT_BIND;
        Loc loc = gen_loc_frame(0);
        switch (ti->cls) {
        case VC_SCALAR: case VC_MEM: {
            int size = ti->cls == VC_MEM ? 8 : (int)ti->size;
            if (ri < 6) {
                int32_t slot = gen_slot(g, 8, 8);
                x64_mr(as, X64_MOV, size, x64_mem(X64_RBP, slot), arg_regs[ri++]);
                loc = gen_loc_frame(slot);
            } else {
                loc = gen_loc_frame(stack);
                stack += 8;
            }
            break;
        }
        case VC_PAIR:
            if (ri + 2 <= 6) {
                int32_t slot = gen_slot(g, 16, (uint32_t)ti->align);
                x64_mr(as, X64_MOV, 8, x64_mem(X64_RBP, slot), arg_regs[ri++]);
                x64_mr(as, X64_MOV, 8, x64_mem(X64_RBP, slot + 8), arg_regs[ri++]);
                loc = gen_loc_frame(slot);
            } else {
                loc = gen_loc_frame(stack);
                stack += 16;
            }
            break;
        default:
            break;
        }
        if (ti->cls == VC_MEM) {
            int32_t ptr_slot = loc.disp;
            loc = (Loc){.kind = LOC_IND, .slot = ptr_slot};
        }
        param_loc[i] = loc;
        if (bind) {
            assigned[pat->local] = true;
            if (loc.kind == LOC_IND) {
                g->local_ind[pat->local] = true;
                g->local_slot[pat->local] = loc.slot;
            } else {
                g->local_slot[pat->local] = loc.disp;
            }
        }
    }
    for (uint32_t i = 0; i < nl; i++) {
        if (assigned[i])
            continue;
        const TyInfo *ti = gen_ty(g, fn->locals[i].ty);
        g->local_slot[i] = ti->cls == VC_UNSIZED ? 0 : gen_slot(g, ti->size, ti->align);
    }
    for (uint32_t i = 0; i < fn->nparams; i++)
        if (fe_pat(g->c, fn->params[i].pat)->kind != FE_PAT_BIND)
            gen_bind_pattern(g, fn->params[i].pat, param_loc[i]);
    gen_body(g, fn->body);
    return gen_end_function(g);
}

/* `__ws_main`: the runtime's _start calls it; it tail-calls the crate's main. */
static CodeFunc *gen_entry(Gen *g, Sym main_sym)
{
    gen_begin_leaf(g, intern_cstr(g->names, "__ws_main"));
    x64_jmp_sym(&g->as, main_sym);
    return gen_end_leaf(g);
}

/* ---------------------------------------------------------------- the crate */

/* The local statics and consts: each has a DATA piece. */
static bool has_data_piece(const FeItem *it)
{
    return (it->kind == FE_ITEM_STATIC || it->kind == FE_ITEM_CONST) && !it->krate &&
           !(it->flags & FE_ITEM_BUILTIN);
}

CgGen *cg_gen_new(FeSession *sess, FeCrate *c, Arena *out)
{
    Gen *g = xcalloc(1, sizeof *g);
    g->sess = sess;
    g->c = c;
    g->names = &sess->names;
    g->out = out;
    arena_init(&g->scratch);
    mangle_init(&g->mangler);
    x64_init(&g->as, g->names);
    for (int i = 0; i < RTS_COUNT; i++)
        g->rt[i] = intern_cstr(g->names, rt_sym_names[i]);
    uint32_t n = c->items.len;
    g->item_sym = xcalloc(n + 1, sizeof(Sym));
    g->debug_sym = xcalloc(n + 1, sizeof(Sym));
    g->eq_sym = xcalloc(n + 1, sizeof(Sym));
    g->const_data = xcalloc(n + 1, sizeof(bool));
    g->mangle_path = xcalloc(n + 1, sizeof(MangleId));
    g->file_sym = xcalloc(sess->sources.files.len + 1, sizeof(Sym));
    for (uint32_t i = 0; i < sess->sources.files.len; i++)
        g->file_sym[i] = intern_cstr(g->names, sess->sources.files.data[i].path);
    /* a bin may share its name with its package's lib, whose symbols it links with: a
     * lib's root (as its dependents mangle it too) gets disambiguator 1, a bin's 0 */
    g->crate_path = mangle_crate(&g->mangler, sym_str(g->names, c->name), c->is_bin ? 0 : 1);
    MangleId core = mangle_crate(&g->mangler, "core", 0);
    g->debug_trait = mangle_nested(&g->mangler, mangle_nested(&g->mangler, core, MANGLE_NS_TYPE, "fmt", 0),
                                   MANGLE_NS_TYPE, "Debug", 0);
    g->eq_trait = mangle_nested(&g->mangler, mangle_nested(&g->mangler, core, MANGLE_NS_TYPE, "cmp", 0),
                                MANGLE_NS_TYPE, "PartialEq", 0);
    assign_symbols(g);

    /* modules, root first (not the built-in std model, not dependencies') */
    g->mod_index = xcalloc(n + 1, sizeof(uint32_t));
    vec_push(&g->mods, c->root);
    for (ItemId id = 1; id < n; id++) {
        const FeItem *it = fe_item(c, id);
        if (it->kind == FE_ITEM_MOD && id != c->root && !(it->flags & FE_ITEM_BUILTIN) && !it->krate)
            vec_push(&g->mods, id);
        g->data_left += has_data_piece(it);
    }
    for (uint32_t i = 0; i < g->mods.len; i++)
        g->mod_index[g->mods.data[i]] = i;
    return g;
}

void cg_gen_free(CgGen *g)
{
    if (!g)
        return;
    vec_free(&g->mods);
    xfree(g->mod_index);
    xfree(g->item_sym);
    xfree(g->debug_sym);
    xfree(g->eq_sym);
    xfree(g->const_data);
    xfree(g->mangle_path);
    xfree(g->file_sym);
    xfree(g->tyinfo);
    vec_free(&g->stubs);
    vec_free(&g->loops);
    vec_free(&g->pool);
    vec_free(&g->pool_relocs);
    vec_free(&g->pool_items);
    vec_free(&g->module_data);
    vec_free(&g->sites);
    x64_free(&g->as);
    mangle_free(&g->mangler);
    arena_free(&g->scratch);
    xfree(g);
}

int cg_gen_errors(const CgGen *g) { return g->errors; }

uint32_t cg_gen_nmodules(const CgGen *g) { return g->mods.len; }

void cg_gen_module(CgGen *g, uint32_t i, CgModule *out)
{
    ItemId mod = g->mods.data[i];
    StrBuf path = {0};
    fe_item_path(g->c, mod, &path);
    *out = (CgModule){
        .item = mod,
        .path = arena_strdup(g->out, sb_str(&path)),
        .file = g->sess->sources.files.data[fe_item(g->c, mod)->mod.file].path,
    };
    sb_free(&path);
}

uint32_t cg_gen_piece_module(const CgGen *g, uint8_t kind, uint32_t item)
{
    return kind == FE_CODE_ENTRY ? 0 : g->mod_index[fe_item_module(g->c, item)];
}

Sym cg_gen_symbol(CgGen *g, uint8_t kind, uint32_t item)
{
    switch (kind) {
    case FE_CODE_FN: case FE_CODE_DATA: return g->item_sym[item];
    case FE_CODE_DEBUG: return g->debug_sym[item];
    case FE_CODE_EQ: return g->eq_sym[item];
    case FE_CODE_ENTRY: return intern_cstr(g->names, "__ws_main");
    default: die("piece kind %u", kind);
    }
}

bool cg_gen_piece(CgGen *g, uint8_t kind, uint32_t item, CgPiece *out)
{
    int errors = g->errors;
    *out = (CgPiece){.kind = kind, .item = item, .module = cg_gen_piece_module(g, kind, item)};
    if (kind == FE_CODE_DATA) {
        if (!g->data_left)
            die("more DATA pieces than statics and consts");
        g->data_left--;
        g->module_data.len = 0;
        g->fn_span = fe_item(g->c, item)->span;
        gen_module_data(g, item);
        out->ndata = g->module_data.len;
        out->data = arena_memdup(g->out, g->module_data.data, sizeof(CodeData *) * out->ndata);
        return g->errors == errors;
    }
    /* functions' code depends on which consts are in memory */
    if (g->data_left)
        die("a function generated before every DATA piece");
    g->fn_span = fe_item(g->c, item)->span;
    switch (kind) {
    case FE_CODE_FN:
        if (!g->item_sym[item])
            return false;  /* its impl was reported unsupported */
        out->func = gen_function(g, item);
        break;
    case FE_CODE_DEBUG: out->func = gen_debug_function(g, item); break;
    case FE_CODE_EQ: out->func = gen_eq_function(g, item); break;
    case FE_CODE_ENTRY: out->func = gen_entry(g, g->item_sym[item]); break;
    default: die("piece kind %u", kind);
    }
    return g->errors == errors;
}

void cg_gen_adopt(CgGen *g, const CgPiece *p)
{
    if (p->kind != FE_CODE_DATA)
        return;
    if (!g->data_left)
        die("more DATA pieces than statics and consts");
    g->data_left--;
    for (uint32_t i = 0; i < p->ndata; i++)
        if (p->data[i]->name == g->item_sym[p->item] && fe_item(g->c, p->item)->kind == FE_ITEM_CONST)
            g->const_data[p->item] = true;
}

/*
 * workspace/toolchain.c — the real compiler behind the crate pipeline: the frontend,
 * the code generator with its object writer, and relink's library with the runtime's
 * embedded objects. build.c reaches them only through ws_toolchain, so that its tests
 * can run the same pipeline with a stand-in.
 *
 * Objects: one per module of the crate that has code or data, named after the module
 * path: "crate.o" for the root, "a.b.o" for module a::b (module names are identifiers,
 * so a dot never occurs inside one). Each is written atomically by obj_write. The
 * program is linked from the crate's objects, its libs' objects and the runtime's
 * objects (from memory, after the others, with the content hashes the Makefile computed
 * so that the linker need not hash them), in one incremental call of ld_link, which
 * patches the program in place or links it in full (atomically).
 */
#include "backend/backend.h"
#include "backend/runtime/rt_objects.h"
#include "frontend/frontend.h"
#include "linker/linker.h"
#include "workspace/workspace.h"

#include <string.h>

/* Module path "a::b" as an object file name "a.b.o"; the root is "crate.o". */
static void object_name(StrBuf *sb, const char *module_path)
{
    if (!*module_path) {
        sb_puts(sb, "crate.o");
        return;
    }
    for (const char *p = module_path; *p; p++) {
        if (p[0] == ':' && p[1] == ':') {
            sb_putc(sb, '.');
            p++;
        } else {
            sb_putc(sb, *p);
        }
    }
    sb_puts(sb, ".o");
}

static bool codegen(FeSession *sess, FeCrate *crate, const char *dir, StrBuf *files, uint64_t *write_ns,
                    char **err)
{
    CgCrate cc = {0};
    bool ok = cg_crate(sess, crate, &cc);
    StrBuf name = {0};
    for (uint32_t i = 0; ok && i < cc.nmodules; i++) {
        if (!cc.modules[i].nfuncs && !cc.modules[i].ndata)
            continue;
        ObjModule m;
        cg_module_obj(&cc, i, &sess->names, &m);
        sb_clear(&name);
        object_name(&name, cc.modules[i].path);
        char *path = xasprintf("%s/%s", dir, name.data);
        uint64_t t0 = clock_ns();
        ok = obj_write(&m, path, err);
        *write_ns += clock_ns() - t0;
        xfree(path);
        sb_append(files, name.data, name.len);
        sb_putc(files, '\n');
    }
    sb_free(&name);
    cg_crate_free(&cc);
    return ok;
}

static bool link_objects(const char *const *objects, uint32_t n, const char *output, bool verify,
                         WsLinkStats *stats, StrBuf *msg)
{
    size_t nrt;
    const RtObject *rt = rt_objects(&nrt);
    LdInput *inputs = xcalloc(n + nrt + 1, sizeof(LdInput));
    for (uint32_t i = 0; i < n; i++)
        inputs[i] = (LdInput){.kind = LD_INPUT_FILE, .name = objects[i]};
    for (size_t i = 0; i < nrt; i++)
        inputs[n + i] = (LdInput){.kind = LD_INPUT_FILE, .name = rt[i].name, .data = rt[i].data, .size = rt[i].size,
                                  .hash = ws_runtime_hash(rt[i].name)};
    LdOptions opts = {.output = output, .inputs = inputs, .ninputs = n + (uint32_t)nrt, .threads = 1,
                      .incremental = true, .verify = verify};
    LdReport rep = {0};
    bool ok = ld_link(&opts, &rep);
    *stats = (WsLinkStats){.patched = rep.incremental == LD_INCR_PATCHED, .sections = rep.sections_patched,
                           .sites = rep.sites_patched};
    if (rep.incremental == LD_INCR_FULL) {
        stats->full_reason = rep.full_link_reason ? rep.full_link_reason : xstrdup("the linker did not say why");
        rep.full_link_reason = NULL;
    }
    if (!ok) {
        const char *slash = strrchr(output, '/');
        sb_printf(msg, "error: linking `%s` failed\n", slash ? slash + 1 : output);
        vec_foreach(&rep.messages, m) sb_printf(msg, "  = note: %s\n", m->text);
        sb_putc(msg, '\n');
    }
    ld_report_free(&rep);
    xfree(inputs);
    return ok;
}

const WsToolchain ws_toolchain = {
    .session_init = fe_session_init,
    .session_free = fe_session_free,
    .check_crate = fe_check_crate,
    .interface_write = fe_interface_write,
    .interface_items = fe_interface_items,
    .codegen = codegen,
    .link = link_objects,
};

/*
 * tests/backend/driver.c — compiles one crate to objects without ws, for the backend's
 * tests (comparing code bytes across builds, the code cache's oracle) and for debugging
 * the code generator.
 *
 *   cg-driver [--name NAME] [--display PATH] [--lib] [--cache PACK] [--build-id ID]
 *             [--report FILE] [--timings] ROOT.rs OUTDIR
 *
 * Checks the crate and runs cg_build over its fe_fn_hashes list: one object per module
 * with code or data in OUTDIR (named as CgModuleReport.object says: crate.o, geom.o,
 * geom.shapes.o), each printed with its path on stdout. --cache takes pieces from the
 * crate's code cache pack file PACK and writes it anew when they changed (keys with
 * build id ID, "cg-driver" by default); without it every piece is generated. --report
 * writes what became of every piece, object and the pack to FILE, one a line, fields
 * separated by tabs, pieces in the list's order, then objects in the modules' order,
 * then the pack (with --cache):
 *
 *   compiled  NAME  KEY  WHY      reused  NAME  KEY      (KEY: 32 hex digits)
 *   written  OBJECT                unchanged  OBJECT
 *   pack  written|unchanged|failed
 *
 * --timings prints cg_build's times and counts on stderr.
 *
 * Diagnostics go to stderr; exit status 0 on success, 101 when the crate has errors or
 * an object could not be written, 1 when the report could not be, 2 on bad usage.
 */
#include "backend/backend.h"
#include "frontend/frontend.h"

#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: cg-driver [--name N] [--display P] [--lib] [--cache PACK] [--build-id ID] "
                    "[--report FILE] [--timings] ROOT.rs OUTDIR\n");
    return 2;
}

static bool write_report(const char *path, const CgBuildReport *r, bool cache)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    for (uint32_t i = 0; i < r->npieces; i++) {
        const CgPieceReport *p = &r->pieces[i];
        char key[33];
        hash128_hex(p->key, key);
        fprintf(f, "%s\t%s\t%s", p->reused ? "reused" : "compiled", p->name, key);
        fprintf(f, p->reused ? "\n" : "\t%s\n", p->why);
    }
    for (uint32_t i = 0; i < r->nmodules; i++)
        if (r->modules[i].object)
            fprintf(f, "%s\t%s\n", r->modules[i].written ? "written" : "unchanged", r->modules[i].object);
    if (cache)
        fprintf(f, "pack\t%s\n", r->pack_written ? "written" : r->pack_error ? "failed" : "unchanged");
    return fclose(f) == 0;
}

int main(int argc, char **argv)
{
    FeCrateSpec spec = {.name = "main", .is_bin = true};
    CgBuildSpec build = {.build_id = "cg-driver"};
    const char *report = NULL;
    bool timings = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--name") == 0 && has_value)
            spec.name = argv[++i];
        else if (strcmp(a, "--display") == 0 && has_value)
            spec.display_path = argv[++i];
        else if (strcmp(a, "--lib") == 0)
            spec.is_bin = false;
        else if (strcmp(a, "--cache") == 0 && has_value)
            build.cache_path = argv[++i];
        else if (strcmp(a, "--build-id") == 0 && has_value)
            build.build_id = argv[++i];
        else if (strcmp(a, "--report") == 0 && has_value)
            report = argv[++i];
        else if (strcmp(a, "--timings") == 0)
            timings = true;
        else if (a[0] != '-' && !spec.root_path)
            spec.root_path = a;
        else if (a[0] != '-' && !build.obj_dir)
            build.obj_dir = a;
        else
            return usage();
    }
    if (!spec.root_path || !build.obj_dir)
        return usage();
    FeSession sess;
    fe_session_init(&sess);
    FeCrate *c = fe_check_crate(&sess, &spec);
    int status = 0;
    CgBuildReport rep = {0};
    if (c) {
        const FeFnHash *hashes;
        uint32_t n = fe_fn_hashes(c, &hashes);
        if (!cg_build(&sess, c, hashes, n, &build, &rep))
            status = 101;
    } else {
        status = 101;
    }
    if (rep.pack_error)
        fprintf(stderr, "warning: the code cache was not written: %s\n", rep.pack_error);
    int errors = sess.diag.errors;
    diag_flush(&sess.diag, stderr);
    if (status)
        fprintf(stderr, "error: could not compile `%s` due to %d previous error%s\n", spec.name, errors,
                errors == 1 ? "" : "s");
    if (c && timings)
        fprintf(stderr, "codegen %.1f ms, cache %.1f ms, objects %.1f ms; %u compiled, %u reused; %u written, "
                        "%u unchanged%s\n", rep.codegen_ns / 1e6, rep.cache_ns / 1e6, rep.object_ns / 1e6, rep.compiled,
                rep.reused, rep.written, rep.unchanged, rep.pack_written ? "; pack written" : "");
    if (c && report && !write_report(report, &rep, build.cache_path != NULL)) {
        fprintf(stderr, "error: could not write the report `%s`\n", report);
        status = status ? status : 1;
    }
    for (uint32_t i = 0; i < rep.nmodules && !status; i++)
        if (rep.modules[i].object)
            printf("%s/%s\n", build.obj_dir, rep.modules[i].object);
    cg_build_report_free(&rep);
    fe_session_free(&sess);
    return status;
}

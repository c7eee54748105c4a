/*
 * tests/backend/driver.c — compiles one crate to objects without ws, for the backend's
 * tests (e.g. comparing code bytes across builds) and for debugging the code generator.
 *
 *   cg-driver [--name NAME] [--display PATH] [--lib] ROOT.rs OUTDIR
 *
 * Checks the crate, generates its code and writes one object per module into OUTDIR
 * (OUTDIR/<index>.o, the root module first), printing each object's path on stdout.
 * Diagnostics go to stderr; exit status 0 on success, 101 when the crate has errors,
 * 2 on bad usage.
 */
#include "backend/backend.h"
#include "frontend/frontend.h"

#include <string.h>

int main(int argc, char **argv)
{
    FeCrateSpec spec = {.name = "main", .is_bin = true};
    const char *outdir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--name") == 0 && i + 1 < argc)
            spec.name = argv[++i];
        else if (strcmp(a, "--display") == 0 && i + 1 < argc)
            spec.display_path = argv[++i];
        else if (strcmp(a, "--lib") == 0)
            spec.is_bin = false;
        else if (a[0] != '-' && !spec.root_path)
            spec.root_path = a;
        else if (a[0] != '-' && !outdir)
            outdir = a;
        else {
            fprintf(stderr, "usage: cg-driver [--name N] [--display P] [--lib] ROOT.rs OUTDIR\n");
            return 2;
        }
    }
    if (!spec.root_path || !outdir) {
        fprintf(stderr, "usage: cg-driver [--name N] [--display P] [--lib] ROOT.rs OUTDIR\n");
        return 2;
    }
    FeSession sess;
    fe_session_init(&sess);
    FeCrate *c = fe_check_crate(&sess, &spec);
    int status = 0;
    CgCrate cc = {0};
    if (c && !cg_crate(&sess, c, &cc))
        c = NULL;
    if (!c) {
        int errors = sess.diag.errors;
        diag_flush(&sess.diag, stderr);
        fprintf(stderr, "error: could not compile `%s` due to %d previous error%s\n", spec.name, errors,
                errors == 1 ? "" : "s");
        status = 101;
    } else {
        for (uint32_t i = 0; i < cc.nmodules && !status; i++) {
            ObjModule m;
            cg_module_obj(&cc, i, &sess.names, &m);
            char *path = xasprintf("%s/%u.o", outdir, i);
            char *err = NULL;
            if (!obj_write(&m, path, &err)) {
                fprintf(stderr, "error: %s\n", err);
                xfree(err);
                status = 1;
            } else {
                printf("%s\n", path);
            }
            xfree(path);
        }
    }
    cg_crate_free(&cc);
    fe_session_free(&sess);
    return status;
}

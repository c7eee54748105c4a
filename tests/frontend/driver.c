/*
 * tests/frontend/driver.c — a small driver that checks one crate with fe_check_crate,
 * for the frontend's tests, fuzzing and benchmark (ws check does the same for a
 * package).
 *
 *   fe-driver [--dump=tokens|ast|types] [--name NAME] [--display PATH] [--lib] ROOT.rs
 *
 * Prints the diagnostics on stderr; exit status 0 when the crate is accepted, 101
 * when it has errors (as cargo check), 2 on bad usage.
 */
#include "frontend/frontend.h"

#include <string.h>

int main(int argc, char **argv)
{
    FeCrateSpec spec = {.name = "main", .is_bin = true};
    FeDump dump = FE_DUMP_NONE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--dump=tokens") == 0)
            dump = FE_DUMP_TOKENS;
        else if (strcmp(a, "--dump=ast") == 0)
            dump = FE_DUMP_AST;
        else if (strcmp(a, "--dump=types") == 0)
            dump = FE_DUMP_TYPES;
        else if (strcmp(a, "--name") == 0 && i + 1 < argc)
            spec.name = argv[++i];
        else if (strcmp(a, "--display") == 0 && i + 1 < argc)
            spec.display_path = argv[++i];
        else if (strcmp(a, "--lib") == 0)
            spec.is_bin = false;
        else if (a[0] != '-' && !spec.root_path)
            spec.root_path = a;
        else {
            fprintf(stderr, "usage: fe-driver [--dump=tokens|ast|types] [--name N] [--display P] [--lib] ROOT.rs\n");
            return 2;
        }
    }
    if (!spec.root_path) {
        fprintf(stderr, "fe-driver: no root file\n");
        return 2;
    }
    FeSession sess;
    fe_session_init(&sess);
    sess.dump = dump;
    FeCrate *c = fe_check_crate(&sess, &spec);
    int errors = sess.diag.errors;
    diag_flush(&sess.diag, stderr);
    if (errors)
        fprintf(stderr, "error: could not compile `%s` due to %d previous error%s\n", spec.name, errors,
                errors == 1 ? "" : "s");
    fe_session_free(&sess);
    (void)c;
    return errors ? 101 : 0;
}

/*
 * tests/frontend/driver.c — a small driver that checks one crate with fe_check_crate,
 * for the frontend's tests, fuzzing and benchmark (ws check does the same for a
 * package).
 *
 *   fe-driver [--dump=tokens|ast|types] [--name NAME] [--display PATH] [--lib]
 *             [--dep NAME=IFACE]... [--emit-iface FILE] [--iface-hash] [--iface-items]
 *             [--fn-hashes] ROOT.rs
 *
 * Prints the diagnostics on stderr; exit status 0 when the crate is accepted, 101
 * when it has errors (as cargo check), 2 on bad usage. --dep gives a dependency by the
 * name its code uses, as the interface payload another run wrote with --emit-iface;
 * --iface-hash prints "interface HASH", --iface-items each item of the interface as
 * "item PATH HASH" (read back with fe_interface_items), --fn-hashes each function as
 * "fn PATH HASH" (also "debug", "eq", "data" and "entry" lines: fe_fn_hashes), on stdout.
 */
#include "frontend/frontend.h"

#include <string.h>

static void print_item(void *ctx, const char *path, Hash128 h)
{
    (void)ctx;
    char hex[33];
    hash128_hex(h, hex);
    printf("item %s %s\n", path, hex);
}

int main(int argc, char **argv)
{
    FeCrateSpec spec = {.name = "main", .is_bin = true};
    FeDump dump = FE_DUMP_NONE;
    const char *emit = NULL;
    bool iface_hash = false, iface_items = false, fn_hashes = false;
    FeDep deps[64];
    char *dep_data[64];
    uint32_t ndeps = 0;
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
        else if (strcmp(a, "--dep") == 0 && i + 1 < argc && strchr(argv[i + 1], '=') && ndeps < 64) {
            char *arg = argv[++i], *eq = strchr(arg, '=');
            *eq = 0;
            char *err = NULL;
            size_t len;
            if (!file_read(eq + 1, &dep_data[ndeps], &len, &err)) {
                fprintf(stderr, "fe-driver: %s\n", err);
                return 2;
            }
            deps[ndeps] = (FeDep){.name = arg, .meta = dep_data[ndeps], .meta_len = len};
            ndeps++;
        } else if (strcmp(a, "--emit-iface") == 0 && i + 1 < argc)
            emit = argv[++i];
        else if (strcmp(a, "--iface-hash") == 0)
            iface_hash = true;
        else if (strcmp(a, "--iface-items") == 0)
            iface_items = true;
        else if (strcmp(a, "--fn-hashes") == 0)
            fn_hashes = true;
        else if (a[0] != '-' && !spec.root_path)
            spec.root_path = a;
        else {
            fprintf(stderr, "usage: fe-driver [--dump=tokens|ast|types] [--name N] [--display P] [--lib] "
                            "[--dep NAME=IFACE]... [--emit-iface F] [--iface-hash] [--iface-items] [--fn-hashes] "
                            "ROOT.rs\n");
            return 2;
        }
    }
    if (!spec.root_path) {
        fprintf(stderr, "fe-driver: no root file\n");
        return 2;
    }
    spec.deps = deps;
    spec.ndeps = ndeps;
    FeSession sess;
    fe_session_init(&sess);
    sess.dump = dump;
    FeCrate *c = fe_check_crate(&sess, &spec);
    int errors = sess.diag.errors;
    diag_flush(&sess.diag, stderr);
    if (errors)
        fprintf(stderr, "error: could not compile `%s` due to %d previous error%s\n", spec.name, errors,
                errors == 1 ? "" : "s");
    int status = errors ? 101 : 0;
    if (c && (emit || iface_hash || iface_items)) {
        StrBuf meta = {0};
        Hash128 h;
        fe_interface_write(&sess, c, &meta, &h);
        char hex[33];
        hash128_hex(h, hex);
        if (iface_hash)
            printf("interface %s\n", hex);
        if (iface_items && !fe_interface_items(meta.data, meta.len, print_item, NULL)) {
            fprintf(stderr, "fe-driver: fe_interface_items rejects the payload just written\n");
            status = 1;
        }
        char *err = NULL;
        if (emit && !file_write_atomic(emit, meta.data, meta.len, false, &err)) {
            fprintf(stderr, "fe-driver: %s\n", err);
            status = 2;
        }
        sb_free(&meta);
    }
    if (c && fn_hashes) {
        const FeFnHash *list;
        uint32_t n = fe_fn_hashes(c, &list);
        static const char *const kinds[] = {"fn", "debug", "eq", "data", "entry"};
        for (uint32_t i = 0; i < n; i++) {
            StrBuf path = {0};
            fe_item_path(c, list[i].item, &path);
            char hex[33];
            hash128_hex(list[i].hash, hex);
            printf("%s %s %s\n", kinds[list[i].kind], path.data ? path.data : "", hex);
            sb_free(&path);
        }
    }
    fe_session_free(&sess);
    for (uint32_t i = 0; i < ndeps; i++)
        xfree(dep_data[i]);
    return status;
}

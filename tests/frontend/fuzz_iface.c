/*
 * tests/frontend/fuzz_iface.c — libFuzzer target for interface payloads: one input is
 * a payload (as fe_interface_write writes it), read by fe_interface_items and loaded
 * as the dependency `geo` of a small crate that uses what such a library offers. Any
 * crash, sanitizer report or leak is a bug; refusing the payload is fine.
 *
 * Build it as scripts/fuzz-frontend builds its target (clang -fsanitize=fuzzer,address,
 * undefined -DCOMMON_LIBC_MALLOC, with every .c of frontend/ and common/), then run
 * build/fuzz_iface -max_total_time=600 CORPUS.
 *
 * Seeds: payloads of real libraries (build/fe-driver --lib --emit-iface FILE LIB.rs).
 */
#include "frontend/frontend.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void ignore(void *ctx, const char *path, Hash128 h)
{
    (void)ctx, (void)path, (void)h;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    fe_interface_items(data, size, ignore, NULL);
    static const char app[] =
        "use geo::*;\n"
        "fn main() {\n"
        "    let s = geo::make(3);\n"
        "    println!(\"{} {:?} {:?} {}\", s.area(), geo::UNIT, geo::PAIR, geo::ORIGIN);\n"
        "    let t: [u8; geo::N] = [0; geo::N];\n"
        "}\n";
    FeDep dep = {"geo", data, size};
    FeCrateSpec spec = {.name = "app", .root_path = "/nonexistent-relink-fuzz/src/main.rs",
                        .display_path = "src/main.rs", .is_bin = true, .deps = &dep, .ndeps = 1,
                        .root_text = app, .root_len = sizeof app - 1};
    FeSession sess;
    fe_session_init(&sess);
    fe_check_crate(&sess, &spec);
    fe_session_free(&sess);
    return 0;
}

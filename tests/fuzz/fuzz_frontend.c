/*
 * tests/fuzz/fuzz_frontend.c — libFuzzer target: one input is the text of a crate
 * root, checked by the whole frontend (lexer, parser, resolution, type checking and
 * the tree dump). Any crash, sanitizer report, leak of a session or timeout is a bug.
 * Built and run by scripts/fuzz-frontend.
 */
#include "frontend/frontend.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    FeCrateSpec spec = {
        .name = "fuzz",
        .root_path = "/nonexistent-relink-fuzz/src/main.rs",
        .display_path = "src/main.rs",
        .is_bin = true,
        .root_text = (const char *)data,
        .root_len = (uint32_t)size,
    };
    FeSession sess;
    fe_session_init(&sess);
    static FILE *null_out;
    if (!null_out)
        null_out = fopen("/dev/null", "w");
    sess.dump_to = null_out;
    /* every other input also exercises the typed dump */
    if (size && (data[0] & 1))
        sess.dump = FE_DUMP_TYPES;
    fe_check_crate(&sess, &spec);
    fe_session_free(&sess);
    return 0;
}

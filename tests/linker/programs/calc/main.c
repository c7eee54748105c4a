/*
 * calc/main.c — the driver: `calc FILE...` runs each script in a fresh interpreter;
 * `calc -e 'code'` runs a string; `calc -` reads standard input. An error prints
 * "calc: FILE: line N: message" and makes the exit status 1 (the last script's
 * `return` value, when an int, is the exit status otherwise).
 */
#include "calc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(FILE *f)
{
    size_t cap = 4096, len = 0;
    char *buf = xalloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = xgrow(buf, cap);
        }
    }
    buf[len] = 0;
    return buf;
}

/* Runs one program; returns the exit status it asks for (0, or its int result). */
static int run(const char *name, const char *src)
{
    char err[512];
    Node *prog = parse_program(src, err, sizeof err);
    if (!prog) {
        fprintf(stderr, "calc: %s: %s\n", name, err);
        return 1;
    }
    Interp in;
    interp_init(&in);
    builtins_install(&in);
    jmp_buf jb;
    in.on_error = &jb;
    int status = 0;
    if (setjmp(jb)) {
        fflush(stdout);
        fprintf(stderr, "calc: %s: %s\n", name, in.error);
        status = 1;
    } else {
        Value r = eval_program(&in, prog);
        if (r.kind == V_INT)
            status = (int)(r.as.i & 0xff);
    }
    fflush(stdout);
    interp_free(&in);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: calc FILE... | calc -e CODE | calc -\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
            status = run("-e", argv[++i]);
        } else if (strcmp(argv[i], "-") == 0) {
            char *src = read_all(stdin);
            status = run("<stdin>", src);
            free(src);
        } else {
            FILE *f = fopen(argv[i], "r");
            if (!f) {
                fprintf(stderr, "calc: cannot open %s\n", argv[i]);
                return 1;
            }
            char *src = read_all(f);
            fclose(f);
            status = run(argv[i], src);
            free(src);
        }
    }
    return status;
}

/* tests/unit/asm_fixture.h — what the backend's unit tests share: an arena, an
 * interner and an encoder, and for tests that write files a temporary directory. */
#ifndef ASM_FIXTURE_H
#define ASM_FIXTURE_H

#include "backend/backend.h"

typedef struct Fixture {
    Arena arena;
    Interner names;
    X64Asm a;
    char *dir;  /* a fresh temporary directory, or NULL (fixture_init's with_dir) */
} Fixture;

void fixture_init(Fixture *fx, bool with_dir);
/* Frees everything and removes the directory. */
void fixture_free(Fixture *fx);
/* The symbol named s. */
Sym fixture_sym(Fixture *fx, const char *s);

#endif

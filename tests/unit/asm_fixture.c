/* tests/unit/asm_fixture.c — the backend tests' fixture (asm_fixture.h). */
#include "tests/unit/asm_fixture.h"
#include "tests/unit/unit.h"

void fixture_init(Fixture *fx, bool with_dir)
{
    arena_init(&fx->arena);
    intern_init(&fx->names, &fx->arena);
    x64_init(&fx->a, &fx->names);
    fx->dir = with_dir ? unit_tmpdir() : NULL;
}

void fixture_free(Fixture *fx)
{
    if (fx->dir)
        unit_rmtree(fx->dir);
    xfree(fx->dir);
    x64_free(&fx->a);
    intern_free(&fx->names);
    arena_free(&fx->arena);
}

Sym fixture_sym(Fixture *fx, const char *s) { return intern_cstr(&fx->names, s); }

# An unknown flag is an error naming it; refused flags say why; a missing input or
# library is named.
. "$(dirname "$0")/common.inc"
echo 'void _start(void) { for (;;) ; }' >a.c
gcc -O2 -c a.c -o a.o
expect_error unknown 'relink: error: unknown option: --frobnicate' --frobnicate a.o
expect_error unknownz 'unknown -z keyword: bogus' -z bogus a.o
expect_error pie 'relink makes static, non-PIE executables only' -pie a.o
expect_error shared 'relink makes executables only, not shared libraries' -shared a.o
expect_error script 'relink does not support linker scripts with SECTIONS' -T x.ld a.o
expect_error emul 'relink links elf_x86_64 only' -m elf_i386 a.o
expect_error missing 'cannot open `nothere.o`: No such file or directory' nothere.o
expect_error nolib 'cannot find -lnotalibrary' a.o -lnotalibrary
expect_error value '-o: missing value' a.o -o

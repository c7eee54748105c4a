# Switch statements compiled to jump tables in .rodata (R_X86_64_32S/PC32/64 entries),
# and string literals in merged .rodata.str sections.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
__attribute__((noinline)) static long f(int x, long y)
{
    switch (x) {
    case 0: return y + 1;
    case 1: return y * 3;
    case 2: return y - 7;
    case 3: return y ^ 0x55;
    case 4: return y << 2;
    case 5: return y / 3;
    case 6: return -y;
    case 7: return y % 5;
    case 9: return 99;
    default: return 0;
    }
}
__attribute__((noinline)) static const char *name(int x)
{
    switch (x) {
    case 0: return "zero\n"; case 1: return "one\n"; case 2: return "two\n";
    case 3: return "three\n"; case 4: return "four\n"; case 5: return "five\n";
    default: return "many\n";
    }
}
void _start(void)
{
    long acc = 1;
    for (int i = 0; i < 12; i++) {
        acc = f(i, acc + i);
        put(name(i));
    }
    putnum(acc);
    sys_exit((int)(acc & 0x7f));
}
EOS
build() {
    $1 $FREESTANDING -c main.c -o main.$2.o
    link_both sw.$2 main.$2.o
    compare "$1" sw.$2.relink sw.$2.ld
}
each_flavour build

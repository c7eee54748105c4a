# Function pointers stored in data (R_X86_64_64 / 32 relocations in .data and
# .data.rel.ro), called through tables, compared for equality.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
typedef long (*op)(long, long);
extern long add(long, long), sub(long, long), mul(long, long);
static long shl(long a, long b) { return a << b; }
op table[] = { add, sub, mul, shl };
const op const_table[] = { mul, add };
struct { const char *name; op fn; } named[] = { {"add\n", add}, {"shl\n", shl} };
void _start(void)
{
    long acc = 3;
    for (int i = 0; i < 4; i++) acc = table[i](acc, i + 1);
    acc = const_table[0](acc, 2) + const_table[1](1, 1);
    for (int i = 0; i < 2; i++) put(named[i].name);
    putnum(acc);
    putnum(table[0] == add);
    putnum(named[1].fn == shl);
    sys_exit((int)(acc & 0x7f));
}
EOS
cat >ops.c <<'EOS'
long add(long a, long b) { return a + b; }
long sub(long a, long b) { return a - b; }
long mul(long a, long b) { return a * b; }
EOS
build() {
    $1 $FREESTANDING -c main.c -o main.$2.o
    $1 $FREESTANDING -c ops.c -o ops.$2.o
    link_both fp.$2 main.$2.o ops.$2.o
    compare "$1" fp.$2.relink fp.$2.ld
}
each_flavour build

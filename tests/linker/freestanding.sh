# A freestanding program with its own _start: syscalls, globals, string literals.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
int counter = 5;
static int hidden_total;
const char greeting[] = "hello from _start\n";
extern int helper(int);
void _start(void)
{
    put(greeting);
    put("a string literal\n");
    for (int i = 0; i < 10; i++)
        hidden_total += helper(i) + counter;
    putnum(hidden_total);
    sys_exit(hidden_total & 0x7f);
}
EOS
cat >helper.c <<'EOS'
int helper(int x) { return x * x - 3; }
EOS
build() {
    $1 $FREESTANDING -c main.c -o main.$2.o
    $1 $FREESTANDING -c helper.c -o helper.$2.o
    link_both fs.$2 main.$2.o helper.$2.o
    compare "$1" fs.$2.relink fs.$2.ld
}
each_flavour build

# A large .bss (64 MiB) after initialised data: it takes address space, not file space.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
static char big[64 << 20];
long first = 11;
char small_bss[3];
void _start(void)
{
    big[0] = 1;
    big[sizeof big - 1] = 2;
    small_bss[2] = 3;
    long sum = big[0] + big[sizeof big - 1] + small_bss[2] + first;
    for (long i = 1; i < (long)sizeof big - 1; i += 4096) sum += big[i];
    putnum(sum);
    sys_exit((int)sum);
}
EOS
build() {
    $1 $FREESTANDING -c main.c -o main.$2.o
    link_both bss.$2 main.$2.o
    compare "$1" bss.$2.relink bss.$2.ld
    size=$(stat -c %s bss.$2.relink)
    [ "$size" -lt 1000000 ] || die ".bss takes file space: $size bytes"
}
each_flavour build

# Weak symbols: a weak definition loses to a strong one, an undefined weak symbol is 0
# (so code can test for it), and a weak definition alone is used.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
__attribute__((weak)) int overridden(void) { return 1; }
__attribute__((weak)) int alone(void) { return 20; }
__attribute__((weak)) extern int missing(void);
__attribute__((weak)) extern int missing_data;
__attribute__((weak)) int weak_data = 5;
void _start(void)
{
    int r = overridden() + alone();
    if (missing) r += 1000;
    if (&missing_data) r += 2000;
    r += weak_data;
    putnum(r);
    putnum((long)&missing_data);
    sys_exit(r);
}
EOS
cat >strong.c <<'EOS'
int overridden(void) { return 100; }
int weak_data = 7;
EOS
build() {
    $1 $FREESTANDING -c main.c -o main.$2.o
    $1 $FREESTANDING -c strong.c -o strong.$2.o
    link_both weak.$2 main.$2.o strong.$2.o
    compare "$1" weak.$2.relink weak.$2.ld
    link_both weak1.$2 main.$2.o
    compare "$1 (no strong)" weak1.$2.relink weak1.$2.ld
}
each_flavour build

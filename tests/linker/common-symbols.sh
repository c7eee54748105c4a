# COMMON symbols: merged across objects (largest size and alignment), overridden by a
# strong definition, placed in .bss.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >a.c <<'EOS'
#include "sys.h"
int shared_counter;            /* COMMON in every file (-fcommon) */
int arr[4];                    /* COMMON, bigger elsewhere */
int defined_here;              /* COMMON here, strong in c.c */
extern void bump(void);
extern long arr_size(void);
void _start(void)
{
    shared_counter = 2;
    bump();
    arr[0] = 1;
    putnum(shared_counter);
    putnum(arr_size());
    putnum(defined_here);
    putnum(((unsigned long)&arr & 63) == 0);
    sys_exit(shared_counter);
}
EOS
cat >b.c <<'EOS'
int shared_counter;
__attribute__((aligned(64))) int arr[64];
void bump(void) { shared_counter += 40; arr[63] = 7; }
long arr_size(void) { return sizeof arr; }
EOS
cat >c.c <<'EOS'
int defined_here = 1234;
EOS
build() {
    for f in a b c; do $1 $FREESTANDING -fcommon -c $f.c -o $f.$2.o; done
    link_both com.$2 a.$2.o b.$2.o c.$2.o
    compare "$1" com.$2.relink com.$2.ld
    nm com.$2.relink | grep -q ' B arr$' || die "arr is not in .bss"
}
each_flavour build

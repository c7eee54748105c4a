# COMDAT groups: the same group in two objects is kept once (from the first), the
# other copy's sections and .eh_frame entries are dropped, and references from both
# objects reach the kept copy.
. "$(dirname "$0")/common.inc"
write_sys_h
# A COMDAT function and its data, as a C++ compiler emits an inline function.
comdat_asm() {
    cat <<EOS
__asm__(".section .text.shared_fn,\"axG\",@progbits,shared_fn,comdat\n"
        ".globl shared_fn\n.type shared_fn,@function\n"
        "shared_fn:\n.cfi_startproc\n movl \$$1, %eax\n ret\n.cfi_endproc\n"
        ".section .data.shared_val,\"awG\",@progbits,shared_fn,comdat\n"
        ".globl shared_val\nshared_val: .long $1\n"
        ".text\n");
EOS
}
{ comdat_asm 41; cat <<'EOS'; } >a.c
#include "sys.h"
extern int shared_fn(void);
extern int shared_val;
extern int from_b(void);
void _start(void)
{
    int r = shared_fn() + shared_val + from_b();
    putnum(r);
    sys_exit(r & 0x7f);
}
EOS
{ comdat_asm 99; cat <<'EOS'; } >b.c
extern int shared_fn(void);
int from_b(void) { return shared_fn() * 2; }
EOS
build() {
    $1 $FREESTANDING -c a.c -o a.$2.o
    $1 $FREESTANDING -c b.c -o b.$2.o
    link_both cd.$2 a.$2.o b.$2.o
    compare "$1" cd.$2.relink cd.$2.ld
    [ "$(./cd.$2.relink)" = 164 ] || die "the first COMDAT copy was not the one kept"
    n=$(readelf --debug-dump=frames cd.$2.relink | grep -c 'FDE' || true)
    m=$(readelf --debug-dump=frames cd.$2.ld | grep -c 'FDE' || true)
    [ "$n" = "$m" ] || die "$n FDEs with relink, $m with ld"
    readelf --debug-dump=frames cd.$2.relink 2>&1 | grep -qi 'warning' && die "readelf warns about .eh_frame"
    true
}
each_flavour build

# The less common relocations, written in assembly so each appears exactly: SIZE32/64,
# PC64, 64/32/32S/16/8 and PC16/PC8, GOTOFF64, GOTPC32/GOTPC64, GOT64, PLTOFF64; and
# DTPOFF32/64 in debug information of TLS variables. Values are checked against GNU ld.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >data.s <<'EOS'
    .data
    .globl sized_obj
    .type sized_obj, @object
    .size sized_obj, 24
sized_obj: .quad 1, 2, 3
    .globl results
results:
    .long sized_obj@SIZE            # R_X86_64_SIZE32
    .quad sized_obj@SIZE + 100      # R_X86_64_SIZE64
    .quad sized_obj - .             # R_X86_64_PC64
    .quad sized_obj                 # R_X86_64_64
    .long sized_obj                 # R_X86_64_32
    .long sized_obj + 8             # R_X86_64_32 with an addend
    .word near_abs                  # R_X86_64_16
    .byte near_abs8                 # R_X86_64_8
    .word here16 - .                # R_X86_64_PC16
here16:
    .byte here8 - .                 # R_X86_64_PC8
here8:
    .quad sized_obj@GOTOFF          # R_X86_64_GOTOFF64
    .quad _GLOBAL_OFFSET_TABLE_ - . # R_X86_64_GOTPC64
    .quad sized_obj@GOT             # R_X86_64_GOT64
    .quad ext_fn@PLTOFF             # R_X86_64_PLTOFF64
    .globl results_end
results_end:
    .text
    .globl got_base
got_base:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rax   # R_X86_64_GOTPC32
    ret
    .globl ext_fn
ext_fn: ret
    .section .note.GNU-stack,"",@progbits
EOS
cat >main.c <<'EOS'
#include "sys.h"
extern unsigned char results[], results_end[];
extern long sized_obj[];
extern char *got_base(void);
void _start(void)
{
    /* Print every byte that does not depend on where things are, and the
     * position-independent facts about the rest. */
    unsigned int size32 = *(unsigned int *)results;
    unsigned long size64 = *(unsigned long *)(results + 4);
    long pc64 = *(long *)(results + 12);
    unsigned long abs64 = *(unsigned long *)(results + 20);
    putnum(size32);
    putnum(size64);
    putnum((long)(results + 12) + pc64 == (long)sized_obj);
    putnum(abs64 == (unsigned long)sized_obj);
    putnum(*(unsigned int *)(results + 28) == (unsigned long)sized_obj);
    putnum(*(unsigned short *)(results + 36));
    putnum(results[38]);
    long gotoff = *(long *)(results + 42);
    putnum((long)got_base() + gotoff == (long)sized_obj);
    putnum(results_end - results);
    sys_exit(0);
}
EOS
gcc -c data.s -o data.o
for cc in $(compilers); do
    $cc $FREESTANDING -O2 -c main.c -o main.$cc.o
    link_both rel.$cc main.$cc.o data.o --defsym near_abs=0x1234 --defsym near_abs8=0x56
    compare "$cc" rel.$cc.relink rel.$cc.ld
done
want=$'24\n124\n1\n1\n1\n4660\n86\n1\n74'
[ "$(cat rel.gcc.relink.out)" = "$want" ] || die "values: $(cat rel.gcc.relink.out | tr '\n' ' ')"
# Overflow of the small ones is caught.
expect_error small 'relocation R_X86_64_8 out of range' main.gcc.o data.o --defsym near_abs=1 --defsym near_abs8=0x1ff
# DTPOFF32/DTPOFF64 in debug info: gdb-visible TLS offsets agree with GNU ld's.
cat >tls.c <<'EOS'
#include "sys.h"
__thread long tls_a = 5;
__thread long tls_b;
void _start(void) { tls_b = tls_a + 1; putnum(tls_b); sys_exit(0); }
EOS
gcc $FREESTANDING -O0 -g -c tls.c -o tls.o
readelf -rW tls.o | grep -q DTPOFF || die "no DTPOFF relocation in the test object"
link_both tls tls.o
readelf --debug-dump=info tls.relink | grep -A8 'tls_b' | grep -i 'location' >loc.relink
readelf --debug-dump=info tls.ld | grep -A8 'tls_b' | grep -i 'location' >loc.ld
[ -s loc.relink ] || die "no location for tls_b"
cmp -s loc.relink loc.ld || { cat loc.relink loc.ld; die "TLS debug locations differ"; }

# Linker-defined symbols: __ehdr_start, __executable_start, _etext, _edata, __bss_start,
# _end/end, __start_X/__stop_X for a C-identifier section, and init/fini array bounds;
# values checked against the program's own view and against GNU ld's.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
#include <elf.h>
extern const Elf64_Ehdr __ehdr_start;
extern char __executable_start[], _etext[], _edata[], __bss_start[], _end[], end[];
extern const long __start_mylist[], __stop_mylist[];
typedef void (*fn)(void);
extern fn __init_array_start[], __init_array_end[];
__attribute__((section("mylist"), used)) static const long item1 = 10;
__attribute__((section("mylist"), used)) static const long item2 = 20;
__attribute__((section("mylist"), used)) static const long item3 = 30;
static int ran;
static void init_a(void) { ran += 1; }
static void init_b(void) { ran += 10; }
__attribute__((section(".init_array"), used)) static fn inits[] = { init_a, init_b };
long data_word = 1;
char bss_byte;
void _start(void)
{
    long sum = 0;
    for (const long *p = __start_mylist; p < __stop_mylist; p++) sum += *p;
    putnum(sum);
    for (fn *f = __init_array_start; f < __init_array_end; f++) (*f)();
    putnum(ran);
    putnum(__ehdr_start.e_ident[1] == 'E' && __ehdr_start.e_type == ET_EXEC);
    putnum((char *)&__ehdr_start == __executable_start);
    putnum(_etext > (char *)_start && _etext <= (char *)&item1);
    putnum((char *)&data_word < _edata && _edata <= __bss_start && __bss_start <= &bss_byte);
    putnum(&bss_byte < _end && _end == end);
    sys_exit(0);
}
EOS
build() {
    $1 $FREESTANDING -c main.c -o main.$2.o
    link_both ls.$2 main.$2.o
    compare "$1" ls.$2.relink ls.$2.ld
    grep -qv '^1$' <(sed -n '3,$p' ls.$2.relink.out) && die "a linker symbol has a wrong value: $(cat ls.$2.relink.out)"
    true
}
each_flavour build

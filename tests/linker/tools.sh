# The output is an ordinary executable to binutils and gdb: readelf reads it without
# a warning, objdump disassembles it, nm lists symbols with types, gdb sets a
# breakpoint by line, runs, prints a backtrace and a global.
. "$(dirname "$0")/common.inc"
have gdb || skip "gdb is missing"
cat >a.c <<'EOS'
#include <stdio.h>
int global_counter = 41;
__attribute__((noinline)) int inner(int x)
{
    global_counter += x;
    return global_counter;
}
int main(void)
{
    printf("%d\n", inner(1));
    return 0;
}
EOS
gcc -O0 -g -c a.c -o a.o
gcc -static -B"$BDIR" -o prog a.o
readelf -a -W prog >readelf.txt 2>readelf.err || die "readelf failed"
[ ! -s readelf.err ] || { cat readelf.err; die "readelf warned"; }
grep -q 'Type:.*EXEC' readelf.txt || die "not ET_EXEC"
for seg in 'LOAD.*R E' 'LOAD.*RW' TLS GNU_STACK GNU_RELRO GNU_EH_FRAME NOTE; do
    grep -q "$seg" readelf.txt || die "no $seg program header"
done
objdump -d prog | grep -q '<inner>:' || die "objdump does not see inner"
nm prog | grep -q ' T main$' || die "nm: main"
nm prog | grep -q ' D global_counter$' || die "nm: global_counter"
gdb -batch -ex 'break a.c:5' -ex run -ex bt -ex 'print global_counter' -ex continue prog >gdb.txt 2>&1 || true
grep -q 'Breakpoint 1, inner (x=1) at a.c:5' gdb.txt || { cat gdb.txt; die "gdb did not stop in inner"; }
grep -q 'in main () at a.c:10' gdb.txt || { cat gdb.txt; die "gdb backtrace"; }
grep -q '\$1 = 41' gdb.txt || { cat gdb.txt; die "gdb print"; }

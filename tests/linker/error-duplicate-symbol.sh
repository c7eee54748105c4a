# Two strong definitions of one symbol are an error naming both objects; a weak and a
# strong one are not; -z muldefs (--allow-multiple-definition) keeps the first.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >a.c <<'EOS'
#include "sys.h"
int twice_defined(void) { return 1; }
int data_twice = 1;
void _start(void) { sys_exit(twice_defined()); }
EOS
cat >b.c <<'EOS'
int twice_defined(void) { return 2; }
int data_twice = 2;
EOS
gcc $FREESTANDING -O2 -c a.c -o a.o
gcc $FREESTANDING -O2 -c b.c -o b.o
expect_error dup 'relink: error: duplicate symbol: twice_defined' a.o b.o -o out
grep -q '>>> defined at a.o:(.text)' dup.stderr || die "first definition not named"
grep -q '>>> defined at b.o:(.text)' dup.stderr || die "second definition not named"
grep -q 'duplicate symbol: data_twice' dup.stderr || die "data_twice not reported"
"$RELINK" -z muldefs a.o b.o -o muldefs || die "-z muldefs failed"
st=0; ./muldefs || st=$?
[ $st = 1 ] || die "-z muldefs did not keep the first definition (exit $st)"

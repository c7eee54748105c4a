# A failed link leaves the previous output untouched (written to a temp file and
# renamed) and leaves no temp file behind; a successful one replaces it atomically,
# even while the old one is running.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >good.c <<'EOS'
#include "sys.h"
void _start(void) { put("good\n"); sys_exit(0); }
EOS
cat >bad.c <<'EOS'
extern void nowhere(void);
void _start(void) { nowhere(); }
EOS
cat >slow.c <<'EOS'
#include "sys.h"
void _start(void) { struct { long s, ns; } t = {1, 0}; sys3(35, (long)&t, 0, 0); put("slow\n"); sys_exit(0); }
EOS
gcc $FREESTANDING -O2 -c good.c -o good.o
gcc $FREESTANDING -O2 -c bad.c -o bad.o
gcc $FREESTANDING -O2 -c slow.c -o slow.o
"$RELINK" good.o -o prog || die "good link failed"
cp prog prog.before
expect_error bad 'undefined symbol: nowhere' bad.o -o prog
cmp -s prog prog.before || die "the failed link changed the output"
ls -a | grep -q 'relink-tmp' && die "a temp file was left behind"
[ "$(./prog)" = good ] || die "the old output no longer runs"
# Replace a running executable.
"$RELINK" slow.o -o prog2 || die "link failed"
./prog2 >slow.out &
sleep 0.2
"$RELINK" good.o -o prog2 || die "could not replace a running executable"
wait
[ "$(cat slow.out)" = slow ] || die "the running program was disturbed"
[ "$(./prog2)" = good ] || die "the new output is wrong"

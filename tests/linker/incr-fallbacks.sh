# Incremental: every case an update cannot do exactly ends in a full link that says
# why, in one line "relink: full link: <reason>", and gives a correct output.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long f(long);
void _start(void) { putnum(f(6)); sys_exit((int)f(2) & 0x7f); }
EOS
echo 'long f(long x) { return x * 3; }' >lib.c
cc_fs main.c lib.c
fresh() { rm -f app app.relink-state; incr_link app "$@"; }
# One line, and no other message.
one_line() {
    [ "$(grep -c "^relink: full link: " app.log)" = 1 ] || { cat app.log; die "$1: not exactly one full-link line"; }
}

incr_link app main.o lib.o
expect_full "missing state" "no incremental state"
one_line "missing state"

# A damaged, truncated or foreign state.
printf 'X' | dd of=app.relink-state bs=1 seek=40 conv=notrunc 2>/dev/null
incr_link app main.o lib.o
expect_full "damaged header" "damaged (header checksum mismatch)"
python3 - app.relink-state <<'EOPY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
for i in range(8192, len(b), 512):   # every block after the header and block table
    b[i] ^= 0x55
open(p, 'wb').write(b)
EOPY
incr_link app main.o lib.o
expect_full "damaged blocks" "damaged"
truncate -s 6000 app.relink-state
incr_link app main.o lib.o
expect_full "truncated" "truncated"
echo "not a state at all" >app.relink-state
incr_link app main.o lib.o
expect_full "foreign" "foreign"

# The output replaced by something else.
ld -o app main.o lib.o
incr_link app main.o lib.o
expect_full "output rewritten" "written by something else"

# Changed flags, a new entry point.
incr_link app main.o lib.o --build-id
expect_full "flags" "options changed"
LD_FLAGS="-e _start" incr_link app -e _start main.o lib.o
expect_full "entry" "options changed"

# Flags whose output only a full link gives.
incr_link app main.o lib.o --build-id
incr_link app main.o lib.o --build-id -t
expect_full "-t" "-t lists"

# Room exhausted (no slack, no free space).
INCR_FLAGS="--incremental-slack=0 --incremental-reserve=0"
fresh main.o lib.o
echo 'long f(long x) { long a = 0; for (long i = 0; i < x; i++) a += i * x; return a; }' >lib.c
cc_fs lib.c
incr_link app main.o lib.o
expect_full "no room" "no room left"
INCR_FLAGS=

# The TLS layout.
# (The program has no thread pointer: it never touches its TLS.)
echo '__thread long t = 5; long f(long x) { return x > 1000 ? x * t : x * 3; }' >lib.c
cc_fs lib.c
fresh main.o lib.o
echo '__thread long t = 5; __thread long u = 9; long f(long x) { return x > 1000 ? x * t + u : x * 3; }' >lib.c
cc_fs lib.c
incr_link app main.o lib.o
expect_full "TLS" "TLS layout"

# Which archive members are pulled in: a new reference to an archive's symbol, then an
# object that defines a symbol the archive member defines too.
echo 'long f(long x) { return x * 3; }' >lib.c
echo 'long g(long x) { return x + 100; }' >g.c
cc_fs lib.c g.c
rm -f libg.a && ar rcs libg.a g.o
fresh main.o lib.o libg.a
echo 'long g(long); long f(long x) { return g(x) * 3; }' >lib.c
cc_fs lib.c
incr_link app main.o lib.o libg.a
expect_full "archive member needed" "an archive member may define it"
echo 'long g(long x) { return x - 1; } long f(long x) { return g(x) * 3; }' >lib.c
cc_fs lib.c
incr_link app main.o lib.o libg.a
expect_full "archive member no longer needed" "archive members to extract may change"

# A new output section, an undefined symbol (the full link reports it), COMMON.
echo '__attribute__((section("mine"), used)) long m = 1; long f(long x) { return x * 3 + m; }' >lib.c
cc_fs lib.c
incr_link app main.o lib.o libg.a
expect_full "new output section" "a new output section"
echo 'long nowhere(long); long f(long x) { return nowhere(x); }' >lib.c
cc_fs lib.c
st=0
"$RELINK" --incremental -o app main.o lib.o libg.a 2>undef.log || st=$?
[ "$st" = 1 ] || die "undefined symbol: exit $st"
grep -q "^relink: full link: undefined symbol .nowhere" undef.log || { cat undef.log; die "undefined: no reason"; }
grep -q "^relink: error: undefined symbol: nowhere" undef.log || { cat undef.log; die "undefined: no error"; }
INCR_CFLAGS="-O1 -fcommon"
echo 'long c; long f(long x) { return x * 3 + c; }' >lib.c
cc_fs lib.c
fresh main.o lib.o
echo 'long c[4]; long f(long x) { return x * 3 + c[1]; }' >lib.c
cc_fs lib.c
incr_link app main.o lib.o
expect_full "COMMON" "COMMON symbol"

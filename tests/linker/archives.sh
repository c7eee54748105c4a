# Archives: a member is linked only when it defines a needed symbol (an unused member
# with a constructor-like side effect stays out), members that reference each other
# in a cycle across two archives resolve with --start-group/--end-group, and without
# the group the link fails as GNU ld's does.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long ping(long);
void _start(void)
{
    long r = ping(6);
    putnum(r);
    sys_exit((int)(r & 0x7f));
}
EOS
cat >ping.c <<'EOS'
extern long pong(long);
long ping(long n) { return n <= 0 ? 1 : 3 + pong(n - 1); }
EOS
cat >pong.c <<'EOS'
extern long ping(long);
long pong(long n) { return n <= 0 ? 2 : 5 * ping(n - 1); }
EOS
cat >unused.c <<'EOS'
#include "sys.h"
long unused_fn(void) { put("unused member linked!\n"); return 0; }
__attribute__((constructor)) static void noisy(void) { put("never\n"); }
EOS
cat >also.c <<'EOS'
long also_unused = 3;
EOS
build() {
    for f in main ping pong unused also; do $1 $FREESTANDING -c $f.c -o $f.$2.o; done
    rm -f libping.$2.a libpong.$2.a
    ar rcs libping.$2.a ping.$2.o unused.$2.o
    ar rcs libpong.$2.a pong.$2.o also.$2.o
    link_both ar.$2 main.$2.o --start-group libping.$2.a libpong.$2.a --end-group
    compare "$1" ar.$2.relink ar.$2.ld
    nm ar.$2.relink | grep -q unused_fn && die "an unneeded member was linked"
    nm ar.$2.relink | grep -q also_unused && die "an unneeded member was linked"
    # Without the group, pong's reference to ping... is satisfied (ping is loaded),
    # but ping's reference to pong needs libpong after libping: order matters.
    "$RELINK" -o ar2.$2 main.$2.o libpong.$2.a libping.$2.a 2>err.$2 && die "linked without the group"
    grep -q 'undefined symbol: pong' err.$2 || die "wrong message: $(cat err.$2)"
    ld -o ar2ld.$2 main.$2.o libpong.$2.a libping.$2.a 2>/dev/null && die "GNU ld linked without the group"
    # -u pulls a member in.
    "$RELINK" -o ar3.$2 -u unused_fn main.$2.o --start-group libping.$2.a libpong.$2.a --end-group
    nm ar3.$2 | grep -q unused_fn || die "-u did not extract its member"
    # --whole-archive takes every member.
    "$RELINK" -o ar4.$2 main.$2.o --whole-archive libpong.$2.a --no-whole-archive libping.$2.a
    nm ar4.$2 | grep -q also_unused || die "--whole-archive left a member out"
}
each_flavour build

# Incremental: a function that grows within its slack stays; one that outgrows it moves
# to free space, and every call to it is re-patched (a direct call stays direct).
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long work(long);
long twice(long x) { return work(x) + work(x + 1); }
void _start(void) { putnum(twice(5)); putnum(work(9)); sys_exit((int)twice(2) & 0x7f); }
EOS
gen() {
    {
        echo "long work(long x) {"
        echo "    long acc = x;"
        for i in $(seq 1 "$1"); do echo "    acc = acc * $((i + 2)) + (x >> $((i % 5)));"; done
        echo "    return acc;"
        echo "}"
    } >work.c
}
gen 1
cc_fs main.c work.c
incr_link app main.o work.o
gen 2   # a few bytes more: fits the 25 % slack of its section
cc_fs work.c
incr_link app main.o work.o
expect_patched "small growth"
[ "$INCR_SITES" = 0 ] || die "small growth: $INCR_SITES sites re-patched, expected none (in place)"
gen 40  # far beyond its capacity: it moves
cc_fs work.c
incr_link app main.o work.o
expect_patched "large growth"
[ "${INCR_SITES:-0}" -ge 3 ] || die "large growth: $INCR_SITES sites re-patched, expected the 3 calls"
# The calls are still direct calls to the new place.
objdump -d app | grep -q "call.*<work>" || die "no direct call to work"
objdump -d app | grep -q "call.*\*" && die "an indirect call appeared"
# With no slack at all, any growth moves.
INCR_FLAGS="--incremental-slack=0"
incr_link app2 main.o work.o
gen 41
cc_fs work.c
incr_link app2 main.o work.o
expect_patched "growth without slack"
[ "${INCR_SITES:-0}" -ge 3 ] || die "growth without slack: the calls were not re-patched"

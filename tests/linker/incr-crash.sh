# Incremental, crash safety: RELINK_FAULT_AT=N kills relink at its N-th write to the
# output or the state, for every N in turn; the next link must see the interrupted
# update and give a correct output (and pass --verify).
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long f(long);
extern const char *g(void);
void _start(void) { put(g()); putnum(f(6)); sys_exit((int)f(2) & 0x7f); }
EOS
version() {
    if [ "$1" = 1 ]; then
        echo 'long f(long x) { return x * 3; } const char *g(void) { return "one\n"; }' >lib.c
    else
        echo 'long f(long x) { long a = 0; for (long i = 0; i < x * 50; i++) a += i ^ x; return a; }
              long h(long x) { return x + 2; }
              const char *g(void) { return "two, a longer string\n"; }' >lib.c
    fi
    cc_fs lib.c
    cp lib.o "lib$1.o"
}
version 1
version 2
cc_fs main.c
use() { cp "lib$1.o" lib.o; }

# Faults during an update (the patch path).
n=1
while :; do
    use 1
    incr_link app main.o lib.o          # a good state for version 1
    use 2
    st=0
    RELINK_FAULT_AT=$n "$RELINK" --incremental -o app main.o lib.o 2>fault.log || st=$?
    if [ "$st" = 0 ]; then
        grep -q "full link" fault.log && die "the update to version 2 was a full link: $(cat fault.log)"
        break
    fi
    incr_link app main.o lib.o          # must recover
    expect_full "after a fault at write $n" "interrupted"
    [ $n -lt 60 ] || die "more than 60 write points?"
    n=$((n + 1))
done
[ $n -ge 3 ] || die "only $((n - 1)) write points in an update"
echo "update: $((n - 1)) write points, each recovered"

# Faults during a full link that writes the state.
n=1
while :; do
    rm -f app app.relink-state
    st=0
    RELINK_FAULT_AT=$n "$RELINK" --incremental -o app main.o lib.o 2>fault.log || st=$?
    [ "$st" = 0 ] && break
    incr_link app main.o lib.o
    [ $n -lt 20 ] || die "more than 20 write points in a full link?"
    n=$((n + 1))
done
[ $n -ge 3 ] || die "only $((n - 1)) write points in a full link"
echo "full link: $((n - 1)) write points, each recovered"

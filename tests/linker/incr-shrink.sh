# Incremental: a function that shrinks stays where it is; the rest of its room is zeros.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long work(long);
extern long after(long);
void _start(void) { putnum(work(5) + after(2)); sys_exit((int)work(2) & 0x7f); }
EOS
gen() {
    {
        echo "long work(long x) {"
        echo "    long acc = x;"
        for i in $(seq 1 "$1"); do echo "    acc = acc * $((i + 2)) + (x >> $((i % 5)));"; done
        echo "    return acc;"
        echo "}"
        echo "long after(long x) { return x * 11; }"
    } >work.c
}
gen 30
cc_fs main.c work.c
incr_link app main.o work.o
for n in 10 3 0; do
    gen $n
    cc_fs work.c
    incr_link app main.o work.o
    expect_patched "shrink to $n"
done

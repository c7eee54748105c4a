# Incremental: a function body changed at the same size is rewritten in place; nothing
# moves, no other byte changes (no site is re-patched).
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long scale(long);
extern const char banner[];
void _start(void) { put(banner); putnum(scale(7)); sys_exit((int)scale(3) & 0x7f); }
EOS
gen() {
    cat >lib.c <<EOS
const char banner[] = "scale\n";
long other(long x) { return x + 1; }
long scale(long x) { return x * $1 + other(x); }
EOS
}
gen 3
cc_fs main.c lib.c
incr_link app main.o lib.o
expect_full "first link" "no incremental state"
for k in 5 6 9; do
    gen $k
    cc_fs lib.c
    incr_link app main.o lib.o
    expect_patched "scale * $k"
    [ "$INCR_SITES" = 0 ] || die "scale * $k: $INCR_SITES sites re-patched, expected none"
done
# Touching the file without changing it is no update at all.
touch lib.o
incr_link app main.o lib.o
expect_patched "touched"
[ "$INCR_SECTIONS" = 0 ] || die "touched: $INCR_SECTIONS sections written"

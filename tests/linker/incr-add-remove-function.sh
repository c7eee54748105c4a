# Incremental: a function added (and called) goes to free space; a function removed
# (with its calls) leaves zeros; the symbol table follows (nm sees the new one only).
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long api(long);
void _start(void) { putnum(api(4)); sys_exit((int)api(1) & 0x7f); }
EOS
cat >lib.c <<'EOS'
long old_helper(long x) { return x - 1; }
long api(long x) { return old_helper(x) * 3; }
EOS
cc_fs main.c lib.c
for flags in "" "-ffunction-sections"; do
    INCR_CFLAGS="-O1 $flags"
    rm -f app app.relink-state
    cc_fs main.c lib.c
    incr_link app main.o lib.o
    cat >lib.c <<'EOS'
long old_helper(long x) { return x - 1; }
long new_helper(long x) { return x * x + 2; }
long api(long x) { return old_helper(x) * 3 + new_helper(x); }
EOS
    cc_fs lib.c
    incr_link app main.o lib.o
    expect_patched "function added ($flags)"
    nm app | grep -q " T new_helper$" || die "new_helper is not in the symbol table"
    cat >lib.c <<'EOS'
long new_helper(long x) { return x * x + 2; }
long api(long x) { return new_helper(x) - 5; }
EOS
    cc_fs lib.c
    incr_link app main.o lib.o
    expect_patched "function removed ($flags)"
    nm app | grep -q "old_helper" && die "old_helper is still in the symbol table"
    readelf -s app >/dev/null || die "readelf cannot read the symbol table"
done

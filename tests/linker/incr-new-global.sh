# Incremental: a new global variable (and a new function using it) in an existing object.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long total(void);
void _start(void) { putnum(total()); sys_exit((int)total() & 0x7f); }
EOS
cat >data.c <<'EOS'
long base = 40;
long total(void) { return base + 2; }
EOS
cc_fs main.c data.c
incr_link app main.o data.o
cat >data.c <<'EOS'
long base = 40;
long extra = 1000;
long counter;
long bump(void) { return ++counter; }
long total(void) { return base + extra + bump() + 2; }
EOS
cc_fs data.c
incr_link app main.o data.o
expect_patched "new globals"
nm app | grep -q " D extra$" || die "extra is not in the symbol table"
nm app | grep -q " B counter$" || die "counter is not in the symbol table"

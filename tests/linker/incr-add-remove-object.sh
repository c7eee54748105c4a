# Incremental: an object added to the command line, then one removed.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long part_a(long);
__attribute__((weak)) long part_b(long x) { return -x; }
void _start(void) { putnum(part_a(3) + part_b(4)); sys_exit(0); }
EOS
cat >a.c <<'EOS'
long part_a(long x) { return x * 100; }
EOS
cat >b.c <<'EOS'
static const char note[] = "b is here\n";
long part_b(long x) { return x * 10000 + note[0]; }
EOS
cat >c.c <<'EOS'
long part_c_unused(long x) { return x; }
EOS
cc_fs main.c a.c b.c c.c
incr_link app main.o a.o c.o
incr_link app main.o a.o b.o c.o
expect_patched "object added"
grep -q 40100 app.out && die "the strong part_b was not linked"
incr_link app main.o a.o b.o
expect_patched "object removed"
incr_link app main.o a.o
expect_patched "object with the strong definition removed (the weak one is back)"
grep -q "^296$" app.out || die "the weak part_b is not used again"

# Incremental: an object rewritten just after a link read it, with the same size, inode
# and mtime (as when it changes again within one timestamp tick), is still seen as
# changed: files modified close to the moment a link read them are checked by hash.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long f(long);
void _start(void) { putnum(f(6)); sys_exit(0); }
EOS
echo 'long f(long x) { return x * 3; }' >a.c
echo 'long f(long x) { return x * 5; }' >b.c
cc_fs main.c a.c b.c
[ "$(stat -c %s a.o)" = "$(stat -c %s b.o)" ] || skip "the two versions differ in size here"
cp a.o lib.o
incr_link app main.o lib.o
stamp=$(stat -c %.9Y lib.o)
cat b.o >lib.o            # same inode, same size
touch -d "@$stamp" lib.o  # same mtime
[ "$(stat -c %.9Y lib.o)" = "$stamp" ] || skip "cannot set the mtime back exactly"
incr_link app main.o lib.o
expect_patched "racy rewrite"
[ "${INCR_SECTIONS:-0}" -ge 1 ] || die "the rewritten object was not seen (nothing written)"
grep -q "^30$" app.out || die "the program does not print 30"

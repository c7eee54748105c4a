# Incremental: the output is running (ETXTBSY): the update is written to a copy that
# replaces it through rename; the running program is not disturbed.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long f(long);
struct ts { long sec, nsec; };
void _start(void)
{
    /* With the flag file present, sleep a second (while the test relinks). */
    if (sys3(2, (long)"sleep.flag", 0, 0) >= 0) {
        struct ts t = {1, 0};
        sys3(35, (long)&t, 0, 0);
    }
    putnum(f(6));
    sys_exit((int)f(2) & 0x7f);
}
EOS
echo 'long f(long x) { return x * 3; }' >lib.c
cc_fs main.c lib.c
incr_link app main.o lib.o
ino=$(stat -c %i app)
touch sleep.flag
./app >running.out &
pid=$!
sleep 0.2
echo 'long f(long x) { return x * 7 + 1; }' >lib.c
cc_fs lib.c
rm sleep.flag
incr_link app main.o lib.o
expect_patched "running output"
wait $pid || true
[ "$(cat running.out)" = 18 ] || die "the running program was disturbed: $(cat running.out)"
[ "$(stat -c %i app)" != "$ino" ] || die "the output was not replaced (same inode)"
# The next update patches the new file in place again.
echo 'long f(long x) { return x * 9; }' >lib.c
cc_fs lib.c
incr_link app main.o lib.o
expect_patched "after the replacement"

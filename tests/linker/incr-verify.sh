# Incremental --verify catches a wrong output: a byte of the output is changed behind
# relink's back (its size and mtime restored, so the state still trusts it); the next
# update with --verify must fail, keep both files, and make the link after a full one.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long f(long);
long g(long x) { return x - 1; }
void _start(void) { putnum(f(6) + g(1)); sys_exit(0); }
EOS
echo 'long f(long x) { return x * 3; }' >lib.c
cc_fs main.c lib.c
incr_link app main.o lib.o
# Damage g (in main.o, which the next update does not touch).
off=$(python3 - app <<'EOPY'
import subprocess, sys
out = subprocess.run(['nm', sys.argv[1]], capture_output=True, text=True).stdout
addr = int([l.split()[0] for l in out.splitlines() if l.endswith(' g')][0], 16)
print(addr - 0x400000)
EOPY
)
mtime=$(stat -c %y app)
printf '\xcc' | dd of=app bs=1 seek="$off" conv=notrunc 2>/dev/null
touch -d "$mtime" app
echo 'long f(long x) { return x * 4; }' >lib.c
cc_fs lib.c
st=0
"$RELINK" --incremental --verify -o app main.o lib.o 2>verify.log || st=$?
[ "$st" = 1 ] || { cat verify.log; die "--verify did not fail (exit $st)"; }
grep -q "^relink: error: verify: .app. differs from a full link with the same layout" verify.log ||
    { cat verify.log; die "no verify error"; }
grep -q "first difference at offset" verify.log || die "the difference is not located"
[ -f app ] && [ -f app.relink-verify ] || die "both files are not kept"
[ -f app.relink-state ] && die "the state was not removed"
incr_link app main.o lib.o
expect_full "after a failed verify" "no incremental state"

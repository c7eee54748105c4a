# Incremental: a weak definition overridden by a strong one (added to another object),
# then the strong one removed again; every call follows.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
__attribute__((weak)) long hook(long x) { return x + 1; }
extern long user(long);
void _start(void) { putnum(hook(10)); putnum(user(5)); sys_exit((int)hook(1) & 0x7f); }
EOS
gen() {
    { echo "long hook(long);"; echo "long user(long x) { return hook(x) * 2; }"; if [ "$1" ]; then echo "long hook(long x) { return x * 1000; }"; fi; } >user.c
}
gen ""
cc_fs main.c user.c
incr_link app main.o user.o
gen strong
cc_fs user.c
incr_link app main.o user.o
expect_patched "strong definition added"
grep -q "^10000$" app.out || die "the strong hook is not called"
gen ""
cc_fs user.c
incr_link app main.o user.o
expect_patched "strong definition removed"
grep -q "^11$" app.out || die "the weak hook is not called again"

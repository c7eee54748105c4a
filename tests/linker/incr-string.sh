# Incremental: a changed string literal (longer, shorter) in .rodata.str sections.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern const char *message(int);
void _start(void) { put(message(0)); put(message(1)); sys_exit(0); }
EOS
gen() {
    cat >msg.c <<EOS
const char *message(int i) { return i ? "$1\n" : "fixed prefix\n"; }
EOS
}
gen "hello"
cc_fs main.c msg.c
incr_link app main.o msg.o
for text in "hello, world" "a much longer string literal that cannot fit where the old one was" "short"; do
    gen "$text"
    cc_fs msg.c
    incr_link app main.o msg.o
    expect_patched "string '$text'"
    grep -q "$text" app.out || die "the program does not print '$text'"
done

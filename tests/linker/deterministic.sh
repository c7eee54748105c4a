# The same inputs give the same bytes: twice in a row, with one thread or several,
# and with the build-id (a content hash) included.
. "$(dirname "$0")/common.inc"
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || skip "glibc's static libc.a is not installed"
cat >a.c <<'EOS'
#include <stdio.h>
__thread int t = 3;
int main(void) { printf("%d\n", t); return 0; }
EOS
gcc -O2 -g -c a.c -o a.o
for i in 1 2; do gcc -static -B"$BDIR" -o out$i a.o; done
cmp out1 out2 || die "two links differ"
gcc -static -B"$BDIR" -Wl,--threads=1 -o out3 a.o
cmp out1 out3 || die "one thread and several differ"
gcc -static -B"$BDIR" -Wl,--threads=8 -o out4 a.o
cmp out1 out4 || die "eight threads differ"

# Incremental: changed initialized data (values, then a larger array that moves) and
# .bss growth; code that refers to them is re-patched where they moved.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long table[];
extern long table_len;
extern char scratch[];
extern long scratch_len;
void _start(void)
{
    long s = 0;
    for (long i = 0; i < table_len; i++) s += table[i] * (i + 1);
    for (long i = 0; i < scratch_len; i++) scratch[i] = (char)i;
    for (long i = 0; i < scratch_len; i += 97) s += scratch[i];
    putnum(s);
    sys_exit((int)s & 0x7f);
}
EOS
gen() {
    cat >data.c <<EOS
long table[] = {$1};
long table_len = sizeof table / sizeof table[0];
char scratch[$2];
long scratch_len = sizeof scratch;
EOS
}
gen "1, 2, 3" 100
cc_fs main.c data.c
incr_link app main.o data.o
gen "4, 5, 6" 100
cc_fs data.c
incr_link app main.o data.o
expect_patched "values changed"
gen "4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26" 100
cc_fs data.c
incr_link app main.o data.o
expect_patched "array grown"
gen "4, 5, 6" 70000
cc_fs data.c
incr_link app main.o data.o
expect_patched ".bss grown"
[ "${INCR_SITES:-0}" -ge 1 ] || die ".bss grown: nothing re-patched"

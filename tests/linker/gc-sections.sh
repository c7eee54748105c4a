# --gc-sections drops functions and data nothing reachable uses (with their .eh_frame
# entries), keeps what constructors, __start_/__stop_ and the entry reach, and the
# program runs as GNU ld's does.
. "$(dirname "$0")/common.inc"
cat >a.c <<'EOS'
#include <stdio.h>
int unused_function(int x) { return x * 1234567; }
int unused_data[1000] = {1};
int used_data = 5;
__attribute__((section("keepme"), used)) static const int listed = 7;
extern const int __start_keepme[], __stop_keepme[];
__attribute__((constructor)) static void ctor(void) { used_data++; }
static int helper(int x) { return x + used_data; }
int main(void) { printf("%d %d\n", helper(1), (int)(__stop_keepme - __start_keepme)); return 0; }
EOS
for cc in $(compilers); do
    $cc -O2 -ffunction-sections -fdata-sections -c a.c -o a.$cc.o
    glibc_link $cc gc.$cc a.$cc.o -Wl,--gc-sections
    compare "$cc" gc.$cc.relink gc.$cc.ld
    nm gc.$cc.relink | grep -q unused_function && die "$cc: unused_function kept"
    nm gc.$cc.relink | grep -q unused_data && die "$cc: unused_data kept"
    "$cc" -static -B"$BDIR" -o nogc.$cc a.$cc.o
    nm nogc.$cc | grep -q unused_function || die "$cc: unused_function dropped without --gc-sections"
    [ "$(stat -c %s gc.$cc.relink)" -lt "$(stat -c %s nogc.$cc)" ] || die "$cc: --gc-sections saved nothing"
    readelf --debug-dump=frames gc.$cc.relink 2>&1 >/dev/null | grep -q . && die "$cc: readelf warns about .eh_frame"
    true
done
"$RELINK" --gc-sections --print-gc-sections -o pgc -e main a.gcc.o --defsym printf=0 2>pgc.err || true
grep -q "removing unused section '.text.unused_function' in file 'a.gcc.o'" pgc.err || die "--print-gc-sections: $(cat pgc.err)"

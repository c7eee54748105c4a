# IFUNC as glibc's static libc uses it: the program's own ifunc and glibc's (memcpy,
# strlen...) go through .iplt entries whose slots glibc's start-up fills from
# .rela.iplt (__rela_iplt_start/end); a function pointer to an ifunc is the same
# everywhere.
. "$(dirname "$0")/common.inc"
cat >a.c <<'EOS'
#include <stdio.h>
#include <string.h>
int twice(int) __attribute__((ifunc("resolve_twice")));
static int impl_a(int x) { return x * 2; }
static int impl_b(int x) { return x + x + 1; }
static int chosen = 1;
static int (*resolve_twice(void))(int) { return chosen ? impl_a : impl_b; }
extern void *memcpy_ptr_b(void);
extern int (*twice_ptr_b(void))(int);
int main(void)
{
    char buf[64];
    memcpy(buf, "ifunc works", 12);
    printf("%s %zu %d\n", buf, strlen(buf), twice(21));
    printf("same memcpy: %d\n", (void *)memcpy == memcpy_ptr_b());
    /* GNU ld gives the resolver's choice a different address in each object of a
     * PIE-compiled static program; relink uses the .iplt entry everywhere. */
    fprintf(stderr, "same twice: %d\n", twice == twice_ptr_b());
    return twice(2);
}
EOS
cat >b.c <<'EOS'
#include <string.h>
extern int twice(int);
void *memcpy_ptr_b(void) { return (void *)memcpy; }
int (*twice_ptr_b(void))(int) { return twice; }
EOS
for cc in $(compilers); do
    for fl in "-O0" "-O2" "-O2 -fno-pie" "-O2 -fPIC -fno-plt"; do
        tag=$(echo "$cc$fl" | tr -c 'a-zA-Z0-9\n' '_')
        $cc $fl -c a.c -o a.$tag.o
        $cc $fl -c b.c -o b.$tag.o
        glibc_link $cc if.$tag a.$tag.o b.$tag.o
        compare "$cc $fl" if.$tag.relink if.$tag.ld
        grep -q 'same twice: 1' if.$tag.relink.err || die "$cc $fl: an ifunc has two addresses"
    done
done
readelf -SW if.gcc_O2.relink | grep -q '.rela.iplt' || die "no .rela.iplt"
readelf -rW if.gcc_O2.relink | grep -q 'IRELATIVE' || die "no IRELATIVE relocations"

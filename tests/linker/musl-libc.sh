# Programs against musl's libc.a with its crt1.o/crti.o/crtn.o: printf, malloc, qsort,
# strtol, __thread, constructors, and two archives whose members reference each other
# in a cycle (resolved by --start-group rescans).
. "$(dirname "$0")/common.inc"
have musl-gcc || skip "musl-gcc is missing (package musl-tools)"
cat >main.c <<'EOS'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static __thread int tcount = 3;
static int ctor_ran;
__attribute__((constructor)) static void init(void) { ctor_ran = 1; }
extern long cyc_a(long);
int main(int argc, char **argv)
{
    const char *words[] = {"pear", "apple", "fig", "banana", "kiwi"};
    char **copy = malloc(sizeof words);
    for (int i = 0; i < 5; i++) copy[i] = strdup(words[i]);
    qsort(copy, 5, sizeof *copy, cmp);
    for (int i = 0; i < 5; i++) printf("%s%c", copy[i], i == 4 ? '\n' : ' ');
    char *end;
    long v = strtol("  -12345xyz", &end, 10);
    printf("strtol: %ld rest=%s\n", v, end);
    printf("hex %#x float %.3f str %-6s| %5d\n", 255, 3.14159, "ab", 42);
    tcount += argc;
    printf("tls %d ctor %d cycle %ld\n", tcount, ctor_ran, cyc_a(5));
    char *big = malloc(1 << 20);
    memset(big, 7, 1 << 20);
    long sum = 0;
    for (int i = 0; i < 1 << 20; i += 4096) sum += big[i];
    printf("sum %ld\n", sum);
    free(big);
    for (int i = 0; i < 5; i++) free(copy[i]);
    free(copy);
    return (int)(v & 0x3f);
}
EOS
cat >cyc_a.c <<'EOS'
extern long cyc_b(long);
long cyc_a(long n) { return n <= 0 ? 0 : n + cyc_b(n - 1); }
EOS
cat >cyc_b.c <<'EOS'
extern long cyc_c(long);
long cyc_b(long n) { return n <= 0 ? 0 : 2 * n + cyc_c(n - 1); }
EOS
cat >cyc_c.c <<'EOS'
extern long cyc_a(long);
long cyc_c(long n) { return n <= 0 ? 0 : 3 * n + cyc_a(n - 1); }
EOS
for o in -O0 -O2 "-O2 -fno-pie" "-O2 -fPIC"; do
    tag=$(echo "$o" | tr -c 'a-zA-Z0-9\n' '_')
    for f in main cyc_a cyc_b cyc_c; do musl-gcc $o -c $f.c -o $f.$tag.o; done
    rm -f liba.$tag.a libbc.$tag.a
    ar rcs liba.$tag.a cyc_a.$tag.o
    ar rcs libbc.$tag.a cyc_b.$tag.o cyc_c.$tag.o
    musl_link m.$tag main.$tag.o --start-group liba.$tag.a libbc.$tag.a --end-group
    compare "musl $o" m.$tag.relink m.$tag.ld
    compare "musl $o (args)" m.$tag.relink m.$tag.ld one two three
done
grep -q 'apple banana fig kiwi pear' m._O2.relink.out || die "wrong output: $(cat m._O2.relink.out)"

# glibc's static libc.a through `gcc -static -B<dir>` (so gcc drives relink as `ld`,
# with every flag collect2 passes): hello world, printf, malloc, errno, qsort, a
# constructor, -lm (a linker script in glibc), and the same with clang.
. "$(dirname "$0")/common.inc"
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || skip "glibc's static libc.a is not installed (libc6-dev)"
cat >hello.c <<'EOS'
#include <stdio.h>
int main(void) { puts("hello, world"); return 0; }
EOS
cat >main.c <<'EOS'
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int order[8], n;
__attribute__((constructor)) static void first(void) { order[n++] = 1; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }
int main(int argc, char **argv)
{
    (void)argv;
    double v[6] = {3.5, -1, 2.25, 10, 0, 7};
    qsort(v, 6, sizeof *v, cmp);
    for (int i = 0; i < 6; i++) printf("%g ", v[i]);
    printf("\nsqrt %.6f pow %.3f\n", sqrt(2.0 + argc), pow(1.5, 3.0));
    errno = 0;
    FILE *f = fopen("/nonexistent/file", "r");
    printf("fopen: %p errno=%d (%s)\n", (void *)f, errno, strerror(errno));
    char *p = malloc(1000);
    snprintf(p, 1000, "%s-%d-%x", "malloc", 123, 0xbeef);
    printf("%s ctor=%d\n", p, order[0]);
    free(p);
    return 42;
}
EOS
for cc in $(compilers); do
    for fl in "-O0" "-O2" "-O2 -fno-pie" "-O2 -g"; do
        tag=$(echo "$cc$fl" | tr -c 'a-zA-Z0-9\n' '_')
        glibc_link $cc h.$tag hello.c
        compare "$cc $fl hello" h.$tag.relink h.$tag.ld
        glibc_link $cc m.$tag $fl main.c -lm
        compare "$cc $fl" m.$tag.relink m.$tag.ld
        compare "$cc $fl (args)" m.$tag.relink m.$tag.ld a b
    done
done
grep -q 'hello, world' h.gcc_O2.relink.out || die "no hello"

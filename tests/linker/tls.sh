# Thread-local storage relaxed to local-exec: LE (-fno-pie), IE (PIE, GOTTPOFF), GD and LD
# (-fPIC, __tls_get_addr sequences, PLT and -fno-plt forms), .tdata and .tbss, TLS in
# several objects, and threads that each see their own copy (musl and glibc).
. "$(dirname "$0")/common.inc"
cat >a.c <<'EOS'
#include <stdio.h>
#include <pthread.h>
__thread long tls_init = 42;          /* .tdata */
__thread char tls_zero[100];          /* .tbss */
static __thread int tls_static = 7;   /* local-dynamic under -fPIC */
extern __thread long tls_other;       /* defined in b.c */
extern long use_b(void);
static void *worker(void *arg)
{
    tls_init += (long)arg;
    tls_static *= 3;
    tls_other = (long)arg;
    return (void *)(tls_init + tls_static + tls_other);
}
int main(void)
{
    tls_zero[99] = 5;
    long sum = tls_init + tls_zero[99] + tls_static + tls_other + use_b();
    printf("main: %ld\n", sum);
    pthread_t t[3];
    for (long i = 0; i < 3; i++) pthread_create(&t[i], 0, worker, (void *)(i + 1));
    for (int i = 0; i < 3; i++) { void *r; pthread_join(t[i], &r); printf("thread %d: %ld\n", i, (long)r); }
    printf("main again: %ld %d %ld\n", tls_init, tls_static, tls_other);
    printf("aligned: %d\n", (int)(((unsigned long)&tls_other) % 64));
    return (int)(sum & 0x7f);
}
EOS
cat >b.c <<'EOS'
__attribute__((aligned(64))) __thread long tls_other = 1000;
static __thread long counter;
long use_b(void) { return ++counter + tls_other; }
EOS
for cc in $(compilers); do
    for fl in "-O0 -fno-pie" "-O2 -fno-pie" "-O0 -fPIE" "-O2 -fPIE" "-O0 -fPIC" "-O2 -fPIC" "-O2 -fPIC -fno-plt"; do
        tag=$(echo "$cc$fl" | tr -c 'a-zA-Z0-9\n' '_')
        if [ $cc = gcc ]; then
            musl-gcc $fl -c a.c -o a.m$tag.o 2>/dev/null || skip "musl-gcc is missing"
            musl-gcc $fl -c b.c -o b.m$tag.o
            musl_link tls.m$tag a.m$tag.o b.m$tag.o
            compare "musl $fl" tls.m$tag.relink tls.m$tag.ld
        fi
        $cc $fl -c a.c -o a.g$tag.o
        $cc $fl -c b.c -o b.g$tag.o
        glibc_link $cc tls.g$tag a.g$tag.o b.g$tag.o -pthread
        compare "glibc $cc $fl" tls.g$tag.relink tls.g$tag.ld
    done
done
objdump -d tls.gclang_O2__fPIC.relink | grep -q '__tls_get_addr>$' && die "a __tls_get_addr call was not relaxed"
true

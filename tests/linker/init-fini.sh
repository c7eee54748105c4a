# Constructors and destructors in priority order: .init_array.N sorted by N before the
# unsuffixed ones (in link order), destructors in reverse; .preinit_array first. Run
# against musl and against glibc (gcc -static).
. "$(dirname "$0")/common.inc"
cat >a.c <<'EOS'
#include <stdio.h>
__attribute__((constructor(300))) static void c300(void) { puts("ctor 300"); }
__attribute__((constructor(101))) static void c101(void) { puts("ctor 101"); }
__attribute__((constructor)) static void c_a(void) { puts("ctor a (default)"); }
__attribute__((destructor(200))) static void d200(void) { puts("dtor 200"); }
__attribute__((destructor)) static void d_a(void) { puts("dtor a"); }
static void pre(void) { puts("preinit"); }
__attribute__((section(".preinit_array"), used)) static void (*pre_p)(void) = pre;
int main(void) { puts("main"); return 7; }
EOS
cat >b.c <<'EOS'
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor(150))) static void c150(void) { puts("ctor 150"); }
__attribute__((constructor)) static void c_b(void) { puts("ctor b (default)"); }
__attribute__((destructor(150))) static void d150(void) { puts("dtor 150"); }
static void at(void) { puts("atexit"); }
__attribute__((constructor(120))) static void reg(void) { atexit(at); }
EOS
for cc in $(compilers); do
    for o in -O0 -O2; do
        tag=$cc$o
        if [ $cc = gcc ]; then
            musl-gcc $o -c a.c -o a.m$tag.o 2>/dev/null || skip "musl-gcc is missing"
            musl-gcc $o -c b.c -o b.m$tag.o
            musl_link ini.m$tag a.m$tag.o b.m$tag.o
            compare "musl $o" ini.m$tag.relink ini.m$tag.ld
        fi
        $cc $o -c a.c -o a.g$tag.o
        $cc $o -c b.c -o b.g$tag.o
        glibc_link $cc ini.g$tag a.g$tag.o b.g$tag.o
        compare "glibc $cc $o" ini.g$tag.relink ini.g$tag.ld
    done
done
# The order itself, not only agreement with ld.
want="preinit ctor 101 ctor 150 ctor 300 ctor a (default) ctor b (default) main atexit dtor a dtor 200 dtor 150 "
got=$(tr '\n' ' ' <ini.ggcc-O2.relink.out)
[ "$got" = "$want" ] || die "order: $got"

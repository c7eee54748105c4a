# GOT-relative code: GOTPCRELX/REX_GOTPCRELX relaxed (mov -> lea, call/jmp through the
# GOT -> direct), forms that keep a GOT slot (add/cmp through the GOT, plain GOTPCREL,
# a local symbol through the GOT), and the large code model (GOTPC64, GOTOFF64, PLTOFF64).
. "$(dirname "$0")/common.inc"
write_sys_h
cat >main.c <<'EOS'
#include "sys.h"
extern long ext_data;
extern long ext_fn(long);
__attribute__((used)) static long local_data = 17;
__attribute__((noinline)) long tail(long x) { return ext_fn(x + 1); }
void _start(void)
{
    long r = ext_data + ext_fn(2) + tail(3) + local_data;
    long via_add = 0, via_local, plain;
    __asm__("add ext_data@GOTPCREL(%%rip), %0" : "+r"(via_add));
    __asm__("movq local_data@GOTPCREL(%%rip), %0" : "=r"(via_local));
    __asm__("movq ext_data@GOTPCREL(%%rip), %0" : "=r"(plain));
    int eq;
    __asm__("xor %%eax, %%eax\n cmp ext_fn@GOTPCREL(%%rip), %1\n sete %%al" : "=a"(eq) : "r"((long)ext_fn));
    putnum(r);
    putnum(via_add == (long)&ext_data);
    putnum(*(long *)via_local);
    putnum(*(long *)plain);
    putnum(eq);
    sys_exit((int)(r & 0x7f));
}
EOS
cat >ext.c <<'EOS'
long ext_data = 1000;
long ext_fn(long x) { return x * 10; }
EOS
build() {
    local fl=$1 tag=$2
    $fl $FREESTANDING -c ext.c -o ext.$tag.o
    for v in "-fPIC" "-fPIC -fno-plt" "-fPIE" "-fPIC -Wa,-mrelax-relocations=no" "-fno-pie"; do
        vt=$(echo "$v" | tr -c 'a-zA-Z0-9\n' '_')
        $fl $FREESTANDING $v -c main.c -o main.$tag$vt.o
        link_both got.$tag$vt main.$tag$vt.o ext.$tag.o
        compare "$fl $v" got.$tag$vt.relink got.$tag$vt.ld
    done
    if [ "${fl%% *}" = gcc ]; then
        $fl $FREESTANDING -mcmodel=large -fPIC -c main.c -o main.$tag.large.o
        $fl $FREESTANDING -mcmodel=large -fPIC -c ext.c -o ext.$tag.large.o
        link_both got.$tag.large main.$tag.large.o ext.$tag.large.o
        compare "$fl large model" got.$tag.large.relink got.$tag.large.ld
    fi
}
each_flavour build
# The relaxations happened: no call through memory to ext_fn in the -fno-plt build.
objdump -d got.gcc__O2_fPIC__fno_plt.relink | grep -q 'call.*\*.*ext_fn' && die "call through the GOT not relaxed"
readelf -rW main.gcc__O2_fPIC__fno_plt.o | grep -q 'R_X86_64_GOTPCRELX' || die "test object has no GOTPCRELX"
true

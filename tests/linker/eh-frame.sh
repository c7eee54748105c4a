# .eh_frame stays correct: _Unwind_Backtrace walks through the program's frames (found
# through .eh_frame_hdr and PT_GNU_EH_FRAME, or the registered frames), the header's
# table is sorted and complete, and readelf reads every record. (glibc only: Debian's
# libgcc_eh needs glibc's _dl_find_object.)
. "$(dirname "$0")/common.inc"
cat >a.c <<'EOS'
#include <stdio.h>
#include <unwind.h>
static int depth;
static _Unwind_Reason_Code step(struct _Unwind_Context *c, void *arg)
{
    (void)c; (void)arg;
    depth++;
    return _URC_NO_REASON;
}
extern int level1(int);
__attribute__((noinline)) int level3(int n) { _Unwind_Backtrace(step, 0); return n + depth; }
int main(void)
{
    int r = level1(1);
    printf("frames >= 5: %d\n", depth >= 5);
    return r > 0 ? 0 : 1;
}
EOS
cat >b.c <<'EOS'
extern int level3(int);
__attribute__((noinline)) int level2(int n) { int r = level3(n + 1); __asm__ volatile("" ::: "memory"); return r + 1; }
__attribute__((noinline)) int level1(int n) { int r = level2(n + 1); __asm__ volatile("" ::: "memory"); return r + 1; }
EOS
for cc in $(compilers); do
    for fl in "-O0" "-O2" "-O2 -fno-pie" "-O2 -fPIC"; do
        tag=$(echo "$cc$fl" | tr -c 'a-zA-Z0-9\n' '_')
        $cc $fl -fno-omit-frame-pointer -c a.c -o a.$tag.o
        $cc $fl -c b.c -o b.$tag.o
        glibc_link $cc eh.$tag a.$tag.o b.$tag.o
        compare "$cc $fl" eh.$tag.relink eh.$tag.ld
        grep -q 'frames >= 5: 1' eh.$tag.relink.out || die "$cc $fl: the unwinder did not get through"
    done
done
b=eh.gcc_O2.relink
readelf -lW $b | grep -q GNU_EH_FRAME || die "no PT_GNU_EH_FRAME"
readelf --debug-dump=frames $b >frames.txt 2>frames.err
[ ! -s frames.err ] || { cat frames.err; die "readelf complains about .eh_frame"; }
# Every FDE is in the header's table, sorted: compare with a table rebuilt from readelf.
python3 - "$b" <<'EOP' || die ".eh_frame_hdr table is wrong"
import struct, subprocess, sys, re
path = sys.argv[1]
data = open(path, 'rb').read()
out = subprocess.run(['readelf', '-SW', path], capture_output=True, text=True).stdout
sec = {}
for m in re.finditer(r'\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)', out):
    sec[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16), int(m.group(4), 16))
haddr, hoff, hsize = sec['.eh_frame_hdr']
ver, ptr_enc, cnt_enc, tab_enc = data[hoff:hoff+4]
assert (ver, ptr_enc, cnt_enc, tab_enc) == (1, 0x1b, 0x03, 0x3b), (ver, ptr_enc, cnt_enc, tab_enc)
count = struct.unpack_from('<I', data, hoff + 8)[0]
pcs = [struct.unpack_from('<i', data, hoff + 12 + 8*i)[0] + haddr for i in range(count)]
assert pcs == sorted(pcs), "not sorted"
frames = subprocess.run(['readelf', '--debug-dump=frames', path], capture_output=True, text=True).stdout
fdes = sorted(int(m.group(1), 16) for m in re.finditer(r'FDE cie=\S+ pc=([0-9a-f]+)\.\.', frames))
assert fdes == pcs, (len(fdes), len(pcs))
EOP

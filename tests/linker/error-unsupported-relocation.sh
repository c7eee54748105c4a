# A relocation relink does not implement is an error naming it, the symbol and the
# site: TLS descriptors (-mtls-dialect=gnu2) and a relocation type with no name.
. "$(dirname "$0")/common.inc"
cat >a.c <<'EOS'
__thread int tv;
int get(void) { return tv; }
void _start(void) { for (;;) get(); }
EOS
gcc -O2 -fPIC -mtls-dialect=gnu2 -c a.c -o a.o
expect_error tlsdesc 'relink: error: unsupported relocation R_X86_64_GOTPC32_TLSDESC against `tv`' a.o
grep -q '>>> at a.o:(.text+0x' tlsdesc.stderr || die "the site is not named"
# Patch the type of a relocation to 200 (no such type).
gcc -O2 -c a.c -o b.o -fno-pie
python3 - <<'EOP'
import struct
d = bytearray(open('b.o', 'rb').read())
shoff, = struct.unpack_from('<Q', d, 0x28)
shnum, = struct.unpack_from('<H', d, 0x3c)
for i in range(shnum):
    sh = shoff + i * 64
    if struct.unpack_from('<I', d, sh + 4)[0] == 4:   # SHT_RELA
        off, = struct.unpack_from('<Q', d, sh + 24)
        info, = struct.unpack_from('<Q', d, off + 8)
        struct.pack_into('<Q', d, off + 8, (info & ~0xffffffff) | 200)
        break
open('b.o', 'wb').write(d)
EOP
expect_error unknown 'unsupported relocation relocation type 200 against' b.o

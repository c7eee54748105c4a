# Truncated or corrupt input is a clear error naming the file (exit 1), never a crash:
# empty files, garbage, truncated objects and archives, and a few thousand mutated
# objects and archives (every failure must be an exit status of 0 or 1, no signal).
. "$(dirname "$0")/common.inc"
write_sys_h
cat >a.c <<'EOS'
#include "sys.h"
__thread int t = 1;
static int table[] = {1, 2, 3};
int g(int i) { switch (i) { case 0: return 4; case 1: return 7; case 2: return 9; case 3: return 1; default: return table[i & 1]; } }
void _start(void) { put("x\n"); sys_exit(g(t)); }
EOS
gcc $FREESTANDING -O2 -g -c a.c -o a.o
ar rcs liba.a a.o
: >empty.o
expect_error empty '`empty.o`: file is empty' empty.o
printf 'this is not an object at all\0\1\2' >garbage.o
expect_error garbage '`garbage.o`: unknown file type' garbage.o
head -c 40 a.o >short.o
expect_error short '`short.o`: truncated or corrupt' short.o
size=$(stat -c %s a.o)
head -c $((size - 100)) a.o >cut.o
expect_error cut '`cut.o`: truncated or corrupt' cut.o
asize=$(stat -c %s liba.a)
head -c $((asize - 50)) liba.a >cut.a
expect_error cutar 'cut.a' -u _start cut.a
# Mutations: each must end in exit 0 or 1 with no signal.
RELINK=$RELINK python3 - <<'EOP' || die "relink crashed on a mutated input"
import os, random, struct, subprocess, sys
relink = os.environ['RELINK']
rng = random.Random(1234)
def sections(d):
    shoff, = struct.unpack_from('<Q', d, 0x28)
    shnum, = struct.unpack_from('<H', d, 0x3c)
    out = []
    for i in range(1, shnum):
        off, size = struct.unpack_from('<QQ', d, shoff + i * 64 + 24)
        if size and struct.unpack_from('<I', d, shoff + i * 64 + 4)[0] != 8:
            out.append((off, size))
    return out
secs = sections(open('a.o', 'rb').read())
for name in ['a.o', 'liba.a']:
    orig = bytearray(open(name, 'rb').read())
    base = 0 if name == 'a.o' else orig.find(b'\x7fELF')
    for i in range(1500):
        d = bytearray(orig)
        kind = i % 4
        if kind == 3:       # bytes inside one section (.eh_frame, relocations, symbols...)
            off, size = rng.choice(secs)
            for _ in range(rng.randrange(1, 4)):
                d[base + off + rng.randrange(size)] = rng.randrange(256)
        if kind == 0:       # truncate
            d = d[:rng.randrange(len(d))]
        elif kind == 1:     # flip bytes in the headers and tables
            for _ in range(rng.randrange(1, 8)):
                d[rng.randrange(min(len(d), 4096) if rng.random() < .5 else len(d))] = rng.randrange(256)
        elif kind == 2:     # overwrite a 64-bit field with a large value
            off = rng.randrange(0, len(d) - 8)
            d[off:off+8] = rng.choice([b'\xff'*8, b'\x00\x00\x00\x80\x00\x00\x00\x00', b'\xff\xff\xff\x7f\x00\x00\x00\x00'])
        path = 'mut' + os.path.splitext(name)[1]
        open(path, 'wb').write(d)
        args = [relink, '-o', 'mut.out', path] if name.endswith('.o') else [relink, '-o', 'mut.out', '-u', '_start', path]
        r = subprocess.run(args, capture_output=True, timeout=20)
        if r.returncode not in (0, 1) or b'Sanitizer' in r.stderr or b'runtime error' in r.stderr:
            open('crash' + os.path.splitext(name)[1], 'wb').write(d)
            print('exit', r.returncode, 'on mutation', i, 'of', name, r.stderr.decode()[-500:])
            sys.exit(1)
        if r.returncode == 1 and b'relink: error: ' not in r.stderr:
            print('exit 1 without an error message on mutation', i, 'of', name)
            sys.exit(1)
EOP

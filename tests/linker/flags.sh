# GNU ld's flags, honoured: -e/--entry, -s, -S, -x, -t, --build-id styles, --defsym,
# -Ttext-segment, -z execstack/noexecstack, -z norelro, --no-eh-frame-hdr, @file, and
# the flags gcc passes (-plugin..., --hash-style, --as-needed...), accepted.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >a.c <<'EOS'
#include "sys.h"
extern char defsym_target[];
int value = 3;
void other_entry(void) { put("other entry\n"); sys_exit(9); }
void _start(void) { put("start\n"); sys_exit(value + *(volatile int *)defsym_target); }
EOS
gcc $FREESTANDING -O2 -g -c a.c -o a.o
R() { "$RELINK" "$@" || die "relink $*"; }
R a.o -o base --defsym defsym_target=value
st=0; ./base >/dev/null || st=$?; [ $st = 6 ] || die "--defsym alias: exit $st"
R a.o -o e1 -e other_entry --defsym defsym_target=value+0
R a.o -o e2 --entry=other_entry --defsym=defsym_target=value
for b in e1 e2; do st=0; out=$(./$b) || st=$?; [ "$out/$st" = "other entry/9" ] || die "$b: $out/$st"; done
R a.o -o s -s --defsym defsym_target=value+0
readelf -SW s | grep -q '\.symtab' && die "-s kept .symtab"
R a.o -o S -S --defsym defsym_target=value+0
readelf -SW S | grep -q '\.debug' && die "-S kept debug sections"
readelf -SW base | grep -q '\.debug_info' || die "debug sections are missing without -S"
R a.o -o x -x --defsym defsym_target=value+0
nm x | grep -q ' [tdb] ' && die "-x kept local symbols"
R -t a.o -o t --defsym defsym_target=value+0 >trace.txt
grep -q '^a.o$' trace.txt || die "-t did not print a.o"
for style in "" "=sha1" "=md5" "=uuid" "=0xdeadbeef"; do
    R a.o -o b$style --build-id$style --defsym defsym_target=value+0
    readelf -n b$style | grep -q 'Build ID' || die "--build-id$style: no note"
done
readelf -n b=0xdeadbeef | grep -q 'Build ID: deadbeef' || die "--build-id=0x: wrong bytes"
[ "$(readelf -n b=md5 | grep -o 'Build ID: [0-9a-f]*' | wc -c)" = 43 ] || die "md5 build-id is not 16 bytes"
R a.o -o tt -Ttext-segment=0x800000 --defsym defsym_target=value+0
readelf -lW tt | grep -q 'LOAD.*0x0000000000800000' || die "-Ttext-segment ignored"
./tt >/dev/null || true
R a.o -o xs -z execstack --defsym defsym_target=value+0
readelf -lW xs | grep GNU_STACK | grep -q RWE || die "-z execstack ignored"
R a.o -o nxs -z noexecstack --defsym defsym_target=value+0
readelf -lW nxs | grep GNU_STACK | grep -q RWE && die "-z noexecstack ignored"
R a.o -o nehf --no-eh-frame-hdr --defsym defsym_target=value+0
readelf -lW nehf | grep -q GNU_EH_FRAME && die "--no-eh-frame-hdr ignored"
echo "a.o -o resp --defsym defsym_target=value" >args.rsp
R @args.rsp
cmp -s resp base || die "@file: output differs"
# What collect2 passes for gcc -static, accepted as is.
R -plugin /usr/lib/gcc/x86_64-linux-gnu/12/liblto_plugin.so -plugin-opt=-fresolution=/tmp/x.res \
  -plugin-opt=-pass-through=-lgcc --build-id -m elf_x86_64 --hash-style=gnu --as-needed -static \
  -z relro -z now -O1 --sort-common --no-undefined -o gccflags a.o --defsym defsym_target=value+0
./gccflags >/dev/null || true
# An object without .note.GNU-stack makes the stack executable, with a warning, as
# GNU ld does; -z noexecstack overrides it.
printf '.text\n.globl nonote\nnonote: ret\n' >nonote.s
as nonote.s -o nonote.o
"$RELINK" a.o nonote.o -o ns --defsym defsym_target=value 2>ns.err || die "link failed"
grep -q "nonote.o\`: missing .note.GNU-stack section implies executable stack" ns.err || die "no warning: $(cat ns.err)"
ld a.o nonote.o -o ns.ld --defsym defsym_target=value 2>/dev/null
[ "$(readelf -lW ns | grep GNU_STACK | awk '{print $7}')" = "$(readelf -lW ns.ld | grep GNU_STACK | awk '{print $7}')" ] ||
    die "PT_GNU_STACK differs from GNU ld's"
"$RELINK" -z noexecstack a.o nonote.o -o ns2 --defsym defsym_target=value 2>ns2.err
readelf -lW ns2 | grep GNU_STACK | grep -q RWE && die "-z noexecstack did not win"
[ ! -s ns2.err ] || die "warned under -z noexecstack"
true

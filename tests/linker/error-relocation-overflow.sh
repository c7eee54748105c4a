# A relocation whose value does not fit is an error naming the relocation, the
# symbol and the site.
. "$(dirname "$0")/common.inc"
cat >a.c <<'EOS'
extern void far_away(void);
extern char far_data[];
void _start(void) { far_away(); }
long get(void) { return (long)&far_data[0]; }
EOS
gcc $FREESTANDING -O2 -fno-pie -mcmodel=small -c a.c -o a.o
expect_error far 'relocation R_X86_64_PLT32 out of range' a.o --defsym far_away=0x7fff00000000 --defsym far_data=0x1000
grep -q 'references `far_away`' far.stderr || die "the symbol is not named"
grep -q '>>> at a.o:(.text' far.stderr || die "the site is not named"
expect_error far32 'relocation R_X86_64_32 out of range' a.o --defsym far_away=0x401000 --defsym far_data=0x100000000

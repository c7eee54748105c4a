# An undefined symbol is an error naming the symbol and every object and section that
# references it; exit status 1; an undefined weak reference is not an error.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >a.c <<'EOS'
extern int missing_fn(void);
__attribute__((weak)) extern int weak_missing(void);
void _start(void) { missing_fn(); if (weak_missing) weak_missing(); for (;;) ; }
EOS
cat >b.c <<'EOS'
extern int missing_fn(void);
extern int missing_data;
__attribute__((section(".text.other"))) int other(void) { return missing_fn() + missing_data; }
int third(void) { return missing_data; }
EOS
gcc $FREESTANDING -O2 -c a.c -o a.o
gcc $FREESTANDING -O2 -c b.c -o b.o
expect_error undef 'relink: error: undefined symbol: missing_fn' a.o b.o -o out
grep -q '>>> referenced by a.o:(.text' undef.stderr || die "a.o's reference is not named"
grep -q '>>> referenced by b.o:(.text.other' undef.stderr || die "b.o's .text.other is not named"
grep -q 'relink: error: undefined symbol: missing_data' undef.stderr || die "missing_data not reported"
n=$(grep -c '>>> referenced by b.o:(.text+' undef.stderr)
[ "$n" = 1 ] || die "b.o's .text listed $n times for missing_data"
grep -q weak_missing undef.stderr && die "an undefined weak symbol was reported"
[ ! -e out ] || die "an output was written"
true

# A .gnu.warning.<symbol> section prints its text when the symbol is used, naming the
# first use, as GNU ld does (glibc marks gets this way); an unused one says nothing.
. "$(dirname "$0")/common.inc"
write_sys_h
cat >lib.c <<'EOS'
int old_api(void) { return 4; }
int other(void) { return 5; }
__attribute__((section(".gnu.warning.old_api"), used)) static const char warn_old[] = "old_api is deprecated; use new_api";
EOS
cat >main.c <<'EOS'
#include "sys.h"
extern int old_api(void);
void _start(void) { sys_exit(old_api()); }
EOS
cat >quiet.c <<'EOS'
#include "sys.h"
extern int other(void);
void _start(void) { sys_exit(other()); }
EOS
for f in lib main quiet; do gcc $FREESTANDING -O2 -c $f.c -o $f.o; done
"$RELINK" main.o lib.o -o a 2>a.err || die "link failed"
grep -q 'relink: warning: old_api is deprecated; use new_api' a.err || die "no warning: $(cat a.err)"
grep -q '>>> referenced by main.o:(.text' a.err || die "the use is not named: $(cat a.err)"
"$RELINK" quiet.o lib.o -o b 2>b.err || die "link failed"
[ ! -s b.err ] || die "warned without a use: $(cat b.err)"
expect_error fatal 'warnings are fatal' --fatal-warnings main.o lib.o -o c

# Incremental: a static glibc program (libc.a members, IFUNCs through .iplt, TLS,
# .eh_frame from libgcc, --build-id as gcc passes it) edited and patched in place,
# each step compared with gcc -static's GNU ld link.
. "$(dirname "$0")/common.inc"
[ -f "$(gcc -print-file-name=libc.a)" ] && [ "$(gcc -print-file-name=libc.a)" != libc.a ] || skip "glibc's libc.a is not installed"
cat >main.c <<'EOS'
#include <stdio.h>
#include <string.h>
__thread int tls_count = 3;
extern int work(const char *);
extern const char *label(void);
int main(void)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s:%d", label(), work("incremental"));
    tls_count += (int)strlen(buf);
    printf("%s %d\n", buf, tls_count);
    return 0;
}
EOS
gen() {
    {
        echo '#include <string.h>'
        echo '#include <stdio.h>'
        echo "const char *label(void) { return \"$2\"; }"
        echo 'int work(const char *s) {'
        echo "    int n = (int)strlen(s) * $1;"
        for i in $(seq 1 "$3"); do echo "    n = n * 3 + (s[$i % 5] ^ $i);"; done
        echo '    return n;'
        echo '}'
        if [ "$4" ]; then echo 'int extra(int x) { char b[16]; return snprintf(b, sizeof b, "%d", x); }'; fi
    } >work.c
}
step() {
    gcc -O1 -c work.c -o work.o || die "gcc failed"
    gcc -static -B"$BDIR" -Wl,--incremental -Wl,--verify -Wl,--stats -o app main.o work.o 2>app.log ||
        { cat app.log; die "relink failed"; }
    gcc -static -o app.ld main.o work.o || die "gcc -static (ld) failed"
    compare "$1" app app.ld
    if grep -q "^relink: full link: " app.log; then RESULT="full: $(sed -n 's/^relink: full link: //p' app.log)"; else RESULT=patched; fi
}
gcc -O1 -c main.c -o main.o || die "gcc failed"
gen 2 "first" 1 ""
step "first link"
case "$RESULT" in "full: no incremental state"*) ;; *) die "first link: $RESULT" ;; esac
gen 3 "first" 1 ""
step "same size"
[ "$RESULT" = patched ] || die "same size: $RESULT"
gen 3 "a longer label than before" 60 ""
step "grown"
[ "$RESULT" = patched ] || die "grown: $RESULT"
gen 5 "label" 2 yes
step "a function added"
[ "$RESULT" = patched ] || die "a function added: $RESULT"
readelf -n app | grep -q "Build ID" || die "no build-id note"
# Recompiled to the same bytes (a new mtime): nothing to write, the build-id stays.
id=$(readelf -n app | sed -n 's/.*Build ID: //p')
touch work.c
step "recompiled, same bytes"
[ "$RESULT" = patched ] || die "recompiled: $RESULT"
grep -q "^relink: patched 0 sections" app.log || { cat app.log; die "recompiled: something was written"; }
[ "$(readelf -n app | sed -n 's/.*Build ID: //p')" = "$id" ] || die "recompiled: the build-id changed"

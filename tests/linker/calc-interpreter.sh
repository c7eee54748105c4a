# A real multi-file program (programs/calc: a scripting-language interpreter of about
# 2,800 lines in 7 files) built with gcc and clang at -O0/-O2, PIE and not, linked
# against glibc (gcc -static -B) and musl, with relink and with GNU ld; every script in
# programs/calc/scripts runs the same under both (stdout and exit status).
. "$(dirname "$0")/common.inc"
SRC=$ROOT/tests/linker/programs/calc
variants() {
    echo "gcc -O0"
    echo "gcc -O2 -fno-pie"
    if have clang; then echo "clang -O2"; fi
}
while read -r cc fl; do
    tag=$(echo "$cc$fl" | tr -c 'a-zA-Z0-9\n' '_')
    objs=()
    for f in "$SRC"/*.c; do
        o=$(basename "$f" .c).$tag.o
        $cc $fl -I"$SRC" -c "$f" -o "$o"
        objs+=("$o")
    done
    rm -f libcalc.$tag.a
    ar rcs libcalc.$tag.a "${objs[@]:1}"   # all but builtins.o in an archive
    glibc_link $cc calc.$tag "${objs[0]}" libcalc.$tag.a -lm
    for s in "$SRC"/scripts/*.calc; do
        compare "$cc $fl glibc $(basename "$s")" calc.$tag.relink calc.$tag.ld "$s"
    done
    if [ "$cc" = gcc ] && [ "$fl" = -O0 ] && have musl-gcc; then
        mobjs=()
        for f in "$SRC"/*.c; do
            o=$(basename "$f" .c).m$tag.o
            musl-gcc $fl -I"$SRC" -c "$f" -o "$o"
            mobjs+=("$o")
        done
        musl_link calcm.$tag "${mobjs[@]}"
        for s in "$SRC"/scripts/*.calc; do
            compare "musl $fl $(basename "$s")" calcm.$tag.relink calcm.$tag.ld "$s"
        done
    fi
done < <(variants)
# The scripts really ran: known results.
./calc.gcc_O0.relink "$SRC/scripts/algorithms.calc" | grep -q 'fib(1000) mod p = 517691607' || die "unexpected output"
./calc.gcc_O0.relink "$SRC/scripts/errors.calc" >/dev/null 2>err.txt && die "errors.calc did not fail"
grep -q 'index 10 out of range' err.txt || die "errors.calc: $(cat err.txt)"

# tests/backend/cache.sh — the code cache's oracle (cg_build), sourced by tests/backend/run
# (which sets DRIVER, LD, RT_OBJS, tmp and the helpers of tests/lib.sh and
# tests/programs/lib.sh).
#
# After every edit, a build through a warm cache (the crate's pack and the objects of the
# builds before it) must write objects byte-identical to a clean build (no cache, fresh
# directory), and regenerate exactly the pieces the edit concerns: more would be a
# wasted build, fewer a wrong one that the byte comparison alone may miss when the
# stale piece happens to be right.
#   1. a fixed sample of tests/programs (every program with its own directory, every
#      fifth of the others in name order; a lib.rs crate instead of the bin when there
#      is one): a cold cache compiles everything; a second build reuses everything and
#      rewrites neither an object nor the pack; a comment line at the top reuses
#      everything; a function appended is the only piece compiled; removing it compiles
#      nothing.
#   2. a three-module crate through a series of edits, each naming the pieces it must
#      compile: a body, a callee's signature, a struct's field, lines shifted (only
#      location sections change, and the linked program's panic reports the new line),
#      a function added and called and removed, a module added; a build that reuses
#      every piece leaves the pack file alone (same inode and time); then a damaged
#      pack (a flipped byte, a truncation, an empty file, another build's) has every
#      piece compiled again with the reason, with the same objects; a pack that cannot
#      be written is a warning, not a failed build.

# cg DIR OUT NAME [ARGS...]: compiles DIR/src/main.rs (DIR/src/lib.rs with --lib) into
# DIR/OUT; the objects' names go to DIR/OUT.list, diagnostics to DIR/OUT.log.
cg() {
    local dir=$1 out=$2 name=$3 root=src/main.rs
    shift 3
    [[ " $* " == *" --lib "* ]] && root=src/lib.rs
    mkdir -p "$dir/$out"
    (cd "$dir" && "$DRIVER" --name "$name" --display "$root" "$@" "$root" "$out") 2>"$dir/$out.log" |
        sed "s|^$out/||" >"$dir/$out.list"
    [ "${PIPESTATUS[0]}" -eq 0 ]
}

# oracle DIR NAME [ARGS...]: a clean build into DIR/clean and a cached one into DIR/obj
# (pack DIR/cache/crate.cgpack, report DIR/report); fails, saying why, unless both wrote
# the same objects with the same bytes.
oracle() {
    local dir=$1 name=$2 f
    shift 2
    rm -rf "$dir/clean"
    if ! cg "$dir" clean "$name" "$@"; then
        echo "    the clean build failed:"
        head -10 "$dir/clean.log" | sed 's/^/    /'
        return 1
    fi
    if ! cg "$dir" obj "$name" --cache "$dir/cache/crate.cgpack" --report "$dir/report" "$@"; then
        echo "    the cached build failed:"
        head -10 "$dir/obj.log" | sed 's/^/    /'
        return 1
    fi
    if ! cmp -s "$dir/clean.list" "$dir/obj.list"; then
        echo "    not the same objects: $(paste -sd' ' "$dir/clean.list") / $(paste -sd' ' "$dir/obj.list")"
        return 1
    fi
    while read -r f; do
        if ! cmp "$dir/clean/$f" "$dir/obj/$f" >"$dir/cmp.out" 2>&1; then
            sed 's/^/    /' "$dir/cmp.out"
            return 1
        fi
    done <"$dir/clean.list"
}

# report_field DIR WHAT: the names (field 2) of DIR/report's lines of kind WHAT
# (compiled, reused, written, unchanged, pack), sorted, separated by " | ".
report_field() {
    awk -F'\t' -v k="$2" '$1 == k {print $2}' "$1/report" | LC_ALL=C sort | paste -sd'|' | sed 's/|/ | /g'
}

# step DIR NAME WHAT WANT [ARGS...]: the oracle after edit WHAT, which must compile
# exactly the pieces WANT (report_field's form). Passes or fails one case.
step() {
    local dir=$1 name=$2 what=$3 want=$4 out got
    shift 4
    if ! out=$(oracle "$dir" "$name" "$@"); then
        fail "code cache, $what: the objects are not a clean build's"
        printf '%s\n' "$out"
    elif got=$(report_field "$dir" compiled) && [ "$got" != "$want" ]; then
        fail "code cache, $what: compiled the wrong pieces"
        printf '    want: %s\n    got:  %s\n' "$want" "$got"
    else
        pass "code cache, $what"
    fi
}

# ---------------------------------------------------------------- 1. the program corpus

# corpus_program NAME: section 1 on one program; prints what went wrong, returns 1 then.
corpus_program() {
    local name=$1 dir=$tmp/cache/$1 file args=() got
    make_package "$name" "$dir" >/dev/null
    file=$dir/src/main.rs
    if [ -e "$dir/src/lib.rs" ]; then
        file=$dir/src/lib.rs
        args=(--lib)
    fi
    oracle "$dir" "$name" "${args[@]}" || return 1
    if [ -n "$(report_field "$dir" reused)" ]; then
        echo "    a cold cache reused: $(report_field "$dir" reused)"
        return 1
    fi
    if [ "$(report_field "$dir" pack)" != written ]; then
        echo "    a cold cache did not write the pack: $(report_field "$dir" pack)"
        return 1
    fi
    oracle "$dir" "$name" "${args[@]}" || return 1
    if [ -n "$(report_field "$dir" compiled)$(report_field "$dir" written)" ] ||
        [ "$(report_field "$dir" pack)" != unchanged ]; then
        echo "    nothing changed, yet it compiled: $(report_field "$dir" compiled);" \
            "wrote: $(report_field "$dir" written); pack: $(report_field "$dir" pack)"
        return 1
    fi
    { echo "// a comment line added at the top"; cat "$file"; } >"$file.new" && mv "$file.new" "$file"
    oracle "$dir" "$name" "${args[@]}" || return 1
    got=$(report_field "$dir" compiled)
    if [ -n "$got" ]; then
        echo "    a comment line at the top compiled: $got"
        return 1
    fi
    cp "$file" "$file.orig"
    printf '\n#[allow(dead_code)]\nfn ws_cache_probe(x: u32) -> u32 {\n    x + 7\n}\n' >>"$file"
    oracle "$dir" "$name" "${args[@]}" || return 1
    got=$(report_field "$dir" compiled)
    if [ "$got" != ws_cache_probe ]; then
        echo "    a function appended compiled: $got (want: ws_cache_probe)"
        return 1
    fi
    mv "$file.orig" "$file"
    oracle "$dir" "$name" "${args[@]}" || return 1
    got=$(report_field "$dir" compiled)
    if [ -n "$got" ]; then
        echo "    the function removed again compiled: $got"
        return 1
    fi
}

# corpus_sample: the programs of section 1 (see the top), one a line.
corpus_sample() {
    local name i=0
    for name in $(PROGRAMS=$ROOT/tests/programs program_names); do
        if [ -d "$ROOT/tests/programs/$name" ]; then
            echo "$name"
        else
            [ $((i % 5)) -eq 0 ] && echo "$name"
            i=$((i + 1))
        fi
    done
}

corpus_failed=0
corpus_count=0
source "$ROOT/tests/programs/lib.sh"
for name in $(corpus_sample); do
    corpus_count=$((corpus_count + 1))
    if ! out=$(PROGRAMS=$ROOT/tests/programs corpus_program "$name"); then
        fail "code cache oracle on program $name"
        printf '%s\n' "$out"
        corpus_failed=$((corpus_failed + 1))
    fi
    rm -rf "$tmp/cache/$name"
done
if [ "$corpus_count" -lt 30 ]; then
    fail "code cache oracle: only $corpus_count programs sampled from tests/programs"
elif [ "$corpus_failed" -eq 0 ]; then
    pass "code cache oracle on $corpus_count sampled programs (cold, warm, comment, function added and removed)"
fi

# ---------------------------------------------------------------- 2. a crate through edits

app=$tmp/cache/app
mkdir -p "$app/src"
cat >"$app/src/main.rs" <<'EOF'
mod geom;
mod util;

const LIMIT: u32 = 10;
const TABLE: [u32; 3] = [3, 5, 7];
static GREETING: &str = "hello";

fn helper(x: u32) -> u32 {
    x + TABLE[1]
}

fn main() {
    let p = geom::Point::new(3, 4);
    let q = geom::origin();
    println!("{} {:?} {}", GREETING, p, p == q);
    println!("{} {}", p.sum(), helper(LIMIT));
    println!("{} {}", util::halve(10), util::caller());
    let v = [1, 2, 3];
    println!("{}", util::pick(&v, helper(LIMIT) as usize - 12));
}
EOF
cat >"$app/src/geom.rs" <<'EOF'
#[derive(Debug, PartialEq, Clone, Copy)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

impl Point {
    pub fn new(x: i32, y: i32) -> Point {
        Point { x, y }
    }

    pub fn sum(&self) -> i32 {
        self.x + self.y
    }
}

pub fn origin() -> Point {
    Point::new(0, 0)
}
EOF
cat >"$app/src/util.rs" <<'EOF'
pub fn halve(x: i32) -> i32 {
    if x < 0 {
        panic!("negative: {}", x);
    }
    x / 2
}

pub fn twice(x: i32) -> i32 {
    x * 2
}

pub fn caller() -> i32 {
    twice(3) + 1
}

pub fn pick(v: &[i32], i: usize) -> i32 {
    v[i]
}
EOF

# edit FILE SED-SCRIPT: edits a file of the crate in place.
edit() { sed -i "$2" "$app/src/$1"; }

# sections OBJ: "name hexbytes" for every section of object OBJ with contents.
sections() {
    local obj=$1 s
    for s in $(readelf -SW "$obj" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) *\(PROGBITS\|RELA\) .*/\1/p'); do
        printf '%s %s\n' "$s" "$(readelf -x "$s" "$obj" | sed -n 's/^  0x[0-9a-f]* \(.\{35\}\).*/\1/p' | tr -d ' \n')"
    done
}

# panic_line: links DIR's warm objects, runs the program, prints where it panicked.
panic_line() {
    local objs
    objs=$(sed "s|^|$app/obj/|" "$app/obj.list")
    "$LD" -static -o "$app/prog" $objs "${RT_OBJS[@]}" || return 1
    run_program "$app/prog" "$app" "$app/result"
    sed -n "s/^thread 'main' (TID) panicked at \(.*\):$/\1/p" "$app/result.err"
}

all_pieces="<geom::Point as Debug>::fmt | <geom::Point as PartialEq>::eq | GREETING | LIMIT | TABLE"
all_pieces+=" | geom::Point::new | geom::Point::sum | geom::origin | helper | main | main (entry point)"
all_pieces+=" | util::caller | util::halve | util::pick | util::twice"
step "$app" app "a cold cache" "$all_pieces"
have_link=
if have "$LD" && have readelf; then
    have_link=1
    check "code cache: the program panics where rustc's would" \
        test "$(panic_line)" = "src/util.rs:17:5"
else
    skip "code cache: panic lines of a linked program: $LD or readelf is not there"
fi
step "$app" app "nothing changed" ""
check "code cache: nothing changed, no object rewritten" test -z "$(report_field "$app" written)"

edit util.rs 's/x \* 2/x * 3/'
step "$app" app "one body changed" "util::twice"
check "code cache: one body changed, only its module's object rewritten" \
    test "$(report_field "$app" written)" = util.o

edit util.rs 's/pub fn twice(x: i32) -> i32 {/pub fn twice(x: i64) -> i32 {/; s/    x \* 3/    x as i32 * 3/'
step "$app" app "a callee's signature changed" "util::caller | util::twice"

edit geom.rs 's/    pub y: i32,/    pub y: i32,\n    pub z: i32,/; s/Point { x, y }/Point { x, y, z: 0 }/'
step "$app" app "a struct's field added" \
    "<geom::Point as Debug>::fmt | <geom::Point as PartialEq>::eq | geom::Point::new | geom::Point::sum | geom::origin | main"

if [ -n "$have_link" ]; then
    for f in crate.o geom.o util.o; do sections "$app/obj/$f" >"$app/$f.before"; done
fi
edit main.rs '1i // a comment line at the top'
edit util.rs '1i\\'
edit geom.rs '1i\\'
step "$app" app "lines shifted in every file" ""
if [ -n "$have_link" ]; then
    for f in crate.o geom.o util.o; do
        sections "$app/obj/$f" >"$app/$f.after"
        # "name hexbytes" lines that differ, by section name
        changed=$(diff "$app/$f.before" "$app/$f.after" | sed -n 's/^[<>] \([^ ]*\) .*/\1/p' | sort -u)
        if [ -z "$changed" ]; then
            fail "code cache, lines shifted: $f did not change"
        elif bad=$(printf '%s\n' "$changed" | grep -v '^\.rodata\..*\.loc$'); then
            fail "code cache, lines shifted: sections of $f other than locations changed:" $bad
        else
            pass "code cache, lines shifted: only the location sections of $f changed"
        fi
    done
    check "code cache: after lines shifted, the panic reports its new line" \
        test "$(panic_line)" = "src/util.rs:18:5"
fi

edit util.rs '/^pub fn halve/i pub fn triple(x: i32) -> i32 {\n    x * 3\n}\n'
step "$app" app "a function added before others" "util::triple"
edit main.rs 's/^    let v = \[1, 2, 3\];/    println!("{}", util::triple(2));\n&/'
step "$app" app "the new function called" "main"
edit main.rs '/util::triple/d'
edit util.rs '/^pub fn triple/,/^$/d'
# the pack holds the last build's pieces only: main's code from before the call is gone
step "$app" app "the function and its call removed" "main"

edit main.rs 's/^mod util;/&\nmod extra;/; s/^    let v = \[1, 2, 3\];/    println!("{}", extra::five());\n&/'
printf 'pub fn five() -> u32 {\n    5\n}\n' >"$app/src/extra.rs"
step "$app" app "a module added" "extra::five | main"
check "code cache: a module added, its object and the root's written" \
    test "$(report_field "$app" written)" = "crate.o | extra.o"

# the pack of a build that reused every piece is left alone
pack=$app/cache/crate.cgpack
before=$(stat -c '%i %y' "$pack")
step "$app" app "everything reused again" ""
check "code cache: everything reused, the pack is not rewritten" \
    test "$(stat -c '%i %y' "$pack")" = "$before" -a "$(report_field "$app" pack)" = unchanged

# reasons: the distinct reasons of the pieces compiled in the last report, sorted.
reasons() { awk -F'\t' '$1 == "compiled" {print $4}' "$app/report" | LC_ALL=C sort -u | paste -sd'|'; }

# damaged WHAT REASON: after the pack was damaged (WHAT), every piece is compiled again
# with REASON into the same objects and a new pack; the build after it reuses everything.
all_now="${all_pieces/TABLE/TABLE | extra::five}"
damaged() {
    local what=$1 reason=$2
    step "$app" app "a damaged pack ($what)" "$all_now"
    check "code cache: a damaged pack ($what), every piece compiled again: $reason" \
        test "$(reasons)" = "$reason"
    check "code cache: a damaged pack ($what), no object rewritten, a new pack written" \
        test -z "$(report_field "$app" written)" -a "$(report_field "$app" pack)" = written
    step "$app" app "the pack rewritten after ($what)" ""
}

# flip_byte FILE OFFSET: inverts the bits of one byte of FILE.
flip_byte() {
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\$(printf %o $((b ^ 0xff)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

size=$(stat -c %s "$pack")
flip_byte "$pack" $((size / 2))
damaged "a byte flipped" "damaged: checksum mismatch"
flip_byte "$pack" $((size - 1))
damaged "its last byte flipped" "damaged: checksum mismatch"
truncate -s $((size - 5)) "$pack"
damaged "truncated" "damaged: truncated"
: >"$pack"
damaged "empty" "damaged: truncated"
printf 'RLCGPIEC' | dd of="$pack" conv=notrunc status=none
damaged "another magic" "damaged: bad magic"
step "$app" app "another compiler build" "$all_now" --build-id other
check "code cache: another compiler build, every piece compiled again" \
    test "$(reasons)" = "written by another compiler build"
step "$app" app "another compiler build, again" "" --build-id other

# a pack that cannot be written (its directory is a file): the build goes on with a warning
if cg "$app" obj app --cache "$app/src/main.rs/crate.cgpack" --report "$app/report" &&
    [ "$(report_field "$app" pack)" = failed ] &&
    grep -q "^warning: the code cache was not written: " "$app/obj.log"; then
    pass "code cache: a pack that cannot be written, the build goes on and says so"
else
    fail "code cache: a pack that cannot be written (pack: $(report_field "$app" pack))"
    head -5 "$app/obj.log" | sed 's/^/    /'
fi

# Incremental: the generated program of incr-random, edited by scripted sequences (one
# kind of edit each), every step an update in place.
. "$(dirname "$0")/common.inc"
EDITS=$ROOT/tests/linker/programs/edits.py
for s in same-size grow shrink add-remove-function new-global string data add-remove-object weak-override; do
    python3 "$EDITS" --relink "$RELINK" --dir "$T/$s" --seed 3 --script "$s" --expect-patched ||
        die "scripted edits '$s' failed"
done

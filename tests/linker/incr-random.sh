# Incremental: 100 random edits in a row of a generated program (functions added,
# removed, grown, shrunk, data and strings changed, objects added and removed, weak
# definitions overridden), each step linked with --incremental --verify and compared
# with GNU ld; then 40 more with --gc-sections and a section per function.
. "$(dirname "$0")/common.inc"
EDITS=$ROOT/tests/linker/programs/edits.py
python3 "$EDITS" --relink "$RELINK" --dir "$T/plain" --seed 11 --steps 100 --cflags=-O1 || die "random edits failed"
python3 "$EDITS" --relink "$RELINK" --dir "$T/gc" --seed 12 --steps 40 --gc \
    --cflags="-O2 -ffunction-sections -fdata-sections" || die "random edits with --gc-sections failed"

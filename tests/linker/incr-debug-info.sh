# Incremental with debug information (gcc -g): non-allocated sections are packed, and
# an update that changes a member's size packs its section again (moving the members
# after it, re-patching what points at them). 30 random edits, none a full link; the
# result still reads as DWARF (readelf, and gdb when present).
. "$(dirname "$0")/common.inc"
python3 "$ROOT/tests/linker/programs/edits.py" --relink "$RELINK" --dir "$T/g" --seed 21 --steps 30 \
    --cflags="-O1 -g" --max-full 0 || die "edits with -g failed"
app=$T/g/app
readelf --debug-dump=info,line,aranges "$app" >dwarf.txt 2>&1 || die "readelf cannot read the debug information"
grep -iE "warning|error" dwarf.txt && die "readelf complains about the debug information"
if have gdb; then
    gdb -batch -ex "info functions ^fn" "$app" >gdb.txt 2>&1 || die "gdb failed"
    grep -q "File $T/g/m" gdb.txt || { cat gdb.txt; die "gdb sees no function of the program"; }
fi

# Objects for another machine or class, shared libraries and executables are refused
# with a message naming the file.
. "$(dirname "$0")/common.inc"
echo 'int f(void) { return 1; }' >a.c
gcc -O2 -c a.c -o a.o
cp a.o arm.o
printf '\xb7\x00' | dd of=arm.o bs=1 seek=18 conv=notrunc status=none   # e_machine = EM_AARCH64
expect_error machine '`arm.o`: wrong machine: EM_AARCH64 (183); relink links x86-64 objects only' arm.o
cp a.o c32.o
printf '\x01' | dd of=c32.o bs=1 seek=4 conv=notrunc status=none        # EI_CLASS = ELFCLASS32
expect_error class '`c32.o`: is a 32-bit ELF file' c32.o
if gcc -m32 -c a.c -o real32.o 2>/dev/null; then
    expect_error real32 '`real32.o`: is a 32-bit ELF file' real32.o
fi
expect_error shared 'libc.so.6`: is a shared object' /lib/x86_64-linux-gnu/libc.so.6
gcc -O2 a.c -nostdlib -no-pie -e f -o exe 2>/dev/null || true
[ -f exe ] && expect_error exe '`exe`: is not a relocatable object' exe
true

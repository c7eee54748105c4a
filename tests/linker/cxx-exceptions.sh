# C++ against libstdc++.a (g++ -static -B): exceptions thrown across objects (LSDA in
# .gcc_except_table, personality routines, .eh_frame), templates and inline functions
# in COMDAT groups defined by both objects, virtual functions (vtables in
# .data.rel.ro), static constructors. A stress test of .eh_frame and COMDAT handling.
. "$(dirname "$0")/common.inc"
have g++ || skip "g++ is missing"
cat >shared.h <<'EOS'
#pragma once
template <typename T> T twice(T x) { return x + x; }
inline int counter() { static int n = 0; return ++n; }
EOS
cat >a.cpp <<'EOS'
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>
#include "shared.h"
struct Base { virtual ~Base() = default; virtual std::string name() const = 0; };
struct Derived : Base { std::string name() const override { return "derived"; } };
static std::map<std::string, int> registry = {{"one", 1}, {"two", 2}};
extern int thrower(int);
int main()
{
    std::vector<std::unique_ptr<Base>> v;
    v.push_back(std::make_unique<Derived>());
    for (auto &b : v) std::cout << b->name() << "\n";
    std::cout << twice<int>(21) << " " << twice<double>(1.25) << " " << counter() << "\n";
    for (int i = 0; i < 4; i++) {
        try { std::cout << thrower(i) << "\n"; }
        catch (const std::runtime_error &e) { std::cout << "caught: " << e.what() << "\n"; }
        catch (int x) { std::cout << "caught int " << x << "\n"; }
    }
    for (auto &[k, val] : registry) std::cout << k << "=" << val << "\n";
    return (int)registry.size();
}
EOS
cat >b.cpp <<'EOS'
#include <stdexcept>
#include <string>
#include "shared.h"
int thrower(int i)
{
    if (i == 1) throw std::runtime_error("error " + std::to_string(i));
    if (i == 2) throw 42;
    return twice<int>(i) + counter();
}
EOS
for cxx in g++ clang++; do
    have $cxx || continue
    for o in -O0 -O2; do
        tag=$cxx$o
        $cxx $o -std=c++17 -c a.cpp -o a.$tag.o
        $cxx $o -std=c++17 -c b.cpp -o b.$tag.o
        glibc_link $cxx x.$tag a.$tag.o b.$tag.o
        compare "$cxx $o" x.$tag.relink x.$tag.ld
    done
done
grep -q 'caught: error 1' x.g++-O2.relink.out || die "no exception caught: $(cat x.g++-O2.relink.out)"

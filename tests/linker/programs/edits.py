#!/usr/bin/env python3
"""tests/linker/programs/edits.py — a generated freestanding C program edited step by
step, each step linked incrementally (relink --incremental --verify) and in full by
GNU ld, both run and compared.

The program is a model: objects holding functions (global, static or weak) and data
(initialized, zeroed, string literals). Functions call only older functions, so the
call graph has no cycle; _start calls every function and prints a checksum and every
string. An edit changes the model; every object whose source text changed is
recompiled (others keep their .o, mtime and all), as a build system would.

    edits.py --seed 7 --steps 100 --relink bin/relink [--cflags "-O2"] [--gc]
    edits.py --script name --relink ...     one of the named sequences of SCRIPTS

Exit status 0 when every step matched; the last lines say what failed otherwise. With
--expect-patched, a step that falls back to a full link fails the run (except where
the edit must), so the incremental path is what gets tested.
"""
import argparse
import os
import random
import subprocess
import sys

SYS_H = r'''
static inline long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
static inline void put(const char *s) { long n = 0; while (s[n]) n++; sys3(1, 1, (long)s, n); }
static inline void putnum(long v)
{
    char buf[24]; int i = 23; buf[i] = 0;
    int neg = v < 0; unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
    do { buf[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) buf[--i] = '-';
    put(buf + i); put("\n");
}
'''


class Func:
    def __init__(self, fid, name, kind='global'):
        self.id = fid
        self.name = name
        self.kind = kind          # global, static, weak
        self.mul = 3
        self.add = 1
        self.loops = 0            # grows the body
        self.calls = []           # names of older functions it calls
        self.uses = []            # names of data it reads
        self.switch = False


class Data:
    def __init__(self, name, kind):
        self.name = name
        self.kind = kind          # int, array, bss, string
        self.values = [1, 2, 3]
        self.size = 4
        self.text = 'hello'


class Obj:
    def __init__(self, name):
        self.name = name
        self.funcs = []
        self.data = []


class Program:
    def __init__(self, rnd):
        self.rnd = rnd
        self.objs = []
        self.next_id = 0
        self.strong_overrides = {}   # weak function name -> object holding its strong override

    def new_func(self, obj, kind='global'):
        f = Func(self.next_id, 'fn%d' % self.next_id, kind)
        self.next_id += 1
        f.mul = self.rnd.randint(2, 9)
        f.add = self.rnd.randint(0, 99)
        older = [g for o in self.objs for g in o.funcs if g.id < f.id and self.callable(g, obj)]
        for g in self.rnd.sample(older, min(len(older), self.rnd.randint(0, 2))):
            f.calls.append(g.name)
        data = [d for o in self.objs for d in o.data if d.kind != 'string' and (o is obj or True)]
        for d in self.rnd.sample(data, min(len(data), self.rnd.randint(0, 2))):
            f.uses.append(d.name)
        obj.funcs.append(f)
        return f

    def new_data(self, obj, kind=None):
        kind = kind or self.rnd.choice(['int', 'array', 'bss', 'string'])
        d = Data('d%d' % self.next_id, kind)
        self.next_id += 1
        d.values = [self.rnd.randint(0, 1000) for _ in range(self.rnd.randint(1, 6))]
        d.size = self.rnd.randint(1, 64)
        d.text = 'text-%d-%s' % (self.next_id, 'x' * self.rnd.randint(0, 20))
        obj.data.append(d)
        return d

    def callable(self, g, from_obj):
        return g.kind != 'static' or any(g is h for h in from_obj.funcs)

    def owner(self, name):
        for o in self.objs:
            for f in o.funcs:
                if f.name == name:
                    return o, f
        return None, None

    def data_owner(self, name):
        for o in self.objs:
            for d in o.data:
                if d.name == name:
                    return o, d
        return None, None

    # ---------------------------------------------------------------- sources

    def source(self, obj):
        out = ['#include "sys.h"']
        decls = set()
        for f in obj.funcs:
            for c in f.calls:
                o, g = self.owner(c)
                if o is not obj:
                    decls.add('extern long %s(long);' % c)
            for u in f.uses:
                o, d = self.data_owner(u)
                if o is not obj:
                    decls.add(self.data_extern(d))
        out += sorted(decls)
        for f in obj.funcs:
            out.append('%slong %s(long x);' % ('static ' if f.kind == 'static' else '', f.name))
        for d in obj.data:
            out.append(self.data_def(d))
        for f in obj.funcs:
            out.append(self.func_def(f))
        # Every static function and local datum is reachable through a table.
        out.append('long (*const %s_table[])(long) = {%s};' % (obj.name, ', '.join([f.name for f in obj.funcs] + ['0'])))
        out.append('const char *const %s_strings[] = {%s};' % (
            obj.name, ', '.join(['%s' % d.name for d in obj.data if d.kind == 'string'] + ['0'])))
        return '\n'.join(out) + '\n'

    def data_extern(self, d):
        if d.kind == 'int':
            return 'extern int %s;' % d.name
        if d.kind in ('array', 'bss'):
            return 'extern int %s[];' % d.name
        return 'extern const char %s[];' % d.name

    def data_def(self, d):
        if d.kind == 'int':
            return 'int %s = %d;' % (d.name, d.values[0])
        if d.kind == 'array':
            return 'int %s[%d] = {%s};' % (d.name, len(d.values), ', '.join(map(str, d.values)))
        if d.kind == 'bss':
            return 'int %s[%d];' % (d.name, d.size)
        return 'const char %s[] = "%s\\n";' % (d.name, d.text)

    def data_read(self, d):
        if d.kind == 'int':
            return d.name
        if d.kind in ('array', 'bss'):
            return '%s[0]' % d.name
        return '%s[0]' % d.name

    def func_def(self, f):
        attr = {'static': 'static ', 'weak': '__attribute__((weak)) ', 'global': ''}[f.kind]
        body = ['    long acc = x * %d + %d;' % (f.mul, f.add)]
        for i in range(f.loops):
            body.append('    for (long i = 0; i < (x & 7); i++) acc = acc * %d + i + %d;' % (3 + i, f.add + i))
        if f.switch:
            body.append('    switch (x & 3) { case 0: acc += 11; break; case 1: acc ^= 5; break; '
                        'case 2: acc -= 7; break; default: acc += x; }')
        for c in f.calls:
            body.append('    acc += %s(x - 1);' % c)
        for u in f.uses:
            o, d = self.data_owner(u)
            body.append('    acc += %s;' % self.data_read(d))
        if any(self.data_owner(u)[1].kind == 'bss' for u in f.uses):
            u = [u for u in f.uses if self.data_owner(u)[1].kind == 'bss'][0]
            body.append('    %s[x & 0] += 1;' % u)
        body.append('    return acc;')
        return '%slong %s(long x)\n{\n%s\n}' % (attr, f.name, '\n'.join(body))

    def main_source(self):
        out = ['#include "sys.h"']
        for o in self.objs:
            out.append('extern long (*const %s_table[])(long);' % o.name)
            out.append('extern const char *const %s_strings[];' % o.name)
        out.append('void _start(void)\n{\n    long sum = 0;')
        for o in self.objs:
            out.append('    for (int i = 0; %s_table[i]; i++) sum = sum * 31 + %s_table[i](i + 3);' % (o.name, o.name))
            out.append('    for (int i = 0; %s_strings[i]; i++) put(%s_strings[i]);' % (o.name, o.name))
        out.append('    putnum(sum);\n    sys3(60, sum & 0x7f, 0, 0);\n    __builtin_unreachable();\n}')
        return '\n'.join(out) + '\n'

    # ---------------------------------------------------------------- edits

    def funcs(self, kinds=('global', 'static', 'weak')):
        return [(o, f) for o in self.objs for f in o.funcs if f.kind in kinds]

    def remove_refs(self, name):
        for o in self.objs:
            for f in o.funcs:
                f.calls = [c for c in f.calls if c != name]
                f.uses = [u for u in f.uses if u != name]

    def edit(self, kind=None):
        r = self.rnd
        kinds = ['body', 'body', 'body', 'grow', 'shrink', 'add_func', 'remove_func', 'add_global', 'string',
                 'data', 'bss', 'add_obj', 'remove_obj', 'weak', 'static', 'switch']
        kind = kind or r.choice(kinds)
        if kind == 'body':
            o, f = r.choice(self.funcs())
            f.add = (f.add + r.randint(1, 50)) % 100
            return 'body of %s' % f.name
        if kind == 'grow':
            o, f = r.choice(self.funcs())
            f.loops += r.randint(1, 3)
            return 'grow %s' % f.name
        if kind == 'shrink':
            cands = [(o, f) for o, f in self.funcs() if f.loops or f.calls]
            if not cands:
                return self.edit('body')
            o, f = r.choice(cands)
            if f.loops:
                f.loops -= 1
            else:
                f.calls.pop()
            return 'shrink %s' % f.name
        if kind == 'add_func':
            o = r.choice(self.objs)
            f = self.new_func(o, r.choice(['global', 'global', 'static']))
            return 'add %s to %s' % (f.name, o.name)
        if kind == 'remove_func':
            cands = [(o, f) for o, f in self.funcs() if len(o.funcs) > 1 and f.name not in self.strong_overrides]
            if not cands:
                return self.edit('add_func')
            o, f = r.choice(cands)
            o.funcs.remove(f)
            self.remove_refs(f.name)
            return 'remove %s' % f.name
        if kind == 'add_global':
            o = r.choice(self.objs)
            d = self.new_data(o, r.choice(['int', 'array']))
            o2, f = r.choice(self.funcs())
            f.uses.append(d.name)
            return 'add global %s used by %s' % (d.name, f.name)
        if kind == 'string':
            strs = [d for o in self.objs for d in o.data if d.kind == 'string']
            if not strs:
                d = self.new_data(r.choice(self.objs), 'string')
                return 'add string %s' % d.name
            d = r.choice(strs)
            d.text = d.text[:r.randint(0, len(d.text))] + 'y' * r.randint(0, 12)
            return 'change string %s' % d.name
        if kind == 'data':
            arrs = [d for o in self.objs for d in o.data if d.kind in ('int', 'array')]
            if not arrs:
                return self.edit('add_global')
            d = r.choice(arrs)
            d.values = [v + r.randint(1, 9) for v in d.values] + ([r.randint(0, 9)] * r.randint(0, 3) if d.kind == 'array' else [])
            return 'change data %s' % d.name
        if kind == 'bss':
            b = [d for o in self.objs for d in o.data if d.kind == 'bss']
            if not b:
                d = self.new_data(r.choice(self.objs), 'bss')
                o2, f = r.choice(self.funcs())
                f.uses.append(d.name)
                return 'add bss %s' % d.name
            d = r.choice(b)
            d.size += r.randint(1, 4096)
            return 'grow bss %s' % d.name
        if kind == 'add_obj':
            o = Obj('m%d' % self.next_id)
            self.next_id += 1
            self.objs.append(o)
            for _ in range(r.randint(1, 3)):
                self.new_func(o)
            if r.random() < 0.5:
                self.new_data(o)
            return 'add object %s' % o.name
        if kind == 'remove_obj':
            if len(self.objs) < 3:
                return self.edit('add_obj')
            o = r.choice(self.objs[1:])
            if any(o is x for x in self.strong_overrides.values()):
                return self.edit('body')
            self.objs.remove(o)
            for f in o.funcs:
                self.remove_refs(f.name)
            for d in o.data:
                self.remove_refs(d.name)
            return 'remove object %s' % o.name
        if kind == 'weak':
            weak = [(o, f) for o, f in self.funcs(('weak',)) if f.name not in self.strong_overrides]
            if weak and r.random() < 0.6:
                o, f = r.choice(weak)
                o2 = r.choice([x for x in self.objs if x is not o] or [o])
                if o2 is o:
                    return self.edit('body')
                g = Func(self.next_id, f.name)
                self.next_id += 1
                g.mul, g.add = f.mul + 1, f.add + 1
                o2.funcs.append(g)
                self.strong_overrides[f.name] = o2
                return 'override weak %s in %s' % (f.name, o2.name)
            o = r.choice(self.objs)
            f = self.new_func(o, 'weak')
            return 'add weak %s' % f.name
        if kind == 'static':
            st = self.funcs(('static',))
            if not st:
                return self.edit('add_func')
            o, f = r.choice(st)
            f.mul += 1
            return 'change static %s' % f.name
        if kind == 'switch':
            o, f = r.choice(self.funcs())
            f.switch = not f.switch
            return 'switch in %s' % f.name
        raise ValueError(kind)


class Runner:
    def __init__(self, args):
        self.args = args
        self.dir = args.dir
        os.makedirs(self.dir, exist_ok=True)
        with open(os.path.join(self.dir, 'sys.h'), 'w') as f:
            f.write(SYS_H)
        self.texts = {}
        self.patched = 0
        self.full = 0

    def write(self, name, text):
        """Writes and compiles name.c when its text changed; returns True when it did."""
        if self.texts.get(name) == text:
            return False
        path = os.path.join(self.dir, name + '.c')
        with open(path, 'w') as f:
            f.write(text)
        cmd = ['gcc'] + self.args.cflags.split() + ['-ffreestanding', '-fno-stack-protector', '-fno-builtin',
                                                    '-nostdlib', '-mstackrealign', '-c', path, '-o',
                                                    os.path.join(self.dir, name + '.o')]
        subprocess.run(cmd, check=True)
        self.texts[name] = text
        return True

    def build(self, prog):
        names = ['main']
        self.write('main', prog.main_source())
        for o in prog.objs:
            self.write(o.name, prog.source(o))
            names.append(o.name)
        return [os.path.join(self.dir, n + '.o') for n in names]

    def run(self, exe):
        p = subprocess.run([exe], capture_output=True)
        return p.returncode, p.stdout

    def step(self, prog, what, must_patch=True):
        objs = self.build(prog)
        out = os.path.join(self.dir, 'app')
        extra = ['--gc-sections'] if self.args.gc else []
        cmd = [self.args.relink, '--incremental', '--verify'] + self.args.flags.split() + extra + ['-o', out] + objs
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            print('FAIL at "%s": relink failed:\n%s' % (what, p.stderr))
            return False
        full = 'full link:' in p.stderr
        if full:
            self.full += 1
        else:
            self.patched += 1
        ref = os.path.join(self.dir, 'ref')
        subprocess.run(['ld', '-o', ref] + extra + objs, check=True)
        a, b = self.run(out), self.run(ref)
        if a != b:
            print('FAIL at "%s": relink %r, ld %r' % (what, a, b))
            return False
        if self.args.expect_patched and must_patch and full:
            print('FAIL at "%s": expected a patch, got: %s' % (what, p.stderr.strip()))
            return False
        if self.args.verbose:
            print('%-40s %s' % (what, p.stderr.strip().replace('\n', ' | ') or 'patched'))
        return True


def initial(rnd, nobj=3, nfunc=4):
    prog = Program(rnd)
    for i in range(nobj):
        o = Obj('m%d' % prog.next_id)
        prog.next_id += 1
        prog.objs.append(o)
        for _ in range(2):
            prog.new_data(o)
        for _ in range(nfunc):
            prog.new_func(o, rnd.choice(['global', 'global', 'static', 'weak']))
    return prog


# Named sequences: (edit kind, must the update be a patch?)
SCRIPTS = {
    'same-size': [('body', True)] * 3,
    'grow': [('grow', True), ('grow', True)],
    'shrink': [('grow', True), ('shrink', True), ('shrink', True)],
    'add-remove-function': [('add_func', True), ('remove_func', True), ('add_func', True)],
    'new-global': [('add_global', True), ('add_global', True)],
    'string': [('string', True), ('string', True)],
    'data': [('data', True), ('bss', True), ('bss', True)],
    'add-remove-object': [('add_obj', True), ('remove_obj', True)],
    'weak-override': [('weak', True), ('weak', True), ('weak', True)],
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--relink', required=True)
    ap.add_argument('--dir', default='edits')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--script')
    ap.add_argument('--cflags', default='-O1')
    ap.add_argument('--flags', default='', help='more relink flags')
    ap.add_argument('--gc', action='store_true')
    ap.add_argument('--expect-patched', action='store_true')
    ap.add_argument('--max-full', type=int, default=-1, help='fail when more steps than this are full links')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    prog = initial(rnd)
    runner = Runner(args)
    if not runner.step(prog, 'first link', must_patch=False):
        return 1
    if args.script:
        seq = SCRIPTS[args.script]
    else:
        seq = [(None, False)] * args.steps
    for i, (kind, must) in enumerate(seq):
        what = '%d: %s' % (i + 1, prog.edit(kind))
        if not runner.step(prog, what, must):
            return 1
    print('%d steps: %d patched, %d full links' % (len(seq), runner.patched, runner.full - 1))
    if args.max_full >= 0 and runner.full - 1 > args.max_full:
        print('FAIL: more than %d full links' % args.max_full)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())

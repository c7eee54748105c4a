#!/usr/bin/env python3
"""tests/runtime/gen.py — writes the runtime's differential test programs.

From the case tables beside this script it writes, for the same cases, a Rust program
(the reference: compiled by rustc, its output is the expectation) and a C program that
calls the runtime's ABI (backend/runtime/rt.h) the way generated code will: templates
and specs in read-only data, arguments as {value, formatter, descriptor}, Debug of
composites through RtDebugStruct/RtDebugList/RtFmtRef descriptors, panics through the
rt_panic_* entry points with a location record.

  gen.py fmt OUTDIR          fmt.rs and fmt.c from fmt-cases.txt
  gen.py arith OUTDIR        arith.rs and arith.c from arith-cases.txt
  gen.py panics OUTDIR       OUTDIR/NAME/{src/main.rs,main.c} per case of panic-cases.txt
  gen.py panic-names         the panic case names, one a line
  gen.py run-broken EXE DIR  runs EXE with stdout on a broken pipe (DIR/broken_*)
  gen.py record DIR NAME     a JSON line (expected/panics.txt) from DIR/{stdout,stderr,
                             merged,code,broken_*,closed_*}, the thread id masked as (TID)
  gen.py compare fmt|panics EXPECTED ACTUAL
                             'ok CASE' or 'not ok CASE' and the difference, per case

Formats of the tables:

fmt-cases.txt, one case group a line ('#' starts a comment):
  %NAME = SPEC SPEC ...            names a list of specs for later lines
  TYPE | VALUE | SPEC|%NAME ...    formats VALUE (of the Rust type TYPE) with each spec
  template | "FORMAT" | TYPE = VALUE | TYPE = VALUE ...
                                   one whole format string with its arguments
TYPE is a Rust type: i8..u128, isize, usize, bool, char, &str, (), tuples, [T; N],
&[T], &T, or a struct of STRUCTS below. VALUE is a Rust expression of that type (MIN
and MAX name an integer type's bounds). A SPEC is a placeholder such as {:>+#010x}.

panic-cases.txt, one case a line:
  NAME | VARS | RUST | C
VARS are `name: TYPE = VALUE` separated by ';' (both programs define them; in Rust
through std::hint::black_box so that nothing is folded at compile time). RUST is the
statement(s) that panic, with '@' where rustc's reported location starts. C is a list
of actions separated by ';', each a word and arguments (variable names, integers,
"format strings" followed by variable names):
  print FMT ARGS / eprint FMT ARGS          rt_print / rt_eprint
  exit CODE                                 rt_exit
  NAME (an RT_ARITH_PANICS name)            rt_panic_NAME
  bounds INDEX LEN                          rt_panic_bounds
  mul128|div128|rem128 A B                  rt_[iu]128_mul/div/rem (A's type)
  panic_str "TEXT"                          rt_panic_str
  panic|unreachable|todo|unimplemented [FMT ARGS]   rt_panic
  assert "CONDITION TEXT"                   rt_panic(RT_PANIC_ASSERT)
  assert_eq|assert_ne LEFT RIGHT [FMT ARGS] rt_panic_assert_cmp
  overflow BYTES                            recursion without bound, BYTES of locals a
                                            frame, not probed (as ws's frames)
  wild_write                                a write to address 8
Both programs first print "first line\\n" and then "partial" (no newline) to stdout.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ------------------------------------------------------------------ types

INT_TYPES = {
    # name: (C type, bits, signed)
    'i8': ('int8_t', 8, True), 'i16': ('int16_t', 16, True), 'i32': ('int32_t', 32, True),
    'i64': ('int64_t', 64, True), 'i128': ('__int128', 128, True), 'isize': ('int64_t', 64, True),
    'u8': ('uint8_t', 8, False), 'u16': ('uint16_t', 16, False), 'u32': ('uint32_t', 32, False),
    'u64': ('uint64_t', 64, False), 'u128': ('unsigned __int128', 128, False),
    'usize': ('uint64_t', 64, False),
}

# The structs both programs define: name -> (shape, [(field name or None, type)]).
# shape: 'named' (braces), 'tuple' (parentheses), 'unit' (no body).
STRUCTS = {
    'Point': ('named', [('x', 'i32'), ('y', 'i32')]),
    'Wrapper': ('tuple', [(None, 'i64')]),
    'Unit': ('unit', []),
    'Empty': ('named', []),
    'NoFields': ('tuple', []),
    'Pair': ('tuple', [(None, 'bool'), (None, '&str')]),
    'Line': ('named', [('a', 'Point'), ('b', 'Point'), ('label', '&str')]),
    'Mixed': ('named', [('t', '(u8, char)'), ('arr', '[i16; 3]'), ('w', 'Wrapper'),
                        ('u', '()'), ('big', 'u128'), ('neg', 'i128'), ('one', '(i8,)')]),
    'Refs': ('named', [('r', '&i32'), ('s', '&[u8]'), ('rr', '&&str'), ('p', '&Point')]),
    'Grid': ('named', [('cells', '[[u8; 2]; 2]'), ('origin', 'Point'), ('unit', 'Unit')]),
    'Text': ('tuple', [(None, 'char'), (None, '&str'), (None, 'Empty')]),
}


def split_top(s, sep):
    """Splits s at sep characters outside brackets and quotes."""
    out, depth, cur, i = [], 0, '', 0
    while i < len(s):
        c = s[i]
        if c in '"\'':
            j = skip_quoted(s, i)
            cur += s[i:j]
            i = j
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        if c == sep and depth == 0:
            out.append(cur)
            cur = ''
        else:
            cur += c
        i += 1
    out.append(cur)
    return [x.strip() for x in out]


def skip_quoted(s, i):
    """Index after the char or string literal starting at s[i]."""
    q = s[i]
    if q == "'" and not re.match(r"'(\\.[^']*|[^\\])'", s[i:]):
        return i + 1  # a lifetime, not a char
    j = i + 1
    while s[j] != q:
        j += 2 if s[j] == '\\' else 1
    return j + 1


def parse_type(t):
    """Canonical tuple form of a Rust type."""
    t = t.strip()
    if t.startswith('&'):
        inner = t[1:].strip()
        if inner.startswith("'static"):
            inner = inner[len("'static"):].strip()
        if inner == 'str':
            return ('str',)
        if inner.startswith('[') and len(split_top(inner[1:-1], ';')) == 1:
            return ('slice', parse_type(inner[1:-1]))
        return ('ref', parse_type(inner))
    if t == '()':
        return ('unit',)
    if t.startswith('('):
        parts = [p for p in split_top(t[1:-1], ',') if p]
        return ('tuple',) + tuple(parse_type(p) for p in parts)
    if t.startswith('['):
        elem, n = split_top(t[1:-1], ';')
        return ('array', parse_type(elem), int(n))
    if t in INT_TYPES or t in ('bool', 'char'):
        return ('prim', t)
    if t in STRUCTS:
        return ('struct', t)
    raise SystemExit('gen.py: unknown type %r' % t)


def rust_type(ty, static=False):
    k = ty[0]
    life = "'static " if static else ''
    if k == 'prim':
        return ty[1]
    if k == 'str':
        return '&%sstr' % life
    if k == 'unit':
        return '()'
    if k == 'tuple':
        parts = [rust_type(e, static) for e in ty[1:]]
        return '(%s)' % (parts[0] + ',' if len(parts) == 1 else ', '.join(parts))
    if k == 'array':
        return '[%s; %d]' % (rust_type(ty[1], static), ty[2])
    if k == 'slice':
        return '&%s[%s]' % (life, rust_type(ty[1], static))
    if k == 'ref':
        return '&%s%s' % (life, rust_type(ty[1], static))
    return ty[1]


# ------------------------------------------------------------------ Rust literals

def decode_escape(s, i):
    """Decodes the escape at s[i] (after the backslash); returns (codepoint, next i)."""
    c = s[i]
    simple = {'n': 10, 'r': 13, 't': 9, '\\': 92, '0': 0, "'": 39, '"': 34}
    if c in simple:
        return simple[c], i + 1
    if c == 'x':
        return int(s[i + 1:i + 3], 16), i + 3
    if c == 'u':
        end = s.index('}', i)
        return int(s[i + 2:end].replace('_', ''), 16), end + 1
    raise SystemExit('gen.py: unknown escape \\%s' % c)


def decode_string(lit):
    """The bytes (UTF-8) of a Rust string literal "..."."""
    body, out, i = lit[1:-1], [], 0
    while i < len(body):
        if body[i] == '\\':
            if body[i + 1] == '\n':  # line continuation
                i += 2
                while i < len(body) and body[i] in ' \t\n\r':
                    i += 1
                continue
            cp, i = decode_escape(body, i + 1)
            out.append(chr(cp))
        else:
            out.append(body[i])
            i += 1
    return ''.join(out).encode('utf-8')


def decode_char(lit):
    body = lit[1:-1]
    if body.startswith('\\'):
        return decode_escape(body, 1)[0]
    return ord(body)


def c_string(b):
    """A C string literal holding exactly the bytes b."""
    out = []
    for x in b:
        ch = chr(x)
        if 0x20 <= x < 0x7f and ch not in '"\\?':
            out.append(ch)
        else:
            out.append('\\%03o' % x)
    return '"' + ''.join(out) + '"'


def parse_int(text, name):
    _, bits, signed = INT_TYPES[name]
    if text in ('MIN', name + '::MIN'):
        return -(1 << (bits - 1)) if signed else 0
    if text in ('MAX', name + '::MAX'):
        return (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    neg = text.startswith('-')
    body = text.lstrip('-').replace('_', '')
    body = re.sub(r'(i|u)(8|16|32|64|128|size)$', '', body)
    v = int(body, 0)
    return -v if neg else v


# ------------------------------------------------------------------ C emission

class CProgram:
    """Accumulates the C declarations of one program (types, descriptors, values)."""

    def __init__(self):
        self.decls = []
        self.types = {}   # canonical type -> C type name
        self.fmts = {}    # canonical type -> (fn, ctx expression)
        self.n = 0

    def fresh(self, prefix):
        self.n += 1
        return '%s%d' % (prefix, self.n)

    def ctype(self, ty):
        k = ty[0]
        if k == 'prim':
            return {'bool': 'uint8_t', 'char': 'uint32_t'}.get(ty[1]) or INT_TYPES[ty[1]][0]
        if k == 'str':
            return 'RtStr'
        if k == 'unit':
            return 'uint8_t'
        if k == 'slice':
            return 'RtSlice'
        if ty in self.types:
            return self.types[ty]
        if k == 'ref':
            name = self.fresh('ref')
            self.decls.append('typedef const %s *%s;' % (self.ctype(ty[1]), name))
            self.types[ty] = name
            return name
        if k == 'tuple':
            fields = ['%s f%d;' % (self.ctype(e), i) for i, e in enumerate(ty[1:])]
        elif k == 'array':
            fields = ['%s e[%d];' % (self.ctype(ty[1]), ty[2])]
        else:
            shape, flist = STRUCTS[ty[1]]
            fields = ['%s %s;' % (self.ctype(parse_type(t)), fname or 'f%d' % i)
                      for i, (fname, t) in enumerate(flist)] or ['uint8_t unused;']
        name = self.fresh('type')
        self.decls.append('typedef struct %s { %s } %s;' % (name, ' '.join(fields), name))
        self.types[ty] = name
        return name

    def fmt(self, ty):
        """(formatter function, descriptor expression) of a type."""
        k = ty[0]
        if k == 'prim':
            return 'rt_fmt_' + ty[1], '0'
        if k == 'str':
            return 'rt_fmt_str', '0'
        if k == 'unit':
            return 'rt_fmt_unit', '0'
        if ty in self.fmts:
            return self.fmts[ty]
        name = self.fresh('desc')
        if k == 'ref':
            fn, ctx = self.fmt(ty[1])
            self.decls.append('static const RtFmtRef %s = {%s, %s};' % (name, fn, ctx))
            result = ('rt_fmt_deref', '&' + name)
        elif k in ('array', 'slice'):
            fn, ctx = self.fmt(ty[1])
            count = ty[2] if k == 'array' else 0
            self.decls.append('static const RtDebugList %s = {%d, sizeof(%s), %s, %s};'
                              % (name, count, self.ctype(ty[1]), fn, ctx))
            result = ('rt_fmt_debug_' + k, '&' + name)
        else:
            ctype = self.ctype(ty)
            if k == 'tuple':
                sname, shape = None, 'RT_DEBUG_TUPLE'
                flist = [(None, e, 'f%d' % i) for i, e in enumerate(ty[1:])]
            else:
                sname = ty[1]
                shape, fl = STRUCTS[sname]
                shape = 'RT_DEBUG_TUPLE_STRUCT' if shape == 'tuple' else 'RT_DEBUG_STRUCT'
                flist = [(fname, parse_type(t), fname or 'f%d' % i) for i, (fname, t) in enumerate(fl)]
            entries = []
            for fname, fty, member in flist:
                fn, ctx = self.fmt(fty)
                entries.append('{%s, %d, offsetof(%s, %s), %s, %s}' % (
                    c_string(fname.encode()) if fname else '0', len(fname or ''), ctype, member, fn, ctx))
            fields = '0'
            if entries:
                fields = name + '_fields'
                self.decls.append('static const RtDebugField %s[] = {%s};' % (fields, ', '.join(entries)))
            self.decls.append('static const RtDebugStruct %s = {%s, %d, %s, %s, %d};' % (
                name, c_string(sname.encode()) if sname else '0', len(sname or ''), fields, shape,
                len(entries)))
            result = ('rt_fmt_debug_struct', '&' + name)
        self.fmts[ty] = result
        return result

    def value(self, ty, text):
        """A C initializer for the Rust expression text of type ty."""
        text = text.strip()
        k = ty[0]
        if k == 'prim':
            name = ty[1]
            if name == 'bool':
                return {'true': '1', 'false': '0'}[text]
            if name == 'char':
                return '0x%x' % decode_char(text)
            u = parse_int(text, name) % (1 << 128)
            return '(%s)(((unsigned __int128)0x%xull << 64) | 0x%xull)' % (
                INT_TYPES[name][0], u >> 64, u & ((1 << 64) - 1))
        if k == 'str':
            b = decode_string(text)
            return '{%s, %d}' % (c_string(b), len(b))
        if k == 'unit':
            return '0'
        if k == 'ref':
            assert text.startswith('&'), text
            aux = self.fresh('aux')
            self.decls.append('static const %s %s = %s;' % (self.ctype(ty[1]), aux, self.value(ty[1], text[1:])))
            return '&' + aux
        if k == 'slice':
            assert text.startswith('&'), text
            elems = self.elements(text[1:].strip())
            if not elems:
                return '{0, 0}'
            aux = self.fresh('aux')
            self.decls.append('static const %s %s[] = {%s};' % (
                self.ctype(ty[1]), aux, ', '.join(self.value(ty[1], e) for e in elems)))
            return '{%s, %d}' % (aux, len(elems))
        if k == 'array':
            elems = self.elements(text)
            assert len(elems) == ty[2], text
            return '{{%s}}' % ', '.join(self.value(ty[1], e) for e in elems)
        if k == 'tuple':
            elems = [e for e in split_top(text[1:-1], ',') if e]
            return '{%s}' % ', '.join(self.value(t, e) for t, e in zip(ty[1:], elems))
        shape, flist = STRUCTS[ty[1]]
        if not flist:
            return '{0}'
        body = text[len(ty[1]):].strip()[1:-1]
        parts = [p for p in split_top(body, ',') if p]
        if shape == 'named':
            given = dict((p.split(':', 1)[0].strip(), p.split(':', 1)[1]) for p in parts)
            parts = [given[f] for f, _ in flist]
        return '{%s}' % ', '.join(self.value(parse_type(t), p) for (_, t), p in zip(flist, parts))

    @staticmethod
    def elements(text):
        """Elements of an array expression [a, b] or [x; N]."""
        inner = text[1:-1].strip()
        rep = split_top(inner, ';')
        if len(rep) == 2:
            return [rep[0]] * int(rep[1])
        return [e for e in split_top(inner, ',') if e]


def rust_struct_decls():
    out = []
    for name, (shape, fields) in STRUCTS.items():
        if shape == 'unit':
            body = ';'
        elif shape == 'tuple':
            body = '(%s);' % ', '.join(rust_type(parse_type(t), True) for _, t in fields)
        else:
            body = ' { %s }' % ', '.join('%s: %s' % (f, rust_type(parse_type(t), True)) for f, t in fields)
            if not fields:
                body = ' {}'
        out.append('#[derive(Debug)]\n#[allow(dead_code)]\nstruct %s%s' % (name, body))
    return '\n'.join(out)


# ------------------------------------------------------------------ format strings

ALIGNS = {'<': 'RT_ALIGN_LEFT', '>': 'RT_ALIGN_RIGHT', '^': 'RT_ALIGN_CENTER'}
KINDS = {'': 'RT_KIND_DISPLAY', '?': 'RT_KIND_DEBUG', 'x?': 'RT_KIND_DEBUG', 'X?': 'RT_KIND_DEBUG',
         'x': 'RT_KIND_LOWER_HEX', 'X': 'RT_KIND_UPPER_HEX', 'b': 'RT_KIND_BINARY', 'o': 'RT_KIND_OCTAL'}


def parse_spec(spec):
    """An RtSpec initializer for the text after ':' in a placeholder."""
    fill, align, i = ' ', 'RT_ALIGN_UNKNOWN', 0
    if len(spec) >= 2 and spec[1] in ALIGNS:
        fill, align, i = spec[0], ALIGNS[spec[1]], 2
    elif spec[:1] in ALIGNS:
        align, i = ALIGNS[spec[0]], 1
    flags = []
    if spec[i:i + 1] in ('+', '-'):
        flags.append('RT_FLAG_PLUS' if spec[i] == '+' else 'RT_FLAG_MINUS')
        i += 1
    if spec[i:i + 1] == '#':
        flags.append('RT_FLAG_ALTERNATE')
        i += 1
    if spec[i:i + 1] == '0' and not re.match(r'0\$', spec[i:]):
        flags.append('RT_FLAG_ZERO')
        i += 1
    m = re.match(r'\d*', spec[i:])
    width = int(m.group() or 0)
    i += len(m.group())
    precision = 'RT_NO_PRECISION'
    if spec[i:i + 1] == '.':
        m = re.match(r'\d+', spec[i + 1:])
        precision = m.group()
        i += 1 + len(m.group())
    kind = spec[i:]
    if kind not in KINDS:
        raise SystemExit('gen.py: unsupported spec {:%s}' % spec)
    if kind == 'x?':
        flags.append('RT_FLAG_DEBUG_LOWER_HEX')
    if kind == 'X?':
        flags.append('RT_FLAG_DEBUG_UPPER_HEX')
    return '{0x%x, %d, %s, %s, %s, %s, 0}' % (ord(fill), width, precision, KINDS[kind], align,
                                               ' | '.join(flags) or '0')


def parse_format(fmt):
    """Splits a decoded format string into (pieces, [(arg reference, spec text)])."""
    pieces, holes, cur, i = [], [], '', 0
    while i < len(fmt):
        c = fmt[i]
        if c in '{}' and fmt[i + 1:i + 2] == c:
            cur += c
            i += 2
            continue
        if c == '{':
            end = fmt.index('}', i)
            body = fmt[i + 1:end]
            arg, _, spec = body.partition(':')
            pieces.append(cur)
            holes.append((arg.strip(), spec))
            cur = ''
            i = end + 1
            continue
        cur += c
        i += 1
    pieces.append(cur)
    return pieces, holes


def c_template(prog, fmt_bytes, args):
    """Declares a template for the format string and returns (template name, RtArg list
    initializer). args: [(name or None, C value expression (an lvalue), type)]."""
    pieces, holes = parse_format(fmt_bytes.decode('utf-8'))
    if not pieces[-1]:
        pieces.pop()
    name = prog.fresh('tpl')
    prog.decls.append('static const RtStr %s_pieces[] = {%s};' % (name, ', '.join(
        '{%s, %d}' % (c_string(p.encode()), len(p.encode())) for p in pieces) or '{0, 0}'))
    prog.decls.append('static const RtSpec %s_specs[] = {%s};' % (name, ', '.join(
        parse_spec(s) for _, s in holes) or '{0}'))
    prog.decls.append('static const RtTemplate %s = {%s_pieces, %s_specs, %d, %d};' % (
        name, name, name, len(pieces), len(holes)))
    next_arg, refs = 0, []
    for ref, _ in holes:
        if ref == '':
            idx = next_arg
            next_arg += 1
        elif ref.isdigit():
            idx = int(ref)
        else:
            idx = [a[0] for a in args].index(ref)
        _, expr, ty = args[idx]
        fn, ctx = prog.fmt(ty)
        refs.append('{&%s, %s, %s}' % (expr, fn, ctx))
    return name, '{%s}' % (', '.join(refs) or '{0}')


C_PRELUDE = '''/* GENERATED by tests/runtime/gen.py; do not edit. */
#include <stddef.h>
#include "backend/runtime/rt.h"
'''

# ------------------------------------------------------------------ fmt cases


def read_table(path):
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            yield lineno, line


def split_specs(text):
    """Splits 'SPEC SPEC ...' where a spec is a {...} placeholder (its fill may be a space)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == ' ':
            i += 1
        elif text[i] == '{':
            end = text.index('}', i + 2) if text[i + 1:i + 3] == ':}' else text.index('}', i + 1)
            out.append(text[i:end + 1])
            i = end + 1
        else:
            m = re.match(r'%\w+', text[i:])
            out.append(m.group())
            i += len(m.group())
    return out


def fmt_cases():
    """[(case number, Rust format string, [(type, value)])] from fmt-cases.txt."""
    sets, cases = {}, []
    for lineno, line in read_table(os.path.join(HERE, 'fmt-cases.txt')):
        if line.startswith('%'):
            name, _, specs = line.partition('=')
            sets[name.strip()] = split_specs(specs.strip())
            continue
        cols = split_top(line, '|')
        if cols[0] == 'template':
            args = []
            for a in cols[2:]:
                t, _, v = a.partition('=')
                args.append((parse_type(t), v.strip()))
            cases.append((len(cases) + 1, cols[1][1:-1], args))
            continue
        ty = parse_type(cols[0])
        specs = []
        for s in split_specs(cols[2]):
            specs.extend(sets[s] if s.startswith('%') else [s])
        for s in specs:
            cases.append((len(cases) + 1, s, [(ty, cols[1])]))
    return cases


def rust_value(ty, text):
    if ty[0] == 'prim' and text in ('MIN', 'MAX'):
        return '%s::%s' % (ty[1], text)
    return text


def gen_fmt(outdir):
    cases = fmt_cases()
    rs = ['// GENERATED by tests/runtime/gen.py; do not edit.', rust_struct_decls(), '', 'fn main() {']
    prog = CProgram()
    body = []
    for n, fmt, args in cases:
        lets = ' '.join('let v%d: %s = %s;' % (i, rust_type(t), rust_value(t, v)) for i, (t, v) in enumerate(args))
        names = ', '.join('v%d' % i for i in range(len(args)))
        # Implicit and positional placeholders take the arguments explicitly; a format
        # string with only inline names ({v0}) captures them.
        explicit = re.search(r'\{\d*(:|\})', fmt.replace('{{', '')) is not None
        rs.append('    { %s println!("@@%d [%s]"%s); }' % (lets, n, fmt, ', ' + names if explicit else ''))
        cargs = []
        for i, (t, v) in enumerate(args):
            var = prog.fresh('val')
            prog.decls.append('static const %s %s = %s;' % (prog.ctype(t), var, prog.value(t, v)))
            cargs.append(('v%d' % i, var, t))
        tpl, refs = c_template(prog, decode_string('"@@%d [%s]\\n"' % (n, fmt)), cargs)
        body.append('    { const RtArg args[] = %s; rt_print(&%s, args); }' % (refs, tpl))
    rs.append('}')
    with open(os.path.join(outdir, 'fmt.rs'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(rs) + '\n')
    with open(os.path.join(outdir, 'fmt.c'), 'w', encoding='utf-8') as f:
        f.write(C_PRELUDE + '\n'.join(prog.decls) + '\n\nvoid __ws_main(void)\n{\n' + '\n'.join(body) + '\n}\n')
    return len(cases)


# ------------------------------------------------------------------ 128-bit arithmetic

def arith_cases():
    """[(case number, type, a, op, b)]: every pair of arith-cases.txt's values whose
    product, quotient and remainder Rust computes without panicking."""
    cases = []
    for lineno, line in read_table(os.path.join(HERE, 'arith-cases.txt')):
        name, values = [c.strip() for c in line.split('|')]
        _, bits, signed = INT_TYPES[name]
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
        nums = [parse_int(v, name) for v in values.split()]
        for a in nums:
            for b in nums:
                if lo <= a * b <= hi:
                    cases.append((len(cases) + 1, name, a, '*', b))
                if b != 0 and not (signed and a == lo and b == -1):
                    cases.append((len(cases) + 1, name, a, '/', b))
                    cases.append((len(cases) + 1, name, a, '%', b))
    return cases


def gen_arith(outdir):
    ops = {'*': 'mul', '/': 'div', '%': 'rem'}
    rs = ['// GENERATED by tests/runtime/gen.py; do not edit.', 'use std::hint::black_box;',
          'fn main() {']
    prog = CProgram()
    body = ['    static const RtLocation loc = {"src/main.rs", 11, 1, 1};']
    for n, name, a, op, b in arith_cases():
        ty = ('prim', name)
        rs.append('    println!("@@%d [{}]", black_box(%d%s) %s black_box(%d%s));' % (n, a, name, op, b, name))
        tpl, refs = c_template(prog, ('@@%d [{}]\n' % n).encode(), [('r', 'r', ty)])
        body.append('    { %s r = rt_%s_%s(&loc, %s, %s); const RtArg args[] = %s; rt_print(&%s, args); }'
                    % (prog.ctype(ty), name, ops[op], prog.value(ty, str(a)), prog.value(ty, str(b)),
                       refs, tpl))
    rs.append('}')
    with open(os.path.join(outdir, 'arith.rs'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(rs) + '\n')
    with open(os.path.join(outdir, 'arith.c'), 'w', encoding='utf-8') as f:
        f.write(C_PRELUDE + '\n'.join(prog.decls) + '\n\nvoid __ws_main(void)\n{\n' + '\n'.join(body) + '\n}\n')
    return len(arith_cases())


# ------------------------------------------------------------------ panic cases

ARITH = ['add_overflow', 'sub_overflow', 'mul_overflow', 'neg_overflow', 'div_by_zero',
         'rem_by_zero', 'div_overflow', 'rem_overflow', 'shl_overflow', 'shr_overflow']
MACROS = {'panic': 'RT_PANIC_PANIC', 'unreachable': 'RT_PANIC_UNREACHABLE',
          'todo': 'RT_PANIC_TODO', 'unimplemented': 'RT_PANIC_UNIMPLEMENTED'}
PANIC_LINE = 6  # the line of main.rs where the panicking statement sits


def tokens(text):
    return re.findall(r'"(?:[^"\\]|\\.)*"|\S+', text)


def panic_cases():
    for lineno, line in read_table(os.path.join(HERE, 'panic-cases.txt')):
        name, vars_, rust, c = split_top(line, '|')
        yield name, [v for v in split_top(vars_, ';') if v], rust, [a for a in split_top(c, ';') if a]


def gen_panics(outdir):
    for name, vars_, rust, actions in panic_cases():
        prog = CProgram()
        var_types, lets = {}, []
        for v in vars_:
            decl, _, value = v.partition('=')
            vname, _, t = decl.partition(':')
            vname, ty = vname.strip(), parse_type(t)
            var_types[vname] = ty
            lets.append('let %s: %s = std::hint::black_box(%s);' % (vname, rust_type(ty), rust_value(ty, value.strip())))
            prog.decls.append('static const %s %s = %s;' % (prog.ctype(ty), vname, prog.value(ty, value.strip())))
        col = rust.index('@') + 5 if '@' in rust else 0
        rs = ['// GENERATED by tests/runtime/gen.py; do not edit.', '#![allow(unused, unreachable_code)]',
              'fn main() {', '    println!("first line");', '    print!("partial");',
              '    ' + ' '.join(lets), '    ' + rust.replace('@', '', 1), '}']
        assert rs[PANIC_LINE].strip() == rust.replace('@', '', 1).strip()
        body = ['    static const RtLocation loc = {"src/main.rs", 11, %d, %d};' % (PANIC_LINE + 1, col),
                '    rt_print_str("first line\\n", 11);', '    rt_print_str("partial", 7);']

        def message(toks):
            """(template expression, args expression) of an optional FMT ARGS tail."""
            if not toks:
                return '0', '0'
            args = [(a, a, var_types[a]) for a in toks[1:]]
            tpl, refs = c_template(prog, decode_string(toks[0]), args)
            arr = prog.fresh('args')
            body.append('    const RtArg %s[] = %s;' % (arr, refs))
            return '&' + tpl, arr

        for action in actions:
            toks = tokens(action)
            word = toks[0]
            if word in ('print', 'eprint'):
                t, a = message(toks[1:])
                body.append('    rt_%s(%s, %s);' % (word, t, a))
            elif word == 'exit':
                body.append('    rt_exit(%s);' % toks[1])
            elif word in ARITH:
                body.append('    rt_panic_%s(&loc);' % word)
            elif word in ('mul128', 'div128', 'rem128'):
                body.append('    rt_%s_%s(&loc, %s, %s);' % (var_types[toks[1]][1], word[:3], toks[1], toks[2]))
            elif word == 'bounds':
                body.append('    rt_panic_bounds(&loc, %s, %s);' % (toks[1], toks[2]))
            elif word == 'panic_str':
                b = decode_string(toks[1])
                body.append('    rt_panic_str(&loc, %s, %d);' % (c_string(b), len(b)))
            elif word in MACROS:
                t, a = message(toks[1:])
                body.append('    rt_panic(&loc, %s, %s, %s);' % (MACROS[word], t, a))
            elif word == 'assert':
                tpl, _ = c_template(prog, decode_string(toks[1]).replace(b'{', b'{{').replace(b'}', b'}}'), [])
                body.append('    rt_panic(&loc, RT_PANIC_ASSERT, &%s, 0);' % tpl)
            elif word in ('assert_eq', 'assert_ne'):
                ops = prog.fresh('ops')
                body.append('    const RtArg %s[2] = {{&%s, %s, %s}, {&%s, %s, %s}};' % (
                    (ops, toks[1]) + prog.fmt(var_types[toks[1]]) + (toks[2],) + prog.fmt(var_types[toks[2]])))
                t, a = message(toks[3:])
                body.append('    rt_panic_assert_cmp(&loc, %d, %s, %s, %s);' % (word == 'assert_ne', ops, t, a))
            elif word == 'overflow':
                # The lowest local is written first: a frame bigger than a page skips the
                # page below the stack's limit, as ws's unprobed frames may.
                prog.decls.append(
                    'static __attribute__((noinline)) uint64_t descend(volatile uint8_t *up, uint64_t n)\n'
                    '{\n    volatile uint8_t here[%s];\n    here[0] = (uint8_t)n;\n'
                    '    if (n == 0)\n        return up[0];\n'
                    '    return descend(here, n + 1) + here[0];\n}' % toks[1])
                body.append('    descend(0, 1);')
            elif word == 'wild_write':
                body.append('    *(volatile uint64_t *)8 = 1;')
            else:
                raise SystemExit('gen.py: unknown action %r in case %s' % (word, name))
        d = os.path.join(outdir, name)
        os.makedirs(os.path.join(d, 'src'), exist_ok=True)
        with open(os.path.join(d, 'src', 'main.rs'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(rs) + '\n')
        with open(os.path.join(d, 'main.c'), 'w', encoding='utf-8') as f:
            f.write(C_PRELUDE + '\n'.join(prog.decls) + '\n\nvoid __ws_main(void)\n{\n' + '\n'.join(body) + '\n}\n')


# ------------------------------------------------------------------ results

def mask_tid(text):
    return re.sub(r"thread 'main' \(\d+\)", "thread 'main' (TID)", text)


def run_broken(exe, d):
    """Runs exe in d with stdout on a pipe whose reader is gone (writes fail with EPIPE):
    writes d/broken_stderr and d/broken_code."""
    import subprocess
    r, w = os.pipe()
    os.close(r)
    with open(os.path.join(d, 'broken_stderr'), 'wb') as err:
        p = subprocess.run([exe], cwd=d, stdout=w, stderr=err, timeout=10)
    os.close(w)
    with open(os.path.join(d, 'broken_code'), 'w') as f:
        f.write('%d\n' % p.returncode)


def record(d, name):
    """One line of expected/panics.txt: what the program of case name did (files in d):
    stdout, stderr, status, the merged streams, and stderr and status when stdout is a
    broken pipe and when it is closed."""
    def read(f):
        with open(os.path.join(d, f), encoding='utf-8', errors='backslashreplace') as fh:
            return fh.read()
    return json.dumps({'name': name, 'code': int(read('code')), 'stdout': read('stdout'),
                       'stderr': mask_tid(read('stderr')), 'merged': mask_tid(read('merged')),
                       'broken_pipe': [int(read('broken_code')), mask_tid(read('broken_stderr'))],
                       'closed': [int(read('closed_code')), mask_tid(read('closed_stderr'))]},
                      ensure_ascii=False)


def fmt_outputs(path):
    """{case number: output} of a fmt program's output."""
    with open(path, encoding='utf-8', errors='backslashreplace') as f:
        text = f.read()
    out = {}
    for chunk in re.split(r'^@@', text, flags=re.M)[1:]:
        n, _, rest = chunk.partition(' ')
        out[n] = rest
    return out


def compare(kind, expected, actual):
    """Prints 'ok NAME' or 'not ok NAME' and the difference, per case."""
    if kind == 'fmt':
        exp, act = fmt_outputs(expected), fmt_outputs(actual)
    else:
        with open(expected, encoding='utf-8') as f:
            exp = dict((r['name'], r) for r in map(json.loads, f))
        with open(actual, encoding='utf-8') as f:
            act = dict((r['name'], r) for r in map(json.loads, f))
    for name in exp:
        if act.get(name) == exp[name]:
            print('ok %s' % name)
        else:
            print('not ok %s' % name)
            print('    expected: %s' % json.dumps(exp[name], ensure_ascii=False))
            print('    actual:   %s' % json.dumps(act.get(name), ensure_ascii=False))
    for name in act:
        if name not in exp:
            print('not ok %s' % name)
            print('    no expectation (run tests/runtime/run --update with rustc)')


def main():
    a = sys.argv[1:]
    if len(a) == 2 and a[0] == 'fmt':
        print(gen_fmt(a[1]))
    elif len(a) == 2 and a[0] == 'arith':
        print(gen_arith(a[1]))
    elif len(a) == 2 and a[0] == 'panics':
        gen_panics(a[1])
    elif len(a) == 1 and a[0] == 'panic-names':
        for name, _, _, _ in panic_cases():
            print(name)
    elif len(a) == 3 and a[0] == 'run-broken':
        run_broken(a[1], a[2])
    elif len(a) == 3 and a[0] == 'record':
        print(record(a[1], a[2]))
    elif len(a) == 4 and a[0] == 'compare':
        compare(a[1], a[2], a[3])
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main()

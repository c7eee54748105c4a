// Unbounded recursion: rustc's debug build reports the stack overflow on stderr
// and aborts (status 134). The lines printed before it stay on stdout; the
// unfinished last line is lost, as Rust's line-buffered stdout never flushes it.
struct Frame {
    depth: u64,
    pad: [u64; 8],
}

fn descend(f: &Frame, total: &mut u64) -> u64 {
    *total += f.depth;
    if f.depth == 0 {
        // never: the depth only grows
        return *total;
    }
    let next = Frame { depth: f.depth + 1, pad: [f.depth; 8] };
    descend(&next, total) + next.pad[3]
}

fn main() {
    println!("before the recursion");
    eprintln!("on stderr first");
    let mut total: u64 = 0;
    print!("an unfinished line");
    let r = descend(&Frame { depth: 1, pad: [0; 8] }, &mut total);
    println!("never printed: {} {}", r, total);
}

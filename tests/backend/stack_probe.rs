// Stack probes: `descend` has a frame of 2.4 MB (586 pages) and recurses without end.
// Run with an 8 MiB stack, its fourth frame does not fit: rustc's code probes every page
// from the top down, so the overflow faults right below the stack and std reports it
// ("has overflowed its stack", SIGABRT). An unprobed frame would first touch its lowest
// address, megabytes further down, and die by a plain SIGSEGV. `two_pages` (2 pages
// unrolled) and `one_page` (exactly a page: no probe) take the other prologue shapes.
fn one_page(x: u64) -> u64 {
    let a = [x; 500];
    a[(x as usize) % 500] + 1
}

fn two_pages(x: u64) -> u64 {
    let a = [x; 1500];
    a[(x as usize * 7) % 1500] + 2
}

fn descend(depth: u64) -> u64 {
    let mut big = [0u64; 300_000];
    let i = (depth as usize * 7919) % 300_000;
    big[i] = depth + 1;
    println!("depth {} at {}", depth, i);
    let r = descend(depth + 1);
    r + big[i]
}

fn main() {
    println!("{} {}", one_page(40), two_pages(40));
    eprintln!("descending");
    println!("{}", descend(0));
}

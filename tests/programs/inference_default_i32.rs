// An unconstrained literal is i32: doubling overflows at 2^31.
fn main() {
    let mut x = 1;
    let mut steps = 0;
    loop {
        x *= 2;
        steps += 1;
        if steps % 10 == 0 {
            println!("2^{} = {}", steps, x);
        }
    }
}

mod checks;

fn main() {
    checks::run(3);
    checks::run(4);
}

use lib_and_bin::shapes;
use lib_and_bin::{greet, uses_internal, Circle as C, VERSION};

fn main() {
    let n = greet("bin");
    println!("{} {}", n, uses_internal());
    let mut c = C { r: 2 };
    c.grow(1);
    println!("{:?} {}", c, c.area_x100());
    let s = shapes::Circle { r: 10 };
    println!("{}", s.area_x100());
    println!("{:?}", VERSION);
    println!("{}", lib_and_bin::greet("again"));
    let mut big = lib_and_bin::Circle { r: 4000 };
    big.grow(1000);
    println!("{}", big.area_x100());
}

//! Prints what the three libraries compute.

use rdr_base::Counter;

fn main() {
    let mut c = Counter::new(3);
    c.bump();
    println!("bump {}", c.bump());
    println!("scale {}", rdr_base::scale(40, 30));
    println!("double {}", rdr_base::fast_double(20));
    println!("limit {}", rdr_base::LIMIT);
    let p = rdr_base::Point { x: 4, y: 5 };
    println!("spread {}", rdr_base::spread(&p));
    println!("total {}", rdr_mid::total(5, 6));
    println!("report {}", rdr_top::report(3));
}

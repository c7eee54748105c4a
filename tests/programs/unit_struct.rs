#[derive(Debug, Clone, Copy)]
struct Marker;

#[derive(Debug)]
struct Empty {}

#[derive(Debug)]
struct NoFields();

impl Marker {
    fn describe(&self) -> &'static str {
        "a marker"
    }

    fn make() -> Marker {
        Marker
    }
}

fn main() {
    let m = Marker;
    let n = Marker::make();
    println!("{:?} {:?} {}", m, n, m.describe());
    println!("{:?} {:?}", Empty {}, NoFields());
    println!("[{:>10?}] [{:<8?}]", Marker, Empty {});
}

// Lifetime annotations are accepted and ignored.
struct View<'a> {
    data: &'a [i32],
    label: &'static str,
}

impl<'a> View<'a> {
    fn first(&self) -> &'a i32 {
        &self.data[0]
    }
}

fn largest<'a, 'b: 'a>(a: &'a i32, b: &'b i32) -> &'a i32 {
    if *a > *b {
        a
    } else {
        b
    }
}

fn show(v: &View<'_>) -> usize {
    v.data.len() + v.label.len()
}

fn main() {
    let values = [3, 9, 4];
    let v = View { data: &values, label: "nums" };
    println!("{} {} {}", v.first(), largest(&values[1], &values[2]), show(&v));
}

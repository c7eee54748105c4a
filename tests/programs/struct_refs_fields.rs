#[derive(Debug)]
struct View<'a> {
    data: &'a [u16],
    label: &'a str,
}

impl<'a> View<'a> {
    fn total(&self) -> u32 {
        let mut t = 0;
        for i in 0..self.data.len() {
            t += self.data[i] as u32;
        }
        t
    }

    fn first(&self) -> &'a u16 {
        &self.data[0]
    }
}

fn main() {
    let numbers = [100u16, 200, 300, 65535];
    let v = View { data: &numbers, label: "numbers" };
    println!("{} {} {}", v.label, v.total(), v.first());
    println!("{:?}", v);
    let empty: [u16; 0] = [];
    let w = View { data: &empty, label: "" };
    println!("{:?} {}", w, w.total());
    println!("{}", w.first());
}

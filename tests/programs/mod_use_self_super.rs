mod a {
    pub fn id() -> u32 {
        1
    }

    pub mod b {
        use super::id;
        use self::c::deep;

        pub fn total() -> u32 {
            id() + deep() + super::super::top()
        }

        pub mod c {
            pub fn deep() -> u32 {
                100
            }
        }
    }
}

fn top() -> u32 {
    10
}

mod consumer {
    use crate::a::b;
    use crate::a::b::c::deep as deep_value;

    pub fn run() -> u32 {
        b::total() * 2 + deep_value()
    }
}

fn main() {
    println!("{}", a::b::total());
    println!("{}", consumer::run());
}

struct Parser {
    pos: usize,
}

impl Parser {
    fn parse_number(&mut self) -> i64 {
        self.pos += 1;
        42
    }

    fn parse_string(&mut self) -> &'static str {
        todo!("strings at position {}", self.pos)
    }
}

fn main() {
    let mut p = Parser { pos: 0 };
    println!("{}", p.parse_number());
    println!("{}", p.parse_number());
    println!("{}", p.parse_string());
}

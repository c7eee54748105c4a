#[derive(Debug, Clone, Copy)]
struct Builder {
    width: u32,
    height: u32,
    depth: u32,
}

impl Builder {
    fn new() -> Builder {
        Builder { width: 1, height: 1, depth: 1 }
    }
    fn width(self, w: u32) -> Builder {
        Builder { width: w, height: self.height, depth: self.depth }
    }
    fn height(mut self, h: u32) -> Builder {
        self.height = h;
        self
    }
    fn depth(self, d: u32) -> Self {
        let mut b = self;
        b.depth = d;
        b
    }
    fn volume(&self) -> u32 {
        self.width * self.height * self.depth
    }
}

fn main() {
    let b = Builder::new().width(4).height(5).depth(6);
    println!("{:?} {}", b, b.volume());
    println!("{}", Builder::new().depth(9).volume());
}

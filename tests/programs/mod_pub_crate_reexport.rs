mod engine {
    pub(crate) fn internal_speed() -> u32 {
        88
    }

    mod parts {
        pub fn piston_count() -> u32 {
            8
        }

        #[derive(Debug)]
        pub struct Gear {
            pub teeth: u16,
        }
    }

    pub use self::parts::piston_count;
    pub use self::parts::Gear as EngineGear;

    pub fn describe() -> u32 {
        internal_speed() + piston_count()
    }
}

pub use engine::describe;

fn main() {
    println!("{}", engine::internal_speed());
    println!("{}", engine::piston_count());
    println!("{:?}", engine::EngineGear { teeth: 32 });
    println!("{}", describe());
}

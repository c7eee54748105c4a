mod outer {
    pub fn name() -> &'static str {
        "outer"
    }

    pub mod inner {
        pub fn name() -> &'static str {
            "inner"
        }

        pub fn parent_name() -> &'static str {
            super::name()
        }

        pub fn root_name() -> &'static str {
            crate::root()
        }

        pub fn own() -> &'static str {
            self::name()
        }

        pub mod deepest {
            pub fn chain() -> &'static str {
                super::super::name()
            }
        }
    }
}

fn root() -> &'static str {
    "root"
}

fn main() {
    println!("{}", outer::name());
    println!("{}", outer::inner::name());
    println!("{}", outer::inner::parent_name());
    println!("{}", outer::inner::root_name());
    println!("{}", outer::inner::own());
    println!("{}", outer::inner::deepest::chain());
    println!("{}", crate::outer::inner::deepest::chain());
    println!("{}", self::root());
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Version {
    major: u16,
    minor: u16,
    patch: u16,
}

fn bump_minor(v: Version) -> Version {
    Version { major: v.major, minor: v.minor + 1, patch: 0 }
}

fn main() {
    let v1 = Version { major: 1, minor: 4, patch: 2 };
    let v2 = bump_minor(v1);
    println!("{:?} -> {:?}", v1, v2);
    assert_eq!(v2, Version { major: 1, minor: 5, patch: 0 });
    assert_ne!(v1, v2);
    println!("checks passed");
    assert_eq!(bump_minor(v2), v2, "minor bump of {:?}", v2);
}

use geo::{Square, LIMITS, UNIT};

const MORE: usize = geo::SIDES + 1;
const LOCAL_UNIT: Square = geo::UNIT;
const DOUBLE: [i64; 3] = geo::LIMITS;
static MIRROR: [i64; 3] = geo::LIMITS;
static WIDE: u128 = geo::BIG + 1;

fn main() {
    let grid = [[0u8; geo::SIDES]; MORE];
    println!("{} {} {}", grid.len(), grid[0].len(), geo::NEG);
    println!("{} {} {} {}", geo::BIG, geo::FLAG, geo::LETTER, WIDE);
    println!("{:?} {} {}", LIMITS, LIMITS[2], geo::sum(&LIMITS));
    println!("{:?} {} {:?}", UNIT, UNIT.side, LOCAL_UNIT == UNIT);
    println!("{:?} {}", geo::PAIR, geo::PAIR.1.side);
    println!("{} {:?} {}", geo::NAME, geo::WORDS, geo::WORDS[1].len());
    println!("{:?} {} {:?} {}", geo::TABLE, geo::TABLE[3], geo::ORIGIN, geo::COUNT);
    println!("{:?} {:?} {}", DOUBLE, MIRROR, geo::sum(&MIRROR[1..]));
    let z: &[u8] = geo::ZREF;
    println!("{:?} {:?} {} {:?} {:?}", geo::ZEROS, geo::NESTED, z.len(), geo::ORDER, geo::NESTED.0);
    let r: &Square = &geo::UNIT;
    println!("{}", r.side + geo::ORIGIN.side);
}

// A negated literal is one constant: MIN values of signed types evaluate without overflow.
const I8_MIN: i8 = -128;
const I64_MIN: i64 = -9223372036854775808;
const I128_MIN: i128 = -170141183460469231731687303715884105728;
const PAREN: i32 = -(5);

fn main() {
    println!("{} {} {} {}", I8_MIN, I64_MIN, I128_MIN, PAREN);
}

fn main() {
    let empty: [[i32; 0]; 2] = [[], []];
    let grid = [[1, 2], [3, 4]];
    let tuple_arr = [((), 1u8), ((), 2u8)];
    let nested = [[[true]]];
    println!("{:?}", empty);
    println!("{:?}", grid);
    println!("{:?}", tuple_arr);
    println!("{:?}", nested);
    let s: &[[i32; 2]] = &grid;
    println!("{:?} {}", s, s.len());
    println!("{:4?}", grid);
}

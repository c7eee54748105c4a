fn is_leap(y: u32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: u32, m: u32) -> u32 {
    let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if m == 2 && is_leap(y) { 29 } else { days[(m - 1) as usize] }
}

// Day of week by Zeller-like counting from 1 Jan 1900 (a Monday).
fn weekday(y: u32, m: u32, d: u32) -> u32 {
    let mut days: u64 = 0;
    for year in 1900..y {
        days += if is_leap(year) { 366 } else { 365 };
    }
    for month in 1..m {
        days += days_in_month(y, month) as u64;
    }
    days += (d - 1) as u64;
    ((days + 1) % 7) as u32
}

fn print_month(y: u32, m: u32) {
    let names = ["January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December"];
    println!("{:^20}", names[(m - 1) as usize]);
    println!("Su Mo Tu We Th Fr Sa");
    let first = weekday(y, m, 1);
    for _i in 0..first {
        print!("   ");
    }
    let mut col = first;
    for d in 1..=days_in_month(y, m) {
        print!("{:>2}", d);
        col += 1;
        if col % 7 == 0 {
            println!();
        } else {
            print!(" ");
        }
    }
    if col % 7 != 0 {
        println!();
    }
}

fn main() {
    print_month(2024, 2);
    println!();
    print_month(2000, 1);
    println!("{} {} {}", is_leap(1900), is_leap(2000), is_leap(2024));
}

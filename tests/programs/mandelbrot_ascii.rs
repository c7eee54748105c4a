// Fixed-point (scaled by 1000) Mandelbrot set in ASCII.
fn escape(cr: i64, ci: i64) -> u32 {
    let mut zr: i64 = 0;
    let mut zi: i64 = 0;
    let mut n = 0;
    while n < 30 {
        let zr2 = zr * zr / 1000;
        let zi2 = zi * zi / 1000;
        if zr2 + zi2 > 4000 {
            break;
        }
        let t = zr2 - zi2 + cr;
        zi = 2 * zr * zi / 1000 + ci;
        zr = t;
        n += 1;
    }
    n
}

fn main() {
    let shades = [' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];
    let mut y = -1200;
    while y <= 1200 {
        let mut x = -2100;
        while x <= 600 {
            let n = escape(x, y);
            print!("{}", shades[(n as usize * (shades.len() - 1)) / 30]);
            x += 50;
        }
        println!();
        y += 100;
    }
}

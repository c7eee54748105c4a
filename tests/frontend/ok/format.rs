// Every formatting option of Level 1 and the panic-family macros in unreachable code.
#![allow(unreachable_code)]

#[derive(Debug)]
struct Item {
    id: u16,
    name: &'static str,
    tags: [char; 2],
}

fn never(flag: bool) -> i32 {
    if flag {
        panic!("flag was {}", flag);
    }
    if !flag {
        return 3;
    }
    unreachable!()
}

fn main() {
    let x = 42;
    let w = 8;
    let name = "ws";
    println!("{:>8}|{:<5}|{:^7}|{:08}|{:+}|{:#x}|{:X}|{:b}|{:o}|{:#b}", x, x, x, x, x, x, x, x, x, x);
    println!("{0} {0:?} {1} {name} {x:>w$} {:1$}", x, w);
    println!("{:*^9} {:.3} {:>1$.2}", name, 7, name);
    println!("{{literal}} {:?} {:#?}", Item { id: 1, name: "a", tags: ['x', 'y'] }, (1, "two"));
    print!("no newline ");
    print!("{}\n", 1);
    eprintln!("to stderr {}", -1);
    eprint!("done\n");
    println!();
    let v = never(false);
    assert!(v == 3);
    assert!(v + 1 == 4, "v was {}", v);
    assert_eq!(v, 3);
    assert_ne!(v, 4, "v must not be {}", 4);
    if v > 100 {
        todo!();
    }
    if v > 200 {
        unreachable!("too big: {}", v);
    }
    if v > 300 {
        std::process::exit(2);
    }
}

mod network;

use network::packet::{Packet, checksum};

fn main() {
    let p = Packet { id: 7, payload: [1, 2, 3, 250] };
    println!("{:?}", p);
    println!("checksum {}", checksum(&p));
    println!("{}", network::describe(&p));
}

// A line comment.
/* A block comment
   over several lines. */
/// A doc comment on main.
fn main() {
    let x = 1; // trailing comment
    /* inline */ let y = /* in the middle */ 2;
    /* nested /* block */ comments */
    println!("{}", x + y); // prints 3
    // a comment mentioning //! and /* */ inside
    println!("/* not a comment */ // nor this");
}

//! Criterion benchmark: building a 100 000-edge stance graph and exporting it.
fn main() {}

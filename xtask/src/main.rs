//! `cargo xtask`: the project's commands (in progress).
fn main() {
    eprintln!("xtask: not built yet");
    std::process::exit(1);
}

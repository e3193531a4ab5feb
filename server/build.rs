//! Rebuilds the server when a file in `migrations/` is added or changed.
//! `sqlx::migrate!` embeds that directory at compile time, but cargo does
//! not watch it on its own, so without this a new migration file would be
//! missing from an incremental build.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}

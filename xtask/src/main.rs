//! `cargo xtask`: the project's commands (set-up, build, demo, test, size, bench).

mod bench;
mod build;
mod compress;
mod imports;
mod npm;
mod demo;
mod dist;
mod docs;
mod setup;
mod size;
mod test;

const USAGE: &str = "usage: cargo xtask <command> [options]

commands:
  demo [--addr HOST:PORT]   install what is missing, build pkg/, serve the demo site
  build                     build pkg/ (release, size-optimised, wasm-opt)
  dist [--pkg DIR]          write the release archives dist/ogkit-VERSION.tar.gz and .zip
  docs [--pages-only]       render www/ into target/docs/ and build its widget kit
  test                      run every test: native, widgets in Chromium, end-to-end
  size                      print the gzip and brotli size of every file in pkg/
  bench [search|poll]       run the benchmarks; each writes its section of BENCHMARKS.md";

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return std::process::ExitCode::FAILURE;
    };
    let result = match command.as_str() {
        "demo" => demo::run(rest),
        "build" => build::run(rest),
        "dist" => dist::run(rest),
        "docs" => docs::run(rest),
        "test" => test::run(rest),
        "size" => size::run(rest),
        "bench" => bench::run(rest),
        "setup" => setup::run(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            return std::process::ExitCode::SUCCESS;
        }
        other => {
            eprintln!("xtask: unknown command {other:?}\n\n{USAGE}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask {command}: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

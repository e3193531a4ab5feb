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

use std::process::ExitCode;

/// One `cargo xtask` command.
struct Command {
    name: &'static str,
    /// The command with its options, as in the overview.
    synopsis: &'static str,
    /// One line on what the command does, for the overview.
    summary: &'static str,
    /// The text of `cargo xtask NAME --help`: every option and what it sets.
    usage: &'static str,
    run: fn(&[String]) -> anyhow::Result<()>,
}

/// Every command, in the order of the overview.
const COMMANDS: &[Command] = &[
    Command {
        name: "setup",
        synopsis: "setup",
        summary: "install the missing tools: wasm target, wasm-bindgen CLI, wasm-pack, npm packages, Chromium",
        usage: setup::USAGE,
        run: setup::run,
    },
    Command {
        name: "build",
        synopsis: "build [--widgets ELEMENTS]",
        summary: "build pkg/ (release, size-optimised, wasm-opt), all widgets or only the named ones",
        usage: build::USAGE,
        run: build::run,
    },
    Command {
        name: "docs",
        synopsis: "docs [--pages-only]",
        summary: "render www/ into target/docs/ and build its widget kit",
        usage: docs::USAGE,
        run: docs::run,
    },
    Command {
        name: "dist",
        synopsis: "dist [--pkg DIR]",
        summary: "write the release archives dist/ogkit-VERSION.tar.gz and .zip",
        usage: dist::USAGE,
        run: dist::run,
    },
    Command {
        name: "demo",
        synopsis: "demo [--addr HOST:PORT]",
        summary: "install what is missing, build pkg/ and the docs, serve the demo site",
        usage: demo::USAGE,
        run: demo::run,
    },
    Command {
        name: "test",
        synopsis: "test [SUITE…]",
        summary: "run every test (or the named suites): native, widgets in Chromium, end-to-end, dist, size",
        usage: test::USAGE,
        run: test::run,
    },
    Command {
        name: "size",
        synopsis: "size [--widgets ELEMENTS]",
        summary: "print the gzip and brotli size of every file in pkg/ or of a kit with only ELEMENTS",
        usage: size::USAGE,
        run: size::run,
    },
    Command {
        name: "bench",
        synopsis: "bench [search|poll|table]",
        summary: "run the benchmarks; each writes its section of BENCHMARKS.md",
        usage: bench::USAGE,
        run: bench::run,
    },
];

/// Returns the overview that `cargo xtask --help` prints: one line per command.
fn overview() -> String {
    let mut text = String::from("usage: cargo xtask <command> [options]\n\ncommands:\n");
    for command in COMMANDS {
        text.push_str(&format!("  {:<28}{}\n", command.synopsis, command.summary));
    }
    text.push_str("\n`cargo xtask <command> --help` (or `cargo xtask help <command>`) prints the options of one command.");
    text
}

fn find_command(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|command| command.name == name)
}

fn is_help_flag(arg: &str) -> bool {
    arg == "-h" || arg == "--help"
}

/// The step that `main` takes for its command-line arguments.
#[derive(Debug, PartialEq)]
enum Action {
    /// Print this text to standard output and succeed.
    Help(String),
    /// Print this message to standard error and fail.
    UsageError(String),
    /// Run the command with the remaining arguments.
    Run(&'static str),
}

/// Decides from the arguments (without the program name) what to do.
/// `-h` or `--help` anywhere after a command prints that command's usage
/// instead of running it.
fn parse(args: &[String]) -> Action {
    let Some((name, rest)) = args.split_first() else {
        return Action::UsageError(overview());
    };
    if is_help_flag(name) || name == "help" {
        return match rest {
            [] => Action::Help(overview()),
            [topic, ..] => match find_command(topic) {
                Some(command) => Action::Help(command.usage.to_owned()),
                None => Action::UsageError(format!("xtask help: unknown command {topic:?}\n\n{}", overview())),
            },
        };
    }
    match find_command(name) {
        Some(command) if rest.iter().any(|arg| is_help_flag(arg)) => Action::Help(command.usage.to_owned()),
        Some(command) => Action::Run(command.name),
        None => Action::UsageError(format!("xtask: unknown command {name:?}\n\n{}", overview())),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let name = match parse(&args) {
        Action::Help(text) => {
            println!("{text}");
            return ExitCode::SUCCESS;
        }
        Action::UsageError(text) => {
            eprintln!("{text}");
            return ExitCode::FAILURE;
        }
        Action::Run(name) => name,
    };
    let command = find_command(name).expect("parse returns only names from COMMANDS");
    match (command.run)(&args[1..]) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask {name}: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn overview_lists_every_command() {
        let text = overview();
        for command in COMMANDS {
            assert!(text.contains(&format!("  {}", command.synopsis)), "overview lacks {:?}:\n{text}", command.synopsis);
        }
    }

    #[test]
    fn overview_lists_setup_and_build_widgets() {
        let text = overview();
        assert!(text.contains("  setup "), "{text}");
        assert!(text.contains("build [--widgets ELEMENTS]"), "{text}");
    }

    #[test]
    fn usage_names_its_command() {
        for command in COMMANDS {
            let first_line = command.usage.lines().next().unwrap_or("");
            let expected = format!("usage: cargo xtask {}", command.synopsis);
            assert_eq!(first_line, expected, "first line of the usage of {}", command.name);
        }
    }

    #[test]
    fn usage_explains_every_option() {
        for command in COMMANDS {
            let body: String = command.usage.lines().skip(1).collect::<Vec<_>>().join("\n");
            let options = command.synopsis.split(['[', ']', ' ', '|']).filter(|word| word.starts_with("--"));
            for option in options {
                assert!(body.contains(option), "usage of {} does not explain {option}:\n{}", command.name, command.usage);
            }
        }
    }

    #[test]
    fn help_flag_after_command_prints_usage() {
        for command in COMMANDS {
            for flag in ["--help", "-h"] {
                assert_eq!(parse(&strings(&[command.name, flag])), Action::Help(command.usage.to_owned()), "{} {flag}", command.name);
            }
        }
        assert_eq!(parse(&strings(&["build", "--widgets", "og-poll", "--help"])), Action::Help(build::USAGE.to_owned()));
    }

    #[test]
    fn help_command_prints_usage() {
        assert_eq!(parse(&strings(&["help", "dist"])), Action::Help(dist::USAGE.to_owned()));
        assert_eq!(parse(&strings(&["--help", "size"])), Action::Help(size::USAGE.to_owned()));
        assert_eq!(parse(&strings(&["help"])), Action::Help(overview()));
        assert_eq!(parse(&strings(&["-h"])), Action::Help(overview()));
    }

    #[test]
    fn unknown_command_is_usage_error() {
        let Action::UsageError(text) = parse(&strings(&["deploy"])) else { panic!("deploy is no command") };
        assert!(text.starts_with("xtask: unknown command \"deploy\""), "{text}");
        let Action::UsageError(text) = parse(&strings(&["help", "deploy"])) else { panic!("deploy is no command") };
        assert!(text.starts_with("xtask help: unknown command \"deploy\""), "{text}");
        assert!(matches!(parse(&[]), Action::UsageError(_)));
    }

    #[test]
    fn plain_arguments_run_command() {
        assert_eq!(parse(&strings(&["build", "--widgets", "og-poll"])), Action::Run("build"));
        assert_eq!(parse(&strings(&["test", "native"])), Action::Run("test"));
    }
}

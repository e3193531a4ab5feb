//! The `ogkit` command: serves the widgets, the demo and the docs, and
//! converts real service catalogues into the ogkit catalogue format.

use clap::parser::ValueSource;
use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

mod form_import;
mod forms;
mod guard;
mod import;
mod polls;
mod serve;
mod stdout;
#[cfg(test)]
mod test_log;

/// Open-Government-Kit: embeddable widgets for municipal websites.
#[derive(Debug, Parser)]
#[command(name = "ogkit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the widgets (pkg/), the demo site and the docs over HTTP.
    Serve(serve::ServeArgs),
    /// Convert data from other formats into ogkit formats.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Manage participation polls: create, close, invitation codes, export.
    #[command(subcommand)]
    Poll(polls::PollCommand),
    /// Manage online forms: register schemas, export and purge submissions,
    /// import FIM schemas.
    #[command(subcommand)]
    Form(FormCommand),
}

#[derive(Debug, Subcommand)]
enum FormCommand {
    /// Convert a FIM XDatenfelder 2 Stammdatenschema into an ogkit form schema.
    ImportXdf(form_import::ImportXdfArgs),
    #[command(flatten)]
    Manage(forms::FormCommand),
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Convert a service catalogue (DLDB JSON or OZG/LeiKa CSV) into an ogkit catalogue.
    Services(import::ServicesArgs),
}

fn main() -> std::process::ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.format(&mut Cli::command()).exit(),
    };
    let result = match cli.command {
        Command::Serve(args) => {
            let serve_matches = matches.subcommand_matches("serve");
            serve::run(args, |id| {
                serve_matches.is_some_and(|found| {
                    found.value_source(id) == Some(ValueSource::CommandLine)
                })
            })
        }
        Command::Import(ImportCommand::Services(args)) => import::run(&args),
        Command::Poll(command) => polls::run_command(command),
        Command::Form(FormCommand::ImportXdf(args)) => form_import::run(&args),
        Command::Form(FormCommand::Manage(command)) => forms::run_command(command),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ogkit: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

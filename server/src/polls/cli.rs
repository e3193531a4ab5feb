//! `ogkit poll …`: staff commands that work on the database file directly,
//! also while `ogkit serve` runs on it (SQLite serialises the writers).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use ogkit_core::poll::{Lang, Participation, Poll};

use super::definition::{self, DefinitionError};
use super::export::{self, ExportFormat};
use super::guard::voter_key;
use super::routes::normalize_code;
use super::store::{now, PollStore, SqliteStore, StoreError};
use super::{DatabaseArgs, TallyHub};

/// Most invitation codes issued by one command or request.
pub(crate) const MAX_CODES_PER_CALL: usize = 100_000;

/// Upper-case letters and digits of invitation codes without 0, O, 1 and
/// I, which are easy to mix up when typed from paper. 32 symbols give 5
/// bits each.
const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Symbols per invitation code: 12 symbols are 60 random bits.
const CODE_LEN: usize = 12;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum PollCommand {
    /// Create a poll from a TOML file. The staff guide page "Managing
    /// polls" describes the format: /docs/en/managing-polls.html on a
    /// running ogkit serve, docs/en/managing-polls.html in the release
    /// bundle.
    Create {
        /// The poll definition.
        #[arg(long, value_name = "POLL.toml")]
        file: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Close a poll now; ballots sent afterwards are rejected.
    Close {
        /// Id of the poll.
        id: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Issue one-time invitation codes and print them, one per line.
    /// Only their hashes are stored, so this output is the only copy.
    Codes {
        /// Id of the poll.
        id: String,
        /// Number of codes to issue.
        #[arg(long, value_name = "N")]
        count: usize,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Print the aggregated results with the poll's metadata.
    Export {
        /// Id of the poll.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Runs one `ogkit poll` command.
pub(crate) fn run(command: PollCommand) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(run_async(command))
}

async fn run_async(command: PollCommand) -> anyhow::Result<()> {
    match command {
        PollCommand::Create { file, database } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{}: cannot read the poll file", file.display()))?;
            let poll: Poll = match definition::parse(&text) {
                Ok(poll) => poll,
                Err(DefinitionError::Syntax(message)) => {
                    anyhow::bail!("{}: invalid poll definition: {message}", file.display())
                }
                Err(DefinitionError::Keys(problems)) => {
                    anyhow::bail!("{}: the poll has problems:\n{}", file.display(), bullet_list(&problems))
                }
            };
            let violations: Vec<String> =
                poll.check().iter().map(|violation| violation.message(Lang::En)).collect();
            if !violations.is_empty() {
                anyhow::bail!("{}: the poll has problems:\n{}", file.display(), bullet_list(&violations));
            }
            let store = open(&database).await?;
            match store.create_poll(&poll, now()).await {
                Ok(()) => crate::stdout::print(&format!("poll {} created\n", poll.id))?,
                Err(StoreError::PollExists(id)) => {
                    anyhow::bail!("poll {id} exists already; choose another id in {}", file.display())
                }
                Err(error) => return Err(error.into()),
            }
        }
        PollCommand::Close { id, database } => {
            let store = open(&database).await?;
            let Some(stored) = store.close_poll(&id, now()).await? else {
                anyhow::bail!("poll {id} not found in {}", database.database_path().display());
            };
            let closed_at = stored.closed_at.map(|time| time.to_string()).unwrap_or_default();
            crate::stdout::print(&format!("poll {id} closed at {closed_at}\n"))?;
        }
        PollCommand::Codes { id, count, database } => {
            anyhow::ensure!(
                (1..=MAX_CODES_PER_CALL).contains(&count),
                "--count must be between 1 and {MAX_CODES_PER_CALL}, found {count}"
            );
            let store = open(&database).await?;
            let Some(stored) = store.poll(&id).await? else {
                anyhow::bail!("poll {id} not found in {}", database.database_path().display());
            };
            if let Some(reason) = codes_not_accepted(&stored.poll) {
                anyhow::bail!("{reason}");
            }
            let codes = generate_codes(count)?;
            let hashes: Vec<[u8; 32]> =
                codes.iter().map(|code| voter_key("code", &id, &normalize_code(code))).collect();
            match store.add_codes(&id, &hashes, now()).await {
                Ok(()) => {}
                Err(StoreError::PollNotFound(id)) => {
                    anyhow::bail!("poll {id} not found in {}", database.database_path().display())
                }
                Err(error) => return Err(error.into()),
            }
            let mut lines = codes.join("\n");
            lines.push('\n');
            crate::stdout::print(&lines).with_context(|| {
                format!("the {count} codes are stored but were not printed, so nobody can use them; issue new ones")
            })?;
        }
        PollCommand::Export { id, format, database } => {
            let store = open(&database).await?;
            let Some(stored) = store.poll(&id).await? else {
                anyhow::bail!("poll {id} not found in {}", database.database_path().display());
            };
            let tally = export::tally(&store, &stored).await?;
            let (text, _) = export::render(&stored, &tally, format, now())?;
            crate::stdout::print(&text)?;
        }
    }
    Ok(())
}

fn bullet_list(items: &[String]) -> String {
    let lines: Vec<String> = items.iter().map(|item| format!("  - {item}")).collect();
    lines.join("\n")
}

async fn open(database: &DatabaseArgs) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(&database.database_path(), Arc::new(TallyHub::default())).await
}

/// Returns why `poll` takes no invitation codes, or `None` when it needs
/// them (`participation = "code"`). A code issued for an open poll would
/// never be asked for, so issuing it only misleads the people who get it.
pub(crate) fn codes_not_accepted(poll: &Poll) -> Option<String> {
    match poll.participation {
        Participation::Code => None,
        Participation::Open => Some(format!(
            "poll {} is open to everyone (participation = \"open\"), so it takes no invitation \
             codes and none were issued; for a poll that needs codes, create a poll with \
             participation = \"code\" under a new id, because a created poll cannot be changed",
            poll.id
        )),
    }
}

/// Generates `count` random invitation codes such as `K7QM-2XHD-PW9A`.
///
/// # Errors
///
/// Fails when the operating system's random source fails.
pub(crate) fn generate_codes(count: usize) -> anyhow::Result<Vec<String>> {
    let mut codes = Vec::with_capacity(count);
    let mut bytes = [0u8; CODE_LEN];
    for _ in 0..count {
        getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("no random numbers: {error}"))?;
        let mut code = String::with_capacity(CODE_LEN + 2);
        for (index, byte) in bytes.iter().enumerate() {
            if index > 0 && index % 4 == 0 {
                code.push('-');
            }
            // 256 is a multiple of 32, so the low five bits are uniform.
            code.push(char::from(CODE_ALPHABET[usize::from(byte & 31)]));
        }
        codes.push(code);
    }
    Ok(codes)
}

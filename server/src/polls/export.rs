//! Aggregated results with the poll's metadata, as CSV or JSON, for
//! `ogkit poll export` and `GET /api/v1/admin/polls/{id}/export`.
//!
//! The export holds only counts, never single ballots.

use ogkit_core::poll::{Poll, Tally, Timestamp};
use serde::Serialize;

use super::store::{PollStore, StoreError, StoredPoll};

/// Output format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ExportFormat {
    Csv,
    Json,
}

#[derive(Serialize)]
struct JsonExport<'a> {
    poll: &'a Poll,
    closed_at: Option<Timestamp>,
    exported_at: Timestamp,
    tally: &'a Tally,
}

/// Reads the counts of `stored` from the database.
pub(crate) async fn tally<S: PollStore>(store: &S, stored: &StoredPoll) -> Result<Tally, StoreError> {
    let counts = store.counts(&stored.poll.id).await?;
    Ok(Tally::from_counts(&stored.poll, counts.participants, |question, choice| {
        counts.counts.get(&(question.to_owned(), choice.to_owned())).copied().unwrap_or(0)
    }))
}

/// Renders the export; returns the text and its media type.
pub(crate) fn render(
    stored: &StoredPoll,
    tally: &Tally,
    format: ExportFormat,
    exported_at: Timestamp,
) -> anyhow::Result<(String, &'static str)> {
    match format {
        ExportFormat::Json => {
            let export = JsonExport { poll: &stored.poll, closed_at: stored.closed_at, exported_at, tally };
            Ok((serde_json::to_string_pretty(&export)? + "\n", "application/json"))
        }
        ExportFormat::Csv => Ok((render_csv(stored, tally, exported_at)?, "text/csv; charset=utf-8")),
    }
}

/// Writes one row per choice. The poll's metadata repeats in every row, so
/// each row is complete on its own in a spreadsheet.
fn render_csv(stored: &StoredPoll, tally: &Tally, exported_at: Timestamp) -> anyhow::Result<String> {
    let poll = &stored.poll;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "poll_id", "poll_title", "opens_at", "closes_at", "closed_at", "exported_at", "participants",
        "question_id", "question", "kind", "percent_base", "choice_id", "choice", "count", "percent",
    ])?;
    let closed_at = stored.closed_at.map(|time| time.to_string()).unwrap_or_default();
    for (question, counted) in poll.questions.iter().zip(&tally.questions) {
        let kind = serde_json::to_value(question.kind)?;
        let base = serde_json::to_value(counted.percent_base)?;
        for (choice, count) in question.choices.iter().zip(&counted.choices) {
            writer.write_record([
                poll.id.as_str(),
                poll.title.as_str(),
                &poll.opens_at.to_string(),
                &poll.closes_at.to_string(),
                &closed_at,
                &exported_at.to_string(),
                &tally.participants.to_string(),
                question.id.as_str(),
                question.text.as_str(),
                kind.as_str().unwrap_or(""),
                base.as_str().unwrap_or(""),
                choice.id.as_str(),
                choice.label.as_str(),
                &count.count.to_string(),
                &format!("{:.1}", count.percent),
            ])?;
        }
    }
    let bytes = writer.into_inner().map_err(|error| anyhow::anyhow!("CSV export failed: {error}"))?;
    Ok(String::from_utf8(bytes)?)
}

-- Online forms: registered schemas, submissions and the reference number
-- counters. Times are Unix seconds (UTC); hashes are SHA-256 digests.
-- Submissions hold personal data: `ogkit form purge` deletes them, and no
-- client address is stored anywhere.

CREATE TABLE forms (
    id TEXT PRIMARY KEY NOT NULL,
    -- Version in form_versions that new submissions are checked against.
    current_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Every schema a form has had, so each submission names the schema it was
-- checked against.
CREATE TABLE form_versions (
    form_id TEXT NOT NULL REFERENCES forms (id),
    version INTEGER NOT NULL,
    -- The schema file as registered: JSON Schema with x-ogkit UI hints.
    schema TEXT NOT NULL,
    -- Registering the same file again adds no version.
    schema_sha256 BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (form_id, version)
);

CREATE TABLE submissions (
    seq INTEGER PRIMARY KEY NOT NULL,
    form_id TEXT NOT NULL REFERENCES forms (id),
    schema_version INTEGER NOT NULL,
    -- The client's UUID, which makes a resent submission return its
    -- reference number.
    submission_id TEXT NOT NULL,
    -- Such as OG-2026-000123.
    reference TEXT NOT NULL UNIQUE,
    -- The submitted data as JSON.
    data TEXT NOT NULL,
    -- A resent submission id with other data is a conflict, not a replay.
    data_sha256 BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (form_id, submission_id)
);

CREATE INDEX submissions_by_received_at ON submissions (received_at);

-- The last reference number given out per calendar year (UTC). The
-- counter is raised in the transaction that stores the submission, and
-- purging submissions never lowers it, so no number is given out twice.
CREATE TABLE reference_counters (
    year INTEGER PRIMARY KEY NOT NULL,
    last_number INTEGER NOT NULL
);

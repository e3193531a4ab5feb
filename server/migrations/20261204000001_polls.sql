-- Polls, ballots and invitation codes. Times are Unix seconds (UTC).
-- Hashes are SHA-256 digests (32 bytes); neither voter tokens nor
-- invitation codes nor client addresses are stored in clear.

CREATE TABLE polls (
    id TEXT PRIMARY KEY NOT NULL,
    -- The poll as JSON in the shape of ogkit_core::poll::Poll.
    definition TEXT NOT NULL,
    opens_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    -- Set when staff close the poll before closes_at.
    closed_at INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE ballots (
    seq INTEGER PRIMARY KEY NOT NULL,
    poll_id TEXT NOT NULL REFERENCES polls (id),
    -- The client's UUID, which makes a resent ballot return its receipt.
    ballot_id TEXT NOT NULL,
    -- Hash of the voter token (open polls) or of the invitation code.
    voter_key BLOB NOT NULL,
    accepted_at INTEGER NOT NULL,
    -- These two constraints, not a lookup before the insert, enforce one
    -- ballot per voter and make ballot ids idempotent under concurrency.
    UNIQUE (poll_id, ballot_id),
    UNIQUE (poll_id, voter_key)
);

CREATE TABLE ballot_selections (
    ballot_seq INTEGER NOT NULL REFERENCES ballots (seq),
    poll_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    choice_id TEXT NOT NULL,
    PRIMARY KEY (ballot_seq, question_id, choice_id)
);

CREATE INDEX ballot_selections_by_poll ON ballot_selections (poll_id, question_id, choice_id);

CREATE TABLE invitation_codes (
    poll_id TEXT NOT NULL REFERENCES polls (id),
    code_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (poll_id, code_hash)
);

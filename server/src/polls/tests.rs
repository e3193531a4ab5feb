//! In-process tests of the poll API.

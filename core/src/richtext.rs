//! richtext (in progress)

//! Embeddable ogkit widgets (in progress).

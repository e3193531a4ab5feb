//! Choosing the encoding from the first bytes of a file, for callers that
//! decode with a decoder of their own (the browser's `TextDecoder`).
//!
//! The rules are those of [`Decoder`](super::Decoder): a byte-order mark
//! wins, then a declared encoding, then the first non-ASCII sequence
//! decides between UTF-8 and Windows-1252. [`sniff_encoding`] only looks,
//! so a caller can stream the bytes to a faster decoder once it knows which
//! one to create. Bytes before the decision are ASCII, which reads the same
//! in every encoding the reader knows except UTF-16, and UTF-16 is only
//! chosen by a byte-order mark at the very start.

use super::decode::Encoding;
use super::message::{Issue, IssueKey, Severity};

/// What the first bytes of a file tell about its encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniff {
    /// Not decided yet. The first `ascii` bytes are ASCII and may be passed
    /// on as text; the rest must wait for more bytes.
    Undecided {
        /// Length of the ASCII prefix that can be used already.
        ascii: usize,
    },
    /// Decided. Decode the whole file (from byte 0) with `encoding`.
    Decided {
        /// The encoding to decode with.
        encoding: Encoding,
        /// Length of the byte-order mark at the start, 0 without one.
        bom: usize,
        /// The `encoding-guessed` note when the encoding was guessed.
        note: Option<Issue>,
    },
}

/// Looks at the first bytes of a file and decides its encoding when they
/// allow it. `last` says that `prefix` is the whole file, so nothing more
/// will come: then the answer is always [`Sniff::Decided`], with UTF-8 for
/// a file that is all ASCII.
///
/// ```
/// use ogkit_table::{sniff_encoding, Encoding, Sniff};
///
/// let sniff = sniff_encoding(b"Ort;Gr\xf6\xdfe\n", None, false);
/// assert!(matches!(sniff, Sniff::Decided { encoding: Encoding::Windows1252, .. }));
/// assert_eq!(sniff_encoding(b"Ort;Zahl\n", None, false), Sniff::Undecided { ascii: 9 });
/// ```
pub fn sniff_encoding(prefix: &[u8], declared: Option<Encoding>, last: bool) -> Sniff {
    const BOMS: [(&[u8], Encoding); 3] = [
        (b"\xEF\xBB\xBF", Encoding::Utf8),
        (b"\xFF\xFE", Encoding::Utf16Le),
        (b"\xFE\xFF", Encoding::Utf16Be),
    ];
    for (bom, encoding) in BOMS {
        if prefix.starts_with(bom) {
            return decided(encoding, bom.len());
        }
    }
    if !last && prefix.len() < 3 && BOMS.iter().any(|(bom, _)| bom.starts_with(prefix)) {
        return Sniff::Undecided { ascii: 0 };
    }
    if let Some(encoding) = declared {
        return decided(encoding, 0);
    }

    let ascii = prefix
        .iter()
        .position(|byte| !byte.is_ascii())
        .unwrap_or(prefix.len());
    let rest = &prefix[ascii..];
    if rest.is_empty() {
        return if last {
            decided(Encoding::Utf8, 0)
        } else {
            Sniff::Undecided { ascii }
        };
    }
    match std::str::from_utf8(&rest[..rest.len().min(4)]) {
        Err(error) if error.valid_up_to() == 0 => match error.error_len() {
            None if !last => Sniff::Undecided { ascii },
            _ => Sniff::Decided {
                encoding: Encoding::Windows1252,
                bom: 0,
                note: Some(
                    Issue::new(Severity::Note, IssueKey::EncodingGuessed)
                        .with("encoding", Encoding::Windows1252.name()),
                ),
            },
        },
        _ => decided(Encoding::Utf8, 0),
    }
}

fn decided(encoding: Encoding, bom: usize) -> Sniff {
    Sniff::Decided {
        encoding,
        bom,
        note: None,
    }
}

impl Encoding {
    /// Returns the WHATWG label that the browser's `TextDecoder` accepts
    /// for this encoding.
    pub fn whatwg_label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Iso8859_15 => "iso-8859-15",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode_all;

    fn encoding_of(sniff: &Sniff) -> Option<Encoding> {
        match sniff {
            Sniff::Decided { encoding, .. } => Some(*encoding),
            Sniff::Undecided { .. } => None,
        }
    }

    #[test]
    fn byte_order_mark_wins_over_label() {
        let sniff = sniff_encoding(b"\xEF\xBB\xBFa;b", Some(Encoding::Windows1252), false);
        assert_eq!(
            sniff,
            Sniff::Decided {
                encoding: Encoding::Utf8,
                bom: 3,
                note: None
            }
        );
        let sniff = sniff_encoding(b"\xFF\xFEa\0", None, false);
        assert_eq!(encoding_of(&sniff), Some(Encoding::Utf16Le));
    }

    #[test]
    fn partial_bom_waits() {
        assert_eq!(
            sniff_encoding(b"\xEF\xBB", None, false),
            Sniff::Undecided { ascii: 0 }
        );
        assert_eq!(
            sniff_encoding(b"\xEF\xBB", None, true).clone(),
            Sniff::Decided {
                encoding: Encoding::Windows1252,
                bom: 0,
                note: Some(
                    Issue::new(Severity::Note, IssueKey::EncodingGuessed)
                        .with("encoding", "Windows-1252")
                ),
            }
        );
    }

    #[test]
    fn declared_label_is_used() {
        let sniff = sniff_encoding(b"Ort", Some(Encoding::Iso8859_15), false);
        assert_eq!(encoding_of(&sniff), Some(Encoding::Iso8859_15));
    }

    #[test]
    fn ascii_stays_undecided_until_end() {
        assert_eq!(
            sniff_encoding(b"a;b\n1;2\n", None, false),
            Sniff::Undecided { ascii: 8 }
        );
        assert_eq!(
            encoding_of(&sniff_encoding(b"a;b\n1;2\n", None, true)),
            Some(Encoding::Utf8)
        );
    }

    #[test]
    fn cut_utf8_sequence_waits() {
        assert_eq!(
            sniff_encoding(b"Gr\xC3", None, false),
            Sniff::Undecided { ascii: 2 }
        );
        assert_eq!(
            encoding_of(&sniff_encoding(b"Gr\xC3\xB6", None, false)),
            Some(Encoding::Utf8)
        );
    }

    #[test]
    fn decision_matches_decoder() {
        let cases: [&[u8]; 6] = [
            b"Ort;Gr\xf6\xdfe\n",
            b"Ort;Gr\xc3\xb6\xc3\x9fe\n",
            b"\xEF\xBB\xBFOrt\n",
            b"plain ascii\n",
            b"x\x80y",
            b"caf\xe9",
        ];
        for bytes in cases {
            let (_, decoder_encoding, _) = decode_all(bytes, None);
            let sniffed = encoding_of(&sniff_encoding(bytes, None, true));
            assert_eq!(sniffed, decoder_encoding, "{bytes:?}");
        }
    }
}

//! Turning the bytes of a published file into text.
//!
//! German open data comes as UTF-8 (often with a byte-order mark from
//! spreadsheet programs) or as Windows-1252 from older "CSV (delimited)"
//! exports. Without a declared encoding the decoder reads UTF-8 and decides
//! at the first non-ASCII sequence: valid UTF-8 keeps UTF-8, anything else
//! switches the whole file to Windows-1252 and reports the guess as a note.
//! The decision depends only on the bytes, never on where chunks end, so
//! streaming and whole-file decoding give the same text.
//!
//! A byte-order mark wins over a declared label, as in the WHATWG Encoding
//! Standard that browsers follow. The label `iso-8859-1` (and `latin1`,
//! `us-ascii`) means Windows-1252, as it does in browsers, so 0x80 is `€`.

use super::message::{Issue, IssueKey, Severity};

/// A character encoding the table reader can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without byte-order mark.
    Utf8,
    /// UTF-16 little endian; recognised by its byte-order mark.
    Utf16Le,
    /// UTF-16 big endian; recognised by its byte-order mark.
    Utf16Be,
    /// Windows-1252, also used for the labels ISO-8859-1 and US-ASCII.
    Windows1252,
    /// ISO-8859-15 (Latin-9): Latin-1 with `€` at 0xA4.
    Iso8859_15,
}

impl Encoding {
    /// Returns the encoding for a label such as `utf-8`, `ISO-8859-1` or
    /// `cp1252` (case and surrounding spaces ignored), or `None` when the
    /// label is unknown.
    pub fn from_label(label: &str) -> Option<Encoding> {
        let label = label.trim().trim_matches('"').to_ascii_lowercase();
        let encoding = match label.as_str() {
            "utf-8" | "utf8" | "unicode-1-1-utf-8" | "unicode11utf8" | "unicode20utf8"
            | "x-unicode20utf8" => Encoding::Utf8,
            "utf-16" | "utf-16le" | "unicode" | "ucs-2" | "csunicode" | "iso-10646-ucs-2"
            | "unicodefeff" => Encoding::Utf16Le,
            "utf-16be" | "unicodefffe" => Encoding::Utf16Be,
            "windows-1252" | "cp1252" | "x-cp1252" | "iso-8859-1" | "iso8859-1" | "iso88591"
            | "iso_8859-1" | "iso_8859-1:1987" | "iso-ir-100" | "l1" | "latin1" | "ibm819"
            | "cp819" | "csisolatin1" | "ascii" | "us-ascii" | "ansi_x3.4-1968" => {
                Encoding::Windows1252
            }
            "iso-8859-15" | "iso8859-15" | "iso885915" | "iso_8859-15" | "l9" | "latin9"
            | "csisolatin9" => Encoding::Iso8859_15,
            _ => return None,
        };
        Some(encoding)
    }

    /// Returns the encoding named by the `charset` parameter of a
    /// Content-Type header such as `text/csv; charset=ISO-8859-1`.
    /// `Ok(None)` means the header names no charset; `Err` carries an
    /// unknown label.
    pub fn from_content_type(content_type: &str) -> Result<Option<Encoding>, String> {
        for parameter in content_type.split(';').skip(1) {
            let Some((name, value)) = parameter.split_once('=') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("charset") {
                let value = value.trim().trim_matches('"');
                return Encoding::from_label(value)
                    .map(Some)
                    .ok_or_else(|| value.to_owned());
            }
        }
        Ok(None)
    }

    /// Returns the encoding for `label`, or the `unknown-encoding` warning
    /// that the widget shows before it falls back to detection.
    ///
    /// # Errors
    ///
    /// Returns the warning when the label is unknown.
    pub fn from_label_or_issue(label: &str) -> Result<Encoding, Issue> {
        Encoding::from_label(label).ok_or_else(|| {
            Issue::new(Severity::Warning, IssueKey::UnknownEncoding).with("label", label.trim())
        })
    }

    /// Returns the canonical name, e.g. `windows-1252`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Iso8859_15 => "ISO-8859-15",
        }
    }
}

/// Characters of Windows-1252 for the bytes 0x80..=0x9F; the five bytes the
/// code page leaves undefined map to the C1 control of the same number, as
/// the WHATWG decoder does.
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
    '\u{8F}', //
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Returns the character of one Windows-1252 byte.
pub fn windows_1252_char(byte: u8) -> char {
    match byte {
        0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

fn iso_8859_15_char(byte: u8) -> char {
    match byte {
        0xA4 => '€',
        0xA6 => 'Š',
        0xA8 => 'š',
        0xB4 => 'Ž',
        0xB8 => 'ž',
        0xBC => 'Œ',
        0xBD => 'œ',
        0xBE => 'Ÿ',
        _ => char::from(byte),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Waiting for up to three bytes to look for a byte-order mark.
    Start,
    /// Only ASCII so far, no encoding declared.
    Undecided,
    /// UTF-8; `declared` when a label or BOM named it.
    Utf8 {
        declared: bool,
    },
    Utf16 {
        little_endian: bool,
    },
    SingleByte(Encoding),
}

/// Incremental decoder: feed it chunks with [`Decoder::decode`] and call
/// [`Decoder::finish`] once at the end.
#[derive(Debug, Clone)]
pub struct Decoder {
    declared: Option<Encoding>,
    mode: Mode,
    /// Bytes of an incomplete sequence held over from the last chunk.
    pending: Vec<u8>,
    /// High surrogate of UTF-16 waiting for its partner.
    high_surrogate: Option<u16>,
    lines: LineCounter,
    issues: Vec<Issue>,
    reported_bad_bytes: bool,
    /// Length of the output when the current call started.
    call_start: usize,
}

impl Decoder {
    /// Creates a decoder. `declared` is the encoding from the HTTP charset
    /// or the widget's `encoding` attribute; only a byte-order mark
    /// overrides it.
    pub fn new(declared: Option<Encoding>) -> Decoder {
        Decoder {
            declared,
            mode: Mode::Start,
            pending: Vec::new(),
            high_surrogate: None,
            lines: LineCounter::default(),
            issues: Vec::new(),
            reported_bad_bytes: false,
            call_start: 0,
        }
    }

    /// Returns the encoding in use, or `None` while only ASCII has been seen
    /// without a declaration.
    pub fn encoding(&self) -> Option<Encoding> {
        match self.mode {
            Mode::Start | Mode::Undecided => self.declared,
            Mode::Utf8 { .. } => Some(Encoding::Utf8),
            Mode::Utf16 {
                little_endian: true,
            } => Some(Encoding::Utf16Le),
            Mode::Utf16 {
                little_endian: false,
            } => Some(Encoding::Utf16Be),
            Mode::SingleByte(encoding) => Some(encoding),
        }
    }

    /// Takes the notes and warnings found so far.
    pub fn take_issues(&mut self) -> Vec<Issue> {
        std::mem::take(&mut self.issues)
    }

    /// Decodes `bytes` and appends the text to `out`. A sequence cut by the
    /// chunk end is kept and completed by the next call.
    pub fn decode(&mut self, bytes: &[u8], out: &mut String) {
        self.run(bytes, out, false);
    }

    /// Decodes whatever is held over and appends it to `out`; call once after
    /// the last chunk.
    pub fn finish(&mut self, out: &mut String) {
        self.run(&[], out, true);
    }

    fn run(&mut self, bytes: &[u8], out: &mut String, last: bool) {
        let mut input = std::mem::take(&mut self.pending);
        input.extend_from_slice(bytes);
        let start = out.len();
        self.call_start = start;

        let mut position = 0;
        if self.mode == Mode::Start {
            if input.len() < 3
                && !last
                && [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
                    .iter()
                    .any(|bom| bom.starts_with(&input))
            {
                self.pending = input;
                return;
            }
            self.mode = if input.starts_with(b"\xEF\xBB\xBF") {
                position = 3;
                Mode::Utf8 { declared: true }
            } else if input.starts_with(b"\xFF\xFE") {
                position = 2;
                Mode::Utf16 {
                    little_endian: true,
                }
            } else if input.starts_with(b"\xFE\xFF") {
                position = 2;
                Mode::Utf16 {
                    little_endian: false,
                }
            } else {
                match self.declared {
                    None => Mode::Undecided,
                    Some(Encoding::Utf8) => Mode::Utf8 { declared: true },
                    Some(Encoding::Utf16Le) => Mode::Utf16 {
                        little_endian: true,
                    },
                    Some(Encoding::Utf16Be) => Mode::Utf16 {
                        little_endian: false,
                    },
                    Some(single) => Mode::SingleByte(single),
                }
            };
        }

        let rest = &input[position..];
        let held = match self.mode {
            Mode::Start => 0,
            Mode::Undecided | Mode::Utf8 { .. } => self.decode_utf8(rest, out, last),
            Mode::Utf16 { little_endian } => self.decode_utf16(rest, little_endian, out, last),
            Mode::SingleByte(encoding) => {
                let to_char = if encoding == Encoding::Iso8859_15 {
                    iso_8859_15_char
                } else {
                    windows_1252_char
                };
                out.extend(rest.iter().map(|&byte| to_char(byte)));
                0
            }
        };
        self.pending = rest[rest.len() - held..].to_vec();
        self.lines.advance(&out.as_bytes()[start..]);
    }

    /// Decodes UTF-8 and returns how many bytes at the end must wait for the
    /// next chunk.
    fn decode_utf8(&mut self, mut rest: &[u8], out: &mut String, last: bool) -> usize {
        loop {
            if self.mode == Mode::Undecided {
                let ascii = rest
                    .iter()
                    .position(|byte| !byte.is_ascii())
                    .unwrap_or(rest.len());
                push_ascii(&rest[..ascii], out);
                rest = &rest[ascii..];
                if rest.is_empty() {
                    return 0;
                }
                match std::str::from_utf8(&rest[..rest.len().min(4)]) {
                    Err(error) if error.valid_up_to() == 0 => match error.error_len() {
                        None if !last => return rest.len(),
                        _ => {
                            self.mode = Mode::SingleByte(Encoding::Windows1252);
                            self.issues.push(
                                Issue::new(Severity::Note, IssueKey::EncodingGuessed)
                                    .with("encoding", Encoding::Windows1252.name()),
                            );
                            out.extend(rest.iter().map(|&byte| windows_1252_char(byte)));
                            return 0;
                        }
                    },
                    _ => self.mode = Mode::Utf8 { declared: false },
                }
            }

            match std::str::from_utf8(rest) {
                Ok(text) => {
                    out.push_str(text);
                    return 0;
                }
                Err(error) => {
                    let valid = error.valid_up_to();
                    out.push_str(std::str::from_utf8(&rest[..valid]).unwrap_or_default());
                    let bad_len = match error.error_len() {
                        Some(length) => length,
                        None if !last => return rest.len() - valid,
                        None => rest.len() - valid,
                    };
                    self.push_invalid(&rest[valid..valid + bad_len], out);
                    rest = &rest[valid + bad_len..];
                }
            }
        }
    }

    fn push_invalid(&mut self, bad: &[u8], out: &mut String) {
        let declared = matches!(self.mode, Mode::Utf8 { declared: true });
        if !self.reported_bad_bytes {
            self.reported_bad_bytes = true;
            let line = self.line_at_end(out);
            let key = if declared {
                IssueKey::InvalidUtf8
            } else {
                IssueKey::MixedEncoding
            };
            self.issues
                .push(Issue::new(Severity::Warning, key).at_line(line));
        }
        if declared {
            out.push('\u{FFFD}');
        } else {
            out.extend(bad.iter().map(|&byte| windows_1252_char(byte)));
        }
    }

    /// Returns the 1-based line at the end of `out`, counting the text
    /// decoded in earlier calls too.
    fn line_at_end(&self, out: &str) -> u64 {
        let mut counter = self.lines;
        counter.advance(out.as_bytes().get(self.call_start..).unwrap_or_default());
        counter.line
    }

    fn decode_utf16(
        &mut self,
        rest: &[u8],
        little_endian: bool,
        out: &mut String,
        last: bool,
    ) -> usize {
        let pairs = rest.chunks_exact(2);
        let odd = pairs.remainder().len();
        for pair in pairs {
            let unit = if little_endian {
                u16::from_le_bytes([pair[0], pair[1]])
            } else {
                u16::from_be_bytes([pair[0], pair[1]])
            };
            self.push_utf16_unit(unit, out);
        }
        if last {
            if self.high_surrogate.take().is_some() || odd > 0 {
                out.push('\u{FFFD}');
            }
            return 0;
        }
        odd
    }

    fn push_utf16_unit(&mut self, unit: u16, out: &mut String) {
        if let Some(high) = self.high_surrogate.take() {
            if (0xDC00..0xE000).contains(&unit) {
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                return;
            }
            out.push('\u{FFFD}');
        }
        if (0xD800..0xDC00).contains(&unit) {
            self.high_surrogate = Some(unit);
        } else {
            out.push(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'));
        }
    }
}

fn push_ascii(bytes: &[u8], out: &mut String) {
    out.extend(bytes.iter().map(|&byte| char::from(byte)));
}

/// Counts lines as a reader sees them: CR, LF and CRLF each end one line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineCounter {
    /// 1-based number of the current line.
    pub(crate) line: u64,
    last_was_cr: bool,
}

impl Default for LineCounter {
    fn default() -> Self {
        LineCounter {
            line: 1,
            last_was_cr: false,
        }
    }
}

impl LineCounter {
    pub(crate) fn advance(&mut self, bytes: &[u8]) {
        // Only CR and LF change the count, so the bytes between them are
        // skipped in one search instead of stepped through one by one.
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|&byte| byte == b'\r' || byte == b'\n') {
            if at > 0 {
                self.last_was_cr = false;
            }
            self.step(rest[at]);
            rest = &rest[at + 1..];
        }
        if !rest.is_empty() {
            self.last_was_cr = false;
        }
    }

    // The quote tracker calls this for every byte it steps through, and the
    // size-optimised WebAssembly build does not inline it on its own.
    #[inline(always)]
    pub(crate) fn step(&mut self, byte: u8) {
        match byte {
            b'\r' => {
                self.line += 1;
                self.last_was_cr = true;
            }
            b'\n' => {
                if !self.last_was_cr {
                    self.line += 1;
                }
                self.last_was_cr = false;
            }
            _ => self.last_was_cr = false,
        }
    }
}

/// Decodes a whole file at once; see [`Decoder`] for the rules.
pub fn decode_all(
    bytes: &[u8],
    declared: Option<Encoding>,
) -> (String, Option<Encoding>, Vec<Issue>) {
    let mut decoder = Decoder::new(declared);
    let mut text = String::with_capacity(bytes.len());
    decoder.decode(bytes, &mut text);
    decoder.finish(&mut text);
    let encoding = decoder.encoding().or(Some(Encoding::Utf8));
    (text, encoding, decoder.take_issues())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counter_skipping_matches_stepping() {
        let texts = ["", "a", "\r", "\n", "\r\n", "\n\r", "a\r\nb\rc\nd", "\r\r\n\n", "ab\r", "x\r\ny\r\n\r\nz"];
        for text in texts {
            let bytes = text.as_bytes();
            let mut stepped = LineCounter::default();
            for &byte in bytes {
                stepped.step(byte);
            }
            // Every split, so a CR at the end of one chunk meets an LF at
            // the start of the next.
            for split in 0..=bytes.len() {
                let mut skipped = LineCounter::default();
                skipped.advance(&bytes[..split]);
                skipped.advance(&bytes[split..]);
                assert_eq!(skipped.line, stepped.line, "text {text:?}, split {split}");
                assert_eq!(skipped.last_was_cr, stepped.last_was_cr, "text {text:?}, split {split}");
            }
        }
    }

    fn decode_in_chunks(bytes: &[u8], split: usize, declared: Option<Encoding>) -> String {
        let mut decoder = Decoder::new(declared);
        let mut text = String::new();
        decoder.decode(&bytes[..split], &mut text);
        decoder.decode(&bytes[split..], &mut text);
        decoder.finish(&mut text);
        text
    }

    #[test]
    fn euro_byte_is_euro_sign() {
        let (text, encoding, issues) = decode_all(b"Geb\xFChr (\x80)", None);
        assert_eq!(text, "Gebühr (€)");
        assert_eq!(encoding, Some(Encoding::Windows1252));
        assert_eq!(issues[0].key, IssueKey::EncodingGuessed);
    }

    #[test]
    fn latin1_label_means_windows_1252() {
        assert_eq!(
            Encoding::from_label(" ISO-8859-1 "),
            Some(Encoding::Windows1252)
        );
        let (text, _, issues) = decode_all(b"\x80 \x84x\x93", Some(Encoding::Windows1252));
        assert_eq!(text, "€ „x“");
        assert!(issues.is_empty());
    }

    #[test]
    fn latin9_has_euro_at_a4() {
        let (text, _, _) = decode_all(b"\xA4", Some(Encoding::Iso8859_15));
        assert_eq!(text, "€");
    }

    #[test]
    fn content_type_charset_is_read() {
        assert_eq!(
            Encoding::from_content_type("text/csv; charset=ISO-8859-1"),
            Ok(Some(Encoding::Windows1252))
        );
        assert_eq!(Encoding::from_content_type("text/csv"), Ok(None));
        assert_eq!(
            Encoding::from_content_type("text/csv; charset=klingon"),
            Err("klingon".to_owned())
        );
    }

    #[test]
    fn bom_is_removed_and_wins_over_label() {
        let (text, encoding, _) = decode_all(b"\xEF\xBB\xBF\"A\"", Some(Encoding::Windows1252));
        assert_eq!(text, "\"A\"");
        assert_eq!(encoding, Some(Encoding::Utf8));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let bytes = b"\xFF\xFEA\x00\xE4\x00=\xD8\x00\xDE";
        for split in 0..=bytes.len() {
            assert_eq!(
                decode_in_chunks(bytes, split, None),
                "Aä\u{1F600}",
                "split at {split}"
            );
        }
    }

    #[test]
    fn split_sequence_gives_same_text() {
        let bytes = "\u{FEFF}Gebühr;m³;€".as_bytes();
        for split in 0..=bytes.len() {
            assert_eq!(
                decode_in_chunks(bytes, split, None),
                "Gebühr;m³;€",
                "split at {split}"
            );
        }
        let latin = b"Stra\xDFe;\x80";
        for split in 0..=latin.len() {
            assert_eq!(
                decode_in_chunks(latin, split, None),
                "Straße;€",
                "split at {split}"
            );
        }
    }

    #[test]
    fn stray_byte_reads_as_windows_1252() {
        let (text, encoding, issues) = decode_all(b"\xC3\xA4\nx\x80", None);
        assert_eq!(text, "ä\nx€");
        assert_eq!(encoding, Some(Encoding::Utf8));
        assert_eq!(issues[0].key, IssueKey::MixedEncoding);
        assert_eq!(issues[0].line, Some(2));
    }

    #[test]
    fn declared_utf8_replaces_bad_bytes() {
        let (text, _, issues) = decode_all(b"a\r\nb\xFC", Some(Encoding::Utf8));
        assert_eq!(text, "a\r\nb\u{FFFD}");
        assert_eq!(issues[0].key, IssueKey::InvalidUtf8);
        assert_eq!(issues[0].line, Some(2));
    }

    #[test]
    fn truncated_sequence_at_end_is_not_lost() {
        let (text, _, _) = decode_all(b"ab\xC3", None);
        assert_eq!(text, "ab\u{C3}");
    }
}

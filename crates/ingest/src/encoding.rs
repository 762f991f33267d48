//! Byte-level input handling: refusing binary files (by magic number, NUL bytes and
//! control characters), and decoding text from UTF-8 (with or without BOM), UTF-16 (with
//! BOM, or detected from its NUL pattern) or a legacy single-byte encoding guessed with
//! chardetng.

use crate::IngestError;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;

/// Known binary formats: (magic bytes, offset, description).
const MAGIC: &[(&[u8], usize, &str)] = &[
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"\xFF\xD8\xFF", 0, "JPEG image"),
    (b"%PDF-", 0, "PDF document"),
    (b"PK\x03\x04", 0, "ZIP archive"),
    (b"PK\x05\x06", 0, "ZIP archive"),
    (b"\x7FELF", 0, "ELF executable"),
    (b"MZ\x90\x00", 0, "Windows executable"),
    (b"Rar!\x1A\x07", 0, "RAR archive"),
    (b"7z\xBC\xAF\x27\x1C", 0, "7-Zip archive"),
    (b"\xFD7zXZ\x00", 0, "XZ archive"),
    (b"BZh", 0, "bzip2 archive"),
    (b"\x28\xB5\x2F\xFD", 0, "Zstandard archive"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        0,
        "Microsoft Office document",
    ),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"\x00asm", 0, "WebAssembly module"),
    (b"ID3", 0, "MP3 audio"),
    (b"OggS", 0, "Ogg media"),
    (b"fLaC", 0, "FLAC audio"),
    (b"\x1A\x45\xDF\xA3", 0, "Matroska/WebM video"),
    (b"ftyp", 4, "MP4/QuickTime media"),
    (b"WEBP", 8, "WebP image"),
    (b"WAVE", 8, "WAV audio"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"\x00\x00\x01\x00", 0, "icon image"),
    (b"wOFF", 0, "web font"),
    (b"wOF2", 0, "web font"),
];

/// The gzip magic number.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1F, 0x8B])
}

/// How many bytes are examined when deciding whether input is binary.
const SNIFF_LEN: usize = 8192;

/// UTF-16 without a BOM: one byte lane of ASCII text is almost all NUL.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        if pair[0] == 0 {
            even_nul += 1;
        }
        if pair[1] == 0 {
            odd_nul += 1;
        }
    }
    if odd_nul * 10 >= pairs * 6 && even_nul * 20 <= pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 6 && odd_nul * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Refuses input that is not text. `encoding` is the UTF-16 variant already detected,
/// whose NUL bytes are expected.
fn check_binary(bytes: &[u8], utf16: bool) -> Result<(), IngestError> {
    for (magic, offset, what) in MAGIC {
        if bytes.get(*offset..offset + magic.len()) == Some(*magic) {
            return Err(IngestError::Binary(format!("looks like {what}")));
        }
    }
    if utf16 {
        return Ok(());
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if memchr::memchr(0, &head[..head.len().min(1024)]).is_some() {
        return Err(IngestError::Binary("contains NUL bytes".into()));
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)) || b == 0x7F)
        .count();
    if head.len() >= 16 && controls * 10 > head.len() {
        return Err(IngestError::Binary("too many control characters".into()));
    }
    Ok(())
}

/// Finds a `charset=` declaration in the head of an HTML document.
fn html_declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = memchr::memmem::find(&lower, b"charset=")?;
    let rest = &head[at + 8..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    let label = rest.get(..end)?;
    Encoding::for_label(label)
}

/// Decodes input bytes to a `String`, refusing binary input.
pub fn decode(bytes: &[u8], html_hint: bool) -> Result<Cow<'_, str>, IngestError> {
    // Byte order marks.
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        check_binary(rest, false)?;
        return Ok(Cow::Owned(String::from_utf8_lossy(rest).into_owned()));
    }
    if bytes.starts_with(b"\xFF\xFE\x00\x00") || bytes.starts_with(b"\x00\x00\xFE\xFF") {
        return Err(IngestError::UnsupportedEncoding("UTF-32".into()));
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some(UTF_16LE)
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some(UTF_16BE)
    } else {
        utf16_without_bom(&head[..head.len() & !1])
    };
    check_binary(bytes, utf16.is_some())?;
    if let Some(enc) = utf16 {
        // decode() strips a BOM that matches.
        let (text, _, _) = enc.decode(bytes);
        return Ok(Cow::Owned(text.into_owned()));
    }
    // A vectorised check first (valid UTF-8 is the usual case); only invalid input goes
    // through the standard one, which tells where the first bad byte is.
    let checked = match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(_) => std::str::from_utf8(bytes),
    };
    match checked {
        // Valid UTF-8 is used in place.
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            // Mostly UTF-8 with a few stray bytes (a cut-off character, one bad byte):
            // keep it UTF-8 and replace the bad bytes.
            let (valid_prefix, bad) = (e.valid_up_to(), count_invalid_utf8(bytes));
            if bad * 1000 <= bytes.len() && valid_prefix > 0 && has_multibyte_utf8(bytes) {
                return Ok(Cow::Owned(String::from_utf8_lossy(bytes).into_owned()));
            }
            let declared = if html_hint {
                html_declared_charset(bytes).filter(|e| *e != UTF_8)
            } else {
                None
            };
            let encoding = declared.unwrap_or_else(|| {
                let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
                detector.feed(&bytes[..bytes.len().min(1 << 20)], true);
                detector.guess(None, Utf8Detection::Deny)
            });
            let (text, _, _) = encoding.decode(bytes);
            Ok(Cow::Owned(text.into_owned()))
        }
    }
}

/// Whether the bytes hold at least one valid multi-byte UTF-8 sequence.
fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 20)])
        .chars()
        .any(|c| c != char::REPLACEMENT_CHARACTER && !c.is_ascii())
}

/// Number of invalid sequences in (the first MiB of) the bytes.
fn count_invalid_utf8(bytes: &[u8]) -> usize {
    let mut rest = &bytes[..bytes.len().min(1 << 20)];
    let mut bad = 0;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => return bad,
            Err(e) => {
                bad += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = rest.get(skip.max(1)..).unwrap_or(&[]);
                if rest.is_empty() {
                    return bad;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The vectorised check accepts exactly what the standard one accepts, and the
        /// decoded text of valid UTF-8 is the input itself.
        #[test]
        fn vectorised_utf8_check_agrees_with_the_standard_one(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<u8>(),
                    proptest::sample::select(vec![b'a', b' ', 0xC3, 0xA9, 0xE2, 0x80, 0x9C, 0xF0, 0x9F]),
                ],
                0..90,
            )
        ) {
            proptest::prop_assert_eq!(
                simdutf8::basic::from_utf8(&bytes).is_ok(),
                std::str::from_utf8(&bytes).is_ok()
            );
            if let Ok(text) = std::str::from_utf8(&bytes) {
                if !text.contains('\0') && !bytes.starts_with(b"\xEF\xBB\xBF") && !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF") {
                    if let Ok(decoded) = decode(&bytes, false) {
                        proptest::prop_assert_eq!(decoded.as_ref(), text);
                    }
                }
            }
        }
    }

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    fn utf16be(s: &str) -> Vec<u8> {
        let mut out = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_be_bytes());
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("Café noir".as_bytes(), false).unwrap(), "Café noir");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("Café".as_bytes());
        assert_eq!(decode(&b, false).unwrap(), "Café");
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let s = "Ministers met in Zürich — “talks”.";
        assert_eq!(decode(&utf16le(s, true), false).unwrap(), s);
        assert_eq!(decode(&utf16be(s), false).unwrap(), s);
    }

    #[test]
    fn utf16le_without_bom_is_detected() {
        let s = "The council voted on the budget on Tuesday evening.";
        assert_eq!(decode(&utf16le(s, false), false).unwrap(), s);
    }

    #[test]
    fn windows_1252_is_detected() {
        // "The café’s owner said “no” to the déjà vu plan." in Windows-1252.
        let mut b = Vec::new();
        b.extend_from_slice(b"The caf\xE9\x92s owner said \x93no\x94 to the d\xE9j\xE0 vu plan. ");
        b.extend_from_slice(
            b"Le pr\xE9sident a d\xE9clar\xE9 que la r\xE9forme \xE9tait n\xE9cessaire.",
        );
        let text = decode(&b, false).unwrap();
        assert!(text.contains("café’s"), "{text}");
        assert!(text.contains("“no”"), "{text}");
        assert!(text.contains("réforme"), "{text}");
    }

    #[test]
    fn html_charset_declaration_is_honoured() {
        let b = b"<html><head><meta charset=\"iso-8859-7\"></head><body><p>\xE1\xE8\xE7\xED\xE1</p></body></html>";
        let text = decode(b, true).unwrap();
        assert!(text.contains('α'), "{text}");
    }

    #[test]
    fn mostly_utf8_with_one_bad_byte_stays_utf8() {
        let mut b = "Ünïcode text that is long enough to count as mostly valid. ".repeat(30);
        b.push_str("end");
        let mut bytes = b.into_bytes();
        bytes.push(0xC3); // cut-off character
        let text = decode(&bytes, false).unwrap();
        assert!(text.starts_with("Ünïcode"));
        assert!(text.ends_with('\u{FFFD}'));
    }

    #[test]
    fn binary_inputs_are_refused_with_a_reason() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert_eq!(
            decode(png, false).unwrap_err().to_string(),
            "binary file (looks like PNG image)"
        );
        let zip = b"PK\x03\x04\x14\x00\x00\x00";
        assert!(decode(zip, false).unwrap_err().to_string().contains("ZIP"));
        let pdf = b"%PDF-1.7\n%\xE2\xE3";
        assert!(decode(pdf, false).unwrap_err().to_string().contains("PDF"));
        let nul = b"plain text\x00with a NUL in it";
        assert_eq!(
            decode(nul, false).unwrap_err().to_string(),
            "binary file (contains NUL bytes)"
        );
        let ctl: Vec<u8> = (0..200u8)
            .map(|i| if i % 3 == 0 { 1 } else { b'a' })
            .collect();
        assert!(decode(&ctl, false)
            .unwrap_err()
            .to_string()
            .contains("control characters"));
        assert!(decode(b"\xFF\xFE\x00\x00abcd", false)
            .unwrap_err()
            .to_string()
            .contains("UTF-32"));
    }
}

//! Read: what kind of file this is, whether it can be read, and its text.
//!
//! The file's bytes decide, not only its extension: an OLE compound file (an encrypted `.docx`
//! or a legacy `.doc`), a zip archive (a `.docx`), a PDF, RTF, a binary file, or text. Text is
//! UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or — when it is not
//! valid UTF-8 — Windows-1252, the encoding Word and Notepad use for "plain text" on Windows;
//! the conversion is reported. Every failure is an [`ImportError`] naming the file and saying
//! how to fix it; nothing here panics on any input.

use super::lines;
use super::{Document, ImportError, MAX_DOCX_BYTES, MAX_TEXT_BYTES, Note};
use crate::diagnostics::mebibytes;
use std::path::Path;

/// Start of an OLE compound file: legacy `.doc`, and the container of an encrypted `.docx`.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const HOW_TO_SAVE: &str = "open it in Word (or LibreOffice) and save it as \"Word Document (.docx)\" or as \"Plain Text (.txt)\" in UTF-8, then import that file";

fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default()
}

/// The size limit for a file with this extension, and what it is a limit of.
fn limit_for(path: &Path) -> (u64, &'static str) {
    match extension(path).as_str() {
        "docx" => (MAX_DOCX_BYTES, ".docx files"),
        _ => (MAX_TEXT_BYTES, "text files (the largest content file a site accepts)"),
    }
}

fn too_big(path: &Path, size: u64) -> ImportError {
    let (limit, what) = limit_for(path);
    ImportError::new(
        path,
        format!("the file is {}; import reads {what} of at most {}", mebibytes(size), mebibytes(limit)),
        "check that this is the policy you meant (a policy is tens of kilobytes); if it is, split it into parts and import each",
    )
}

/// Reads and decodes a file, refusing an oversized one before reading it.
pub fn read_document(path: &Path) -> Result<Document, ImportError> {
    let metadata = std::fs::metadata(path).map_err(|e| {
        ImportError::new(path, format!("cannot read the file: {e}"), "check the path and the file name")
    })?;
    if metadata.is_dir() {
        return Err(ImportError::new(
            path,
            "is a folder, not a file",
            "give the path of a .txt or .docx file",
        ));
    }
    if metadata.len() > limit_for(path).0 {
        return Err(too_big(path, metadata.len()));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        ImportError::new(path, format!("cannot read the file: {e}"), "check that the file is readable")
    })?;
    read_bytes(path, &bytes)
}

/// Decides what `bytes` (the contents of `path`) are and reads them.
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<Document, ImportError> {
    if bytes.len() as u64 > limit_for(path).0 {
        return Err(too_big(path, bytes.len() as u64));
    }
    let ext = extension(path);
    if bytes.is_empty() {
        return Err(ImportError::new(path, "the file is empty (0 bytes)", HOW_TO_SAVE));
    }
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(ImportError::new(
            path,
            "is an encrypted (password-protected) Word document or a legacy Word 97–2003 .doc file: both are OLE compound files (they start with the bytes D0 CF 11 E0 A1 B1 1A E1), which import cannot read",
            "open it in Word, remove the password (File › Info › Protect Document › Encrypt with Password, then clear the password) and save it as \"Word Document (.docx)\" without a password",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let mut document = super::docx::read(path, bytes)?;
        if ext != "docx" {
            document.notes.insert(
                0,
                Note::repaired(0, format!("the file is a zip archive, not text; read it as a Word .docx (its name ends in .{ext})")),
            );
        }
        return Ok(document);
    }
    if ext == "docx" {
        return Err(ImportError::new(
            path,
            "is not a valid .docx file: a .docx is a zip archive, and this file is not one (it may be damaged, or another kind of file renamed)",
            HOW_TO_SAVE,
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ImportError::new(
            path,
            "is a PDF; import reads .txt and .docx files",
            "open the original document and save it as .docx, or copy the PDF's text into a UTF-8 .txt file",
        ));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(ImportError::new(path, "is an RTF file; import reads .txt and .docx files", HOW_TO_SAVE));
    }
    if !matches!(ext.as_str(), "txt" | "text" | "") {
        return Err(ImportError::new(
            path,
            format!("import reads .txt and .docx files, not .{ext}"),
            HOW_TO_SAVE,
        ));
    }
    let (text, notes) = decode_text(path, bytes)?;
    Ok(Document { lines: lines::from_text(&text), notes })
}

/// Decodes a text file: UTF-8, UTF-16 with a byte-order mark, or Windows-1252.
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<(String, Vec<Note>), ImportError> {
    let mut notes = Vec::new();
    let text = if let Some((encoding, bom)) =
        encoding_rs::Encoding::for_bom(bytes).filter(|(e, _)| *e != encoding_rs::UTF_8)
    {
        let (text, malformed) = encoding.decode_without_bom_handling(&bytes[bom..]);
        notes.push(Note::repaired(
            0,
            format!(
                "the file is {} text; converted it to UTF-8{}",
                encoding.name(),
                if malformed { " (some malformed characters became �)" } else { "" }
            ),
        ));
        text.into_owned()
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if let Some(encoding) = utf16_without_bom(bytes) {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            // Only if it reads as text: binary files can have NULs on one side too.
            let readable = text.chars().filter(|c| c.is_ascii_graphic() || c.is_whitespace()).count();
            if readable * 10 >= text.chars().count() * 9 {
                notes.push(Note::repaired(
                    0,
                    format!(
                        "the file is {} text without a byte-order mark; converted it to UTF-8",
                        encoding.name()
                    ),
                ));
                return finish(path, text.into_owned(), notes);
            }
        }
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
            return Err(ImportError::new(
                path,
                format!(
                    "is not a text file: it holds NUL bytes (the first at byte {at}), so it is binary — perhaps a PDF, a picture, or a Word file with the wrong extension"
                ),
                HOW_TO_SAVE,
            ));
        }
        let (text, converted) = utf8_or_windows_1252(bytes);
        if let Some((count, at)) = converted {
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            notes.push(Note::repaired(
                line,
                format!(
                    "the file is not all UTF-8: read {count} byte(s) (the first, 0x{:02X}, here) as Windows-1252, so curly quotes and £ come out right, and wrote UTF-8",
                    bytes[at]
                ),
            ));
        }
        text
    };
    finish(path, text, notes)
}

/// Valid UTF-8 runs as they are; every byte sequence that is not UTF-8 read as Windows-1252 (a
/// file edited in two programs can hold both). Returns the text and, if anything was converted,
/// how many bytes and where the first was.
fn utf8_or_windows_1252(bytes: &[u8]) -> (String, Option<(usize, usize)>) {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut offset = 0;
    let mut converted: Option<(usize, usize)> = None;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                return (out, converted);
            }
            Err(e) => {
                let valid = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..valid]).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len() - valid);
                let (text, _) =
                    encoding_rs::WINDOWS_1252.decode_without_bom_handling(&rest[valid..valid + bad]);
                out.push_str(&text);
                let entry = converted.get_or_insert((0, offset + valid));
                entry.0 += bad;
                offset += valid + bad;
                rest = &rest[valid + bad..];
            }
        }
    }
}

/// UTF-16 text saved without a byte-order mark: most of the high bytes of ASCII characters
/// are NUL, on one side.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let zero_at = |parity: usize| bytes.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 10 >= pairs * 4 && even * 20 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 4 && odd * 20 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// The checks every decoded text gets: not binary, not empty.
fn finish(path: &Path, text: String, notes: Vec<Note>) -> Result<(String, Vec<Note>), ImportError> {
    let controls =
        text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')).count();
    let total = text.chars().count().max(1);
    if controls > 8 && controls * 100 > total {
        return Err(ImportError::new(
            path,
            format!("is not a text file: {controls} of its {total} characters are control characters"),
            HOW_TO_SAVE,
        ));
    }
    if text.trim().is_empty() {
        return Err(ImportError::new(path, "the file has no text (only white space)", HOW_TO_SAVE));
    }
    Ok((text, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_converted_with_a_note() {
        let (text, notes) = decode_text(Path::new("x.txt"), b"\x93Hello\x94 \xA35\n").unwrap();
        assert_eq!(text, "“Hello” £5\n");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("Windows-1252"), "{notes:?}");
    }

    #[test]
    fn mixed_utf8_and_windows_1252_keeps_both() {
        let mut bytes = "It’s £5 ".as_bytes().to_vec();
        bytes.extend(b"\x93ok\x94");
        let (text, notes) = decode_text(Path::new("x.txt"), &bytes).unwrap();
        assert_eq!(text, "It’s £5 “ok”");
        assert!(notes[0].message.contains("2 byte(s)"), "{notes:?}");
    }

    #[test]
    fn utf16_without_a_bom_is_read() {
        let bytes: Vec<u8> = "Hello policy".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode_text(Path::new("x.txt"), &bytes).unwrap().0, "Hello policy");
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        let bytes: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Hi £".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        let (text, _) = decode_text(Path::new("x.txt"), &bytes).unwrap();
        assert_eq!(text, "Hi £");
    }

    #[test]
    fn binary_and_empty_files_are_errors() {
        let e = read_bytes(Path::new("x.txt"), b"abc\0def").unwrap_err();
        assert!(e.message.contains("NUL"), "{e}");
        assert!(read_bytes(Path::new("x.txt"), b"").unwrap_err().message.contains("empty"));
        assert!(read_bytes(Path::new("x.txt"), b" \n\t\n").unwrap_err().message.contains("no text"));
        let e = read_bytes(Path::new("x.docx"), &OLE_MAGIC).unwrap_err();
        assert!(e.message.contains("encrypted") && e.help.contains("without a password"), "{e}");
        assert!(read_bytes(Path::new("x.docx"), b"hello").unwrap_err().message.contains("zip"));
        assert!(read_bytes(Path::new("x.pdf"), b"%PDF-1.4").unwrap_err().message.contains("PDF"));
    }
}

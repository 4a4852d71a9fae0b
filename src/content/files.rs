//! Reading source files: the one reader every file of a site goes through (configuration,
//! policies, data kept as content, theme). It reads only regular files inside the site
//! folder, at most [`MAX_FILE_BYTES`] of them, and text only as UTF-8 without the control
//! characters that could hide or disguise text.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, mebibytes};
use std::io::Read;
use std::path::Path;

/// Largest source file accepted. A policy is tens of kilobytes; a file this size is a mistake
/// (a pasted PDF, a log) and would make pages nobody can read.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// Reads the file `relative` (to `root`) as bytes. A missing file is `None` without a
/// diagnostic when `optional`; anything else that stops the read — a link leading out of the
/// site, a dangling link, a device or FIFO, a file over the size limit — is an error naming
/// the file.
pub fn read_bytes(
    root: &Path,
    relative: &Path,
    diagnostics: &mut Diagnostics,
    optional: bool,
) -> Option<Vec<u8>> {
    let path = root.join(relative);
    let refuse = |diagnostics: &mut Diagnostics, message: String, help: &str| {
        diagnostics.push(Diagnostic::error(relative, message).with_help(help));
        None
    };
    let link = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta.file_type().is_symlink(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && optional => return None,
        Err(e) => return refuse(diagnostics, format!("cannot read the file: {e}"), "check the file name"),
    };
    let Ok(real) = std::fs::canonicalize(&path) else {
        return refuse(
            diagnostics,
            "the file is a link to a file that does not exist".into(),
            "remove the link, or put the file itself here",
        );
    };
    let inside = std::fs::canonicalize(root).is_ok_and(|root| real.starts_with(root));
    if !inside {
        let what = if link { "a link to a file outside the site folder" } else { "outside the site folder" };
        return refuse(
            diagnostics,
            format!("the file is {what}"),
            "copy the file into the site folder; policykb reads only files inside it",
        );
    }
    // Checked before opening: opening a FIFO waits for a writer, a device never ends.
    let meta = match std::fs::metadata(&real) {
        Ok(meta) if meta.is_file() => meta,
        Ok(_) => {
            return refuse(
                diagnostics,
                "not a regular file (a folder, device or pipe)".into(),
                "replace it with an ordinary file",
            );
        }
        Err(e) => return refuse(diagnostics, format!("cannot read the file: {e}"), "check its permissions"),
    };
    let too_big = |diagnostics: &mut Diagnostics, len: u64| {
        refuse(
            diagnostics,
            format!(
                "the file is {} ({len} bytes); source files may be at most {}",
                mebibytes(len),
                mebibytes(MAX_FILE_BYTES)
            ),
            "split the document, or check that the right file was saved here",
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return too_big(diagnostics, meta.len());
    }
    let mut bytes = Vec::new();
    // Bounded even if the file grows while it is read.
    let read = std::fs::File::open(&real).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return refuse(diagnostics, format!("cannot read the file: {e}"), "check its permissions");
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return too_big(diagnostics, bytes.len() as u64);
    }
    Some(bytes)
}

/// Reads a text file (see [`read_bytes`]) as UTF-8 ([`decode_source`]), reporting the position
/// of the first invalid byte or of the first control character.
pub fn read_source(
    root: &Path,
    relative: &Path,
    diagnostics: &mut Diagnostics,
    optional: bool,
) -> Option<SourceText> {
    let bytes = read_bytes(root, relative, diagnostics, optional)?;
    let source = match decode_source(relative, bytes) {
        Ok(source) => source,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    if let Some((offset, c)) = source.text.char_indices().find(|&(_, c)| is_hidden_control(c)) {
        diagnostics.push(
            Diagnostic::error(
                relative,
                format!("the file contains the control character U+{:04X}{}", c as u32, control_name(c)),
            )
            .at(&source, offset)
            .with_help("delete it: control characters are invisible and can hide or reorder text"),
        );
        return None;
    }
    Some(source)
}

const SAVE_AS_UTF8: &str = "save the file as UTF-8 (in Notepad: File › Save as › Encoding: UTF-8; in Word: Plain Text, Unicode (UTF-8))";

/// The text of a source file: UTF-8, one optional byte-order mark, LF or CRLF line breaks.
/// Anything else is refused with its cause, since it would otherwise surface as a puzzling
/// error further on (a file that seems to have no front matter, or one long line).
fn decode_source(relative: &Path, bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
    if looks_like_utf16(&bytes) {
        return Err(Diagnostic::error(relative, "the file is UTF-16 text; content files must be UTF-8")
            .at_line(1, 1)
            .with_help(SAVE_AS_UTF8));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = SourceText::new(relative, String::from_utf8_lossy(e.as_bytes()).into_owned());
            return Err(Diagnostic::error(
                relative,
                format!("the file is not valid UTF-8 (byte 0x{:02X})", e.as_bytes()[valid]),
            )
            .at(&lossy, valid)
            .with_help("save the file as UTF-8; text pasted from Word is often Windows-1252"));
        }
    };
    let text = text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text);
    if text.starts_with('\u{feff}') {
        return Err(Diagnostic::error(
            relative,
            "the file starts with two byte-order marks (U+FEFF); the second would be read as text",
        )
        .at_line(1, 1)
        .with_help("delete the invisible character at the start of the file, or save it again as UTF-8"));
    }
    let source = SourceText::new(relative, text);
    let bytes = source.text.as_bytes();
    if let Some(at) = (0..bytes.len()).find(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
        let message = if bytes.contains(&b'\n') {
            "a line ends in a carriage return (CR) alone; lines must end in LF or CRLF"
        } else {
            "the file's lines end in a carriage return (CR) alone, as on classic Mac OS; lines must end in LF or CRLF"
        };
        return Err(Diagnostic::error(relative, message)
            .at(&source, at)
            .with_help("save the file with Unix (LF) or Windows (CRLF) line endings"));
    }
    Ok(source)
}

/// UTF-16: a UTF-16 byte-order mark, or text whose every other byte is NUL (ASCII in UTF-16
/// without a mark). NUL is valid UTF-8, so the UTF-8 check alone would let it through.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let pairs = bytes.len() / 2;
    let nul_at = |parity: usize| bytes.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    pairs >= 2 && (nul_at(0) * 2 > pairs || nul_at(1) * 2 > pairs)
}

/// Characters no source file needs and that can hide text or make it read differently from
/// how it is stored: C0 and C1 controls other than tab and line breaks, and the bidirectional
/// embeddings, overrides and isolates.
fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn control_name(c: char) -> &'static str {
    match c {
        '\0' => " (NUL)",
        '\u{202e}' => " (RIGHT-TO-LEFT OVERRIDE)",
        '\u{202d}' => " (LEFT-TO-RIGHT OVERRIDE)",
        '\u{202a}'..='\u{202c}' | '\u{2066}'..='\u{2069}' => " (a bidirectional text control)",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_controls() {
        assert!(is_hidden_control('\0'));
        assert!(is_hidden_control('\u{202e}'));
        assert!(is_hidden_control('\u{85}'));
        assert!(!is_hidden_control('\t'));
        assert!(!is_hidden_control('\n'));
        assert!(!is_hidden_control('é'));
        assert!(!is_hidden_control('\u{200b}'));
    }
}

//! Front matter: the TOML block between `+++` lines at the top of a policy file.

use crate::dates::{DATE_FORMS, parse_cycle, parse_period};
use crate::diagnostics::toml_diagnostic;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, did_you_mean};
use crate::model::{PolicyDates, PolicyMeta};

/// A content file cut into its front matter and body.
pub struct Split {
    /// Byte range of the TOML between the `+++` lines.
    pub toml: std::ops::Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Finds the `+++` fences. Reports a missing or unclosed block.
pub fn split(source: &SourceText, diagnostics: &mut Diagnostics) -> Option<Split> {
    let text = &source.text;
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "+++" {
        diagnostics.push(
            Diagnostic::error(source.path(), "a policy file must start with front matter between `+++` lines")
                .at(source, 0)
                .with_help("put `+++` on the first line, then school = \"...\", title = \"...\", source = \"...\", then `+++`"),
        );
        return None;
    }
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some(Split { toml: first_line_end..offset, body_start: offset + line.len() });
        }
        offset += line.len();
    }
    diagnostics.push(
        Diagnostic::error(source.path(), "the front matter is not closed")
            .at(source, 0)
            .with_help("add a line with `+++` after the last front-matter field"),
    );
    None
}

/// Byte offset of `key = ` inside the front matter, for pointing at a field (the start of the
/// front matter if it is not there). The front matter comes first, so its line is the first.
fn field_offset(source: &SourceText, split: &Split, key: &str) -> usize {
    Some(super::nth_key_offset(source, key, 0))
        .filter(|&at| at >= split.toml.start)
        .unwrap_or(split.toml.start)
}

/// Parses the front matter, reporting every unknown and missing field at once.
pub fn parse(source: &SourceText, split: &Split, diagnostics: &mut Diagnostics) -> Option<PolicyMeta> {
    let toml_text = &source.text[split.toml.clone()];
    let table: toml::Table = match toml::from_str(toml_text) {
        Ok(table) => table,
        Err(e) => {
            diagnostics.push(toml_diagnostic(source, &e, split.toml.start));
            return None;
        }
    };
    let mut ok = true;
    for key in table.keys() {
        if !PolicyMeta::FIELDS.contains(&key.as_str()) {
            ok = false;
            let help = match did_you_mean(key, PolicyMeta::FIELDS) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!("known fields are: {}", PolicyMeta::FIELDS.join(", ")),
            };
            diagnostics.push(
                Diagnostic::error(source.path(), format!("unknown front-matter field `{key}`"))
                    .at(source, field_offset(source, split, key))
                    .with_help(help),
            );
        }
    }
    for key in PolicyMeta::REQUIRED {
        if !table.contains_key(key) {
            ok = false;
            diagnostics.push(
                Diagnostic::error(source.path(), format!("missing required front-matter field `{key}`"))
                    .at(source, 0)
                    .with_help(format!("add `{key} = \"...\"` between the `+++` lines")),
            );
        }
    }
    if !ok {
        return None;
    }
    match toml::from_str::<PolicyMeta>(toml_text) {
        Ok(meta) => {
            let named = [("school", &meta.school), ("title", &meta.title), ("source", &meta.source)];
            let mut ok = true;
            for (key, value) in named {
                if value.trim().is_empty() {
                    ok = false;
                    diagnostics.push(
                        Diagnostic::error(source.path(), format!("`{key}` is empty"))
                            .at(source, field_offset(source, split, key))
                            .with_help(format!("write the policy's {key} as the document gives it")),
                    );
                }
            }
            ok.then_some(meta)
        }
        Err(e) => {
            diagnostics.push(toml_diagnostic(source, &e, split.toml.start));
            None
        }
    }
}

/// Parses the date fields. A date that cannot be read is a warning: the build goes on and
/// shows the date as written.
pub fn parse_dates(
    source: &SourceText,
    split: &Split,
    meta: &PolicyMeta,
    diagnostics: &mut Diagnostics,
) -> PolicyDates {
    let mut period = |key: &str, text: &str| match parse_period(text) {
        Ok(p) => Some(p),
        Err(e) => {
            diagnostics.push(
                Diagnostic::warning(source.path(), format!("cannot read the date in `{key}`: {e}"))
                    .at(source, field_offset(source, split, key))
                    .with_help(format!("write it as {DATE_FORMS}; it is shown as written meanwhile")),
            );
            None
        }
    };
    let written = meta.written.as_deref().and_then(|t| period("written", t));
    let approved = meta.approved.as_deref().and_then(|t| period("approved", t));
    let reviewed = meta.reviewed.iter().filter_map(|t| period("reviewed", t)).collect();
    let next_review = meta.next_review.as_deref().and_then(|t| period("next_review", t));
    let review_cycle = meta.review_cycle.as_deref().and_then(|text| match parse_cycle(text) {
        Ok(cycle) => Some(cycle),
        Err(e) => {
            diagnostics.push(
                Diagnostic::warning(source.path(), format!("cannot read `review_cycle`: {e}"))
                    .at(source, field_offset(source, split, "review_cycle")),
            );
            None
        }
    });
    PolicyDates { written, approved, reviewed, next_review, review_cycle }
}

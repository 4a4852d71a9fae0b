//! A list of superseded guidance (`references.toml`, built in or a site's own), as written:
//! each entry a pattern for how policies cite the old document, what replaced it and since
//! when, and when the entry was checked against the guidance that replaces it.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, toml_diagnostic};
use crate::model::Reference;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where a site keeps its own superseded references.
pub(crate) const REFERENCES_FILE: &str = "content/references.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceSpec {
    id: String,
    /// What the policy cites, as people name it.
    cited: String,
    /// Regular expression for how policies write it (case-insensitive).
    pattern: String,
    replacement: String,
    since: String,
    /// With a `year` group in the pattern: flag only editions before this year.
    stale_before: Option<i32>,
    checked: Option<String>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferencesFile {
    /// When the list as a whole was last checked.
    checked: Option<String>,
    #[serde(default)]
    reference: Vec<ReferenceSpec>,
    /// Built-in entries to switch off: `reference = ["id", ...]`.
    #[serde(default)]
    off: BTreeMap<String, Vec<String>>,
}

/// One reference list as parsed.
#[derive(Debug, Default)]
pub struct ReferenceList {
    /// When the list as a whole was last checked.
    pub checked: Option<String>,
    /// The list's entries, in file order.
    pub references: Vec<Reference>,
    /// `[off]`: list name → ids of built-in entries to switch off.
    pub off: BTreeMap<String, Vec<String>>,
}

/// Parses a reference list, reporting invalid TOML, patterns and dates.
pub fn parse(source: &SourceText, diagnostics: &mut Diagnostics) -> ReferenceList {
    let file: ReferencesFile = match toml::from_str(&source.text) {
        Ok(file) => file,
        Err(e) => {
            diagnostics.push(toml_diagnostic(source, &e, 0));
            return ReferenceList::default();
        }
    };
    let dates = file.checked.iter().chain(file.reference.iter().filter_map(|spec| spec.checked.as_ref()));
    for date in dates.filter(|date| crate::dates::parse_checked(date).is_none()) {
        diagnostics.push(
            Diagnostic::error(source.path(), format!("`checked = \"{date}\"` is not a date"))
                .at(source, source.text.find(&format!("\"{date}\"")).unwrap_or(0))
                .with_help("write the day the entry was checked as YYYY-MM-DD, or the month as YYYY-MM"),
        );
    }
    let references = file
        .reference
        .into_iter()
        .enumerate()
        .filter_map(|(n, spec)| {
            let offset = super::nth_key_offset(source, "pattern", n);
            let refuse = |diagnostics: &mut Diagnostics, message: String, help: String| {
                diagnostics
                    .push(Diagnostic::error(source.path(), message).at(source, offset).with_help(help));
                None
            };
            let pattern = match compile(&spec.pattern) {
                Ok(pattern) => pattern,
                Err(e) => {
                    return refuse(
                        diagnostics,
                        format!("the pattern for `{}` is not a valid regular expression", spec.cited),
                        e,
                    );
                }
            };
            if matches_empty(&pattern) {
                return refuse(
                    diagnostics,
                    format!(
                        "the pattern for `{}` can match empty text, so it would match everywhere",
                        spec.cited
                    ),
                    "write the words the policies cite, e.g. \"Keeping Children Safe in Education\"".into(),
                );
            }
            Some(Reference {
                id: spec.id,
                cited: spec.cited,
                pattern,
                replacement: spec.replacement,
                since: spec.since,
                stale_before: spec.stale_before,
                checked: spec.checked,
                source: spec.source,
            })
        })
        .collect();
    ReferenceList { checked: file.checked, references, off: file.off }
}

/// Longest pattern accepted: a citation's wording, with its variants, is far shorter.
const MAX_PATTERN_LEN: usize = 1000;

/// Compiles a pattern (case-insensitive), bounding its size so no pattern costs more than a
/// fraction of a build.
fn compile(pattern: &str) -> Result<Regex, String> {
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(format!(
            "the pattern is {} characters long; at most {MAX_PATTERN_LEN} are accepted",
            pattern.len()
        ));
    }
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| e.to_string())
}

/// Whether a pattern can match empty text (`""`, `a*`, `\b`): it would then "cite" the old
/// guidance at every position of every clause. An empty match can only happen at the
/// boundaries these samples hold between them.
fn matches_empty(pattern: &Regex) -> bool {
    ["", "a", " ", "a b", "a\nb", "\n", "1."]
        .iter()
        .any(|sample| pattern.find_iter(sample).any(|m| m.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_matching_patterns_are_caught() {
        for pattern in ["", "a*", "(?:x)?", r"\b", r"\B", "$", "^", "(?m)^$", "x|"] {
            assert!(matches_empty(&compile(pattern).unwrap()), "{pattern}");
        }
        for pattern in ["Keeping Children Safe", r"KCSIE\s*(?<year>\d{4})", r"\bDfE\b"] {
            assert!(!matches_empty(&compile(pattern).unwrap()), "{pattern}");
        }
        assert!(compile(&"a".repeat(MAX_PATTERN_LEN + 1)).is_err());
    }
}

//! The list of superseded guidance (`content/references.toml`), as read from disk: each entry
//! a pattern for how policies cite the old document, what replaced it and since when.

use crate::diagnostics::{Diagnostic, Diagnostics, toml_diagnostic};
use crate::model::Reference;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use std::path::Path;

pub const REFERENCES_FILE: &str = "content/references.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceSpec {
    /// What the policy cites, as people name it.
    cited: String,
    /// Regular expression for how policies write it (case-insensitive).
    pattern: String,
    replacement: String,
    since: String,
    /// With a `year` group in the pattern: flag only editions before this year.
    stale_before: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferencesFile {
    #[serde(default)]
    reference: Vec<ReferenceSpec>,
}

/// Reads the reference list; a site without one checks nothing.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Vec<Reference> {
    let Some(source) = super::read_source(root, Path::new(REFERENCES_FILE), diagnostics, true) else {
        return Vec::new();
    };
    let file: ReferencesFile = match toml::from_str(&source.text) {
        Ok(file) => file,
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            return Vec::new();
        }
    };
    file.reference
        .into_iter()
        .enumerate()
        .filter_map(|(n, spec)| {
            let offset = super::nth_key_offset(&source, "pattern", n);
            let refuse = |diagnostics: &mut Diagnostics, message: String, help: String| {
                diagnostics
                    .push(Diagnostic::error(source.path(), message).at(&source, offset).with_help(help));
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
                cited: spec.cited,
                pattern,
                replacement: spec.replacement,
                since: spec.since,
                stale_before: spec.stale_before,
            })
        })
        .collect()
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

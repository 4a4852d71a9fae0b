//! The list of superseded guidance (`content/references.toml`), as read from disk: each entry
//! a pattern for how policies cite the old document, what replaced it and since when.

use crate::diagnostics::{Diagnostic, Diagnostics, toml_diagnostic};
use crate::model::Reference;
use regex::Regex;
use serde::Deserialize;
use std::path::Path;

const REFERENCES_FILE: &str = "content/references.toml";

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
        .filter_map(|spec| match Regex::new(&format!("(?i){}", spec.pattern)) {
            Ok(pattern) => Some(Reference {
                cited: spec.cited,
                pattern,
                replacement: spec.replacement,
                since: spec.since,
                stale_before: spec.stale_before,
            }),
            Err(e) => {
                let offset = source.text.find(&spec.pattern).unwrap_or(0);
                diagnostics.push(
                    Diagnostic::error(
                        source.path(),
                        format!("the pattern for `{}` is not a valid regular expression", spec.cited),
                    )
                    .at(&source, offset)
                    .with_help(e.to_string()),
                );
                None
            }
        })
        .collect()
}

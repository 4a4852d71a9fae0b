//! Stale references: guidance and law a policy cites that has since been replaced.
//!
//! The list is content (`content/references.toml`): each entry a pattern for how policies
//! cite the old document, what replaced it and since when. A pattern may capture the cited
//! edition's `year`; then only editions before `stale_before` are flagged.

use crate::config::toml_diagnostic;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use regex::Regex;
use serde::{Deserialize, Serialize};
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

/// A superseded document and how to find it in text.
#[derive(Debug, Clone)]
pub struct Reference {
    pub cited: String,
    pub pattern: Regex,
    pub replacement: String,
    pub since: String,
    pub stale_before: Option<i32>,
}

impl Reference {
    /// Every stale citation of this reference in `text`: byte ranges.
    pub fn find(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        self.pattern
            .captures_iter(text)
            .filter(|c| match (self.stale_before, c.name("year")) {
                (Some(before), Some(year)) => year.as_str().parse::<i32>().is_ok_and(|y| y < before),
                (Some(_), None) => false,
                (None, _) => true,
            })
            .filter_map(|c| c.get(0).map(|m| m.range()))
            .collect()
    }
}

/// A stale citation found in a policy.
#[derive(Debug, Clone, Serialize)]
pub struct StaleCitation {
    /// Clause id where it was found (non-policy material has none).
    pub clause: Option<String>,
    pub clause_label: Option<String>,
    /// The words as the policy writes them.
    pub text: String,
    pub cited: String,
    pub replacement: String,
    pub since: String,
}

/// Reads the reference list; a site without one checks nothing.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Vec<Reference> {
    let Some(source) = crate::content::read_source(root, Path::new(REFERENCES_FILE), diagnostics, true)
    else {
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

/// Finds every stale citation in every policy's clauses.
pub fn analyse(site: &mut Site) {
    for policy in &mut site.policies {
        let mut found = Vec::new();
        for clause in &policy.clauses {
            for reference in &site.references {
                for range in reference.find(&clause.text) {
                    found.push(StaleCitation {
                        clause: Some(clause.id.clone()),
                        clause_label: Some(clause.label.clone()),
                        text: clause.text[range].to_string(),
                        cited: reference.cited.clone(),
                        replacement: reference.replacement.clone(),
                        since: reference.since.clone(),
                    });
                }
            }
        }
        policy.stale = found;
    }
}

//! A list of superseded guidance (`references.toml`, built in or a site's own), as written:
//! each entry a pattern for how policies cite the old document, what replaced it and since
//! when, and when the entry was checked against the guidance that replaces it.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, toml_diagnostic};
use crate::model::Reference;
use regex::Regex;
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
    for date in dates.filter(|date| !is_checked_date(date)) {
        diagnostics.push(
            Diagnostic::error(source.path(), format!("`checked = \"{date}\"` is not a date"))
                .at(source, source.text.find(&format!("\"{date}\"")).unwrap_or(0))
                .with_help("write the day the entry was checked as YYYY-MM-DD, or the month as YYYY-MM"),
        );
    }
    let references = file
        .reference
        .into_iter()
        .filter_map(|spec| match Regex::new(&format!("(?i){}", spec.pattern)) {
            Ok(pattern) => Some(Reference {
                id: spec.id,
                cited: spec.cited,
                pattern,
                replacement: spec.replacement,
                since: spec.since,
                stale_before: spec.stale_before,
                checked: spec.checked,
                source: spec.source,
            }),
            Err(e) => {
                let offset = source.text.find(&spec.pattern).unwrap_or(0);
                diagnostics.push(
                    Diagnostic::error(
                        source.path(),
                        format!("the pattern for `{}` is not a valid regular expression", spec.cited),
                    )
                    .at(source, offset)
                    .with_help(e.to_string()),
                );
                None
            }
        })
        .collect();
    ReferenceList { checked: file.checked, references, off: file.off }
}

/// `YYYY-MM-DD` or `YYYY-MM`, a real date.
fn is_checked_date(text: &str) -> bool {
    let full = if text.len() == 7 { format!("{text}-01") } else { text.to_string() };
    full.len() == 10 && full.parse::<jiff::civil::Date>().is_ok()
}

//! The glossary: abbreviations used in policies and what they stand for (`glossary.toml`,
//! built in or a site's own). The rewrite stage marks them up as `<abbr title>`.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, toml_diagnostic, toml_key_offset};
use crate::model::Glossary;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Path of the glossary, relative to the site root.
pub const GLOSSARY_FILE: &str = "content/glossary.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default)]
    abbreviations: BTreeMap<String, String>,
    /// Built-in abbreviations to switch off: `abbreviations = ["ACPO", ...]`.
    #[serde(default)]
    off: BTreeMap<String, Vec<String>>,
}

/// Parses a glossary: its abbreviations and its `[off]` table (list name → ids to switch off).
pub fn parse(
    source: &SourceText,
    diagnostics: &mut Diagnostics,
) -> (Glossary, BTreeMap<String, Vec<String>>) {
    let file: GlossaryFile = match toml::from_str(&source.text) {
        Ok(file) => file,
        Err(e) => {
            diagnostics.push(toml_diagnostic(source, &e, 0));
            return Default::default();
        }
    };
    let glossary = Glossary { abbreviations: file.abbreviations };
    for (abbreviation, expansion) in &glossary.abbreviations {
        let well_formed = abbreviation.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '&')
            && !abbreviation.is_empty()
            && !expansion.trim().is_empty();
        if !well_formed {
            let offset = toml_key_offset(&source.text, &["abbreviations", abbreviation]).unwrap_or(0);
            diagnostics.push(
                Diagnostic::error(source.path(), format!("glossary entry `{abbreviation}` is not usable"))
                    .at(source, offset)
                    .with_help(
                        "an abbreviation is one word of letters or digits, with a non-empty expansion",
                    ),
            );
        }
    }
    (glossary, file.off)
}

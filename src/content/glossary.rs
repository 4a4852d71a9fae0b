//! The glossary: abbreviations used in policies and what they stand for
//! (`content/glossary.toml`). The rewrite stage marks them up as `<abbr title>`.

use crate::diagnostics::{Diagnostic, Diagnostics, toml_diagnostic, toml_key_offset};
use crate::model::Glossary;
use std::path::Path;

/// Path of the glossary, relative to the site root.
pub const GLOSSARY_FILE: &str = "content/glossary.toml";

/// Reads the glossary if the site has one; a site without one simply has no abbreviations.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Glossary {
    let Some(source) = super::read_source(root, Path::new(GLOSSARY_FILE), diagnostics, true) else {
        return Glossary::default();
    };
    let glossary: Glossary = match toml::from_str(&source.text) {
        Ok(glossary) => glossary,
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            return Glossary::default();
        }
    };
    for (abbreviation, expansion) in &glossary.abbreviations {
        let well_formed = abbreviation.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '&')
            && !abbreviation.is_empty()
            && !expansion.trim().is_empty();
        if !well_formed {
            let offset = toml_key_offset(&source.text, &["abbreviations", abbreviation]).unwrap_or(0);
            diagnostics.push(
                Diagnostic::error(source.path(), format!("glossary entry `{abbreviation}` is not usable"))
                    .at(&source, offset)
                    .with_help(
                        "an abbreviation is one word of letters or digits, with a non-empty expansion",
                    ),
            );
        }
    }
    glossary
}

//! The glossary: abbreviations used in policies and what they stand for.

use serde::Deserialize;
use std::collections::BTreeMap;

/// Abbreviations the rewrite stage marks up as `<abbr title>`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    /// Abbreviation → expansion, e.g. `DSL = "Designated Safeguarding Lead"`.
    #[serde(default)]
    pub abbreviations: BTreeMap<String, String>,
}

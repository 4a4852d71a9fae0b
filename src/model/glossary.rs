//! The glossary: abbreviations used in policies and what they stand for.

use std::collections::BTreeMap;

/// Abbreviations the rewrite stage marks up as `<abbr title>`.
#[derive(Debug, Default, Clone)]
pub struct Glossary {
    /// Abbreviation → expansion, e.g. `DSL = "Designated Safeguarding Lead"`.
    pub abbreviations: BTreeMap<String, String>,
}

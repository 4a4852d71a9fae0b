//! The identity of a clause across the site: its policy and its id there, written `slug#id`.
//!
//! One type names a clause wherever it is referred to from outside its own policy: in
//! cross-links, search documents, stances, routes, pages and the data export.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A clause of a policy, as `holy-cross#6.11`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClauseRef {
    /// The policy's slug (`holy-cross`).
    pub policy: String,
    /// The clause's id within its policy (`6.11`), which is also its anchor on the page.
    pub clause: String,
}

impl ClauseRef {
    /// The reference to clause `clause` (`6.11`) of policy `policy` (`holy-cross`).
    pub fn new(policy: impl Into<String>, clause: impl Into<String>) -> ClauseRef {
        ClauseRef { policy: policy.into(), clause: clause.into() }
    }

    /// Site-relative URL of the clause on its policy page.
    pub fn url(&self) -> String {
        format!("policies/{}.html#{}", self.policy, self.clause)
    }
}

impl fmt::Display for ClauseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.policy, self.clause)
    }
}

/// Why a string is not a clause reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAClauseRef(pub String);

impl fmt::Display for NotAClauseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a clause reference; write it as policy#clause, e.g. holy-cross#6.11", self.0)
    }
}

impl std::error::Error for NotAClauseRef {}

impl FromStr for ClauseRef {
    type Err = NotAClauseRef;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('#') {
            Some((policy, clause)) if !policy.is_empty() && !clause.is_empty() && !clause.contains('#') => {
                Ok(ClauseRef::new(policy, clause))
            }
            _ => Err(NotAClauseRef(s.to_string())),
        }
    }
}

impl Serialize for ClauseRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ClauseRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_and_read_as_slug_hash_id() {
        let clause = ClauseRef::new("holy-cross", "6.11");
        assert_eq!(clause.to_string(), "holy-cross#6.11");
        assert_eq!("holy-cross#6.11".parse::<ClauseRef>(), Ok(clause.clone()));
        assert_eq!(clause.url(), "policies/holy-cross.html#6.11");
        assert_eq!(serde_json::to_string(&clause).unwrap(), "\"holy-cross#6.11\"");
        for bad in ["holy-cross", "#6.11", "holy-cross#", "a#b#c"] {
            assert!(bad.parse::<ClauseRef>().is_err(), "{bad} parsed");
        }
    }
}

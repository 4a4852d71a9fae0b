//! Stale references: guidance and law a policy cites that has since been replaced.
//!
//! The list is built in and extended by a site's `content/references.toml`: each entry a pattern for how policies
//! cite the old document, what replaced it and since when. A pattern may capture the cited
//! edition's `year`; then only editions before `stale_before` are flagged.

use crate::model::{Site, StaleCitation};

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

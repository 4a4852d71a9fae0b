//! Suggested topics for an imported policy: `content/topics/<slug>.toml` with every clause's
//! automatic topics (the site's taxonomy and the other schools' curated clauses decide them,
//! [`crate::analyse::topic_scores`]), each marked as a suggestion with its confidence.
//!
//! A suggestion reads `"2.1" = { suggested = 0.62, topics = ["scope"] }`; an editor accepts it
//! by deleting the marker `suggested = 0.62, `, after changing the topics if need be.
//! `policykb check` lists the suggestions not yet accepted, least sure first.

use crate::build::{BuildOptions, analyse_site};
use crate::content::topics::CURATED_DIR;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Characters of a clause's text quoted above its line, to read it by.
const QUOTED_CHARS: usize = 80;

/// What writing the suggestions did.
#[derive(Debug)]
pub enum Suggested {
    /// The file was written with this many clauses, and this many below [`UNSURE_BELOW`].
    Written {
        /// The topics file written.
        path: PathBuf,
        /// Clauses with a suggestion.
        clauses: usize,
        /// Of those, the ones suggested with little confidence.
        unsure: usize,
    },
    /// A topics file for the policy exists already and was left as it is.
    Kept(PathBuf),
    /// The content file is not in a site's `content/` folder (no `site.toml` beside it).
    NoSite,
}

/// Suggestions less sure than this are worth reading first.
pub const UNSURE_BELOW: f32 = 0.75;

/// Writes `content/topics/<slug>.toml` for the content file just imported at `content_file`,
/// if it is in a site's `content/` folder and the policy has no topics file yet. Fails with
/// the build's diagnostics if the site, with the new policy, does not build.
pub fn suggest(content_file: &Path) -> Result<Suggested, String> {
    let content = content_file.parent().unwrap_or(Path::new(""));
    let root = content.parent().unwrap_or(Path::new(""));
    let root = if root.as_os_str().is_empty() { Path::new(".") } else { root };
    if content.file_name().is_none_or(|n| n != "content") || !root.join("site.toml").is_file() {
        return Ok(Suggested::NoSite);
    }
    let slug = content_file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    // CURATED_DIR is content/topics: beside the content file, however the root was written.
    let dir = content.join(Path::new(CURATED_DIR).file_name().unwrap_or_default());
    let path = dir.join(format!("{slug}.toml"));
    if path.exists() {
        return Ok(Suggested::Kept(path));
    }
    let loaded = analyse_site(&BuildOptions::new(root))
        .map_err(|failure| format!("cannot suggest topics until the site builds:\n{failure}"))?;
    let policy = loaded.site.policy(&slug).ok_or_else(|| format!("the site has no policy `{slug}`"))?;
    let mut text = format!(
        "# Topics of {} — suggested by `policykb import`, not yet read by an editor.\n\
         #\n\
         # Each clause's topics were assigned automatically; `suggested` is how sure that was,\n\
         # from 0.5 (a topic on the line) to 1. Read the clause, correct its topics if need be,\n\
         # then accept it by deleting `suggested = …, ` from its line. `policykb check` lists\n\
         # the suggestions not yet accepted, least sure first. Topics are defined in\n\
         # content/topics.toml; [] means the clause is on no topic.\n\n[clauses]\n",
        policy.meta.school
    );
    let mut unsure = 0;
    for clause in &policy.clauses {
        let confidence = clause.topic_confidence.unwrap_or(1.0);
        unsure += usize::from(confidence < UNSURE_BELOW);
        let quoted: String = clause.text.chars().take(QUOTED_CHARS).collect();
        let more = if clause.text.chars().count() > QUOTED_CHARS { "…" } else { "" };
        let topics: Vec<String> = clause.topics.iter().map(|t| quote(t)).collect();
        let _ = writeln!(text, "# {}: {}{more}", clause.label, quoted.replace('\n', " "));
        let _ = writeln!(
            text,
            "{} = {{ suggested = {confidence:.2}, topics = [{}] }}",
            quote(&clause.id),
            topics.join(", ")
        );
    }
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(&path, &text)
    };
    write().map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Suggested::Written { path, clauses: policy.clauses.len(), unsure })
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

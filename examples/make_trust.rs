//! Makes a synthetic trust for the scale benchmark (`scripts/trust-bench.sh`): N policies
//! derived from the five in `content/`, copy k from policy k mod 5, renamed ("… (copy k)",
//! slug `<slug>-k`) and perturbed with a fixed seed per copy: about 20% of the leaf clauses
//! dropped, some words swapped for synonyms, the top-level sections shuffled. Each copy gets
//! its original's curated topics file, with the clause ids of the copy (found by analysing
//! the copy alone and matching each clause to the original it came from).
//!
//! `cargo run --release --example make_trust -- N OUT` writes OUT/site.toml and OUT/content/.
//! The text is synthetic benchmark data made only of the real policies' words; it is not
//! any school's policy.

use anyhow::{Context, Result, bail};
use policykb::model::{ClauseKind, Policy};
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Share of leaf clauses each copy drops.
const DROP: f64 = 0.2;
/// Words a copy may swap (each pair with probability one half per copy).
const SYNONYMS: &[(&str, &str)] = &[
    ("pupils", "students"),
    ("photographs", "photos"),
    ("inappropriate", "unsuitable"),
    ("ensure", "make sure"),
    ("contact", "communication"),
    ("staff", "employees"),
    ("Headteacher", "Principal"),
];

/// SplitMix64: a small deterministic generator, seeded per copy.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, out] = args.as_slice() else { bail!("usage: make_trust N OUT") };
    let n: usize = n.parse().context("N must be a number")?;
    let out = PathBuf::from(out);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let originals = analyse(root)?;
    fs::create_dir_all(out.join("content/topics"))?;
    fs::copy(root.join("site.toml"), out.join("site.toml"))?;
    for k in 0..n {
        let original = &originals[k % originals.len()];
        let mut rng = Rng(k as u64 + 1);
        let swaps: Vec<(&str, &str)> = SYNONYMS.iter().copied().filter(|_| rng.chance(0.5)).collect();
        let slug = format!("{}-{k}", original.slug);
        let markdown = derive(root, original, k, &swaps, &mut rng)?;
        let file = out.join("content").join(format!("{slug}.md"));
        fs::write(&file, &markdown)?;
        // Dropping clauses renumbers their siblings: the routes' citations and the curated
        // topics follow the clauses to their new ids.
        let alone = out.join(format!(".copy-{k}"));
        fs::create_dir_all(alone.join("content"))?;
        fs::copy(root.join("site.toml"), alone.join("site.toml"))?;
        fs::write(alone.join("content").join(format!("{slug}.md")), &markdown)?;
        let copy = structure(&alone)?.remove(0);
        fs::remove_dir_all(&alone)?;
        let new_id = match_clauses(original, &copy, &swaps);
        fs::write(&file, recite(&markdown, &new_id))?;
        let topics = root.join("content/topics").join(format!("{}.toml", original.slug));
        if topics.exists() {
            let curated = retarget(&fs::read_to_string(&topics)?, &new_id)?;
            fs::write(out.join("content/topics").join(format!("{slug}.toml")), curated)?;
        }
    }
    Ok(())
}

/// The policies of the site at `root`, analysed (sorted by slug).
fn analyse(root: &Path) -> Result<Vec<Policy>> {
    let loaded = policykb::build::analyse_site(&policykb::BuildOptions::new(root))
        .map_err(|failure| anyhow::anyhow!("{root:?} does not build: {failure:?}"))?;
    Ok(loaded.site.policies)
}

/// The policies of the site at `root` with their sections and clauses only (no checks of
/// what they cite).
fn structure(root: &Path) -> Result<Vec<Policy>> {
    let mut diagnostics = policykb::diagnostics::Diagnostics::default();
    let today = jiff::civil::date(2026, 1, 1);
    let sources = policykb::content::load(root, today, &mut diagnostics).context("a copy does not load")?;
    Ok(sources
        .policies
        .into_iter()
        .map(|s| {
            let mut policy = Policy::new(s.slug, s.source, s.meta, s.dates, s.segments);
            policykb::analyse::structure::analyse(&mut policy, &mut diagnostics);
            policy
        })
        .collect())
}

/// Copy `k` of `original`'s content file: renamed, leaf clauses dropped, words swapped,
/// sections shuffled.
fn derive(root: &Path, original: &Policy, k: usize, swaps: &[(&str, &str)], rng: &mut Rng) -> Result<String> {
    let text = fs::read_to_string(root.join("content").join(format!("{}.md", original.slug)))?;
    let parents: HashSet<usize> = original.clauses.iter().filter_map(|c| c.parent).collect();
    // Lines to drop: the line of each chosen one-line leaf clause.
    let mut dropped: HashSet<usize> = HashSet::new();
    for (i, clause) in original.clauses.iter().enumerate() {
        let line_start = text[..clause.offset].rfind('\n').map_or(0, |p| p + 1);
        let line_end = text[clause.offset..].find('\n').map_or(text.len(), |p| clause.offset + p);
        let one_line = text[line_start..line_end].contains(clause.text.as_str());
        let cited = text.contains(&format!("\"{}\"", clause.id));
        if clause.kind != ClauseKind::Table && !parents.contains(&i) && !cited && one_line && rng.chance(DROP)
        {
            dropped.insert(line_start);
        }
    }
    let mut kept = String::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !dropped.contains(&start) {
            kept.push_str(line);
        }
        start += line.len();
    }
    let (front, body) = split_front_matter(&kept)?;
    let school = &original.meta.school;
    let front =
        front.replacen(&format!("school = \"{school}\""), &format!("school = \"{school} (copy {k})\""), 1);
    let front = match &original.meta.short_name {
        Some(short) => {
            front.replacen(&format!("short_name = \"{short}\""), &format!("short_name = \"{short} {k}\""), 1)
        }
        None => front,
    };
    // Top-level sections: the part before the first keeps its place, the rest are shuffled.
    // Words are swapped in prose only: not in headings (ids) nor in fenced route blocks.
    let mut sections: Vec<String> = Vec::new();
    // A section inside a `:::` block moves with the whole block.
    let (mut fenced, mut depth) = (false, 0usize);
    for line in body.split_inclusive('\n') {
        if (line.starts_with("## ") && depth == 0) || sections.is_empty() {
            sections.push(String::new());
        }
        if !fenced && line.starts_with(":::") {
            if line.trim_end() == ":::" {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
            }
        }
        if line.starts_with("```") {
            fenced = !fenced;
        }
        let prose = !fenced && !line.starts_with('#') && !line.starts_with("```");
        let swapped = if prose { swap(line, swaps) } else { line.to_string() };
        sections.last_mut().expect("pushed above").push_str(&swapped);
    }
    for i in (2..sections.len()).rev() {
        let j = 1 + (rng.next() as usize) % i;
        sections.swap(i, j);
    }
    for section in &mut sections {
        if !section.ends_with("\n\n") {
            section.push('\n');
        }
    }
    Ok(format!("{front}{}", sections.concat()))
}

/// The front matter (with its fences) and the body of a content file.
fn split_front_matter(text: &str) -> Result<(&str, &str)> {
    let end = text[3..].find("\n+++\n").context("a content file has no front matter")? + 3 + 5;
    Ok(text.split_at(end))
}

/// `text` with each swap's word replaced where it stands as a whole word.
fn swap(text: &str, swaps: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (from, to) in swaps {
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(from) {
            let before = rest[..at].chars().next_back();
            let after = rest[at + from.len()..].chars().next();
            result.push_str(&rest[..at]);
            let whole =
                !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
            result.push_str(if whole { to } else { from });
            rest = &rest[at + from.len()..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

/// Each original clause id kept in the copy, with its id there: a clause of the copy is the
/// original clause whose swapped text it has (the first not yet matched).
fn match_clauses(original: &Policy, copy: &Policy, swaps: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut unmatched: Vec<(String, &str)> =
        original.clauses.iter().map(|c| (swap(&c.text, swaps), c.id.as_str())).collect();
    let mut new_id = BTreeMap::new();
    for clause in &copy.clauses {
        if let Some(at) = unmatched.iter().position(|(text, _)| *text == clause.text) {
            new_id.insert(unmatched.remove(at).1.to_string(), clause.id.clone());
        }
    }
    new_id
}

/// `markdown` with the clause ids its routes cite (`cites = [...]` lines) renamed.
fn recite(markdown: &str, new_id: &BTreeMap<String, String>) -> String {
    markdown
        .split_inclusive('\n')
        .map(|line| {
            if !line.trim_start().starts_with("cites") {
                return line.to_string();
            }
            // Quoted ids alternate with what lies between them.
            line.split('"')
                .enumerate()
                .map(
                    |(i, part)| if i % 2 == 1 { new_id.get(part).map_or(part, String::as_str) } else { part },
                )
                .collect::<Vec<_>>()
                .join("\"")
        })
        .collect()
}

/// The original's curated topics file with the copy's clause ids.
fn retarget(curated: &str, new_id: &BTreeMap<String, String>) -> Result<String> {
    let mut table: toml::Table = curated.parse().context("a curated topics file does not parse")?;
    if let Some(toml::Value::Table(clauses)) = table.get_mut("clauses") {
        *clauses = std::mem::take(clauses)
            .into_iter()
            .filter_map(|(id, topics)| new_id.get(&id).map(|new| (new.clone(), topics)))
            .collect();
    }
    if let Some(toml::Value::Table(stances)) = table.get_mut("stance") {
        stances.retain(|_, entry| match entry.get("clause").and_then(toml::Value::as_str) {
            Some(id) => match new_id.get(id) {
                Some(new) => {
                    entry.as_table_mut().expect("has a key").insert("clause".into(), new.clone().into());
                    true
                }
                None => false,
            },
            None => true,
        });
    }
    Ok(toml::to_string(&table)?)
}

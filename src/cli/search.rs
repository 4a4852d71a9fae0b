//! `policykb search`: loads the site and prints what its search box would show.

use crate::BuildOptions;
use crate::search::{HitRecord, SearchOptions};
use std::process::ExitCode;

/// `policykb search`: the site's search, in the terminal.
pub(super) fn run(
    root: &std::path::Path,
    json: bool,
    limit: usize,
    school: Option<&str>,
    explain: bool,
    query: &str,
) -> ExitCode {
    let crate::build::Loaded { site, index, .. } = match crate::build::analyse_site(&BuildOptions::new(root))
    {
        Ok(loaded) => loaded,
        Err(failure) => {
            eprintln!("{failure}");
            return ExitCode::FAILURE;
        }
    };
    let policy = match school.map(|s| find_policy(&site, s)) {
        Some(Ok(slug)) => Some(slug),
        Some(Err(message)) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
        None => None,
    };
    if explain {
        let plan = index.plan(query);
        for group in &plan.groups {
            let terms: Vec<String> =
                group.terms.iter().map(|e| format!("{} ×{:.2}", e.term, e.weight)).collect();
            eprintln!("{:>14}: {}", group.word, terms.join(", "));
        }
        for phrase in &plan.phrases {
            let words: Vec<&str> = phrase.iter().map(|(_, t)| t.as_str()).collect();
            eprintln!("{:>14}: \"{}\"", "phrase", words.join(" "));
        }
    }
    let options = SearchOptions { policy, home: site.config.home.clone(), limit };
    let hits = match index.search(query, &options) {
        Ok(hits) => hits,
        Err(e) => {
            eprintln!("error: search failed: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let records: Vec<HitRecord> = hits.iter().map(|hit| HitRecord::new(&site, &index, hit)).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&records).expect("hits serialise"));
    } else if records.is_empty() {
        println!("No clauses match \"{query}\".");
    } else {
        for (rank, r) in records.iter().enumerate() {
            let heading = r.heading.last().map(String::as_str).unwrap_or("");
            println!("{:>2}. {} — {} ({heading})  score {:.2}", rank + 1, r.school, r.label, r.score);
            println!("    {}", r.url);
            let text: String = r.text.chars().take(160).collect();
            println!("    {text}{}", if r.text.chars().count() > 160 { "…" } else { "" });
            for place in &r.also {
                println!("    also word for word at {}", place.label);
            }
        }
    }
    ExitCode::SUCCESS
}

/// The slug of the policy a `--school` value names: a slug, or part of a school's name.
fn find_policy(site: &crate::model::Site, wanted: &str) -> Result<String, String> {
    let lower = wanted.to_lowercase();
    let matches: Vec<&crate::model::Policy> = site
        .policies
        .iter()
        .filter(|p| {
            p.slug == lower
                || p.meta.school.to_lowercase().contains(&lower)
                || p.short_name().to_lowercase() == lower
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.slug.clone()),
        [] => Err(format!(
            "no school matches `{wanted}`; schools are: {}",
            site.policies.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>().join(", ")
        )),
        _ => Err(format!("`{wanted}` matches several schools; use a slug")),
    }
}

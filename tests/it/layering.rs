//! The pipeline runs one way — load → analyse → render → rewrite → write — and so do the
//! modules: no module imports one of a later stage, and no stage's submodules import each
//! other in a loop. Read from the source files, so a new import that breaks the order fails
//! here with the file and line.

use crate::common::repo_root;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module's stage, in pipeline order. A module may import modules of its own
/// stage or an earlier one.
const STAGES: [(&str, u8); 18] = [
    ("diagnostics", 0),
    ("dates", 0),
    ("timings", 0),
    ("model", 1),
    ("search", 2),
    ("content", 3),
    ("analyse", 4),
    ("render", 5),
    ("export", 5),
    ("rewrite", 6),
    ("output", 7),
    ("build", 8),
    ("check", 9),
    ("cli", 9),
    ("import", 9),
    ("init", 9),
    ("serve", 9),
    ("lib", 10),
];

/// Every `crate::a::b` path a line of code names (comments left out), as its segments.
fn crate_paths(line: &str) -> Vec<Vec<String>> {
    static PATH: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"crate::((?:\w+::)*)(\{[^}]*\}|\w+)").unwrap());
    let code = line.split("//").next().unwrap_or("");
    let mut paths = Vec::new();
    for m in PATH.captures_iter(code) {
        let prefix: Vec<String> = m[1].split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
        let last = &m[2];
        if let Some(group) = last.strip_prefix('{') {
            for item in group.trim_end_matches('}').split(',') {
                let mut path = prefix.clone();
                path.extend(item.split("::").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()));
                paths.push(path);
            }
        } else {
            let mut path = prefix;
            path.push(last.to_string());
            paths.push(path);
        }
    }
    paths
}

/// `src/analyse/topics.rs` → ["analyse", "topics"]; `src/analyse/mod.rs` → ["analyse"].
fn module_of(file: &Path, src: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("a file under src/");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs").to_string();
    if stem != "mod" && stem != "main" {
        parts.push(stem);
    }
    if parts.is_empty() {
        parts.push("lib".into());
    }
    parts
}

fn sources() -> Vec<(Vec<String>, String, String)> {
    let src = repo_root().join("src");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(path).expect("read a source file");
            let shown = path.strip_prefix(repo_root()).unwrap().display().to_string();
            files.push((module_of(path, &src), shown, text));
        }
    }
    files.sort();
    files
}

#[test]
fn no_module_imports_a_later_stage() {
    let stage: BTreeMap<&str, u8> = STAGES.into_iter().collect();
    let mut problems = Vec::new();
    let files = sources();
    assert!(files.len() > 40, "expected the crate's source files, found {}", files.len());
    for (module, shown, text) in &files {
        if shown == "src/main.rs" || shown == "src/lib.rs" {
            continue;
        }
        let Some(&own) = stage.get(module[0].as_str()) else {
            problems.push(format!("{shown}: module `{}` has no stage in STAGES", module[0]));
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for path in crate_paths(line) {
                let Some(&theirs) = stage.get(path[0].as_str()) else { continue };
                if theirs > own {
                    problems.push(format!(
                        "{shown}:{}: `{}` (stage {own}) imports `crate::{}` (stage {theirs})",
                        n + 1,
                        module[0],
                        path.join("::")
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "imports against the pipeline:\n{}", problems.join("\n"));
}

#[test]
fn no_stage_imports_itself_in_a_loop() {
    // Edges between the submodules of one top-level module, from `crate::stage::sub` paths.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, _, text) in sources() {
        if module.len() < 2 {
            continue;
        }
        let from = module[..2].join("::");
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            let mut targets: Vec<String> = crate_paths(line)
                .into_iter()
                .filter(|p| p.len() >= 2 && p[0] == module[0])
                .map(|p| p[..2].join("::"))
                .collect();
            // `super::x` from a submodule is a sibling.
            for m in line.match_indices("super::") {
                let rest = &line[m.0 + 7..];
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && module.len() == 2 {
                    targets.push(format!("{}::{name}", module[0]));
                }
            }
            for to in targets {
                if to != from {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    // A loop is a pair of submodules each reachable from the other.
    let reach = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.to_string()];
        while let Some(next) = stack.pop() {
            for to in edges.get(&next).into_iter().flatten() {
                if seen.insert(to.clone()) {
                    stack.push(to.clone());
                }
            }
        }
        seen
    };
    let mut loops = BTreeSet::new();
    for from in edges.keys() {
        for to in reach(from) {
            if &to != from && reach(&to).contains(from) {
                let mut pair = [from.clone(), to];
                pair.sort();
                loops.insert(pair.join(" ↔ "));
            }
        }
    }
    assert!(
        loops.is_empty(),
        "submodules that import each other in a loop:\n{}",
        loops.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_checker_reads_grouped_and_nested_imports() {
    assert_eq!(
        crate_paths("use crate::{analyse, render::markdown::attr}; // crate::build"),
        vec![vec!["analyse".to_string()], vec!["render".into(), "markdown".into(), "attr".into()]]
    );
    assert_eq!(crate_paths("let x = crate::model::Site::new();")[0][..2], ["model", "Site"]);
}

//! Automatic topics and derived stances for a school nobody has curated, measured
//! leave-one-school-out: for each of the five schools the site is analysed without that
//! school's `content/topics/<slug>.toml`, so its clauses get topics only from the taxonomy and
//! the other four schools' curated assignments, exactly as an imported sixth school would. Its
//! automatic topics are scored against its curated ones (precision, recall, F1 over every
//! (clause, topic) pair, and per topic), and its derived stance on every topic against the
//! stance the full, curated site shows. The floors are the levels reached, rounded down.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

const MIN_PRECISION: f64 = 0.66;
const MIN_RECALL: f64 = 0.69;
const MIN_F1: f64 = 0.67;
const MIN_STANCE_AGREEMENT: f64 = 0.51;

/// One school's clauses' topics and its stance on every topic.
struct SchoolTopics {
    clauses: BTreeMap<String, BTreeSet<String>>,
    stances: BTreeMap<String, policykb::model::Stance>,
}

/// Each school as curated (from the real site) and as left out (from a copy of the site
/// without its curated file).
struct LeaveOneOut {
    curated: BTreeMap<String, SchoolTopics>,
    left_out: BTreeMap<String, SchoolTopics>,
}

fn school_topics(root: &Path) -> BTreeMap<String, SchoolTopics> {
    let loaded = policykb::build::analyse_site(&policykb::BuildOptions::new(root)).expect("the site loads");
    loaded
        .site
        .policies
        .iter()
        .map(|policy| {
            let clauses =
                policy.clauses.iter().map(|c| (c.id.clone(), c.topics.iter().cloned().collect())).collect();
            let stances = policy.stances.iter().map(|(t, e)| (t.clone(), e.stance)).collect();
            (policy.slug.clone(), SchoolTopics { clauses, stances })
        })
        .collect()
}

/// A copy of the real site without `left_out`'s curated topics file.
fn site_without_curation_of(left_out: &str) -> tempfile::TempDir {
    let root = common::repo_root();
    let dir = common::tempdir();
    std::fs::copy(root.join("site.toml"), dir.path().join("site.toml")).unwrap();
    for sub in ["content", "content/topics"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let entry = entry.unwrap();
            let skip = sub == "content/topics" && entry.file_name() == *format!("{left_out}.toml").as_str();
            if entry.file_type().unwrap().is_file() && !skip {
                std::fs::copy(entry.path(), dir.path().join(sub).join(entry.file_name())).unwrap();
            }
        }
    }
    dir
}

fn leave_one_out() -> &'static LeaveOneOut {
    static RUN: OnceLock<LeaveOneOut> = OnceLock::new();
    RUN.get_or_init(|| {
        let curated = school_topics(&common::repo_root());
        let left_out = common::SCHOOLS
            .iter()
            .map(|&(slug, _)| {
                let dir = site_without_curation_of(slug);
                let mut schools = school_topics(dir.path());
                (slug.to_string(), schools.remove(slug).expect("the school is in its copy"))
            })
            .collect();
        LeaveOneOut { curated, left_out }
    })
}

#[derive(Default)]
struct Counts {
    agreed: usize,
    extra: usize,
    missed: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        self.agreed as f64 / (self.agreed + self.extra).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.agreed as f64 / (self.agreed + self.missed).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

#[test]
fn automatic_topics_agree_with_curation_for_a_school_left_out() {
    let run = leave_one_out();
    let mut overall = Counts::default();
    let mut by_topic: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut by_school: BTreeMap<&str, Counts> = BTreeMap::new();
    for (school, automatic) in &run.left_out {
        let curated = &run.curated[school];
        assert_eq!(curated.clauses.len(), automatic.clauses.len(), "{school}: same clauses");
        for (clause, wanted) in &curated.clauses {
            let given = &automatic.clauses[clause];
            for topic in wanted.union(given) {
                let count = match (wanted.contains(topic), given.contains(topic)) {
                    (true, true) => |c: &mut Counts| c.agreed += 1,
                    (false, true) => |c: &mut Counts| c.extra += 1,
                    _ => |c: &mut Counts| c.missed += 1,
                };
                count(&mut overall);
                count(by_topic.entry(topic).or_default());
                count(by_school.entry(school).or_default());
            }
        }
    }
    for (name, c) in by_school.iter().chain(&by_topic) {
        println!(
            "  {name:<26} P {:>5.1}%  R {:>5.1}%  F1 {:>5.1}%  ({} agreed, {} extra, {} missed)",
            c.precision() * 100.0,
            c.recall() * 100.0,
            c.f1() * 100.0,
            c.agreed,
            c.extra,
            c.missed
        );
    }
    let (precision, recall, f1) = (overall.precision(), overall.recall(), overall.f1());
    println!(
        "automatic topics, leave-one-school-out: precision {:.1}%, recall {:.1}%, F1 {:.1}%",
        precision * 100.0,
        recall * 100.0,
        f1 * 100.0
    );
    assert!(precision >= MIN_PRECISION, "precision {precision:.3} fell below {MIN_PRECISION}");
    assert!(recall >= MIN_RECALL, "recall {recall:.3} fell below {MIN_RECALL}");
    assert!(f1 >= MIN_F1, "F1 {f1:.3} fell below {MIN_F1}");
}

#[test]
fn derived_stances_agree_with_curation_for_a_school_left_out() {
    let run = leave_one_out();
    let (mut agreed, mut total) = (0usize, 0usize);
    let (mut covered_agreed, mut covered) = (0usize, 0usize);
    for (school, automatic) in &run.left_out {
        let curated = &run.curated[school];
        assert_eq!(curated.stances.len(), automatic.stances.len(), "{school}: a stance on every topic");
        for (topic, wanted) in &curated.stances {
            let derived = automatic.stances[topic];
            let same = derived == *wanted;
            total += 1;
            agreed += usize::from(same);
            if *wanted != policykb::model::Stance::NotCovered {
                covered += 1;
                covered_agreed += usize::from(same);
            }
            if !same {
                println!("  {school} on {topic}: curated {wanted:?}, derived {derived:?}");
            }
        }
    }
    let agreement = agreed as f64 / total as f64;
    println!(
        "stances, leave-one-school-out: {agreed}/{total} agree ({:.1}%); where the school covers the topic {covered_agreed}/{covered} ({:.1}%)",
        agreement * 100.0,
        covered_agreed as f64 / covered.max(1) as f64 * 100.0
    );
    assert!(agreement >= MIN_STANCE_AGREEMENT, "agreement {agreement:.3} fell below {MIN_STANCE_AGREEMENT}");
}

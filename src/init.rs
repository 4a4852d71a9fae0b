//! `policykb init`: scaffolds a new site with one example policy, ready to build. The example
//! is made to show every feature at once with the built-in defaults: topics and a stance in
//! the comparison matrix, a reporting route, a superseded citation and a passed review date.

use anyhow::{Context, Result, bail};
use std::path::Path;

const SITE_TOML: &str = r##"# Site settings for policykb. See README.md ("site.toml") for every field.
title = "School Policies"
description = "Our school's policies, searchable and linked clause by clause."
# Where the site will be published; used for the sitemap. Pages link relatively, so the site
# also works from any sub-path or straight from disk.
base_url = "https://www.example.sch.uk/policies/"
language = "en-GB"
theme = "default"

[branding]
name = "Example Primary School"
# logo = "logo.svg"        # a file in static/
# logo_alt = "Example Primary School crest"
primary_colour = "#1d4f91"  # must have 4.5:1 contrast with white
accent_colour = "#ffbf47"

[publisher]
name = "Example Primary School"
email = "office@example.sch.uk"
"##;

const EXAMPLE_POLICY: &str = r##"+++
school = "Example Primary School"
title = "Social Media Policy"
source = "example written by policykb init"
short_name = "Example"
phase = "primary"
written = "Spring 2025"
next_review = "Spring 2026"
review_cycle = "annual"
+++

::: note
This is an example policy written by `policykb init`, not a real school's: replace it with your own (`policykb import your-policy.docx`). It is made to show every feature. Its clauses are assigned to topics in `content/topics/example-primary.toml`, so they appear in the comparison matrix with a stance. Clause 2.3 has a reporting route. Clause 1.2 cites guidance that has been replaced, which is marked on the page. Its review date has passed, so the page and the list of policies show it as overdue.
:::

## 1. Introduction

1.1 This example policy sets out how adults working in the school use social media.

1.2 Staff should read it alongside the school's Safeguarding Policy and Keeping Children Safe in Education 2023; see paragraph 2.1.

## 2. Contact with pupils and parents

2.1 Staff must not accept pupils as friends on personal social media accounts.

2.2 Staff should be cautious about contact with parents and carers online:

- use the school's official channels;
- report any concern to the DSL.

2.3 If a pupil sends a friend request to a member of staff, the member of staff must decline it and tell the DSL the same day.

```route
concern = "pupil-contacts-staff"
title = "A pupil sends a member of staff a friend request"

[[steps]]
id = "decline"
text = "Decline the friend request"
who = "The member of staff"
cites = ["2.3"]

[[steps]]
id = "dsl"
text = "Tell the DSL"
when = "The same day"
cites = ["2.3"]
end = true
```
"##;

const EXAMPLE_TOPICS: &str = r#"# The topics of the example policy's clauses, settled by an editor. The topics are policykb's
# built-in taxonomy (a content/topics.toml of your own can add, replace or switch off topics).
# Clauses not listed here get their topics automatically, from each topic's terms; `policykb
# check` lists the assignments worth a look. See docs/content-format.md, "Topics".
[clauses]
"2.1" = ["contact-pupils"]
"2.2" = ["contact-parents"]
"2.3" = ["contact-pupils"]

# A stance is read from the wording of the clauses on a topic ("must not" is prohibited,
# "should be cautious" is caution). Set one here only when the wording misleads:
# [stance]
# contact-parents = { stance = "caution", clause = "2.2" }
"#;

const GLOSSARY: &str = r#"# Abbreviations of your own, shown as <abbr title="..."> on the pages. The common ones (DSL,
# KCSIE, LADO, SLT, ...) are built into policykb; an entry here with the same abbreviation
# replaces the built-in one, and [off] switches built-in ones off.
[abbreviations]
# SBM = "School Business Manager"

# [off]
# abbreviations = ["ACPO"]
"#;

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} already exists and is not empty; choose a new folder", dir.display());
    }
    let files = [
        ("site.toml", SITE_TOML),
        ("content/example-primary.md", EXAMPLE_POLICY),
        ("content/topics/example-primary.toml", EXAMPLE_TOPICS),
        ("content/glossary.toml", GLOSSARY),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

//! `policykb init`: scaffolds a new site with one example policy, ready to build.

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

const EXAMPLE_POLICY: &str = r#"+++
school = "Example Primary School"
title = "Social Media Policy"
source = "social-media-policy.docx"
short_name = "Example"
phase = "primary"
written = "Spring 2025"
next_review = "Spring 2026"
review_cycle = "annual"
+++

::: cover
Example Primary School

Social Media Policy
:::

## 1. Introduction

1.1 This policy sets out how adults working in school use social media.

1.2 Staff should read it alongside the Safeguarding Policy; see paragraph 2.1.

## 2. Contact with pupils and parents

2.1 Staff must not accept pupils as friends on personal social media accounts.

2.2 Staff should be cautious about contact with parents online:

- use the school's official channels;
- report any concern to the DSL.
"#;

const GLOSSARY: &str = r#"# Abbreviations used in the policies, shown as <abbr title="..."> on the pages.
[abbreviations]
DSL = "Designated Safeguarding Lead"
SLT = "Senior Leadership Team"
"#;

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} already exists and is not empty; choose a new folder", dir.display());
    }
    let files = [
        ("site.toml", SITE_TOML),
        ("content/example-primary.md", EXAMPLE_POLICY),
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

#![warn(missing_docs, unreachable_pub)]
//! policykb turns school policies into a searchable, cross-linked static site.
//!
//! One pipeline, one module per stage:
//!
//! 1. [`content`] — **load** `site.toml`, the policy files and the glossary into a [`model::Site`];
//! 2. [`analyse`] — find sections and **clauses**, give each clause its id;
//! 3. [`render`] — Markdown to HTML and pages through the theme's **tera** templates;
//! 4. [`rewrite`] — a streaming **lol_html** pass: clause anchors and permalinks, cross-references,
//!    abbreviations, safe external links, relative URLs;
//! 5. [`output`] — **write** the site into a fresh folder and swap it in only when complete.
//!
//! The clause is the unit of everything: one id per clause, used for its anchor, its search
//! document, its cross-links and its row in the data export ([`export`]).

pub mod analyse;
pub mod build;
pub mod check;
pub mod cli;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod export;
pub mod import;
pub mod init;
pub mod model;
pub mod output;
pub mod render;
pub mod rewrite;
pub mod search;
pub mod serve;
pub mod timings;

pub use build::{BuildOptions, BuildReport, build};

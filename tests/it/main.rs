//! policykb's integration tests, as one binary (one link of the crate and tantivy, not one per
//! file): the CLI and the library end to end on the real five-school site, small fixture sites
//! for edge cases, the quality sets, and the browser suite.

mod common;

mod adversarial;
mod bad_input;
mod browser;
mod build_site;
mod compare;
mod content_fidelity;
mod crosslinks_quality;
mod defaults;
mod home;
mod import;
mod layering;
mod properties;
mod reviews;
mod routes;
mod search_parity;
mod search_quality;
mod search_segments;
mod serve;
mod stemmer_parity;
mod topics_quality;
mod trust;

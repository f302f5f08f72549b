//! Findings → text: the only place, with `main`, that writes output.
//!
//! Every format reads the same [`crate::Run`]; line and column are computed here from byte
//! spans.

pub mod docs;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod test_pattern;

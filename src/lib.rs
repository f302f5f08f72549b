//! trailcheck proves, before deployment, whether the events an EventBridge rule waits for can
//! ever reach it.
//!
//! The pipeline runs in one direction: `walk` finds and reads the files; `parse` turns each
//! text into one spanned document tree, whatever its syntax; `ingest` recognises templates and
//! plans and reads their rules, trails and buckets into the `model`, one handler per resource
//! type; `analysis` works out the events each rule's `pattern` can match and states, for each,
//! the first link that breaks between CloudTrail and the rule; `checks` decide which of those
//! facts are findings (one check per rule of the `rules` registry) and write their fixes;
//! `render` prints them. Files are read and ingested in parallel, independently; everything
//! after that sees the whole deployment, because a trail in one file covers rules in another.
//! `pipeline` runs these steps for `check` under the run's policy, and `commands` turns a
//! command line into a run and its output. `value` holds the partly known values every stage
//! shares. `ARCHITECTURE.md` has the map.

pub mod analysis;
pub mod baseline;
pub mod catalog;
pub mod checks;
pub mod cli;
mod commands;
pub mod config;
pub mod finding;
pub mod ingest;
pub mod model;
pub mod parse;
pub mod pattern;
pub mod pipeline;
pub mod render;
pub mod rules;
pub mod source;
pub mod test_pattern;
pub mod value;
pub mod walk;

#[cfg(test)]
mod testing;

pub use commands::run;
pub use pipeline::{Run, RunError, Settings, Summary, check, check_with, exit_code};
pub use test_pattern::{InvalidPattern, PatternTest, test_pattern};

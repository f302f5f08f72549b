//! `trailcheck rules` and `trailcheck explain`: printed from the pages in `rules/`.

use std::io::{self, Write};

use crate::rules::{ALL, RuleInfo};

pub fn write_rules(out: &mut dyn Write) -> io::Result<()> {
    for info in ALL {
        writeln!(
            out,
            "{:<6} {:<30} {:<8} {}",
            info.id,
            info.name,
            info.severity.as_str(),
            info.summary()
        )?;
    }
    Ok(())
}

pub fn write_explain(out: &mut dyn Write, info: &RuleInfo) -> io::Result<()> {
    out.write_all(info.doc.as_bytes())?;
    if !info.doc.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

pub fn write_unknown_rule(err: &mut dyn Write, rule: &str) -> io::Result<()> {
    writeln!(err, "error: {}", crate::rules::unknown(rule))
}

//! Terraform configuration from arbitrary bytes: the HCL front end and the partial evaluator.
//!
//! The bytes are cut at `\n#%%\n` into up to three files of one configuration: a root module's
//! `main.tf`, the `main.tf` of a module it may call as `./modules/m`, and the root's
//! `terraform.tfvars`. Each is parsed as native syntax and, when it sniffs as JSON, its JSON
//! syntax twin (`.tf.json`) too. Every root module is then evaluated, analysed and checked.
//! Nothing may panic or hang, and every location must lie inside the file it names, on
//! character boundaries (the renderers slice the file by them).

#![no_main]

use std::path::PathBuf;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use trailcheck::ingest::tf::hcl::{self, Folders, HclFile};
use trailcheck::model::Deployment;
use trailcheck::source::{FileId, Loc, SourceFile};
use trailcheck::{analysis, checks, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parts: Vec<&str> = text.splitn(3, "\n#%%\n").collect();
    let json = parts.iter().all(|p| parse::sniff(p) == parse::Syntax::Json);
    configuration(&parts, false);
    if json {
        configuration(&parts, true);
    }
});

fn configuration(parts: &[&str], json: bool) {
    let suffix = if json { ".json" } else { "" };
    let names = [
        format!("/fuzz/main.tf{suffix}"),
        format!("/fuzz/modules/m/main.tf{suffix}"),
        format!("/fuzz/terraform.tfvars{suffix}"),
    ];
    let mut folders = Folders {
        scanned: vec![PathBuf::from("/fuzz")],
        ..Folders::default()
    };
    let mut files = Vec::new();
    for (index, (part, name)) in parts.iter().zip(&names).enumerate() {
        let path = PathBuf::from(name);
        files.push(SourceFile::new(path.clone(), (*part).to_owned(), true));
        let Some((kind, syntax)) = hcl::kind_of(&path) else {
            continue;
        };
        match hcl::parse(part, syntax, kind) {
            Ok(parsed) => folders.add(
                HclFile {
                    id: FileId(index as u32),
                    path,
                    text: Arc::new((*part).to_owned()),
                    body: parsed.body,
                    places: parsed.places,
                    reported: true,
                },
                kind,
            ),
            Err((offset, _)) => assert!(offset <= part.len(), "error offset beyond the text"),
        }
    }
    for root in folders.read() {
        let mut deployment = Deployment {
            files: files.clone(),
            ..Deployment::default()
        };
        deployment.add(root.items);
        let inside = |loc: Loc, what: &str| {
            let text = parts.get(loc.file.0 as usize).unwrap_or_else(|| panic!("{what} in no file"));
            assert!(
                text.get(loc.span.range()).is_some(),
                "{what} span {:?} not inside its file ({} bytes) on char boundaries",
                loc.span,
                text.len()
            );
        };
        for rule in &deployment.rules {
            inside(rule.loc, "rule");
        }
        for trail in &deployment.trails {
            inside(trail.loc, "trail");
        }
        let reports = analysis::analyse(&deployment);
        for finding in checks::run(&deployment, &reports, |_| true) {
            inside(finding.loc, finding.rule.id);
            for related in &finding.related {
                inside(related.loc, "related location");
            }
        }
    }
}

//! Every rule page's `## Example` runs through the real binary, so a page cannot show an example
//! that does not produce its rule, nor an output the rule no longer prints.
//!
//! The example of `rules/TCNNN-….md` is read from its `## Example` section:
//!
//! - the code blocks before the first `text` block are the input, one file each: `yaml` blocks
//!   become `.yaml` files, `json` blocks `.json` files (a template or a Terraform plan, recognised
//!   by content as always). A page whose rule needs two files, such as a template with the rule
//!   and a plan with the trail, shows two blocks;
//! - a `yaml` block without a top-level `Resources` key is a fragment of a template, as pages
//!   show them: the resources it lists. It is put under `Resources:` (indented two spaces), and
//!   nothing else is added;
//! - "Linted with `ARGS`" in the prose before the first block gives the command-line arguments
//!   (`--region eu-west-1`);
//! - the first `text` block is the output: each of its lines must be a line of the human output.
//!
//! The run is `trailcheck check --no-config ARGS FILES…` in a fresh temporary folder; the page's
//! rule must be among the findings. Blocks after that first `text` block (variants told in
//! prose, Terraform configuration) are not run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One fenced code block: its language tag and its text.
struct Block {
    language: String,
    body: String,
}

/// The `## Example` section of a page: the prose before its first block, and its blocks.
fn example(page: &str) -> Option<(String, Vec<Block>)> {
    let start = page.find("\n## Example\n")? + "\n## Example\n".len();
    let section = &page[start..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut prose = String::new();
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for line in section.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(language)) => {
                open = Some(Block {
                    language: language.trim().to_owned(),
                    body: String::new(),
                })
            }
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some(block), None) => {
                block.body.push_str(line);
                block.body.push('\n');
            }
            (None, None) if blocks.is_empty() => {
                prose.push_str(line);
                prose.push('\n');
            }
            (None, None) => {}
        }
    }
    Some((prose, blocks))
}

/// The arguments of "Linted with `ARGS`", if the prose says so.
fn linted_with(prose: &str) -> Vec<String> {
    let flat = prose.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.split_once("Linted with `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(args, _)| args.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// A YAML fragment (resources without `Resources:`) made a template; anything else as it is.
fn as_file(block: &Block) -> String {
    let has_resources = block
        .body
        .lines()
        .any(|line| line.starts_with("Resources:"));
    if block.language != "yaml" || has_resources {
        return block.body.clone();
    }
    let mut template = String::from("Resources:\n");
    for line in block.body.lines() {
        if !line.trim().is_empty() {
            template.push_str("  ");
        }
        template.push_str(line);
        template.push('\n');
    }
    template
}

/// A fresh folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("trailcheck-pages-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// What is wrong with the example of the page at `path`, if anything.
fn check_page(path: &Path) -> Result<(), String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let id = name.get(..5).unwrap_or(name);
    let page = fs::read_to_string(path).map_err(|e| format!("unreadable: {e}"))?;
    let (prose, blocks) = example(&page).ok_or("no `## Example` section")?;
    let output_at = blocks
        .iter()
        .position(|b| b.language == "text")
        .ok_or("no `text` block with the output")?;
    if output_at == 0 {
        return Err("no input block before the output".to_owned());
    }
    let scratch = Scratch::new(id);
    let mut files = Vec::new();
    for (index, block) in blocks[..output_at].iter().enumerate() {
        let extension = match block.language.as_str() {
            "yaml" => "yaml",
            "json" => "json",
            other => {
                return Err(format!(
                    "input block {} is `{other}`; trailcheck reads `yaml` and `json`",
                    index + 1
                ));
            }
        };
        let file = format!("example-{}.{extension}", index + 1);
        fs::write(scratch.0.join(&file), as_file(block)).expect("an example file");
        files.push(file);
    }
    let output = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .current_dir(&scratch.0)
        .env("NO_COLOR", "1")
        .args(["check", "--no-config"])
        .args(linted_with(&prose))
        .args(&files)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let shown = || {
        format!(
            "`trailcheck check {}` exited {}:\n{stdout}{}",
            files.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    };
    if output.status.code() != Some(1) || !stdout.contains(&format!("[{id}]: ")) {
        return Err(format!("{id} does not fire: {}", shown()));
    }
    let lines: Vec<&str> = stdout.lines().map(str::trim).collect();
    for expected in blocks[output_at].body.lines().map(str::trim) {
        if !expected.is_empty() && !lines.contains(&expected) {
            return Err(format!("the output has no line `{expected}`: {}", shown()));
        }
    }
    Ok(())
}

#[test]
fn every_rule_page_example_produces_its_rule() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut pages: Vec<PathBuf> = fs::read_dir(&rules)
        .expect("rules/ exists")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            name.starts_with("TC") && name.ends_with(".md")
        })
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no rule pages in {}", rules.display());
    let failures: Vec<String> = pages
        .iter()
        .filter_map(|page| {
            check_page(page)
                .err()
                .map(|why| format!("{}: {why}", page.display()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rule page examples fail:\n\n{}",
        failures.len(),
        pages.len(),
        failures.join("\n\n")
    );
}

#[test]
fn fragments_are_put_under_resources_and_templates_kept() {
    let fragment = Block {
        language: "yaml".to_owned(),
        body: "Rule:\n  Type: AWS::Events::Rule\n\nTrail: {Type: AWS::CloudTrail::Trail}\n"
            .to_owned(),
    };
    assert_eq!(
        as_file(&fragment),
        "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n\n  Trail: {Type: AWS::CloudTrail::Trail}\n"
    );
    let template = Block {
        language: "yaml".to_owned(),
        body: "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n".to_owned(),
    };
    assert_eq!(as_file(&template), template.body);
    assert_eq!(
        linted_with("Linted with\n`--region eu-west-1`, a template:"),
        ["--region", "eu-west-1"]
    );
    assert!(linted_with("A template:").is_empty());
}

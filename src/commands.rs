//! The command line's commands, run: the settings of a check from its arguments and the
//! config, then the pipeline, then the renderer. Only this module and `render` write output.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{self, Cli, Command, Format};
use crate::pipeline::{Settings, check_with, exit_code};
use crate::test_pattern::test_pattern;
use crate::{baseline, config, ingest, render, rules, source};

/// The settings of a `check` run: the command line over the config file; `stdin` is read when
/// a path is `-`.
fn settings(
    args: &cli::CheckArgs,
    stdin: &mut dyn std::io::Read,
) -> Result<Settings, config::ConfigError> {
    let config_path = if args.no_config {
        None
    } else {
        args.config.clone().or_else(|| {
            let dir = std::env::current_dir().ok()?;
            let found = config::discover(&dir)?;
            // Named as the user would write it: `trailcheck.toml`, `../../trailcheck.toml`.
            let up = dir.ancestors().position(|d| Some(d) == found.parent())?;
            let mut relative: PathBuf = std::iter::repeat_n("..", up).collect();
            relative.push(config::FILE_NAME);
            Some(relative)
        })
    };
    let config = match &config_path {
        Some(path) => config::load(path)?,
        None => config::Config::default(),
    };
    let rules = |list: &Option<String>| -> Result<Vec<&'static str>, config::ConfigError> {
        list.iter()
            .flat_map(|list| list.split(','))
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                rules::find(name)
                    .map(|info| info.id)
                    .ok_or_else(|| config::ConfigError {
                        path: PathBuf::from("command line"),
                        offset: None,
                        message: rules::unknown(name),
                    })
            })
            .collect()
    };
    let regions = if args.region.is_empty() {
        &config.regions
    } else {
        &args.region
    };
    let input_error = |message: String| config::ConfigError {
        path: PathBuf::from("command line"),
        offset: None,
        message,
    };
    let dashes = args.paths.iter().filter(|p| p.as_os_str() == "-").count();
    if dashes > 1 {
        return Err(input_error(
            "standard input (`-`) can be given only once".to_owned(),
        ));
    }
    if dashes == 0 && args.stdin_filename.is_some() {
        return Err(input_error(
            "`--stdin-filename` names the input read from standard input: give `-` as a path"
                .to_owned(),
        ));
    }
    let stdin = if dashes == 1 {
        let mut bytes = Vec::new();
        let limit = crate::walk::MAX_FILE_SIZE + 1;
        <&mut dyn Read as Read>::take(stdin, limit)
            .read_to_end(&mut bytes)
            .map_err(|e| input_error(format!("cannot read standard input: {e}")))?;
        if bytes.len() as u64 > crate::walk::MAX_FILE_SIZE {
            return Err(input_error(format!(
                "standard input is larger than {} MiB",
                crate::walk::MAX_FILE_SIZE >> 20
            )));
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| input_error(format!("standard input is not UTF-8: {e}")))?;
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        Some((name, text))
    } else {
        None
    };
    Ok(Settings {
        stdin,
        paths: args.paths.clone(),
        context: args.context.clone(),
        force_exclude: args.force_exclude,
        ingest: ingest::Options {
            cfn_region: match regions.as_slice() {
                [region] => Some(region.clone()),
                _ => None,
            },
            exports: ingest::cfn::Exports::new(),
            var_files: args.var_file.clone(),
            vars: args.var.clone(),
        },
        select: rules(&args.select)?,
        ignore: rules(&args.ignore)?,
        external_trails: args.external_trails.clone(),
        baseline: match &args.baseline {
            Some(path) => baseline::read(path)?,
            None => Default::default(),
        },
        config,
        config_path,
    })
}

/// Writes `run` in one format; `terminal` says whether `out` is one (for colour).
fn write_format(
    out: &mut dyn Write,
    format: Format,
    run: &crate::Run,
    settings: &Settings,
    quiet: bool,
    terminal: bool,
) -> std::io::Result<()> {
    let rules_url = settings.config.rules_url.as_deref();
    match format {
        Format::Human => render::human::write(out, run, quiet, terminal),
        Format::Json => render::json::write(out, run),
        Format::Sarif => {
            render::sarif::write(out, run, rules_url.unwrap_or(render::sarif::RULES_URL))
        }
        Format::Github => render::github::write(out, run),
        Format::Gitlab => render::gitlab::write(out, run),
        Format::Junit => render::junit::write(out, run),
    }
}

/// Runs a parsed command line, reading `stdin` where an argument is `-`, writing results to
/// `out` and notes to `err`.
pub fn run(
    cli: Cli,
    stdin: &mut dyn std::io::Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    render::set_color(cli.color);
    let result = match cli.command {
        Command::Check(args) => {
            let settings = match settings(&args, stdin) {
                Ok(settings) => settings,
                Err(error) => {
                    let _ = render::human::write_config_error(err, &error);
                    return ExitCode::from(2);
                }
            };
            let run = check_with(&settings);
            if let Some(path) = &args.write_baseline {
                let written = baseline::write(path, &run.findings);
                if written.is_ok() {
                    let _ = writeln!(
                        err,
                        "wrote {} finding{} to the baseline {}",
                        run.findings.len(),
                        if run.findings.len() == 1 { "" } else { "s" },
                        source::display_path(path)
                    );
                }
                return match written {
                    Ok(()) if run.errors.is_empty() => ExitCode::SUCCESS,
                    Ok(()) => ExitCode::from(2),
                    Err(error) => {
                        let _ = writeln!(
                            err,
                            "error: cannot write {}: {error}",
                            source::display_path(path)
                        );
                        ExitCode::from(2)
                    }
                };
            }
            if args.format.iter().filter(|o| o.file.is_none()).count() > 1 {
                let _ = writeln!(
                    err,
                    "error: only one `--format` can write to standard output; give the others a \
                     file (`--format sarif:trailcheck.sarif`)"
                );
                return ExitCode::from(2);
            }
            let mut written = Ok(());
            let mut unwritable = false;
            for output in &args.format {
                match &output.file {
                    None => {
                        let terminal = std::io::stdout().is_terminal();
                        written = written.and(write_format(
                            out,
                            output.format,
                            &run,
                            &settings,
                            args.quiet,
                            terminal,
                        ));
                    }
                    Some(path) => {
                        let result = crate::walk::create(path).and_then(|file| {
                            let mut file = std::io::BufWriter::new(file);
                            write_format(
                                &mut file,
                                output.format,
                                &run,
                                &settings,
                                args.quiet,
                                false,
                            )?;
                            file.flush()
                        });
                        if let Err(error) = result {
                            unwritable = true;
                            let _ = writeln!(
                                err,
                                "error: cannot write {}: {error}",
                                source::display_path(path)
                            );
                        }
                    }
                }
            }
            if args.verbose {
                let _ = match &settings.config_path {
                    Some(path) => writeln!(err, "config: {}", render::human::shown_path(path)),
                    None => writeln!(err, "config: none"),
                };
                for (name, files) in &run.deployments {
                    let names: Vec<String> = files
                        .iter()
                        .map(|&file| run.deployment.file(file).display_path())
                        .collect();
                    let _ = writeln!(
                        err,
                        "deployment `{name}`: {}",
                        render::escaped_name(&names.join(", "))
                    );
                }
                let _ = render::human::write_skipped(err, &run);
            }
            let annotated = args
                .format
                .iter()
                .any(|o| o.file.is_none() && o.format == Format::Github);
            if !annotated {
                for warning in &run.warnings {
                    let at = warning.at.map(|(file, offset)| {
                        let at = run.deployment.file(file).line_col(offset);
                        format!(":{}:{}", at.line, at.column)
                    });
                    let _ = writeln!(
                        err,
                        "warning: {}{}: {}",
                        render::human::shown_path(&warning.path),
                        at.unwrap_or_default(),
                        render::escaped_name(&warning.message)
                    );
                }
                for warning in run.summary.warnings() {
                    let _ = writeln!(err, "warning: {warning}");
                }
            }
            let code = if unwritable {
                ExitCode::from(2)
            } else if args.exit_zero && run.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                exit_code(&run, args.fail_on.severity())
            };
            written.map(|()| code)
        }
        Command::Rules => render::docs::write_rules(out).map(|()| ExitCode::SUCCESS),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "trailcheck", out);
            Ok(ExitCode::SUCCESS)
        }
        Command::TestPattern {
            pattern,
            events,
            schema,
        } => {
            let dashes = std::iter::once(&pattern)
                .chain(&events)
                .filter(|p| p.as_os_str() == "-")
                .count();
            if dashes > 1 {
                let _ = writeln!(err, "error: standard input (`-`) can be given only once");
                return ExitCode::from(2);
            }
            let test = test_pattern(&pattern, &events, schema, stdin);
            render::test_pattern::write(out, err, &test).map(|()| test.exit_code())
        }
        Command::Explain { rule } => match rules::find(&rule) {
            Some(info) => render::docs::write_explain(out, info).map(|()| ExitCode::SUCCESS),
            None => render::docs::write_unknown_rule(err, &rule).map(|()| ExitCode::from(2)),
        },
    };
    // Output that cannot be written (a closed pipe) leaves nothing to trust: exit 2.
    result.unwrap_or(ExitCode::from(2))
}

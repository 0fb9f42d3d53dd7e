//! The `closednet` binary: parse arguments, call the library, map results to exit codes
//! (0 success, 1 `check` failed, 2 the tool could not run).
//!
//! Output at the process level: a report that cannot be written is exit 2 (a full disk, a closed
//! standard output, a file-size limit: SIGXFSZ is ignored so that the write fails with EFBIG
//! instead of killing the process); a reader that stops early (`| head`) ends the run quietly with
//! the command's own code; standard error that cannot be written never changes the exit code.
//! Files are replaced whole ([`closednet::atomic`]).

use clap::{CommandFactory, Parser};
use closednet::architecture::Policy;
use closednet::catalog;
use closednet::catalog::Catalog;
use closednet::cli::{
    Cli, Command, CompareFormatArg, EstimateFormat, ImportCommand, PolicyArgs, PricingArgs, PricingCommand, SourceArgs,
    SummaryFormat,
};
use closednet::error::Error;
use closednet::iac::Kind;
use closednet::pipeline::{Estimate, Overrides};
use closednet::report::gate::GateFormat;
use closednet::report::{self, Format, ListFormat, Rendered};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

// See Cargo.toml: glibc's malloc made large designs grow faster than their size.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const XLSX_NEEDS_OUTPUT: &str = "--format xlsx writes a workbook: add --output FILE.xlsx";
const CLOSED_STDOUT: &str =
    "standard output is closed: the report was not written (redirect it to a file, or use --output FILE)";

/// A file-size limit (`ulimit -f`) sends SIGXFSZ, whose default action kills the process (exit
/// 153) in the middle of a write; ignored, the write fails with EFBIG, which is reported (exit 2)
/// and leaves the previous file in place.
// The one signal call of the crate (lints deny unsafe code elsewhere).
#[allow(unsafe_code)]
fn ignore_sigxfsz() {
    #[cfg(unix)]
    // SAFETY: SIG_IGN installs no handler code; nothing else in the process sets this signal.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Whether standard output was closed when the process started (`closednet ... >&-`). Rust's
/// runtime opens /dev/null on a closed standard descriptor before `main`, so a write would
/// "succeed" and the report be lost; the descriptor is looked at before that, from `.init_array`,
/// which the C runtime runs before `main`. Elsewhere than Linux the answer is always no.
// A read of descriptor flags before `main`: the only way to see a closed stdout (lints deny unsafe
// code elsewhere).
#[allow(unsafe_code)]
mod stdout_probe {
    #[cfg(target_os = "linux")]
    static CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

    #[cfg(target_os = "linux")]
    extern "C" fn probe() {
        // SAFETY: F_GETFD only reads the flags of a descriptor number; -1 (EBADF) means closed.
        let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1;
        CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
    }

    #[cfg(target_os = "linux")]
    #[used]
    #[unsafe(link_section = ".init_array")]
    static PROBE: extern "C" fn() = probe;

    pub fn was_closed() -> bool {
        #[cfg(target_os = "linux")]
        return CLOSED.load(std::sync::atomic::Ordering::Relaxed);
        #[cfg(not(target_os = "linux"))]
        false
    }
}

fn main() {
    let code = main_code();
    exit_now(code)
}

/// Ends the process with `code` without running the exit handlers: the report is written and
/// flushed by then, and what they would do is undo the heap page by page (mimalloc's
/// `mi_process_done` hands each freed range back to the system, a system call and a TLB flush
/// each: 0.14 ms of the article's 2.5 ms estimate), which the system does at once when the process
/// ends.
// The one exit call of the crate (lints deny unsafe code elsewhere).
#[allow(unsafe_code)]
fn exit_now(code: u8) -> ! {
    let _ = std::io::stdout().lock().flush();
    // SAFETY: `_exit` only ends the process; standard output was flushed above and standard error
    // is not buffered, so nothing written is lost.
    unsafe { libc::_exit(i32::from(code)) }
}

/// Runs the command line and says what the exit code is.
fn main_code() -> u8 {
    std::panic::set_hook(Box::new(internal_error));
    ignore_sigxfsz();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match run(cli) {
        Ok((out, _)) if !out.is_empty() && stdout_probe::was_closed() => fail(&Error::Message(CLOSED_STDOUT.into())),
        Ok((out, code)) => match write_stdout(out.as_bytes()) {
            Ok(()) => code,
            // The reader went away (`closednet ... | head -1`): it has what it wanted. Stop quietly,
            // with the command's own exit code, as ripgrep and the coreutils do.
            Err(e) if e.kind() == ErrorKind::BrokenPipe => code,
            Err(e) => fail(&Error::msg(format!("cannot write the report to standard output: {e}"))),
        },
        Err(e) => fail(&e),
    }
}

/// The last line of defence: a panic is a bug, but the user still gets one line and exit code 2
/// ("the tool could not run"), never Rust's 101 and a backtrace hint.
fn internal_error(info: &std::panic::PanicHookInfo) {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
    note(&format!("error: internal error{at}: {} (a bug in closednet: please report it)", what.replace('\n', " ")));
    std::process::exit(2);
}

/// Writes a report to standard output. `print!` panics when the write fails (a full disk, a
/// closed pipe); this returns the error instead.
fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// A line for the user on standard error. `eprintln!` panics when standard error cannot be
/// written; then there is nobody to tell, and the exit code says what happened.
fn note(msg: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(msg.as_bytes()).and_then(|()| err.write_all(b"\n"));
}

/// Reports an error that stops the tool: exit code 2.
fn fail(e: &Error) -> u8 {
    note(&e.to_string());
    2
}

/// clap's answer to the arguments: `--help` and `--version` (exit 0) or a usage error (exit 2).
/// `Error::exit` would ignore a failed write and exit 0 after `--help > /dev/full`.
fn clap_exit(e: &clap::Error) -> u8 {
    let code = if e.use_stderr() { 2 } else { 0 };
    if !e.use_stderr() && stdout_probe::was_closed() {
        return fail(&Error::Message("standard output is closed: nothing was written".into()));
    }
    match e.print() {
        Ok(()) => code,
        // A closed pipe after `--help | head -1`, or a usage error that standard error could not
        // take: the exit code still says what happened.
        Err(w) if w.kind() == ErrorKind::BrokenPipe || e.use_stderr() => code,
        Err(w) => fail(&Error::msg(format!("cannot write to standard output: {w}"))),
    }
}

/// The catalog for this process. It lives until the process exits, so it is leaked rather than
/// dropped: freeing thousands of prices just before exit is work nobody waits for.
fn load_catalog(dir: Option<&Path>) -> Result<&'static Catalog, Error> {
    let catalog = match dir {
        Some(d) => Catalog::from_dir(d)?,
        None => Catalog::embedded()?,
    };
    Ok(Box::leak(Box::new(catalog)))
}

/// What `CLOSEDNET_TODAY` says today is (tests and reproducible reports pin it), else the clock.
fn today() -> String {
    std::env::var("CLOSEDNET_TODAY").unwrap_or_else(|_| closednet::date::today_utc())
}

fn overrides(pricing: &PricingArgs, source: &SourceArgs) -> Result<Overrides, Error> {
    let mut o = Overrides::try_from(pricing)?;
    o.today = Some(today());
    o.source.region = source.region.clone();
    o.source.parameters = source.parameters.as_deref().map(read_text).transpose()?;
    Ok(o)
}

/// Prices `file`, as its scenario `scenario` when one is named (its overrides, then `o`'s).
fn estimate_file<'c>(
    file: &Path,
    catalog: &'c Catalog,
    o: &Overrides,
    scenario: Option<&str>,
) -> Result<Estimate<'c>, Error> {
    let name = file.display().to_string();
    let text = closednet::architecture::read(file, &name)?;
    match scenario {
        None => closednet::pipeline::run(&name, &text, catalog, o),
        Some(s) => {
            let o = closednet::scenario::with_scenario(&name, &text, catalog, s, o)?;
            closednet::pipeline::run(&name, &text, catalog, &o)
        }
    }
}

fn run(cli: Cli) -> Result<(String, u8), Error> {
    let ok = |s: String| Ok((s, 0));
    match cli.command {
        Command::Estimate { file, format, output, excel, scenario, source, pricing } => {
            let o = overrides(&pricing, &source)?;
            estimate(&file, format, output, excel, &o, &pricing, scenario.as_deref())
        }
        Command::Check { file, format, baseline, policy, scenario, source, pricing } => {
            let o = overrides(&pricing, &source)?;
            check(&file, format.into(), baseline.as_deref(), &policy, &o, &pricing, scenario.as_deref())
        }
        Command::Diff { old, new, format, old_scenario, new_scenario, source, pricing } => {
            let catalog = load_catalog(pricing.pricing.as_deref())?;
            let o = overrides(&pricing, &source)?;
            // --set makes a variant of NEW: `diff a.yaml a.yaml --set ...` compares a file with its variant.
            let plain = Overrides { sets: Vec::new(), ..o.clone() };
            let old = estimate_file(&old, catalog, &plain, old_scenario.as_deref())?;
            let new = estimate_file(&new, catalog, &o, new_scenario.as_deref())?;
            ok(report::diff::render(&report::diff::Diff::new(&old, &new)?, format.into())?)
        }
        Command::Compare { file, format, output, choose, pricing } => {
            compare(&file, format, output, choose.as_deref(), &overrides(&pricing, &SourceArgs::default())?, &pricing)
        }
        Command::Sweep { file, format, vary, fix, max_variants, all, pricing } => {
            let options = closednet::cli::sweep_options(&vary, &fix, max_variants, all)?;
            let catalog = load_catalog(pricing.pricing.as_deref())?;
            let o = overrides(&pricing, &SourceArgs::default())?;
            let (name, text) = read_text(&file)?;
            let sweep = closednet::scenario::sweep::sweep(&name, &text, catalog, &o, &options)?;
            ok(report::sweep::render(&sweep, &name, format.into())?)
        }
        Command::Rules { format } => ok(match format.into() {
            ListFormat::Table => report::explain::rules_table()?,
            ListFormat::Json => report::explain::rules_json()?,
        }),
        Command::Explain { name, region, snapshot, pricing } => {
            let catalog = load_catalog(pricing.as_deref())?;
            let snap = match &snapshot {
                Some(s) => catalog.snapshot(s)?,
                None => catalog.newest(),
            };
            if !snap.meta.regions.contains(&region) {
                return Err(Error::msg(format!("region \"{region}\" is not in pricing snapshot {}", snap.meta.name)));
            }
            ok(report::explain::explain(&name, catalog, snap, &region)?)
        }
        Command::Catalog { pricing, verify, format } => {
            let catalog = load_catalog(pricing.as_deref())?;
            if verify {
                let (lines, all_ok) = catalog.verify();
                return Ok((lines.join("\n") + "\n", if all_ok { 0 } else { 1 }));
            }
            ok(match format.into() {
                ListFormat::Table => report::catalog::table(catalog)?,
                ListFormat::Json => report::catalog::json(catalog)?,
            })
        }
        Command::Schema { report: true, .. } => ok(report::dto::schema()?),
        Command::Schema { sweep: true, .. } => ok(report::sweep::schema()?),
        Command::Schema { compare: true, .. } => ok(report::compare::schema()?),
        Command::Schema { .. } => ok(closednet::architecture::schema::json(load_catalog(None)?)?),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "closednet", &mut out);
            ok(String::from_utf8_lossy(&out).into_owned())
        }
        Command::Man { command } => ok(man_page(&command)?),
        Command::Import { from } => import(from),
        Command::Mcp { allow_path } => {
            closednet::mcp::serve(&closednet::mcp::Options { allow_paths: allow_path }).map(|()| (String::new(), 0))
        }
        Command::Pricing { command } => pricing(command),
    }
}

/// The man page of closednet, or of one of its commands (`["pricing", "fetch"]`): every page the
/// SUBCOMMANDS section of a page names (`closednet-pricing-fetch(1)`) is one of these. clap's
/// `help` subcommand gets no page and is left out of the lists.
fn man_page(path: &[String]) -> Result<String, Error> {
    let mut page = Cli::command().disable_help_subcommand(true);
    page.build();
    if path.is_empty() {
        let extra = page.get_after_help().map(|h| h.to_string()).unwrap_or_default();
        page = page.after_help(format!(
            "{extra}\n\nEach command has its own page: closednet man COMMAND [SUBCOMMAND], e.g. \
             `closednet man pricing fetch > closednet-pricing-fetch.1`."
        ));
    }
    let mut at = vec!["closednet".to_string()];
    for name in path {
        let Some(sub) = page.find_subcommand(name).cloned() else {
            let names: Vec<String> = page.get_subcommands().map(|c| c.get_name().to_string()).collect();
            let within = at.join(" ");
            return Err(Error::msg(match names.is_empty() {
                true => format!("`{within}` has no commands, so no page for \"{name}\""),
                false => format!("`{within}` has no command \"{name}\"; its commands: {}", names.join(", ")),
            }));
        };
        at.push(name.clone());
        page = sub;
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out).map_err(|e| Error::msg(format!("cannot render the man page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn estimate(
    file: &Path,
    format: EstimateFormat,
    output: Option<PathBuf>,
    excel: bool,
    o: &Overrides,
    pricing: &PricingArgs,
    scenario: Option<&str>,
) -> Result<(String, u8), Error> {
    let f = closednet::cli::estimate_format(format, excel);
    // Checked before any work: a workbook goes to a file, never to the terminal.
    if f == Format::Xlsx && output.is_none() {
        return Err(Error::msg(XLSX_NEEDS_OUTPUT));
    }
    let catalog = load_catalog(pricing.pricing.as_deref())?;
    let est = estimate_file(file, catalog, o, scenario)?;
    emit(report::render(&est, f)?, output)
}

/// A rendered report to standard output, or to `--output`.
fn emit(rendered: Rendered, output: Option<PathBuf>) -> Result<(String, u8), Error> {
    match (output, rendered) {
        (None, Rendered::Text(t)) => Ok((t, 0)),
        (None, Rendered::Bytes(_)) => Err(Error::msg(XLSX_NEEDS_OUTPUT)),
        (Some(path), rendered) => {
            let bytes = match rendered {
                Rendered::Text(t) => t.into_bytes(),
                Rendered::Bytes(b) => b,
            };
            closednet::atomic::write(&path, &bytes)
                .map_err(|e| Error::msg(format!("cannot write {}: {e}", path.display())))?;
            note(&format!("wrote {}", path.display()));
            Ok((String::new(), 0))
        }
    }
}

fn compare(
    file: &Path,
    format: CompareFormatArg,
    output: Option<PathBuf>,
    choose: Option<&str>,
    o: &Overrides,
    pricing: &PricingArgs,
) -> Result<(String, u8), Error> {
    let text_format: Option<report::compare::CompareFormat> = format.into();
    if text_format.is_none() && output.is_none() {
        return Err(Error::msg(XLSX_NEEDS_OUTPUT));
    }
    let catalog = load_catalog(pricing.pricing.as_deref())?;
    let (name, text) = read_text(file)?;
    let c = closednet::scenario::compare::compare(&name, &text, catalog, o, choose)?;
    let rendered = match text_format {
        Some(f) => Rendered::Text(report::compare::render(&c, &name, f)?),
        None => Rendered::Bytes(report::compare_xlsx::render(&c, &name)?),
    };
    emit(rendered, output)
}

fn check(
    file: &Path,
    format: GateFormat,
    baseline: Option<&Path>,
    policy: &PolicyArgs,
    o: &Overrides,
    pricing: &PricingArgs,
    scenario: Option<&str>,
) -> Result<(String, u8), Error> {
    let cli = Policy::try_from(policy)?;
    let catalog = load_catalog(pricing.pricing.as_deref())?;
    let est = match estimate_file(file, catalog, o, scenario) {
        Ok(est) => est,
        // A machine format gets the problems in its own form (on stdout, exit 2).
        Err(Error::Input(diags)) => match report::gate::invalid(&diags, format)? {
            Some(text) => return Ok((text, 2)),
            None => return Err(Error::Input(diags)),
        },
        Err(e) => return Err(e),
    };
    // The baseline is the file as it stands: --set makes a variant of FILE only.
    let plain = Overrides { sets: Vec::new(), ..o.clone() };
    let base = baseline.map(|b| estimate_file(b, catalog, &plain, None)).transpose()?;
    let policy = closednet::gate::merge(&est.architecture.policy, &cli);
    let judgement = closednet::gate::judge(&est, base.as_ref(), &policy)?;
    let text = report::gate::render(&judgement, format)?;
    Ok((text, if judgement.passed() { 0 } else { 1 }))
}

/// Reads a file given on the command line for the library (the architecture file's size limit
/// applies to plans, templates and parameters files too).
fn read_text(path: &Path) -> Result<(String, String), Error> {
    let name = path.display().to_string();
    let text = closednet::architecture::read(path, &name)?;
    Ok((name, text))
}

fn import(from: ImportCommand) -> Result<(String, u8), Error> {
    let (kind, file, region, parameters, output, summary) = match from {
        ImportCommand::Terraform { plan, region, output, summary } => {
            (Kind::Terraform, plan, region, None, output, summary)
        }
        ImportCommand::Arm { template, parameters, region, output, summary } => {
            (Kind::Arm, template, region, parameters, output, summary)
        }
    };
    let (name, text) = read_text(&file)?;
    let parameters = parameters.map(|p| read_text(&p)).transpose()?;
    let options = closednet::iac::Options { region, parameters };
    let import = closednet::iac::import(kind, &name, &text, &options)?;
    let catalog = load_catalog(None)?;
    let yaml = closednet::iac::import::yaml::write(&import, catalog)?;
    let report = match summary {
        SummaryFormat::Text => report::import::text(&import)?,
        SummaryFormat::Json => report::import::json(&import)?,
    };
    note(report.trim_end());
    match output {
        None => Ok((yaml, 0)),
        Some(path) => {
            closednet::atomic::write(&path, yaml.as_bytes())
                .map_err(|e| Error::msg(format!("cannot write {}: {e}", path.display())))?;
            note(&format!("wrote {}", path.display()));
            Ok((String::new(), 0))
        }
    }
}

fn pricing(command: PricingCommand) -> Result<(String, u8), Error> {
    match command {
        PricingCommand::Checksums { dir } => {
            let catalog = Catalog::from_dir(&dir)?;
            let path = dir.join(catalog::CHECKSUMS);
            closednet::atomic::write(&path, catalog::checksums_file(&catalog).as_bytes())
                .map_err(|e| Error::msg(format!("cannot write {}: {e}", path.display())))?;
            note(&format!("wrote {}", path.display()));
            Ok((String::new(), 0))
        }
        PricingCommand::Import { input, out, as_of, pricing, types } => {
            pricing_import(&input, &out, as_of, pricing.as_deref(), &types)
        }
        PricingCommand::Fetch { out, regions, endpoint, pricing, currency } => {
            use std::io::IsTerminal;
            let catalog = load_catalog(pricing.as_deref())?;
            let mut opts = catalog::fetch::Options::new(endpoint, std::io::stderr().is_terminal())?;
            opts.today = today();
            opts.currency = currency.to_ascii_uppercase();
            let summary = catalog::fetch::fetch(catalog, &out, &regions, &opts)?;
            for w in &summary.warnings {
                note(w);
            }
            note(&summary.line(&out));
            Ok((String::new(), 0))
        }
    }
}

fn pricing_import(
    input: &Path,
    out: &Path,
    as_of: Option<String>,
    pricing: Option<&Path>,
    types: &[String],
) -> Result<(String, u8), Error> {
    let catalog = load_catalog(pricing)?;
    let (as_of, why) = catalog::import::as_of(input, as_of.as_deref(), &today())?;
    let shown = input.display().to_string();
    let mut imported = catalog::import::import_types(catalog, input, &as_of, types)?;
    catalog::import::write(out, &mut imported, &shown, &as_of)?;
    let (summary, regions) = (&imported.summary, &imported.regions);
    let mut msg = String::new();
    for line in why.iter().chain(&summary.warnings) {
        msg.push_str(line);
        msg.push('\n');
    }
    msg.push_str(&format!(
        "imported {} prices for {} regions from {} files ({} items, {:.1} MB), in force on {as_of}\n",
        summary.prices,
        regions.len(),
        summary.files_read,
        summary.items_read,
        summary.bytes_read as f64 / 1_000_000.0
    ));
    if !summary.missing.is_empty() {
        msg.push_str(&format!(
            "{} component/region pairs have no price (written as [[missing]]):\n",
            summary.missing.len()
        ));
        for m in summary.missing.iter().take(20) {
            msg.push_str(&format!("  {} in {}: {}\n", m.key, m.region, m.reason));
        }
        if summary.missing.len() > 20 {
            msg.push_str(&format!("  ... and {} more\n", summary.missing.len() - 20));
        }
    }
    for w in &summary.written {
        msg.push_str(&format!("wrote {}\n", w.display()));
    }
    note(msg.trim_end());
    Ok((String::new(), 0))
}

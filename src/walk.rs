//! Discovery and reading: which files a run looks at, read once each.
//!
//! Folders are walked in a stable order without following symbolic links (a pull request must
//! not be able to link to files outside the repository and have them echoed into CI logs);
//! files named on the command line are always read. Only `.json`, `.yaml`, `.yml`,
//! `.template` and `.cft` files are considered while walking, and `.git`, `node_modules`, `.terraform` and
//! `target` are skipped. Nothing here parses: what a file is gets decided by its content later.
//!
//! A file is checked again when it is opened, since it may have changed since the walk listed
//! it: one found by walking is opened without following a symbolic link, and whatever is
//! opened is read only when it is a regular file, so that a FIFO put in a file's place never
//! blocks the run.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use globset::GlobSet;
use walkdir::WalkDir;

/// Files larger than this are not read: no template or plan comes close, and reading one would
/// only exhaust memory.
pub const MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

const EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template", "cft", "tf", "tfvars"];
const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", ".terraform", "target"];

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// Paths that do not exist or cannot be listed.
    pub errors: Vec<(PathBuf, String)>,
    /// Entries passed over while walking, with the reason (shown with `--verbose`).
    pub passed_over: Vec<(PathBuf, &'static str)>,
}

/// Finds the files to read under `paths`, in a stable order, each once.
/// Paths matching `exclude` (relative paths as printed, `/`-separated) are passed over while
/// walking; a file named explicitly is read all the same, unless `force_exclude`.
pub fn discover(paths: &[PathBuf], exclude: Option<&GlobSet>, force_exclude: bool) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        let excluded =
            exclude.is_some_and(|globs| globs.is_match(crate::source::display_path(path)));
        if force_exclude && excluded {
            found.passed_over.push((path.clone(), EXCLUDED_BY_CONFIG));
            continue;
        }
        match fs::metadata(path) {
            Err(error) => found.errors.push((path.clone(), error.to_string())),
            Ok(meta) if meta.is_file() => found.files.push(path.clone()),
            Ok(meta) if meta.is_dir() => walk(path, exclude, &mut found),
            // A FIFO, socket or device: reading it could block or never end.
            Ok(_) => found.passed_over.push((path.clone(), "not a regular file")),
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.files.retain(|file| seen.insert(file.clone()));
    found
}

fn walk(root: &Path, exclude: Option<&GlobSet>, found: &mut Discovered) {
    let excluded = |path: &Path| {
        exclude.is_some_and(|globs| globs.is_match(crate::source::display_path(path)))
    };
    // What the config excludes is passed over unread (a folder is not entered), and said.
    let mut passed_by_config: Vec<PathBuf> = Vec::new();
    let entries = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let skipped_dir = entry.file_type().is_dir()
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| SKIPPED_DIRS.contains(&name));
            if skipped_dir {
                return false;
            }
            if excluded(entry.path()) {
                passed_by_config.push(entry.path().to_path_buf());
                return false;
            }
            true
        });
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                found.errors.push((path, error.to_string()));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_symlink() {
            found
                .passed_over
                .push((path.to_path_buf(), "symbolic link, not followed"));
        } else if entry.file_type().is_file() {
            let considered = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)));
            if considered {
                found.files.push(path.to_path_buf());
            }
        }
    }
    found.passed_over.extend(
        passed_by_config
            .into_iter()
            .map(|path| (path, EXCLUDED_BY_CONFIG)),
    );
}

/// Why a path is passed over when the config's `exclude` matches it.
pub const EXCLUDED_BY_CONFIG: &str = "excluded by the config";

/// A key under which the same file found by two routes (`./a.yaml`, `a.yaml`) is one file.
pub fn identity(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether a file may be read through a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Named on the command line: read wherever it leads.
    Follow,
    /// Found by walking, or a file an option names that a pull request could replace with a
    /// link to a secret outside the repository: a link is refused, and not looked at.
    Refuse,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is {size} bytes; trailcheck reads files up to {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "the file is a symbolic link, which trailcheck does not follow here: it could lead \
         out of the repository"
    )]
    Link,
    #[error("not a regular file")]
    NotRegular,
    #[error(
        "the file is not UTF-8 text (invalid byte at line {}, column {}, offset {offset})",
        at.line,
        at.column
    )]
    NotUtf8 {
        offset: usize,
        at: crate::source::LineCol,
        /// The text before the invalid byte, to show where it is.
        valid: String,
    },
}

/// Reads a file named on the command line, wherever it leads: [`read_with`] up to
/// [`MAX_FILE_SIZE`].
pub fn read(path: &Path) -> Result<String, ReadError> {
    read_with(path, Links::Follow, MAX_FILE_SIZE)
}

/// Reads a file [`discover`] found: one `named` on the command line is read wherever it leads,
/// a file found by walking never through a symbolic link (it may have become one since the
/// walk).
pub fn read_found(path: &Path, named: bool) -> Result<String, ReadError> {
    let links = if named { Links::Follow } else { Links::Refuse };
    read_with(path, links, MAX_FILE_SIZE)
}

/// Reads a file, refusing what is not a regular file once opened, a symbolic link when `links`
/// says so, files over `limit` bytes and ones that are not UTF-8 (as every template and plan
/// is).
pub fn read_with(path: &Path, links: Links, limit: u64) -> Result<String, ReadError> {
    let file = open(path, links)?;
    // What was opened, not what the path names now.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    let size = meta.len();
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` guards against a file that grows while it is read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let mut bytes = error.into_bytes();
        bytes.truncate(offset);
        // Everything before the first invalid byte is text.
        let valid = String::from_utf8(bytes).unwrap_or_default();
        ReadError::NotUtf8 {
            offset,
            at: crate::source::line_col(&valid, offset),
            valid,
        }
    })
}

/// Opens a file for reading without blocking on a FIFO and, when `links` says so, without
/// following a symbolic link in its last component.
fn open(path: &Path, links: Links) -> Result<fs::File, ReadError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading waits for a writer unless it is non-blocking; what is
        // opened is then refused by its type. Reads of regular files ignore the flag.
        let nofollow = match links {
            Links::Refuse => libc::O_NOFOLLOW,
            Links::Follow => 0,
        };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    #[cfg(not(unix))]
    if links == Links::Refuse && is_link(path) {
        return Err(ReadError::Link);
    }
    options.open(path).map_err(|error| {
        // O_NOFOLLOW fails on a link (ELOOP on Linux and macOS, EMLINK on FreeBSD).
        if links == Links::Refuse && is_link(path) {
            ReadError::Link
        } else {
            ReadError::Io(error)
        }
    })
}

/// Whether `path` itself is a symbolic link.
pub(crate) fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink())
}

/// Creates (or empties) a file to write output to, never through a symbolic link: the path
/// belongs to the repository checked, which could make it a link to a file to overwrite.
pub fn create(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let through_link =
        || io::Error::other("it is a symbolic link, which trailcheck does not write through");
    #[cfg(not(unix))]
    if is_link(path) {
        return Err(through_link());
    }
    options.open(path).map_err(|error| {
        // O_NOFOLLOW fails on a link, dangling or not, before anything is created or emptied.
        if is_link(path) { through_link() } else { error }
    })
}

//! Writing an output folder: atomic files (temp file, then rename), deterministic JSONL
//! tables, and the guard that refuses to overwrite a folder that is not ours.

use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether [`AtomicFile::commit`] flushes a file to disk before renaming it (`--fsync`).
static DURABLE: AtomicBool = AtomicBool::new(false);

/// Makes every later commit wait until the file is on disk, so that a finished output
/// survives a power loss, not only an interrupted run. Off by default: the rename alone
/// already keeps a half-written file from ever holding a final name, and waiting for
/// the disk costs seconds per gigabyte of output.
pub fn set_durable(durable: bool) {
    DURABLE.store(durable, Ordering::Relaxed);
}

/// Makes sure `dir` can receive output: it is created when missing; an existing folder
/// must be empty or look like an earlier stancegraph output (it holds `run.json`) unless
/// `force` is set.
pub fn prepare_output_dir(dir: &Path, force: bool) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("--out {} exists and is not a folder", dir.display());
        }
        let mut entries = fs::read_dir(dir)
            .with_context(|| format!("cannot read output folder {}", dir.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'));
        let non_empty = entries.next().is_some();
        if non_empty && !force && !dir.join("run.json").exists() {
            bail!(
                "--out {} is not empty and does not look like a stancegraph output (no run.json); \
                 use --force to write into it anyway",
                dir.display()
            );
        }
    } else {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output folder {}", dir.display()))?;
    }
    Ok(())
}

/// A file written under a temporary name and renamed into place on [`AtomicFile::commit`];
/// dropped without commit, the temporary file is removed, so a final name never holds a
/// truncated file.
pub struct AtomicFile {
    final_path: PathBuf,
    temp_path: PathBuf,
    writer: Option<BufWriter<fs::File>>,
}

impl AtomicFile {
    pub fn create(final_path: &Path) -> Result<Self> {
        let name = final_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".to_string());
        let temp_path = final_path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = fs::File::create(&temp_path)
            .with_context(|| format!("cannot create {}", temp_path.display()))?;
        Ok(AtomicFile {
            final_path: final_path.to_path_buf(),
            temp_path,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Appends the whole of the file at `path` (copied by the kernel where it can).
    pub fn append_file(&mut self, path: &Path) -> Result<()> {
        let writer = self
            .writer
            .as_mut()
            .context("the file was already committed")?;
        writer.flush()?;
        let mut from =
            fs::File::open(path).with_context(|| format!("cannot reopen {}", path.display()))?;
        std::io::copy(&mut from, writer.get_mut())
            .with_context(|| format!("cannot append {}", path.display()))?;
        Ok(())
    }

    /// Flushes the file (to disk too with [`set_durable`]) and renames it into place.
    pub fn commit(mut self) -> Result<()> {
        if let Some(w) = self.writer.take() {
            let file = w
                .into_inner()
                .map_err(|e| anyhow::anyhow!("cannot flush {}: {}", self.temp_path.display(), e))?;
            if DURABLE.load(Ordering::Relaxed) {
                file.sync_all()
                    .with_context(|| format!("cannot sync {}", self.temp_path.display()))?;
            } else {
                // A rename over an existing file makes ext4 (auto_da_alloc) start writing
                // the new file back at once, and the run waits for the disk: hundreds of
                // milliseconds per gigabyte on a rerun with --force. Without --fsync that
                // buys nothing, so the old file goes first; the name is then briefly
                // absent, never half-written.
                let _ = fs::remove_file(&self.final_path);
            }
        }
        fs::rename(&self.temp_path, &self.final_path)
            .with_context(|| format!("cannot rename {} into place", self.final_path.display()))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.writer.as_mut() {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("file already committed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.writer = None;
            let _ = fs::remove_file(&self.temp_path);
        }
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
}

/// Writes one JSON value per line, atomically.
pub fn write_jsonl<T: Serialize>(path: &Path, rows: &[T]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    for row in rows {
        serde_json::to_writer(&mut f, row)?;
        f.write_all(b"\n")?;
    }
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_file_appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(b"partial").unwrap();
            assert!(!path.exists());
        }
        assert!(!path.exists(), "dropped without commit leaves nothing");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            0,
            "temp file removed"
        );
        write_jsonl(&path, &[1, 2]).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "1\n2\n");
    }

    #[test]
    fn durable_commit_syncs_and_renames_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.jsonl");
        set_durable(true);
        let written = write_jsonl(&path, &["a", "b"]);
        set_durable(false);
        written.unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "\"a\"\n\"b\"\n");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn commit_replaces_an_earlier_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        fs::write(&path, b"old rows, longer than the new ones\n").unwrap();
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new\n").unwrap();
        assert_eq!(
            fs::read(&path).unwrap(),
            b"old rows, longer than the new ones\n",
            "the earlier file stays until the commit"
        );
        f.commit().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new\n");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["r.jsonl".to_string()]);
    }

    #[test]
    fn refuses_foreign_folder_without_force() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.docx"), b"x").unwrap();
        assert!(prepare_output_dir(dir.path(), false).is_err());
        assert!(prepare_output_dir(dir.path(), true).is_ok());
        let ours = tempfile::tempdir().unwrap();
        fs::write(ours.path().join("run.json"), b"{}").unwrap();
        assert!(prepare_output_dir(ours.path(), false).is_ok());
    }
}

//! A commons on disk: a git repository holding `commons.yaml`, `keys/`,
//! `manifests/` and `licenses/`.
//!
//! Every change goes through [`Commons::commit_files`]: files are written
//! atomically (temp file + rename), then committed in one git commit, all
//! under a lock so that two processes recording at once serialise instead of
//! losing each other's work.

use std::fs;
use std::path::{Path, PathBuf};

use crate::commit_lock::{CommitLock, TEMP_PREFIX, TEMP_SUFFIX};
use crate::config::{CONFIG_FILE, CommonsConfig};
use crate::digest::Sha256Hex;
use crate::error::{Error, IoContext, Result};
use crate::governance::Chain;
use crate::manifest::{Kind, Manifest};

pub struct Commons {
    root: PathBuf,
    /// The rules in force: the newest accepted governance version (or, for a
    /// commons that has never signed its governance, `commons.yaml` as it is).
    pub config: CommonsConfig,
    /// The signed governance versions, when the commons has any.
    pub governance: Option<Chain>,
}

/// A manifest read from the commons, with where it lives and its digest.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Absolute path of the manifest file.
    pub path: PathBuf,
    /// Path relative to the commons root, `/`-separated.
    pub rel: String,
    pub manifest: Manifest,
    /// sha256 of the file's bytes: what references to it carry.
    pub digest: Sha256Hex,
    pub bytes: Vec<u8>,
}

#[cfg(test)]
impl Loaded {
    /// A manifest as if read from its own path in a commons.
    pub fn in_memory(m: Manifest) -> Loaded {
        let bytes = m.to_yaml().into_bytes();
        Loaded {
            path: m.relative_path(),
            rel: m.relative_path().to_string_lossy().into_owned(),
            digest: Sha256Hex::of_bytes(&bytes),
            manifest: m,
            bytes,
        }
    }
}

/// A file to write in a commit: path relative to the root, and contents.
pub struct Change {
    pub rel: String,
    pub contents: Vec<u8>,
}

impl Change {
    pub fn new(rel: impl Into<String>, contents: impl Into<Vec<u8>>) -> Change {
        Change {
            rel: rel.into(),
            contents: contents.into(),
        }
    }
}

impl Commons {
    /// Makes a commons in `dir` (creating or adopting a git repository).
    pub fn init(dir: &Path, name: &str) -> Result<Commons> {
        fs::create_dir_all(dir).at(dir)?;
        let config_path = dir.join(CONFIG_FILE);
        if config_path.exists() {
            return Err(Error::Usage(format!(
                "{} already exists: this folder is already a commons",
                config_path.display()
            )));
        }
        match git2::Repository::open(dir) {
            Ok(_) => {}
            Err(_) => {
                let mut opts = git2::RepositoryInitOptions::new();
                opts.initial_head("main");
                git2::Repository::init_opts(dir, &opts)?;
            }
        }
        let commons = Commons {
            root: dir.canonicalize().at(dir)?,
            config: CommonsConfig::new(name),
            governance: None,
        };
        commons.commit_files(
            vec![
                Change::new(CONFIG_FILE, commons.config.to_yaml()),
                Change::new("keys/.gitkeep", ""),
                Change::new("manifests/.gitkeep", ""),
                Change::new("licenses/.gitkeep", ""),
            ],
            &format!("Create commons \"{name}\""),
        )?;
        Ok(commons)
    }

    /// Opens the commons containing `dir` (searching upwards, like git).
    pub fn open(dir: &Path) -> Result<Commons> {
        let start = dir.canonicalize().at(dir)?;
        let mut cur = Some(start.as_path());
        while let Some(d) = cur {
            if d.join(CONFIG_FILE).is_file() {
                CommitLock::recover_abandoned(&d.join(".git"), d);
                let draft = CommonsConfig::read(&d.join(CONFIG_FILE))?;
                let governance = Chain::load(d)?;
                let config = match &governance {
                    None => draft,
                    Some(chain) => match chain.trusted_config() {
                        Some(c) => c.clone(),
                        // Nothing signed yet: nobody's key is trusted.
                        None => CommonsConfig {
                            members: Vec::new(),
                            ..draft
                        },
                    },
                };
                return Ok(Commons {
                    root: d.to_path_buf(),
                    config,
                    governance,
                });
            }
            cur = d.parent();
        }
        Err(Error::NotFound(format!(
            "{}: not inside a commons (no {CONFIG_FILE} here or above); run `commons init` or pass -C DIR",
            start.display()
        )))
    }

    /// The newest accepted governance version (0: never signed).
    pub fn governance_version(&self) -> u64 {
        self.governance
            .as_ref()
            .and_then(|c| c.trusted())
            .map_or(0, |v| v.number)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config_path(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    /// Every manifest under `manifests/`, sorted by path. Read errors are
    /// returned per file so that one bad manifest does not hide the others.
    pub fn scan(&self) -> Result<Vec<PathBuf>> {
        Ok(self.scan_typed()?.into_iter().map(|(p, _)| p).collect())
    }

    /// [`scan`](Self::scan), with whether each entry is a plain file (as
    /// the folder listing says, without a `stat` per file).
    fn scan_typed(&self) -> Result<Vec<(PathBuf, bool)>> {
        let mut out = Vec::new();
        let base = self.root.join("manifests");
        if base.is_dir() {
            walk_yaml(&base, &mut out)?;
        }
        Ok(out)
    }

    /// Reads a plain file [`scan`](Self::scan) found. The walk does not
    /// enter linked folders, so such a file cannot lie outside the commons
    /// and needs none of the symlink resolution of
    /// [`load_path`](Self::load_path) (a dozen system calls a manifest); it
    /// is opened without following a link, and one that became a link
    /// since the walk goes to `load_path`'s checks.
    fn load_scanned(&self, path: &Path) -> Result<Loaded> {
        let Some(rel) = crate::paths::relative_to(path, &self.root) else {
            return self.load_path(path);
        };
        match crate::bounded::read_unlinked(path, crate::yaml::MAX_YAML_BYTES as u64)? {
            Some(bytes) => self.parse_manifest(path.to_path_buf(), rel, bytes),
            None => self.load_path(path),
        }
    }

    /// Reads one manifest file (which must lie inside the commons).
    pub fn load_path(&self, path: &Path) -> Result<Loaded> {
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().at(".")?.join(path)
        };
        let rel = self.relative(&abs)?;
        let real = crate::paths::resolve_inside(&self.root, &rel)?;
        self.read_manifest(real, rel)
    }

    /// Reads the manifest at `real`, a path inside the commons known to be
    /// free of symbolic links, `rel` from the root.
    fn read_manifest(&self, real: PathBuf, rel: String) -> Result<Loaded> {
        let bytes = crate::bounded::read(&real, crate::yaml::MAX_YAML_BYTES as u64)?;
        self.parse_manifest(real, rel, bytes)
    }

    /// A manifest from the bytes of the file at `real` (`rel` from the root).
    fn parse_manifest(&self, real: PathBuf, rel: String, bytes: Vec<u8>) -> Result<Loaded> {
        let text = std::str::from_utf8(&bytes).map_err(|_| Error::Yaml {
            path: PathBuf::from(&rel),
            line: 1,
            column: 1,
            message: "not UTF-8 text".into(),
        })?;
        let manifest = Manifest::from_yaml(text, Path::new(&rel))?;
        let expected = manifest.relative_path();
        if Path::new(&rel) != expected {
            return Err(Error::Invalid {
                path: PathBuf::from(&rel),
                field: "id".into(),
                message: format!(
                    "{} `{}` belongs at {}, not here",
                    manifest.kind,
                    manifest.id,
                    expected.display()
                ),
            });
        }
        Ok(Loaded {
            path: real,
            rel,
            digest: Sha256Hex::of_bytes(&bytes),
            manifest,
            bytes,
        })
    }

    /// Finds a manifest by id (any kind) or by path.
    pub fn load(&self, id_or_path: &str) -> Result<Loaded> {
        let as_path = Path::new(id_or_path);
        if id_or_path.ends_with(".yaml") || id_or_path.ends_with(".yml") {
            return self.load_path(as_path);
        }
        for kind in [Kind::Model, Kind::Dataset, Kind::Eval] {
            let rel = manifest_path(kind, id_or_path);
            if self.root.join(&rel).is_file() {
                return self.load_path(&self.root.join(rel));
            }
        }
        Err(Error::NotFound(format!(
            "no manifest with id `{id_or_path}` in {} (try `commons list`)",
            self.root.display()
        )))
    }

    /// Whether a manifest with this id exists (any kind).
    pub fn find_path(&self, id: &str) -> Option<PathBuf> {
        [Kind::Model, Kind::Dataset, Kind::Eval]
            .into_iter()
            .map(|k| self.root.join(manifest_path(k, id)))
            .find(|p| p.is_file())
    }

    /// Every manifest file's path (relative, `/`-separated) and digest.
    pub fn manifest_digests(&self) -> Result<std::collections::BTreeMap<String, Sha256Hex>> {
        use rayon::prelude::*;
        self.scan()?
            .par_iter()
            .map(|p| {
                let bytes = crate::bounded::read(p, crate::yaml::MAX_YAML_BYTES as u64)?;
                let rel = crate::paths::relative_to(p, &self.root).unwrap_or_default();
                Ok((rel, Sha256Hex::of_bytes(&bytes)))
            })
            .collect()
    }

    /// Loads every manifest; the first unreadable one in path order is the
    /// error, however the reading was shared among threads.
    pub fn load_all(&self) -> Result<Vec<Loaded>> {
        let scanned = self.scan_typed()?;
        self.load_scanned_all(&scanned).into_iter().collect()
    }

    /// Reads and parses every manifest: each path, in the order of
    /// [`scan`](Self::scan), with its manifest or why it does not load.
    pub fn load_each(&self) -> Result<Vec<(PathBuf, Result<Loaded>)>> {
        let scanned = self.scan_typed()?;
        let loaded = self.load_scanned_all(&scanned);
        Ok(scanned.into_iter().map(|(p, _)| p).zip(loaded).collect())
    }

    /// The manifests at the paths [`scan_typed`](Self::scan_typed) found,
    /// read and parsed on every core, in the order of `scanned`.
    fn load_scanned_all(&self, scanned: &[(PathBuf, bool)]) -> Vec<Result<Loaded>> {
        use rayon::prelude::*;
        // `manifests` itself a link would take the walk outside the commons.
        let base_is_real =
            fs::symlink_metadata(self.root.join("manifests")).is_ok_and(|m| m.file_type().is_dir());
        scanned
            .par_iter()
            .map(|(p, plain)| {
                if *plain && base_is_real {
                    self.load_scanned(p)
                } else {
                    self.load_path(p)
                }
            })
            .collect()
    }

    /// Writes a manifest (atomically) and commits it.
    pub fn write_manifest(&self, manifest: &Manifest, message: &str) -> Result<PathBuf> {
        manifest.validate(&manifest.relative_path())?;
        let rel = manifest.relative_path();
        let rel_s = rel.to_str().expect("ids are ASCII").replace('\\', "/");
        self.commit_files(vec![Change::new(rel_s, manifest.to_yaml())], message)?;
        Ok(self.root.join(rel))
    }

    /// Every version the file at `rel` had in a commit reachable from HEAD,
    /// by the sha256 of its bytes.
    pub fn history_of(&self, rel: &str) -> Result<std::collections::HashMap<Sha256Hex, Vec<u8>>> {
        let repo = git2::Repository::open(&self.root)?;
        let mut walk = repo.revwalk()?;
        walk.push_head()?;
        let mut blobs = std::collections::HashSet::new();
        for oid in walk {
            let commit = repo.find_commit(oid?)?;
            if let Ok(entry) = commit.tree()?.get_path(Path::new(rel)) {
                blobs.insert(entry.id());
            }
        }
        let mut out = std::collections::HashMap::new();
        for blob in blobs {
            let bytes = repo.find_blob(blob)?.content().to_vec();
            out.insert(Sha256Hex::of_bytes(&bytes), bytes);
        }
        Ok(out)
    }

    /// Whether `l`'s bytes are what HEAD holds at its path.
    pub fn is_committed(&self, l: &Loaded) -> bool {
        let Ok(repo) = git2::Repository::open(&self.root) else {
            return false;
        };
        let Ok(oid) = git2::Oid::hash_object(git2::ObjectType::Blob, &l.bytes) else {
            return false;
        };
        repo.head()
            .ok()
            .and_then(|h| h.peel_to_tree().ok())
            .and_then(|t| t.get_path(Path::new(&l.rel)).ok())
            .is_some_and(|e| e.id() == oid)
    }

    /// Refuses to pin `l` while its file has uncommitted changes: the pin
    /// would name a version that no clone of the commons holds.
    pub fn require_committed(&self, l: &Loaded) -> Result<()> {
        if self.is_committed(l) {
            return Ok(());
        }
        Err(Error::Usage(format!(
            "{}: has uncommitted changes, and a reference to it would pin a version no clone of this commons holds; \
review the edit and `commons sign {}` (which commits it), or `git commit` it, or restore it with `git checkout -- {}`",
            l.rel, l.manifest.id, l.rel
        )))
    }

    /// The path of `abs` relative to the root, refusing paths outside it.
    pub fn relative(&self, abs: &Path) -> Result<String> {
        let parent = abs.parent().unwrap_or(abs);
        let parent = parent.canonicalize().at(parent)?;
        let full = parent.join(abs.file_name().unwrap_or_default());
        crate::paths::relative_to(&full, &self.root).ok_or_else(|| Error::Invalid {
            path: abs.to_path_buf(),
            field: "path".into(),
            message: format!("is outside the commons at {}", self.root.display()),
        })
    }

    /// Writes every change atomically, then records them in one commit.
    /// Holds the commons lock throughout.
    pub fn commit_files(&self, changes: Vec<Change>, message: &str) -> Result<git2::Oid> {
        self.commit_changes(changes, Vec::new(), message)
    }

    /// Like [`commit_files`](Self::commit_files), also removing `removals`.
    ///
    /// The commit's tree is HEAD's tree with these changes and nothing else,
    /// whatever the user has staged; the index is then brought up to date
    /// for these paths only.
    pub fn commit_changes(
        &self,
        changes: Vec<Change>,
        removals: Vec<String>,
        message: &str,
    ) -> Result<git2::Oid> {
        let repo = git2::Repository::open(&self.root)?;
        let mut lock = CommitLock::acquire(repo.path(), &self.root)?;
        for rel in changes.iter().map(|c| &c.rel).chain(&removals) {
            crate::paths::check_relative(rel).map_err(|m| Error::Invalid {
                path: PathBuf::from(rel),
                field: "path".into(),
                message: m,
            })?;
        }
        refuse_held_git_locks(&repo)?;
        let paths: Vec<&str> = changes
            .iter()
            .map(|c| c.rel.as_str())
            .chain(removals.iter().map(String::as_str))
            .collect();
        lock.journal(&paths)?;
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let base = match &parent {
            Some(p) => p.tree()?,
            None => repo.find_tree(repo.treebuilder(None)?.write()?)?,
        };
        let mut update = git2::build::TreeUpdateBuilder::new();
        for change in &changes {
            atomic_write(&self.root.join(&change.rel), &change.contents)?;
            update.upsert(
                &change.rel,
                repo.blob(&change.contents)?,
                git2::FileMode::Blob,
            );
        }
        for rel in &removals {
            let abs = self.root.join(rel);
            if abs.exists() {
                fs::remove_file(&abs).at(&abs)?;
            }
            if base.get_path(Path::new(rel)).is_ok() {
                update.remove(rel);
            }
        }
        let tree = repo.find_tree(update.create_updated(&repo, &base)?)?;
        let oid = match &parent {
            Some(p) if p.tree_id() == tree.id() => p.id(),
            _ => {
                let sig = author(&repo)?;
                let parents: Vec<&git2::Commit> = parent.iter().collect();
                repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?
            }
        };
        let mut index = repo.index()?;
        index.read(true)?;
        for change in &changes {
            index.add_path(Path::new(&change.rel))?;
        }
        for rel in &removals {
            index.remove_path(Path::new(rel))?;
        }
        index.write()?;
        Ok(oid)
    }
}

/// A git lock file that no dead `commons` left (those are recovered when
/// the commons lock is taken) belongs to a git process, running or killed:
/// not ours to remove.
fn refuse_held_git_locks(repo: &git2::Repository) -> Result<()> {
    let git_dir = repo.path();
    let branch = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_owned));
    let mut locks = vec![git_dir.join("index.lock"), git_dir.join("HEAD.lock")];
    if let Some(branch) = branch {
        locks.push(git_dir.join(format!("{branch}.lock")));
    }
    match locks.into_iter().find(|l| l.exists()) {
        Some(lock) => Err(Error::Other(format!(
            "{}: git is locked (a git command is running, or one was killed); nothing was written. \
If no git process is running, remove this file and run the command again",
            lock.display()
        ))),
        None => Ok(()),
    }
}

/// Where a manifest of this kind and id lives, relative to the root.
pub fn manifest_path(kind: Kind, id: &str) -> PathBuf {
    let mut m = Manifest::new(kind, id);
    m.model = None;
    m.relative_path()
}

/// Appends the `.yaml` files under `dir` to `out` in path order: each
/// folder's entries sorted by name, a subfolder walked in its place, which
/// is the order of sorting the whole paths, without comparing 100,000 paths
/// component by component.
fn walk_yaml(dir: &Path, out: &mut Vec<(PathBuf, bool)>) -> Result<()> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).at(dir)? {
        let entry = entry.at(dir)?;
        let ft = entry.file_type().at(entry.path())?;
        entries.push((entry.file_name(), ft));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, ft) in entries {
        let path = dir.join(name);
        if ft.is_dir() {
            walk_yaml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push((path, ft.is_file()));
        }
    }
    Ok(())
}

/// The commit author: git config's user, else the commons' own identity.
fn author(repo: &git2::Repository) -> Result<git2::Signature<'static>> {
    let from_config = repo.signature().ok().map(|s| s.to_owned());
    match from_config {
        Some(s) => Ok(s),
        None => Ok(git2::Signature::now("commons", "commons@localhost")?),
    }
}

/// Writes `contents` to `path` via a temp file in the same folder and a
/// rename, so readers see the old file or the new one, never half of one.
pub fn atomic_write(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().expect("paths in a commons have a parent");
    fs::create_dir_all(dir).at(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // Records are shared files, readable as `git checkout` would leave them
    // (the umask applies), not private temp files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir).at(dir)?;
    tmp.write_all(contents).at(path)?;
    tmp.as_file().sync_all().at(path)?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A commons (not yet a git repository) holding a model for each id.
    fn commons_of(ids: impl IntoIterator<Item = String>) -> (tempfile::TempDir, Commons) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(CONFIG_FILE),
            CommonsConfig::new("t").to_yaml(),
        )
        .unwrap();
        for id in ids {
            write(dir.path(), &Manifest::new(Kind::Model, id));
        }
        let commons = Commons::open(dir.path()).unwrap();
        (dir, commons)
    }

    fn write(root: &Path, m: &Manifest) {
        let path = root.join(m.relative_path());
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, m.to_yaml()).unwrap();
    }

    fn numbered(n: usize) -> impl Iterator<Item = String> {
        (0..n).map(|i| format!("lab/m-{i:03}"))
    }

    #[test]
    fn of_several_broken_manifests_the_first_in_path_order_is_the_error() {
        let (dir, commons) = commons_of(numbered(400));
        let models = dir.path().join("manifests/models/lab");
        fs::write(models.join("m-123.yaml"), "kind: model\nid: [unclosed\n").unwrap();
        fs::write(
            models.join("m-371.yaml"),
            Manifest::new(Kind::Model, "lab/elsewhere").to_yaml(),
        )
        .unwrap();
        // Read on several threads, the later error is often found first.
        for _ in 0..20 {
            let err = commons.load_all().unwrap_err().to_string();
            assert!(err.starts_with("manifests/models/lab/m-123.yaml:"), "{err}");
        }
        write(dir.path(), &Manifest::new(Kind::Model, "lab/m-123"));
        let err = commons.load_all().unwrap_err().to_string();
        assert!(
            err.contains("manifests/models/lab/m-371.yaml") && err.contains("belongs at"),
            "{err}"
        );
        // Each manifest with its own result, in path order.
        let each = commons.load_each().unwrap();
        let failed: Vec<&Path> = each
            .iter()
            .filter(|(_, l)| l.is_err())
            .map(|(p, _)| p.as_path())
            .collect();
        assert_eq!(failed, [models.join("m-371.yaml")]);
    }

    #[test]
    fn every_manifest_loads_in_path_order_as_when_read_one_by_one() {
        // `lab-x` sorts before `lab/` as a string, after `lab` as a path.
        let tricky = ["lab-x/a", "lab/b-c", "lab.d/e", "lab/b", "a/lab"].map(String::from);
        let (dir, commons) = commons_of(numbered(300).chain(tricky));
        write(dir.path(), &Manifest::new(Kind::Dataset, "lab/m-007"));
        let mut expected = Vec::new();
        let mut stack = vec![dir.path().join("manifests")];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    expected.push(p);
                }
            }
        }
        expected.sort();
        let root = dir.path().canonicalize().unwrap();
        let expected: Vec<PathBuf> = expected
            .iter()
            .map(|p| root.join(p.strip_prefix(dir.path()).unwrap()))
            .collect();
        assert_eq!(commons.scan().unwrap(), expected);
        let all = commons.load_all().unwrap();
        assert_eq!(all.len(), 306);
        for (l, path) in all.iter().zip(&expected) {
            let one = commons.load_path(path).unwrap();
            assert_eq!(
                (&l.path, &l.rel, &l.digest, &l.bytes, &l.manifest),
                (&one.path, &one.rel, &one.digest, &one.bytes, &one.manifest)
            );
        }
    }
}

//! `cargo xtask dist`: the release bundle a city installs.
//!
//! Writes `dist/ogkit-VERSION.tar.gz` and `dist/ogkit-VERSION.zip` (VERSION
//! from the workspace `Cargo.toml`), both holding one folder
//! `ogkit-VERSION/` with:
//!
//! - `ogkit`: the server binary, a release build for Linux x86-64;
//! - `pkg/`: the widgets. The wasm module, the wasm-bindgen glue and the
//!   stylesheet carry a content hash in their names
//!   (`ogkit_widgets_bg.HASH.wasm`), so servers may cache them for a year.
//!   The loader `ogkit.js` keeps its name and refers to the hashed names;
//! - `demo/`: the Musterstadt demo site with its data;
//! - `docs/`: the rendered docs site with its kit (`cargo xtask docs`);
//! - `deploy/`: the example configuration, the systemd unit and the proxy
//!   configurations;
//! - `LICENSE` (EUPL-1.2), `THIRD-PARTY-NOTICES.txt`, `CHANGELOG.md`,
//!   `README.md`, `README.de.md`;
//! - `SHA256SUMS`: the SHA-256 of every other file, in the format that
//!   `sha256sum -c` reads.
//!
//! `dist/SHA256SUMS` contains the checksums of the two archives.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::setup::{run_command, workspace_root};

pub(crate) const USAGE: &str = "usage: cargo xtask dist [--pkg DIR]

Builds the widgets and the server (release) and writes
dist/ogkit-VERSION.tar.gz, dist/ogkit-VERSION.zip and dist/SHA256SUMS.
--pkg DIR takes an existing full build of the widgets (such as pkg/ after
`cargo xtask build`) instead of building them again.";

/// Files of `pkg/` that get a content hash in their names; the loader
/// refers to each by this name.
const HASHED_FILES: &[&str] = &["ogkit_widgets_bg.wasm", "ogkit_widgets.js", "ogkit.css"];

/// Hex digits of the content hash in file names; the server recognises the
/// same length (`server/src/serve/headers.rs`).
const HASH_DIGITS: usize = 16;

/// Files from the repository root that the bundle carries as they are.
const ROOT_FILES: &[&str] = &["LICENSE", "CHANGELOG.md", "README.md", "README.de.md"];

pub(crate) fn run(args: &[String]) -> Result<()> {
    let pkg = match args {
        [] => None,
        [flag, dir] if flag == "--pkg" => Some(PathBuf::from(dir)),
        _ => bail!("unexpected arguments {args:?}\n\n{USAGE}"),
    };
    let root = workspace_root();
    let archives = create(&root, pkg.as_deref())?;
    for archive in archives {
        println!("dist: wrote {}", archive.display());
    }
    Ok(())
}

/// Builds the bundle and returns the paths of the archives.
pub(crate) fn create(root: &Path, pkg: Option<&Path>) -> Result<Vec<PathBuf>> {
    let version = workspace_version(root)?;
    let name = format!("ogkit-{version}");
    let staging = crate::test::fresh_dir(&root.join("target/dist"))?;
    let bundle = staging.join(&name);

    let pkg_source = match pkg {
        Some(dir) => {
            let dir = root.join(dir);
            if !dir.join("ogkit.js").is_file() {
                bail!("--pkg {}: no ogkit.js there; run `cargo xtask build` first", dir.display());
            }
            dir
        }
        None => {
            crate::setup::run(&[])?;
            let dir = staging.join("pkg-build");
            crate::build::build_into(root, &dir, None)?;
            dir
        }
    };
    copy_dir(&pkg_source, &bundle.join("pkg"))?;
    hash_names(&bundle.join("pkg"))?;

    let binary = build_server(root)?;
    let target = bundle.join("ogkit");
    fs::copy(&binary, &target).with_context(|| format!("copying {}", binary.display()))?;
    strip_symbols(&target);

    copy_dir(&root.join("demo"), &bundle.join("demo"))?;
    // The pages are always rendered again. The docs kit is rebuilt with
    // the widgets unless the caller passed a built pkg/ (as the test suite
    // does right after building both) and the kit exists.
    let docs = root.join(crate::docs::OUTPUT_DIR);
    let kit_exists = docs.join("kit/ogkit.js").is_file();
    if pkg.is_some() && kit_exists {
        crate::docs::run(&["--pages-only".to_owned()])?;
    } else {
        crate::docs::run(&[])?;
    }
    copy_dir(&docs, &bundle.join("docs"))?;
    copy_dir(&root.join("deploy"), &bundle.join("deploy"))?;
    for file in ROOT_FILES {
        let from = root.join(file);
        fs::copy(&from, bundle.join(file)).with_context(|| format!("copying {}", from.display()))?;
    }
    let notices = third_party_notices(root)?;
    fs::write(bundle.join("THIRD-PARTY-NOTICES.txt"), notices).context("writing THIRD-PARTY-NOTICES.txt")?;
    write_checksums(&bundle)?;

    let dist = root.join("dist");
    fs::create_dir_all(&dist).with_context(|| format!("creating {}", dist.display()))?;
    let tar_path = dist.join(format!("{name}.tar.gz"));
    let zip_path = dist.join(format!("{name}.zip"));
    write_tar(&bundle, &name, &tar_path)?;
    write_zip(&bundle, &name, &zip_path)?;
    let mut sums = String::new();
    for archive in [&tar_path, &zip_path] {
        let bytes = fs::read(archive).with_context(|| format!("reading {}", archive.display()))?;
        let file_name = archive.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        let _ = writeln!(sums, "{}  {file_name}", hex(&Sha256::digest(&bytes)));
    }
    fs::write(dist.join("SHA256SUMS"), sums).context("writing dist/SHA256SUMS")?;
    Ok(vec![tar_path, zip_path])
}

/// Reads `version` from `[workspace.package]` of the workspace manifest.
pub(crate) fn workspace_version(root: &Path) -> Result<String> {
    let manifest = fs::read_to_string(root.join("Cargo.toml")).context("reading Cargo.toml")?;
    let mut in_section = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == "[workspace.package]";
            continue;
        }
        if in_section {
            if let Some(value) = line.strip_prefix("version").map(str::trim_start).and_then(|rest| rest.strip_prefix('=')) {
                let version = value.trim().trim_matches('"');
                if !version.is_empty() && !version.contains(char::is_whitespace) {
                    return Ok(version.to_owned());
                }
            }
        }
    }
    bail!("Cargo.toml: [workspace.package] has no version = \"…\"")
}

/// Renames the files of [`HASHED_FILES`] (and their compressed copies) to
/// `STEM.HASH.EXT` and points the loader at the new names.
fn hash_names(pkg: &Path) -> Result<()> {
    let loader_path = pkg.join("ogkit.js");
    let mut loader = fs::read_to_string(&loader_path).context("reading pkg/ogkit.js")?;
    let mut renamed = Vec::new();
    for file in HASHED_FILES {
        let path = pkg.join(file);
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let digest = hex(&Sha256::digest(&bytes));
        let (stem, extension) = file.rsplit_once('.').context("hashed files have an extension")?;
        let hashed = format!("{stem}.{}.{extension}", &digest[..HASH_DIGITS]);
        for suffix in ["", ".gz", ".br"] {
            let from = pkg.join(format!("{file}{suffix}"));
            if from.exists() {
                fs::rename(&from, pkg.join(format!("{hashed}{suffix}")))
                    .with_context(|| format!("renaming {}", from.display()))?;
            }
        }
        let quoted = [format!("\"{file}\""), format!("'{file}'"), format!("`{file}`")];
        let mut found = false;
        for quote in &quoted {
            if loader.contains(quote.as_str()) {
                let replacement = quote.replace(file, &hashed);
                loader = loader.replace(quote.as_str(), &replacement);
                found = true;
            }
        }
        if !found {
            bail!("pkg/ogkit.js does not name {file} in quotes, so the hashed name cannot be filled in");
        }
        renamed.push((*file, hashed));
    }
    fs::write(&loader_path, &loader).context("writing pkg/ogkit.js")?;
    // The npm metadata lists the files by name; keep it true for the bundle.
    let package_path = pkg.join("package.json");
    if package_path.is_file() {
        let mut package = fs::read_to_string(&package_path).context("reading pkg/package.json")?;
        for (file, hashed) in &renamed {
            package = package.replace(&format!("\"{file}\""), &format!("\"{hashed}\""));
            package = package.replace(&format!("\"./{file}\""), &format!("\"./{hashed}\""));
        }
        fs::write(&package_path, package).context("writing pkg/package.json")?;
    }
    crate::compress::write_copies_of(&loader_path)
}

/// Builds the server in release mode and returns the binary.
fn build_server(root: &Path) -> Result<PathBuf> {
    if !(cfg!(target_os = "linux") && cfg!(target_arch = "x86_64")) {
        bail!("cargo xtask dist builds the Linux x86-64 server and must run on such a machine");
    }
    println!("dist: building the ogkit server (release)");
    run_command(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["build", "--release", "--locked", "--package", "ogkit-server", "--bin", "ogkit"])
            .current_dir(root),
    )?;
    Ok(root.join("target/release/ogkit"))
}

/// Removes the symbol table from the bundled server (for 0.1.0: 13.3 MiB
/// down to 11.0 MiB). The binutils `strip` is optional: without it the
/// bundle carries the binary as built.
fn strip_symbols(binary: &Path) {
    match Command::new("strip").arg(binary).status() {
        Ok(status) if status.success() => {}
        Ok(status) => println!("dist: strip exited with {status}; the server keeps its symbols"),
        Err(error) => println!("dist: strip is not available ({error}); the server keeps its symbols"),
    }
}

/// A crate from `cargo metadata`.
struct Package {
    name: String,
    version: String,
    license: String,
    repository: String,
    dir: PathBuf,
}

/// Lists every third-party crate compiled into the server binary and the
/// wasm module, with its licence expression and the licence files it ships.
fn third_party_notices(root: &Path) -> Result<String> {
    let packages = metadata_packages(root)?;
    let mut crates: BTreeSet<(String, String)> = BTreeSet::new();
    for (package, target) in [("ogkit-server", "x86_64-unknown-linux-gnu"), ("ogkit-widgets", "wasm32-unknown-unknown")] {
        crates.extend(compiled_crates(root, package, target)?);
    }
    let own = ["ogkit-core", "ogkit-widgets", "ogkit-server"];
    crates.retain(|(name, _)| !own.contains(&name.as_str()));

    let mut text = String::new();
    let _ = writeln!(text, "Third-party software in this ogkit release\n");
    let _ = writeln!(
        text,
        "ogkit itself is licensed under the EUPL-1.2 (see LICENSE). The server binary `ogkit`\n\
         and the WebAssembly module pkg/ogkit_widgets_bg.*.wasm with its glue contain the\n\
         Rust crates below. Each entry names the licence that the crate declares; the licence\n\
         texts follow as the crate ships them.\n\n\
         npm packages: none ships in this bundle. The build runs esbuild (minification) and\n\
         binaryen (wasm-opt) as tools on ogkit's own files; no npm package is copied into it.\n"
    );
    let _ = writeln!(text, "Crates ({}):\n", crates.len());
    for (name, version) in &crates {
        let license = packages.get(&(name.clone(), version.clone())).map_or("unknown", |package| package.license.as_str());
        let _ = writeln!(text, "  {name} {version}: {license}");
    }
    for (name, version) in &crates {
        let Some(package) = packages.get(&(name.clone(), version.clone())) else {
            bail!("cargo metadata does not list {name} {version}");
        };
        let _ = writeln!(text, "\n{}\n{} {}", "=".repeat(72), package.name, package.version);
        let _ = writeln!(text, "Licence: {}", package.license);
        if !package.repository.is_empty() {
            let _ = writeln!(text, "Source: {}", package.repository);
        }
        let files = licence_files(&package.dir)?;
        if files.is_empty() {
            let _ = writeln!(text, "The crate ships no licence file; the SPDX expression above applies.");
        }
        for file in files {
            let content = fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let file_name = file.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
            let _ = writeln!(text, "\n--- {file_name} ---\n{}", String::from_utf8_lossy(&content).trim_end());
        }
    }
    Ok(text)
}

/// Every package of `cargo metadata`, by name and version.
fn metadata_packages(root: &Path) -> Result<BTreeMap<(String, String), Package>> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root)
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).context("cargo metadata printed no JSON")?;
    let mut packages = BTreeMap::new();
    for package in value["packages"].as_array().context("cargo metadata lists no packages")? {
        let field = |key: &str| package[key].as_str().unwrap_or_default().to_owned();
        let manifest = PathBuf::from(field("manifest_path"));
        let license = match package["license"].as_str() {
            Some(license) => license.to_owned(),
            None if !field("license_file").is_empty() => format!("see {}", field("license_file")),
            None => "not declared".to_owned(),
        };
        let entry = Package {
            name: field("name"),
            version: field("version"),
            license,
            repository: field("repository"),
            dir: manifest.parent().map(Path::to_path_buf).unwrap_or_default(),
        };
        packages.insert((entry.name.clone(), entry.version.clone()), entry);
    }
    Ok(packages)
}

/// Crates linked into `package` for `target`: normal dependencies only
/// (build scripts and dev-dependencies are not part of the output),
/// features as the real builds enable them (all default features).
fn compiled_crates(root: &Path, package: &str, target: &str) -> Result<BTreeSet<(String, String)>> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["tree", "--locked", "--package", package, "--target", target, "--edges", "normal"])
        .args(["--prefix", "none", "--format", "{p}"])
        .current_dir(root)
        .output()
        .context("cannot run cargo tree")?;
    if !output.status.success() {
        bail!("cargo tree -p {package} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let mut crates = BTreeSet::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let mut words = line.split_whitespace();
        if let (Some(name), Some(version)) = (words.next(), words.next()) {
            crates.insert((name.to_owned(), version.trim_start_matches('v').to_owned()));
        }
    }
    if crates.is_empty() {
        bail!("cargo tree -p {package} listed no crates");
    }
    Ok(crates)
}

/// Licence and notice files in a crate's folder, sorted by name.
fn licence_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_ascii_uppercase();
        let is_licence = ["LICENSE", "LICENCE", "COPYING", "NOTICE", "UNLICENSE", "COPYRIGHT"]
            .iter()
            .any(|prefix| name.starts_with(prefix));
        if is_licence && entry.file_type()?.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// Writes `SHA256SUMS` with the checksum of every file in `bundle`.
fn write_checksums(bundle: &Path) -> Result<()> {
    let mut sums = String::new();
    for (relative, path) in files_of(bundle)? {
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let _ = writeln!(sums, "{}  {relative}", hex(&Sha256::digest(&bytes)));
    }
    fs::write(bundle.join("SHA256SUMS"), sums).context("writing SHA256SUMS")
}

/// Lists every file below `dir`, sorted, as (path with `/` relative to
/// `dir`, full path).
fn files_of(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) -> Result<()> {
        for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &relative, out)?;
            } else {
                out.push((relative, entry.path()));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files)?;
    files.sort();
    Ok(files)
}

/// Unix permissions of a file in the archives: executable for the binary.
fn mode_of(relative: &str) -> u32 {
    if relative == "ogkit" { 0o755 } else { 0o644 }
}

fn write_tar(bundle: &Path, name: &str, archive: &Path) -> Result<()> {
    let file = fs::File::create(archive).with_context(|| format!("creating {}", archive.display()))?;
    let encoder = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    let mut builder = tar::Builder::new(encoder);
    builder.mode(tar::HeaderMode::Deterministic);
    for (relative, path) in files_of(bundle)? {
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(mode_of(&relative));
        header.set_mtime(0);
        header.set_cksum();
        builder
            .append_data(&mut header, format!("{name}/{relative}"), bytes.as_slice())
            .with_context(|| format!("adding {relative} to {}", archive.display()))?;
    }
    let encoder = builder.into_inner().context("finishing the tar archive")?;
    encoder.finish().context("finishing the gzip stream")?.flush().context("writing the archive")?;
    Ok(())
}

fn write_zip(bundle: &Path, name: &str, archive: &Path) -> Result<()> {
    let file = fs::File::create(archive).with_context(|| format!("creating {}", archive.display()))?;
    let mut writer = zip::ZipWriter::new(file);
    for (relative, path) in files_of(bundle)? {
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(mode_of(&relative))
            .large_file(bytes.len() >= u32::MAX as usize);
        writer
            .start_file(format!("{name}/{relative}"), options)
            .with_context(|| format!("adding {relative} to {}", archive.display()))?;
        writer.write_all(&bytes).with_context(|| format!("writing {relative} into the zip"))?;
    }
    writer.finish().context("finishing the zip archive")?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for (relative, path) in files_of(from)? {
        let target = to.join(&relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::copy(&path, &target).with_context(|| format!("copying {} to {}", path.display(), target.display()))?;
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_comes_from_the_workspace_manifest() {
        let version = workspace_version(&workspace_root()).expect("the workspace has a version");
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn loader_is_pointed_at_the_hashed_names() {
        let dir = std::env::temp_dir().join(format!("ogkit-dist-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temporary folder");
        fs::write(dir.join("ogkit_widgets_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
        fs::write(dir.join("ogkit_widgets_bg.wasm.gz"), b"gz").expect("write");
        fs::write(dir.join("ogkit_widgets.js"), b"export default 1;").expect("write");
        fs::write(dir.join("ogkit.css"), b".og{}").expect("write");
        fs::write(
            dir.join("ogkit.js"),
            br#"a("ogkit.css");b('ogkit_widgets.js');c("ogkit_widgets_bg.wasm");"#,
        )
        .expect("write");
        fs::write(dir.join("package.json"), br#"{"exports": {"./ogkit.css": "./ogkit.css"}, "files": ["ogkit.js", "ogkit.css"]}"#).expect("write");
        hash_names(&dir).expect("hashing works");
        let package = fs::read_to_string(dir.join("package.json")).expect("package.json");
        assert!(!package.contains("\"ogkit.css\""), "the stylesheet kept its unhashed name: {package}");
        assert!(package.contains("\"ogkit.js\""), "the loader lost its stable name: {package}");
        assert!(!package.contains("\"./ogkit.css\""), "exports follow the renaming: {package}");
        let loader = fs::read_to_string(dir.join("ogkit.js")).expect("loader");
        let wasm_hash = &hex(&Sha256::digest(b"\0asm\x01\0\0\0"))[..HASH_DIGITS];
        let wasm_name = format!("ogkit_widgets_bg.{wasm_hash}.wasm");
        assert!(loader.contains(&format!("\"{wasm_name}\"")), "{loader}");
        assert!(dir.join(&wasm_name).is_file());
        assert!(dir.join(format!("{wasm_name}.gz")).is_file(), "copies follow their file");
        assert!(!dir.join("ogkit_widgets_bg.wasm").exists());
        assert!(!loader.contains("\"ogkit.css\""), "{loader}");
        assert!(!loader.contains("'ogkit_widgets.js'"), "{loader}");
        assert!(dir.join("ogkit.js.gz").is_file(), "the loader lost its gzip copy");
        assert!(dir.join("ogkit.js.br").is_file(), "the loader lost its brotli copy");
        fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn loader_without_a_name_is_an_error() {
        let dir = std::env::temp_dir().join(format!("ogkit-dist-test-missing-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temporary folder");
        for file in HASHED_FILES {
            fs::write(dir.join(file), b"x").expect("write");
        }
        fs::write(dir.join("ogkit.js"), b"load('ogkit.css');").expect("write");
        let error = hash_names(&dir).expect_err("the loader lacks names").to_string();
        assert!(error.contains("ogkit_widgets_bg.wasm"), "{error}");
        fs::remove_dir_all(&dir).expect("cleanup");
    }
}

//! The architecture, checked on the source: no import circle between the modules of `src/`,
//! and the session layer (`card`, `guard`, `files`, `data_object`, `exchange`, `transport`)
//! names no application. An edge `a -> b` is a `crate::b…` or `super::…` path in module `a`
//! (comments and `#[cfg(test)] mod tests` left out).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const APPLICATIONS: [&str; 6] = [
    "jpki",
    "card_info",
    "card_face",
    "common",
    "juki",
    "master_file",
];
const SESSION: [&str; 6] = [
    "card",
    "guard",
    "files",
    "data_object",
    "exchange",
    "transport",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/jpki/pin.rs` → `jpki::pin`; `src/jpki/mod.rs` → `jpki`; `src/lib.rs` → ``.
fn module_of(src: &Path, path: &Path) -> String {
    let rel = path
        .strip_prefix(src)
        .expect("under src/")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

/// The source without line comments and without its unit-test module.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers of `crate::a::b::…` paths, as `a::b::…` prefixes.
fn paths_after<'a>(code: &'a str, prefix: &'a str) -> impl Iterator<Item = String> + 'a {
    code.match_indices(prefix).map(move |(at, _)| {
        code[at + prefix.len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect::<String>()
            .trim_end_matches(':')
            .to_owned()
    })
}

fn resolve(modules: &BTreeSet<String>, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").collect();
    while !parts.is_empty() {
        let candidate = parts.join("::");
        if modules.contains(&candidate) {
            return Some(candidate);
        }
        parts.pop();
    }
    None
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let sources: BTreeMap<String, String> = paths
        .iter()
        .map(|p| {
            (
                module_of(&src, p),
                code(&fs::read_to_string(p).expect("readable")),
            )
        })
        .collect();
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let mut edges = BTreeMap::new();
    for (module, code) in &sources {
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let relative = paths_after(code, "super::").map(|p| {
            if parent.is_empty() {
                p
            } else {
                format!("{parent}::{p}")
            }
        });
        let targets: BTreeSet<String> = paths_after(code, "crate::")
            .chain(relative)
            .filter_map(|p| resolve(&modules, &p))
            // A module and its own submodules are one unit.
            .filter(|t| {
                t != module
                    && !t.starts_with(&format!("{module}::"))
                    && !module.starts_with(&format!("{t}::"))
                    && !t.is_empty()
            })
            .collect();
        edges.insert(module.clone(), targets);
    }
    edges
}

/// Whether `to` can be reached from `from`.
fn reaches(
    edges: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_owned()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().expect("non-empty").clone();
        for next in edges.get(&last).into_iter().flatten() {
            if next == to {
                let mut found = path.clone();
                found.push(next.clone());
                return Some(found);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn no_module_imports_itself_through_others() {
    let edges = graph();
    assert!(edges.len() > 30, "found the modules: {:?}", edges.keys());
    let circles: Vec<String> = edges
        .iter()
        .flat_map(|(module, targets)| {
            let edges = &edges;
            targets.iter().filter_map(move |t| {
                reaches(edges, t, module).map(|path| format!("{module} -> {}", path.join(" -> ")))
            })
        })
        .collect();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_session_layer_names_no_application() {
    let edges = graph();
    for layer in SESSION {
        let targets = edges.get(layer).unwrap_or_else(|| panic!("module {layer}"));
        for app in APPLICATIONS {
            assert!(
                !targets
                    .iter()
                    .any(|t| t == app || t.starts_with(&format!("{app}::"))),
                "{layer} imports {app}"
            );
        }
    }
}

#[test]
fn applications_do_not_import_each_other() {
    let edges = graph();
    for app in APPLICATIONS {
        for other in APPLICATIONS.iter().filter(|o| **o != app) {
            assert!(
                !edges[app]
                    .iter()
                    .any(|t| t == other || t.starts_with(&format!("{other}::"))),
                "{app} imports {other}"
            );
        }
    }
}

//! Drift between what a manifest says and what ships with the artifact: the
//! license declared in the model card's front matter, and the LICENSE file.

use std::path::Path;

use crate::commons::Loaded;
use crate::error::{IoContext, Result};
use crate::finding::Finding;
use crate::license::catalog::Catalog;
use crate::license::expression::Choices;
use crate::rule::Rule;

/// Compares a record's license with the card (`README.md`) and license
/// files (`LICENSE*`, `LICENCE*`, `COPYING*`) in the artifact folder `dir`.
pub fn check(catalog: &Catalog, record: &Loaded, dir: &Path) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let m = &record.manifest;
    let expression = m
        .license
        .as_ref()
        .map(|l| l.expression.as_str())
        .unwrap_or("");
    let recorded: Vec<String> = Choices::parse(expression)
        .map(|c| c.licenses().map(str::to_owned).collect())
        .unwrap_or_default();
    let covers = |id: &str| recorded.iter().any(|k| catalog.same(k, id));
    let finding = |rule: Rule, message: String, fix: &str| {
        Finding::new(rule, message)
            .id(m.id.clone())
            .file(record.rel.clone())
            .field("license.expression")
            .fix(fix)
    };
    let card = dir.join("README.md");
    if card.is_file() {
        let text = crate::bounded::read_text(&card, crate::yaml::MAX_YAML_BYTES as u64)?;
        if let Some((license, name)) = card_license(&text) {
            let shown = match &name {
                Some(n) => format!("license: {license}, license_name: {n}"),
                None => format!("license: {license}"),
            };
            match catalog.from_hub(&license, name.as_deref()) {
                Some(t) if covers(&t.id) => {}
                Some(t) => out.push(finding(
                    Rule::CardLicenseDrift,
                    format!("the model card ({}) declares `{shown}`, that is {}, but the manifest records `{expression}`", card.display(), t.id),
                    "make the card and the manifest agree on the license that really applies",
                )),
                None => out.push(finding(
                    Rule::CardLicenseDrift,
                    format!("the model card ({}) declares `{shown}`, which no catalog license matches; the manifest records `{expression}`", card.display()),
                    "declare the license on the card with a Hub license id (and license_name for `other`)",
                )),
            }
        }
    }
    for file in license_files(dir)? {
        let text = crate::bounded::read_text(&file, crate::yaml::MAX_YAML_BYTES as u64)?;
        let identity = crate::license::identify::identify(catalog, &text);
        let Some(found) = identity.id() else {
            continue;
        };
        if !covers(found) {
            out.push(finding(
                Rule::LicenseFileDrift,
                format!(
                    "{} is the text of {}, but the manifest records `{expression}`",
                    file.display(),
                    found
                ),
                "ship the text of the license the manifest states, or correct the manifest",
            ));
        }
    }
    Ok(out)
}

fn license_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .at(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_uppercase())
                .unwrap_or_default();
            ["LICENSE", "LICENCE", "COPYING"]
                .iter()
                .any(|x| name.starts_with(x))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The `license` (and `license_name`) of a card's YAML front matter.
pub fn card_license(text: &str) -> Option<(String, Option<String>)> {
    let rest = text.strip_prefix("---")?;
    let end = rest.find("\n---")?;
    crate::yaml::check_depth(&rest[..end]).ok()?;
    let front: serde_yaml::Value = serde_yaml::from_str(&rest[..end]).ok()?;
    let license = match front.get("license")? {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Sequence(items) => items.first()?.as_str()?.to_owned(),
        _ => return None,
    };
    let name = front
        .get("license_name")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    Some((license, name))
}

#[cfg(test)]
mod tests {
    use super::card_license;

    #[test]
    fn reads_front_matter() {
        let card = "---\nlicense: other\nlicense_name: mrl\ntags: [x]\n---\n# Model\n";
        assert_eq!(
            card_license(card),
            Some(("other".into(), Some("mrl".into())))
        );
        assert_eq!(
            card_license("---\nlicense: [mit]\n---\n"),
            Some(("mit".into(), None))
        );
        assert_eq!(card_license("# no front matter"), None);
    }
}

//! Which kind of artifact a license is open for.
//!
//! The Model Openness Framework asks each component to be under an open
//! license *suited to its type*: code under an OSI-approved open-source
//! license; datasets and documentation under an open data or open content
//! license (CC0, CC-BY, CC-BY-SA, CDLA, ODC, PDDL) — permissive open-source
//! licenses are accepted for them too, a copyleft software license is not
//! suited to data; model parameters under either an open-source or an open
//! data license. A license that restricts use or field (NonCommercial,
//! NoDerivatives, RAIL, the Llama licenses, any `LicenseRef-`) is open for
//! nothing.

use spdx::LicenseId;

/// What a component is, as far as its license goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Material {
    Code,
    Parameters,
    Data,
    Documentation,
}

impl Material {
    pub fn as_str(self) -> &'static str {
        match self {
            Material::Code => "code",
            Material::Parameters => "parameters",
            Material::Data => "data",
            Material::Documentation => "documentation",
        }
    }

    /// What this material asks of a license, for messages.
    pub fn wants(self) -> &'static str {
        match self {
            Material::Code => "an OSI-approved open-source license",
            Material::Parameters => "an open-source or open data license",
            Material::Data => "an open data license (or a permissive open-source one)",
            Material::Documentation => "an open content license (or a permissive open-source one)",
        }
    }
}

/// Whether one license id is open for `material`.
fn open_for(id: LicenseId, material: Material) -> bool {
    let osi = id.is_osi_approved();
    let data = is_open_data(id.name);
    match material {
        Material::Code => osi,
        Material::Parameters => osi || data,
        Material::Data | Material::Documentation => data || (osi && !id.is_copyleft()),
    }
}

/// Open data and open content licenses (no NonCommercial, no
/// NoDerivatives).
fn is_open_data(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "CC0-1.0",
        "CDLA-Permissive-1.0",
        "CDLA-Permissive-2.0",
        "CDLA-Sharing-1.0",
        "ODC-By-1.0",
        "ODbL-1.0",
        "PDDL-1.0",
        "OGL-UK-3.0",
        "OGL-Canada-2.0",
        "etalab-2.0",
        "DL-DE-BY-2.0",
        "DL-DE-ZERO-2.0",
        "NLOD-2.0",
        "Community-Spec-1.0",
    ];
    EXACT.contains(&name)
        || (name.starts_with("CC-BY-") && !name.contains("-NC") && !name.contains("-ND"))
}

/// How a license expression stands for one material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Some choice the expression offers is open for the material.
    Open,
    /// Open, but for another material (e.g. CC-BY-4.0 on code).
    WrongType(String),
    /// Open for nothing: restricted, unknown or not a license.
    NotOpen(String),
}

/// Judges an SPDX expression for `material`: open when one of the choices
/// it offers (OR) consists (AND) only of licenses open for the material.
pub fn judge(expression: &str, material: Material) -> Verdict {
    let Ok(choices) = crate::license::expression::Choices::parse(expression) else {
        return Verdict::NotOpen(format!("`{expression}` is not a valid SPDX expression"));
    };
    let all_open = |m: Material| {
        choices.options.iter().any(|option| {
            option
                .iter()
                .all(|l| spdx::license_id(l).is_some_and(|id| open_for(id, m)))
        })
    };
    if all_open(material) {
        return Verdict::Open;
    }
    let fits = [
        Material::Code,
        Material::Data,
        Material::Documentation,
        Material::Parameters,
    ]
    .into_iter()
    .find(|&m| all_open(m));
    match fits {
        Some(other) => Verdict::WrongType(format!(
            "`{expression}` is open for {}, not suited to {}: the MOF asks {}",
            other.as_str(),
            material.as_str(),
            material.wants()
        )),
        None => Verdict::NotOpen(format!("`{expression}` is not an open license")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licenses_are_judged_for_their_material() {
        assert_eq!(judge("Apache-2.0", Material::Code), Verdict::Open);
        assert_eq!(judge("Apache-2.0", Material::Data), Verdict::Open);
        assert_eq!(judge("CC-BY-4.0", Material::Data), Verdict::Open);
        assert_eq!(
            judge("CDLA-Permissive-2.0", Material::Parameters),
            Verdict::Open
        );
        assert_eq!(judge("MIT OR CC-BY-NC-4.0", Material::Code), Verdict::Open);
        assert!(matches!(
            judge("CC-BY-4.0", Material::Code),
            Verdict::WrongType(_)
        ));
        assert!(matches!(
            judge("GPL-3.0-only", Material::Data),
            Verdict::WrongType(_)
        ));
        assert!(matches!(
            judge("CC-BY-NC-4.0", Material::Data),
            Verdict::NotOpen(_)
        ));
        assert!(matches!(
            judge("CC-BY-ND-4.0", Material::Documentation),
            Verdict::NotOpen(_)
        ));
        assert!(matches!(
            judge("LicenseRef-llama3.1", Material::Parameters),
            Verdict::NotOpen(_)
        ));
        assert!(matches!(
            judge("Apache-2.0 AND CC-BY-NC-4.0", Material::Code),
            Verdict::NotOpen(_)
        ));
    }
}

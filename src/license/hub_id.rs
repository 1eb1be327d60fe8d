//! The Hub's license ids (`apache-2.0`, `llama3.1`, `openrail++`) as SPDX
//! ids or `LicenseRef-…`: the one mapping `fetch` and `record` share.

/// The SPDX id (or `LicenseRef-…`) for one of the Hub's license ids.
pub fn spdx_for(hub_id: &str) -> String {
    let id = hub_id.trim();
    let lower = id.to_ascii_lowercase();
    let gnu = match lower.as_str() {
        "gpl-2.0" => Some("GPL-2.0-only"),
        "gpl-3.0" => Some("GPL-3.0-only"),
        "lgpl-2.1" => Some("LGPL-2.1-only"),
        "lgpl-3.0" => Some("LGPL-3.0-only"),
        "agpl-3.0" => Some("AGPL-3.0-only"),
        "odc-by" => Some("ODC-By-1.0"),
        "odbl" => Some("ODbL-1.0"),
        "pddl" => Some("PDDL-1.0"),
        "c-uda" => Some("C-UDA-1.0"),
        _ => None,
    };
    if let Some(spdx) = gnu {
        return spdx.to_owned();
    }
    let known = spdx::identifiers::LICENSES
        .iter()
        .filter(|l| l.name.eq_ignore_ascii_case(id))
        .find_map(|l| spdx::license_id(l.name).filter(|l| !l.is_deprecated()));
    match known {
        Some(license) => license.name.to_owned(),
        None => license_ref(id),
    }
}

/// `LicenseRef-` followed by the id, with characters SPDX does not allow
/// in a reference spelled out.
pub fn license_ref(id: &str) -> String {
    let mut out = String::from("LicenseRef-");
    for c in id.trim().chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' => out.push(c),
            '+' => out.push_str("-plus"),
            _ => out.push('-'),
        }
    }
    out
}

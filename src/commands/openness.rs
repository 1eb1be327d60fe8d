//! `commons openness`: the Model Openness Framework class of a model and
//! the OSI Open Source AI Definition checklist, from its records.

use crate::cli::{Context, ExitStatus};
use crate::manifest::Kind;
use crate::openness::mof::ComponentState;
use crate::output::{DataFormat, print_json, table};
use crate::records::RecordSet;

/// How open a model is: its Model Openness Framework class, what is missing
/// for the next class, and the OSI Open Source AI Definition checklist
///
/// Computed from the signed records: the components a model manifest
/// records (`model.components`: location, digest, license) and, for the
/// training datasets, the dataset records of its lineage. A component
/// counts when it is recorded under an open license suited to its type
/// (code: OSI-approved; data and documentation: open data or content
/// licenses; parameters: either).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A model id
    pub id: String,
    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let id = commons.load(&args.id)?.manifest.id;
    let all = commons.load_all()?;
    let records = RecordSet::new(&all);
    let Some(model) = records.get(&id).filter(|l| l.manifest.kind == Kind::Model) else {
        anyhow::bail!("`{id}` is not a model record: openness is assessed for models");
    };
    let o = crate::openness::assess(model, &records);
    if let DataFormat::Json = args.format {
        print_json(&o)?;
        return Ok(ExitStatus::Success);
    }
    println!(
        "{}: {}",
        o.id,
        o.mof
            .class
            .map_or("below Class III (Open Model)", |c| c.name())
    );
    let mut t = table(&["component", "class", "state", "license", "location"]);
    for c in &o.mof.components {
        t.add_row(vec![
            c.component.to_string(),
            crate::export::cyclonedx::serde_plain(&c.class),
            state(&c.state),
            c.license.clone().unwrap_or_default(),
            c.locations.join(", "),
        ]);
    }
    print!("{t}");
    if let Some(next) = &o.mof.next {
        println!("\nMissing for {}:", next.class.name());
        for c in &next.missing {
            let why = match &c.state {
                ComponentState::WrongType(w) | ComponentState::NotOpen(w) => format!(": {w}"),
                _ => String::new(),
            };
            println!("  {} ({}){why}", c.component, state(&c.state));
        }
    }
    println!("\nOSI Open Source AI Definition 1.0:");
    for item in &o.osaid {
        println!(
            "  {}: {}",
            crate::export::cyclonedx::serde_plain(&item.item),
            crate::export::cyclonedx::serde_plain(&item.state)
        );
        for g in &item.gaps {
            println!("    - {g}");
        }
        for c in &item.cannot_establish {
            println!("    ? cannot be established from the records: {c}");
        }
    }
    Ok(ExitStatus::Success)
}

fn state(s: &ComponentState) -> String {
    match s {
        ComponentState::Open => "open",
        ComponentState::Missing => "missing",
        ComponentState::NoLicense => "no license",
        ComponentState::WrongType(_) => "license of the wrong type",
        ComponentState::NotOpen(_) => "not open",
    }
    .to_owned()
}

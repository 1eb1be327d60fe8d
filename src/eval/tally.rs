//! Exact running sums, so that shards add up to one unsplit run bit for bit.
//!
//! Floating-point addition is not associative: summing the log-likelihoods of
//! items 1..100 in one run and of 1..50 and 51..100 in two shards gives
//! slightly different numbers. Each value added here is first rounded to a
//! multiple of 2⁻²⁴ (far below any reported precision) and accumulated as an
//! integer, which makes every sum independent of how the items were grouped.
//! Values whose order matters to a metric (STS correlations rank the whole
//! set) are kept as series, concatenated in shard order.

use std::collections::BTreeMap;

use super::{EvalError, Result};

const SCALE: f64 = (1u64 << 24) as f64;
/// Sums stay below 2⁵³ units so that they convert to f64 exactly.
const LIMIT: i64 = 1 << 53;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    sums: BTreeMap<String, i64>,
    series: BTreeMap<String, Vec<f64>>,
}

impl Tally {
    pub fn new() -> Tally {
        Tally::default()
    }

    /// `value` rounded to the multiple of 2⁻²⁴ that [`Tally::add`] adds.
    pub fn quantize(value: f64) -> f64 {
        (value * SCALE).round() / SCALE
    }

    /// `value` in the tally's integer units of 2⁻²⁴ (rounded).
    pub fn units(value: f64) -> i64 {
        (value * SCALE).round() as i64
    }

    /// Adds `units` of 2⁻²⁴ to the sum `name`.
    pub fn add_units(&mut self, name: &str, units: i64) {
        *self.sums.entry(name.to_owned()).or_insert(0) += units;
    }

    /// Adds `value` (rounded to a multiple of 2⁻²⁴) to the sum `name`.
    pub fn add(&mut self, name: &str, value: f64) {
        let units = (value * SCALE).round() as i64;
        *self.sums.entry(name.to_owned()).or_insert(0) += units;
    }

    /// Appends `value` to the series `name`.
    pub fn push(&mut self, name: &str, value: f64) {
        self.series.entry(name.to_owned()).or_default().push(value);
    }

    pub fn sum(&self, name: &str) -> f64 {
        self.sums
            .get(name)
            .map(|&u| u as f64 / SCALE)
            .unwrap_or(0.0)
    }

    pub fn series(&self, name: &str) -> &[f64] {
        self.series.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Adds another tally's sums and appends its series (shard order).
    pub fn absorb(&mut self, other: &Tally) -> Result<()> {
        for (name, units) in &other.sums {
            let sum = self.sums.entry(name.clone()).or_insert(0);
            *sum = sum
                .checked_add(*units)
                .filter(|s| s.abs() < LIMIT)
                .ok_or_else(|| EvalError::Merge(format!("the sum `{name}` overflows")))?;
        }
        for (name, values) in &other.series {
            self.series
                .entry(name.clone())
                .or_default()
                .extend_from_slice(values);
        }
        Ok(())
    }

    /// The form stored in an eval manifest: sums as exact f64, series as lists.
    pub fn to_record(&self) -> BTreeMap<String, serde_yaml::Value> {
        let mut out = BTreeMap::new();
        for (name, &units) in &self.sums {
            out.insert(name.clone(), serde_yaml::Value::from(units as f64 / SCALE));
        }
        for (name, values) in &self.series {
            out.insert(
                name.clone(),
                serde_yaml::Value::Sequence(values.iter().map(|&v| v.into()).collect()),
            );
        }
        out
    }

    /// Reads the stored form back; `origin` names the manifest in errors.
    pub fn from_record(
        record: &BTreeMap<String, serde_yaml::Value>,
        origin: &str,
    ) -> Result<Tally> {
        let bad = |name: &str| {
            EvalError::Merge(format!(
                "{origin}: `eval.tally.{name}` is not a number or a list of numbers"
            ))
        };
        let mut tally = Tally::new();
        for (name, value) in record {
            match value {
                serde_yaml::Value::Sequence(items) => {
                    let values = items
                        .iter()
                        .map(|v| v.as_f64().ok_or_else(|| bad(name)))
                        .collect::<Result<Vec<_>>>()?;
                    tally.series.insert(name.clone(), values);
                }
                other => {
                    let v = other.as_f64().ok_or_else(|| bad(name))?;
                    let units = v * SCALE;
                    if units.fract() != 0.0 || units.abs() >= LIMIT as f64 {
                        return Err(bad(name));
                    }
                    tally.sums.insert(name.clone(), units as i64);
                }
            }
        }
        Ok(tally)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_do_not_depend_on_grouping() {
        let values: Vec<f64> = (0..1000)
            .map(|i| -((i as f64) * 0.7317).sin() * 13.1 - 0.1)
            .collect();
        let mut whole = Tally::new();
        for v in &values {
            whole.add("ll", *v);
        }
        let mut merged = Tally::new();
        for part in values.chunks(333) {
            let mut t = Tally::new();
            for v in part {
                t.add("ll", *v);
            }
            merged.absorb(&t).unwrap();
        }
        assert_eq!(whole.sum("ll").to_bits(), merged.sum("ll").to_bits());
        let naive: f64 = values.iter().sum();
        assert!((whole.sum("ll") - naive).abs() < 1e-4);
    }

    #[test]
    fn record_round_trips_exactly() {
        let mut t = Tally::new();
        t.add("ll", -1234.567891234);
        t.add("n", 3.0);
        t.push("cos", 0.25);
        t.push("cos", -0.1);
        let yaml = serde_yaml::to_string(&t.to_record()).unwrap();
        let back: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(Tally::from_record(&back, "x").unwrap(), t);
    }

    #[test]
    fn rejects_values_that_are_not_exact_sums() {
        let mut record = BTreeMap::new();
        record.insert("ll".to_owned(), serde_yaml::Value::from(0.1));
        assert!(Tally::from_record(&record, "x").is_err());
    }
}

//! DATA detectors. See the catalogue (`queries/catalogue/data.toml`) for what each item means.

use super::Detector;

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![]
}

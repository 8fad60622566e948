//! LIFE detectors. See the catalogue (`queries/catalogue/life.toml`) for what each item means.

use super::Detector;

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![]
}

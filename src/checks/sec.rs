//! SEC detectors. See the catalogue (`queries/catalogue/sec.toml`) for what each item means.

use super::Detector;

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![]
}

//! OPS detectors: a true positive and a near-miss negative for every item.

#[allow(unused_imports)]
use super::{check, none, one_at};

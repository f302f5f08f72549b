//! Notes on the trails a finding considered: why each one leaves the rule's events out.

use super::words::resource_phrase;
use super::{Context, related};
use crate::analysis::coverage::{Miss, MissReason};
use crate::analysis::events::{Candidate, Class};
use crate::analysis::{Delivery, Misses, Verdict};
use crate::finding::Related;
use crate::model::{ReadWrite, Selectors, Trail};

/// The first trails' misses of a verdict ([`Misses::KEPT`] at most), in the trails' order.
pub(super) fn misses(verdict: &Verdict) -> &[(usize, Miss)] {
    match &verdict.delivery {
        Delivery::NotSelected { misses } => &misses.first,
        _ => &[],
    }
}

/// The notes on why each trail leaves a verdict's events out. A deployment with dozens of
/// trails gets the first [`Misses::KEPT`], and the last of them says how many more there are.
pub(super) fn miss_notes(cx: &Context<'_>, verdict: &Verdict) -> Vec<Related> {
    let mut notes: Vec<Related> = misses(verdict)
        .iter()
        .take(Misses::KEPT)
        .map(|(index, miss)| miss_note(cx, *index, miss, &verdict.candidate))
        .collect();
    let total = match &verdict.delivery {
        Delivery::NotSelected { misses } => misses.total,
        _ => 0,
    };
    let more = total.saturating_sub(notes.len());
    if let (Some(last), true) = (notes.last_mut(), more > 0) {
        let trails = if more == 1 { "trail" } else { "trails" };
        last.message.push_str(&format!(
            " (and {more} more {trails} leave these events out)"
        ));
    }
    notes
}

/// A note on each of the first few trails, the last saying how many more there are.
pub(super) fn trail_notes(
    cx: &Context<'_>,
    trails: &[usize],
    note: impl Fn(&Trail) -> Related,
) -> Vec<Related> {
    let mut notes: Vec<Related> = trails
        .iter()
        .take(Misses::KEPT)
        .map(|&i| note(cx.trail(i)))
        .collect();
    let more = trails.len().saturating_sub(notes.len());
    if let (Some(last), true) = (notes.last_mut(), more > 0) {
        let trails = if more == 1 { "trail" } else { "trails" };
        last.message
            .push_str(&format!(" (and the same of {more} more {trails})"));
    }
    notes
}

/// Why one trail does not log a candidate, as a note on that trail.
pub(super) fn miss_note(
    cx: &Context<'_>,
    index: usize,
    miss: &Miss,
    candidate: &Candidate,
) -> Related {
    let trail = cx.trail(index);
    let name = &trail.name;
    let data_type = match candidate.class {
        Class::Data { resource_type, .. } => resource_type.resource_type.as_str(),
        _ => "",
    };
    let message = match &miss.reason {
        MissReason::NoDataSelector if matches!(trail.selectors, Selectors::Default) => {
            format!("trail `{name}` logs management events only")
        }
        MissReason::NoDataSelector => {
            format!("trail `{name}` selects no `{data_type}` data events")
        }
        MissReason::ResourceNotSelected => match resource_phrase(candidate) {
            Some(resource) => {
                format!("trail `{name}` selects `{data_type}` data events, but not for {resource}")
            }
            None => {
                format!("trail `{name}` selects `{data_type}` data events of other resources only")
            }
        },
        MissReason::NameExcluded => match candidate.name.exact() {
            Some(event) => {
                format!("an `eventName` condition of trail `{name}` leaves out `{event}`")
            }
            None => format!("the `eventName` conditions of trail `{name}` leave these events out"),
        },
        MissReason::ManagementExcluded => format!("trail `{name}` logs no management events"),
        MissReason::NoInsightSelectors => match &candidate.insight_type {
            Some(wanted) => format!("trail `{name}` has no `{}` insight selector", wanted.value),
            None => format!("trail `{name}` has no insight selectors"),
        },
        MissReason::NoNetworkSelector => match &candidate.source {
            Some(source) => format!(
                "trail `{name}` has no network activity selector for `{}`",
                source.value
            ),
            None => format!("trail `{name}` logs no network activity events"),
        },
        MissReason::SourceExcluded(source) => {
            format!("trail `{name}` excludes management events from `{source}`")
        }
        MissReason::ReadWriteExcluded { logs } => format!(
            "trail `{name}` logs {} events only",
            if *logs == ReadWrite::ReadOnly {
                "read"
            } else {
                "write"
            }
        ),
    };
    related(trail, miss.span, message)
}

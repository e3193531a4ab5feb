//! Sorting for the search module with a single instantiation of the
//! standard sort.
//!
//! Every `sort_by` call on a new element type or with a new closure makes
//! the compiler emit another copy of the sort, about 2 KB of WebAssembly
//! each. Here the standard unstable sort runs only on `u32` positions with
//! a comparison behind `&dyn Fn`, so all callers share one copy. Callers
//! pass a total order (ties broken by a unique key), so the unstable sort
//! gives the same result as a stable one.

use std::cmp::Ordering;

/// Sorts `items` by `compare`.
pub(crate) fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    sort_positions(&mut order, &|a, b| compare(&items[a as usize], &items[b as usize]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&position| slots[position as usize].take()));
}

/// Sorts `positions` by `compare`; the one place that calls the standard sort.
#[inline(never)]
pub(crate) fn sort_positions(positions: &mut [u32], compare: &dyn Fn(u32, u32) -> Ordering) {
    positions.sort_unstable_by(|a, b| compare(*a, *b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_follow_comparison() {
        let mut words = vec!["kfz", "amt", "pass", "ausweis"];
        sort_by(&mut words, |a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
        assert_eq!(words, ["amt", "kfz", "pass", "ausweis"]);
    }

    #[test]
    fn positions_sort_by_numbers() {
        let mut numbers = vec![5, 1, 4, 1, 3];
        sort_positions(&mut numbers, &|a, b| a.cmp(&b));
        assert_eq!(numbers, [1, 1, 3, 4, 5]);
    }

    #[test]
    fn empty_list_stays_empty() {
        let mut empty: Vec<String> = Vec::new();
        sort_by(&mut empty, |a, b| a.cmp(b));
        assert!(empty.is_empty());
    }
}

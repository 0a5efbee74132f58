//! Independent pieces of work spread over the machine's cores, results in input order.
//!
//! Build scripts run on the cores cargo lets them have; a generator run is short, so plain
//! scoped threads pulling the next index from a shared counter are enough: no pool outlives a
//! call, and the result is the same as a loop over the items whatever the number of threads.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads to use: the available parallelism of the machine (1 when unknown).
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// `f` applied to every item, on up to `threads` threads (the calling one included); the
/// results are in the order of `items`. With one thread or one item, a plain loop.
pub(crate) fn map<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    indexed(items.len(), threads, || (), |(), i| f(&items[i]))
}

/// `work(state, i)` for every `i` below `count`, on up to `threads` threads, each with its own
/// `state` made by `init` on that thread (so state that cannot move between threads, such as
/// token streams, is made where it is used), all at the same time. The results are in the
/// order of `i`, whichever thread did which.
pub(crate) fn indexed<S, R, I, W>(count: usize, threads: usize, init: I, work: W) -> Vec<R>
where
    R: Send,
    I: Fn() -> S + Sync,
    W: Fn(&mut S, usize) -> R + Sync,
{
    let threads = threads.min(count);
    if threads <= 1 {
        let mut state = init();
        return (0..count).map(|i| work(&mut state, i)).collect();
    }
    let next = AtomicUsize::new(0);
    let run = |state: &mut S| {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                return done;
            }
            done.push((i, work(state, i)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(|| run(&mut init()))).collect();
        let mut done = run(&mut init());
        for other in others {
            match other.join() {
                Ok(part) => done.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_with_any_number_of_threads() {
        let items: Vec<u64> = (0..100).collect();
        let expected: Vec<u64> = items.iter().map(|n| n * n).collect();
        for threads in [1, 2, 3, 8, 200] {
            assert_eq!(map(&items, threads, |n| n * n), expected, "{threads} threads");
        }
        assert!(map(&[] as &[u64], 4, |n| *n).is_empty());
    }

    #[test]
    fn each_thread_has_its_own_state() {
        // The state counts the items its thread did; every item sees a count of at least 1.
        for threads in [1, 2, 4] {
            let seen = indexed(
                50,
                threads,
                || 0_u32,
                |done, i| {
                    *done += 1;
                    (i, *done)
                },
            );
            assert_eq!(seen.iter().map(|(i, _)| *i).collect::<Vec<_>>(), (0..50).collect::<Vec<_>>());
            assert!(seen.iter().all(|(_, done)| *done >= 1));
            if threads == 1 {
                assert_eq!(seen.last(), Some(&(49, 50)), "one thread does everything in order");
            }
        }
    }
}

//! CPU time of this process, summed over its threads, in nanoseconds.
//!
//! Read from `/proc/self/task/*/schedstat` (Linux): its first field is the time the thread has
//! run, in nanoseconds, where `/proc/self/stat` counts whole clock ticks (10 ms), too coarse for
//! rounds of a few tens of milliseconds. The benchmark's threads (the runtime's workers and the
//! main thread) live for the whole run, so the sum over live threads is the process's CPU time.

use std::fs;

/// CPU nanoseconds used so far by the threads alive now; `None` where `/proc` does not say.
pub fn process_nanos() -> Option<u64> {
    let mut total = 0_u64;
    for entry in fs::read_dir("/proc/self/task").ok()? {
        let path = entry.ok()?.path().join("schedstat");
        // A thread may end between listing and reading; it is left out.
        let Ok(text) = fs::read_to_string(path) else { continue };
        total += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

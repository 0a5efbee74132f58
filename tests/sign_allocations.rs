//! Heap allocations per signature, for each scheme as the client signs (`sign_with`, with the key
//! prepared once), on the requests of the signing benchmark. A signer allocates only what it
//! outputs: the three strings of its `SigningOutput`, and the name and value of each header or
//! query parameter it adds to the request. Counted by a global allocator, on this thread only,
//! around the `sign_with` call alone (the copy of the unsigned request is made before).
//!
//! `cargo test --all-features --test sign_allocations -- --nocapture` prints the counts.

#[path = "../benches/common/sign_requests.rs"]
mod sign_requests;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use cloud_task_apis::sign::{self, SignableRequest};
use sign_requests::{NONCE, NOW, acs3_request, huawei_request, rpc_request, tc3_request, tencent_request};

/// The system allocator, counting the blocks it hands out (new ones and reallocations) on a
/// thread while that thread asks it to.
struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

/// Counts one allocation, if this thread is counting. Const-initialised cells without a
/// destructor: reading them never allocates.
fn note() {
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: every method passes its arguments unchanged to the system allocator, which upholds the
// `GlobalAlloc` contract; counting only updates thread-local cells and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: the caller's layout, as `GlobalAlloc::alloc` requires it.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: `ptr` came from `System` with `layout`; `new_size` is the caller's, as
        // `GlobalAlloc::realloc` requires it.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// How many allocations `f` makes on this thread, and what it returns (dropped by the caller,
/// after counting).
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (ALLOCATIONS.with(Cell::get), out)
}

/// A scheme's name, its request, how it signs, and the most allocations a signature may make.
type Case = (&'static str, SignableRequest, Box<dyn Fn(&mut SignableRequest) -> sign::SigningOutput>, usize);

/// Allocations of one signature: a warm-up signature first (a cache filled on first use is not
/// the hot path), then the count of one `sign_with` on a fresh copy of the unsigned request,
/// given the room the client makes for what the signer adds (so that the list does not grow).
fn per_signature(base: &SignableRequest, signer: &dyn Fn(&mut SignableRequest) -> sign::SigningOutput) -> usize {
    drop(signer(&mut base.clone()));
    let mut req = base.clone();
    req.headers.reserve(8);
    req.query.reserve(8);
    let (count, output) = allocations(|| signer(&mut req));
    drop(output);
    count
}

#[test]
fn signers_allocate_only_their_output() {
    let acs3_key = sign::acs3::signing_key("test-access-key-secret");
    let rpc_key = sign::rpc_v1::signing_key("test-access-key-secret");
    let huawei_key = sign::huawei::signing_key("huawei-test-sk-4d2b9e");
    let tencent_key = sign::tencent::signing_key("test-secret-key");
    let tc3_key = sign::tc3::SigningKey::new("test-secret-key");
    let start = NOW.unix_timestamp() - 60;
    // Output strings: the `SigningOutput` (3), and a name and a value per header or parameter
    // added: ACS3 `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`,
    // `Authorization`; RPC V1 `AccessKeyId`, `SignatureMethod`, `SignatureVersion`,
    // `SignatureNonce`, `Timestamp`, `Signature`; Huawei `X-Sdk-Date`, `Authorization`; q-sign
    // `Authorization`; TC3 `X-TC-Timestamp`, `Authorization`.
    let cases: [Case; 5] = [
        (
            "Alibaba ACS3-HMAC-SHA256",
            acs3_request(),
            Box::new(move |r| sign::acs3::sign_with(r, "LTAI5tTestAccessKeyId", &acs3_key, None, NOW, NONCE)),
            3 + 2 * 4,
        ),
        (
            "Alibaba RPC HMAC-SHA1",
            rpc_request(),
            Box::new(move |r| sign::rpc_v1::sign_with(r, "LTAI5tTestAccessKeyId", &rpc_key, None, NOW, NONCE)),
            3 + 2 * 6,
        ),
        (
            "Huawei SDK-HMAC-SHA256",
            huawei_request(),
            Box::new(move |r| sign::huawei::sign_with(r, "HWTESTAK0123456789AB", &huawei_key, None, NOW)),
            3 + 2 * 2,
        ),
        (
            "Tencent q-sign-algorithm=sha1",
            tencent_request(),
            Box::new(move |r| sign::tencent::sign_with(r, "AKIDtestsecretid", &tencent_key, None, start, start + 360)),
            3 + 2,
        ),
        (
            "Tencent TC3-HMAC-SHA256",
            tc3_request(),
            Box::new(move |r| sign::tc3::sign_with(r, "AKIDtestsecretid", &tc3_key, None, "cls", NOW)),
            3 + 2 * 2,
        ),
    ];
    let mut over = Vec::new();
    for (name, base, signer, outputs) in &cases {
        let count = per_signature(base, signer);
        println!("{name}: {count} allocations per signature ({outputs} output strings)");
        if count > *outputs {
            over.push(format!("{name}: {count} > {outputs}"));
        }
    }
    assert!(over.is_empty(), "signers allocating beyond their output: {over:?}");
}

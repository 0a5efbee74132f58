//! Signing cost per request for each signer, on the request the client builds for one of the
//! project's operations (same method, path, query, headers and body as on the wire). Each
//! timed call clones the unsigned request and signs the clone, as the client does per attempt,
//! so the figure includes that copy.
//!
//! Each signer is timed as the client calls it (`sign_with`, with the key prepared once, as the
//! client prepares it when it is configured) and through the one-call entry point (`sign`, which
//! prepares the key for the request).
//!
//! The cases take turns, one batch each per round, so that a slow stretch of a shared machine
//! falls on every case alike rather than on the ones that happen to run during it.

mod common;

use std::hint::black_box;
use std::time::Instant;

use cloud_task_apis::sign::{self, SignableRequest};
use common::sign_requests::{NONCE, NOW, acs3_request, huawei_request, rpc_request, tc3_request, tencent_request};
use common::{median, met, row, time};
/// Calls per timed batch: short (about half a millisecond), so that on a shared machine most
/// batches run without being preempted and the median is the signer's own cost.
const BATCH: usize = 200;
const BATCHES: usize = 301;

/// A signer's name, the request it signs, and the call.
type Case = (&'static str, SignableRequest, Box<dyn Fn(&mut SignableRequest)>);

/// Seconds per call of one batch of `f`.
fn batch(f: &mut dyn FnMut()) -> f64 {
    let started = Instant::now();
    for _ in 0..BATCH {
        f();
    }
    #[allow(clippy::cast_precision_loss, reason = "a small constant")]
    let per = started.elapsed().as_secs_f64() / BATCH as f64;
    per
}

/// Median seconds per call of each of `calls` over [`BATCHES`] rounds, one batch of each per
/// round, after a batch of each to warm up.
fn per_call(calls: &mut [Box<dyn FnMut() + '_>]) -> Vec<f64> {
    for f in calls.iter_mut() {
        batch(f.as_mut());
    }
    let mut samples = vec![Vec::with_capacity(BATCHES); calls.len()];
    for _ in 0..BATCHES {
        for (f, samples) in calls.iter_mut().zip(&mut samples) {
            samples.push(batch(f.as_mut()));
        }
    }
    samples.iter().map(|s| median(s)).collect()
}

fn main() {
    let limit = 2e-6;
    // `SIGN_BENCH_ONLY=<text>` times only the cases whose name contains it (and not the clone),
    // so that one case's CPU time can be taken with `perf stat -e task-clock`.
    let only = std::env::var("SIGN_BENCH_ONLY").ok();
    let clone_base = huawei_request();
    let (alibaba_id, alibaba_secret) = ("LTAI5tTestAccessKeyId", "test-access-key-secret");
    let (huawei_ak, huawei_sk) = ("HWTESTAK0123456789AB", "huawei-test-sk-4d2b9e");
    let (tencent_id, tencent_key) = ("AKIDtestsecretid", "test-secret-key");
    let start = NOW.unix_timestamp() - 60;
    // The keys as the client prepares them, once.
    let acs3_key = sign::acs3::signing_key(alibaba_secret);
    let rpc_key = sign::rpc_v1::signing_key(alibaba_secret);
    let huawei_key = sign::huawei::signing_key(huawei_sk);
    let tencent_signing_key = sign::tencent::signing_key(tencent_key);
    let tc3_key = sign::tc3::SigningKey::new(tencent_key);
    let cases: [Case; 10] = [
        (
            "Alibaba ACS3-HMAC-SHA256 (`acs3::sign_with`, key prepared once), ActionTrail GetDeliveryHistoryJob",
            acs3_request(),
            Box::new(move |r| {
                black_box(sign::acs3::sign_with(r, alibaba_id, &acs3_key, None, NOW, NONCE));
            }),
        ),
        (
            "Alibaba RPC HMAC-SHA1 (`rpc_v1::sign_with`, key prepared once), ActionTrail GetDeliveryHistoryJob",
            rpc_request(),
            Box::new(move |r| {
                black_box(sign::rpc_v1::sign_with(r, alibaba_id, &rpc_key, None, NOW, NONCE));
            }),
        ),
        (
            "Huawei SDK-HMAC-SHA256 (`huawei::sign_with`, key prepared once), DIS ShowTransferTaskLog",
            huawei_request(),
            Box::new(move |r| {
                black_box(sign::huawei::sign_with(r, huawei_ak, &huawei_key, None, NOW));
            }),
        ),
        (
            "Tencent q-sign-algorithm=sha1 (`tencent::sign_with`, key prepared once), CLS ListShippingTasks",
            tencent_request(),
            Box::new(move |r| {
                black_box(sign::tencent::sign_with(r, tencent_id, &tencent_signing_key, None, start, start + 360));
            }),
        ),
        (
            "Tencent TC3-HMAC-SHA256 (`tc3::sign_with`, key prepared once), CLS API 3.0 DescribeShipperTasks",
            tc3_request(),
            Box::new(move |r| {
                black_box(sign::tc3::sign_with(r, tencent_id, &tc3_key, None, "cls", NOW));
            }),
        ),
        (
            "Alibaba ACS3-HMAC-SHA256 (`acs3::sign`, key prepared per request), ActionTrail GetDeliveryHistoryJob",
            acs3_request(),
            Box::new(move |r| {
                black_box(sign::acs3::sign(r, alibaba_id, alibaba_secret, None, NOW, NONCE));
            }),
        ),
        (
            "Alibaba RPC HMAC-SHA1 (`rpc_v1::sign`, key prepared per request), ActionTrail GetDeliveryHistoryJob",
            rpc_request(),
            Box::new(move |r| {
                black_box(sign::rpc_v1::sign(r, alibaba_id, alibaba_secret, None, NOW, NONCE));
            }),
        ),
        (
            "Huawei SDK-HMAC-SHA256 (`huawei::sign`, key prepared per request), DIS ShowTransferTaskLog",
            huawei_request(),
            Box::new(move |r| {
                black_box(sign::huawei::sign(r, huawei_ak, huawei_sk, None, NOW));
            }),
        ),
        (
            "Tencent q-sign-algorithm=sha1 (`tencent::sign`, key prepared per request), CLS ListShippingTasks",
            tencent_request(),
            Box::new(move |r| {
                black_box(sign::tencent::sign(r, tencent_id, tencent_key, None, start, start + 360));
            }),
        ),
        (
            "Tencent TC3-HMAC-SHA256 (`tc3::sign`, key derived per request), CLS API 3.0 DescribeShipperTasks",
            tc3_request(),
            Box::new(move |r| {
                black_box(sign::tc3::sign(r, tencent_id, tencent_key, None, "cls", NOW));
            }),
        ),
    ];
    let cases: Vec<Case> =
        cases.into_iter().filter(|(name, ..)| only.as_ref().is_none_or(|only| name.contains(only.as_str()))).collect();
    let mut calls: Vec<Box<dyn FnMut() + '_>> = cases
        .iter()
        .map(|(_, base, signer)| {
            Box::new(move || {
                let mut req = base.clone();
                signer(&mut req);
                drop(black_box(req));
            }) as Box<dyn FnMut()>
        })
        .collect();
    if only.is_none() {
        calls.push(Box::new(|| drop(black_box(clone_base.clone()))));
    }
    let seconds = per_call(&mut calls);
    let clone_only = if only.is_none() { seconds[cases.len()] } else { f64::NAN };
    println!("signing, per request (clone of the unsigned request included; a clone alone: {})", time(clone_only));
    for ((name, ..), seconds) in cases.iter().zip(seconds) {
        println!("{name}: {}", time(seconds));
        row(&["signing", name, &format!("{} per request", time(seconds)), "", "", "≤ 2 µs", met(seconds <= limit)]);
    }
}

//! The client that progenitor generates in `build.rs`.
#![allow(clippy::all, missing_docs)]

include!(concat!(env!("OUT_DIR"), "/codegen.rs"));

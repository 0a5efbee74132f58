//! HMAC keys prepared once per secret.
//!
//! HMAC (RFC 2104) hashes the key block twice, XORed with the inner and the outer pad, before it
//! hashes the message: two compressions of the hash for every signature. A prepared key keeps
//! the two states with the pads already hashed, so signing a request copies them instead. The
//! client builds its keys once, when it is configured (see [`super::scheme::Keys`]); a caller
//! signing by hand can do the same with each module's `signing_key`.
//!
//! `Debug` never shows a key.

use std::fmt;

use hmac::digest::Key;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// An HMAC-SHA256 key with its pads already hashed.
#[derive(Clone)]
pub struct HmacSha256Key(Hmac<Sha256>);

/// An HMAC-SHA1 key with its pads already hashed.
#[derive(Clone)]
pub struct HmacSha1Key(Hmac<Sha1>);

impl HmacSha256Key {
    /// Prepares `key`.
    #[must_use]
    pub fn new(key: &[u8]) -> Self {
        Self::from_parts(&[key])
    }

    /// Prepares the key made of `parts` joined, without joining them.
    #[must_use]
    pub fn from_parts(parts: &[&[u8]]) -> Self {
        let mut block = Key::<Hmac<Sha256>>::default();
        fill_key_block::<Sha256>(&mut block, parts);
        Self(Hmac::new(&block))
    }

    /// HMAC-SHA256 of `msg` under this key.
    #[must_use]
    pub fn mac(&self, msg: &[u8]) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(msg);
        mac.finalize().into_bytes().into()
    }
}

impl HmacSha1Key {
    /// Prepares `key`.
    #[must_use]
    pub fn new(key: &[u8]) -> Self {
        Self::from_parts(&[key])
    }

    /// Prepares the key made of `parts` joined, without joining them (Alibaba's
    /// `secret + "&"`).
    #[must_use]
    pub fn from_parts(parts: &[&[u8]]) -> Self {
        let mut block = Key::<Hmac<Sha1>>::default();
        fill_key_block::<Sha1>(&mut block, parts);
        Self(Hmac::new(&block))
    }

    /// HMAC-SHA1 of `msg` under this key.
    #[must_use]
    pub fn mac(&self, msg: &[u8]) -> [u8; 20] {
        let mut mac = self.0.clone();
        mac.update(msg);
        mac.finalize().into_bytes().into()
    }
}

impl fmt::Debug for HmacSha256Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacSha256Key(***)")
    }
}

impl fmt::Debug for HmacSha1Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacSha1Key(***)")
    }
}

/// Copies the concatenated `parts` into the zeroed HMAC key block, hashing them first with `hash`
/// when they are longer than the block, as RFC 2104 section 2 defines the HMAC key.
///
/// The HMAC types take a block-sized key through the infallible `KeyInit::new`; preparing the
/// block here avoids the `Result` of `new_from_slice`, whose error case cannot occur for HMAC.
fn fill_key_block<D: Digest>(block: &mut [u8], parts: &[&[u8]]) {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len > block.len() {
        let mut hasher = D::new();
        for part in parts {
            hasher.update(part);
        }
        for (dst, src) in block.iter_mut().zip(hasher.finalize().iter()) {
            *dst = *src;
        }
    } else {
        let mut at = 0;
        for part in parts {
            block[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepared_keys_match_rfc_4231_and_2202() {
        // RFC 4231 test case 2 (HMAC-SHA256) and RFC 2202 test case 2 (HMAC-SHA1), the key given
        // whole and in parts; a prepared key signs any number of messages.
        let msg = b"what do ya want for nothing?";
        let sha256 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let key = HmacSha256Key::new(b"Jefe");
        assert_eq!(hex::encode(key.mac(msg)), sha256);
        assert_eq!(hex::encode(key.mac(msg)), sha256);
        assert_eq!(hex::encode(HmacSha256Key::from_parts(&[b"Je", b"", b"fe"]).mac(msg)), sha256);
        let sha1 = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
        assert_eq!(hex::encode(HmacSha1Key::new(b"Jefe").mac(msg)), sha1);
        assert_eq!(hex::encode(HmacSha1Key::from_parts(&[b"J", b"efe"]).mac(msg)), sha1);
    }

    #[test]
    fn debug_hides_the_key() {
        assert_eq!(format!("{:?}", HmacSha256Key::new(b"secret")), "HmacSha256Key(***)");
        assert_eq!(format!("{:?}", HmacSha1Key::new(b"secret")), "HmacSha1Key(***)");
    }
}

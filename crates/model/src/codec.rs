//! The one place that turns stage artifacts into bytes and back (bincode 2, standard
//! configuration), behind a magic and a version header so that a stale or foreign file
//! is refused with a clear error instead of being misread.

use serde::{de::DeserializeOwned, Serialize};

/// The first bytes of every stage artifact.
pub const MAGIC: &[u8; 4] = b"SGv1";
/// Bumped whenever a model type changes shape.
pub const CODEC_VERSION: u32 = 3;

const HEADER_LEN: usize = MAGIC.len() + 4;

/// Why an artifact could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("not a stancegraph artifact (bad magic)")]
    BadMagic,
    #[error("artifact version {found} is not the supported version {expected}")]
    Version { found: u32, expected: u32 },
    #[error("artifact is truncated")]
    Truncated,
    #[error("cannot encode: {0}")]
    Encode(String),
    #[error("cannot decode: {0}")]
    Decode(String),
}

/// Encodes a value with the magic and version header.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    let body = bincode::serde::encode_to_vec(value, bincode::config::standard())
        .map_err(|e| CodecError::Encode(e.to_string()))?;
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&CODEC_VERSION.to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decodes a value written by [`encode`], checking magic, version and that every byte
/// was used.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    if bytes.len() < HEADER_LEN {
        return Err(CodecError::Truncated);
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(CodecError::BadMagic);
    }
    let mut version = [0u8; 4];
    version.copy_from_slice(&bytes[MAGIC.len()..HEADER_LEN]);
    let found = u32::from_le_bytes(version);
    if found != CODEC_VERSION {
        return Err(CodecError::Version {
            found,
            expected: CODEC_VERSION,
        });
    }
    let (value, used) =
        bincode::serde::decode_from_slice(&bytes[HEADER_LEN..], bincode::config::standard())
            .map_err(|e| CodecError::Decode(e.to_string()))?;
    if used != bytes.len() - HEADER_LEN {
        return Err(CodecError::Decode(format!(
            "{} trailing bytes",
            bytes.len() - HEADER_LEN - used
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_checked() {
        let bytes = encode(&vec![1u32, 2, 3]).unwrap();
        assert_eq!(&bytes[..4], MAGIC);
        assert_eq!(decode::<Vec<u32>>(&bytes).unwrap(), vec![1, 2, 3]);
        assert!(matches!(
            decode::<Vec<u32>>(&bytes[..3]),
            Err(CodecError::Truncated)
        ));
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert!(matches!(
            decode::<Vec<u32>>(&bad),
            Err(CodecError::BadMagic)
        ));
        let mut old = bytes.clone();
        old[4] = 99;
        assert!(matches!(
            decode::<Vec<u32>>(&old),
            Err(CodecError::Version { .. })
        ));
        let mut long = bytes;
        long.push(0);
        assert!(matches!(
            decode::<Vec<u32>>(&long),
            Err(CodecError::Decode(_))
        ));
    }
}

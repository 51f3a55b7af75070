//! Joins 16-bit PCM WAV clips into one WAV: the offline announcement as a file.

/// Mono 16-bit PCM samples with their rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Pcm {
    pub rate: u32,
    pub samples: Vec<i16>,
}

/// Why a clip could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WavError {
    /// The bytes are not a RIFF/WAVE file.
    #[error("not a RIFF WAVE file")]
    NotWave,
    /// The file is not mono 16-bit PCM, the only format the clips use.
    #[error(
        "expected mono 16-bit PCM, found {channels} channel(s) of {bits} bits (format {format})"
    )]
    Unsupported {
        format: u16,
        channels: u16,
        bits: u16,
    },
    /// A chunk runs past the end of the file, or `fmt ` or `data` is missing.
    #[error("truncated or incomplete WAV file")]
    Truncated,
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Reads a mono 16-bit PCM WAV file.
pub fn read(bytes: &[u8]) -> Result<Pcm, WavError> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(WavError::NotWave);
    }
    let mut i = 12;
    let mut rate = None;
    while i + 8 <= bytes.len() {
        let id = &bytes[i..i + 4];
        let len = u32_at(bytes, i + 4).ok_or(WavError::Truncated)? as usize;
        let body = bytes.get(i + 8..i + 8 + len).ok_or(WavError::Truncated)?;
        if id == b"fmt " {
            let format = u16_at(body, 0).ok_or(WavError::Truncated)?;
            let channels = u16_at(body, 2).ok_or(WavError::Truncated)?;
            let bits = u16_at(body, 14).ok_or(WavError::Truncated)?;
            // 0xFFFE is WAVE_FORMAT_EXTENSIBLE, which sox writes for plain PCM too.
            if !(format == 1 || format == 0xFFFE) || channels != 1 || bits != 16 {
                return Err(WavError::Unsupported {
                    format,
                    channels,
                    bits,
                });
            }
            rate = Some(u32_at(body, 4).ok_or(WavError::Truncated)?);
        } else if id == b"data" {
            let rate = rate.ok_or(WavError::Truncated)?;
            let samples = body
                .chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]))
                .collect();
            return Ok(Pcm { rate, samples });
        }
        // Chunks are padded to an even length.
        i += 8 + len + (len & 1);
    }
    Err(WavError::Truncated)
}

/// Writes mono 16-bit PCM as a WAV file.
pub fn write(pcm: &Pcm) -> Vec<u8> {
    let data_len = (pcm.samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&pcm.rate.to_le_bytes());
    out.extend_from_slice(&(pcm.rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in &pcm.samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// Silence between words and, longer, between the phrases of an announcement.
pub const WORD_GAP_MS: u32 = 60;
pub const PHRASE_GAP_MS: u32 = 250;

/// Joins the clips of an announcement with short pauses (a longer one around the
/// phrases `intro` and `to-counter`). All clips must share one sample rate.
pub fn join(clips: &[(&str, Pcm)]) -> Result<Pcm, WavError> {
    let rate = clips.first().map(|(_, p)| p.rate).unwrap_or(16_000);
    let mut samples = Vec::new();
    for (i, (id, pcm)) in clips.iter().enumerate() {
        if pcm.rate != rate {
            return Err(WavError::Unsupported {
                format: 1,
                channels: 1,
                bits: 16,
            });
        }
        if i > 0 {
            let phrase = matches!(*id, "to-counter")
                || clips[i - 1].0 == "intro"
                || clips[i - 1].0 == "to-counter";
            let gap = if phrase { PHRASE_GAP_MS } else { WORD_GAP_MS };
            samples.extend(std::iter::repeat_n(0i16, (rate * gap / 1000) as usize));
        }
        samples.extend_from_slice(&pcm.samples);
    }
    Ok(Pcm { rate, samples })
}

impl Pcm {
    pub fn duration_secs(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.rate.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_then_read_round_trips() {
        let pcm = Pcm {
            rate: 16_000,
            samples: vec![0, 1, -1, i16::MAX, i16::MIN],
        };
        assert_eq!(read(&write(&pcm)), Ok(pcm));
    }

    #[test]
    fn rejects_what_is_not_a_wave() {
        assert_eq!(read(b"hello"), Err(WavError::NotWave));
        let mut bytes = write(&Pcm {
            rate: 8000,
            samples: vec![1, 2],
        });
        bytes.truncate(42);
        assert_eq!(read(&bytes), Err(WavError::Truncated));
    }

    #[test]
    fn every_committed_clip_reads() {
        for (id, bytes) in super::super::assets::CLIPS {
            let pcm = read(bytes).unwrap_or_else(|e| panic!("clip {id}: {e}"));
            assert_eq!(pcm.rate, 16_000, "clip {id}");
            assert!(pcm.duration_secs() > 0.05, "clip {id} is empty");
        }
    }
}

//! Writes the spoken call for a ticket and counter as one WAV file, from the same clips
//! the hall display joins in the browser, and prints its duration.
//!
//!     cargo run -p backend --bin announce -- 1023 5 target/announce-1023-5.wav

use anyhow::{bail, Context};
use backend::web::{assets, speech, wav};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [ticket, counter, out] = args.as_slice() else {
        bail!("usage: announce TICKET COUNTER OUT.wav");
    };
    let ticket: u32 = ticket.parse().context("TICKET must be a number 0..9999")?;
    let counter: u32 = counter
        .parse()
        .context("COUNTER must be a number 0..9999")?;
    let ids = speech::announcement(ticket, counter);
    let clips = ids
        .iter()
        .map(|id| {
            let bytes = assets::clip(id).with_context(|| format!("no clip {id}"))?;
            let pcm = wav::read(bytes).with_context(|| format!("clip {id}"))?;
            anyhow::Ok((*id, pcm))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let joined = wav::join(&clips)?;
    std::fs::write(out, wav::write(&joined)).with_context(|| format!("writing {out}"))?;
    println!(
        "{out}: {:.2} s, {} Hz mono, clips: {}",
        joined.duration_secs(),
        joined.rate,
        ids.join(" ")
    );
    Ok(())
}

//! A latency model of the link to a card: how long each APDU would take on a contact reader or
//! over NFC, accumulated by a [`Modeled`] transport wrapper without sleeping, so that a flow's
//! wall time can be estimated (and budgeted) from the APDUs it sends.
//!
//! For one APDU the model adds
//!
//! ```text
//! turnaround                                  host stack + reader + card, per APDU
//! + wire(command bytes) + wire(response bytes)
//! + signature_time                            if the command is INS 2A (COMPUTE DIGITAL SIGNATURE)
//!
//! wire(n) = (n + frames × frame_overhead) × bits_per_byte / bit_rate
//!           + (frames − 1) × chaining_gap,    frames = max(1, ceil(n / max_frame_data))
//! ```
//!
//! Every parameter is public so an app can put in what it measured on its own readers. The
//! presets are assumptions, each documented where it is set: no public source gives a real
//! My Number Card's protocol parameters (its ATR's TA1, its frame waiting time, its signing
//! time), only ranges: bit rates of 106/212/424 kbit/s and frames of at most 256 bytes
//! (ISO/IEC 14443-4 Type B), and frame waiting times of ≈309 ms to ≈2.47 s read off the
//! contactless ATRs in OpenSC's and pcsc-tools' ATR lists.
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::latency::{LinkModel, Modeled};
//! use mynumbercard::{Card, PinKind, VirtualCard};
//!
//! let mut card = Card::new(Modeled::new(VirtualCard::default(), LinkModel::nfc_424()));
//! card.jpki().pin_status(PinKind::Auth)?;
//! // SELECT of the application, empty VERIFY naming the PIN by its short file identifier:
//! // two turnarounds and a few bytes on the air.
//! assert_eq!(card.stats().commands, 2);
//! let modeled = card.transport().elapsed();
//! assert!(modeled >= 2 * LinkModel::nfc_424().turnaround);
//! # }
//! # Ok::<(), mynumbercard::Error>(())
//! ```

use std::time::Duration;

use crate::transport::{Capabilities, Transport, TransportError};

/// INS of COMPUTE DIGITAL SIGNATURE (PERFORM SECURITY OPERATION), the one command the model
/// charges card-side computing time for.
const INS_PSO: u8 = 0x2A;

/// The parameters of a link to a card; see the [module docs](self) for the formula.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LinkModel {
    /// Per APDU: host stack (pcscd, USB or the phone's NFC service), reader and the card's
    /// processing of a command that does no cryptography.
    pub turnaround: Duration,
    /// Bits per second on the contacts or the air.
    pub bit_rate: u32,
    /// Bit periods (etu) one byte takes, framing included: 11 on contacts (T=1: start bit,
    /// 8 data bits, parity, one guard etu), 10 for ISO 14443 Type B (start, 8 data, stop).
    pub bits_per_byte: u32,
    /// Bytes each frame adds around its information field (as byte-times, so start and end
    /// of frame count too).
    pub frame_overhead: u32,
    /// The most APDU bytes one frame carries; longer APDUs are chained over several frames.
    pub max_frame_data: u32,
    /// Extra time per chained frame after the first: the receiver's acknowledgement (an
    /// R-block) and its turnaround.
    pub chaining_gap: Duration,
    /// The card's time to compute an RSA-2048 signature (COMPUTE DIGITAL SIGNATURE), on top
    /// of the turnaround.
    pub signature_time: Duration,
}

impl LinkModel {
    /// A USB contact (ISO 7816-3, T=1) reader through PC/SC.
    ///
    /// - `bit_rate` 150 kbit/s: a 4.8 MHz reader clock with Fi = 512, Di = 16 (TA1 = `95`)
    ///   after PPS. Assumption: no public source gives the card's TA1; a reader that does no
    ///   PPS stays at 4.8 MHz / 372 ≈ 12.9 kbit/s, about twelve times slower on the wire.
    /// - `bits_per_byte` 11: T=1 character frame with the minimum guard time (CGT = 11 etu).
    /// - `frame_overhead` 4 (NAD, PCB, LEN, LRC) and `max_frame_data` 254: the IFSD most CCID
    ///   readers negotiate with S(IFS).
    /// - `turnaround` 3 ms: pcscd and CCID bulk transfers over USB full speed (1 ms frames)
    ///   plus the card's processing. Assumption.
    /// - `chaining_gap` 0.5 ms: an R-block (4 bytes) and the block guard time.
    /// - `signature_time` 500 ms: RSA-2048 with CRT on a smart-card chip; assumption inside
    ///   the frame waiting times of the card's contactless ATRs (≈309 ms to ≈2.47 s, from
    ///   OpenSC's and pcsc-tools' ATR lists).
    pub const fn contact() -> Self {
        Self {
            turnaround: Duration::from_millis(3),
            bit_rate: 150_000,
            bits_per_byte: 11,
            frame_overhead: 4,
            max_frame_data: 254,
            chaining_gap: Duration::from_micros(500),
            signature_time: Duration::from_millis(500),
        }
    }

    /// NFC, ISO 14443-4 Type B at 424 kbit/s (the card offers 106/212/424 kbit/s), as a phone
    /// (Android `IsoDep`, iOS CoreNFC) or a PC/SC contactless reader reaches the card.
    ///
    /// - `bits_per_byte` 10: Type B characters (start, 8 data bits, stop), no extra guard time.
    /// - `frame_overhead` 5: PCB and CRC_B (3 bytes) plus SOF and EOF (≈ 24 etu).
    /// - `max_frame_data` 253: the card's 256-byte maximum frame (FSCI 8) less PCB and CRC_B, so a
    ///   256-byte READ BINARY answer (258 bytes with the status word) takes two frames.
    /// - `turnaround` 8 ms: the phone's NFC service or the reader's firmware and the card's
    ///   processing under field power; assumption within the 5–10 ms per APDU usually seen on
    ///   phones.
    /// - `chaining_gap` 1 ms: an R(ACK) block and two frame delay times.
    /// - `signature_time` 500 ms: as for [`LinkModel::contact`].
    pub const fn nfc_424() -> Self {
        Self {
            turnaround: Duration::from_millis(8),
            bit_rate: 424_000,
            bits_per_byte: 10,
            frame_overhead: 5,
            max_frame_data: 253,
            chaining_gap: Duration::from_millis(1),
            signature_time: Duration::from_millis(500),
        }
    }

    /// The modeled time of one APDU: `command` sent, `response` (data + SW1 SW2) received.
    pub fn apdu_time(&self, command: &[u8], response: &[u8]) -> Duration {
        let mut time =
            self.turnaround + self.wire_time(command.len()) + self.wire_time(response.len());
        if command.get(1) == Some(&INS_PSO) {
            time += self.signature_time;
        }
        time
    }

    /// The time `len` bytes take on the link, in frames of at most `max_frame_data` bytes.
    pub fn wire_time(&self, len: usize) -> Duration {
        let len = len as u64;
        let frames = len.div_ceil(u64::from(self.max_frame_data.max(1))).max(1);
        let bits = (len + frames * u64::from(self.frame_overhead)) * u64::from(self.bits_per_byte);
        let nanos = bits.saturating_mul(1_000_000_000) / u64::from(self.bit_rate.max(1));
        let gaps = u32::try_from(frames - 1).unwrap_or(u32::MAX);
        Duration::from_nanos(nanos) + self.chaining_gap.saturating_mul(gaps)
    }
}

/// A transport that adds each APDU's [`LinkModel::apdu_time`] to a counter. It never sleeps:
/// the APDUs go to the inner transport as fast as it answers.
#[derive(Debug)]
pub struct Modeled<T> {
    inner: T,
    model: LinkModel,
    elapsed: Duration,
}

impl<T> Modeled<T> {
    /// Wraps `inner`, modeling its link with `model`. The counter starts at zero.
    pub fn new(inner: T, model: LinkModel) -> Self {
        Self {
            inner,
            model,
            elapsed: Duration::ZERO,
        }
    }

    /// The modeled time of every APDU answered so far.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Sets the counter back to zero.
    pub fn reset(&mut self) {
        self.elapsed = Duration::ZERO;
    }

    /// The link model.
    pub fn model(&self) -> &LinkModel {
        &self.model
    }

    /// The inner transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The inner transport, mutably.
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Gives the inner transport back.
    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T: Transport> Transport for Modeled<T> {
    /// Sends through the inner transport and adds the APDU's modeled time (an APDU that got
    /// no answer adds nothing).
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let response = self.inner.transmit(command)?;
        self.elapsed += self.model.apdu_time(command, &response);
        Ok(response)
    }

    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    fn begin_transaction(&mut self) -> Result<(), TransportError> {
        self.inner.begin_transaction()
    }

    fn end_transaction(&mut self) -> Result<(), TransportError> {
        self.inner.end_transaction()
    }

    fn unpower_on_close(&mut self) {
        self.inner.unpower_on_close()
    }

    fn close(&mut self) -> Result<(), TransportError> {
        self.inner.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_only_apdu_costs_the_turnaround_and_its_bytes() {
        let model = LinkModel::nfc_424();
        // 4 + 2 bytes, one frame each way: (4 + 5 + 2 + 5) × 10 bits at 424 kbit/s.
        let wire = Duration::from_nanos(16 * 10 * 1_000_000_000 / 424_000);
        assert_eq!(
            model.apdu_time(&[0x00, 0x20, 0x00, 0x80], &[0x63, 0xC3]),
            model.turnaround + wire
        );
    }

    #[test]
    fn a_full_read_binary_answer_takes_two_frames_on_either_link() {
        let nfc = LinkModel::nfc_424();
        let one = nfc.wire_time(253);
        let two = nfc.wire_time(258);
        assert!(two >= one + nfc.chaining_gap, "258 bytes take two frames");
        let contact = LinkModel::contact();
        // Two T=1 blocks (254 + 4 bytes), each with 4 bytes of framing, 11 etu per byte.
        let bits = (258 + 2 * 4) * 11;
        assert_eq!(
            contact.wire_time(258),
            Duration::from_nanos(bits * 1_000_000_000 / 150_000) + contact.chaining_gap
        );
    }

    #[test]
    fn signing_adds_the_cards_signature_time() {
        let model = LinkModel::contact();
        let sign = [0x80, 0x2A, 0x00, 0x80, 0x01, 0x00, 0x00];
        let select = [0x00, 0xA4, 0x00, 0x80, 0x01, 0x00, 0x00];
        assert_eq!(
            model.apdu_time(&sign, &[0x90, 0x00]),
            model.apdu_time(&select, &[0x90, 0x00]) + model.signature_time
        );
    }

    #[test]
    fn the_wrapper_accumulates_without_changing_the_bytes() {
        let inner = crate::transport::from_fn(|_: &[u8]| Ok(vec![0x90, 0x00]));
        let mut modeled = Modeled::new(inner, LinkModel::contact());
        assert_eq!(
            modeled.transmit(&[0x00, 0xA4, 0x04, 0x0C]).unwrap(),
            [0x90, 0x00]
        );
        assert_eq!(
            modeled.transmit(&[0x00, 0xA4, 0x04, 0x0C]).unwrap(),
            [0x90, 0x00]
        );
        let one = LinkModel::contact().apdu_time(&[0; 4], &[0; 2]);
        assert_eq!(modeled.elapsed(), 2 * one);
        modeled.reset();
        assert_eq!(modeled.elapsed(), Duration::ZERO);
    }
}

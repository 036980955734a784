//! The crate's one loop for reading a file whose length its own header gives (a certificate's
//! DER header, a card-info or card-face record's BER-TLV header): the first READ BINARY asks
//! for 256 bytes and carries the header, then at most 256 bytes per READ BINARY, never past
//! the length the header gives nor past the cap.

use zeroize::Zeroizing;

use crate::apdu::{Command, StatusWord, MAX_NE};
use crate::card::{refuses_form, status_error, Application, Card, Support};
use crate::commands;
use crate::der_header;
use crate::error::{Error, Result};
use crate::tlv::{self, TlvError};
use crate::transport::Transport;

/// Bytes per READ BINARY: 256, the most a short Le asks for (ISO/IEC 7816-4), which every
/// card takes. Some apps send extended-length READ BINARY (Miena, c-3lab's mynumbercard-idp,
/// jsapdu) and report no failure, but not every card generation's ATR declares extended
/// lengths, so the library reads 256 bytes at a time.
pub(crate) const CHUNK: usize = 256;

/// The largest file any reader here accepts: READ BINARY offsets are 15 bits.
pub(crate) const MAX_FILE_LEN: usize = commands::MAX_READ_OFFSET + 1;

/// Bytes asked for when the card refused the first 256-byte read of a short file: enough for
/// any header this crate reads (a 3-byte tag and `83 xx xx xx`; `30 83 xx xx xx`).
const HEADER_PROBE: usize = 7;

/// What a file's first bytes say of its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Length {
    /// The file's content is this many bytes from offset 0 (header included).
    Known(usize),
    /// Too few bytes to tell.
    Truncated,
    /// Not the expected header, or a length over the cap.
    Invalid(&'static str),
}

/// The length of a DER SEQUENCE (a certificate) of at most `max` bytes.
pub(crate) fn der_length(prefix: &[u8], max: usize) -> Length {
    match der_header::sequence_len(prefix, max) {
        Ok(len) => Length::Known(len),
        Err(der_header::DerHeaderError::Truncated) => Length::Truncated,
        Err(_) => Length::Invalid("file has no valid DER header"),
    }
}

/// The length of a BER-TLV object (a card-info or card-face record) of at most `max` bytes.
pub(crate) fn tlv_length(prefix: &[u8], max: usize) -> Length {
    match tlv::total_len(prefix, max) {
        Ok(len) => Length::Known(len),
        Err(TlvError::Truncated) => Length::Truncated,
        Err(_) => Length::Invalid("file has no valid TLV header"),
    }
}

/// Whether a file holds personal data, which traces mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Content {
    /// Certificates of the CAs and the user-authentication certificate, token information.
    Public,
    /// The signature certificate (name, address, birth date), the card-info and card-face
    /// files: their READ BINARY (and GET RESPONSE) data shows in traces as a length only.
    Personal,
}

/// A file read by [`Card::read_sized`], zeroized on drop (it may be the my number).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SizedFile {
    /// Exactly the length the header gives.
    pub content: Zeroizing<Vec<u8>>,
    /// The bytes past that length which the first READ BINARY returned (filler up to the end
    /// of the file, for a card that answers a 256-byte read of a short file with the bytes up
    /// to its end); empty when the card refused that read.
    pub tail: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for SizedFile {
    /// Lengths only: the bytes may be personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SizedFile")
            .field("content_len", &self.content.len())
            .field("tail_len", &self.tail.len())
            .finish()
    }
}

impl<T: Transport> Card<T> {
    /// Reads EF `fid` of `application`: SELECT AP and SELECT EF (unless selected), READ BINARY
    /// of 256 bytes at offset 0, then READ BINARY of `min(256, left)` bytes until `length`
    /// (given the bytes read so far, capped at `max` ≤ 32 KiB) is reached: ceil(L / 256)
    /// READ BINARY for L bytes. Where the transport carries extended length, first one READ
    /// BINARY of the whole file ([`Card::read_whole`]).
    ///
    /// A file shorter than 256 bytes: the card may answer the 256-byte read with the bytes up
    /// to the end and `9000` (so says the JICSAP IC card specification as myna-card cites it;
    /// no other source shows it). If it answers `6B00`, `6700` or `6282` instead, or returns
    /// too few bytes for the header, the header is read with a small Le, then exactly the
    /// length it gives. The bytes are returned whole or not at all; `content` says whether
    /// they are masked in traces (personal data). Every buffer that holds them is zeroized.
    /// Call inside one operation.
    pub(crate) fn read_sized(
        &mut self,
        application: Application,
        fid: u16,
        content: Content,
        length: fn(&[u8], usize) -> Length,
        max: usize,
    ) -> Result<SizedFile> {
        let max = max.min(MAX_FILE_LEN);
        let mark = |command: Command| match content {
            Content::Personal => command.sensitive_response(),
            Content::Public => command,
        };
        let (head, total) = match self.read_whole(application, fid, mark, length, max)? {
            Whole::File(file) => return Ok(file),
            Whole::Part { head, total } => {
                // The rest in 256-byte reads of the selected EF, from where the card stopped.
                self.select_file(application, fid)?;
                (head, total)
            }
            Whole::NotTried => {
                self.select_file(application, fid)?;
                self.read_head(fid, mark, length, max)?
            }
        };
        self.read_rest(head, total, mark)
    }

    /// The whole file in one extended-length READ BINARY, where the transport carries it and
    /// the card was not found to refuse it: Le asks for the cap (bounded by the transport),
    /// the card answers with what the file holds. The EF is addressed by its short file
    /// identifier unless the card refused that form (then it is selected). A refusal falls
    /// back to 256-byte reads; so does a short answer, continuing from where it stopped. Both
    /// are remembered for the session.
    fn read_whole(
        &mut self,
        application: Application,
        fid: u16,
        mark: impl Fn(Command) -> Command,
        length: fn(&[u8], usize) -> Length,
        max: usize,
    ) -> Result<Whole> {
        let caps = self.capabilities();
        let ne = max.min(caps.max_response_len.saturating_sub(2)).min(MAX_NE);
        if !caps.extended_length
            || ne <= CHUNK
            || self.addressing().extended_reads == Support::Refused
        {
            return Ok(Whole::NotTried);
        }
        let sfi = commands::short_file_id(fid)
            .filter(|_| self.addressing().read_short_file_ids != Support::Refused);
        let command = match sfi {
            Some(sfi) => {
                self.select_application(application)?;
                mark(commands::read_binary_sfi(sfi, 0, ne))
            }
            None => {
                self.select_file(application, fid)?;
                mark(commands::read_binary(0, ne)?)
            }
        };
        let response = self.transmit(&command)?;
        if sfi.is_some() {
            self.forget_file();
        }
        let status = response.status();
        let data = match status {
            StatusWord::SUCCESS => response.into_data_zeroizing(),
            END_OF_FILE if !response.data().is_empty() => response.into_data_zeroizing(),
            status if refuses_form(status) || status == END_OF_FILE => {
                log::debug!("EF {fid:04X}: the card refused an extended read ({status})");
                // Whatever it answered before: no extended read again in this session.
                self.addressing_mut().refuse_unknown();
                self.addressing_mut().extended_reads = Support::Refused;
                return Ok(Whole::NotTried);
            }
            status => return Err(status_error(status, &command)),
        };
        if sfi.is_some() {
            self.addressing_mut().read_short_file_ids = Support::Works;
        }
        let total = match length(&data, max) {
            Length::Known(total) => total,
            Length::Truncated => {
                // Fewer bytes than a header: read the file the plain way.
                self.addressing_mut().extended_reads = Support::Refused;
                return Ok(Whole::NotTried);
            }
            Length::Invalid(what) => return Err(Error::MalformedResponse(what)),
        };
        if data.len() < total {
            log::debug!("EF {fid:04X}: extended read answered short; reading on in 256-byte reads");
            self.addressing_mut().extended_reads = Support::Refused;
            let mut head = Zeroizing::new(Vec::with_capacity(total));
            head.extend_from_slice(&data);
            return Ok(Whole::Part { head, total });
        }
        self.addressing_mut().extended_reads = Support::Works;
        let content = Zeroizing::new(data.get(..total).unwrap_or_default().to_vec());
        let tail = Zeroizing::new(data.get(total..).unwrap_or_default().to_vec());
        Ok(Whole::File(SizedFile { content, tail }))
    }

    /// The first READ BINARY of the selected EF (256 bytes, or a small header read on a
    /// strict card), and the length its header gives.
    fn read_head(
        &mut self,
        fid: u16,
        mark: impl Fn(Command) -> Command,
        length: fn(&[u8], usize) -> Length,
        max: usize,
    ) -> Result<(Zeroizing<Vec<u8>>, usize)> {
        let first = mark(commands::read_binary(0, CHUNK)?);
        let response = self.transmit(&first)?;
        let refused = matches!(
            response.status(),
            StatusWord::WRONG_P1_P2 | StatusWord::WRONG_LENGTH | END_OF_FILE
        );
        let mut head = match response.status() {
            StatusWord::SUCCESS => response.into_data_zeroizing(),
            _ if refused => Zeroizing::new(Vec::new()),
            status => return Err(status_error(status, &first)),
        };
        let mut total = length(&head, max);
        if refused || total == Length::Truncated {
            // Short file, strict card: the header first, with a small Le.
            log::debug!("EF {fid:04X}: 256-byte read refused or short; reading the header");
            head = self
                .transmit_ok(&mark(commands::read_binary(0, HEADER_PROBE)?))?
                .into_data_zeroizing();
            head.truncate(HEADER_PROBE);
            total = length(&head, max);
        }
        match total {
            Length::Known(total) => Ok((head, total)),
            Length::Truncated => Err(Error::MalformedResponse("file header truncated")),
            Length::Invalid(what) => Err(Error::MalformedResponse(what)),
        }
    }

    /// The rest of a file of `total` bytes whose first bytes are `head`: READ BINARY of
    /// `min(256, left)` bytes of the selected EF until `total`.
    fn read_rest(
        &mut self,
        head: Zeroizing<Vec<u8>>,
        total: usize,
        mark: impl Fn(Command) -> Command,
    ) -> Result<SizedFile> {
        let split = total.min(head.len());
        let tail = Zeroizing::new(head.get(split..).unwrap_or_default().to_vec());
        // Room for the whole file at once: the chunks below never make it grow (a growing
        // buffer would free its old bytes unzeroized).
        let mut content = Zeroizing::new(Vec::with_capacity(total));
        content.extend_from_slice(head.get(..split).unwrap_or_default());
        drop(head);
        // Each READ BINARY returns at least one byte, so this bounds the loop; a card that
        // returns short chunks is allowed up to twice the expected number of reads.
        let max_reads = 2 * total.div_ceil(CHUNK);
        let mut reads = 0;
        while content.len() < total {
            reads += 1;
            if reads > max_reads {
                return Err(Error::MalformedResponse("file read did not progress"));
            }
            let want = (total - content.len()).min(CHUNK);
            let chunk = self.transmit_ok(&mark(commands::read_binary(content.len(), want)?))?;
            match chunk.data() {
                [] => return Err(Error::MalformedResponse("empty READ BINARY response")),
                data => content.extend_from_slice(data.get(..want).unwrap_or(data)),
            }
        }
        Ok(SizedFile { content, tail })
    }
}

/// The longest record READ RECORD asks for: a short Le (`00`, 256 bytes).
const MAX_RECORD_LEN: usize = 256;

/// That the card refused READ RECORD by short file identifier in this session, so the
/// session selects the EF instead.
#[derive(Default)]
struct RecordsBySelect(bool);

impl<T: Transport> Card<T> {
    /// Reads record `record` of the record-structured EF `fid` of `application` (a record of
    /// at most 256 bytes): SELECT AP (unless selected), then READ RECORD naming the EF by its
    /// short file identifier, `00 B2 <record> <SFI << 3 | 04> 00`, as jpki/myna reads the common
    /// application's EF 0001: 2 APDUs from a fresh session. If the card refuses that form
    /// (`6A86`, `6A82`, `6981`, …), SELECT EF and READ RECORD of the current EF,
    /// `00 B2 <record> 04 00`, as myna-card reads it; the session then selects for every
    /// later record, and counts every form not tried yet as refused (one probe per session,
    /// as for READ BINARY and VERIFY). A card found to refuse short file identifiers in READ
    /// BINARY is not asked this form either. `content` says whether traces mask the record.
    /// Call inside one operation.
    pub(crate) fn read_record(
        &mut self,
        application: Application,
        fid: u16,
        record: u8,
        content: Content,
    ) -> Result<Zeroizing<Vec<u8>>> {
        let mark = |command: Command| match content {
            Content::Personal => command.sensitive_response(),
            Content::Public => command,
        };
        self.select_application(application)?;
        // A card found to refuse short file identifiers (in any command) is not asked again.
        let by_select = self.note::<RecordsBySelect>().is_some_and(|note| note.0)
            || self.addressing().read_short_file_ids == Support::Refused;
        let before = self.addressing();
        if let Some(sfi) = commands::short_file_id(fid).filter(|_| !by_select) {
            let command = mark(commands::read_record_sfi(sfi, record, MAX_RECORD_LEN));
            let response = self.transmit(&command)?;
            self.forget_file();
            match response.status() {
                StatusWord::SUCCESS => return Ok(response.into_data_zeroizing()),
                status if refuses_form(status) => {
                    log::debug!(
                        "EF {fid:04X}: READ RECORD by short file identifier refused ({status})"
                    );
                    self.update_note(|note: &mut RecordsBySelect| note.0 = true);
                    self.addressing_mut().refuse_unknown();
                }
                status => return Err(status_error(status, &command)),
            }
        }
        if let Err(error) = self.select_file(application, fid) {
            if matches!(error, Error::FileNotFound { .. }) {
                // The file is missing, not the form refused.
                *self.addressing_mut() = before;
                self.update_note(|note: &mut RecordsBySelect| note.0 = by_select);
            }
            return Err(error);
        }
        let command = mark(commands::read_record(record, MAX_RECORD_LEN));
        Ok(self.transmit_ok(&command)?.into_data_zeroizing())
    }
}

/// What an extended-length read gave.
enum Whole {
    /// The whole file.
    File(SizedFile),
    /// Its first bytes (fewer than the header's length), room for all of it reserved.
    Part {
        head: Zeroizing<Vec<u8>>,
        total: usize,
    },
    /// No extended read was sent, or the card refused it.
    NotTried,
}

/// `6282`: end of file reached before Le bytes (ISO 7816-4 warning).
const END_OF_FILE: StatusWord = StatusWord::from_u16(0x6282);

/// The PNG signature (ISO/IEC 15948).
pub(crate) const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// The JPEG 2000 signature box that opens a JP2 file (ISO/IEC 15444-1 I.5.1).
pub(crate) const JP2_SIGNATURE: [u8; 12] = [
    0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
];

/// `image` if it starts with `signature`, else a malformed-response error naming `what`.
pub(crate) fn expect_signature(
    image: &[u8],
    signature: &[u8],
    what: &'static str,
) -> Result<Vec<u8>> {
    if image.starts_with(signature) {
        Ok(image.to_vec())
    } else {
        Err(Error::MalformedResponse(what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_from_headers() {
        assert_eq!(
            der_length(&[0x30, 0x82, 0x01, 0x00], 1000),
            Length::Known(0x104)
        );
        assert_eq!(der_length(&[0x30, 0x82], 1000), Length::Truncated);
        assert!(matches!(
            der_length(&[0x31, 0x00], 1000),
            Length::Invalid(_)
        ));
        assert_eq!(tlv_length(&[0xFF, 0x10, 0x0C], 100), Length::Known(15));
        assert_eq!(tlv_length(&[0xFF, 0x10], 100), Length::Truncated);
        assert!(matches!(
            tlv_length(&[0xFF, 0x20, 0x82, 0x80, 0x00], MAX_FILE_LEN),
            Length::Invalid(_)
        ));
    }
}

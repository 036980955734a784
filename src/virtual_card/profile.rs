//! The kinds of card and reader the virtual card models: which optional forms of command the
//! card takes ([`Profile`]), and what the reader between it and the library carries
//! ([`Reader`]). "The reader carries extended APDUs" and "the card accepts them" are different
//! facts, so the two are chosen apart.
//!
//! The forms, their sources and the choices made are in [`Profile`]'s docs.

use crate::transport::{Capabilities, Interface};

/// Which optional forms of command the card takes. Every profile takes SELECT, short READ
/// BINARY, VERIFY and COMPUTE DIGITAL SIGNATURE after a SELECT, and the signature schemes of
/// P1 `00`–`03`.
///
/// The forms, and who uses them on real cards:
///
/// - **Extended-length READ BINARY** (ISO/IEC 7816-4 extended Le, `00 HH LL`): three
///   independent codebases send it to real cards and report no failure: Miena (Android, the
///   whole certificate in one READ BINARY), c-3lab's mynumbercard-idp (Android, an extended Le
///   whenever more than 256 bytes are wanted) and AokiApp's jsapdu (PC/SC and Android, the whole
///   card-face file in one read). Card generations differ: one contact ATR in OpenSC's and
///   pcsc-tools' ATR lists declares extended Lc/Le in its card-capabilities byte, another
///   declares none, hence a profile that refuses them.
/// - **Short file identifiers** (ISO/IEC 7816-4 SFI, an EF addressed without its SELECT):
///   READ BINARY with P1 = `80|SFI` and VERIFY with P2 = `80|SFI` (jsapdu and myna-card),
///   COMPUTE DIGITAL SIGNATURE with P2 = `80|SFI` (myna-card alone, its default path). Every
///   other public implementation (OpenSC, jpki/myna, …) SELECTs the EF, hence a profile that
///   refuses them.
///
/// How a refusing card answers is a choice, since no source shows a refusal: an extended Le
/// gets `6700` (wrong length), a short file identifier `6A86` (incorrect P1-P2), the status
/// words ISO/IEC 7816-4 gives for a length or a parameter the card does not take.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Profile {
    /// Takes extended-length commands and short file identifiers in READ BINARY (P1 =
    /// `80|SFI`, any offset in P2), VERIFY (P2 = `80|SFI`) and COMPUTE DIGITAL SIGNATURE (P2 =
    /// `80|SFI`): what real cards do as far as public sources show (extended length: Miena,
    /// c-3lab mynumbercard-idp, jsapdu; short file identifiers: jsapdu, myna-card). The
    /// default.
    #[default]
    ExtendedAndShortFileIds,
    /// Answers `6700` to any command in the extended-length form; takes short file
    /// identifiers. A card generation whose ATR declares no extended Lc/Le.
    RefusesExtendedLength,
    /// Answers `6A86` to a short file identifier (READ BINARY with bit 8 of P1 set, VERIFY or
    /// COMPUTE DIGITAL SIGNATURE with P2 = `80|SFI`); takes extended length.
    RefusesShortFileIds,
    /// Refuses both: the card that SELECT and 256-byte reads alone work on. A command in the
    /// extended form gets `6700` first, whatever else it does.
    RefusesBoth,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 4] = [
        Profile::ExtendedAndShortFileIds,
        Profile::RefusesExtendedLength,
        Profile::RefusesShortFileIds,
        Profile::RefusesBoth,
    ];

    /// Whether the card takes commands in the extended-length form.
    pub const fn takes_extended_length(self) -> bool {
        matches!(
            self,
            Profile::ExtendedAndShortFileIds | Profile::RefusesShortFileIds
        )
    }

    /// Whether the card takes short file identifiers.
    pub const fn takes_short_file_ids(self) -> bool {
        matches!(
            self,
            Profile::ExtendedAndShortFileIds | Profile::RefusesExtendedLength
        )
    }

    /// A short name for reports and test names.
    pub const fn name(self) -> &'static str {
        match self {
            Profile::ExtendedAndShortFileIds => "extended+sfi",
            Profile::RefusesExtendedLength => "no-extended",
            Profile::RefusesShortFileIds => "no-sfi",
            Profile::RefusesBoth => "select-only",
        }
    }
}

/// What the reader between the virtual card and the library carries, as the virtual card
/// declares it through [`Transport::capabilities`](crate::Transport::capabilities). Both
/// readers are contact readers used by this process alone (exclusive).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reader {
    /// Carries extended APDUs: commands of up to 65,544 bytes (4-byte header, 3-byte Lc,
    /// 65,535 data bytes, 2-byte Le) and responses of up to 65,538 (65,536 data bytes and
    /// SW1 SW2), as a CCID reader reporting PC/SC part 10's `dwMaxAPDUDataSize` does, or a
    /// phone whose NFC stack carries extended length. The default.
    #[default]
    Extended,
    /// Carries short APDUs only: commands of up to 261 bytes, responses of up to 258. The
    /// virtual card's transport fails any command in the extended form, as a reader that
    /// cannot carry it would, so a test sees the library send none.
    ShortOnly,
}

impl Reader {
    /// Both readers.
    pub const ALL: [Reader; 2] = [Reader::Extended, Reader::ShortOnly];

    /// The capabilities the virtual card's transport declares behind this reader.
    pub const fn capabilities(self) -> Capabilities {
        let (max_command_len, max_response_len, extended_length) = match self {
            Reader::Extended => (65_544, 65_538, true),
            Reader::ShortOnly => (261, 258, false),
        };
        Capabilities {
            max_command_len,
            max_response_len,
            extended_length,
            interface: Interface::Contact,
            exclusive: true,
        }
    }

    /// A short name for reports and test names.
    pub const fn name(self) -> &'static str {
        match self {
            Reader::Extended => "extended reader",
            Reader::ShortOnly => "short-only reader",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_take_what_they_say() {
        let takes: Vec<_> = Profile::ALL
            .iter()
            .map(|p| (p.takes_extended_length(), p.takes_short_file_ids()))
            .collect();
        assert_eq!(
            takes,
            [(true, true), (false, true), (true, false), (false, false)]
        );
        assert_eq!(Profile::default(), Profile::ExtendedAndShortFileIds);
    }

    #[test]
    fn readers_declare_their_lengths() {
        let extended = Reader::Extended.capabilities();
        assert!(extended.extended_length && extended.exclusive);
        assert_eq!(
            (extended.max_command_len, extended.max_response_len),
            (65_544, 65_538)
        );
        let short = Reader::ShortOnly.capabilities();
        assert!(!short.extended_length);
        assert_eq!((short.max_command_len, short.max_response_len), (261, 258));
    }
}

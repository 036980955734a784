//! The cardholder attributes (基本4情報) in a JPKI signature certificate's subjectAltName.
//!
//! The signature certificate carries six otherName entries under 1.2.392.200149.8.5.5
//! (the arc and its names are in jsrsasign's JPKI OID table, `jpki-pd-*`, and in a public
//! write-up of a real certificate dumped with `openssl x509 -ext subjectAltName`, quoting the
//! Japanese PKI Blog, pki.world-tls.com/kojinbango-card):
//!
//! | OID | field | form |
//! |---|---|---|
//! | `.1` | name (氏名) | characters outside JIS levels 1–2 replaced by substitutes |
//! | `.2` | substitute-character positions of the name | one `0`/`1` per character |
//! | `.3` | sex (性別) | `1` male, `2` female, `3` unknown |
//! | `.4` | birth date (生年月日) | era digit + Gregorian `YYYYMMDD` |
//! | `.5` | address (住所) | as the name |
//! | `.6` | substitute-character positions of the address | one `0`/`1` per character |
//!
//! The era digit is `1` 明治, `2` 大正, `3` 昭和, `4` 平成, `5` 令和, `0` unknown (a later
//! era will take `6`, read as [`Era::Unnamed`]), and the eight digits after it are the Gregorian date, not the year of the era (the write-up above;
//! a reader of a JPKI test card, `319800217` for 1980-02-17, agrees). Real certificates list
//! the entries in the order 1, 4, 3, 5, 2, 6, so no order is relied on.

use std::fmt;

use der::asn1::ObjectIdentifier;
use der::Encode;

use super::strings;
use crate::calendar::{CalendarDate, Era};

/// The arc of the JPKI personal-data otherNames.
pub const PERSONAL_DATA_ARC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5");
/// Name (氏名).
pub const OID_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.1");
/// Substitute-character positions of the name (氏名代替文字の使用位置).
pub const OID_NAME_SUBSTITUTES: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.2");
/// Sex (性別).
pub const OID_SEX: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.3");
/// Birth date (生年月日).
pub const OID_BIRTH_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.4");
/// Address (住所).
pub const OID_ADDRESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.5");
/// Substitute-character positions of the address (住所代替文字の使用位置).
pub const OID_ADDRESS_SUBSTITUTES: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.6");

/// What a signature certificate says about its holder. Each field is `None` when the
/// certificate does not carry it; a user-authentication certificate carries none.
///
/// Each field keeps the value as the certificate holds it and, when it parses, its typed
/// reading ([`Attribute`]): a field that does not parse (a birth date of month 13, flags
/// other than `0` and `1`, a value that is not a string) leaves the typed reading `None` and
/// never fails the certificate view or its chain check. The methods of the same names give
/// the typed readings. `Debug` shows no personal data, only lengths.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JpkiAttributes {
    /// Name (氏名); family and given name separated by U+3000 on real cards.
    pub name: Option<Attribute<String>>,
    /// Which characters of the name are substitutes for characters the certificate cannot hold.
    pub name_substitutes: Option<Attribute<SubstituteFlags>>,
    /// Sex (性別).
    pub sex: Option<Attribute<Sex>>,
    /// Birth date (生年月日).
    pub birth_date: Option<Attribute<BirthDate>>,
    /// Address (住所), from the prefecture, without the postcode.
    pub address: Option<Attribute<String>>,
    /// Which characters of the address are substitutes.
    pub address_substitutes: Option<Attribute<SubstituteFlags>>,
}

impl JpkiAttributes {
    /// Whether no field is present.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The name, when present and readable.
    pub fn name(&self) -> Option<&str> {
        typed(&self.name).map(String::as_str)
    }

    /// The name's substitute-character flags, when present and well formed.
    pub fn name_substitutes(&self) -> Option<&SubstituteFlags> {
        typed(&self.name_substitutes)
    }

    /// The sex, when present and readable.
    pub fn sex(&self) -> Option<&Sex> {
        typed(&self.sex)
    }

    /// The birth date, when present and well formed.
    pub fn birth_date(&self) -> Option<BirthDate> {
        typed(&self.birth_date).copied()
    }

    /// The address, when present and readable.
    pub fn address(&self) -> Option<&str> {
        typed(&self.address).map(String::as_str)
    }

    /// The address's substitute-character flags, when present and well formed.
    pub fn address_substitutes(&self) -> Option<&SubstituteFlags> {
        typed(&self.address_substitutes)
    }
}

fn typed<T>(field: &Option<Attribute<T>>) -> Option<&T> {
    field.as_ref().and_then(Attribute::value)
}

/// One personal-data entry of the subjectAltName: its value as the certificate holds it, and
/// its typed reading when that parses.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Attribute<T> {
    der: Vec<u8>,
    text: Option<String>,
    value: Option<T>,
    repeated: bool,
}

impl<T> Attribute<T> {
    /// The value's DER (tag, length and content) as the certificate holds it.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The value as text, when it is one of the accepted string types (UTF8String,
    /// PrintableString, IA5String, BMPString, ASCII TeletexString).
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The typed reading: `None` when the text does not parse, when the value is not a
    /// string, or when the certificate carries the field twice ([`Attribute::is_repeated`]).
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// Whether the certificate carries this field more than once. The first occurrence is
    /// kept; no typed reading is given, since which one is meant cannot be told.
    pub fn is_repeated(&self) -> bool {
        self.repeated
    }
}

impl<T> fmt::Debug for Attribute<T> {
    /// Lengths and flags only: the value is personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attribute")
            .field("der_len", &self.der.len())
            .field("text_chars", &self.text.as_ref().map(|t| t.chars().count()))
            .field("parsed", &self.value.is_some())
            .field("repeated", &self.repeated)
            .finish()
    }
}

/// Sex as the certificate records it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Sex {
    /// `1` (男).
    Male,
    /// `2` (女).
    Female,
    /// `3` (不明) in the J-LIS profile.
    Unknown,
    /// `9`, "not applicable" in JIS X 0303 / ISO 5218; not seen on a JPKI card, read anyway.
    NotApplicable,
    /// Any other value, kept as written.
    Other(String),
}

impl Sex {
    /// Reads the certificate's code.
    pub fn from_code(code: &str) -> Self {
        match code {
            "1" => Sex::Male,
            "2" => Sex::Female,
            "3" => Sex::Unknown,
            "9" => Sex::NotApplicable,
            other => Sex::Other(other.to_owned()),
        }
    }
}

/// A birth date as the certificate writes it: an era digit and a Gregorian date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BirthDate {
    era: Era,
    date: CalendarDate,
}

impl BirthDate {
    /// The certificate form of a date, its era derived from the date (`0` before 明治).
    pub fn from_date(date: CalendarDate) -> Self {
        Self {
            era: date.era().unwrap_or(Era::Unknown),
            date,
        }
    }

    /// Parses the certificate form, e.g. `419900101` (平成, 1990-01-01): exactly nine ASCII
    /// digits, an era digit (`0`–`5` named, `6`–`9` an [`Era::Unnamed`] later era), then a
    /// valid Gregorian `YYYYMMDD`.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 9 || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            bytes.get(range).map(|digits| {
                digits
                    .iter()
                    .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'))
            })
        };
        let era = Era::from_digit(*bytes.first()?)?;
        let year = number(1..5)?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(7..9)?).ok()?;
        Some(Self {
            era,
            date: CalendarDate::new(year, month, day)?,
        })
    }

    /// The era the certificate states (the digit is written by the issuer and not checked
    /// against the date; see [`BirthDate::era_matches_date`]).
    pub const fn era(self) -> Era {
        self.era
    }

    /// The Gregorian date.
    pub const fn date(self) -> CalendarDate {
        self.date
    }

    /// The year within the era (昭和55年 → 55), when the era is known and the date falls in it
    /// or later.
    pub fn era_year(self) -> Option<u16> {
        let first = self.era.first_day()?;
        (self.date >= first).then(|| self.date.year() - first.year() + 1)
    }

    /// Whether the stated era is the one the date falls in (always `true` for
    /// [`Era::Unknown`]; for an [`Era::Unnamed`] later era, whether the date is not before
    /// 令和, the newest era named here).
    pub fn era_matches_date(self) -> bool {
        match self.era {
            Era::Unknown => true,
            Era::Unnamed(_) => self.date.era() == Some(Era::Reiwa),
            era => self.date.era() == Some(era),
        }
    }
}

impl fmt::Display for BirthDate {
    /// The certificate form: era digit + `YYYYMMDD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{:04}{:02}{:02}",
            self.era.digit(),
            self.date.year(),
            self.date.month(),
            self.date.day()
        )
    }
}

/// Substitute-character position flags (代替文字の使用位置): one `0` or `1` per character of
/// the field they describe; `1` where the certificate shows a substitute, so the text differs
/// from the resident register there.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SubstituteFlags(String);

impl SubstituteFlags {
    /// Reads the flags: only `0` and `1` (an empty string is allowed).
    pub fn parse(text: &str) -> Option<Self> {
        text.bytes()
            .all(|b| b == b'0' || b == b'1')
            .then(|| Self(text.to_owned()))
    }

    /// The flags as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Character positions, counting from 0, that are substitutes.
    pub fn positions(&self) -> Vec<usize> {
        self.0
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'1')
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether any character is a substitute.
    pub fn any(&self) -> bool {
        self.0.contains('1')
    }

    /// Whether there is one flag per character of `text`.
    pub fn describes(&self, text: &str) -> bool {
        self.0.len() == text.chars().count()
    }
}

/// Collects the attributes from otherName `(type, value)` pairs; other types are ignored.
/// Never fails: a value that does not parse keeps its raw form and no typed reading.
pub(crate) fn collect<'a, I>(entries: I) -> JpkiAttributes
where
    I: IntoIterator<Item = (&'a ObjectIdentifier, &'a der::asn1::Any)>,
{
    fn set<T>(
        slot: &mut Option<Attribute<T>>,
        value: &der::asn1::Any,
        parse: fn(&str) -> Option<T>,
    ) {
        if let Some(first) = slot.as_mut() {
            first.repeated = true;
            first.value = None;
            return;
        }
        let text = strings::decode(value).ok();
        *slot = Some(Attribute {
            der: value.to_der().unwrap_or_else(|_| value.value().to_vec()),
            value: text.as_deref().and_then(parse),
            text,
            repeated: false,
        });
    }
    let mut out = JpkiAttributes::default();
    for (oid, value) in entries {
        if oid.parent() != Some(PERSONAL_DATA_ARC) {
            continue;
        }
        match *oid {
            OID_NAME => set(&mut out.name, value, |t| Some(t.to_owned())),
            OID_NAME_SUBSTITUTES => set(&mut out.name_substitutes, value, SubstituteFlags::parse),
            OID_SEX => set(&mut out.sex, value, |t| Some(Sex::from_code(t))),
            OID_BIRTH_DATE => set(&mut out.birth_date, value, BirthDate::parse),
            OID_ADDRESS => set(&mut out.address, value, |t| Some(t.to_owned())),
            OID_ADDRESS_SUBSTITUTES => {
                set(&mut out.address_substitutes, value, SubstituteFlags::parse)
            }
            _ => {}
        }
    }
    out
}

//! The cardholder attributes a virtual card's signature certificate carries (基本4情報).
//!
//! Encodings follow the real signature certificate's subjectAltName otherName entries
//! (1.2.392.200149.8.5.5.x) as two public write-ups show them [one source each: a blog dump of
//! a real certificate with `openssl x509 -ext subjectAltName`, quoting the Japanese PKI Blog
//! (pki.world-tls.com/kojinbango-card); myna-card's `format_birth_date` agrees on the era digit]:
//! sex `1` male, `2` female, `3` unknown; birth date as an era digit followed by the Gregorian
//! `YYYYMMDD`; substitute-character position flags as one `0` (or `1`) per character.

use std::fmt;

/// Sex as the signature certificate records it (1.2.392.200149.8.5.5.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sex {
    /// `1` (男).
    Male,
    /// `2` (女).
    Female,
    /// `3` (不明).
    Unknown,
}

impl Sex {
    /// The code the certificate carries.
    pub const fn code(self) -> &'static str {
        match self {
            Sex::Male => "1",
            Sex::Female => "2",
            Sex::Unknown => "3",
        }
    }
}

/// A Gregorian calendar date (a birth date).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BirthDate {
    /// Year, e.g. 1990.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl BirthDate {
    /// A date from its parts (not validated: the card does not validate either).
    pub const fn new(year: u16, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// The Japanese era digit that leads the certificate's birth date: `1` 明治, `2` 大正,
    /// `3` 昭和, `4` 平成, `5` 令和, `0` unknown (before 明治). Era boundaries are the
    /// official first days: 1868-01-25 (明治, Gregorian), 1912-07-30, 1926-12-25, 1989-01-08,
    /// 2019-05-01.
    pub fn era_digit(self) -> char {
        let ymd = (self.year, self.month, self.day);
        if ymd >= (2019, 5, 1) {
            '5'
        } else if ymd >= (1989, 1, 8) {
            '4'
        } else if ymd >= (1926, 12, 25) {
            '3'
        } else if ymd >= (1912, 7, 30) {
            '2'
        } else if ymd >= (1868, 1, 25) {
            '1'
        } else {
            '0'
        }
    }

    /// The certificate form: era digit + `YYYYMMDD` (Gregorian), e.g. `419900101`.
    pub fn jpki_string(self) -> String {
        format!(
            "{}{:04}{:02}{:02}",
            self.era_digit(),
            self.year,
            self.month,
            self.day
        )
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The holder of a virtual card: what its signature certificate says of them.
///
/// The default is a fictional person (`仮想　太郎`, born 1990-01-01, living at a Tokyo
/// address in a ward that does not exist). Names use U+3000 between family and given name and
/// addresses use full-width digits, as real cards do.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Holder {
    /// Name (氏名), UTF-8.
    pub name: String,
    /// Substitute-character flags of the name (1.2.392.200149.8.5.5.2): one `0` (not
    /// substituted) or `1` per character. `None`: all `0`, as on a real card whose name
    /// needed no substitution.
    pub name_substitute: Option<String>,
    /// Sex (性別).
    pub sex: Sex,
    /// Birth date (生年月日).
    pub birth_date: BirthDate,
    /// Address (住所), UTF-8, full-width digits, no postcode.
    pub address: String,
    /// Substitute-character flags of the address (1.2.392.200149.8.5.5.6); `None`: all `0`.
    pub address_substitute: Option<String>,
}

impl Default for Holder {
    fn default() -> Self {
        Self {
            name: "仮想\u{3000}太郎".to_owned(),
            name_substitute: None,
            sex: Sex::Male,
            birth_date: BirthDate::new(1990, 1, 1),
            address: "東京都仮想区試験町１丁目２番３号".to_owned(),
            address_substitute: None,
        }
    }
}

impl Holder {
    /// The name's substitute-character flags as the certificate carries them.
    pub fn name_substitute_flags(&self) -> String {
        flags(&self.name, self.name_substitute.as_deref())
    }

    /// The address's substitute-character flags as the certificate carries them.
    pub fn address_substitute_flags(&self) -> String {
        flags(&self.address, self.address_substitute.as_deref())
    }
}

fn flags(text: &str, given: Option<&str>) -> String {
    match given {
        Some(flags) => flags.to_owned(),
        None => "0".repeat(text.chars().count()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates_carry_the_era_digit() {
        assert_eq!(BirthDate::new(1990, 1, 1).jpki_string(), "419900101");
        assert_eq!(BirthDate::new(1980, 2, 17).jpki_string(), "319800217");
        assert_eq!(BirthDate::new(1989, 1, 7).jpki_string(), "319890107");
        assert_eq!(BirthDate::new(1989, 1, 8).jpki_string(), "419890108");
        assert_eq!(BirthDate::new(2019, 5, 1).jpki_string(), "520190501");
        assert_eq!(BirthDate::new(1926, 12, 24).jpki_string(), "219261224");
        assert_eq!(BirthDate::new(1900, 1, 1).jpki_string(), "119000101");
        assert_eq!(BirthDate::new(1850, 1, 1).jpki_string(), "018500101");
    }

    #[test]
    fn substitute_flags_default_to_one_zero_per_character() {
        let holder = Holder::default();
        assert_eq!(holder.name_substitute_flags(), "00000");
        assert_eq!(
            holder.address_substitute_flags().len(),
            holder.address.chars().count()
        );
        let custom = Holder {
            name_substitute: Some("01000".into()),
            ..Holder::default()
        };
        assert_eq!(custom.name_substitute_flags(), "01000");
    }
}

//! The virtual card's holder: the attributes its signature certificate and card-info and
//! card-face applications carry (基本4情報, my number, card expiry, security code), and the access
//! codes derived from them.
//!
//! Encodings follow the real signature certificate's subjectAltName otherName entries
//! (1.2.392.200149.8.5.5.x) as a blog dump of a real certificate shows them (`openssl x509 -ext
//! subjectAltName`, quoting the Japanese PKI Blog, pki.world-tls.com/kojinbango-card), the only
//! source for most of them; myna-card's `format_birth_date` agrees on the era digit:
//! sex `1` male, `2` female, `3` unknown; birth date as an era digit followed by the Gregorian
//! `YYYYMMDD`; substitute-character position flags as one `0` (or `1`) per character.
//!
//! The era conversion here is the card's own, not the library's: the two are compared by the
//! tests, so a slip in either shows.

use std::fmt;

use zeroize::Zeroizing;

use crate::calendar::CalendarDate;
use crate::certificate::Sex;

/// The first day (Gregorian) of each era the card knows, newest first, with the digit the
/// signature certificate writes for it: 令和 2019-05-01, 平成 1989-01-08, 昭和 1926-12-25,
/// 大正 1912-07-30, 明治 1868-01-25 (明治元年1月1日 in the Gregorian calendar) (the era
/// changes as proclaimed; the digits as a blog dump of a real certificate and myna-card's
/// `format_birth_date` give them). A date before 明治 gets the digit `0` and no era year.
const ERAS: [(char, (u16, u8, u8)); 5] = [
    ('5', (2019, 5, 1)),
    ('4', (1989, 1, 8)),
    ('3', (1926, 12, 25)),
    ('2', (1912, 7, 30)),
    ('1', (1868, 1, 25)),
];

/// The era digit of `date` and the year within that era (1990-01-01 → 平成2年 → `('4', 2)`);
/// `None` before 明治.
fn era_of(date: CalendarDate) -> Option<(char, u16)> {
    let day = (date.year(), date.month(), date.day());
    ERAS.iter()
        .find(|(_, first)| day >= *first)
        .map(|&(digit, (first_year, _, _))| (digit, date.year() - first_year + 1))
}

/// `YYYYMMDD` of `date`.
fn yyyymmdd(date: CalendarDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// The holder of a virtual card: what its signature certificate, card-info and card-face
/// applications say of them.
///
/// The default is a fictional person (`仮想　太郎`, born 1990-01-01, living at a Tokyo
/// address in a ward that does not exist, my number `123456789018`, card expiring in 2035,
/// security code `1234`, so access code B is `02010120351234`). Names use U+3000 between
/// family and given name and addresses use full-width digits, as real cards do.
///
/// `Debug` never prints the my number or the security code: they are access codes A and B.
#[derive(Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Holder {
    /// Name (氏名), UTF-8.
    pub name: String,
    /// Substitute-character flags of the name (1.2.392.200149.8.5.5.2): one `0` (not
    /// substituted) or `1` per character. `None`: all `0`, as on a real card whose name
    /// needed no substitution.
    pub name_substitute: Option<String>,
    /// Sex (性別): the certificate writes `1` male, `2` female, `3` unknown, `9` not
    /// applicable; the card-info and card-face files `1`, `2`, `9` (see
    /// [`Holder::card_sex_code`]). [`Sex::Other`] is written as given, to test a reader.
    pub sex: Sex,
    /// Birth date (生年月日).
    pub birth_date: CalendarDate,
    /// Address (住所), UTF-8, full-width digits, no postcode.
    pub address: String,
    /// Substitute-character flags of the address (1.2.392.200149.8.5.5.6); `None`: all `0`.
    pub address_substitute: Option<String>,
    /// My number (個人番号): 12 ASCII digits, the last a check digit. It is also access
    /// code A. The card stores it as given, so a test can hand the library a wrong one.
    pub my_number: String,
    /// The year the card expires (the card-face expiry date is the holder's birthday in that
    /// year, a choice); the middle four digits of access code B.
    pub card_expiry_year: u16,
    /// The 4-digit security code printed on the card; the last four digits of access code B.
    pub security_code: String,
}

impl fmt::Debug for Holder {
    /// The my number and the security code (access codes A and B) are redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Holder")
            .field("name", &self.name)
            .field("name_substitute", &self.name_substitute)
            .field("sex", &self.sex)
            .field("birth_date", &self.birth_date)
            .field("address", &self.address)
            .field("address_substitute", &self.address_substitute)
            .field("my_number", &"REDACTED")
            .field("card_expiry_year", &self.card_expiry_year)
            .field("security_code", &"REDACTED")
            .finish()
    }
}

impl Default for Holder {
    fn default() -> Self {
        Self {
            name: "仮想\u{3000}太郎".to_owned(),
            name_substitute: None,
            sex: Sex::Male,
            birth_date: CalendarDate::new(1990, 1, 1).unwrap_or(CalendarDate::MIN),
            address: "東京都仮想区試験町１丁目２番３号".to_owned(),
            address_substitute: None,
            my_number: "123456789018".to_owned(),
            card_expiry_year: 2035,
            security_code: "1234".to_owned(),
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

    /// Access code B (照合番号B): the birth date as Japanese-era `YYMMDD`, the card expiry year and the
    /// security code; `02010120351234` for the default holder (only myna-card gives the layout,
    /// from a test card; jsapdu agrees in a comment). `None` when the parts make no 14-digit code:
    /// a birth date before 明治 or in an era year past 99, an expiry year past 9999, a security code
    /// that is not 4 digits.
    pub fn access_code_b(&self) -> Option<Zeroizing<String>> {
        let yymmdd = self.birth_date_era_yymmdd()?;
        let code = &self.security_code;
        if self.card_expiry_year > 9999
            || code.len() != 4
            || !code.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        Some(Zeroizing::new(format!(
            "{}{:04}{code}",
            yymmdd.as_str(),
            self.card_expiry_year
        )))
    }

    /// The birth date as Japanese-era `YYMMDD`: the card-face application's birth-date key
    /// (EF 0011) and the first six digits of access code B. `None` before 明治 or past an era
    /// year of 99.
    pub(super) fn birth_date_era_yymmdd(&self) -> Option<Zeroizing<String>> {
        let (_, year) = era_of(self.birth_date).filter(|&(_, year)| year <= 99)?;
        let date = self.birth_date;
        Some(Zeroizing::new(format!(
            "{year:02}{:02}{:02}",
            date.month(),
            date.day()
        )))
    }

    /// The birth date as the signature certificate writes it: era digit + `YYYYMMDD`.
    pub fn birth_date_jpki(&self) -> String {
        let digit = era_of(self.birth_date).map_or('0', |(digit, _)| digit);
        format!("{digit}{}", yyyymmdd(self.birth_date))
    }

    /// The birth date as the card-info and card-face files write it: `YYYYMMDD`.
    pub(super) fn birth_date_yyyymmdd(&self) -> String {
        yyyymmdd(self.birth_date)
    }

    /// The sex code of the signature certificate (1.2.392.200149.8.5.5.3): `1` male, `2`
    /// female, `3` unknown (the blog dump and the J-LIS profile it quotes); `9` for not
    /// applicable (a choice: ISO 5218's code, which no source saw in a certificate).
    pub fn certificate_sex_code(&self) -> &str {
        match &self.sex {
            Sex::Male => "1",
            Sex::Female => "2",
            Sex::Unknown => "3",
            Sex::NotApplicable => "9",
            Sex::Other(code) => code,
        }
    }

    /// The sex code of the card-info (`DF25`) and card-face (`DF23`) files: `1` male, `2` female,
    /// `9` not applicable (jpki/myna's `SexString` and myna-card: the ISO 5218 / JIS X 0303 codes).
    /// A choice: unknown is written `9` too, the one other code the sources list for the files;
    /// they also decode `0` (not known), which no source saw on a card.
    pub fn card_sex_code(&self) -> &str {
        match &self.sex {
            Sex::Male => "1",
            Sex::Female => "2",
            Sex::Unknown | Sex::NotApplicable => "9",
            Sex::Other(code) => code,
        }
    }
}

/// The check digit of an 11-digit individual number (個人番号), as the ordinance on the
/// number's check digit (個人番号の指定に関する省令 §5) gives it: weights 2–7 then 2–6 from the
/// rightmost digit, the weighted sum modulo 11, `0` for a remainder of 0 or 1, else 11 − the
/// remainder. `None` unless `first_eleven` is 11 ASCII digits.
#[cfg(test)]
fn my_number_check_digit(first_eleven: &str) -> Option<u8> {
    if first_eleven.len() != 11 || !first_eleven.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first_eleven
        .bytes()
        .rev()
        .zip(1u32..)
        .map(|(digit, n)| u32::from(digit - b'0') * if n <= 6 { n + 1 } else { n - 5 })
        .sum();
    Some(match sum % 11 {
        0 | 1 => 0,
        r => (11 - r) as u8,
    })
}

/// Builds a holder from [`Holder::default`], field by field (new fields may come):
///
/// ```
/// use mynumbercard::calendar::CalendarDate;
/// use mynumbercard::virtual_card::Holder;
/// let holder = Holder::default()
///     .with_name("試験\u{3000}花子")
///     .with_birth_date(CalendarDate::new(1975, 6, 30).unwrap());
/// assert_eq!(holder.card_expiry_year, 2035);
/// ```
impl Holder {
    /// With another name (氏名).
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// With the name's substitute-character flags (`None`: all `0`).
    pub fn with_name_substitute(mut self, flags: Option<String>) -> Self {
        self.name_substitute = flags;
        self
    }

    /// With another sex (性別).
    pub fn with_sex(mut self, sex: Sex) -> Self {
        self.sex = sex;
        self
    }

    /// With another birth date (生年月日).
    pub fn with_birth_date(mut self, birth_date: CalendarDate) -> Self {
        self.birth_date = birth_date;
        self
    }

    /// With another address (住所).
    pub fn with_address(mut self, address: impl Into<String>) -> Self {
        self.address = address.into();
        self
    }

    /// With the address's substitute-character flags (`None`: all `0`).
    pub fn with_address_substitute(mut self, flags: Option<String>) -> Self {
        self.address_substitute = flags;
        self
    }

    /// With another my number (access code A): 12 digits, the last a check digit.
    pub fn with_my_number(mut self, my_number: impl Into<String>) -> Self {
        self.my_number = my_number.into();
        self
    }

    /// With another card expiry year (the middle of access code B).
    pub fn with_card_expiry_year(mut self, year: u16) -> Self {
        self.card_expiry_year = year;
        self
    }

    /// With another 4-digit security code (the end of access code B).
    pub fn with_security_code(mut self, code: impl Into<String>) -> Self {
        self.security_code = code.into();
        self
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

    fn holder_born(year: u16, month: u8, day: u8) -> Holder {
        Holder {
            birth_date: CalendarDate::new(year, month, day).unwrap(),
            ..Holder::default()
        }
    }

    #[test]
    fn birth_dates_carry_the_era_digit() {
        for ((y, m, d), expected) in [
            ((1990, 1, 1), "419900101"),
            ((1980, 2, 17), "319800217"),
            ((1989, 1, 7), "319890107"),
            ((1989, 1, 8), "419890108"),
            ((2019, 5, 1), "520190501"),
            ((1926, 12, 24), "219261224"),
            ((1900, 1, 1), "119000101"),
            ((1850, 1, 1), "018500101"),
        ] {
            assert_eq!(holder_born(y, m, d).birth_date_jpki(), expected);
        }
    }

    #[test]
    fn access_code_b_uses_the_japanese_era_year() {
        let code = |h: &Holder| h.access_code_b().map(|code| code.to_string());
        let b = |s: &str| Some(s.to_owned());
        assert_eq!(code(&Holder::default()), b("02010120351234"));
        let test_card = Holder {
            card_expiry_year: 2035,
            security_code: "2285".into(),
            ..holder_born(1980, 2, 17)
        };
        assert_eq!(code(&test_card), b("55021720352285"));
        assert_eq!(code(&holder_born(1989, 1, 7)), b("64010720351234"));
        assert_eq!(code(&holder_born(2019, 4, 30)), b("31043020351234"));
        assert_eq!(code(&holder_born(2019, 5, 1)), b("01050120351234"));
        assert_eq!(code(&holder_born(1850, 1, 1)), None);
        assert_eq!(
            code(&holder_born(2117, 1, 1)),
            b("99010120351234"),
            "令和99年"
        );
        assert_eq!(code(&holder_born(2118, 1, 1)), None, "令和100年");
        for security_code in ["12a4", "123", "12345", "１２３４"] {
            let bad_code = Holder {
                security_code: security_code.into(),
                ..Holder::default()
            };
            assert_eq!(code(&bad_code), None, "{security_code}");
        }
        let far = Holder {
            card_expiry_year: 10_000,
            ..Holder::default()
        };
        assert_eq!(code(&far), None);
        assert_eq!(
            holder_born(1980, 2, 17)
                .birth_date_era_yymmdd()
                .as_deref()
                .map(String::as_str),
            Some("550217")
        );
    }

    #[test]
    fn the_default_my_number_has_its_check_digit() {
        let check = |number: &str| {
            let (body, last) = number.split_at(11);
            my_number_check_digit(body).map(|d| char::from(b'0' + d).to_string())
                == Some(last.into())
        };
        assert!(check(&Holder::default().my_number));
        // The test card number myna-card prints.
        assert!(check("537686677188"));
        assert!(!check("537686677187"));
        assert_eq!(my_number_check_digit("1234567890"), None);
        assert_eq!(my_number_check_digit("1234567890a"), None);
    }

    #[test]
    fn sex_codes_differ_between_certificate_and_files() {
        let with = |sex: Sex| Holder {
            sex,
            ..Holder::default()
        };
        for (sex, certificate, files) in [
            (Sex::Male, "1", "1"),
            (Sex::Female, "2", "2"),
            (Sex::Unknown, "3", "9"),
            (Sex::NotApplicable, "9", "9"),
            (Sex::Other("0".into()), "0", "0"),
        ] {
            let holder = with(sex);
            assert_eq!(
                holder.certificate_sex_code(),
                certificate,
                "{:?}",
                holder.sex
            );
            assert_eq!(holder.card_sex_code(), files, "{:?}", holder.sex);
        }
    }

    #[test]
    fn debug_never_prints_access_codes() {
        let debug = format!("{:?}", Holder::default());
        assert!(!debug.contains("123456789018"), "{debug}");
        assert!(!debug.contains("1234\""), "{debug}");
        assert!(debug.contains("REDACTED"));
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

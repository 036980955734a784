//! The virtual card's holder: the attributes its signature certificate and card-info and
//! card-face applications carry (基本4情報, my number, card expiry, security code), and the access
//! codes derived from them.
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

    /// The code the card-info (`DF25`) and card-face (`DF23`) files carry: `1` male, `2`
    /// female, `9` not applicable [myna `SexString`, myna-card `Sex::from_byte`: ISO 5218 /
    /// JIS X 0303 codes]. A choice: [`Sex::Unknown`] is written `9`, as PROTOCOL.md lists the
    /// codes; the sources also decode `0` (not known), which no source saw on a card.
    pub const fn card_code(self) -> &'static str {
        match self {
            Sex::Male => "1",
            Sex::Female => "2",
            Sex::Unknown => "9",
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

    /// The Japanese era year (1 for the era's first, partial year), or `None` before 明治.
    pub fn era_year(self) -> Option<u16> {
        let first_year = match self.era_digit() {
            '5' => 2019,
            '4' => 1989,
            '3' => 1926,
            '2' => 1912,
            '1' => 1868,
            _ => return None,
        };
        Some(self.year - first_year + 1)
    }

    /// The birth date as access code B starts with it: Japanese-era `YYMMDD`, e.g. `020101`
    /// for 1990-01-01 (平成2年) and `550217` for 1980-02-17 (昭和55年) [one source: myna-card
    /// `verification_code_b`, confirmed on a test card; jsapdu agrees in a comment]. `None`
    /// before 明治 or when the era year needs three digits.
    pub fn era_yymmdd(self) -> Option<String> {
        let year = self.era_year().filter(|&year| year <= 99)?;
        Some(format!("{year:02}{:02}{:02}", self.month, self.day))
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
    /// My number (個人番号): 12 ASCII digits, the last a check digit (see
    /// [`my_number_check_digit`]). It is also access code A.
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
            birth_date: BirthDate::new(1990, 1, 1),
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

    /// Access code B (照合番号B), 14 digits: the birth date as Japanese-era `YYMMDD`, the card
    /// expiry year `YYYY` and the 4-digit security code; `02010120351234` for the default
    /// holder, `55021720352285` for the test card myna-card read (born 1980-02-17, expiry 2035,
    /// code 2285) [one source: myna-card `verification_code_b`; jsapdu agrees in a comment].
    /// `None` when the birth date has no two-digit era year, or the expiry year or security
    /// code is not four digits.
    pub fn access_code_b(&self) -> Option<String> {
        access_code_b(
            self.birth_date,
            self.card_expiry_year,
            self.security_code.as_str(),
        )
    }
}

/// Access code B from its three parts (see [`Holder::access_code_b`]).
pub fn access_code_b(
    birth_date: BirthDate,
    expiry_year: u16,
    security_code: &str,
) -> Option<String> {
    let security_code_ok =
        security_code.len() == 4 && security_code.bytes().all(|b| b.is_ascii_digit());
    if !(1000..=9999).contains(&expiry_year) || !security_code_ok {
        return None;
    }
    Some(format!(
        "{}{expiry_year}{security_code}",
        birth_date.era_yymmdd()?
    ))
}

/// The check digit of a my number from its first 11 digits, or `None` if `first_11` is not
/// 11 ASCII digits. For n = 1..=11, Pₙ is the n-th digit counting from the right and
/// Qₙ = n + 1 (n ≤ 6) or n − 5 (n ≥ 7); r = Σ Pₙ·Qₙ mod 11; the check digit is 0 when r ≤ 1,
/// else 11 − r (行政手続における特定の個人を識別するための番号の利用等に関する法律施行令
/// 第8条 and its ministerial ordinance; confirmed on the test card number myna-card prints,
/// `537686677188`).
pub fn my_number_check_digit(first_11: &str) -> Option<u8> {
    if first_11.len() != 11 || !first_11.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first_11
        .bytes()
        .rev()
        .zip(1u32..)
        .map(|(digit, n)| u32::from(digit - b'0') * if n <= 6 { n + 1 } else { n - 5 })
        .sum();
    let r = sum % 11;
    Some(if r <= 1 { 0 } else { (11 - r) as u8 })
}

/// Whether `my_number` is 12 ASCII digits whose last is the check digit of the first 11.
pub fn is_valid_my_number(my_number: &str) -> bool {
    match (my_number.get(..11), my_number.as_bytes().get(11)) {
        (Some(first), Some(&last)) if my_number.len() == 12 => {
            my_number_check_digit(first).is_some_and(|check| last == b'0' + check)
        }
        _ => false,
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
    fn access_code_b_uses_the_japanese_era_year() {
        assert_eq!(
            Holder::default().access_code_b().as_deref(),
            Some("02010120351234")
        );
        let test_card = access_code_b(BirthDate::new(1980, 2, 17), 2035, "2285");
        assert_eq!(test_card.as_deref(), Some("55021720352285"));
        assert_eq!(
            BirthDate::new(1989, 1, 7).era_yymmdd().as_deref(),
            Some("640107")
        );
        assert_eq!(
            BirthDate::new(1989, 1, 8).era_yymmdd().as_deref(),
            Some("010108")
        );
        assert_eq!(
            BirthDate::new(2019, 4, 30).era_yymmdd().as_deref(),
            Some("310430")
        );
        assert_eq!(
            BirthDate::new(2019, 5, 1).era_yymmdd().as_deref(),
            Some("010501")
        );
        assert_eq!(
            BirthDate::new(1912, 7, 29).era_yymmdd().as_deref(),
            Some("450729")
        );
        assert_eq!(
            BirthDate::new(1926, 12, 24).era_yymmdd().as_deref(),
            Some("151224")
        );
        assert_eq!(BirthDate::new(1850, 1, 1).era_yymmdd(), None);
        assert_eq!(
            access_code_b(BirthDate::new(1990, 1, 1), 2035, "12a4"),
            None
        );
        assert_eq!(access_code_b(BirthDate::new(1990, 1, 1), 35, "1234"), None);
    }

    #[test]
    fn my_numbers_carry_a_check_digit() {
        assert_eq!(my_number_check_digit("53768667718"), Some(8));
        assert!(is_valid_my_number("537686677188"));
        assert!(is_valid_my_number(&Holder::default().my_number));
        assert!(!is_valid_my_number("537686677187"));
        assert!(!is_valid_my_number("53768667718"));
        assert!(!is_valid_my_number("5376866771880"));
        assert!(!is_valid_my_number("53768667718x"));
        assert!(!is_valid_my_number("５３７６８６６７"));
        // r ≤ 1 gives 0: the first 11 digits 00000000001 sum to 2·1 = 2 → 9; 00000000005 → 10
        // mod 11 = 10 → 1; 00000000000 → 0.
        assert_eq!(my_number_check_digit("00000000000"), Some(0));
        assert_eq!(my_number_check_digit("00000000001"), Some(9));
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

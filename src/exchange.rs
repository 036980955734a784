//! The exchange: a typed [`Command`] is encoded once, sent once through the [`Transport`], and
//! the reply parsed into a [`Response`]. `61xx` is followed with GET RESPONSE and `6Cxx` with
//! one resend at the right Le, each within hard bounds. No I/O of its own.

use std::fmt;

use zeroize::Zeroizing;

use crate::apdu::{extend_zeroizing, ApduError, Command, Response, MAX_NE, MAX_SHORT_NE};
use crate::commands;
use crate::error::{Error, Result};
use crate::transport::{Capabilities, Transport};

/// Bounds on what the exchange accepts from a card. Build them from `default()` and the
/// `with_*` methods (new bounds may come):
///
/// ```
/// use mynumbercard::exchange::Limits;
/// let limits = Limits::default().with_max_response_data(4096);
/// assert_eq!(limits.max_get_response, 16);
/// assert_eq!(limits, Limits::new(16, 4096));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most GET RESPONSE commands sent for one command (`61xx` chain).
    pub max_get_response: usize,
    /// Most data bytes accepted for one command, GET RESPONSE chain included.
    pub max_response_data: usize,
}

impl Limits {
    /// At most `max_get_response` GET RESPONSE commands and `max_response_data` data bytes
    /// for one command.
    pub const fn new(max_get_response: usize, max_response_data: usize) -> Self {
        Self {
            max_get_response,
            max_response_data,
        }
    }

    /// With another bound on the GET RESPONSE commands sent for one command.
    pub const fn with_max_get_response(mut self, max: usize) -> Self {
        self.max_get_response = max;
        self
    }

    /// With another bound on the data bytes accepted for one command.
    pub const fn with_max_response_data(mut self, max: usize) -> Self {
        self.max_response_data = max;
        self
    }
}

impl Default for Limits {
    /// 16 GET RESPONSE rounds, 65,536 bytes.
    fn default() -> Self {
        Self::new(16, MAX_NE)
    }
}

/// What crossed the wire, for benches and reports. More counts may come; compare with
/// [`Stats::new`] or read the fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Command APDUs sent (GET RESPONSE and resends included).
    pub commands: u64,
    /// Command bytes sent.
    pub bytes_sent: u64,
    /// Response bytes received (status words included).
    pub bytes_received: u64,
}

impl Stats {
    /// `commands` command APDUs of `bytes_sent` bytes in all, answered with `bytes_received`.
    pub const fn new(commands: u64, bytes_sent: u64, bytes_received: u64) -> Self {
        Self {
            commands,
            bytes_sent,
            bytes_received,
        }
    }
}

/// One line of an APDU trace: hex, with the data of a command carrying a PIN masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Trace<'a> {
    /// A command sent (hex, sensitive data as `*`).
    Command(&'a str),
    /// A response received (hex).
    Response(&'a str),
}

impl fmt::Display for Trace<'_> {
    /// `> ` + hex for a command, `< ` + hex for a response.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trace::Command(hex) => write!(f, "> {hex}"),
            Trace::Response(hex) => write!(f, "< {hex}"),
        }
    }
}

/// A trace sink; see [`Exchange::set_tracer`].
pub type Tracer = Box<dyn FnMut(Trace<'_>) + Send>;

/// Sends commands through a transport; see the [module docs](self).
pub struct Exchange<T> {
    transport: T,
    limits: Limits,
    tracer: Option<Tracer>,
    stats: Stats,
}

impl<T: Transport> Exchange<T> {
    /// An exchange over `transport` with default [`Limits`].
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            limits: Limits::default(),
            tracer: None,
            stats: Stats::default(),
        }
    }

    /// Replaces the limits.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Calls `tracer` with every command and response. Command data marked sensitive (PINs)
    /// is masked. Every APDU is also logged at `log::Level::Trace`, masked the same way.
    pub fn set_tracer(&mut self, tracer: impl FnMut(Trace<'_>) + Send + 'static) {
        self.tracer = Some(Box::new(tracer));
    }

    /// Counters of what was sent and received.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The transport's capabilities.
    pub fn capabilities(&self) -> Capabilities {
        self.transport.capabilities()
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The transport, mutably.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Gives the transport back.
    pub fn into_transport(self) -> T {
        self.transport
    }

    /// Sends `command` once and returns the card's answer, whatever its status word.
    ///
    /// `61xx` is followed by at most [`Limits::max_get_response`] GET RESPONSE commands;
    /// `6Cxx` answering a command that expects data (and carries no secret) causes one
    /// resend with Le = xx. A command carrying a PIN is never sent twice.
    ///
    /// Secrets reach the card only through the lockout guard: a VERIFY carrying data, a
    /// CHANGE REFERENCE DATA or a RESET RETRY COUNTER is refused here with
    /// [`Error::SecretOutsideGuard`], and nothing is sent. Use the applications' verify
    /// methods ([`Jpki::verify_pin`](crate::jpki::Jpki::verify_pin), …).
    ///
    /// ```
    /// # #[cfg(feature = "virtual-card")] {
    /// use mynumbercard::apdu::Command;
    /// use mynumbercard::exchange::Exchange;
    /// use mynumbercard::{Error, VirtualCard};
    ///
    /// let mut exchange = Exchange::new(VirtualCard::default());
    /// let verify = Command::new(0x00, 0x20, 0x00, 0x80).with_data(*b"1234");
    /// assert!(matches!(
    ///     exchange.transmit(&verify),
    ///     Err(Error::SecretOutsideGuard { .. })
    /// ));
    /// assert_eq!(exchange.stats().commands, 0);
    /// # }
    /// ```
    pub fn transmit(&mut self, command: &Command) -> Result<Response> {
        if carries_secret(command) {
            return Err(Error::SecretOutsideGuard {
                command: command.header(),
            });
        }
        self.transmit_any(command)
    }

    /// [`Exchange::transmit`] without the refusal: the session's path, which the lockout
    /// guard uses for the commands that carry a secret.
    pub(crate) fn transmit_any(&mut self, command: &Command) -> Result<Response> {
        let mut response = self.send(command)?;
        if let Some(le) = response.status().correct_le() {
            if command.ne().is_some() && !command.is_sensitive() {
                response = self.send(&command.clone().with_le(le))?;
            }
        }
        let mut rounds = 0;
        while let Some(n) = response.status().bytes_remaining() {
            rounds += 1;
            if rounds > self.limits.max_get_response {
                return Err(Error::MalformedResponse("too many 61xx rounds"));
            }
            // The continuation's data is the command's: masked in traces as it is.
            let mut get_response = commands::get_response(n);
            if command.has_sensitive_response() {
                get_response = get_response.sensitive_response();
            }
            let next = self.send(&get_response)?;
            let status = next.status();
            let mut data = response.into_data_zeroizing();
            if data.len() + next.data().len() > self.limits.max_response_data {
                return Err(Error::MalformedResponse("response longer than the limit"));
            }
            extend_zeroizing(&mut data, next.data());
            response = Response::new(std::mem::take(&mut *data), status);
        }
        Ok(response)
    }

    /// One command APDU on the wire, one response APDU back.
    fn send(&mut self, command: &Command) -> Result<Response> {
        let bytes = command.encode_zeroizing()?;
        let caps = self.transport.capabilities();
        if bytes.len() > caps.max_command_len || (!caps.extended_length && command.is_extended()?) {
            return Err(ApduError::TooLongForTransport {
                len: bytes.len(),
                max: caps.max_command_len,
            }
            .into());
        }
        if self.tracer.is_some() || log::log_enabled!(log::Level::Trace) {
            self.trace(Trace::Command(&command.to_trace_hex()));
        }
        self.stats.commands += 1;
        self.stats.bytes_sent += bytes.len() as u64;
        // Zeroized on every path: the reply may be personal data.
        let mut raw = Zeroizing::new(self.transport.transmit(&bytes)?);
        drop(bytes);
        self.stats.bytes_received += raw.len() as u64;
        // Bound what one reply may carry: Ne, or a short response for a command without Le.
        let allowed = command
            .ne()
            .unwrap_or(MAX_SHORT_NE)
            .min(self.limits.max_response_data);
        if raw.len() > allowed + 2 {
            return Err(Error::MalformedResponse("more data than asked for"));
        }
        if self.tracer.is_some() || log::log_enabled!(log::Level::Trace) {
            let line = match raw.len().checked_sub(2) {
                Some(n) if n > 0 && command.has_sensitive_response() => format!(
                    "<{n} byte{} of personal data>{}",
                    if n == 1 { "" } else { "s" },
                    hex::encode_upper(raw.get(n..).unwrap_or_default())
                ),
                _ => hex::encode_upper(&*raw),
            };
            self.trace(Trace::Response(&line));
        }
        Response::parse_vec(std::mem::take(&mut *raw))
            .map_err(|_| Error::MalformedResponse("no status word"))
    }

    fn trace(&mut self, line: Trace<'_>) {
        log::trace!("{line}");
        if let Some(tracer) = self.tracer.as_mut() {
            tracer(line);
        }
    }
}

/// VERIFY with data (`20`), CHANGE REFERENCE DATA (`24`), RESET RETRY COUNTER (`2C`), in any
/// class: the commands that carry a PIN or access code, or change one.
fn carries_secret(command: &Command) -> bool {
    match command.ins() {
        0x20 => !command.data().is_empty(),
        0x24 | 0x2C => true,
        _ => false,
    }
}

impl<T: fmt::Debug> fmt::Debug for Exchange<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exchange")
            .field("transport", &self.transport)
            .field("limits", &self.limits)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

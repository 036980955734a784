// The My Number Card over CoreNFC (iOS 13+): a CardTransport over NFCISO7816Tag.
//
// NOT COMPILED HERE: there is no Swift compiler on the machine that builds this repository.
// CI generates the Swift bindings and compiles their C header (MyNumberCardFFI.h) and a C
// program calling the library through it; this file is written against Apple's CoreNFC
// documentation and the generated MyNumberCard.swift, and has not been built or run.

import CoreNFC
import Foundation
import MyNumberCard

/// One card in an `NFCTagReaderSession`, as the library's transport.
///
/// The card object's calls block, and so does `transceive`: it sends the command with
/// `NFCISO7816Tag.sendCommand(apdu:completionHandler:)` and waits for the completion on a
/// semaphore. Call the card object from a background queue of your own (never the main
/// thread or a main-actor context): the completion is delivered on the session's queue, and
/// waiting for it on that queue, or blocking the main thread, would stall the app.
public final class CoreNFCTransport: CardTransport, @unchecked Sendable {
    private let session: NFCTagReaderSession
    private let tag: NFCISO7816Tag
    private let responseTimeout: TimeInterval

    /// `responseTimeout`: how long one APDU may take before `TransportError.Timeout` (the
    /// card's RSA signature takes about half a second or more; CoreNFC ends a session after
    /// 60 s in any case).
    public init(session: NFCTagReaderSession, tag: NFCISO7816Tag, responseTimeout: TimeInterval = 20) {
        self.session = session
        self.tag = tag
        self.responseTimeout = responseTimeout
    }

    public func transceive(command: Data) throws -> Data {
        dispatchPrecondition(condition: .notOnQueue(.main))
        let apdu = try Self.apdu(from: command)
        let outcome = Outcome()
        tag.sendCommand(apdu: apdu) { response, sw1, sw2, error in
            if let error = error {
                outcome.set(.failure(Self.failure(error)))
            } else {
                var bytes = response
                bytes.append(sw1)
                bytes.append(sw2)
                outcome.set(.success(bytes))
            }
        }
        return try outcome.wait(seconds: responseTimeout).get()
    }

    public func capabilities() -> TransportCapabilities {
        TransportCapabilities(
            maxCommandLen: 261,
            maxResponseLen: 258,
            extendedLength: false,
            interface: .contactless,
            // The reader session gives the card to this app alone.
            exclusive: true
        )
    }

    /// Ends the reader session; the field goes off, unpowering the card (which clears a
    /// verified PIN), whatever `unpower` says.
    public func close(unpower: Bool) throws {
        session.invalidate()
    }

    // MARK: - APDU fields as NFCISO7816APDU takes them

    /// Splits a command APDU (ISO 7816-4 cases 1 to 4, short or extended) into the fields of
    /// `NFCISO7816APDU(instructionClass:instructionCode:p1Parameter:p2Parameter:data:expectedResponseLength:)`.
    /// `expectedResponseLength` is Le in bytes, as Apple documents it, and a value below 0
    /// when the command has no Le field; a short Le of `00` is 256, an extended `0000` 65536.
    static func apdu(from command: Data) throws -> NFCISO7816APDU {
        let fields = try Fields(command: [UInt8](command))
        return NFCISO7816APDU(
            instructionClass: fields.cla,
            instructionCode: fields.ins,
            p1Parameter: fields.p1,
            p2Parameter: fields.p2,
            data: Data(fields.data),
            expectedResponseLength: fields.le
        )
    }

    struct Fields: Equatable {
        var cla: UInt8
        var ins: UInt8
        var p1: UInt8
        var p2: UInt8
        var data: [UInt8]
        var le: Int

        init(command bytes: [UInt8]) throws {
            guard bytes.count >= 4 else { throw TransportError.Other(reason: "command shorter than 4 bytes") }
            cla = bytes[0]
            ins = bytes[1]
            p1 = bytes[2]
            p2 = bytes[3]
            let body = Array(bytes[4...])
            func short(_ b: UInt8) -> Int { b == 0 ? 256 : Int(b) }
            func extended(_ hi: UInt8, _ lo: UInt8) -> Int {
                let n = Int(hi) << 8 | Int(lo)
                return n == 0 ? 65_536 : n
            }
            switch body.count {
            case 0: // case 1
                data = []
                le = -1
            case 1: // case 2S
                data = []
                le = short(body[0])
            case 3 where body[0] == 0: // case 2E
                data = []
                le = extended(body[1], body[2])
            default:
                if body[0] != 0 { // cases 3S and 4S
                    let lc = Int(body[0])
                    guard body.count == 1 + lc || body.count == 2 + lc else {
                        throw TransportError.Other(reason: "malformed short APDU")
                    }
                    data = Array(body[1..<(1 + lc)])
                    le = body.count == 2 + lc ? short(body[1 + lc]) : -1
                } else { // cases 3E and 4E
                    guard body.count > 3 else { throw TransportError.Other(reason: "malformed extended APDU") }
                    let lc = Int(body[1]) << 8 | Int(body[2])
                    guard lc > 0, body.count == 3 + lc || body.count == 5 + lc else {
                        throw TransportError.Other(reason: "malformed extended APDU")
                    }
                    data = Array(body[3..<(3 + lc)])
                    le = body.count == 5 + lc ? extended(body[3 + lc], body[4 + lc]) : -1
                }
            }
        }
    }

    // MARK: - Errors

    /// CoreNFC's errors as the library's: a lost tag is `TagLost` (the library reports
    /// `CardRemoved`, and a VERIFY that never reached the card spends no try).
    static func failure(_ error: Error) -> TransportError {
        guard let error = error as? NFCReaderError else {
            return .Other(reason: String(describing: type(of: error)))
        }
        switch error.code {
        case .readerTransceiveErrorTagConnectionLost, .readerTransceiveErrorTagNotConnected:
            return .TagLost
        case .readerSessionInvalidationErrorSessionTimeout:
            return .Timeout
        default:
            return .Other(reason: "CoreNFC error \(error.code.rawValue)")
        }
    }

    /// The completion's result, handed from CoreNFC's queue to the waiting thread.
    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        private var result: Result<Data, TransportError>?

        func set(_ value: Result<Data, TransportError>) {
            lock.lock()
            result = value
            lock.unlock()
            done.signal()
        }

        func wait(seconds: TimeInterval) -> Result<Data, TransportError> {
            guard done.wait(timeout: .now() + seconds) == .success else { return .failure(.Timeout) }
            lock.lock()
            defer { lock.unlock() }
            return result ?? .failure(.Timeout)
        }
    }
}

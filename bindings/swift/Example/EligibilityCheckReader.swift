// An app-side example: the clinics' eligibility check (PIN mode) over CoreNFC.
//
// NOT COMPILED HERE (no Swift compiler on the build machine); see CoreNFCTransport.swift.

import CoreNFC
import Foundation
import MyNumberCard
import MyNumberCardNFC

/// Reads the user-authentication certificate and signs the eligibility service's challenge
/// with the 4-digit PIN, off the main thread, then reports on the main queue.
final class EligibilityCheckReader: NSObject, NFCTagReaderSessionDelegate {
    private let work = DispatchQueue(label: "mynumbercard.card", qos: .userInitiated)
    private var session: NFCTagReaderSession?
    private var pin: Data
    private let challenge: Data
    private let completion: (Result<Eligibility, Error>) -> Void

    /// `pin`: the 4 ASCII digits; wiped once sent.
    init(pin: Data, challenge: Data, completion: @escaping (Result<Eligibility, Error>) -> Void) {
        self.pin = pin
        self.challenge = challenge
        self.completion = completion
    }

    func begin() {
        session = NFCTagReaderSession(pollingOption: .iso14443, delegate: self, queue: nil)
        session?.alertMessage = "Hold your My Number Card to the top of the iPhone."
        session?.begin()
    }

    func tagReaderSessionDidBecomeActive(_ session: NFCTagReaderSession) {}

    func tagReaderSession(_ session: NFCTagReaderSession, didInvalidateWithError error: Error) {}

    func tagReaderSession(_ session: NFCTagReaderSession, didDetect tags: [NFCTag]) {
        guard case let .iso7816(tag)? = tags.first else {
            session.invalidate(errorMessage: "Not a My Number Card.")
            return
        }
        session.connect(to: tags[0]) { [self] error in
            if let error = error {
                session.invalidate(errorMessage: "Could not reach the card.")
                finish(.failure(error))
                return
            }
            // The card object blocks: run it on our own queue, never the main thread.
            work.async { [self] in
                let card = MyNumberCard(transport: CoreNFCTransport(session: session, tag: tag))
                defer { try? card.endSession() }
                do {
                    let evidence = try card.eligibilityCheckPin(pin: pin, challenge: challenge, lastTry: .refuse)
                    pin.resetBytes(in: 0..<pin.count)
                    session.alertMessage = "Done."
                    finish(.success(evidence))
                } catch CardError.WrongPin(let triesLeft) {
                    pin.resetBytes(in: 0..<pin.count)
                    session.invalidate(errorMessage: "Wrong PIN: \(triesLeft) tries left.")
                    finish(.failure(CardError.WrongPin(triesLeft: triesLeft)))
                } catch CardError.LastTryRefused {
                    session.invalidate(errorMessage: "One try left: confirm before trying again.")
                    finish(.failure(CardError.LastTryRefused(secret: .authPin)))
                } catch {
                    pin.resetBytes(in: 0..<pin.count)
                    session.invalidate(errorMessage: "The card could not be read.")
                    finish(.failure(error))
                }
            }
        }
    }

    private func finish(_ result: Result<Eligibility, Error>) {
        DispatchQueue.main.async { self.completion(result) }
    }
}

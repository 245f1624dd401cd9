import Foundation

/// A complaint as it is first stored, decided whole by the domain as a `Transition` is for a staff action: its content,
/// routing and deadlines, its initial state, the events that record the filing, and the digests of its secrets. The
/// store only saves it.
public struct Filing: Sendable {
    public let complaint: NewComplaint
    public let state: ComplaintState
    /// `submitted` (by the citizen) and `routed` (by the system, naming the rule).
    public let events: [ComplaintEvent]
    /// Shown once, in the 201; only its digest is stored.
    public let trackingToken: String
    public let trackingTokenHash: String
    public let idempotency: Idempotency?

    /// What an Idempotency-Key leaves in the database: a hash to find the earlier filing, the fingerprint of what was
    /// filed, and the tracking token masked with the key (only a client holding the key gets it back).
    public struct Idempotency: Sendable {
        public let keyHash: String
        public let requestHash: String
        public let maskedToken: [UInt8]
    }
}

extension Intake {
    /// Checks, routes and times a submission filed at `now`, and returns everything the new complaint is; all field
    /// problems are reported together. The tracking token is made from `tokenBytes` (32 random bytes unless a test
    /// gives its own).
    public func file(
        _ input: SubmissionInput, idempotencyKey: IdempotencyKey? = nil, now: Date, tokenBytes: [UInt8] = Secrets.randomBytes(32)
    ) -> Result<Filing, ValidationFailure> {
        self.admit(input, now: now).map { complaint in
            let token = Secrets.base64URL(tokenBytes)
            return Filing(
                complaint: complaint,
                state: ComplaintState(
                    status: .submitted, opd: complaint.opd, responseDueAt: complaint.responseDueAt,
                    resolutionDueAt: complaint.resolutionDueAt, responseAtRiskAt: complaint.responseAtRiskAt,
                    resolutionAtRiskAt: complaint.resolutionAtRiskAt, updatedAt: complaint.createdAt),
                events: [
                    ComplaintEvent(
                        kind: .submitted, actorKind: .citizen, actorID: nil, at: complaint.createdAt, visibleToReporter: true,
                        details: ["category": complaint.category, "region": complaint.region.rawValue]),
                    ComplaintEvent(
                        kind: .routed, actorKind: .system, actorID: nil, at: complaint.createdAt, visibleToReporter: true,
                        details: ["opd": complaint.opd, "rule": complaint.routingRule]),
                ],
                trackingToken: token, trackingTokenHash: Secrets.sha256Hex(token),
                idempotency: idempotencyKey.map {
                    Filing.Idempotency(keyHash: $0.lookupHash, requestHash: input.fingerprint, maskedToken: $0.mask(tokenBytes))
                })
        }
    }
}

extension SubmissionInput {
    /// What makes two submissions "the same request": the content as sent, so that a retry whose JSON was serialised
    /// again with another key order or spacing still matches, and one with any other content does not.
    public var fingerprint: String {
        let location = self.location.map { "\($0.lat.map { "\($0)" } ?? "-"),\($0.lng.map { "\($0)" } ?? "-")" }
        let fields: [String?] = [
            self.category, self.description, self.region, location, self.address, self.reporterName, self.reporterPhone,
            self.visibility, self.anonymous.map { "\($0)" },
        ]
        // Unit separators keep field boundaries unambiguous; "\u{0}" marks an absent field.
        return Secrets.sha256Hex(fields.map { $0 ?? "\u{0}" }.joined(separator: "\u{1f}"))
    }
}

import Foundation

/// A complaint as it is first stored, decided whole by the domain as a `Transition` is for a staff action: its content,
/// routing and deadlines, its initial state, the events that record the filing, and the digests of its secrets. The
/// store only saves it.
public struct Filing: Sendable {
    public let complaint: NewComplaint
    public let state: ComplaintState
    /// `submitted` (by the citizen) and `routed` (by the system, naming the rule).
    public let events: [ComplaintEvent]
    /// The reporter's photos, whose files are already stored.
    public let photos: [PhotoAttachment]
    /// Shown once, in the 201; only its digest is stored.
    public let trackingToken: String
    public let trackingTokenHash: String
    public let idempotency: Idempotency?
    /// The Open311 client that filed it, when one did.
    public let client: FilingClient?

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
    /// gives its own). A submission without a location takes the first photo's GPS that falls in the province (in its
    /// region, when it names one: a photo taken elsewhere says nothing of this place); a category that requires a
    /// photo refuses a submission without one.
    public func file(
        _ input: SubmissionInput, photos: [ProcessedPhoto] = [], idempotencyKey: IdempotencyKey? = nil, client: FilingClient? = nil,
        now: Date, tokenBytes: [UInt8] = Secrets.randomBytes(32)
    ) -> Result<Filing, ValidationFailure> {
        var input = input
        var locationSource: LocationSource? = input.location == nil ? nil : .reporter
        if input.location == nil,
            let point = photos.lazy.compactMap(\.location).first(where: { point in
                guard let found = self.region(at: point) else { return false }
                return input.region.map { RegionCode($0).contains(found) } ?? true
            })
        {
            input.location = (point.lat, point.lng)
            locationSource = .photo
        }
        // Reported with the other field problems, so that the app shows them all at once.
        let missingPhoto = self.missingPhoto(input, photoCount: photos.count)
        let admitted: Result<NewComplaint, ValidationFailure>
        switch self.admit(input, now: now) {
        case .success(let complaint):
            admitted = missingPhoto.isEmpty ? .success(complaint) : .failure(ValidationFailure(errors: missingPhoto))
        case .failure(let failure): admitted = .failure(ValidationFailure(errors: failure.errors + missingPhoto))
        }
        return admitted.map { admitted in
            var complaint = admitted
            complaint.locationSource = complaint.location == nil ? nil : locationSource
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
                        details: ["category": complaint.category, "region": complaint.region.rawValue].merging(client?.auditDetails ?? [:])
                        { $1 }),
                    ComplaintEvent(
                        kind: .routed, actorKind: .system, actorID: nil, at: complaint.createdAt, visibleToReporter: true,
                        details: ["opd": complaint.opd, "rule": complaint.routingRule]),
                ],
                photos: photos.map {
                    PhotoAttachment(photo: $0, purpose: .report, actorKind: .citizen, actorID: nil, flags: [], at: complaint.createdAt)
                },
                trackingToken: token, trackingTokenHash: Secrets.sha256Hex(token),
                idempotency: idempotencyKey.map {
                    Filing.Idempotency(
                        keyHash: $0.lookupHash, requestHash: $0.requestHash(input.fingerprint(photos: photos)),
                        maskedToken: $0.mask(tokenBytes))
                }, client: client)
        }
    }
}

/// The Open311 client (an API key) through which a complaint was filed, and what it sent that the complaint has no
/// field for. The key is named in the audit log's `submitted` entry.
public struct FilingClient: Sendable, Hashable {
    public let apiKeyID: Int64
    public let apiKeyName: String
    /// What Open311's `tokens/{id}` answers for: not a secret, unlike the tracking token.
    public let token: String
    public let email: String?
    public let deviceID: String?
    public let accountID: String?
    /// A photo the client hosts elsewhere, linked and not fetched.
    public let mediaURL: String?

    public init(
        apiKeyID: Int64, apiKeyName: String, token: String, email: String? = nil, deviceID: String? = nil, accountID: String? = nil,
        mediaURL: String? = nil
    ) {
        self.apiKeyID = apiKeyID
        self.apiKeyName = apiKeyName
        self.token = token
        self.email = email
        self.deviceID = deviceID
        self.accountID = accountID
        self.mediaURL = mediaURL
    }

    var auditDetails: [String: String] {
        ["channel": "open311", "api_key": String(self.apiKeyID), "api_key_name": self.apiKeyName]
    }
}

extension Intake {
    /// The field problems of a submission with `photoCount` photos that no photo could fix (all but a missing
    /// location, which a photo's GPS may give): what is checked before photos are processed, so that a refused
    /// complaint costs no image work.
    public func problemsPhotosCannotFix(_ input: SubmissionInput, photoCount: Int, now: Date) -> [FieldError] {
        var problems: [FieldError] = []
        if case .failure(let failure) = self.admit(input, now: now) {
            problems = failure.errors.filter { !($0.field == "location" && $0.code == .required) }
        }
        // With other problems reported now, a missing required photo is reported with them.
        return problems.isEmpty ? [] : problems + self.missingPhoto(input, photoCount: photoCount)
    }

    /// The error of a category that requires a photo, when the submission has none.
    func missingPhoto(_ input: SubmissionInput, photoCount: Int) -> [FieldError] {
        photoCount == 0 && input.category.flatMap { self.catalog.category($0) }?.photoRequired == true
            ? [FieldError(field: "photo", code: .required)] : []
    }
}

extension SubmissionInput {
    /// What makes two submissions "the same request": the content as sent, so that a retry whose JSON was serialised
    /// again with another key order or spacing still matches, and one with any other content (or other photos) does
    /// not.
    public func fingerprint(photos: [ProcessedPhoto] = []) -> String {
        let location = self.location.map { "\($0.lat.map { "\($0)" } ?? "-"),\($0.lng.map { "\($0)" } ?? "-")" }
        let fields: [String?] =
            [
                self.category, self.description, self.region, location, self.address, self.reporterName, self.reporterPhone,
                self.visibility, self.anonymous.map { "\($0)" },
            ] + photos.map(\.originalSHA256) + (self.notify == false ? ["notify=false"] : [])
            + (self.account.map { ["account=\($0)"] } ?? [])
            + self.attributes.sorted { $0.key < $1.key }.map { "attribute[\($0.key)]=\($0.value.joined(separator: "\u{1e}"))" }
        // Unit separators keep field boundaries unambiguous; "\u{0}" marks an absent field.
        return Secrets.sha256Hex(fields.map { $0 ?? "\u{0}" }.joined(separator: "\u{1f}"))
    }
}

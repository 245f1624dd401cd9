import Foundation

/// What the checks of an office's after-photo found. The first three make the resolution wait for a supervisor's
/// validation; the last two only say that a check could not be made.
public enum EvidenceFlag: String, Sendable, CaseIterable, Hashable {
    /// The same picture as one of the complaint's own before-photos, or as evidence given for another complaint in
    /// the last 12 months (SHA-256 equal, or perceptual hashes close).
    case reusedPhoto = "reused_photo"
    /// The camera's time is before the complaint was filed.
    case takenBeforeFiling = "taken_before_filing"
    /// The camera's GPS is farther from the complaint's location than allowed.
    case farFromLocation = "far_from_location"
    case noCaptureTime = "no_capture_time"
    case noLocation = "no_location"

    /// Whether the flag makes the resolution wait for validation.
    public var needsValidation: Bool {
        switch self {
        case .reusedPhoto, .takenBeforeFiling, .farFromLocation: return true
        case .noCaptureTime, .noLocation: return false
        }
    }
}

/// Where a resolution stands with its evidence ("Menunggu Validasi" in JAKI while pending).
public enum ResolutionReview: String, Sendable, CaseIterable, Hashable {
    /// After-photos came and none raised a flag that needs validation.
    case clean
    /// Flagged: a supervisor must validate it or reject it.
    case pending
    /// Flagged, then validated by a supervisor.
    case validated
}

/// A photo already on file that a new after-photo is compared with.
public struct PhotoFingerprint: Sendable, Hashable {
    public let complaintID: Int64
    public let sha256: String
    public let perceptualHash: UInt64

    public init(complaintID: Int64, sha256: String, perceptualHash: UInt64) {
        self.complaintID = complaintID
        self.sha256 = sha256
        self.perceptualHash = perceptualHash
    }
}

/// The checks an after-photo goes through, as pure functions of the photo, the complaint and what is on file.
public struct EvidenceChecks: Sendable {
    /// How far from the complaint's location a fix photo may be taken (metres).
    public var maxDistance: Double
    /// How far back other complaints' evidence is compared.
    public static let reuseLookback: TimeInterval = 365 * 86_400

    public init(maxDistance: Double = 200) { self.maxDistance = maxDistance }

    /// The flags of one after-photo. `beforePhotos` are the complaint's own report photos; `otherEvidence` is what
    /// other complaints' resolutions used since `reuseLookback`.
    public func flags(
        for photo: ProcessedPhoto, complaint: Complaint, beforePhotos: [PhotoFingerprint], otherEvidence: [PhotoFingerprint]
    ) -> [EvidenceFlag] {
        var flags: [EvidenceFlag] = []
        let reused = (beforePhotos + otherEvidence.filter { $0.complaintID != complaint.id }).contains {
            $0.sha256 == photo.originalSHA256
                || PerceptualHash.distance($0.perceptualHash, photo.perceptualHash) <= PerceptualHash.sameImageDistance
        }
        if reused { flags.append(.reusedPhoto) }
        if let takenAt = photo.takenAt {
            if takenAt < complaint.createdAt { flags.append(.takenBeforeFiling) }
        } else {
            flags.append(.noCaptureTime)
        }
        if let location = photo.location {
            // A complaint filed by region only has no point to measure from.
            if let target = complaint.location, location.distance(to: target) > self.maxDistance { flags.append(.farFromLocation) }
        } else {
            flags.append(.noLocation)
        }
        return flags
    }
}

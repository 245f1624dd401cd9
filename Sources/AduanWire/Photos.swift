/// One photo of a complaint, as its views list it. `url` serves the public copy (upright JPEG, no metadata),
/// `thumbnail_url` the thumbnail; the original is `url` with `?size=original`, for the reporter and staff only.
public struct PhotoDTO: Codable, Sendable, Equatable {
    public let id: Int64
    /// `report` (the citizen's picture of the problem) or `evidence` (the office's picture of the fix).
    public let purpose: String
    public let url: String
    public let thumbnail_url: String
    /// When and where the camera says it was taken; for the reporter and staff only, and only when the photo said.
    public let taken_at: String?
    public let location: LocationDTO?

    public init(id: Int64, purpose: String, url: String, thumbnail_url: String, taken_at: String? = nil, location: LocationDTO? = nil) {
        self.id = id
        self.purpose = purpose
        self.url = url
        self.thumbnail_url = thumbnail_url
        self.taken_at = taken_at
        self.location = location
    }
}

/// The checks kept with one after-photo (staff view): `reused_photo`, `taken_before_filing`, `far_from_location`,
/// `no_capture_time`, `no_location`; empty when clean.
public struct EvidenceDTO: Codable, Sendable, Equatable {
    public let id: Int64
    public let flags: [String]

    public init(id: Int64, flags: [String]) {
        self.id = id
        self.flags = flags
    }
}

import Foundation

/// The image formats Aduan accepts, as their bytes announce them (never by file name or Content-Type).
public enum PhotoFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp, heif

    /// The media type of the original as uploaded.
    public var mediaType: String {
        switch self {
        case .jpeg: return "image/jpeg"
        case .png: return "image/png"
        case .webp: return "image/webp"
        case .heif: return "image/heif"
        }
    }
}

/// Why a photo is attached: the citizen's picture of the problem, or the office's picture of the fix.
public enum PhotoPurpose: String, Sendable, CaseIterable {
    case report, evidence
}

/// The three files kept of each photo. The public copy and the thumbnail are upright JPEGs with no metadata.
public enum PhotoVariant: String, Sendable, CaseIterable {
    case original, `public`, thumbnail
}

/// What processing learned of one uploaded photo and the files it made of it, named by their SHA-256.
public struct ProcessedPhoto: Sendable, Hashable {
    public let format: PhotoFormat
    public let originalSHA256: String
    public let originalBytes: Int
    public let publicSHA256: String
    public let thumbnailSHA256: String
    /// The public copy's size: upright, at most 2048 px on its longer side (the original's may be larger).
    public let width: Int
    public let height: Int
    /// When the camera says it was taken (EXIF DateTimeOriginal, read in the offset it gives, else in WIB).
    public let takenAt: Date?
    /// Where the camera says it was taken (EXIF GPS).
    public let location: GeoPoint?
    /// The 64-bit difference hash of the upright picture: near-identical pictures have near-identical hashes.
    public let perceptualHash: UInt64

    public init(
        format: PhotoFormat, originalSHA256: String, originalBytes: Int, publicSHA256: String, thumbnailSHA256: String,
        width: Int, height: Int, takenAt: Date?, location: GeoPoint?, perceptualHash: UInt64
    ) {
        self.format = format
        self.originalSHA256 = originalSHA256
        self.originalBytes = originalBytes
        self.publicSHA256 = publicSHA256
        self.thumbnailSHA256 = thumbnailSHA256
        self.width = width
        self.height = height
        self.takenAt = takenAt
        self.location = location
        self.perceptualHash = perceptualHash
    }

    /// The file of a variant.
    public func sha256(_ variant: PhotoVariant) -> String {
        switch variant {
        case .original: return self.originalSHA256
        case .public: return self.publicSHA256
        case .thumbnail: return self.thumbnailSHA256
        }
    }
}

/// A photo to attach to a complaint, as the domain decided it (with the evidence checks of an after-photo).
public struct PhotoAttachment: Sendable, Hashable {
    public let photo: ProcessedPhoto
    public let purpose: PhotoPurpose
    public let actorKind: ComplaintEvent.ActorKind
    public let actorID: String?
    public let flags: [EvidenceFlag]
    public let at: Date

    public init(
        photo: ProcessedPhoto, purpose: PhotoPurpose, actorKind: ComplaintEvent.ActorKind, actorID: String?, flags: [EvidenceFlag],
        at: Date
    ) {
        self.photo = photo
        self.purpose = purpose
        self.actorKind = actorKind
        self.actorID = actorID
        self.flags = flags
        self.at = at
    }
}

/// A photo stored with its complaint.
public struct StoredPhoto: Sendable, Hashable {
    public let id: Int64
    public let complaintID: Int64
    public let attachment: PhotoAttachment

    public init(id: Int64, complaintID: Int64, attachment: PhotoAttachment) {
        self.id = id
        self.complaintID = complaintID
        self.attachment = attachment
    }

    public var photo: ProcessedPhoto { self.attachment.photo }
    public var purpose: PhotoPurpose { self.attachment.purpose }
    public var flags: [EvidenceFlag] { self.attachment.flags }
}

/// How many photos, and how large, a complaint takes.
public struct PhotoLimits: Sendable, Hashable {
    /// Per photo, as uploaded.
    public var maxBytes: Int
    /// Per photo, width times height as the header states it (checked before any pixel is decoded).
    public var maxPixels: Int
    /// Per complaint, for the reporter's photos; and per resolution, for the office's.
    public var maxCount: Int

    public init(maxBytes: Int = 10 << 20, maxPixels: Int = 40_000_000, maxCount: Int = 5) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        self.maxCount = maxCount
    }
}

/// Where a complaint's location came from.
public enum LocationSource: String, Sendable, CaseIterable {
    /// Sent by the reporter (the app's GPS or a pin on the map).
    case reporter
    /// Read from the EXIF GPS of a photo, when the complaint came without a location.
    case photo
}

/// Hamming distance of perceptual hashes.
public enum PerceptualHash {
    /// Pictures whose hashes differ in at most this many of 64 bits count as the same picture (re-encoded, resized,
    /// lightly cropped or recoloured).
    public static let sameImageDistance = 10

    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    /// The difference hash of a 9x8 grey picture (row-major, 72 bytes): a bit per pixel pair, set when the left
    /// pixel is brighter than its right neighbour.
    public static func differenceHash(grey9x8 pixels: [UInt8]) -> UInt64 {
        precondition(pixels.count == 72)
        var hash: UInt64 = 0
        for row in 0..<8 {
            for column in 0..<8 {
                hash <<= 1
                if pixels[row * 9 + column] > pixels[row * 9 + column + 1] { hash |= 1 }
            }
        }
        return hash
    }
}

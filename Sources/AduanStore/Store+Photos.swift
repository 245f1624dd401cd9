import AduanCore
import Foundation
import GRDB

extension Store {
    /// A complaint's photos, in the order they came.
    public func photos(complaintID: Int64) async throws -> [StoredPhoto] {
        try await self.lookUp { try $0.photos(complaintID: complaintID) }
    }

    /// One photo of a complaint, or nil when the complaint has no photo with that id.
    public func photo(id: Int64, complaintID: Int64) async throws -> StoredPhoto? {
        try await self.read { session in
            try session.fetchOne(PhotoRecord.self, "SELECT * FROM photo WHERE id = ? AND complaint_id = ?", [id, complaintID])?.stored
        }
    }

    /// The evidence resolutions used since `since`, what a new after-photo is compared with. Read outside the
    /// resolution's write transaction, so that a year of fingerprints never holds up filing; evidence committed in
    /// between is missed by one resolution at most.
    public func evidence(since: Date) async throws -> [PhotoFingerprint] {
        try await self.read { session in
            try session.fetchAll(
                "SELECT complaint_id, original_sha256, perceptual_hash FROM photo WHERE purpose = 'evidence' AND created_at >= ?",
                [DatabaseTimestamp.string(since)]
            ).map {
                PhotoFingerprint(
                    complaintID: $0["complaint_id"], sha256: $0["original_sha256"], perceptualHash: UInt64(bitPattern: $0["perceptual_hash"] as Int64))
            }
        }
    }

    /// Every file name (SHA-256) some photo row names: what the orphan sweep keeps.
    public func referencedPhotoFiles() async throws -> Set<String> {
        try await self.read { session in
            var names = Set<String>()
            try session.forEachRow("SELECT original_sha256, public_sha256, thumbnail_sha256 FROM photo", values: []) { row in
                for column in ["original_sha256", "public_sha256", "thumbnail_sha256"] { names.insert(row[column]) }
            }
            return names
        }
    }
}

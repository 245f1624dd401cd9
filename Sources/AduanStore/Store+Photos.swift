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
        try await self.writer.read { db in
            try PhotoRecord.filter(PhotoRecord.Columns.id == id && PhotoRecord.Columns.complaintID == complaintID).fetchOne(db)?.stored
        }
    }

    /// The evidence resolutions used since `since`, what a new after-photo is compared with. Read outside the
    /// resolution's write transaction, so that a year of fingerprints never holds up filing; evidence committed in
    /// between is missed by one resolution at most.
    public func evidence(since: Date) async throws -> [PhotoFingerprint] {
        try await self.writer.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT complaint_id, original_sha256, perceptual_hash FROM photo WHERE purpose = 'evidence' AND created_at >= ?"),
                arguments: [DatabaseTimestamp.string(since)]
            ).map { PhotoFingerprint(complaintID: $0[0], sha256: $0[1], perceptualHash: UInt64(bitPattern: $0[2] as Int64)) }
        }
    }

    /// Every file name (SHA-256) some photo row names: what the orphan sweep keeps.
    public func referencedPhotoFiles() async throws -> Set<String> {
        try await self.writer.read { db in
            var names = Set<String>()
            let cursor = try Row.fetchCursor(db, sql: "SELECT original_sha256, public_sha256, thumbnail_sha256 FROM photo")
            while let row = try cursor.next() {
                names.insert(row[0])
                names.insert(row[1])
                names.insert(row[2])
            }
            return names
        }
    }
}

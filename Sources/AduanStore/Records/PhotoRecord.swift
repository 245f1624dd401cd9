import AduanCore
import Foundation
import GRDB

/// A row of `photo`: read by column name, written from one list of (column, value) pairs as `ComplaintRecord` is.
struct PhotoRecord: FetchableRecord, TableRecord {
    static let databaseTableName = "photo"

    enum Columns {
        static let id = Column("id")
        static let complaintID = Column("complaint_id")
        static let purpose = Column("purpose")
        static let actorKind = Column("actor_kind")
        static let actorID = Column("actor_id")
        static let format = Column("format")
        static let originalSHA256 = Column("original_sha256")
        static let originalBytes = Column("original_bytes")
        static let publicSHA256 = Column("public_sha256")
        static let thumbnailSHA256 = Column("thumbnail_sha256")
        static let width = Column("width")
        static let height = Column("height")
        static let takenAt = Column("taken_at")
        static let lat = Column("lat")
        static let lng = Column("lng")
        static let perceptualHash = Column("perceptual_hash")
        static let flags = Column("flags")
        static let createdAt = Column("created_at")
    }

    var stored: StoredPhoto

    init(_ photo: PhotoAttachment, complaintID: Int64) {
        self.stored = StoredPhoto(id: 0, complaintID: complaintID, attachment: photo)
    }

    init(row: Row) throws {
        let lat: Double? = row[Columns.lat]
        let lng: Double? = row[Columns.lng]
        let flagNames = (row[Columns.flags] as String?)?.split(separator: ",").map(String.init) ?? []
        let flags = try flagNames.map { name in
            guard let flag = EvidenceFlag(rawValue: name) else {
                throw StoredValueInvalid(table: Self.databaseTableName, column: Columns.flags.name, value: name)
            }
            return flag
        }
        let photo = ProcessedPhoto(
            format: try row.decode(forColumn: Columns.format), originalSHA256: row[Columns.originalSHA256],
            originalBytes: row[Columns.originalBytes], publicSHA256: row[Columns.publicSHA256],
            thumbnailSHA256: row[Columns.thumbnailSHA256], width: row[Columns.width], height: row[Columns.height],
            takenAt: try ComplaintRecord.optionalInstant(row, Columns.takenAt, table: Self.databaseTableName),
            location: lat.flatMap { lat in lng.map { GeoPoint(lat: lat, lng: $0) } },
            perceptualHash: UInt64(bitPattern: row[Columns.perceptualHash]))
        self.stored = StoredPhoto(
            id: row[Columns.id], complaintID: row[Columns.complaintID],
            attachment: PhotoAttachment(
                photo: photo, purpose: try row.decode(forColumn: Columns.purpose), actorKind: try row.decode(forColumn: Columns.actorKind),
                actorID: row[Columns.actorID], flags: flags,
                at: try ComplaintRecord.instant(row, Columns.createdAt, table: Self.databaseTableName)))
    }

    static let written: [ComplaintRecord.Written<StoredPhoto>] = [
        (Columns.complaintID, { $0.complaintID }),
        (Columns.purpose, { $0.purpose }),
        (Columns.actorKind, { $0.attachment.actorKind }),
        (Columns.actorID, { $0.attachment.actorID }),
        (Columns.format, { $0.photo.format }),
        (Columns.originalSHA256, { $0.photo.originalSHA256 }),
        (Columns.originalBytes, { $0.photo.originalBytes }),
        (Columns.publicSHA256, { $0.photo.publicSHA256 }),
        (Columns.thumbnailSHA256, { $0.photo.thumbnailSHA256 }),
        (Columns.width, { $0.photo.width }),
        (Columns.height, { $0.photo.height }),
        (Columns.takenAt, { $0.photo.takenAt.map(DatabaseTimestamp.string) }),
        (Columns.lat, { $0.photo.location?.lat }),
        (Columns.lng, { $0.photo.location?.lng }),
        (Columns.perceptualHash, { Int64(bitPattern: $0.photo.perceptualHash) }),
        (Columns.flags, { $0.purpose == .evidence ? $0.flags.map(\.rawValue).joined(separator: ",") : nil }),
        (Columns.createdAt, { DatabaseTimestamp.string($0.attachment.at) }),
    ]

    static let insertSQL = """
        INSERT INTO photo (\(written.map(\.column.name).joined(separator: ", ")))
        VALUES (\(Array(repeating: "?", count: written.count).joined(separator: ", ")))
        """

    func insert(_ session: some SQLSession) throws {
        try session.execute(Self.insertSQL, Self.written.map { $0.value(self.stored) })
    }
}

extension PhotoFormat: DatabaseValueConvertible {}
extension PhotoPurpose: DatabaseValueConvertible {}

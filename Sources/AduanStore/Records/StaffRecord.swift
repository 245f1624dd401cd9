import AduanCore
import Foundation
import GRDB

/// A row of `staff`.
struct StaffRecord: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "staff"

    var id: Int64
    var name: String
    var role: String
    var opd: String?
    var created_at: Date
    var revoked_at: Date?

    /// The domain value; the schema's CHECK constraint guarantees the role.
    var member: StaffMember {
        StaffMember(
            id: self.id, name: self.name, role: StaffRole(rawValue: self.role) ?? .officer, opd: self.opd,
            createdAt: self.created_at.nearestMillisecond, revokedAt: self.revoked_at?.nearestMillisecond)
    }

    static let columns = "id, name, role, opd, created_at, revoked_at"
}

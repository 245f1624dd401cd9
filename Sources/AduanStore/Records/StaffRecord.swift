import AduanCore
import Foundation
import GRDB

/// A row of `staff`: a member and the hash of their token. A role this binary does not know is an error, never a
/// lesser role.
struct StaffRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "staff"

    enum Columns {
        static let id = Column("id")
        static let name = Column("name")
        static let role = Column("role")
        static let opd = Column("opd")
        static let tokenHash = Column("token_hash")
        static let createdAt = Column("created_at")
        static let revokedAt = Column("revoked_at")
    }

    var member: StaffMember
    /// Only set for a member being added.
    var tokenHash: String?

    init(_ member: StaffMember, tokenHash: String) {
        self.member = member
        self.tokenHash = tokenHash
    }

    init(row: Row) throws {
        let created: String = row[Columns.createdAt]
        guard let createdAt = DatabaseTimestamp.date(created) else {
            throw StoredValueInvalid(table: Self.databaseTableName, column: Columns.createdAt.name, value: created)
        }
        let revoked: String? = row[Columns.revokedAt]
        self.member = StaffMember(
            id: row[Columns.id], name: row[Columns.name], role: try row.decode(forColumn: Columns.role), opd: row[Columns.opd],
            createdAt: createdAt, revokedAt: try revoked.map {
                guard let date = DatabaseTimestamp.date($0) else {
                    throw StoredValueInvalid(table: Self.databaseTableName, column: Columns.revokedAt.name, value: $0)
                }
                return date
            })
    }

    func encode(to container: inout PersistenceContainer) {
        if self.member.id > 0 { container[Columns.id] = self.member.id }
        container[Columns.name] = self.member.name
        container[Columns.role] = self.member.role
        container[Columns.opd] = self.member.opd
        // A fetched member carries no hash: saving it back must not touch the stored one.
        if let tokenHash = self.tokenHash { container[Columns.tokenHash] = tokenHash }
        container[Columns.createdAt] = DatabaseTimestamp.string(self.member.createdAt)
        container[Columns.revokedAt] = self.member.revokedAt.map(DatabaseTimestamp.string)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        let member = self.member
        self.member = StaffMember(
            id: inserted.rowID, name: member.name, role: member.role, opd: member.opd, createdAt: member.createdAt,
            revokedAt: member.revokedAt)
    }
}

extension StaffRole: DatabaseValueConvertible {}

import AduanCore
import Foundation
import GRDB

extension Store {
    // MARK: - Writes

    /// Stores a new staff member with the hash of their token.
    public func addStaff(name: String, role: StaffRole, opd: String?, tokenHash: String, now: Date) async throws -> StaffMember {
        try await self.writer.write { db in
            try db.execute(
                sql: "INSERT INTO staff (name, role, opd, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, role.rawValue, opd, tokenHash, DatabaseTimestamp.string(now)])
            return StaffMember(id: db.lastInsertedRowID, name: name, role: role, opd: opd, createdAt: now, revokedAt: nil)
        }
    }

    /// Revokes a member's token from now on; nil when there is no such member. Revoking twice keeps the first time.
    public func revokeStaff(id: Int64, now: Date) async throws -> StaffMember? {
        try await self.writer.write { db in
            try db.execute(
                sql: "UPDATE staff SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [DatabaseTimestamp.string(now), id])
            return try StaffRecord.fetchOne(db, sql: "SELECT \(StaffRecord.columns) FROM staff WHERE id = ?", arguments: [id])?.member
        }
    }

    // MARK: - Reads

    /// The active (not revoked) member holding the token with this hash.
    public func staff(tokenHash: String) async throws -> StaffMember? {
        try await self.writer.read { db in
            try StaffRecord.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(StaffRecord.columns) FROM staff WHERE token_hash = ? AND revoked_at IS NULL"),
                arguments: [tokenHash])?.member
        }
    }

    /// Every member, revoked ones included, in the order they were added.
    public func staffMembers() async throws -> [StaffMember] {
        try await self.writer.read { db in
            try StaffRecord.fetchAll(db, sql: "SELECT \(StaffRecord.columns) FROM staff ORDER BY id").map(\.member)
        }
    }

    /// The members with these ids, for naming the actors of an audit log.
    public func staffMembers(ids: Set<Int64>) async throws -> [Int64: StaffMember] {
        guard !ids.isEmpty else { return [:] }
        return try await self.writer.read { db in
            let list = ids.map(String.init).joined(separator: ",")
            let members = try StaffRecord.fetchAll(db, sql: "SELECT \(StaffRecord.columns) FROM staff WHERE id IN (\(list))")
            return Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0.member) })
        }
    }
}

import AduanCore
import Foundation
import GRDB

/// Who filed: sealing anonymous reporters' identities at rest, and the audit of staff reading a reporter's identity.
extension Store {
    /// Seals the clear name and phone of anonymous complaints filed before schema 9 and empties the clear columns,
    /// with `secure_delete` so that the old values are overwritten in the file's pages too. Returns how many rows it
    /// sealed; 0 once done, so the server can call it at every start.
    @discardableResult
    public func sealAnonymousReporters(with seal: IdentitySeal) async throws -> Int {
        guard case .sqlite(let writer) = self.engine else {
            // A database server: the copy came from a sealed file, or there are none. Its old row versions go at the
            // next VACUUM (the operations guide says so); nothing here can overwrite them.
            return try await self.write { session in try Self.seal(with: seal, session) }
        }
        return try await writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            var sealed = 0
            try db.inTransaction {
                sealed = try Self.seal(with: seal, db)
                return .commit
            }
            // The old pages are still in the WAL until a checkpoint overwrites the file and empties the log.
            if sealed > 0 { try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            return sealed
        }
    }

    static func seal(with seal: IdentitySeal, _ session: some SQLSession) throws -> Int {
        let rows = try session.fetchAll(
            """
            SELECT id, reporter_name, reporter_phone FROM complaint
            WHERE anonymous = 1 AND (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL)
            """)
        for row in rows {
            let identity = seal.seal(name: row["reporter_name"], phone: row["reporter_phone"])
            try session.execute(
                """
                UPDATE complaint SET reporter_name = NULL, reporter_phone = NULL, reporter_name_sealed = ?, reporter_phone_sealed = ?
                WHERE id = ?
                """, [identity?.name.map { Data($0) }, identity?.phone.map { Data($0) }, row["id"] as Int64])
        }
        return rows.count
    }

    /// Records that a staff member was shown the reporter's name or phone. Not fsynced on its own (it rides on the
    /// next synced commit): a read is not worth an fsync, and at worst a power cut forgets the last moments' reads.
    public func recordIdentityRead(complaintID: Int64, staffID: Int64, at: Date) async throws {
        try await self.relaxedWrite { session in
            try session.execute(
                "INSERT INTO identity_read (complaint_id, staff_id, at) VALUES (?, ?, ?)",
                [complaintID, staffID, DatabaseTimestamp.string(at)])
        }
    }

    /// Who was shown a complaint's reporter, and when, oldest first.
    public func identityReads(complaintID: Int64) async throws -> [(staffID: Int64, at: Date)] {
        try await self.read { session in
            try session.fetchAll("SELECT staff_id, at FROM identity_read WHERE complaint_id = ? ORDER BY id", [complaintID]).map { row in
                let text: String = row["at"]
                guard let at = DatabaseTimestamp.date(text) else {
                    throw StoredValueInvalid(table: "identity_read", column: "at", value: text)
                }
                return (row["staff_id"], at)
            }
        }
    }
}

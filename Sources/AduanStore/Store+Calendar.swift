import AduanCore
import Foundation
import GRDB

extension Store {
    // MARK: - Writes

    /// Keeps one calendar change, decided by `decide` from every change kept so far, in one transaction: two operators
    /// changing the same day at once cannot both pass the check.
    public func changeCalendar(
        _ decide: @escaping @Sendable ([CalendarChange]) -> Result<CalendarChange, CalendarChangeRefused>
    ) async throws -> CalendarChange {
        try await self.write { session in
            // On several servers too: the check sees every change kept before this one.
            try session.serialize(on: .calendar)
            let change = try decide(Self.calendarChanges(session)).get()
            let record = CalendarChangeRecord(change)
            guard
                let id = try session.value(
                    Int64.self,
                    """
                    INSERT INTO calendar_change (action, date, region, kind, name, note, actor, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """,
                    [
                        record.action, record.date, record.region, record.kind, record.name, record.note, record.actor,
                        DatabaseTimestamp.string(record.createdAt),
                    ])
            else { throw StoredValueInvalid(table: CalendarChangeRecord.databaseTableName, column: "id", value: "none returned") }
            return change.kept(as: id)
        }
    }

    // MARK: - Reads

    /// Every calendar change, oldest first.
    public func calendarChanges() async throws -> [CalendarChange] {
        try await self.read { session in try Self.calendarChanges(session) }
    }

    /// The id of the latest calendar change (0: none): a cheap look for the server's refresher.
    public func latestCalendarChangeID() async throws -> Int64 {
        try await self.read { session in try session.value(Int64.self, "SELECT max(id) FROM calendar_change") ?? 0 }
    }

    /// The catalog with the calendar changes kept in this database applied: what the server and the operator
    /// commands that set deadlines work with.
    public func catalogInForce(_ base: Catalog) async throws -> Catalog {
        base.applying(try await self.calendarChanges())
    }

    static func calendarChanges(_ session: some SQLSession) throws -> [CalendarChange] {
        try session.fetchAll(CalendarChangeRecord.self, "SELECT * FROM calendar_change ORDER BY id").map { try $0.change() }
    }
}

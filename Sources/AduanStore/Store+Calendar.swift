import AduanCore
import Foundation
import GRDB

extension Store {
    // MARK: - Writes

    /// Keeps one calendar change, decided by `decide` from every change kept so far, in one transaction: two operators
    /// changing the same day at once cannot both pass the check.
    public func changeCalendar(
        _ decide: @Sendable ([CalendarChange]) -> Result<CalendarChange, CalendarChangeRefused>
    ) async throws -> CalendarChange {
        try await self.writer.write { db in
            let change = try decide(Self.calendarChanges(db)).get()
            let record = try CalendarChangeRecord(change).inserted(db)
            return change.kept(as: record.id!)
        }
    }

    // MARK: - Reads

    /// Every calendar change, oldest first.
    public func calendarChanges() async throws -> [CalendarChange] {
        try await self.writer.read { db in try Self.calendarChanges(db) }
    }

    /// The id of the latest calendar change (0: none): a cheap look for the server's refresher.
    public func latestCalendarChangeID() async throws -> Int64 {
        try await self.writer.read { db in
            try CalendarChangeRecord.select(max(CalendarChangeRecord.Columns.id), as: Int64.self).fetchOne(db) ?? 0
        }
    }

    /// The catalog with the calendar changes kept in this database applied: what the server and the operator
    /// commands that set deadlines work with.
    public func catalogInForce(_ base: Catalog) async throws -> Catalog {
        base.applying(try await self.calendarChanges())
    }

    static func calendarChanges(_ db: Database) throws -> [CalendarChange] {
        try CalendarChangeRecord.order(CalendarChangeRecord.Columns.id).fetchAll(db).map { try $0.change() }
    }
}

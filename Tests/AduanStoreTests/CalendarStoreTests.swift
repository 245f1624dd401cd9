import AduanBundledCatalog
import AduanCore
import AduanTestSupport
import Foundation
import GRDB
import Testing

@testable import AduanStore

@Suite("Store: the operators' calendar changes")
struct CalendarStoreTests {
    static let bundled = try! CatalogLoader.bundled()

    static func request(_ action: CalendarChange.Action, _ date: String, name: String? = "Libur uji") -> CalendarChangeRequest {
        CalendarChangeRequest(
            action: action, date: LocalDate(iso: date)!, region: nil, kind: action == .add ? .libur : nil, name: name, note: "SK uji")
    }

    static func keep(_ store: Store, _ request: CalendarChangeRequest, at: Date = Date()) async throws -> CalendarChange {
        try await store.changeCalendar { Self.bundled.applying($0).admit(request, actor: "ops", at: at) }
    }

    @Test("changes are kept in order with who made them, read back equal, and make the catalog in force")
    func keptInOrder() async throws {
        try await TestStores.with { store async throws in
            #expect(try await store.latestCalendarChangeID() == 0)
            let at = Date(timeIntervalSince1970: 1_796_000_000.123)
            let added = try await Self.keep(store, Self.request(.add, "2027-01-07"), at: at)
            let removed = try await Self.keep(store, Self.request(.remove, "2027-03-11", name: nil), at: at)
            #expect(added.id == 1 && removed.id == 2)
            #expect(try await store.calendarChanges() == [added, removed])
            #expect(removed.name == "Hari kedua dari Hari Raya Idul Fitri" && removed.actor == "ops" && removed.at == at)
            #expect(try await store.latestCalendarChangeID() == 2)
            let inForce = try await store.catalogInForce(Self.bundled)
            #expect(inForce.calendarVersion == 2)
            #expect(!inForce.calendar.isWorkingDay(LocalDate(iso: "2027-01-07")!))
            #expect(inForce.calendar.isWorkingDay(LocalDate(iso: "2027-03-11")!))
        }
    }

    @Test("a refused change keeps nothing; two operators adding the same day at once: one is kept, one refused")
    func refusedAndRaced() async throws {
        try await TestStores.with { store async throws in
            await #expect(throws: CalendarChangeRefused.self) { try await Self.keep(store, Self.request(.remove, "2027-01-07", name: nil)) }
            #expect(try await store.calendarChanges().isEmpty)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<2 { group.addTask { (try? await Self.keep(store, Self.request(.add, "2027-01-07"))) != nil } }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1 && outcomes.count == 2)
            #expect(try await store.calendarChanges().count == 1)
        }
    }

    @Test("the calendar's history is append-only, and the schema refuses a kind it does not know")
    func appendOnly() async throws {
        let path = temporaryDatabasePath()
        let store = try Store.open(path: path)
        _ = try await Self.keep(store, Self.request(.add, "2027-01-07"))
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: "UPDATE calendar_change SET name = 'x'") } }
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: "DELETE FROM calendar_change") } }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO calendar_change (action, date, kind, name, actor, created_at)
                        VALUES ('add', '2027-01-08', 'nasional', 'x', 'ops', '2026-12-01 00:00:00.000')
                        """)
            }
        }
        #expect(try await store.calendarChanges().count == 1)
    }
}

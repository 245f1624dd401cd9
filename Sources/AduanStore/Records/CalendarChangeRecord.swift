import AduanCore
import Foundation
import GRDB

/// A row of `calendar_change`: one operator's change to the working calendar.
struct CalendarChangeRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "calendar_change"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let action = Column(CodingKeys.action)
        static let date = Column(CodingKeys.date)
        static let region = Column(CodingKeys.region)
        static let kind = Column(CodingKeys.kind)
        static let name = Column(CodingKeys.name)
        static let note = Column(CodingKeys.note)
        static let actor = Column(CodingKeys.actor)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, action, date, region, kind, name, note, actor
        case createdAt = "created_at"
    }

    var id: Int64?
    var action: CalendarChange.Action
    var date: String
    var region: String?
    var kind: Holiday.Kind
    var name: String
    var note: String?
    var actor: String
    var createdAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { self.id = inserted.rowID }

    init(_ change: CalendarChange) {
        self.id = change.id
        self.action = change.action
        self.date = change.date.description
        self.region = change.region?.rawValue
        self.kind = change.kind
        self.name = change.name
        self.note = change.note
        self.actor = change.actor
        self.createdAt = change.at
    }

    /// The domain value; a date the schema's GLOB let through but the calendar does not know fails loudly.
    func change() throws -> CalendarChange {
        guard let date = LocalDate(iso: self.date) else {
            throw StoredValueInvalid(table: Self.databaseTableName, column: "date", value: self.date)
        }
        return CalendarChange(
            id: self.id, action: self.action, date: date, region: self.region.map(RegionCode.init), kind: self.kind,
            name: self.name, note: self.note, actor: self.actor, at: self.createdAt.nearestMillisecond)
    }
}

extension CalendarChange.Action: DatabaseValueConvertible {}
extension Holiday.Kind: DatabaseValueConvertible {}

import AduanCore
import Foundation
import GRDB

/// A row of `complaint_event`, the append-only history. A kind, an actor or details this binary cannot read are an
/// error, never a guess.
struct ComplaintEventRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "complaint_event"

    enum Columns {
        static let id = Column("id")
        static let complaintID = Column("complaint_id")
        static let kind = Column("kind")
        static let actorKind = Column("actor_kind")
        static let actorID = Column("actor_id")
        static let at = Column("at")
        static let visibleToReporter = Column("visible_to_reporter")
        static let details = Column("details")
    }

    var complaintID: Int64
    var event: ComplaintEvent

    init(_ event: ComplaintEvent, complaintID: Int64) {
        self.complaintID = complaintID
        self.event = event
    }

    init(row: Row) throws {
        self.complaintID = row[Columns.complaintID]
        let at: String = row[Columns.at]
        guard let instant = DatabaseTimestamp.date(at) else {
            throw StoredValueInvalid(table: Self.databaseTableName, column: Columns.at.name, value: at)
        }
        let details: String = row[Columns.details]
        guard let decoded = try? JSONDecoder().decode([String: String].self, from: Data(details.utf8)) else {
            throw StoredValueInvalid(table: Self.databaseTableName, column: Columns.details.name, value: details)
        }
        self.event = ComplaintEvent(
            kind: try row.decode(forColumn: Columns.kind), actorKind: try row.decode(forColumn: Columns.actorKind),
            actorID: row[Columns.actorID], at: instant, visibleToReporter: row[Columns.visibleToReporter], details: decoded)
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.complaintID] = self.complaintID
        container[Columns.kind] = self.event.kind
        container[Columns.actorKind] = self.event.actorKind
        container[Columns.actorID] = self.event.actorID
        container[Columns.at] = DatabaseTimestamp.string(self.event.at)
        container[Columns.visibleToReporter] = self.event.visibleToReporter
        container[Columns.details] = DetailsJSON.encode(self.event.details)
    }
}

extension ComplaintEvent.Kind: DatabaseValueConvertible {}
extension ComplaintEvent.ActorKind: DatabaseValueConvertible {}

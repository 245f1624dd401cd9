import AduanCore
import Foundation
import GRDB

/// A row of `complaint_event`, the append-only history: read by column name, written from one list of (column, value)
/// pairs as `ComplaintRecord` is. A kind, an actor or details this binary cannot read are an error, never a guess.
struct ComplaintEventRecord: FetchableRecord, TableRecord {
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
        // What DetailsJSON wrote is read by hand (a staff view reads a history per request); anything else by Foundation.
        guard let decoded = DetailsJSON.decodeOwn(details) ?? (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8)))
        else {
            throw StoredValueInvalid(table: Self.databaseTableName, column: Columns.details.name, value: details)
        }
        self.event = ComplaintEvent(
            kind: try row.decode(forColumn: Columns.kind), actorKind: try row.decode(forColumn: Columns.actorKind),
            actorID: row[Columns.actorID], at: instant, visibleToReporter: row[Columns.visibleToReporter], details: decoded)
    }

    static let written: [ComplaintRecord.Written<ComplaintEventRecord>] = [
        (Columns.complaintID, { $0.complaintID }),
        (Columns.kind, { $0.event.kind }),
        (Columns.actorKind, { $0.event.actorKind }),
        (Columns.actorID, { $0.event.actorID }),
        (Columns.at, { DatabaseTimestamp.string($0.event.at) }),
        (Columns.visibleToReporter, { $0.event.visibleToReporter }),
        (Columns.details, { DetailsJSON.encode($0.event.details) }),
    ]

    static let insertSQL = """
        INSERT INTO complaint_event (\(written.map(\.column.name).joined(separator: ", ")))
        VALUES (\(Array(repeating: "?", count: written.count).joined(separator: ", ")))
        """

    func insert(_ session: some SQLSession) throws {
        try session.execute(Self.insertSQL, Self.written.map { $0.value(self) })
    }
}

extension ComplaintEvent.Kind: DatabaseValueConvertible {}
extension ComplaintEvent.ActorKind: DatabaseValueConvertible {}

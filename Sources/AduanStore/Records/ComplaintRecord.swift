import AduanCore
import Foundation
import GRDB

/// A row of `complaint`. Each column is named once, in `Columns`, and read and written by that name; the
/// state columns are written by one function, for filing and for every workflow step. A stored value this
/// binary does not know (a status, a privacy, an SLA level) is an error, never a guess.
struct ComplaintRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "complaint"

    enum Columns {
        static let id = Column("id")
        static let ticket = Column("ticket")
        static let category = Column("category")
        static let description = Column("description")
        static let region = Column("region")
        static let lat = Column("lat")
        static let lng = Column("lng")
        static let address = Column("address")
        static let reporterName = Column("reporter_name")
        static let reporterPhone = Column("reporter_phone")
        static let visibility = Column("visibility")
        static let anonymous = Column("anonymous")
        static let routingRule = Column("routing_rule")
        static let trackingTokenHash = Column("tracking_token_hash")
        static let createdAt = Column("created_at")
        // The state: what the workflow changes.
        static let status = Column("status")
        static let opd = Column("opd")
        static let responseDueAt = Column("response_due_at")
        static let resolutionDueAt = Column("resolution_due_at")
        static let responseAtRiskAt = Column("response_at_risk_at")
        static let resolutionAtRiskAt = Column("resolution_at_risk_at")
        static let respondedAt = Column("responded_at")
        static let resolvedAt = Column("resolved_at")
        static let pausedAt = Column("paused_at")
        static let responseSLA = Column("response_sla")
        static let resolutionSLA = Column("resolution_sla")
        static let mergedInto = Column("merged_into")
        static let escalatedTo = Column("escalated_to")
        static let reopenCount = Column("reopen_count")
        static let settledAt = Column("settled_at")
        static let reopenedAt = Column("reopened_at")
        static let pausedWorkingSeconds = Column("paused_working_seconds")
        static let responseWorkingSeconds = Column("response_working_seconds")
        static let resolutionWorkingSeconds = Column("resolution_working_seconds")
        static let updatedAt = Column("updated_at")
    }

    var complaint: Complaint
    var trackingTokenHash: String

    init(_ complaint: Complaint, trackingTokenHash: String) {
        self.complaint = complaint
        self.trackingTokenHash = trackingTokenHash
    }

    init(row: Row) throws {
        let lat: Double? = row[Columns.lat]
        let lng: Double? = row[Columns.lng]
        self.trackingTokenHash = row[Columns.trackingTokenHash]
        self.complaint = Complaint(
            id: row[Columns.id], ticket: Ticket(row[Columns.ticket]), category: row[Columns.category],
            description: row[Columns.description], region: RegionCode(row[Columns.region]),
            location: lat.flatMap { lat in lng.map { GeoPoint(lat: lat, lng: $0) } }, address: row[Columns.address],
            reporter: Reporter(name: row[Columns.reporterName], phone: row[Columns.reporterPhone]),
            visibility: try row.decode(forColumn: Columns.visibility), anonymous: row[Columns.anonymous],
            routingRule: row[Columns.routingRule], createdAt: try Self.instant(row, Columns.createdAt),
            state: ComplaintState(
                status: try row.decode(forColumn: Columns.status), opd: row[Columns.opd],
                responseDueAt: try Self.instant(row, Columns.responseDueAt),
                resolutionDueAt: try Self.instant(row, Columns.resolutionDueAt),
                // Rows from before schema 2 have no at-risk points: they are at risk only when due.
                responseAtRiskAt: try Self.instant(row, Columns.responseAtRiskAt, or: Columns.responseDueAt),
                resolutionAtRiskAt: try Self.instant(row, Columns.resolutionAtRiskAt, or: Columns.resolutionDueAt),
                respondedAt: try Self.optionalInstant(row, Columns.respondedAt),
                resolvedAt: try Self.optionalInstant(row, Columns.resolvedAt),
                pausedAt: try Self.optionalInstant(row, Columns.pausedAt),
                responseSLA: try row.decode(forColumn: Columns.responseSLA),
                resolutionSLA: try row.decode(forColumn: Columns.resolutionSLA),
                mergedInto: (row[Columns.mergedInto] as String?).map(Ticket.init), escalatedTo: row[Columns.escalatedTo],
                reopenCount: row[Columns.reopenCount], settledAt: try Self.optionalInstant(row, Columns.settledAt),
                reopenedAt: try Self.optionalInstant(row, Columns.reopenedAt),
                pausedWorkingSeconds: row[Columns.pausedWorkingSeconds],
                responseWorkingSeconds: row[Columns.responseWorkingSeconds],
                resolutionWorkingSeconds: row[Columns.resolutionWorkingSeconds],
                updatedAt: try Self.instant(row, Columns.updatedAt)))
    }

    func encode(to container: inout PersistenceContainer) {
        let complaint = self.complaint
        if complaint.id > 0 { container[Columns.id] = complaint.id }
        container[Columns.ticket] = complaint.ticket.rawValue
        container[Columns.category] = complaint.category
        container[Columns.description] = complaint.description
        container[Columns.region] = complaint.region.rawValue
        container[Columns.lat] = complaint.location?.lat
        container[Columns.lng] = complaint.location?.lng
        container[Columns.address] = complaint.address
        container[Columns.reporterName] = complaint.reporter.name
        container[Columns.reporterPhone] = complaint.reporter.phone
        container[Columns.visibility] = complaint.visibility
        container[Columns.anonymous] = complaint.anonymous
        container[Columns.routingRule] = complaint.routingRule
        container[Columns.trackingTokenHash] = self.trackingTokenHash
        container[Columns.createdAt] = DatabaseTimestamp.string(complaint.createdAt)
        Self.encode(complaint.state, to: &container)
    }

    /// The state columns: written when a complaint is filed and at every workflow step.
    static func encode(_ state: ComplaintState, to container: inout PersistenceContainer) {
        container[Columns.status] = state.status
        container[Columns.opd] = state.opd
        container[Columns.responseDueAt] = DatabaseTimestamp.string(state.responseDueAt)
        container[Columns.resolutionDueAt] = DatabaseTimestamp.string(state.resolutionDueAt)
        container[Columns.responseAtRiskAt] = DatabaseTimestamp.string(state.responseAtRiskAt)
        container[Columns.resolutionAtRiskAt] = DatabaseTimestamp.string(state.resolutionAtRiskAt)
        container[Columns.respondedAt] = state.respondedAt.map(DatabaseTimestamp.string)
        container[Columns.resolvedAt] = state.resolvedAt.map(DatabaseTimestamp.string)
        container[Columns.pausedAt] = state.pausedAt.map(DatabaseTimestamp.string)
        container[Columns.responseSLA] = state.responseSLA
        container[Columns.resolutionSLA] = state.resolutionSLA
        container[Columns.mergedInto] = state.mergedInto?.rawValue
        container[Columns.escalatedTo] = state.escalatedTo
        container[Columns.reopenCount] = state.reopenCount
        container[Columns.settledAt] = state.settledAt.map(DatabaseTimestamp.string)
        container[Columns.reopenedAt] = state.reopenedAt.map(DatabaseTimestamp.string)
        container[Columns.pausedWorkingSeconds] = state.pausedWorkingSeconds
        container[Columns.responseWorkingSeconds] = state.responseWorkingSeconds
        container[Columns.resolutionWorkingSeconds] = state.resolutionWorkingSeconds
        container[Columns.updatedAt] = DatabaseTimestamp.string(state.updatedAt)
    }

    /// Stores a new state of the complaint `id`: an UPDATE of the state columns, by name.
    static func update(_ state: ComplaintState, id: Int64, _ db: Database) throws {
        try ComplaintStateRecord(id: id, state: state).update(db)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        let complaint = self.complaint
        self.complaint = Complaint(
            id: inserted.rowID, ticket: complaint.ticket, category: complaint.category, description: complaint.description,
            region: complaint.region, location: complaint.location, address: complaint.address, reporter: complaint.reporter,
            visibility: complaint.visibility, anonymous: complaint.anonymous, routingRule: complaint.routingRule,
            createdAt: complaint.createdAt, state: complaint.state)
    }

    // MARK: - Instants

    /// A stored instant, parsed on the fast path (no formatter); a value that is not a timestamp is an error.
    static func instant(_ row: Row, _ column: Column, or fallback: Column? = nil) throws -> Date {
        if let date = try self.optionalInstant(row, column) { return date }
        if let fallback, let date = try self.optionalInstant(row, fallback) { return date }
        throw StoredValueInvalid(table: Self.databaseTableName, column: column.name, value: "NULL")
    }

    static func optionalInstant(_ row: Row, _ column: Column) throws -> Date? {
        guard let text = row[column] as String? else { return nil }
        guard let date = DatabaseTimestamp.date(text) else {
            throw StoredValueInvalid(table: Self.databaseTableName, column: column.name, value: text)
        }
        return date
    }
}

/// The state columns of a `complaint` row, keyed by its id: what every workflow step rewrites.
private struct ComplaintStateRecord: PersistableRecord {
    static let databaseTableName = ComplaintRecord.databaseTableName
    let id: Int64
    let state: ComplaintState

    func encode(to container: inout PersistenceContainer) {
        container[ComplaintRecord.Columns.id] = self.id
        ComplaintRecord.encode(self.state, to: &container)
    }
}

extension ComplaintStatus: DatabaseValueConvertible {}
extension Visibility: DatabaseValueConvertible {}
extension SLALevel: DatabaseValueConvertible {}

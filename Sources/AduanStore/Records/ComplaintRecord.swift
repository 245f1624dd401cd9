import AduanCore
import Foundation
import GRDB

/// A row of `complaint`.
struct ComplaintRecord: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "complaint"

    var id: Int64?
    var ticket: String
    var category: String
    var description: String
    var region: String
    var lat: Double?
    var lng: Double?
    var address: String?
    var reporter_name: String?
    var reporter_phone: String?
    var visibility: String
    var anonymous: Bool
    var status: String
    var opd: String
    var routing_rule: String
    var response_due_at: Date
    var resolution_due_at: Date
    var response_at_risk_at: Date?
    var resolution_at_risk_at: Date?
    var responded_at: Date?
    var resolved_at: Date?
    var paused_at: Date?
    var response_sla: String
    var resolution_sla: String
    var merged_into: String?
    var escalated_to: String?
    var reopen_count: Int
    var settled_at: Date?
    var reopened_at: Date?
    var paused_working_seconds: Double
    var response_working_seconds: Double?
    var resolution_working_seconds: Double?
    var tracking_token_hash: String
    var created_at: Date
    var updated_at: Date

    /// The domain value; the schema's CHECK constraints guarantee the enum values.
    var complaint: Complaint {
        Complaint(
            id: self.id ?? 0, ticket: Ticket(self.ticket), category: self.category, description: self.description,
            region: RegionCode(self.region), location: self.lat.flatMap { lat in self.lng.map { GeoPoint(lat: lat, lng: $0) } },
            address: self.address, reporter: Reporter(name: self.reporter_name, phone: self.reporter_phone),
            visibility: Visibility(rawValue: self.visibility) ?? .private, anonymous: self.anonymous,
            routingRule: self.routing_rule, createdAt: self.created_at.nearestMillisecond,
            state: ComplaintState(
                status: ComplaintStatus(rawValue: self.status) ?? .submitted, opd: self.opd,
                responseDueAt: self.response_due_at.nearestMillisecond,
                resolutionDueAt: self.resolution_due_at.nearestMillisecond,
                responseAtRiskAt: (self.response_at_risk_at ?? self.response_due_at).nearestMillisecond,
                resolutionAtRiskAt: (self.resolution_at_risk_at ?? self.resolution_due_at).nearestMillisecond,
                respondedAt: self.responded_at?.nearestMillisecond, resolvedAt: self.resolved_at?.nearestMillisecond,
                pausedAt: self.paused_at?.nearestMillisecond, responseSLA: SLALevel(rawValue: self.response_sla) ?? .onTime,
                resolutionSLA: SLALevel(rawValue: self.resolution_sla) ?? .onTime, mergedInto: self.merged_into.map(Ticket.init),
                escalatedTo: self.escalated_to, reopenCount: self.reopen_count,
                settledAt: self.settled_at?.nearestMillisecond, reopenedAt: self.reopened_at?.nearestMillisecond,
                pausedWorkingSeconds: self.paused_working_seconds, responseWorkingSeconds: self.response_working_seconds,
                resolutionWorkingSeconds: self.resolution_working_seconds, updatedAt: self.updated_at.nearestMillisecond))
    }
}

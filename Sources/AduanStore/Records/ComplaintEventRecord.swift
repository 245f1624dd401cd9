import AduanCore
import Foundation
import GRDB

/// A row of `complaint_event`, the append-only history.
struct ComplaintEventRecord: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "complaint_event"

    var complaint_id: Int64
    var kind: String
    var actor_kind: String
    var actor_id: String?
    var at: Date
    var visible_to_reporter: Bool
    var details: String

    var event: ComplaintEvent {
        ComplaintEvent(
            kind: ComplaintEvent.Kind(rawValue: self.kind) ?? .comment,
            actorKind: ComplaintEvent.ActorKind(rawValue: self.actor_kind) ?? .system, actorID: self.actor_id, at: self.at.nearestMillisecond,
            visibleToReporter: self.visible_to_reporter,
            details: (try? JSONDecoder().decode([String: String].self, from: Data(self.details.utf8))) ?? [:])
    }
}

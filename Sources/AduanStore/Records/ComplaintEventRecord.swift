import AduanCore
import Foundation
import GRDB

/// A row of `complaint_event`, the append-only history.
struct ComplaintEventRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "complaint_event"

    var complaint_id: Int64
    var kind: String
    var actor_kind: String
    var actor_id: String?
    var at: Date
    var visible_to_reporter: Bool
    var details: String

    init(complaintID: Int64, event: ComplaintEvent) {
        self.complaint_id = complaintID
        self.kind = event.kind.rawValue
        self.actor_kind = event.actorKind.rawValue
        self.actor_id = event.actorID
        self.at = event.at
        self.visible_to_reporter = event.visibleToReporter
        let json = (try? JSONEncoder.sortedKeys.encode(event.details)) ?? Data("{}".utf8)
        self.details = String(decoding: json, as: UTF8.self)
    }

    var event: ComplaintEvent {
        ComplaintEvent(
            kind: ComplaintEvent.Kind(rawValue: self.kind) ?? .comment,
            actorKind: ComplaintEvent.ActorKind(rawValue: self.actor_kind) ?? .system, actorID: self.actor_id, at: self.at,
            visibleToReporter: self.visible_to_reporter,
            details: (try? JSONDecoder().decode([String: String].self, from: Data(self.details.utf8))) ?? [:])
    }
}

extension JSONEncoder {
    static let sortedKeys: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}

import AduanCore
import AduanWire
import Foundation

/// Turns codes and instants into what people read: catalog names in the client's language and local times.
struct Presenter: Sendable {
    let catalog: Catalog

    func category(_ code: String, _ language: Language) -> CodeName {
        let category = self.catalog.category(code)
        return CodeName(code: code, name: (language == .en ? category?.nameEN : category?.nameID) ?? code)
    }

    func region(_ code: RegionCode) -> CodeName {
        CodeName(code: code.rawValue, name: self.catalog.regions[code]?.name ?? code.rawValue)
    }

    func opd(_ code: String) -> CodeName {
        CodeName(code: code, name: self.catalog.opds[code]?.name ?? code)
    }

    func status(_ status: ComplaintStatus, _ language: Language) -> String {
        language == .en ? status.labelEN : status.labelID
    }

    /// An instant in the complaint's region's time zone.
    func time(_ instant: Date, _ complaint: Complaint) -> String {
        self.catalog.calendar(for: complaint.region).iso8601(instant)
    }

    func deadlines(_ complaint: Complaint) -> SLADeadlines {
        SLADeadlines(
            response_due_at: self.time(complaint.responseDueAt, complaint),
            resolution_due_at: self.time(complaint.resolutionDueAt, complaint))
    }
}

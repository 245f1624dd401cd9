import Foundation

/// A short message to a reporter about their complaint, in Indonesian and with the ticket: sent through the
/// province's messaging gateway (SMS, WhatsApp, push) as a template with its parameters and the text itself. It never
/// carries an internal note: only the ticket, the office and another ticket's number.
public struct CitizenMessage: Sendable, Hashable {
    public let template: String
    public let params: [String: String]
    public let text: String

    /// The message a reporter gets for an announcement, if any: status changes, a question from the office, and a
    /// resolution that awaits their rating. Nothing for the SLA marks (internal) or for their own reply.
    public static func about(_ announcement: Announcement, ticket: Ticket, officeName: String) -> CitizenMessage? {
        let t = ticket.rawValue
        var params = ["ticket": t, "office": officeName]
        switch announcement.kind {
        case .filed:
            return Self("aduan_diterima", params, "Aduan \(t) diterima dan diteruskan ke \(officeName). Pantau statusnya di aplikasi.")
        case .forwarded:
            return Self("aduan_dialihkan", params, "Aduan \(t) dialihkan ke \(officeName), yang berwenang menanganinya.")
        case .accepted:
            return Self("aduan_diproses", params, "Aduan \(t) sedang ditindaklanjuti oleh \(officeName).")
        case .waitingForReporter:
            return Self("aduan_perlu_info", params, "\(officeName) memerlukan keterangan tambahan untuk aduan \(t). Balas melalui aplikasi.")
        case .resolved where announcement.fields["review"] == ResolutionReview.pending.rawValue:
            // Held for a supervisor's validation: the reporter hears of it once it stands.
            return nil
        case .resolved, .resolutionValidated:
            params["days"] = String(Int(Workflow.confirmationWindow / 86_400))
            return Self(
                "aduan_selesai", params,
                "Aduan \(t) telah diselesaikan oleh \(officeName). Beri penilaian Anda di aplikasi dalam \(params["days"]!) hari.")
        case .rejected:
            return Self("aduan_ditolak", params, "Aduan \(t) tidak dapat ditindaklanjuti oleh \(officeName). Alasannya ada di aplikasi.")
        case .closed:
            return Self("aduan_ditutup", params, "Aduan \(t) telah ditutup. Terima kasih atas laporan Anda.")
        case .reopened:
            return Self("aduan_dibuka_kembali", params, "Aduan \(t) dibuka kembali dan ditindaklanjuti lagi oleh \(officeName).")
        case .merged:
            guard let into = announcement.fields["into"] else { return nil }
            params["into"] = into
            return Self("aduan_digabung", params, "Aduan \(t) digabungkan dengan aduan \(into) tentang masalah yang sama. Pantau aduan \(into).")
        case .reporterReplied, .resolutionRejected, .atRisk, .breached, .escalated:
            return nil
        }
    }

    init(_ template: String, _ params: [String: String], _ text: String) {
        self.template = template
        self.params = params
        self.text = text
    }
}

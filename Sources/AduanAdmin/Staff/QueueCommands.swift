import AduanWire
import ArgumentParser
import Foundation

/// `--json` for scripts, shared by the staff commands.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the server's JSON instead of a table.") var json = false
}

/// `aduan-admin queue`: the complaints waiting for the member's office (or the province), most urgent first.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "List open complaints, nearest deadline first (or most supported first).",
        discussion: """
            Triage and officer staff see their own OPD's complaints; supervisors and admins see the province.
            Examples:
              aduan-admin queue
              aduan-admin queue --at-risk
              aduan-admin queue --breached --region 18.71
              aduan-admin queue --status resolved,closed --category sampah --json
              aduan-admin queue --needs-validation
              aduan-admin queue --sort support      (most +1s from citizens first)
            """)

    @Option(help: "Statuses, comma-separated (default: the open ones): submitted, in_progress, waiting_info, reopened, resolved, closed, rejected, duplicate.")
    var status: String?
    @Option(help: "Category code.") var category: String?
    @Option(help: "Region code; regions inside it are included (18.71 = Kota Bandar Lampung).") var region: String?
    @Flag(help: "Only complaints at risk (80% of a target used) and not yet breached.") var atRisk = false
    @Flag(help: "Only complaints past a deadline.") var breached = false
    @Flag(help: "Only resolutions whose after-photos were flagged and await a supervisor's validation.") var needsValidation = false
    @Option(help: "Order: deadline (nearest first) or support (most supported first).") var sort: String?
    @Option(help: "How many to show (1-200).") var limit = 50
    @Option(help: "Continue after this cursor (printed at the end of a full page).") var cursor: String?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let api = StaffAPI(credentials: try Credentials.current())
        var query: [(String, String)] = [("limit", String(self.limit))]
        if let status { query.append(("status", status)) }
        if let category { query.append(("category", category)) }
        if let region { query.append(("region", region)) }
        if self.atRisk { query.append(("at_risk", "true")) }
        if self.breached { query.append(("breached", "true")) }
        if self.needsValidation { query.append(("needs_validation", "true")) }
        if let sort { query.append(("sort", sort)) }
        if let cursor { query.append(("cursor", cursor)) }
        let answer = try await api.get("/v1/staff/complaints", query: query)
        if self.output.json {
            print(Output.json(answer.raw))
            return
        }
        let page = try answer.decode(QueuePage.self)
        guard !page.items.isEmpty else {
            print("antrean kosong (no complaints match)")
            return
        }
        let rows = page.items.map { item -> [String] in
            [item.ticket, item.status_label, item.category.name, item.region.name, item.opd.code, Output.time(item.sla.next_due_at),
             Output.sla(item.sla), String(item.support_count)]
        }
        print(Output.table(["TIKET", "STATUS", "KATEGORI", "WILAYAH", "OPD", "BATAS WAKTU", "SLA", "DUKUNGAN"], rows))
        if let next = page.next_cursor {
            print("more: aduan-admin queue\(self.sort.map { " --sort \($0)" } ?? "") --cursor \(next)")
        }
    }
}

/// `aduan-admin show TICKET`: one complaint with its deadlines and history.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a complaint with its deadlines and history.",
        discussion: "Example: aduan-admin show 2611-00042")

    @Argument(help: "Ticket number, e.g. 2611-00042.") var ticket: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let api = StaffAPI(credentials: try Credentials.current())
        let answer = try await api.get("/v1/staff/complaints/\(self.ticket)")
        if self.output.json {
            print(Output.json(answer.raw))
            return
        }
        print(Self.render(try answer.decode(StaffComplaintView.self)))
    }

    static func render(_ view: StaffComplaintView) -> String {
        let sla = view.sla
        let who = view.anonymous
            ? "anonim (identitas disembunyikan)"
            : [view.reporter?.name, view.reporter?.phone].compactMap { $0 }.joined(separator: ", ")
        var lines = [
            "Tiket        \(view.ticket)  [\(view.status_label)]",
            "Kategori     \(view.category.name)",
            "Wilayah      \(view.region.name) (\(view.region.code))",
            "Alamat       \(view.address ?? "-")",
            "Pelapor      \(who.isEmpty ? "-" : who)",
            "OPD          \(view.opd.name) (\(view.opd.code))",
            "Privasi      \(view.visibility == "public" ? "publik" : "privat")",
            "Dukungan     \(view.support_count) warga",
            "Respons      batas \(Output.time(sla.response_due_at))  dijawab \(Output.time(sla.responded_at))  [\(Output.level(sla.response))]",
            "Penyelesaian batas \(Output.time(sla.resolution_due_at))  selesai \(Output.time(sla.resolved_at))  [\(Output.level(sla.resolution))]",
        ]
        if let paused = sla.paused_at { lines.append("Dijeda       sejak \(Output.time(paused)) (menunggu info pelapor)") }
        if let merged = view.merged_into { lines.append("Digabung ke  \(merged)") }
        if let escalated = view.escalated_to { lines.append("Eskalasi ke  \(escalated.name)") }
        let reports = view.photos.filter { $0.purpose == "report" }.count
        if !view.photos.isEmpty { lines.append("Foto         \(reports) dari pelapor, \(view.photos.count - reports) bukti penyelesaian") }
        for evidence in view.evidence {
            lines.append("  bukti #\(evidence.id)  \(evidence.flags.isEmpty ? "bersih" : evidence.flags.joined(separator: ", "))")
        }
        if let review = view.resolution_review {
            let words = ["clean": "bersih", "pending": "menunggu validasi supervisor", "validated": "divalidasi"][review] ?? review
            lines.append("Validasi     \(words)\(view.rejected_resolutions > 0 ? " (ditolak sebelumnya: \(view.rejected_resolutions))" : "")")
        }
        lines.append("Tindakan     \(view.allowed_actions.joined(separator: ", "))")
        if !view.similar.isEmpty {
            // Open complaints of the same category nearby: a merge is one command away.
            lines.append("Serupa di sekitar (\(view.similar.count)):")
            for neighbour in view.similar {
                lines.append(
                    "  \(neighbour.ticket)  \(neighbour.distance_m) m  \(neighbour.status)  dukungan \(neighbour.support_count)  \(neighbour.opd.code)"
                        + "   -> aduan-admin merge \(view.ticket) --into \(neighbour.ticket)")
            }
        }
        lines.append("")
        lines.append(view.description)
        lines.append("")
        lines.append("Riwayat:")
        lines += Output.history(view.history).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

/// `aduan-admin audit --ticket T`: every event of a complaint, internal ones included, with the staff who acted.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the audit log of a complaint.",
        discussion: "Examples:\n  aduan-admin audit --ticket 2611-00042\n  aduan-admin audit 2611-00042 --json")

    @Option(name: .customLong("ticket"), help: "Ticket number.") var ticketOption: String?
    @Argument(help: "Ticket number (or --ticket).") var ticket: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (self.ticket == nil) != (self.ticketOption == nil) else { throw ValidationError("give one ticket: audit 2611-00042") }
    }

    func run() async throws {
        let api = StaffAPI(credentials: try Credentials.current())
        let ticket = self.ticket ?? self.ticketOption ?? ""
        let answer = try await api.get("/v1/staff/complaints/\(ticket)/audit")
        if self.output.json {
            print(Output.json(answer.raw))
            return
        }
        print(Output.history(try answer.decode(AuditLog.self).entries).joined(separator: "\n"))
    }
}

import AduanCore
import AduanWire
import ArgumentParser
import Foundation

/// Sends one workflow action and prints where the complaint stands after it.
enum ActionRunner {
    static func run(
        _ action: StaffAction, ticket: String, body: StaffActionRequest, photos: [String] = [], output: OutputOptions
    ) async throws {
        let api = StaffAPI(credentials: try Credentials.current())
        let path = "/v1/staff/complaints/\(ticket)/\(action.rawValue)"
        let answer: StaffAPI.Answer
        if photos.isEmpty {
            answer = try await api.post(path, body: body)
        } else {
            // The JSON goes in a `resolution` part beside the photos, as the API takes a resolution with evidence.
            var parts = [StaffAPI.FormPart(name: "resolution", filename: nil, contentType: "application/json", bytes: Array(try JSONEncoder().encode(body)))]
            for file in photos {
                guard let data = FileManager.default.contents(atPath: file) else { throw Failure("cannot read photo \(file)") }
                parts.append(StaffAPI.FormPart(name: "photo", filename: URL(fileURLWithPath: file).lastPathComponent, contentType: "application/octet-stream", bytes: Array(data)))
            }
            answer = try await api.post(path, form: parts)
        }
        if output.json {
            print(Output.json(answer.raw))
            return
        }
        let view = try answer.decode(StaffComplaintView.self)
        let clock: String
        switch ComplaintStatus(rawValue: view.status) {
        case .waitingInfo: clock = "clocks paused until the reporter answers"
        case .resolved where view.resolution_review == ResolutionReview.pending.rawValue:
            let flags = Set(view.evidence.flatMap(\.flags)).sorted().joined(separator: ", ")
            clock = "evidence flagged (\(flags)): awaiting a supervisor's validation"
        case .resolved: clock = "awaiting the reporter's confirmation (7 days)"
        case .closed, .rejected, .duplicate: clock = "finished"
        case .submitted, .inProgress, .reopened, nil: clock = "next deadline \(Output.time(view.sla.next_due_at))"
        }
        print("\(view.ticket): \(view.status_label) — OPD \(view.opd.code), \(clock)")
    }
}

struct AcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.accept.rawValue, abstract: "Accept a complaint and start work (records the first response).",
        discussion: "Example:\n  aduan-admin accept 2611-00042 --note \"Tim meluncur\"")
    @Argument(help: "Ticket number.") var ticket: String
    @Option(help: "A note the reporter sees.") var note: String?
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(.accept, ticket: self.ticket, body: StaffActionRequest(note: self.note), output: self.output)
    }
}

struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.forward.rawValue, abstract: "Forward a complaint to another OPD (disposisi); the response clock keeps running.",
        discussion: "Example:\n  aduan-admin forward 2611-00042 --to DLH-1871 --note \"Sampah\"")
    @Argument(help: "Ticket number.") var ticket: String
    @Option(help: "The receiving OPD's code.") var to: String
    @Option(help: "Why, for the receiving office (internal).") var note: String
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(.forward, ticket: self.ticket, body: StaffActionRequest(note: self.note, to: self.to), output: self.output)
    }
}

struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.reject.rawValue, abstract: "Reject a complaint with a reason the reporter sees.",
        discussion: "Example:\n  aduan-admin reject 2611-00042 --reason \"Di luar kewenangan\"")
    @Argument(help: "Ticket number.") var ticket: String
    @Option(help: "Why (the reporter sees it).") var reason: String
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(.reject, ticket: self.ticket, body: StaffActionRequest(reason: self.reason), output: self.output)
    }
}

struct AskInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.askInfo.rawValue, abstract: "Ask the reporter for information; the SLA clocks pause until they reply.",
        discussion: "Example:\n  aduan-admin ask-info 2611-00042 --question \"Nomor rumah?\"")
    @Argument(help: "Ticket number.") var ticket: String
    @Option(help: "The question the reporter sees.") var question: String
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(.askInfo, ticket: self.ticket, body: StaffActionRequest(question: self.question), output: self.output)
    }
}

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.resolve.rawValue, abstract: "Mark a complaint resolved; the reporter confirms or reopens within 7 days.",
        discussion: """
            After-photos are evidence: each is checked (re-used photo, taken before the complaint, far from it), and a
            flagged resolution waits for a supervisor's validation. Categories that require a photo require one here.
            Example:
              aduan-admin resolve 2611-00042 --note "Sudah ditambal" --photo after.jpg
            """)
    @Argument(help: "Ticket number.") var ticket: String
    @Option(help: "What was done (the reporter sees it).") var note: String
    @Option(name: .customLong("photo"), help: "An after-photo (JPEG, PNG, WebP or HEIC); repeat for more.") var photos: [String] = []
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(
            .resolve, ticket: self.ticket, body: StaffActionRequest(note: self.note), photos: self.photos, output: self.output)
    }
}

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.validate.rawValue,
        abstract: "Let a resolution with flagged evidence stand (supervisors and admins); the reporter's 7 days start now.",
        discussion: "See them with aduan-admin queue --needs-validation.\nExample:\n  aduan-admin validate 2611-00042 --note \"Dicek di lokasi\"")
    @Argument(help: "Ticket number.") var ticket: String
    @Option(help: "An optional note (internal).") var note: String?
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(.validate, ticket: self.ticket, body: StaffActionRequest(note: self.note), output: self.output)
    }
}

struct RejectResolutionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.rejectResolution.rawValue,
        abstract: "Reject a resolution with flagged evidence (TL Ditolak): back in progress, its resolution clock running.",
        discussion: "Example:\n  aduan-admin reject-resolution 2611-00042 --reason \"Foto sama dengan foto pelapor\"")
    @Argument(help: "Ticket number.") var ticket: String
    @Option(help: "Why, for the office (internal).") var reason: String
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(.rejectResolution, ticket: self.ticket, body: StaffActionRequest(reason: self.reason), output: self.output)
    }
}

struct CommentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.comment.rawValue, abstract: "Add a comment: internal by default, or visible to the reporter.",
        discussion: """
            Examples:
              aduan-admin comment 2611-00042 --text "Menunggu alat berat"
              aduan-admin comment 2611-00042 --text "Senin" --visible
            """)
    @Argument(help: "Ticket number.") var ticket: String
    @Option(help: "The comment.") var text: String
    @Flag(help: "Show the comment to the reporter.") var visible = false
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(
            .comment, ticket: self.ticket, body: StaffActionRequest(text: self.text, visible_to_reporter: self.visible), output: self.output)
    }
}

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.merge.rawValue, abstract: "Merge a duplicate into the complaint that stays open.",
        discussion: "Example:\n  aduan-admin merge 2611-00043 --into 2611-00042")
    @Argument(help: "Ticket number of the duplicate.") var ticket: String
    @Option(help: "Ticket number of the complaint it duplicates.") var into: String
    @Option(help: "An optional note.") var note: String?
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(.merge, ticket: self.ticket, body: StaffActionRequest(note: self.note, into: self.into), output: self.output)
    }
}

struct ReopenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: StaffAction.reopen.rawValue, abstract: "Reject a resolution and reopen the complaint (supervisors and admins).",
        discussion: "Example:\n  aduan-admin reopen 2611-00042 --reason \"Belum ditambal\"")
    @Argument(help: "Ticket number.") var ticket: String
    @Option(help: "Why the resolution is rejected (the reporter sees it).") var reason: String
    @OptionGroup var output: OutputOptions
    func run() async throws {
        try await ActionRunner.run(.reopen, ticket: self.ticket, body: StaffActionRequest(reason: self.reason), output: self.output)
    }
}

import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

extension EndToEnd {
    @Suite("The real aduan-server binary")
    struct DurabilityTests {
        /// What became of one submission.
        enum Outcome: Sendable {
            /// 201, with what the server promised.
            case acknowledged(index: Int, SubmittedComplaint)
            /// Any other HTTP status: the server answered, and not with a promise.
            case refused(index: Int, status: Int, body: String)
            /// No answer: the connection was refused or cut by the kill, so nothing was promised.
            case unanswered(index: Int)
            /// 503 with Retry-After: photo processing was full, so the client is told to come back (nothing promised).
            case busy(index: Int)
        }

        /// The submissions in flight and the 201s so far; the kill is set off by the k-th 201.
        final class Progress: Sendable {
            let state = Mutex((acknowledged: 0, inFlight: 0, inFlightAtKill: nil as Int?))
            let killAfter: Int
            let signal: AsyncStream<Void>
            let trigger: AsyncStream<Void>.Continuation

            init(killAfter: Int) {
                self.killAfter = killAfter
                (self.signal, self.trigger) = AsyncStream.makeStream()
            }

            func started() { self.state.withLock { $0.inFlight += 1 } }

            func finished(acknowledged: Bool) {
                let count = self.state.withLock { state in
                    state.inFlight -= 1
                    if acknowledged { state.acknowledged += 1 }
                    return acknowledged ? state.acknowledged : 0
                }
                if count == self.killAfter { self.trigger.yield() }
            }

            /// Notes how many submissions were still waiting for their answer when the server was killed.
            func killing() { self.state.withLock { $0.inFlightAtKill = $0.inFlight } }
        }

        static func input(_ index: Int) -> SubmitComplaintRequest {
            SubmitComplaintRequest(
                category: "sampah", description: "Sampah menumpuk di pasar, laporan nomor \(index).", region: "18.71.01",
                visibility: "public")
        }

        static let boundary = "aduan-durability"

        /// A submission's form: its JSON and one photo.
        static func form(_ index: Int) throws -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.writeString(
                "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"complaint\"\r\nContent-Type: application/json\r\n\r\n")
            var json = body(Self.input(index))
            buffer.writeBuffer(&json)
            buffer.writeString("\r\n--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\r\n")
            buffer.writeBytes(try photoFixture("photo.png"))
            buffer.writeString("\r\n--\(Self.boundary)--\r\n")
            return buffer
        }

        /// One submission on its own connection.
        static func submit(port: Int, index: Int, progress: Progress) async -> Outcome {
            progress.started()
            let outcome: Outcome
            do {
                outcome = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                    // Every fourth comes with a photo, as the app sends it: the photo's files are promised with the 201 too.
                    let response =
                        index % 4 == 0
                        ? try await client.post(
                            "/v1/complaints", headers: [.contentType: "multipart/form-data; boundary=\(Self.boundary)"],
                            body: try Self.form(index))
                        : try await client.post(
                            "/v1/complaints", headers: [.contentType: "application/json"], body: body(Self.input(index)))
                    if response.status == .serviceUnavailable, response.headers[.retryAfter] != nil { return .busy(index: index) }
                    guard response.status == .created else {
                        return .refused(
                            index: index, status: Int(response.status.code), body: String(buffer: response.body ?? ByteBuffer()))
                    }
                    return .acknowledged(index: index, try decode(SubmittedComplaint.self, response))
                }
            } catch {
                outcome = .unanswered(index: index)  // refused, or killed mid-request: not acknowledged, so not promised
            }
            if case .acknowledged = outcome { progress.finished(acknowledged: true) } else { progress.finished(acknowledged: false) }
            return outcome
        }

        /// Files `total` complaints at once, each on its own connection, and calls `stop` as soon as `progress` says (or
        /// once all are done, when the test then proved nothing and says so).
        static func load(port: Int, total: Int, progress: Progress, stop: @escaping @Sendable () -> Void) async -> [Outcome] {
            await withTaskGroup(of: Outcome?.self) { group in
                group.addTask {
                    for await _ in progress.signal { break }
                    progress.killing()
                    stop()
                    return nil
                }
                for index in 0..<total {
                    group.addTask { await Self.submit(port: port, index: index, progress: progress) }
                }
                var outcomes: [Outcome] = []
                for await outcome in group {
                    guard let outcome else { continue }
                    outcomes.append(outcome)
                    if outcomes.count == total { progress.trigger.finish() }
                }
                return outcomes
            }
        }

        @Test("every acknowledged complaint survives kill -9 and a restart, as it was acknowledged")
        func survivesKill() async throws {
            // Given a server filing complaints from many concurrent clients
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("aduan.sqlite").path
            let server = try ServerProcess(arguments: ["--db", db])
            let port = server.port
            let total = 400
            let progress = Progress(killAfter: 40)
            // When it is killed right after the 40th 201, while other requests are still in flight
            let outcomes = await Self.load(port: port, total: total, progress: progress) { server.kill() }
            var acknowledged: [(index: Int, created: SubmittedComplaint)] = []
            var refused: [String] = []
            for outcome in outcomes {
                switch outcome {
                case .acknowledged(let index, let created): acknowledged.append((index, created))
                case .refused(let index, let status, let body): refused.append("#\(index): \(status) \(body)")
                case .unanswered, .busy: break
                }
            }
            // Then no request got an HTTP error (a refused connection after the kill is fine) ...
            #expect(refused.isEmpty, "\(refused.count) submissions got an HTTP error: \(refused.prefix(3))")
            #expect(acknowledged.count >= 40, "the kill came before the 40th 201")
            let inFlight = try #require(progress.state.withLock { $0.inFlightAtKill })
            #expect(inFlight > 0, "no request was in flight at the kill; the test proved nothing")
            #expect(acknowledged.count < total, "every request was answered before the kill; the test proved nothing")
            #expect(Set(acknowledged.map(\.created.ticket)).count == acknowledged.count, "a ticket was given twice")

            // ... and after a restart on the same file every acknowledged complaint is there as the 201 described it.
            let restarted = try ServerProcess(arguments: ["--db", db])
            defer { _ = restarted.terminate() }
            let promised = acknowledged
            let differences = try await TestClient.withClient(host: "127.0.0.1", port: restarted.port) { client in
                var differences: [String] = []
                for (index, created) in promised {
                    let response = try await client.get(
                        "/v1/complaints/\(created.ticket)", headers: [.authorization: "Bearer \(created.tracking_token)"])
                    guard response.status == .ok else {
                        differences.append("\(created.ticket): \(response.status.code)")
                        continue
                    }
                    let stored = try decode(ComplaintView.self, response)
                    let expected = Self.input(index)
                    if stored.category != created.category || stored.category.code != expected.category
                        || stored.description != expected.description || stored.region != created.region
                        || stored.region.code != expected.region || stored.status != created.status || stored.sla != created.sla
                        || stored.opd != created.opd || stored.created_at != created.created_at || stored.visibility != created.visibility
                    {
                        differences.append("\(created.ticket): acknowledged \(created), stored \(stored)")
                    }
                    // Its photos are there, files and all: the original as uploaded, and the public copy.
                    if stored.photos != created.photos || created.photos.count != (index % 4 == 0 ? 1 : 0) {
                        differences.append("\(created.ticket): photos acknowledged \(created.photos), stored \(stored.photos)")
                    }
                    for photo in created.photos {
                        let original = try await client.get(
                            photo.url + "?size=original", headers: [.authorization: "Bearer \(created.tracking_token)"])
                        let copy = try await client.get(photo.url)
                        let fixture = try photoFixture("photo.png")
                        if original.status != .ok || Array((original.body ?? ByteBuffer()).readableBytesView) != fixture
                            || copy.status != .ok
                        {
                            differences.append(
                                "\(created.ticket): photo \(photo.id) original \(original.status.code), public \(copy.status.code)")
                        }
                    }
                }
                return differences
            }
            #expect(
                differences.isEmpty,
                "\(differences.count) of \(acknowledged.count) acknowledged complaints lost or changed: \(differences.prefix(3))")
            let check = try run(binary("aduan-admin"), ["db", "check", "--db", db])
            #expect(check.status == 0, "\(check.stderr)")
        }

        @Test("SIGTERM stops the server cleanly")
        func gracefulShutdown() throws {
            let directory = try temporaryDirectory()
            let server = try ServerProcess(arguments: ["--db", directory.appendingPathComponent("aduan.sqlite").path])
            #expect(server.terminate() == 0)
        }

        @Test("a bad configuration refuses to start with one clear line")
        func badConfig() throws {
            let directory = try temporaryDirectory()
            let config = directory.appendingPathComponent("aduan.conf")
            try "port = 80800\n".write(to: config, atomically: true, encoding: .utf8)
            let result = try run(binary("aduan-server"), ["--config", config.path])
            #expect(result.status != 0)
            #expect(result.stderr.contains("aduan.conf:1: port"), "\(result.stderr)")
        }
    }
}

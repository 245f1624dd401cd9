import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

extension EndToEnd {
    @Suite("The real aduan-server under load and against slow clients: SIGTERM, timeouts, the connection cap")
    struct ShutdownTests {
        @Test("SIGTERM under load: in-flight requests finish, the process exits 0, and every acknowledged complaint is there")
        func sigtermUnderLoad() async throws {
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("aduan.sqlite").path
            let server = try ServerProcess(arguments: ["--db", db])
            let port = server.port
            let total = 400
            let progress = DurabilityTests.Progress(killAfter: 40)
            let stop = StopRecord()
            let outcomes = await DurabilityTests.load(port: port, total: total, progress: progress) {
                stop.acknowledgedBefore.withLock { $0 = progress.state.withLock { $0.acknowledged } }
                let status = server.terminate()
                stop.exitStatus.withLock { $0 = status }
            }
            var acknowledged: [SubmittedComplaint] = []
            var refused: [String] = []
            for outcome in outcomes {
                switch outcome {
                case .acknowledged(_, let created): acknowledged.append(created)
                case .refused(let index, let status, let body): refused.append("#\(index): \(status) \(body)")
                case .unanswered, .busy: break
                }
            }
            #expect(stop.exitStatus.withLock { $0 } == 0, "SIGTERM is a clean stop")
            #expect(refused.isEmpty, "\(refused.count) submissions got an HTTP error: \(refused.prefix(3))")
            let inFlight = try #require(progress.state.withLock { $0.inFlightAtKill })
            #expect(inFlight > 0, "no request was in flight at the SIGTERM; the test proved nothing")
            // Requests under way when the signal came were answered, not dropped.
            let atStop = try #require(stop.acknowledgedBefore.withLock { $0 })
            #expect(acknowledged.count > atStop, "no request in flight at the SIGTERM was finished")

            let restarted = try ServerProcess(arguments: ["--db", db])
            defer { _ = restarted.terminate() }
            let promised = acknowledged
            let missing = try await TestClient.withClient(host: "127.0.0.1", port: restarted.port) { client in
                var missing: [String] = []
                for created in promised {
                    let response = try await client.get(
                        "/v1/complaints/\(created.ticket)", headers: [.authorization: "Bearer \(created.tracking_token)"])
                    if response.status != .ok { missing.append(created.ticket) }
                }
                return missing
            }
            #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acknowledged complaints missing: \(missing.prefix(3))")
        }

        @Test("a client that never finishes its head, or trickles its body, is cut off; the cap answers 503; neither holds the shutdown")
        func slowClients() async throws {
            let directory = try temporaryDirectory()
            let server = try ServerProcess(
                arguments: ["--db", directory.appendingPathComponent("aduan.sqlite").path],
                environment: ["ADUAN_IDLE_TIMEOUT": "2", "ADUAN_READ_TIMEOUT": "2", "ADUAN_MAX_CONNECTIONS": "3"])
            // Half a head, then nothing: closed by the idle timeout.
            let half = try RawConnection(port: server.port)
            try half.send("GET /healthz HTTP/1.1\r\nHost: aduan\r\n")
            try await Task.sleep(for: .milliseconds(100))
            // A head and a tenth of the body it announces, then nothing: closed by the read timeout.
            let trickle = try RawConnection(port: server.port)
            try trickle.send(
                "POST /v1/complaints HTTP/1.1\r\nHost: aduan\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"category\":"
            )
            // The third connection fills the cap; the fourth is told to come back. (Each is given a moment to be taken
            // in: connections arriving at the same instant are set up on different threads, in no set order.)
            let third = try RawConnection(port: server.port)
            try await Task.sleep(for: .milliseconds(300))
            let fourth = try RawConnection(port: server.port)
            try fourth.send("GET /healthz HTTP/1.1\r\nHost: aduan\r\n\r\n")
            let refused = try fourth.receive(seconds: 5)
            #expect(refused.hasPrefix("HTTP/1.1 503"), "\(refused)")
            #expect(refused.lowercased().contains("retry-after: 2"))
            // Both slow clients are cut off within their timeouts (with a margin for a busy machine).
            let started = Date()
            #expect(try half.receive(seconds: 10).isEmpty, "the half head was answered")
            #expect(try trickle.receive(seconds: 10).isEmpty, "the trickled body was answered")
            #expect(Date().timeIntervalSince(started) < 9)
            third.close()
            half.close()
            trickle.close()
            // Once they are gone, the server takes requests again.
            try await Task.sleep(for: .milliseconds(200))
            let again = try RawConnection(port: server.port)
            try again.send("GET /healthz HTTP/1.1\r\nHost: aduan\r\n\r\n")
            #expect(try again.receive(seconds: 5).hasPrefix("HTTP/1.1 200"))
            // A slow client holding a connection does not hold the shutdown past its timeout.
            let holding = try RawConnection(port: server.port)
            try holding.send("POST /v1/complaints HTTP/1.1\r\nHost: aduan\r\nContent-Length: 100\r\n\r\n{")
            let stopping = Date()
            #expect(server.terminate() == 0)
            #expect(Date().timeIntervalSince(stopping) < 8, "the shutdown waited for the slow client")
            holding.close()
        }
    }
}

/// When the SIGTERM was sent (as the 201s counted by then) and how the process ended.
final class StopRecord: Sendable {
    let acknowledgedBefore = Mutex<Int?>(nil)
    let exitStatus = Mutex<Int32?>(nil)
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension EndToEnd {
@Suite("The real aduan-server binary")
struct DurabilityTests {
    /// One submission on its own connection; returns the ticket if the server acknowledged it with 201.
    static func submit(port: Int, index: Int) async -> String? {
        let body = """
            {"category":"sampah","description":"Sampah menumpuk di pasar, laporan nomor \(index).","region":"18.71.01","visibility":"public"}
            """
        do {
            return try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                let response = try await client.post(
                    "/v1/complaints", headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                guard response.status == .created,
                    let object = try JSONSerialization.jsonObject(with: Data((response.body ?? ByteBuffer()).readableBytesView)) as? [String: Any]
                else { return nil }
                return object["ticket"] as? String
            }
        } catch {
            return nil  // killed mid-request: not acknowledged, so not promised
        }
    }

    @Test("every acknowledged complaint survives kill -9 and a restart")
    func survivesKill() async throws {
        // Given a server filing complaints from many concurrent clients
        let directory = try temporaryDirectory()
        let db = directory.appendingPathComponent("aduan.sqlite").path
        let server = try ServerProcess(arguments: ["--db", db])
        let port = server.port
        let acknowledged = await withTaskGroup(of: String?.self) { group in
            for index in 0..<400 {
                group.addTask { await Self.submit(port: port, index: index) }
            }
            // When it is killed while requests are still in flight
            group.addTask {
                try? await Task.sleep(for: .milliseconds(700))
                server.kill()
                return nil
            }
            return await group.reduce(into: [String]()) { if let ticket = $1 { $0.append(ticket) } }
        }
        #expect(!acknowledged.isEmpty, "nothing was acknowledged before the kill; the test proved nothing")

        // Then after a restart on the same file every acknowledged ticket is there
        let restarted = try ServerProcess(arguments: ["--db", db])
        defer { _ = restarted.terminate() }
        let missing = try await TestClient.withClient(host: "127.0.0.1", port: restarted.port) { client in
            var missing: [String] = []
            for ticket in acknowledged where try await client.get("/v1/complaints/\(ticket)").status != .ok {
                missing.append(ticket)
            }
            return missing
        }
        #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acknowledged complaints lost: \(missing.prefix(5))")
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

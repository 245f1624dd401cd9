import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Faults say what they are: a busy, full or read-only database and a full submission queue are 503 with
/// Retry-After, nothing acknowledged is lost, and the server recovers without a restart.
@Suite("HTTP API: database faults and full queues are 503, never 500 or a lost complaint")
struct FaultTests {
    /// A small filesystem that can fill up needs `mount -t tmpfs`, which needs root (CI runs as root). Elsewhere the
    /// disk tests are skipped, and say why, rather than pretend on a disk that cannot fill.
    static let canMount: Bool = {
        guard let directory = try? SmallDisk(megabytes: 1) else { return false }
        directory.unmount()
        return true
    }()

    @Test("filings beyond the submission queue are 503 while the database is held; the others commit once it is free")
    func fullQueue() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-queue-\(UUID().uuidString)/aduan.sqlite").path
        let store = try Store.open(path: path, durability: .normal, submissionQueue: 2)
        try await withAPI(store: store) { client, store in
            // Another process holds the write lock, as a long `aduan-admin` command or a stuck backup would.
            let other = try WriteLockHolder(path: path)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<6 {
                    try await Task.sleep(for: .milliseconds(150))
                    group.addTask {
                        let response = try await client.execute(
                            uri: "/v1/complaints", method: .post, headers: jsonHeaders,
                            body: body(validComplaint.with(description: "Keluhan antrean nomor \(index) di pasar.")))
                        if response.status == .serviceUnavailable {
                            #expect(response.headers[.retryAfter] == "2")
                            #expect(try problem(response).type == "/problems/unavailable")
                        }
                        return response.status
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                other.release()
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = statuses.filter { $0 == .created }.count
            // One filing in the transaction that waits, two waiting behind it, the rest refused at once.
            #expect(statuses.filter { $0 == .serviceUnavailable }.count >= 2, "\(statuses)")
            #expect(created >= 2 && created + statuses.filter { $0 == .serviceUnavailable }.count == 6, "\(statuses)")
            #expect(try await store.complaintCount() == created)
            _ = try await file(client)
        }
    }

    @Test("a write lock held past the busy timeout is 503 with Retry-After, and filing works once it is released")
    func busy() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-busy-\(UUID().uuidString)/aduan.sqlite").path
        try await withAPI(store: try Store.open(path: path, durability: .normal)) { client, store in
            let other = try WriteLockHolder(path: path)
            // The store waits 10 seconds for the lock before giving up.
            let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: body(validComplaint))
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "2")
            other.release()
            _ = try await file(client)
            #expect(try await store.complaintCount() == 1)
        }
    }

    @Test(
        "a full disk is 503; every acknowledged complaint is kept; freeing space heals it without a restart",
        .enabled(if: FaultTests.canMount, "mounting a small tmpfs needs root"))
    func fullDisk() async throws {
        let disk = try SmallDisk(megabytes: 16)
        defer { disk.unmount() }
        let store = try Store.open(path: disk.path + "/aduan.sqlite", durability: .full)
        try await withAPI(store: store) { client, store in
            // Everything but a few kilobytes goes to a filler file.
            let filler = disk.path + "/filler"
            disk.fill(filler)
            var acknowledged: [String] = []
            var refused: TestResponse?
            for index in 0..<5000 {
                let response = try await client.execute(
                    uri: "/v1/complaints", method: .post, headers: jsonHeaders,
                    body: body(validComplaint.with(description: "Keluhan nomor \(index) ketika disk hampir penuh.")))
                if response.status == .created {
                    acknowledged.append(try decode(SubmittedComplaint.self, response).ticket)
                } else {
                    refused = response
                    break
                }
            }
            let full = try #require(refused, "the disk never filled")
            #expect(full.status == .serviceUnavailable)
            #expect(full.headers[.retryAfter] == "30")
            #expect(try problem(full).type == "/problems/unavailable")
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
            // Space comes back: the same server files again, and nothing acknowledged was lost.
            try FileManager.default.removeItem(atPath: filler)
            acknowledged.append(try await file(client).ticket)
            for ticket in acknowledged {
                #expect(try await client.execute(uri: "/v1/complaints/\(ticket)", method: .get).status == .ok, "\(ticket)")
            }
            #expect(try await store.complaintCount() == acknowledged.count)
            #expect(try store.check().isEmpty)

        }
    }
}

/// Another connection that takes the write lock (`BEGIN IMMEDIATE`) on its own thread and holds it until released.
final class WriteLockHolder: Sendable {
    let released = Mutex(false)

    init(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let taken = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [self] in
            try? queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    taken.signal()
                    while !self.released.withLock({ $0 }) { usleep(5000) }
                    return .rollback
                }
            }
        }
        taken.wait()
    }

    func release() { self.released.withLock { $0 = true } }
}

/// A tmpfs of a few megabytes mounted on a new directory: a disk that really fills.
struct SmallDisk {
    let path: String

    init(megabytes: Int) throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-disk-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", self.path]) else {
            try? FileManager.default.removeItem(atPath: self.path)
            throw CocoaError(.fileWriteNoPermission)
        }
    }

    /// Writes a file that takes all free space but 8 KiB.
    func fill(_ file: String) {
        var info = statvfs()
        statvfs(self.path, &info)
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        _ = FileManager.default.createFile(atPath: file, contents: Data(count: max(0, free - 8192)))
    }

    func unmount() {
        _ = Self.run("/bin/umount", ["-l", self.path])
        try? FileManager.default.removeItem(atPath: self.path)
    }

    static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

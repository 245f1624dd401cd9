import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The tests that start the real binaries, one at a time: Foundation's Process is fragile when several processes
/// are spawned and reaped concurrently on Linux (a crash was seen in CI-like runs).
@Suite("End to end", .serialized)
struct EndToEnd {}

/// Where `swift build` put the executables: beside the test bundle.
let productsDirectory: URL = {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // `swift test` runs `<products>/aduanPackageTests.xctest`; some runners pass a path inside the bundle.
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("aduan-server").path), url.path != "/" {
        url.deleteLastPathComponent()
    }
    return url
}()

func binary(_ name: String) -> String { productsDirectory.appendingPathComponent(name).path }

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A request body: the wire value as JSON.
func body(_ value: some Encodable) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONEncoder().encode(value))
}

/// A body that is not the wire type the test expected, with the text to show why.
struct UndecodableBody: Error, CustomStringConvertible {
    let type: String
    let text: String
    let error: any Error
    var description: String { "not a \(self.type): \(self.error)\n\(self.text)" }
}

/// Decodes JSON text (a response body, or the server's JSON as `aduan-admin ... --json` prints it) as a wire type.
func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    do {
        return try JSONDecoder().decode(type, from: Data(text.utf8))
    } catch {
        throw UndecodableBody(type: "\(type)", text: text, error: error)
    }
}

/// Decodes a live server's response body as a wire type.
func decode<T: Decodable>(_ type: T.Type, _ response: TestClient.Response) throws -> T {
    try decode(type, String(buffer: response.body ?? ByteBuffer()))
}

/// The outcome of running a command to completion.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a binary with arguments and waits for it.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    let err = Pipe()
    let stdin = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

/// A running `aduan-server` process on a free port.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    static let unlimited = Dictionary(
        uniqueKeysWithValues: ["FILING", "WRITE", "SIGN_IN", "OPEN311", "TOKEN"].map { ("ADUAN_RATE_LIMIT_\($0)_PER_MINUTE", "0") })

    /// Starts the server and waits for its "listening" line.
    /// `log`: a file for the server's own log lines (by default they are dropped).
    init(arguments: [String], environment: [String: String] = [:], log: String? = nil) throws {
        self.process.executableURL = URL(fileURLWithPath: binary("aduan-server"))
        self.process.arguments = ["--port", "0"] + arguments
        // Every test request comes from loopback, one client to the rate limits: off unless a test sets them.
        self.process.environment = ProcessInfo.processInfo.environment.merging(Self.unlimited) { $1 }.merging(environment) { $1 }
        let out = Pipe()
        self.process.standardOutput = out
        if let log, FileManager.default.createFile(atPath: log, contents: nil), let file = FileHandle(forWritingAtPath: log) {
            self.process.standardError = file
        } else {
            self.process.standardError = FileHandle.nullDevice
        }
        try self.process.run()
        var buffer = ""
        let deadline = Date().addingTimeInterval(60)
        var port: Int?
        while port == nil, Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // the process ended
            buffer += String(decoding: chunk, as: UTF8.self)
            if let range = buffer.range(of: "listening on http://127.0.0.1:") {
                port = Int(buffer[range.upperBound...].prefix { $0.isNumber })
            }
        }
        guard let port else {
            self.process.terminate()
            throw ServerDidNotStart(output: buffer)
        }
        self.port = port
    }

    /// SIGKILL: no chance to flush or clean up.
    func kill() {
        Foundation.kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    func terminate() -> Int32 {
        self.process.terminate()
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }

    deinit { if self.process.isRunning { self.process.terminate() } }
}

struct ServerDidNotStart: Error {
    let output: String
}

/// The bytes of a committed test image (`Tests/Fixtures/photos`).
func photoFixture(_ name: String) throws -> [UInt8] {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/photos/\(name)").path
    guard let data = FileManager.default.contents(atPath: path) else { throw ServerDidNotStart(output: "no fixture at \(path)") }
    return Array(data)
}

/// A plain TCP connection to the server on loopback, for requests no HTTP client would send.
final class RawConnection: Sendable {
    let socket: Int32
    let closed = Atomic<Bool>(false)

    init(port: Int) throws {
        self.socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(self.socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ServerDidNotStart(output: "cannot connect: \(errno)") }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(self.socket, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw ServerDidNotStart(output: "cannot send: \(errno)")
        }
    }

    /// What the server sends until it closes the connection or `seconds` pass ("" when it closed without a word).
    func receive(seconds: Int) throws -> String {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(self.socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(self.socket, &buffer, buffer.count, 0)
            if count > 0 {
                received += buffer.prefix(count)
                // A whole answer with a body of the length it declares is enough.
                if let text = String(bytes: received, encoding: .utf8), let end = text.range(of: "\r\n\r\n"),
                    let length = text[..<end.lowerBound].lowercased().split(separator: "\r\n")
                        .first(where: { $0.hasPrefix("content-length:") }).flatMap({
                            Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces))
                        }),
                    text.utf8.count - text[..<end.upperBound].utf8.count >= length
                {
                    return text
                }
                continue
            }
            if count == 0 { return String(decoding: received, as: UTF8.self) }
            guard errno == EAGAIN || errno == EWOULDBLOCK else { return String(decoding: received, as: UTF8.self) }
            throw ServerDidNotStart(output: "no answer and no close within \(seconds) s")
        }
    }

    /// One read: what arrives within `seconds`, up to 64 KiB ("" on a timeout or a close).
    func receiveOnce(seconds: Int) -> String {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(self.socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = recv(self.socket, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
    }

    func close() {
        if !self.closed.exchange(true, ordering: .relaxed) { Glibc.close(self.socket) }
    }

    deinit { self.close() }
}

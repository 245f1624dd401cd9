import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
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
    init(arguments: [String], environment: [String: String] = [:]) throws {
        self.process.executableURL = URL(fileURLWithPath: binary("aduan-server"))
        self.process.arguments = ["--port", "0"] + arguments
        // Every test request comes from loopback, one client to the rate limits: off unless a test sets them.
        self.process.environment = ProcessInfo.processInfo.environment.merging(Self.unlimited) { $1 }.merging(environment) { $1 }
        let out = Pipe()
        self.process.standardOutput = out
        self.process.standardError = FileHandle.nullDevice
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

import AduanCore
import Foundation
import HTTPTypes
import Logging
import Hummingbird
import Synchronization

/// A real HTTP receiver on loopback for the tests: it checks every delivery's Standard Webhooks signature against
/// the secrets it is given, records what it got, and answers with the status the test sets (204 by default).
public final class WebhookReceiver: Sendable {
    /// One request as received.
    public struct Received: Sendable {
        public let id: String
        public let timestamp: Int
        public let signatureHeader: String
        public let body: [UInt8]
        public let path: String
        /// Which of the receiver's secrets (by index) signed it.
        public let signedBy: [Int]
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(self.body))) as? [String: Any] ?? [:] }
        public var type: String? { self.json["type"] as? String }
        public var ticket: String? { self.json["ticket"] as? String }
    }

    struct State {
        var secrets: [WebhookSecret] = []
        var status = 204
        var retryAfter: String?
        var received: [Received] = []
        /// What GET answers, by path: a file's bytes, or a redirect.
        var files: [String: [UInt8]] = [:]
        var redirects: [String: String] = [:]
    }

    let state = Mutex(State())
    public let port: Int
    let task: Task<Void, any Error>

    /// Starts a receiver on `port` (0: any free port).
    public static func start(port: Int = 0) async throws -> WebhookReceiver {
        let router = Router()
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let holder = Holder()
        router.post("{path}") { request, context -> Response in
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
            return holder.receiver!.take(request, path: context.parameters.get("path") ?? "", body: body)
        }
        // It also serves files, as the hosts of the photos an Open311 app links to do.
        router.get("{path}") { _, context -> Response in
            let path = context.parameters.get("path") ?? ""
            let state = holder.receiver!.state.withLock { ($0.files[path], $0.redirects[path]) }
            if let bytes = state.0 {
                return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
            if let target = state.1 { return Response(status: .found, headers: [.location: target]) }
            return Response(status: .notFound)
        }
        var logger = Logger(label: "webhook-receiver")
        // Stopping it mid-connection is what the tests do; its shutdown complaints are noise.
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw CancellationError() }
        let receiver = WebhookReceiver(port: bound, task: task)
        // Nobody knows the port before this returns, so no request arrives before the holder is filled.
        holder.receiver = receiver
        return receiver
    }

    init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    public func url(_ path: String = "hook") -> String { "http://127.0.0.1:\(self.port)/\(path)" }

    /// Serves `bytes` at `GET /path`.
    public func serve(_ path: String, _ bytes: [UInt8]) { self.state.withLock { $0.files[path] = bytes } }

    /// Answers `GET /path` with a 302 to `target`.
    public func redirect(_ path: String, to target: String) { self.state.withLock { $0.redirects[path] = target } }

    public func stop() async {
        self.task.cancel()
        _ = try? await self.task.value
    }

    public func setSecrets(_ secrets: [WebhookSecret]) { self.state.withLock { $0.secrets = secrets } }

    /// The secrets it checks signatures with, in order.
    public var secrets: [WebhookSecret] { self.state.withLock { $0.secrets } }

    /// The status every following request gets, with an optional Retry-After.
    public func answer(_ status: Int, retryAfter: String? = nil) {
        self.state.withLock {
            $0.status = status
            $0.retryAfter = retryAfter
        }
    }

    public var received: [Received] { self.state.withLock { $0.received } }

    /// Waits until `condition` holds for what was received, or fails after `timeout`.
    @discardableResult
    public func wait(
        timeout: Duration = .seconds(20), for description: String, until condition: ([Received]) -> Bool
    ) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let received = self.received
            if condition(received) { return received }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ReceiverTimeout(description: description, received: self.received.map { "\($0.type ?? "?") \($0.ticket ?? "-")" })
    }

    func take(_ request: Request, path: String, body: [UInt8]) -> Response {
        let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
        let timestamp = Int(request.headers[HTTPField.Name("webhook-timestamp")!] ?? "") ?? 0
        let signature = request.headers[HTTPField.Name("webhook-signature")!] ?? ""
        return self.state.withLock { state in
            let signedBy = state.secrets.indices.filter {
                WebhookSignature.verify(header: signature, id: id, timestamp: timestamp, body: body, secret: state.secrets[$0])
            }
            state.received.append(Received(id: id, timestamp: timestamp, signatureHeader: signature, body: body, path: path, signedBy: signedBy))
            var headers = HTTPFields()
            if let retryAfter = state.retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: .init(code: state.status), headers: headers)
        }
    }
}

/// Lets the route reach the receiver made after the router.
final class Holder: @unchecked Sendable {
    var receiver: WebhookReceiver?
}

public struct ReceiverTimeout: Error, CustomStringConvertible {
    public let description: String
    public let received: [String]
    public init(description: String, received: [String]) {
        self.description = "timed out waiting for \(description); received: \(received)"
        self.received = received
    }
}

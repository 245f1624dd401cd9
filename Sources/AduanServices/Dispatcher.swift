import AduanCore
import AduanStore
import AduanWire
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The province's messaging gateway (SMS, WhatsApp, push): where reporters' messages are posted, signed with its key.
public struct MessagingGateway: Sendable, Equatable {
    public let url: String
    public let secret: WebhookSecret
    public init(url: String, secret: WebhookSecret) {
        self.url = url
        self.secret = secret
    }
}

/// How the dispatcher works.
public struct DispatcherSettings: Sendable, Equatable {
    public var policy = DeliveryPolicy()
    /// Requests in flight at once, and to one target at once (so that one slow receiver cannot hold every slot).
    public var concurrency = 32
    public var perTarget = 8
    /// A receiver has this long to answer.
    public var requestTimeout: Duration = .seconds(15)
    public var allowPrivateAddresses = false
    /// Nil: messages are written to the log (a fresh install, development).
    public var gateway: MessagingGateway?
    /// How often it looks for work others wrote (the admin CLI's subscriptions, retries and tests).
    public var pollInterval: Duration = .seconds(1)
    /// The shortest time between two fan-outs (the delay an event may wait before its deliveries are made).
    public var fanOutInterval: Duration = .milliseconds(50)

    public init() {}
}

/// The background service that sends what the outbox announces: it fans events out into deliveries (webhooks to the
/// subscribed offices' systems, messages to reporters) and sends each, at least once, in order per complaint and
/// receiver, retrying on the policy's schedule. All it knows lives in the database, so a restart (or `kill -9`)
/// resumes where it stopped: a delivery in flight at the crash is sent again.
public struct Dispatcher: Service {
    let store: Store
    let catalog: LiveCatalog
    let key: SealingKey
    let settings: DispatcherSettings
    let logger: Logger
    let now: @Sendable () -> Date
    let verdicts = AddressVerdicts()

    public init(
        store: Store, catalog: LiveCatalog, key: SealingKey, settings: DispatcherSettings, logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.catalog = catalog
        self.key = key
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(Int64(self.settings.requestTimeout.components.seconds)))
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        await withDiscardingTaskGroup { group in
            let wake = Doorbell()
            group.addTask { await self.forwardCommits(to: wake) }
            await self.pump(client, wake: wake, group: &group)
            // Deliveries still in flight are cut off: they stay pending and go out after the restart.
            group.cancelAll()
        }
        try? await client.shutdown()
    }

    /// The loop: record finished attempts, fan out new events, start what is due, wait for a ring.
    func pump(_ client: HTTPClient, wake: Doorbell, group: inout DiscardingTaskGroup) async {
        let finished = FinishedAttempts()
        var inFlight: [Int64: String] = [:]
        var lastFanOut = ContinuousClock.now - .seconds(1)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var started = 0
            // Fanning out at most every `fanOutInterval` (finished attempts wake the loop more often) takes many filings
            // in one go and keeps the dispatcher's turns at the writer few; the forwarder rings again for what waits.
            let fanOutWait = lastFanOut + self.settings.fanOutInterval - ContinuousClock.now
            do {
                try await self.record(finished, &inFlight)
                if fanOutWait <= .zero {
                    lastFanOut = ContinuousClock.now
                    try await self.fanOut()
                }
                var perTarget = Dictionary(inFlight.values.map { ($0, 1) }, uniquingKeysWith: +)
                let free = self.settings.concurrency - inFlight.count
                if free > 0 {
                    let now = self.now()
                    let due = try await self.store.dueDeliveries(now: now, limit: free * 2, excluding: Set(inFlight.keys))
                    var chosen: [DueDelivery] = []
                    for delivery in due
                    where chosen.count < free && perTarget[delivery.target, default: 0] < self.settings.perTarget {
                        chosen.append(delivery)
                        perTarget[delivery.target, default: 0] += 1
                    }
                    // Servers sharing a database each take theirs: one attempt per delivery, not one per server. The lease
                    // outlasts the attempt; if this server dies, another sends it once the lease runs out.
                    let claimed = try await self.store.claimDeliveries(
                        chosen.map(\.id), now: now,
                        until: now.addingTimeInterval(Double(self.settings.requestTimeout.components.seconds) + 30))
                    for delivery in chosen where claimed.contains(delivery.id) {
                        inFlight[delivery.id] = delivery.target
                        started += 1
                        group.addTask {
                            let outcome = await self.attempt(delivery, client)
                            finished.add(delivery, outcome)
                            wake.ring()
                        }
                    }
                }
            } catch {
                self.logger.error("dispatcher pass failed", metadata: ["error": "\(error)"])
            }
            let idle = await self.idleWait(startedAny: started > 0)
            await wake.wait(upTo: idle)
        }
        // What finished before the shutdown is recorded; what was cut off stays pending and goes out after the restart.
        try? await self.record(finished, &inFlight)
    }

    /// Passes the store's commits on to the loop at most once per `fanOutInterval`: under a flood of filings every
    /// group commit rings, and waking for each would cost the filings a share of the CPU. A finished attempt rings the
    /// loop directly. The timeout doubles as the poll for what the admin CLI writes.
    func forwardCommits(to wake: Doorbell) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await self.store.outboxBell.wait(upTo: self.settings.pollInterval)
            wake.ring()
            guard (try? await Task.sleep(for: self.settings.fanOutInterval)) != nil else { return }
        }
    }

    func record(_ finished: FinishedAttempts, _ inFlight: inout [Int64: String]) async throws {
        let done = finished.take()
        for (delivery, _) in done { inFlight[delivery.id] = nil }
        let disabled = try await self.store.recordAttempts(done, policy: self.settings.policy, now: self.now())
        for (id, reason) in disabled {
            self.logger.warning("webhook subscription disabled", metadata: ["subscription": "\(id)", "reason": "\(reason)"])
        }
    }

    /// How long to wait for a ring: a finished attempt or a commit rings; otherwise until the next retry falls due, at
    /// most the poll interval. (Deliveries due now that were not started wait behind one in their line, whose end
    /// rings.)
    func idleWait(startedAny: Bool) async -> Duration {
        let now = self.now()
        guard !startedAny, let next = try? await self.store.nextDeliveryDue(after: now) else { return self.settings.pollInterval }
        return min(self.settings.pollInterval, .milliseconds(Int64(next.timeIntervalSince(now) * 1000) + 1))
    }

    func fanOut() async throws {
        let renderer = DeliveryRenderer(catalog: self.catalog.current)
        while try await self.store.fanOut(limit: 500, now: self.now(), render: renderer.render) == 500 {}
    }

    // MARK: - One attempt

    func attempt(_ delivery: DueDelivery, _ client: HTTPClient) async -> AttemptOutcome {
        let body: String
        let url: String
        let secrets: [WebhookSecret]
        if delivery.subscriptionID != nil {
            guard let target = delivery.url else { return .cancelled(reason: "the subscription is gone") }
            secrets = delivery.sealedSecrets.compactMap {
                self.key.unseal($0, context: WebhookSecret.sealingContext).map(WebhookSecret.init(bytes:))
            }
            guard !secrets.isEmpty else {
                return self.failure(delivery, status: nil, error: "cannot unseal the signing key (another key file?)", retryAfter: nil)
            }
            // Checked at every attempt: the name may resolve elsewhere since it was added. (The gateway is the operator's
            // own setting, which may well sit on the province's private network.)
            if let refusal = await self.addressRefusal(target) {
                return self.failure(delivery, status: nil, error: refusal, retryAfter: nil)
            }
            (url, body) = (target, delivery.body)
        } else {
            guard delivery.notifyReporter else { return .cancelled(reason: "the reporter turned messages off") }
            // An anonymous reporter's phone is opened here, for this message only, and never logged in clear.
            let phone = delivery.reporterPhone ?? delivery.reporterPhoneSealed.flatMap { IdentitySeal(self.key).phone($0) }
            guard let phone, let message = try? JSONDecoder().decode(GatewayMessage.self, from: Data(delivery.body.utf8))
            else { return .cancelled(reason: "no phone to send to") }
            let addressed = DeliveryRenderer.json(
                GatewayMessage(to: phone, template: message.template, params: message.params, ticket: message.ticket, text: message.text))
            guard let gateway = self.settings.gateway else {
                self.logger.info(
                    "message to reporter (no messaging gateway configured)",
                    metadata: ["to": "\(Self.masked(phone))", "ticket": "\(message.ticket ?? "-")", "text": "\(message.text)"])
                return .delivered(status: 0)
            }
            (url, body, secrets) = (gateway.url, addressed, [gateway.secret])
        }
        let request = SignedPost.request(
            url: url, id: delivery.messageID, timestamp: Int(self.now().timeIntervalSince1970), body: body, secrets: secrets)
        do {
            let response = try await client.execute(request, timeout: .seconds(self.settings.requestTimeout.components.seconds))
            // The answer's body is not needed; a little is read so that the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 << 10)
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return .delivered(status: status) }
            if status == 410 && delivery.subscriptionID != nil { return .gone }
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.retryAfter)
            return self.failure(delivery, status: status, error: "HTTP \(status)", retryAfter: retryAfter)
        } catch {
            return self.failure(delivery, status: nil, error: Self.describe(error), retryAfter: nil)
        }
    }

    func failure(_ delivery: DueDelivery, status: Int?, error: String, retryAfter: TimeInterval?) -> AttemptOutcome {
        let delay = self.settings.policy.nextDelay(
            afterAttempts: delivery.attempts + 1, retryAfter: retryAfter, random: Double.random(in: 0...1))
        if delay == nil {
            self.logger.warning(
                "delivery failed for good (dead letter)",
                metadata: ["delivery": "\(delivery.id)", "target": "\(delivery.target)", "error": "\(error)"])
        }
        return .failed(status: status, error: error, retryAt: delay.map { self.now().addingTimeInterval($0) })
    }

    /// Why a webhook URL may not be called now, or nil. A host's verdict is kept for `AddressVerdicts.lifetime`, so
    /// that a busy receiver's deliveries do not each wait for a DNS lookup; resolving blocks, so it runs off the pool.
    func addressRefusal(_ url: String) async -> String? {
        let allowPrivate = self.settings.allowPrivateAddresses
        let host = ReceiverAddress.host(of: url) ?? url
        if let known = self.verdicts.verdict(host, now: self.now()) { return known.refusal }
        let refusal = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            DispatchQueue.global().async {
                do {
                    try ReceiverAddress.check(url, allowPrivate: allowPrivate)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: "\(error)")
                }
            }
        }
        self.verdicts.keep(host, refusal: refusal, now: self.now())
        return refusal
    }

    /// Seconds from a `Retry-After` header (seconds or an HTTP date).
    static func retryAfter(_ value: String) -> TimeInterval? {
        if let seconds = TimeInterval(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("deadlineExceeded") || text.contains("Timeout") || text.contains("timeout") { return "timed out" }
        return String(text.prefix(200))
    }

    /// A phone number for the log: enough to tell messages apart, not enough to call.
    static func masked(_ phone: String) -> String {
        return phone.count <= 6 ? "***" : String(phone.prefix(4)) + String(repeating: "*", count: phone.count - 7) + String(phone.suffix(3))
    }
}

/// Attempts finished since the dispatcher last recorded them (the sending tasks add, the loop takes).
final class FinishedAttempts: Sendable {
    private let list = Mutex<[(delivery: DueDelivery, outcome: AttemptOutcome)]>([])

    func add(_ delivery: DueDelivery, _ outcome: AttemptOutcome) { self.list.withLock { $0.append((delivery, outcome)) } }

    func take() -> [(delivery: DueDelivery, outcome: AttemptOutcome)] {
        self.list.withLock { list in
            defer { list = [] }
            return list
        }
    }
}

/// Recent verdicts of the address check, by host.
final class AddressVerdicts: Sendable {
    struct Verdict {
        let until: Date
        /// Nil when the host may be called.
        let refusal: String?
    }
    static let lifetime: TimeInterval = 60
    private let verdicts = Mutex<[String: Verdict]>([:])

    func verdict(_ host: String, now: Date) -> Verdict? {
        self.verdicts.withLock { verdicts in verdicts[host].flatMap { $0.until > now ? $0 : nil } }
    }

    func keep(_ host: String, refusal: String?, now: Date) {
        self.verdicts.withLock { $0[host] = Verdict(until: now.addingTimeInterval(Self.lifetime), refusal: refusal) }
    }
}

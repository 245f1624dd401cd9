import AduanStore
import Foundation
import Logging
import ServiceLifecycle

/// Forgets what the server promised to keep only for a while: Idempotency-Keys after their 48 hours. Runs at start-up
/// and then every `interval`. A key past its lifetime is already ignored when filing; this keeps the table small.
public struct Housekeeping: Service {
    let store: Store
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    public init(store: Store, interval: Duration = .seconds(3600), logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        await everyInterval(self.interval, passAtStart: true, logger: self.logger, failure: "housekeeping failed") {
            let forgotten = try await self.store.forgetExpiredIdempotencyKeys(now: self.now())
            if forgotten > 0 { self.logger.info("expired idempotency keys forgotten", metadata: ["keys": "\(forgotten)"]) }
        }
    }
}

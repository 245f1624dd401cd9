import AduanCore
import AduanStore
import Foundation
import Logging
import ServiceLifecycle

/// The background service that keeps the SLA marks current: at start-up it catches up on everything that came due
/// while the server was down, then sweeps every `interval`. Each pass is idempotent (the marks and their events
/// commit together), so a restart or two servers sweeping never duplicate an event.
public struct SLAMonitor: Service {
    let store: Store
    let catalog: LiveCatalog
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    /// Told each pass's outcome and how long it took (for `/metrics`).
    let observe: (@Sendable (Store.SweepOutcome, Duration) -> Void)?

    public init(
        store: Store, catalog: LiveCatalog, interval: Duration, now: @escaping @Sendable () -> Date = Date.init, logger: Logger,
        observe: (@Sendable (Store.SweepOutcome, Duration) -> Void)? = nil
    ) {
        self.store = store
        self.catalog = catalog
        self.interval = interval
        self.now = now
        self.logger = logger
        self.observe = observe
    }

    public func run() async throws {
        await everyInterval(self.interval, passAtStart: true, logger: self.logger, failure: "sla monitor pass failed") {
            let started = ContinuousClock.now
            let outcome = try await self.pass()
            let elapsed = ContinuousClock.now - started
            self.observe?(outcome, elapsed)
            if outcome.changed > 0 {
                self.logger.info(
                    "sla monitor pass",
                    metadata: ["changed": "\(outcome.changed)", "seconds": "\(elapsed.components.seconds)", "longest_hold": "\(outcome.longestHold)"])
            }
        }
    }

    /// One pass at the current time; returns the number of complaints changed.
    public func sweep() async throws -> Int { try await self.pass().changed }

    /// One pass at the current time.
    func pass() async throws -> Store.SweepOutcome {
        let now = self.now()
        let workflow = Workflow(catalog: self.catalog.current)
        return try await self.store.sweep(now: now, closeResolvedBefore: now.addingTimeInterval(-Workflow.confirmationWindow)) {
            workflow.sweep($0, now: now)
        }
    }
}

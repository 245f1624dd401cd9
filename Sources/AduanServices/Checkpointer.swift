import AduanStore
import Logging
import ServiceLifecycle

/// Copies the WAL back into the database file every `interval`, from a connection of its own, so that no commit of
/// a filing pays for a checkpoint (SQLite's own checkpoint runs inside the commit that fills the WAL, fsyncs
/// included, with the writer held). Added when the store was opened with `checkpointInBackground`.
public struct Checkpointer: Service {
    let store: Store
    let interval: Duration
    let logger: Logger

    public init(store: Store, interval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await everyInterval(self.interval, passAtStart: false, logger: self.logger, failure: "wal checkpoint failed") {
            try await self.store.checkpoint()
        }
    }
}

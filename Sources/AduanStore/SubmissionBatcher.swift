import AduanCore
import GRDB
import Synchronization

/// Who is told the size of each group of filings committed together (for `/metrics`).
final class BatchObserver: Sendable {
    private let observe = Mutex<(@Sendable (Int) -> Void)?>(nil)
    func set(_ observe: @escaping @Sendable (Int) -> Void) { self.observe.withLock { $0 = observe } }
    func committed(_ count: Int) { self.observe.withLock { $0 }?(count) }
}

/// Group commit: submissions that arrive while a transaction is committing wait and then commit together in the
/// next one. One fsync then covers many complaints, which is what lets `synchronous=FULL` keep up with load.
actor SubmissionBatcher {
    struct Job {
        let filing: Filing
        let continuation: CheckedContinuation<SubmissionOutcome, any Error>
    }

    let writer: any DatabaseWriter
    /// Rung after each commit: the filings' announcements are in the outbox.
    let outboxBell: Doorbell
    /// Bounds a transaction's size so that its latency stays bounded too.
    let maxBatch = 512
    /// Filings that may wait for the transaction in progress; beyond, a filing is refused at once (503) rather than
    /// held in memory while the database is slow or stuck.
    let maxWaiting: Int
    private var pending: [Job] = []
    private var flushing = false
    /// Told the size of each committed batch (for `/metrics`).
    nonisolated let batchObserver: BatchObserver

    /// The months the filings are counted in.
    let counterZone: CounterZone

    init(writer: any DatabaseWriter, outboxBell: Doorbell, maxWaiting: Int, counterZone: CounterZone, batchObserver: BatchObserver) {
        self.batchObserver = batchObserver
        self.writer = writer
        self.counterZone = counterZone
        self.outboxBell = outboxBell
        self.maxWaiting = maxWaiting
    }

    /// Filings waiting for the next transaction (for `/metrics`).
    var waiting: Int { self.pending.count }

    func submit(_ filing: Filing) async throws -> SubmissionOutcome {
        guard self.pending.count < self.maxWaiting else { throw StoreError.submissionQueueFull(waiting: self.pending.count) }
        return try await withCheckedThrowingContinuation { continuation in
            self.pending.append(Job(filing: filing, continuation: continuation))
            if !self.flushing {
                self.flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !self.pending.isEmpty {
            let batch = Array(self.pending.prefix(self.maxBatch))
            self.pending.removeFirst(batch.count)
            let filings = batch.map(\.filing)
            let zone = self.counterZone
            do {
                let outcomes = try await self.writer.write { db in
                    try filings.map { filing in
                        var outcome: Result<SubmissionOutcome, any Error> = .failure(CancellationError())
                        try db.inSavepoint {
                            do {
                                outcome = .success(try Store.insert(filing, counting: zone, db))
                                return .commit
                            } catch {
                                // Only this submission fails; a dead connection fails the commit below instead.
                                outcome = .failure(error)
                                return .rollback
                            }
                        }
                        return outcome
                    }
                }
                self.outboxBell.ring()
                self.batchObserver.committed(batch.count)
                for (job, outcome) in zip(batch, outcomes) { job.continuation.resume(with: outcome) }
            } catch {
                // The transaction did not commit: nothing in the batch was acknowledged.
                for job in batch { job.continuation.resume(throwing: error) }
            }
        }
        self.flushing = false
    }
}

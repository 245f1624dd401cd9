import Dispatch
import Foundation

/// Runs blocking work on threads outside the event loops, at most `concurrency` at a time, with at most `waiting`
/// callers queued behind them; one more is refused at once with 503 and Retry-After.
actor WorkLimiter {
    let concurrency: Int
    let waiting: Int
    private var running = 0
    private var queue: [CheckedContinuation<Void, Never>] = []

    /// Uploads waiting for a slot (for `/metrics`).
    var waitingCount: Int { self.queue.count }

    init(concurrency: Int, waiting: Int) {
        self.concurrency = max(1, concurrency)
        self.waiting = max(0, waiting)
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        if self.running >= self.concurrency {
            guard self.queue.count < self.waiting else { throw Problem(.unavailable, context: "photo processing is busy") }
            await withCheckedContinuation { self.queue.append($0) }
        } else {
            self.running += 1
        }
        defer { self.release() }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Hands the slot to the next waiter, or frees it.
    private func release() {
        if self.queue.isEmpty {
            self.running -= 1
        } else {
            self.queue.removeFirst().resume()
        }
    }
}

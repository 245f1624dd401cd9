/// At most one run per key at a time: a caller arriving while a run for its key is under way waits for that run's
/// result instead of starting another. Report generation reads the whole month; two at once for the same month and
/// scope would only double the load and keep two versions of the same figures.
public actor SingleFlight<Value: Sendable> {
    private var running: [String: Task<Value, any Error>] = [:]
    /// How many runs were started (for tests and logs).
    public private(set) var started = 0

    public init() {}

    public func run(_ key: String, _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let run = self.running[key] { return try await run.value }
        let run = Task { try await body() }
        self.running[key] = run
        self.started += 1
        defer { self.running[key] = nil }
        return try await run.value
    }
}

import AduanBundledCatalog
import AduanCore
import AduanPostgres
import AduanStore
import Foundation

// aduan-store-bench: filings through the store, with no HTTP in front, on SQLite (group commit) and on PostgreSQL with
// one and with two servers' pools on one database. What the engines and the several-server guarantees (the month's
// ticket row, the outbox's turn) cost, apart from the server's own work. ops/bench/postgres.sh runs it.
//
//   aduan-store-bench [--filings N] [--concurrency C] [--database-url postgres://…]   (the URL names a server
//   on which the bench creates and drops its own databases)

struct Options {
    var filings = 4000
    var concurrency = 64
    var databaseURL: String?

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw Usage("\(flag) needs a value") }
            switch flag {
            case "--filings": self.filings = try Self.positive(flag, value)
            case "--concurrency": self.concurrency = try Self.positive(flag, value)
            case "--database-url": self.databaseURL = value
            default: throw Usage("unknown option \(flag)")
            }
        }
    }

    static func positive(_ flag: String, _ value: String) throws -> Int {
        guard let number = Int(value), number > 0 else { throw Usage("\(flag) takes a positive number, not \(value)") }
        return number
    }
}

struct Usage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let intake = Intake(catalog: try CatalogLoader.bundled().waivingPhotoRequirements())
let keys = IdempotencyKeyHasher(SealingKey(bytes: Secrets.randomBytes(32)))

/// Files `count` complaints through `stores` (round robin), `concurrency` at a time; each filing's latency in seconds.
func file(_ count: Int, concurrency: Int, into stores: [Store]) async throws -> (seconds: Double, latencies: [Double]) {
    let clock = ContinuousClock()
    let began = clock.now
    let latencies = try await withThrowingTaskGroup(of: Double.self) { group in
        var started = 0
        var latencies: [Double] = []
        func start() throws {
            let index = started
            let filing = try intake.file(
                SubmissionInput(
                    category: "sampah", description: "Sampah menumpuk di pasar, laporan uji beban \(index).", region: "18.71.01",
                    reporterName: "Warga \(index)", reporterPhone: "0812\(String(format: "%08d", index))"),
                idempotencyKey: keys.key("bench-\(UUID().uuidString)"), now: Date()
            ).get()
            let store = stores[index % stores.count]
            group.addTask {
                let start = clock.now
                _ = try await store.file(filing)
                let took = clock.now - start
                return Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
            }
            started += 1
        }
        while started < min(concurrency, count) { try start() }
        for try await latency in group {
            latencies.append(latency)
            if started < count { try start() }
        }
        return latencies
    }
    let took = clock.now - began
    return (Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18, latencies.sorted())
}

func report(_ name: String, _ result: (seconds: Double, latencies: [Double]), baseline: Double?) -> Double {
    let rate = Double(result.latencies.count) / result.seconds
    func percentile(_ p: Double) -> Double {
        result.latencies[min(result.latencies.count - 1, Int(Double(result.latencies.count) * p))] * 1000
    }
    let ratio = baseline.map { String(format: "%.2f", rate / $0) } ?? "1.00"
    print(
        name.padding(toLength: 28, withPad: " ", startingAt: 0)
            + String(format: "%10.0f %10.1f %10.1f ", rate, percentile(0.5), percentile(0.99)) + ratio)
    return rate
}

/// A new database on the server, for one run, dropped afterwards.
func withFreshDatabase(on server: DatabaseURL, _ body: (DatabaseURL) async throws -> Void) async throws {
    let name = "aduan_bench_\(UInt32.random(in: 0...UInt32.max))"
    try await PostgresDatabase.using(server) { try await $0.createDatabase(name) }
    let url = try server.naming(database: name)
    do {
        try await body(url)
    } catch {
        try? await PostgresDatabase.using(server) { try await $0.dropDatabase(name) }
        throw error
    }
    try await PostgresDatabase.using(server) { try await $0.dropDatabase(name) }
}

/// `servers` stores, each with its own pool, on one database.
func onServers(_ servers: Int, _ url: DatabaseURL, _ body: @Sendable ([Store]) async throws -> Void) async throws {
    try await PostgresDatabase.using(pools: servers, url, deadline: .seconds(30), maximumConnections: 20) { pools in
        var stores: [Store] = []
        for pool in pools { stores.append(try await Store.open(server: pool)) }
        try await body(stores)
    }
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    print("filings=\(options.filings) concurrency=\(options.concurrency), each with an Idempotency-Key, a name and a phone")
    print("engine".padding(toLength: 28, withPad: " ", startingAt: 0) + "  filings/s     p50_ms     p99_ms ratio-to-sqlite")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-store-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let sqlite = try Store.open(path: directory.appendingPathComponent("aduan.sqlite").path)
    _ = try await file(200, concurrency: options.concurrency, into: [sqlite])  // warm-up
    let baseline = report(
        "sqlite (group commit, FULL)", try await file(options.filings, concurrency: options.concurrency, into: [sqlite]), baseline: nil)
    if let text = options.databaseURL {
        let server = try DatabaseURL(text)
        for servers in [1, 2] {
            try await withFreshDatabase(on: server) { url in
                _ = try await PostgresDatabase.using(url) { try await $0.migrate() }
                try await onServers(servers, url) { stores in
                    _ = try await file(200, concurrency: options.concurrency, into: stores)
                    let result = try await file(options.filings, concurrency: options.concurrency, into: stores)
                    _ = report("postgresql, \(servers) server\(servers == 1 ? "" : "s")", result, baseline: baseline)
                }
            }
        }
    } else {
        print("(no --database-url: PostgreSQL not measured)")
    }
} catch {
    FileHandle.standardError.write(Data("aduan-store-bench: \(error)\n".utf8))
    exit(1)
}

import Foundation

/// Backups of a PostgreSQL database with PostgreSQL's own tools: `pg_dump` writes one consistent moment of it (a
/// snapshot, while servers keep working) in the custom format, `pg_restore` reads it back into an empty database.
/// The password goes to the tools in their environment (`PGPASSWORD`), never on a command line others can read.
public enum PostgresBackup {
    /// Dumps the database to `path` (which must not exist): written beside it first, listed by `pg_restore --list` to
    /// be sure it reads back, synced, then renamed into place. Returns how many tables' data it holds and its size.
    public static func backup(_ url: DatabaseURL, to path: String) throws -> (tables: Int, bytes: Int64) {
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupFailed("\(path) exists; a backup never overwrites") }
        let temporary = path + ".partial-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try self.run("pg_dump", ["--format=custom", "--no-owner", "--file=\(temporary)", "--dbname=\(self.connection(url))"], url)
        let listing = try self.run("pg_restore", ["--list", temporary], url)
        let tables = listing.split(separator: "\n").filter { $0.contains(" TABLE DATA ") }.count
        guard tables > 0 else { throw BackupFailed("the dump of \(url) holds no table data: is it an Aduan database?") }
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: temporary))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            throw BackupFailed("cannot move the backup to \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return (tables, bytes)
    }

    /// Restores a backup into `url`, which must hold no tables yet (create a new database for it): in one transaction,
    /// so that a failed restore leaves nothing half done.
    public static func restore(_ path: String, into url: DatabaseURL) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupFailed("no backup at \(path)") }
        let tables = try self.run(
            "psql", ["--no-psqlrc", "-Atqc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", self.connection(url)], url)
        guard tables.trimmingCharacters(in: .whitespacesAndNewlines) == "0" else {
            throw BackupFailed("\(url) already has tables: restore into a new, empty database (createdb), then point the servers at it")
        }
        try self.run(
            "pg_restore", ["--exit-on-error", "--single-transaction", "--no-owner", "--dbname=\(self.connection(url))", path], url)
    }

    /// The URL as libpq takes it, without the password.
    static func connection(_ url: DatabaseURL) -> String {
        var query = ["sslmode=\(url.tls.rawValue)"]
        if let socket = url.socket { query.append("host=\(socket)") }
        let user = url.username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? url.username
        let database = url.database.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? url.database
        let host = url.socket == nil ? "\(url.host):\(url.port)" : ""
        return "postgresql://\(user)@\(host)/\(database)?" + query.joined(separator: "&")
    }

    /// Runs one of PostgreSQL's client tools and returns what it printed; its error output if it fails.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], _ url: DatabaseURL) throws -> String {
        guard let executable = self.find(tool) else {
            throw BackupFailed("\(tool) is not installed (Debian: apt-get install postgresql-client-15)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = url.password
        environment["PGCONNECT_TIMEOUT"] = "10"
        process.environment = environment
        let output = Pipe()
        // Its errors go to a file: a tool filling one pipe while we read the other would wait for us forever.
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-\(tool)-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorPath) }
        let errors = try FileHandle(forWritingTo: errorPath)
        defer { try? errors.close() }
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let complaint = (try? Data(contentsOf: errorPath)) ?? Data()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: complaint, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BackupFailed(
                "\(tool) failed (\(process.terminationStatus)): \(message.split(separator: "\n").prefix(3).joined(separator: " / "))")
        }
        return String(decoding: printed, as: UTF8.self)
    }

    /// The tool on PATH, else the newest PostgreSQL's own.
    static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/\(tool)") {
            return "\(directory)/\(tool)"
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.compactMap(Int.init).sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A backup or restore that did not happen, and why.
public struct BackupFailed: Error, CustomStringConvertible {
    public let description: String
    init(_ reason: String) { self.description = reason }
}

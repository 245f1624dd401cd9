import Foundation

/// Where staff commands send their requests, and with which token: `ADUAN_SERVER` and `ADUAN_TOKEN` override the
/// per-user credentials file written by `aduan-admin login` (mode 0600).
struct Credentials: Equatable {
    var server: String
    var token: String

    /// `$ADUAN_CREDENTIALS`, else `$XDG_CONFIG_HOME/aduan/credentials`, else `~/.config/aduan/credentials`.
    static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["ADUAN_CREDENTIALS"], !explicit.isEmpty { return explicit }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/aduan/credentials" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/aduan/credentials"
    }

    /// The credentials in force, or a failure that says how to log in.
    static func current(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Credentials {
        let stored = Self.read(path: Self.path(environment: environment))
        let server = environment["ADUAN_SERVER"].flatMap { $0.isEmpty ? nil : $0 } ?? stored?.server
        let token = environment["ADUAN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } ?? stored?.token
        guard let server, let token else {
            throw Failure("not logged in: run aduan-admin login --server URL (or set ADUAN_SERVER and ADUAN_TOKEN)")
        }
        return Credentials(server: server, token: token)
    }

    static func read(path: String) -> Credentials? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var values: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let server = values["server"], let token = values["token"] else { return nil }
        return Credentials(server: server, token: token)
    }

    /// Writes the file readable by its owner only; the directory is created owner-only too.
    func save(path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // Created empty with 0600 first, so the token is never readable by others, even for a moment.
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw Failure("cannot write \(path)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.write(contentsOf: Data("# aduan-admin login\nserver = \(self.server)\ntoken = \(self.token)\n".utf8))
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

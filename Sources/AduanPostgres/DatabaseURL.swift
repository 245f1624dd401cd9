import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]` (`postgresql://` too;
/// `?host=/run/postgresql` for a Unix socket). Without a password in the URL, `PGPASSWORD` gives it, as it does to
/// PostgreSQL's own tools: a URL on a command line is readable by every local user. The TLS modes mean what libpq's
/// do: `prefer` (the default) and `require` encrypt without checking the certificate, `verify-ca` checks it against
/// the system's trusted authorities, `verify-full` also checks the host name. Its description never shows the password.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    /// A Unix socket's directory or path, instead of host and port.
    public let socket: String?
    public let username: String
    public let password: String?
    public private(set) var database: String
    public let tls: TLSMode

    /// The same server, another database on it.
    public func naming(database: String) -> DatabaseURL {
        var url = self
        url.database = database
        return url
    }

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw DatabaseURLError("not a postgres:// URL")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw DatabaseURLError("no user name (postgres://USER@HOST/DATABASE)")
        }
        let database = String(components.percentEncodedPath.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw DatabaseURLError("no database name (postgres://USER@HOST/DATABASE)") }
        let socket = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        guard host != nil || socket != nil else { throw DatabaseURLError("no host (postgres://USER@HOST/DATABASE)") }
        if let port = components.port, !(1...65535).contains(port) { throw DatabaseURLError("port \(port) is out of range") }
        guard let tls = TLSMode(rawValue: query["sslmode"] ?? "prefer") else {
            throw DatabaseURLError("sslmode: disable, prefer, require, verify-ca or verify-full, not '\(query["sslmode"] ?? "")'")
        }
        let unknown = Set(query.keys).subtracting(["sslmode", "host"])
        guard unknown.isEmpty else { throw DatabaseURLError("unknown parameter(s): \(unknown.sorted().joined(separator: ", "))") }
        self.host = host ?? "localhost"
        self.port = components.port ?? 5432
        self.socket = socket
        self.username = user
        self.password =
            components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
            ?? ProcessInfo.processInfo.environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        self.database = database
        self.tls = tls
    }

    public var description: String {
        let place = self.socket.map { "\(self.host)/\(self.database)?host=\($0)" } ?? "\(self.host):\(self.port)/\(self.database)"
        return "postgres://\(self.username)\(self.password == nil ? "" : ":***")@\(place)"
    }

    /// The settings of one connection to this database (the pool's are `clientConfiguration`).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socket = self.socket {
            return PostgresConnection.Configuration(
                unixSocketPath: Self.socketPath(socket, self.port), username: self.username, password: self.password,
                database: self.database)
        }
        let tls: PostgresConnection.Configuration.TLS
        switch self.tlsConfiguration() {
        case nil: tls = .disable
        case (let configuration, let required)?:
            let context = try NIOSSLContext(configuration: configuration)
            tls = required ? .require(context) : .prefer(context)
        }
        return PostgresConnection.Configuration(
            host: self.host, port: self.port, username: self.username, password: self.password, database: self.database, tls: tls)
    }

    /// The TLS settings of `sslmode` (nil: none), and whether TLS is required.
    func tlsConfiguration() -> (TLSConfiguration, required: Bool)? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch self.tls {
        case .disable: return nil
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: break
        }
        return (configuration, self.tls != .prefer)
    }

    /// A directory holds the server's socket under its conventional name.
    static func socketPath(_ socket: String, _ port: Int) -> String {
        socket.hasSuffix(".s.PGSQL.\(port)") ? socket : socket + "/.s.PGSQL.\(port)"
    }

    /// The client's settings for this database.
    public func clientConfiguration() -> PostgresClient.Configuration {
        if let socket = self.socket {
            return PostgresClient.Configuration(
                unixSocketPath: Self.socketPath(socket, self.port), username: self.username, password: self.password,
                database: self.database)
        }
        let tls: PostgresClient.Configuration.TLS
        switch self.tlsConfiguration() {
        case nil: tls = .disable
        case (let configuration, let required)?: tls = required ? .require(configuration) : .prefer(configuration)
        }
        return PostgresClient.Configuration(
            host: self.host, port: self.port, username: self.username, password: self.password, database: self.database, tls: tls)
    }
}

/// A database URL that cannot be used, and why.
public struct DatabaseURLError: Error, CustomStringConvertible {
    public let description: String
    init(_ reason: String) { self.description = "database URL: \(reason)" }
}

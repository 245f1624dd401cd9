import AduanCore
import Foundation
import GRDB

/// A kept report: its version and the figures as JSON.
public struct ReportSnapshot: Sendable {
    public let version: Int
    public let generatedAt: Date
    public let generatedBy: String
    public let body: String
    /// Made before its month was over: not the month's report once it is (read from the kept JSON, one way).
    public let provisional: Bool
    /// Whether `saveReport` kept this one now (false when it returned a version another request had kept).
    public var isNew = false
}

/// What a kept report is: the monthly SLA report of one month, or the rakor pack of a span of months.
public enum ReportKind: String, Sendable {
    case monthlySLA = "monthly_sla"
    case rakor
}

extension Store {
    /// Keeps a generated report as the next version of its period and scope; `body` gets that version number.
    /// Versions are numbered inside the write transaction, so two generations at once get two versions.
    /// `replacing` is for a generation a reader set off (the latest version it saw, 0 for none): if another request
    /// kept a newer version meanwhile, that one is returned and nothing is kept, so that readers arriving together
    /// make one version, not one each.
    public func saveReport(
        kind: ReportKind = .monthlySLA, period: String, scope: String, generatedAt: Date, generatedBy: String,
        replacing latestSeen: Int? = nil,
        body: @escaping @Sendable (_ version: Int) throws -> String
    ) async throws -> ReportSnapshot {
        try await self.write { session in
            // On several servers too: versions are numbered one generation at a time, and a reader's generation that
            // another server's overtook returns that one.
            try session.serialize(on: .reportVersions(kind.rawValue + " " + period + " " + scope))
            let latest =
                try session.value(
                    Int.self, "SELECT coalesce(max(version), 0) FROM report_snapshot WHERE kind = ? AND period = ? AND scope = ?",
                    [kind.rawValue, period, scope]) ?? 0
            if let latestSeen, latest != latestSeen,
                let row = try session.fetchOne(
                    """
                    SELECT generated_at, generated_by, body, \(Self.provisionalSQL(session.dialect)) AS provisional FROM report_snapshot
                    WHERE kind = ? AND period = ? AND scope = ? AND version = ?
                    """, [kind.rawValue, period, scope, latest])
            {
                return ReportSnapshot(
                    version: latest, generatedAt: (row["generated_at"] as Date).nearestMillisecond,
                    generatedBy: row["generated_by"], body: row["body"], provisional: row["provisional"])
            }
            let version = latest + 1
            let text = try body(version)
            let provisional = try session.value(
                Bool.self,
                """
                INSERT INTO report_snapshot (kind, period, scope, version, generated_at, generated_by, body)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING \(Self.provisionalSQL(session.dialect))
                """,
                [kind.rawValue, period, scope, version, DatabaseTimestamp.string(generatedAt), String(generatedBy.prefix(120)), text])
            return ReportSnapshot(
                version: version, generatedAt: generatedAt, generatedBy: generatedBy, body: text, provisional: provisional ?? false,
                isNew: true)
        }
    }

    /// A kept report: the given version, or the latest when nil; nil when there is none.
    public func report(kind: ReportKind = .monthlySLA, period: String, scope: String, version: Int? = nil) async throws
        -> ReportSnapshot?
    {
        try await self.read { session in
            let row = try session.fetchOne(
                """
                SELECT version, generated_at, generated_by, body, \(Self.provisionalSQL(session.dialect)) AS provisional FROM report_snapshot
                WHERE kind = ? AND period = ? AND scope = ? AND (CAST(? AS BIGINT) IS NULL OR version = ?)
                ORDER BY version DESC LIMIT 1
                """, [kind.rawValue, period, scope, version, version])
            return row.map {
                ReportSnapshot(
                    version: $0["version"], generatedAt: ($0["generated_at"] as Date).nearestMillisecond,
                    generatedBy: $0["generated_by"], body: $0["body"], provisional: $0["provisional"])
            }
        }
    }

    /// Whether a kept version was made before its month was over, read from its JSON without decoding it: the one
    /// way every read of a snapshot learns it.
    static func provisionalSQL(_ dialect: SQLDialect) -> String {
        dialect == .sqlite
            ? "coalesce(body ->> '$.provisional', 0)" : "coalesce(CAST(\(dialect.jsonText("body", "provisional")) AS boolean), false)"
    }

    /// The versions kept for a period and scope, oldest first, and whether each was made before its month was over.
    public func reportVersions(kind: ReportKind = .monthlySLA, period: String, scope: String)
        async throws -> [(version: Int, generatedAt: Date, generatedBy: String, provisional: Bool)]
    {
        try await self.read { session in
            try session.fetchAll(
                """
                SELECT version, generated_at, generated_by, \(Self.provisionalSQL(session.dialect)) AS provisional
                FROM report_snapshot WHERE kind = ? AND period = ? AND scope = ? ORDER BY version
                """, [kind.rawValue, period, scope]
            ).map {
                (
                    version: $0["version"], generatedAt: ($0["generated_at"] as Date).nearestMillisecond, generatedBy: $0["generated_by"],
                    provisional: $0["provisional"] as Bool
                )
            }
        }
    }
}

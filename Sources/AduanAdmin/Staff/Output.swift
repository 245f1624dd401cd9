import AduanWire
import Foundation

/// Plain-text output for people: aligned tables and local times without seconds.
enum Output {
    /// Columns padded to their widest cell (by characters, so Indonesian labels align).
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// `2026-11-24T16:00:00+07:00` as `2026-11-24 16:00`; anything else unchanged.
    static func time(_ iso: String?) -> String {
        guard let iso else { return "-" }
        guard iso.count >= 16 else { return iso }
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(5)
    }

    /// The worse SLA mark of a complaint's two clocks, in Indonesian.
    static func sla(_ sla: StaffSLA) -> String {
        let levels = [sla.response, sla.resolution]
        return Self.level(levels.contains("breached") ? "breached" : levels.contains("at_risk") ? "at_risk" : "on_time")
    }

    /// One clock's SLA mark in Indonesian.
    static func level(_ level: String) -> String {
        switch level {
        case "breached": return "TERLAMBAT"
        case "at_risk": return "berisiko"
        case "on_time": return "tepat waktu"
        default: return "-"
        }
    }

    /// A value made of dictionaries, arrays and plain values as one JSON line, keys sorted: what `--json` prints for
    /// what the admin reads from the database file.
    static func jsonLine(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    /// The server's JSON, indented for a person running `--json` by hand, keys sorted for scripts.
    static func json(_ data: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: data),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return String(decoding: data, as: UTF8.self) }
        return String(decoding: pretty, as: UTF8.self)
    }

    /// One line per history entry: time, who, what.
    static func history(_ entries: [AuditEntry]) -> [String] {
        entries.map { entry in
            let who: String
            switch entry.actor.kind {
            case "staff": who = "\(entry.actor.name ?? "petugas #\(entry.actor.id ?? "?")") (\(entry.actor.role ?? "staff"))"
            case "citizen": who = "pelapor"
            default: who = "sistem"
            }
            let details = entry.details.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.replacingOccurrences(of: "\n", with: " "))" }.joined(separator: " ")
            let internalMark = entry.visible_to_reporter ? "" : " [internal]"
            return "\(self.time(entry.at))  \(entry.kind)\(internalMark)  \(who)  \(details)"
        }
    }
}

import AduanCore
import AduanStore
import Foundation

/// The rakor packs of one database: generating one keeps it as the next version, as monthly reports are kept. The
/// HTTP route and `aduan-admin report rakor` both go through here.
public struct RakorPacks: Sendable {
    public let builder: RakorPackBuilder

    public init(catalog: Catalog, store: Store) { self.builder = RakorPackBuilder(catalog: catalog, store: store) }

    /// The snapshot scope: the office or the province, then the desk and the kabupaten/kota, if any.
    public static func scope(opd: String?, desk: String?, kabupatenKota: String?) -> String {
        var scope = opd ?? ReportScope.provinceCode
        if let desk { scope += "|desk=\(desk)" }
        if let kabupatenKota { scope += "|kabkota=\(kabupatenKota)" }
        return scope
    }

    public func generate(
        period: RakorPeriod, opd: String?, desk: String?, kabupatenKota: String?, now: Date, generatedBy: String, replacing seen: Int? = nil
    ) async throws -> RakorPack {
        let pack = try await self.builder.build(
            period: period, opd: opd, desk: desk, kabupatenKota: kabupatenKota, now: now, generatedBy: generatedBy)
        return try await self.builder.store.keep(
            pack, kind: .rakor, period: period.description, scope: Self.scope(opd: opd, desk: desk, kabupatenKota: kabupatenKota),
            generatedAt: now, generatedBy: generatedBy, replacing: seen)
    }

    /// The latest kept version when it can be served as it is, else a new one (none kept, or a provisional one of a
    /// period now over).
    public func latest(period: RakorPeriod, opd: String?, desk: String?, kabupatenKota: String?, now: Date, generatedBy: String)
        async throws -> RakorPack
    {
        let snapshot = try await self.builder.store.report(
            kind: .rakor, period: period.description, scope: Self.scope(opd: opd, desk: desk, kabupatenKota: kabupatenKota))
        let over = now >= self.builder.catalog.calendar.instant(period.last.adding(1).firstDay, minute: 0)
        if let snapshot, !snapshot.provisional || !over { return try RakorJSON.decode(snapshot.body) }
        return try await self.generate(
            period: period, opd: opd, desk: desk, kabupatenKota: kabupatenKota, now: now, generatedBy: generatedBy,
            replacing: snapshot?.version ?? 0)
    }

    /// A kept version, or nil when there is none.
    public func kept(period: RakorPeriod, opd: String?, desk: String?, kabupatenKota: String?, version: Int) async throws -> RakorPack? {
        try await self.builder.store.report(
            kind: .rakor, period: period.description, scope: Self.scope(opd: opd, desk: desk, kabupatenKota: kabupatenKota), version: version
        ).map { try RakorJSON.decode($0.body) }
    }
}

/// The JSON of a rakor pack: `ReportJSON`'s, typed.
public enum RakorJSON {
    public static func encode(_ pack: RakorPack) throws -> String { try ReportJSON.encode(pack) }
    public static func decode(_ text: String) throws -> RakorPack { try ReportJSON.decode(text, as: RakorPack.self) }
}

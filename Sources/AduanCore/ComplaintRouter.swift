/// Why a complaint went where it went: the region used, every rule that matched, and the winner.
public struct RoutingDecision: Sendable {
    public let region: RegionCode
    /// Matching rules, best first.
    public let candidates: [RoutingRule]
    public var winner: RoutingRule { self.candidates[0] }
}

/// Chooses the responsible OPD for a category and region from the catalog's rules.
///
/// Rules for the complaint's own category come before the catch-all; among them the most specific region
/// wins, then the higher priority. The catalog loader refuses ties, so the order is total.
public struct ComplaintRouter: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) { self.catalog = catalog }

    public func route(category: String, region: RegionCode) -> RoutingDecision? {
        let candidates = self.catalog.rules
            .filter { ($0.category == nil || $0.category == category) && $0.region.contains(region) }
            .sorted { Self.rank($0) > Self.rank($1) }
        guard !candidates.isEmpty else { return nil }
        return RoutingDecision(region: region, candidates: candidates)
    }

    static func rank(_ rule: RoutingRule) -> (Int, Int, Int) {
        (rule.category == nil ? 0 : 1, rule.region.depth, rule.priority)
    }
}

import Synchronization

/// The catalog a running server works with: the bundled or configured catalog with the operators' calendar changes
/// applied, replaced whole when a change arrives. What depends on the calendar (filing, a workflow step) takes one
/// snapshot and works on it throughout.
public final class LiveCatalog: Sendable {
    private let state: Mutex<Catalog>

    public init(_ catalog: Catalog) { self.state = Mutex(catalog) }

    /// The catalog in force now.
    public var current: Catalog { self.state.withLock { $0 } }

    /// Puts the catalog with these calendar changes in force; returns whether anything changed.
    @discardableResult
    public func update(changes: [CalendarChange]) -> Bool {
        self.state.withLock { catalog in
            let version = changes.compactMap(\.id).max() ?? 0
            guard version != catalog.calendarVersion else { return false }
            catalog = catalog.applying(changes)
            return true
        }
    }
}

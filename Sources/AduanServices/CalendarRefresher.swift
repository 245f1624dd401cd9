import AduanCore
import AduanStore
import Foundation
import Logging
import ServiceLifecycle

/// The background service that puts operators' calendar changes (`aduan-admin calendar add|remove`, made on the
/// database file) in force in a running server: every `interval` it looks at the latest change, and when there is a
/// new one it applies them all to the catalog. Deadlines already set keep their values.
public struct CalendarRefresher: Service {
    let store: Store
    let catalog: LiveCatalog
    let interval: Duration
    let logger: Logger

    public init(store: Store, catalog: LiveCatalog, interval: Duration, logger: Logger) {
        self.store = store
        self.catalog = catalog
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // The server applied the changes at start-up; a failed look leaves the calendar in force until the next.
        await everyInterval(self.interval, passAtStart: false, logger: self.logger, failure: "calendar refresh failed") {
            try await self.refresh()
        }
    }

    /// One look: applies the changes kept since the catalog in force was made; returns whether it changed.
    @discardableResult
    public func refresh() async throws -> Bool {
        guard try await self.store.latestCalendarChangeID() != self.catalog.current.calendarVersion else { return false }
        let changes = try await self.store.calendarChanges()
        guard self.catalog.update(changes: changes) else { return false }
        let catalog = self.catalog.current
        self.logger.info(
            "calendar changes in force",
            metadata: [
                "version": "\(catalog.calendarVersion)", "days_off": "\(catalog.holidays.count)",
                "reach": "\(catalog.calendarReach?.description ?? "-")",
            ])
        return true
    }
}

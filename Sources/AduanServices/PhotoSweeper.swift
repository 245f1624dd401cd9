import AduanPhotos
import AduanStore
import Foundation
import Logging
import ServiceLifecycle

/// Removes photo files that no row names: files written for an upload whose complaint was then refused, or whose
/// transaction never committed (a crash between the fsync and the commit). A file younger than `grace` may belong to
/// a request still in flight and is kept. Runs at start-up and then every `interval`.
public struct PhotoSweeper: Service {
    let store: Store
    let library: PhotoLibrary
    let interval: Duration
    let grace: TimeInterval
    let logger: Logger

    public init(store: Store, library: PhotoLibrary, interval: Duration = .seconds(3600), grace: TimeInterval = 3600, logger: Logger) {
        self.store = store
        self.library = library
        self.interval = interval
        self.grace = grace
        self.logger = logger
    }

    public func run() async throws {
        await everyInterval(self.interval, passAtStart: true, logger: self.logger, failure: "photo sweep failed") {
            try await self.sweep()
        }
    }

    /// One pass; returns how many files it removed. The referenced names are read before the directory is listed, so a
    /// file whose row commits in between is younger than the grace and kept.
    @discardableResult
    public func sweep(now: Date = Date()) async throws -> Int {
        let referenced = try await self.store.referencedPhotoFiles()
        let library = self.library
        let grace = self.grace
        let removed = await Task.detached { library.sweep(keeping: referenced, grace: grace, now: now) }.value
        if removed > 0 { self.logger.info("photo sweep removed orphan files", metadata: ["removed": "\(removed)"]) }
        return removed
    }
}

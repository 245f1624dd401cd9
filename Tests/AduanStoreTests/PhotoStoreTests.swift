import AduanCore
import AduanPhotos
import AduanSchema
import AduanServices
import AduanStore
import Foundation
import GRDB
import Logging
import Testing

@Suite("Store: photo rows and files")
struct PhotoStoreTests {
    static func photo(_ library: PhotoLibrary, _ seed: UInt8) throws -> ProcessedPhoto {
        let original = try library.store([0xFF, 0xD8, 0xFF, seed])
        let copy = try library.store([seed, 1])
        let thumbnail = try library.store([seed, 2])
        return ProcessedPhoto(
            format: .jpeg, originalSHA256: original, originalBytes: 4, publicSHA256: copy, thumbnailSHA256: thumbnail, width: 10,
            height: 10, takenAt: nil, location: nil, perceptualHash: UInt64(seed))
    }

    @Test("the orphan sweep removes old files no row names, and keeps named ones and young ones")
    func orphanSweep() async throws {
        let path = temporaryDatabasePath()
        let store = try Store.open(path: path)
        let library = try PhotoLibrary(directory: URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("photos"))
        let kept = try Self.photo(library, 1)
        let orphan = try Self.photo(library, 2)
        let filing = try intake.file(
            SubmissionInput(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01"), photos: [kept], now: Date()
        ).get()
        guard case .created = try await store.file(filing) else { Issue.record("not created"); return }
        // A temporary file left by a crash mid-write.
        let stale = library.directory.appendingPathComponent("ab/.abcdef.123.tmp")
        try FileManager.default.createDirectory(at: stale.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([1]).write(to: stale)

        let sweeper = PhotoSweeper(store: store, library: library, grace: 3600, logger: Logger(label: "test"))
        #expect(try await sweeper.sweep(now: Date()) == 0, "young files are kept: their rows may be about to commit")
        #expect(try await sweeper.sweep(now: Date().addingTimeInterval(7200)) == 4)
        for variant in PhotoVariant.allCases {
            #expect(library.exists(kept.sha256(variant)))
            #expect(!library.exists(orphan.sha256(variant)))
        }
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }

    @Test("photo rows are append-only, like the history")
    func appendOnly() async throws {
        let path = temporaryDatabasePath()
        let store = try Store.open(path: path)
        let library = try PhotoLibrary(directory: URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("photos"))
        let filing = try intake.file(
            SubmissionInput(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01"),
            photos: [try Self.photo(library, 3)], now: Date()
        ).get()
        guard case .created(let complaint) = try await store.file(filing) else { Issue.record("not created"); return }
        #expect(try await store.photos(complaintID: complaint.id).count == 1)
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE photo SET width = 1") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM photo") } }
    }

    @Test("a version-4 database upgrades to version 5: located complaints say their location is the reporter's")
    func upgradeFromVersion4() async throws {
        let path = temporaryDatabasePath()
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path)
            var version4 = DatabaseMigrator()
            for migration in AduanSchema.migrations.prefix(4) {
                version4.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
            }
            try version4.migrate(queue)
            try await queue.write { db in
                for (id, lat) in [(1, "-5.37"), (2, "NULL")] {
                    try db.execute(
                        sql: """
                            INSERT INTO complaint (id, ticket, category, description, region, lat, lng, visibility, anonymous, status, opd,
                                routing_rule, response_due_at, resolution_due_at, tracking_token_hash, created_at, updated_at)
                            VALUES (?, ?, 'sampah', 'Sampah menumpuk di pasar.', '18.71.01', \(lat), \(lat == "NULL" ? "NULL" : "105.24"),
                                'private', 0, 'submitted', 'DLH-1871', 'sampah@18.71#0', '2026-11-03 09:00:00.000',
                                '2026-11-05 09:00:00.000', ?, '2026-11-02 09:00:00.000', '2026-11-02 09:00:00.000')
                            """, arguments: [id, "2611-0000\(id)", String(repeating: "\(id)", count: 64)])
                }
            }
        }
        let store = try Store.open(path: path)
        let located = try #require(try await store.complaint(ticket: Ticket("2611-00001")))
        let unlocated = try #require(try await store.complaint(ticket: Ticket("2611-00002")))
        #expect(located.locationSource == .reporter)
        #expect(unlocated.locationSource == nil)
        #expect(located.state.resolutionReview == nil && located.state.rejectedResolutions == 0)
        #expect(try await store.photos(complaintID: located.id).isEmpty)
    }
}

import AduanStore
import Foundation

/// Opens an existing database file for an operator command, refusing to create one by mistake.
enum StoreAccess {
    /// The operating-system account running the command, recorded in the staff account log.
    static var operatorName: String {
        let name = NSUserName()
        return name.isEmpty ? "unknown" : name
    }

    static func open(_ path: String, memoryMapped: Bool = true) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure("no database at \(path) (create it with: aduan-admin db migrate --db \(path))")
        }
        do {
            // Never write Aduan's tables into some other SQLite file: only a file `db migrate` made is upgraded.
            let store = try Store.open(path: path, migrate: false, memoryMapped: memoryMapped)
            guard (try? store.appliedMigrations())?.isEmpty == false else {
                throw Failure("\(path) is not an Aduan database (create one with: aduan-admin db migrate --db PATH)")
            }
            try store.migrate()
            return store
        } catch let error as StoreError {
            throw Failure(error.description)
        }
    }
}

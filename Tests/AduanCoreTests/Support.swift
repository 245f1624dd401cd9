import AduanBundledCatalog
import AduanCore
import Foundation

/// The bundled Lampung catalog, loaded once for all tests.
let lampung: Catalog = {
    do { return try CatalogLoader.bundled() } catch { fatalError("bundled catalog invalid: \(error)") }
}()

/// An instant from an ISO 8601 string with offset, e.g. `2026-11-20T19:00:00+07:00`.
func instant(_ iso: String) -> Date {
    let formatter = ISO8601DateFormatter()
    guard let date = formatter.date(from: iso) else { fatalError("bad test date \(iso)") }
    return date
}

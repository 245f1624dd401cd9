import AduanCore

extension ComplaintStatus {
    /// A set of statuses as the SQL literal list of an `IN (...)`, in the order of `allCases`: queries are generated
    /// from the Swift sets, and a test holds the schema's partial indexes to the same lists.
    public static func sqlList(_ statuses: Set<ComplaintStatus>) -> String {
        allCases.filter(statuses.contains).map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }
}

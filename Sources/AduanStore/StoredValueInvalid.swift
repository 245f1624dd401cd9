import Foundation

/// A stored value this binary cannot read: never guessed, always reported.
public struct StoredValueInvalid: Error, CustomStringConvertible {
    public let table: String
    public let column: String
    public let value: String
    public var description: String { "\(self.table).\(self.column) holds '\(self.value)', which this version cannot read" }
}

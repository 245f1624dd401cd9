import Foundation

/// The API's JSON: keys sorted (responses diff cleanly, tests compare bytes), slashes not escaped, nil optionals left
/// out, the same bytes Foundation's `JSONEncoder` writes with `.sortedKeys` and `.withoutEscapingSlashes` (a test holds
/// them equal). It writes straight into one byte array instead of building a tree of values first: the staff queue
/// spent a third of its time in `JSONEncoder`. An object's members are written as they come and, unless they came
/// in key order, put in key order when its `encode(to:)` returns.
enum APIJSON {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = Writer()
        try writer.value(value)
        return writer.bytes
    }

    /// One writer per encoding, never shared: its buffers skip the runtime's exclusivity checks (a tenth of the queue's
    /// encoding time went to them).
    final class Writer {
        @exclusivity(unchecked) var bytes: [UInt8] = []
        /// The members of the objects being written, one flat stack (no array per object): each key, and where its
        /// `"key":value` bytes lie (without the comma before them).
        @exclusivity(unchecked) var members: [(key: String, start: Int, end: Int)] = []
        /// Where each object being written starts, innermost last: its `{` in `bytes` and its first entry in `members`.
        @exclusivity(unchecked) var objects: [(byte: Int, member: Int)] = []
        /// The element counts of the arrays being written, innermost last.
        @exclusivity(unchecked) var arrays: [Int] = []
        /// What the value being written opened: nothing yet, an object, or an array.
        @exclusivity(unchecked) var opened: [Kind] = []

        enum Kind { case none, object, array }

        init() {
            self.bytes.reserveCapacity(2048)
            self.members.reserveCapacity(64)
        }

        /// Writes any value: a container it opens is closed when its `encode(to:)` returns. (Strings and numbers come
        /// through their single-value container.)
        func value<T: Encodable>(_ value: T) throws {
            let start = self.bytes.count
            self.opened.append(.none)
            try value.encode(to: Encoder(writer: self))
            switch self.opened.removeLast() {
            case .none: if self.bytes.count == start { self.raw("{}") }
            case .object: self.closeObject()
            case .array:
                self.arrays.removeLast()
                self.bytes.append(UInt8(ascii: "]"))
            }
        }

        /// Opens the object of the value being written (a second call from the same value adds to it).
        func openObject() {
            guard self.opened.last == Kind.none else { return }
            self.opened[self.opened.count - 1] = .object
            self.objects.append((self.bytes.count, self.members.count))
            self.bytes.append(UInt8(ascii: "{"))
        }

        func openArray() {
            guard self.opened.last == Kind.none else { return }
            self.opened[self.opened.count - 1] = .array
            self.arrays.append(0)
            self.bytes.append(UInt8(ascii: "["))
        }

        /// Writes `"key":value` where it comes; `closeObject` puts the members in key order if they came otherwise.
        func member(_ key: String, _ write: () throws -> Void) rethrows {
            if self.members.count > self.objects[self.objects.count - 1].member { self.bytes.append(UInt8(ascii: ",")) }
            let start = self.bytes.count
            Self.appendString(key, to: &self.bytes)
            self.bytes.append(UInt8(ascii: ":"))
            try write()
            self.members.append((key, start, self.bytes.count))
        }

        func element(_ write: () throws -> Void) rethrows {
            if self.arrays[self.arrays.count - 1] > 0 { self.bytes.append(UInt8(ascii: ",")) }
            self.arrays[self.arrays.count - 1] += 1
            try write()
        }

        /// Where members are put in order before they replace their bytes (kept, so that no object allocates).
        @exclusivity(unchecked) var scratch: [UInt8] = []
        @exclusivity(unchecked) var order: [Int] = []

        /// Ends the innermost object. Members that came in key order are already in place; others are copied once, in
        /// key order (an insertion sort of their positions: objects are small).
        func closeObject() {
            let (start, first) = self.objects.removeLast()
            defer {
                self.members.removeSubrange(first...)
                self.bytes.append(UInt8(ascii: "}"))
            }
            let count = self.members.count - first
            guard count > 1 else { return }
            var sorted = true
            for index in (first + 1)..<self.members.count where Self.precedes(self.members[index].key, self.members[index - 1].key) {
                sorted = false
                break
            }
            if sorted { return }
            self.order.removeAll(keepingCapacity: true)
            for index in first..<self.members.count {
                let key = self.members[index].key
                var position = self.order.count
                self.order.append(index)
                while position > 0, Self.precedes(key, self.members[self.order[position - 1]].key) {
                    self.order[position] = self.order[position - 1]
                    position -= 1
                }
                self.order[position] = index
            }
            self.scratch.removeAll(keepingCapacity: true)
            for (position, index) in self.order.enumerated() {
                if position > 0 { self.scratch.append(UInt8(ascii: ",")) }
                let member = self.members[index]
                self.scratch.append(contentsOf: self.bytes[member.start..<member.end])
            }
            self.bytes.replaceSubrange((start + 1)..., with: self.scratch)
        }

        /// Key order: by UTF-8 bytes, as Foundation sorts them.
        static func precedes(_ a: String, _ b: String) -> Bool {
            var a = a
            var b = b
            return a.withUTF8 { a in
                b.withUTF8 { b in
                    let common = min(a.count, b.count)
                    let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                    return order != 0 ? order < 0 : a.count < b.count
                }
            }
        }

        func raw(_ text: String) { self.bytes.append(contentsOf: text.utf8) }

        func string(_ text: String) { Self.appendString(text, to: &self.bytes) }

        func double(_ value: Double) throws {
            guard value.isFinite else {
                throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) is not valid JSON"))
            }
            // Foundation's form: whole numbers without a fraction, others as Swift prints them.
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            self.raw(text)
        }

        static let hex = Array("0123456789abcdef".utf8)

        static func appendString(_ text: String, to bytes: inout [UInt8]) {
            bytes.append(UInt8(ascii: "\""))
            // Most strings need no escape: copied whole.
            let plain = text.utf8.withContiguousStorageIfAvailable { utf8 in
                !utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
            }
            if plain == true {
                bytes.append(contentsOf: text.utf8)
                bytes.append(UInt8(ascii: "\""))
                return
            }
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0..<0x20:
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    bytes.append(contentsOf: [Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    struct Encoder: Swift.Encoder {
        let writer: Writer
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            self.writer.openObject()
            return KeyedEncodingContainer(Keyed(writer: self.writer))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            self.writer.openArray()
            return Unkeyed(writer: self.writer)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(writer: self.writer) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let writer: Writer
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { self.writer.member(key.stringValue) { self.writer.raw("null") } }
        mutating func encode(_ value: Bool, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(value ? "true" : "false") }
        }
        mutating func encode(_ value: String, forKey key: Key) throws { self.writer.member(key.stringValue) { self.writer.string(value) } }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            try self.writer.member(key.stringValue) { try self.writer.double(value) }
        }
        mutating func encode(_ value: Float, forKey key: Key) throws {
            try self.writer.member(key.stringValue) { try self.writer.double(Double(value)) }
        }
        mutating func encode(_ value: Int, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode(_ value: Int8, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode(_ value: Int16, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode(_ value: Int32, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode(_ value: Int64, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode(_ value: UInt, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode(_ value: UInt8, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode(_ value: UInt16, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode(_ value: UInt32, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode(_ value: UInt64, forKey key: Key) throws {
            self.writer.member(key.stringValue) { self.writer.raw(String(value)) }
        }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try self.writer.member(key.stringValue) { try self.writer.value(value) }
        }
        // The API's types are written by their synthesized (or single-value) `encode(to:)`: no nested containers.
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<
            NestedKey
        > {
            preconditionFailure("APIJSON writes no nested containers")
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            preconditionFailure("APIJSON writes no nested containers")
        }
        mutating func superEncoder() -> any Swift.Encoder { preconditionFailure("APIJSON writes no nested containers") }
        mutating func superEncoder(forKey key: Key) -> any Swift.Encoder { preconditionFailure("APIJSON writes no nested containers") }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let writer: Writer
        var codingPath: [any CodingKey] { [] }
        var count: Int { self.writer.arrays.last ?? 0 }

        mutating func encodeNil() throws { self.writer.element { self.writer.raw("null") } }
        mutating func encode(_ value: Bool) throws { self.writer.element { self.writer.raw(value ? "true" : "false") } }
        mutating func encode(_ value: String) throws { self.writer.element { self.writer.string(value) } }
        mutating func encode(_ value: Double) throws { try self.writer.element { try self.writer.double(value) } }
        mutating func encode(_ value: Float) throws { try self.writer.element { try self.writer.double(Double(value)) } }
        mutating func encode(_ value: Int) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode(_ value: Int8) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode(_ value: Int16) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode(_ value: Int32) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode(_ value: Int64) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode(_ value: UInt) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode(_ value: UInt8) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode(_ value: UInt16) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode(_ value: UInt32) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode(_ value: UInt64) throws { self.writer.element { self.writer.raw(String(value)) } }
        mutating func encode<T: Encodable>(_ value: T) throws { try self.writer.element { try self.writer.value(value) } }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            preconditionFailure("APIJSON writes no nested containers")
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            preconditionFailure("APIJSON writes no nested containers")
        }
        mutating func superEncoder() -> any Swift.Encoder { preconditionFailure("APIJSON writes no nested containers") }
    }

    struct Single: SingleValueEncodingContainer {
        let writer: Writer
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { self.writer.raw("null") }
        mutating func encode(_ value: Bool) throws { self.writer.raw(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { self.writer.string(value) }
        mutating func encode(_ value: Double) throws { try self.writer.double(value) }
        mutating func encode(_ value: Float) throws { try self.writer.double(Double(value)) }
        mutating func encode(_ value: Int) throws { self.writer.raw(String(value)) }
        mutating func encode(_ value: Int8) throws { self.writer.raw(String(value)) }
        mutating func encode(_ value: Int16) throws { self.writer.raw(String(value)) }
        mutating func encode(_ value: Int32) throws { self.writer.raw(String(value)) }
        mutating func encode(_ value: Int64) throws { self.writer.raw(String(value)) }
        mutating func encode(_ value: UInt) throws { self.writer.raw(String(value)) }
        mutating func encode(_ value: UInt8) throws { self.writer.raw(String(value)) }
        mutating func encode(_ value: UInt16) throws { self.writer.raw(String(value)) }
        mutating func encode(_ value: UInt32) throws { self.writer.raw(String(value)) }
        mutating func encode(_ value: UInt64) throws { self.writer.raw(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try self.writer.value(value) }
    }
}

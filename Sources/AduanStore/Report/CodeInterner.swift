import Foundation

/// Interns short byte strings (codes) read straight from SQLite, so that a row costs no String allocation and no
/// SipHash: an open-addressing table on an FNV-1a hash, compared byte for byte.
struct CodeInterner {
    private var slots = [Int](repeating: -1, count: 1 << 12)
    private var stored: [[UInt8]] = []
    private(set) var names: [String] = []

    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let mask = self.slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = self.slots[slot]
            if id < 0 { break }
            if self.stored[id].count == bytes.count
                && (bytes.isEmpty
                    || self.stored[id].withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
            {
                return id
            }
            slot = (slot + 1) & mask
        }
        let id = self.names.count
        self.stored.append(Array(bytes))
        self.names.append(String(decoding: bytes, as: UTF8.self))
        self.slots[slot] = id
        // Keep the table at most half full (codes are a few hundred; this is a safety net).
        if self.names.count * 2 > self.slots.count { self.grow() }
        return id
    }

    mutating func id(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { self.id($0) }
    }

    private mutating func grow() {
        let old = self.stored
        self.slots = [Int](repeating: -1, count: self.slots.count * 2)
        self.stored = []
        let names = self.names
        self.names = []
        for bytes in old { _ = bytes.withUnsafeBufferPointer { self.id($0) } }
        precondition(self.names == names)
    }
}

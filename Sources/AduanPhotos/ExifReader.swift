import AduanCore
import Foundation

/// The EXIF facts Aduan uses, read from the raw EXIF block (a TIFF structure) of a photo: the time the picture was
/// taken and where (libvips reads the orientation itself). The block comes from the uploader, so every offset is bounds-checked and anything
/// malformed is simply absent.
public struct ExifFacts: Sendable, Equatable {
    /// DateTimeOriginal as written, `YYYY:MM:DD HH:MM:SS` in the camera's local time.
    public var dateTimeOriginal: String?
    /// OffsetTimeOriginal, `+07:00`, when the camera wrote one.
    public var offsetTimeOriginal: String?
    public var location: GeoPoint?

    public init(dateTimeOriginal: String? = nil, offsetTimeOriginal: String? = nil, location: GeoPoint? = nil) {
        self.dateTimeOriginal = dateTimeOriginal
        self.offsetTimeOriginal = offsetTimeOriginal
        self.location = location
    }

    /// The capture instant: local time at the offset the camera gave, else in `defaultZone` (WIB for Lampung); nil when
    /// the time is missing or not a real date.
    public func takenAt(defaultZone: TimeZone) -> Date? {
        guard let text = self.dateTimeOriginal else { return nil }
        let digits = text.split(whereSeparator: { $0 == ":" || $0 == " " }).compactMap { Int($0) }
        guard digits.count == 6, (1900...2200).contains(digits[0]) else { return nil }
        var zone = defaultZone
        if let offset = self.offsetTimeOriginal.flatMap(Self.secondsFromGMT), let fixed = TimeZone(secondsFromGMT: offset) { zone = fixed }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(
            year: digits[0], month: digits[1], day: digits[2], hour: digits[3], minute: digits[4], second: digits[5])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    static func secondsFromGMT(_ offset: String) -> Int? {
        let scalars = Array(offset.utf8)
        guard scalars.count == 6, scalars[0] == UInt8(ascii: "+") || scalars[0] == UInt8(ascii: "-"), scalars[3] == UInt8(ascii: ":"),
            let hours = Int(String(decoding: scalars[1...2], as: UTF8.self)),
            let minutes = Int(String(decoding: scalars[4...5], as: UTF8.self)), hours <= 14, minutes < 60
        else { return nil }
        return (scalars[0] == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}

public enum ExifReader {
    /// Reads the facts from an EXIF block, with or without its `Exif\0\0` prefix.
    public static func read(_ block: [UInt8]) -> ExifFacts {
        var bytes = block[...]
        if bytes.starts(with: Array("Exif\0\0".utf8)) { bytes = bytes.dropFirst(6) }
        guard let tiff = TIFF(Array(bytes)), let ifd0 = tiff.u32(4) else { return ExifFacts() }
        var facts = ExifFacts()
        let root = tiff.entries(at: Int(ifd0))
        if let pointer = root[0x8769].flatMap(tiff.integer) {
            let exif = tiff.entries(at: pointer)
            facts.dateTimeOriginal = exif[0x9003].flatMap(tiff.ascii)
            facts.offsetTimeOriginal = exif[0x9011].flatMap(tiff.ascii)
        }
        if let pointer = root[0x8825].flatMap(tiff.integer) {
            let gps = tiff.entries(at: pointer)
            if let lat = gps[2].flatMap(tiff.degrees), let lng = gps[4].flatMap(tiff.degrees) {
                let south = gps[1].flatMap(tiff.ascii)?.uppercased() == "S"
                let west = gps[3].flatMap(tiff.ascii)?.uppercased() == "W"
                // Seven decimals (about a centimetre): the rationals' binary noise is not precision.
                func rounded(_ value: Double) -> Double { (value * 10_000_000).rounded() / 10_000_000 }
                let point = GeoPoint(lat: rounded(south ? -lat : lat), lng: rounded(west ? -lng : lng))
                // 0,0 is what some cameras write when they have no fix.
                if point.isValid, !(point.lat == 0 && point.lng == 0) { facts.location = point }
            }
        }
        return facts
    }
}

/// A TIFF structure with its byte order.
struct TIFF {
    struct Entry {
        let type: Int
        let count: Int
        /// Where the value is: inside the entry when it fits in four bytes, else at the offset it holds.
        let valueOffset: Int
    }

    let bytes: [UInt8]
    let bigEndian: Bool

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 8 else { return nil }
        switch (bytes[0], bytes[1]) {
        case (0x49, 0x49): self.bigEndian = false
        case (0x4D, 0x4D): self.bigEndian = true
        default: return nil
        }
        self.bytes = bytes
        guard self.u16(2) == 42 else { return nil }
    }

    func u16(_ offset: Int) -> Int? {
        guard offset >= 0, offset + 2 <= self.bytes.count else { return nil }
        let (a, b) = (Int(self.bytes[offset]), Int(self.bytes[offset + 1]))
        return self.bigEndian ? a << 8 | b : b << 8 | a
    }

    func u32(_ offset: Int) -> Int? {
        guard let first = self.u16(offset), let second = self.u16(offset + 2) else { return nil }
        return self.bigEndian ? first << 16 | second : second << 16 | first
    }

    /// The entries of the IFD at `offset`, by tag (at most 512, so a loop of pointers cannot run away).
    func entries(at offset: Int) -> [Int: Entry] {
        guard let count = self.u16(offset), count <= 512 else { return [:] }
        var entries: [Int: Entry] = [:]
        for index in 0..<count {
            let start = offset + 2 + index * 12
            guard let tag = self.u16(start), let type = self.u16(start + 2), let n = self.u32(start + 4) else { break }
            let size = [1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8][type] ?? 0
            // A value of no items has nothing to read; more than 64 Ki items is not a tag Aduan reads.
            guard size > 0, n >= 1, n <= 1 << 16 else { continue }
            let valueOffset = size * n <= 4 ? start + 8 : (self.u32(start + 8) ?? -1)
            guard valueOffset >= 0, valueOffset + size * n <= self.bytes.count else { continue }
            entries[tag] = Entry(type: type, count: n, valueOffset: valueOffset)
        }
        return entries
    }

    func integer(_ entry: Entry) -> Int? {
        switch entry.type {
        case 3: return self.u16(entry.valueOffset)
        case 4, 9: return self.u32(entry.valueOffset)
        case 1: return entry.valueOffset < self.bytes.count ? Int(self.bytes[entry.valueOffset]) : nil
        default: return nil
        }
    }

    func ascii(_ entry: Entry) -> String? {
        guard entry.type == 2 || entry.type == 7, entry.valueOffset + entry.count <= self.bytes.count else { return nil }
        let raw = self.bytes[entry.valueOffset..<(entry.valueOffset + entry.count)].prefix { $0 != 0 }
        let text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    /// Degrees, minutes and seconds as three rationals, in decimal degrees.
    func degrees(_ entry: Entry) -> Double? {
        guard entry.type == 5, entry.count >= 3 else { return nil }
        var parts: [Double] = []
        for index in 0..<3 {
            guard let numerator = self.u32(entry.valueOffset + index * 8), let denominator = self.u32(entry.valueOffset + index * 8 + 4),
                denominator != 0
            else { return nil }
            parts.append(Double(numerator) / Double(denominator))
        }
        return parts[0] + parts[1] / 60 + parts[2] / 3600
    }
}

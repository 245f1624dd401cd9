import AduanCore
import AduanPhotos
import Foundation
import Testing

/// A committed test image's bytes (`Tests/Fixtures/photos`).
func fixture(_ name: String) throws -> [UInt8] {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/photos/\(name)").path
    return Array(try #require(FileManager.default.contents(atPath: path)))
}

/// The EXIF block (APP1, from `Exif\0\0`) of a JPEG.
func exifBlock(_ jpeg: [UInt8]) throws -> [UInt8] {
    var offset = 2
    while offset + 4 <= jpeg.count, jpeg[offset] == 0xFF {
        let length = Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3])
        if jpeg[offset + 1] == 0xE1 { return Array(jpeg[(offset + 4)..<(offset + 2 + length)]) }
        offset += 2 + length
    }
    throw FixtureHasNoExif()
}

struct FixtureHasNoExif: Error {}

@Suite("Photos: what the bytes say, read defensively")
struct PhotoReadingTests {
    @Test("EXIF: the capture time (WIB unless the camera gave an offset) and the GPS point")
    func exif() throws {
        let facts = ExifReader.read(try exifBlock(try fixture("metro_gps.jpg")))
        #expect(facts.dateTimeOriginal == "2026:11:20 09:15:00")
        #expect(facts.location == GeoPoint(lat: -5.1131, lng: 105.3067))
        let wib = try #require(TimeZone(identifier: "Asia/Jakarta"))
        #expect(facts.takenAt(defaultZone: wib) == ISO8601DateFormatter().date(from: "2026-11-20T09:15:00+07:00"))
        var withOffset = facts
        withOffset.offsetTimeOriginal = "+09:00"
        #expect(withOffset.takenAt(defaultZone: wib) == ISO8601DateFormatter().date(from: "2026-11-20T09:15:00+09:00"))
        withOffset.dateTimeOriginal = "2026:02:30 09:15:00"
        #expect(withOffset.takenAt(defaultZone: wib) == nil, "not a real date")
    }

    @Test("every truncation of a real EXIF block, and blocks of zero-length and out-of-range entries, read without a crash")
    func truncatedExif() throws {
        let block = try exifBlock(try fixture("metro_gps.jpg"))
        var readsLocation = 0
        for length in 0...block.count where ExifReader.read(Array(block.prefix(length))).location != nil { readsLocation += 1 }
        #expect(readsLocation > 0 && readsLocation < block.count)
        // A little-endian TIFF whose one IFD entry is a BYTE of count 0 pointing at the very end, then one whose value
        // offset points past the end.
        let header: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0]
        let zeroCount = header + [0x12, 0x01, 1, 0, 0, 0, 0, 0]
        #expect(ExifReader.read(zeroCount) == ExifFacts())
        let farValue = header + [0x25, 0x88, 4, 0, 1, 0, 0, 0, 0xFF, 0xFF, 0, 0]
        #expect(ExifReader.read(farValue) == ExifFacts())
        let loop = header + [0x69, 0x87, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0]  // an EXIF pointer back at IFD0
        #expect(ExifReader.read(loop) == ExifFacts())
    }

    @Test("the format is what the bytes announce: HEIC yes, AVIF and anything else no")
    func sniffing() throws {
        #expect(PhotoProcessor.sniff(try fixture("png_named.jpg")) == .png)
        #expect(PhotoProcessor.sniff(try fixture("photo.heic")) == .heif)
        #expect(PhotoProcessor.sniff(try fixture("photo.webp")) == .webp)
        #expect(PhotoProcessor.sniff(try fixture("archive.jpg")) == nil)
        #expect(PhotoProcessor.sniff(try fixture("document.jpg")) == nil)
        func ftyp(_ brands: String) -> [UInt8] {
            let body = Array(brands.utf8)
            return [0, 0, 0, UInt8(8 + body.count)] + Array("ftyp".utf8) + body
        }
        #expect(PhotoProcessor.sniff(ftyp("avif\0\0\0\0mif1avif")) == nil)
        #expect(PhotoProcessor.sniff(ftyp("mif1\0\0\0\0mif1heic")) == .heif)
        #expect(PhotoProcessor.sniff(ftyp("isom\0\0\0\0isommp41")) == nil, "a video")
    }

    @Test("the perceptual hash: a re-encoded, resized copy is within the same-image distance; other pictures are far")
    func perceptualHash() throws {
        let processor = try PhotoProcessor(limits: PhotoLimits())
        let original = try processor.process(try fixture("metro_gps.jpg")).perceptualHash
        let copy = try processor.process(try fixture("metro_gps_recompressed.jpg")).perceptualHash
        #expect(PerceptualHash.distance(original, copy) <= PerceptualHash.sameImageDistance)
        for other in ["after_near.jpg", "after_far.jpg", "after_bare.jpg", "photo.png"] {
            let hash = try processor.process(try fixture(other)).perceptualHash
            #expect(PerceptualHash.distance(original, hash) > PerceptualHash.sameImageDistance, "\(other)")
        }
    }
}

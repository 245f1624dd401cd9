import AduanCore
import CVips
import Foundation
import Synchronization

/// Why an uploaded photo was refused; each becomes a field error on the part that carried it.
public enum PhotoRejection: Error, Equatable, Sendable {
    case empty
    /// Over the byte limit.
    case tooManyBytes(limit: Int)
    /// Not JPEG, PNG, WebP or HEIF, whatever its name or Content-Type said.
    case unsupportedFormat
    /// The header announces more pixels than the limit (refused before any pixel is decoded).
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// The format is right but the image is not whole or cannot be decoded.
    case corrupt(reason: String)
}

/// libvips could not start (the server cannot take photos at all).
public struct LibraryFailedToStart: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "libvips failed to start: \(self.reason)" }
}

/// One photo made ready to keep: the facts, the upright public copy and thumbnail (JPEG, no metadata), and the
/// perceptual hash. The original is kept as uploaded.
public struct ProcessedImage: Sendable {
    public let format: PhotoFormat
    public let width: Int
    public let height: Int
    public let exif: ExifFacts
    public let publicJPEG: [UInt8]
    public let thumbnailJPEG: [UInt8]
    public let perceptualHash: UInt64
}

/// Decodes, checks and re-encodes photos with libvips. Synchronous and CPU-bound: callers run it off the event loops
/// with bounded concurrency (`PhotoIntake`).
public struct PhotoProcessor: Sendable {
    public let limits: PhotoLimits
    /// The longest side of the public copy and of the thumbnail.
    public static let publicSide = 2048
    public static let thumbnailSide = 320

    public init(limits: PhotoLimits) throws {
        try Self.startLibrary()
        self.limits = limits
    }

    private static let started = Mutex<Bool?>(nil)

    /// libvips is started once per process, with only the four loaders Aduan accepts allowed.
    static func startLibrary() throws {
        let ok = Self.started.withLock { started in
            if started == nil { started = aduan_vips_start() == 0 }
            return started!
        }
        guard ok else { throw LibraryFailedToStart(reason: Self.lastError()) }
    }

    /// The format the first bytes announce, or nil. HEIF counts only with a brand of HEVC-coded still images (phones'
    /// HEIC), or the generic image brands without AVIF's: AVIF is not one of the formats Aduan takes.
    public static func sniff(_ bytes: [UInt8]) -> PhotoFormat? {
        bytes.withUnsafeBytes { Self.sniff($0) }
    }

    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> PhotoFormat? {
        func at(_ offset: Int, _ text: String) -> Bool {
            let expected = Array(text.utf8)
            return bytes.count >= offset + expected.count && Array(bytes[offset..<(offset + expected.count)]) == expected
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if at(0, "RIFF") && at(8, "WEBP") { return .webp }
        // An ISO base media file whose brands name HEIF still images (HEIC from phones; not AVIF or video).
        if at(4, "ftyp"), bytes.count >= 16 {
            let boxSize = min(bytes.count, Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3]), 256)
            var brands = Set([String(decoding: bytes[8..<12], as: UTF8.self)])
            var offset = 16
            while offset + 4 <= boxSize {
                brands.insert(String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self))
                offset += 4
            }
            let hevc: Set<String> = ["heic", "heix", "hevc", "hevx", "heim", "heis"]
            let generic: Set<String> = ["mif1", "msf1"]
            if !brands.isDisjoint(with: hevc) { return .heif }
            if !brands.isDisjoint(with: generic) && brands.isDisjoint(with: ["avif", "avis"]) { return .heif }
        }
        return nil
    }

    /// Checks and processes one photo. The byte limit and the format come first, then the pixel count from the
    /// header; only then are pixels decoded.
    public func process(_ bytes: [UInt8]) throws(PhotoRejection) -> ProcessedImage {
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(PhotoRejection) in try self.process(buffer) } }
        return try result.get()
    }

    /// Processes a photo where its bytes are (the upload's own buffer: no copy of its megabytes).
    public func process(_ buffer: UnsafeRawBufferPointer) throws(PhotoRejection) -> ProcessedImage {
        guard buffer.count > 0 else { throw .empty }
        guard buffer.count <= self.limits.maxBytes else { throw .tooManyBytes(limit: self.limits.maxBytes) }
        guard let format = Self.sniff(buffer) else { throw .unsupportedFormat }
        // The loader reads from `buffer` without copying it: everything happens before this function returns.
        let result: Result<ProcessedImage, PhotoRejection> = {
            guard let image = aduan_vips_open(buffer.baseAddress, buffer.count, Int32(Self.code(format))) else {
                return .failure(Self.corruptOrUnsupported())
            }
            defer { aduan_vips_unref(image) }
            let width = Int(vips_image_get_width(image))
            let height = Int(vips_image_get_height(image))
            guard width > 0, height > 0, width * height <= self.limits.maxPixels else {
                return .failure(.tooManyPixels(width: width, height: height, limit: self.limits.maxPixels))
            }
            var exif = ExifFacts()
            var length = 0
            if let block = aduan_vips_exif(image, &length), length > 0 {
                exif = ExifReader.read(Array(UnsafeRawBufferPointer(start: block, count: length)))
            }
            // libheif has already applied a HEIF's own rotation; its EXIF orientation must not turn it again.
            let orientation = format == .heif ? 1 : Int(aduan_vips_orientation(image))
            return Result { () throws(PhotoRejection) -> ProcessedImage in
                try self.render(image, format: format, exif: exif, orientation: orientation)
            }
        }()
        return try result.get()
    }

    /// Decodes (shrinking to the public size), turns upright, and encodes the public copy, the thumbnail and the hash.
    private func render(
        _ image: UnsafeMutablePointer<VipsImage>, format: PhotoFormat, exif: ExifFacts, orientation: Int
    ) throws(PhotoRejection) -> ProcessedImage {
        var owned: [UnsafeMutablePointer<VipsImage>] = []
        defer { owned.forEach { aduan_vips_unref($0) } }
        func keep(_ image: UnsafeMutablePointer<VipsImage>?) throws(PhotoRejection) -> UnsafeMutablePointer<VipsImage> {
            guard let image else { throw Self.corruptOrUnsupported() }
            owned.append(image)
            return image
        }
        let fitted = try keep(aduan_vips_fit(image, Int32(Self.publicSide), Int32(Self.publicSide)))
        // Decoding happens here: a truncated or corrupt file fails now.
        let decoded = try keep(vips_image_copy_memory(fitted))
        let upright = try keep(aduan_vips_upright(decoded, Int32(orientation)))
        let rgb = try keep(aduan_vips_srgb(upright))
        let publicCopy = try keep(vips_image_copy_memory(rgb))
        let publicJPEG = try Self.jpeg(publicCopy, quality: 82)
        let thumbnail = try keep(aduan_vips_fit(publicCopy, Int32(Self.thumbnailSide), Int32(Self.thumbnailSide)))
        let thumbnailJPEG = try Self.jpeg(thumbnail, quality: 75)
        let grey = try keep(aduan_vips_grey_exact(publicCopy, 9, 8))
        var size = 0
        guard let pixels = vips_image_write_to_memory(grey, &size), size == 72 else { throw Self.corruptOrUnsupported() }
        defer { aduan_vips_free(pixels) }
        let hash = PerceptualHash.differenceHash(grey9x8: Array(UnsafeRawBufferPointer(start: pixels, count: size)))
        return ProcessedImage(
            format: format, width: Int(vips_image_get_width(publicCopy)), height: Int(vips_image_get_height(publicCopy)),
            exif: exif, publicJPEG: publicJPEG, thumbnailJPEG: thumbnailJPEG, perceptualHash: hash)
    }

    private static func jpeg(_ image: UnsafeMutablePointer<VipsImage>, quality: Int) throws(PhotoRejection) -> [UInt8] {
        var bytes: UnsafeMutableRawPointer?
        var length = 0
        guard aduan_vips_jpeg_stripped(image, Int32(quality), &bytes, &length) == 0, let bytes else { throw Self.corruptOrUnsupported() }
        defer { aduan_vips_free(bytes) }
        return Array(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    static func code(_ format: PhotoFormat) -> Int {
        switch format {
        case .jpeg: return 1
        case .png: return 2
        case .webp: return 3
        case .heif: return 4
        }
    }

    static func corruptOrUnsupported() -> PhotoRejection { .corrupt(reason: Self.lastError()) }

    /// libvips's error text (copied and cleared under libvips's lock, as workers fail at once), on one line.
    static func lastError() -> String {
        var text = ""
        if let copy = vips_error_buffer_copy() {
            text = String(cString: copy)
            aduan_vips_free(copy)
        }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "cannot decode"
        return String(line.prefix(200))
    }
}

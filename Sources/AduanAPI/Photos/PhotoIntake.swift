import AduanCore
import AduanPhotos
import Foundation
import Hummingbird

/// Turns uploaded photo parts into stored photos: each is checked and processed off the event loops, a few at a time,
/// and its three files are written durably before the caller commits the rows that name them. A burst beyond the
/// waiting room is refused with 503 and Retry-After instead of taking unbounded memory.
final class PhotoIntake: Sendable {
    let processor: PhotoProcessor
    let library: PhotoLibrary
    let limiter: WorkLimiter
    let budget: ByteBudget
    /// EXIF times without an offset are local times in the province (WIB).
    let timeZone: TimeZone

    var limits: PhotoLimits { self.processor.limits }

    init(processor: PhotoProcessor, library: PhotoLibrary, limiter: WorkLimiter, budget: ByteBudget, timeZone: TimeZone) {
        self.processor = processor
        self.library = library
        self.limiter = limiter
        self.budget = budget
        self.timeZone = timeZone
    }

    /// The largest body a form with photos may have: every photo at the limit, and room for the JSON part.
    var maxFormBytes: Int { self.limits.maxBytes * self.limits.maxCount + (1 << 20) }

    /// Reads a form within the byte budget (503 when it is spent) and runs `body` on its parts, only the `known`
    /// names allowed (any, when nil); the budget is given back when `body` is done with the parts.
    func withForm<T: Sendable>(_ request: Request, known: Set<String>?, _ body: ([FormPart]) async throws -> T) async throws -> T {
        let declared = request.headers[.contentLength].flatMap { Int($0) } ?? self.maxFormBytes
        let bytes = min(max(declared, 0), self.maxFormBytes)
        try await self.budget.reserve(bytes)
        do {
            let parts = try await MultipartForm.parts(of: request, limit: self.maxFormBytes)
            if let known { try MultipartForm.refuseUnknownParts(parts, known: known) }
            let result = try await body(parts)
            await self.budget.release(bytes)
            return result
        } catch {
            await self.budget.release(bytes)
            throw error
        }
    }

    /// Processes and stores the photos of `parts` (all named `photo`). Every refused part is named in one 422, as
    /// `photo[1]`, `photo[2]`...; nothing is returned unless all were accepted.
    func accept(_ parts: [FormPart]) async throws -> [ProcessedPhoto] {
        guard parts.count <= self.limits.maxCount else {
            throw Problem(.validationFailed, fieldErrors: [FieldError(field: "photo", code: .tooMany, limit: self.limits.maxCount)])
        }
        var photos: [ProcessedPhoto] = []
        var errors: [FieldError] = []
        for (index, part) in parts.enumerated() {
            let field = "photo[\(index + 1)]"
            // The part's bytes are read where they are: a photo's megabytes are never copied.
            let body = part.body
            // Cheap refusals first, without waiting for a processing slot.
            if body.readableBytes == 0 {
                errors.append(FieldError(field: field, code: .empty))
                continue
            }
            if body.readableBytes > self.limits.maxBytes {
                errors.append(FieldError(field: field, code: .tooLarge, limit: self.limits.maxBytes))
                continue
            }
            if body.withUnsafeReadableBytes({ PhotoProcessor.sniff($0) }) == nil {
                errors.append(FieldError(field: field, code: .unsupportedFormat))
                continue
            }
            let processor = self.processor
            let library = self.library
            let timeZone = self.timeZone
            let outcome: Result<ProcessedPhoto, PhotoRejection>
            do {
                outcome = try await self.limiter.run { () throws -> Result<ProcessedPhoto, PhotoRejection> in
                    try body.withUnsafeReadableBytes { bytes in
                        let image: ProcessedImage
                        do throws(PhotoRejection) { image = try processor.process(bytes) } catch { return .failure(error) }
                        return .success(try Self.store(image, original: bytes, library: library, timeZone: timeZone))
                    }
                }
            } catch let error as PhotoLibrary.WriteFailed {
                // The disk, not the photo: the client may try again.
                throw Problem(.unavailable, context: "photo storage: \(error.reason)")
            }
            switch outcome {
            case .success(let photo): photos.append(photo)
            case .failure(let rejection): errors.append(Self.fieldError(rejection, field: field))
            }
        }
        guard errors.isEmpty else { throw Problem(.validationFailed, fieldErrors: errors) }
        return photos
    }

    /// Writes the three files (each fsynced and renamed into place) and describes the photo.
    static func store(_ image: ProcessedImage, original: UnsafeRawBufferPointer, library: PhotoLibrary, timeZone: TimeZone) throws -> ProcessedPhoto {
        let originalSHA = try library.store(original)
        let publicSHA = try library.store(image.publicJPEG)
        let thumbnailSHA = try library.store(image.thumbnailJPEG)
        return ProcessedPhoto(
            format: image.format, originalSHA256: originalSHA, originalBytes: original.count, publicSHA256: publicSHA,
            thumbnailSHA256: thumbnailSHA, width: image.width, height: image.height,
            takenAt: image.exif.takenAt(defaultZone: timeZone).map(\.wholeMilliseconds), location: image.exif.location,
            perceptualHash: image.perceptualHash)
    }

    static func fieldError(_ rejection: PhotoRejection, field: String) -> FieldError {
        switch rejection {
        case .empty: return FieldError(field: field, code: .empty)
        case .tooManyBytes(let limit): return FieldError(field: field, code: .tooLarge, limit: limit)
        case .unsupportedFormat: return FieldError(field: field, code: .unsupportedFormat)
        case .tooManyPixels(_, _, let limit): return FieldError(field: field, code: .tooManyPixels, limit: limit)
        case .corrupt: return FieldError(field: field, code: .corrupt)
        }
    }
}

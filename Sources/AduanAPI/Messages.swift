import AduanCore

/// Every message the API shows a person, in Indonesian and English, in one place.
enum Messages {
    struct Text {
        let title: String
        let detail: String
    }

    static func problem(_ kind: Problem.Kind, _ language: Language) -> Text {
        let (id, en): ((String, String), (String, String))
        switch kind {
        case .malformedJSON:
            id = ("JSON tidak valid", "Isi permintaan bukan JSON yang valid.")
            en = ("Malformed JSON", "The request body is not valid JSON.")
        case .invalidBody:
            id = ("Isi permintaan tidak sesuai", "Ada kolom dengan tipe data yang salah.")
            en = ("Invalid request body", "A field has the wrong type.")
        case .validationFailed:
            id = ("Data tidak valid", "Periksa kolom yang ditandai lalu kirim ulang.")
            en = ("Invalid data", "Check the fields listed and submit again.")
        case .payloadTooLarge:
            id = ("Permintaan terlalu besar", "Isi permintaan melebihi batas ukuran.")
            en = ("Request too large", "The request body exceeds the size limit.")
        case .notFound:
            id = ("Tidak ditemukan", "Sumber yang diminta tidak ada.")
            en = ("Not found", "The requested resource does not exist.")
        case .methodNotAllowed:
            id = ("Metode tidak diizinkan", "Metode HTTP ini tidak didukung untuk alamat ini.")
            en = ("Method not allowed", "This HTTP method is not supported here.")
        case .invalidTrackingToken:
            id = ("Token pelacakan tidak valid", "Token pelacakan tidak cocok dengan nomor tiket ini.")
            en = ("Invalid tracking token", "The tracking token does not match this ticket.")
        case .invalidIdempotencyKey:
            id = ("Idempotency-Key tidak valid", "Idempotency-Key harus 16-255 karakter ASCII tanpa spasi (sebuah UUID cocok).")
            en = ("Invalid Idempotency-Key", "The Idempotency-Key must be 16-255 printable ASCII characters without spaces (a UUID fits).")
        case .idempotencyKeyReused:
            id = ("Idempotency-Key sudah dipakai", "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.")
            en = ("Idempotency-Key reused", "This Idempotency-Key was already used for a different request.")
        case .notReady:
            id = ("Layanan belum siap", "Aduan belum dapat menerima aduan saat ini.")
            en = ("Not ready", "Aduan cannot take complaints now.")
        case .invalidStaffToken:
            id = ("Token petugas tidak valid", "Sertakan token petugas yang aktif: Authorization: Bearer TOKEN.")
            en = ("Invalid staff token", "Send an active staff token: Authorization: Bearer TOKEN.")
        case .forbidden:
            id = ("Tidak diizinkan", "Peran Anda tidak boleh melakukan tindakan ini.")
            en = ("Forbidden", "Your role may not take this action.")
        case .invalidTransition:
            id = ("Tindakan tidak berlaku", "Tindakan ini tidak berlaku untuk status aduan saat ini; lihat 'allowed'.")
            en = ("Action not allowed now", "This action does not apply to the complaint's current status; see 'allowed'.")
        case .reopenWindowClosed:
            id = ("Batas waktu membuka kembali lewat", "Aduan hanya dapat dibuka kembali dalam 7 hari setelah diselesaikan.")
            en = ("Reopen window passed", "A complaint can be reopened only within 7 days of its resolution.")
        case .badRequest:
            id = ("Permintaan tidak valid", "Permintaan tidak dapat diproses.")
            en = ("Bad request", "The request cannot be processed.")
        case .unavailable:
            id = ("Layanan sedang sibuk", "Server sedang penuh atau penyimpanan tidak tersedia; coba lagi setelah Retry-After detik.")
            en = ("Service busy", "The server is at capacity or its storage is unavailable; try again after Retry-After seconds.")
        case .unsupportedMediaType:
            id = ("Jenis isi tidak didukung", "Kirim application/json, atau multipart/form-data bila menyertakan foto.")
            en = ("Unsupported media type", "Send application/json, or multipart/form-data with photos.")
        case .tooManyRequests:
            id = ("Terlalu banyak permintaan", "Tunggu sesuai Retry-After (detik) sebelum mencoba lagi.")
            en = ("Too many requests", "Wait for Retry-After seconds before trying again.")
        case .invalidCitizenToken:
            id = ("Sesi tidak berlaku", "Token warga tidak berlaku (keluar atau kedaluwarsa); masuk lagi dengan kode OTP.")
            en = ("Session not valid", "The citizen token is not valid (signed out or expired); sign in again with a code.")
        case .signInCodeWrong:
            id = ("Kode salah", "Kode masuk tidak cocok.")
            en = ("Wrong code", "The sign-in code does not match.")
        case .signInCodeExpired:
            id = (
                "Kode tidak berlaku",
                "Tidak ada kode yang berlaku untuk nomor ini (kedaluwarsa, sudah dipakai, atau salah 5 kali); minta kode baru."
            )
            en = ("No valid code", "No code is valid for this number (expired, used, or wrong five times); ask for a new one.")
        case .claimNotProven:
            id = ("Bukti tidak cocok", "Nomor tiket dan token pelacakan tidak cocok.")
            en = ("Not proven", "The ticket and tracking token do not match.")
        case .claimedByAnother:
            id = ("Sudah dimiliki akun lain", "Aduan ini sudah terhubung dengan akun lain.")
            en = ("Claimed by another account", "This complaint already belongs to another account.")
        case .supporterRequired:
            id = ("Pendukung tidak dikenal", "Masuk sebagai warga (Authorization: Bearer) atau kirim header X-Device-Id.")
            en = ("Supporter unknown", "Sign in as a citizen (Authorization: Bearer) or send an X-Device-Id header.")
        case .complaintNotOpen:
            id = ("Aduan sudah tidak terbuka", "Dukungan hanya untuk aduan yang masih ditangani.")
            en = ("Complaint not open", "Support is only for complaints still being handled.")
        case .ownComplaint:
            id = ("Aduan Anda sendiri", "Anda tidak dapat mendukung aduan Anda sendiri.")
            en = ("Your own complaint", "You cannot support your own complaint.")
        case .internalError:
            id = ("Kesalahan server", "Terjadi kesalahan di server. Aduan Anda belum tersimpan; silakan coba lagi.")
            en = ("Server error", "Something went wrong on the server. Your complaint was not saved; please try again.")
        }
        let (title, detail) = language == .en ? en : id
        return Text(title: title, detail: detail)
    }

    static func field(_ error: FieldError, _ language: Language) -> String {
        let limit = error.limit.map(String.init) ?? ""
        let en = language == .en
        switch error.code {
        case .required: return en ? "This field is required." : "Kolom ini wajib diisi."
        case .tooShort: return en ? "Must be at least \(limit) characters." : "Minimal \(limit) karakter."
        case .tooLong: return en ? "Must be at most \(limit) characters." : "Maksimal \(limit) karakter."
        case .controlCharacters:
            return en
                ? "Contains control characters (only newline and tab are allowed)."
                : "Mengandung karakter kontrol (hanya baris baru dan tab yang diizinkan)."
        case .invisibleCharacters:
            return en
                ? "Contains invisible or direction-changing characters (zero-width, bidirectional controls)."
                : "Mengandung karakter tak terlihat atau pembalik arah teks (lebar nol, kontrol dua arah)."
        case .unknownCategory:
            return en ? "Unknown category; see GET /v1/categories." : "Kategori tidak dikenal; lihat GET /v1/categories."
        case .unknownRegion:
            return en ? "Unknown region code; see GET /v1/regions." : "Kode wilayah tidak dikenal; lihat GET /v1/regions."
        case .regionTooCoarse:
            return en
                ? "Give a kecamatan or kelurahan/desa code, not a kabupaten/kota or province."
                : "Isi kode kecamatan atau kelurahan/desa, bukan kabupaten/kota atau provinsi."
        case .outOfRange: return en ? "Coordinate out of range." : "Koordinat di luar rentang."
        case .outsideProvince:
            return en
                ? "The location is outside the province served by this service."
                : "Lokasi berada di luar wilayah provinsi yang dilayani."
        case .invalidValue: return en ? "Value not allowed." : "Nilai tidak diizinkan."
        case .invalidPhone:
            return en ? "Not a phone number (8-15 digits, optional leading +)." : "Bukan nomor telepon (8-15 digit, boleh diawali +)."
        case .notMobilePhone:
            return en
                ? "Not an Indonesian mobile number (08..., +628... or 628...)."
                : "Bukan nomor ponsel Indonesia (08..., +628... atau 628...)."
        case .invalidCode: return en ? "The code is 6 digits." : "Kode terdiri dari 6 angka."
        case .wrongType: return en ? "Wrong type." : "Tipe data salah."
        case .tooMany: return en ? "At most \(limit) photos." : "Maksimal \(limit) foto."
        case .unsupportedFormat:
            return en
                ? "Not a JPEG, PNG, WebP or HEIC/HEIF image (judged by its content, not its name)."
                : "Bukan gambar JPEG, PNG, WebP atau HEIC/HEIF (dinilai dari isinya, bukan namanya)."
        case .tooLarge: return en ? "Too large (limit \(limit) bytes)." : "Terlalu besar (batas \(limit) byte)."
        case .tooManyPixels:
            return en
                ? "The image has too many pixels (limit \(limit) pixels, width times height)."
                : "Gambar terlalu besar (batas \(limit) piksel, lebar kali tinggi)."
        case .corrupt: return en ? "The image is damaged or incomplete." : "Gambar rusak atau tidak lengkap."
        case .empty: return en ? "The part is empty." : "Bagian ini kosong."
        }
    }
}

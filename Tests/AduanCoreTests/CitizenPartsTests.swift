import AduanCore
import Foundation
import Testing

@Suite("Citizen parts: phone numbers, shown locations, sign-in codes")
struct CitizenPartsTests {
    @Test("Indonesian mobile numbers as people type them are one phone; anything else is refused")
    func phones() {
        for typed in ["081270001234", "+6281270001234", "6281270001234", "+62 812-7000-1234", "0812.7000.1234", "(0812) 7000 1234"] {
            #expect(PhoneNumber(typed)?.digits == "6281270001234", "\(typed)")
        }
        #expect(PhoneNumber("081270001234")?.international == "+6281270001234")
        #expect(PhoneNumber("081270001234")?.masked == "+62812*****234")
        for refused in ["", "12345", "0212345678", "+1 555 0100 200", "62812", "0812abc45678", "+62+812700012", "08123456789012345", "0812-34"] {
            #expect(PhoneNumber(refused) == nil, "\(refused)")
        }
    }

    @Test("a shown location is its 50 m cell's centre, never more than maxShift away; public places are exact")
    func shown() {
        let point = GeoPoint(lat: -5.380123, lng: 105.260987)
        #expect(PublicLocation.shown(point, publicPlace: true) == point)
        let shown = PublicLocation.shown(point, publicPlace: false)
        #expect(shown != point)
        #expect(shown.distance(to: point) <= PublicLocation.maxShift)
        // Every point of a cell shows the same centre, so nearby searches cannot tell them apart.
        let neighbour = GeoPoint(lat: point.lat + 0.00001, lng: point.lng - 0.00001)
        #expect(PublicLocation.shown(neighbour, publicPlace: false) == shown)
        for _ in 0..<1000 {
            let random = GeoPoint(lat: Double.random(in: -6.5 ... -3.5), lng: Double.random(in: 103.5...106))
            #expect(PublicLocation.shown(random, publicPlace: false).distance(to: random) <= PublicLocation.maxShift)
        }
    }

    @Test("a box around a point holds every point within its radius")
    func box() {
        let center = GeoPoint(lat: -5.38, lng: 105.26)
        let box = center.box(radius: 1000)
        for bearing in stride(from: 0.0, to: 360, by: 15) {
            // Just inside 1000 m in each direction.
            let radians = bearing * .pi / 180
            var low = 0.0, high = 0.05
            for _ in 0..<60 {
                let mid = (low + high) / 2
                let p = GeoPoint(lat: center.lat + mid * cos(radians), lng: center.lng + mid * sin(radians))
                if center.distance(to: p) <= 999.9 { low = mid } else { high = mid }
            }
            let p = GeoPoint(lat: center.lat + low * cos(radians), lng: center.lng + low * sin(radians))
            #expect(p.lat >= box.minLat && p.lat <= box.maxLat && p.lng >= box.minLng && p.lng <= box.maxLng, "\(bearing)")
        }
    }

    @Test("codes are six digits, and every digit turns up in every place")
    func codes() {
        var seen = Array(repeating: Set<Character>(), count: 6)
        for _ in 0..<500 {
            let code = SignInCode.random().digits
            #expect(SignInCode.isWellFormed(code))
            for (index, digit) in code.enumerated() { seen[index].insert(digit) }
        }
        #expect(seen.allSatisfy { $0.count == 10 })
        #expect(!SignInCode.isWellFormed("12345") && !SignInCode.isWellFormed("12345a") && !SignInCode.isWellFormed("١٢٣٤٥٦"))
    }
}

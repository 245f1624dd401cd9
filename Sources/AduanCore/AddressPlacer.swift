import Foundation

extension Catalog {
    /// The region an address names, for a complaint that comes with an address and no point (Open311's
    /// `address_string`): the kecamatan whose name it contains, narrowed by the kabupaten/kota it names, and the desa
    /// or kelurahan within that kecamatan when exactly one is named (other than one sharing the kecamatan's name). Nil when no kecamatan is named, or when the names
    /// fit several (many desa share names; so do a few kecamatan): a guess would send the complaint to the wrong office.
    public func region(namedIn address: String) -> RegionCode? {
        let text = " " + Self.searchable(address) + " "
        func named(_ region: Region) -> Bool {
            let name = Self.searchable(Self.withoutLevel(region.name))
            return !name.isEmpty && text.contains(" \(name) ")
        }
        let regencies = self.children(of: self.province).filter(named).map(\.code)
        var districts = self.regions.values.filter { $0.code.depth == 3 && named($0) }.map(\.code)
        if !regencies.isEmpty { districts = districts.filter { district in regencies.contains { $0.contains(district) } } }
        guard districts.count == 1, let district = districts.first else { return nil }
        // A desa named as its kecamatan is (Kelurahan Kedaton in Kecamatan Kedaton) is not told apart by the name.
        let districtName = self.regions[district].map { Self.searchable($0.name) }
        let villages = self.children(of: district).filter { named($0) && Self.searchable($0.name) != districtName }
        return villages.count == 1 ? villages[0].code : district
    }

    /// Lowercase letters and digits, words separated by one space, accents and punctuation gone ("Kec. Way Halim" →
    /// "kec way halim").
    static func searchable(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return folded.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? String($0) : " " }.joined()
            .split(separator: " ").joined(separator: " ")
    }

    /// A region's name without the word for its level, as addresses often leave it out ("Kota Bandar Lampung" →
    /// "Bandar Lampung").
    static func withoutLevel(_ name: String) -> String {
        for prefix in ["Kabupaten ", "Kota "] where name.hasPrefix(prefix) { return String(name.dropFirst(prefix.count)) }
        return name
    }
}

import Foundation

/// The catalog's category questions (Open311's service attributes), read from `catalog.json`'s `attributes`.
extension CatalogLoader {
    /// A category's questions, sorted by `order` (then as listed). Codes are unique within the category and made of
    /// lowercase letters, digits and underscores (they appear in `attribute[code]`); lists have values, other types none.
    static func attributes(
        _ entries: [Document.AttributeEntry], _ category: String, _ problems: inout Problems
    ) -> [CategoryAttribute] {
        var codes: Set<String> = []
        var attributes: [CategoryAttribute] = []
        for (index, entry) in entries.enumerated() {
            let label = "\(category).attributes[\(index)] (\(entry.code))"
            if entry.code.isEmpty || entry.code.count > 64
                || !entry.code.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
            {
                problems.add("catalog.json", label, "code must be 1 to 64 of a-z, 0-9 and _")
            }
            if !codes.insert(entry.code).inserted { problems.add("catalog.json", label, "duplicate attribute code") }
            guard let datatype = CategoryAttribute.Datatype(rawValue: entry.datatype) else {
                let known = CategoryAttribute.Datatype.allCases.map(\.rawValue).joined(separator: ", ")
                problems.add("catalog.json", label, "unknown datatype '\(entry.datatype)' (\(known))")
                continue
            }
            let values = (entry.values ?? []).map { CategoryAttribute.Value(key: $0.key, nameID: $0.name_id, nameEN: $0.name_en) }
            if datatype.isList && values.isEmpty { problems.add("catalog.json", label, "a \(datatype.rawValue) needs values") }
            if !datatype.isList && !values.isEmpty { problems.add("catalog.json", label, "only list datatypes take values") }
            if Set(values.map(\.key)).count != values.count || values.contains(where: { $0.key.isEmpty }) {
                problems.add("catalog.json", label, "value keys must be non-empty and unique")
            }
            attributes.append(
                CategoryAttribute(
                    code: entry.code, datatype: datatype, required: entry.required ?? false, order: entry.order ?? index + 1,
                    descriptionID: entry.description_id, descriptionEN: entry.description_en, values: values))
        }
        return attributes.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
    }
}

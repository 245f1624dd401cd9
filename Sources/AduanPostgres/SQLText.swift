/// SQL text read as PostgreSQL reads it: runs of code, and runs that are not code (string literals and quoted names,
/// with their doubled quotes; line and block comments; dollar-quoted bodies such as a PL/pgSQL function's). What
/// looks like syntax in the second kind (a `;`, a `?`) is text.
enum SQLText {
    struct Run {
        let scalars: ArraySlice<Unicode.Scalar>
        let isCode: Bool
    }

    /// The text as its runs, in order.
    static func runs(_ sql: String) -> [Run] {
        let text = Array(sql.unicodeScalars)
        var runs: [Run] = []
        var codeStart = 0
        var index = 0
        func other(until end: Int) {
            if codeStart < index { runs.append(Run(scalars: text[codeStart..<index], isCode: true)) }
            let end = min(end, text.count)
            runs.append(Run(scalars: text[index..<end], isCode: false))
            index = end
            codeStart = end
        }
        while index < text.count {
            let scalar = text[index]
            let next = index + 1 < text.count ? text[index + 1] : nil
            if scalar == "-" && next == "-" {
                other(until: Self.find(["\n"], in: text, from: index) ?? text.count)
            } else if scalar == "/" && next == "*" {
                other(until: (Self.find(["*", "/"], in: text, from: index + 2) ?? text.count) + 2)
            } else if scalar == "'" || scalar == "\"" {
                var end = index + 1
                while end < text.count, text[end] != scalar || (end + 1 < text.count && text[end + 1] == scalar) {
                    end += text[end] == scalar ? 2 : 1
                }
                other(until: end + 1)
            } else if scalar == "$", let tag = Self.dollarTag(text, at: index) {
                other(until: (Self.find(tag, in: text, from: index + tag.count) ?? text.count) + tag.count)
            } else {
                index += 1
            }
        }
        if codeStart < text.count { runs.append(Run(scalars: text[codeStart...], isCode: true)) }
        return runs
    }

    /// The statements, for a driver that sends one at a time: split at the semicolons of code. A statement of
    /// comments alone is left out.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var hasCode = false
        func flush() {
            let statement = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if hasCode, !statement.isEmpty { statements.append(statement) }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        for run in self.runs(sql) {
            guard run.isCode else {
                // A literal or a body is code of its statement; a comment is not.
                if let first = run.scalars.first, first != "-" && first != "/" { hasCode = true }
                current.append(contentsOf: run.scalars)
                continue
            }
            for scalar in run.scalars {
                if scalar == ";" {
                    flush()
                } else {
                    if !scalar.properties.isWhitespace { hasCode = true }
                    current.append(scalar)
                }
            }
        }
        flush()
        return statements
    }

    /// `?` placeholders as PostgreSQL's `$1, $2, …`, in code only.
    static func numbered(_ sql: String) -> String {
        var out = String.UnicodeScalarView()
        var number = 0
        for run in self.runs(sql) {
            guard run.isCode else {
                out.append(contentsOf: run.scalars)
                continue
            }
            for scalar in run.scalars {
                if scalar == "?" {
                    number += 1
                    out.append(contentsOf: "$\(number)".unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    /// `$tag$` (or `$$`) starting at `index`, if one does.
    static func dollarTag(_ text: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        var end = index + 1
        while end < text.count,
            text[end] == "_" || text[end].properties.isAlphabetic || (end > index + 1 && ("0"..."9").contains(text[end]))
        {
            end += 1
        }
        guard end < text.count, text[end] == "$" else { return nil }
        return Array(text[index...end])
    }

    static func find(_ needle: [Unicode.Scalar], in text: [Unicode.Scalar], from start: Int) -> Int? {
        guard !needle.isEmpty, start <= text.count - needle.count else { return nil }
        for position in start...(text.count - needle.count) where text[position] == needle[0] {
            if Array(text[position..<(position + needle.count)]) == needle { return position }
        }
        return nil
    }
}

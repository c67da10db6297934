/// Public entry points for other TOML files that follow the scene files' rules (sweep files):
/// the same text checks, the same TOML reader and the same `SceneReader` error style.
extension SceneLoader {
    /// Parses TOML text (already read) named `file` into a plain table, with the scene files'
    /// checks (not empty, no NUL bytes, UTF-8) and `file:line:col` syntax errors.
    public static func parseTable(bytes: [UInt8], file: String, kind: String = "scene") throws(SceneError) -> SceneTable {
        if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw SceneError(file: file, key: nil, message: "empty \(kind) file (expected TOML)")
        }
        if bytes.contains(0) {
            throw SceneError(file: file, key: nil, message: "not a text file (contains NUL bytes); expected a TOML \(kind) file")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SceneError(file: file, key: nil, message: "not valid UTF-8 text; expected a TOML \(kind) file")
        }
        return try TOMLSceneParser.parse(text, file: file)
    }
}

extension SceneValue {
    /// The value as TOML text, usable on the right of `--set key=value` (strings quoted and
    /// escaped, numbers in Swift's shortest round-trip form).
    public var tomlText: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let d): return d.isNaN ? "nan" : d.isInfinite ? (d > 0 ? "inf" : "-inf") : String(d)
        case .bool(let b): return String(b)
        case .string(let s):
            var out = "\""
            for ch in s.unicodeScalars {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default: out.unicodeScalars.append(ch)
                }
            }
            return out + "\""
        case .array(let a): return "[" + a.map(\.tomlText).joined(separator: ", ") + "]"
        case .table(let t): return "{" + t.keys.compactMap { k in t[k].map { "\(k) = \($0.tomlText)" } }.joined(separator: ", ") + "}"
        }
    }

    /// A short type name for error messages ("a number", "a string", ...).
    public var kindName: String { kindDescription }
}

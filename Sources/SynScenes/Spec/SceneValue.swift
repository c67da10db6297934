import TOMLKit

/// A decoded scene-file value: the TOML tree without TOMLKit's types, so specs, `--set`
/// overrides and tests share one plain representation.
public enum SceneValue: Sendable, Equatable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case array([SceneValue])
    case table(SceneTable)

    /// A short type name for error messages ("a number", "a string", ...).
    var kindDescription: String {
        switch self {
        case .int, .double: "a number"
        case .bool: "a boolean"
        case .string: "a string"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// The value as it would appear in TOML, for error messages (at most about 60 characters:
    /// a long string or array is cut with an ellipsis).
    var display: String { SceneError.clip(fullDisplay) }

    private var fullDisplay: String {
        switch self {
        case .int(let i): String(i)
        case .double(let d): d.isNaN ? "nan" : d.isInfinite ? (d > 0 ? "inf" : "-inf") : String(d)
        case .bool(let b): String(b)
        case .string(let s): "\"\(SceneError.clip(s))\""
        case .array(let a):
            // Enough items to fill the clip, not a rendering of 4096 of them.
            "[" + a.prefix(20).map(\.fullDisplay).joined(separator: ", ") + (a.count > 20 ? ", ..." : "") + "]"
        case .table: "{...}"
        }
    }
}

/// An ordered string-keyed table of scene values.
public struct SceneTable: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var values: [String: SceneValue] = [:]

    public init() {}

    public subscript(key: String) -> SceneValue? {
        get { values[key] }
        set {
            if let v = newValue {
                if values[key] == nil { keys.append(key) }
                values[key] = v
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Sets the value at a dotted path (`rule.eta`), creating intermediate tables.
    /// Returns false when a non-table value sits on the path.
    public mutating func set(path: [String], to value: SceneValue) -> Bool {
        guard let head = path.first else { return false }
        if path.count == 1 {
            self[head] = value
            return true
        }
        var sub: SceneTable
        switch self[head] {
        case .table(let t): sub = t
        case nil: sub = SceneTable()
        default: return false
        }
        guard sub.set(path: Array(path.dropFirst()), to: value) else { return false }
        self[head] = .table(sub)
        return true
    }
}

/// TOML text -> `SceneTable`, with syntax errors reported as `file:line:col: ...`.
enum TOMLSceneParser {
    /// Deepest table nesting a scene may use (no scene key is deeper than 3); checked on the text
    /// before TOMLKit parses it and again while converting, so deep input cannot exhaust the stack.
    static let maxDepth = 16

    static func parse(_ text: String, file: String) throws(SceneError) -> SceneTable {
        if let bad = TOMLShape.problem(in: text) {
            throw SceneError(file: "\(file):\(bad.line)", key: nil, message: bad.message)
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw SceneError(file: "\(file):\(e.source.begin.line):\(e.source.begin.column)", key: nil,
                             message: "TOML syntax error: \(e.description)")
        } catch {
            throw SceneError(file: file, key: nil, message: "TOML syntax error: \(error)")
        }
        return try convert(table, file: file, path: "", depth: 1)
    }

    static func convert(_ t: TOMLTable, file: String, path: String, depth: Int) throws(SceneError) -> SceneTable {
        guard depth <= maxDepth else {
            throw SceneError(file: file, key: path, message: "tables nested deeper than \(maxDepth) levels")
        }
        var out = SceneTable()
        // Not `for (k, v) in t`: TOMLKit's iterator force-unwraps the lookup, which fails for a
        // key holding NUL (a C string ends there).
        for k in t.keys {
            guard let v = t[k] else {
                throw SceneError(file: file, key: path.isEmpty ? nil : path, message: "a key holds a NUL character (\\u0000), which scene keys may not contain")
            }
            let key = path.isEmpty ? k : "\(path).\(k)"
            guard !k.unicodeScalars.contains(where: isControl) else {
                throw SceneError(file: file, key: key, message: "a key may not contain control characters (such as NUL or a newline)")
            }
            out[k] = try convert(v, file: file, path: key, depth: depth)
        }
        return out
    }

    static func convert(_ v: any TOMLValueConvertible, file: String, path: String, depth: Int) throws(SceneError) -> SceneValue {
        switch v.type {
        case .int: return .int(v.int ?? 0)
        case .double: return .double(v.double ?? .nan)
        case .bool: return .bool(v.bool ?? false)
        case .string:
            let s = v.string ?? ""
            // Newlines and tabs are text; other control characters (NUL, escapes) are not.
            if s.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
                throw SceneError(file: file, key: path, message: "a string may not contain control characters other than newline and tab")
            }
            return .string(s)
        case .array:
            guard depth < maxDepth else {
                throw SceneError(file: file, key: path, message: "arrays nested deeper than \(maxDepth) levels")
            }
            var out: [SceneValue] = []
            for item in v.array ?? TOMLArray() { out.append(try convert(item, file: file, path: path, depth: depth + 1)) }
            return .array(out)
        case .table: return .table(try convert(v.table ?? TOMLTable(), file: file, path: path, depth: depth + 1))
        default: return .string(v.debugDescription)  // dates and times: treated as strings
        }
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || u.value == 0x7F }

    /// Parses the right-hand side of a `--set key=value` override as a TOML value;
    /// a bare word that is not valid TOML is taken as a string (`--set rule.name=oja`).
    static func parseValue(_ text: String, file: String, key: String) throws(SceneError) -> SceneValue {
        let line = "v = \(text)"
        if TOMLShape.problem(in: line) == nil, let t = try? TOMLTable(string: line), let v = t["v"] {
            return try convert(v, file: file, path: key, depth: 2)
        }
        return .string(text)
    }
}

/// A cheap pass over TOML text before TOMLKit sees it: control characters (TOML forbids them
/// outside strings, and toml++ asserts on some) and the nesting depth of headers, dotted keys,
/// arrays and inline tables, which a deep file could otherwise use to exhaust the stack.
enum TOMLShape {
    struct Problem { var line: Int; var message: String }

    /// A-Z a-z 0-9 _ - (TOML 1.0 bare keys).
    static func isBareKey(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
    }

    static func hex(_ c: UInt8) -> String { "0x" + (c < 16 ? "0" : "") + String(c, radix: 16, uppercase: true) }

    static func problem(in text: String) -> Problem? {
        let max = TOMLSceneParser.maxDepth
        var line = 1
        var stack: [UInt8] = []      // open '[' (arrays, value context) and '{' (inline tables)
        var inKey = true             // reading a key (line start, after '{' or ',' in a table)
        var header = false           // inside a [table] / [[array]] header
        var dots = 0                 // dots in the current key or header
        let b = Array(text.utf8)
        // Control characters first, wherever they are (strings and comments included).
        if let bad = b.firstIndex(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }) {
            return Problem(line: 1 + b[..<bad].count { $0 == 0x0A },
                           message: "not a text file (contains control character \(hex(b[bad]))); expected a TOML scene")
        }
        var i = 0
        func deep() -> Problem { Problem(line: line, message: "tables, keys or arrays nested deeper than \(max) levels") }
        while i < b.count {
            let c = b[i]
            if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F {
                return Problem(line: line, message: "not a text file (contains control character \(hex(c))); expected a TOML scene")
            }
            switch c {
            case 0x0A:
                line += 1
                if stack.isEmpty { inKey = true; header = false; dots = 0 }
            case UInt8(ascii: "#"):
                while i + 1 < b.count && b[i + 1] != 0x0A {
                    i += 1
                    let d = b[i]
                    if (d < 0x20 && d != 0x09 && d != 0x0D) || d == 0x7F {
                        return Problem(line: line, message: "not a text file (contains control character \(hex(d))); expected a TOML scene")
                    }
                }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                // Skip the string; a multi-line one may span lines.
                let triple = i + 2 < b.count && b[i + 1] == c && b[i + 2] == c
                i += triple ? 3 : 1
                while i < b.count {
                    let d = b[i]
                    if d == 0x0A { line += 1 }
                    if (d < 0x20 && d != 0x09 && d != 0x0A && d != 0x0D) || d == 0x7F {
                        return Problem(line: line, message: "not a text file (contains control character \(hex(d))); expected a TOML scene")
                    }
                    if c == UInt8(ascii: "\"") && d == UInt8(ascii: "\\") {
                        if i + 1 < b.count && b[i + 1] == 0x0A { line += 1 }
                        i += 2
                        continue
                    }
                    // A one-line string ends at the line's end (unterminated: toml++ reports it).
                    if d == 0x0A && !triple { i -= 1; line -= 1; break }
                    if d == c {
                        if !triple { break }
                        if i + 2 < b.count && b[i + 1] == c && b[i + 2] == c {
                            // Up to two quotes may end the content right before the closing three.
                            var extra = 0
                            while extra < 2 && i + 3 < b.count && b[i + 3] == c { i += 1; extra += 1 }
                            i += 2
                            break
                        }
                    }
                    i += 1
                }
            case UInt8(ascii: "."):
                if inKey || header {
                    dots += 1
                    if dots + stack.count >= max { return deep() }
                }
            case UInt8(ascii: "="):
                if inKey { inKey = false; dots = 0 }
            case UInt8(ascii: "["):
                if inKey && stack.isEmpty {
                    header = true; inKey = false; dots = 0
                    // toml++ asserts (instead of failing) when a header's first key does not
                    // start with a bare-key character or a quote: `[`, `[ ]` at the end of a line.
                    var j = i + 1
                    if j < b.count && b[j] == UInt8(ascii: "[") { j += 1 }
                    while j < b.count && (b[j] == 0x20 || b[j] == 0x09) { j += 1 }
                    let ok = j < b.count && (isBareKey(b[j]) || b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'")
                                             || b[j] == UInt8(ascii: "]"))
                    if !ok { return Problem(line: line, message: "TOML syntax error: expected a table name after '['") }
                }
                else if !header {
                    stack.append(c)
                    if stack.count >= max { return deep() }
                }
            case UInt8(ascii: "]"):
                if header { if !stack.isEmpty { stack.removeLast() } } else if stack.last == UInt8(ascii: "[") { stack.removeLast() }
            case UInt8(ascii: "{"):
                stack.append(c)
                if stack.count >= max { return deep() }
                inKey = true; dots = 0
            case UInt8(ascii: "}"):
                // Never valid inside an array; after `[` or `,` toml++ asserts instead of failing.
                if stack.last == UInt8(ascii: "[") { return Problem(line: line, message: "TOML syntax error: unexpected '}' inside an array") }
                if stack.last == UInt8(ascii: "{") { stack.removeLast() }
                inKey = false
            case UInt8(ascii: ","):
                if stack.last == UInt8(ascii: "{") { inKey = true; dots = 0 }
            default:
                break
            }
            i += 1
        }
        return nil
    }
}

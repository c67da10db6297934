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

    /// The value as it would appear in TOML, for error messages.
    var display: String {
        switch self {
        case .int(let i): String(i)
        case .double(let d): d.isNaN ? "nan" : d.isInfinite ? (d > 0 ? "inf" : "-inf") : String(d)
        case .bool(let b): String(b)
        case .string(let s): "\"\(s)\""
        case .array(let a): "[" + a.map(\.display).joined(separator: ", ") + "]"
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
    static func parse(_ text: String, file: String) throws(SceneError) -> SceneTable {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw SceneError(file: "\(file):\(e.source.begin.line):\(e.source.begin.column)", key: nil,
                             message: "TOML syntax error: \(e.description)")
        } catch {
            throw SceneError(file: file, key: nil, message: "TOML syntax error: \(error)")
        }
        return convert(table)
    }

    static func convert(_ t: TOMLTable) -> SceneTable {
        var out = SceneTable()
        for (k, v) in t { out[k] = convert(v) }
        return out
    }

    static func convert(_ v: any TOMLValueConvertible) -> SceneValue {
        switch v.type {
        case .int: return .int(v.int ?? 0)
        case .double: return .double(v.double ?? .nan)
        case .bool: return .bool(v.bool ?? false)
        case .string: return .string(v.string ?? "")
        case .array: return .array((v.array ?? TOMLArray()).map { convert($0) })
        case .table: return .table(convert(v.table ?? TOMLTable()))
        default: return .string(v.debugDescription)  // dates and times: treated as strings
        }
    }

    /// Parses the right-hand side of a `--set key=value` override as a TOML value;
    /// a bare word that is not valid TOML is taken as a string (`--set rule.name=oja`).
    static func parseValue(_ text: String) -> SceneValue {
        if let t = try? TOMLTable(string: "v = \(text)"), let v = t["v"] { return convert(v) }
        return .string(text)
    }
}

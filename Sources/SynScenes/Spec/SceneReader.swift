import SynModels

/// Reads and validates the keys of one scene table, remembering which keys were read so that
/// `finish()` can reject unknown keys with a "did you mean" suggestion.
///
/// ```swift
/// var r = SceneReader(table, file: "scenes/oja.toml", path: "rule")
/// let eta = try r.number("eta", in: .openClosed(0, 10), default: 0.01)
/// try r.finish()
/// ```
/// Every error names the file, the dotted key and the accepted range.
public struct SceneReader: Sendable {
    public let file: String
    /// Dotted path of this table ("" for the top level).
    public let path: String
    public let table: SceneTable
    private(set) var used: Set<String> = []
    /// Keys that are known but not read in this configuration (accepted, e.g. by other rules).
    private var tolerated: Set<String> = []

    public init(_ table: SceneTable, file: String, path: String = "") {
        self.table = table
        self.file = file
        self.path = path
    }

    /// The dotted path of `key` inside this table.
    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// An error about `key` in this table.
    public func error(_ key: String, _ message: String) -> SceneError {
        SceneError(file: file, key: keyPath(key), message: message)
    }

    /// True when the table has `key` (without marking it read).
    public func has(_ key: String) -> Bool { table[key] != nil }

    /// Marks keys as known without reading them.
    public mutating func tolerate(_ keys: [String]) { tolerated.formUnion(keys) }

    // MARK: - Scalars

    /// A finite number within `range`.
    public mutating func number(_ key: String, in range: NumberRange, default def: Double? = nil) throws(SceneError) -> Double {
        used.insert(key)
        guard let v = table[key] else {
            if let def { return def }
            throw error(key, "missing required key (expected a number in \(range))")
        }
        let x: Double
        switch v {
        case .int(let i): x = Double(i)
        case .double(let d): x = d
        default: throw error(key, "expected a number in \(range), got \(v.kindDescription) \(v.display)")
        }
        guard x.isFinite, range.contains(x) else {
            throw error(key, "expected a number in \(range), got \(v.display)")
        }
        guard range.representable(x) else {
            throw error(key, "expected a number in \(range) \(range.tinyHint), got \(v.display)")
        }
        return x
    }

    /// An integer within `range`.
    public mutating func integer(_ key: String, in range: ClosedRange<Int>, default def: Int? = nil) throws(SceneError) -> Int {
        used.insert(key)
        let desc = "an integer in [\(range.lowerBound), \(range.upperBound)]"
        guard let v = table[key] else {
            if let def { return def }
            throw error(key, "missing required key (expected \(desc))")
        }
        switch v {
        case .int(let i) where range.contains(i): return i
        case .double(let d) where d.isFinite && d == d.rounded() && d >= Double(range.lowerBound) && d <= Double(range.upperBound):
            return Int(d)
        case .int, .double: throw error(key, "expected \(desc), got \(v.display)")
        default: throw error(key, "expected \(desc), got \(v.kindDescription) \(v.display)")
        }
    }

    /// A boolean.
    public mutating func bool(_ key: String, default def: Bool? = nil) throws(SceneError) -> Bool {
        used.insert(key)
        guard let v = table[key] else {
            if let def { return def }
            throw error(key, "missing required key (expected true or false)")
        }
        guard case .bool(let b) = v else { throw error(key, "expected true or false, got \(v.kindDescription) \(v.display)") }
        return b
    }

    /// A string; with `oneOf`, one of the listed words (with a suggestion when close).
    public mutating func string(_ key: String, oneOf choices: [String]? = nil, default def: String? = nil) throws(SceneError) -> String {
        used.insert(key)
        guard let v = table[key] else {
            if let def { return def }
            let hint = choices.map { " (one of: \($0.joined(separator: ", ")))" } ?? ""
            throw error(key, "missing required key\(hint)")
        }
        guard case .string(let s) = v else { throw error(key, "expected a string, got \(v.kindDescription) \(v.display)") }
        if let choices { try check(s, key: key, in: choices) }
        return s
    }

    /// A list of strings, each (optionally) one of `choices`.
    public mutating func strings(_ key: String, oneOf choices: [String]? = nil, default def: [String]? = nil) throws(SceneError) -> [String] {
        used.insert(key)
        guard let v = table[key] else {
            if let def { return def }
            throw error(key, "missing required key (expected a list of strings)")
        }
        guard case .array(let items) = v else { throw error(key, "expected a list of strings, got \(v.kindDescription) \(v.display)") }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { throw error(key, "expected a list of strings, got \(item.display) in it") }
            if let choices { try check(s, key: key, in: choices) }
            out.append(s)
        }
        return out
    }

    /// A list of integers, each within `range`, with `count` entries when given.
    public mutating func integers(_ key: String, in range: ClosedRange<Int>, count: ClosedRange<Int>? = nil, default def: [Int]? = nil) throws(SceneError) -> [Int] {
        used.insert(key)
        guard let v = table[key] else {
            if let def { return def }
            throw error(key, "missing required key (expected a list of integers in [\(range.lowerBound), \(range.upperBound)])")
        }
        guard case .array(let items) = v else { throw error(key, "expected a list of integers, got \(v.kindDescription) \(v.display)") }
        if let count, !count.contains(items.count) {
            throw error(key, "expected \(count.lowerBound)...\(count.upperBound) entries, got \(items.count)")
        }
        var out: [Int] = []
        for item in items {
            // Whole-number floats (`100.0`) count as integers, as in `integer`.
            switch item {
            case .int(let i) where range.contains(i): out.append(i)
            case .double(let d) where d.isFinite && d == d.rounded() && d >= Double(range.lowerBound) && d <= Double(range.upperBound):
                out.append(Int(d))
            default:
                throw error(key, "expected integers in [\(range.lowerBound), \(range.upperBound)], got \(item.display)")
            }
        }
        return out
    }

    /// A list of finite numbers, each within `range`, with `count` entries when given.
    public mutating func numbers(_ key: String, in range: NumberRange, count: ClosedRange<Int>? = nil, default def: [Double]? = nil) throws(SceneError) -> [Double] {
        used.insert(key)
        guard let v = table[key] else {
            if let def { return def }
            throw error(key, "missing required key (expected a list of numbers in \(range))")
        }
        guard case .array(let items) = v else { throw error(key, "expected a list of numbers in \(range), got \(v.kindDescription) \(v.display)") }
        if let count, !count.contains(items.count) {
            throw error(key, "expected \(count.lowerBound)...\(count.upperBound) entries, got \(items.count)")
        }
        var out: [Double] = []
        for item in items {
            let x: Double
            switch item {
            case .int(let i): x = Double(i)
            case .double(let d): x = d
            default: throw error(key, "expected a list of numbers in \(range), got \(item.display) in it")
            }
            guard x.isFinite, range.contains(x) else { throw error(key, "expected numbers in \(range), got \(item.display)") }
            guard range.representable(x) else { throw error(key, "expected numbers in \(range) \(range.tinyHint), got \(item.display)") }
            out.append(x)
        }
        return out
    }

    private func check(_ s: String, key: String, in choices: [String]) throws(SceneError) {
        guard !choices.contains(s) else { return }
        let s = SceneError.clip(s)
        var msg = "unknown value \"\(s)\" (expected one of: \(choices.joined(separator: ", ")))"
        if let near = Suggest.closest(to: s, in: choices) { msg = "unknown value \"\(s)\", did you mean \"\(near)\"? (one of: \(choices.joined(separator: ", ")))" }
        throw error(key, msg)
    }

    // MARK: - Tables

    /// The sub-table `key` as a reader (an empty one when absent).
    public mutating func table(_ key: String) throws(SceneError) -> SceneReader {
        used.insert(key)
        guard let v = table[key] else { return SceneReader(SceneTable(), file: file, path: keyPath(key)) }
        guard case .table(let t) = v else { throw error(key, "expected a table ([\(keyPath(key))]), got \(v.kindDescription) \(v.display)") }
        return SceneReader(t, file: file, path: keyPath(key))
    }

    /// An array of tables (`[[key]]`) as readers.
    public mutating func tables(_ key: String) throws(SceneError) -> [SceneReader] {
        used.insert(key)
        guard let v = table[key] else { return [] }
        guard case .array(let items) = v else { throw error(key, "expected an array of tables ([[\(keyPath(key))]]), got \(v.kindDescription)") }
        var out: [SceneReader] = []
        for (i, item) in items.enumerated() {
            guard case .table(let t) = item else { throw error(key, "expected an array of tables ([[\(keyPath(key))]]), got \(item.display)") }
            out.append(SceneReader(t, file: file, path: "\(keyPath(key))[\(i)]"))
        }
        return out
    }

    /// Rejects keys that were never read nor tolerated, suggesting the nearest known key.
    public func finish() throws(SceneError) {
        let known = used.union(tolerated)
        for key in table.keys where !known.contains(key) {
            var msg = "unknown key"
            if let near = Suggest.closest(to: key, in: Array(known).sorted()) { msg += ", did you mean \"\(near)\"?" }
            else if !known.isEmpty { msg += " (known keys: \(SceneError.clip(known.sorted().joined(separator: ", "), 100)))" }
            throw error(key, msg)
        }
    }
}

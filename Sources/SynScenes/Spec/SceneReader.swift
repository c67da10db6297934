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

    /// A `[rule]` table's starting rule `name` (one of `choices`; `default` when absent, if
    /// given) and its `switchable` list (default: just `name`), which must contain `name` and
    /// list no rule twice. `start` is the index of `name` in `switchable`.
    public mutating func rules(oneOf choices: [String], default def: String? = nil) throws(SceneError)
        -> (name: String, switchable: [String], start: Int) {
        let name = try string("name", oneOf: choices, default: def)
        let switchable = try strings("switchable", oneOf: choices, default: [name])
        guard let start = switchable.firstIndex(of: name) else {
            throw error("switchable", "must contain the starting rule \"\(name)\", got [\(switchable.joined(separator: ", "))]")
        }
        guard Set(switchable).count == switchable.count else { throw error("switchable", "lists a rule twice") }
        return (name, switchable, start)
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

/// A numeric interval with open or closed ends, printed in interval notation: `(0, 10]`.
public struct NumberRange: Sendable, Equatable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double
    public var lowerOpen: Bool
    public var upperOpen: Bool

    public static func closed(_ a: Double, _ b: Double) -> NumberRange { .init(lower: a, upper: b, lowerOpen: false, upperOpen: false) }
    public static func open(_ a: Double, _ b: Double) -> NumberRange { .init(lower: a, upper: b, lowerOpen: true, upperOpen: true) }
    public static func openClosed(_ a: Double, _ b: Double) -> NumberRange { .init(lower: a, upper: b, lowerOpen: true, upperOpen: false) }
    public static func closedOpen(_ a: Double, _ b: Double) -> NumberRange { .init(lower: a, upper: b, lowerOpen: false, upperOpen: true) }

    public func contains(_ x: Double) -> Bool {
        (lowerOpen ? x > lower : x >= lower) && (upperOpen ? x < upper : x <= upper)
    }

    /// Smallest nonzero magnitude a scene number may have. The models compute in `Float` and
    /// convert milliseconds to seconds (/ 1000): 1e-30 stays a normal Float after that
    /// (1e-33 > Float.leastNormalMagnitude ~ 1.2e-38), and its reciprocal (1e33) stays finite,
    /// so an accepted positive value never becomes 0, denormal or infinite in a model.
    public static let tinyFloor = 1e-30

    /// False for a nonzero `x` smaller in magnitude than `tinyFloor` (see there).
    public func representable(_ x: Double) -> Bool { x == 0 || abs(x) >= Self.tinyFloor }

    /// "(at least 1e-30)" for ranges open at 0, "(0 or at least 1e-30 in magnitude)" otherwise.
    var tinyHint: String { lower == 0 && lowerOpen ? "(at least 1e-30)" : "(0 or at least 1e-30 in magnitude)" }

    public var description: String {
        "\(lowerOpen ? "(" : "[")\(Self.fmt(lower)), \(Self.fmt(upper))\(upperOpen ? ")" : "]")"
    }

    static func fmt(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(x)
    }
}

/// "Did you mean" suggestions by edit distance.
enum Suggest {
    static func closest(to word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(word.lowercased(), c.lowercased())
            if d <= limit, best.map({ d < $0.1 }) ?? true { best = (c, d) }
        }
        return best?.0
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}

import SynCore

/// A numeric interval with open or closed ends, printed in interval notation: `(0, 10]`.
/// Scene keys and rule parameters are validated against one of these.
public struct NumberRange: Sendable, Equatable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double
    public var lowerOpen: Bool
    public var upperOpen: Bool

    public init(lower: Double, upper: Double, lowerOpen: Bool, upperOpen: Bool) {
        self.lower = lower
        self.upper = upper
        self.lowerOpen = lowerOpen
        self.upperOpen = upperOpen
    }

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
    public var tinyHint: String { lower == 0 && lowerOpen ? "(at least 1e-30)" : "(0 or at least 1e-30 in magnitude)" }

    public var description: String {
        "\(lowerOpen ? "(" : "[")\(NumberFormat.shortest(lower)), \(NumberFormat.shortest(upper))\(upperOpen ? ")" : "]")"
    }

}

/// "Did you mean" suggestions by edit distance, for unknown keys, rules and scenes.
public enum Suggest {
    /// The candidate nearest to `word` (case-insensitive), if it is within a third of its length.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(word.lowercased(), c.lowercased())
            if d <= limit, best.map({ d < $0.1 }) ?? true { best = (c, d) }
        }
        return best?.0
    }

    /// Edit distance counting an adjacent transposition as one edit (optimal string
    /// alignment), so "tua" is nearer "tau" than "eta".
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { cur[j] = min(cur[j], before[j - 2] + 1) }
            }
            (before, prev, cur) = (prev, cur, before)
        }
        return prev[b.count]
    }
}

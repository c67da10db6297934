import SynCore

/// One parameter of a learning rule, as Nengo describes its parameters: the scene key, what it
/// means, its unit, the accepted range and the default at which the rule shows its intended
/// behaviour. Scene files are decoded and range-checked from these descriptions only.
///
/// Naming is one scheme across families: a unit suffix names the unit of the value in the
/// scene file (`tau_ms` in milliseconds, `eta_mv` in millivolts, `rho0_hz` in hertz); a name
/// without a suffix is dimensionless. Rules convert to their internal units (seconds) in `init`.
public struct RuleParameter: Sendable, Equatable {
    /// What kind of value the key holds.
    public enum Kind: Sendable, Equatable {
        /// A finite real number.
        case number
        /// A whole number.
        case integer
    }

    /// The key in the scene's `[rule]` table (snake_case with a unit suffix, see the type doc).
    public let key: String
    /// The unit of the value as written in the scene file ("" when dimensionless).
    public let unit: String
    public let range: NumberRange
    public let defaultValue: Double
    public let kind: Kind
    /// One line: what the parameter does.
    public let summary: String

    public init(_ key: String, _ summary: String, unit: String = "", range: NumberRange, default defaultValue: Double,
                kind: Kind = .number) {
        self.key = key
        self.summary = summary
        self.unit = unit
        self.range = range
        self.defaultValue = defaultValue
        self.kind = kind
    }

    /// The range as the scene reader prints it: `(0, 10]`, or `[1, 1000]` for integers.
    public var rangeDescription: String { range.description }

    /// The default in the shortest exact form (`0.02`, `100`).
    public var defaultDescription: String { NumberFormat.shortest(defaultValue) }
}

/// The validated values of a rule's parameters: every key the rule declares, either given by the
/// scene or at its default. Rules read them by parameter (`values[Self.eta]`), never by string.
public struct RuleParameterValues: Sendable, Equatable {
    private var values: [String: Double]

    /// Every parameter at its default, overridden by `given` (keys outside `parameters` are ignored).
    public init(_ parameters: [RuleParameter], given: [String: Double] = [:]) {
        var v: [String: Double] = [:]
        for p in parameters { v[p.key] = given[p.key] ?? p.defaultValue }
        values = v
    }

    /// The value of `parameter` (its default when this set was built without it).
    public subscript(_ parameter: RuleParameter) -> Double {
        values[parameter.key] ?? parameter.defaultValue
    }

    /// The value as Float (the models' numeric type).
    public func float(_ parameter: RuleParameter) -> Float { Float(self[parameter]) }

    /// The value as an integer (integer parameters are validated as whole numbers).
    public func integer(_ parameter: RuleParameter) -> Int { Int(exactly: self[parameter].rounded()) ?? Int(parameter.defaultValue) }

    /// Returns a copy with `parameter` set to `value` (live controls, tests).
    public func setting(_ parameter: RuleParameter, to value: Double) -> RuleParameterValues {
        var copy = self
        copy.values[parameter.key] = value
        return copy
    }

    /// The keys held, sorted.
    public var keys: [String] { values.keys.sorted() }
}

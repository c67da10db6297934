/// A metric a model reports: its column name (snake_case, a contract once shipped), unit and
/// one-line meaning. Each model declares its metrics once; scene panels, `synaptop describe`
/// and the output files' columns all come from that declaration.
public struct MetricSpec: Sendable, Equatable {
    public let name: String
    /// Unit of the value ("" when dimensionless, "Hz", "mV", "nats", ...).
    public let unit: String
    /// One line: what the number measures.
    public let meaning: String
    /// NaN means "undefined at this state" (e.g. the cosine of a zero vector), drawn as a gap:
    /// it does not mark the run as diverged. Infinity still does.
    public let mayBeUndefined: Bool

    public init(_ name: String, unit: String = "", _ meaning: String, mayBeUndefined: Bool = false) {
        self.name = name
        self.unit = unit
        self.meaning = meaning
        self.mayBeUndefined = mayBeUndefined
    }
}

/// A panel view a model provides (`views()` key): its name and what it shows.
public struct ViewSpec: Sendable, Equatable {
    public let name: String
    public let meaning: String

    public init(_ name: String, _ meaning: String) {
        self.name = name
        self.meaning = meaning
    }
}

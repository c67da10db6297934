import SynCore
/// A named number shown beside a chart, e.g. ("PR", "3.2").
public struct Readout: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
    /// Formats `value` compactly (see `NumberFormat.compact`).
    public init(_ name: String, _ value: Double) {
        self.init(name, NumberFormat.compact(value))
    }
    var text: String { name + ": " + value }
}

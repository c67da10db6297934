/// A value range for an axis: computed from the data, or given.
public enum AxisRange: Sendable, Hashable {
    case auto
    case fixed(Double, Double)
}

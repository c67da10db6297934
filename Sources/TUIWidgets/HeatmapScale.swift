/// How a `Heatmap` maps values to colours. Limits always come from the caller: the widget never
/// rescales on its own, so colours mean the same thing from frame to frame.
public enum HeatmapScale: Sendable, Hashable {
    /// `lo` maps to the start of the theme's sequential map, `hi` to its end.
    case fixed(Double, Double)
    /// `-m...m` on the theme's diverging map, zero in the middle.
    case symmetric(Double)

    var bounds: (lo: Double, hi: Double) {
        switch self {
        case let .fixed(lo, hi): return (lo, hi)
        case let .symmetric(m): return (-abs(m), abs(m))
        }
    }
}

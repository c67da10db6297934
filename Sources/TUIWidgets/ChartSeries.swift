import TUICore

/// One series of a `LineChart`: points joined by lines, or a min/max envelope filled between
/// a lower and an upper curve.
public struct ChartSeries: Sendable, Hashable {
    /// How the series' data are drawn.
    public enum Shape: Sendable, Hashable {
        /// Points (xs[i], ys[i]) joined in order; non-finite values break the line.
        case line(xs: [Double], ys: [Double])
        /// At each x the span lower...upper is filled, interpolated between neighbouring xs.
        case envelope(xs: [Double], lower: [Double], upper: [Double])
    }

    public var name: String
    public var shape: Shape
    /// The theme's series colour for this index when nil.
    public var color: Color?

    public init(name: String, xs: [Double], ys: [Double], color: Color? = nil) {
        self.name = name
        shape = .line(xs: xs, ys: ys)
        self.color = color
    }

    public init(name: String, points: [(x: Double, y: Double)], color: Color? = nil) {
        self.init(name: name, xs: points.map(\.x), ys: points.map(\.y), color: color)
    }

    /// A series with y = values[i] at x = i (e.g. a loss per logged step).
    public init(name: String, values: [Double], color: Color? = nil) {
        self.init(name: name, xs: values.indices.map(Double.init), ys: values, color: color)
    }

    public static func envelope(name: String, xs: [Double], lower: [Double], upper: [Double],
                                color: Color? = nil) -> ChartSeries {
        var s = ChartSeries(name: name, xs: [], ys: [], color: color)
        s.shape = .envelope(xs: xs, lower: lower, upper: upper)
        return s
    }

    /// The x values.
    var xs: [Double] {
        switch shape {
        case let .line(xs, _), let .envelope(xs, _, _): return xs
        }
    }

    /// Every y value the series draws (both curves of an envelope).
    var allYs: [[Double]] {
        switch shape {
        case let .line(_, ys): return [ys]
        case let .envelope(_, lower, upper): return [lower, upper]
        }
    }
}

/// A labelled vertical line at `x` in a `LineChart` (e.g. where the plasticity rule was switched).
public struct ChartMarker: Sendable, Hashable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}

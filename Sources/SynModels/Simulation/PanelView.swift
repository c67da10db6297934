/// What a simulation shows in one dashboard panel: plain data, no terminal types.
/// The app maps each case to a widget.
public enum PanelView: Sendable, Equatable {
    /// Spikes of a population in a recent window of steps.
    case raster(RasterView)
    /// A matrix (weights) or a set of receptive-field tiles.
    case heatmap(HeatmapView)
    /// Sorted eigenvalues with metric readouts.
    case spectrum(SpectrumView)
    /// A histogram (e.g. of weights).
    case histogram(HistogramView)
    /// Short series (e.g. membrane traces) over a recent window.
    case traces(TracesView)
    /// Free text.
    case text(String)
}

/// Spikes in steps `fromStep..<toStep`; spike k is neuron `neurons[k]` at step `steps[k]`.
public struct RasterView: Sendable, Equatable {
    public var neuronCount: Int
    public var fromStep: Int
    public var toStep: Int
    /// Seconds per step (for the rate strip in Hz).
    public var dt: Double
    public var steps: [Int32]
    public var neurons: [Int32]
    /// Named index ranges (e.g. "E" 0..<3200, "I" 3200..<4000) drawn in different colours.
    public var groups: [NeuronGroupLabel]
    public init(neuronCount: Int, fromStep: Int, toStep: Int, dt: Double, steps: [Int32], neurons: [Int32],
                groups: [NeuronGroupLabel] = []) {
        self.neuronCount = neuronCount
        self.fromStep = fromStep
        self.toStep = toStep
        self.dt = dt
        self.steps = steps
        self.neurons = neurons
        self.groups = groups
    }
}

/// A named block of neurons (e.g. E and I) in a raster, labelled and coloured as a group.
public struct NeuronGroupLabel: Sendable, Equatable {
    public var name: String
    public var range: Range<Int>
    public init(name: String, range: Range<Int>) {
        self.name = name
        self.range = range
    }
}

/// A rows x cols matrix, row-major. With `tile` set, each row is one unit's incoming weights,
/// shown as a `tile.rows x tile.cols` image (receptive fields).
public struct HeatmapView: Sendable, Equatable {
    public var rows: Int
    public var cols: Int
    public var values: [Float]
    public var tile: TileShape?
    /// Colour limits: `.fixed(lo, hi)` or `.symmetric(m)` = [-m, m]. Never rescaled per frame
    /// by the widget; the simulation decides (and the widget shows the scale in a colour bar).
    public var scale: ColorScale
    public init(rows: Int, cols: Int, values: [Float], tile: TileShape? = nil, scale: ColorScale) {
        self.rows = rows
        self.cols = cols
        self.values = values
        self.tile = tile
        self.scale = scale
    }
}

/// Draws each heatmap row as a `rows` x `cols` image (receptive fields of image inputs).
public struct TileShape: Sendable, Equatable {
    public var rows: Int
    public var cols: Int
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }
}

/// How a heatmap maps values to colours.
public enum ColorScale: Sendable, Equatable {
    /// Values from lower to upper span the colour map (clamped outside).
    case fixed(Float, Float)
    /// A diverging map over [-limit, limit], 0 in the middle.
    case symmetric(Float)
}

/// Eigenvalues (any order; widgets sort) and named readouts such as ("PR", 3.2).
public struct SpectrumView: Sendable, Equatable {
    public var eigenvalues: [Double]
    public var readouts: [Factor]
    public init(eigenvalues: [Double], readouts: [Factor]) {
        self.eigenvalues = eigenvalues
        self.readouts = readouts
    }
}

/// Counts of values in equal bins over [lower, upper].
public struct HistogramView: Sendable, Equatable {
    public var counts: [Int]
    public var lower: Double
    public var upper: Double
    public var label: String
    public init(counts: [Int], lower: Double, upper: Double, label: String) {
        self.counts = counts
        self.lower = lower
        self.upper = upper
        self.label = label
    }

    /// Counts `values` in `bins` equal bins over [lower, upper]: values outside go to the end
    /// bins, non-finite values are left out. The one binning every simulation's histogram uses.
    public init<S: Sequence>(binning values: S, lower: Double, upper: Double, bins: Int = 20, label: String)
    where S.Element == Float {
        let n = max(1, bins)
        var counts = [Int](repeating: 0, count: n)
        let width = (upper - lower) / Double(n)
        if width > 0 {
            for x in values where x.isFinite {
                let b = ((Double(x) - lower) / width).rounded(.down)
                counts[b < 0 ? 0 : b >= Double(n - 1) ? n - 1 : Int(b)] += 1
            }
        }
        self.init(counts: counts, lower: lower, upper: upper, label: label)
    }
}

/// A few named series sampled every step over a recent window (e.g. membrane potentials), or,
/// with `xs`, curves in a plane (e.g. a phase plane: series k is the points (xs[k][i], series[k][i])).
/// Non-finite values break a line.
public struct TracesView: Sendable, Equatable {
    public var names: [String]
    public var series: [[Float]]
    public var unit: String
    /// The x value of every point, per series (nil: the sample index).
    public var xs: [[Float]]?
    /// Caption of the x axis (e.g. "V mV"); empty for the sample index.
    public var xLabel: String
    public init(names: [String], series: [[Float]], unit: String, xs: [[Float]]? = nil, xLabel: String = "") {
        self.names = names
        self.series = series
        self.unit = unit
        self.xs = xs
        self.xLabel = xLabel
    }
}

import TUICore
import TUIWidgets

/// Small widget instances shared by tests, with data simple enough to reason about.
enum Fixtures {
    static let chart = LineChart(
        series: [ChartSeries(name: "loss", values: [4, 3, 2, 1.5, 1.2, 1.0]),
                 .envelope(name: "band", xs: [0, 5], lower: [0.5, 0.5], upper: [1, 1])],
        markers: [ChartMarker(x: 2, label: "oja")])

    static let raster = Raster(neuronCount: 8, from: 0, to: 8, dt: 0.001,
                               steps: [0, 1, 2, 3, 7], neurons: [0, 1, 2, 7, 4],
                               groups: [RasterGroup(name: "E", range: 0..<6), RasterGroup(name: "I", range: 6..<8)])

    static let heatmap = Heatmap(rows: 2, cols: 4, values: [0, 0.5, 1, -1, 0.25, 0.75, 0, 1],
                                 tile: TileShape(rows: 2, cols: 2), scale: .symmetric(1))

    static let spectrum = SpectrumBars(eigenvalues: [100, 10, 1, 0.1, 0], readouts: [Readout("PR", 1.3)])

    static let keys = [KeyHint("q", "quit"), KeyHint("space", "pause"), KeyHint("?", "help")]

    /// Every widget, with a name for failure messages.
    static let all: [(String, any Widget)] = [
        ("Panel", Panel(title: "Raster", trailing: "t=1.2s", focused: true, content: raster)),
        ("LineChart", chart),
        ("LineChart log", LineChart(series: chart.series, logY: true)),
        ("Raster", raster),
        ("Heatmap", heatmap),
        ("Heatmap matrix", Heatmap(rows: 3, cols: 3, values: [Float](repeating: 0.5, count: 9), scale: .fixed(0, 1))),
        ("SpectrumBars", spectrum),
        ("SpectrumBars horizontal", SpectrumBars(eigenvalues: [3, 2, 1], orientation: .horizontal)),
        ("Histogram", Histogram(counts: [1, 4, 9, 4, 1], lower: -1, upper: 1, label: "w")),
        ("Sparkline", Sparkline(values: [1, 2, 3, 4, 3, 2, 1])),
        ("Gauge", Gauge(label: "acc", fraction: 0.5)),
        ("TextPanel", TextPanel("A short paragraph that wraps.\nAnd another one.")),
        ("StatusBar", StatusBar(left: [StatusSegment("running")], right: [StatusSegment("12 fps")])),
        ("KeyBar", KeyBar(keys)),
        ("HelpOverlay", HelpOverlay(hints: keys)),
        ("TooSmall", TooSmall(neededWidth: 80, neededHeight: 24)),
    ]
}

import ArgumentParser
import SynCore
import SynScenes
import SynSweep
import TerminalBackend
import TUICore
import TUIWidgets

/// What the band around each configuration's mean spans.
enum CompareBand: String, ExpressibleByArgument, CaseIterable {
    /// The lowest to the highest seed at each step.
    case minmax
    /// The 95% Student-t interval of the mean over seeds.
    case ci
    case none

    var next: CompareBand { Self.allCases[(Self.allCases.firstIndex(of: self).map { $0 + 1 } ?? 0) % Self.allCases.count] }

    var caption: String {
        switch self {
        case .minmax: "min-max band"
        case .ci: "95% CI band"
        case .none: "no band"
        }
    }
}

/// `synaptop compare SWEEP`: the configurations of a sweep overlaid in a dashboard-style chart.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Overlay a sweep's configurations: a metric over steps, one line per configuration (mean over seeds) and a band over seeds.",
        discussion: """
        Keys: m / right next metric, M / left previous metric, b band (min-max, 95% CI, none), c whose band \
        (each configuration in turn, then all), l log y axis, q quit. \
        --render WxH prints one frame as text instead (no terminal needed). The series are read from the \
        runs' metrics.csv files; only ok runs are drawn. See README, "Sweeps".
        """)

    @Argument(help: "The sweep's store directory (or its sweep file, for the default store sweeps/<name>).")
    var sweep: String

    @Option(name: .long, help: "The metric shown first (default: the first kept metric).")
    var metric: String?

    @Option(name: .long, help: "The band: minmax, ci or none.")
    var band: CompareBand = .minmax

    @Option(name: .customLong("where"), help: ArgumentHelp("Only runs with KEY=VALUE (repeatable), as for `synaptop runs`.", valueName: "key=value"))
    var filters: [String] = []

    @Option(name: .long, help: ArgumentHelp("Print one frame of this size as text and exit, e.g. 100x30.", valueName: "WxH"))
    var render: String?

    @Flag(name: .long, help: "Start with a log10 y axis (key l).")
    var log = false

    @Flag(name: .long, help: "ASCII glyphs only.")
    var ascii = false

    @Option(name: .long, help: "Colours: auto, truecolor, 256, 16 or none.")
    var colors: ColorRequest = .auto

    func validate() throws {
        if let render {
            guard let s = TerminalSize(parsing: render), s.width <= 1000, s.height <= 500 else {
                throw ValidationError("--render \(render): expected WIDTHxHEIGHT with 1...1000 columns and 1...500 rows, e.g. 100x30")
            }
        }
    }

    func run() throws {
        let store = try SweepStores.store(sweep)
        let runs: [IndexedRun]
        do { runs = try RunIndex(store).runs(where: try SweepStores.filters(filters)) } catch let e as SweepError { throw CLIError(e.description) }
        let series = SweepSeries(store: store, runs: runs)
        guard !series.metrics.isEmpty else {
            throw CLIError("\(store.dir): no finished ok runs to compare (`synaptop sweep status \(store.dir)` counts them)")
        }
        let first = try SweepStores.choose(metric.map { [$0] } ?? [], from: series.metrics).first ?? series.metrics[0]
        var view = CompareView(name: SceneLoader.baseName(store.dir), series: series,
                               metricIndex: series.metrics.firstIndex(of: first) ?? 0, band: band, logY: log)
        if let render, let size = TerminalSize(parsing: render) {
            print(view.frame(size: size, theme: ascii ? Theme.ascii : Theme.default).plainText)
            return
        }
        guard NcursesTerminal.isInteractive else {
            throw CLIError("compare needs an interactive terminal (stdin and stdout are not a TTY); use --render 100x30 for a text frame")
        }
        let terminal: NcursesTerminal
        do { terminal = try NcursesTerminal(colors: colors) } catch { throw CLIError(error.description) }
        defer { terminal.close() }
        let theme: Theme = ascii || !terminal.supportsUnicode ? .ascii : .default
        var previous = Buffer(width: 0, height: 0)
        var dirty = true
        var changes: [CellChange] = []
        while NcursesTerminal.pendingSignal == nil {
            if dirty {
                var frame = view.frame(size: terminal.size, theme: theme)
                frame.quantizeColors(to: terminal.colorMode)
                if frame.width != previous.width || frame.height != previous.height { terminal.invalidate() }
                frame.diff(from: previous, into: &changes)  // every cell after a resize
                terminal.draw(changes)
                terminal.flush()
                previous = frame
                dirty = false
            }
            guard let event = terminal.pollEvent(timeoutMilliseconds: 200) else { continue }
            switch event {
            case .key(.char("q")), .key(.escape): return
            case .resize: previous = Buffer(width: 0, height: 0); dirty = true
            default: dirty = view.handle(event)
            }
        }
        if let sig = NcursesTerminal.pendingSignal { throw ExitCode(128 + sig) }
    }
}

/// The state and drawing of `synaptop compare`: a status row, the chart (one mean line per
/// configuration over its band, in the configuration's colour) with its legend, and the keys.
struct CompareView {
    var name: String
    var series: SweepSeries
    var metricIndex: Int
    var band: CompareBand
    /// The configuration whose band is drawn (nil: every configuration's).
    var bandOf: Int? = 0
    /// A log10 y axis (non-positive values are not drawn).
    var logY = false

    var metric: String { series.metrics[metricIndex] }

    /// Applies a key; true when the frame changed.
    mutating func handle(_ event: InputEvent) -> Bool {
        let n = series.metrics.count
        switch event {
        case .key(.char("m")), .key(.right), .key(.tab): metricIndex = (metricIndex + 1) % n
        case .key(.char("M")), .key(.left), .key(.backTab): metricIndex = (metricIndex + n - 1) % n
        case .key(.char("b")): band = band.next
        case .key(.char("l")): logY.toggle()
        case .key(.char("c")):
            let k = series.groups.count
            bandOf = bandOf.map { $0 + 1 < k ? $0 + 1 : nil } ?? 0
        default: return false
        }
        return true
    }

    /// One frame of `size`.
    func frame(size: TerminalSize, theme: Theme) -> Buffer {
        var buffer = Buffer(width: size.width, height: size.height, fill: theme.blank)
        let area = buffer.area
        let (top, rest) = area.splitTop(1)
        let (body, keys) = rest.height >= 2 ? rest.splitBottom(1) : (rest, Rect.zero)
        let lines = series.series(metric)
        let seeds = lines.map(\.seeds)
        let seedText = seeds.min() == seeds.max() ? "\(seeds.first ?? 0) seeds" : "\(seeds.min() ?? 0)-\(seeds.max() ?? 0) seeds"
        StatusBar(left: [StatusSegment("compare \(name)", tone: .normal, priority: StatusSegment.essential),
                         StatusSegment("\(lines.count) configurations x \(seedText)", priority: 2),
                         StatusSegment(band == .none ? band.caption : band.caption + " of " + bandOwner(lines), priority: 1)],
                  right: [StatusSegment("\(metric) (\(metricIndex + 1)/\(series.metrics.count))", priority: StatusSegment.essential)])
            .render(in: top, buffer: &buffer, theme: theme)
        Panel(title: metric + " over steps, mean over seeds").render(in: body, buffer: &buffer, theme: theme)
        let inner = Panel.innerArea(of: body)
        if lines.count > 1 && inner.height >= 6 {
            let (legendRow, chartArea) = inner.splitTop(1)
            drawLegend(lines, row: legendRow, theme: theme, buffer: &buffer)
            chart(lines, theme: theme, legend: false).render(in: chartArea, buffer: &buffer, theme: theme)
        } else {
            chart(lines, theme: theme, legend: true).render(in: inner, buffer: &buffer, theme: theme)
        }
        KeyBar([KeyHint("m/M", "metric"), KeyHint("b", "band"), KeyHint("c", "band of"), KeyHint("l", "log y"), KeyHint("q", "quit")]).render(in: keys, buffer: &buffer, theme: theme)
        return buffer
    }

    /// The band's edges first, as sparse dots in a faded colour (the pattern of every fourth
    /// series: empty series pad the list), then the mean lines in the patterns of series
    /// 0, 1, 2, ... (what the legend shows), drawn last so they stay on top. Edges rather than a
    /// filled area keep the lines readable without colour.
    func chart(_ lines: [ConfigSeries], theme: Theme, legend: Bool) -> LineChart {
        var all: [ChartSeries] = []
        func append(_ s: ChartSeries, pattern: Int) {
            while all.count % 4 != pattern { all.append(ChartSeries(name: "", xs: [], ys: [])) }
            all.append(s)
        }
        if band != .none {
            for (i, s) in lines.enumerated() where bandOf == nil || bandOf == i {
                let (lo, hi) = band == .ci ? (s.lower, s.upper) : (s.min, s.max)
                let faded = theme.faded(theme.seriesColor(i))
                append(ChartSeries(name: "", xs: s.steps, ys: lo, color: faded), pattern: 3)
                append(ChartSeries(name: "", xs: s.steps, ys: hi, color: faded), pattern: 3)
            }
            while all.count % 4 != 0 { all.append(ChartSeries(name: "", xs: [], ys: [])) }
        }
        for (i, s) in lines.enumerated() {
            all.append(ChartSeries(name: s.label, xs: s.steps, ys: s.mean, color: theme.seriesColor(i)))
        }
        return LineChart(series: all, logY: logY, showLegend: legend && band == .none, xLabel: "step")
    }

    /// Whose band is drawn: a configuration's label or "every configuration".
    func bandOwner(_ lines: [ConfigSeries]) -> String {
        guard let i = bandOf else { return "every configuration" }
        return i < lines.count ? lines[i].label : "none"
    }

    /// The legend row as `LineChart` draws it for the lines alone (swatches in each line's colour
    /// and dot pattern), copied from a chart of the lines rendered off screen.
    func drawLegend(_ lines: [ConfigSeries], row: Rect, theme: Theme, buffer: inout Buffer) {
        let onlyLines = lines.enumerated().map { i, s in ChartSeries(name: s.label, xs: s.steps, ys: s.mean, color: theme.seriesColor(i)) }
        var scratch = Buffer(width: row.width, height: 8, fill: theme.blank)
        LineChart(series: onlyLines, showLegend: true).render(in: scratch.area, buffer: &scratch, theme: theme)
        for x in 0..<row.width { buffer.set(x: row.x + x, y: row.y, cell: scratch[x, 0]) }
    }
}

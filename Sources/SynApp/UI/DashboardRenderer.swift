import TUICore
import SynCore
import SynModels
import SynScenes
import TerminalBackend
import TUIWidgets

/// Scene facts and frame timing the renderer shows besides the snapshot.
public struct FrameContext: Sendable {
    public var sceneName: String
    public var title: String
    public var description: String
    /// Time to build and write the previous frame (nil when unknown, e.g. in `render`).
    public var frameMilliseconds: Double?

    public init(sceneName: String, title: String, description: String, frameMilliseconds: Double? = nil) {
        self.sceneName = sceneName
        self.title = title
        self.description = description
        self.frameMilliseconds = frameMilliseconds
    }
}

/// Builds one whole dashboard frame into a buffer from the UI state and snapshots. Pure: the
/// same inputs give the same cells (golden tests rely on it).
public enum DashboardRenderer {
    /// Draws the frame. `live` feeds the status bar; `shown` feeds the panels (it differs from
    /// `live` while the view is frozen).
    public static func render(state: AppState, live: Snapshot, shown: Snapshot, context: FrameContext, theme: Theme,
                              into buffer: inout Buffer) {
        buffer.clear(to: theme.blank)
        let layout = state.layout
        guard layout.fits else {
            buffer.render(TooSmall(neededWidth: DashboardLayout.minimumSize.width,
                                   neededHeight: DashboardLayout.minimumSize.height),
                          in: layout.screen, theme: theme)
            return
        }
        buffer.render(statusBar(state: state, live: live, context: context), in: layout.statusBar, theme: theme)
        for (i, spec) in state.panels.enumerated() where !layout.panels[i].isEmpty {
            let panel = Panel(title: spec.title, trailing: trailing(spec, shown, frozen: state.frozen),
                              focused: i == state.focus,
                              content: content(spec, snapshot: shown, live: live, context: context,
                                               width: Panel.innerArea(of: layout.panels[i]).width,
                                               scroll: state.teachingScroll))
            buffer.render(panel, in: layout.panels[i], theme: theme)
        }
        let hints = KeyBindings.bar.filter { $0.key != "[ ]" || !live.controls.isEmpty }.map { KeyHint($0.key, $0.label) }
        buffer.render(KeyBar(hints), in: layout.keyBar, theme: theme)
        if state.showHelp {
            buffer.render(HelpOverlay(title: "Keys", hints: KeyBindings.help.map { KeyHint($0.keys, $0.action) }),
                          in: layout.body, theme: theme)
        }
    }

    // MARK: - Status bar

    static func statusBar(state: AppState, live: Snapshot, context: FrameContext) -> StatusBar {
        var left = [StatusSegment(context.sceneName, tone: .accent),
                    StatusSegment("rule " + live.ruleName),
                    StatusSegment("step " + String(live.step))]
        if live.dt > 0 { left.append(StatusSegment("t " + NumberFormat.duration(live.time))) }
        left.append(StatusSegment("seed " + String(live.seed), tone: .dim))
        var right: [StatusSegment] = []
        let rate = live.stepsPerSecond > 0 ? NumberFormat.compact(live.stepsPerSecond) : "-"
        right.append(StatusSegment(rate + " steps/s (" + live.speed.description + ")"))
        if live.dt > 0 && live.stepsPerSecond > 0 {
            // Simulated seconds per wall-clock second: below 1 is slow motion.
            right.append(StatusSegment(NumberFormat.compact(live.stepsPerSecond * live.dt) + "x real time", tone: .dim))
        }
        right.append(StatusSegment("frame " + (context.frameMilliseconds.map { NumberFormat.fixed($0, 1) } ?? "-") + " ms", tone: .dim))
        if live.divergence != nil { right.append(StatusSegment("DIVERGED", tone: .warning)) }
        if state.frozen { right.append(StatusSegment("FROZEN", tone: .accent)) }
        right.append(live.paused ? StatusSegment("PAUSED", tone: .warning) : StatusSegment("running"))
        return StatusBar(left: left, right: right)
    }

    // MARK: - Panels

    /// Short text in a panel's top border: latest values for charts.
    static func trailing(_ spec: PanelSpec, _ s: Snapshot, frozen: Bool) -> String {
        var parts: [String] = []
        if case .chart(let metrics, _, _) = spec.content, let latest = s.history.latest {
            for m in metrics {
                guard let j = s.metricNames.firstIndex(of: m), j < latest.count else { continue }
                parts.append(metrics.count == 1 ? NumberFormat.value(latest[j]) : m + " " + NumberFormat.value(latest[j]))
            }
        }
        if case .view(let name) = spec.content, case .traces(let t)? = s.views[name], !t.unit.isEmpty {
            parts.append(t.unit)
        }
        if frozen { parts.append("frozen") }
        return parts.joined(separator: "  ")
    }

    /// The widget inside a panel `width` cells wide.
    static func content(_ spec: PanelSpec, snapshot s: Snapshot, live: Snapshot, context: FrameContext,
                        width: Int, scroll: Int = 0) -> any Widget {
        switch spec.content {
        case .chart(let metrics, let logY, let range):
            // Braille gives two dots per cell across: that many points at most.
            return chart(metrics: metrics, logY: logY, range: range, snapshot: s, maxPoints: max(2, 2 * width))
        case .sparklines(let metrics):
            return Sparklines(rows: metrics.compactMap { m in
                guard let j = s.metricNames.firstIndex(of: m) else { return nil }
                return (m, s.history.recent(metric: j, count: 512))
            })
        case .teaching:
            return TeachingText(paragraphs: teaching(s, context: context), scroll: scroll)
        case .view(let name):
            guard let view = s.views[name] else { return TextPanel("(no data for view \"\(name)\" yet)", tone: .dim) }
            return widget(for: view)
        }
    }

    static func chart(metrics: [String], logY: Bool, range: ClosedRange<Double>?, snapshot s: Snapshot,
                      maxPoints: Int) -> LineChart {
        var series: [ChartSeries] = []
        for m in metrics {
            guard let j = s.metricNames.firstIndex(of: m) else { continue }
            let pts = s.history.points(metric: j, maxCount: maxPoints)
            series.append(ChartSeries(name: m, xs: pts.map(\.x), ys: pts.map(\.yMean)))
        }
        let first = Double(s.history.firstStep ?? 0)
        let last = Double(max(s.history.latestStep ?? 0, s.step))
        let markers = s.switches.map { ChartMarker(x: Double($0.step), label: $0.rule) }
        return LineChart(series: series, yRange: range.map { .fixed($0.lowerBound, $0.upperBound) } ?? .auto,
                         xRange: .fixed(first, max(last, first + 1)), logY: logY, markers: markers,
                         showLegend: metrics.count > 1, xLabel: "step")
    }

    /// Maps a simulation's panel view to its widget.
    public static func widget(for view: PanelView) -> any Widget {
        switch view {
        case .raster(let r):
            return Raster(neuronCount: r.neuronCount, from: r.fromStep, to: r.toStep, dt: r.dt, steps: r.steps,
                          neurons: r.neurons, groups: r.groups.map { RasterGroup(name: $0.name, range: $0.range) })
        case .heatmap(let h):
            let scale: HeatmapScale
            switch h.scale {
            case .fixed(let lo, let hi): scale = .fixed(Double(lo), Double(hi))
            case .symmetric(let m): scale = .symmetric(Double(m))
            }
            return Heatmap(rows: h.rows, cols: h.cols, values: h.values,
                           tile: h.tile.map { TUIWidgets.TileShape(rows: $0.rows, cols: $0.cols) }, scale: scale)
        case .spectrum(let sp):
            return SpectrumBars(eigenvalues: sp.eigenvalues, readouts: sp.readouts.map { Readout($0.name, $0.value) })
        case .histogram(let h):
            return Histogram(counts: h.counts, lower: h.lower, upper: h.upper, label: h.label)
        case .traces(let t):
            // x is the sample index in the recent window; the unit of the values is shown in
            // the panel's border.
            return LineChart(series: zip(t.names, t.series).map { ChartSeries(name: $0, values: $1.map(Double.init)) },
                             showLegend: t.names.count > 1)
        case .text(let text):
            return TextPanel(text)
        }
    }

    /// The teaching panel: description, active rule and equation, live probe when paused,
    /// controls, and warnings.
    static func teaching(_ s: Snapshot, context: FrameContext) -> [(String, Tone)] {
        var out: [(String, Tone)] = []
        let others = s.ruleNames.count > 1 ? "   (r/R switch: " + s.ruleNames.joined(separator: ", ") + ")" : ""
        out.append(("Rule " + s.ruleName + others, .accent))
        if !s.ruleEquation.isEmpty { out.append((s.ruleEquation, .normal)) }
        if let bad = s.divergence {
            out.append(("Diverged: " + bad + " is not finite. Press 0 to reset (s: with a new seed).", .warning))
        }
        if !s.probe.isEmpty {
            if s.paused {
                out.append(("Probed synapse at step " + String(s.viewsStep) + ":", .accent))
                for f in s.probe { out.append(("  " + f.name + " = " + NumberFormat.value(f.value), .normal)) }
            } else {
                out.append(("Pause (space) to see the update's factors at one synapse.", .dim))
            }
        }
        for (i, c) in s.controls.enumerated() {
            let keys = i == 0 ? "   ([ ] adjust)" : ""
            out.append(("Control " + c.name + " = " + NumberFormat.compact(c.value) + " in [" + NumberFormat.compact(c.range.lowerBound)
                        + ", " + NumberFormat.compact(c.range.upperBound) + "]" + keys, i == 0 ? .accent : .normal))
        }
        if !context.description.isEmpty { out.append((context.description, .normal)) }
        if let m = s.message { out.append((m, .warning)) }
        return out
    }
}

/// Paragraphs of wrapped text, each in its own tone (a paragraph may be one line), scrolled
/// down by `scroll` lines (clamped so the last line can reach the bottom). An ellipsis in the
/// top-right or bottom-right corner says there is more above or below.
struct TeachingText: Widget {
    var paragraphs: [(String, Tone)]
    var scroll = 0

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        var lines: [(String, Tone)] = []
        for (text, tone) in paragraphs {
            // Keep leading indentation of indented lines (probe factors).
            let indent = text.prefix { $0 == " " }
            for l in TextPanel(String(text.dropFirst(indent.count))).wrappedLines(width: max(1, area.width - indent.count)) {
                lines.append((String(indent) + l, tone))
            }
        }
        let first = min(max(0, scroll), max(0, lines.count - area.height))
        for (i, (line, tone)) in lines.dropFirst(first).prefix(area.height).enumerated() {
            buffer.write(line, x: area.x, y: area.y + i, style: tone.style(in: theme), clip: area)
        }
        if first > 0 {
            buffer.set(x: area.maxX - 1, y: area.y, symbol: theme.glyphs.ellipsis, style: theme.dimText)
        }
        if first + area.height < lines.count {
            buffer.set(x: area.maxX - 1, y: area.maxY - 1, symbol: theme.glyphs.ellipsis, style: theme.dimText)
        }
    }
}

/// One labelled sparkline per metric: name and latest value on the left, history to the right.
struct Sparklines: Widget {
    var rows: [(String, [Double])]

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty, !rows.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let parts = area.rows(rows.map { _ in .weight(1) })
        let labelWidth = min(area.width / 2, (rows.map { $0.0.count }.max() ?? 0) + 9)
        for (i, (name, values)) in rows.enumerated() where i < parts.count && !parts[i].isEmpty {
            let (label, line) = parts[i].splitLeft(labelWidth)
            let latest = values.last.map(NumberFormat.value) ?? "-"
            // Name and value on one line when they fit, else the value on the next line.
            let oneLine = name.count + 1 + latest.count <= label.width - 1 || label.height < 2
            buffer.write(name, x: label.x, y: label.y, style: theme.dimText, clip: label)
            let vy = oneLine ? label.y : label.y + 1
            buffer.write(latest, x: label.maxX - 1 - latest.count, y: vy, style: theme.text, clip: label)
            buffer.render(Sparkline(values: values, color: theme.seriesColor(i)), in: line, theme: theme)
        }
    }
}

extension Buffer {
    /// Maps every cell's colours to what a terminal in `mode` shows, so that diffs skip cells
    /// whose visible colour did not change (e.g. a weight that moved slightly on a 256-colour
    /// terminal). A no-op for truecolor.
    mutating func quantizeColors(to mode: ColorMode) {
        guard mode != .truecolor else { return }
        for y in 0..<height {
            for x in 0..<width {
                var c = self[x, y]
                let fg = c.fg.quantized(to: mode), bg = c.bg.quantized(to: mode)
                if fg != c.fg || bg != c.bg {
                    c.fg = fg
                    c.bg = bg
                    set(x: x, y: y, cell: c)
                }
            }
        }
    }
}

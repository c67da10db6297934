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
    /// The current guided-tour stop's paragraph (first in the teaching panel), if a tour runs.
    public var tour: String?
    /// The scene's metrics interval in steps (sizes the charts' last-N window, `w`).
    public var metricsEvery: Int
    /// The other lanes of a rule race (`--race`, `:race`): overlaid on every chart, shown beside
    /// the run's own views. Empty when not racing.
    public var race: [RunLanes.Lane] = []
    /// The other lanes of a seed ensemble (`--ensemble`, `:ensemble`): with the run, their spread
    /// is drawn as a band and their mean as a line on every chart. Empty when none runs.
    public var ensemble: [RunLanes.Lane] = []

    public init(sceneName: String, title: String, description: String, frameMilliseconds: Double? = nil,
                metricsEvery: Int = 100) {
        self.sceneName = sceneName
        self.title = title
        self.description = description
        self.frameMilliseconds = frameMilliseconds
        self.metricsEvery = metricsEvery
    }

    /// Shows `lanes` as a race or as an ensemble, by their kind (nil: neither).
    public mutating func setLanes(_ lanes: RunLanes?) {
        race = []
        ensemble = []
        guard let lanes else { return }
        switch lanes.kind {
        case .rules: race = lanes.lanes
        case .seeds: ensemble = lanes.lanes
        }
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
        let ascii = !theme.glyphs.usesBraille
        func text(_ s: String) -> String { ascii ? ASCIIText.transliterate(s) : s }
        buffer.render(statusBar(state: state, live: live, context: context), in: layout.statusBar, theme: theme)
        let window = state.view.window ? ViewLogic.windowSteps(metricsEvery: context.metricsEvery) : nil
        for (i, spec) in state.panels.enumerated() where !layout.panels[i].isEmpty {
            var title = spec.title
            if let window, case .chart = spec.content { title += " (last " + NumberFormat.compact(Double(window)) + ")" }
            let panel = Panel(title: text(title), trailing: text(trailing(spec, shown, frozen: state.frozen)),
                              focused: i == state.focus,
                              content: content(spec, snapshot: shown, live: live, context: context,
                                               width: Panel.innerArea(of: layout.panels[i]).width,
                                               scroll: state.teachingScroll, selectedControl: state.selectedControl,
                                               ascii: ascii, page: state.view.pages[i] ?? 0, window: window,
                                               cursorX: state.view.cursor?.panel == i ? state.view.cursor?.x : nil, theme: theme))
            buffer.render(panel, in: layout.panels[i], theme: theme)
        }
        if let prompt = state.prompt {
            buffer.render(PromptLine(prompt: prompt), in: layout.keyBar, theme: theme)
        } else if state.timelineOpen {
            buffer.render(TimelineLine(facts: state.timeline), in: layout.keyBar, theme: theme)
        } else {
            buffer.render(KeyBar(keyHints(live)), in: layout.keyBar, theme: theme)
        }
        if state.showHelp {
            buffer.render(HelpOverlay(title: "Keys", hints: helpRows(live).map { KeyHint($0.key, text($0.action)) },
                                      scroll: state.helpScroll),
                          in: layout.body, theme: theme)
        }
        if let picker = state.picker {
            buffer.render(PickerOverlay(picker: picker), in: layout.body, theme: theme)
        }
        if ascii { buffer.makeASCII() }
    }

    /// The key bar's hints for a snapshot (control keys only when the scene has controls).
    static func keyHints(_ live: Snapshot) -> [KeyHint] {
        KeyBindings.bar.filter { ($0.key != "[ ]" && $0.key != "{ }") || !live.controls.isEmpty }
            .filter { $0.key != "{ }" || live.controls.count > 1 }
            .map { KeyHint($0.key, $0.label) }
    }

    /// The help overlay's rows: every key, then the scene's rules and live controls.
    static func helpRows(_ live: Snapshot) -> [(key: String, action: String)] {
        var rows = KeyBindings.help.map { (key: $0.keys, action: $0.action) }
        rows.append(("", ""))
        rows.append(("", "This scene"))
        for (i, r) in live.ruleNames.enumerated() {
            rows.append((i == 0 ? "rules" : "", r + (i == live.activeRule ? " (active)" : "")))
        }
        if live.controls.isEmpty { rows.append(("controls", "(none)")) }
        for (i, c) in live.controls.enumerated() {
            rows.append((i == 0 ? "controls" : "", controlLine(c)))
        }
        return rows
    }

    /// The largest useful scrolls of the teaching panel and the help overlay for this frame
    /// (the app stores them in the state so scrolling stops at the ends).
    public static func scrollLimits(state: AppState, shown: Snapshot, live: Snapshot, context: FrameContext,
                                    theme: Theme) -> (teaching: Int, help: Int) {
        let layout = state.layout
        guard layout.fits else { return (0, 0) }
        var teachingLimit = 0
        for (i, spec) in state.panels.enumerated() where spec.content == .teaching && !layout.panels[i].isEmpty {
            let area = Panel.innerArea(of: layout.panels[i])
            let t = TeachingText(paragraphs: teaching(shown, context: context, selectedControl: state.selectedControl,
                                                      ascii: !theme.glyphs.usesBraille, width: area.width))
            teachingLimit = max(teachingLimit, t.lines(width: area.width).count - area.height)
        }
        let help = HelpOverlay.scrollLimit(hintCount: helpRows(live).count, in: layout.body)
        return (max(0, teachingLimit), help)
    }

    /// Where the frame has clickable things: key bar hints (as their key), the live controls
    /// of the teaching panel (select one) and the rule names in its first line (switch to it).
    /// The app computes them when a click arrives (`ViewLogic.click` uses them).
    public static func clickTargets(state: AppState, shown: Snapshot, live: Snapshot, context: FrameContext,
                                    theme: Theme) -> [ClickTarget] {
        let layout = state.layout
        guard layout.fits, !state.showHelp, state.picker == nil else { return [] }
        var targets: [ClickTarget] = []
        if state.prompt == nil && state.timelineOpen {
            targets += TimelineLogic.clickTargets(state.timeline, row: layout.keyBar.splitTop(1).top)
        } else if state.prompt == nil {
            var x = layout.keyBar.x
            for (i, hint) in keyHints(live).enumerated() {
                let gap = i > 0 ? 2 : 0
                let width = hint.key.count + 1 + hint.action.count
                guard x + gap + width <= layout.keyBar.maxX else { break }
                x += gap
                if let k = ViewLogic.key(forHint: hint.key) {
                    targets.append(ClickTarget(x: x, y: layout.keyBar.y, width: width, action: .key(k)))
                }
                x += width
            }
        }
        let ascii = !theme.glyphs.usesBraille
        for (i, spec) in state.panels.enumerated() where spec.content == .teaching && !layout.panels[i].isEmpty {
            let area = Panel.innerArea(of: layout.panels[i])
            let paragraphs = teaching(shown, context: context, selectedControl: state.selectedControl, ascii: ascii,
                                      width: area.width)
            let text = TeachingText(paragraphs: paragraphs, scroll: state.teachingScroll)
            let lines = text.taggedLines(width: area.width)
            let first = text.firstLine(lineCount: lines.count, height: area.height)
            let controlsHeader = paragraphs.firstIndex { $0.0.hasPrefix("Controls (") }
            for (row, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
                let y = area.y + row
                if let h = controlsHeader, line.paragraph > h, line.paragraph - h - 1 < shown.controls.count {
                    targets.append(ClickTarget(x: area.x, y: y, width: min(area.width, line.text.count),
                                               action: .selectControl(line.paragraph - h - 1)))
                } else if line.paragraph == 0, shown.ruleNames.count > 1 {
                    targets += ruleTargets(in: line.text, names: shown.ruleNames, x: area.x, y: y)
                }
            }
        }
        return targets
    }

    /// Click targets on each whole-word occurrence of a rule name in the rule line's list
    /// (after "switch:"), or on the active rule's name after "Rule ".
    static func ruleTargets(in line: String, names: [String], x: Int, y: Int) -> [ClickTarget] {
        let chars = Array(line)
        var out: [ClickTarget] = []
        func boundary(_ i: Int) -> Bool { i < 0 || i >= chars.count || " ,:()".contains(chars[i]) }
        for name in names.sorted(by: { $0.count > $1.count }) {
            let n = Array(name)
            guard !n.isEmpty, n.count <= chars.count else { continue }
            for start in 0...(chars.count - n.count) where Array(chars[start..<start + n.count]) == n {
                guard boundary(start - 1), boundary(start + n.count),
                      !out.contains(where: { $0.x <= x + start && x + start < $0.x + $0.width }) else { continue }
                out.append(ClickTarget(x: x + start, y: y, width: n.count, action: .selectRule(name)))
            }
        }
        return out
    }

    // MARK: - Status bar

    static func statusBar(state: AppState, live: Snapshot, context: FrameContext) -> StatusBar {
        let essential = StatusSegment.essential
        var left = [StatusSegment(context.sceneName, tone: .accent, priority: essential)]
        if let n = state.notice {
            left.append(StatusSegment(n.text, tone: n.isError ? .warning : .accent, priority: essential))
        }
        left.append(StatusSegment("rule " + live.ruleName, priority: 40))
        left.append(StatusSegment("step " + String(live.step), priority: 45))
        if live.dt > 0 {
            let t = live.paused ? preciseTime(live.time, dt: live.dt) : NumberFormat.duration(live.time)
            left.append(StatusSegment("t " + t, priority: t.count <= 8 ? 30 : 5))
        }
        left.append(StatusSegment("seed " + String(live.seed), tone: .dim, priority: 2))
        if live.rewindDepth > 0 {
            // How far back `b` / `B` can go.
            left.append(StatusSegment("⟲ " + NumberFormat.compact(Double(live.rewindDepth)) + " steps", tone: .dim, priority: 3))
        }
        var right: [StatusSegment] = []
        // While paused the measured rate says nothing: show "-".
        let rate = live.stepsPerSecond > 0 && !live.paused ? NumberFormat.compact(live.stepsPerSecond) : "-"
        right.append(StatusSegment(rate + " steps/s (" + live.speed.description + ")", priority: essential))
        if live.dt > 0 && live.stepsPerSecond > 0 && !live.paused {
            // Simulated seconds per wall-clock second: below 1 is slow motion.
            right.append(StatusSegment(NumberFormat.compact(live.stepsPerSecond * live.dt) + "x real time", tone: .dim,
                                       priority: 10))
        }
        right.append(StatusSegment("frame " + (context.frameMilliseconds.map { NumberFormat.fixed($0, 1) } ?? "-") + " ms",
                                   tone: .dim, priority: 1))
        if live.divergence != nil { right.append(StatusSegment("DIVERGED", tone: .warning, priority: essential)) }
        if state.frozen { right.append(StatusSegment("FROZEN", tone: .accent, priority: essential)) }
        if let end = live.endedAt, live.paused {
            right.append(StatusSegment("ended at steps \(end) (space continues)", tone: .warning, priority: essential))
        } else {
            right.append(live.paused ? StatusSegment("PAUSED", tone: .warning, priority: essential)
                                     : StatusSegment("running", priority: essential))
        }
        return StatusBar(left: left, right: right)
    }

    /// Simulated time to the resolution of one step (while paused, so stepping shows it move):
    /// "1.0003 s", "850.3 ms"; minutes as `NumberFormat.duration`.
    static func preciseTime(_ t: Double, dt: Double) -> String {
        guard t.isFinite, dt > 0, t < 120 else { return NumberFormat.duration(t) }
        let unit = t < 1 ? 1000.0 : 1
        var digits = 0
        var step = dt * unit
        while step < 0.999_999 && digits < 6 {
            step *= 10
            digits += 1
        }
        return NumberFormat.fixed(t * unit, digits) + (t < 1 ? " ms" : " s")
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
                        width: Int, scroll: Int = 0, selectedControl: Int = 0, ascii: Bool = false, page: Int = 0,
                        window: Int? = nil, cursorX: Int? = nil, theme: Theme = .default) -> any Widget {
        switch spec.content {
        case .chart(let metrics, let logY, let range):
            // Braille gives two dots per cell across: that many points at most.
            var c = chart(metrics: metrics, logY: logY, range: range, snapshot: s, maxPoints: max(2, 2 * width),
                          window: window, race: context.race, ensemble: context.ensemble, theme: theme)
            c.cursorX = cursorX
            return c
        case .sparklines(let metrics):
            return Sparklines(rows: metrics.compactMap { m in
                guard let j = s.metricNames.firstIndex(of: m) else { return nil }
                return (m, s.history.recent(metric: j, count: 512))
            })
        case .teaching:
            return TeachingText(paragraphs: teaching(s, context: context, selectedControl: selectedControl, ascii: ascii,
                                                     width: width),
                                scroll: scroll)
        case .view(let name):
            guard let view = s.views[name] else { return TextPanel("(no data for view \"\(name)\" yet)", tone: .dim) }
            guard !context.race.isEmpty else { return widget(for: view, page: page) }
            // Racing: the run's view and each lane's, side by side, each under its rule.
            return SideBySide(columns: [(s.ruleName, widget(for: view, page: page))] + context.race.map { lane in
                (lane.rule, lane.views[name].map { widget(for: $0, page: page) } ?? TextPanel("(no data yet)", tone: .dim))
            })
        }
    }

    /// A chart of `metrics` over the whole run, or with `window` over its last `window` steps
    /// (the raw rows measured there, averaged in buckets down to `maxPoints`). A race adds one
    /// line per lane; an ensemble adds, per metric, the band over seeds (its edges as faded
    /// sparse dots) and the mean over seeds (dashed) under the run's own line.
    static func chart(metrics: [String], logY: Bool, range: ClosedRange<Double>?, snapshot s: Snapshot,
                      maxPoints: Int, window: Int? = nil, race: [RunLanes.Lane] = [],
                      ensemble: [RunLanes.Lane] = [], theme: Theme = .default) -> LineChart {
        var series: [ChartSeries] = []
        let last = Double(max(s.history.latestStep ?? 0, s.step))
        var first = Double(s.history.firstStep ?? 0)
        if let window { first = max(first, last - Double(window)) }
        func points(_ history: MetricHistory, _ j: Int) -> (xs: [Double], ys: [Double]) {
            if window != nil {
                return bucketMeans(history.recentPoints(metric: j, count: history.levelCapacity).filter { $0.x >= first },
                                   maxPoints: maxPoints)
            }
            let pts = history.points(metric: j, maxCount: maxPoints)
            return (pts.map(\.x), pts.map(\.yMean))
        }
        let markers = s.switches.map { ChartMarker(x: Double($0.step), label: $0.rule) }
            + s.simEvents.map { ChartMarker(x: Double($0.step), label: $0.label) }
        let yRange: AxisRange = range.map { .fixed($0.lowerBound, $0.upperBound) } ?? .auto
        let xRange: AxisRange = .fixed(first, max(last, first + 1))
        if !ensemble.isEmpty {
            // Per metric k, in series colour k: band edges at pattern 3 (sparse), the mean at
            // pattern 1 (dashed), the run at pattern 0 (solid); empty series pad the patterns.
            func append(_ c: ChartSeries, pattern: Int) {
                while series.count % 4 != pattern { series.append(ChartSeries(name: "", xs: [], ys: [])) }
                series.append(c)
            }
            for (k, m) in metrics.enumerated() {
                guard let j = s.metricNames.firstIndex(of: m) else { continue }
                let run = points(s.history, j)
                let band = EnsembleBand(xs: run.xs, run: run.ys, lanes: ensemble.map { points($0.history, j) })
                let colour = theme.seriesColor(k)
                let label = metrics.count > 1 ? m + " " : ""
                append(ChartSeries(name: "", xs: run.xs, ys: band.lower, color: theme.faded(colour)), pattern: 3)
                append(ChartSeries(name: "", xs: run.xs, ys: band.upper, color: theme.faded(colour)), pattern: 3)
                append(ChartSeries(name: label + "mean of \(ensemble.count + 1) seeds", xs: run.xs, ys: band.mean, color: colour),
                       pattern: 1)
                append(ChartSeries(name: label + "seed \(s.seed)", xs: run.xs, ys: run.ys, color: colour), pattern: 0)
            }
            return LineChart(series: series, yRange: yRange, xRange: xRange, logY: logY, markers: markers, showLegend: true,
                             xLabel: "step")
        }
        // Racing: the run's series, then each lane's, named by rule.
        let sources = [(history: s.history, rule: s.ruleName)] + race.map { (history: $0.history, rule: $0.rule) }
        for (history, rule) in sources {
            for m in metrics {
                guard let j = s.metricNames.firstIndex(of: m) else { continue }
                let name = race.isEmpty ? m : metrics.count > 1 ? m + " " + rule : rule
                let p = points(history, j)
                series.append(ChartSeries(name: name, xs: p.xs, ys: p.ys))
            }
        }
        return LineChart(series: series, yRange: yRange, xRange: xRange, logY: logY, markers: markers,
                         showLegend: metrics.count > 1 || !race.isEmpty, xLabel: "step")
    }

    /// Points averaged in consecutive buckets so there are at most `maxPoints`.
    static func bucketMeans(_ pts: [SeriesPoint], maxPoints: Int) -> ([Double], [Double]) {
        guard pts.count > maxPoints, maxPoints > 0 else { return (pts.map(\.x), pts.map(\.yMean)) }
        var xs: [Double] = [], ys: [Double] = []
        let per = (pts.count + maxPoints - 1) / maxPoints
        var i = 0
        while i < pts.count {
            let chunk = pts[i..<min(i + per, pts.count)]
            xs.append(chunk.reduce(0) { $0 + $1.x } / Double(chunk.count))
            ys.append(chunk.reduce(0) { $0 + $1.yMean } / Double(chunk.count))
            i += per
        }
        return (xs, ys)
    }

    /// Maps a simulation's panel view to its widget; tiled heatmaps (receptive fields) are
    /// paged at full tile size and show page `page`.
    public static func widget(for view: PanelView, page: Int = 0) -> any Widget {
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
                           tile: h.tile.map { TUIWidgets.TileShape(rows: $0.rows, cols: $0.cols) }, scale: scale,
                           paged: h.tile != nil, page: page)
        case .spectrum(let sp):
            return SpectrumBars(eigenvalues: sp.eigenvalues, readouts: sp.readouts.map { Readout($0.name, $0.value) })
        case .histogram(let h):
            return Histogram(counts: h.counts, lower: h.lower, upper: h.upper, label: h.label)
        case .traces(let t):
            // x is the sample index in the recent window; the unit of the values is shown in
            // the panel's border.
            // With `xs`, each series is a curve in the plane (e.g. a phase plane).
            if let xs = t.xs {
                return LineChart(series: zip(t.names, zip(xs, t.series)).map {
                    ChartSeries(name: $0, xs: $1.0.map(Double.init), ys: $1.1.map(Double.init))
                }, showLegend: t.names.count > 1, xLabel: t.xLabel)
            }
            return LineChart(series: zip(t.names, t.series).map { ChartSeries(name: $0, values: $1.map(Double.init)) },
                             showLegend: t.names.count > 1)
        case .text(let text):
            return TextPanel(text)
        }
    }

    /// A control as text: `eta = 0.01 in [1e-06, 10]`, or for an enumerated control
    /// `activation = relu (linear, relu, tanh)`.
    static func controlLine(_ c: Control) -> String {
        if let labels = c.labels {
            return c.name + " = " + (c.label ?? NumberFormat.compact(c.value)) + " (" + labels.joined(separator: ", ") + ")"
        }
        return c.name + " = " + NumberFormat.compact(c.value) + " in [" + NumberFormat.compact(c.range.lowerBound)
            + ", " + NumberFormat.compact(c.range.upperBound) + "]"
    }

    /// The teaching panel: description, active rule and equation, live probe when paused,
    /// every control (the selected one marked), and warnings. ASCII-only when `ascii`.
    /// While paused the live factors come right after the rule's name, before the equation,
    /// packed several to a line when `width` allows, so they are visible without scrolling in
    /// a short panel (a spiking scene's probe has five).
    static func teaching(_ s: Snapshot, context: FrameContext, selectedControl: Int = 0, ascii: Bool = false,
                         width: Int = .max) -> [(String, Tone)] {
        var out: [(String, Tone)] = []
        if let tour = context.tour { out.append((tour, .accent)) }
        let others = s.ruleNames.count > 1 ? "   (r/R switch: " + s.ruleNames.joined(separator: ", ") + ")" : ""
        out.append(("Rule " + s.ruleName + others, .accent))
        if let bad = s.divergence {
            out.append(("Diverged: " + bad + " is not finite. Press 0 to reset (s: with a new seed).", .warning))
        }
        if !s.probe.isEmpty && s.paused {
            out.append(("Probed synapse at step " + String(s.viewsStep) + ":", .accent))
            var line = ""
            for f in s.probe {
                let item = f.name + " = " + NumberFormat.value(f.value)
                if !line.isEmpty && line.count + 2 + item.count + 2 > width {
                    out.append(("  " + line, .normal))
                    line = ""
                }
                // "; " between factors: wrapping keeps single spaces only.
                line += (line.isEmpty ? "" : "; ") + item
            }
            if !line.isEmpty { out.append(("  " + line, .normal)) }
        }
        if !s.ruleEquation.isEmpty { out.append((s.ruleEquation, .normal)) }
        if !s.probe.isEmpty && !s.paused {
            out.append(("Pause (space) to see the update's factors at one synapse.", .dim))
        }
        if !s.controls.isEmpty {
            let selected = min(max(0, selectedControl), s.controls.count - 1)
            let keys = s.controls.count > 1 ? "{ } select, [ ] move" : "[ ] move"
            out.append(("Controls (" + keys + "):", .dim))
            for (i, c) in s.controls.enumerated() {
                out.append(((i == selected ? "> " : "  ") + controlLine(c), i == selected ? .accent : .normal))
            }
        }
        if !context.description.isEmpty { out.append((context.description, .normal)) }
        if let m = s.message { out.append((m, .warning)) }
        return ascii ? out.map { (ASCIIText.transliterate($0.0), $0.1) } : out
    }
}

/// Paragraphs of wrapped text, each in its own tone (a paragraph may be one line), scrolled
/// down by `scroll` lines (clamped so the last line can reach the bottom). An ellipsis in the
/// top-right or bottom-right corner says there is more above or below.
struct TeachingText: Widget {
    var paragraphs: [(String, Tone)]
    var scroll = 0

    /// The wrapped lines for a width (indentation of indented paragraphs kept).
    func lines(width: Int) -> [(String, Tone)] {
        taggedLines(width: width).map { ($0.text, $0.tone) }
    }

    /// The wrapped lines with the index of the paragraph each comes from (for click targets).
    func taggedLines(width: Int) -> [(text: String, tone: Tone, paragraph: Int)] {
        var lines: [(text: String, tone: Tone, paragraph: Int)] = []
        for (p, (text, tone)) in paragraphs.enumerated() {
            // Keep leading indentation of indented lines (probe factors).
            let indent = text.prefix { $0 == " " }
            for l in TextPanel(String(text.dropFirst(indent.count))).wrappedLines(width: max(1, width - indent.count)) {
                lines.append((String(indent) + l, tone, p))
            }
        }
        return lines
    }

    /// The first line shown for a scroll in an area `height` lines tall.
    func firstLine(lineCount: Int, height: Int) -> Int {
        min(max(0, scroll), max(0, lineCount - height))
    }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let lines = lines(width: area.width)
        let first = firstLine(lineCount: lines.count, height: area.height)
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
/// Names are abbreviated (middle cut) so they never run into their values.
struct Sparklines: Widget {
    var rows: [(String, [Double])]

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty, !rows.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let parts = area.rows(rows.map { _ in .weight(1) })
        let labelWidth = min(area.width / 2, (rows.map { $0.0.count }.max() ?? 0) + 10)
        for (i, (name, values)) in rows.enumerated() where i < parts.count && !parts[i].isEmpty {
            let (label, line) = parts[i].splitLeft(labelWidth)
            // The label's last column stays blank, between the text and the sparkline.
            let room = max(0, label.width - 1)
            var latest = values.last.map(NumberFormat.value) ?? "-"
            if latest.count > room { latest = String(latest.prefix(room)) }
            let shownName: String
            let vy: Int
            if name.count + 1 + latest.count <= room || label.height < 2 {
                // Name and value on one line: the name gets what the value leaves.
                shownName = Text.abbreviate(name, to: max(0, room - latest.count - 1), ellipsis: theme.glyphs.ellipsis)
                vy = label.y
            } else {
                shownName = Text.abbreviate(name, to: room, ellipsis: theme.glyphs.ellipsis)
                vy = label.y + 1
            }
            buffer.write(shownName, x: label.x, y: label.y, style: theme.dimText, clip: label)
            buffer.write(latest, x: label.x + room - latest.count, y: vy, style: theme.text, clip: label)
            buffer.render(Sparkline(values: values, color: theme.seriesColor(i), fromMinimum: true), in: line, theme: theme)
        }
    }
}

/// The `:` command line in the key bar's row: the text typed, a cursor, and the completions
/// the last `tab` offered.
struct PromptLine: Widget {
    var prompt: CommandPrompt

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let row = area.splitTop(1).top
        var x = buffer.write(":" + prompt.text, x: row.x, y: row.y, style: theme.accentText, clip: row)
        x = buffer.write("_", x: x, y: row.y, style: theme.accentText, clip: row)
        let hint = prompt.candidates.isEmpty ? "   tab completes, enter runs, esc cancels"
                                             : "   " + prompt.candidates.joined(separator: "  ")
        buffer.write(Text.truncate(hint, to: max(0, row.maxX - x), ellipsis: theme.glyphs.ellipsis), x: x, y: row.y,
                     style: theme.dimText, clip: row)
    }
}

/// The scene picker: a filter line and the matching scenes (name, model, title and summary),
/// the selected one highlighted, scrolled to keep it visible.
struct PickerOverlay: Widget {
    var picker: ScenePicker

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.width >= 20, area.height >= 5 else { return }
        let box = area.inset(dx: 1, dy: 0)
        buffer.fill(box, with: theme.blank)
        let matches = picker.matches
        Panel(title: "Open a scene (\(matches.count)/\(picker.entries.count))", trailing: "enter opens, esc closes",
              focused: true).render(in: box, buffer: &buffer, theme: theme)
        let inner = Panel.innerArea(of: box)
        guard inner.height >= 2 else { return }
        buffer.write("filter: " + picker.query + "_", x: inner.x, y: inner.y, style: theme.accentText, clip: inner)
        let listArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        // Two lines per scene when there is room, else one.
        let perEntry = listArea.height >= 2 * min(max(1, matches.count), 6) ? 2 : 1
        let visible = max(1, listArea.height / perEntry)
        let first = min(max(0, picker.selected - visible + 1), max(0, matches.count - visible))
        if matches.isEmpty {
            buffer.write("(no scene matches)", x: listArea.x, y: listArea.y, style: theme.dimText, clip: listArea)
        }
        let nameWidth = min(18, (matches.map(\.name.count).max() ?? 0) + 1)
        for (k, e) in matches.dropFirst(first).prefix(visible).enumerated() {
            let i = first + k
            let y = listArea.y + k * perEntry
            let selected = i == picker.selected
            let style = selected ? theme.accentText.adding(.reverse) : theme.text
            let rowRect = Rect(x: listArea.x, y: y, width: listArea.width, height: 1)
            if selected { buffer.fill(rowRect, with: Cell(" ", style: style)) }
            let name = (selected ? "> " : "  ") + e.name.padding(to: nameWidth)
            var x = buffer.write(name, x: rowRect.x, y: y, style: style, clip: rowRect)
            x = buffer.write(("[" + e.model + "] ").padding(to: 11), x: x, y: y, style: selected ? style : theme.dimText, clip: rowRect)
            buffer.write(Text.truncate(e.title, to: max(0, rowRect.maxX - x), ellipsis: theme.glyphs.ellipsis), x: x, y: y,
                         style: style, clip: rowRect)
            if perEntry == 2 {
                let sub = Rect(x: listArea.x + 2 + nameWidth, y: y + 1, width: max(0, listArea.width - 2 - nameWidth), height: 1)
                buffer.write(Text.truncate(e.summary, to: sub.width, ellipsis: theme.glyphs.ellipsis), x: sub.x, y: sub.y,
                             style: theme.dimText, clip: sub)
            }
        }
    }
}

extension String {
    func padding(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}


/// Widgets side by side in equal columns, each under a one-line title (a rule race's views).
struct SideBySide: Widget {
    var columns: [(title: String, widget: any Widget)]

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty, !columns.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let n = columns.count
        let gap = 1
        let width = (area.width - gap * (n - 1)) / n
        guard width >= 4, area.height >= 2 else {
            columns[0].widget.render(in: area, buffer: &buffer, theme: theme)
            return
        }
        for (i, c) in columns.enumerated() {
            let x = area.x + i * (width + gap)
            let title = Rect(x: x, y: area.y, width: width, height: 1)
            buffer.write(Text.truncate(c.title, to: width, ellipsis: theme.glyphs.ellipsis), x: x, y: area.y,
                         style: theme.accentText, clip: title)
            buffer.render(c.widget, in: Rect(x: x, y: area.y + 1, width: width, height: area.height - 1), theme: theme)
        }
    }
}

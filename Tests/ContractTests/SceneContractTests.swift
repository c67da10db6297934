import Foundation
import Testing
import SynCore
import SynModels
import SynScenes
import TerminalBackend
import TUICore
import SynApp

/// One contract, every scene file: each parameterised `@Test` below runs once per file in
/// `scenes/`, found by listing the directory at test time (`SceneFiles.all()`); the tour covers
/// every rule in the scene's switchable list. A new scene file is covered without touching
/// this file.
///
/// The runs are short (one metrics interval per rule, `SceneFiles.maxMetricsEvery` steps at
/// most) and each scene is built only a few times: in debug builds, building and measuring
/// (test sets, eigen solvers) cost far more than stepping, even for the 4000-neuron CUBA
/// network.
@Suite struct SceneContractTests {
    // MARK: 0. Discovery

    @Test func theScenesFolderIsFoundAndListed() {
        #expect(!SceneFiles.all().isEmpty, "no .toml files in \(SceneFiles.root)/scenes")
    }

    /// Every model kind a scene may name is exercised by at least one scene file (so the
    /// contracts below reach every registered model).
    @Test func everyRegisteredModelKindHasASceneFile() throws {
        var kinds = Set<String>()
        for file in SceneFiles.all() {
            kinds.insert(type(of: try SceneFiles.loadAsShipped(file).model).kind)
        }
        for model in SceneModels.all {
            #expect(kinds.contains(model.kind), "no scene file uses model \"\(model.kind)\"")
        }
    }

    // MARK: 1. Loads and validates

    /// The file loads as shipped, and the built simulation agrees with what the configuration
    /// promised (metrics, rules, views), provides every view its panels show and every view it
    /// names, and its rule-state views are among its views.
    @Test(arguments: SceneFiles.all())
    func loadsAndValidates(_ file: String) throws {
        let spec = try SceneFiles.loadAsShipped(file)
        #expect(spec.name + ".toml" == file)
        #expect(!spec.title.isEmpty)
        #expect(spec.metricsEvery >= 1 && spec.steps >= 1)
        #expect(!spec.model.metricNames.isEmpty)
        #expect(Set(spec.model.metricNames).count == spec.model.metricNames.count, "duplicate metric names")
        #expect(!spec.model.ruleNames.isEmpty)
        #expect(Set(spec.model.ruleNames).count == spec.model.ruleNames.count, "duplicate rule names")
        #expect(!spec.panels.isEmpty)
        let sim = try SceneFiles.load(file).makeSimulation()
        #expect(sim.step == 0)
        #expect(sim.metricNames == spec.model.metricNames)
        #expect(sim.ruleNames == spec.model.ruleNames)
        #expect(sim.viewNames == spec.model.viewNames)
        #expect(sim.ruleNames.indices.contains(sim.activeRule))
        #expect(!sim.ruleEquation.isEmpty)
        #expect(sim.bigStep.steps >= 1)
        let views = sim.views()
        for v in sim.viewNames { #expect(views[v] != nil, "view \(v) is named but not provided") }
        for p in spec.panels {
            switch p.content {
            case .view(let v): #expect(views[v] != nil, "panel \"\(p.title)\" shows view \(v), which is not provided")
            case .chart(let ms, _, _), .sparklines(let ms):
                for m in ms { #expect(sim.metricNames.contains(m), "panel \"\(p.title)\": unknown metric \(m)") }
            case .teaching: break
            }
        }
        for v in sim.ruleStateViewNames { #expect(sim.viewNames.contains(v), "rule-state view \(v) is not a view") }
        for (name, view) in views {
            if case .heatmap(let h) = view { #expect(h.values.count == h.rows * h.cols, "heatmap \(name): shape") }
        }
        for c in sim.controls {
            #expect(c.range.lowerBound < c.range.upperBound && c.step > 0, "control \(c.name): range \(c.range), step \(c.step)")
            #expect(c.range.contains(c.value), "control \(c.name): value \(c.value) outside \(c.range)")
        }
    }

    // MARK: 2-5. A tour of every rule: finite, deterministic, chunk- and observer-invariant,
    // switchable mid-run with the weights kept

    /// The tour: the starting rule from a fresh state for `h` steps (half a metrics interval, so
    /// every switch lands inside an interval), then a live switch to each other rule of the
    /// switchable list in turn and finally back to the starting rule, each followed by one
    /// metrics interval. Rows at 0, every, 2 every, ... (one per rule visited).
    struct Tour {
        let spec: SceneSpec
        let start: Int
        let ruleCount: Int
        var every: Int { spec.metricsEvery }
        var h: Int { every / 2 + 1 }
        /// Rules selected after the first segment, in order (empty for a single-rule scene).
        var switches: [Int] { ruleCount > 1 ? (1...ruleCount).map { (start + $0) % ruleCount } : [] }

        init(_ spec: SceneSpec) throws {
            self.spec = spec
            let sim = try spec.makeSimulation()
            start = sim.activeRule
            ruleCount = sim.ruleNames.count
        }

        /// Segment lengths: h, then `every` after each switch (a single-rule scene runs h + every).
        var segments: [Int] { switches.isEmpty ? [h, every] : [h] + switches.map { _ in every } }

        /// Runs the tour headless. `pieces` cuts each segment (lengths summing to the segment);
        /// with `look`, views (all of them must be provided) and the probe are read after every
        /// piece and the heatmaps are compared across every switch (contract 5).
        func run(pieces: (Int) -> [Int], look: Bool) throws -> (rows: [MetricRow], switches: [RuleSwitch]) {
            var s = try SceneSession(spec: spec)
            var rows = [s.measureRow()]
            for (k, segment) in segments.enumerated() {
                if k > 0, switches.indices.contains(k - 1) {
                    let rule = switches[k - 1]
                    if look {
                        switchKeepingWeights(&s, to: rule)
                    } else {
                        s.selectRule(rule)
                    }
                }
                for p in pieces(segment) where p > 0 {
                    rows += s.advance(p)
                    if look {
                        let views = s.sim.views()
                        for v in s.sim.viewNames where views[v] == nil {
                            Issue.record("step \(s.step): view \(v) is named but not provided")
                        }
                        _ = s.sim.probe()
                    }
                }
            }
            return (rows, s.switches)
        }

        /// Contract 5 at one switch: every heatmap view (weights, network state) is bit-identical
        /// immediately before and after `selectRule`, except views the simulation declares as
        /// rule state (`ruleStateViewNames`); the switch is recorded at that step.
        func switchKeepingWeights(_ s: inout SceneSession, to rule: Int) {
            let name = s.sim.ruleNames[rule]
            let exempt = Set(s.sim.ruleStateViewNames)
            let before = s.sim.views()
            let step = s.step
            s.selectRule(rule)
            let after = s.sim.views()
            #expect(s.sim.activeRule == rule && s.step == step)
            #expect(s.switches.last?.step == step && s.switches.last?.rule == name,
                    "switch to \(name) recorded as \(String(describing: s.switches.last))")
            for (view, old) in before.sorted(by: { $0.key < $1.key }) where !exempt.contains(view) {
                guard case .heatmap(let h0) = old else { continue }
                guard case .heatmap(let h1)? = after[view] else {
                    Issue.record("switch to \(name) at step \(step): heatmap \(view) disappeared")
                    continue
                }
                let same = h0.rows == h1.rows && h0.cols == h1.cols && bitEqual(h0.values, h1.values)
                    && h0.tile == h1.tile && h0.scale == h1.scale
                #expect(same, "switch to \(name) at step \(step): heatmap \(view) changed (\(SceneContractTests.changed(h0, h1)))")
            }
        }
    }

    /// Contracts 2-5 on one tour of every rule, run three ways from the same seed:
    /// (a) headless, whole segments: the reference; its metrics must all be finite (2);
    /// (b) headless again, every segment cut into uneven pieces with views and the probe read in
    ///     between: bit-identical rows (3: same seed, other chunking, watched), and at every
    ///     switch the heatmaps are unchanged except rule state (5);
    /// (c) the dashboard's `SimulationRunner` on its thread, driven by the commands the keys send
    ///     (`step` in pieces, `cycleRule(1)` for `r`) with snapshots and views requested in
    ///     between: its published metric history equals (a) bit for bit (4).
    @Test(arguments: SceneFiles.all())
    func everyRuleRunsFiniteAndTheSameHowEverItIsRun(_ file: String) throws {
        let tour = try Tour(try SceneFiles.load(file))
        let names = tour.spec.model.metricNames
        let ruleNames = tour.spec.model.ruleNames

        // (a) Reference.
        let reference = try tour.run(pieces: { [$0] }, look: false)
        let expectedSteps = (0...tour.segments.count - 1).map { $0 * tour.every }
        #expect(reference.rows.map(\.step) == expectedSteps, "row steps")
        #expect(reference.rows.allSatisfy { $0.values.count == names.count }, "row width")
        #expect(reference.switches.map(\.rule) == tour.switches.map { ruleNames[$0] }, "every rule visited")
        let bad = nonFinite(reference.rows, names: names,
                            undefined: Set(tour.spec.model.metrics.filter(\.mayBeUndefined).map(\.name)))
        #expect(bad.isEmpty, "non-finite metrics (rule at each row: \(reference.rows.map(\.rule))): \(bad)")

        // (b) Same seed, other chunking, watched; heatmaps compared at each switch.
        let watched = try tour.run(pieces: Self.pieces, look: true)
        if !sameRows(reference.rows, watched.rows) {
            // Tell a non-deterministic run from a chunking-dependent one.
            let again = try tour.run(pieces: { [$0] }, look: false)
            let deterministic = sameRows(reference.rows, again.rows)
            Issue.record("""
                \(deterministic ? "chunking or watching changes the run" : "the same seed gives other rows"): \
                \(firstDifference(reference.rows, deterministic ? watched.rows : again.rows))
                """)
        }
        #expect(watched.switches == reference.switches)

        // (c) The dashboard's simulation thread.
        let runner = SimulationRunner(session: try SceneSession(spec: tour.spec), paused: true)
        runner.start()
        for (k, segment) in tour.segments.enumerated() {
            if k > 0 { runner.send(.cycleRule(1)) }
            let p = Self.pieces(segment)
            runner.send(.step(p[0]))
            runner.requestSnapshot(views: true)
            runner.send(.step(p[1]))
            runner.requestSnapshot(views: k % 2 == 0)
            runner.send(.step(p[2]))
        }
        let total = tour.segments.reduce(0, +)
        let snap = try #require(Self.settled(runner, step: total), "the runner never reached step \(total)")
        runner.stop()
        #expect(snap.step == total)
        #expect(snap.switches == reference.switches, "runner switches \(snap.switches.map(\.rule))")
        #expect(snap.history.totalRows == reference.rows.count, "runner \(snap.history.totalRows) rows vs \(reference.rows.count)")
        for (j, metric) in snap.metricNames.enumerated() {
            // The history keeps finite values only (the reference's are finite, see above).
            let want = reference.rows.filter { $0.values[j].isFinite }
            let got = snap.history.points(metric: j)
            #expect(got.allSatisfy { $0.count == 1 }, "runner \(metric): rows were merged")
            #expect(got.map(\.x) == want.map { Double($0.step) }, "runner \(metric): steps")
            #expect(bitEqual(got.map(\.yMean), want.map { $0.values[j] }),
                    "runner \(metric): \(got.map(\.yMean)) vs headless \(want.map { $0.values[j] })")
        }
        if let last = reference.rows.last {
            #expect(bitEqual(snap.history.latest ?? [], last.values), "runner: latest row")
        }
    }

    /// `n` steps in three uneven pieces: 1, about a third of the rest, the remainder.
    static func pieces(_ n: Int) -> [Int] {
        let a = min(1, n), b = (n - a) / 3
        return [a, b, n - a - b]
    }

    /// Polls (with a generous deadline that only guards against a hung thread) until the runner
    /// has applied every command sent and reached `step`.
    static func settled(_ runner: SimulationRunner, step: Int) -> Snapshot? {
        let deadline = ContinuousClock.now + .seconds(600)
        var generation = -1
        while ContinuousClock.now < deadline {
            guard let s = runner.nextSnapshot(after: generation, views: false, timeout: 5) else { continue }
            if s.step >= step && s.commandsApplied == runner.commandsSent { return s }
            generation = s.generation
        }
        return nil
    }

    /// How two heatmaps differ, briefly.
    static func changed(_ a: HeatmapView, _ b: HeatmapView) -> String {
        if a.rows != b.rows || a.cols != b.cols { return "\(a.rows)x\(a.cols) -> \(b.rows)x\(b.cols)" }
        let diff = a.values.indices.filter { a.values[$0].bitPattern != b.values[$0].bitPattern }
        if let i = diff.first { return "\(diff.count) of \(a.values.count) values, first [\(i)] \(a.values[i]) -> \(b.values[i])" }
        return "scale \(a.scale) -> \(b.scale), tile \(String(describing: a.tile)) -> \(String(describing: b.tile))"
    }

    // MARK: 6. Every live control can be moved end to end

    /// Each control is set to its lower bound, its upper bound and the midpoint of its step
    /// grid, with part of a metrics interval stepped after each; every setting is accepted and
    /// reads back (to Float precision) as set, out-of-range and NaN values are refused without a change, and nothing
    /// crashes or traps (including drawing the dashboard afterwards).
    ///
    /// Metrics are *not* required to stay finite here: some controls exist to push a model over
    /// its edge (curl-descent's `flip_fraction` above ~0.3, the reservoir's `gain`), and a NaN
    /// row there is the lesson, not a defect. A NaN must never trap (Swift traps converting a
    /// NaN to an integer), so rows are measured and a frame is rendered after the sweep.
    @Test(arguments: SceneFiles.all())
    func everyControlCanBeMovedEndToEnd(_ file: String) throws {
        let spec = try SceneFiles.load(file)
        var s = try SceneSession(spec: spec)
        var history = MetricHistory.starting(with: &s)
        let piece = spec.metricsEvery / 2 + 1
        history.append(s.advance(piece))
        for index in s.sim.controls.indices {
            let c = s.sim.controls[index]
            let gridMid = c.range.lowerBound + ((c.range.upperBound - c.range.lowerBound) / 2 / c.step).rounded(.down) * c.step
            for value in [c.range.lowerBound, c.range.upperBound, min(gridMid, c.range.upperBound)] {
                let err = s.setControl(c.name, to: value)
                #expect(err == nil, "\(c.name) = \(value): \(err ?? "")")
                // Models keep most parameters in Float: the value reads back rounded to Float.
                let now = s.sim.controls.first { $0.name == c.name }?.value
                #expect(now.map { Float($0) } == Float(value), "\(c.name) = \(value) reads back as \(String(describing: now))")
                let rows = s.advance(piece)
                #expect(rows.allSatisfy { $0.values.count == s.metricNames.count })
                history.append(rows)
            }
            let kept = s.sim.controls.first { $0.name == c.name }?.value
            for bad in [c.range.upperBound + c.step, c.range.lowerBound - c.step, .nan, .infinity] {
                #expect(s.setControl(c.name, to: bad) != nil, "\(c.name) = \(bad) was accepted")
                #expect(s.sim.controls.first { $0.name == c.name }?.value == kept, "\(c.name) = \(bad) changed the value")
            }
        }
        #expect(s.setControl("no such control", to: 0) != nil)
        let snapshot = Snapshot.capture(session: s, history: history)
        let frame = HeadlessFrame.render(spec: spec, snapshot: snapshot, size: TerminalSize(width: 80, height: 24), ascii: false)
        #expect(frame.width == 80 && frame.height == 24)
    }

    // MARK: 7. The dashboard frame renders and fits

    static let frameSizes = [TerminalSize(width: 60, height: 16), TerminalSize(width: 80, height: 24),
                             TerminalSize(width: 120, height: 40)]

    /// The frame `synaptop render` draws (`HeadlessFrame`, the paused dashboard after one metrics
    /// interval), at the minimum size, the classic terminal and a large one, with and without
    /// `--ascii`: the buffer has the size asked for, at most `height` lines and every line at
    /// most `width` terminal columns (a wide character counts two, so every cell must hold a
    /// one-column character); the dashboard is drawn rather than the "too small" message; and
    /// `--ascii` frames hold no braille, block or box-drawing characters (the documented promise;
    /// text such as a rule's Greek letters may stay).
    @Test(arguments: SceneFiles.all())
    func dashboardFrameRendersAndFits(_ file: String) throws {
        let spec = try SceneFiles.load(file)
        // What HeadlessFrame.render(spec:steps:size:ascii:) does, stepped once for all sizes.
        var session = try SceneSession(spec: spec)
        var history = MetricHistory.starting(with: &session)
        history.append(session.advance(spec.metricsEvery))
        let snapshot = Snapshot.capture(session: session, history: history)
        for size in Self.frameSizes {
            for ascii in [false, true] {
                let what = "\(size.width)x\(size.height)\(ascii ? " ascii" : "")"
                let frame = HeadlessFrame.render(spec: spec, snapshot: snapshot, size: size, ascii: ascii)
                let lines = frame.plainText.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(frame.width == size.width && frame.height == size.height, "\(what): buffer \(frame.width)x\(frame.height)")
                #expect(lines.count <= size.height, "\(what): \(lines.count) lines")
                for (y, line) in lines.enumerated() {
                    let columns = line.reduce(0) { $0 + terminalColumns($1) }
                    #expect(columns <= size.width, "\(what): line \(y + 1) takes \(columns) columns: \(line)")
                }
                let wide = frame.cells.map(\.symbol).filter { terminalColumns($0) != 1 }
                #expect(wide.isEmpty, "\(what): cells that are not one column wide: \(String(wide.prefix(8)))")
                if ascii {
                    let glyphs = frame.cells.map(\.symbol).filter(isGraphicGlyph)
                    #expect(glyphs.isEmpty, "\(what): braille, block or box-drawing glyphs: \(String(glyphs.prefix(8)))")
                }
                #expect(!frame.plainText.contains("too small") && !frame.plainText.contains("need 60x16"),
                        "\(what): the dashboard did not fit")
                #expect(frame.plainText.contains(spec.name), "\(what): the status bar does not name the scene")
            }
        }
    }
}

/// The large-screen frame of every scene, checked the way a user looks at it: at 120x40 (and
/// at the small sizes, for the hints) the key bar starts with the help and quit hints, the
/// status bar names the scene and ends with the run state, and no widget wrote over another
/// one's place: every panel keeps its four corners, its side borders and its title in the top
/// border (a widget drawing outside its area, or text run into a neighbour, breaks them).
@Suite struct SceneFrameContractTests {
    // Every border style the themes use (rounded, plain, thick, ASCII and focused ASCII).
    static let vertical: Set<Character> = ["│", "┃", "|", "#"]
    static let topLeft: Set<Character> = ["╭", "┌", "┏", "+", "#"]
    static let topRight: Set<Character> = ["╮", "┐", "┓", "+", "#"]
    static let bottomLeft: Set<Character> = ["╰", "└", "┗", "+", "#"]
    static let bottomRight: Set<Character> = ["╯", "┘", "┛", "+", "#"]

    @Test(arguments: SceneFiles.all())
    func frameKeepsHintsRunStateAndEveryPanelsBorder(_ file: String) throws {
        let spec = try SceneFiles.load(file)
        var session = try SceneSession(spec: spec)
        var history = MetricHistory.starting(with: &session)
        history.append(session.advance(spec.metricsEvery))
        let snapshot = Snapshot.capture(session: session, history: history)
        for size in [TerminalSize(width: 60, height: 16), TerminalSize(width: 80, height: 24), TerminalSize(width: 120, height: 40)] {
            for ascii in [false, true] {
                let what = "\(spec.name) \(size)\(ascii ? " ascii" : "")"
                let frame = HeadlessFrame.render(spec: spec, snapshot: snapshot, size: size, ascii: ascii)
                let lines = frame.lines
                #expect(lines[size.height - 1].hasPrefix("? help  q quit"), "\(what): \(lines[size.height - 1])")
                let status = lines[0].trimmingCharacters(in: .whitespaces)
                #expect(status.hasPrefix(String(spec.name.prefix(20))) && status.hasSuffix("PAUSED"), "\(what): \(status)")
                let layout = DashboardLayout(panels: spec.panels, size: size)
                for (i, r) in layout.panels.enumerated() where !r.isEmpty {
                    let where_ = "\(what) panel \(i) \"\(spec.panels[i].title)\""
                    #expect(Self.topLeft.contains(frame[r.x, r.y].symbol) && Self.topRight.contains(frame[r.maxX - 1, r.y].symbol)
                            && Self.bottomLeft.contains(frame[r.x, r.maxY - 1].symbol)
                            && Self.bottomRight.contains(frame[r.maxX - 1, r.maxY - 1].symbol), "\(where_): a corner is overwritten")
                    for y in (r.y + 1)..<(r.maxY - 1) {
                        #expect(Self.vertical.contains(frame[r.x, y].symbol) && Self.vertical.contains(frame[r.maxX - 1, y].symbol),
                                "\(where_): side border overwritten in row \(y): \(lines[y])")
                    }
                    let top = String((r.x..<r.maxX).map { frame[$0, r.y].symbol })
                    let title = spec.panels[i].title
                    let head = String((ascii ? ASCIIText.transliterate(title) : title).prefix(min(4, max(0, r.width - 6))))
                    #expect(head.isEmpty || top.contains(head), "\(where_): title missing from the border: \(top)")
                }
            }
        }
    }
}

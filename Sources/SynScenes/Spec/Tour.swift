/// One stop of a scene's guided tour (`[[tour]]`): where it is (a step, or the first metrics
/// row meeting a condition), what to say, which panel to look at and which key to try.
public struct TourStop: Sendable, Equatable {
    /// A condition on a declared metric: `when = "alignment > 0.99"`.
    public struct Condition: Sendable, Equatable {
        public enum Comparison: String, Sendable, CaseIterable { case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=" }
        public var metric: String
        public var comparison: Comparison
        public var value: Double
        public init(metric: String, comparison: Comparison, value: Double) {
            self.metric = metric
            self.comparison = comparison
            self.value = value
        }

        /// True when `x` meets the condition (never for NaN).
        public func holds(_ x: Double) -> Bool {
            switch comparison {
            case .less: x < value
            case .lessOrEqual: x <= value
            case .greater: x > value
            case .greaterOrEqual: x >= value
            }
        }

        public var text: String { "\(metric) \(comparison.rawValue) \(value)" }
    }

    public enum Place: Sendable, Equatable {
        /// Exactly at this step.
        case step(Int)
        /// At the first metrics row (after the previous stop) that meets the condition.
        case when(Condition)
    }

    public var place: Place
    /// Pause there (default true).
    public var pause: Bool
    /// Title of the panel to focus, if any.
    public var panel: String?
    /// The paragraph shown in the teaching panel.
    public var text: String
    /// A key to suggest trying there (`r`, `N`, ...).
    public var key: String?

    public init(place: Place, pause: Bool = true, panel: String? = nil, text: String, key: String? = nil) {
        self.place = place
        self.pause = pause
        self.panel = panel
        self.text = text
        self.key = key
    }

    /// Parses `METRIC OP VALUE` against the metrics the scene declares.
    public static func condition(_ text: String, metrics: [String]) -> Condition? {
        let ops = TourStop.Condition.Comparison.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
        for op in ops {
            guard let r = text.range(of: op.rawValue) else { continue }
            let name = String(text[..<r.lowerBound]).filter { $0 != " " }
            let raw = String(text[r.upperBound...]).filter { $0 != " " }
            guard metrics.contains(name), let v = Double(raw), v.isFinite else { return nil }
            return Condition(metric: name, comparison: op, value: v)
        }
        return nil
    }

    /// Decodes the `[[tour]]` tables of a scene: exactly one of `at_step` and `when` per stop,
    /// `when` on a declared metric, `panel` one of the scene's panel titles.
    static func decode(_ readers: [SceneReader], metrics: [String], panels: [PanelSpec], steps: Int) throws(SceneError) -> [TourStop] {
        var out: [TourStop] = []
        for var r in readers {
            let place: Place
            switch (r.has("at_step"), r.has("when")) {
            case (true, false):
                place = .step(try r.integer("at_step", in: 0...1_000_000_000))
            case (false, true):
                let w = try r.string("when")
                guard let c = condition(w, metrics: metrics) else {
                    throw r.error("when", "expected \"METRIC OP NUMBER\" with OP one of <, <=, >, >= and METRIC one of \(SceneError.clip(metrics.joined(separator: ", "), 120)), got \"\(SceneError.clip(w))\"")
                }
                place = .when(c)
            default:
                throw SceneError(file: r.file, key: r.path, message: "expected exactly one of at_step, when")
            }
            let pause = try r.bool("pause", default: true)
            var panel: String?
            if r.has("panel") {
                panel = try r.string("panel", oneOf: panels.map(\.title))
            }
            let text = try r.string("text")
            guard !text.isEmpty else { throw r.error("text", "expected the stop's paragraph, got an empty string") }
            let key: String? = r.has("key") ? try r.string("key") : nil
            try r.finish()
            out.append(TourStop(place: place, pause: pause, panel: panel, text: text, key: key))
        }
        return out
    }
}

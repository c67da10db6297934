import SynCore
import TerminalBackend
import TUICore
import TUIWidgets

/// What the timeline shows of the run, copied from snapshots: the oldest step the rewind
/// history keeps, the current step, the furthest step reached and the forks.
public struct TimelineFacts: Sendable, Equatable {
    public var oldest = 0
    public var step = 0
    public var frontier = 0
    public var forks: [Int] = []
    public init(oldest: Int = 0, step: Int = 0, frontier: Int = 0, forks: [Int] = []) {
        self.oldest = oldest
        self.step = step
        self.frontier = frontier
        self.forks = forks
    }

    var bar: TimelineBar { TimelineBar(oldest: oldest, frontier: frontier, step: step, marks: forks) }
}

/// The timeline (`T`): the key bar becomes a scrub bar over the rewindable past, and the arrow,
/// page, home and end keys move along it (rewinding by exact re-simulation, or stepping
/// forward). A click on the bar goes to the step under the pointer; `:goto STEP` goes anywhere.
enum TimelineLogic {
    /// Keys while the timeline is open; nil for keys it leaves to the dashboard.
    static func key(_ state: AppState, _ key: Key) -> (AppState, [AppEffect])? {
        var s = state
        switch key {
        case .left: return AppLogic.pausedThen(&s, .rewind(1))
        case .right: return AppLogic.pausedThen(&s, .step(1))
        case .pageUp: return AppLogic.pausedThen(&s, .rewindBigStep)
        case .pageDown: return AppLogic.pausedThen(&s, .bigStep)
        case .home: return AppLogic.pausedThen(&s, .goTo(s.timeline.oldest))
        case .end: return AppLogic.pausedThen(&s, .goTo(s.timeline.frontier))
        case .escape, .char("T"):
            s.timelineOpen = false
            return (s, [])
        default: return nil
        }
    }

    /// `:goto STEP` (absolute), `:goto -N` / `:goto +N` (relative to the current step).
    static func goTo(_ state: AppState, argument: String) -> (AppState, [AppEffect]) {
        var s = state
        let text = argument.split(separator: " ").first.map(String.init) ?? ""
        guard let n = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text), n >= 0 || text.hasPrefix("-") else {
            s.notice = Notice(":goto: expected a step (e.g. :goto 1200) or a relative move (:goto -50, :goto +50)", isError: true)
            return (s, [])
        }
        let relative = text.hasPrefix("-") || text.hasPrefix("+")
        if relative {
            return n < 0 ? AppLogic.pausedThen(&s, .rewind(-n)) : AppLogic.pausedThen(&s, .step(n))
        }
        return AppLogic.pausedThen(&s, .goTo(n))
    }

    /// The timeline row's parts inside the key bar: the bar (and where it is drawn).
    static func geometry(_ facts: TimelineFacts, row: Rect) -> (bar: TimelineBar, area: Rect, hints: String) {
        let label = "step " + String(facts.step) + "  "
        let hints = "  \u{2190}\u{2192} step  PgUp/PgDn big  Home/End  T close"
        var area = row.splitLeft(min(row.width, label.count)).rest
        let keepHints = area.width - hints.count >= 24
        if keepHints { area = area.splitRight(hints.count).rest }
        return (facts.bar, area, keepHints ? hints : "")
    }

    /// Click targets: each column of the bar goes to its step.
    static func clickTargets(_ facts: TimelineFacts, row: Rect) -> [ClickTarget] {
        let g = geometry(facts, row: row)
        let bar = g.bar.barArea(in: g.area)
        return (0..<bar.width).map { c in
            ClickTarget(x: bar.x + c, y: bar.y, width: 1, action: .goToStep(g.bar.step(atColumn: c, width: bar.width)))
        }
    }
}

/// The key bar while the timeline is open: "step 1234  800 ━━━●─── 2000  ←→ step ...".
struct TimelineLine: Widget {
    var facts: TimelineFacts

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let row = area.splitTop(1).top
        buffer.write("step " + String(facts.step), x: row.x, y: row.y, style: theme.accentText, clip: row)
        let g = TimelineLogic.geometry(facts, row: row)
        buffer.render(g.bar, in: g.area, theme: theme)
        if !g.hints.isEmpty {
            buffer.write(g.hints, x: g.area.maxX, y: row.y, style: theme.dimText, clip: row)
        }
    }
}

extension AppLogic {
    /// The app copies the run's rewindable range into the state (from a snapshot).
    public static func timelineFacts(_ state: AppState, _ snap: Snapshot) -> AppState {
        let facts = TimelineFacts(oldest: snap.step - snap.rewindDepth, step: snap.step, frontier: max(snap.frontier, snap.step),
                                  forks: snap.switches.filter { $0.rule == "fork" }.map(\.step))
        guard facts != state.timeline else { return state }
        var s = state
        s.timeline = facts
        return s
    }
}

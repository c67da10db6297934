import SynScenes
import TerminalBackend
import TUICore

/// How the panels are viewed, beside the simulation: the page of each receptive-field grid, the
/// last-N-steps window of the charts, a chart readout from a click, and where the last frame put
/// clickable things. Part of `AppState` (`state.view`); changed only by `ViewLogic`.
public struct ViewState: Sendable, Equatable {
    /// Page shown by each tiled view panel (receptive fields), by panel index (any integer:
    /// the heatmap wraps it around its page count).
    public var pages: [Int: Int] = [:]
    /// Charts show the last `windowSteps` steps instead of the whole run (`w`).
    public var window = false
    /// A click on a chart: the panel and the screen column read out (cleared by a click
    /// elsewhere, `esc`, or a click on the same column).
    public var cursor: ChartCursor?
    /// Clickable places of the frame on screen (the app sets them when a click arrives, from
    /// the state and snapshot that frame was drawn from).
    public var targets: [ClickTarget] = []

    public init() {}
}

/// A chart readout: which panel, at which screen column.
public struct ChartCursor: Sendable, Equatable {
    public var panel: Int
    public var x: Int
    public init(panel: Int, x: Int) {
        self.panel = panel
        self.x = x
    }
}

/// A clickable span of one screen row and what a click there does.
public struct ClickTarget: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Select live control `i` (what `{ }` do).
        case selectControl(Int)
        /// Switch to the named rule (`:rule NAME`).
        case selectRule(String)
        /// Act as this key press (key bar hints).
        case key(Key)
        /// Go to this step (a column of the timeline bar).
        case goToStep(Int)
    }

    public var x: Int
    public var y: Int
    public var width: Int
    public var action: Action

    public init(x: Int, y: Int, width: Int, action: Action) {
        self.x = x
        self.y = y
        self.width = width
        self.action = action
    }

    func contains(x px: Int, y py: Int) -> Bool { py == y && px >= x && px < x + width }
}

/// The pure update of the view state: page keys, the chart window, mouse wheel and clicks.
public enum ViewLogic {
    /// Steps of the chart window for a scene: the last 200 metric rows.
    public static func windowSteps(metricsEvery: Int) -> Int { max(1, metricsEvery) * 200 }

    /// Handles a key that is about viewing; nil when the key is not one (the caller goes on).
    static func key(_ state: AppState, _ key: Key) -> (AppState, [AppEffect])? {
        var s = state
        switch key {
        case .char("w"):
            s.view.window.toggle()
            return (s, [])
        case .pageUp, .pageDown:
            // Page keys page a focused receptive-field grid (other views ignore their page).
            guard s.panels.indices.contains(s.focus), case .view = s.panels[s.focus].content, !s.showHelp else {
                return nil
            }
            s.view.pages[s.focus, default: 0] += key == .pageDown ? 1 : -1
            return (s, [])
        case .escape where s.view.cursor != nil && !s.showHelp:
            s.view.cursor = nil
            return (s, [])
        default:
            return nil
        }
    }

    /// A click: a clickable target (control, rule, key bar hint) acts; otherwise the panel under
    /// the pointer gets focus, and on a chart the column is read out (again on the same column
    /// clears it).
    static func click(_ state: AppState, x: Int, y: Int) -> (AppState, [AppEffect]) {
        var s = state
        if let t = s.view.targets.first(where: { $0.contains(x: x, y: y) }) {
            switch t.action {
            case .selectControl(let i):
                s.selectedControl = i
                return (s, [])
            case .selectRule(let name):
                return (s, [.sim(.selectRule(name))])
            case .key(let k):
                return AppLogic.keyPress(s, k)
            case .goToStep(let step):
                return AppLogic.pausedThen(&s, .goTo(step))
            }
        }
        guard let i = s.layout.panel(atX: x, y: y) else { return (s, []) }
        s.focus = i
        if case .chart = s.panels[i].content {
            s.view.cursor = s.view.cursor == ChartCursor(panel: i, x: x) ? nil : ChartCursor(panel: i, x: x)
        } else {
            s.view.cursor = nil
        }
        return (s, [])
    }

    /// A wheel step over (x, y): scrolls the help overlay when open, else the panel under the
    /// pointer: teaching text by 3 lines, a receptive-field grid by a page.
    static func wheel(_ state: AppState, x: Int, y: Int, delta: Int) -> (AppState, [AppEffect]) {
        var s = state
        if s.showHelp {
            s.helpScroll = max(0, min(s.helpScroll + 3 * delta, s.helpScrollLimit))
            return (s, [])
        }
        if s.prompt != nil || s.picker != nil { return (s, []) }
        guard let i = s.layout.panel(atX: x, y: y) ?? (s.panels.indices.contains(s.focus) ? s.focus : nil) else {
            return (s, [])
        }
        switch s.panels[i].content {
        case .teaching:
            s.teachingScroll = max(0, min(s.teachingScroll + 3 * delta, s.teachingScrollLimit))
        case .view:
            s.view.pages[i, default: 0] += delta
        default:
            break
        }
        return (s, [])
    }

    /// The key a key-bar hint stands for when clicked.
    static func key(forHint hint: String) -> Key? {
        switch hint {
        case "space": .char(" ")
        case "tab": .tab
        case "+/-": .char("+")
        case "{ }": .char("}")
        case "[ ]": .char("]")
        default: hint.count == 1 ? hint.first.map { .char($0) } : nil
        }
    }
}

import SynScenes
import TerminalBackend

/// The UI's own state (Bubble Tea style model): everything `update` needs and nothing the
/// simulation owns. Pure value; `AppLogic.update` maps (state, event) to a new state plus the
/// commands for the simulation thread.
public struct AppState: Sendable, Equatable {
    /// The scene's panels (fixed for a run).
    public var panels: [PanelSpec]
    public var size: TerminalSize
    /// Index of the focused panel (`tab`, mouse click).
    public var focus = 0
    /// The focused panel fills the body when true (`enter`/`z`).
    public var zoomed = false
    /// Panels keep showing the snapshot taken when `f` was pressed; the simulation continues.
    public var frozen = false
    /// The `?` help overlay is open.
    public var showHelp = false
    /// What the UI asked the simulation for (the simulation's own flag arrives in snapshots).
    public var paused: Bool
    /// Index into `Speed.ladder`.
    public var speedIndex: Int
    /// Set by `q`: the app loop ends after this event.
    public var quitting = false
    /// Lines the teaching panel is scrolled down (up/down keys while it has focus; clamped
    /// when drawn).
    public var teachingScroll = 0

    public init(panels: [PanelSpec], size: TerminalSize, paused: Bool = false, speed: Speed = .max) {
        self.panels = panels
        self.size = size
        self.paused = paused
        speedIndex = Speed.ladder.firstIndex(of: speed) ?? Speed.ladder.count - 1
    }

    public var speed: Speed { Speed.ladder[speedIndex] }

    /// The layout for the current size, focus and zoom.
    public var layout: DashboardLayout {
        DashboardLayout(panels: panels, size: size, zoomed: zoomed ? focus : nil)
    }
}

/// Key bindings, in the order the help overlay and key bar list them.
public enum KeyBindings {
    /// (keys, what they do) rows for the help overlay and the README.
    public static let help: [(keys: String, action: String)] = [
        ("space", "pause / resume"),
        ("n  .", "one step (pauses first)"),
        ("N", "one big step (trial, epoch or phase)"),
        ("+  -", "faster / slower (1 step/s ... max)"),
        ("r  R", "next / previous rule (weights kept)"),
        ("[  ]  <  >", "adjust the scene's first control"),
        ("f", "freeze the view (simulation continues)"),
        ("tab", "focus next panel (click selects)"),
        ("enter  z", "zoom the focused panel"),
        ("up  down", "scroll the focused teaching panel"),
        ("0", "reset with the same seed"),
        ("s", "reseed (seed + 1) and reset"),
        ("?", "this help"),
        ("q", "quit"),
    ]

    /// (key, label) pairs for the one-line key bar.
    public static let bar: [(key: String, label: String)] = [
        ("space", "pause"), ("n", "step"), ("N", "big step"), ("+/-", "speed"), ("r", "rule"),
        ("[ ]", "control"), ("f", "freeze"), ("tab", "focus"), ("z", "zoom"), ("?", "help"), ("q", "quit"),
        ("0", "reset"), ("s", "reseed"),
    ]
}

/// The dashboard's pure update function and helpers.
public enum AppLogic {
    /// Applies one input event: returns the new UI state and the commands to send to the
    /// simulation thread (in order). No side effects.
    public static func update(_ state: AppState, _ event: InputEvent) -> (AppState, [SimCommand]) {
        var s = state
        switch event {
        case .resize(let size):
            s.size = size
            return (s, [])
        case .mouse(let x, let y):
            if s.showHelp {
                s.showHelp = false
                return (s, [])
            }
            if !s.zoomed, let i = s.layout.panel(atX: x, y: y) { s.focus = i }
            return (s, [])
        case .key(let key):
            return keyPress(s, key)
        }
    }

    static func keyPress(_ state: AppState, _ key: Key) -> (AppState, [SimCommand]) {
        var s = state
        let count = s.panels.count
        switch key {
        case .char("q"), .char("Q"):
            s.quitting = true
            return (s, [.quit])
        case .char("?"):
            s.showHelp.toggle()
            return (s, [])
        case .escape:
            if s.showHelp { s.showHelp = false } else { s.zoomed = false }
            return (s, [])
        case .char(" "):
            s.paused.toggle()
            return (s, [.setPaused(s.paused)])
        case .char("n"), .char("."):
            return pausedThen(&s, .step(1))
        case .char("N"):
            return pausedThen(&s, .bigStep)
        case .char("+"), .char("="):
            s.speedIndex = min(s.speedIndex + 1, Speed.ladder.count - 1)
            return (s, [.setSpeed(s.speed)])
        case .char("-"), .char("_"):
            s.speedIndex = max(s.speedIndex - 1, 0)
            return (s, [.setSpeed(s.speed)])
        case .char("r"):
            return (s, [.cycleRule(1)])
        case .char("R"):
            return (s, [.cycleRule(-1)])
        case .char("f"):
            s.frozen.toggle()
            return (s, [])
        case .tab, .right:
            if count > 0 { s.focus = (s.focus + 1) % count }
            return (s, [])
        case .backTab, .left:
            if count > 0 { s.focus = (s.focus - 1 + count) % count }
            return (s, [])
        case .enter, .char("z"):
            if count > 0 { s.zoomed.toggle() }
            return (s, [])
        case .up, .down, .pageUp, .pageDown:
            guard s.panels.indices.contains(s.focus), s.panels[s.focus].content == .teaching else { return (s, []) }
            let delta = key == .up ? -1 : key == .down ? 1 : key == .pageUp ? -5 : 5
            s.teachingScroll = max(0, min(s.teachingScroll + delta, 1000))
            return (s, [])
        case .char("0"):
            return (s, [.reset])
        case .char("s"):
            return (s, [.reseed])
        case .char("["), .char("<"):
            return (s, [.nudgeControl(index: 0, steps: -1)])
        case .char("]"), .char(">"):
            return (s, [.nudgeControl(index: 0, steps: 1)])
        default:
            return (s, [])
        }
    }

    /// Single steps happen while paused: pause first if running.
    private static func pausedThen(_ s: inout AppState, _ command: SimCommand) -> (AppState, [SimCommand]) {
        if s.paused { return (s, [command]) }
        s.paused = true
        return (s, [.setPaused(true), command])
    }
}

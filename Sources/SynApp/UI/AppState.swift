#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore
import SynModels
import SynScenes
import TerminalBackend

/// The UI's own state (Bubble Tea style model): everything `update` needs and nothing the
/// simulation owns. Pure value; `AppLogic.reduce` maps (state, event) to a new state plus the
/// effects to carry out (commands for the simulation thread, files, another scene).
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
    /// Lines the help overlay is scrolled down (clamped to `helpScrollLimit`).
    public var helpScroll = 0
    /// What the UI asked the simulation for (the simulation's own flag arrives in snapshots).
    public var paused: Bool
    /// Index into `Speed.ladder`.
    public var speedIndex: Int
    /// Set by `q`: the app loop ends after this event.
    public var quitting = false
    /// Lines the teaching panel is scrolled down (up/down keys while it has focus), clamped to
    /// `teachingScrollLimit`.
    public var teachingScroll = 0
    /// The largest useful scroll of the teaching panel and of the help overlay for the last
    /// frame drawn (the app sets them after drawing), so presses beyond the ends do nothing.
    public var teachingScrollLimit = 0
    public var helpScrollLimit = 0
    /// The live control `[ ]` moves (`{ }` select), an index into `controls`.
    public var selectedControl = 0
    /// The scene's live controls, rules and keys as last seen (the app copies them from
    /// snapshots and the spec): what the control selector, `:set` and completion work on.
    public var controls: [Control] = []
    public var ruleNames: [String] = []
    /// Settable scene keys (`rule.eta`, ...) for `:set` completion.
    public var sceneKeys: [String] = []
    /// Scene names for `:scene` completion.
    public var sceneNames: [String] = []
    /// The `:` command line while it is open.
    public var prompt: CommandPrompt?
    /// The scene picker (`o`) while it is open.
    public var picker: ScenePicker?
    /// A one-line notice or error in the status bar (a written file, a rejected command);
    /// cleared by the next key.
    public var notice: Notice?
    /// The scene's guided tour (`[[tour]]`) and, while it runs (`t`), where it is.
    public var tourStops: [TourStop] = []
    public var tour: TourProgress?
    /// Receptive-field pages, the chart window, a chart readout, clickable places (`ViewLogic`).
    public var view = ViewState()
    /// The timeline (`T`) is open: the key bar shows a scrub bar over the rewindable past.
    public var timelineOpen = false
    /// The run's rewindable range as last seen (the app copies it from snapshots).
    public var timeline = TimelineFacts()

    public init(panels: [PanelSpec], size: TerminalSize, paused: Bool = false, speed: Speed = .max) {
        self.panels = panels
        self.size = size
        self.paused = paused
        speedIndex = Speed.ladder.firstIndex(of: speed) ?? Speed.nearestIndex(to: speed)
    }

    public var speed: Speed { Speed.ladder[speedIndex] }

    /// The layout for the current size, focus and zoom.
    public var layout: DashboardLayout {
        DashboardLayout(panels: panels, size: size, zoomed: zoomed ? focus : nil)
    }
}

/// A status-bar notice: what a command did, or why it failed.
public struct Notice: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// The `:` command line: the text typed so far and the completions offered by the last `tab`.
public struct CommandPrompt: Sendable, Equatable {
    public var text = ""
    public var candidates: [String] = []
    public init(text: String = "") { self.text = text }
}

/// One scene in the picker.
public struct SceneEntry: Sendable, Equatable {
    /// Scene name (file stem) and the file it comes from.
    public var name: String
    public var path: String
    public var title: String
    public var model: String
    /// First sentence of the description (or why the file does not load).
    public var summary: String
    public init(name: String, path: String, title: String, model: String, summary: String) {
        self.name = name
        self.path = path
        self.title = title
        self.model = model
        self.summary = summary
    }
}

/// The scene picker: every scene, filtered by what is typed; enter opens the selected one.
public struct ScenePicker: Sendable, Equatable {
    public var entries: [SceneEntry]
    public var query = ""
    /// Index into `matches`.
    public var selected = 0
    public init(entries: [SceneEntry]) { self.entries = entries }

    /// The entries whose name, title, model or summary contain every word of the query
    /// (case-insensitive), in list order.
    public var matches: [SceneEntry] {
        let words = query.lowercased().split(separator: " ")
        guard !words.isEmpty else { return entries }
        return entries.filter { e in
            let hay = (e.name + " " + e.title + " " + e.model + " " + e.summary).lowercased()
            return words.allSatisfy { hay.contains($0) }
        }
    }
}

/// Something `reduce` asks the app to do: a command for the simulation thread, or an effect
/// with I/O the pure update cannot do itself.
public enum AppEffect: Sendable, Equatable {
    case sim(SimCommand)
    /// Load the scene list and open the picker (`AppLogic.openPicker`).
    case listScenes
    /// Stop the runner and open another scene (a name or a path) in place.
    case openScene(String)
    /// Rebuild the current scene with one more `key=value` override and the same seed.
    case rebuild(override: String)
    /// Write the metrics measured so far (CSV or JSON Lines, by the file's extension).
    case exportMetrics(path: String, format: MetricsFormat)
    /// Write the current frame as plain text (and `.ans` with colours); nil: a default name.
    case screenshot(path: String?)
    /// Write a checkpoint of the run (`:save`); nil: a default name.
    case saveCheckpoint(path: String?)
    /// Race these rules beside the run (`:race a,b`); an empty list ends the race (`:race off`).
    case race(rules: [String])
    /// Step these seeds beside the run and draw their spread as a band on every chart
    /// (`:ensemble 2-5`); an empty list ends the ensemble (`:ensemble off`).
    case ensemble(seeds: [UInt64])
    /// End the app.
    case quit
}

/// Key bindings, in the order the help overlay and key bar list them.
public enum KeyBindings {
    /// (keys, what they do) rows for the help overlay and the README.
    public static let help: [(keys: String, action: String)] = [
        ("?  F1", "this help (up/down scroll it)"),
        ("q  Q  Ctrl-C", "quit"),
        ("space", "pause / resume"),
        ("n  .", "one step (pauses first)"),
        ("N", "one big step (trial, epoch or phase)"),
        ("b", "rewind one step (exact re-simulation)"),
        ("t", "start / end the scene's guided tour"),
        ("n  b  (tour)", "next / previous stop while a tour runs"),
        ("B", "rewind one big step"),
        ("T", "timeline: arrows, pages, home/end, click"),
        ("+  -  =  _", "faster / slower (1 step/s ... max)"),
        ("r  R", "next / previous rule (weights kept)"),
        ("{  }", "select the previous / next live control"),
        ("[  ]  <  >", "move the selected control down / up"),
        ("f", "freeze the view (simulation continues)"),
        ("tab  right", "focus next panel (click selects)"),
        ("shift-tab  left", "focus previous panel"),
        ("enter  z", "zoom the focused panel"),
        ("esc", "unzoom; close help, prompt, picker"),
        ("up  down", "scroll the focused teaching panel"),
        ("page-up  page-down", "scroll it by 5 lines; page receptive fields"),
        ("w", "charts: whole run / last 200 metric rows"),
        ("0", "reset with the same seed"),
        ("s", "reseed (seed + 1) and reset"),
        ("o", "scene picker (type to filter, enter opens)"),
        (":", "command line (tab completes):"),
        (":set KEY=VALUE", "live control, else rebuild (same seed)"),
        (":rule NAME", "switch to a rule of the scene"),
        (":seed N", "reset with seed N"),
        (":scene NAME", "open another scene"),
        (":export FILE", "metrics so far (.csv or .jsonl)"),
        (":screenshot [FILE]", "this frame (.txt and .ans)"),
        (":save [FILE]", "checkpoint (resume: --resume FILE)"),
        (":goto STEP", "go to a step (-N / +N: relative)"),
        (":race A,B", "race rules beside the run (:race off)"),
        (":ensemble 2-5", "seeds beside the run, spread as a band"),
        (":q", "quit"),
        ("click", "focus a panel; pick a control, rule or key"),
        ("click a chart", "read x and y there (again: off)"),
        ("mouse wheel", "scroll help, teaching text, field pages"),
    ]

    /// (key, label) pairs for the one-line key bar; help and quit first so they are never
    /// dropped at narrow widths.
    public static let bar: [(key: String, label: String)] = [
        ("?", "help"), ("q", "quit"), ("space", "pause"), ("n", "step"), ("+/-", "speed"), ("r", "rule"),
        ("{ }", "select"), ("[ ]", "control"), ("o", "scenes"), (":", "command"), ("N", "big step"), ("b", "back"), ("f", "freeze"),
        ("tab", "focus"), ("z", "zoom"), ("w", "window"), ("0", "reset"), ("s", "reseed"),
    ]

    /// The most seeds an ensemble in the dashboard steps beside the run (`--ensemble`, `:ensemble`).
    public static let maxEnsembleSeeds = 16

    /// The `:` commands, for completion.
    public static let commands = ["set", "rule", "seed", "scene", "export", "screenshot", "save", "goto", "race", "ensemble", "q", "quit"]
}

/// The dashboard's pure update function and helpers.
public enum AppLogic {
    /// Applies one input event: returns the new UI state and the commands to send to the
    /// simulation thread (in order); effects other than simulation commands are left out (see
    /// `reduce`). No side effects.
    public static func update(_ state: AppState, _ event: InputEvent) -> (AppState, [SimCommand]) {
        let (s, effects) = reduce(state, event)
        return (s, effects.compactMap { if case .sim(let c) = $0 { c } else { nil } })
    }

    /// Applies one input event: the new UI state and every effect, in order. No side effects.
    public static func reduce(_ state: AppState, _ event: InputEvent) -> (AppState, [AppEffect]) {
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
            if s.prompt != nil || s.picker != nil { return (s, []) }
            return ViewLogic.click(s, x: x, y: y)
        case .wheel(let x, let y, let delta):
            return ViewLogic.wheel(s, x: x, y: y, delta: delta)
        case .key(let key):
            s.notice = nil
            if s.picker != nil { return pickerKey(s, key) }
            if s.prompt != nil { return promptKey(s, key) }
            return keyPress(s, key)
        }
    }

    static func keyPress(_ state: AppState, _ key: Key) -> (AppState, [AppEffect]) {
        var s = state
        let count = s.panels.count
        if s.showHelp, let delta = scrollDelta(key) {
            s.helpScroll = max(0, min(s.helpScroll + delta, s.helpScrollLimit))
            return (s, [])
        }
        if s.timelineOpen, !s.showHelp, let moved = TimelineLogic.key(s, key) { return moved }
        if let viewed = ViewLogic.key(s, key) { return viewed }
        switch key {
        case .char("T"):
            s.timelineOpen.toggle()
            return (s, [])
        case .char("q"), .char("Q"):
            s.quitting = true
            return (s, [.sim(.quit), .quit])
        case .char("?"), .function(1):
            s.showHelp.toggle()
            s.helpScroll = 0
            return (s, [])
        case .escape:
            if s.showHelp { s.showHelp = false } else { s.zoomed = false }
            return (s, [])
        case .char(" "):
            s.paused.toggle()
            return (s, [.sim(.setPaused(s.paused))])
        case .char("n") where s.tour != nil:
            return tourKey(s, forward: true)
        case .char("b") where s.tour != nil:
            return tourKey(s, forward: false)
        case .char("t"):
            return toggleTour(s)
        case .char("n"), .char("."):
            return pausedThen(&s, .step(1))
        case .char("N"):
            return pausedThen(&s, .bigStep)
        case .char("b"):
            return pausedThen(&s, .rewind(1))
        case .char("B"):
            return pausedThen(&s, .rewindBigStep)
        case .char("+"), .char("="):
            s.speedIndex = min(s.speedIndex + 1, Speed.ladder.count - 1)
            return (s, [.sim(.setSpeed(s.speed))])
        case .char("-"), .char("_"):
            s.speedIndex = max(s.speedIndex - 1, 0)
            return (s, [.sim(.setSpeed(s.speed))])
        case .char("r"):
            return (s, [.sim(.cycleRule(1))])
        case .char("R"):
            return (s, [.sim(.cycleRule(-1))])
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
            guard s.panels.indices.contains(s.focus), s.panels[s.focus].content == .teaching,
                  let delta = scrollDelta(key) else { return (s, []) }
            s.teachingScroll = max(0, min(s.teachingScroll + delta, s.teachingScrollLimit))
            return (s, [])
        case .char("0"):
            return (s, [.sim(.reset)])
        case .char("s"):
            return (s, [.sim(.reseed)])
        case .char("{"), .char("}"):
            let n = s.controls.count
            guard n > 0 else {
                s.notice = Notice("this scene has no live controls")
                return (s, [])
            }
            let k = key == .char("}") ? 1 : -1
            s.selectedControl = ((s.selectedControl + k) % n + n) % n
            return (s, [])
        case .char("["), .char("<"):
            return nudge(s, -1)
        case .char("]"), .char(">"):
            return nudge(s, 1)
        case .char(":"):
            s.prompt = CommandPrompt()
            return (s, [])
        case .char("o"):
            return (s, [.listScenes])
        default:
            return (s, [])
        }
    }

    static func scrollDelta(_ key: Key) -> Int? {
        switch key {
        case .up: -1
        case .down: 1
        case .pageUp: -5
        case .pageDown: 5
        default: nil
        }
    }

    static func nudge(_ state: AppState, _ steps: Int) -> (AppState, [AppEffect]) {
        var s = state
        // Before the first snapshot names the controls, the first one moves.
        let index = s.controls.isEmpty ? 0 : min(s.selectedControl, s.controls.count - 1)
        s.selectedControl = index
        return (s, [.sim(.nudgeControl(index: index, steps: steps))])
    }

    /// Single steps happen while paused: pause first if running.
    static func pausedThen(_ s: inout AppState, _ command: SimCommand) -> (AppState, [AppEffect]) {
        if s.paused { return (s, [.sim(command)]) }
        s.paused = true
        return (s, [.sim(.setPaused(true)), .sim(command)])
    }

    /// The app copies the scene's live facts into the state (from a snapshot); keeps the
    /// selected control in range.
    public static func sceneFacts(_ state: AppState, controls: [Control], ruleNames: [String]) -> AppState {
        var s = state
        if s.controls != controls { s.controls = controls }
        if s.ruleNames != ruleNames { s.ruleNames = ruleNames }
        if s.selectedControl >= controls.count { s.selectedControl = max(0, controls.count - 1) }
        return s
    }

    // MARK: - Scene picker

    /// Opens the picker on `entries` (the app loaded them for `.listScenes`).
    public static func openPicker(_ state: AppState, entries: [SceneEntry]) -> AppState {
        var s = state
        s.picker = ScenePicker(entries: entries)
        s.showHelp = false
        s.prompt = nil
        return s
    }

    static func pickerKey(_ state: AppState, _ key: Key) -> (AppState, [AppEffect]) {
        var s = state
        guard var p = s.picker else { return (s, []) }
        let matches = p.matches
        switch key {
        case .escape:
            s.picker = nil
            return (s, [])
        case .enter:
            guard matches.indices.contains(p.selected) else {
                s.notice = Notice("no scene matches \"\(p.query)\"", isError: true)
                return (s, [])
            }
            s.picker = nil
            return (s, [.openScene(matches[p.selected].path)])
        case .up: p.selected = max(0, p.selected - 1)
        case .down, .tab: p.selected = min(max(0, matches.count - 1), p.selected + 1)
        case .pageUp: p.selected = max(0, p.selected - 5)
        case .pageDown: p.selected = min(max(0, matches.count - 1), p.selected + 5)
        case .backspace:
            if !p.query.isEmpty { p.query.removeLast() }
            p.selected = 0
        case .char(let c):
            p.query.append(c)
            p.selected = 0
        default: break
        }
        s.picker = p
        return (s, [])
    }

    // MARK: - Command line

    static func promptKey(_ state: AppState, _ key: Key) -> (AppState, [AppEffect]) {
        var s = state
        guard var p = s.prompt else { return (s, []) }
        switch key {
        case .escape:
            s.prompt = nil
            return (s, [])
        case .enter:
            s.prompt = nil
            return run(command: p.text, in: s)
        case .backspace:
            if p.text.isEmpty {
                s.prompt = nil
                return (s, [])
            }
            p.text.removeLast()
            p.candidates = []
        case .tab:
            p = complete(p, state: s)
        case .char(let c):
            p.text.append(c)
            p.candidates = []
        default: break
        }
        s.prompt = p
        return (s, [])
    }

    /// Tab completion: commands for the first word; after `set`, the scene's keys and live
    /// controls (and an enumerated control's names after `=`); after `rule`, its rules; after
    /// `scene`, the scene names. A single match is completed; several are extended to their
    /// common prefix and listed.
    public static func complete(_ prompt: CommandPrompt, state: AppState) -> CommandPrompt {
        var p = prompt
        let text = p.text
        let head: String, word: String, options: [String], suffix: String
        if let space = text.firstIndex(of: " ") {
            let command = String(text[..<space])
            let rest = String(text[text.index(after: space)...])
            switch command {
            case "set":
                if let eq = rest.firstIndex(of: "=") {
                    let key = String(rest[..<eq])
                    let name = key.split(separator: ".").last.map(String.init) ?? key
                    head = "set " + key + "="
                    word = String(rest[rest.index(after: eq)...])
                    options = state.controls.first { $0.name == name }?.labels ?? []
                    suffix = ""
                } else {
                    head = "set "
                    word = rest
                    var keys = state.controls.map(\.name)
                    for k in state.sceneKeys where !keys.contains(k) { keys.append(k) }
                    options = keys
                    suffix = "="
                }
            case "rule": head = "rule "; word = rest; options = state.ruleNames; suffix = ""
            case "scene": head = "scene "; word = rest; options = state.sceneNames; suffix = ""
            default:
                p.candidates = []
                return p
            }
        } else {
            head = ""
            word = text
            options = KeyBindings.commands
            suffix = " "
        }
        let matches = options.filter { $0.hasPrefix(word) }
        if matches.count == 1, let only = matches.first {
            p.text = head + only + suffix
            p.candidates = []
        } else if !matches.isEmpty {
            p.text = head + commonPrefix(matches)
            p.candidates = matches
        } else {
            p.candidates = []
        }
        return p
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// Parses and runs one command line (without the `:`). Errors become an error notice.
    public static func run(command text: String, in state: AppState) -> (AppState, [AppEffect]) {
        var s = state
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first else { return (s, []) }
        let args = Array(words.dropFirst())
        func fail(_ message: String) -> (AppState, [AppEffect]) {
            s.notice = Notice(message, isError: true)
            return (s, [])
        }
        switch verb {
        case "q", "quit", "q!":
            s.quitting = true
            return (s, [.sim(.quit), .quit])
        case "set":
            let assignment = args.joined(separator: " ")
            guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else {
                return fail(":set: expected KEY=VALUE, e.g. :set rule.eta=0.01")
            }
            let key = String(assignment[..<eq]).trimmingCharacters(in: " ")
            let raw = String(assignment[assignment.index(after: eq)...]).trimmingCharacters(in: " ")
            guard !raw.isEmpty else { return fail(":set \(key): expected a value after =") }
            let name = key.split(separator: ".").last.map(String.init) ?? key
            if let c = s.controls.first(where: { $0.name == key || $0.name == name }) {
                if let v = c.value(forLabel: raw) ?? Double(raw) {
                    s.notice = Notice("\(c.name) = \(raw) (live)")
                    return (s, [.sim(.setControl(c.name, v))])
                }
                if let labels = c.labels {
                    return fail("\(c.name): expected one of \(labels.joined(separator: ", ")), got \(raw)")
                }
                return fail("\(c.name): expected a number, got \(raw)")
            }
            return (s, [.rebuild(override: key + "=" + raw)])
        case "rule":
            guard let name = args.first, args.count == 1 else { return fail(":rule: expected a rule name (one of: \(s.ruleNames.joined(separator: ", ")))") }
            guard s.ruleNames.isEmpty || s.ruleNames.contains(name) else {
                return fail("unknown rule \"\(name)\" (one of: \(s.ruleNames.joined(separator: ", ")))")
            }
            return (s, [.sim(.selectRule(name))])
        case "seed":
            guard args.count == 1, let seed = UInt64(args[0]) else { return fail(":seed: expected a non-negative integer, e.g. :seed 7") }
            return (s, [.sim(.setSeed(seed))])
        case "scene", "e", "open":
            guard args.count == 1 else { return fail(":scene: expected a scene name or .toml path (o lists them)") }
            return (s, [.openScene(args[0])])
        case "export", "w":
            guard args.count == 1 else { return fail(":export: expected a file name ending in .csv or .jsonl") }
            guard let format = MetricsFormat(path: args[0]) else {
                return fail(":export \(args[0]): expected a file name ending in .csv or .jsonl")
            }
            return (s, [.exportMetrics(path: args[0], format: format)])
        case "screenshot":
            guard args.count <= 1 else { return fail(":screenshot: expected at most one file name") }
            return (s, [.screenshot(path: args.first)])
        case "race":
            let names = args.joined(separator: ",").split(separator: ",").map(String.init)
            guard !names.isEmpty else { return fail(":race: expected rules to race beside the run, e.g. :race fa,dfa (or :race off)") }
            if names == ["off"] { return (s, [.race(rules: [])]) }
            if let bad = names.first(where: { !s.ruleNames.isEmpty && !s.ruleNames.contains($0) }) {
                return fail("unknown rule \"\(bad)\" (one of: \(s.ruleNames.joined(separator: ", ")))")
            }
            return (s, [.race(rules: names)])
        case "ensemble":
            // "2-4", "2,9", "2, 9" and "2 9" all list seeds.
            let list = args.joined(separator: ",").split(separator: ",").joined(separator: ",")
            if list == "off" { return (s, [.ensemble(seeds: [])]) }
            switch SeedList.parse(list, option: ":ensemble", limit: KeyBindings.maxEnsembleSeeds) {
            case .success(let seeds): return (s, [.ensemble(seeds: seeds)])
            case .failure(let e): return fail(e.message + "; :ensemble off ends it")
            }
        case "goto", "g":
            guard args.count == 1 else { return fail(":goto: expected one step, e.g. :goto 1200 (or -50, +50)") }
            return TimelineLogic.goTo(s, argument: args[0])
        case "save":
            guard args.count <= 1 else { return fail(":save: expected at most one file name") }
            return (s, [.saveCheckpoint(path: args.first)])
        default:
            var message = "unknown command \":\(verb)\""
            if let near = Suggest.closest(to: verb, in: KeyBindings.commands) { message += ", did you mean \":\(near)\"?" }
            return fail(message + " (one of: " + KeyBindings.commands.joined(separator: ", ") + ")")
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}

extension Speed {
    /// The ladder entry closest to `speed` on a log scale (`max` for `max`).
    static func nearestIndex(to speed: Speed) -> Int {
        guard case .stepsPerSecond(let r) = speed, r > 0 else { return ladder.count - 1 }
        var best = ladder.count - 1, bestDistance = Double.infinity
        for (i, s) in ladder.enumerated() {
            guard case .stepsPerSecond(let v) = s else { continue }
            let d = abs(log2(v) - log2(r))
            if d < bestDistance {
                best = i
                bestDistance = d
            }
        }
        return best
    }
}

import Testing
import SynScenes
import TerminalBackend
@testable import SynApp

/// The tour keys: `t` starts and ends a tour, and while it runs `n` / `b` go between stops
/// (stepping to a fixed step, rewinding back, running until a condition holds).
@Suite struct TourStateTests {
    static func state() throws -> AppState {
        let spec = try loadScene("oja")
        var s = AppState(panels: spec.panels, size: TerminalSize(width: 120, height: 40), paused: false)
        s.tourStops = [
            TourStop(place: .step(0), panel: "w (inputs)", text: "start"),
            TourStop(place: .when(.init(metric: "alignment", comparison: .greater, value: 0.99)), panel: "|cos(w, PC1)|", text: "there"),
            TourStop(place: .step(3000), pause: false, text: "later", key: "r"),
        ]
        return s
    }

    @Test func tourKeysMoveBetweenStops() throws {
        var s = try Self.state()
        var effects: [AppEffect]
        (s, effects) = AppLogic.reduce(s, .key(.char("t")))
        #expect(s.tour?.index == 0)
        #expect(effects == [.sim(.setPaused(true)), .sim(.goTo(0))])
        #expect(s.panels[s.focus].title == "w (inputs)")
        #expect(AppLogic.tourText(s)?.hasPrefix("Tour 1/3: start") == true)
        (s, effects) = AppLogic.reduce(s, .key(.char("n")))
        #expect(s.tour?.index == 1)
        #expect(effects == [.sim(.runUntil(.init(metric: "alignment", comparison: .greater, value: 0.99)))])
        #expect(s.panels[s.focus].title == "|cos(w, PC1)|")
        s = AppLogic.tourFacts(s, untilMetAt: 400)
        #expect(s.tour?.reachedAt[1] == 400)
        (s, effects) = AppLogic.reduce(s, .key(.char("n")))
        #expect(effects == [.sim(.setPaused(true)), .sim(.goTo(3000)), .sim(.setPaused(false))])
        #expect(AppLogic.tourText(s)?.contains("Try: r.") == true)
        (s, effects) = AppLogic.reduce(s, .key(.char("n")))
        #expect(effects.isEmpty)
        #expect(s.notice?.text.contains("last stop") == true)
        // b goes back to where the condition held, by rewinding.
        (s, effects) = AppLogic.reduce(s, .key(.char("b")))
        #expect(s.tour?.index == 1)
        #expect(effects.last == .sim(.goTo(400)))
        (s, effects) = AppLogic.reduce(s, .key(.char("t")))
        #expect(s.tour == nil)
        // Without a tour, n steps and b rewinds.
        (s, effects) = AppLogic.reduce(s, .key(.char("b")))
        #expect(effects.last == .sim(.rewind(1)))
        (s, effects) = AppLogic.reduce(s, .key(.char("n")))
        #expect(effects.last == .sim(.step(1)))
    }

    @Test func aSceneWithoutATourSaysSo() throws {
        var s = try Self.state()
        s.tourStops = []
        let (next, effects) = AppLogic.reduce(s, .key(.char("t")))
        #expect(effects.isEmpty && next.tour == nil)
        #expect(next.notice?.text == "this scene has no tour")
    }

    @Test func saveCommandAsksForACheckpoint() throws {
        let s = try Self.state()
        #expect(AppLogic.run(command: "save x.ckpt", in: s).1 == [.saveCheckpoint(path: "x.ckpt")])
        #expect(AppLogic.run(command: "save", in: s).1 == [.saveCheckpoint(path: nil)])
        #expect(AppLogic.run(command: "save a b", in: s).0.notice?.isError == true)
    }
}

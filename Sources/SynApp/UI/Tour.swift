import SynScenes

/// Where a running guided tour is: the current stop and the step each stop was reached at
/// (so `b` can go back to a `when` stop by rewinding).
public struct TourProgress: Sendable, Equatable {
    public var index: Int
    public var reachedAt: [Int?]
    public init(count: Int) {
        index = 0
        reachedAt = Array(repeating: nil, count: count)
    }
}

extension AppLogic {
    /// `t`: starts the tour at its first stop, or ends it.
    static func toggleTour(_ state: AppState) -> (AppState, [AppEffect]) {
        var s = state
        if s.tour != nil {
            s.tour = nil
            s.notice = Notice("tour ended")
            return (s, [])
        }
        guard !s.tourStops.isEmpty else {
            s.notice = Notice("this scene has no tour")
            return (s, [])
        }
        s.tour = TourProgress(count: s.tourStops.count)
        return goToStop(s, 0, forward: true)
    }

    /// While a tour runs, `n` and `b` move between its stops (they step and rewind otherwise).
    static func tourKey(_ state: AppState, forward: Bool) -> (AppState, [AppEffect]) {
        var s = state
        guard let t = s.tour else { return (s, []) }
        let next = t.index + (forward ? 1 : -1)
        guard s.tourStops.indices.contains(next) else {
            s.notice = Notice(forward ? "last stop of the tour (t ends it)" : "first stop of the tour (t ends it)")
            return (s, [])
        }
        return goToStop(s, next, forward: forward)
    }

    /// Moves to stop `i`: focuses its panel, then steps to its step (or rewinds), or runs until
    /// its condition holds; pauses there unless the stop says `pause = false`.
    static func goToStop(_ state: AppState, _ i: Int, forward: Bool) -> (AppState, [AppEffect]) {
        var s = state
        guard var t = s.tour, s.tourStops.indices.contains(i) else { return (s, []) }
        let stop = s.tourStops[i]
        t.index = i
        s.tour = t
        if let title = stop.panel, let p = s.panels.firstIndex(where: { $0.title == title }) {
            s.focus = p
            s.zoomed = false
        }
        var effects: [AppEffect] = []
        let target: Int?
        switch stop.place {
        case .step(let n): target = n
        case .when(let c):
            if let at = t.reachedAt[i], !forward {
                target = at
            } else {
                target = nil
                s.paused = false
                effects.append(.sim(.runUntil(c)))
                s.notice = Notice("tour: running until \(c.text)")
            }
        }
        if let target {
            if !s.paused { effects.append(.sim(.setPaused(true))) }
            s.paused = true
            effects.append(.sim(.goTo(target)))
            if !stop.pause {
                s.paused = false
                effects.append(.sim(.setPaused(false)))
            }
        }
        return (s, effects)
    }

    /// Records where a `when` stop was reached (from a snapshot).
    public static func tourFacts(_ state: AppState, untilMetAt: Int?) -> AppState {
        guard var t = state.tour, let at = untilMetAt, t.reachedAt.indices.contains(t.index), t.reachedAt[t.index] == nil,
              case .when = state.tourStops[t.index].place else { return state }
        var s = state
        t.reachedAt[t.index] = at
        s.tour = t
        return s
    }

    /// The paragraph of the current stop for the teaching panel (nil without a tour).
    public static func tourText(_ state: AppState) -> String? {
        guard let t = state.tour, state.tourStops.indices.contains(t.index) else { return nil }
        let stop = state.tourStops[t.index]
        var text = "Tour \(t.index + 1)/\(state.tourStops.count): " + stop.text
        if let key = stop.key { text += " Try: " + key + "." }
        text += " (n next stop, b back, t ends the tour)"
        return text
    }
}

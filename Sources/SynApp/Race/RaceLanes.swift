import Dispatch
import Foundation
import Synchronization
import SynModels
import SynScenes

/// The other lanes of a rule race in the dashboard (`synaptop SCENE --race a,b`, `:race a,b`):
/// one copy of the scene per extra rule, built from the dashboard run's seed (the same initial
/// weights and input stream, as `synaptop race` builds them), stepped on a thread of their own
/// so they use the second core, following the dashboard's run.
///
/// The dashboard's run stays the first lane, with everything the dashboard does (rewind,
/// controls, tours). The other lanes follow it: they step to its step, and replay its control
/// changes at the same steps (its rule switches are its own), so every lane sees the same
/// inputs and settings and differs only in its rule. When the run goes back (a rewind, a reset,
/// a new seed) or its controls fork, the lanes are rebuilt and re-simulated to its step, which
/// is exact because runs are deterministic. A lane's rows equal a plain run of its rule (tested).
public final class RaceLanes: Sendable {
    /// What the dashboard draws of one lane.
    public struct Lane: Sendable {
        public var rule: String
        public var step: Int
        public var history: MetricHistory
        /// Panel views at `step` (refreshed while the dashboard asks for them).
        public var views: [String: PanelView]
        /// The metric that stopped being finite, if the lane diverged (it then stops).
        public var divergence: String?
    }

    struct Shared {
        var target = 0
        var seed: UInt64
        var events: [SessionEvent] = []
        var lanes: [Lane]
        var wantViews = true
        var quit = false
        var finished = false
    }

    public let rules: [String]
    private let shared: Mutex<Shared>
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    private let spec: SceneSpec

    /// Builds one lane per rule from `seed`; an unknown rule (or the dashboard's own) is a
    /// one-line error naming the valid ones.
    public init(spec: SceneSpec, seed: UInt64, rules: [String], mainRule: String) throws(SceneError) {
        guard !rules.isEmpty else { throw SceneError(file: spec.file, key: nil, message: "race: expected at least one rule") }
        var lanes: [Lane] = []
        for rule in rules {
            let s = try Self.build(spec: spec, seed: seed, rule: rule)
            guard rule != mainRule else {
                throw SceneError(file: spec.file, key: nil, message: "race: \(rule) is the dashboard's own rule; name the others")
            }
            var h = MetricHistory(columns: s.metricNames.count)
            var copy = s
            h.append(copy.measureRow())
            lanes.append(Lane(rule: rule, step: s.step, history: h, views: s.sim.views(), divergence: nil))
        }
        self.spec = spec
        self.rules = rules
        shared = Mutex(Shared(seed: seed, lanes: lanes))
    }

    static func build(spec: SceneSpec, seed: UInt64, rule: String) throws(SceneError) -> SceneSession {
        var s = try SceneSession(spec: spec, seed: seed)
        guard s.selectRule(named: rule) else {
            throw SceneError(file: spec.file, key: nil,
                             message: "race: unknown rule \"\(rule)\" (one of: \(s.sim.ruleNames.joined(separator: ", ")))")
        }
        return s
    }

    /// The lanes as last published.
    public var lanes: [Lane] { shared.withLock { $0.lanes } }

    /// Where the dashboard's run is: its step, seed and logged events (its control changes are
    /// replayed in every lane). Cheap; call it with every snapshot.
    public func follow(step: Int, seed: UInt64, events: [SessionEvent], views: Bool) {
        let changed = shared.withLock { s -> Bool in
            let controls = events.filter { if case .control = $0.kind { true } else { false } }
            let c = s.target != step || s.seed != seed || s.events != controls || (views && !s.wantViews)
            s.target = step
            s.seed = seed
            s.events = controls
            s.wantViews = s.wantViews || views
            return c
        }
        if changed { wake.signal() }
    }

    public func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in self.loop() }
        thread.name = "synaptop-race"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Stops the lanes' thread and waits for it (idempotent).
    public func stop() {
        guard started.load(ordering: .acquiring) else { return }
        let finished = shared.withLock { s -> Bool in
            s.quit = true
            return s.finished
        }
        if finished { return }
        wake.signal()
        done.wait()
        done.signal()
    }

    /// The lanes' own state on their thread.
    private struct Copy {
        var session: SceneSession
        var history: MetricHistory
        /// Control events applied so far (a prefix of the run's).
        var applied: [SessionEvent]
    }

    private func fresh(seed: UInt64) -> [Copy] {
        rules.compactMap { rule in
            guard var s = try? Self.build(spec: spec, seed: seed, rule: rule) else { return nil }
            var h = MetricHistory(columns: s.metricNames.count)
            h.append(s.measureRow())
            return Copy(session: s, history: h, applied: [])
        }
    }

    private func loop() {
        var seed = shared.withLock { $0.seed }
        var copies = fresh(seed: seed)
        let clock = ContinuousClock()
        var lastViews = clock.now - .seconds(1)
        // Views are recomputed only when a lane moved since they were last computed (a paused
        // run costs this thread nothing).
        var viewsStale = true
        while true {
            let (target, newSeed, events, wantViews, quit) = shared.withLock { s in (s.target, s.seed, s.events, s.wantViews, s.quit) }
            if quit { break }
            // Gone back, new seed, or the run's controls forked from what the lanes replayed:
            // start over from the seed (deterministic, so the lanes land on the same numbers).
            let behind = copies.contains { $0.session.step > target || !events.starts(with: $0.applied) }
            if newSeed != seed || behind {
                seed = newSeed
                copies = fresh(seed: seed)
                viewsStale = true
            }
            var worked = false
            let sliceEnd = clock.now + .milliseconds(20)
            for i in copies.indices where copies[i].session.divergence == nil {
                while copies[i].session.step < target && clock.now < sliceEnd {
                    var c = copies[i]
                    // Step to the next control change (applied at its step, as the run did), or
                    // a chunk towards the target.
                    let next = events.dropFirst(c.applied.count).first
                    let stop = min(target, next.map { max($0.step, c.session.step) } ?? target, c.session.step + 1000)
                    if stop > c.session.step { c.history.append(c.session.advance(stop - c.session.step)) }
                    while let e = events.dropFirst(c.applied.count).first, e.step <= c.session.step {
                        _ = c.session.apply(e)
                        c.applied.append(e)
                    }
                    copies[i] = c
                    worked = true
                    if c.session.divergence != nil { break }
                }
            }
            if worked { viewsStale = true }
            let now = clock.now
            let viewsDue = wantViews && viewsStale && now - lastViews >= .milliseconds(100)
            if worked || viewsDue {
                if viewsDue {
                    lastViews = now
                    viewsStale = false
                }
                let published = copies.enumerated().map { i, c in
                    Lane(rule: rules[i], step: c.session.step, history: c.history,
                         views: viewsDue ? c.session.sim.views() : [:], divergence: c.session.divergence)
                }
                shared.withLock { s in
                    for (i, lane) in published.enumerated() where s.lanes.indices.contains(i) {
                        let keptViews = s.lanes[i].views
                        s.lanes[i] = lane
                        if !viewsDue { s.lanes[i].views = keptViews }
                    }
                    if viewsDue { s.wantViews = false }
                }
            }
            let caughtUp = copies.allSatisfy { $0.session.step >= target || $0.session.divergence != nil }
            if caughtUp && !viewsDue { _ = wake.wait(timeout: .now() + .milliseconds(100)) }
        }
        shared.withLock { $0.finished = true }
        done.signal()
    }
}

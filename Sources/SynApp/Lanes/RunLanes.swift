import Dispatch
import Foundation
import Synchronization
import SynModels
import SynScenes

/// The other lanes of the dashboard's run: a rule race (`synaptop SCENE --race a,b`,
/// `:race a,b`: one copy per extra rule from the run's seed, the same initial weights and input
/// stream, as `synaptop race` builds them) or a seed ensemble (`--ensemble 2-5`,
/// `:ensemble 2-5`: one copy per extra seed with the run's rule and settings, as
/// `synaptop ensemble` builds them). The lanes step on a thread of their own, so they use the
/// second core, following the dashboard's run.
///
/// The dashboard's run stays the first lane, with everything the dashboard does (rewind,
/// controls, tours). The other lanes follow it: they step to its step and replay its changes
/// at the same steps (a race replays its control changes only: its rule switches are its own;
/// an ensemble replays every change, rule switches too), so the lanes differ from the run only
/// in their rule or their seed. When the run goes back (a rewind, a reset, a new seed) or its
/// changes fork, the lanes are rebuilt and re-simulated to its step, which is exact because
/// runs are deterministic. A lane's rows equal a plain run of its rule or seed (tested).
public final class RunLanes: Sendable {
    /// What the lanes vary.
    public enum Kind: Sendable, Equatable {
        /// One lane per rule, from the run's seed.
        case rules([String])
        /// One lane per seed, with the run's rule and settings.
        case seeds([UInt64])
    }

    /// What the dashboard draws of one lane.
    public struct Lane: Sendable {
        /// The lane's name in legends: its rule (race) or "seed N" (ensemble).
        public var label: String
        public var rule: String
        public var seed: UInt64
        public var step: Int
        public var history: MetricHistory
        /// Panel views at `step` (refreshed while the dashboard asks for them; a race only).
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

    public let kind: Kind
    private let shared: Mutex<Shared>
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    private let spec: SceneSpec

    /// A race: one lane per rule from the run's `seed`; an unknown rule (or the run's own) is
    /// a one-line error naming the valid ones.
    public convenience init(spec: SceneSpec, seed: UInt64, rules: [String], mainRule: String) throws(SceneError) {
        guard !rules.isEmpty else { throw SceneError(file: spec.file, key: nil, message: "race: expected at least one rule") }
        if rules.contains(mainRule) {
            throw SceneError(file: spec.file, key: nil, message: "race: \(mainRule) is the dashboard's own rule; name the others")
        }
        try self.init(spec: spec, kind: .rules(rules), runSeed: seed)
    }

    /// An ensemble: one lane per seed in `seeds` (the run's own seed excluded: it is the first
    /// lane already), built like the run from `spec`.
    public convenience init(spec: SceneSpec, seeds: [UInt64], runSeed: UInt64) throws(SceneError) {
        guard !seeds.isEmpty else { throw SceneError(file: spec.file, key: nil, message: "ensemble: expected at least one seed") }
        guard Set(seeds).count == seeds.count else { throw SceneError(file: spec.file, key: nil, message: "ensemble: a seed is listed twice") }
        if seeds.contains(runSeed) {
            throw SceneError(file: spec.file, key: nil, message: "ensemble: seed \(runSeed) is the run's own; name the others")
        }
        try self.init(spec: spec, kind: .seeds(seeds), runSeed: runSeed)
    }

    private init(spec: SceneSpec, kind: Kind, runSeed: UInt64) throws(SceneError) {
        self.spec = spec
        self.kind = kind
        var lanes: [Lane] = []
        for i in 0..<Self.count(kind) {
            var s = try Self.build(spec: spec, kind: kind, lane: i, runSeed: runSeed)
            var h = MetricHistory(columns: s.metricNames.count)
            h.append(s.measureRow())
            lanes.append(Lane(label: Self.label(kind, i), rule: s.ruleName, seed: s.seed, step: s.step, history: h,
                              views: Self.wantsViews(kind) ? s.sim.views() : [:], divergence: nil))
        }
        shared = Mutex(Shared(seed: runSeed, lanes: lanes, wantViews: Self.wantsViews(kind)))
    }

    static func count(_ kind: Kind) -> Int {
        switch kind {
        case .rules(let r): r.count
        case .seeds(let s): s.count
        }
    }

    static func label(_ kind: Kind, _ i: Int) -> String {
        switch kind {
        case .rules(let r): r[i]
        case .seeds(let s): "seed \(s[i])"
        }
    }

    /// A race shows each lane's views beside the run's; an ensemble draws its band on the
    /// charts only, so its lanes never compute views.
    static func wantsViews(_ kind: Kind) -> Bool {
        if case .rules = kind { true } else { false }
    }

    /// Lane `i` at step 0: the run's seed switched to the lane's rule, or the lane's seed.
    static func build(spec: SceneSpec, kind: Kind, lane i: Int, runSeed: UInt64) throws(SceneError) -> SceneSession {
        switch kind {
        case .rules(let rules):
            var s = try SceneSession(spec: spec, seed: runSeed)
            guard s.selectRule(named: rules[i]) else {
                throw SceneError(file: spec.file, key: nil,
                                 message: "race: unknown rule \"\(rules[i])\" (one of: \(s.sim.ruleNames.joined(separator: ", ")))")
            }
            return s
        case .seeds(let seeds):
            return try SceneSession(spec: spec, seed: seeds[i])
        }
    }

    /// The run's changes a lane replays: a race's lanes keep their own rule.
    func replayed(_ events: [SessionEvent]) -> [SessionEvent] {
        guard case .rules = kind else { return events }
        return events.filter { if case .control = $0.kind { true } else { false } }
    }

    /// The lanes as last published.
    public var lanes: [Lane] { shared.withLock { $0.lanes } }

    /// Where the dashboard's run is: its step, seed and logged events (replayed in every lane: a
    /// race's lanes take its control changes, an ensemble's every change). Cheap; call it with
    /// every snapshot.
    public func follow(step: Int, seed: UInt64, events: [SessionEvent], views: Bool) {
        let changed = shared.withLock { s -> Bool in
            let replayed = replayed(events)
            let wantViews = views && Self.wantsViews(kind)
            let c = s.target != step || s.seed != seed || s.events != replayed || (wantViews && !s.wantViews)
            s.target = step
            s.seed = seed
            s.events = replayed
            s.wantViews = s.wantViews || wantViews
            return c
        }
        if changed { wake.signal() }
    }

    public func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in self.loop() }
        thread.name = "synaptop-lanes"
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
        /// Events applied so far (a prefix of the run's replayed events).
        var applied: [SessionEvent]
    }

    private func fresh(seed: UInt64) -> [Copy] {
        (0..<Self.count(kind)).compactMap { i in
            guard var s = try? Self.build(spec: spec, kind: kind, lane: i, runSeed: seed) else { return nil }
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
                    Lane(label: Self.label(kind, i), rule: c.session.ruleName, seed: c.session.seed, step: c.session.step,
                         history: c.history,
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

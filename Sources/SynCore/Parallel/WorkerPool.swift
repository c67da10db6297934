import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small persistent pool of threads for lock-step simulations: `run` hands one job to every
/// participant at once (the calling thread is participant 0) and returns when all are done;
/// inside the job, `barrier()` holds every participant until all have reached it.
///
/// Built for one barrier per simulation step (10,000 per simulated second): the barrier spins
/// on an atomic phase counter, then yields the core (`sched_yield`) after a short spin, so a
/// participant descheduled on a busy machine costs the others a yield, not a time slice of
/// spinning. Between jobs the workers sleep on a condition variable: an idle pool uses no CPU.
/// A pool runs one job at a time (`run` serialises callers), so copies of a simulation that
/// share one pool stay correct, one after another.
public final class WorkerPool: Sendable {
    /// Participants, the caller included (>= 1).
    public let count: Int
    private let state: PoolState

    /// A pool of `count` participants: `count - 1` worker threads plus the caller of `run`.
    public init(count: Int) {
        self.count = max(1, count)
        state = PoolState(count: self.count)
        for index in 1..<self.count {
            precondition(state.spawn(index), "WorkerPool: could not start a worker thread")
        }
    }

    deinit { state.shutdown() }

    /// Runs `body(participant)` on every participant (0 on the calling thread, 1..<count on the
    /// workers) and returns when all have returned. `body` may call `barrier()`.
    public func run(_ body: @escaping @Sendable (Int) -> Void) {
        jobCount.wrappingAdd(1, ordering: .relaxed)
        state.run(body)
    }

    /// Jobs run so far (each `run` call is one), for tests and benchmarks to see the pool used.
    public var jobs: Int { jobCount.load(ordering: .relaxed) }
    private let jobCount = Atomic<Int>(0)

    /// Waits until every participant of the current job has called `barrier()` the same number
    /// of times; memory written before it by any participant is visible after it to all.
    @inline(__always) public func barrier() { state.barrier() }

    /// Contiguous, near-equal ranges covering `0..<n` in units of `granule` (the last range
    /// takes the remainder): range p goes to participant p. Fewer than `parts` ranges when
    /// `n` has fewer granules.
    public static func partition(_ n: Int, parts: Int, granule: Int = 1) -> [Range<Int>] {
        let g = max(1, granule)
        let units = (n + g - 1) / g
        let p = max(1, min(parts, units))
        var out: [Range<Int>] = []
        for k in 0..<p {
            let lo = min(n, units * k / p * g), hi = min(n, units * (k + 1) / p * g)
            out.append(lo..<hi)
        }
        return out
    }
}

/// Thread counts chosen when a scene asks for `threads = 0` (auto): `--threads N` when given
/// (`choose`), else `SYNAPTOP_THREADS` from the environment (a sweep's worker processes get
/// their share of the cores this way), else every core headless, one core kept for the UI while
/// the dashboard runs (`reserveCoreForUI`).
public enum ParallelDefaults {
    private static let reserved = Atomic<Int>(0)
    private static let chosen = Atomic<Int>(0)

    /// The largest thread count accepted anywhere (`--threads`, `network.threads`, the environment).
    public static let maxThreads = 256

    /// Makes auto mean `n` threads in this process (`--threads N`; 0 restores the default).
    public static func choose(_ n: Int) { chosen.store(max(0, min(n, maxThreads)), ordering: .relaxed) }

    /// `SYNAPTOP_THREADS`, when it holds an integer in 1...maxThreads.
    public static var environmentThreads: Int? {
        guard let raw = getenv("SYNAPTOP_THREADS"), let n = Int(String(cString: raw)), (1...maxThreads).contains(n) else { return nil }
        return n
    }

    /// Online cores of this machine (at least 1).
    public static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Called once by the dashboard: auto thread counts leave one core to the UI thread.
    public static func reserveCoreForUI() { reserved.store(1, ordering: .relaxed) }

    /// The thread count for `requested` (0 = auto: cores, minus the UI's when reserved).
    public static func threads(requested: Int) -> Int {
        if requested > 0 { return requested }
        let picked = chosen.load(ordering: .relaxed)
        if picked > 0 { return picked }
        if let n = environmentThreads { return n }
        return max(1, cores - reserved.load(ordering: .relaxed))
    }
}

/// A pointer handed to the participants of a `WorkerPool` job. Each participant writes only
/// its own part (a range it owns) between barriers, which is what makes sharing it sound.
public struct SharedPointer<T>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<T>
    public init(_ base: UnsafeMutablePointer<T>) { self.base = base }
    @inline(__always) public subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// A value moved into a pool job and touched by one participant only (e.g. a recorder that
/// participant 0 feeds), moved back out afterwards.
public final class OwnedBox<T>: @unchecked Sendable {
    public var value: T
    public init(_ value: T) { self.value = value }
}

/// The pool's shared state. The pthread mutex and condition variables are touched only while
/// holding the mutex; the barrier uses atomics only. Hence `@unchecked Sendable`.
private final class PoolState: @unchecked Sendable {
    let count: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let serial = Mutex<Void>(())
    // Guarded by `mutex`.
    private var job: (@Sendable (Int) -> Void)?
    private var generation = 0
    private var remaining = 0
    private var stopping = false
    private var threads: [pthread_t] = []
    // The barrier.
    private let arrived = Atomic<Int>(0)
    private let phase = Atomic<Int>(0)
    // Mirrors of `generation` and `remaining` that workers and the caller spin on for a few
    // tens of microseconds before they sleep on the condition variables: a pool that runs one
    // short job after another (a sample's passes, ~100 us each) is then not paying two futex
    // wake-ups per job.
    private let posted = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    /// Spin iterations (atomic loads) before sleeping: about 20-50 us.
    static let spinLimit = 20_000

    init(count: Int) {
        self.count = count
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(done, nil)
    }

    func spawn(_ index: Int) -> Bool {
        let context = Unmanaged.passRetained(WorkerContext(state: self, index: index)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let context = Unmanaged<WorkerContext>.fromOpaque(raw).takeRetainedValue()
            context.state.workerLoop(context.index)
            return nil
        }, context)
        if rc == 0 {
            pthread_mutex_lock(mutex)
            threads.append(thread)
            pthread_mutex_unlock(mutex)
            return true
        }
        Unmanaged<WorkerContext>.fromOpaque(context).release()
        return false
    }

    func workerLoop(_ index: Int) {
        var seen = 0
        while true {
            var spins = 0
            while posted.load(ordering: .acquiring) == seen && spins < Self.spinLimit { spins &+= 1 }
            pthread_mutex_lock(mutex)
            while generation == seen && !stopping { pthread_cond_wait(wake, mutex) }
            if stopping { pthread_mutex_unlock(mutex); return }
            seen = generation
            let body = job
            pthread_mutex_unlock(mutex)
            body?(index)
            unfinished.wrappingSubtract(1, ordering: .releasing)
            pthread_mutex_lock(mutex)
            remaining -= 1
            if remaining == 0 { pthread_cond_signal(done) }
            pthread_mutex_unlock(mutex)
        }
    }

    func run(_ body: @escaping @Sendable (Int) -> Void) {
        serial.withLock { _ in
            pthread_mutex_lock(mutex)
            let workers = threads.count
            job = body
            generation &+= 1
            remaining = workers
            unfinished.store(workers, ordering: .relaxed)
            posted.store(generation, ordering: .releasing)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
            body(0)
            var spins = 0
            while unfinished.load(ordering: .acquiring) > 0 && spins < Self.spinLimit { spins &+= 1 }
            pthread_mutex_lock(mutex)
            while remaining > 0 { pthread_cond_wait(done, mutex) }
            job = nil
            pthread_mutex_unlock(mutex)
        }
    }

    @inline(__always) func barrier() {
        guard count > 1 else { return }
        let ph = phase.load(ordering: .acquiring)
        if arrived.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == count {
            arrived.store(0, ordering: .relaxed)
            phase.store(ph &+ 1, ordering: .releasing)
            return
        }
        var spins = 0
        while phase.load(ordering: .acquiring) == ph {
            spins &+= 1
            if spins > 2000 { sched_yield() }
        }
    }

    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(wake)
        let all = threads
        pthread_mutex_unlock(mutex)
        for t in all { pthread_join(t, nil) }
        pthread_cond_destroy(wake)
        pthread_cond_destroy(done)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        wake.deallocate()
        done.deallocate()
    }
}

private final class WorkerContext: @unchecked Sendable {
    let state: PoolState
    let index: Int
    init(state: PoolState, index: Int) {
        self.state = state
        self.index = index
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The worker pool that dense kernels on the calling thread may share their work with, as a
/// BLAS library's thread count: `ComputePool.with(pool) { sim.advance(n) }` lets every large
/// `Gemm.sgemm` inside split its output over the pool's threads, without the models knowing.
///
/// Results do not depend on the pool: the kernels split only on boundaries where the serial
/// code already cuts its work (micro-tiles), so every output element is computed by the same
/// operations in the same order with 1 or N threads (`ComputePoolTests` checks the bits).
/// Only the installing thread sees the pool; the pool's own workers never do, so work is split
/// once, not recursively.
public enum ComputePool {
    /// Thread-specific slot holding an unretained `WorkerPool` (the caller of `with` keeps it alive).
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        let rc = pthread_key_create(&k, nil)
        precondition(rc == 0, "pthread_key_create failed (\(rc))")
        return k
    }()

    /// Runs `body` with `pool` as the calling thread's compute pool (nil or a 1-thread pool: serial),
    /// restoring the previous one afterwards.
    public static func with<R, E: Error>(_ pool: WorkerPool?, _ body: () throws(E) -> R) throws(E) -> R {
        let previous = pthread_getspecific(key)
        let usable = pool.flatMap { $0.count > 1 ? $0 : nil }
        pthread_setspecific(key, usable.map { UnsafeRawPointer(Unmanaged.passUnretained($0).toOpaque()) })
        defer { pthread_setspecific(key, previous) }
        return try withExtendedLifetime(pool) { () throws(E) -> R in try body() }
    }

    /// The calling thread's compute pool, if one with more than one participant is installed.
    public static var current: WorkerPool? {
        guard let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<WorkerPool>.fromOpaque(raw).takeUnretainedValue()
    }
}

/// Seeded, splittable pseudo-random numbers: xoshiro256** seeded through SplitMix64.
///
/// ```swift
/// var rng = RNG(seed: 42)
/// var input = rng.stream("input")   // independent stream for one component
/// let x = input.normal()
/// ```
/// Every component of a simulation draws from its own stream (derived from the scene seed and a
/// stable label), so adding a component or a monitor never shifts another component's numbers.
public struct RNG: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64
    /// Cached second value of the Box-Muller pair.
    @usableFromInline var spareNormal: Float?

    /// Seeds the four state words with SplitMix64 (never all-zero).
    public init(seed: UInt64) {
        var sm = seed
        s0 = RNG.splitMix(&sm); s1 = RNG.splitMix(&sm); s2 = RNG.splitMix(&sm); s3 = RNG.splitMix(&sm)
        spareNormal = nil
    }

    @inlinable static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent stream derived from this generator's *seed state* and a label.
    /// It does not advance `self`, so streams are stable whatever order they are made in.
    public func stream(_ label: String) -> RNG {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the label
        for b in label.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return RNG(seed: s0 ^ RNG.rotl(s1, 17) ^ RNG.rotl(s2, 31) ^ RNG.rotl(s3, 47) ^ h)
    }

    /// An independent stream numbered `index` (e.g. one per neuron group or per worker).
    public func stream(_ index: Int) -> RNG { stream("#\(index)") }

    @inlinable static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Next 64 random bits (xoshiro256**).
    @inlinable public mutating func next() -> UInt64 {
        let result = RNG.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = RNG.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 bits of precision.
    @inlinable public mutating func uniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    @inlinable public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in [a, b).
    @inlinable public mutating func uniform(_ a: Float, _ b: Float) -> Float { a + (b - a) * uniform() }

    /// Standard normal N(0, 1) (Box-Muller, pairs cached).
    @inlinable public mutating func normal() -> Float {
        if let z = spareNormal { spareNormal = nil; return z }
        var u1 = uniformDouble()
        while u1 <= 0 { u1 = uniformDouble() }
        let u2 = uniformDouble()
        let r = (-2 * _log(u1)).squareRoot()
        let th = 2 * Double.pi * u2
        spareNormal = Float(r * _sin(th))
        return Float(r * _cos(th))
    }

    /// Normal N(mean, sd^2).
    @inlinable public mutating func normal(mean: Float, sd: Float) -> Float { mean + sd * normal() }

    /// True with probability p.
    @inlinable public mutating func bernoulli(_ p: Double) -> Bool { uniformDouble() < p }

    /// Poisson(lambda) count: Knuth's product method for small lambda, a normal approximation
    /// with continuity correction above 60 (adequate for spike counts; documented bias < 1e-3).
    public mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda < 60 {
            let l = _exp(-lambda)
            var k = 0
            var p = 1.0
            repeat { k += 1; p *= uniformDouble() } while p > l
            return k - 1
        }
        let x = Double(normal()) * lambda.squareRoot() + lambda + 0.5
        return max(0, Int(x.rounded(.down)))
    }

    /// Uniform integer in 0..<n (Lemire's nearly-divisionless method).
    @inlinable public mutating func int(below n: Int) -> Int {
        precondition(n > 0)
        return Int(truncatingIfNeeded: next(upperBound: UInt64(n)))
    }

    /// Fisher-Yates shuffle in place.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, int(below: i + 1))
        }
    }
}

// Foundation-free libm access (Glibc/Darwin re-exported through these helpers).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inlinable func _log(_ x: Double) -> Double { log(x) }
@inlinable func _exp(_ x: Double) -> Double { exp(x) }
@inlinable func _sin(_ x: Double) -> Double { sin(x) }
@inlinable func _cos(_ x: Double) -> Double { cos(x) }

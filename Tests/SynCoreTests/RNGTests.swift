import Testing
@testable import SynCore

@Suite struct RNGTests {
    @Test func sameSeedSameNumbers() {
        var a = RNG(seed: 7), b = RNG(seed: 7)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
    }

    @Test func streamsAreStableAndIndependent() {
        let root = RNG(seed: 3)
        var s1 = root.stream("input"), s2 = root.stream("input"), s3 = root.stream("noise")
        let x = (0..<8).map { _ in s1.next() }
        #expect(x == (0..<8).map { _ in s2.next() })
        #expect(x != (0..<8).map { _ in s3.next() })
    }
}

/// A list of seeds written as ranges and single values, e.g. `1-5`, `2,3,9` or `1-3,10`: the
/// seeds of an ensemble (`synaptop ensemble --seeds`, the dashboard's `--ensemble` and
/// `:ensemble`).
public enum SeedList {
    /// The seeds in the order written; a one-line error naming `option` when the text is not a
    /// list of seeds in 0...2^31-1, lists a seed twice, or holds more than `limit` seeds.
    public static func parse(_ text: String, option: String, limit: Int) -> Result<[UInt64], SeedListError> {
        let maxSeed: UInt64 = UInt64(Int32.max)
        func fail(_ why: String) -> Result<[UInt64], SeedListError> {
            .failure(SeedListError(message: "\(option): \(why) (expected seeds in [0, \(maxSeed)] as ranges and values, e.g. 1-5 or 2,3,9; at most \(limit))"))
        }
        var seeds: [UInt64] = []
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.filter { $0 != " " } }
        guard !text.isEmpty, !parts.contains(where: \.isEmpty) else { return fail("\"\(text)\" is not a seed list") }
        for part in parts {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2, let lo = UInt64(ends[0]), let hi = UInt64(ends.last ?? ends[0]), lo <= maxSeed, hi <= maxSeed else {
                return fail("\"\(part)\" is not a seed or a range a-b")
            }
            guard lo <= hi else { return fail("the range \(part) runs backwards") }
            guard hi - lo < UInt64(limit) else { return fail("the range \(part) holds \(hi - lo + 1) seeds") }
            seeds += Array(lo...hi)
            if seeds.count > limit { return fail("\(seeds.count) seeds listed") }
        }
        if let twice = seeds.first(where: { s in seeds.filter { $0 == s }.count > 1 }) { return fail("seed \(twice) is listed twice") }
        return .success(seeds)
    }
}

/// A seed list that does not parse (the message names the option and the accepted form).
public struct SeedListError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

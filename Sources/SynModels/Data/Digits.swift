/// The UCI 8x8 handwritten digits (1797 samples, compiled into the binary; see data/README.md).
///
/// Fixed split, the same as the reference scripts: the first 1500 rows train, the last 297 test.
/// Pixels are scaled from 0...16 to 0...1.
public enum Digits {
    public static let trainCount = 1500

    /// All 1797 samples, pixels / 16.
    public static func all() -> Dataset {
        // The embedded CSV is validated by tests, so parsing cannot fail at run time.
        (try? parseCSV(digitsCSV, file: "<embedded digits>")) ?? Dataset(x: .init(rows: 0, cols: 64), labels: [], classes: 10)
    }

    /// (train, test) with the fixed split.
    public static func split() -> (train: Dataset, test: Dataset) {
        let d = all()
        return (d.slice(0..<trainCount), d.slice(trainCount..<d.count))
    }

    /// Parses digits-format CSV: 64 integers 0...16 then a label 0...9 per line.
    public static func parseCSV(_ text: String, file: String) throws(DataError) -> Dataset {
        var pixels: [Float] = []
        var labels: [Int] = []
        pixels.reserveCapacity(1797 * 64)
        var lineNo = 0
        for line in text.split(whereSeparator: \.isNewline) {
            lineNo += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 65 else {
                throw DataError("\(file):\(lineNo): expected 65 comma-separated values (64 pixels + label), got \(fields.count)")
            }
            for (j, f) in fields.enumerated() {
                guard let v = Int(f.trimmingCharacters()) else {
                    throw DataError("\(file):\(lineNo): column \(j + 1): expected an integer, got \"\(f)\"")
                }
                if j < 64 {
                    guard (0...16).contains(v) else { throw DataError("\(file):\(lineNo): column \(j + 1): pixel must be in [0, 16], got \(v)") }
                    pixels.append(Float(v) / 16)
                } else {
                    guard (0...9).contains(v) else { throw DataError("\(file):\(lineNo): label must be in [0, 9], got \(v)") }
                    labels.append(v)
                }
            }
        }
        return Dataset(x: .init(rows: labels.count, cols: 64, storage: pixels), labels: labels, classes: 10, imageShape: (8, 8))
    }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var s = self
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return s
    }
}

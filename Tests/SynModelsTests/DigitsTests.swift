import Testing
@testable import SynModels

@Suite struct DigitsTests {
    @Test func embeddedDigitsHaveTheKnownShapeAndSplit() {
        let d = Digits.all()
        #expect(d.count == 1797 && d.features == 64 && d.classes == 10)
        let (train, test) = Digits.split()
        #expect(train.count == 1500 && test.count == 297)
        // Label counts in the first 1500 rows (reference: shared/reference RESULTS.md §5).
        var counts = [Int](repeating: 0, count: 10)
        for l in train.labels { counts[l] += 1 }
        #expect(counts == [151, 151, 150, 153, 148, 152, 151, 149, 146, 149])
        #expect(d.x.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func malformedCSVNamesLineAndColumn() {
        #expect(throws: DataError.self) { try Digits.parseCSV("1,2,3\n", file: "bad.csv") }
        do { _ = try Digits.parseCSV(String(repeating: "0,", count: 64) + "12\n", file: "bad.csv") } catch {
            #expect(error.description == "bad.csv:1: label must be in [0, 9], got 12")
        }
    }
}

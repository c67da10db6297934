import Testing
@testable import SynScenes

@Suite struct MetricsWriterTests {
    @Test func jsonLinesEscapeEveryControlCharacter() {
        #expect(MetricsWriter.jsonEscape("a\tb\u{1}\"\\\n") == "a\\u0009b\\u0001\\\"\\\\\\n")
    }

    @Test func csvQuotesFieldsWithSeparatorsQuotesOrNewlines() {
        #expect(MetricsWriter.csvField("oja") == "oja")
        #expect(MetricsWriter.csvField("a,b") == "\"a,b\"")
        #expect(MetricsWriter.csvField("a\"b") == "\"a\"\"b\"")
        #expect(MetricsWriter.csvField("a\nb") == "\"a\nb\"")
    }

    @Test func formatFollowsTheFileExtension() {
        #expect(MetricsFormat(path: "o.csv") == .csv)
        #expect(MetricsFormat(path: "o.jsonl") == .jsonl)
        #expect(MetricsFormat(path: "o.ndjson") == .jsonl)
        #expect(MetricsFormat(path: "o.json") == nil)
    }
}

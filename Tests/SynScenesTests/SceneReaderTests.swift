import Testing
@testable import SynScenes

@Suite struct SceneReaderTests {
    func reader(_ toml: String) throws -> SceneReader {
        SceneReader(try TOMLSceneParser.parse(toml, file: "x.toml"), file: "x.toml")
    }

    @Test func outOfRangeNamesFileKeyAndRange() throws {
        var r = try reader("[rule]\neta = -1\n")
        var rule = try r.table("rule")
        #expect(throws: SceneError(file: "x.toml", key: "rule.eta", message: "expected a number in (0, 10], got -1")) {
            _ = try rule.number("eta", in: .openClosed(0, 10))
        }
        #expect(SceneError(file: "x.toml", key: "rule.eta", message: "expected a number in (0, 10], got -1").description
                == "x.toml: rule.eta: expected a number in (0, 10], got -1")
    }

    @Test func unknownKeySuggestsNearest() throws {
        var r = try reader("etta = 1\n")
        _ = try r.number("eta", in: .closed(0, 1), default: 0.5)
        do { try r.finish(); Issue.record("expected an error") } catch {
            #expect(error.description == "x.toml: etta: unknown key, did you mean \"eta\"?")
        }
    }

    @Test func syntaxErrorNamesLineAndColumn() {
        do { _ = try TOMLSceneParser.parse("a = 1\nb = = 2\n", file: "x.toml"); Issue.record("expected an error") } catch {
            #expect(error.file.hasPrefix("x.toml:2:"))
        }
    }
}

import Testing
import SynCore
import SynModels
@testable import SynScenes

@Suite struct HebbianSceneTests {
    @Test func ojaConvergesToTheLeadingEigenvector() throws {
        let spec = try SceneLoader.load(path: scenePath("oja"))
        var s = try SceneSession(spec: spec)
        let rows = s.advance(20_000)
        let alignment: Double = try #require(rows.last?.values[0])
        let norm: Double = try #require(rows.last?.values[2])
        #expect(alignment > 0.99)
        #expect(abs(norm - 1) < 0.02)
    }

    @Test func sangerLearnsTheDigitsPrincipalSubspace() throws {
        // 4 epochs at eta 0.02: the rotation-free subspace alignment is already high and the
        // ordered alignment clearly above chance (1/sqrt(64) ~ 0.12).
        let spec = try SceneLoader.load(path: scenePath("sanger-digits"))
        var s = try SceneSession(spec: spec)
        let first = s.measureRow()
        let rows = s.advance(6000)
        let last = try #require(rows.last)
        #expect(last.values[1] > 0.9)
        #expect(last.values[0] > 0.5)
        #expect(last.values[0] > first.values[0] + 0.3)
    }

    @Test func switchingRulesKeepsTheWeights() throws {
        let spec = try SceneLoader.load(path: scenePath("oja"))
        var s = try SceneSession(spec: spec)
        _ = s.advance(3000)
        let before = try #require(s.sim as? HebbianPCA).weights
        s.selectRule(1)
        #expect(s.ruleName == "hebb")
        #expect(try #require(s.sim as? HebbianPCA).weights == before)
        #expect(s.switches == [RuleSwitch(step: 3000, rule: "hebb")])
        // Plain Hebb grows the norm (by about exp(eta * lambda_1) per sample); Oja brings it
        // back to 1 (stable while eta * lambda_1 * |w|^2 stays well below 2).
        _ = s.advance(60)
        var rows = s.advance(40)
        #expect(try #require(rows.last).values[2] > 2)
        s.selectRule(0)
        rows = s.advance(3000)
        #expect(abs(try #require(rows.last).values[2] - 1) < 0.05)
    }

    @Test func theSameSeedGivesByteIdenticalMetricsFiles() throws {
        let spec = try SceneLoader.load(path: scenePath("oja"))
        func run(_ chunks: [Int]) throws -> String {
            var s = try SceneSession(spec: spec, seed: 7)
            var rows = [s.measureRow()]
            for c in chunks { rows += s.advance(c) }
            return MetricsWriter.render(rows, names: s.metricNames, format: .csv)
        }
        let a = try run([5000])
        #expect(a == (try run([1, 99, 1234, 3666])))
        #expect(a != (try { var s = try SceneSession(spec: spec, seed: 8); return MetricsWriter.render([s.measureRow()] + s.advance(5000), names: s.metricNames, format: .csv) }()))
        // Files written atomically compare equal byte for byte.
        let p1 = tempPath("a.csv"), p2 = tempPath("b.csv")
        var s1 = try SceneSession(spec: spec, seed: 7), s2 = try SceneSession(spec: spec, seed: 7)
        try MetricsWriter.write([s1.measureRow()] + s1.advance(2000), names: s1.metricNames, to: p1, format: .csv)
        try MetricsWriter.write([s2.measureRow()] + s2.advance(2000), names: s2.metricNames, to: p2, format: .csv)
        #expect(try FileIO.read(p1) == FileIO.read(p2))
    }

    @Test func csvAndJSONLinesHaveTheContractColumns() throws {
        let spec = try SceneLoader.load(path: scenePath("oja"))
        var s = try SceneSession(spec: spec)
        let rows = [s.measureRow()] + s.advance(200)
        let csv = MetricsWriter.render(rows, names: s.metricNames, format: .csv).split(separator: "\n")
        #expect(csv[0] == "step,time,rule,alignment,subspace_alignment,weight_norm,orthonormality_error")
        #expect(csv.count == 4)
        #expect(csv[3].hasPrefix("200,0,oja,"))
        let jsonl = MetricsWriter.render(rows, names: s.metricNames, format: .jsonl).split(separator: "\n")
        #expect(jsonl[1].hasPrefix("{\"step\":100,\"time\":0,\"rule\":\"oja\",\"alignment\":"))
    }

    @Test func idxDataSetsLoadFromFilesTheTestWrites() throws {
        // 3 images of 2x3 pixels and their labels, in MNIST's IDX format.
        let images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3] + (0..<18).map { UInt8($0 * 15) }
        let labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 3, 7, 1, 4]
        let ip = tempPath("images-idx3-ubyte"), lp = tempPath("labels-idx1-ubyte")
        try FileIO.writeAtomically(ip, bytes: images)
        try FileIO.writeAtomically(lp, bytes: labels)
        let d = try IDX.loadDataset(images: ip, labels: lp)
        #expect(d.count == 3 && d.features == 6 && d.labels == [7, 1, 4])
        #expect(d.imageShape?.rows == 2 && d.imageShape?.cols == 3)
        #expect(d.x[2, 5] == Float(17 * 15) / 255)
        // Truncated and wrong-magic files give one-line errors naming the file.
        try FileIO.writeAtomically(ip, bytes: Array(images.dropLast()))
        #expect(throws: DataError.self) { try IDX.loadDataset(images: ip, labels: nil) }
        do { _ = try IDX.parse([1, 2, 3, 4], file: "f") } catch { #expect(error.description == "f: not an IDX file (magic must start with two zero bytes)") }
        // A scene can point at them.
        try FileIO.writeAtomically(ip, bytes: images)
        let scene = """
            title = "idx"
            model = "hebbian"
            [network]
            outputs = 2
            [rule]
            name = "sanger"
            eta = 0.01
            [task]
            name = "idx"
            images = "\(ip)"
            labels = "\(lp)"
            """
        let spec = try SceneLoader.parse(bytes: Array(scene.utf8), file: "idx.toml")
        var s = try SceneSession(spec: spec)
        #expect(s.advance(100).count == 1)
    }

    @Test func everySceneFileLoadsAndSteps() throws {
        let files = allSceneFiles()
        #expect(files.count >= 2)
        for f in files {
            let spec = try SceneLoader.load(path: f)
            var s = try SceneSession(spec: spec)
            _ = s.measureRow()
            _ = s.advance(3)
            #expect(s.step == 3, "\(f)")
            for p in spec.panels {
                if case .view(let v) = p.content { #expect(s.sim.views()[v] != nil, "\(f): view \(v)") }
            }
        }
    }

    @Test func sceneNamesResolveFromTheRepository() throws {
        let p = try SceneLocator.resolve(scenePath("oja"))
        #expect(p.hasSuffix("scenes/oja.toml"))
        do { _ = try SceneLocator.resolve("ojaa"); Issue.record("resolved") } catch {
            #expect(error.description.contains("no scene named \"ojaa\""))
        }
    }
}

import SynScenes
import SynModels

extension BenchSuite {
    /// Group `scenes`: headless steps per second of every shipped scene through `SceneSession`
    /// (metrics measured at the scene's cadence, as `synaptop run` does), over about half a
    /// second of stepping per run after building the network.
    public static var sceneCases: [BenchCase] {
        SceneLocator.sceneFiles().map { file in
            let name = SceneLoader.baseName(file)
            return BenchCase(group: "scenes", name: name, figures: [BenchFigure("steps_per_s", unit: "steps/s")], runs: 3) {
                guard let spec = try? SceneLoader.load(path: file), var session = try? SceneSession(spec: spec) else { return [.nan] }
                var steps = 0
                var chunk = max(1, spec.metricsEvery)
                var elapsed = 0.0
                while elapsed < 0.5 {
                    let n = chunk
                    elapsed += BenchClock.seconds { _ = session.advance(n) }
                    steps += n
                    if elapsed < 0.05 { chunk *= 2 }
                }
                return [Double(steps) / elapsed]
            }
        }
    }
}
